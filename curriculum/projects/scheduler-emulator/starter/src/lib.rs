//! # OS Scheduler Emulator
//!
//! A small, deterministic model of one CPU and the policy that decides which
//! process runs on it. Nothing here touches real threads: time is a counter.
//!
//! The model, in one paragraph:
//!
//! - Time is measured in whole **ticks** (`u64`), starting at 0.
//! - There is one CPU. Processes never block on I/O: once a process has
//!   arrived, it is *ready* (wants the CPU) until its whole `burst` has been
//!   served.
//! - A schedule is a **timeline**: a list of [`Segment`]s, each saying "from
//!   `start` to `end` the CPU ran process `pid`" (or was idle, `pid == None`).
//!
//! Where each stage's work lives:
//!
//! | stage | file                   | what you write                              |
//! |-------|------------------------|---------------------------------------------|
//! | 1     | `src/timeline.rs`      | [`push_segment`]: build tidy timelines      |
//! | 1     | `src/metrics.rs`       | [`compute_metrics`]: times, switches, usage |
//! | 1     | `src/gantt.rs`         | [`render_gantt`]: the ASCII chart           |
//! | 2     | `src/nonpreemptive.rs` | [`fcfs`] and [`sjf`]                        |
//! | 3     | `src/preemptive.rs`    | [`srtf`] and [`round_robin`]                |
//! | 4     | `src/priority.rs`      | [`priority_aging`]                          |
//! | 5     | `src/mlfq.rs`          | [`mlfq`]                                    |
//!
//! This file is complete: it holds the shared types. You do not need to edit it.

// `pub mod x;` tells the compiler that the module `x` lives in `src/x.rs`
// and that code outside this crate (the tests, the CLI) may use it.
pub mod gantt;
pub mod metrics;
pub mod mlfq;
pub mod nonpreemptive;
pub mod preemptive;
pub mod priority;
pub mod timeline;

// `pub use` re-exports, so callers can write `scheduler_emulator::fcfs`
// instead of `scheduler_emulator::nonpreemptive::fcfs`.
pub use gantt::render_gantt;
pub use metrics::{compute_metrics, Metrics, ProcessMetrics};
pub use mlfq::{mlfq, MlfqConfig};
pub use nonpreemptive::{fcfs, sjf};
pub use preemptive::{round_robin, srtf};
pub use priority::priority_aging;
pub use timeline::{push_segment, timeline_end};

use std::fmt;

/// A process id. A type alias is just another name for `u32`.
pub type Pid = u32;

/// One process of a workload.
///
/// `#[derive(...)]` asks the compiler to write some standard trait
/// implementations for us: `Debug` (printing with `{:?}`), `Clone`/`Copy`
/// (the struct is plain data, so it is copied instead of moved),
/// `PartialEq`/`Eq` (comparison with `==`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Process {
    /// Unique id. Workloads are not sorted: never assume `processes[i].id == i`.
    pub id: Pid,
    /// The tick at which the process becomes ready.
    pub arrival: u64,
    /// Total CPU time the process needs, in ticks. Always at least 1.
    pub burst: u64,
    /// Static priority. **Lower number = more important**; 0 is the best.
    /// Only [`priority_aging`] looks at it.
    pub priority: u32,
}

impl Process {
    /// Shorthand constructor: `Process::new(id, arrival, burst, priority)`.
    pub fn new(id: Pid, arrival: u64, burst: u64, priority: u32) -> Self {
        Process {
            id,
            arrival,
            burst,
            priority,
        }
    }
}

/// One stretch of the timeline: from `start` (inclusive) to `end` (exclusive)
/// the CPU ran process `pid`, or was idle when `pid` is `None`.
///
/// `Option<T>` is Rust's "maybe a value": either `Some(value)` or `None`.
/// There is no null; the compiler makes you handle both cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub pid: Option<Pid>,
    pub start: u64,
    pub end: u64,
}

impl Segment {
    /// A segment in which process `pid` runs.
    pub fn run(pid: Pid, start: u64, end: u64) -> Self {
        Segment {
            pid: Some(pid),
            start,
            end,
        }
    }

    /// A segment in which the CPU is idle.
    pub fn idle(start: u64, end: u64) -> Self {
        Segment {
            pid: None,
            start,
            end,
        }
    }

    /// Number of ticks the segment covers (`end - start`).
    pub fn duration(&self) -> u64 {
        self.end - self.start
    }
}

/// `P3 4-7` or `idle 7-9`: how the CLI and the tests' error messages print a
/// segment. Implementing `fmt::Display` is what makes `format!("{}", seg)` work.
impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "P{} {}-{}", pid, self.start, self.end),
            None => write!(f, "idle {}-{}", self.start, self.end),
        }
    }
}

/// The scheduling policies, with their parameters.
///
/// A Rust `enum` is a "one of these" type whose variants can carry data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Algorithm {
    /// First come, first served (stage 2).
    Fcfs,
    /// Shortest job first, non-preemptive (stage 2).
    Sjf,
    /// Shortest remaining time first, preemptive (stage 3).
    Srtf,
    /// Round robin with a fixed time quantum, at least 1 (stage 3).
    RoundRobin { quantum: u64 },
    /// Preemptive priority with aging; `aging_interval` is at least 1 (stage 4).
    Priority { aging_interval: u64 },
    /// Multi-level feedback queue (stage 5).
    Mlfq(MlfqConfig),
}

impl Algorithm {
    /// A human-readable name with the parameters, e.g. `round robin (quantum 2)`.
    pub fn describe(&self) -> String {
        match self {
            Algorithm::Fcfs => "first come, first served".to_string(),
            Algorithm::Sjf => "shortest job first (non-preemptive)".to_string(),
            Algorithm::Srtf => "shortest remaining time first (preemptive)".to_string(),
            Algorithm::RoundRobin { quantum } => format!("round robin (quantum {quantum})"),
            Algorithm::Priority { aging_interval } => {
                format!("preemptive priority (aging: -1 per {aging_interval} ticks waited)")
            }
            Algorithm::Mlfq(config) => {
                let quanta: Vec<String> = config.quanta.iter().map(|q| q.to_string()).collect();
                let boost = match config.boost_interval {
                    Some(s) => format!("boost every {s} ticks"),
                    None => "no boost".to_string(),
                };
                format!("MLFQ (quanta {}; {})", quanta.join(", "), boost)
            }
        }
    }
}

/// Runs `algorithm` on `processes` and returns the timeline.
pub fn schedule(processes: &[Process], algorithm: &Algorithm) -> Vec<Segment> {
    match algorithm {
        Algorithm::Fcfs => fcfs(processes),
        Algorithm::Sjf => sjf(processes),
        Algorithm::Srtf => srtf(processes),
        Algorithm::RoundRobin { quantum } => round_robin(processes, *quantum),
        Algorithm::Priority { aging_interval } => priority_aging(processes, *aging_interval),
        Algorithm::Mlfq(config) => mlfq(processes, config),
    }
}
