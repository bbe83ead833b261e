//! Stage 6: the gateway and correlation ids through every hop.
//! Run only these with `cargo test stage6`.

use std::collections::HashSet;

use microservices_ecosystem::auth::AuthService;
use microservices_ecosystem::contract::ErrorCode;
use microservices_ecosystem::gateway::{self, is_valid_correlation_id, resolve_correlation_id, route, GatewayConfig, Upstream};
use microservices_ecosystem::platform::IdGenerator;
use microservices_ecosystem::processing::ProcessingService;
use microservices_ecosystem::{
    closed_port_url, get, issue_token, list_notifications, loopback, post, start_auth_real_time, start_processing,
    test_processing_config, ElixirNotifications, FakeNotifications,
};
use serde_json::{json, Value};

fn is_generated(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn stage6_correlation_ids_are_validated() {
    for good in ["abc", "req-42", "a-b_c.d", "ABCxyz0189", &"x".repeat(64)] {
        assert!(is_valid_correlation_id(good), "{good:?} is acceptable");
    }
    for bad in ["", &"x".repeat(65), "has space", "semi;colon", "quote\"", "new\nline", "tab\t", "ünï", "a/b", "{json}"] {
        assert!(!is_valid_correlation_id(bad), "{bad:?} must be refused");
    }
}

#[test]
fn stage6_resolve_keeps_good_ids_and_replaces_the_rest() {
    let ids = IdGenerator::seeded(5);
    assert_eq!(resolve_correlation_id(Some("req-1"), &ids), "req-1");

    let expected = IdGenerator::seeded(5).next_hex();
    assert_eq!(resolve_correlation_id(None, &ids), expected, "a new id comes from ids.next_hex()");

    let replaced = resolve_correlation_id(Some("bad id"), &ids);
    assert!(is_generated(&replaced), "an invalid id is replaced by a fresh one, got {replaced:?}");

    let ids = IdGenerator::from_entropy();
    let fresh: HashSet<String> = (0..1000).map(|_| resolve_correlation_id(None, &ids)).collect();
    assert_eq!(fresh.len(), 1000, "fresh ids are unique");
    assert!(fresh.iter().all(|id| is_generated(id)));
}

#[test]
fn stage6_routes() {
    assert_eq!(route("/v1/tokens"), Ok(Upstream::Auth));
    assert_eq!(route("/v1/tokens/verify"), Ok(Upstream::Auth));
    assert_eq!(route("/v1/jobs"), Ok(Upstream::Processing));
    assert_eq!(route("/v1/jobs/"), Ok(Upstream::Processing));
    assert_eq!(route("/v1/jobs/123"), Ok(Upstream::Processing));
    assert_eq!(route("/v1/notifications"), Ok(Upstream::Notifications));
    for path in ["/v1/jobsearch", "/v1/tokensx", "/v1/", "/v1", "/jobs", "/v1/health", "/health/v1/jobs"] {
        assert_eq!(route(path).unwrap_err().code, ErrorCode::NotFound, "path {path}");
    }
    assert_eq!(route("/v2/jobs").unwrap_err().code, ErrorCode::UnsupportedVersion);
}

#[tokio::test]
async fn stage6_processing_passes_the_id_on_unchanged() {
    let auth = start_auth_real_time().await;
    let notifications = FakeNotifications::start().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let token = issue_token(&auth.url(), "ivan").await;
    let authorization = format!("Bearer {token}");
    let body = json!({ "operation": "uppercase", "text": "trace me" });

    let reply = post(
        &format!("{}/v1/jobs", processing.url()),
        &[("authorization", &authorization), ("x-correlation-id", "s6-direct")],
        &body,
    )
    .await;
    reply.expect_status(201);
    assert_eq!(reply.header("x-correlation-id"), Some("s6-direct"));
    assert_eq!(verify_ids(&auth), vec![Some("s6-direct".to_owned())], "processing -> auth");
    let received = notifications.received();
    assert_eq!(received[0].correlation_id.as_deref(), Some("s6-direct"), "processing -> notifications");

    // Without an id, processing does not invent one: that is the gateway's job.
    post(&format!("{}/v1/jobs", processing.url()), &[("authorization", &authorization)], &body)
        .await
        .expect_status(201);
    assert_eq!(verify_ids(&auth)[1], None);
    assert_eq!(notifications.received()[1].correlation_id, None);
}

/// The correlation ids of auth's verify calls, in order.
fn verify_ids(auth: &AuthService) -> Vec<Option<String>> {
    auth.access_log().into_iter().filter(|e| e.path == "/v1/tokens/verify").map(|e| e.correlation_id).collect()
}

struct Ecosystem {
    notifications: ElixirNotifications,
    auth: AuthService,
    processing: ProcessingService,
    gateway: gateway::GatewayService,
}

async fn ecosystem() -> Ecosystem {
    let notifications = ElixirNotifications::start().await;
    let auth = start_auth_real_time().await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let config = GatewayConfig::new(auth.url(), processing.url(), notifications.url());
    let gateway = gateway::start(loopback(), config).await.expect("start gateway");
    Ecosystem { notifications, auth, processing, gateway }
}

/// Gets a token and submits a job, both through the gateway; returns the job reply's
/// correlation id header and body.
async fn job_through_gateway(eco: &Ecosystem, correlation_id: Option<&str>, text: &str) -> (String, Value) {
    let token_reply = post(&format!("{}/v1/tokens", eco.gateway.url()), &[], &json!({ "subject": "judy" })).await;
    token_reply.expect_status(201);
    let authorization = format!("Bearer {}", token_reply.json["token"].as_str().unwrap());
    let mut headers = vec![("authorization", authorization.as_str())];
    if let Some(id) = correlation_id {
        headers.push(("x-correlation-id", id));
    }
    let reply = post(
        &format!("{}/v1/jobs", eco.gateway.url()),
        &headers,
        &json!({ "operation": "word_count", "text": text }),
    )
    .await;
    reply.expect_status(201);
    let id = reply.header("x-correlation-id").expect("the gateway answers with the id").to_owned();
    (id, reply.json.clone())
}

fn notification_for<'a>(listed: &'a [Value], job: &Value) -> &'a Value {
    listed
        .iter()
        .find(|n| n["event_id"] == job["event_id"])
        .unwrap_or_else(|| panic!("no notification for {job} in {listed:?}"))
}

