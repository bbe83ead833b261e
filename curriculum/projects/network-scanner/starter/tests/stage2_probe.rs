//! Stage 2: probe one port and classify the outcome.
//! Run only these with `cargo test stage2`.
//!
//! Everything here stays on the loopback interface. Loopback never drops packets, so a
//! "filtered" port cannot happen for real; those tests substitute the connect step instead.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Mutex;
use std::time::Duration;

use network_scanner::{classify, probe, probe_with, Connect, PortState, TcpConnect};

const TIMEOUT: Duration = Duration::from_secs(5);

fn failed(kind: io::ErrorKind) -> io::Result<()> {
    Err(io::Error::new(kind, "injected by the test"))
}

#[test]
fn stage2_listening_port_is_open() {
    // Port 0 asks the OS for any free port. The kernel completes the handshake for us even
    // though we never call `accept`.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    assert_eq!(probe(addr, TIMEOUT), PortState::Open);
}

#[test]
fn stage2_released_port_is_closed() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }; // the listener is dropped here: nothing listens on `addr` any more
    assert_eq!(probe(addr, TIMEOUT), PortState::Closed);
}

#[test]
fn stage2_tcp_connect_reports_raw_outcomes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let open = listener.local_addr().unwrap();
    assert!(TcpConnect.connect(open, TIMEOUT).is_ok());

    drop(listener);
    let error = TcpConnect.connect(open, TIMEOUT).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}

#[test]
fn stage2_classify_maps_outcomes_to_states() {
    use io::ErrorKind::*;
    assert_eq!(classify(&Ok(())), PortState::Open);
    assert_eq!(classify(&failed(ConnectionRefused)), PortState::Closed);
    assert_eq!(classify(&failed(TimedOut)), PortState::Filtered);
    assert_eq!(classify(&failed(HostUnreachable)), PortState::Filtered);
    assert_eq!(classify(&failed(NetworkUnreachable)), PortState::Filtered);
}

#[test]
fn stage2_local_failures_are_errors_not_filtered() {
    use io::ErrorKind::*;
    // Out of local ports, a local firewall rule, anything else: a fact about this machine.
    for kind in [AddrNotAvailable, PermissionDenied, AddrInUse, Other] {
        assert_eq!(classify(&failed(kind)), PortState::Error(kind), "{kind:?}");
    }
    assert_eq!(
        PortState::Error(AddrNotAvailable).to_string(),
        "error (address not available)"
    );
}

#[test]
fn stage2_timeout_from_the_connector_is_filtered() {
    // The fake connector records what it was asked, then behaves like a dropped SYN.
    let calls = Mutex::new(Vec::new());
    let fake = |addr: SocketAddr, timeout: Duration| -> io::Result<()> {
        calls.lock().unwrap().push((addr, timeout));
        failed(io::ErrorKind::TimedOut)
    };
    let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let timeout = Duration::from_millis(1234);

    assert_eq!(probe_with(&fake, addr, timeout), PortState::Filtered);
    assert_eq!(
        *calls.lock().unwrap(),
        vec![(addr, timeout)],
        "connect exactly once, as asked"
    );
}

#[test]
fn stage2_probe_with_uses_the_connectors_answer() {
    let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let open = |_: SocketAddr, _: Duration| -> io::Result<()> { Ok(()) };
    let refused = |_: SocketAddr, _: Duration| failed(io::ErrorKind::ConnectionRefused);
    let no_ports = |_: SocketAddr, _: Duration| failed(io::ErrorKind::AddrNotAvailable);

    assert_eq!(probe_with(&open, addr, TIMEOUT), PortState::Open);
    assert_eq!(probe_with(&refused, addr, TIMEOUT), PortState::Closed);
    assert_eq!(
        probe_with(&no_ports, addr, TIMEOUT),
        PortState::Error(io::ErrorKind::AddrNotAvailable)
    );
}
