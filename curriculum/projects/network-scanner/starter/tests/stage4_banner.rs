//! Stage 4: banners and HTTP heads.
//! Run only these with `cargo test stage4`.
//!
//! Each test starts a tiny server on 127.0.0.1 (port 0: any free port) in a thread; the
//! server accepts one connection and behaves in one particular way.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use network_scanner::banner::MAX_BANNER_BYTES;
use network_scanner::{grab_banner, http_head, parse_http_head, HttpInfo};

const LONG: Duration = Duration::from_secs(5);
const SHORT: Duration = Duration::from_millis(300);

/// Start a one-connection server that runs `handler` on the accepted stream.
fn serve(handler: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            handler(stream);
        }
    });
    addr
}

/// Keep the connection open until the client closes it (at most 10 s).
fn hold_until_client_closes(mut stream: TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

/// A server that sends `bytes` and then either closes or keeps the connection open.
fn speaks(bytes: &'static [u8], then_close: bool) -> SocketAddr {
    serve(move |mut stream| {
        stream.write_all(bytes).unwrap();
        if !then_close {
            hold_until_client_closes(stream);
        }
    })
}

/// Read an HTTP request head (up to the blank line) from the client.
fn read_request(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(LONG)).unwrap();
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.ends_with(b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}

/// An HTTP server that records the request, sends `response`, and closes or keeps open.
fn http_server(response: &'static [u8], then_close: bool) -> (SocketAddr, mpsc::Receiver<String>) {
    let (sender, receiver) = mpsc::channel();
    let addr = serve(move |mut stream| {
        let request = read_request(&mut stream);
        sender.send(request).unwrap();
        stream.write_all(response).unwrap();
        if !then_close {
            hold_until_client_closes(stream);
        }
    });
    (addr, receiver)
}

fn released_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

// ---------------------------------------------------------------- banners

#[test]
fn stage4_banner_is_the_first_line_without_waiting_for_the_timeout() {
    let addr = speaks(b"SSH-2.0-TestServer_1.0\r\n", false);
    let started = Instant::now();
    let banner = grab_banner(addr, LONG).unwrap();
    assert_eq!(banner.as_deref(), Some("SSH-2.0-TestServer_1.0"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stop reading at the newline"
    );
}

#[test]
fn stage4_banner_only_first_line_and_bare_newline() {
    let addr = speaks(b"220 mail.test ESMTP ready\r\n250 second line\r\n", false);
    assert_eq!(
        grab_banner(addr, LONG).unwrap().as_deref(),
        Some("220 mail.test ESMTP ready")
    );

    let addr = speaks(b"hello\nworld\n", true);
    assert_eq!(grab_banner(addr, LONG).unwrap().as_deref(), Some("hello"));
}

#[test]
fn stage4_silent_server_gives_none_after_the_timeout() {
    let addr = serve(hold_until_client_closes);
    let started = Instant::now();
    assert_eq!(grab_banner(addr, SHORT).unwrap(), None);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn stage4_server_that_closes_at_once_gives_none() {
    let addr = serve(drop);
    assert_eq!(grab_banner(addr, LONG).unwrap(), None);
}

#[test]
fn stage4_empty_first_line_gives_none() {
    let addr = speaks(b"\r\nsecond\r\n", true);
    assert_eq!(grab_banner(addr, LONG).unwrap(), None);
}

#[test]
fn stage4_partial_line_before_close_is_returned() {
    let addr = speaks(b"no newline here", true);
    assert_eq!(
        grab_banner(addr, LONG).unwrap().as_deref(),
        Some("no newline here")
    );
}

#[test]
fn stage4_long_lines_are_cut_and_stop_the_read() {
    static LINE: [u8; 600] = [b'a'; 600];
    let addr = speaks(&LINE, false); // 600 bytes, no newline, connection stays open
    let started = Instant::now();
    let banner = grab_banner(addr, LONG).unwrap().unwrap();
    assert_eq!(banner, "a".repeat(MAX_BANNER_BYTES));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stop reading once you hold MAX_BANNER_BYTES"
    );
}

#[test]
fn stage4_invalid_utf8_is_replaced() {
    let addr = speaks(b"caf\xff\r\n", true);
    assert_eq!(
        grab_banner(addr, LONG).unwrap().as_deref(),
        Some("caf\u{FFFD}")
    );
}

#[test]
fn stage4_timeout_bounds_the_whole_read_not_each_read() {
    // One byte every 50 ms: each read succeeds quickly, but the line would take 3 s.
    let addr = serve(|mut stream| {
        for _ in 0..60 {
            if stream.write_all(b"x").is_err() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = stream.write_all(b"\r\n");
    });
    let started = Instant::now();
    let banner = grab_banner(addr, SHORT)
        .unwrap()
        .expect("some bytes arrived");
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(1500),
        "took {elapsed:?} with a 300 ms timeout"
    );
    assert!(!banner.is_empty() && banner.len() < 60 && banner.chars().all(|c| c == 'x'));
}

#[test]
fn stage4_banner_connect_errors_are_returned() {
    let error = grab_banner(released_port(), LONG).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}

// ---------------------------------------------------------------- parsing HTTP heads

fn info(version: &str, status: u16, reason: &str, server: Option<&str>) -> HttpInfo {
    HttpInfo {
        version: version.into(),
        status,
        reason: reason.into(),
        server: server.map(Into::into),
    }
}

#[test]
fn stage4_parse_typical_head() {
    let head = concat!(
        "HTTP/1.1 200 OK\r\n",
        "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n",
        "Server: nginx/1.24.0\r\n",
        "Content-Length: 0\r\n",
        "\r\n",
    );
    assert_eq!(
        parse_http_head(head),
        Some(info("HTTP/1.1", 200, "OK", Some("nginx/1.24.0")))
    );
}

#[test]
fn stage4_parse_reason_phrases() {
    let head = "HTTP/1.0 404 Not Found\r\n\r\n";
    assert_eq!(
        parse_http_head(head),
        Some(info("HTTP/1.0", 404, "Not Found", None))
    );
    // No reason at all is allowed.
    assert_eq!(
        parse_http_head("HTTP/1.1 204\r\n\r\n"),
        Some(info("HTTP/1.1", 204, "", None))
    );
    // Bare `\n` line endings work too.
    assert_eq!(
        parse_http_head("HTTP/1.1 301 Moved Permanently\nServer: x\n\n"),
        Some(info("HTTP/1.1", 301, "Moved Permanently", Some("x")))
    );
}

#[test]
fn stage4_parse_server_header_rules() {
    // Case-insensitive name, trimmed value, first one wins.
    let head = "HTTP/1.1 200 OK\r\nsErVeR:   Apache/2.4  \r\nServer: second\r\n\r\n";
    assert_eq!(
        parse_http_head(head).unwrap().server.as_deref(),
        Some("Apache/2.4")
    );
    // Only headers count: a `Server:` line after the blank line is body.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nServer: not-a-header\r\n";
    assert_eq!(parse_http_head(head).unwrap().server, None);
    // Lines without a colon are skipped; `X-Server` is a different header.
    let head = "HTTP/1.1 200 OK\r\ngarbage line\r\nX-Server: nope\r\nServer: yes\r\n\r\n";
    assert_eq!(
        parse_http_head(head).unwrap().server.as_deref(),
        Some("yes")
    );
}

#[test]
fn stage4_parse_rejects_non_http() {
    for text in [
        "",
        "SSH-2.0-OpenSSH_9.6\r\n",
        "220 mail.test ESMTP\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n",
    ] {
        assert_eq!(parse_http_head(text), None, "{text:?}");
    }
}

// ---------------------------------------------------------------- HEAD requests

#[test]
fn stage4_http_head_sends_the_exact_request_and_parses_the_answer() {
    let (addr, request) = http_server(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nServer: TinyTest/1.2\r\n\r\n",
        true,
    );
    let answer = http_head(addr, LONG).unwrap();
    assert_eq!(answer, info("HTTP/1.0", 200, "OK", Some("TinyTest/1.2")));
    assert_eq!(
        request.recv().unwrap(),
        format!("HEAD / HTTP/1.0\r\nHost: {addr}\r\n\r\n")
    );
}

#[test]
fn stage4_http_head_stops_at_the_blank_line() {
    // This server keeps the connection open after the head.
    let (addr, _request) = http_server(
        b"HTTP/1.1 404 Not Found\r\nserver:  keepalive-test \r\nContent-Length: 0\r\n\r\n",
        false,
    );
    let started = Instant::now();
    let answer = http_head(addr, LONG).unwrap();
    assert_eq!(
        answer,
        info("HTTP/1.1", 404, "Not Found", Some("keepalive-test"))
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "do not wait for the server to close"
    );
}

#[test]
fn stage4_http_head_parses_what_arrived_before_close() {
    let (addr, _request) = http_server(b"HTTP/1.0 301 Moved Permanently\r\nServer: x", true);
    assert_eq!(
        http_head(addr, LONG).unwrap(),
        info("HTTP/1.0", 301, "Moved Permanently", Some("x"))
    );
}

#[test]
fn stage4_http_head_errors() {
    let (addr, _request) = http_server(b"SSH-2.0-NotHttp\r\n", true);
    assert_eq!(
        http_head(addr, LONG).unwrap_err().kind(),
        io::ErrorKind::InvalidData
    );

    // Reads the request, never answers, keeps the connection open.
    let addr = serve(|mut stream| {
        read_request(&mut stream);
        hold_until_client_closes(stream);
    });
    let started = Instant::now();
    assert_eq!(
        http_head(addr, SHORT).unwrap_err().kind(),
        io::ErrorKind::TimedOut
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );

    let error = http_head(released_port(), LONG).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}
