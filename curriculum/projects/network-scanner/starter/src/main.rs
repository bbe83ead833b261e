//! The command-line scanner. Already written: it works as soon as the library functions it
//! calls are implemented. Read it to see how the stages fit together.
//!
//! ```text
//! cargo run -- 127.0.0.1 -p 1-1024
//! cargo run -- localhost -p 22,80,8000-8100 --banners --json
//! cargo run -- --sysinfo
//! ```
//!
//! Scan only hosts you own or have written permission to test.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use network_scanner::sysinfo::read_system_info;
use network_scanner::{
    grab_banner, http_head, parse_ports, scan, PortResult, PortState, ScanConfig, SystemInfo,
    DEFAULT_MAX_PORTS,
};

const USAGE: &str = "\
Usage: network-scanner <host> [options]
       network-scanner --sysinfo [--json]

Scan TCP ports of <host> (an IP address or a name) with full connects.
Scan only hosts you own or have written permission to test.

Options:
  -p, --ports SPEC        ports to scan, e.g. 22,80,8000-8010 (default 1-1024)
  -t, --timeout-ms N      connect timeout per port, in milliseconds (default 500)
  -c, --concurrency N     probes in flight at once (default 100)
      --max-ports N       refuse specifications naming more ports (default 10000)
  -b, --banners           read a banner (or an HTTP answer) from each open port
      --all               list closed ports in the table too
      --json              print JSON instead of a table
      --sysinfo           describe this machine instead of scanning
  -h, --help              print this help";

/// Everything the command line can ask for.
struct Options {
    host: Option<String>,
    ports: String,
    timeout: Duration,
    concurrency: usize,
    max_ports: usize,
    banners: bool,
    all: bool,
    json: bool,
    sysinfo: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Parse the arguments by hand. `Ok(None)` means "print the help".
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        host: None,
        ports: "1-1024".to_string(),
        timeout: Duration::from_millis(500),
        concurrency: 100,
        max_ports: DEFAULT_MAX_PORTS,
        banners: false,
        all: false,
        json: false,
        sysinfo: false,
    };

    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // Options that take a value read it from the next argument.
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "-p" | "--ports" => options.ports = value()?.clone(),
            "-t" | "--timeout-ms" => {
                let ms = parse_number(arg, value()?)?;
                if ms == 0 {
                    return Err("--timeout-ms must be at least 1".to_string());
                }
                options.timeout = Duration::from_millis(ms as u64);
            }
            "-c" | "--concurrency" => {
                options.concurrency = parse_number(arg, value()?)?;
                if options.concurrency == 0 {
                    return Err("--concurrency must be at least 1".to_string());
                }
            }
            "--max-ports" => options.max_ports = parse_number(arg, value()?)?,
            "-b" | "--banners" => options.banners = true,
            "--all" => options.all = true,
            "--json" => options.json = true,
            "--sysinfo" => options.sysinfo = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            host => {
                if options.host.is_some() {
                    return Err(format!("only one host, please (got another: {host})"));
                }
                options.host = Some(host.to_string());
            }
        }
    }
    if options.host.is_none() && !options.sysinfo {
        return Err("which host? (or --sysinfo)".to_string());
    }
    Ok(Some(options))
}

fn parse_number(flag: &str, text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("{flag} expects a whole number, got {text:?}"))
}

fn run(options: &Options) -> Result<(), String> {
    if options.sysinfo {
        let info = read_system_info();
        if options.json {
            println!("{}", sysinfo_json(&info));
        } else {
            print_sysinfo(&info);
        }
        return Ok(());
    }

    let host = options.host.as_deref().unwrap_or_default();
    let ip = resolve(host)?;
    let ports = parse_ports(&options.ports, options.max_ports).map_err(|e| e.to_string())?;
    let config = ScanConfig {
        timeout: options.timeout,
        concurrency: options.concurrency,
    };

    if !options.json {
        println!(
            "Scanning {host} ({ip}): {} ports, {} at a time, {} ms timeout",
            ports.len(),
            options.concurrency.min(ports.len()),
            options.timeout.as_millis()
        );
    }
    let started = Instant::now();
    let results = scan(ip, &ports, &config);
    let services: Vec<Option<String>> = results
        .iter()
        .map(|r| {
            let wanted = options.banners && r.state == PortState::Open;
            wanted
                .then(|| identify(SocketAddr::new(ip, r.port), options.timeout))
                .flatten()
        })
        .collect();
    let elapsed = started.elapsed();

    if options.json {
        println!("{}", scan_json(host, ip, &results, &services, elapsed));
    } else {
        print_table(&results, &services, options.all, elapsed);
    }
    Ok(())
}

