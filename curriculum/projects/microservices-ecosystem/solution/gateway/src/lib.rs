//! Stage 6: the gateway, the single entry point in front of the three services.
//!
//! Clients talk only to the gateway. It does two things, both cross-cutting rather than part
//! of any bounded context:
//!
//! * **routing**: `/v1/tokens...` goes to auth, `/v1/jobs...` to processing,
//!   `/v1/notifications...` to notifications ([`route`]). The path is forwarded unchanged.
//! * **correlation ids**: every request leaves the gateway with an `X-Correlation-Id`, the
//!   caller's if it is acceptable, a fresh one otherwise ([`resolve_correlation_id`]). The id
//!   goes to the upstream service, back to the caller in the answer, and into every error
//!   envelope, so one id finds a request's lines in every service's log.
//!
//! The forwarding itself (`handle` and `forward` below) is provided.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use contract::{ApiError, ErrorCode, CORRELATION_HEADER, MAX_CORRELATION_ID_BYTES};
use platform::{HttpClient, IdGenerator, Method, Request, Response, Server};

/// Where the services are.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub auth_url: String,
    pub processing_url: String,
    pub notifications_url: String,
    /// The deadline for one forwarded request. Longer than processing's own deadlines, so
    /// that processing can answer with its own, more precise, error first.
    pub upstream_timeout: Duration,
}

impl GatewayConfig {
    /// The URLs, and a 10 s upstream deadline.
    pub fn new(
        auth_url: impl Into<String>,
        processing_url: impl Into<String>,
        notifications_url: impl Into<String>,
    ) -> GatewayConfig {
        GatewayConfig {
            auth_url: auth_url.into(),
            processing_url: processing_url.into(),
            notifications_url: notifications_url.into(),
            upstream_timeout: Duration::from_secs(10),
        }
    }
}

/// The service a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upstream {
    Auth,
    Processing,
    Notifications,
}

/// Picks the upstream for a path.
///
/// First [`contract::split_version`] (its errors are returned as they are: `/v2/jobs` is
/// `UnsupportedVersion`, `/jobs` is `NotFound`). Then the rest of the path must be exactly
/// `/tokens`, `/jobs` or `/notifications`, or start with one of them followed by `/`
/// (`/tokens/verify`, `/notifications/abc`). Anything else is `NotFound`, including
/// `/jobsearch` (a prefix of characters is not a prefix of segments) and `/`.
pub fn route(path: &str) -> Result<Upstream, ApiError> {
    let rest = contract::split_version(path)?;
    let first_segment = rest.trim_start_matches('/').split('/').next().unwrap_or("");
    match first_segment {
        "tokens" => Ok(Upstream::Auth),
        "jobs" => Ok(Upstream::Processing),
        "notifications" => Ok(Upstream::Notifications),
        _ => Err(ApiError::new(ErrorCode::NotFound, format!("no route for {path}"))),
    }
}

/// An acceptable correlation id: 1 to [`MAX_CORRELATION_ID_BYTES`] (64) characters, each
/// an ASCII letter, digit, `-`, `_` or `.`.
///
/// The id ends up in log lines and headers of every service. Accepting anything a client
/// sends would let it write spaces, quotes or kilobytes into your logs (and forge log
/// lines), so the gateway accepts only this safe alphabet.
pub fn is_valid_correlation_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_CORRELATION_ID_BYTES
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The caller's id if [`is_valid_correlation_id`] accepts it, unchanged; otherwise (missing
/// or invalid) a new one from `ids.next_hex()`. An invalid id is replaced, not repaired.
/// Call `ids.next_hex()` only when a new id is needed: a valid incoming id must not use one up.
pub fn resolve_correlation_id(incoming: Option<&str>, ids: &IdGenerator) -> String {
    match incoming {
        Some(id) if is_valid_correlation_id(id) => id.to_owned(),
        _ => ids.next_hex(),
    }
}

struct Gateway {
    config: GatewayConfig,
    client: HttpClient,
    ids: IdGenerator,
}

/// A running gateway.
pub struct GatewayService {
    server: Server,
}

impl GatewayService {
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

/// Starts the gateway on `addr`.
pub async fn start(addr: SocketAddr, config: GatewayConfig) -> std::io::Result<GatewayService> {
    let gateway = Arc::new(Gateway { config, client: HttpClient::new(), ids: IdGenerator::from_entropy() });
    let server = Server::start("gateway", addr, move |request| {
        let gateway = Arc::clone(&gateway);
        async move { handle(&gateway, request).await }
    })
    .await?;
    Ok(GatewayService { server })
}

/// Provided: resolve the id, route, forward, and put the id on whatever comes back.
async fn handle(gateway: &Gateway, request: Request) -> Response {
    let correlation_id = resolve_correlation_id(request.correlation_id(), &gateway.ids);
    let response = if request.method == Method::GET && request.path == "/health" {
        Response::json(200, &serde_json::json!({ "status": "ok", "service": "gateway" }))
    } else {
        match route(&request.path) {
            Ok(upstream) => forward(gateway, upstream, &request, &correlation_id).await,
            Err(error) => Response::error(&error, Some(&correlation_id)),
        }
    };
    response.with_header(CORRELATION_HEADER, &correlation_id)
}

/// Provided: sends the request on with the same method, path, query and body, the caller's
/// `Authorization` header and the resolved correlation id; passes the answer back as it is.
async fn forward(gateway: &Gateway, upstream: Upstream, request: &Request, correlation_id: &str) -> Response {
    let base = match upstream {
        Upstream::Auth => &gateway.config.auth_url,
        Upstream::Processing => &gateway.config.processing_url,
        Upstream::Notifications => &gateway.config.notifications_url,
    };
    let mut url = format!("{base}{}", request.path);
    if let Some(query) = &request.query {
        url.push('?');
        url.push_str(query);
    }
    let mut headers = vec![(CORRELATION_HEADER, correlation_id)];
    if let Some(authorization) = request.header("authorization") {
        headers.push(("authorization", authorization));
    }
    let call = gateway.client.request(request.method.clone(), &url, &headers, request.body.clone());
    let timeout = gateway.config.upstream_timeout;
    match tokio::time::timeout(timeout, call).await {
        Ok(Ok(answer)) => Response { status: answer.status, headers: Vec::new(), body: answer.body },
        Ok(Err(error)) => Response::error(
            &ApiError::new(ErrorCode::UpstreamUnavailable, format!("{upstream:?} service unavailable: {error}")),
            Some(correlation_id),
        ),
        Err(_elapsed) => Response::error(
            &ApiError::new(ErrorCode::UpstreamTimeout, format!("{upstream:?} service did not answer within {timeout:?}")),
            Some(correlation_id),
        ),
    }
}
