//! The HTTP layer: the server loop, routing, handlers and the per-request
//! wrapper (request id, timeout, logging).
//!
//! Rust note: `async fn f() -> T` is a function that returns a future of `T`
//! immediately; its body runs when the future is `.await`ed. Inside an
//! `async fn` you may `.await` other futures: `let bytes =
//! hyper::body::to_bytes(body).await?;` waits for the whole body without
//! blocking the thread (tokio runs other tasks meanwhile), then `?` returns
//! early on error.

use std::convert::Infallible;
use std::future::Future;

use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use hyper::server::conn::{AddrIncoming, AddrStream};
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Method, Request, Response, Server, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpListener;

use crate::error::{ApiError, ServerError};
use crate::model::{validate_title, ListQuery, ListResponse, NewTask, Task, UpdateTask};
use crate::state::AppState;

/// Name of the header that carries the request id, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Longest request id accepted from a client.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// Serves HTTP/1.1 on `listener` until `shutdown` completes.
///
/// Stage 1: serve every connection with [`handle`], each connection and each
/// request getting its own clone of `state`.
///
/// Stage 5: when `shutdown` completes, shut down gracefully: stop accepting
/// (close the listener, so new connections are refused), let requests that
/// are already running finish and get their responses, close idle
/// keep-alive connections, then return `Ok(())`.
///
/// Hints (hyper 0.14):
/// - `hyper::server::conn::AddrIncoming::from_listener(listener)?` wraps the
///   tokio listener; `hyper::Server::builder(incoming)` starts a server on it.
/// - `hyper::service::make_service_fn(move |_conn: &hyper::server::conn::AddrStream| { ... })` is
///   called once per connection and returns a future of a service;
///   `hyper::service::service_fn(move |req| handle(req, state.clone()))` is
///   that service, called once per request. Both closures are `move` and
///   clone the state *before* building the next level, because each future
///   they return must own its data (`'static`): hyper spawns it as a task.
///   The error type of the outer future is `Infallible`:
///   `async move { Ok::<_, Infallible>(service_fn(...)) }`.
/// - `.serve(make_service)` gives a future that runs forever;
///   `.with_graceful_shutdown(shutdown)` is the stage 5 piece.
///
/// Rust note: `impl Future<Output = ()> + Send + 'static` in argument position
/// means "any future type that completes with `()`, can move to another
/// thread and borrows nothing short-lived". The tests pass an `async` block
/// that waits on a `tokio::sync::oneshot` channel; `main.rs` passes Ctrl-C.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let _ = shutdown; // stage 5: graceful shutdown
    let incoming = AddrIncoming::from_listener(listener)?;
    // Called once per accepted connection; builds that connection's service.
    let make_service = make_service_fn(move |_conn: &AddrStream| {
        let state = state.clone();
        async move {
            // Called once per request on the connection.
            Ok::<_, Infallible>(service_fn(move |req| handle(req, state.clone())))
        }
    });
    Server::builder(incoming).serve(make_service).await?;
    Ok(())
}

/// Every request enters here. It never fails: errors become error responses
/// (that is what `Infallible`, a type with no values, says).
///
/// Stage 1: call [`route_request`]; on `Err(e)` answer `e.to_response()`.
///
/// Stage 5 adds, around that:
/// - a request id from [`request_id`], sent back in the `x-request-id`
///   header of every response (errors and timeouts included);
/// - a timeout: `tokio::time::timeout(state.config.request_timeout, fut).await`
///   gives `Err(_)` when the deadline passes first, and drops `fut` (that is
///   how the work gets cancelled); answer `ApiError::Timeout(..)` (503);
/// - logging: one INFO event per request, after the response is known, with
///   fields `request_id` and `status` (e.g. inside a span:
///   `tracing::info_span!("request", request_id = %id, method = %m, path = %p)`,
///   attached to the async work with `tracing::Instrument::instrument`, then
///   `tracing::info!(status = response.status().as_u16(), "request finished")`
///   inside `span.in_scope(|| ...)`).
pub async fn handle(req: Request<Body>, state: AppState) -> Result<Response<Body>, Infallible> {
    let response = match route_request(req, state).await {
        Ok(response) => response,
        Err(err) => err.to_response(),
    };
    Ok(response)
}

/// The id for this request. Stage 5.
///
/// If the client sent an `x-request-id` that is acceptable (1 to 64
/// characters, each an ASCII letter, digit, `-`, `_` or `.`), use it as is.
/// Otherwise generate one that no other request of this process gets, using
/// only those characters (e.g. `format!("req-{}", state.next_request_number())`).
pub fn request_id(headers: &HeaderMap, state: &AppState) -> String {
    let _ = (headers, state);
    todo!("stage 5: reuse or generate the request id")
}

/// What a request asks for, once method and path are understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Health,
    ListTasks,
    CreateTask,
    GetTask(u64),
    UpdateTask(u64),
    DeleteTask(u64),
}

