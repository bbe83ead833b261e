//! Stage 5: timeouts, retries with backoff and jitter, a circuit breaker, and duplicates.
//! Run only these with `cargo test stage5`.
//!
//! The first tests drive the pure state machines of the `resilience` crate with a fixed
//! clock and fixed random numbers. The others run processing against failing stand-ins and
//! against the real Elixir service, which one test kills and restarts.

use std::cell::Cell;
use std::time::{Duration, Instant};

use microservices_ecosystem::resilience::{Backoff, BreakerState, CircuitBreaker, Decision, Failure, RetryPolicy};
use microservices_ecosystem::{
    eventually, issue_token, list_notifications, post, start_auth, start_auth_real_time, start_processing,
    test_processing_config, BlackHole, ElixirNotifications, FakeNotifications, FlakyProxy, ManualClock,
};
use serde_json::{json, Value};

const MS: fn(u64) -> Duration = Duration::from_millis;

fn backoff() -> Backoff {
    Backoff { base: MS(100), max: MS(1000) }
}

// ---------------------------------------------------------------------------------------------
// Backoff and retry decisions
// ---------------------------------------------------------------------------------------------

#[test]
fn stage5_backoff_ceiling_doubles_and_is_capped() {
    let b = backoff();
    let ceilings: Vec<_> = (0..7).map(|retry| b.ceiling(retry)).collect();
    assert_eq!(ceilings, [MS(100), MS(200), MS(400), MS(800), MS(1000), MS(1000), MS(1000)]);
    for retry in [31, 32, 63, 64, 1000, u32::MAX] {
        assert_eq!(b.ceiling(retry), MS(1000), "retry {retry} must not overflow");
    }
    let hours = Backoff { base: Duration::from_secs(1), max: Duration::from_secs(3600) };
    assert_eq!(hours.ceiling(11), Duration::from_secs(2048));
    assert_eq!(hours.ceiling(12), Duration::from_secs(3600));
    assert_eq!(hours.ceiling(40), Duration::from_secs(3600));
}

#[test]
fn stage5_backoff_delay_is_full_jitter_below_the_ceiling() {
    let b = backoff();
    // delay = random % (ceiling_ms + 1) milliseconds
    assert_eq!(b.delay(2, &mut || 250), MS(250), "ceiling 400 ms");
    assert_eq!(b.delay(2, &mut || 401), MS(0));
    assert_eq!(b.delay(2, &mut || 1234), MS(31));
    assert_eq!(b.delay(0, &mut || u64::MAX), MS(78), "ceiling 100 ms");
    assert_eq!(b.delay(10, &mut || 5000), MS(996), "ceiling 1000 ms");

    // Exactly one random number per delay, and never above the ceiling.
    let draws = Cell::new(0u64);
    let mut rng = || {
        draws.set(draws.get() + 1);
        draws.get().wrapping_mul(0x9E37_79B9_7F4A_7C15)
    };
    for retry in 0..200 {
        let delay = b.delay(retry % 8, &mut rng);
        assert!(delay <= b.ceiling(retry % 8), "retry {retry}: {delay:?}");
    }
    assert_eq!(draws.get(), 200);
}

#[test]
fn stage5_failures_are_classified() {
    assert!(Failure::Timeout.is_retryable());
    assert!(Failure::Transport("connection refused".to_owned()).is_retryable());
    for status in [408, 429, 500, 502, 503, 504, 599] {
        assert!(Failure::Status(status).is_retryable(), "{status} is worth retrying");
    }
    for status in [400, 401, 403, 404, 409, 422, 301, 600] {
        assert!(!Failure::Status(status).is_retryable(), "{status} will fail the same way again");
    }
}

