//! Stage 2: signed tokens and the auth service. Run only these with `cargo test stage2`.

use microservices_ecosystem::auth::crypto::{base64url_decode, base64url_encode};
use microservices_ecosystem::auth::token::{self, constant_time_eq, Claims, TokenError};
use microservices_ecosystem::{post, post_raw, start_auth, ManualClock};
use serde_json::json;

const KEY: &[u8] = b"stage-two-secret-key-0123456789ab";

/// Computed independently (Python's `hmac` and `base64` modules) from the documented format:
/// header `{"alg":"HS256","typ":"JWT"}`, claims `{"sub":"alice","iat":1000,"exp":1060}`.
const ALICE_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlhdCI6MTAwMCwiZXhwIjoxMDYwfQ.xFm7afZegnch3FJ-YVtK_cVam-hkpvcSHZhDpDrGzfs";

fn alice() -> Claims {
    Claims { sub: "alice".to_owned(), iat: 1000, exp: 1060 }
}

/// Replaces one part (0 header, 1 claims, 2 signature) of a token.
fn replace_part(token: &str, index: usize, new_part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = new_part;
    parts.join(".")
}

#[test]
fn stage2_constant_time_eq_compares_correctly() {
    assert!(constant_time_eq(b"", b""));
    assert!(constant_time_eq(b"signature", b"signature"));
    assert!(!constant_time_eq(b"signature", b"signaturf"));
    assert!(!constant_time_eq(b"signature", b"Signature"));
    assert!(!constant_time_eq(b"sig", b"signature"), "different lengths");
    assert!(!constant_time_eq(b"signature", b""), "different lengths");
}

#[test]
fn stage2_issue_produces_the_documented_format() {
    assert_eq!(token::issue(KEY, &alice()), ALICE_TOKEN);
}

#[test]
fn stage2_a_fresh_token_verifies() {
    let token = token::issue(KEY, &alice());
    assert_eq!(token::verify(KEY, &token, 1000), Ok(alice()));
    assert_eq!(token::verify(KEY, &token, 1059), Ok(alice()), "one second before exp is still valid");
    assert_eq!(token::verify(KEY, ALICE_TOKEN, 1030), Ok(alice()));
}

#[test]
fn stage2_expired_tokens_are_rejected() {
    assert_eq!(token::verify(KEY, ALICE_TOKEN, 1060), Err(TokenError::Expired(1060)), "exp itself is expired");
    assert_eq!(token::verify(KEY, ALICE_TOKEN, 99_999), Err(TokenError::Expired(1060)));
}

