//! Stage 1: an ASCII Gantt chart, one row per process, one column per tick.
//!
//! ```text
//!    |01234567890|
//! P1 |  ##..#    |
//! P2 |   .##     |
//! P3 |         ##|
//! ```
//!
//! Reading it: P1 arrives at 2, runs 2-4, waits 4-6 while P2 runs, runs 6-7
//! and is done; the CPU is idle at ticks 0, 1, 7 and 8 (no `#` in the column).

use crate::{Process, Segment};

/// Renders the chart of `timeline` for `processes`. The exact format:
///
/// - No processes: the empty string.
/// - Let `W` be the length of the longest label, where the label of a process
///   is `P` followed by its id (`P7`, `P12`).
/// - Let `T` be the end of the timeline. The chart has `T` columns, one per
///   tick `t` in `0..T` (the tick from `t` to `t + 1`).
/// - First line (the axis): `W` spaces, then ` |`, then for each tick `t` the
///   digit `t % 10`, then `|`.
/// - Then one line per process, in ascending id order (numeric: `P7` before
///   `P12`): the label padded with spaces on the right to `W` characters,
///   then ` |`, then one character per tick, then `|`. The character for
///   tick `t` is
///   - `#` if the process runs during that tick,
///   - `.` if it does not run but is waiting: `arrival <= t < completion`,
///     where `completion` is the end of its last segment,
///   - a space otherwise (not arrived yet, or already done).
/// - Every line, including the last, ends with `\n`.
///
/// Rust notes: build the result in a `String` with `push(char)` and
/// `push_str(&str)`. `format!("{:<width$}", label, width = w)` pads on the
/// right. A digit as a `char`: `char::from(b'0' + (t % 10) as u8)`.
pub fn render_gantt(processes: &[Process], timeline: &[Segment]) -> String {
    if processes.is_empty() {
        return String::new();
    }
    let mut sorted: Vec<&Process> = processes.iter().collect();
    sorted.sort_by_key(|p| p.id);
    let label = |p: &Process| format!("P{}", p.id);
    let width = sorted.iter().map(|p| label(p).len()).max().unwrap_or(0);
    let end = timeline.last().map(|s| s.end).unwrap_or(0);

    let mut out = String::new();
    out.push_str(&" ".repeat(width));
    out.push_str(" |");
    for t in 0..end {
        out.push(char::from(b'0' + (t % 10) as u8));
    }
    out.push_str("|\n");

    for p in sorted {
        let mine: Vec<&Segment> = timeline.iter().filter(|s| s.pid == Some(p.id)).collect();
        let completion = mine.iter().map(|s| s.end).max().unwrap_or(p.arrival);
        out.push_str(&format!("{:<width$} |", label(p), width = width));
        for t in 0..end {
            let running = mine.iter().any(|s| s.start <= t && t < s.end);
            out.push(if running {
                '#'
            } else if p.arrival <= t && t < completion {
                '.'
            } else {
                ' '
            });
        }
        out.push_str("|\n");
    }
    out
}
