//! Stage 4: preemptive priority scheduling with aging.
//!
//! Plain priority scheduling can starve: a low-priority process waits for as
//! long as more important work keeps arriving. *Aging* makes waiting count:
//! the longer a process waits, the more important it becomes.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

use crate::{push_segment, Process, Segment};

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
    assert!(aging_interval >= 1, "the aging interval must be at least 1");
    let n = processes.len();
    let mut remaining: Vec<u64> = processes.iter().map(|p| p.burst).collect();
    // `Some(tick)` while the process waits in the ready queue.
    let mut ready_since: Vec<Option<u64>> = vec![None; n];
    let mut arrived = vec![false; n];
    // The running process and its running priority.
    let mut running: Option<(usize, u64)> = None;
    let mut unfinished = n;
    let mut timeline = Vec::new();
    let mut now = 0;

    let effective = |i: usize, since: u64, now: u64| -> u64 {
        u64::from(processes[i].priority).saturating_sub((now - since) / aging_interval)
    };

    while unfinished > 0 {
        // 1. A finished process has already left (see the end of the loop).
        // 2. Arrivals.
        for i in 0..n {
            if !arrived[i] && processes[i].arrival <= now {
                arrived[i] = true;
                ready_since[i] = Some(processes[i].arrival);
            }
        }
        // 3. Dispatch or preempt.
        let best = (0..n)
            .filter_map(|i| ready_since[i].map(|since| (i, effective(i, since, now))))
            .min_by_key(|&(i, eff)| (eff, processes[i].arrival, processes[i].id));
        match (running, best) {
            (None, Some((i, eff))) => {
                ready_since[i] = None;
                running = Some((i, eff));
            }
            (Some((r, running_priority)), Some((i, eff))) if eff < running_priority => {
                ready_since[r] = Some(now);
                ready_since[i] = None;
                running = Some((i, eff));
            }
            _ => {}
        }
        // 4. Run one tick, or idle until the next arrival.
        match running {
            Some((r, _)) => {
                push_segment(&mut timeline, Some(processes[r].id), now, now + 1);
                remaining[r] -= 1;
                now += 1;
                if remaining[r] == 0 {
                    running = None;
                    unfinished -= 1;
                }
            }
            None => {
                now = (0..n)
                    .filter(|&i| !arrived[i])
                    .map(|i| processes[i].arrival)
                    .min()
                    .unwrap_or(now);
            }
        }
    }
    timeline
}
