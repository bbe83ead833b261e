//! Deterministic simulated sensors (stage 1).
//!
//! Every run with the same seed produces exactly the same readings, so the parallel pipeline can
//! be compared with a sequential baseline reading for reading.

/// One measurement from one sensor.
///
/// `#[derive(...)]` asks the compiler to write common trait implementations for us: `Debug`
/// (printing with `{:?}`), `Clone` + `Copy` (the struct is plain data, so it is copied instead
/// of moved), `PartialEq` + `Eq` (`==`) and `Hash` (usable as a `HashSet` element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reading {
    /// Which sensor produced the reading: `0..sensors`.
    pub sensor_id: u32,
    /// Per-sensor sequence number: 0, 1, 2, ... with no gaps.
    pub seq: u64,
    /// Milliseconds since the start of the simulation.
    pub timestamp_ms: u64,
    /// The measured value in milli-units (for example 21_350 means 21.350 degrees).
    /// Integers, not floats, so that sums are exact whatever order they are added in.
    pub value: i64,
}

/// The SplitMix64 pseudo-random generator: 64 bits of state, one addition and a bit mixer per
/// output. Small, fast, and good enough for simulations (not for cryptography).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose whole future output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 pseudo-random bits.
    ///
    /// The algorithm, step by step (all arithmetic wraps around modulo 2^64):
    ///
    /// 1. `state = state + 0x9E37_79B9_7F4A_7C15`
    /// 2. `z = state`
    /// 3. `z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9`
    /// 4. `z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB`
    /// 5. return `z ^ (z >> 31)`
    ///
    /// Rust panics on integer overflow in debug builds, so wrapping arithmetic has to be asked
    /// for explicitly: `a.wrapping_add(b)`, `a.wrapping_mul(b)`. `^` is XOR, `>>` a right shift.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`, computed as `self.next_u64() % bound` (one call to `next_u64`).
    ///
    /// Panics with a message containing "bound must be at least 1" when `bound == 0`
    /// (`assert!(condition, "message")` does exactly that).
    pub fn next_below(&mut self, bound: u64) -> u64 {
        assert!(bound >= 1, "bound must be at least 1");
        self.next_u64() % bound
    }
}

/// How many sensors to simulate and how fast they report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensorConfig {
    /// Seed of the single [`SplitMix64`] that drives the whole simulation.
    pub seed: u64,
    /// Number of sensors; their ids are `0..sensors`.
    pub sensors: u32,
    /// How many readings each sensor produces.
    pub readings_per_sensor: u64,
    /// Each sensor reports once per interval; must be at least 1.
    pub interval_ms: u64,
}

/// Baseline of sensor 0 in milli-units; sensor `i` sits at `BASELINE + i * SENSOR_STEP`.
pub const BASELINE: i64 = 20_000;
/// Distance between the baselines of neighbouring sensors.
pub const SENSOR_STEP: i64 = 1_000;
/// Noise is uniform in `-NOISE..=NOISE`.
pub const NOISE: i64 = 1_000;
/// On average one reading in `SPIKE_ONE_IN` carries a spike...
pub const SPIKE_ONE_IN: u64 = 50;
/// ...of this size, added on top of baseline and noise.
pub const SPIKE: i64 = 15_000;

/// The simulated sensors, as an iterator of [`Reading`]s.
///
/// Readings come out round-robin: overall reading number `k` (0-based) belongs to sensor
/// `k % sensors` and has `seq = k / sensors`. For each reading, draw from the one generator,
/// in this order:
///
/// 1. `jitter = next_below(interval_ms)`; `timestamp_ms = seq * interval_ms + jitter`
///    (so each sensor's timestamps strictly increase).
/// 2. `noise = next_below(2 * NOISE + 1) as i64 - NOISE`
/// 3. `spike = if next_below(SPIKE_ONE_IN) == 0 { SPIKE } else { 0 }`
///
/// and `value = BASELINE + sensor_id * SENSOR_STEP + noise + spike`. The iterator ends after
/// `sensors * readings_per_sensor` readings (immediately if either is 0).
#[derive(Debug, Clone)]
pub struct SensorSim {
    config: SensorConfig,
    rng: SplitMix64,
    /// How many readings have been produced so far (the `k` of the next one).
    emitted: u64,
}

impl SensorSim {
    /// Panics with "interval_ms must be at least 1" when `config.interval_ms == 0`.
    pub fn new(config: SensorConfig) -> Self {
        assert!(config.interval_ms >= 1, "interval_ms must be at least 1");
        SensorSim {
            config,
            rng: SplitMix64::new(config.seed),
            emitted: 0,
        }
    }

    /// Total number of readings this simulation produces.
    pub fn total(&self) -> u64 {
        u64::from(self.config.sensors) * self.config.readings_per_sensor
    }
}

/// Implementing `Iterator` needs one method, `next`, returning `Some(item)` or `None` when done.
/// In exchange every iterator adapter (`take`, `filter`, `collect`, `for` loops...) works on it.
impl Iterator for SensorSim {
    type Item = Reading;

    fn next(&mut self) -> Option<Reading> {
        if self.emitted >= self.total() {
            return None;
        }
        let k = self.emitted;
        self.emitted += 1;

        let sensors = u64::from(self.config.sensors);
        let sensor_id = (k % sensors) as u32;
        let seq = k / sensors;

        let jitter = self.rng.next_below(self.config.interval_ms);
        let noise = self.rng.next_below(2 * NOISE as u64 + 1) as i64 - NOISE;
        let spike = if self.rng.next_below(SPIKE_ONE_IN) == 0 {
            SPIKE
        } else {
            0
        };

        Some(Reading {
            sensor_id,
            seq,
            timestamp_ms: seq * self.config.interval_ms + jitter,
            value: BASELINE + i64::from(sensor_id) * SENSOR_STEP + noise + spike,
        })
    }
}

/// All readings of a simulation, in the order [`SensorSim`] produces them.
pub fn generate(config: SensorConfig) -> Vec<Reading> {
    SensorSim::new(config).collect()
}
