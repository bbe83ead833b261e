//! Stage 2: signed tokens.
//!
//! A token is three base64url parts joined by dots, the layout of a JSON Web Token with the
//! HS256 algorithm (RFC 7519):
//!
//! ```text
//! base64url(header) . base64url(claims) . base64url(HMAC-SHA256(key, "<part 1>.<part 2>"))
//! header: {"alg":"HS256","typ":"JWT"}
//! claims: {"sub":"alice","iat":1700000000,"exp":1700000900}
//! ```
//!
//! Anyone can *read* a token (base64 is an encoding, not encryption); only a holder of the
//! key can *make* one whose signature matches. So the auth service can hand tokens out and
//! later recognise its own, without storing anything.

use serde::{Deserialize, Serialize};

use crate::crypto::{base64url_decode, base64url_encode, hmac_sha256};

/// The only algorithm we sign with and accept.
pub const ALGORITHM: &str = "HS256";

/// The exact header every token starts with (before base64url).
pub const HEADER_JSON: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// What a token says. Serialized in this field order: `{"sub":...,"iat":...,"exp":...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: who the token was issued to.
    pub sub: String,
    /// Issued at, Unix seconds.
    pub iat: u64,
    /// Expires at, Unix seconds. The token is valid while `now < exp`.
    pub exp: u64,
}

/// Why a token was refused. Everything except `Expired` becomes `invalid_token` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not three dot-separated parts, a part that is not strict base64url, or a header or
    /// claims part that is not the expected JSON.
    #[error("malformed token")]
    Malformed,
    /// The header names another algorithm (for example `"none"`).
    #[error("unsupported token algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// The signature does not match: the token was altered or signed with another key.
    #[error("token signature does not match")]
    BadSignature,
    /// Genuine, but `now >= exp`. Carries `exp`.
    #[error("token expired at {0}")]
    Expired(u64),
}

/// Only the field we check; other header fields (`typ`, `kid`, ...) are ignored.
#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// Compares two byte strings in time that depends only on their lengths, never on where
/// the first difference is. Different lengths: `false` straight away (lengths are not
/// secret). Otherwise look at *every* byte pair, combine the differences (`x ^ y`) with `|=`
/// into one accumulator, and test the accumulator once at the end: no early `return`, no
/// `==` on slices (which stops at the first difference, and that timing difference lets an
/// attacker guess a valid signature byte by byte).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut difference = 0u8;
    for (x, y) in a.iter().zip(b) {
        difference |= x ^ y;
    }
    difference == 0
}

/// Makes a token: `base64url(HEADER_JSON) + "." + base64url(claims as JSON) + "." +
/// base64url(hmac_sha256(key, first two parts joined by "."))`.
///
/// Use [`HEADER_JSON`] byte for byte, and `serde_json::to_vec(claims)` for the claims (it
/// writes no spaces and keeps the field order of the struct): the tests compare whole tokens.
pub fn issue(key: &[u8], claims: &Claims) -> String {
    let header = base64url_encode(HEADER_JSON.as_bytes());
    let payload = base64url_encode(&serde_json::to_vec(claims).expect("claims always serialize"));
    let signing_input = format!("{header}.{payload}");
    let signature = base64url_encode(&hmac_sha256(key, signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// Checks a token and returns its claims. The checks, in this order (the first failure
/// decides the error):
///
/// 1. exactly three parts separated by `.`, each strict base64url -> else `Malformed`;
/// 2. the header decodes as JSON with a string `alg` -> else `Malformed`; `alg` is
///    [`ALGORITHM`] -> else `UnsupportedAlgorithm(alg)`;
/// 3. the signature equals `hmac_sha256(key, "<part 1>.<part 2>")`, compared with
///    [`constant_time_eq`] -> else `BadSignature`;
/// 4. the claims decode as [`Claims`] -> else `Malformed`;
/// 5. `now < exp` -> else `Expired(exp)`.
///
/// The signature is checked before the claims are even decoded: nothing inside a token is
/// trusted until we know we wrote it. A tampered token that is also expired is therefore
/// `BadSignature`, not `Expired`.
pub fn verify(key: &[u8], token: &str, now: u64) -> Result<Claims, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header_part, claims_part, signature_part] = parts[..] else {
        return Err(TokenError::Malformed);
    };
    let header_bytes = base64url_decode(header_part).ok_or(TokenError::Malformed)?;
    let claims_bytes = base64url_decode(claims_part).ok_or(TokenError::Malformed)?;
    let signature = base64url_decode(signature_part).ok_or(TokenError::Malformed)?;

    let header: Header = serde_json::from_slice(&header_bytes).map_err(|_| TokenError::Malformed)?;
    if header.alg != ALGORITHM {
        return Err(TokenError::UnsupportedAlgorithm(header.alg));
    }

    let signing_input = format!("{header_part}.{claims_part}");
    let expected = hmac_sha256(key, signing_input.as_bytes());
    if !constant_time_eq(&expected, &signature) {
        return Err(TokenError::BadSignature);
    }

    let claims: Claims = serde_json::from_slice(&claims_bytes).map_err(|_| TokenError::Malformed)?;
    if now >= claims.exp {
        return Err(TokenError::Expired(claims.exp));
    }
    Ok(claims)
}
