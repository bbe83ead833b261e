//! Test helpers: start your server on 127.0.0.1:0 and talk HTTP to it.
//!
//! You do not need to change this file. Reading it is a good way to see how a
//! hyper client, a oneshot channel and a watch channel fit together.

#![allow(dead_code)] // each test file uses a different subset of the helpers

use std::any::Any;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hyper::client::HttpConnector;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Body, Client, Method, Request, StatusCode};
use rust_microservice::{serve, AppState, Config, InMemoryTaskRepository};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Semaphore};
use tokio::task::JoinHandle;

/// How long the helpers wait for any single response before failing the test.
pub const RESPONSE_DEADLINE: Duration = Duration::from_secs(10);

/// How `serve` ended, as seen from the outside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Returned,
    Failed(String),
    Panicked(String),
}

/// A running server plus a client for it.
pub struct TestServer {
    pub addr: SocketAddr,
    pub api: Api,
    shutdown: Option<oneshot::Sender<()>>,
    outcome: watch::Receiver<Option<Outcome>>,
}

impl TestServer {
    /// Your server around a fresh in-memory repository and the default config.
    pub async fn start() -> TestServer {
        TestServer::start_with(AppState::in_memory()).await
    }

    /// Your server around a repository of the test's choosing.
    pub async fn start_with_repo(
        repo: Arc<dyn rust_microservice::TaskRepository>,
        config: Config,
    ) -> TestServer {
        TestServer::start_with(AppState::new(repo, config)).await
    }

    /// Your server around `state`.
    pub async fn start_with(state: AppState) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr");
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let (outcome_tx, outcome_rx) = watch::channel(None);

        let server = tokio::spawn(serve(listener, state, async move {
            // Completes when the test calls `trigger_shutdown` (or drops the server).
            let _ = shutdown_rx.await;
        }));
        tokio::spawn(async move {
            let outcome = match server.await {
                Ok(Ok(())) => Outcome::Returned,
                Ok(Err(err)) => Outcome::Failed(err.to_string()),
                Err(join_err) if join_err.is_panic() => {
                    Outcome::Panicked(panic_message(join_err.into_panic()))
                }
                Err(join_err) => Outcome::Failed(join_err.to_string()),
            };
            let _ = outcome_tx.send(Some(outcome));
        });

        TestServer {
            addr,
            api: Api::new(addr, outcome_rx.clone()),
            shutdown: Some(shutdown_tx),
            outcome: outcome_rx,
        }
    }

    /// Completes the shutdown future that was passed to `serve`.
    pub fn trigger_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// How `serve` ended, or `None` while it is still running.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.borrow().clone()
    }

    /// Waits up to `limit` for `serve` to end.
    pub async fn wait_for_outcome(&self, limit: Duration) -> Option<Outcome> {
        let mut rx = self.outcome.clone();
        let _ = tokio::time::timeout(limit, async {
            while rx.borrow().is_none() {
                if rx.changed().await.is_err() {
                    break;
                }
            }
        })
        .await;
        let outcome = rx.borrow().clone();
        outcome
    }
}

/// A response, fully read.
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON; fails the test with the raw body if it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "expected a JSON body ({err}); got status {} and body {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header as a string ("" when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("<non-ASCII>").to_string())
            .unwrap_or_default()
    }

    /// Asserts the status and the `{"error":{"code":..,"message":..}}` shape.
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(
            self.header("content-type").starts_with("application/json"),
            "error responses must have Content-Type: application/json, got {:?}",
            self.header("content-type")
        );
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "error body: {body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.is_empty(),
            "error.message must be a non-empty string: {body}"
        );
    }
}

/// A cheap-to-clone HTTP client bound to one server.
#[derive(Clone)]
pub struct Api {
    pub addr: SocketAddr,
    client: Client<HttpConnector>,
    outcome: watch::Receiver<Option<Outcome>>,
}

impl Api {
    fn new(addr: SocketAddr, outcome: watch::Receiver<Option<Outcome>>) -> Api {
        Api {
            addr,
            client: Client::builder().build_http(),
            outcome,
        }
    }

    /// The same server through a separate connection pool (new TCP connections).
    pub fn fresh_connection_pool(&self) -> Api {
        Api::new(self.addr, self.outcome.clone())
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[], None).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.request(Method::DELETE, path, &[], None).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.request(Method::POST, path, &[], Some(body.to_string()))
            .await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> TestResponse {
        self.request(Method::PUT, path, &[], Some(body.to_string()))
            .await
    }

