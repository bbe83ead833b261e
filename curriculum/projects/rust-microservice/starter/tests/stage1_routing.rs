//! Stage 1: routing and a health endpoint.

mod common;

use common::TestServer;
use hyper::{Method, StatusCode};
use rust_microservice::{match_route, ApiError, Route};

#[test]
fn stage1_match_route_maps_methods_and_paths() {
    assert_eq!(match_route(&Method::GET, "/health").unwrap(), Route::Health);
    assert_eq!(
        match_route(&Method::GET, "/tasks").unwrap(),
        Route::ListTasks
    );
    assert_eq!(
        match_route(&Method::POST, "/tasks").unwrap(),
        Route::CreateTask
    );
    assert_eq!(
        match_route(&Method::GET, "/tasks/7").unwrap(),
        Route::GetTask(7)
    );
    assert_eq!(
        match_route(&Method::PUT, "/tasks/42").unwrap(),
        Route::UpdateTask(42)
    );
    assert_eq!(
        match_route(&Method::DELETE, "/tasks/1").unwrap(),
        Route::DeleteTask(1)
    );
}

#[test]
fn stage1_match_route_tells_404_from_405() {
    for path in [
        "/",
        "/nope",
        "/health/",
        "/tasks/",
        "/tasks/abc",
        "/tasks/+5",
        "/tasks/1/x",
    ] {
        match match_route(&Method::GET, path) {
            Err(ApiError::NotFound(_)) => {}
            other => panic!("GET {path}: expected ApiError::NotFound, got {other:?}"),
        }
    }
    let cases = [
        (Method::POST, "/health", "GET"),
        (Method::DELETE, "/tasks", "GET, POST"),
        (Method::POST, "/tasks/3", "GET, PUT, DELETE"),
    ];
    for (method, path, expected_allow) in cases {
        match match_route(&method, path) {
            Err(ApiError::MethodNotAllowed { allow, .. }) => {
                assert_eq!(allow, expected_allow, "{method} {path}")
            }
            other => panic!("{method} {path}: expected MethodNotAllowed, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn stage1_health_returns_ok_json() {
    let server = TestServer::start().await;
    let response = server.api.get("/health").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response
            .header("content-type")
            .starts_with("application/json"),
        "Content-Type was {:?}",
        response.header("content-type")
    );
    assert_eq!(response.json(), serde_json::json!({ "status": "ok" }));
}

#[tokio::test]
async fn stage1_health_ignores_the_query_string() {
    let server = TestServer::start().await;
    let response = server.api.get("/health?verbose=1").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["status"], "ok");
}

#[tokio::test]
async fn stage1_unknown_route_is_404_with_error_body() {
    let server = TestServer::start().await;
    for path in ["/", "/nope", "/health/extra", "/tasks/abc"] {
        let response = server.api.get(path).await;
        response.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn stage1_wrong_method_is_405_with_allow_header() {
    let server = TestServer::start().await;
    let response = server
        .api
        .request(Method::POST, "/health", &[], Some("{}".to_string()))
        .await;
    response.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(response.header("allow"), "GET");

    let response = server.api.delete("/tasks").await;
    response.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(response.header("allow"), "GET, POST");
}
