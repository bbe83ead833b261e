//! Stage 2: non-preemptive scheduling. Once a process gets the CPU it keeps
//! it until its whole burst is done; the only decisions happen when the CPU
//! becomes free.
//!
//! Rules shared by both functions:
//! - `processes` may be in any order.
//! - When nothing has arrived yet, the CPU is idle until the next arrival
//!   (let [`push_segment`] write the idle gap for you).
//! - A process that arrives at the very tick a decision is made takes part in
//!   that decision.
//! - The timeline ends when the last process completes; an empty workload
//!   gives an empty timeline.

use crate::{push_segment, Process, Segment};

/// First come, first served: run processes in order of arrival; equal
/// arrivals run in ascending id order.
///
/// Rust notes: `processes.to_vec()` makes an owned, sortable copy of the
/// slice. `v.sort_by_key(|p| (p.arrival, p.id))` sorts by arrival, then id:
/// tuples compare element by element.
pub fn fcfs(processes: &[Process]) -> Vec<Segment> {
    let mut order = processes.to_vec();
    order.sort_by_key(|p| (p.arrival, p.id));
    let mut timeline = Vec::new();
    let mut now = 0;
    for p in order {
        let start = now.max(p.arrival);
        push_segment(&mut timeline, Some(p.id), start, start + p.burst);
        now = start + p.burst;
    }
    timeline
}

/// Shortest job first, non-preemptive: whenever the CPU is free at tick
/// `now`, pick among the processes that have arrived (`arrival <= now`) and
/// are not finished the one with the smallest `burst`; ties go to the earlier
/// arrival, then to the lower id. Run it to completion. If none has arrived,
/// idle until the next arrival.
///
/// Rust notes: `iter().filter(..).min_by_key(|p| (p.burst, p.arrival, p.id))`
/// finds the winner as an `Option`; `v.remove(index)` takes it out of a
/// `Vec` (`iter().position(..)` finds an index).
pub fn sjf(processes: &[Process]) -> Vec<Segment> {
    let mut pending = processes.to_vec();
    let mut timeline = Vec::new();
    let mut now = 0;
    while !pending.is_empty() {
        let best = pending
            .iter()
            .enumerate()
            .filter(|(_, p)| p.arrival <= now)
            .min_by_key(|(_, p)| (p.burst, p.arrival, p.id))
            .map(|(index, _)| index);
        match best {
            Some(index) => {
                let p = pending.remove(index);
                push_segment(&mut timeline, Some(p.id), now, now + p.burst);
                now += p.burst;
            }
            // Nothing has arrived: jump to the next arrival (the gap becomes idle).
            None => now = pending.iter().map(|p| p.arrival).min().unwrap_or(now),
        }
    }
    timeline
}