#[test]
fn stage5_retry_decisions() {
    let policy = RetryPolicy { max_attempts: 3, backoff: backoff(), attempt_timeout: MS(500) };
    assert_eq!(policy.decide(1, &Failure::Timeout, &mut || 70), Decision::RetryAfter(MS(70)), "first retry: ceiling 100");
    assert_eq!(
        policy.decide(2, &Failure::Status(503), &mut || 350),
        Decision::RetryAfter(MS(149)),
        "second retry: ceiling 200"
    );

    // Giving up never draws a random number.
    let no_draw = &mut || -> u64 { panic!("no random number is needed to give up") };
    assert_eq!(policy.decide(3, &Failure::Timeout, no_draw), Decision::GiveUp, "three attempts made");
    assert_eq!(policy.decide(7, &Failure::Timeout, no_draw), Decision::GiveUp);
    assert_eq!(policy.decide(1, &Failure::Status(400), no_draw), Decision::GiveUp, "not retryable");

    let once = RetryPolicy { max_attempts: 1, ..policy };
    assert_eq!(once.decide(1, &Failure::Timeout, no_draw), Decision::GiveUp);
    let zero = RetryPolicy { max_attempts: 0, ..policy };
    assert_eq!(zero.decide(1, &Failure::Timeout, no_draw), Decision::GiveUp, "0 attempts counts as 1");
}

// ---------------------------------------------------------------------------------------------
// The circuit breaker as a state machine
// ---------------------------------------------------------------------------------------------

fn open_breaker(t0: Instant) -> CircuitBreaker {
    let mut breaker = CircuitBreaker::new(2, Duration::from_secs(10));
    assert!(breaker.allow(t0));
    breaker.record_failure(t0);
    assert!(breaker.allow(t0));
    breaker.record_failure(t0);
    assert_eq!(breaker.state(), BreakerState::Open);
    breaker
}

#[test]
fn stage5_breaker_opens_after_consecutive_failures() {
    let t0 = Instant::now();
    let mut breaker = CircuitBreaker::new(3, Duration::from_secs(10));
    assert_eq!(breaker.state(), BreakerState::Closed);
    breaker.record_failure(t0);
    breaker.record_failure(t0);
    breaker.record_success(); // resets the count
    assert_eq!(breaker.consecutive_failures(), 0);
    breaker.record_failure(t0);
    breaker.record_failure(t0);
    assert_eq!(breaker.state(), BreakerState::Closed, "two in a row, threshold three");
    assert!(breaker.allow(t0));
    breaker.record_failure(t0);
    assert_eq!(breaker.state(), BreakerState::Open);
    assert!(!breaker.allow(t0), "open: fail fast");
    assert!(!breaker.allow(t0 + Duration::from_secs(5)));

    let mut eager = CircuitBreaker::new(0, Duration::from_secs(1));
    eager.record_failure(t0);
    assert_eq!(eager.state(), BreakerState::Open, "a threshold of 0 counts as 1");
}

#[test]
fn stage5_breaker_half_opens_after_the_cool_down_and_admits_one_trial() {
    let t0 = Instant::now();
    let mut breaker = open_breaker(t0);
    assert!(!breaker.allow(t0 + MS(9_999)));
    assert_eq!(breaker.state(), BreakerState::Open, "the state only changes inside allow/record");
    assert!(breaker.allow(t0 + MS(10_000)), "the cool-down is over: this call is the trial");
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    assert!(!breaker.allow(t0 + MS(10_001)), "only one trial at a time");
    assert!(!breaker.allow(t0 + MS(60_000)));
    breaker.record_success();
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert_eq!(breaker.consecutive_failures(), 0);
    assert!(breaker.allow(t0 + MS(10_002)));
}

#[test]
fn stage5_a_failed_trial_reopens_for_a_full_period() {
    let t0 = Instant::now();
    let mut breaker = open_breaker(t0);
    assert!(breaker.allow(t0 + MS(10_000)));
    breaker.record_failure(t0 + MS(12_000)); // the trial took 2 s and failed
    assert_eq!(breaker.state(), BreakerState::Open);
    assert!(!breaker.allow(t0 + MS(21_999)), "open again for 10 s from the failure");
    assert!(breaker.allow(t0 + MS(22_000)));
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
}

#[test]
fn stage5_late_outcomes_while_open_change_nothing() {
    let t0 = Instant::now();
    let mut breaker = open_breaker(t0);
    breaker.record_success(); // a slow call that started before the breaker opened
    assert_eq!(breaker.state(), BreakerState::Open);
    breaker.record_failure(t0 + MS(9_000)); // another one; it must not extend the period
    assert_eq!(breaker.state(), BreakerState::Open);
    assert!(breaker.allow(t0 + MS(10_000)));
}

