//! Stage 5: retries with exponential backoff and full jitter.
//!
//! A retry loop answers three questions after every failed attempt: *was this failure worth
//! retrying* ([`Failure::is_retryable`]), *have we tried enough* ([`RetryPolicy::decide`]),
//! and *how long to wait first* ([`Backoff::delay`]). The loop itself (send, sleep, repeat)
//! lives in the processing service; everything here is a pure function of its arguments.

use std::time::Duration;

use crate::Rng;

/// Exponential backoff with "full jitter".
///
/// The *ceiling* for retry number `retry` (0 for the first retry, 1 for the second, ...) is
/// `base * 2^retry`, capped at `max`. The actual delay is drawn uniformly from
/// `0..=ceiling`, in whole milliseconds. Randomising the whole range spreads out clients that
/// failed at the same moment, so they do not all come back at the same moment and knock the
/// recovering service over again (a "thundering herd").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// `min(max, base * 2^retry)`. Must not overflow or panic for any `retry`, even
    /// `u32::MAX`: `checked_pow`, `checked_mul` or `saturating_mul` help; when the
    /// multiplication overflows, the answer is simply `max`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.checked_pow(retry);
        let uncapped = factor.and_then(|f| self.base.checked_mul(f));
        match uncapped {
            Some(delay) if delay < self.max => delay,
            _ => self.max,
        }
    }

    /// A delay in `0..=ceiling(retry)` with millisecond granularity: take the ceiling in
    /// whole milliseconds `c` (`as_millis`, rounding down) and return
    /// `rng.next_u64() % (c + 1)` milliseconds. Call `rng.next_u64()` exactly once.
    pub fn delay(&self, retry: u32, rng: &mut dyn Rng) -> Duration {
        let ceiling_ms = u64::try_from(self.ceiling(retry).as_millis()).unwrap_or(u64::MAX - 1);
        Duration::from_millis(rng.next_u64() % (ceiling_ms + 1))
    }
}

/// What went wrong with one attempt to call another service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No complete answer before the attempt's deadline.
    Timeout,
    /// No HTTP answer at all: connection refused, reset, closed early.
    Transport(String),
    /// An HTTP answer with a status that is not 2xx.
    Status(u16),
}

impl Failure {
    /// Worth trying again: timeouts, transport failures, `408 Request Timeout`,
    /// `429 Too Many Requests` and every `5xx`. Any other status (`400`, `404`, `409`...)
    /// means the request itself is wrong and would fail the same way again.
    ///
    /// The same rule decides what the circuit breaker counts as a failure of the *service*:
    /// a `400` proves the service is up and answering.
    pub fn is_retryable(&self) -> bool {
        match self {
            Failure::Timeout | Failure::Transport(_) => true,
            Failure::Status(status) => matches!(status, 408 | 429 | 500..=599),
        }
    }
}

/// The outcome of [`RetryPolicy::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then make the next attempt.
    RetryAfter(Duration),
    /// Stop and report the failure.
    GiveUp,
}

/// How persistently to call a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included. 1 means "never retry"; 0 counts as 1.
    pub max_attempts: u32,
    pub backoff: Backoff,
    /// The deadline for each single attempt (the caller applies it with `tokio::time::timeout`).
    pub attempt_timeout: Duration,
}

impl RetryPolicy {
    /// Called after attempt number `attempts_made` (1 after the first attempt) failed with
    /// `failure`:
    ///
    /// * a failure that is not retryable -> `GiveUp`, without drawing a random number;
    /// * `attempts_made >= max_attempts` -> `GiveUp`, without drawing a random number;
    /// * otherwise `RetryAfter(backoff.delay(attempts_made - 1, rng))`: the first retry uses
    ///   retry number 0.
    pub fn decide(&self, attempts_made: u32, failure: &Failure, rng: &mut dyn Rng) -> Decision {
        if !failure.is_retryable() || attempts_made >= self.max_attempts.max(1) {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(self.backoff.delay(attempts_made.saturating_sub(1), rng))
    }
}
