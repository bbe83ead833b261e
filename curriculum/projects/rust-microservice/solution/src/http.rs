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
use std::time::Instant;

use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use hyper::server::conn::{AddrIncoming, AddrStream};
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Method, Request, Response, Server, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::net::TcpListener;
use tracing::Instrument;

use crate::error::{ApiError, ServerError};
use crate::model::{validate_title, ListQuery, ListResponse, NewTask, Task, UpdateTask};
use crate::state::AppState;

/// Name of the header that carries the request id, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Longest request id accepted from a client.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then shuts down
/// gracefully: stop accepting, let in-flight requests finish, return `Ok(())`.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let incoming = AddrIncoming::from_listener(listener)?;
    // Called once per accepted connection; builds that connection's service.
    let make_service = make_service_fn(move |_conn: &AddrStream| {
        let state = state.clone();
        async move {
            // Called once per request on the connection.
            Ok::<_, Infallible>(service_fn(move |req| handle(req, state.clone())))
        }
    });
    Server::builder(incoming)
        .serve(make_service)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Every request enters here. It never fails: errors become error responses.
pub async fn handle(req: Request<Body>, state: AppState) -> Result<Response<Body>, Infallible> {
    let request_id = request_id(req.headers(), &state);
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let started = Instant::now();
    let timeout = state.config.request_timeout;

    let mut response = async move {
        match tokio::time::timeout(timeout, route_request(req, state)).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => err.to_response(),
            // The route future was dropped by `timeout`: the work is cancelled.
            Err(_elapsed) => ApiError::Timeout(timeout).to_response(),
        }
    }
    .instrument(span.clone())
    .await;

    let header = HeaderValue::from_str(&request_id).expect("request ids are visible ASCII");
    response.headers_mut().insert(REQUEST_ID_HEADER, header);

    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request finished"
        )
    });
    Ok(response)
}

/// The id for this request: the client's `x-request-id` if it is acceptable
/// (1 to 64 characters, each an ASCII letter, digit, `-`, `_` or `.`),
/// otherwise a freshly generated one.
pub fn request_id(headers: &HeaderMap, state: &AppState) -> String {
    let acceptable = |id: &str| {
        !id.is_empty()
            && id.len() <= MAX_REQUEST_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
    {
        Some(id) if acceptable(id) => id.to_string(),
        _ => format!("req-{}", state.next_request_number()),
    }
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
