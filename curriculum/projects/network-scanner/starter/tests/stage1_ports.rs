//! Stage 1: parse port specifications.
//! Run only these with `cargo test stage1`.

use network_scanner::{parse_ports, PortSpecError};

const MAX: usize = 65_535;

fn err(spec: &str) -> PortSpecError {
    match parse_ports(spec, MAX) {
        Ok(ports) => panic!("{spec:?} should be rejected, got {} ports", ports.len()),
        Err(e) => e,
    }
}

#[test]
fn stage1_single_port() {
    assert_eq!(parse_ports("22", MAX), Ok(vec![22]));
}

#[test]
fn stage1_list_and_range_are_sorted_and_deduplicated() {
    assert_eq!(
        parse_ports("80,22,20-23,22", MAX),
        Ok(vec![20, 21, 22, 23, 80])
    );
    assert_eq!(
        parse_ports("22,80,8000-8010", MAX),
        Ok([22, 80].into_iter().chain(8000..=8010).collect())
    );
    assert_eq!(
        parse_ports("8005-8007,8000-8006", MAX),
        Ok((8000..=8007).collect())
    );
}

#[test]
fn stage1_whitespace_leading_zeros_and_one_port_ranges() {
    assert_eq!(
        parse_ports("  443 , 8000 - 8002 ", MAX),
        Ok(vec![443, 8000, 8001, 8002])
    );
    assert_eq!(parse_ports("080", MAX), Ok(vec![80]));
    assert_eq!(parse_ports("80-80", MAX), Ok(vec![80]));
}

#[test]
fn stage1_full_range_and_bounds() {
    let all = parse_ports("1-65535", MAX).expect("the full range is valid");
    assert_eq!(all.len(), 65_535);
    assert_eq!(all.first(), Some(&1));
    assert_eq!(all.last(), Some(&65_535));
    assert_eq!(parse_ports("65535", MAX), Ok(vec![65_535]));
}

#[test]
fn stage1_empty_specification() {
    for spec in ["", "   "] {
        let e = err(spec);
        assert_eq!(e, PortSpecError::Empty);
        assert_eq!(e.to_string(), "port specification is empty");
    }
}

#[test]
fn stage1_empty_items() {
    let e = err("22,,80");
    assert_eq!(e, PortSpecError::EmptyItem { position: 2 });
    assert_eq!(e.to_string(), "empty item at position 2");

    assert_eq!(err("22,80,"), PortSpecError::EmptyItem { position: 3 });
    assert_eq!(err(",22"), PortSpecError::EmptyItem { position: 1 });
    assert_eq!(err("22, ,80"), PortSpecError::EmptyItem { position: 2 });
}

#[test]
fn stage1_not_a_number() {
    let e = err("ssh");
    assert_eq!(e, PortSpecError::NotANumber { text: "ssh".into() });
    assert_eq!(e.to_string(), "\"ssh\" is not a port number");

    // `str::parse` would accept a leading `+`; a port specification does not.
    assert_eq!(err("+80"), PortSpecError::NotANumber { text: "+80".into() });
    assert_eq!(err("8o"), PortSpecError::NotANumber { text: "8o".into() });
    assert_eq!(
        err("80 81"),
        PortSpecError::NotANumber {
            text: "80 81".into()
        }
    );
    // Ranges: each side on its own, the start first; an empty side is the text "".
    assert_eq!(
        err("abc-x"),
        PortSpecError::NotANumber { text: "abc".into() }
    );
    assert_eq!(
        err("80-http"),
        PortSpecError::NotANumber {
            text: "http".into()
        }
    );
    assert_eq!(err("-80"), PortSpecError::NotANumber { text: "".into() });
    assert_eq!(err("80-"), PortSpecError::NotANumber { text: "".into() });
    assert_eq!(
        err("1-2-3"),
        PortSpecError::NotANumber { text: "2-3".into() }
    );
    assert_eq!(err("-"), PortSpecError::NotANumber { text: "".into() });
    assert_eq!(err("-").to_string(), "\"\" is not a port number");
}

#[test]
fn stage1_out_of_range() {
    let e = err("0");
    assert_eq!(e, PortSpecError::OutOfRange { text: "0".into() });
    assert_eq!(e.to_string(), "port 0 is out of range (1-65535)");

    assert_eq!(
        err("65536"),
        PortSpecError::OutOfRange {
            text: "65536".into()
        }
    );
    assert_eq!(err("0-10"), PortSpecError::OutOfRange { text: "0".into() });
    assert_eq!(
        err("60000-70000"),
        PortSpecError::OutOfRange {
            text: "70000".into()
        }
    );
    // Too big for any integer type: still "out of range", reported as written.
    let huge = "99999999999999999999999999";
    assert_eq!(err(huge), PortSpecError::OutOfRange { text: huge.into() });
    assert_eq!(
        err(huge).to_string(),
        format!("port {huge} is out of range (1-65535)")
    );
}

#[test]
fn stage1_reversed_range() {
    let e = err("90-80");
    assert_eq!(e, PortSpecError::ReversedRange { start: 90, end: 80 });
    assert_eq!(
        e.to_string(),
        "range 90-80 is reversed: start is greater than end"
    );
    // Both sides are validated before the order is checked.
    assert_eq!(err("90-0"), PortSpecError::OutOfRange { text: "0".into() });
}

#[test]
fn stage1_first_bad_item_wins() {
    assert_eq!(
        err("22,90-80,ssh"),
        PortSpecError::ReversedRange { start: 90, end: 80 }
    );
    assert_eq!(
        err("ssh,90-80"),
        PortSpecError::NotANumber { text: "ssh".into() }
    );
    assert_eq!(err("22,,0"), PortSpecError::EmptyItem { position: 2 });
    assert_eq!(err("0,,22"), PortSpecError::OutOfRange { text: "0".into() });
}

#[test]
fn stage1_too_many_ports_counts_distinct_ports() {
    let e = parse_ports("1-20000", 10_000).unwrap_err();
    assert_eq!(
        e,
        PortSpecError::TooMany {
            count: 20_000,
            max: 10_000
        }
    );
    assert_eq!(e.to_string(), "20000 ports requested, the limit is 10000");

    // Exactly at the limit is fine, and duplicates do not count twice.
    assert_eq!(parse_ports("1-100", 100).map(|p| p.len()), Ok(100));
    assert_eq!(
        parse_ports("1-100,50-100,100", 100).map(|p| p.len()),
        Ok(100)
    );
    assert_eq!(
        parse_ports("1-100,101", 100),
        Err(PortSpecError::TooMany {
            count: 101,
            max: 100
        })
    );
    // A bad item is reported even when the specification is also too large.
    assert_eq!(
        parse_ports("1-65535,x", 10),
        Err(PortSpecError::NotANumber { text: "x".into() })
    );
}

#[test]
fn stage1_errors_work_with_question_mark() {
    // `PortSpecError` implements `std::error::Error`, so `?` can box it.
    fn run() -> Result<Vec<u16>, Box<dyn std::error::Error>> {
        Ok(parse_ports("22,x", MAX)?)
    }
    let e = run().unwrap_err();
    assert_eq!(e.to_string(), "\"x\" is not a port number");
}
