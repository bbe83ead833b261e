//! Shared test helpers: loading the JSON vectors, a tiny deterministic PRNG
//! for random workloads, and the invariants every schedule must satisfy.
//!
//! (Each file in `tests/` is compiled as its own crate and uses only some of
//! these helpers, hence the `allow`.)
#![allow(dead_code)]

use scheduler_emulator::{Algorithm, Metrics, MlfqConfig, Process, Segment};
use serde::Deserialize;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct Vector {
    pub name: String,
    pub description: String,
    /// `None` for vectors that only test metrics of a given timeline.
    pub algorithm: Option<AlgorithmSpec>,
    pub processes: Vec<ProcessSpec>,
    /// The hand trace; not used by the tests, there for humans.
    #[serde(default)]
    pub note: Vec<String>,
    pub expected: Expected,
}

#[derive(Debug, Deserialize)]
pub struct AlgorithmSpec {
    pub name: String,
    pub quantum: Option<u64>,
    pub aging_interval: Option<u64>,
    pub quanta: Option<Vec<u64>>,
    pub boost_interval: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct ProcessSpec {
    pub id: u32,
    pub arrival: u64,
    pub burst: u64,
    pub priority: u32,
}

#[derive(Debug, Deserialize)]
pub struct Expected {
    /// `[pid or null, start, end]` triples.
    pub timeline: Vec<(Option<u32>, u64, u64)>,
    pub per_process: Vec<ExpectedProcess>,
    pub avg_turnaround: f64,
    pub avg_waiting: f64,
    pub avg_response: f64,
    pub context_switches: usize,
    pub busy_time: u64,
    pub makespan: u64,
    pub cpu_utilisation: f64,
    /// Lines of the ASCII chart, without their trailing newlines.
    pub gantt: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct ExpectedProcess {
    pub id: u32,
    pub completion: u64,
    pub turnaround: u64,
    pub waiting: u64,
    pub response: u64,
}

pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("vectors")
}

pub fn load_vector(file: &str) -> Vector {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad vector {}: {e}", path.display()))
}

/// Every vector file, sorted by file name.
pub fn all_vectors() -> Vec<Vector> {
    let mut files: Vec<String> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vectors found");
    files.iter().map(|f| load_vector(f)).collect()
}

impl Vector {
    pub fn processes(&self) -> Vec<Process> {
        self.processes
            .iter()
            .map(|p| Process::new(p.id, p.arrival, p.burst, p.priority))
            .collect()
    }

    pub fn expected_timeline(&self) -> Vec<Segment> {
        self.expected
            .timeline
            .iter()
            .map(|&(pid, start, end)| Segment { pid, start, end })
            .collect()
    }

