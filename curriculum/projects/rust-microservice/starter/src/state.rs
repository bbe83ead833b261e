//! Shared application state: what every request handler can reach.
//!
//! This file is complete. Read it before you start: it shows how one
//! repository is shared by every connection and every request.
//!
//! Rust note: `Arc<T>` ("atomically reference-counted") is a pointer to a
//! value on the heap that many owners can hold at once. `Arc::clone(&a)` (or
//! `a.clone()`) copies the pointer and bumps a counter; it never copies the
//! value. The value is freed when the last `Arc` goes away. hyper serves
//! every connection in its own tokio task, possibly on another thread, so
//! each task gets its own clone of `AppState`, and all of them point at the
//! same repository.
//!
//! Rust note: `Send + Sync + 'static` are the promises the compiler needs
//! before it lets a value cross threads:
//! - `Send`: the value may be *moved* to another thread;
//! - `Sync`: a `&T` may be *shared* between threads (for `Arc<T>` to be
//!   `Send`, `T` must be both `Send` and `Sync`);
//! - `'static`: the value borrows nothing that could die first, so a task
//!   that lives "as long as it likes" may own it.
//!
//! `tokio::spawn` requires all three of the future it runs, so everything a
//! handler holds across an `.await` must satisfy them too. That is why the
//! repository trait (in `repo.rs`) is declared `Send + Sync + 'static`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::repo::{InMemoryTaskRepository, TaskRepository};

/// Tunables of the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// Upper bound on the time one request may take, from the moment its
    /// headers were read to the moment its response is ready (stage 5).
    /// A request still running at the deadline is cancelled and answered
    /// with 503 and the error code `timeout`.
    pub request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// Everything a handler needs. Cheap to clone: two `Arc`s and a `Duration`.
///
/// Rust note: `#[derive(Clone)]` writes `clone()` field by field; for the
/// `Arc` fields that means "one more pointer to the same thing".
#[derive(Clone)]
pub struct AppState {
    /// The task store, behind a trait object (`dyn TaskRepository`) so tests
    /// can swap in a slow or instrumented repository without touching the
    /// HTTP code.
    pub repo: Arc<dyn TaskRepository>,
    pub config: Config,
    request_counter: Arc<AtomicU64>,
}

impl AppState {
    /// State around any repository.
    pub fn new(repo: Arc<dyn TaskRepository>, config: Config) -> Self {
        AppState {
            repo,
            config,
            request_counter: Arc::new(AtomicU64::new(0)),
        }
    }

    /// State around a fresh, empty in-memory repository and the default config.
    pub fn in_memory() -> Self {
        AppState::new(Arc::new(InMemoryTaskRepository::new()), Config::default())
    }

    /// A number that is different on every call (1, 2, 3, ...), shared by all
    /// clones of this state. Useful for generating request ids (stage 5).
    ///
    /// `fetch_add` is one indivisible read-modify-write on the CPU, so two
    /// threads calling it at the same time never get the same number. No lock
    /// is needed for a single counter.
    pub fn next_request_number(&self) -> u64 {
        self.request_counter.fetch_add(1, Ordering::Relaxed) + 1
    }
}
