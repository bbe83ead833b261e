//! Stage 4: the notification service (Elixir). Run only these with `cargo test stage4`.
//!
//! The first test runs the ExUnit tests in `notifications/` (`mix test`); the others start
//! the service with `mix run --no-halt` and talk to it over HTTP, like processing does.
//! Inside `notifications/` you can also run `mix test` directly: it is quicker while you work.

use microservices_ecosystem::{
    issue_token, list_notifications, mix_test, post, post_raw, start_auth, start_processing, test_processing_config,
    ElixirNotifications, ManualClock,
};
use serde_json::{json, Value};

fn event(id: &str, result: &str) -> Value {
    json!({
        "event_id": id,
        "event_type": "job.completed",
        "schema_version": 1,
        "job_id": format!("job-{id}"),
        "subject": "alice",
        "operation": "uppercase",
        "result": result,
        "occurred_at": 1_700_000_000u64
    })
}

#[test]
fn stage4_elixir_unit_tests() {
    let (passed, output) = mix_test();
    assert!(passed, "`mix test` failed in notifications/:\n{output}");
}

#[tokio::test]
async fn stage4_events_are_recorded_over_http() {
    let service = ElixirNotifications::start().await;
    let events = format!("{}/v1/events", service.url());

    let reply = post(&events, &[("x-correlation-id", "s4-record")], &event("e-100", "HELLO")).await;
    reply.expect_status(202);
    assert_eq!(reply.json, json!({ "status": "accepted", "event_id": "e-100" }));
    assert_eq!(reply.header("x-correlation-id"), Some("s4-record"), "the id is echoed");

    let listed = list_notifications(&service.url()).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["event_id"], "e-100");
    assert_eq!(listed[0]["job_id"], "job-e-100");
    assert_eq!(listed[0]["subject"], "alice");
    assert_eq!(listed[0]["message"], "Hi alice, your uppercase job job-e-100 finished: HELLO");
    assert_eq!(listed[0]["correlation_id"], "s4-record");
    assert_eq!(listed[0]["received"], 1);
}

#[tokio::test]
async fn stage4_a_retried_event_is_recorded_once() {
    let service = ElixirNotifications::start().await;
    let events = format!("{}/v1/events", service.url());

    post(&events, &[], &event("e-200", "FIRST")).await.expect_status(202);
    let again = post(&events, &[], &event("e-200", "FIRST")).await;
    again.expect_status(200);
    assert_eq!(again.json, json!({ "status": "duplicate", "event_id": "e-200" }));
    // Same id, different content: still a duplicate, and the first version stays.
    post(&events, &[], &event("e-200", "SECOND")).await.expect_status(200);
    post(&events, &[], &event("e-201", "OTHER")).await.expect_status(202);

    let listed = list_notifications(&service.url()).await;
    let ids: Vec<_> = listed.iter().map(|n| n["event_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["e-200", "e-201"], "oldest first, each id once");
    assert_eq!(listed[0]["received"], 3);
    assert!(listed[0]["message"].as_str().unwrap().ends_with("FIRST"), "{}", listed[0]);
    assert_eq!(listed[0]["correlation_id"], Value::Null);
}

#[tokio::test]
async fn stage4_the_elixir_side_speaks_the_same_contract() {
    let service = ElixirNotifications::start().await;
    let events = format!("{}/v1/events", service.url());

    let malformed = post_raw(&events, &[("x-correlation-id", "s4-bad")], b"{\"event_id\": ").await;
    malformed.expect_status(400);
    assert_eq!(malformed.error_code(), Some("malformed_json"));
    assert_eq!(malformed.json["error"]["correlation_id"], "s4-bad");

    let mut missing = event("e-300", "X");
    missing.as_object_mut().unwrap().remove("job_id");
    let invalid = post(&events, &[], &missing).await;
    invalid.expect_status(400);
    assert_eq!(invalid.error_code(), Some("invalid_request"));
    assert!(invalid.json["error"]["message"].as_str().unwrap().contains("job_id"), "{}", invalid.text);

    let mut future = event("e-301", "X");
    future["schema_version"] = json!(2);
    post(&events, &[], &future).await.expect_status(400);

    // Tolerant reader: unknown fields are fine; unknown event types are acknowledged and skipped.
    let mut extended = event("e-302", "X");
    extended["priority"] = json!("high");
    extended["labels"] = json!(["a", "b"]);
    post(&events, &[], &extended).await.expect_status(202);
    let mut other_type = event("e-303", "X");
    other_type["event_type"] = json!("job.started");
    let ignored = post(&events, &[], &other_type).await;
    ignored.expect_status(202);
    assert_eq!(ignored.json["status"], "ignored");

    let listed = list_notifications(&service.url()).await;
    let ids: Vec<_> = listed.iter().map(|n| n["event_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["e-302"]);

    let v2 = post(&format!("{}/v2/events", service.url()), &[], &event("e-304", "X")).await;
    v2.expect_status(404);
    assert_eq!(v2.error_code(), Some("unsupported_version"));
}

#[tokio::test]
async fn stage4_processing_publishes_to_the_elixir_service() {
    let service = ElixirNotifications::start().await;
    let auth = start_auth(&ManualClock::at(microservices_ecosystem::platform::unix_now())).await;
    let processing = start_processing(test_processing_config(&auth.url(), &service.url())).await;
    let token = issue_token(&auth.url(), "frank").await;

    let reply = post(
        &format!("{}/v1/jobs", processing.url()),
        &[("authorization", &format!("Bearer {token}")), ("x-correlation-id", "s4-chain")],
        &json!({ "operation": "word_count", "text": "one two three" }),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.json["event_published"], true, "{}", reply.text);

    let listed = list_notifications(&service.url()).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["event_id"], reply.json["event_id"]);
    assert_eq!(listed[0]["job_id"], reply.json["job_id"]);
    let job_id = reply.json["job_id"].as_str().unwrap();
    assert_eq!(listed[0]["message"], format!("Hi frank, your word_count job {job_id} finished: 3"));
}
