//! The command-line front end. It is complete: it works as soon as the
//! library functions it calls are implemented.
//!
//! ```text
//! cargo run -- tests/vectors/fcfs_convoy.json fcfs
//! cargo run -- tests/vectors/rr_arrival_at_expiry.json rr --quantum 2
//! cargo run -- my-workload.json mlfq --quanta 2,4,8 --boost 20
//! ```

mod json;

use json::Json;
use scheduler_emulator::{
    compute_metrics, render_gantt, schedule, Algorithm, Metrics, MlfqConfig, Process,
};
use std::collections::BTreeSet;
use std::process::ExitCode;

const USAGE: &str = "\
usage: scheduler-emulator <workload.json> <algorithm> [options]

algorithms:
  fcfs                                  first come, first served
  sjf                                   shortest job first (non-preemptive)
  srtf                                  shortest remaining time first (preemptive)
  rr [--quantum N]                      round robin (default quantum 2)
  priority [--aging N]                  preemptive priority with aging (default 4)
  mlfq [--quanta A,B,..] [--boost N|none]
                                        multi-level feedback queue
                                        (default quanta 2,4,8 and boost 20)

The workload file holds a JSON object with a \"processes\" array, or the array
itself. Each process: {\"id\": 1, \"arrival\": 0, \"burst\": 5, \"priority\": 2}.
\"priority\" may be left out (it defaults to 0; lower = more important). Other
keys are ignored, so every file in tests/vectors/ is a valid workload.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let (path, name, options) = match args {
        [path, name, options @ ..] => (path, name, options),
        _ => return Err("expected a workload file and an algorithm".to_string()),
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let processes = parse_workload(&text).map_err(|e| format!("{path}: {e}"))?;
    let algorithm = parse_algorithm(name, options)?;

    let timeline = schedule(&processes, &algorithm);
    let metrics = compute_metrics(&processes, &timeline);

    let mut out = String::new();
    out.push_str(&format!(
        "Workload: {path} ({} processes)\nAlgorithm: {}\n\n",
        processes.len(),
        algorithm.describe()
    ));
    let segments: Vec<String> = timeline.iter().map(|s| s.to_string()).collect();
    out.push_str(&format!("Timeline: {}\n\n", segments.join(", ")));
    out.push_str(&render_gantt(&processes, &timeline));
    out.push('\n');
    out.push_str(&metrics_table(&processes, &metrics));
    Ok(out)
}

fn parse_workload(text: &str) -> Result<Vec<Process>, String> {
    let doc = json::parse(text)?;
    let items = match doc.get("processes").unwrap_or(&doc) {
        Json::Array(items) => items,
        _ => return Err("expected a \"processes\" array".to_string()),
    };
    let mut processes = Vec::new();
    let mut ids = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let field = |key: &str| -> Result<u64, String> {
            item.get(key)
                .and_then(Json::as_u64)
                .ok_or_else(|| format!("process #{index}: \"{key}\" must be a whole number >= 0"))
        };
        let id =
            u32::try_from(field("id")?).map_err(|_| format!("process #{index}: id too large"))?;
        let arrival = field("arrival")?;
        let burst = field("burst")?;
        let priority = match item.get("priority") {
            None => 0,
            Some(_) => u32::try_from(field("priority")?)
                .map_err(|_| format!("process #{index}: priority too large"))?,
        };
        if burst == 0 {
            return Err(format!("process P{id}: burst must be at least 1"));
        }
        if !ids.insert(id) {
            return Err(format!("process id {id} appears twice"));
        }
        processes.push(Process::new(id, arrival, burst, priority));
    }
    Ok(processes)
}

fn parse_algorithm(name: &str, options: &[String]) -> Result<Algorithm, String> {
    // Options come in pairs: --flag value.
    let mut pairs = Vec::new();
    let mut rest = options.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        pairs.push((flag.as_str(), value.as_str()));
    }
    let allowed: &[&str] = match name {
        "rr" => &["--quantum"],
        "priority" => &["--aging"],
        "mlfq" => &["--quanta", "--boost"],
        _ => &[],
    };
    if let Some((flag, _)) = pairs.iter().find(|(flag, _)| !allowed.contains(flag)) {
        return Err(format!("option {flag} does not apply to {name}"));
    }
    let option = |flag: &str| pairs.iter().find(|(f, _)| *f == flag).map(|(_, v)| *v);
    let positive = |flag: &str, text: &str| -> Result<u64, String> {
        match text.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(format!("{flag} must be a whole number >= 1, got {text:?}")),
        }
    };

    Ok(match name {
        "fcfs" => Algorithm::Fcfs,
        "sjf" => Algorithm::Sjf,
        "srtf" => Algorithm::Srtf,
        "rr" => Algorithm::RoundRobin {
            quantum: option("--quantum").map_or(Ok(2), |v| positive("--quantum", v))?,
        },
        "priority" => Algorithm::Priority {
            aging_interval: option("--aging").map_or(Ok(4), |v| positive("--aging", v))?,
        },
        "mlfq" => {
            let mut config = MlfqConfig::default();
            if let Some(list) = option("--quanta") {
                config.quanta = list
                    .split(',')
                    .map(|q| positive("--quanta", q.trim()))
                    .collect::<Result<Vec<u64>, String>>()?;
            }
            if let Some(boost) = option("--boost") {
                config.boost_interval = match boost {
                    "none" => None,
                    n => Some(positive("--boost", n)?),
                };
            }
            Algorithm::Mlfq(config)
        }
        other => return Err(format!("unknown algorithm {other:?}")),
    })
}

fn metrics_table(processes: &[Process], metrics: &Metrics) -> String {
    let mut out = String::new();
    out.push_str("process  arrival  burst  priority  completion  turnaround  waiting  response\n");
    for m in &metrics.per_process {
        let priority = processes
            .iter()
            .find(|p| p.id == m.id)
            .map(|p| p.priority)
            .unwrap_or(0);
        out.push_str(&format!(
            "{:<7}  {:>7}  {:>5}  {:>8}  {:>10}  {:>10}  {:>7}  {:>8}\n",
            format!("P{}", m.id),
            m.arrival,
            m.burst,
            priority,
            m.completion,
            m.turnaround,
            m.waiting,
            m.response
        ));
    }
    out.push_str(&format!(
        "{:<45}  {:>10.2}  {:>7.2}  {:>8.2}\n\n",
        "average", metrics.avg_turnaround, metrics.avg_waiting, metrics.avg_response
    ));
    out.push_str(&format!("context switches: {}\n", metrics.context_switches));
    out.push_str(&format!(
        "CPU utilisation: {:.1}% ({} busy ticks of {})\n",
        metrics.cpu_utilisation * 100.0,
        metrics.busy_time,
        metrics.makespan
    ));
    out
}