// ---------------------------------------------------------------------------------------------
// The processing service under failure
// ---------------------------------------------------------------------------------------------

async fn submit(processing_url: &str, token: &str, text: &str) -> Value {
    let reply = post(
        &format!("{processing_url}/v1/jobs"),
        &[("authorization", &format!("Bearer {token}"))],
        &json!({ "operation": "uppercase", "text": text }),
    )
    .await;
    reply.expect_status(201);
    reply.json.clone()
}

#[tokio::test]
async fn stage5_transient_failures_are_retried_with_the_same_event() {
    let auth = start_auth_real_time().await;
    let notifications = FakeNotifications::scripted(&[503, 503], 202).await;
    let processing = start_processing(test_processing_config(&auth.url(), &notifications.url())).await;
    let token = issue_token(&auth.url(), "alice").await;

    let job = submit(&processing.url(), &token, "retry me").await;
    assert_eq!(job["event_published"], true, "the third attempt succeeds");
    let received = notifications.received();
    assert_eq!(received.len(), 3, "two failures and a success");
    for attempt in &received {
        assert_eq!(attempt.body, received[0].body, "every attempt sends the same event");
        assert_eq!(attempt.body["event_id"], job["event_id"]);
    }
    assert_eq!(processing.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn stage5_retries_stop_after_max_attempts() {
    let auth = start_auth_real_time().await;
    let notifications = FakeNotifications::scripted(&[], 503).await;
    let mut config = test_processing_config(&auth.url(), &notifications.url());
    config.publish_policy.max_attempts = 4;
    let processing = start_processing(config).await;
    let token = issue_token(&auth.url(), "alice").await;

    let job = submit(&processing.url(), &token, "never lands").await;
    assert_eq!(job["event_published"], false);
    assert_eq!(notifications.received().len(), 4);
}

#[tokio::test]
async fn stage5_client_errors_are_not_retried_and_do_not_open_the_breaker() {
    let auth = start_auth_real_time().await;
    let notifications = FakeNotifications::scripted(&[], 400).await;
    let mut config = test_processing_config(&auth.url(), &notifications.url());
    config.breaker_threshold = 2;
    let processing = start_processing(config).await;
    let token = issue_token(&auth.url(), "alice").await;

    for n in 0..4 {
        let job = submit(&processing.url(), &token, &format!("job {n}")).await;
        assert_eq!(job["event_published"], false);
    }
    assert_eq!(notifications.received().len(), 4, "one attempt per job: a 400 will not change");
    assert_eq!(processing.breaker_state(), BreakerState::Closed, "the service answered; it is not down");
}

#[tokio::test]
async fn stage5_an_open_breaker_fails_fast_without_calling() {
    let auth = start_auth_real_time().await;
    let notifications = FakeNotifications::scripted(&[], 503).await;
    let mut config = test_processing_config(&auth.url(), &notifications.url());
    config.publish_policy.max_attempts = 1;
    config.breaker_threshold = 2;
    config.breaker_open_for = Duration::from_secs(60);
    let processing = start_processing(config).await;
    let token = issue_token(&auth.url(), "alice").await;

    submit(&processing.url(), &token, "one").await;
    assert_eq!(processing.breaker_state(), BreakerState::Closed);
    submit(&processing.url(), &token, "two").await;
    assert_eq!(processing.breaker_state(), BreakerState::Open);
    assert_eq!(notifications.received().len(), 2);

    for n in 0..3 {
        let job = submit(&processing.url(), &token, &format!("blocked {n}")).await;
        assert_eq!(job["event_published"], false);
    }
    assert_eq!(notifications.received().len(), 2, "while open, the notification service is not called");
}

#[tokio::test]
async fn stage5_a_silent_notification_service_is_cut_off_by_the_timeout() {
    let auth = start_auth_real_time().await;
    let silent = BlackHole::start().await;
    let mut config = test_processing_config(&auth.url(), &silent.url());
    config.publish_policy.max_attempts = 2;
    config.publish_policy.attempt_timeout = MS(200);
    let processing = start_processing(config).await;
    let token = issue_token(&auth.url(), "alice").await;

    let started = Instant::now();
    let job = submit(&processing.url(), &token, "into the void").await;
    let took = started.elapsed();
    assert_eq!(job["event_published"], false);
    assert!(took < Duration::from_secs(5), "two attempts of 200 ms should take well under 5 s, took {took:?}");
    eventually(Duration::from_secs(5), "two connection attempts", || async { silent.connections() == 2 }).await;
}

#[tokio::test]
async fn stage5_a_silent_auth_service_is_a_504() {
    let silent = BlackHole::start().await;
    let notifications = FakeNotifications::start().await;
    let mut config = test_processing_config(&silent.url(), &notifications.url());
    config.auth_timeout = MS(300);
    let processing = start_processing(config).await;

    let started = Instant::now();
    let reply = post(
        &format!("{}/v1/jobs", processing.url()),
        &[("authorization", "Bearer a.b.c")],
        &json!({ "operation": "uppercase", "text": "hi" }),
    )
    .await;
    reply.expect_status(504);
    assert_eq!(reply.error_code(), Some("upstream_timeout"));
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(notifications.received().is_empty());
}

#[tokio::test]
async fn stage5_breaker_opens_when_notifications_dies_and_closes_when_it_returns() {
    let mut notifications = ElixirNotifications::start().await;
    let port = notifications.port();
    let auth = start_auth(&ManualClock::at(microservices_ecosystem::platform::unix_now())).await;
    let mut config = test_processing_config(&auth.url(), &notifications.url());
    config.publish_policy.max_attempts = 2;
    config.breaker_threshold = 2;
    config.breaker_open_for = MS(300);
    let processing = start_processing(config).await;
    let token = issue_token(&auth.url(), "grace").await;

    let job = submit(&processing.url(), &token, "before").await;
    assert_eq!(job["event_published"], true, "the service is up");

    notifications.kill();
    for n in 0..2 {
        let job = submit(&processing.url(), &token, &format!("while down {n}")).await;
        assert_eq!(job["event_published"], false);
    }
    assert_eq!(processing.breaker_state(), BreakerState::Open, "two failed publications in a row");

    // Same port, so processing finds it where it was. Its memory is empty: a new process.
    let notifications = ElixirNotifications::start_on(port).await;
    // Poll with a deadline: until the cool-down has passed, jobs still fail fast.
    let deadline = Instant::now() + Duration::from_secs(15);
    let job = loop {
        let job = submit(&processing.url(), &token, "after").await;
        if job["event_published"] == true {
            break job;
        }
        assert!(Instant::now() < deadline, "events are still not published 15 s after the restart");
        tokio::time::sleep(MS(25)).await;
    };
    assert_eq!(processing.breaker_state(), BreakerState::Closed, "the trial succeeded");
    let listed = list_notifications(&notifications.url()).await;
    assert!(listed.iter().any(|n| n["event_id"] == job["event_id"]), "{listed:?}");
}

#[tokio::test]
async fn stage5_a_lost_answer_makes_a_duplicate_that_is_recorded_once() {
    let notifications = ElixirNotifications::start().await;
    // The proxy delivers the first attempt but throws the answer away.
    let proxy = FlakyProxy::start(notifications.url(), 1).await;
    let auth = start_auth_real_time().await;
    let processing = start_processing(test_processing_config(&auth.url(), &proxy.url())).await;
    let token = issue_token(&auth.url(), "heidi").await;

    let job = submit(&processing.url(), &token, "exactly once, please").await;
    assert_eq!(job["event_published"], true, "the retry got `200 duplicate`");

    let forwarded = proxy.forwarded();
    assert_eq!(forwarded.len(), 2, "the first attempt and one retry");
    assert_eq!(forwarded[0]["event_id"], forwarded[1]["event_id"]);

    let listed = list_notifications(&notifications.url()).await;
    assert_eq!(listed.len(), 1, "one notification despite two deliveries: {listed:?}");
    assert_eq!(listed[0]["event_id"], job["event_id"]);
    assert_eq!(listed[0]["received"], 2);
}
