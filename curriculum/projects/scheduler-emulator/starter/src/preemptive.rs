//! Stage 3: preemption. The scheduler may take the CPU away from a process
//! that has not finished.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

// The `allow` silences the "unused import" warning until your code calls
// `push_segment`; delete that line once it does.
#[allow(unused_imports)]
use crate::push_segment;
use crate::{Process, Segment};

/// Shortest remaining time first (preemptive SJF).
///
/// At every tick, the CPU runs the ready process (arrived, not finished) with
/// the smallest *remaining* time; ties go to the earlier arrival, then to the
/// lower id. A consequence worth checking on paper: a newly arrived process
/// preempts the running one only when its burst is **strictly** smaller than
/// the running process's remaining time.
///
/// Simplest correct approach: simulate one tick at a time and let
/// [`push_segment`] merge consecutive ticks of the same process into one
/// segment. When nothing is ready, jump straight to the next arrival.
pub fn srtf(processes: &[Process]) -> Vec<Segment> {
    let _ = processes;
    todo!()
}

/// Round robin with time quantum `quantum` (at least 1).
///
/// - The ready queue is first in, first out. Arriving processes join its tail
///   in order of arrival, equal arrivals in ascending id order.
/// - The process at the head gets the CPU for `min(quantum, remaining)` ticks.
///   If it finishes, it leaves. If its quantum expires first, it goes to the
///   tail of the queue.
/// - **Tie rule:** processes that arrive during a slice *or at the very tick
///   the quantum expires* join the queue **before** the preempted process.
/// - If the queue is empty when the quantum expires, the same process simply
///   continues with a fresh quantum. Because [`push_segment`] merges, the
///   timeline shows one unbroken segment (and no context switch).
///
/// Rust notes: `std::collections::VecDeque` is a double-ended queue:
/// `push_back`, `pop_front` (returns an `Option`), `is_empty`. Keep the
/// remaining time of each process somewhere you can update, e.g. a
/// `Vec<u64>` indexed like a sorted copy of `processes`.
pub fn round_robin(processes: &[Process], quantum: u64) -> Vec<Segment> {
    let _ = (processes, quantum);
    todo!()
}
