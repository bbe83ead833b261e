//! Per-sensor, per-window statistics and the sequential baseline (stage 1).
//!
//! A window is a fixed, non-overlapping slice of time: with `window_ms = 1000`, the windows are
//! `[0, 1000)`, `[1000, 2000)`, ... A reading belongs to the window containing its timestamp.

use std::collections::{BTreeMap, HashMap};

use crate::sensor::Reading;

/// Start of the window containing `timestamp_ms`: the timestamp rounded down to a multiple of
/// `window_ms` (for example `window_start(2_999, 1_000) == 2_000`). `window_ms` is at least 1.
pub fn window_start(timestamp_ms: u64, window_ms: u64) -> u64 {
    timestamp_ms - timestamp_ms % window_ms
}

/// Identifies one window of one sensor.
///
/// Deriving `PartialOrd` + `Ord` orders keys field by field, in declaration order: by sensor,
/// then by window start. That is the order a `BTreeMap<WindowKey, _>` iterates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WindowKey {
    pub sensor_id: u32,
    pub window_start_ms: u64,
}

/// Statistics of one non-empty window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowStats {
    /// Number of readings in the window (at least 1).
    pub count: u64,
    pub min: i64,
    pub max: i64,
    /// Exact sum of the values (integers: no rounding, whatever the order of additions).
    pub sum: i64,
    /// The 95th percentile by the nearest-rank method, see [`percentile_nearest_rank`].
    pub p95: i64,
}

impl WindowStats {
    /// The arithmetic mean, `sum / count`, computed once at the end in `f64`.
    pub fn mean(&self) -> f64 {
        self.sum as f64 / self.count as f64
    }
}

/// The `pct`-th percentile of `values` by the **nearest-rank** method.
///
/// Sort the values ascending; with `n` values, the rank is `ceil(pct * n / 100)`, but at least 1;
/// the answer is the value at that 1-based rank (index `rank - 1`). The result is always one of
/// the input values, never an interpolation. Examples, for `[15, 20, 35, 40, 50]`: p30 = 20
/// (rank 2), p50 = 35 (rank 3), p100 = 50 (rank 5), p0 = 15 (rank 1). For 1..=20, p95 = 19.
///
/// In integers, `ceil(a / b)` is `a.div_ceil(b)` (or, spelled out, `(a + b - 1) / b`).
///
/// Returns `None` for an empty slice. Panics with a message containing
/// "percentile must be between 0 and 100" when `pct > 100`. The slice is sorted in place
/// (`&mut [i64]` is a mutable borrow: the caller's data, which we may change but not keep).
pub fn percentile_nearest_rank(values: &mut [i64], pct: u32) -> Option<i64> {
    assert!(pct <= 100, "percentile must be between 0 and 100");
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len() as u64;
    let rank = (u64::from(pct) * n).div_ceil(100).max(1);
    Some(values[(rank - 1) as usize])
}

/// Collects the values of one window until its statistics are needed.
///
/// An exact percentile needs every value, so the accumulator keeps them all.
#[derive(Debug, Clone, Default)]
pub struct WindowAccumulator {
    values: Vec<i64>,
}

impl WindowAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        WindowAccumulator { values: Vec::new() }
    }

    /// Records one value.
    pub fn push(&mut self, value: i64) {
        self.values.push(value);
    }

    /// `true` when no value has been pushed yet.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The statistics of everything pushed: count, min, max, sum and p95 (nearest rank).
    /// `None` when nothing was pushed. Takes `self` by value: the accumulator is used up.
    pub fn finish(mut self) -> Option<WindowStats> {
        let p95 = percentile_nearest_rank(&mut self.values, 95)?;
        // After the call above the values are sorted: min and max are at the two ends.
        Some(WindowStats {
            count: self.values.len() as u64,
            min: self.values[0],
            max: self.values[self.values.len() - 1],
            sum: self.values.iter().sum(),
            p95,
        })
    }
}

/// Groups readings into windows per sensor. Both the sequential baseline and every worker of the
/// pipeline use one of these.
#[derive(Debug)]
pub struct Aggregator {
    window_ms: u64,
    windows: HashMap<WindowKey, WindowAccumulator>,
}

impl Aggregator {
    /// Panics with "window_ms must be at least 1" when `window_ms == 0`.
    pub fn new(window_ms: u64) -> Self {
        assert!(window_ms >= 1, "window_ms must be at least 1");
        Aggregator {
            window_ms,
            windows: HashMap::new(),
        }
    }

    /// Adds one reading to the window of its sensor that contains its timestamp.
    ///
    /// `map.entry(key).or_default()` returns a `&mut` to the value for `key`, inserting
    /// `Default::default()` first when the key is missing: one lookup instead of two.
    pub fn add(&mut self, reading: &Reading) {
        let key = WindowKey {
            sensor_id: reading.sensor_id,
            window_start_ms: window_start(reading.timestamp_ms, self.window_ms),
        };
        self.windows.entry(key).or_default().push(reading.value);
    }

    /// The statistics of every window that received at least one reading, ordered by key.
    pub fn finish(self) -> BTreeMap<WindowKey, WindowStats> {
        self.windows
            .into_iter()
            .filter_map(|(key, acc)| acc.finish().map(|stats| (key, stats)))
            .collect()
    }
}

/// The sequential baseline: every reading through one [`Aggregator`], on the calling thread.
pub fn aggregate_sequential(
    readings: &[Reading],
    window_ms: u64,
) -> BTreeMap<WindowKey, WindowStats> {
    let mut aggregator = Aggregator::new(window_ms);
    for reading in readings {
        aggregator.add(reading);
    }
    aggregator.finish()
}
