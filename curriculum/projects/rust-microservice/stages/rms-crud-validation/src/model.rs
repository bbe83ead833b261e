//! The data the API speaks: tasks, request bodies, list queries and pages.
//!
//! Rust note: `#[derive(Serialize, Deserialize)]` (from serde) generates the
//! code that turns a struct into JSON and back, field by field, using the
//! field names as keys. `serde_json::from_slice::<NewTask>(&bytes)` fails with
//! an error when the JSON is malformed, a field has the wrong type, or a
//! required field is missing; `#[serde(default)]` makes a field optional
//! (missing means `Default::default()`, here `false`). Unknown fields are
//! ignored.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// Longest accepted title, counted in Unicode scalar values (`char`s), not bytes.
pub const MAX_TITLE_CHARS: usize = 200;
/// `limit` used when the query string has none.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest accepted `limit`.
pub const MAX_LIMIT: usize = 100;

/// A stored task, exactly as it is sent to clients:
/// `{"id":1,"title":"Write tests","done":false,"version":1}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: u64,
    pub title: String,
    pub done: bool,
    pub version: u64,
}

/// Body of `POST /tasks`: `{"title": "...", "done": false}`; `done` may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewTask {
    pub title: String,
    #[serde(default)]
    pub done: bool,
}

/// Body of `PUT /tasks/{id}`: a full replacement, both fields required.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UpdateTask {
    pub title: String,
    pub done: bool,
}

/// Checks a title and returns the version to store.
///
/// Leading and trailing whitespace is trimmed; the trimmed title must hold
/// between 1 and [`MAX_TITLE_CHARS`] characters. Otherwise the error is
/// [`ApiError::Validation`].
pub fn validate_title(raw: &str) -> Result<String, ApiError> {
    let title = raw.trim();
    if title.is_empty() {
        return Err(ApiError::Validation("title must not be empty".to_string()));
    }
    let chars = title.chars().count();
    if chars > MAX_TITLE_CHARS {
        return Err(ApiError::Validation(format!(
            "title has {chars} characters; at most {MAX_TITLE_CHARS} are allowed"
        )));
    }
    Ok(title.to_string())
}

/// What `GET /tasks` asks for, parsed from the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// `Some(true)` keeps only done tasks, `Some(false)` only open ones.
    pub done: Option<bool>,
    pub limit: usize,
    pub offset: usize,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            done: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl ListQuery {
    /// Parses the raw query string (the part after `?`, if any).
    ///
    /// Rules:
    /// - `limit`: an integer in `1..=MAX_LIMIT`; default [`DEFAULT_LIMIT`].
    /// - `offset`: an integer `>= 0`; default 0.
    /// - `done`: exactly `true` or `false`; default: no filter.
    /// - A parameter with an empty value (`limit=`) or no `=` at all (`done`)
    ///   is invalid. If a parameter repeats, the last one counts.
    /// - Unknown parameters are ignored. Values are not percent-decoded.
    ///
    /// Any invalid value gives [`ApiError::InvalidQuery`].
    pub fn parse(query: Option<&str>) -> Result<ListQuery, ApiError> {
        // Hint: start from `ListQuery::default()`, then
        // `query.split('&')` and `pair.split_once('=')`. `"+5".parse::<usize>()`
        // succeeds in Rust, so check that a number is all ASCII digits first.
        todo!("stage 4: parse the query string {query:?}")
    }
}

/// One page of a listing, as the repository returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The tasks on this page, in ascending id order.
    pub items: Vec<Task>,
    /// How many tasks match the filter in total, on all pages.
    pub total: usize,
}

/// Body of a `GET /tasks` response:
/// `{"items":[...],"total":25,"limit":10,"offset":20}`.
#[derive(Debug, Clone, Serialize)]
pub struct ListResponse {
    pub items: Vec<Task>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
}
