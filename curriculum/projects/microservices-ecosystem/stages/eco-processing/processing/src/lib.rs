//! Stages 3 and 5: the processing service, the *job processing* bounded context.
//!
//! `POST /v1/jobs` with `Authorization: Bearer <token>` and a [`JobRequest`] body:
//!
//! 1. take the token out of the `Authorization` header ([`bearer_token`]);
//! 2. ask the auth service who it belongs to ([`Processing::verify_caller`]);
//! 3. decode and validate the body, run the operation ([`run_operation`]);
//! 4. publish a `job.completed` event to the notification service ([`Processing::publish`]);
//! 5. answer `201` with a [`JobResponse`].
//!
//! The service keeps no state about jobs. It knows *that* the caller is authenticated (auth's
//! answer) and *that* someone may want to hear about finished jobs (an event), but nothing of
//! how tokens are made or how notifications are delivered: those are other contexts' models.
//!
//! In stage 3 every call is made once, plainly. In stage 5 you come back to the three
//! methods that talk to other services and give them deadlines, retries and a circuit
//! breaker.

// Stage 5's deadlines, retries and circuit breaker are not written yet, so some imports and a field
// look unused to the compiler. Delete the next line once you have implemented stage 5 in this file.
#![allow(unused_imports, dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contract::{
    ApiError, ErrorCode, Event, JobRequest, JobResponse, Operation, VerifyTokenRequest, VerifyTokenResponse,
    CORRELATION_HEADER, EVENT_SCHEMA_VERSION, JOB_COMPLETED,
};
use platform::{HttpClient, IdGenerator, Method, Request, Response, Server, SplitMix64};
use resilience::{Backoff, BreakerState, CircuitBreaker, Decision, Failure, RetryPolicy};

/// Where the other services are, and how patiently to call them.
#[derive(Debug, Clone)]
pub struct ProcessingConfig {
    /// Base URL of the auth service, e.g. `http://127.0.0.1:4001` (no trailing slash).
    pub auth_url: String,
    /// Base URL of the notification service.
    pub notifications_url: String,
    /// Stage 5: the deadline for one call to auth.
    pub auth_timeout: Duration,
    /// Stage 5: attempts, backoff and per-attempt deadline for publishing an event.
    pub publish_policy: RetryPolicy,
    /// Stage 5: failed publications in a row that open the circuit breaker.
    pub breaker_threshold: u32,
    /// Stage 5: how long the breaker stays open before it lets a trial through.
    pub breaker_open_for: Duration,
    /// Seed for ids and jitter. `None`: different every run.
    pub seed: Option<u64>,
}

impl ProcessingConfig {
    /// Production-like defaults: auth gets 2 s; an event gets 3 attempts of at most 1 s each,
    /// 50 ms to 1 s apart; 5 failed publications open the breaker for 10 s.
    pub fn new(auth_url: impl Into<String>, notifications_url: impl Into<String>) -> ProcessingConfig {
        ProcessingConfig {
            auth_url: auth_url.into(),
            notifications_url: notifications_url.into(),
            auth_timeout: Duration::from_secs(2),
            publish_policy: RetryPolicy {
                max_attempts: 3,
                backoff: Backoff { base: Duration::from_millis(50), max: Duration::from_secs(1) },
                attempt_timeout: Duration::from_secs(1),
            },
            breaker_threshold: 5,
            breaker_open_for: Duration::from_secs(10),
            seed: None,
        }
    }
}

/// The service's shared state. One instance serves every request (through an `Arc`), so
/// anything mutable sits behind a `Mutex`.
pub struct Processing {
    config: ProcessingConfig,
    client: HttpClient,
    ids: IdGenerator,
    /// Random numbers for backoff jitter.
    jitter: Mutex<SplitMix64>,
    /// Guards calls to the notification service (stage 5).
    breaker: Mutex<CircuitBreaker>,
}

/// A running processing service.
pub struct ProcessingService {
    server: Server,
    state: Arc<Processing>,
}

impl ProcessingService {
    pub fn url(&self) -> String {
        self.server.url()
    }
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }
    pub fn access_log(&self) -> Vec<platform::AccessLogEntry> {
        self.server.access_log()
    }
    /// The state of the breaker in front of the notification service.
    pub fn breaker_state(&self) -> BreakerState {
        self.state.breaker.lock().unwrap().state()
    }
}

/// Starts the service on `addr` (`127.0.0.1:0` for any free port).
pub async fn start(addr: SocketAddr, config: ProcessingConfig) -> std::io::Result<ProcessingService> {
    let state = Arc::new(Processing::new(config));
    let shared = Arc::clone(&state);
    let server = Server::start("processing", addr, move |request| {
        let state = Arc::clone(&shared);
        async move { handle(&state, request).await }
    })
    .await?;
    Ok(ProcessingService { server, state })
}

