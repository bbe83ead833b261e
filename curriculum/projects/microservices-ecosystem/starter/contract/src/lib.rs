//! Stage 1: the contract, the one thing every service shares.
//!
//! In domain-driven design terms this crate is the *published language* between the bounded
//! contexts: identity (auth), job processing, and notifications. Each service keeps its own
//! model inside; only the types in this file cross a service boundary, as JSON over HTTP.
//! `CONTRACT.md` (next to the top-level `Cargo.toml`) is the same contract written for humans,
//! and for the Elixir service, which cannot import Rust types.
//!
//! Three rules keep the contract evolvable:
//!
//! 1. **Versioned paths.** Every route lives under `/v1/...`. A breaking change gets `/v2`;
//!    additive changes (a new optional field, a new route) stay in `v1`.
//! 2. **Tolerant readers.** Decoding ignores fields it does not know (serde's default; we
//!    never add `#[serde(deny_unknown_fields)]`), so a newer producer can add fields without
//!    breaking older consumers. Optional fields have defaults for the same reason.
//! 3. **One error envelope.** Every non-2xx answer from every service has the body
//!    `{"error": {"code": "...", "message": "...", "correlation_id": "..."}}`, so a caller
//!    decides on the machine-readable `code`, never by parsing the human `message`.

// The starter's bodies are `todo!()`, so their parameters look unused to the compiler.
// Delete the next line once you have implemented this file.
#![allow(unused_variables)]

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The only API version these services speak.
pub const API_VERSION: &str = "v1";
/// The header that carries a request's correlation id across every hop (stage 6).
/// HTTP header names are case-insensitive; we write them in lower case.
pub const CORRELATION_HEADER: &str = "x-correlation-id";
/// The longest correlation id the gateway accepts from a caller (stage 6).
pub const MAX_CORRELATION_ID_BYTES: usize = 64;
/// `event_type` of the only event in the system.
pub const JOB_COMPLETED: &str = "job.completed";
/// The event schema version this code produces. Consumers treat a missing field as 1.
pub const EVENT_SCHEMA_VERSION: u32 = 1;
/// Longest job text the processing service accepts, in bytes (UTF-8).
pub const MAX_TEXT_BYTES: usize = 10_000;
/// Token lifetime when `IssueTokenRequest::ttl_secs` is absent: 15 minutes.
pub const DEFAULT_TTL_SECS: u64 = 900;
/// Longest token lifetime the auth service issues: one day.
pub const MAX_TTL_SECS: u64 = 86_400;
/// Longest subject (user name) the auth service accepts, in bytes.
pub const MAX_SUBJECT_BYTES: usize = 64;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// The machine-readable error codes of the contract.
///
/// `#[serde(rename_all = "snake_case")]` makes `TokenExpired` travel as `"token_expired"`.
/// `#[serde(other)]` on `Unknown` is the tolerant reader for enums: a code added by a newer
/// service decodes as `Unknown` instead of failing the whole response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON at all (syntax error, truncated, empty).
    MalformedJson,
    /// The body is JSON but does not match the contract, or breaks a rule (empty text...).
    InvalidRequest,
    /// No usable credentials: missing `Authorization` header, or not a Bearer token.
    Unauthorized,
    /// A token was presented but is malformed, forged or signed with another key.
    InvalidToken,
    /// A genuine token whose expiry time has passed.
    TokenExpired,
    /// No such route.
    NotFound,
    /// The path names an API version this service does not speak (`/v2/...`).
    UnsupportedVersion,
    /// A service we depend on could not be reached or failed.
    UpstreamUnavailable,
    /// A service we depend on did not answer in time.
    UpstreamTimeout,
    /// A bug on our side.
    Internal,
    /// A code this version of the contract does not know (sent by a newer service).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status that goes with each code (the table is in `CONTRACT.md`):
    ///
    /// | code | status |
    /// |---|---|
    /// | `MalformedJson`, `InvalidRequest` | 400 |
    /// | `Unauthorized`, `InvalidToken`, `TokenExpired` | 401 |
    /// | `NotFound`, `UnsupportedVersion` | 404 |
    /// | `UpstreamUnavailable` | 503 |
    /// | `UpstreamTimeout` | 504 |
    /// | `Internal`, `Unknown` | 500 |
    pub fn http_status(self) -> u16 {
        todo!("stage 1: ErrorCode::http_status")
    }
}

/// The body of every error answer: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

/// The inside of the envelope. `correlation_id` is left out of the JSON when it is `None`
/// (`skip_serializing_if`) and reads as `None` when absent (`default`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

/// The error type every handler returns. `#[derive(thiserror::Error)]` implements
/// `std::error::Error`, and `#[error("...")]` writes its `Display`: `token_expired: ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    /// `impl Into<String>` accepts both `&str` and `String` (and `format!(...)`).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        self.code.http_status()
    }

    /// Wraps this error in the envelope, with the request's correlation id if there is one.
    pub fn envelope(&self, correlation_id: Option<&str>) -> ErrorEnvelope {
        todo!("stage 1: ApiError::envelope")
    }
}

