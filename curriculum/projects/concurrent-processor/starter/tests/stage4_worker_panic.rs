//! Stage 4 (continued): a worker that panics is reported, and nothing hangs.
//!
//! The observer below panics on purpose on one reading ("injected failure"). Those panic messages
//! are hidden; any other panic (an assertion, a `todo!()`) is printed as usual.

mod common;

use std::panic;
use std::sync::{Arc, Once};

use common::run_with_timeout;
use concurrent_processor::{
    generate, Observer, Pipeline, PipelineConfig, PipelineError, Reading, SensorConfig,
};

const INJECTED: &str = "injected failure";

fn hide_injected_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if !message.contains(INJECTED) {
                default_hook(info);
            }
        }));
    });
}

/// An observer that panics when it sees `(sensor_id, seq)`.
fn failing_at(sensor_id: u32, seq: u64) -> Observer {
    Arc::new(move |_, r: &Reading| {
        if r.sensor_id == sensor_id && r.seq == seq {
            panic!("{INJECTED} at sensor {sensor_id} seq {seq}");
        }
    })
}

fn readings() -> Vec<Reading> {
    // Sensors 0..4 with 3 workers: worker 0 gets sensors 0 and 3, worker 1 sensor 1, worker 2 sensor 2.
    generate(SensorConfig {
        seed: 13,
        sensors: 4,
        readings_per_sensor: 1_000,
        interval_ms: 10,
    })
}

fn config() -> PipelineConfig {
    PipelineConfig {
        workers: 3,
        queue_capacity: 8,
        window_ms: 1_000,
    }
}

#[test]
fn stage4_a_panicking_worker_is_reported_not_hung() {
    hide_injected_panics();
    run_with_timeout("worker panic", 20, || {
        let pipeline = Pipeline::start_with_observer(config(), failing_at(1, 100)).unwrap();
        let mut first_error = None;
        for r in readings() {
            if let Err(e) = pipeline.submit(r) {
                first_error = Some(e);
                break;
            }
        }
        // Worker 1 died on sensor 1's reading 100. Its queue can hold only 8 more, so with 900
        // readings of sensor 1 still to come, a submit to worker 1 must fail, not block forever.
        assert_eq!(first_error, Some(PipelineError::WorkerDied { worker: 1 }));
        assert_eq!(
            pipeline.shutdown(),
            Err(PipelineError::WorkerPanicked { worker: 1 })
        );
    });
}

#[test]
fn stage4_other_workers_keep_going_after_a_panic() {
    hide_injected_panics();
    run_with_timeout("survivors", 20, || {
        let pipeline = Pipeline::start_with_observer(config(), failing_at(2, 0)).unwrap();
        let mut accepted = [0u64; 4];
        for r in readings() {
            match pipeline.submit(r) {
                Ok(()) => accepted[r.sensor_id as usize] += 1,
                Err(e) => assert_eq!(
                    e,
                    PipelineError::WorkerDied { worker: 2 },
                    "only worker 2 (sensor 2) may refuse readings"
                ),
            }
        }
        assert_eq!(accepted[0], 1_000, "sensor 0 (worker 0) is unaffected");
        assert_eq!(accepted[1], 1_000, "sensor 1 (worker 1) is unaffected");
        assert_eq!(accepted[3], 1_000, "sensor 3 (worker 0) is unaffected");
        assert!(accepted[2] < 1_000, "worker 2 died on its first reading");
        assert_eq!(
            pipeline.shutdown(),
            Err(PipelineError::WorkerPanicked { worker: 2 })
        );
    });
}
