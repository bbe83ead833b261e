//! Stage 3: a worker pool, partitioned by sensor, whose results equal the sequential baseline.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::{join, run_with_timeout, wait_until};
use concurrent_processor::{
    aggregate_sequential, generate, process_parallel, worker_for, Observer, Pipeline,
    PipelineConfig, PipelineError, Reading, SensorConfig,
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

#[test]
fn stage3_worker_for_partitions_by_sensor_id() {
    assert_eq!(worker_for(0, 4), 0);
    assert_eq!(worker_for(5, 4), 1);
    assert_eq!(worker_for(7, 4), 3);
    assert_eq!(worker_for(8, 4), 0);
    assert_eq!(worker_for(12, 1), 0);
    assert_eq!(worker_for(2, 8), 2);
}

#[test]
fn stage3_invalid_config_is_rejected() {
    let err = |cfg| Pipeline::start(cfg).err();
    let ok = pipeline_config(2, 4);
    assert_eq!(
        err(PipelineConfig { workers: 0, ..ok }),
        Some(PipelineError::InvalidConfig("workers"))
    );
    assert_eq!(
        err(PipelineConfig {
            queue_capacity: 0,
            ..ok
        }),
        Some(PipelineError::InvalidConfig("queue_capacity"))
    );
    assert_eq!(
        err(PipelineConfig { window_ms: 0, ..ok }),
        Some(PipelineError::InvalidConfig("window_ms"))
    );
    assert_eq!(
        err(PipelineConfig {
            workers: 0,
            queue_capacity: 0,
            window_ms: 0
        }),
        Some(PipelineError::InvalidConfig("workers")),
        "fields are checked in the order workers, queue_capacity, window_ms"
    );
}

#[test]
fn stage3_one_worker_matches_the_sequential_baseline() {
    run_with_timeout("one worker", 20, || {
        let readings = sensors(11, 4, 500);
        let expected = aggregate_sequential(&readings, WINDOW_MS);
        let report = process_parallel(readings, pipeline_config(1, 8)).expect("pipeline failed");
        assert_eq!(report.processed_per_worker, vec![2_000]);
        assert_eq!(report.windows, expected);
    });
}

#[test]
fn stage3_parallel_equals_sequential_on_200k_readings() {
    run_with_timeout("200k readings", 60, || {
        // 16 sensors x 12_500 readings = 200_000 readings, 125 windows per sensor.
        let readings = sensors(2024, 16, 12_500);
        assert_eq!(readings.len(), 200_000);
        let expected = aggregate_sequential(&readings, WINDOW_MS);
        assert_eq!(expected.len(), 16 * 125);

        for workers in [4, 3] {
            let report = process_parallel(readings.iter().copied(), pipeline_config(workers, 64))
                .expect("pipeline failed");
            assert_eq!(
                report.total_processed(),
                200_000,
                "{workers} workers: every reading processed"
            );
            assert_eq!(report.processed_per_worker.len(), workers);
            // Sensor s goes to worker s % workers, and each sensor has 12_500 readings.
            for (w, &n) in report.processed_per_worker.iter().enumerate() {
                let sensors_of_w = (0..16).filter(|s| s % workers == w).count() as u64;
                assert_eq!(
                    n,
                    sensors_of_w * 12_500,
                    "{workers} workers: worker {w} processed {n}"
                );
            }
            if report.windows != expected {
                let wrong = expected
                    .iter()
                    .find(|(k, v)| report.windows.get(k) != Some(v))
                    .map(|(k, v)| {
                        format!("{k:?}: expected {v:?}, got {:?}", report.windows.get(k))
                    });
                panic!(
                    "{workers} workers: parallel result differs from the sequential baseline \
                     ({} windows vs {}); first difference: {}",
                    report.windows.len(),
                    expected.len(),
                    wrong.unwrap_or_else(|| "an extra window".to_string())
                );
            }
        }
    });
}

#[test]
fn stage3_each_sensor_is_handled_by_exactly_one_worker() {
    run_with_timeout("routing", 20, || {
        let workers = 3;
        let seen: Arc<Mutex<HashSet<(usize, u32)>>> = Arc::default();
        let observer: Observer = {
            let seen = Arc::clone(&seen);
            Arc::new(move |worker, r: &Reading| {
                seen.lock().unwrap().insert((worker, r.sensor_id));
            })
        };
        let pipeline =
            Pipeline::start_with_observer(pipeline_config(workers, 8), observer).unwrap();
        assert_eq!(pipeline.workers(), workers);
        for r in sensors(3, 10, 200) {
            pipeline.submit(r).unwrap();
        }
        let report = pipeline.shutdown().unwrap();
        assert_eq!(report.total_processed(), 2_000);

        let seen = seen.lock().unwrap();
        let mut worker_of_sensor = BTreeMap::new();
        for &(worker, sensor) in seen.iter() {
            assert_eq!(
                worker,
                worker_for(sensor, workers),
                "sensor {sensor} was processed by worker {worker}"
            );
            worker_of_sensor.insert(sensor, worker);
        }
        assert_eq!(worker_of_sensor.len(), 10, "every sensor was observed");
    });
}

#[test]
fn stage3_more_workers_than_sensors() {
    run_with_timeout("idle workers", 20, || {
        let readings = sensors(8, 3, 400);
        let expected = aggregate_sequential(&readings, WINDOW_MS);
        let report = process_parallel(readings, pipeline_config(8, 4)).unwrap();
        assert_eq!(
            report.processed_per_worker,
            vec![400, 400, 400, 0, 0, 0, 0, 0]
        );
        assert_eq!(report.windows, expected);
    });
}

#[test]
fn stage3_backpressure_reaches_the_producer() {
    run_with_timeout("pipeline backpressure", 20, || {
        const CAPACITY: usize = 4;
        // Workers wait at this gate before aggregating anything.
        let open = Arc::new(AtomicBool::new(false));
        let observer: Observer = {
            let open = Arc::clone(&open);
            Arc::new(move |_, _: &Reading| {
                while !open.load(Ordering::SeqCst) {
                    thread::sleep(Duration::from_millis(1));
                }
            })
        };
        let pipeline = Arc::new(
            Pipeline::start_with_observer(pipeline_config(2, CAPACITY), observer).unwrap(),
        );
        let submitted = Arc::new(AtomicUsize::new(0));
        // One sensor only, so every reading goes to worker 0.
        let readings = sensors(4, 1, 50);
        let producer = {
            let (pipeline, submitted) = (Arc::clone(&pipeline), Arc::clone(&submitted));
            thread::spawn(move || {
                for r in readings {
                    pipeline.submit(r).unwrap();
                    submitted.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        // Worker 0 holds one reading (stuck at the gate) and its queue holds CAPACITY more.
        wait_until(
            "the producer has submitted CAPACITY + 1 readings",
            5,
            || submitted.load(Ordering::SeqCst) > CAPACITY,
        );
        thread::sleep(Duration::from_millis(200));
        assert_eq!(
            submitted.load(Ordering::SeqCst),
            CAPACITY + 1,
            "with the worker stuck, submit must block once its queue is full"
        );

        open.store(true, Ordering::SeqCst);
        join(producer);
        let pipeline = Arc::try_unwrap(pipeline)
            .ok()
            .expect("producer finished, one owner left");
        let report = pipeline.shutdown().unwrap();
        assert_eq!(report.processed_per_worker, vec![50, 0]);
    });
}