/// Routing. Provided.
async fn handle(state: &Processing, request: Request) -> Response {
    let correlation_id = request.correlation_id().map(str::to_owned);
    if request.method == Method::GET && request.path == "/health" {
        return Response::json(200, &serde_json::json!({ "status": "ok", "service": "processing" }));
    }
    let result = match contract::split_version(&request.path) {
        Ok("/jobs") if request.method == Method::POST => state.submit_job(&request).await,
        Ok(_) => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no route for {} {}", request.method, request.path),
        )),
        Err(error) => Err(error),
    };
    if let Err(error) = &result {
        tracing::info!(code = ?error.code, correlation_id = correlation_id.as_deref().unwrap_or("-"), "{}", error.message);
    }
    Response::from_result(201, result, correlation_id.as_deref())
}

/// The headers that carry a correlation id to the next service: `[("x-correlation-id", id)]`,
/// or nothing when the request came without one. Provided; pass the result to every call
/// you make to another service.
pub fn correlation_headers(correlation_id: Option<&str>) -> Vec<(&'static str, &str)> {
    correlation_id.map(|id| (CORRELATION_HEADER, id)).into_iter().collect()
}

/// Takes the token out of an `Authorization` header value.
///
/// * `None` (no header) -> `Unauthorized`.
/// * The value is a scheme, one or more spaces, and the token. The scheme must be `Bearer`,
///   compared case-insensitively (`bearer` and `BEARER` are fine; `Basic` is not) -> else
///   `Unauthorized`.
/// * The token is the rest of the value with surrounding whitespace trimmed; empty ->
///   `Unauthorized`.
///
/// The return type borrows from the header: `&str` in, `&str` out, no copying.
pub fn bearer_token(header: Option<&str>) -> Result<&str, ApiError> {
    let header = header.ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "missing Authorization header"))?;
    let (scheme, token) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::new(ErrorCode::Unauthorized, "expected Authorization: Bearer <token>"));
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(ApiError::new(ErrorCode::Unauthorized, "the Bearer token is empty"));
    }
    Ok(token)
}

/// The domain logic, such as it is.
///
/// * `Uppercase`: `text.to_uppercase()` (Unicode-aware: `"straße"` becomes `"STRASSE"`).
/// * `WordCount`: the number of whitespace-separated words, as a decimal string (`"3"`).
pub fn run_operation(operation: Operation, text: &str) -> String {
    match operation {
        Operation::Uppercase => text.to_uppercase(),
        Operation::WordCount => text.split_whitespace().count().to_string(),
    }
}

impl Processing {
    /// Provided.
    pub fn new(config: ProcessingConfig) -> Processing {
        let (ids, jitter) = match config.seed {
            Some(seed) => (IdGenerator::seeded(seed), SplitMix64::new(seed.rotate_left(32))),
            None => (IdGenerator::from_entropy(), SplitMix64::from_entropy()),
        };
        let breaker = CircuitBreaker::new(config.breaker_threshold, config.breaker_open_for);
        Processing {
            config,
            client: HttpClient::new(),
            ids,
            jitter: Mutex::new(jitter),
            breaker: Mutex::new(breaker),
        }
    }

    /// Stage 3: `POST /v1/jobs`, in this order (the first failure decides the answer):
    ///
    /// 1. `bearer_token(request.header("authorization"))?`: without a token we do not even
    ///    look at the body, and we do not call auth.
    /// 2. `self.verify_caller(token, correlation_id).await?`.
    /// 3. `request.json::<JobRequest>()?` then `job.validate()?`.
    /// 4. `run_operation`.
    /// 5. ids: `job_id = "job-" + self.ids.next_hex()`, then
    ///    `event_id = "evt-" + self.ids.next_hex()`. Build the [`Event`]: `event_type`
    ///    [`JOB_COMPLETED`], `schema_version` [`EVENT_SCHEMA_VERSION`], `subject` from auth's
    ///    answer, `occurred_at` = `platform::unix_now()`.
    /// 6. `self.publish(&event, correlation_id).await` gives `event_published`. A failed
    ///    publication does not fail the job.
    ///
    /// `correlation_id` is `request.correlation_id()`: the id this request arrived with, passed
    /// on unchanged to both calls.
    pub async fn submit_job(&self, request: &Request) -> Result<JobResponse, ApiError> {
        let correlation_id = request.correlation_id();
        let token = bearer_token(request.header("authorization"))?;
        let caller = self.verify_caller(token, correlation_id).await?;
        let job: JobRequest = request.json()?;
        job.validate()?;
        let result = run_operation(job.operation, &job.text);
        let job_id = format!("job-{}", self.ids.next_hex());
        let event = Event {
            event_id: format!("evt-{}", self.ids.next_hex()),
            event_type: JOB_COMPLETED.to_owned(),
            schema_version: EVENT_SCHEMA_VERSION,
            job_id: job_id.clone(),
            subject: caller.subject.clone(),
            operation: job.operation,
            result: result.clone(),
            occurred_at: platform::unix_now(),
        };
        let event_published = self.publish(&event, correlation_id).await;
        tracing::info!(%job_id, subject = %caller.subject, event_published, "job completed");
        Ok(JobResponse {
            job_id,
            event_id: event.event_id,
            subject: caller.subject,
            operation: job.operation,
            result,
            event_published,
        })
    }

