//! The worker pool (stage 3) and its clean shutdown (stage 4).
//!
//! ```text
//!                         +-> queue 0 -> worker 0 (sensors 0, 4, 8, ...)  -+
//! producer(s) --submit----+-> queue 1 -> worker 1 (sensors 1, 5, 9, ...)  -+--> shutdown() merges
//!      (routes by sensor) +-> queue 2 -> worker 2 ...                      |    the disjoint maps
//!                         +-> queue 3 -> worker 3 ...                     -+    into one Report
//! ```
//!
//! **Partitioning, not merging.** Every reading of sensor `s` goes to worker
//! `worker_for(s, workers) = s % workers`, through that worker's own bounded queue. So one
//! sensor's windows are only ever touched by one thread, in the order the sensor produced them;
//! the per-worker result maps have disjoint keys and are combined by simple insertion. (The
//! alternative, one shared queue and merging partial statistics, needs every value of a window
//! at merge time for an exact p95; see the stretch goals in the brief.)
//!
//! **Shutdown.** Closing a queue is the "no more input" signal: a worker's `pop` returns `None`
//! once its queue is closed *and* drained, the worker returns its results, and `shutdown` joins
//! every worker thread.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crate::queue::BoundedQueue;
use crate::sensor::Reading;
use crate::stats::{Aggregator, WindowKey, WindowStats};

/// A callback every worker calls with its index and each reading it takes from its queue,
/// just before aggregating it. Tests use it to watch (or slow down, or break) the workers.
///
/// `dyn Fn(usize, &Reading)` is "any closure with this signature"; `Send + Sync` promise it can
/// be moved to and called from several threads at once; `Arc` shares one closure among all
/// workers (cloning an `Arc` copies a pointer and bumps a reference count, not the closure).
pub type Observer = Arc<dyn Fn(usize, &Reading) + Send + Sync>;

/// Shape of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipelineConfig {
    /// Number of worker threads, at least 1.
    pub workers: usize,
    /// Capacity of each worker's queue, at least 1.
    pub queue_capacity: usize,
    /// Window length for the statistics, at least 1.
    pub window_ms: u64,
}

/// What can go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineError {
    /// A config field is zero; the text names the field (`"workers"`, `"queue_capacity"` or
    /// `"window_ms"`).
    InvalidConfig(&'static str),
    /// `submit` could not hand the reading over: the worker it routes to has stopped (its queue
    /// is closed). Only happens after that worker panicked.
    WorkerDied { worker: usize },
    /// `shutdown` found that this worker thread panicked. With several, the lowest index.
    WorkerPanicked { worker: usize },
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::InvalidConfig(field) => {
                write!(f, "invalid config: {field} must be at least 1")
            }
            PipelineError::WorkerDied { worker } => write!(f, "worker {worker} has stopped"),
            PipelineError::WorkerPanicked { worker } => write!(f, "worker {worker} panicked"),
        }
    }
}

impl std::error::Error for PipelineError {}

/// The result of a whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Statistics of every window of every sensor, ordered by key.
    pub windows: BTreeMap<WindowKey, WindowStats>,
    /// `processed_per_worker[w]` = number of readings worker `w` took from its queue.
    pub processed_per_worker: Vec<u64>,
}

impl Report {
    /// Total number of readings processed by all workers.
    pub fn total_processed(&self) -> u64 {
        self.processed_per_worker.iter().sum()
    }
}

/// Which worker handles `sensor_id`: `sensor_id % workers`. `workers` is at least 1.
pub fn worker_for(sensor_id: u32, workers: usize) -> usize {
    sensor_id as usize % workers
}

/// What a worker thread returns when its queue is closed and drained.
struct WorkerOutput {
    windows: BTreeMap<WindowKey, WindowStats>,
    processed: u64,
}

/// A running pool of workers.
///
/// `Pipeline` is `Sync` (all its fields are), so several producer threads may call
/// [`submit`](Self::submit) on a shared `&Pipeline`, for example inside `std::thread::scope`.
pub struct Pipeline {
    /// `queues[w]` feeds worker `w`. Each queue is shared with its worker through an `Arc`.
    queues: Vec<Arc<BoundedQueue<Reading>>>,
    /// `handles[w]` joins worker `w`'s thread and yields what it returned.
    handles: Vec<JoinHandle<WorkerOutput>>,
}

