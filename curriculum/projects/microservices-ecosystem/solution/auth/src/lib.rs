//! Stage 2: the auth service, the *identity* bounded context.
//!
//! It owns one question: "who is this caller?". It issues tokens (`POST /v1/tokens`) and
//! answers whether a token is genuine and unexpired (`POST /v1/tokens/verify`). No other
//! service sees the signing key; they ask this one.
//!
//! `crypto.rs` (provided) has SHA-256, HMAC and base64url. `token.rs` is the token format.
//! This file is the HTTP face of the service: routing (provided) and two handlers.

pub mod crypto;
pub mod token;

use std::net::SocketAddr;
use std::sync::Arc;

use contract::{
    ApiError, ErrorCode, IssueTokenRequest, TokenResponse, VerifyTokenRequest, VerifyTokenResponse,
    DEFAULT_TTL_SECS, MAX_SUBJECT_BYTES, MAX_TTL_SECS,
};
use platform::{Method, Request, Response, Server};

use crate::token::{Claims, TokenError};

/// "What time is it?" in Unix seconds, as a value that can be passed around.
///
/// `Arc<dyn Fn() -> u64 + Send + Sync>` is a shared pointer to *some* function returning
/// `u64` that may be called from any thread. The service uses the system clock; tests pass a
/// clock they can move forward, so that "this token expired" takes no waiting.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(platform::unix_now)
}

/// Everything the auth service needs.
pub struct AuthConfig {
    /// The HMAC key. Anyone who has it can mint tokens: keep it secret and at least 32 bytes.
    pub key: Vec<u8>,
    pub clock: Clock,
}

/// A running auth service.
pub struct AuthService {
    server: Server,
}

impl AuthService {
    pub fn url(&self) -> String {
        self.server.url()
    }
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }
    pub fn access_log(&self) -> Vec<platform::AccessLogEntry> {
        self.server.access_log()
    }
}

/// Starts the service on `addr` (`127.0.0.1:0` for any free port).
pub async fn start(addr: SocketAddr, config: AuthConfig) -> std::io::Result<AuthService> {
    let config = Arc::new(config);
    let server = Server::start("auth", addr, move |request| {
        let config = Arc::clone(&config);
        async move { handle(&config, request) }
    })
    .await?;
    Ok(AuthService { server })
}

/// Routing. Provided.
fn handle(config: &AuthConfig, request: Request) -> Response {
    let correlation_id = request.correlation_id().map(str::to_owned);
    match route(config, &request) {
        Ok(response) => response,
        Err(error) => {
            tracing::info!(code = ?error.code, correlation_id = correlation_id.as_deref().unwrap_or("-"), "{}", error.message);
            Response::error(&error, correlation_id.as_deref())
        }
    }
}

fn route(config: &AuthConfig, request: &Request) -> Result<Response, ApiError> {
    if request.method == Method::GET && request.path == "/health" {
        return Ok(Response::json(200, &serde_json::json!({ "status": "ok", "service": "auth" })));
    }
    let rest = contract::split_version(&request.path)?;
    match (&request.method, rest) {
        // `?` after `request.json()` returns early with the decoding error (malformed_json or
        // invalid_request); `?` after the handler returns early with the handler's error.
        (&Method::POST, "/tokens") => Ok(Response::json(201, &issue_token(config, request.json()?)?)),
        (&Method::POST, "/tokens/verify") => Ok(Response::json(200, &verify_token(config, request.json()?)?)),
        _ => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no route for {} {}", request.method, request.path),
        )),
    }
}

/// `POST /v1/tokens`.
///
/// * `subject` must not be empty or only whitespace, and at most [`MAX_SUBJECT_BYTES`]
///   bytes -> else `InvalidRequest`. It is used as given (not trimmed).
/// * `ttl_secs` defaults to [`DEFAULT_TTL_SECS`]; 0 or more than [`MAX_TTL_SECS`] ->
///   `InvalidRequest`.
/// * `iat` is `(config.clock)()`, `exp` is `iat + ttl`. Answer with the token from
///   [`token::issue`], the subject and `expires_at = exp`.
pub fn issue_token(config: &AuthConfig, request: IssueTokenRequest) -> Result<TokenResponse, ApiError> {
    let subject = request.subject;
    if subject.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "subject must not be empty"));
    }
    if subject.len() > MAX_SUBJECT_BYTES {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("subject is longer than {MAX_SUBJECT_BYTES} bytes"),
        ));
    }
    let ttl = request.ttl_secs.unwrap_or(DEFAULT_TTL_SECS);
    if ttl == 0 || ttl > MAX_TTL_SECS {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("ttl_secs must be between 1 and {MAX_TTL_SECS}"),
        ));
    }
    let now = (config.clock)();
    let claims = Claims { sub: subject, iat: now, exp: now + ttl };
    let token = token::issue(&config.key, &claims);
    tracing::info!(subject = %claims.sub, exp = claims.exp, "issued token");
    Ok(TokenResponse { token, subject: claims.sub, expires_at: claims.exp })
}

/// `POST /v1/tokens/verify`: [`token::verify`] at `(config.clock)()`.
///
/// `Ok` -> `VerifyTokenResponse { subject, expires_at }`. `TokenError::Expired` ->
/// `TokenExpired`; every other `TokenError` -> `InvalidToken`. Use the `TokenError`'s
/// `Display` text (`error.to_string()`) as the message.
pub fn verify_token(config: &AuthConfig, request: VerifyTokenRequest) -> Result<VerifyTokenResponse, ApiError> {
    match token::verify(&config.key, &request.token, (config.clock)()) {
        Ok(claims) => Ok(VerifyTokenResponse { subject: claims.sub, expires_at: claims.exp }),
        Err(error @ TokenError::Expired(_)) => Err(ApiError::new(ErrorCode::TokenExpired, error.to_string())),
        Err(error) => Err(ApiError::new(ErrorCode::InvalidToken, error.to_string())),
    }
}
