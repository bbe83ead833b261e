//! Stage 2: a bounded blocking queue (Mutex + Condvar) with backpressure and close.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::{join, run_with_timeout, wait_until};
use concurrent_processor::{BoundedQueue, Closed};

#[test]
#[should_panic(expected = "capacity must be at least 1")]
fn stage2_capacity_zero_is_rejected() {
    let _ = BoundedQueue::<u32>::new(0);
}

#[test]
fn stage2_fifo_order_across_wraparound() {
    let q = BoundedQueue::new(3);
    assert_eq!(q.capacity(), 3);
    assert!(q.is_empty());
    // Interleave pushes and pops so head and tail wrap around the 3 slots many times.
    let mut next_in = 0u32;
    let mut next_out = 0u32;
    for round in 0..50 {
        let burst = round % 3 + 1;
        for _ in 0..burst {
            q.push(next_in).unwrap();
            next_in += 1;
        }
        assert_eq!(q.len(), burst as usize);
        for _ in 0..burst {
            assert_eq!(
                q.pop(),
                Some(next_out),
                "items must come out in the order they went in"
            );
            next_out += 1;
        }
        assert!(q.is_empty());
    }
    assert_eq!(q.max_len_observed(), 3);
}

#[test]
fn stage2_close_delivers_queued_items_then_none() {
    let q = BoundedQueue::new(4);
    q.push("a").unwrap();
    q.push("b").unwrap();
    q.push("c").unwrap();
    assert!(!q.is_closed());
    q.close();
    assert!(q.is_closed());
    assert_eq!(
        q.push("late"),
        Err(Closed("late")),
        "push after close hands the item back"
    );
    assert_eq!(
        q.pop(),
        Some("a"),
        "items queued before close are still delivered"
    );
    assert_eq!(q.pop(), Some("b"));
    assert_eq!(q.pop(), Some("c"));
    assert_eq!(q.pop(), None, "closed and drained");
    assert_eq!(q.pop(), None, "and it stays that way");
    q.close(); // closing twice is harmless
    assert_eq!(q.max_len_observed(), 3);
}

#[test]
fn stage2_a_full_queue_blocks_the_producer() {
    run_with_timeout("slow consumer test", 10, || {
        let q = Arc::new(BoundedQueue::new(4));
        let pushed = Arc::new(AtomicUsize::new(0));
        let producer = {
            let (q, pushed) = (Arc::clone(&q), Arc::clone(&pushed));
            thread::spawn(move || {
                for i in 0..100u32 {
                    q.push(i).unwrap();
                    pushed.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        // Nobody consumes: the producer may get exactly 4 items in, then must block.
        wait_until("the producer has pushed 4 items", 5, || {
            pushed.load(Ordering::SeqCst) >= 4
        });
        thread::sleep(Duration::from_millis(200));
        assert_eq!(
            pushed.load(Ordering::SeqCst),
            4,
            "push must block while the queue is full"
        );
        assert_eq!(q.len(), 4);

        // Now a consumer arrives: everything flows, in order.
        let received: Vec<u32> = (0..100).map(|_| q.pop().unwrap()).collect();
        join(producer);
        assert_eq!(received, (0..100).collect::<Vec<_>>());
        assert_eq!(q.max_len_observed(), 4);
    });
}

/// A value that counts how many of its kind are alive: created just before `push`, dropped just
/// after `pop`. If the queue held more than its capacity, more of them would be alive at once.
struct Tracked {
    id: usize,
    live: Arc<AtomicUsize>,
}

impl Tracked {
    fn new(id: usize, live: &Arc<AtomicUsize>, max_live: &AtomicUsize) -> Tracked {
        let now = live.fetch_add(1, Ordering::SeqCst) + 1;
        max_live.fetch_max(now, Ordering::SeqCst);
        Tracked {
            id,
            live: Arc::clone(live),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn stage2_the_bound_holds_with_many_producers() {
    run_with_timeout("bound under contention", 20, || {
        const CAPACITY: usize = 16;
        const PRODUCERS: usize = 4;
        const PER_PRODUCER: usize = 2_000;
        let q = Arc::new(BoundedQueue::new(CAPACITY));
        let live = Arc::new(AtomicUsize::new(0));
        let max_live = Arc::new(AtomicUsize::new(0));

        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let (q, live, max_live) =
                    (Arc::clone(&q), Arc::clone(&live), Arc::clone(&max_live));
                thread::spawn(move || {
                    for i in 0..PER_PRODUCER {
                        let item = Tracked::new(p * PER_PRODUCER + i, &live, &max_live);
                        if q.push(item).is_err() {
                            panic!("queue closed unexpectedly");
                        }
                    }
                })
            })
            .collect();

        // Let the producers fill the queue before consuming: it must stop at exactly CAPACITY.
        wait_until("the queue is full", 5, || q.len() >= CAPACITY);
        thread::sleep(Duration::from_millis(50));
        assert_eq!(
            q.len(),
            CAPACITY,
            "the queue must never hold more than its capacity"
        );

        let mut seen = vec![false; PRODUCERS * PER_PRODUCER];
        for _ in 0..PRODUCERS * PER_PRODUCER {
            let item = q.pop().expect("queue is open, pop must wait for an item");
            assert!(!seen[item.id], "item {} delivered twice", item.id);
            seen[item.id] = true;
            if item.id % 64 == 0 {
                thread::yield_now(); // a slow-ish consumer
            }
        }
        for p in producers {
            join(p);
        }
        assert!(seen.iter().all(|&s| s), "every item delivered");
        assert_eq!(
            q.max_len_observed(),
            CAPACITY,
            "instrumented maximum equals the capacity"
        );
        // Alive at most: CAPACITY in the queue, one in each producer's hands, one in the consumer's.
        let max_live = max_live.load(Ordering::SeqCst);
        assert!(
            max_live <= CAPACITY + PRODUCERS + 1,
            "{max_live} items alive at once: the queue grew beyond its bound"
        );
        assert_eq!(live.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn stage2_close_wakes_blocked_consumers() {
    run_with_timeout("close wakes consumers", 10, || {
        let q: Arc<BoundedQueue<u32>> = Arc::new(BoundedQueue::new(2));
        let waiting = Arc::new(AtomicUsize::new(0));
        let consumers: Vec<_> = (0..3)
            .map(|_| {
                let (q, waiting) = (Arc::clone(&q), Arc::clone(&waiting));
                thread::spawn(move || {
                    waiting.fetch_add(1, Ordering::SeqCst);
                    q.pop()
                })
            })
            .collect();
        wait_until("three consumers are about to pop", 5, || {
            waiting.load(Ordering::SeqCst) == 3
        });
        thread::sleep(Duration::from_millis(100)); // let them block inside pop
        q.close();
        for c in consumers {
            assert_eq!(
                join(c),
                None,
                "a consumer woken by close on an empty queue gets None"
            );
        }
    });
}

#[test]
fn stage2_close_wakes_a_blocked_producer() {
    run_with_timeout("close wakes producer", 10, || {
        let q = Arc::new(BoundedQueue::new(1));
        q.push(1u32).unwrap();
        let producer = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.push(2))
        };
        thread::sleep(Duration::from_millis(100)); // let it block on the full queue
        q.close();
        assert_eq!(
            join(producer),
            Err(Closed(2)),
            "a producer woken by close gets its item back"
        );
        assert_eq!(q.pop(), Some(1));
        assert_eq!(q.pop(), None);
    });
}
