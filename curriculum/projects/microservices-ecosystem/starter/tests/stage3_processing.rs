//! Stage 3: the processing service calls auth and publishes events.
//! Run only these with `cargo test stage3`.
//!
//! Real auth service, real processing service; the notification side is a fake that records
//! what it receives (the real, Elixir one arrives in stage 4).

use std::collections::HashSet;

use microservices_ecosystem::contract::{ErrorCode, Operation};
use microservices_ecosystem::processing::{bearer_token, run_operation};
use microservices_ecosystem::{
    closed_port_url, issue_token, post, post_raw, start_auth, start_processing, test_processing_config,
    FakeNotifications, ManualClock,
};
use serde_json::json;

#[test]
fn stage3_bearer_token_parsing() {
    assert_eq!(bearer_token(Some("Bearer abc.def.ghi")), Ok("abc.def.ghi"));
    assert_eq!(bearer_token(Some("bearer abc")), Ok("abc"), "the scheme is case-insensitive");
    assert_eq!(bearer_token(Some("BEARER   abc  ")), Ok("abc"), "extra spaces are trimmed");
    for bad in [None, Some(""), Some("Bearer"), Some("Bearer   "), Some("Basic dXNlcjpwYXNz"), Some("abc.def.ghi")] {
        let error = bearer_token(bad).unwrap_err();
        assert_eq!(error.code, ErrorCode::Unauthorized, "header {bad:?}");
    }
}

#[test]
fn stage3_operations() {
    assert_eq!(run_operation(Operation::Uppercase, "hello, world"), "HELLO, WORLD");
    assert_eq!(run_operation(Operation::Uppercase, "straße"), "STRASSE");
    assert_eq!(run_operation(Operation::WordCount, "  one two\tthree\nfour  "), "4");
    assert_eq!(run_operation(Operation::WordCount, "single"), "1");
}

#[tokio::test]
async fn stage3_a_job_is_processed_and_its_event_published() {
    let auth = start_auth(&ManualClock::at(platform_now())).await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let token = issue_token(&auth.url(), "alice").await;

    let reply = post(
        &format!("{}/v1/jobs", processing.url()),
        &[("authorization", &format!("Bearer {token}"))],
        &json!({ "operation": "uppercase", "text": "hello world" }),
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.json["subject"], "alice");
    assert_eq!(reply.json["operation"], "uppercase");
    assert_eq!(reply.json["result"], "HELLO WORLD");
    assert_eq!(reply.json["event_published"], true);
    let job_id = reply.json["job_id"].as_str().unwrap();
    let event_id = reply.json["event_id"].as_str().unwrap();
    assert!(job_id.starts_with("job-") && job_id.len() == 36, "job id {job_id}");
    assert!(event_id.starts_with("evt-") && event_id.len() == 36, "event id {event_id}");

    let received = notifications.received();
    assert_eq!(received.len(), 1, "exactly one event: {received:?}");
    let event = &received[0].body;
    assert_eq!(event["event_id"], event_id);
    assert_eq!(event["event_type"], "job.completed");
    assert_eq!(event["schema_version"], 1);
    assert_eq!(event["job_id"], job_id);
    assert_eq!(event["subject"], "alice");
    assert_eq!(event["operation"], "uppercase");
    assert_eq!(event["result"], "HELLO WORLD");
    let occurred_at = event["occurred_at"].as_u64().expect("occurred_at in Unix seconds");
    assert!(occurred_at.abs_diff(platform_now()) < 600, "occurred_at {occurred_at} should be about now");

    // Auth was asked exactly once.
    let verify_calls = auth.access_log().into_iter().filter(|e| e.path == "/v1/tokens/verify").count();
    assert_eq!(verify_calls, 1);
}

#[tokio::test]
async fn stage3_every_job_gets_its_own_ids() {
    let auth = start_auth(&ManualClock::at(platform_now())).await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let token = issue_token(&auth.url(), "bob").await;

    let mut job_ids = Vec::new();
    for text in ["a b", "c d e", "f"] {
        let reply = post(
            &format!("{}/v1/jobs", processing.url()),
            &[("authorization", &format!("Bearer {token}"))],
            &json!({ "operation": "word_count", "text": text }),
        )
        .await;
        reply.expect_status(201);
        job_ids.push(reply.json["job_id"].as_str().unwrap().to_owned());
    }
    let results: Vec<_> = notifications.received().iter().map(|r| r.body["result"].clone()).collect();
    assert_eq!(results, vec![json!("2"), json!("3"), json!("1")]);
    let event_ids: HashSet<_> = notifications.received().iter().map(|r| r.body["event_id"].to_string()).collect();
    let job_ids: HashSet<_> = job_ids.into_iter().collect();
    assert_eq!((job_ids.len(), event_ids.len()), (3, 3), "ids must be unique");
}

