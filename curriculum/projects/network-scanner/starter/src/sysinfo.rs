//! Stage 5: describe the machine the scanner runs on.
//!
//! On Linux, the kernel publishes its view of the machine as text files: `/proc/meminfo`,
//! `/proc/cpuinfo`, `/proc/sys/kernel/hostname`; the distribution describes itself in
//! `/etc/os-release`. The parsers here take that text as a `&str`, so tests can feed them
//! fixed examples; only [`read_system_info`] touches the real files.
//!
//! The starter's bodies are `todo!()`, so their parameters look unused to the compiler.
//! Delete the next line once you have implemented this module.
#![allow(unused_variables)]

use std::fs;

/// Memory figures, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    pub total_bytes: u64,
    pub available_bytes: u64,
}

/// The operating system's name and version, from `os-release`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsRelease {
    pub name: String,
    pub version: Option<String>,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    pub hostname: Option<String>,
    pub os: OsRelease,
    /// Number of logical CPUs; `0` when the source listed none.
    pub cpu_count: usize,
    pub memory: Option<Memory>,
}

/// Parse `/proc/meminfo` text.
///
/// Each line looks like `MemTotal:       16318044 kB`: a key, a colon, a number, and usually
/// the unit `kB`, which in this file means KiB (1024 bytes). Multiply by 1024 for bytes.
///
/// * `total_bytes` comes from `MemTotal`. Without a usable `MemTotal`, return `None`.
/// * `available_bytes` comes from `MemAvailable` (the kernel's estimate of memory that new
///   programs can use without swapping). Kernels older than 3.14 lack that line; then use
///   `MemFree + Buffers + Cached`, counting any of the three that is missing as 0.
/// * Lines whose value does not parse as a whole number are ignored, as are unknown keys.
///
/// Rust notes: `line.split_once(':')` splits key from rest; `rest.split_whitespace().next()`
/// is the number; `"123".parse::<u64>()` returns a `Result`, and `.ok()` turns it into an
/// `Option`.
pub fn parse_meminfo(text: &str) -> Option<Memory> {
    todo!("stage 5: parse /proc/meminfo")
}

/// Count logical CPUs in `/proc/cpuinfo` text: the number of lines whose key (the text
/// before the first `:`, trimmed) is exactly `processor`.
///
/// x86 writes `processor\t: 0`, `processor\t: 1`, ...; 32-bit ARM kernels also write a line
/// `Processor\t: ARMv7 Processor rev 4 (v7l)` naming the CPU model, which must not be
/// counted (capital `P`). Returns 0 when there is no such line.
pub fn parse_cpu_count(text: &str) -> usize {
    todo!("stage 5: count processor lines")
}

/// Parse `/etc/os-release` text: one `KEY=value` per line, shell style.
///
/// * Blank lines and lines starting with `#` are ignored, as are lines without `=`.
///   Surrounding whitespace of keys and values is ignored.
/// * A value wrapped in a matching pair of `"` or `'` quotes loses those two quotes; there
///   is no other escape processing.
/// * If a key appears twice, the later line wins (as it would in a shell).
/// * `name` is `NAME`, or `"Linux"` if `NAME` is missing (the default os-release(5) defines).
/// * `version` is `VERSION_ID` if present, else `VERSION`, else `None`. Rolling distributions
///   such as Arch Linux and Debian unstable have neither.
///
/// Rust notes: a `std::collections::HashMap<&str, &str>` filled line by line handles "later
/// wins" for free; `str::strip_prefix` and `str::strip_suffix` remove the quotes.
pub fn parse_os_release(text: &str) -> OsRelease {
    todo!("stage 5: parse os-release")
}

/// The host name from the text of a hostname file: the first line that is neither blank nor
/// a `#` comment, trimmed. `None` if there is no such line.
///
/// (`/proc/sys/kernel/hostname` holds just the name; `/etc/hostname` may also hold comments,
/// see hostname(5).)
pub fn parse_hostname(text: &str) -> Option<String> {
    todo!("stage 5: parse the hostname")
}

impl SystemInfo {
    /// Build the report from the four texts, using the parsers above. Nothing else: no
    /// files, no fallbacks (those belong in [`read_system_info`]).
    pub fn from_sources(hostname: &str, os_release: &str, cpuinfo: &str, meminfo: &str) -> Self {
        todo!("stage 5: combine the parsers")
    }
}

/// Read the real files and build a [`SystemInfo`]. Already implemented: a thin layer of I/O
/// around the parsers.
///
/// A missing or unreadable file counts as empty text. Where Linux's `/proc` is absent (macOS,
/// Windows) most fields come back empty; the CPU count then falls back to
/// [`std::thread::available_parallelism`], which also respects limits such as CPU affinity.
pub fn read_system_info() -> SystemInfo {
    let read = |path: &str| fs::read_to_string(path).unwrap_or_default();

    let mut hostname = read("/proc/sys/kernel/hostname");
    if hostname.trim().is_empty() {
        hostname = read("/etc/hostname");
    }
    let mut os_release = read("/etc/os-release");
    if os_release.trim().is_empty() {
        os_release = read("/usr/lib/os-release");
    }

    let mut info = SystemInfo::from_sources(
        &hostname,
        &os_release,
        &read("/proc/cpuinfo"),
        &read("/proc/meminfo"),
    );
    if info.cpu_count == 0 {
        info.cpu_count = std::thread::available_parallelism().map_or(0, |n| n.get());
    }
    info
}
