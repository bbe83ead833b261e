//! Shared plumbing for the Rust services. **Provided: nothing to do here.**
//!
//! Every service needs the same boring parts: accept HTTP requests, turn results into JSON
//! answers, call other services, make ids. They live here so that each service's code is only
//! its own domain. This is *platform* code, not a bounded context: it knows nothing about
//! tokens, jobs or notifications.
//!
//! * [`Server`] runs a handler `async fn(Request) -> Response` on a loopback port, records an
//!   access log (one line per request, with its correlation id), echoes `X-Correlation-Id`,
//!   and turns a panic in a handler (such as a `todo!()`) into a `500` with the panic message.
//! * [`HttpClient`] calls other services. It has **no timeout of its own**: a call to a
//!   service that never answers waits forever unless you wrap it in
//!   `tokio::time::timeout` (stage 5).
//! * [`IdGenerator`] makes random-looking hex ids for jobs, events and correlation ids.

mod client;
mod ids;
mod server;

pub use client::{ClientError, ClientResponse, HttpClient};
pub use hyper::Method;
pub use ids::{IdGenerator, SplitMix64};
pub use server::{AccessLogEntry, Request, Response, Server};

/// Seconds since 1970-01-01 UTC, the unit of every timestamp in the contract.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
