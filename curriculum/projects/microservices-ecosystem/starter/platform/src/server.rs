//! A minimal HTTP/1.1 server around hyper. Provided.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use contract::{ErrorBody, ErrorCode, ErrorEnvelope, CORRELATION_HEADER};
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::server::conn::Http;
use hyper::service::service_fn;
use hyper::{Body, HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One incoming request, fully read into memory (bodies here are small JSON documents).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// The path without the query string, e.g. `/v1/jobs`.
    pub path: String,
    /// The query string without the `?`, if any.
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of a header, if present and valid text. Names are case-insensitive.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `X-Correlation-Id` header, if the caller sent one.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header(CORRELATION_HEADER)
    }

    /// Decodes the body with [`contract::decode`], so bad bodies become contract errors.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, contract::ApiError> {
        contract::decode(&self.body)
    }
}

/// An answer: status, extra headers and a body (JSON unless a handler says otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer with the given status.
    pub fn json<T: Serialize>(status: u16, value: &T) -> Response {
        let body = serde_json::to_vec(value).expect("response types always serialize");
        Response { status, headers: Vec::new(), body }
    }

    /// The contract's error envelope, with the status that goes with the error's code.
    pub fn error(error: &contract::ApiError, correlation_id: Option<&str>) -> Response {
        Response::json(error.status(), &error.envelope(correlation_id))
    }

    /// `Ok(value)` becomes a JSON answer with `status`, `Err(error)` the error envelope.
    pub fn from_result<T: Serialize>(
        status: u16,
        result: Result<T, contract::ApiError>,
        correlation_id: Option<&str>,
    ) -> Response {
        match result {
            Ok(value) => Response::json(status, &value),
            Err(error) => Response::error(&error, correlation_id),
        }
    }

    /// Adds (or replaces) a header. Returns `self` so calls can be chained.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// The value of a header set on this response.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One line of a server's access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The `X-Correlation-Id` of the answer (which the server copies from the request
    /// unless the handler set one itself).
    pub correlation_id: Option<String>,
}

/// A running server. Dropping it stops accepting connections.
pub struct Server {
    name: &'static str,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
    accept_task: JoinHandle<()>,
}

impl Server {
    /// Binds `addr` (use `127.0.0.1:0` for "any free port") and serves `handler` on it.
    ///
    /// `handler` is any function or closure that takes a [`Request`] and returns a future of
    /// a [`Response`]; every request runs it in a task of its own. The server logs each
    /// request with `tracing` under the target `access` and keeps an in-memory access log
    /// that tests can read.
    pub async fn start<H, F>(name: &'static str, addr: SocketAddr, handler: H) -> std::io::Result<Server>
    where
        H: Fn(Request) -> F + Send + Sync + 'static,
        F: Future<Output = Response> + Send + 'static,
    {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let accept_task = tokio::spawn(accept_loop(name, listener, handler, Arc::clone(&log)));
        tracing::info!(service = name, %addr, "listening");
        Ok(Server { name, addr, log, accept_task })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, the base URL other services use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A copy of the access log so far, oldest first.
    pub fn access_log(&self) -> Vec<AccessLogEntry> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

async fn accept_loop<H, F>(
    name: &'static str,
    listener: TcpListener,
    handler: Arc<H>,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
) where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: back off briefly instead of spinning.
                tracing::warn!(service = name, %error, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let handler = Arc::clone(&handler);
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                async move { Ok::<_, Infallible>(handle_one(name, request, handler, log).await) }
            });
            if let Err(error) = Http::new().http1_only(true).serve_connection(stream, service).await {
                tracing::debug!(service = name, %error, "connection ended with an error");
            }
        });
    }
}

async fn handle_one<H, F>(
    name: &'static str,
    request: hyper::Request<Body>,
    handler: Arc<H>,
    log: Arc<Mutex<Vec<AccessLogEntry>>>,
) -> hyper::Response<Body>
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let (parts, body) = request.into_parts();
    let request = Request {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: Vec::new(),
    };
    let incoming_id = request.correlation_id().map(str::to_owned);
    let method = request.method.to_string();
    let path = request.path.clone();

    let response = match hyper::body::to_bytes(body).await {
        Err(error) => internal_error(format!("could not read the request body: {error}"), incoming_id.as_deref()),
        Ok(bytes) => {
            let request = Request { body: bytes.to_vec(), ..request };
            // Running the handler in its own task means a panic (for example a `todo!()`)
            // ends only that task; we answer 500 with the panic message instead of dropping
            // the connection, so the test that made the request can show you what happened.
            match tokio::spawn(handler(request)).await {
                Ok(response) => response,
                Err(join_error) => {
                    let message = panic_message(join_error);
                    tracing::error!(service = name, %method, %path, "handler panicked: {message}");
                    internal_error(format!("handler panicked: {message}"), incoming_id.as_deref())
                }
            }
        }
    };

    // Echo the caller's correlation id unless the handler chose one itself.
    let response = match (&incoming_id, response.header(CORRELATION_HEADER)) {
        (Some(id), None) => response.with_header(CORRELATION_HEADER, id),
        _ => response,
    };
    let correlation_id = response.header(CORRELATION_HEADER).map(str::to_owned);
    tracing::info!(
        target: "access",
        service = name,
        %method,
        %path,
        status = response.status,
        correlation_id = correlation_id.as_deref().unwrap_or("-"),
    );
    log.lock().unwrap().push(AccessLogEntry { method, path, status: response.status, correlation_id });
    into_hyper(response)
}

fn internal_error(message: String, correlation_id: Option<&str>) -> Response {
    // Built by hand rather than with `ApiError::envelope`, so that it works even before
    // stage 1 is done.
    let envelope = ErrorEnvelope {
        error: ErrorBody {
            code: ErrorCode::Internal,
            message,
            correlation_id: correlation_id.map(str::to_owned),
        },
    };
    Response::json(500, &envelope)
}

fn panic_message(error: tokio::task::JoinError) -> String {
    if !error.is_panic() {
        return "the handler task was cancelled".to_owned();
    }
    let payload = error.into_panic();
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

fn into_hyper(response: Response) -> hyper::Response<Body> {
    let mut builder = hyper::Response::builder()
        .status(StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    let headers = builder.headers_mut().expect("a fresh builder has headers");
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in &response.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::try_from(value.as_str())) {
            headers.insert(name, value);
        }
    }
    builder.body(Body::from(response.body)).expect("status and headers are valid")
}
