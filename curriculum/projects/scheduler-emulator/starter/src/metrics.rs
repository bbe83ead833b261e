//! Stage 1: measuring a schedule.
//!
//! Given the processes and a timeline (from any scheduler, or written by
//! hand), compute what a user of the system would feel: how long each process
//! took, how long it sat waiting, how long until it first ran, and how busy
//! the CPU was.

use crate::{Pid, Process, Segment};

/// The numbers for one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessMetrics {
    pub id: Pid,
    pub arrival: u64,
    pub burst: u64,
    /// `end` of the last segment in which the process runs.
    pub completion: u64,
    /// `completion - arrival`: the time from arrival to done.
    pub turnaround: u64,
    /// `turnaround - burst`: time spent ready but not running.
    pub waiting: u64,
    /// `(start of the first segment in which it runs) - arrival`.
    pub response: u64,
}

/// The numbers for a whole schedule.
///
/// (`f64` fields rule out deriving `Eq`: floating point `NaN != NaN`.)
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// One entry per process, sorted by ascending id.
    pub per_process: Vec<ProcessMetrics>,
    /// Mean of the `turnaround` values; 0.0 when there are no processes.
    pub avg_turnaround: f64,
    /// Mean of the `waiting` values; 0.0 when there are no processes.
    pub avg_waiting: f64,
    /// Mean of the `response` values; 0.0 when there are no processes.
    pub avg_response: f64,
    /// Remove the idle segments, then count neighbouring pairs of segments
    /// with different pids. So `P1 P2` is 1 switch, `P1 idle P2` is also 1
    /// (the CPU now holds a different process), `P1 idle P1` is 0, and the
    /// very first dispatch is not a switch.
    pub context_switches: usize,
    /// Ticks in which some process ran (the sum of the non-idle durations).
    pub busy_time: u64,
    /// End of the timeline, measured from tick 0 (0 for an empty timeline).
    pub makespan: u64,
    /// `busy_time / makespan` as a fraction between 0.0 and 1.0; 0.0 for an
    /// empty timeline. Idle time before the first arrival counts as idle.
    pub cpu_utilisation: f64,
}

/// Computes the [`Metrics`] of `timeline` for `processes`.
///
/// `processes` may come in any order; `per_process` is sorted by id (numeric
/// order: 2 before 10). You may assume every process runs in `timeline`
/// (for at least one segment) and that every pid in it is one of the processes.
/// Do not assume the timeline is "sensible": compute from what it says.
///
/// Rust notes:
/// - Integer division truncates and integers never convert silently: write
///   `total as f64 / n as f64` to get a floating point mean.
/// - Iterators do most of the work here, e.g.
///   `timeline.iter().filter(|s| s.pid == Some(id))` visits the segments of
///   one process; `.map(|s| s.end).max()` turns them into an `Option<u64>`.
/// - `v.sort_by_key(|m| m.id)` sorts a `Vec` in place by a key.
pub fn compute_metrics(processes: &[Process], timeline: &[Segment]) -> Metrics {
    let _ = (processes, timeline);
    todo!()
}
