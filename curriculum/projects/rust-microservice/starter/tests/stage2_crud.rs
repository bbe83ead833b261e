//! Stage 2: create, read, update and delete tasks, with validation and errors.

mod common;

use common::TestServer;
use hyper::{Method, StatusCode};
use rust_microservice::model::{validate_title, MAX_TITLE_CHARS};
use rust_microservice::ApiError;
use serde_json::json;

#[test]
fn stage2_validate_title_trims_and_counts_characters() {
    assert_eq!(validate_title("  Write tests \n").unwrap(), "Write tests");
    assert!(matches!(validate_title(""), Err(ApiError::Validation(_))));
    assert!(matches!(
        validate_title(" \t\n "),
        Err(ApiError::Validation(_))
    ));
    // 200 two-byte characters are 400 bytes but only 200 characters: accepted.
    let longest = "é".repeat(MAX_TITLE_CHARS);
    assert_eq!(validate_title(&longest).unwrap(), longest);
    let too_long = "a".repeat(MAX_TITLE_CHARS + 1);
    assert!(matches!(
        validate_title(&too_long),
        Err(ApiError::Validation(_))
    ));
    // Whitespace around a 200-character title does not count.
    let padded = format!("  {}  ", "b".repeat(MAX_TITLE_CHARS));
    assert_eq!(
        validate_title(&padded).unwrap().chars().count(),
        MAX_TITLE_CHARS
    );
}

#[tokio::test]
async fn stage2_create_returns_201_with_location_and_etag() {
    let server = TestServer::start().await;
    let response = server
        .api
        .post_json("/tasks", &json!({ "title": "  Write the brief  " }))
        .await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{:?}",
        response.json()
    );
    assert_eq!(
        response.json(),
        json!({ "id": 1, "title": "Write the brief", "done": false, "version": 1 })
    );
    assert_eq!(response.header("location"), "/tasks/1");
    assert_eq!(response.header("etag"), "\"1\"");
    assert!(response
        .header("content-type")
        .starts_with("application/json"));

    let second = server
        .api
        .post_json("/tasks", &json!({ "title": "Ship it", "done": true }))
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        second.json(),
        json!({ "id": 2, "title": "Ship it", "done": true, "version": 1 })
    );
}

#[tokio::test]
async fn stage2_get_returns_the_task_or_404() {
    let server = TestServer::start().await;
    let created = server.api.create_task("Read RFC 9110").await;
    let response = server.api.get("/tasks/1").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json(), created);
    assert_eq!(response.header("etag"), "\"1\"");

    server
        .api
        .get("/tasks/2")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .api
        .get("/tasks/0")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn stage2_update_replaces_fields_and_bumps_version() {
    let server = TestServer::start().await;
    server.api.create_task("Draft").await;
    let response = server
        .api
        .put_json("/tasks/1", &json!({ "title": "Final ", "done": true }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.json());
    assert_eq!(
        response.json(),
        json!({ "id": 1, "title": "Final", "done": true, "version": 2 })
    );
    assert_eq!(response.header("etag"), "\"2\"");
    assert_eq!(server.api.get("/tasks/1").await.json()["version"], 2);
}

#[tokio::test]
async fn stage2_update_with_if_match_checks_the_version() {
    let server = TestServer::start().await;
    server.api.create_task("Versioned").await;
    let body = json!({ "title": "Versioned", "done": true }).to_string();

    // Matching version (quoted, as ETag sends it): accepted.
    let ok = server
        .api
        .request(
            Method::PUT,
            "/tasks/1",
            &[("if-match", "\"1\"")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["version"], 2);

    // Stale version: 409, and the task is unchanged.
    let stale = server
        .api
        .request(
            Method::PUT,
            "/tasks/1",
            &[("if-match", "\"1\"")],
            Some(body.clone()),
        )
        .await;
    stale.assert_error(StatusCode::CONFLICT, "version_conflict");
    assert_eq!(server.api.get("/tasks/1").await.json()["version"], 2);

    // A bare number works too.
    let bare = server
        .api
        .request(
            Method::PUT,
            "/tasks/1",
            &[("if-match", "2")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(bare.status, StatusCode::OK);
    assert_eq!(bare.json()["version"], 3);

    // Not a version at all: 400 invalid_header.
    for bad in ["abc", "*", "W/\"3\"", "\"\"", "-1"] {
        server
            .api
            .request(
                Method::PUT,
                "/tasks/1",
                &[("if-match", bad)],
                Some(body.clone()),
            )
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_header");
    }
}

#[tokio::test]
async fn stage2_delete_returns_204_then_404() {
    let server = TestServer::start().await;
    server.api.create_task("Temporary").await;
    let response = server.api.delete("/tasks/1").await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.body.is_empty(), "204 must have an empty body");

    server
        .api
        .get("/tasks/1")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .api
        .delete("/tasks/1")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .api
        .put_json("/tasks/1", &json!({ "title": "Back?", "done": false }))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn stage2_ids_are_never_reused() {
    let server = TestServer::start().await;
    assert_eq!(server.api.create_task("one").await["id"], 1);
    assert_eq!(server.api.create_task("two").await["id"], 2);
    assert_eq!(
        server.api.delete("/tasks/2").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(server.api.create_task("three").await["id"], 3);
}

#[tokio::test]
async fn stage2_invalid_json_is_400() {
    let server = TestServer::start().await;
    let bodies = [
        "",                           // empty body
        "not json",                   // not JSON at all
        "{\"title\": \"unterminated", // broken JSON
        "{\"title\": 5}",             // wrong type
        "{}",                         // missing title
        "\"a string\"",               // a JSON string, not an object
        "null",                       // JSON null
    ];
    for body in bodies {
        server
            .api
            .request(Method::POST, "/tasks", &[], Some(body.to_string()))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    }
    server.api.create_task("exists").await;
    // PUT is a full replacement: `done` is required.
    server
        .api
        .put_json("/tasks/1", &json!({ "title": "no done field" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_json");
}

#[tokio::test]
async fn stage2_failed_validation_is_400() {
    let server = TestServer::start().await;
    for title in [
        String::new(),
        "   ".to_string(),
        "x".repeat(MAX_TITLE_CHARS + 1),
    ] {
        server
            .api
            .post_json("/tasks", &json!({ "title": title }))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "validation_failed");
    }
    server.api.create_task("valid").await;
    server
        .api
        .put_json("/tasks/1", &json!({ "title": "", "done": true }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "validation_failed");
    // Nothing invalid was stored: the only task is still the valid one.
    assert_eq!(server.api.get("/tasks/1").await.json()["title"], "valid");
    server
        .api
        .get("/tasks/2")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn stage2_checks_run_in_the_documented_order() {
    let server = TestServer::start().await;
    // Missing task + invalid body: the body is checked first (400, not 404).
    server
        .api
        .put_json("/tasks/99", &json!({ "title": "", "done": true }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "validation_failed");
    // Missing task + bad If-Match: the header is checked first (400).
    server
        .api
        .request(
            Method::PUT,
            "/tasks/99",
            &[("if-match", "nope")],
            Some(json!({ "title": "ok", "done": true }).to_string()),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_header");
    // Missing task + valid body + any If-Match: 404, not 409.
    server
        .api
        .request(
            Method::PUT,
            "/tasks/99",
            &[("if-match", "\"1\"")],
            Some(json!({ "title": "ok", "done": true }).to_string()),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
