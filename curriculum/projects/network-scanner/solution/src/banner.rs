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

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

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
    let deadline = Instant::now() + timeout;
    let mut stream = connect_before(addr, deadline)?;
    let (bytes, _) = read_until(&mut stream, deadline, MAX_BANNER_BYTES, |bytes| {
        bytes.contains(&b'\n')
    })?;

    let line = match bytes.iter().position(|&b| b == b'\n') {
        Some(newline) => &bytes[..newline],
        None => &bytes[..],
    };
    let line = &line[..line.len().min(MAX_BANNER_BYTES)];
    let banner = String::from_utf8_lossy(line);
    let banner = banner.trim_end_matches(['\r', '\n']);
    Ok(if banner.is_empty() {
        None
    } else {
        Some(banner.to_string())
    })
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
    let deadline = Instant::now() + timeout;
    let mut stream = connect_before(addr, deadline)?;

    stream.set_write_timeout(Some(remaining(deadline)?))?;
    stream.write_all(format!("HEAD / HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())?;

    let (bytes, end) = read_until(&mut stream, deadline, MAX_HTTP_HEAD_BYTES, head_complete)?;
    if end == ReadEnd::OutOfTime {
        return Err(timed_out());
    }
    parse_http_head(&String::from_utf8_lossy(&bytes)).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "the answer is not an HTTP response head",
        )
    })
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
    let mut lines = text.lines();

    let mut parts = lines.next()?.splitn(3, ' ');
    let version = parts.next()?;
    let code = parts.next()?;
    let reason = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") || code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let status: u16 = code.parse().ok()?;

    let server = lines
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("server"))
        .map(|(_, value)| value.trim().to_string());

    Some(HttpInfo {
        version: version.to_string(),
        status,
        reason: reason.to_string(),
        server,
    })
}

/// Why [`read_until`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadEnd {
    /// `stop` returned true for the bytes read so far.
    Complete,
    /// The peer closed the connection.
    Closed,
    /// The byte limit was reached.
    Full,
    /// The deadline passed.
    OutOfTime,
}

/// Read from `stream` into a buffer until `stop(&buffer)` holds, the peer closes, `limit`
/// bytes have arrived, or `deadline` passes. Errors other than "time is up" are returned.
fn read_until(
    stream: &mut TcpStream,
    deadline: Instant,
    limit: usize,
    stop: impl Fn(&[u8]) -> bool,
) -> io::Result<(Vec<u8>, ReadEnd)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let Ok(left) = remaining(deadline) else {
            return Ok((buffer, ReadEnd::OutOfTime));
        };
        stream.set_read_timeout(Some(left))?;
        let wanted = chunk.len().min(limit - buffer.len());
        match stream.read(&mut chunk[..wanted]) {
            Ok(0) => return Ok((buffer, ReadEnd::Closed)),
            Ok(n) => {
                buffer.extend_from_slice(&chunk[..n]);
                if stop(&buffer) {
                    return Ok((buffer, ReadEnd::Complete));
                }
                if buffer.len() >= limit {
                    return Ok((buffer, ReadEnd::Full));
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok((buffer, ReadEnd::OutOfTime));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// True once `bytes` holds a complete HTTP head (ended by a blank line).
fn head_complete(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| w == b"\r\n\r\n") || bytes.windows(2).any(|w| w == b"\n\n")
}

/// Connect to `addr`, giving up at `deadline`.
fn connect_before(addr: SocketAddr, deadline: Instant) -> io::Result<TcpStream> {
    TcpStream::connect_timeout(&addr, remaining(deadline)?)
}

/// Time left until `deadline`, or a `TimedOut` error if none is left. Never returns a zero
/// duration, which socket timeouts reject.
fn remaining(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(timed_out())
    } else {
        Ok(left)
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "timed out")
}