#[tokio::test]
async fn stage6_an_id_given_to_the_gateway_reaches_every_hop() {
    let eco = ecosystem().await;
    let (id, job) = job_through_gateway(&eco, Some("s6-given-id"), "follow this one").await;
    assert_eq!(id, "s6-given-id", "a valid id is kept");
    assert_eq!(job["event_published"], true);

    let jobs_in = |log: Vec<microservices_ecosystem::platform::AccessLogEntry>| {
        log.into_iter().filter(|e| e.path == "/v1/jobs").map(|e| e.correlation_id).collect::<Vec<_>>()
    };
    assert_eq!(jobs_in(eco.gateway.access_log()), vec![Some(id.clone())], "gateway");
    assert_eq!(jobs_in(eco.processing.access_log()), vec![Some(id.clone())], "gateway -> processing");
    assert!(verify_ids(&eco.auth).contains(&Some(id.clone())), "processing -> auth: {:?}", eco.auth.access_log());

    // Through the gateway too: GET /v1/notifications is routed to the Elixir service.
    let listed = get(&format!("{}/v1/notifications", eco.gateway.url()), &[]).await;
    listed.expect_status(200);
    let listed = listed.json["notifications"].as_array().cloned().unwrap_or_default();
    assert_eq!(notification_for(&listed, &job)["correlation_id"], id.as_str(), "processing -> notifications");
    let log = eco.notifications.output();
    assert!(log.contains("correlation_id=s6-given-id"), "the Elixir service logs the id:\n{log}");
}

#[tokio::test]
async fn stage6_the_gateway_creates_or_replaces_ids() {
    let eco = ecosystem().await;

    let (created, job_a) = job_through_gateway(&eco, None, "no id given").await;
    assert!(is_generated(&created), "a fresh id for a request without one, got {created:?}");

    let (replaced, job_b) = job_through_gateway(&eco, Some("bad id; rm -rf"), "unsafe id given").await;
    assert!(is_generated(&replaced), "an unsafe id is replaced, got {replaced:?}");
    assert_ne!(created, replaced);

    let listed = list_notifications(&eco.notifications.url()).await;
    assert_eq!(notification_for(&listed, &job_a)["correlation_id"], created.as_str());
    assert_eq!(notification_for(&listed, &job_b)["correlation_id"], replaced.as_str());
    let processing_ids: Vec<_> = eco.processing.access_log().into_iter().map(|e| e.correlation_id).collect();
    assert_eq!(processing_ids, vec![Some(created), Some(replaced)]);
}

#[tokio::test]
async fn stage6_gateway_errors_carry_the_id() {
    let auth = start_auth_real_time().await;
    let down = closed_port_url();
    let gateway = gateway::start(loopback(), GatewayConfig::new(auth.url(), down.clone(), down)).await.unwrap();

    for (path, status, code) in [("/v1/nothing", 404, "not_found"), ("/v2/jobs", 404, "unsupported_version")] {
        let reply = get(&format!("{}{path}", gateway.url()), &[("x-correlation-id", "s6-err")]).await;
        reply.expect_status(status);
        assert_eq!(reply.error_code(), Some(code), "{path}");
        assert_eq!(reply.json["error"]["correlation_id"], "s6-err");
        assert_eq!(reply.header("x-correlation-id"), Some("s6-err"));
    }

    let reply = post(&format!("{}/v1/jobs", gateway.url()), &[], &json!({ "operation": "uppercase", "text": "x" })).await;
    reply.expect_status(503);
    assert_eq!(reply.error_code(), Some("upstream_unavailable"));
    let id = reply.header("x-correlation-id").expect("an id on errors too").to_owned();
    assert!(is_generated(&id));
    assert_eq!(reply.json["error"]["correlation_id"], id.as_str());

    let health = get(&format!("{}/health", gateway.url()), &[]).await;
    health.expect_status(200);
    assert!(health.header("x-correlation-id").is_some());
}
