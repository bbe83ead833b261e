//! Stage 4: ask an open port what it is.
//!
//! Many protocols make the server speak first: SSH sends `SSH-2.0-OpenSSH_9.6`, SMTP sends
//! `220 mail.example.com ESMTP`, FTP sends `220 ...`. Reading that first line (the "banner")
//! often names the software and its version. HTTP is the opposite: the server waits for a
//! request, so we send the smallest one there is and read the status line and the `Server`
//! header of the answer.
//!
//! Both functions must never wait longer than their `timeout` in total, whatever the server
//! does: stay silent, send one byte at a time, or never close the connection.
//!
//! The starter's bodies are `todo!()`, so their parameters look unused to the compiler.
//! Delete the next line once you have implemented this module.
#![allow(unused_variables)]

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// The longest banner returned, in bytes; longer first lines are cut to this length.
pub const MAX_BANNER_BYTES: usize = 512;

/// Stop reading an HTTP response head after this many bytes, even without a blank line.
pub const MAX_HTTP_HEAD_BYTES: usize = 16 * 1024;

/// What an HTTP server said about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpInfo {
    /// The protocol version from the status line, such as `HTTP/1.1`.
    pub version: String,
    /// The three-digit status code, such as `200`.
    pub status: u16,
    /// The reason phrase, such as `OK` or `Not Found`; `""` if the server sent none.
    pub reason: String,
    /// The value of the first `Server` header, if there is one.
    pub server: Option<String>,
}

/// Connect to `addr` and return the first line the server sends on its own.
///
/// Rules:
///
/// * Connect with [`std::net::TcpStream::connect_timeout`]; a connect error is returned as
///   `Err` (for example `ConnectionRefused`). Send nothing.
/// * Read until the first `\n`, until the server closes the connection, until you hold
///   [`MAX_BANNER_BYTES`] bytes, or until `timeout` has passed since the start of the call,
///   whichever comes first. `timeout` bounds the *whole* read, not each `read` call: set the
///   socket's read timeout to the time *remaining* before every read.
/// * The banner is the bytes before the first `\n`, cut to at most [`MAX_BANNER_BYTES`],
///   with trailing `\r` and `\n` removed, decoded with [`String::from_utf8_lossy`] (invalid
///   UTF-8 becomes `U+FFFD`).
/// * Return `Ok(None)` if that banner is empty: the server sent nothing in time, closed at
///   once, or sent an empty first line. A partial line (no `\n` before the server closed or
///   the time ran out) is still returned.
///
/// Rust notes: the `Read` trait (`use std::io::Read;`) gives `stream.read(&mut buf)`, which
/// returns how many bytes arrived, `Ok(0)` when the peer closed. When a read timeout expires,
/// `read` fails with kind `WouldBlock` on Unix and `TimedOut` on Windows: treat both as "time
/// is up". `Instant::now()` and `deadline.saturating_duration_since(now)` measure what is
/// left.
pub fn grab_banner(addr: SocketAddr, timeout: Duration) -> io::Result<Option<String>> {
    todo!("stage 4: read the first line the server sends")
}

/// Send `HEAD / HTTP/1.0` to `addr` and describe the server from its answer.
///
/// Rules:
///
/// * Connect as in [`grab_banner`], then write exactly
///   `"HEAD / HTTP/1.0\r\nHost: {addr}\r\n\r\n"`, where `{addr}` is `addr` formatted with
///   `{}` (for example `127.0.0.1:8080`).
/// * Read until the head is complete (you have seen `\r\n\r\n` or `\n\n`), until the server
///   closes, or until you hold [`MAX_HTTP_HEAD_BYTES`] bytes, then parse what you have with
///   [`parse_http_head`] (lossy UTF-8 as above). Do not wait for the server to close: some
///   servers keep the connection open after the head.
/// * If `timeout` (measured from the start of the call, covering the connect, the write and
///   all reads) runs out first, return an error of kind `TimedOut`.
/// * If the answer does not parse as HTTP, return an error of kind `InvalidData`
///   (`io::Error::new(io::ErrorKind::InvalidData, "...")`).
pub fn http_head(addr: SocketAddr, timeout: Duration) -> io::Result<HttpInfo> {
    todo!("stage 4: send HEAD and parse the answer")
}

/// Parse the head of an HTTP response: a status line followed by header lines.
///
/// * Lines end in `\n`; a `\r` before it is removed.
/// * The status line is `VERSION CODE REASON`, split at single spaces into at most three
///   parts: the version must start with `HTTP/`, the code must be exactly three ASCII digits,
///   and the reason is everything after the space that follows the code (it may contain
///   spaces, and may be missing: `HTTP/1.1 204` has reason `""`). Anything else gives `None`.
/// * Header lines follow until the first empty line; anything after that is body and is
///   ignored. A header line is `name: value`; lines without `:` are skipped. The name matches
///   `Server` case-insensitively, the value is trimmed of surrounding whitespace, and the
///   first `Server` header wins.
///
/// Rust notes: `str::lines()` splits at `\n` and also drops a `\r` before it.
/// `str::splitn(3, ' ')`, `str::eq_ignore_ascii_case` and `str::split_once(':')` do the rest.
pub fn parse_http_head(text: &str) -> Option<HttpInfo> {
    todo!("stage 4: parse the status line and the Server header")
}
