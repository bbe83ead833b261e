//! Stage 3: one repository, shared by every connection, correct under concurrency.
//!
//! These tests run on tokio's multi-threaded runtime, so handlers really do
//! run in parallel on several threads. 1,000 requests are fired as 1,000
//! tasks with at most 32 in flight at a time (so the test stays within the
//! default open-file limit of macOS and Linux).

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use common::{in_memory_repo, run_concurrently, TestServer};
use hyper::{Method, StatusCode};
use rust_microservice::{
    BoxFuture, Config, ListQuery, NewTask, Page, RepoError, Task, TaskRepository, UpdateTask,
};
use serde_json::json;

const REQUESTS: usize = 1_000;
const IN_FLIGHT: usize = 32;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_concurrent_creates_get_distinct_ids() {
    let repo = in_memory_repo();
    let server = TestServer::start_with_repo(repo.clone(), Config::default()).await;
    let api = server.api.clone();
    let ids = run_concurrently(REQUESTS, IN_FLIGHT, move |i| {
        let api = api.clone();
        async move {
            let task = api.create_task(&format!("task {i}")).await;
            task["id"].as_u64().expect("id is a number")
        }
    })
    .await;

    let distinct: BTreeSet<u64> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), REQUESTS, "two creates got the same id");
    let expected: BTreeSet<u64> = (1..=REQUESTS as u64).collect();
    assert_eq!(distinct, expected, "ids must be exactly 1..=1000");

    // Every one of them is really stored (checked on the repository directly).
    for id in 1..=REQUESTS as u64 {
        repo.get(id)
            .await
            .unwrap_or_else(|e| panic!("task {id}: {e}"));
    }
    assert_eq!(
        repo.get(REQUESTS as u64 + 1).await,
        Err(RepoError::NotFound(1001))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_concurrent_updates_lose_nothing() {
    let server = TestServer::start().await;
    server.api.create_task("contended").await;
    let api = server.api.clone();
    let versions = run_concurrently(REQUESTS, IN_FLIGHT, move |i| {
        let api = api.clone();
        async move {
            let response = api
                .put_json(
                    "/tasks/1",
                    &json!({ "title": format!("update {i}"), "done": i % 2 == 0 }),
                )
                .await;
            assert_eq!(response.status, StatusCode::OK, "{:?}", response.json());
            response.json()["version"].as_u64().expect("version")
        }
    })
    .await;

    // Each update saw a different version: 2, 3, ..., 1001, each exactly once.
    let distinct: BTreeSet<u64> = versions.iter().copied().collect();
    let expected: BTreeSet<u64> = (2..=REQUESTS as u64 + 1).collect();
    assert_eq!(
        distinct, expected,
        "an update was lost or two updates saw the same version"
    );
    assert_eq!(
        server.api.get("/tasks/1").await.json()["version"],
        REQUESTS as u64 + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_if_match_race_has_exactly_one_winner() {
    let server = TestServer::start().await;
    server.api.create_task("race").await;
    let api = server.api.clone();
    let statuses = run_concurrently(REQUESTS, IN_FLIGHT, move |i| {
        let api = api.clone();
        async move {
            let body = json!({ "title": format!("winner {i}"), "done": true }).to_string();
            api.request(
                Method::PUT,
                "/tasks/1",
                &[("if-match", "\"1\"")],
                Some(body),
            )
            .await
            .status
        }
    })
    .await;

    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!(won, 1, "exactly one If-Match: \"1\" update may succeed");
    assert_eq!(conflicts, REQUESTS - 1, "all others must get 409");
    assert_eq!(server.api.get("/tasks/1").await.json()["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_concurrent_deletes_have_exactly_one_winner() {
    let server = TestServer::start().await;
    server.api.create_task("delete me").await;
    let api = server.api.clone();
    let statuses = run_concurrently(200, IN_FLIGHT, move |_| {
        let api = api.clone();
        async move { api.delete("/tasks/1").await.status }
    })
    .await;
    let deleted = statuses
        .iter()
        .filter(|s| **s == StatusCode::NO_CONTENT)
        .count();
    let missing = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    assert_eq!((deleted, missing), (1, 199));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_repository_works_from_many_tasks_without_http() {
    // The repository as the handlers see it: a trait object behind an Arc.
    let repo: Arc<dyn TaskRepository> = in_memory_repo();
    let shared = repo.clone();
    let ids = run_concurrently(REQUESTS, 64, move |i| {
        let repo = shared.clone();
        async move {
            let new = NewTask {
                title: format!("direct {i}"),
                done: false,
            };
            let task = repo.create(new).await.expect("create");
            let changes = UpdateTask {
                title: task.title.clone(),
                done: true,
            };
            let updated = repo
                .update(task.id, changes, Some(1))
                .await
                .expect("update");
            assert_eq!(updated.version, 2);
            task.id
        }
    })
    .await;
    let distinct: BTreeSet<u64> = ids.into_iter().collect();
    assert_eq!(distinct.len(), REQUESTS);
    for id in [1, 500, 1000] {
        let task = repo.get(id).await.expect("get");
        assert!(task.done && task.version == 2, "{task:?}");
    }
}

#[test]
fn stage3_repository_updates_are_atomic_under_contention() {
    // Eight OS threads hammer one task through the repository, without HTTP in
    // between: a read-then-write done as two separate lock acquisitions loses
    // updates here.
    const THREADS: usize = 8;
    const UPDATES_EACH: usize = 5_000;
    let repo: Arc<dyn TaskRepository> = in_memory_repo();
    let block_on = |fut| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(fut)
    };
    block_on(repo.create(NewTask {
        title: "hot".to_string(),
        done: false,
    }))
    .expect("create");

    let start = Arc::new(Barrier::new(THREADS));
    let mut versions = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let repo = repo.clone();
                let start = start.clone();
                scope.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    start.wait(); // all threads begin together
                    let mut seen = Vec::with_capacity(UPDATES_EACH);
                    for i in 0..UPDATES_EACH {
                        let changes = UpdateTask {
                            title: format!("t{t} u{i}"),
                            done: i % 2 == 0,
                        };
                        let task = runtime
                            .block_on(repo.update(1, changes, None))
                            .expect("update");
                        seen.push(task.version);
                    }
                    seen
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(seen) => versions.extend(seen),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });

    let total = (THREADS * UPDATES_EACH) as u64;
    let distinct: BTreeSet<u64> = versions.into_iter().collect();
    assert_eq!(
        distinct.len() as u64,
        total,
        "two updates returned the same version"
    );
    let final_version = block_on(repo.get(1)).expect("get").version;
    assert_eq!(final_version, total + 1, "an update was lost");
}

/// A repository that counts calls and forwards them to an in-memory one:
/// proof that the handlers go through the `AppState`'s repository.
struct CountingRepo {
    inner: Arc<dyn TaskRepository>,
    calls: Arc<AtomicUsize>,
}

impl TaskRepository for CountingRepo {
    fn create(&self, new: NewTask) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.create(new)
    }
    fn get(&self, id: u64) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.get(id)
    }
    fn update(
        &self,
        id: u64,
        changes: UpdateTask,
        expected_version: Option<u64>,
    ) -> BoxFuture<'_, Result<Task, RepoError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.update(id, changes, expected_version)
    }
    fn delete(&self, id: u64) -> BoxFuture<'_, Result<(), RepoError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.delete(id)
    }
    fn list(&self, query: ListQuery) -> BoxFuture<'_, Result<Page, RepoError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.list(query)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stage3_all_connections_share_the_injected_repository() {
    let calls = Arc::new(AtomicUsize::new(0));
    let repo = Arc::new(CountingRepo {
        inner: in_memory_repo(),
        calls: calls.clone(),
    });
    let server = TestServer::start_with_repo(repo, Config::default()).await;

    // Two separate connection pools: the writes and the reads travel over
    // different TCP connections, which hyper serves in different tasks.
    let writer = server.api.fresh_connection_pool();
    let reader = server.api.fresh_connection_pool();
    writer.create_task("written on one connection").await;
    let response = reader.get("/tasks/1").await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "a new connection must see the same data"
    );
    assert_eq!(response.json()["title"], "written on one connection");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "create and get must go through the repository"
    );
}
