//! Concurrent Data Processor.
//!
//! Simulated sensors produce readings; a pool of worker threads turns them into per-sensor,
//! per-time-window statistics. The pieces, in the order the stages build them:
//!
//! - [`sensor`]: a seeded pseudo-random generator and the simulated sensors (stage 1).
//! - [`stats`]: windows, the nearest-rank percentile and the sequential baseline (stage 1).
//! - [`queue`]: a bounded blocking queue built from a `Mutex` and two `Condvar`s (stage 2).
//! - [`pipeline`]: the worker pool, routing by sensor, and a clean shutdown (stages 3 and 4).
//!
//! Only the standard library is used. `pub mod x;` tells the compiler that module `x` lives in
//! `src/x.rs`; `pub use` re-exports names so tests can write `concurrent_processor::Reading`
//! instead of `concurrent_processor::sensor::Reading`.

pub mod pipeline;
pub mod queue;
pub mod sensor;
pub mod stats;

pub use pipeline::{
    process_parallel, worker_for, Observer, Pipeline, PipelineConfig, PipelineError, Report,
};
pub use queue::{BoundedQueue, Closed};
pub use sensor::{generate, Reading, SensorConfig, SensorSim, SplitMix64};
pub use stats::{
    aggregate_sequential, percentile_nearest_rank, window_start, Aggregator, WindowAccumulator,
    WindowKey, WindowStats,
};
