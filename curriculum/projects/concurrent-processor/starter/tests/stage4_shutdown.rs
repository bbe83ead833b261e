//! Stage 4: closing the input drains everything; every reading is counted exactly once; no
//! deadlock. Every test runs under a timeout, so a hang fails with a message instead of
//! freezing `cargo test`.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::run_with_timeout;
use concurrent_processor::{
    aggregate_sequential, generate, Observer, Pipeline, PipelineConfig, Reading, SensorConfig,
};

const WINDOW_MS: u64 = 1_000;

fn pipeline_config(workers: usize, queue_capacity: usize) -> PipelineConfig {
    PipelineConfig {
        workers,
        queue_capacity,
        window_ms: WINDOW_MS,
    }
}

fn sensors(seed: u64, sensors: u32, readings_per_sensor: u64) -> Vec<Reading> {
    generate(SensorConfig {
        seed,
        sensors,
        readings_per_sensor,
        interval_ms: 10,
    })
}

/// `(sensor_id, seq)` of every reading the workers took, in the order they took them.
type Log = Arc<Mutex<Vec<(u32, u64)>>>;

/// An observer that records `(sensor_id, seq)` of every reading a worker takes.
fn recorder() -> (Observer, Log) {
    let log: Log = Arc::default();
    let observer: Observer = {
        let log = Arc::clone(&log);
        Arc::new(move |_, r: &Reading| log.lock().unwrap().push((r.sensor_id, r.seq)))
    };
    (observer, log)
}

/// Checks that `log` holds every `(sensor, seq)` with `sensor < sensors` and
/// `seq < per_sensor` exactly once, and that each sensor's sequence numbers were seen in order.
fn assert_exactly_once_in_order(log: &[(u32, u64)], sensors: u32, per_sensor: u64) {
    let mut next_seq: BTreeMap<u32, u64> = BTreeMap::new();
    for &(sensor, seq) in log {
        let expected = next_seq.entry(sensor).or_insert(0);
        assert!(
            seq >= *expected,
            "sensor {sensor}: seq {seq} processed twice or out of order (expected {expected})"
        );
        assert_eq!(
            seq, *expected,
            "sensor {sensor}: seq {expected} was lost (next seen: {seq})"
        );
        *expected += 1;
    }
    for sensor in 0..sensors {
        let seen = next_seq.get(&sensor).copied().unwrap_or(0);
        assert_eq!(
            seen, per_sensor,
            "sensor {sensor}: {seen} of {per_sensor} readings processed"
        );
    }
    assert_eq!(log.len() as u64, u64::from(sensors) * per_sensor);
}

#[test]
fn stage4_shutdown_without_any_input() {
    run_with_timeout("shutdown of an idle pipeline", 10, || {
        let pipeline = Pipeline::start(pipeline_config(4, 8)).unwrap();
        let report = pipeline
            .shutdown()
            .expect("an idle pipeline shuts down cleanly");
        assert!(report.windows.is_empty());
        assert_eq!(report.processed_per_worker, vec![0, 0, 0, 0]);
    });
}

#[test]
fn stage4_every_reading_is_processed_exactly_once() {
    run_with_timeout("exactly once", 30, || {
        let readings = sensors(77, 12, 5_000);
        let expected = aggregate_sequential(&readings, WINDOW_MS);
        let (observer, log) = recorder();
        let pipeline = Pipeline::start_with_observer(pipeline_config(4, 16), observer).unwrap();
        for r in readings {
            pipeline.submit(r).unwrap();
        }
        let report = pipeline.shutdown().unwrap();

        assert_exactly_once_in_order(&log.lock().unwrap(), 12, 5_000);
        assert_eq!(report.total_processed(), 60_000);
        let counted: u64 = report.windows.values().map(|s| s.count).sum();
        assert_eq!(
            counted, 60_000,
            "every reading counted in exactly one window"
        );
        assert_eq!(report.windows, expected);
    });
}

#[test]
fn stage4_shutdown_drains_full_queues() {
    run_with_timeout("drain on shutdown", 30, || {
        // Workers are slow at first, so the queues are full when shutdown is called.
        let slow_left = Arc::new(AtomicUsize::new(40));
        let (record, log) = recorder();
        let observer: Observer = {
            let slow_left = Arc::clone(&slow_left);
            Arc::new(move |worker, r: &Reading| {
                let was = slow_left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                if was.is_ok() {
                    thread::sleep(Duration::from_millis(5));
                }
                record(worker, r);
            })
        };
        let pipeline = Pipeline::start_with_observer(pipeline_config(2, 32), observer).unwrap();
        for r in sensors(9, 4, 500) {
            pipeline.submit(r).unwrap();
        }
        // Shut down right after the last submit: up to 2 x 32 readings are still queued.
        let report = pipeline.shutdown().unwrap();
        assert_eq!(report.processed_per_worker, vec![1_000, 1_000]);
        assert_exactly_once_in_order(&log.lock().unwrap(), 4, 500);
    });
}

#[test]
fn stage4_many_producers_share_one_pipeline() {
    run_with_timeout("many producers", 30, || {
        const PRODUCERS: u32 = 4;
        let readings = sensors(31, 16, 1_000);
        let expected = aggregate_sequential(&readings, WINDOW_MS);
        let (observer, log) = recorder();
        let pipeline = Pipeline::start_with_observer(pipeline_config(3, 8), observer).unwrap();

        // Producer p submits the readings of sensors p, p + 4, p + 8, ... in their original order,
        // so each sensor's readings still arrive in sequence. `thread::scope` lets the threads
        // borrow `pipeline` and `readings`: they are all joined before the scope ends.
        thread::scope(|scope| {
            for p in 0..PRODUCERS {
                let (pipeline, readings) = (&pipeline, &readings);
                scope.spawn(move || {
                    for r in readings.iter().filter(|r| r.sensor_id % PRODUCERS == p) {
                        pipeline.submit(*r).unwrap();
                    }
                });
            }
        });
        let report = pipeline.shutdown().unwrap();
        assert_exactly_once_in_order(&log.lock().unwrap(), 16, 1_000);
        assert_eq!(report.total_processed(), 16_000);
        assert_eq!(report.windows, expected);
    });
}
