//! HTTP Microservice in Rust: a small JSON task API on hyper 0.14 and tokio.
//!
//! Where things live:
//! - `state.rs`: `AppState`, shared by every request (complete, read it first).
//! - `error.rs`: `ApiError` (a failed request) and `ServerError` (a failed server).
//! - `model.rs`: `Task`, request bodies, title validation, list queries.
//! - `repo.rs`: the `TaskRepository` trait and its in-memory implementation.
//! - `http.rs`: `serve`, routing, handlers, the per-request wrapper.
//!
//! The tests in `tests/` start your server on `127.0.0.1:0` through
//! [`serve`] and talk HTTP to it.

pub mod error;
pub mod http;
pub mod model;
pub mod repo;
pub mod state;

pub use error::{ApiError, ServerError};
pub use http::{match_route, serve, Route};
pub use model::{ListQuery, NewTask, Page, Task, UpdateTask};
pub use repo::{BoxFuture, InMemoryTaskRepository, RepoError, TaskRepository};
pub use state::{AppState, Config};