    pub fn algorithm(&self) -> Algorithm {
        let spec = self
            .algorithm
            .as_ref()
            .unwrap_or_else(|| panic!("vector {} has no algorithm", self.name));
        match spec.name.as_str() {
            "fcfs" => Algorithm::Fcfs,
            "sjf" => Algorithm::Sjf,
            "srtf" => Algorithm::Srtf,
            "rr" => Algorithm::RoundRobin {
                quantum: spec.quantum.expect("rr needs a quantum"),
            },
            "priority" => Algorithm::Priority {
                aging_interval: spec.aging_interval.expect("priority needs aging_interval"),
            },
            "mlfq" => Algorithm::Mlfq(MlfqConfig {
                quanta: spec.quanta.clone().expect("mlfq needs quanta"),
                boost_interval: spec.boost_interval,
            }),
            other => panic!("unknown algorithm {other} in vector {}", self.name),
        }
    }
}

pub fn show(timeline: &[Segment]) -> String {
    let parts: Vec<String> = timeline.iter().map(|s| s.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// Runs the vector's algorithm and compares the timeline, then checks the
/// general invariants too.
pub fn check_schedule_vector(file: &str) {
    let vector = load_vector(file);
    let processes = vector.processes();
    let algorithm = vector.algorithm();
    let got = scheduler_emulator::schedule(&processes, &algorithm);
    let want = vector.expected_timeline();
    assert_eq!(
        got,
        want,
        "\nvector {} ({})\n{}\n  got:  {}\n  want: {}\n(the hand trace is in the vector's \"note\" field)\n",
        vector.name,
        algorithm.describe(),
        vector.description,
        show(&got),
        show(&want)
    );
    check_invariants(&processes, &got, &vector.name);
}

/// Compares computed metrics with a vector's expected ones.
pub fn assert_metrics_match(vector: &Vector, got: &Metrics) {
    let name = &vector.name;
    let e = &vector.expected;
    let per: Vec<ExpectedProcess> = got
        .per_process
        .iter()
        .map(|m| ExpectedProcess {
            id: m.id,
            completion: m.completion,
            turnaround: m.turnaround,
            waiting: m.waiting,
            response: m.response,
        })
        .collect();
    assert_eq!(
        per, e.per_process,
        "{name}: per-process metrics (sorted by id)"
    );
    for m in &got.per_process {
        let p = vector.processes.iter().find(|p| p.id == m.id).unwrap();
        assert_eq!(
            (m.arrival, m.burst),
            (p.arrival, p.burst),
            "{name}: P{} arrival/burst",
            m.id
        );
    }
    assert_close(
        got.avg_turnaround,
        e.avg_turnaround,
        &format!("{name}: avg_turnaround"),
    );
    assert_close(
        got.avg_waiting,
        e.avg_waiting,
        &format!("{name}: avg_waiting"),
    );
    assert_close(
        got.avg_response,
        e.avg_response,
        &format!("{name}: avg_response"),
    );
    assert_eq!(
        got.context_switches, e.context_switches,
        "{name}: context_switches"
    );
    assert_eq!(got.busy_time, e.busy_time, "{name}: busy_time");
    assert_eq!(got.makespan, e.makespan, "{name}: makespan");
    assert_close(
        got.cpu_utilisation,
        e.cpu_utilisation,
        &format!("{name}: cpu_utilisation"),
    );
}

pub fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-9, "{what}: got {got}, want {want}");
}

// ---------------------------------------------------------------------------
// Random workloads
// ---------------------------------------------------------------------------

/// SplitMix64: a few lines, good enough statistical quality for test data,
/// and the same sequence on every machine for a given seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough in `lo..=hi` (the modulo bias is irrelevant here).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

/// 1 to 8 processes with ids 1..=n in shuffled order, arrivals 0..=15,
/// bursts 1..=6, priorities 0..=4. Gaps (idle time) and ties are common.
pub fn random_workload(rng: &mut Rng) -> Vec<Process> {
    let n = rng.range(1, 8) as usize;
    let mut processes: Vec<Process> = (1..=n as u32)
        .map(|id| {
            let arrival = rng.range(0, 15);
            let burst = rng.range(1, 6);
            let priority = rng.range(0, 4) as u32;
            Process::new(id, arrival, burst, priority)
        })
        .collect();
    // Fisher-Yates shuffle, so that input order never matches id order by luck.
    for i in (1..processes.len()).rev() {
        let j = rng.range(0, i as u64) as usize;
        processes.swap(i, j);
    }
    processes
}

/// How many random workloads each invariant test runs.
pub const RANDOM_RUNS: u64 = 300;

/// Runs `algorithm` on `RANDOM_RUNS` seeded workloads and checks the invariants.
pub fn check_invariants_on_random_workloads(algorithm: &Algorithm, seed: u64) {
    let mut rng = Rng::new(seed);
    for run in 0..RANDOM_RUNS {
        let processes = random_workload(&mut rng);
        let timeline = scheduler_emulator::schedule(&processes, algorithm);
        check_invariants(
            &processes,
            &timeline,
            &format!(
                "{} on random workload #{run} {:?}",
                algorithm.describe(),
                processes
            ),
        );
    }
}

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

/// What every correct schedule of `processes` looks like, whatever the policy:
///
/// 1. segments are non-empty, contiguous from tick 0 and never overlap;
///    neighbours have different pids (merged); the last one is not idle;
/// 2. every pid belongs to a process; no process runs before it arrives;
/// 3. each process gets exactly its burst, no more, no less;
/// 4. the CPU is never idle while some process is ready (arrived, unfinished).
pub fn check_invariants(processes: &[Process], timeline: &[Segment], label: &str) {
    let ctx = || format!("{label}\n  timeline: {}", show(timeline));

    if processes.is_empty() {
        assert!(
            timeline.is_empty(),
            "empty workload must give an empty timeline: {}",
            ctx()
        );
        return;
    }
    assert!(!timeline.is_empty(), "timeline is empty: {}", ctx());

    // 1. shape
    let mut now = 0;
    for (i, seg) in timeline.iter().enumerate() {
        assert_eq!(
            seg.start,
            now,
            "segment #{i} does not start where the previous ended (or at 0): {}",
            ctx()
        );
        assert!(
            seg.end > seg.start,
            "segment #{i} is empty or reversed: {}",
            ctx()
        );
        if i > 0 {
            assert_ne!(
                timeline[i - 1].pid,
                seg.pid,
                "segments #{} and #{i} should be merged: {}",
                i - 1,
                ctx()
            );
        }
        now = seg.end;
    }
    assert!(
        timeline.last().unwrap().pid.is_some(),
        "timeline ends with idle time: {}",
        ctx()
    );

    // 2 and 3
    let mut completion = Vec::new();
    for p in processes {
        let mine: Vec<&Segment> = timeline.iter().filter(|s| s.pid == Some(p.id)).collect();
        let served: u64 = mine.iter().map(|s| s.duration()).sum();
        assert_eq!(
            served,
            p.burst,
            "P{} was served {served} ticks, burst is {}: {}",
            p.id,
            p.burst,
            ctx()
        );
        let first = mine.first().unwrap().start;
        assert!(
            first >= p.arrival,
            "P{} runs at {first} before arriving at {}: {}",
            p.id,
            p.arrival,
            ctx()
        );
        completion.push((p, mine.last().unwrap().end));
    }
    for seg in timeline {
        if let Some(pid) = seg.pid {
            assert!(
                processes.iter().any(|p| p.id == pid),
                "unknown pid {pid}: {}",
                ctx()
            );
        }
    }

    // 4. work conservation
    for seg in timeline.iter().filter(|s| s.pid.is_none()) {
        for t in seg.start..seg.end {
            if let Some((p, _)) = completion
                .iter()
                .find(|(p, done)| p.arrival <= t && t < *done)
            {
                panic!("CPU idle at tick {t} while P{} is ready: {}", p.id, ctx());
            }
        }
    }
}