/// Maps method and path (no query string) to a [`Route`].
pub fn match_route(method: &Method, path: &str) -> Result<Route, ApiError> {
    let not_allowed = |allow: &'static str| ApiError::MethodNotAllowed {
        method: method.clone(),
        allow,
    };
    if path == "/health" {
        return match *method {
            Method::GET => Ok(Route::Health),
            _ => Err(not_allowed("GET")),
        };
    }
    if path == "/tasks" {
        return match *method {
            Method::GET => Ok(Route::ListTasks),
            Method::POST => Ok(Route::CreateTask),
            _ => Err(not_allowed("GET, POST")),
        };
    }
    if let Some(id) = path.strip_prefix("/tasks/").and_then(parse_id) {
        return match *method {
            Method::GET => Ok(Route::GetTask(id)),
            Method::PUT => Ok(Route::UpdateTask(id)),
            Method::DELETE => Ok(Route::DeleteTask(id)),
            _ => Err(not_allowed("GET, PUT, DELETE")),
        };
    }
    Err(ApiError::NotFound(path.to_string()))
}

fn parse_id(segment: &str) -> Option<u64> {
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// Routes the request and runs its handler.
pub async fn route_request(
    req: Request<Body>,
    state: AppState,
) -> Result<Response<Body>, ApiError> {
    match match_route(req.method(), req.uri().path())? {
        Route::Health => Ok(health()),
        Route::ListTasks => list_tasks(req, &state).await,
        Route::CreateTask => create_task(req, &state).await,
        Route::GetTask(id) => get_task(id, &state).await,
        Route::UpdateTask(id) => update_task(id, req, &state).await,
        Route::DeleteTask(id) => delete_task(id, &state).await,
    }
}

/// `GET /health`: 200 `{"status":"ok"}`.
pub fn health() -> Response<Body> {
    json_response(StatusCode::OK, &serde_json::json!({ "status": "ok" }))
}

/// `POST /tasks`: 201 with the task, `Location` and `ETag`.
pub async fn create_task(req: Request<Body>, state: &AppState) -> Result<Response<Body>, ApiError> {
    let new: NewTask = read_json(req).await?;
    let title = validate_title(&new.title)?;
    let task = state
        .repo
        .create(NewTask {
            title,
            done: new.done,
        })
        .await?;
    let mut response = task_response(StatusCode::CREATED, &task);
    let location = HeaderValue::from_str(&format!("/tasks/{}", task.id))
        .expect("a path of digits is a valid header");
    response.headers_mut().insert(LOCATION, location);
    Ok(response)
}

/// `GET /tasks/{id}`: 200 with the task and its `ETag`.
pub async fn get_task(id: u64, state: &AppState) -> Result<Response<Body>, ApiError> {
    let task = state.repo.get(id).await?;
    Ok(task_response(StatusCode::OK, &task))
}

/// `PUT /tasks/{id}`: 200 with the updated task and its new `ETag`.
pub async fn update_task(
    id: u64,
    req: Request<Body>,
    state: &AppState,
) -> Result<Response<Body>, ApiError> {
    let expected_version = parse_if_match(req.headers())?;
    let changes: UpdateTask = read_json(req).await?;
    let title = validate_title(&changes.title)?;
    let task = state
        .repo
        .update(
            id,
            UpdateTask {
                title,
                done: changes.done,
            },
            expected_version,
        )
        .await?;
    Ok(task_response(StatusCode::OK, &task))
}

/// `DELETE /tasks/{id}`: 204 with an empty body.
pub async fn delete_task(id: u64, state: &AppState) -> Result<Response<Body>, ApiError> {
    state.repo.delete(id).await?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

/// `GET /tasks?limit=&offset=&done=`: 200 with a page of tasks.
pub async fn list_tasks(req: Request<Body>, state: &AppState) -> Result<Response<Body>, ApiError> {
    let query = ListQuery::parse(req.uri().query())?;
    let (limit, offset) = (query.limit, query.offset);
    let page = state.repo.list(query).await?;
    let body = ListResponse {
        items: page.items,
        total: page.total,
        limit,
        offset,
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// The version named by `If-Match`, if the header is present.
///
/// Accepts `"3"` (an entity tag, as `ETag` sends it) or a bare `3`. Anything
/// else is [`ApiError::InvalidHeader`].
pub fn parse_if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let value = match headers.get(IF_MATCH) {
        Some(value) => value,
        None => return Ok(None),
    };
    let invalid = || {
        ApiError::InvalidHeader(
            "If-Match must be a task version such as \"3\" (the ETag of the task)".to_string(),
        )
    };
    let text = value.to_str().map_err(|_| invalid())?.trim();
    let inner = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text);
    parse_id(inner).map(Some).ok_or_else(invalid)
}

/// Reads the whole body and deserializes it as JSON.
pub async fn read_json<T: DeserializeOwned>(req: Request<Body>) -> Result<T, ApiError> {
    let bytes = hyper::body::to_bytes(req.into_body())
        .await
        .map_err(|err| ApiError::InvalidJson(format!("could not read the body: {err}")))?;
    serde_json::from_slice(&bytes).map_err(|err| ApiError::InvalidJson(err.to_string()))
}

/// A response with `status`, `Content-Type: application/json` and `value` as body.
pub fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            *response.status_mut() = status;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(err) => {
            ApiError::Internal(format!("could not serialize the response: {err}")).to_response()
        }
    }
}

/// A task as JSON, with `ETag: "<version>"`.
pub fn task_response(status: StatusCode, task: &Task) -> Response<Body> {
    let mut response = json_response(status, task);
    let etag = HeaderValue::from_str(&format!("\"{}\"", task.version))
        .expect("a quoted number is a valid header");
    response.headers_mut().insert(ETAG, etag);
    response
}
