//! Throughput of the pipeline with 1, 2, 4 and 8 workers on a fixed, seeded input.
//!
//! Run it in release mode (debug builds are 10-50x slower and measure the wrong thing):
//!
//! ```text
//! cargo run --release --example throughput
//! cargo run --release --example throughput -- 4000000 256   # readings, queue capacity
//! ```
//!
//! Two tables:
//!
//! - **light**: each reading only goes into its window (a hash-map lookup and a push, tens of
//!   nanoseconds). Handing a reading to another thread costs more than that.
//! - **heavy**: the workers also spend a fixed amount of CPU time on each reading (standing in for
//!   parsing, validation, enrichment...), done through the pipeline's observer hook. This is the
//!   case a worker pool is for.

use std::env;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use concurrent_processor::{
    aggregate_sequential, generate, process_parallel, Aggregator, Observer, Pipeline,
    PipelineConfig, Reading, SensorConfig,
};

const SENSORS: u32 = 64;
const WINDOW_MS: u64 = 1_000;
const RUNS: usize = 3;
/// Rounds of mixing per reading in the heavy table (one to a few microseconds, by CPU).
const HEAVY_ROUNDS: u32 = 400;
/// The heavy table uses this fraction of the light table's readings, to keep the run short.
const HEAVY_FRACTION: u64 = 8;

fn arg(position: usize, default: u64) -> u64 {
    env::args()
        .nth(position)
        .map(|a| {
            a.parse()
                .unwrap_or_else(|_| panic!("argument {position} must be a number, got {a:?}"))
        })
        .unwrap_or(default)
}

/// Runs `f` RUNS times and keeps the fastest time: the one least disturbed by other programs.
fn best_of<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = f();
        let elapsed = start.elapsed();
        let faster = match &best {
            None => true,
            Some((fastest, _)) => elapsed < *fastest,
        };
        if faster {
            best = Some((elapsed, out));
        }
    }
    best.expect("RUNS is at least 1")
}

/// CPU work that the optimiser cannot remove: mix the reading's bits `HEAVY_ROUNDS` times.
fn busy_work(r: &Reading) {
    let mut x = r.value as u64 ^ r.seq;
    for _ in 0..HEAVY_ROUNDS {
        x = (x ^ (x >> 31))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(17);
    }
    black_box(x);
}

fn readings(total: u64) -> Vec<Reading> {
    generate(SensorConfig {
        seed: 42,
        sensors: SENSORS,
        readings_per_sensor: total / u64::from(SENSORS),
        interval_ms: 10,
    })
}

fn header(title: &str) {
    println!();
    println!("{title}");
    println!(
        "{:<12} {:>10} {:>14} {:>9}",
        "mode", "time (ms)", "readings/s", "speed-up"
    );
}

fn row(mode: &str, n: usize, time: Duration, sequential: Duration) {
    println!(
        "{:<12} {:>10.1} {:>14.0} {:>8.2}x",
        mode,
        time.as_secs_f64() * 1e3,
        n as f64 / time.as_secs_f64(),
        sequential.as_secs_f64() / time.as_secs_f64()
    );
}

fn workers_label(workers: usize) -> String {
    format!("{workers} worker{}", if workers == 1 { "" } else { "s" })
}

fn config(workers: usize, queue_capacity: usize) -> PipelineConfig {
    PipelineConfig {
        workers,
        queue_capacity,
        window_ms: WINDOW_MS,
    }
}

fn main() {
    let total = arg(1, 2_000_000);
    let queue_capacity = arg(2, 1_024) as usize;
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "{SENSORS} sensors, window {WINDOW_MS} ms, queue capacity {queue_capacity}, \
         {cores} hardware threads, best of {RUNS} runs"
    );

    // Light: aggregation only.
    let light = readings(total);
    let n = light.len();
    let (seq_time, baseline) = best_of(|| aggregate_sequential(&light, WINDOW_MS));
    header(&format!("light: {n} readings, aggregation only"));
    row("sequential", n, seq_time, seq_time);
    for workers in [1, 2, 4, 8] {
        // `iter().copied()` copies each 32-byte reading as it is submitted, so every run reuses
        // the same input vector.
        let (time, report) = best_of(|| {
            process_parallel(light.iter().copied(), config(workers, queue_capacity))
                .expect("pipeline failed")
        });
        assert_eq!(
            report.windows, baseline,
            "parallel result must equal the baseline"
        );
        row(&workers_label(workers), n, time, seq_time);
    }

    // Heavy: the same aggregation plus busy_work on every reading.
    let heavy = readings(total / HEAVY_FRACTION);
    let n = heavy.len();
    let (seq_time, baseline) = best_of(|| {
        let mut aggregator = Aggregator::new(WINDOW_MS);
        for r in &heavy {
            busy_work(r);
            aggregator.add(r);
        }
        aggregator.finish()
    });
    header(&format!(
        "heavy: {n} readings, aggregation + {HEAVY_ROUNDS} mixing rounds ({:.2} us) per reading",
        seq_time.as_secs_f64() * 1e6 / n as f64
    ));
    row("sequential", n, seq_time, seq_time);
    for workers in [1, 2, 4, 8] {
        let (time, report) = best_of(|| {
            let observer: Observer = Arc::new(|_, r: &Reading| busy_work(r));
            let pipeline = Pipeline::start_with_observer(config(workers, queue_capacity), observer)
                .expect("valid config");
            for r in &heavy {
                pipeline.submit(*r).expect("no worker panics here");
            }
            pipeline.shutdown().expect("no worker panics here")
        });
        assert_eq!(
            report.windows, baseline,
            "parallel result must equal the baseline"
        );
        row(&workers_label(workers), n, time, seq_time);
    }
}
