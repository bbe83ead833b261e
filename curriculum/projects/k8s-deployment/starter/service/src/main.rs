//! demo-service: the small HTTP service this project packages and deploys.
//!
//! It is complete; you do not need to change it. It uses only the standard library, so
//! the image build needs no crates.io access.
//!
//! Endpoints (all `GET`, on `$ADDR`, default `0.0.0.0:8080`):
//!
//! | path          | answer                                                                |
//! |---------------|-----------------------------------------------------------------------|
//! | `/`           | `$GREETING from <host name>`: shows which pod answered                 |
//! | `/health`     | liveness: 200 as long as the process can answer at all                 |
//! | `/ready`      | readiness: 503 for `$READY_DELAY_SECONDS` after start and while draining, else 200 |
//! | `/metrics`    | Prometheus text format: `http_requests_total{path,code}`, a latency histogram, ... |
//! | `/work?ms=N`  | burns N ms of CPU (default 50, at most 2000): load for the autoscaler  |
//! | `/fail`       | always 500: lets you drill the error-rate alert                        |
//! | `/admin`      | 200 with `Authorization: Bearer $API_TOKEN`, else 401 (503 if no token is configured) |
//!
//! `demo-service healthcheck` asks the running server's `/health` and exits 0 or 1, for a
//! Docker `HEALTHCHECK` in an image without a shell or curl.
//!
//! On SIGTERM (what Kubernetes sends first when it stops a pod) the service reports
//! not-ready, keeps serving for `$DRAIN_SECONDS` (default 5) while the endpoints
//! controller and kube-proxy stop sending it new connections, then exits 0.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
/// Paths reported with their own label; anything else is counted as `other`, so a scanner
/// requesting random URLs cannot create unbounded numbers of time series.
const KNOWN_PATHS: [&str; 7] = ["/", "/health", "/ready", "/metrics", "/work", "/fail", "/admin"];

struct Config {
    addr: String,
    greeting: String,
    api_token: Option<String>,
    ready_delay: Duration,
    drain: Duration,
}

impl Config {
    fn from_env() -> Config {
        let secs = |name: &str, default: u64| {
            let value = std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
            Duration::from_secs(value)
        };
        Config {
            addr: std::env::var("ADDR").unwrap_or_else(|_| "0.0.0.0:8080".into()),
            greeting: std::env::var("GREETING").unwrap_or_else(|_| "Hello".into()),
            api_token: std::env::var("API_TOKEN").ok().filter(|t| !t.is_empty()),
            ready_delay: secs("READY_DELAY_SECONDS", 2),
            drain: secs("DRAIN_SECONDS", 5),
        }
    }
}

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Metrics {
    requests: BTreeMap<(String, u16), u64>,
    durations: BTreeMap<String, Histogram>,
}

struct State {
    config: Config,
    started: Instant,
    start_unix: f64,
    draining: AtomicBool,
    in_flight: AtomicI64,
    metrics: Mutex<Metrics>,
    hostname: String,
}

impl State {
    fn ready(&self) -> bool {
        !self.draining.load(Ordering::SeqCst) && self.started.elapsed() >= self.config.ready_delay
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("healthcheck") {
        std::process::exit(healthcheck());
    }
    let config = Config::from_env();
    let listener = match TcpListener::bind(&config.addr) {
        Ok(l) => l,
        Err(e) => {
            log("error", &format!("msg=\"cannot listen\" addr={} error=\"{e}\"", config.addr));
            std::process::exit(1);
        }
    };
    let state = Arc::new(State {
        hostname: std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into()),
        start_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0),
        started: Instant::now(),
        draining: AtomicBool::new(false),
        in_flight: AtomicI64::new(0),
        metrics: Mutex::new(Metrics::default()),
        config,
    });
    log(
        "info",
        &format!(
            "msg=listening addr={} api_token_configured={}",
            state.config.addr,
            state.config.api_token.is_some()
        ),
    );
    shutdown::install();
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            if shutdown::requested() {
                state.draining.store(true, Ordering::SeqCst);
                log(
                    "info",
                    &format!("msg=\"termination requested; draining\" seconds={}", state.config.drain.as_secs()),
                );
                std::thread::sleep(state.config.drain);
                log("info", "msg=\"drained; exiting\"");
                std::process::exit(0);
            }
        });
    }
    for conn in listener.incoming() {
        match conn {
            Ok(stream) => {
                let state = Arc::clone(&state);
                std::thread::spawn(move || handle(stream, &state));
            }
            Err(e) => log("warn", &format!("msg=\"accept failed\" error=\"{e}\"")),
        }
    }
}