/// Lets a caller turn an envelope it received back into an `ApiError` with `.into()`.
impl From<ErrorEnvelope> for ApiError {
    fn from(envelope: ErrorEnvelope) -> Self {
        ApiError::new(envelope.error.code, envelope.error.message)
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding, decoding, versions
// ---------------------------------------------------------------------------------------------

/// Serializes any contract type to JSON bytes.
///
/// `T: Serialize` is a trait bound: it accepts every type that implements `Serialize`
/// (all types here derive it). Serializing these types cannot fail, so `expect` is fine.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    todo!("stage 1: contract::encode")
}

/// Deserializes a request or response body, turning serde's error into the contract's:
///
/// * not JSON at all (syntax error, empty or truncated input) -> `MalformedJson`;
/// * JSON of the wrong shape (missing field, wrong type, unknown enum value, an array where
///   an object was expected) -> `InvalidRequest`.
///
/// The message includes serde's explanation (it names the missing field, for example).
/// `serde_json::Error::classify()` says which kind of failure an error is
/// (`serde_json::error::Category::{Syntax, Eof, Data, Io}`).
///
/// `T: DeserializeOwned` means "any type that can be built from the bytes without keeping a
/// borrow of them"; the caller picks `T`: `decode::<JobRequest>(body)`, or lets the compiler
/// infer it from `let job: JobRequest = decode(body)?;`.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    todo!("stage 1: contract::decode")
}

/// Checks the version segment of a path and returns the rest of the path.
///
/// * `/v1/jobs` -> `Ok("/jobs")`; `/v1` and `/v1/` -> `Ok("/")`;
/// * a first segment that is `v` followed by one or more ASCII digits but is not `v1`
///   (`/v2/jobs`, `/v10/jobs`, `/v01`) -> `UnsupportedVersion`;
/// * anything else (`/jobs`, `/version`, `/V1/jobs`, `""`) -> `NotFound`.
pub fn split_version(path: &str) -> Result<&str, ApiError> {
    todo!("stage 1: contract::split_version")
}

// ---------------------------------------------------------------------------------------------
// Auth: POST /v1/tokens and POST /v1/tokens/verify
// ---------------------------------------------------------------------------------------------

/// `POST /v1/tokens`: ask for a token for `subject`, valid for `ttl_secs` seconds
/// (default [`DEFAULT_TTL_SECS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueTokenRequest {
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_secs: Option<u64>,
}

/// `201` answer to `POST /v1/tokens`. `expires_at` is in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token: String,
    pub subject: String,
    pub expires_at: u64,
}

/// `POST /v1/tokens/verify`: is this token genuine and unexpired?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyTokenRequest {
    pub token: String,
}

/// `200` answer to `POST /v1/tokens/verify`: who the token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyTokenResponse {
    pub subject: String,
    pub expires_at: u64,
}

// ---------------------------------------------------------------------------------------------
// Processing: POST /v1/jobs
// ---------------------------------------------------------------------------------------------

/// What a job does with its text. Travels as `"uppercase"` / `"word_count"`; any other
/// value fails decoding with `InvalidRequest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Uppercase,
    WordCount,
}

/// `POST /v1/jobs` body. The caller is identified by `Authorization: Bearer <token>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRequest {
    pub operation: Operation,
    pub text: String,
}

impl JobRequest {
    /// The rules decoding cannot express: `text` must contain something other than
    /// whitespace, and be at most [`MAX_TEXT_BYTES`] bytes long (`str::len` counts bytes).
    /// Both failures are `InvalidRequest`.
    pub fn validate(&self) -> Result<(), ApiError> {
        todo!("stage 1: JobRequest::validate")
    }
}

/// `201` answer to `POST /v1/jobs`. `event_published` says whether the notification
/// service acknowledged the `job.completed` event (the job itself succeeded either way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResponse {
    pub job_id: String,
    pub event_id: String,
    pub subject: String,
    pub operation: Operation,
    pub result: String,
    pub event_published: bool,
}

// ---------------------------------------------------------------------------------------------
// Events: POST /v1/events on the notification service
// ---------------------------------------------------------------------------------------------

fn default_schema_version() -> u32 {
    EVENT_SCHEMA_VERSION
}

/// The `job.completed` event. It is deliberately flat (no nested objects): every consumer,
/// in any language, can read it with the simplest JSON code. `event_id` is chosen once per
/// job and stays the same on every retry: that is what lets the consumer drop duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub event_id: String,
    pub event_type: String,
    #[serde(default = "default_schema_version")]
    pub schema_version: u32,
    pub job_id: String,
    pub subject: String,
    pub operation: Operation,
    pub result: String,
    /// Unix seconds.
    pub occurred_at: u64,
}
