//! The test harness. **Provided: nothing to do here.**
//!
//! The tests in `tests/` start real services on `127.0.0.1` with port 0 (any free port) and
//! talk to them over HTTP, exactly as the services talk to each other. This file has the
//! helpers they share:
//!
//! * [`send`], [`post`], [`get`]: make a request with a deadline, get a [`Reply`];
//! * [`ManualClock`] and [`start_auth`]: an auth service whose clock the test moves;
//! * [`FakeNotifications`], [`BlackHole`], [`FlakyProxy`], [`closed_port_url`]: stand-ins
//!   that fail in exactly the way a test needs;
//! * [`ElixirNotifications`]: the real Elixir service as a child process (`mix run`), which a
//!   test can kill and restart on the same port; [`mix_test`] runs its unit tests.
//!
//! The crates of the workspace are re-exported, so a test can write
//! `microservices_ecosystem::contract::ErrorCode`.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub use auth;
pub use contract;
pub use gateway;
pub use platform;
pub use processing;
pub use resilience;

use platform::{HttpClient, Method, Response, Server};
use serde_json::{json, Value};

/// The signing key of every auth service the tests start. Test-only: a real key comes from
/// a secret store, never from source code.
pub const TEST_KEY: &[u8] = b"test-only-key-0123456789abcdef-0123456789";

/// How long any single request made by a test may take before the test fails. Generous on
/// purpose: a loaded CI machine must not make a correct solution fail.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(20);

/// `127.0.0.1:0`: loopback, any free port.
pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// An HTTP answer as a test sees it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    /// The body as JSON (`Value::Null` if it is not JSON).
    pub json: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// Panics unless the status is `status`, showing the body (which, for a `500` from an
    /// unfinished service, contains the `todo!()` message).
    #[track_caller]
    pub fn expect_status(&self, status: u16) -> &Reply {
        assert_eq!(self.status, status, "expected HTTP {status}, got {}: {}", self.status, self.text);
        self
    }

    /// `error.code` of an error envelope.
    pub fn error_code(&self) -> Option<&str> {
        self.json["error"]["code"].as_str()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends a request and waits at most [`REQUEST_DEADLINE`]; panics if no answer comes.
pub async fn send(method: Method, url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    let client = HttpClient::new();
    let answer = tokio::time::timeout(REQUEST_DEADLINE, client.request(method.clone(), url, headers, body))
        .await
        .unwrap_or_else(|_| panic!("{method} {url}: no answer within {REQUEST_DEADLINE:?}"))
        .unwrap_or_else(|error| panic!("{method} {url}: {error}"));
    let text = answer.text();
    Reply { status: answer.status, json: serde_json::from_str(&text).unwrap_or(Value::Null), headers: answer.headers, text }
}

/// `POST` a JSON body.
pub async fn post(url: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
    send(Method::POST, url, headers, serde_json::to_vec(body).unwrap()).await
}

/// `POST` raw bytes (for bodies that are not JSON).
pub async fn post_raw(url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    send(Method::POST, url, headers, body.to_vec()).await
}

/// `GET`.
pub async fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    send(Method::GET, url, headers, Vec::new()).await
}

/// Asks the auth service at `auth_url` for a token for `subject`.
pub async fn issue_token(auth_url: &str, subject: &str) -> String {
    let reply = post(&format!("{auth_url}/v1/tokens"), &[], &json!({ "subject": subject })).await;
    reply.expect_status(201);
    reply.json["token"].as_str().expect("a token in the answer").to_owned()
}

/// Polls `check` every 25 ms until it returns `true`; panics after `timeout`.
pub async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "waited {timeout:?} for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Auth with a clock the test controls
// ---------------------------------------------------------------------------------------------