fn log(level: &str, fields: &str) {
    println!("level={level} {fields}");
}

/// Reads one request, answers it, closes the connection.
fn handle(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let Some(head) = read_head(&mut stream) else {
        return;
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let authorization = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.trim().to_string());
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));

    state.in_flight.fetch_add(1, Ordering::SeqCst);
    let start = Instant::now();
    let (code, content_type, body) = if method != "GET" {
        (405, "text/plain", "only GET is supported\n".to_string())
    } else {
        route(state, path, query, authorization.as_deref())
    };
    let elapsed = start.elapsed().as_secs_f64();
    state.in_flight.fetch_sub(1, Ordering::SeqCst);

    let label = if KNOWN_PATHS.contains(&path) { path } else { "other" };
    record(state, label, code, elapsed);
    if path != "/health" && path != "/ready" && path != "/metrics" {
        log(
            "info",
            &format!("msg=request method={method} path={label} code={code} duration_ms={:.1}", elapsed * 1000.0),
        );
    }
    let reason = match code {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    let response = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

/// Reads up to the blank line that ends the request head (at most 8 KiB).
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && !buf.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > 8192 {
            return None;
        }
    }
    if buf.is_empty() {
        None
    } else {
        Some(String::from_utf8_lossy(&buf).into_owned())
    }
}

fn route(state: &State, path: &str, query: &str, authorization: Option<&str>) -> (u16, &'static str, String) {
    match path {
        "/" => (200, "text/plain", format!("{} from {}\n", state.config.greeting, state.hostname)),
        "/health" => (200, "text/plain", "ok\n".into()),
        "/ready" if state.draining.load(Ordering::SeqCst) => (503, "text/plain", "draining\n".into()),
        "/ready" if !state.ready() => (503, "text/plain", "starting\n".into()),
        "/ready" => (200, "text/plain", "ready\n".into()),
        "/metrics" => (200, "text/plain; version=0.0.4", render_metrics(state)),
        "/work" => {
            let ms = query
                .split('&')
                .filter_map(|kv| kv.strip_prefix("ms="))
                .find_map(|v| v.parse::<u64>().ok())
                .unwrap_or(50)
                .min(2000);
            burn_cpu(Duration::from_millis(ms));
            (200, "text/plain", format!("worked {ms} ms\n"))
        }
        "/fail" => (500, "text/plain", "failing on purpose\n".into()),
        "/admin" => match (&state.config.api_token, authorization.and_then(|a| a.strip_prefix("Bearer "))) {
            (None, _) => (503, "text/plain", "API_TOKEN is not configured\n".into()),
            (Some(token), Some(given)) if constant_time_eq(token.as_bytes(), given.trim().as_bytes()) => {
                let m = state.metrics.lock().unwrap_or_else(|e| e.into_inner());
                let total: u64 = m.requests.values().sum();
                (200, "text/plain", format!("requests served by this pod: {total}\n"))
            }
            _ => (401, "text/plain", "missing or wrong bearer token\n".into()),
        },
        _ => (404, "text/plain", "not found\n".into()),
    }
}

/// Compares without stopping at the first difference, so the time taken does not reveal
/// how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn burn_cpu(duration: Duration) {
    let start = Instant::now();
    let mut x: u64 = 1;
    while start.elapsed() < duration {
        for _ in 0..10_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        }
        std::hint::black_box(x);
    }
}

