//! Stage 5: a circuit breaker.
//!
//! ```text
//!            failures reach threshold                    open_for has passed:
//!   ┌────────┐ ───────────────────────> ┌──────┐ ───── the next allow() is the trial ─────┐
//!   │ Closed │                          │ Open │                                          v
//!   └────────┘ <─── trial succeeded ─── └──────┘ <──── trial failed ──── ┌──────────┐
//!        ^                                                               │ HalfOpen │
//!        └────────────────────────── trial succeeded ─────────────────── └──────────┘
//! ```
//!
//! * **Closed**: calls go through. Consecutive failures are counted; a success resets the
//!   count. When the count reaches `failure_threshold`, the breaker opens.
//! * **Open**: calls are refused at once (fail fast), which spares both the caller (no
//!   waiting for timeouts) and the struggling service (no load). After `open_for`, the next
//!   call is let through as a trial and the breaker is half-open.
//! * **HalfOpen**: exactly one trial call is in flight; every other call is refused. If the
//!   trial succeeds the breaker closes; if it fails the breaker opens again for a full
//!   `open_for`, counted from the trial's failure.
//!
//! The breaker never reads the clock itself: every method that needs the time takes `now`.

// The starter's bodies are `todo!()`, so their parameters (and some fields) look unused to the compiler.
// Delete the next line once you have implemented this file.
#![allow(unused_variables, dead_code)]

use std::time::{Duration, Instant};

/// The three states. `Copy`, so reading the state never borrows the breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    failure_threshold: u32,
    open_for: Duration,
    state: BreakerState,
    /// Consecutive failures while closed.
    failures: u32,
    /// When the breaker last opened (meaningful while `Open`).
    opened_at: Option<Instant>,
}

impl CircuitBreaker {
    /// A closed breaker. A `failure_threshold` of 0 counts as 1.
    pub fn new(failure_threshold: u32, open_for: Duration) -> CircuitBreaker {
        CircuitBreaker {
            failure_threshold: failure_threshold.max(1),
            open_for,
            state: BreakerState::Closed,
            failures: 0,
            opened_at: None,
        }
    }

    /// The current state. It changes only inside `allow`, `record_success` and
    /// `record_failure`: an open breaker whose `open_for` has passed still reports `Open`
    /// until the next `allow` turns it half-open.
    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Consecutive failures counted while closed (reset by a success and by closing).
    pub fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    /// May a call start now?
    ///
    /// * `Closed`: yes.
    /// * `Open`: no, unless `now >= opened_at + open_for`; then the state becomes `HalfOpen`
    ///   and this one call (the trial) is allowed.
    /// * `HalfOpen`: no; the trial is already in flight.
    pub fn allow(&mut self, now: Instant) -> bool {
        todo!("stage 5: CircuitBreaker::allow")
    }

    /// Report that an allowed call succeeded.
    ///
    /// * `Closed`: reset the failure count.
    /// * `HalfOpen`: the trial worked: `Closed`, count 0.
    /// * `Open`: ignore it (a slow call that started before the breaker opened).
    pub fn record_success(&mut self) {
        todo!("stage 5: CircuitBreaker::record_success")
    }

    /// Report that an allowed call failed at `now`.
    ///
    /// * `Closed`: count it; on reaching the threshold: `Open`, opened at `now`.
    /// * `HalfOpen`: the trial failed: `Open` again, opened at `now`.
    /// * `Open`: ignore it (do not extend the open period).
    pub fn record_failure(&mut self, now: Instant) {
        todo!("stage 5: CircuitBreaker::record_failure")
    }
}
