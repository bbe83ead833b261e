//! Stage 1: tidy timelines, metrics and the ASCII Gantt chart.
//! No scheduler is involved: every timeline here is given.

mod common;

use common::{all_vectors, assert_close, assert_metrics_match};
use scheduler_emulator::{compute_metrics, push_segment, render_gantt, Process, Segment};

#[test]
fn stage1_push_segment_appends_and_merges() {
    let mut tl = Vec::new();
    push_segment(&mut tl, Some(1), 0, 2);
    assert_eq!(tl, vec![Segment::run(1, 0, 2)]);
    push_segment(&mut tl, Some(1), 2, 3);
    assert_eq!(
        tl,
        vec![Segment::run(1, 0, 3)],
        "same pid right after: extend"
    );
    push_segment(&mut tl, Some(2), 3, 4);
    push_segment(&mut tl, Some(1), 4, 6);
    assert_eq!(
        tl,
        vec![
            Segment::run(1, 0, 3),
            Segment::run(2, 3, 4),
            Segment::run(1, 4, 6)
        ]
    );
}

#[test]
fn stage1_push_segment_fills_gaps_with_idle() {
    let mut tl = Vec::new();
    push_segment(&mut tl, Some(3), 2, 4);
    assert_eq!(
        tl,
        vec![Segment::idle(0, 2), Segment::run(3, 2, 4)],
        "a gap at the start"
    );
    push_segment(&mut tl, None, 4, 5);
    push_segment(&mut tl, Some(1), 7, 8);
    assert_eq!(
        tl,
        vec![
            Segment::idle(0, 2),
            Segment::run(3, 2, 4),
            Segment::idle(4, 7),
            Segment::run(1, 7, 8)
        ],
        "explicit idle 4-5 plus the gap 5-7 become one idle segment"
    );
}

#[test]
fn stage1_push_segment_ignores_empty_segments() {
    let mut tl = Vec::new();
    push_segment(&mut tl, Some(4), 2, 2);
    assert!(
        tl.is_empty(),
        "an empty segment adds nothing, not even idle time"
    );
    push_segment(&mut tl, Some(4), 0, 3);
    push_segment(&mut tl, Some(5), 3, 3);
    assert_eq!(tl, vec![Segment::run(4, 0, 3)]);
}

#[test]
#[should_panic(expected = "overlap")]
fn stage1_push_segment_rejects_overlap() {
    let mut tl = Vec::new();
    push_segment(&mut tl, Some(1), 0, 5);
    push_segment(&mut tl, Some(2), 4, 6);
}

#[test]
fn stage1_metrics_of_every_vector_timeline() {
    // The expected timeline of every vector (all stages) doubles as a metrics test.
    for vector in all_vectors() {
        let metrics = compute_metrics(&vector.processes(), &vector.expected_timeline());
        assert_metrics_match(&vector, &metrics);
    }
}

#[test]
fn stage1_context_switches_ignore_idle() {
    let processes = [Process::new(1, 0, 3, 0), Process::new(2, 0, 1, 0)];
    // P1, idle, P1 (not a schedule any policy here would produce, but the
    // definition must still hold): same process again, so 0 switches.
    let same = [
        Segment::run(1, 0, 1),
        Segment::idle(1, 3),
        Segment::run(1, 3, 5),
    ];
    assert_eq!(compute_metrics(&processes[..1], &same).context_switches, 0);
    // P1, idle, P2: the CPU now holds a different process, so 1 switch.
    let different = [
        Segment::run(1, 0, 3),
        Segment::idle(3, 4),
        Segment::run(2, 4, 5),
    ];
    let m = compute_metrics(&processes, &different);
    assert_eq!(m.context_switches, 1);
    assert_eq!((m.busy_time, m.makespan), (4, 5));
    assert_close(m.cpu_utilisation, 0.8, "utilisation 4/5");
}

#[test]
fn stage1_metrics_of_empty_workload() {
    let m = compute_metrics(&[], &[]);
    assert!(m.per_process.is_empty());
    assert_eq!((m.context_switches, m.busy_time, m.makespan), (0, 0, 0));
    assert_eq!(
        (
            m.avg_turnaround,
            m.avg_waiting,
            m.avg_response,
            m.cpu_utilisation
        ),
        (0.0, 0.0, 0.0, 0.0),
        "means and utilisation of nothing are defined as 0.0"
    );
}

#[test]
fn stage1_gantt_matches_vectors() {
    let mut checked = 0;
    for vector in all_vectors() {
        let Some(lines) = &vector.expected.gantt else {
            continue;
        };
        let want: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let got = render_gantt(&vector.processes(), &vector.expected_timeline());
        assert_eq!(
            got, want,
            "\nchart of vector {}\n--- got ---\n{got}--- want ---\n{want}",
            vector.name
        );
        checked += 1;
    }
    assert!(checked >= 3, "expected several vectors with a chart");
}

#[test]
fn stage1_gantt_of_empty_workload_is_empty() {
    assert_eq!(render_gantt(&[], &[]), "");
}