#[tokio::test]
async fn stage3_requests_without_a_usable_token_never_reach_auth() {
    let auth = start_auth(&ManualClock::at(platform_now())).await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let jobs = format!("{}/v1/jobs", processing.url());
    let body = json!({ "operation": "uppercase", "text": "hi" });

    for headers in [vec![], vec![("authorization", "Basic dXNlcjpwYXNz")], vec![("authorization", "Bearer ")]] {
        let reply = post(&jobs, &headers, &body).await;
        reply.expect_status(401);
        assert_eq!(reply.error_code(), Some("unauthorized"), "headers {headers:?}");
    }
    // No token and a broken body: authentication comes first.
    let reply = post_raw(&jobs, &[], b"{oops").await;
    reply.expect_status(401);
    assert_eq!(reply.error_code(), Some("unauthorized"));

    assert!(auth.access_log().is_empty(), "auth must not be called: {:?}", auth.access_log());
    assert!(notifications.received().is_empty());
}

#[tokio::test]
async fn stage3_auth_decides_about_tokens() {
    let clock = ManualClock::at(10_000);
    let auth = start_auth(&clock).await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let jobs = format!("{}/v1/jobs", processing.url());
    let body = json!({ "operation": "uppercase", "text": "hi" });

    let token = issue_token(&auth.url(), "carol").await;
    let forged = format!("{token}x");
    let reply = post(&jobs, &[("authorization", &format!("Bearer {forged}"))], &body).await;
    reply.expect_status(401);
    assert_eq!(reply.error_code(), Some("invalid_token"));

    clock.advance(900); // the default lifetime
    let reply = post(&jobs, &[("authorization", &format!("Bearer {token}"))], &body).await;
    reply.expect_status(401);
    assert_eq!(reply.error_code(), Some("token_expired"), "auth's code is passed through: {}", reply.text);

    assert_eq!(auth.access_log().iter().filter(|e| e.path == "/v1/tokens/verify").count(), 2);
    assert!(notifications.received().is_empty());
}

#[tokio::test]
async fn stage3_bad_jobs_are_rejected_after_authentication() {
    let auth = start_auth(&ManualClock::at(platform_now())).await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let jobs = format!("{}/v1/jobs", processing.url());
    let token = issue_token(&auth.url(), "dave").await;
    let authorization = format!("Bearer {token}");
    let headers = [("authorization", authorization.as_str())];

    for (body, code) in [
        (json!({ "operation": "shout", "text": "hi" }), "invalid_request"),
        (json!({ "operation": "uppercase" }), "invalid_request"),
        (json!({ "operation": "uppercase", "text": "   " }), "invalid_request"),
    ] {
        let reply = post(&jobs, &headers, &body).await;
        reply.expect_status(400);
        assert_eq!(reply.error_code(), Some(code), "body {body}");
    }
    let reply = post_raw(&jobs, &headers, b"{oops").await;
    reply.expect_status(400);
    assert_eq!(reply.error_code(), Some("malformed_json"));

    assert!(notifications.received().is_empty(), "no event for a rejected job");
}

#[tokio::test]
async fn stage3_unreachable_auth_is_503() {
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&closed_port_url(), &notifications.url())).await;
    let reply = post(
        &format!("{}/v1/jobs", processing.url()),
        &[("authorization", "Bearer some.token.here")],
        &json!({ "operation": "uppercase", "text": "hi" }),
    )
    .await;
    reply.expect_status(503);
    assert_eq!(reply.error_code(), Some("upstream_unavailable"));
}

#[tokio::test]
async fn stage3_a_failed_publication_does_not_fail_the_job() {
    let auth = start_auth(&ManualClock::at(platform_now())).await;
    let token = issue_token(&auth.url(), "erin").await;
    let authorization = format!("Bearer {token}");
    let body = json!({ "operation": "word_count", "text": "still works" });

    // Nobody listens where the notification service should be.
    let processing = start_processing(test_processing_config(&auth.url(), &closed_port_url())).await;
    let reply = post(&format!("{}/v1/jobs", processing.url()), &[("authorization", &authorization)], &body).await;
    reply.expect_status(201);
    assert_eq!(reply.json["result"], "2");
    assert_eq!(reply.json["event_published"], false);

    // The notification service refuses the event.
    let refusing = FakeNotifications::scripted(&[], 400).await;
    let processing = start_processing(test_processing_config(&auth.url(), &refusing.url())).await;
    let reply = post(&format!("{}/v1/jobs", processing.url()), &[("authorization", &authorization)], &body).await;
    reply.expect_status(201);
    assert_eq!(reply.json["event_published"], false);
}

fn platform_now() -> u64 {
    microservices_ecosystem::platform::unix_now()
}
