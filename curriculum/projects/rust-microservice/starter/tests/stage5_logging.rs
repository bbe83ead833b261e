//! Stage 5: structured logging with a request id.
//!
//! This file holds a single test because it installs a process-wide
//! `tracing` subscriber (each file in `tests/` is its own process).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestServer;
use hyper::{Method, StatusCode};

/// A `std::io::Write` that appends to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Waits up to 2 s for a line that names this request id and status.
    async fn find_line(&self, request_id: &str, status: u16) -> Option<String> {
        let ids = [
            format!("request_id={request_id}"),
            format!("request_id=\"{request_id}\""),
        ];
        let status = format!("status={status}");
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let found = self
                .text()
                .lines()
                .find(|line| {
                    ids.iter().any(|id| line.contains(id.as_str())) && line.contains(&status)
                })
                .map(str::to_string);
            if found.is_some() || Instant::now() > deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn stage5_each_request_logs_its_id_and_status() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let server = TestServer::start().await;
    let ok = server
        .api
        .request(
            Method::GET,
            "/health",
            &[("x-request-id", "log-test-1")],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let missing = server
        .api
        .request(
            Method::GET,
            "/nope",
            &[("x-request-id", "log-test-2")],
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    for (id, status) in [("log-test-1", 200), ("log-test-2", 404)] {
        let line = capture.find_line(id, status).await;
        assert!(
            line.is_some(),
            "expected an INFO log line with request_id={id} and status={status}; captured:\n{}",
            capture.text()
        );
    }
}
