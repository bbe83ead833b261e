//! Stage 5: the multi-level feedback queue.

mod common;

use common::{
    check_invariants_on_random_workloads, check_schedule_vector, random_workload, show, Rng,
    RANDOM_RUNS,
};
use scheduler_emulator::{mlfq, round_robin, Algorithm, MlfqConfig};

#[test]
fn stage5_mlfq_demotion_and_preemption() {
    check_schedule_vector("mlfq_demotion_and_preemption.json");
}

#[test]
fn stage5_mlfq_boost_lifts_a_waiting_process() {
    check_schedule_vector("mlfq_boost_lifts_waiting.json");
}

#[test]
fn stage5_mlfq_boost_keeps_the_running_process() {
    check_schedule_vector("mlfq_boost_running.json");
}

#[test]
fn stage5_mlfq_boost_concatenates_levels_in_order() {
    check_schedule_vector("mlfq_boost_order.json");
}

#[test]
fn stage5_empty_workload_gives_empty_timeline() {
    assert!(mlfq(&[], &MlfqConfig::default()).is_empty());
}

#[test]
fn stage5_invariants_on_random_workloads() {
    let configs = [
        MlfqConfig {
            quanta: vec![2, 4, 8],
            boost_interval: Some(20),
        },
        MlfqConfig {
            quanta: vec![1, 2],
            boost_interval: None,
        },
        MlfqConfig {
            quanta: vec![3],
            boost_interval: None,
        },
        MlfqConfig {
            quanta: vec![1, 1, 1],
            boost_interval: Some(3),
        },
        MlfqConfig {
            quanta: vec![2, 3],
            boost_interval: Some(1),
        },
    ];
    for (i, config) in configs.into_iter().enumerate() {
        check_invariants_on_random_workloads(&Algorithm::Mlfq(config), 0x3F0 + i as u64);
    }
}

#[test]
fn stage5_one_level_without_boost_is_round_robin() {
    let mut rng = Rng::new(51);
    for quantum in 1..=4u64 {
        for _ in 0..RANDOM_RUNS {
            let processes = random_workload(&mut rng);
            let config = MlfqConfig {
                quanta: vec![quantum],
                boost_interval: None,
            };
            assert_eq!(
                mlfq(&processes, &config),
                round_robin(&processes, quantum),
                "quantum {quantum}: {processes:?}"
            );
        }
    }
}

#[test]
fn stage5_response_time_is_bounded_by_the_top_quantum() {
    // Without boosts, a new process waits at level 0, where every other
    // process can spend at most quanta[0] ticks in total. So nobody waits
    // longer than quanta[0] * (n - 1) ticks for its first run.
    let mut rng = Rng::new(52);
    for top in [1u64, 2, 3] {
        for _ in 0..RANDOM_RUNS {
            let processes = random_workload(&mut rng);
            let config = MlfqConfig {
                quanta: vec![top, 4, 8],
                boost_interval: None,
            };
            let timeline = mlfq(&processes, &config);
            let bound = top * (processes.len() as u64 - 1);
            for p in &processes {
                let first = timeline.iter().find(|s| s.pid == Some(p.id)).unwrap().start;
                let waited = first.saturating_sub(p.arrival);
                assert!(
                    waited <= bound,
                    "P{} waited {waited} ticks for its first run (bound {bound})\n  {}\n  {processes:?}",
                    p.id,
                    show(&timeline)
                );
            }
        }
    }
}