#[test]
fn stage2_tampered_tokens_are_rejected() {
    // Rewrite the claims to another subject and keep the old signature.
    let forged_claims = base64url_encode(br#"{"sub":"admin","iat":1000,"exp":1060}"#);
    let forged = replace_part(ALICE_TOKEN, 1, &forged_claims);
    assert_eq!(token::verify(KEY, &forged, 1000), Err(TokenError::BadSignature));

    // Extend the expiry: same story.
    let longer = replace_part(ALICE_TOKEN, 1, &base64url_encode(br#"{"sub":"alice","iat":1000,"exp":9999999}"#));
    assert_eq!(token::verify(KEY, &longer, 1000), Err(TokenError::BadSignature));

    // Flip one bit of the signature.
    let mut signature = base64url_decode(ALICE_TOKEN.split('.').nth(2).unwrap()).unwrap();
    signature[10] ^= 0x01;
    let flipped = replace_part(ALICE_TOKEN, 2, &base64url_encode(&signature));
    assert_eq!(token::verify(KEY, &flipped, 1000), Err(TokenError::BadSignature));

    // A signature of the wrong length.
    let short = replace_part(ALICE_TOKEN, 2, &base64url_encode(&signature[..16]));
    assert_eq!(token::verify(KEY, &short, 1000), Err(TokenError::BadSignature));
}

#[test]
fn stage2_a_token_signed_with_another_key_is_rejected() {
    let other = token::issue(b"some-other-service-key-000000000", &alice());
    assert_eq!(token::verify(KEY, &other, 1000), Err(TokenError::BadSignature));
}

#[test]
fn stage2_the_signature_is_checked_before_the_expiry() {
    let forged = replace_part(ALICE_TOKEN, 1, &base64url_encode(br#"{"sub":"admin","iat":1,"exp":2}"#));
    assert_eq!(token::verify(KEY, &forged, 1000), Err(TokenError::BadSignature), "tampered and expired");
}

#[test]
fn stage2_malformed_tokens_are_rejected() {
    let header = ALICE_TOKEN.split('.').next().unwrap();
    let cases = [
        "".to_owned(),
        "abc".to_owned(),
        "a.b".to_owned(),
        format!("{ALICE_TOKEN}.extra"),
        replace_part(ALICE_TOKEN, 1, "not base64!"),
        replace_part(ALICE_TOKEN, 2, "padded=="),
        replace_part(ALICE_TOKEN, 0, &base64url_encode(b"not json")),
        replace_part(ALICE_TOKEN, 0, &base64url_encode(br#"{"typ":"JWT"}"#)),
    ];
    for bad in &cases {
        assert_eq!(token::verify(KEY, bad, 1000), Err(TokenError::Malformed), "token {bad:?}");
    }
    // Correctly signed, but the claims are not Claims: malformed (the check comes after the
    // signature, so sign them properly here).
    let claims = base64url_encode(br#"{"sub":"alice"}"#);
    let input = format!("{header}.{claims}");
    let signature = base64url_encode(&microservices_ecosystem::auth::crypto::hmac_sha256(KEY, input.as_bytes()));
    assert_eq!(token::verify(KEY, &format!("{input}.{signature}"), 1000), Err(TokenError::Malformed));
}

#[test]
fn stage2_other_algorithms_are_refused() {
    let claims = ALICE_TOKEN.split('.').nth(1).unwrap();
    let none_header = base64url_encode(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{none_header}.{claims}.");
    assert_eq!(
        token::verify(KEY, &unsigned, 1000),
        Err(TokenError::UnsupportedAlgorithm("none".to_owned())),
        "the classic `alg: none` attack"
    );
    let hs512 = replace_part(ALICE_TOKEN, 0, &base64url_encode(br#"{"alg":"HS512","typ":"JWT"}"#));
    assert_eq!(token::verify(KEY, &hs512, 1000), Err(TokenError::UnsupportedAlgorithm("HS512".to_owned())));
}

#[tokio::test]
async fn stage2_service_issues_and_verifies_tokens() {
    let clock = ManualClock::at(1_000_000);
    let auth = start_auth(&clock).await;

    let issued = post(&format!("{}/v1/tokens", auth.url()), &[], &json!({ "subject": "alice", "ttl_secs": 60 })).await;
    issued.expect_status(201);
    assert_eq!(issued.json["subject"], "alice");
    assert_eq!(issued.json["expires_at"], 1_000_060);
    let token = issued.json["token"].as_str().expect("token").to_owned();
    assert_eq!(token.split('.').count(), 3);

    let verified = post(&format!("{}/v1/tokens/verify", auth.url()), &[], &json!({ "token": token })).await;
    verified.expect_status(200);
    assert_eq!(verified.json, json!({ "subject": "alice", "expires_at": 1_000_060 }));

    // Without ttl_secs the token lives DEFAULT_TTL_SECS (900 s).
    let default_ttl = post(&format!("{}/v1/tokens", auth.url()), &[], &json!({ "subject": "bob" })).await;
    default_ttl.expect_status(201);
    assert_eq!(default_ttl.json["expires_at"], 1_000_900);
}

#[tokio::test]
async fn stage2_service_rejects_expired_and_forged_tokens() {
    let clock = ManualClock::at(5_000);
    let auth = start_auth(&clock).await;
    let verify_url = format!("{}/v1/tokens/verify", auth.url());

    let issued = post(&format!("{}/v1/tokens", auth.url()), &[], &json!({ "subject": "alice", "ttl_secs": 30 })).await;
    issued.expect_status(201);
    let token = issued.json["token"].as_str().unwrap().to_owned();

    clock.advance(30);
    let expired = post(&verify_url, &[("x-correlation-id", "c-1")], &json!({ "token": token })).await;
    expired.expect_status(401);
    assert_eq!(expired.error_code(), Some("token_expired"));
    assert_eq!(expired.json["error"]["correlation_id"], "c-1");

    clock.set(5_000);
    let forged = replace_part(&token, 1, &base64url_encode(br#"{"sub":"admin","iat":5000,"exp":5030}"#));
    let rejected = post(&verify_url, &[], &json!({ "token": forged })).await;
    rejected.expect_status(401);
    assert_eq!(rejected.error_code(), Some("invalid_token"));

    let garbage = post(&verify_url, &[], &json!({ "token": "garbage" })).await;
    garbage.expect_status(401);
    assert_eq!(garbage.error_code(), Some("invalid_token"));

    // A different auth service (another key) does not accept our token.
    let other = microservices_ecosystem::auth::start(
        microservices_ecosystem::loopback(),
        microservices_ecosystem::auth::AuthConfig { key: b"another-key-another-key-another!".to_vec(), clock: clock.clock() },
    )
    .await
    .unwrap();
    let foreign = post(&format!("{}/v1/tokens/verify", other.url()), &[], &json!({ "token": token })).await;
    foreign.expect_status(401);
    assert_eq!(foreign.error_code(), Some("invalid_token"));
}

#[tokio::test]
async fn stage2_service_validates_requests() {
    let clock = ManualClock::at(1_000);
    let auth = start_auth(&clock).await;
    let tokens_url = format!("{}/v1/tokens", auth.url());

    for body in [
        json!({ "subject": "" }),
        json!({ "subject": "   " }),
        json!({ "subject": "x".repeat(65) }),
        json!({ "subject": "alice", "ttl_secs": 0 }),
        json!({ "subject": "alice", "ttl_secs": 86_401 }),
        json!({ "name": "alice" }),
    ] {
        let reply = post(&tokens_url, &[], &body).await;
        reply.expect_status(400);
        assert_eq!(reply.error_code(), Some("invalid_request"), "body {body}");
    }
    // The limits themselves are fine.
    post(&tokens_url, &[], &json!({ "subject": "x".repeat(64), "ttl_secs": 86_400 })).await.expect_status(201);
    post(&tokens_url, &[], &json!({ "subject": "alice", "ttl_secs": 1 })).await.expect_status(201);

    let malformed = post_raw(&tokens_url, &[], b"{\"subject\":").await;
    malformed.expect_status(400);
    assert_eq!(malformed.error_code(), Some("malformed_json"));

    // Routing (provided) uses your stage 1 split_version.
    let v2 = post(&format!("{}/v2/tokens", auth.url()), &[], &json!({ "subject": "alice" })).await;
    v2.expect_status(404);
    assert_eq!(v2.error_code(), Some("unsupported_version"));
}
