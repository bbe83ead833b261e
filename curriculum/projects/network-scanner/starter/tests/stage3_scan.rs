//! Stage 3: scan many ports with a bounded pool of workers.
//! Run only these with `cargo test stage3`.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use network_scanner::{scan, scan_with, PortResult, PortState, ScanConfig};

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn config(concurrency: usize) -> ScanConfig {
    ScanConfig {
        timeout: Duration::from_secs(2),
        concurrency,
    }
}

fn refused() -> io::Result<()> {
    Err(io::ErrorKind::ConnectionRefused.into())
}

/// Counts connects that are running right now and remembers the highest count seen.
#[derive(Default)]
struct ActiveCounter {
    active: AtomicUsize,
    max: AtomicUsize,
}

impl ActiveCounter {
    fn enter(&self) {
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.active.fetch_sub(1, Ordering::SeqCst);
    }
    fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

/// Holds the first callers until `target` of them are waiting at once (or 5 s pass), then
/// lets everyone through for good. With a correct pool of `target` workers the first
/// `target` probes all meet here, so the pool provably reaches its bound; with fewer
/// workers the wait times out and the test reports the lower maximum.
struct Gate {
    target: usize,
    state: Mutex<(usize, bool)>, // (callers waiting, open)
    opened: Condvar,
}

impl Gate {
    fn new(target: usize) -> Self {
        Gate {
            target,
            state: Mutex::new((0, false)),
            opened: Condvar::new(),
        }
    }
    fn pass(&self) {
        let mut state = self.state.lock().unwrap();
        if state.1 {
            return;
        }
        state.0 += 1;
        if state.0 >= self.target {
            state.1 = true;
            self.opened.notify_all();
            return;
        }
        let (mut state, _) = self
            .opened
            .wait_timeout_while(state, Duration::from_secs(5), |s| !s.1)
            .unwrap();
        state.1 = true; // on timeout, stop holding anyone back
        self.opened.notify_all();
    }
}

#[test]
fn stage3_concurrency_bound_is_respected_and_reached() {
    let counter = ActiveCounter::default();
    let gate = Gate::new(8);
    let fake = |_: SocketAddr, _: Duration| -> io::Result<()> {
        counter.enter();
        gate.pass();
        thread::sleep(Duration::from_millis(2));
        counter.leave();
        refused()
    };
    let ports: Vec<u16> = (1..=200).collect();

    let results = scan_with(&fake, LOCALHOST, &ports, &config(8));

    assert_eq!(results.len(), 200);
    assert!(
        counter.max() <= 8,
        "{} probes ran at once, the bound is 8",
        counter.max()
    );
    assert_eq!(
        counter.max(),
        8,
        "the pool never had 8 probes in flight at once"
    );
}

#[test]
fn stage3_concurrency_of_one_is_sequential() {
    let counter = ActiveCounter::default();
    let fake = |_: SocketAddr, _: Duration| -> io::Result<()> {
        counter.enter();
        thread::sleep(Duration::from_millis(1));
        counter.leave();
        Ok(())
    };
    let ports: Vec<u16> = (100..150).collect();
    let results = scan_with(&fake, LOCALHOST, &ports, &config(1));
    assert_eq!(results.len(), 50);
    assert_eq!(counter.max(), 1);
}

#[test]
fn stage3_concurrency_zero_is_treated_as_one() {
    let counter = ActiveCounter::default();
    let fake = |_: SocketAddr, _: Duration| -> io::Result<()> {
        counter.enter();
        thread::sleep(Duration::from_millis(1));
        counter.leave();
        refused()
    };
    let ports: Vec<u16> = (1..=20).collect();
    let results = scan_with(&fake, LOCALHOST, &ports, &config(0));
    assert_eq!(results.len(), 20);
    assert_eq!(counter.max(), 1);
}

#[test]
fn stage3_more_workers_than_ports() {
    let calls = AtomicUsize::new(0);
    let fake = |_: SocketAddr, _: Duration| -> io::Result<()> {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok(())
    };
    let results = scan_with(&fake, LOCALHOST, &[7, 3, 5], &config(500));
    let ports: Vec<u16> = results.iter().map(|r| r.port).collect();
    assert_eq!(ports, vec![3, 5, 7]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    assert_eq!(
        scan_with(&fake, LOCALHOST, &[], &config(8)),
        Vec::<PortResult>::new()
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "an empty scan probes nothing"
    );
}

#[test]
fn stage3_each_port_probed_once_with_the_right_address_and_timeout() {
    let seen = Mutex::new(HashMap::<u16, usize>::new());
    let fake = |addr: SocketAddr, timeout: Duration| -> io::Result<()> {
        assert_eq!(addr.ip(), LOCALHOST);
        assert_eq!(timeout, Duration::from_secs(2));
        *seen.lock().unwrap().entry(addr.port()).or_default() += 1;
        // Even ports answer, odd ports refuse, multiples of 5 time out, 77 is a local error.
        match addr.port() {
            77 => Err(io::ErrorKind::AddrNotAvailable.into()),
            p if p % 5 == 0 => Err(io::ErrorKind::TimedOut.into()),
            p if p % 2 == 0 => Ok(()),
            _ => refused(),
        }
    };
    let ports: Vec<u16> = (1..=300).collect();
    let results = scan_with(&fake, LOCALHOST, &ports, &config(16));

    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 300);
    assert!(
        seen.values().all(|&n| n == 1),
        "some port was probed more than once"
    );
    for result in &results {
        let expected = match result.port {
            77 => PortState::Error(io::ErrorKind::AddrNotAvailable),
            p if p % 5 == 0 => PortState::Filtered,
            p if p % 2 == 0 => PortState::Open,
            _ => PortState::Closed,
        };
        assert_eq!(result.state, expected, "port {}", result.port);
    }
}

#[test]
fn stage3_results_are_sorted_even_when_probes_finish_out_of_order() {
    // Low ports are slow and high ports fast, and the input is shuffled: completion order
    // has nothing to do with port order.
    let fake = |addr: SocketAddr, _: Duration| -> io::Result<()> {
        thread::sleep(Duration::from_millis(u64::from(60 - addr.port()) / 4));
        refused()
    };
    let mut ports: Vec<u16> = (1..=59).collect();
    ports.reverse();
    ports.swap(3, 40);
    let results = scan_with(&fake, LOCALHOST, &ports, &config(10));
    let got: Vec<u16> = results.iter().map(|r| r.port).collect();
    assert_eq!(got, (1..=59).collect::<Vec<u16>>());
}

#[test]
fn stage3_scans_1000_loopback_ports_quickly() {
    // Three ports that are listening, three that were just released, and 994 others.
    let listeners: Vec<TcpListener> = (0..3)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let open: Vec<u16> = listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect();
    let released: Vec<u16> = (0..3)
        .map(|_| {
            TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        })
        .collect();
    let known: Vec<u16> = open.iter().chain(&released).copied().collect();
    let others = (20_000u16..).filter(|p| !known.contains(p)).take(994);
    let mut ports: Vec<u16> = known.iter().copied().chain(others).collect();
    ports.sort_unstable();
    assert_eq!(ports.len(), 1000);

    let started = Instant::now();
    let config = ScanConfig {
        timeout: Duration::from_secs(2),
        concurrency: 64,
    };
    let results = scan(LOCALHOST, &ports, &config);
    let elapsed = started.elapsed();

    assert_eq!(results.len(), 1000);
    assert!(
        results.windows(2).all(|w| w[0].port < w[1].port),
        "results must be sorted by port"
    );
    let state_of = |port: u16| results.iter().find(|r| r.port == port).unwrap().state;
    for port in &open {
        assert_eq!(state_of(*port), PortState::Open, "listening port {port}");
    }
    for port in &released {
        assert_eq!(state_of(*port), PortState::Closed, "released port {port}");
    }
    assert!(
        elapsed < Duration::from_secs(5),
        "1000 loopback ports took {elapsed:?}"
    );
}
