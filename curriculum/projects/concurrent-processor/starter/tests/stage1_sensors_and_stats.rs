//! Stage 1: a deterministic sensor simulation and correct statistics, all sequential.

use std::collections::BTreeMap;

use concurrent_processor::sensor::{BASELINE, NOISE, SENSOR_STEP, SPIKE, SPIKE_ONE_IN};
use concurrent_processor::{
    aggregate_sequential, generate, percentile_nearest_rank, window_start, Aggregator, Reading,
    SensorConfig, SensorSim, SplitMix64, WindowAccumulator, WindowKey, WindowStats,
};

fn config(seed: u64, sensors: u32, readings_per_sensor: u64) -> SensorConfig {
    SensorConfig {
        seed,
        sensors,
        readings_per_sensor,
        interval_ms: 10,
    }
}

fn reading(sensor_id: u32, seq: u64, timestamp_ms: u64, value: i64) -> Reading {
    Reading {
        sensor_id,
        seq,
        timestamp_ms,
        value,
    }
}

fn stats(count: u64, min: i64, max: i64, sum: i64, p95: i64) -> WindowStats {
    WindowStats {
        count,
        min,
        max,
        sum,
        p95,
    }
}

fn key(sensor_id: u32, window_start_ms: u64) -> WindowKey {
    WindowKey {
        sensor_id,
        window_start_ms,
    }
}

#[test]
fn stage1_splitmix64_matches_the_published_outputs_for_seed_0() {
    let mut rng = SplitMix64::new(0);
    let first: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
    assert_eq!(
        first,
        vec![
            0xE220_A839_7B1D_CDAF,
            0x6E78_9E6A_A1B9_65F4,
            0x06C4_5D18_8009_454F,
            0xF88B_B8A8_724C_81EC
        ],
        "SplitMix64 seeded with 0 must produce the reference sequence (check wrapping_add/wrapping_mul and the shifts 30, 27, 31)"
    );
}

#[test]
fn stage1_next_below_stays_in_range_and_uses_one_draw() {
    let mut rng = SplitMix64::new(7);
    for _ in 0..100 {
        assert_eq!(rng.next_below(1), 0);
    }
    let mut seen = [false; 7];
    for _ in 0..1_000 {
        let x = rng.next_below(7);
        assert!(x < 7, "next_below(7) returned {x}");
        seen[x as usize] = true;
    }
    assert!(
        seen.iter().all(|&s| s),
        "1000 draws of next_below(7) should hit all of 0..7"
    );

    let mut a = SplitMix64::new(99);
    let mut b = SplitMix64::new(99);
    assert_eq!(a.next_below(1_000_003), b.next_u64() % 1_000_003);
    assert_eq!(
        a.next_u64(),
        b.next_u64(),
        "next_below must consume exactly one next_u64"
    );
}

#[test]
#[should_panic(expected = "bound must be at least 1")]
fn stage1_next_below_rejects_zero() {
    SplitMix64::new(1).next_below(0);
}

#[test]
fn stage1_generator_is_deterministic() {
    let a = generate(config(42, 5, 200));
    let b = generate(config(42, 5, 200));
    let c = generate(config(43, 5, 200));
    assert_eq!(a.len(), 1_000);
    assert_eq!(a, b, "same seed, same readings");
    assert_ne!(a, c, "a different seed should give different readings");
    assert!(
        generate(config(42, 0, 200)).is_empty(),
        "0 sensors: no readings"
    );
    assert!(
        generate(config(42, 5, 0)).is_empty(),
        "0 readings per sensor: no readings"
    );
}

#[test]
fn stage1_generator_is_round_robin_with_gapless_sequence_numbers() {
    let sensors = 7;
    let readings = generate(config(1, sensors, 300));
    assert_eq!(readings.len(), 7 * 300);
    for (k, r) in readings.iter().enumerate() {
        let k = k as u64;
        assert_eq!(
            u64::from(r.sensor_id),
            k % 7,
            "reading #{k} belongs to sensor k % sensors"
        );
        assert_eq!(r.seq, k / 7, "reading #{k} has seq k / sensors");
    }
    let sim = SensorSim::new(config(1, sensors, 300));
    assert_eq!(sim.total(), 2_100);
    assert_eq!(
        sim.count(),
        2_100,
        "the iterator must end after sensors * readings_per_sensor"
    );
}