    /// Stage 3: asks auth whether `token` is valid: `POST {auth_url}/v1/tokens/verify` with a
    /// [`VerifyTokenRequest`] and [`correlation_headers`].
    ///
    /// * no HTTP answer (`Err(ClientError)`) -> `UpstreamUnavailable`;
    /// * `200` -> the decoded [`VerifyTokenResponse`] (a body that does not decode -> `Internal`);
    /// * `401` -> auth's own error, taken from its envelope (so `token_expired` reaches the
    ///   caller as `token_expired`); without an envelope -> `InvalidToken`;
    /// * any other status -> `UpstreamUnavailable`.
    ///
    /// Stage 5: wrap the call in `tokio::time::timeout(self.config.auth_timeout, ...)`; when
    /// it elapses -> `UpstreamTimeout`.
    pub async fn verify_caller(
        &self,
        token: &str,
        correlation_id: Option<&str>,
    ) -> Result<VerifyTokenResponse, ApiError> {
        let url = format!("{}/v1/tokens/verify", self.config.auth_url);
        let body = VerifyTokenRequest { token: token.to_owned() };
        let headers = correlation_headers(correlation_id);
        let response = match self.client.post_json(&url, &headers, &body).await {
            Err(error) => {
                return Err(ApiError::new(ErrorCode::UpstreamUnavailable, format!("auth is unreachable: {error}")))
            }
            Ok(response) => response,
        };
        match response.status {
            200 => response.json().map_err(|error| {
                ApiError::new(ErrorCode::Internal, format!("auth answered with an unexpected body: {}", error.message))
            }),
            401 => Err(match response.error_envelope() {
                Some(envelope) => envelope.into(),
                None => ApiError::new(ErrorCode::InvalidToken, "auth refused the token"),
            }),
            status => Err(ApiError::new(ErrorCode::UpstreamUnavailable, format!("auth answered HTTP {status}"))),
        }
    }

    /// Stage 3: one attempt to deliver `event`: `POST {notifications_url}/v1/events` with the
    /// event as JSON and [`correlation_headers`].
    ///
    /// * any 2xx -> `Ok(())` (`202 accepted`, and also `200 duplicate`: the event is there);
    /// * another status -> `Err(Failure::Status(status))`;
    /// * no HTTP answer -> `Err(Failure::Transport(error.to_string()))`.
    ///
    /// Stage 5: bound the attempt by `self.config.publish_policy.attempt_timeout`; when it
    /// elapses -> `Err(Failure::Timeout)`.
    pub async fn send_event(&self, event: &Event, correlation_id: Option<&str>) -> Result<(), Failure> {
        let url = format!("{}/v1/events", self.config.notifications_url);
        let headers = correlation_headers(correlation_id);
        match self.client.post_json(&url, &headers, event).await {
            Err(error) => Err(Failure::Transport(error.to_string())),
            Ok(response) if response.is_success() => Ok(()),
            Ok(response) => Err(Failure::Status(response.status)),
        }
    }

    /// Publishes `event`; `true` if the notification service acknowledged it.
    ///
    /// Stage 3: one call to [`send_event`](Self::send_event); `true` on `Ok`.
    ///
    /// Stage 5, with `policy = self.config.publish_policy`:
    ///
    /// 1. Ask the breaker first: `self.breaker.lock().unwrap().allow(Instant::now())`. If it
    ///    says no, return `false` at once, without calling the notification service.
    /// 2. Loop: `attempts += 1`, `send_event`. On `Ok`: `record_success()` on the breaker,
    ///    return `true`. On `Err(failure)`: `policy.decide(attempts, &failure, rng)`, where
    ///    `rng` is `&mut || jitter.next_u64()` with `jitter = self.jitter.lock().unwrap()`.
    ///    `RetryAfter(delay)`: `tokio::time::sleep(delay).await` and go round again.
    ///    `GiveUp`: tell the breaker (`record_failure(Instant::now())` if the failure
    ///    `is_retryable()`, else `record_success()`: the service answered, our request was
    ///    the problem) and return `false`.
    ///
    /// The breaker sees one outcome per publication, not one per attempt. Every attempt
    /// sends the same event, so the same `event_id`: that is what makes retrying safe.
    ///
    /// Never hold a `std::sync::Mutex` guard across an `.await`: take the lock inside a
    /// `{ ... }` block that ends before the await (the compiler refuses to spawn a future that
    /// keeps a guard alive over an await point, because the guard is not `Send`).
    pub async fn publish(&self, event: &Event, correlation_id: Option<&str>) -> bool {
        self.send_event(event, correlation_id).await.is_ok()
    }
}
