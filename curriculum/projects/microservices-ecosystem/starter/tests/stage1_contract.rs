//! Stage 1: the contract. Run only these with `cargo test stage1`.
//!
//! Pure functions, no network: encoding, decoding, error codes, versions, validation.

use microservices_ecosystem::contract::{
    self, ApiError, ErrorCode, ErrorEnvelope, Event, IssueTokenRequest, JobRequest, JobResponse, Operation,
    EVENT_SCHEMA_VERSION, JOB_COMPLETED, MAX_TEXT_BYTES,
};
use serde_json::{json, Value};

/// Decodes bytes as a JSON value, to compare documents without caring about key order.
fn as_value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("encode must produce JSON")
}

fn decode_err<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> ApiError {
    contract::decode::<T>(body.as_bytes()).expect_err(&format!("{body:?} must not decode"))
}

#[test]
fn stage1_job_request_round_trips() {
    let request = JobRequest { operation: Operation::WordCount, text: "one two".to_owned() };
    let bytes = contract::encode(&request);
    assert_eq!(as_value(&bytes), json!({ "operation": "word_count", "text": "one two" }));
    let back: JobRequest = contract::decode(&bytes).unwrap();
    assert_eq!(back, request);
}

#[test]
fn stage1_event_wire_format_is_stable() {
    // The exact field names and values another team's consumer relies on.
    let event = Event {
        event_id: "evt-1".to_owned(),
        event_type: JOB_COMPLETED.to_owned(),
        schema_version: EVENT_SCHEMA_VERSION,
        job_id: "job-1".to_owned(),
        subject: "alice".to_owned(),
        operation: Operation::Uppercase,
        result: "HI".to_owned(),
        occurred_at: 1_700_000_000,
    };
    let expected = json!({
        "event_id": "evt-1",
        "event_type": "job.completed",
        "schema_version": 1,
        "job_id": "job-1",
        "subject": "alice",
        "operation": "uppercase",
        "result": "HI",
        "occurred_at": 1_700_000_000u64
    });
    assert_eq!(as_value(&contract::encode(&event)), expected);
    let back: Event = contract::decode(expected.to_string().as_bytes()).unwrap();
    assert_eq!(back, event);
}

#[test]
fn stage1_unknown_fields_are_ignored() {
    let request: JobRequest =
        contract::decode(br#"{"operation":"uppercase","text":"hi","priority":"high","tags":["a"],"meta":{"x":1}}"#)
            .unwrap();
    assert_eq!(request, JobRequest { operation: Operation::Uppercase, text: "hi".to_owned() });

    let response: JobResponse = contract::decode(
        br#"{"job_id":"j","event_id":"e","subject":"s","operation":"word_count","result":"2",
             "event_published":true,"took_ms":12}"#,
    )
    .unwrap();
    assert_eq!(response.result, "2");
}

#[test]
fn stage1_optional_fields_have_defaults() {
    let request: IssueTokenRequest = contract::decode(br#"{"subject":"alice"}"#).unwrap();
    assert_eq!(request, IssueTokenRequest { subject: "alice".to_owned(), ttl_secs: None });
    // ...and an absent option is left out when encoding, not written as null.
    assert_eq!(as_value(&contract::encode(&request)), json!({ "subject": "alice" }));

    let event: Event = contract::decode(
        br#"{"event_id":"e","event_type":"job.completed","job_id":"j","subject":"s",
             "operation":"uppercase","result":"R","occurred_at":1}"#,
    )
    .unwrap();
    assert_eq!(event.schema_version, 1, "a missing schema_version means 1");
}

