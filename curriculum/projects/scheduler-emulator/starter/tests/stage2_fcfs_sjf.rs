//! Stage 2: non-preemptive scheduling, FCFS and SJF.

mod common;

use common::{
    check_invariants_on_random_workloads, check_schedule_vector, random_workload, Rng, RANDOM_RUNS,
};
use scheduler_emulator::{fcfs, sjf, Algorithm, Process};
use std::process::Command;

#[test]
fn stage2_fcfs_convoy() {
    check_schedule_vector("fcfs_convoy.json");
}

#[test]
fn stage2_fcfs_idle_gaps() {
    check_schedule_vector("fcfs_idle_gaps.json");
}

#[test]
fn stage2_sjf_convoy() {
    check_schedule_vector("sjf_convoy.json");
}

#[test]
fn stage2_sjf_ties() {
    check_schedule_vector("sjf_ties.json");
}

#[test]
fn stage2_empty_workload_gives_empty_timeline() {
    assert!(fcfs(&[]).is_empty());
    assert!(sjf(&[]).is_empty());
}

#[test]
fn stage2_fcfs_invariants_on_random_workloads() {
    check_invariants_on_random_workloads(&Algorithm::Fcfs, 0xF0F5);
}

#[test]
fn stage2_sjf_invariants_on_random_workloads() {
    check_invariants_on_random_workloads(&Algorithm::Sjf, 0x5F1);
}

#[test]
fn stage2_fcfs_runs_each_process_once_in_arrival_then_id_order() {
    let mut rng = Rng::new(21);
    for _ in 0..RANDOM_RUNS {
        let processes = random_workload(&mut rng);
        let mut want: Vec<&Process> = processes.iter().collect();
        want.sort_by_key(|p| (p.arrival, p.id));
        let want: Vec<u32> = want.iter().map(|p| p.id).collect();
        let got: Vec<u32> = fcfs(&processes).iter().filter_map(|s| s.pid).collect();
        assert_eq!(got, want, "run order for {processes:?}");
    }
}

#[test]
fn stage2_sjf_never_preempts_and_is_fcfs_when_bursts_are_equal() {
    let mut rng = Rng::new(22);
    for _ in 0..RANDOM_RUNS {
        let processes = random_workload(&mut rng);
        let runs: Vec<u32> = sjf(&processes).iter().filter_map(|s| s.pid).collect();
        let mut sorted = runs.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            runs.len(),
            "a process ran in two pieces: {processes:?}"
        );

        let same_burst: Vec<Process> = processes
            .iter()
            .map(|p| Process { burst: 3, ..*p })
            .collect();
        assert_eq!(
            sjf(&same_burst),
            fcfs(&same_burst),
            "equal bursts: {same_burst:?}"
        );
    }
}

#[test]
fn stage2_cli_prints_chart_and_metrics() {
    let vector = common::load_vector("fcfs_convoy.json");
    let path = common::vectors_dir().join("fcfs_convoy.json");
    let output = Command::new(env!("CARGO_BIN_EXE_scheduler-emulator"))
        .arg(&path)
        .arg("fcfs")
        .output()
        .expect("run the CLI");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "CLI failed ({})\nstderr:\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("Timeline: P1 0-8, P2 8-10, P3 10-11, P4 11-14"),
        "timeline line missing:\n{stdout}"
    );
    for line in vector.expected.gantt.as_ref().unwrap() {
        assert!(
            stdout.contains(line.as_str()),
            "chart line {line:?} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("context switches: 3"),
        "switch count missing:\n{stdout}"
    );
    assert!(
        stdout.contains("CPU utilisation: 100.0%"),
        "utilisation missing:\n{stdout}"
    );
}
