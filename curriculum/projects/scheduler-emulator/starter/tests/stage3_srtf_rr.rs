//! Stage 3: preemption, SRTF and round robin.

mod common;

use common::{
    check_invariants_on_random_workloads, check_schedule_vector, random_workload, show, Rng,
    RANDOM_RUNS,
};
use scheduler_emulator::{fcfs, round_robin, sjf, srtf, Algorithm, Process};

#[test]
fn stage3_srtf_convoy() {
    check_schedule_vector("srtf_convoy.json");
}

#[test]
fn stage3_srtf_idle_and_ties() {
    check_schedule_vector("srtf_idle_and_ties.json");
}

#[test]
fn stage3_srtf_tie_prefers_earlier_arrival() {
    check_schedule_vector("srtf_tie_prefers_earlier_arrival.json");
}

#[test]
fn stage3_rr_arrival_at_quantum_expiry_queues_first() {
    check_schedule_vector("rr_arrival_at_expiry.json");
}

#[test]
fn stage3_rr_lone_process_and_idle() {
    check_schedule_vector("rr_lone_process_and_idle.json");
}

#[test]
fn stage3_empty_workload_gives_empty_timeline() {
    assert!(srtf(&[]).is_empty());
    assert!(round_robin(&[], 2).is_empty());
}

#[test]
fn stage3_srtf_invariants_on_random_workloads() {
    check_invariants_on_random_workloads(&Algorithm::Srtf, 0x5127F);
}

#[test]
fn stage3_rr_invariants_on_random_workloads() {
    for quantum in [1, 2, 3, 5] {
        check_invariants_on_random_workloads(&Algorithm::RoundRobin { quantum }, 0xAA + quantum);
    }
}

#[test]
fn stage3_srtf_is_sjf_when_everything_arrives_at_once() {
    let mut rng = Rng::new(31);
    for _ in 0..RANDOM_RUNS {
        let processes: Vec<Process> = random_workload(&mut rng)
            .into_iter()
            .map(|p| Process { arrival: 4, ..p })
            .collect();
        assert_eq!(srtf(&processes), sjf(&processes), "{processes:?}");
    }
}

#[test]
fn stage3_rr_with_a_huge_quantum_is_fcfs() {
    let mut rng = Rng::new(32);
    for _ in 0..RANDOM_RUNS {
        let processes = random_workload(&mut rng);
        assert_eq!(
            round_robin(&processes, 1_000),
            fcfs(&processes),
            "{processes:?}"
        );
    }
}

#[test]
fn stage3_rr_slices_outlast_the_quantum_only_when_nobody_else_is_ready() {
    // A segment longer than the quantum means the process was re-dispatched
    // at each expiry inside it, which is only allowed when the queue was
    // empty: nobody else had arrived and was unfinished at that tick.
    let mut rng = Rng::new(33);
    for quantum in [1u64, 2, 3] {
        for _ in 0..RANDOM_RUNS {
            let processes = random_workload(&mut rng);
            let timeline = round_robin(&processes, quantum);
            let completion = |id: u32| {
                timeline
                    .iter()
                    .filter(|s| s.pid == Some(id))
                    .map(|s| s.end)
                    .max()
                    .unwrap()
            };
            for seg in timeline.iter().filter(|s| s.pid.is_some()) {
                let mut expiry = seg.start + quantum;
                while expiry < seg.end {
                    let waiting = processes.iter().find(|p| {
                        Some(p.id) != seg.pid && p.arrival <= expiry && expiry < completion(p.id)
                    });
                    assert!(
                        waiting.is_none(),
                        "quantum {quantum}: {seg} kept the CPU at {expiry} although {:?} was ready\n  {}\n  {processes:?}",
                        waiting,
                        show(&timeline)
                    );
                    expiry += quantum;
                }
            }
        }
    }
}
