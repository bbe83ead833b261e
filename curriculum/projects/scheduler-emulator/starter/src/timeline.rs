//! Stage 1: building tidy timelines.
//!
//! Every scheduler in this project produces its timeline by calling
//! [`push_segment`] over and over, so the rules that make a timeline "tidy"
//! live in one place:
//!
//! - it starts at tick 0 and has no gaps (a gap is written as an idle segment);
//! - segments never overlap and are never empty (`start < end`);
//! - two neighbouring segments never have the same `pid` (they are merged);
//! - (the schedulers make sure that) it ends when the last process completes.

use crate::{Pid, Segment};

/// The tick at which `timeline` ends: the `end` of its last segment, or 0
/// when it is empty. (Given; you do not need to change it.)
///
/// `&[Segment]` is a *slice*: a borrowed view of a sequence of segments. A
/// `&Vec<Segment>` converts to it automatically.
pub fn timeline_end(timeline: &[Segment]) -> u64 {
    // `last()` returns an `Option<&Segment>`; `map` transforms the value
    // inside a `Some`, `unwrap_or` supplies the value for `None`.
    timeline.last().map(|s| s.end).unwrap_or(0)
}

/// Appends "`pid` (or idle, when `None`) ran from `start` to `end`" to
/// `timeline`, keeping the timeline tidy. In order:
///
/// 1. If `start == end`, do nothing.
/// 2. Panic (with a message containing the word `overlap`) if `end < start`
///    or if `start` is before [`timeline_end`]`(timeline)`.
/// 3. If `start` is after the current end of the timeline (0 for an empty
///    timeline), first fill the gap with an idle segment. So a scheduler never
///    has to write idle time itself: it pushes the next run and the gap
///    appears.
/// 4. If the last segment has the same `pid` (two runs of the same process, or
///    two idle stretches), extend it to `end` instead of adding a new segment.
///    Otherwise append a new segment.
///
/// Examples (written as `pid start-end`):
///
/// ```text
/// []            push P1 0-2  -> [P1 0-2]
/// [P1 0-2]      push P1 2-3  -> [P1 0-3]
/// [P1 0-3]      push P2 5-6  -> [P1 0-3, idle 3-5, P2 5-6]
/// [P1 0-3]      push idle 3-4, then P2 6-7 -> [P1 0-3, idle 3-6, P2 6-7]
/// []            push P4 2-2  -> []
/// ```
///
/// `&mut Vec<Segment>` is a *mutable borrow*: the function may change the
/// caller's vector (push, or edit the last element) but does not own it.
/// Useful methods: `timeline.last_mut()` gives an `Option<&mut Segment>` you
/// can edit in place; `timeline.push(segment)` appends.
pub fn push_segment(timeline: &mut Vec<Segment>, pid: Option<Pid>, start: u64, end: u64) {
    // `todo!()` panics with "not yet implemented". Replace it with your code.
    // (The `let _ = ...` line only silences "unused variable" warnings until
    // then; the same pair appears in every unfinished function. Delete both.)
    let _ = (timeline, pid, start, end);
    todo!()
}
