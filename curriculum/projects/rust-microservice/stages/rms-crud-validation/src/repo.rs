//! The repository: where tasks live, behind a trait so the HTTP layer does not
//! care whether that is a map in memory, a database, or a test double.
//!
//! Rust note: a *trait* is a set of methods a type promises to have (an
//! interface). There are two ways to use one:
//! - generics, `fn f<R: TaskRepository>(repo: &R)`: the compiler makes one copy
//!   of `f` per concrete type; calls are direct and can be inlined;
//! - trait objects, `Arc<dyn TaskRepository>`: one copy of the code, and each
//!   call goes through a table of function pointers chosen at run time.
//!
//! `AppState` uses `dyn` so the repository can be swapped at run time (the
//! tests pass slow or counting repositories) without making every handler
//! generic. The cost, one indirect call per repository call, is nothing next
//! to an HTTP request.
//!
//! Rust note: an `async fn` returns a *future*, a value describing work that
//! runs only when someone `.await`s it (or a runtime polls it). `.await` pauses
//! the current task until the future is done, letting the thread run other
//! tasks meanwhile. Today a trait that is used as `dyn Trait` cannot contain
//! `async fn` directly, so each method here returns a boxed future instead:
//! write the body as `Box::pin(async move { ... })`. (This is what the popular
//! `async-trait` crate generates for you.)

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::model::{ListQuery, NewTask, Page, Task, UpdateTask};

/// A future that is heap-allocated, may move between threads (`Send`) and
/// may borrow from `'a` (usually `&self`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a repository operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepoError {
    #[error("task {0} does not exist")]
    NotFound(u64),
    #[error("task {id} is at version {actual}, expected version {expected}")]
    VersionConflict { id: u64, expected: u64, actual: u64 },
    #[error("repository failure: {0}")]
    Internal(String),
}

/// Storage for tasks. Every method is asynchronous because a real store
/// (a database, another service) does I/O.
///
/// `Send + Sync + 'static` are *supertraits*: only types that can be shared
/// between threads may implement this trait, so `Arc<dyn TaskRepository>` can
/// be cloned into every connection's task (see `state.rs`).
pub trait TaskRepository: Send + Sync + 'static {
    /// Stores a new task (title already validated) and returns it.
    fn create(&self, new: NewTask) -> BoxFuture<'_, Result<Task, RepoError>>;
    /// The task with this id, or `NotFound`.
    fn get(&self, id: u64) -> BoxFuture<'_, Result<Task, RepoError>>;
    /// Replaces title and done, bumps the version by one; with
    /// `expected_version: Some(v)`, only if the current version is `v`.
    fn update(
        &self,
        id: u64,
        changes: UpdateTask,
        expected_version: Option<u64>,
    ) -> BoxFuture<'_, Result<Task, RepoError>>;
    /// Removes the task, or `NotFound`.
    fn delete(&self, id: u64) -> BoxFuture<'_, Result<(), RepoError>>;
    /// One page of tasks in ascending id order, optionally filtered by `done`.
    fn list(&self, query: ListQuery) -> BoxFuture<'_, Result<Page, RepoError>>;
}

/// Tasks in a `BTreeMap` behind one lock.
///
/// Rust note: `Mutex<T>` vs `RwLock<T>`. Both make a `T` safe to change from
/// many threads: you can only reach the `T` through a *guard* returned by
/// locking, and the lock is released when the guard is dropped (at the end of
/// its scope). A `Mutex` lets one thread in at a time. An `RwLock` lets many
/// readers in together *or* one writer alone; it pays off when reads dominate
/// and take a while, and costs a little more per operation than a `Mutex`.
/// Either is correct here; this skeleton uses `RwLock` (`.read()` for `get`
/// and `list`, `.write()` for the rest). Change it if you prefer a `Mutex`.
///
/// These are the `std::sync` locks, which block the thread. That is right
/// for a lock held for a few microseconds and never across an `.await`
/// (the compiler refuses: their guards are not `Send`). `tokio::sync::Mutex`
/// exists for the rare case where you must hold a lock across an `.await`.
///
/// Locking returns `Err` if another thread panicked while holding the lock
/// ("poisoned"); map that to `RepoError::Internal` or call `.expect(..)`.
#[derive(Debug, Default)]
pub struct InMemoryTaskRepository {
    inner: RwLock<Store>,
}

#[derive(Debug, Default)]
struct Store {
    /// Ordered by id, so iterating `values()` yields tasks in id order.
    tasks: BTreeMap<u64, Task>,
    /// The last id handed out; ids start at 1 and are never reused, even
    /// after a delete.
    last_id: u64,
}

impl InMemoryTaskRepository {
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, Store>, RepoError> {
        self.inner
            .read()
            .map_err(|_| RepoError::Internal("task store lock poisoned".to_string()))
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Store>, RepoError> {
        self.inner
            .write()
            .map_err(|_| RepoError::Internal("task store lock poisoned".to_string()))
    }
}

// Every check-then-change (next id, version check, existence check) happens
// while holding ONE write guard, so concurrent requests cannot interleave.
impl TaskRepository for InMemoryTaskRepository {
    fn create(&self, new: NewTask) -> BoxFuture<'_, Result<Task, RepoError>> {
        Box::pin(async move {
            let mut store = self.write()?;
            store.last_id += 1;
            let task = Task {
                id: store.last_id,
                title: new.title,
                done: new.done,
                version: 1,
            };
            store.tasks.insert(task.id, task.clone());
            Ok(task)
        })
    }

    fn get(&self, id: u64) -> BoxFuture<'_, Result<Task, RepoError>> {
        Box::pin(async move {
            let store = self.read()?;
            store.tasks.get(&id).cloned().ok_or(RepoError::NotFound(id))
        })
    }

    fn update(
        &self,
        id: u64,
        changes: UpdateTask,
        expected_version: Option<u64>,
    ) -> BoxFuture<'_, Result<Task, RepoError>> {
        Box::pin(async move {
            // Check and write under the same write lock: no other update can
            // slip in between reading the version and bumping it.
            let mut store = self.write()?;
            let task = store.tasks.get_mut(&id).ok_or(RepoError::NotFound(id))?;
            if let Some(expected) = expected_version {
                if expected != task.version {
                    return Err(RepoError::VersionConflict {
                        id,
                        expected,
                        actual: task.version,
                    });
                }
            }
            task.title = changes.title;
            task.done = changes.done;
            task.version += 1;
            Ok(task.clone())
        })
    }

    fn delete(&self, id: u64) -> BoxFuture<'_, Result<(), RepoError>> {
        Box::pin(async move {
            let mut store = self.write()?;
            store
                .tasks
                .remove(&id)
                .map(|_| ())
                .ok_or(RepoError::NotFound(id))
        })
    }

    /// Stage 4. Tasks matching `query.done` (all when `None`), in ascending id
    /// order; skip `query.offset`, take at most `query.limit`. `total` is the
    /// number of matching tasks before skipping and taking.
    fn list(&self, query: ListQuery) -> BoxFuture<'_, Result<Page, RepoError>> {
        todo!("stage 4: list tasks for {query:?}")
    }
}
