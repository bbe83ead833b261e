//! Stage 4: preemptive priority scheduling with aging.

mod common;

use common::{
    check_invariants_on_random_workloads, check_schedule_vector, random_workload, show, Rng,
    RANDOM_RUNS,
};
use scheduler_emulator::{fcfs, priority_aging, Algorithm, Process};

/// An aging interval no test workload comes close to: effectively no aging.
const NO_AGING: u64 = 1_000_000;

#[test]
fn stage4_priority_preempts_on_strictly_better_priority() {
    check_schedule_vector("priority_no_aging.json");
}

#[test]
fn stage4_aging_lets_a_low_priority_process_through() {
    check_schedule_vector("priority_aging_beats_starvation.json");
}

#[test]
fn stage4_aging_with_equal_priorities_and_reset_on_preemption() {
    check_schedule_vector("priority_aging_equal.json");
}

#[test]
fn stage4_empty_workload_gives_empty_timeline() {
    assert!(priority_aging(&[], 3).is_empty());
}

#[test]
fn stage4_invariants_on_random_workloads() {
    for aging_interval in [1, 3, NO_AGING] {
        check_invariants_on_random_workloads(
            &Algorithm::Priority { aging_interval },
            0x9A + aging_interval,
        );
    }
}

#[test]
fn stage4_equal_priorities_without_aging_is_fcfs() {
    let mut rng = Rng::new(41);
    for _ in 0..RANDOM_RUNS {
        let processes: Vec<Process> = random_workload(&mut rng)
            .into_iter()
            .map(|p| Process { priority: 2, ..p })
            .collect();
        assert_eq!(
            priority_aging(&processes, NO_AGING),
            fcfs(&processes),
            "{processes:?}"
        );
    }
}

#[test]
fn stage4_without_aging_the_most_important_ready_process_runs() {
    // At every tick, no ready process may have a strictly better (smaller)
    // priority than the one on the CPU.
    let mut rng = Rng::new(42);
    for _ in 0..RANDOM_RUNS {
        let processes = random_workload(&mut rng);
        let timeline = priority_aging(&processes, NO_AGING);
        let completion = |id: u32| {
            timeline
                .iter()
                .filter(|s| s.pid == Some(id))
                .map(|s| s.end)
                .max()
                .unwrap()
        };
        for seg in &timeline {
            let Some(pid) = seg.pid else { continue };
            let running = processes.iter().find(|p| p.id == pid).unwrap();
            for t in seg.start..seg.end {
                let better = processes.iter().find(|p| {
                    p.arrival <= t && t < completion(p.id) && p.priority < running.priority
                });
                assert!(
                    better.is_none(),
                    "tick {t}: P{pid} (priority {}) runs while {:?} is ready\n  {}",
                    running.priority,
                    better,
                    show(&timeline)
                );
            }
        }
    }
}

#[test]
fn stage4_aging_rescues_a_starving_process() {
    // P1 (priority 4) arrives at 0 together with a stream of priority-0
    // processes P2..P21 (burst 2, one arriving every 2 ticks), so a
    // priority-0 process is always ready.
    //
    // Without aging P1 runs only after the stream: 40-42.
    //
    // With aging interval 3, P1's effective priority is 4 - t/3: 4 at t=2,
    // 3 at t=4, 2 at t=6 and t=8, 1 at t=10, 0 at t=12. The stream processes
    // run with priority 0, so P1 cannot preempt them (0 is not below 0), but
    // at t=12 P7 completes and P1 (effective 0, arrival 0) beats P8
    // (priority 0, arrival 12) on arrival: P1 runs 12-14.
    let mut processes = vec![Process::new(1, 0, 2, 4)];
    for k in 0..20u32 {
        processes.push(Process::new(k + 2, 2 * u64::from(k), 2, 0));
    }
    let completion = |timeline: &[scheduler_emulator::Segment]| {
        timeline
            .iter()
            .filter(|s| s.pid == Some(1))
            .map(|s| s.end)
            .max()
            .unwrap()
    };
    let starving = priority_aging(&processes, NO_AGING);
    assert_eq!(
        completion(&starving),
        42,
        "without aging: {}",
        show(&starving)
    );
    let aged = priority_aging(&processes, 3);
    assert_eq!(
        completion(&aged),
        14,
        "with aging interval 3: {}",
        show(&aged)
    );
}
