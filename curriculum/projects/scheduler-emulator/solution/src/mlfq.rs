//! Stage 5: the multi-level feedback queue (MLFQ).
//!
//! MLFQ does not know burst times in advance. It *learns* them: every process
//! starts as "probably short" at the top level and is demoted each time it
//! uses up its allotment. A periodic boost stops long jobs from starving.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

use crate::{push_segment, Process, Segment};
use std::collections::VecDeque;

/// The shape of the queue. (Given; you do not need to change it.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlfqConfig {
    /// One entry per level, top level first: `quanta[k]` is the allotment, in
    /// ticks, a process may use at level `k` before it is demoted. At least
    /// one level; every quantum is at least 1.
    pub quanta: Vec<u64>,
    /// `Some(s)`: boost at every tick that is a positive multiple of `s`
    /// (s, 2s, 3s, ...). `None`: never boost.
    pub boost_interval: Option<u64>,
}

impl Default for MlfqConfig {
    /// Three levels with quanta 2, 4 and 8 ticks, boost every 20 ticks.
    fn default() -> Self {
        MlfqConfig {
            quanta: vec![2, 4, 8],
            boost_interval: Some(20),
        }
    }
}

/// Multi-level feedback queue scheduling.
///
/// Levels are numbered from 0 (the top, most important) to
/// `quanta.len() - 1` (the bottom). Each level is a FIFO queue. Each process
/// carries its `level` and `used`, the ticks it has run since it entered that
/// level.
///
/// **At every tick `now`, in this order:**
/// 1. *(the tick that just ended was accounted for: the running process's
///    remaining time went down by 1 and its `used` up by 1)*
/// 2. **Arrivals.** Processes arriving at `now` join the tail of level 0
///    (equal arrivals in ascending id order) with `used = 0`.
/// 3. **Completion or demotion** of the running process: if its remaining time
///    is 0 it completed at `now`. Otherwise, if `used == quanta[level]`, it
///    leaves the CPU and joins the tail of level `level + 1` (or the tail of
///    the bottom level again, if it is already there) with `used = 0`.
///    Because step 2 came first, with a single level this is exactly round
///    robin with its tie rule.
/// 4. **Preemption.** If a process is still running and some level above its
///    own (a smaller number) has a waiting process, it leaves the CPU and goes
///    to the **front** of its own level, keeping its `used`: next time it only
///    gets the rest of its allotment. (Only new arrivals can cause this.)
/// 5. **Boost.** If `now` is a positive multiple of the boost interval, every
///    process in the system moves to level 0 with `used = 0`. The new level 0
///    queue is the old levels concatenated: old level 0, then old level 1,
///    and so on, each in its own order. A running process is *not*
///    interrupted: it stays on the CPU, now at level 0 with `used = 0`.
/// 6. **Dispatch.** If the CPU is free, the process at the front of the
///    highest non-empty level gets it. If every level is empty, the CPU idles
///    until the next arrival.
/// 7. The process on the CPU runs for one tick.
///
/// Rust notes: a `Vec<VecDeque<usize>>` (one queue of indices per level)
/// works well; `push_front` puts a preempted process back at the front.
/// `(0..levels).find(|&l| !queues[l].is_empty())` finds the highest
/// non-empty level as an `Option<usize>`.
pub fn mlfq(processes: &[Process], config: &MlfqConfig) -> Vec<Segment> {
    let levels = config.quanta.len();
    assert!(levels >= 1, "MLFQ needs at least one level");
    assert!(
        config.quanta.iter().all(|&q| q >= 1),
        "every quantum must be at least 1"
    );
    assert!(
        config.boost_interval != Some(0),
        "the boost interval must be at least 1"
    );

    let mut order = processes.to_vec();
    order.sort_by_key(|p| (p.arrival, p.id));
    let n = order.len();
    let mut remaining: Vec<u64> = order.iter().map(|p| p.burst).collect();
    let mut level = vec![0usize; n];
    let mut used = vec![0u64; n];
    let mut queues: Vec<VecDeque<usize>> = vec![VecDeque::new(); levels];
    let mut next_arrival = 0;
    let mut running: Option<usize> = None;
    let mut unfinished = n;
    let mut timeline = Vec::new();
    let mut now = 0;

    while unfinished > 0 {
        // 2. Arrivals join the tail of level 0.
        while next_arrival < n && order[next_arrival].arrival <= now {
            level[next_arrival] = 0;
            used[next_arrival] = 0;
            queues[0].push_back(next_arrival);
            next_arrival += 1;
        }
        // 3. Completion or demotion.
        if let Some(r) = running {
            if remaining[r] == 0 {
                running = None;
                unfinished -= 1;
            } else if used[r] == config.quanta[level[r]] {
                level[r] = (level[r] + 1).min(levels - 1);
                used[r] = 0;
                queues[level[r]].push_back(r);
                running = None;
            }
        }
        if unfinished == 0 {
            break;
        }
        // 4. Preemption by a process waiting at a higher level.
        if let Some(r) = running {
            if (0..level[r]).any(|l| !queues[l].is_empty()) {
                queues[level[r]].push_front(r);
                running = None;
            }
        }
        // 5. Boost.
        if let Some(interval) = config.boost_interval {
            if now > 0 && now % interval == 0 {
                if let Some(r) = running {
                    level[r] = 0;
                    used[r] = 0;
                }
                let mut merged = VecDeque::new();
                for queue in queues.iter_mut() {
                    merged.extend(queue.drain(..));
                }
                for &i in &merged {
                    level[i] = 0;
                    used[i] = 0;
                }
                queues[0] = merged;
            }
        }
        // 6. Dispatch.
        if running.is_none() {
            running = (0..levels).find_map(|l| queues[l].pop_front());
        }
        // 7. Run one tick, or idle until the next arrival.
        match running {
            Some(r) => {
                push_segment(&mut timeline, Some(order[r].id), now, now + 1);
                remaining[r] -= 1;
                used[r] += 1;
                now += 1;
            }
            None => now = order[next_arrival].arrival,
        }
    }
    timeline
}