/// A clock that only moves when the test moves it. Clones share the same time.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    pub fn at(unix_seconds: u64) -> ManualClock {
        ManualClock(Arc::new(AtomicU64::new(unix_seconds)))
    }
    pub fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
    pub fn set(&self, unix_seconds: u64) {
        self.0.store(unix_seconds, Ordering::SeqCst);
    }
    pub fn advance(&self, seconds: u64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
    /// This clock as the auth service's [`auth::Clock`].
    pub fn clock(&self) -> auth::Clock {
        let time = Arc::clone(&self.0);
        Arc::new(move || time.load(Ordering::SeqCst))
    }
}

/// An auth service on a free loopback port, signing with [`TEST_KEY`] and reading `clock`.
pub async fn start_auth(clock: &ManualClock) -> auth::AuthService {
    let config = auth::AuthConfig { key: TEST_KEY.to_vec(), clock: clock.clock() };
    auth::start(loopback(), config).await.expect("start auth")
}

/// An auth service on the real clock.
pub async fn start_auth_real_time() -> auth::AuthService {
    let config = auth::AuthConfig { key: TEST_KEY.to_vec(), clock: auth::system_clock() };
    auth::start(loopback(), config).await.expect("start auth")
}

/// Processing settings for tests: fixed seed, 3 attempts at most 5-20 ms apart, 5 s per
/// attempt, 10 s for auth, breaker after 5 failures for 10 s. The deadlines are generous so
/// that a busy machine never turns a slow answer into a failure; the tests that are about
/// timeouts set short ones themselves.
pub fn test_processing_config(auth_url: &str, notifications_url: &str) -> processing::ProcessingConfig {
    let mut config = processing::ProcessingConfig::new(auth_url, notifications_url);
    config.seed = Some(7);
    config.auth_timeout = Duration::from_secs(10);
    config.publish_policy = resilience::RetryPolicy {
        max_attempts: 3,
        backoff: resilience::Backoff { base: Duration::from_millis(5), max: Duration::from_millis(20) },
        attempt_timeout: Duration::from_secs(5),
    };
    config.breaker_threshold = 5;
    config.breaker_open_for = Duration::from_secs(10);
    config
}

/// Starts processing with `config` on a free loopback port.
pub async fn start_processing(config: processing::ProcessingConfig) -> processing::ProcessingService {
    processing::start(loopback(), config).await.expect("start processing")
}

// ---------------------------------------------------------------------------------------------
// Stand-ins that fail on purpose
// ---------------------------------------------------------------------------------------------

