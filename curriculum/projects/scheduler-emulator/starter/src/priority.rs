//! Stage 4: preemptive priority scheduling with aging.
//!
//! Plain priority scheduling can starve: a low-priority process waits for as
//! long as more important work keeps arriving. *Aging* makes waiting count:
//! the longer a process waits, the more important it becomes.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

// The `allow` silences the "unused import" warning until your code calls
// `push_segment`; delete that line once it does.
#[allow(unused_imports)]
use crate::push_segment;
use crate::{Process, Segment};

/// Preemptive priority scheduling with aging. Lower number = more important.
///
/// **Effective priority of a waiting process.** Each ready process remembers
/// `ready_since`, the tick at which it last entered the ready queue: its
/// arrival, or the tick at which it was preempted. At tick `now` its
/// effective priority is
///
/// ```text
/// priority - (now - ready_since) / aging_interval      (integer division, never below 0)
/// ```
///
/// so it improves by 1 for every full `aging_interval` ticks it has waited.
///
/// **Running priority.** A process dispatched at tick `now` keeps, for as long
/// as it runs, the effective priority it had at that tick. When it is
/// preempted it re-enters the ready queue with `ready_since = now`, so its
/// effective priority starts again from its static `priority`.
///
/// **At every tick `now`, in this order:**
/// 1. a running process whose burst is done leaves (it completed at `now`);
/// 2. processes arriving at `now` become ready (`ready_since = now`);
/// 3. if the CPU is free, dispatch the ready process with the smallest
///    (effective priority, arrival, id); if a process is running and some
///    ready process has an effective priority **strictly smaller** than the
///    running priority, preempt the running process and dispatch the best
///    ready process by the same order;
/// 4. the process on the CPU (if any) runs for one tick.
///
/// With equal priorities and a huge `aging_interval` this is FCFS; the tests
/// check that too.
///
/// Rust notes: `a.saturating_sub(b)` subtracts but stops at 0 instead of
/// overflowing (unsigned integers cannot go negative, and an overflow panics
/// in debug builds). Convert with `u64::from(p.priority)` before mixing `u32`
/// and `u64`.
pub fn priority_aging(processes: &[Process], aging_interval: u64) -> Vec<Segment> {
    let _ = (processes, aging_interval);
    todo!()
}