#[test]
fn stage1_generator_follows_the_documented_draw_order() {
    let cfg = SensorConfig {
        seed: 2024,
        sensors: 3,
        readings_per_sensor: 4,
        interval_ms: 250,
    };
    let mut rng = SplitMix64::new(cfg.seed);
    let mut expected = Vec::new();
    for seq in 0..cfg.readings_per_sensor {
        for sensor_id in 0..cfg.sensors {
            let jitter = rng.next_below(cfg.interval_ms);
            let noise = rng.next_below(2 * NOISE as u64 + 1) as i64 - NOISE;
            let spike = if rng.next_below(SPIKE_ONE_IN) == 0 {
                SPIKE
            } else {
                0
            };
            expected.push(reading(
                sensor_id,
                seq,
                seq * cfg.interval_ms + jitter,
                BASELINE + i64::from(sensor_id) * SENSOR_STEP + noise + spike,
            ));
        }
    }
    assert_eq!(
        generate(cfg),
        expected,
        "draws per reading: jitter, noise, spike, in that order"
    );
}

#[test]
fn stage1_generator_timestamps_and_values_are_in_range() {
    let cfg = config(5, 10, 1_000);
    let readings = generate(cfg);
    let mut spikes = 0;
    for r in &readings {
        let lo = r.seq * cfg.interval_ms;
        assert!(
            (lo..lo + cfg.interval_ms).contains(&r.timestamp_ms),
            "{r:?}: timestamp must lie in [seq * interval, (seq + 1) * interval)"
        );
        let base = BASELINE + i64::from(r.sensor_id) * SENSOR_STEP;
        let quiet = base - NOISE..=base + NOISE;
        let spiked = base - NOISE + SPIKE..=base + NOISE + SPIKE;
        assert!(
            quiet.contains(&r.value) || spiked.contains(&r.value),
            "{r:?}: value out of range"
        );
        if spiked.contains(&r.value) {
            spikes += 1;
        }
    }
    // One in 50 on average: about 200 of 10_000.
    assert!(
        (120..=280).contains(&spikes),
        "{spikes} spikes in 10_000 readings, expected about 200"
    );
}

#[test]
fn stage1_window_start_rounds_down_to_the_window() {
    assert_eq!(window_start(0, 1_000), 0);
    assert_eq!(window_start(999, 1_000), 0);
    assert_eq!(window_start(1_000, 1_000), 1_000);
    assert_eq!(window_start(2_999, 1_000), 2_000);
    assert_eq!(window_start(17, 5), 15);
    assert_eq!(window_start(123, 1), 123);
}

#[test]
fn stage1_percentile_nearest_rank_hand_checked() {
    let base = [15, 20, 35, 40, 50];
    let p = |pct| percentile_nearest_rank(&mut base.clone(), pct);
    assert_eq!(p(0), Some(15), "rank is at least 1");
    assert_eq!(p(5), Some(15), "ceil(0.25) = 1");
    assert_eq!(p(30), Some(20), "ceil(1.5) = 2");
    assert_eq!(p(40), Some(20), "exactly 2");
    assert_eq!(p(50), Some(35), "ceil(2.5) = 3");
    assert_eq!(p(95), Some(50), "ceil(4.75) = 5");
    assert_eq!(p(100), Some(50));

    let mut one_to_twenty: Vec<i64> = (1..=20).rev().collect();
    assert_eq!(
        percentile_nearest_rank(&mut one_to_twenty, 95),
        Some(19),
        "input need not be sorted"
    );
    let mut one_to_hundred: Vec<i64> = (1..=100).collect();
    assert_eq!(percentile_nearest_rank(&mut one_to_hundred, 95), Some(95));
    let mut hundred_and_one: Vec<i64> = (1..=101).collect();
    assert_eq!(
        percentile_nearest_rank(&mut hundred_and_one, 95),
        Some(96),
        "ceil(95.95) = 96"
    );
}