#[test]
fn stage1_malformed_json_and_contract_violations_are_different_errors() {
    for body in ["", "   ", "{", r#"{"operation":"uppercase","text":"#, "not json", r#"{"operation" "x"}"#] {
        assert_eq!(decode_err::<JobRequest>(body).code, ErrorCode::MalformedJson, "body {body:?}");
    }
    for body in [
        r#""just a string""#,
        "42",
        "true",
        "null",
        r#"{"operation":"uppercase"}"#,
        r#"{"operation":"uppercase","text":5}"#,
        r#"{"operation":"shout","text":"hi"}"#,
    ] {
        assert_eq!(decode_err::<JobRequest>(body).code, ErrorCode::InvalidRequest, "body {body:?}");
    }
    let missing = decode_err::<JobRequest>(r#"{"text":"hi"}"#);
    assert!(missing.message.contains("operation"), "the message should name the missing field: {missing:?}");
}

#[test]
fn stage1_error_codes_map_to_http_statuses() {
    use ErrorCode::*;
    let table = [
        (MalformedJson, 400),
        (InvalidRequest, 400),
        (Unauthorized, 401),
        (InvalidToken, 401),
        (TokenExpired, 401),
        (NotFound, 404),
        (UnsupportedVersion, 404),
        (UpstreamUnavailable, 503),
        (UpstreamTimeout, 504),
        (Internal, 500),
        (Unknown, 500),
    ];
    for (code, status) in table {
        assert_eq!(code.http_status(), status, "{code:?}");
        assert_eq!(ApiError::new(code, "x").status(), status, "{code:?}");
    }
}

#[test]
fn stage1_error_envelope_has_the_documented_shape() {
    let error = ApiError::new(ErrorCode::TokenExpired, "token expired at 1060");
    let with_id = contract::encode(&error.envelope(Some("req-7")));
    assert_eq!(
        as_value(&with_id),
        json!({ "error": { "code": "token_expired", "message": "token expired at 1060", "correlation_id": "req-7" } })
    );
    let without_id = contract::encode(&error.envelope(None));
    assert_eq!(
        as_value(&without_id),
        json!({ "error": { "code": "token_expired", "message": "token expired at 1060" } }),
        "no correlation id: the key is left out"
    );
    let back: ErrorEnvelope = contract::decode(&with_id).unwrap();
    assert_eq!(ApiError::from(back), error);
}

#[test]
fn stage1_unknown_error_codes_decode_as_unknown() {
    let envelope: ErrorEnvelope =
        contract::decode(br#"{"error":{"code":"quota_exceeded","message":"slow down","retry_in":3}}"#).unwrap();
    assert_eq!(envelope.error.code, ErrorCode::Unknown);
    assert_eq!(envelope.error.message, "slow down");
    assert_eq!(envelope.error.correlation_id, None);
}

#[test]
fn stage1_versioned_paths() {
    assert_eq!(contract::split_version("/v1/jobs"), Ok("/jobs"));
    assert_eq!(contract::split_version("/v1/tokens/verify"), Ok("/tokens/verify"));
    assert_eq!(contract::split_version("/v1"), Ok("/"));
    assert_eq!(contract::split_version("/v1/"), Ok("/"));
    for path in ["/v2/jobs", "/v10/jobs", "/v0", "/v01/jobs"] {
        let error = contract::split_version(path).unwrap_err();
        assert_eq!(error.code, ErrorCode::UnsupportedVersion, "path {path}");
    }
    for path in ["/jobs", "/version/jobs", "/V1/jobs", "/v/jobs", "/v1x/jobs", "", "v1/jobs", "/"] {
        let error = contract::split_version(path).unwrap_err();
        assert_eq!(error.code, ErrorCode::NotFound, "path {path:?}");
    }
}

#[test]
fn stage1_job_request_validation() {
    let job = |text: &str| JobRequest { operation: Operation::Uppercase, text: text.to_owned() };
    assert_eq!(job("hello").validate(), Ok(()));
    assert_eq!(job(&"x".repeat(MAX_TEXT_BYTES)).validate(), Ok(()), "exactly the limit is fine");
    for bad in ["", "   ", "\n\t"] {
        assert_eq!(job(bad).validate().unwrap_err().code, ErrorCode::InvalidRequest, "text {bad:?}");
    }
    assert_eq!(job(&"x".repeat(MAX_TEXT_BYTES + 1)).validate().unwrap_err().code, ErrorCode::InvalidRequest);
    // The limit is in bytes: 'é' is two bytes in UTF-8.
    let accents = "é".repeat(MAX_TEXT_BYTES / 2 + 1);
    assert_eq!(job(&accents).validate().unwrap_err().code, ErrorCode::InvalidRequest);
}
