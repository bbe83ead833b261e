//! Stage 1: turn a port specification such as `22,80,8000-8010` into a list of ports.

use std::fmt;

/// The limit `main.rs` uses when the user does not pass `--max-ports`.
pub const DEFAULT_MAX_PORTS: usize = 10_000;

/// Everything that can be wrong with a port specification.
///
/// An `enum` in Rust is a type whose value is exactly one of its variants, and each variant
/// can carry its own data. Callers can `match` on the variant (tests do), and the
/// [`fmt::Display`] implementation below turns it into the message a user sees.
///
/// `#[derive(...)]` asks the compiler to write some standard trait implementations for us:
/// `Debug` (printing with `{:?}`), `Clone`, and `PartialEq`/`Eq` (comparing with `==`, which
/// `assert_eq!` needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortSpecError {
    /// The whole specification is empty or only whitespace.
    ///
    /// Message: `port specification is empty`
    Empty,
    /// An item between commas is empty, as in `22,,80` or `22,`. `position` counts items
    /// from 1.
    ///
    /// Message: `empty item at position 2`
    EmptyItem { position: usize },
    /// A port (or one side of a range) is not made only of ASCII digits: `ssh`, `+80`,
    /// `8o`, or an empty side of a range such as `-80`. `text` is the offending text,
    /// trimmed of surrounding whitespace (it can be `""`).
    ///
    /// Message: `"ssh" is not a port number`
    NotANumber { text: String },
    /// A number outside 1..=65535, including numbers too large for any integer type.
    /// `text` is the number as written (trimmed).
    ///
    /// Message: `port 70000 is out of range (1-65535)`
    OutOfRange { text: String },
    /// A range whose start is greater than its end, such as `90-80`.
    ///
    /// Message: `range 90-80 is reversed: start is greater than end`
    ReversedRange { start: u16, end: u16 },
    /// More distinct ports than the caller allows. `count` is the number of distinct ports
    /// after removing duplicates.
    ///
    /// Message: `20000 ports requested, the limit is 10000`
    TooMany { count: usize, max: usize },
}

/// `Display` is the trait behind `{}` in `format!`/`println!` and behind `.to_string()`.
/// The tests compare `err.to_string()` with the messages documented on each variant.
impl fmt::Display for PortSpecError {
    /// Write the message for `self` into `f`, for example with
    /// `write!(f, "port {text} is out of range (1-65535)")`.
    ///
    /// Tip: in `match self { PortSpecError::EmptyItem { position } => ..., ... }` each arm
    /// gets that variant's fields (here `position`) as references.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortSpecError::Empty => write!(f, "port specification is empty"),
            PortSpecError::EmptyItem { position } => write!(f, "empty item at position {position}"),
            PortSpecError::NotANumber { text } => write!(f, "\"{text}\" is not a port number"),
            PortSpecError::OutOfRange { text } => {
                write!(f, "port {text} is out of range (1-65535)")
            }
            PortSpecError::ReversedRange { start, end } => {
                write!(
                    f,
                    "range {start}-{end} is reversed: start is greater than end"
                )
            }
            PortSpecError::TooMany { count, max } => {
                write!(f, "{count} ports requested, the limit is {max}")
            }
        }
    }
}

/// Marks `PortSpecError` as a standard error type, so it works with `?` in functions that
/// return `Result<_, Box<dyn std::error::Error>>` (as `main.rs` does). Nothing to implement:
/// the trait's methods all have defaults that use `Display` and `Debug`.
impl std::error::Error for PortSpecError {}

/// Parse `spec` into a sorted list of distinct ports.
///
/// The grammar:
///
/// * `spec` is a comma-separated list of items; whitespace around items and around the `-`
///   of a range is ignored.
/// * An item is a single port (`22`) or an inclusive range (`8000-8010`). `80-80` is the
///   single port 80.
/// * A port is one or more ASCII digits (leading zeros allowed, `080` is 80) with a value in
///   1..=65535. `+80` is not a number here, even though `"+80".parse::<u32>()` accepts it.
/// * A range splits at its first `-`: the text before it is the start, everything after it
///   is the end. So in `1-2-3` the end is `2-3`, which is not a number.
///
/// Checks, in this order:
///
/// 1. If `spec` is empty or whitespace, return [`PortSpecError::Empty`].
/// 2. Items are checked from left to right and the first bad item decides the error. Within
///    a range, the start is checked before the end, and both are checked before the
///    reversed-range check.
/// 3. After all items are valid, duplicates are removed; if more than `max_ports` distinct
///    ports remain, return [`PortSpecError::TooMany`].
///
/// The result is sorted ascending with no duplicates: `"80,22,20-23"` gives
/// `[20, 21, 22, 23, 80]`.
///
/// Rust notes: `Result<Vec<u16>, PortSpecError>` is either `Ok(ports)` or `Err(error)`.
/// Inside this function, `some_result?` returns early with the error if there is one.
/// `str::split(',')`, `str::trim`, `str::split_once('-')`, `u8::is_ascii_digit` and
/// `Vec::sort_unstable` + `Vec::dedup` (or a `BTreeSet<u16>`) are all you need.
pub fn parse_ports(spec: &str, max_ports: usize) -> Result<Vec<u16>, PortSpecError> {
    if spec.trim().is_empty() {
        return Err(PortSpecError::Empty);
    }

    // One flag per possible port: marking is O(1), duplicates vanish on their own, and
    // reading the flags back in index order yields the ports already sorted.
    let mut wanted = vec![false; 65_536];
    for (index, raw_item) in spec.split(',').enumerate() {
        let item = raw_item.trim();
        if item.is_empty() {
            return Err(PortSpecError::EmptyItem {
                position: index + 1,
            });
        }
        let (start, end) = match item.split_once('-') {
            Some((start, end)) => {
                let start = parse_port(start)?;
                let end = parse_port(end)?;
                if start > end {
                    return Err(PortSpecError::ReversedRange { start, end });
                }
                (start, end)
            }
            None => {
                let port = parse_port(item)?;
                (port, port)
            }
        };
        for port in start..=end {
            wanted[usize::from(port)] = true;
        }
    }

    let ports: Vec<u16> = (1..=u16::MAX)
        .filter(|&port| wanted[usize::from(port)])
        .collect();
    if ports.len() > max_ports {
        return Err(PortSpecError::TooMany {
            count: ports.len(),
            max: max_ports,
        });
    }
    Ok(ports)
}

/// Parse one port number (already split out of its item), trimming whitespace.
fn parse_port(raw: &str) -> Result<u16, PortSpecError> {
    let text = raw.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PortSpecError::NotANumber {
            text: text.to_string(),
        });
    }
    // Only digits are left, so parsing can fail only by overflow: that is "out of range" too.
    match text.parse::<u32>() {
        Ok(value @ 1..=65_535) => Ok(value as u16),
        _ => Err(PortSpecError::OutOfRange {
            text: text.to_string(),
        }),
    }
}