#[test]
fn stage1_percentile_edge_cases() {
    assert_eq!(percentile_nearest_rank(&mut [], 95), None, "empty input");
    assert_eq!(
        percentile_nearest_rank(&mut [7], 95),
        Some(7),
        "a single value is every percentile"
    );
    assert_eq!(percentile_nearest_rank(&mut [7], 0), Some(7));
    assert_eq!(
        percentile_nearest_rank(&mut [3, -8, 3, 3, -1], 40),
        Some(-1),
        "negatives and duplicates"
    );
    let mut values = vec![5, 1, 4];
    percentile_nearest_rank(&mut values, 50);
    assert_eq!(values, vec![1, 4, 5], "the slice is left sorted");
}

#[test]
#[should_panic(expected = "percentile must be between 0 and 100")]
fn stage1_percentile_above_100_is_rejected() {
    percentile_nearest_rank(&mut [1, 2, 3], 101);
}

#[test]
fn stage1_window_accumulator_computes_all_statistics() {
    assert_eq!(
        WindowAccumulator::new().finish(),
        None,
        "an empty window has no statistics"
    );

    let mut acc = WindowAccumulator::new();
    assert!(acc.is_empty());
    for v in [5, -3, 12, 7] {
        acc.push(v);
    }
    assert!(!acc.is_empty());
    let s = acc.finish().expect("four values were pushed");
    assert_eq!(s, stats(4, -3, 12, 21, 12));
    assert_eq!(s.mean(), 5.25);

    let mut acc = WindowAccumulator::new();
    for v in [
        13, 2, 20, 7, 1, 19, 8, 14, 3, 11, 18, 4, 16, 9, 6, 17, 10, 5, 15, 12,
    ] {
        acc.push(v);
    }
    let s = acc.finish().unwrap();
    assert_eq!(s, stats(20, 1, 20, 210, 19));
    assert_eq!(s.mean(), 10.5);
}

#[test]
fn stage1_aggregate_sequential_hand_checked() {
    let readings = [
        reading(0, 0, 0, 10),
        reading(1, 0, 100, 100),
        reading(0, 1, 500, 30),
        reading(0, 2, 999, 20),
        reading(0, 3, 1_000, -5),
        reading(1, 1, 1_999, 300),
        reading(0, 4, 2_500, 7),
    ];
    let expected: BTreeMap<WindowKey, WindowStats> = [
        (key(0, 0), stats(3, 10, 30, 60, 30)),
        (key(0, 1_000), stats(1, -5, -5, -5, -5)),
        (key(0, 2_000), stats(1, 7, 7, 7, 7)),
        (key(1, 0), stats(1, 100, 100, 100, 100)),
        (key(1, 1_000), stats(1, 300, 300, 300, 300)),
    ]
    .into_iter()
    .collect();
    assert_eq!(aggregate_sequential(&readings, 1_000), expected);
    assert!(aggregate_sequential(&[], 1_000).is_empty());

    // The same readings in one 10-second window per sensor.
    let wide = aggregate_sequential(&readings, 10_000);
    assert_eq!(wide.len(), 2);
    assert_eq!(wide[&key(0, 0)], stats(5, -5, 30, 62, 30));
    assert_eq!(wide[&key(1, 0)], stats(2, 100, 300, 400, 300));
}

#[test]
fn stage1_aggregator_counts_every_generated_reading() {
    let readings = generate(config(3, 8, 1_250));
    let windows = aggregate_sequential(&readings, 1_000);
    let total: u64 = windows.values().map(|s| s.count).sum();
    assert_eq!(total, 10_000, "every reading lands in exactly one window");
    // 1_250 readings, one per 10 ms, per sensor: 12.5 s, i.e. windows 0..=12 for each of 8 sensors.
    assert_eq!(windows.len(), 8 * 13);
    for (k, s) in &windows {
        assert!(s.min <= s.p95 && s.p95 <= s.max, "{k:?}: min <= p95 <= max");
        assert!(
            s.min as f64 <= s.mean() && s.mean() <= s.max as f64,
            "{k:?}: min <= mean <= max"
        );
    }

    let mut by_hand = Aggregator::new(1_000);
    for r in &readings {
        by_hand.add(r);
    }
    assert_eq!(by_hand.finish(), windows);
}
