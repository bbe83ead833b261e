//! Stage 5: operational concerns: request timeout, graceful shutdown, request ids.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{in_memory_repo, Outcome, TestServer};
use hyper::{Method, StatusCode};
use rust_microservice::{
    BoxFuture, Config, InMemoryTaskRepository, ListQuery, NewTask, Page, RepoError, Task,
    TaskRepository, UpdateTask,
};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// Sets a flag when dropped while still armed: detects a cancelled future.
struct DropFlag {
    flag: Arc<AtomicBool>,
    armed: bool,
}

impl Drop for DropFlag {
    fn drop(&mut self) {
        if self.armed {
            self.flag.store(true, Ordering::SeqCst);
        }
    }
}

/// How `list` behaves in the test repositories below.
enum ListBehaviour {
    /// Sleep this long before answering.
    Sleep(Duration),
    /// Notify `entered`, then wait until `release` is notified.
    Gate {
        entered: Arc<Notify>,
        release: Arc<Notify>,
    },
}

/// An in-memory repository whose `list` is slow or gated; the rest is normal.
struct TestRepo {
    inner: Arc<InMemoryTaskRepository>,
    behaviour: ListBehaviour,
    /// Set when a `list` call was dropped before it finished.
    cancelled: Arc<AtomicBool>,
}

impl TestRepo {
    fn new(behaviour: ListBehaviour) -> TestRepo {
        TestRepo {
            inner: in_memory_repo(),
            behaviour,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl TaskRepository for TestRepo {
    fn create(&self, new: NewTask) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.inner.create(new)
    }
    fn get(&self, id: u64) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.inner.get(id)
    }
    fn update(
        &self,
        id: u64,
        changes: UpdateTask,
        expected_version: Option<u64>,
    ) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.inner.update(id, changes, expected_version)
    }
    fn delete(&self, id: u64) -> BoxFuture<'_, Result<(), RepoError>> {
        self.inner.delete(id)
    }
    fn list(&self, query: ListQuery) -> BoxFuture<'_, Result<Page, RepoError>> {
        Box::pin(async move {
            let mut guard = DropFlag {
                flag: self.cancelled.clone(),
                armed: true,
            };
            match &self.behaviour {
                ListBehaviour::Sleep(delay) => tokio::time::sleep(*delay).await,
                ListBehaviour::Gate { entered, release } => {
                    entered.notify_one();
                    release.notified().await;
                }
            }
            guard.armed = false;
            self.inner.list(query).await
        })
    }
}

fn config_with_timeout(timeout: Duration) -> Config {
    Config {
        request_timeout: timeout,
    }
}

#[tokio::test]
async fn stage5_slow_request_gets_503_and_is_cancelled() {
    let repo = Arc::new(TestRepo::new(ListBehaviour::Sleep(Duration::from_secs(30))));
    let cancelled = repo.cancelled.clone();
    let timeout = Duration::from_millis(300);
    let server = TestServer::start_with_repo(repo, config_with_timeout(timeout)).await;

    let started = Instant::now();
    let response = server.api.get("/tasks").await;
    let elapsed = started.elapsed();
    response.assert_error(StatusCode::SERVICE_UNAVAILABLE, "timeout");
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(5),
        "the 503 should arrive shortly after the 300 ms timeout, took {elapsed:?}"
    );
    assert!(
        cancelled.load(Ordering::SeqCst),
        "the timed-out handler must be cancelled (its future dropped), not left running"
    );
    // The server is still healthy afterwards.
    assert_eq!(server.api.get("/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn stage5_requests_within_the_timeout_succeed() {
    let repo = Arc::new(TestRepo::new(ListBehaviour::Sleep(Duration::from_millis(
        50,
    ))));
    let cancelled = repo.cancelled.clone();
    let server =
        TestServer::start_with_repo(repo, config_with_timeout(Duration::from_secs(3))).await;
    server.api.create_task("quick").await;
    let response = server.api.get("/tasks").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["total"], 1);
    assert!(!cancelled.load(Ordering::SeqCst));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage5_graceful_shutdown_finishes_in_flight_and_refuses_new() {
    let entered = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let repo = Arc::new(TestRepo::new(ListBehaviour::Gate {
        entered: entered.clone(),
        release: release.clone(),
    }));
    let mut server = TestServer::start_with_repo(repo, Config::default()).await;
    server.api.create_task("in flight").await;

    // 1. A request reaches the repository and waits there.
    let api = server.api.clone();
    let in_flight = tokio::spawn(async move { api.get("/tasks").await });
    tokio::time::timeout(Duration::from_secs(5), entered.notified())
        .await
        .expect("GET /tasks should reach the repository");

    // 2. Shutdown begins: new connections are refused.
    server.trigger_shutdown();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpStream::connect(server.addr).await {
            Err(_) => break,
            Ok(stream) => {
                drop(stream);
                assert!(
                    Instant::now() < deadline,
                    "new connections were still accepted 5 s after shutdown was triggered"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    // 3. ... but the in-flight request is still being served.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        server.outcome(),
        None,
        "serve() returned while a request was still in flight"
    );
    assert!(!in_flight.is_finished());

    // 4. Let it finish: it gets its full response, then serve() returns Ok.
    release.notify_one();
    let response = tokio::time::timeout(Duration::from_secs(5), in_flight)
        .await
        .expect("the in-flight request should finish once released")
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()));
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["total"], 1);
    assert_eq!(
        server.wait_for_outcome(Duration::from_secs(5)).await,
        Some(Outcome::Returned),
        "serve() should return Ok(()) after the last request finished"
    );
}

#[tokio::test]
async fn stage5_shutdown_with_idle_connections_returns_promptly() {
    let mut server = TestServer::start().await;
    // Leaves a kept-alive, idle connection in the client's pool.
    assert_eq!(server.api.get("/health").await.status, StatusCode::OK);
    let started = Instant::now();
    server.trigger_shutdown();
    assert_eq!(
        server.wait_for_outcome(Duration::from_secs(5)).await,
        Some(Outcome::Returned),
        "serve() should return Ok(()) soon after the shutdown future completes"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "the listener must be closed after serve() returns"
    );
}

fn is_valid_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[tokio::test]
async fn stage5_every_response_has_a_unique_request_id() {
    let server = TestServer::start().await;
    let mut seen = BTreeSet::new();
    for i in 0..20 {
        let path = if i % 4 == 0 { "/nope" } else { "/health" };
        let response = server.api.get(path).await;
        let id = response.header("x-request-id");
        assert!(
            is_valid_request_id(&id),
            "{path}: bad or missing x-request-id {id:?}"
        );
        assert!(
            seen.insert(id.clone()),
            "request id {id:?} was handed out twice"
        );
    }
}

#[tokio::test]
async fn stage5_valid_client_request_ids_are_echoed() {
    let server = TestServer::start().await;
    for (path, sent) in [
        ("/health", "trace-abc_123.X"),
        ("/nope", "0af7651916cd43dd"),
    ] {
        let response = server
            .api
            .request(Method::GET, path, &[("x-request-id", sent)], None)
            .await;
        assert_eq!(response.header("x-request-id"), sent, "{path}");
    }
    let too_long = "a".repeat(65);
    for sent in [too_long.as_str(), "has space", "a/b", ""] {
        let response = server
            .api
            .request(Method::GET, "/health", &[("x-request-id", sent)], None)
            .await;
        let id = response.header("x-request-id");
        assert!(is_valid_request_id(&id), "sent {sent:?}, got bad id {id:?}");
        assert_ne!(id, sent, "an unacceptable incoming id must be replaced");
    }
}
