//! A bounded, blocking, closable FIFO queue (stage 2).
//!
//! Built from one `Mutex` around the whole state and two condition variables:
//!
//! - `not_full`: producers wait on it while the queue is full;
//! - `not_empty`: consumers wait on it while the queue is empty.
//!
//! A `Condvar` lets a thread sleep until another thread says "something changed". The pattern is
//! always the same:
//!
//! ```text
//! let mut state = mutex.lock();
//! while <I cannot proceed>(&state) {
//!     state = condvar.wait(state);   // releases the lock while asleep, re-takes it on waking
//! }
//! // proceed: the condition is now true and we hold the lock
//! ```
//!
//! The `while` (not `if`) matters: a thread can wake up although nothing changed (a "spurious
//! wake-up"), or another thread may have grabbed the free slot first. Always re-check.
//!
//! Every change that could let a waiting thread proceed must be followed by a `notify_one` or
//! `notify_all` on the right condvar, or that thread sleeps forever.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Returned by [`BoundedQueue::push`] when the queue is closed; hands the item back.
/// `pub T` makes the field public, so callers can write `Err(Closed(item))`.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed<T>(pub T);

/// Everything the mutex protects.
///
/// The items live in a ring buffer: `slots` has `capacity` entries; the oldest item is at `head`,
/// the next free slot at `(head + len) % capacity`. `Option<T>` marks a slot as empty (`None`)
/// or occupied (`Some(item)`); `slot.take()` moves the item out and leaves `None` behind.
struct State<T> {
    slots: Vec<Option<T>>,
    head: usize,
    len: usize,
    closed: bool,
    /// Largest `len` ever reached: instrumentation for the tests.
    max_len: usize,
}

/// A FIFO queue holding at most `capacity` items.
///
/// - [`push`](Self::push) blocks while the queue is full (this is *backpressure*: a fast
///   producer is slowed down to the consumers' pace instead of piling items up in memory).
/// - [`pop`](Self::pop) blocks while the queue is empty.
/// - After [`close`](Self::close), `push` fails at once, and `pop` keeps returning the items
///   still queued, then `None`. Closing wakes every blocked thread.
///
/// All methods take `&self`: the `Mutex` provides the mutation safely ("interior mutability"),
/// so one queue can be shared between threads through an `Arc<BoundedQueue<T>>`.
pub struct BoundedQueue<T> {
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    /// An empty, open queue for at most `capacity` items.
    ///
    /// Panics with a message containing "capacity must be at least 1" when `capacity == 0`.
    /// (`(0..capacity).map(|_| None).collect()` builds the `Vec` of empty slots; `vec![None; n]`
    /// would need `T: Clone`.)
    pub fn new(capacity: usize) -> Self {
        assert!(capacity >= 1, "capacity must be at least 1");
        BoundedQueue {
            state: Mutex::new(State {
                slots: (0..capacity).map(|_| None).collect(),
                head: 0,
                len: 0,
                closed: false,
                max_len: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Locks the state.
    ///
    /// `lock()` returns an error only if another thread panicked while holding the lock (the
    /// mutex is then "poisoned"). No method here panics half-way through a change, so the state
    /// is still consistent and we simply take the guard out of the error.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The maximum number of items the queue holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Appends `item` at the back, first waiting (on `not_full`) while the queue is full and
    /// still open. Returns `Err(Closed(item))` if the queue is closed, whether it was closed
    /// before the call or while waiting. On success, updates `max_len` and wakes one consumer.
    pub fn push(&self, item: T) -> Result<(), Closed<T>> {
        let mut state = self.lock();
        while state.len == self.capacity && !state.closed {
            state = self
                .not_full
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            return Err(Closed(item));
        }
        let tail = (state.head + state.len) % self.capacity;
        state.slots[tail] = Some(item);
        state.len += 1;
        state.max_len = state.max_len.max(state.len);
        // Release the lock before notifying, so the woken consumer does not immediately block
        // on a mutex we still hold.
        drop(state);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Removes and returns the item at the front, first waiting (on `not_empty`) while the
    /// queue is empty and still open. Returns `None` only when the queue is closed **and** empty:
    /// items queued before `close` are still delivered. On success, wakes one producer.
    pub fn pop(&self) -> Option<T> {
        let mut state = self.lock();
        while state.len == 0 && !state.closed {
            state = self
                .not_empty
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.len == 0 {
            return None;
        }
        let head = state.head;
        let item = state.slots[head].take();
        state.head = (head + 1) % self.capacity;
        state.len -= 1;
        drop(state);
        self.not_full.notify_one();
        Some(item.expect("the slot at head holds an item whenever len > 0"))
    }

    /// Closes the queue and wakes **every** waiting producer and consumer (`notify_all` on both
    /// condvars) so they can see the change. Closing twice is harmless.
    pub fn close(&self) {
        self.lock().closed = true;
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }

    /// `true` once [`close`](Self::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Number of items queued right now.
    pub fn len(&self) -> usize {
        self.lock().len
    }

    /// `true` when no item is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The largest number of items the queue has held at any moment since it was created.
    pub fn max_len_observed(&self) -> usize {
        self.lock().max_len
    }
}