/// An IP address as is, or the first address a name resolves to.
fn resolve(host: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(ip);
    }
    // `to_socket_addrs` asks the system resolver (DNS, /etc/hosts); it needs a port, any will do.
    (host, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .map(|addr| addr.ip())
        .ok_or_else(|| format!("{host} has no addresses"))
}

/// Describe the service on an open port: its banner if it speaks first, else its HTTP answer.
fn identify(addr: SocketAddr, timeout: Duration) -> Option<String> {
    if let Ok(Some(banner)) = grab_banner(addr, timeout) {
        return Some(banner);
    }
    let info = http_head(addr, timeout).ok()?;
    let mut text = format!("{} {} {}", info.version, info.status, info.reason);
    if let Some(server) = info.server {
        text.push_str(&format!(" ({server})"));
    }
    Some(text.trim_end().to_string())
}

fn print_table(results: &[PortResult], services: &[Option<String>], all: bool, elapsed: Duration) {
    let mut hidden = 0;
    println!("\n{:<11} {:<10} SERVICE", "PORT", "STATE");
    for (result, service) in results.iter().zip(services) {
        if result.state == PortState::Closed && !all {
            hidden += 1;
            continue;
        }
        let port = format!("{}/tcp", result.port);
        let state = result.state.to_string();
        println!(
            "{port:<11} {state:<10} {}",
            service.as_deref().unwrap_or("")
        );
    }
    println!();
    if hidden > 0 {
        println!("{hidden} closed ports not shown (--all shows them).");
    }
    println!(
        "Scanned {} ports in {:.2} s.",
        results.len(),
        elapsed.as_secs_f64()
    );
}

fn print_sysinfo(info: &SystemInfo) {
    let os = match &info.os.version {
        Some(version) => format!("{} {version}", info.os.name),
        None => info.os.name.clone(),
    };
    println!(
        "Hostname:  {}",
        info.hostname.as_deref().unwrap_or("(unknown)")
    );
    println!("OS:        {os}");
    println!("CPUs:      {}", info.cpu_count);
    match info.memory {
        Some(memory) => println!(
            "Memory:    {} total, {} available",
            human_bytes(memory.total_bytes),
            human_bytes(memory.available_bytes)
        ),
        None => println!("Memory:    (unknown)"),
    }
}

/// `16710148096` becomes `15.6 GiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn scan_json(
    host: &str,
    ip: IpAddr,
    results: &[PortResult],
    services: &[Option<String>],
    elapsed: Duration,
) -> String {
    let ports: Vec<String> = results
        .iter()
        .zip(services)
        .map(|(result, service)| {
            let service = service.as_deref().map_or("null".to_string(), json_string);
            format!(
                "{{\"port\":{},\"state\":{},\"service\":{service}}}",
                result.port,
                json_string(&result.state.to_string())
            )
        })
        .collect();
    format!(
        "{{\"host\":{},\"ip\":{},\"elapsed_ms\":{},\"ports\":[{}]}}",
        json_string(host),
        json_string(&ip.to_string()),
        elapsed.as_millis(),
        ports.join(",")
    )
}

fn sysinfo_json(info: &SystemInfo) -> String {
    let optional = |value: Option<&str>| value.map_or("null".to_string(), json_string);
    let memory = |pick: fn(&network_scanner::Memory) -> u64| {
        info.memory
            .as_ref()
            .map_or("null".to_string(), |m| pick(m).to_string())
    };
    format!(
        "{{\"hostname\":{},\"os_name\":{},\"os_version\":{},\"cpu_count\":{},\
         \"memory_total_bytes\":{},\"memory_available_bytes\":{}}}",
        optional(info.hostname.as_deref()),
        json_string(&info.os.name),
        optional(info.os.version.as_deref()),
        info.cpu_count,
        memory(|m| m.total_bytes),
        memory(|m| m.available_bytes)
    )
}

/// A JSON string literal: quotes, backslashes and control characters escaped. Banners are
/// text chosen by whoever runs the server, so never paste them into JSON unescaped.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