/// A URL where nothing listens: connecting is refused at once.
pub fn closed_port_url() -> String {
    let listener = StdTcpListener::bind(loopback()).expect("bind");
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// One event as the fake notification service received it.
#[derive(Debug, Clone)]
pub struct ReceivedEvent {
    pub body: Value,
    pub correlation_id: Option<String>,
}

struct FakeState {
    script: Mutex<VecDeque<u16>>,
    then: u16,
    received: Mutex<Vec<ReceivedEvent>>,
}

/// A notification service written in a few lines: it records every `POST /v1/events` and
/// answers with the statuses of a script (`[503, 503]` then `202`), so a test decides
/// exactly which attempts fail.
pub struct FakeNotifications {
    server: Server,
    state: Arc<FakeState>,
}

impl FakeNotifications {
    /// Accepts every event with `202`.
    pub async fn start() -> FakeNotifications {
        FakeNotifications::scripted(&[], 202).await
    }

    /// Answers the first requests with `script`, all later ones with `then`.
    pub async fn scripted(script: &[u16], then: u16) -> FakeNotifications {
        let state = Arc::new(FakeState {
            script: Mutex::new(script.iter().copied().collect()),
            then,
            received: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&state);
        let server = Server::start("fake-notifications", loopback(), move |request| {
            let state = Arc::clone(&shared);
            async move {
                if request.path != "/v1/events" {
                    return Response::json(404, &json!({ "error": { "code": "not_found", "message": "fake" } }));
                }
                state.received.lock().unwrap().push(ReceivedEvent {
                    body: serde_json::from_slice(&request.body).unwrap_or(Value::Null),
                    correlation_id: request.correlation_id().map(str::to_owned),
                });
                let status = state.script.lock().unwrap().pop_front().unwrap_or(state.then);
                if (200..300).contains(&status) {
                    Response::json(status, &json!({ "status": "accepted" }))
                } else {
                    Response::json(status, &json!({ "error": { "code": "internal", "message": "scripted failure" } }))
                }
            }
        })
        .await
        .expect("start fake notifications");
        FakeNotifications { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Every request received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedEvent> {
        self.state.received.lock().unwrap().clone()
    }
}

/// A server that accepts connections and then never says a word: the failure that only a
/// timeout can end.
pub struct BlackHole {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl BlackHole {
    pub async fn start() -> BlackHole {
        let listener = tokio::net::TcpListener::bind(loopback()).await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                held.push(stream); // keep it open, say nothing
            }
        });
        BlackHole { addr, accepted, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A proxy that loses answers: it forwards every request to `upstream`, but for the first
/// `lose_first` requests it throws the upstream's answer away and replies `503` instead.
/// The upstream *did* process those requests; the caller cannot know that. This is the
/// situation that makes retries produce duplicates.
pub struct FlakyProxy {
    server: Server,
    forwarded: Arc<Mutex<Vec<Value>>>,
}

impl FlakyProxy {
    pub async fn start(upstream: String, lose_first: usize) -> FlakyProxy {
        let forwarded = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&forwarded);
        let count = Arc::new(AtomicUsize::new(0));
        let server = Server::start("flaky-proxy", loopback(), move |request| {
            let upstream = upstream.clone();
            let seen = Arc::clone(&seen);
            let count = Arc::clone(&count);
            async move {
                let number = count.fetch_add(1, Ordering::SeqCst) + 1;
                seen.lock().unwrap().push(serde_json::from_slice(&request.body).unwrap_or(Value::Null));
                let url = format!("{upstream}{}", request.path);
                let mut headers = Vec::new();
                if let Some(id) = request.correlation_id() {
                    headers.push((contract::CORRELATION_HEADER, id));
                }
                let answer = HttpClient::new().request(request.method.clone(), &url, &headers, request.body.clone()).await;
                match answer {
                    Ok(answer) if number > lose_first => {
                        Response { status: answer.status, headers: Vec::new(), body: answer.body }
                    }
                    _ => Response::json(
                        503,
                        &json!({ "error": { "code": "upstream_unavailable", "message": "the proxy lost the answer" } }),
                    ),
                }
            }
        })
        .await
        .expect("start proxy");
        FlakyProxy { server, forwarded }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The JSON bodies of every request the proxy forwarded, oldest first.
    pub fn forwarded(&self) -> Vec<Value> {
        self.forwarded.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------------------------------------
// The Elixir notification service
// ---------------------------------------------------------------------------------------------

/// `notifications/`, the Elixir project.
pub fn notifications_dir() -> PathBuf {
    // `cargo test` and `cargo run` tell the running program where the project is; the value
    // recorded at compile time is only a fallback (it goes stale if the folder is copied).
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    root.join("notifications")
}

fn mix(args: &[&str], mix_env: &str) -> Command {
    let mut command = Command::new("mix");
    command
        .args(args)
        .current_dir(notifications_dir())
        .env("MIX_ENV", mix_env)
        // The project has no dependencies; make sure mix never tries to fetch any.
        .env("HEX_OFFLINE", "1");
    command
}

fn run_to_end(mut command: Command, what: &str) -> Output {
    command.stdin(Stdio::null()).output().unwrap_or_else(|error| {
        panic!("could not run `{what}` ({error}). Is Elixir installed and `mix` on your PATH? See https://elixir-lang.org/install.html")
    })
}

fn output_text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Runs `mix test` in `notifications/` and returns whether it passed, with its output.
pub fn mix_test() -> (bool, String) {
    let output = run_to_end(mix(&["test"], "test"), "mix test");
    (output.status.success(), output_text(&output))
}

/// Compiles the Elixir service once per test binary, before the first `mix run`, so that
/// tests running in parallel never compile the same files at the same time.
fn ensure_compiled() {
    static COMPILED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = COMPILED.get_or_init(|| {
        let output = run_to_end(mix(&["compile"], "dev"), "mix compile");
        if output.status.success() {
            Ok(())
        } else {
            Err(output_text(&output))
        }
    });
    if let Err(output) = result {
        panic!("`mix compile` failed in notifications/:\n{output}");
    }
}

const READY_PREFIX: &str = "notifications listening on 127.0.0.1:";

/// The Elixir notification service, running as a child process (`mix run --no-halt`).
///
/// It is killed when this value is dropped (also when a test panics), and it halts by itself
/// if the test process dies: it watches its standard input, which only this process holds.
pub struct ElixirNotifications {
    child: Option<Child>,
    _stdin: Option<ChildStdin>,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl ElixirNotifications {
    /// Starts the service on a free port.
    pub async fn start() -> ElixirNotifications {
        ElixirNotifications::start_on(0).await
    }

    /// Starts the service on `port` (0: any free port). Used to restart a killed service
    /// where its clients expect it.
    pub async fn start_on(port: u16) -> ElixirNotifications {
        tokio::task::spawn_blocking(move || ElixirNotifications::spawn_with_retries(port))
            .await
            .expect("the start task panicked")
    }

    fn spawn_with_retries(port: u16) -> ElixirNotifications {
        ensure_compiled();
        // Rebinding a just-freed fixed port can fail for a moment if the OS has handed the
        // number to an outgoing connection in between; try a few times before giving up.
        let mut last_output = String::new();
        for _ in 0..5 {
            match ElixirNotifications::spawn(port) {
                Ok(service) => return service,
                Err(output) => {
                    last_output = output;
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        }
        panic!("the notification service did not start on port {port}:\n{last_output}");
    }

    fn spawn(port: u16) -> Result<ElixirNotifications, String> {
        let mut child = mix(&["run", "--no-halt"], "dev")
            .env("NOTIFICATIONS_PORT", port.to_string())
            .env("NOTIFICATIONS_STOP_ON_EOF", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("could not run `mix run` ({error}). Is Elixir installed and `mix` on your PATH?")
            });
        let output = Arc::new(Mutex::new(String::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        collect_lines(child.stdout.take().unwrap(), Arc::clone(&output), Some(ready_tx));
        collect_lines(child.stderr.take().unwrap(), Arc::clone(&output), None);

        // The sender lives in the stdout reader: if the process exits before printing the
        // ready line, the reader ends, the sender is dropped and `recv_timeout` returns at once.
        match ready_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(port) => Ok(ElixirNotifications { _stdin: child.stdin.take(), child: Some(child), port, output }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                // Give the readers a moment to copy the last lines.
                std::thread::sleep(Duration::from_millis(100));
                let text = output.lock().unwrap().clone();
                Err(text)
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Everything the service printed so far (its log lines), stdout and stderr together.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Kills the service (SIGKILL on Unix: no goodbye) and waits until it is gone, so its
    /// port is free when this returns.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self._stdin = None;
    }
}

impl Drop for ElixirNotifications {
    fn drop(&mut self) {
        self.kill();
    }
}

fn collect_lines(stream: impl Read + Send + 'static, output: Arc<Mutex<String>>, ready: Option<mpsc::Sender<u16>>) {
    std::thread::spawn(move || {
        let mut ready = ready;
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(port) = line.strip_prefix(READY_PREFIX).and_then(|p| p.trim().parse().ok()) {
                if let Some(sender) = ready.take() {
                    let _ = sender.send(port);
                }
            }
            let mut text = output.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
}

/// The notifications the Elixir service (or anything speaking its contract) lists.
pub async fn list_notifications(base_url: &str) -> Vec<Value> {
    let reply = get(&format!("{base_url}/v1/notifications"), &[]).await;
    reply.expect_status(200);
    reply.json["notifications"].as_array().cloned().unwrap_or_default()
}
