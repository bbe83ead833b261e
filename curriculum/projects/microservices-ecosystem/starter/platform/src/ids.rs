//! Random-looking ids without a `rand` dependency. Provided.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// SplitMix64, a tiny, fast pseudo-random generator (Steele, Lea and Flood, 2014).
///
/// Given the same seed it produces the same sequence, which is what tests want. It is *not*
/// a cryptographic generator: fine for ids that must be unique and for retry jitter, wrong
/// for secrets such as signing keys.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// A seed that differs between processes and between calls: the clock, the process id
    /// and a counter, mixed together.
    pub fn from_entropy() -> SplitMix64 {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut mixer = SplitMix64::new(nanos ^ (u64::from(std::process::id()) << 32) ^ count.rotate_left(17));
        SplitMix64::new(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Hands out 128-bit ids as 32 lowercase hex digits. Safe to share between tasks.
#[derive(Debug)]
pub struct IdGenerator {
    rng: Mutex<SplitMix64>,
}

impl IdGenerator {
    /// A generator with a fixed seed: the same ids in the same order, every run.
    pub fn seeded(seed: u64) -> IdGenerator {
        IdGenerator { rng: Mutex::new(SplitMix64::new(seed)) }
    }

    /// A generator seeded from [`SplitMix64::from_entropy`].
    pub fn from_entropy() -> IdGenerator {
        IdGenerator { rng: Mutex::new(SplitMix64::from_entropy()) }
    }

    /// 32 lowercase hex digits, e.g. `"3f9c0b5e7a1d44e2b06c8f1a9d2e7b40"`.
    pub fn next_hex(&self) -> String {
        let mut rng = self.rng.lock().unwrap();
        format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
    }
}
