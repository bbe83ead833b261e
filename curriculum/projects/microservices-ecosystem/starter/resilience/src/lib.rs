//! Stage 5: the resilience toolkit, as pure state machines without any I/O.
//!
//! Nothing in this crate sleeps, reads the clock or opens a socket. Time comes in as an
//! argument (`now: Instant`) and randomness through the [`Rng`] trait, so the tests can
//! drive every transition exactly and instantly. The processing service wires these pieces
//! to real time and real HTTP calls.
//!
//! * [`retry`]: classify a failed attempt, compute a backoff delay with jitter, decide
//!   whether to try again.
//! * [`breaker`]: a circuit breaker (closed, open, half-open).

pub mod breaker;
pub mod retry;

pub use breaker::{BreakerState, CircuitBreaker};
pub use retry::{Backoff, Decision, Failure, RetryPolicy};

/// A source of random numbers, so that tests can substitute a fixed sequence.
///
/// Every closure `FnMut() -> u64` is an `Rng` (a "blanket implementation"), so the processing
/// service can pass `&mut || generator.next_u64()` and a test can pass `&mut || 250`.
pub trait Rng {
    fn next_u64(&mut self) -> u64;
}

impl<F: FnMut() -> u64> Rng for F {
    fn next_u64(&mut self) -> u64 {
        self()
    }
}