    /// Creates a task and returns its JSON; fails the test unless 201.
    pub async fn create_task(&self, title: &str) -> Value {
        let response = self
            .post_json("/tasks", &serde_json::json!({ "title": title }))
            .await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "POST /tasks {title:?}: {}",
            String::from_utf8_lossy(&response.body)
        );
        response.json()
    }

    /// Any request. `body` is sent as-is with `Content-Type: application/json`.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> TestResponse {
        self.fail_if_server_died();
        let mut builder = Request::builder()
            .method(method.clone())
            .uri(format!("http://{}{}", self.addr, path));
        for (name, value) in headers {
            builder = builder.header(
                HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                HeaderValue::from_str(value).expect("header value"),
            );
        }
        let request = match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body)),
            None => builder.body(Body::empty()),
        }
        .expect("build request");

        let exchange = async {
            let response = self.client.request(request).await?;
            let (parts, body) = response.into_parts();
            let bytes = hyper::body::to_bytes(body).await?;
            Ok::<_, hyper::Error>(TestResponse {
                status: parts.status,
                headers: parts.headers,
                body: bytes.to_vec(),
            })
        };
        match tokio::time::timeout(RESPONSE_DEADLINE, exchange).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => {
                // Give the supervisor a moment to report a panicking `serve`.
                let mut outcome = self.outcome.clone();
                let _ = tokio::time::timeout(Duration::from_millis(500), outcome.changed()).await;
                self.fail_if_server_died();
                panic!(
                    "{method} {path}: the request failed: {err}. The server closed the \
                     connection without answering; usually a handler panicked (for example \
                     a todo!() that is not yet implemented). Look for the panic message above."
                )
            }
            Err(_) => {
                self.fail_if_server_died();
                panic!("{method} {path}: no response within {RESPONSE_DEADLINE:?}")
            }
        }
    }

    fn fail_if_server_died(&self) {
        let outcome = self.outcome.borrow().clone();
        match outcome {
            None => {}
            Some(Outcome::Panicked(msg)) => panic!("serve() panicked: {msg}"),
            Some(Outcome::Failed(msg)) => panic!("serve() returned an error: {msg}"),
            Some(Outcome::Returned) => {
                panic!("serve() returned Ok(()) although no shutdown was requested")
            }
        }
    }
}

/// Runs `count` copies of `job(i)` as separate tokio tasks, at most
/// `in_flight` at a time, and returns their results in order of `i`.
///
/// Job 0 runs alone first, so an unimplemented `todo!()` fails the test once
/// instead of a thousand times; after any panic no further jobs start. A
/// panic inside a job fails the test with the job's own message.
pub async fn run_concurrently<F, Fut, T>(count: usize, in_flight: usize, job: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut results = Vec::with_capacity(count);
    if count == 0 {
        return results;
    }
    match tokio::spawn(job(0)).await {
        Ok(value) => results.push(value),
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => panic!("task failed: {err}"),
    }

    let gate = Arc::new(Semaphore::new(in_flight));
    let failed = Arc::new(AtomicBool::new(false));
    let mut handles: Vec<JoinHandle<T>> = Vec::with_capacity(count);
    for i in 1..count {
        let permit = gate.clone().acquire_owned().await.expect("semaphore open");
        if failed.load(Ordering::SeqCst) {
            break;
        }
        let fut = job(i);
        let flag = failed.clone();
        handles.push(tokio::spawn(async move {
            let mut guard = FailOnUnwind { flag, armed: true };
            let result = fut.await;
            guard.armed = false; // completed normally
            drop(permit);
            result
        }));
    }
    for handle in handles {
        match handle.await {
            Ok(value) => results.push(value),
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(err) => panic!("task failed: {err}"),
        }
    }
    results
}

/// Sets the flag when dropped while armed, i.e. when the job's task unwinds
/// from a panic.
struct FailOnUnwind {
    flag: Arc<AtomicBool>,
    armed: bool,
}

impl Drop for FailOnUnwind {
    fn drop(&mut self) {
        if self.armed {
            self.flag.store(true, Ordering::SeqCst);
        }
    }
}

/// A fresh in-memory repository as a trait object, plus the concrete handle.
pub fn in_memory_repo() -> Arc<InMemoryTaskRepository> {
    Arc::new(InMemoryTaskRepository::new())
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}