/// Closes a queue when dropped.
///
/// Rust runs `drop` for every value going out of scope, *including while a panic unwinds the
/// stack*. A worker that holds one of these therefore closes its queue however it ends, and a
/// producer blocked on that full queue wakes up with an error instead of waiting forever.
struct CloseOnDrop(Arc<BoundedQueue<Reading>>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The body of worker `index`: pop until the queue is closed and drained (`pop` returns `None`),
/// calling the observer and then aggregating each reading; return the finished windows and the
/// number of readings taken. First thing, create a [`CloseOnDrop`] for the queue and keep it
/// alive until the end (`let _guard = ...;`, not `let _ = ...;`, which would drop it at once),
/// so the queue is closed however this function ends, panics included (stage 4).
fn run_worker(
    index: usize,
    queue: Arc<BoundedQueue<Reading>>,
    window_ms: u64,
    observer: Observer,
) -> WorkerOutput {
    let mut aggregator = Aggregator::new(window_ms);
    let mut processed = 0;
    while let Some(reading) = queue.pop() {
        observer(index, &reading);
        aggregator.add(&reading);
        processed += 1;
    }
    WorkerOutput {
        windows: aggregator.finish(),
        processed,
    }
}

impl Pipeline {
    /// Starts the pool with an observer that does nothing.
    pub fn start(config: PipelineConfig) -> Result<Pipeline, PipelineError> {
        Pipeline::start_with_observer(config, Arc::new(|_, _| {}))
    }

    /// Validates `config` (first zero field in the order workers, queue_capacity, window_ms
    /// gives `InvalidConfig`), then creates one queue and spawns one worker thread per worker.
    ///
    /// `thread::spawn(move || ...)` runs the closure on a new thread; `move` makes the closure
    /// own what it uses (here its clone of the queue's `Arc` and of the observer), as a thread
    /// may outlive the function that started it. The returned `JoinHandle` gives back the
    /// closure's return value on `join()`, or `Err` if the thread panicked.
    pub fn start_with_observer(
        config: PipelineConfig,
        observer: Observer,
    ) -> Result<Pipeline, PipelineError> {
        if config.workers == 0 {
            return Err(PipelineError::InvalidConfig("workers"));
        }
        if config.queue_capacity == 0 {
            return Err(PipelineError::InvalidConfig("queue_capacity"));
        }
        if config.window_ms == 0 {
            return Err(PipelineError::InvalidConfig("window_ms"));
        }

        let mut queues = Vec::with_capacity(config.workers);
        let mut handles = Vec::with_capacity(config.workers);
        for index in 0..config.workers {
            let queue = Arc::new(BoundedQueue::new(config.queue_capacity));
            let worker_queue = Arc::clone(&queue);
            let worker_observer = Arc::clone(&observer);
            let window_ms = config.window_ms;
            let handle = thread::Builder::new()
                .name(format!("worker-{index}"))
                .spawn(move || run_worker(index, worker_queue, window_ms, worker_observer))
                .expect("failed to spawn a worker thread");
            queues.push(queue);
            handles.push(handle);
        }
        Ok(Pipeline { queues, handles })
    }

    /// Number of workers.
    pub fn workers(&self) -> usize {
        self.queues.len()
    }

    /// Hands `reading` to worker `worker_for(reading.sensor_id, workers)`, blocking while that
    /// worker's queue is full (backpressure). `Err(WorkerDied { worker })` if that queue is closed.
    pub fn submit(&self, reading: Reading) -> Result<(), PipelineError> {
        let worker = worker_for(reading.sensor_id, self.queues.len());
        self.queues[worker]
            .push(reading)
            .map_err(|_| PipelineError::WorkerDied { worker })
    }

    /// Ends the run: closes every queue, lets every worker drain what is still queued, joins
    /// every thread (also after finding a panicked one, so no thread is left behind) and merges
    /// their results into one [`Report`]. `Err(WorkerPanicked { worker })` names the lowest
    /// index of a worker that panicked.
    ///
    /// Taking `self` by value means a pipeline cannot be used after it is shut down: the
    /// compiler rejects a second `shutdown` or a late `submit`.
    pub fn shutdown(self) -> Result<Report, PipelineError> {
        for queue in &self.queues {
            queue.close();
        }
        let mut windows = BTreeMap::new();
        let mut processed_per_worker = Vec::with_capacity(self.handles.len());
        for (worker, handle) in self.handles.into_iter().enumerate() {
            match handle.join() {
                Ok(output) => {
                    for (key, stats) in output.windows {
                        let previous = windows.insert(key, stats);
                        assert!(previous.is_none(), "two workers produced window {key:?}");
                    }
                    processed_per_worker.push(output.processed);
                }
                Err(_panic_payload) => todo!(),
            }
        }
        Ok(Report {
            windows,
            processed_per_worker,
        })
    }
}

/// Runs a whole batch: start the pool, submit every reading in order, shut down.
///
/// If a submit fails, stop submitting, shut down, and return the shutdown's error (which names
/// the worker that panicked) or, failing that, the submit's error.
pub fn process_parallel<I>(readings: I, config: PipelineConfig) -> Result<Report, PipelineError>
where
    I: IntoIterator<Item = Reading>,
{
    let pipeline = Pipeline::start(config)?;
    for reading in readings {
        if let Err(submit_error) = pipeline.submit(reading) {
            return Err(pipeline.shutdown().err().unwrap_or(submit_error));
        }
    }
    pipeline.shutdown()
}
