//! Errors: what a request can fail with, and how each failure looks on the wire.
//!
//! Every error response has the same JSON body:
//! `{"error":{"code":"not_found","message":"task 7 does not exist"}}`.
//! `code` is a stable, machine-readable string (clients branch on it);
//! `message` is for humans and may change.
//!
//! Rust note: errors in Rust are values. A function that can fail returns
//! `Result<T, E>`: `Ok(value)` or `Err(error)`. Writing `?` after a `Result`
//! means "if this is `Err`, return it from my function now (converted with
//! `From` into my error type); otherwise give me the value". So a handler
//! returning `Result<_, ApiError>` can write `state.repo.get(id).await?` and a
//! `RepoError` becomes an `ApiError` through the `From` impl at the bottom.
//!
//! Rust note: `#[derive(thiserror::Error)]` writes the boilerplate of the
//! standard `Error` trait for you. `#[error("...")]` on a variant is its
//! `Display` text (`{0}` is the first field, `{id}` a named field), and
//! `#[from]` on a field also generates `impl From<ThatType> for ThisError`.

use std::time::Duration;

use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::{Body, Method, Response, StatusCode};
use serde_json::json;

use crate::repo::RepoError;

/// Everything a request can fail with.
///
/// | variant            | status | code                 |
/// |--------------------|--------|----------------------|
/// | `NotFound`         | 404    | `not_found`          |
/// | `MethodNotAllowed` | 405    | `method_not_allowed` |
/// | `InvalidJson`      | 400    | `invalid_json`       |
/// | `Validation`       | 400    | `validation_failed`  |
/// | `InvalidQuery`     | 400    | `invalid_query`      |
/// | `InvalidHeader`    | 400    | `invalid_header`     |
/// | `TaskNotFound`     | 404    | `not_found`          |
/// | `VersionConflict`  | 409    | `version_conflict`   |
/// | `Timeout`          | 503    | `timeout`            |
/// | `Internal`         | 500    | `internal`           |
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No route has this path (or a task id in the path is not a number).
    #[error("no route for {0}")]
    NotFound(String),
    /// The path exists but not with this method. `allow` lists the methods
    /// that do work, for the `Allow` header, e.g. `"GET, POST"`.
    #[error("method {method} is not allowed here; use {allow}")]
    MethodNotAllowed { method: Method, allow: &'static str },
    /// The body is not JSON, or not the JSON shape the route expects.
    #[error("invalid JSON body: {0}")]
    InvalidJson(String),
    /// The body parsed but a value breaks a rule (e.g. the title is empty).
    #[error("{0}")]
    Validation(String),
    /// A query-string parameter has a bad value.
    #[error("{0}")]
    InvalidQuery(String),
    /// A request header has a bad value (e.g. `If-Match: abc`).
    #[error("{0}")]
    InvalidHeader(String),
    /// The task does not exist.
    #[error("task {0} does not exist")]
    TaskNotFound(u64),
    /// `If-Match` named a version that is not the current one.
    #[error("task {id} is at version {actual}, but If-Match expected version {expected}")]
    VersionConflict { id: u64, expected: u64, actual: u64 },
    /// The request did not finish within the configured timeout.
    #[error("request did not finish within {0:?}")]
    Timeout(Duration),
    /// Anything else: a bug or a broken backend.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) | ApiError::TaskNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::InvalidJson(_)
            | ApiError::Validation(_)
            | ApiError::InvalidQuery(_)
            | ApiError::InvalidHeader(_) => StatusCode::BAD_REQUEST,
            ApiError::VersionConflict { .. } => StatusCode::CONFLICT,
            ApiError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable `code` string of the error body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) | ApiError::TaskNotFound(_) => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::Validation(_) => "validation_failed",
            ApiError::InvalidQuery(_) => "invalid_query",
            ApiError::InvalidHeader(_) => "invalid_header",
            ApiError::VersionConflict { .. } => "version_conflict",
            ApiError::Timeout(_) => "timeout",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The full HTTP response: status, `Content-Type: application/json`, the
    /// error body, and for 405 an `Allow` header.
    pub fn to_response(&self) -> Response<Body> {
        let body = json!({ "error": { "code": self.code(), "message": self.to_string() } });
        let mut response = Response::new(Body::from(body.to_string()));
        *response.status_mut() = self.status();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let ApiError::MethodNotAllowed { allow, .. } = self {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// Lets `?` turn a repository error into an API error inside handlers. Stage 2.
///
/// `RepoError::NotFound(id)` becomes `TaskNotFound(id)`, `VersionConflict`
/// becomes `VersionConflict` (same fields), `Internal(msg)` becomes `Internal(msg)`.
impl From<RepoError> for ApiError {
    fn from(err: RepoError) -> Self {
        todo!("stage 2: convert {err:?} into an ApiError")
    }
}

/// Why [`crate::serve`] stopped with an error (not a request failure: the
/// server itself could not run).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("HTTP server error: {0}")]
    Http(#[from] hyper::Error),
}
