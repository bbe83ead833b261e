//! Stage 2: probe one TCP port and classify what happened.
//!
//! A "connect scan" asks the operating system to open a normal TCP connection:
//!
//! * the target answers our SYN with SYN-ACK: the handshake completes, `connect` succeeds,
//!   the port is **open**;
//! * the target answers with RST: `connect` fails with "connection refused", the port is
//!   **closed** (the host is there, nothing listens on that port);
//! * nothing comes back before our timeout (a firewall dropped the SYN), or a router answers
//!   that the host or network is unreachable: the port is **filtered**.
//!
//! Any other error (out of file descriptors, no free local port, permission denied by a
//! local firewall rule) says something about *our* machine, not about the target, so it is
//! reported as [`PortState::Error`] rather than disguised as "filtered".

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// What a probe learned about one port.
///
/// `Copy` means values are copied bit for bit on assignment (like integers) instead of
/// being moved; it is allowed because every variant's data is itself `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortState {
    /// The TCP handshake completed.
    Open,
    /// The target refused the connection (it answered the SYN with RST).
    Closed,
    /// No usable answer: the connect timed out, or the host/network was reported
    /// unreachable.
    Filtered,
    /// A local failure that says nothing about the port; carries the error's kind.
    Error(io::ErrorKind),
}

/// Prints `open`, `closed`, `filtered`, or `error (<kind>)`, for example
/// `error (address not available)`. Already implemented; `main.rs` uses it.
impl fmt::Display for PortState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortState::Open => f.write_str("open"),
            PortState::Closed => f.write_str("closed"),
            PortState::Filtered => f.write_str("filtered"),
            PortState::Error(kind) => write!(f, "error ({kind})"),
        }
    }
}

/// The one step of a probe that touches the network: try to connect to `addr`, giving up
/// after `timeout`. `Ok(())` means the handshake completed.
///
/// Making this a trait is what lets the tests replace the network. The real scanner uses
/// [`TcpConnect`]; a test can pass a closure that returns any error it likes (for example a
/// timeout, which loopback can never produce on its own) and can count how many connects are
/// running at the same time (stage 3).
///
/// `: Sync` means a `&dyn Connect` may be shared between threads, which stage 3 needs.
pub trait Connect: Sync {
    fn connect(&self, addr: SocketAddr, timeout: Duration) -> io::Result<()>;
}

/// Every closure (or function) with the right signature is a [`Connect`] too, so tests can
/// write `probe_with(&|addr, timeout| Err(io::ErrorKind::TimedOut.into()), ...)`.
/// Already implemented: this is a "blanket implementation" over all types `F` that are
/// callable like `connect`.
impl<F> Connect for F
where
    F: Fn(SocketAddr, Duration) -> io::Result<()> + Sync,
{
    fn connect(&self, addr: SocketAddr, timeout: Duration) -> io::Result<()> {
        self(addr, timeout)
    }
}

/// The real connector: a TCP connect with a timeout, using the operating system.
///
/// A struct with no fields ("unit struct") costs nothing at run time; it exists only so we
/// have a type to hang the `Connect` implementation on.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpConnect;

impl Connect for TcpConnect {
    /// Connect to `addr` with [`std::net::TcpStream::connect_timeout`], then drop the stream
    /// (which closes the connection). Return `Ok(())` on success and the error otherwise.
    ///
    /// Note: `connect_timeout` returns an error for a zero `timeout`; callers never pass one.
    fn connect(&self, addr: SocketAddr, timeout: Duration) -> io::Result<()> {
        // The stream is dropped at the end of this statement, which closes the connection.
        TcpStream::connect_timeout(&addr, timeout).map(drop)
    }
}

/// Turn the outcome of a connect into a [`PortState`]:
///
/// | outcome                                                        | state      |
/// |----------------------------------------------------------------|------------|
/// | `Ok(())`                                                       | `Open`     |
/// | error kind `ConnectionRefused`                                 | `Closed`   |
/// | error kind `TimedOut`, `HostUnreachable`, `NetworkUnreachable` | `Filtered` |
/// | any other error kind `k`                                       | `Error(k)` |
///
/// Rust notes: `io::Error::kind()` returns an [`io::ErrorKind`], a plain enum you can
/// `match` on; use a `_` (or a named binding) arm for "anything else".
pub fn classify(outcome: &io::Result<()>) -> PortState {
    match outcome {
        Ok(()) => PortState::Open,
        Err(error) => match error.kind() {
            io::ErrorKind::ConnectionRefused => PortState::Closed,
            io::ErrorKind::TimedOut
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable => PortState::Filtered,
            other => PortState::Error(other),
        },
    }
}

/// Probe `addr` through `connector` and classify the outcome. Pass `timeout` through
/// unchanged, and call the connector exactly once.
///
/// `&dyn Connect` is a reference to "some type that implements `Connect`", chosen at run
/// time: a `&TcpConnect` or a `&closure` both convert to it automatically.
pub fn probe_with(connector: &dyn Connect, addr: SocketAddr, timeout: Duration) -> PortState {
    classify(&connector.connect(addr, timeout))
}

/// Probe `addr` over the real network. Already implemented.
pub fn probe(addr: SocketAddr, timeout: Duration) -> PortState {
    probe_with(&TcpConnect, addr, timeout)
}
