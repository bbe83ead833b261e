//! Stage 5: the multi-level feedback queue (MLFQ).
//!
//! MLFQ does not know burst times in advance. It *learns* them: every process
//! starts as "probably short" at the top level and is demoted each time it
//! uses up its allotment. A periodic boost stops long jobs from starving.
//!
//! The stage 2 rules still hold: any input order, idle until the next arrival
//! when nothing is ready, the timeline ends at the last completion, and an
//! empty workload gives an empty timeline.

// The `allow` silences the "unused import" warning until your code calls
// `push_segment`; delete that line once it does.
#[allow(unused_imports)]
use crate::push_segment;
use crate::{Process, Segment};

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
    let _ = (processes, config);
    todo!()
}
