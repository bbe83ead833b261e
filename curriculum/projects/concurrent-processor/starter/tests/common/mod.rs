//! Helpers shared by the test files (each file under tests/ is its own crate; `mod common;`
//! pulls this file into it). Not every file uses every helper.
#![allow(dead_code)]

use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Runs `body` on its own thread and waits at most `secs` seconds for it.
///
/// - finished: returns its value;
/// - panicked (an assertion, or a `todo!()`): re-raises that same panic here, so the test fails
///   with the original message;
/// - still running after `secs`: fails the test with a message about a probable deadlock (the
///   stuck thread is left behind; the test binary still exits).
pub fn run_with_timeout<T, F>(what: &str, secs: u64, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        let value = body();
        let _ = done_tx.send(value);
    });
    match done_rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(value) => value,
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the body finished without sending its result"),
        },
        Err(RecvTimeoutError::Timeout) => panic!(
            "{what}: still running after {secs} s. Probably a deadlock or a lost wake-up: a thread \
             waiting on a Condvar that nobody notifies, a worker whose queue is never closed, or \
             a join on a thread that cannot finish."
        ),
    }
}

/// Joins a thread; if it panicked, re-raises its panic (so a `todo!()` inside a helper thread
/// shows up as "not yet implemented", not as an opaque `Any`).
pub fn join<T>(handle: thread::JoinHandle<T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Polls `condition` every millisecond until it holds; panics with `what` after `secs` seconds.
pub fn wait_until(what: &str, secs: u64, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !condition() {
        if Instant::now() > deadline {
            panic!("timed out after {secs} s waiting until {what}");
        }
        thread::sleep(Duration::from_millis(1));
    }
}
