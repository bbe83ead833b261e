//! Container image references: `registry/repository:tag@sha256:digest`.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry and repository: `ghcr.io/acme/demo-service`, `rust`.
    pub name: String,
    /// The tag after the last `:` of the last path component, if any.
    pub tag: Option<String>,
    /// The digest after `@`, if any (`sha256:...`).
    pub digest: Option<String>,
}

/// Splits an image reference into name, tag and digest.
///
/// The tag is looked for only after the last `/`, so the port in
/// `localhost:5000/demo-service` is not mistaken for a tag.
pub fn parse(reference: &str) -> ImageRef {
    let reference = reference.trim();
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (reference, None),
    };
    let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (
            rest[..last_slash + i].to_string(),
            Some(rest[last_slash + i + 1..].to_string()),
        ),
        None => (rest.to_string(), None),
    };
    ImageRef { name, tag, digest }
}

impl ImageRef {
    /// Why this reference does not name one fixed image, or `None` when it does.
    ///
    /// Accepted: a digest `@sha256:` followed by 64 hex digits (the strongest pin), or an
    /// explicit tag other than `latest`. Rejected: no tag (which means `latest`), the tag
    /// `latest` in any case, an empty tag, and a malformed digest.
    pub fn pinning_problem(&self) -> Option<String> {
        if let Some(d) = &self.digest {
            let hex = d.strip_prefix("sha256:").unwrap_or("");
            return if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                None
            } else {
                Some(format!(
                    "has a malformed digest {d:?} (expected sha256: and 64 hex digits)"
                ))
            };
        }
        match self.tag.as_deref() {
            None => Some("has no tag, which means :latest".to_string()),
            Some("") => Some("has an empty tag".to_string()),
            Some(t) if t.eq_ignore_ascii_case("latest") => Some("uses the tag latest".to_string()),
            Some(_) => None,
        }
    }
}

/// The advice shared by every "pin your image" message.
pub const PIN_ADVICE: &str = "`latest` (or no tag) is a moving pointer: two builds or two nodes an hour apart can get different bytes under the same name, and you cannot tell which one runs; use a version tag such as rust:1.83-slim-bookworm, or a digest @sha256:...";
