//! Stage 3: preemption. The scheduler may take the CPU away from a process
//! that has not finished.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

use crate::{push_segment, Process, Segment};
use std::collections::VecDeque;

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
    let mut remaining: Vec<u64> = processes.iter().map(|p| p.burst).collect();
    let mut unfinished = processes.len();
    let mut timeline = Vec::new();
    let mut now = 0;
    while unfinished > 0 {
        let best = (0..processes.len())
            .filter(|&i| processes[i].arrival <= now && remaining[i] > 0)
            .min_by_key(|&i| (remaining[i], processes[i].arrival, processes[i].id));
        match best {
            Some(i) => {
                push_segment(&mut timeline, Some(processes[i].id), now, now + 1);
                remaining[i] -= 1;
                if remaining[i] == 0 {
                    unfinished -= 1;
                }
                now += 1;
            }
            None => {
                now = (0..processes.len())
                    .filter(|&i| remaining[i] > 0)
                    .map(|i| processes[i].arrival)
                    .min()
                    .unwrap_or(now);
            }
        }
    }
    timeline
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
    assert!(quantum >= 1, "the quantum must be at least 1");
    let mut order = processes.to_vec();
    order.sort_by_key(|p| (p.arrival, p.id));
    let mut remaining: Vec<u64> = order.iter().map(|p| p.burst).collect();
    let mut next_arrival = 0; // index into `order` of the next process to arrive
    let mut queue: VecDeque<usize> = VecDeque::new();
    let mut timeline = Vec::new();
    let mut now = 0;

    loop {
        while next_arrival < order.len() && order[next_arrival].arrival <= now {
            queue.push_back(next_arrival);
            next_arrival += 1;
        }
        let Some(i) = queue.pop_front() else {
            if next_arrival == order.len() {
                break;
            }
            now = order[next_arrival].arrival;
            continue;
        };
        let slice = remaining[i].min(quantum);
        push_segment(&mut timeline, Some(order[i].id), now, now + slice);
        now += slice;
        remaining[i] -= slice;
        // Arrivals during the slice, or exactly at its end, queue first.
        while next_arrival < order.len() && order[next_arrival].arrival <= now {
            queue.push_back(next_arrival);
            next_arrival += 1;
        }
        if remaining[i] > 0 {
            queue.push_back(i);
        }
    }
    timeline
}
