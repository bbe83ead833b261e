//! Mini Network Scanner: a TCP connect scanner built on the standard library only.
//!
//! Each module is one stage of the project, in the order you build them:
//!
//! | stage | module      | what it does                                              |
//! |-------|-------------|-----------------------------------------------------------|
//! | 1     | [`ports`]   | parse `22,80,8000-8010` into a sorted list of ports        |
//! | 2     | [`probe`]   | connect to one port and classify it open/closed/filtered   |
//! | 3     | [`scan`]    | probe many ports with a bounded pool of worker threads     |
//! | 4     | [`banner`]  | read a service's first line; ask an HTTP server who it is  |
//! | 5     | [`sysinfo`] | describe the local machine from `/proc`-style text         |
//!
//! `src/main.rs` is the command-line tool that ties them together. It is already written;
//! it works as soon as the functions it calls are implemented.
//!
//! Scan only hosts you own or have written permission to test.

// `pub mod ports;` tells the compiler that the module `ports` lives in `src/ports.rs` and
// makes it visible to users of the library (the tests and `main.rs` are such users).
pub mod banner;
pub mod ports;
pub mod probe;
pub mod scan;
pub mod sysinfo;

// Re-exports: lets callers write `network_scanner::parse_ports` instead of the full path.
pub use banner::{grab_banner, http_head, parse_http_head, HttpInfo};
pub use ports::{parse_ports, PortSpecError, DEFAULT_MAX_PORTS};
pub use probe::{classify, probe, probe_with, Connect, PortState, TcpConnect};
pub use scan::{scan, scan_with, PortResult, ScanConfig};
pub use sysinfo::{Memory, OsRelease, SystemInfo};