fn record(state: &State, path: &str, code: u16, seconds: f64) {
    let mut m = state.metrics.lock().unwrap_or_else(|e| e.into_inner());
    *m.requests.entry((path.to_string(), code)).or_insert(0) += 1;
    let h = m.durations.entry(path.to_string()).or_default();
    for (i, upper) in BUCKETS.iter().enumerate() {
        if seconds <= *upper {
            h.counts[i] += 1;
        }
    }
    h.sum += seconds;
    h.count += 1;
}

fn render_metrics(state: &State) -> String {
    use std::fmt::Write as _;
    let m = state.metrics.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = String::new();
    out.push_str("# HELP http_requests_total Requests handled, by path and status code.\n");
    out.push_str("# TYPE http_requests_total counter\n");
    for ((path, code), n) in &m.requests {
        let _ = writeln!(out, "http_requests_total{{path=\"{path}\",code=\"{code}\"}} {n}");
    }
    out.push_str("# HELP http_request_duration_seconds Time to handle a request, by path.\n");
    out.push_str("# TYPE http_request_duration_seconds histogram\n");
    for (path, h) in &m.durations {
        for (i, upper) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{path=\"{path}\",le=\"{upper}\"}} {}",
                h.counts[i]
            );
        }
        let _ = writeln!(out, "http_request_duration_seconds_bucket{{path=\"{path}\",le=\"+Inf\"}} {}", h.count);
        let _ = writeln!(out, "http_request_duration_seconds_sum{{path=\"{path}\"}} {}", h.sum);
        let _ = writeln!(out, "http_request_duration_seconds_count{{path=\"{path}\"}} {}", h.count);
    }
    out.push_str("# HELP http_requests_in_flight Requests being handled right now.\n");
    out.push_str("# TYPE http_requests_in_flight gauge\n");
    let _ = writeln!(out, "http_requests_in_flight {}", state.in_flight.load(Ordering::SeqCst));
    out.push_str("# HELP demo_ready 1 when the readiness endpoint answers 200.\n");
    out.push_str("# TYPE demo_ready gauge\n");
    let _ = writeln!(out, "demo_ready {}", u8::from(state.ready()));
    out.push_str("# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n");
    out.push_str("# TYPE process_start_time_seconds gauge\n");
    let _ = writeln!(out, "process_start_time_seconds {:.3}", state.start_unix);
    out
}

/// `demo-service healthcheck`: GET /health on the local port; 0 on a 200, 1 otherwise.
fn healthcheck() -> i32 {
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "0.0.0.0:8080".into());
    let port = addr.rsplit(':').next().unwrap_or("8080");
    let target = format!("127.0.0.1:{port}");
    let Ok(sock) = target.parse() else {
        return 1;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&sock, Duration::from_secs(2)) else {
        return 1;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return 1;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    if answer.starts_with("HTTP/1.1 200") {
        0
    } else {
        1
    }
}

/// SIGTERM/SIGINT handling with nothing but the C library the standard library already
/// links. The handler only sets a flag; a normal thread polls it.
#[cfg(unix)]
mod shutdown {
    use std::sync::atomic::{AtomicBool, Ordering};

    static REQUESTED: AtomicBool = AtomicBool::new(false);
    const SIGINT: i32 = 2;
    const SIGTERM: i32 = 15;

    extern "C" fn on_signal(_signal: i32) {
        // Storing to an atomic is async-signal-safe; allocating or locking here would not be.
        REQUESTED.store(true, Ordering::SeqCst);
    }

    extern "C" {
        // `sighandler_t signal(int signum, sighandler_t handler)` from the C library.
        fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
    }

    pub fn install() {
        // SAFETY: `on_signal` has the C signature `signal` expects and only touches an atomic.
        unsafe {
            signal(SIGTERM, on_signal);
            signal(SIGINT, on_signal);
        }
    }

    pub fn requested() -> bool {
        REQUESTED.load(Ordering::SeqCst)
    }
}

#[cfg(not(unix))]
mod shutdown {
    pub fn install() {}
    pub fn requested() -> bool {
        false
    }
}
