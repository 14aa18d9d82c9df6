//! The queue itself: client-go's `Type` (queue, dirty and processing sets), its delaying
//! queue (`AddAfter`) and its rate-limiting queue (`AddRateLimited`, `Forget`) in one type.

use std::collections::{BTreeMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::metrics::{NoMetrics, QueueMetrics};
use super::rate_limiter::{default_controller_rate_limiter, RateLimiter};
use crate::key_hash::{KeyMap, KeySet};

/// How a queue is built: its retry policy and where its metrics go.
pub struct QueueConfig<K> {
    /// Delays of `add_rate_limited`; client-go's default controller limiter when `None`.
    pub rate_limiter: Option<Box<dyn RateLimiter<K>>>,
    /// Receives depth, adds, latency, work duration, retries and unfinished work.
    pub metrics: Arc<dyn QueueMetrics>,
}

impl<K> Default for QueueConfig<K> {
    fn default() -> Self {
        QueueConfig {
            rate_limiter: None,
            metrics: Arc::new(NoMetrics),
        }
    }
}

/// A work queue of keys, shared by cloning (every clone is the same queue).
///
/// A key is queued once however often it is added; a key being processed (taken by `get`,
/// not yet `done`) is never handed to a second worker, and if it was added meanwhile it is
/// queued again when `done`. Time is tokio's (`tokio::time::Instant`), so tests can pause it.
pub struct WorkQueue<K> {
    inner: Arc<Inner<K>>,
}

impl<K> Clone for WorkQueue<K> {
    fn clone(&self) -> Self {
        WorkQueue {
            inner: self.inner.clone(),
        }
    }
}

struct Inner<K> {
    state: Mutex<State<K>>,
    /// Wakes one `get` per key made ready (all of them on shutdown or an earlier deadline),
    /// rather than every idle worker for each key, all but one to find nothing.
    ready: Notify,
    /// Woken on every `done` and on shutdown, for `shut_down_with_drain`.
    changed: Notify,
    limiter: Box<dyn RateLimiter<K>>,
    metrics: Arc<dyn QueueMetrics>,
}

struct State<K> {
    /// Keys ready for a worker, in order, with when each was queued (for the latency
    /// metric; kept here rather than in a second map of keys).
    queue: VecDeque<(K, Instant)>,
    /// Keys that need processing: those queued, and those re-added while processing.
    dirty: KeySet<K>,
    /// Keys a worker holds, with when it took them.
    processing: KeyMap<K, Instant>,
    /// Delayed keys by when they are due (a sequence number keeps equal times apart).
    waiting: BTreeMap<(Instant, u64), K>,
    waiting_at: KeyMap<K, (Instant, u64)>,
    next_seq: u64,
    shutting_down: bool,
}

impl<K: Clone + Eq + Hash + Send + Sync + 'static> Default for WorkQueue<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone + Eq + Hash + Send + Sync + 'static> WorkQueue<K> {
    /// A queue with client-go's default controller rate limiter and no metrics.
    pub fn new() -> Self {
        Self::with_config(QueueConfig::default())
    }

    pub fn with_config(config: QueueConfig<K>) -> Self {
        WorkQueue {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    dirty: KeySet::default(),
                    processing: KeyMap::default(),
                    waiting: BTreeMap::new(),
                    waiting_at: KeyMap::default(),
                    next_seq: 0,
                    shutting_down: false,
                }),
                ready: Notify::new(),
                changed: Notify::new(),
                limiter: config
                    .rate_limiter
                    .unwrap_or_else(|| Box::new(default_controller_rate_limiter())),
                metrics: config.metrics,
            }),
        }
    }

    /// Marks `key` for processing. Ignored after shutdown.
    pub fn add(&self, key: K) {
        let mut st = self.lock();
        if st.shutting_down {
            return;
        }
        let queued = self.add_locked(&mut st, key, Instant::now());
        drop(st);
        if queued {
            self.inner.ready.notify_one();
        }
    }

    /// Marks every key of `keys` for processing, under one lock (a controller's first list
    /// queues thousands at once). Ignored after shutdown.
    pub fn add_all(&self, keys: impl IntoIterator<Item = K>) {
        let mut st = self.lock();
        if st.shutting_down {
            return;
        }
        let now = Instant::now();
        let mut queued = 0;
        for key in keys {
            queued += usize::from(self.add_locked(&mut st, key, now));
        }
        drop(st);
        // One wake-up per key, as `add` gives: each wakes a waiting worker or leaves the
        // permit a worker finds when it next asks.
        for _ in 0..queued {
            self.inner.ready.notify_one();
        }
    }

    /// Adds `key` once `delay` has passed (client-go's `AddAfter`). A key already waiting
    /// keeps the earlier of its two times.
    pub fn add_after(&self, key: K, delay: Duration) {
        if delay.is_zero() {
            return self.add(key);
        }
        let mut st = self.lock();
        if st.shutting_down {
            return;
        }
        let at = Instant::now() + delay;
        if let Some(&(old, seq)) = st.waiting_at.get(&key) {
            if old <= at {
                return;
            }
            st.waiting.remove(&(old, seq));
        }
        let seq = st.next_seq;
        st.next_seq += 1;
        st.waiting.insert((at, seq), key.clone());
        st.waiting_at.insert(key, (at, seq));
        drop(st);
        // A waiter sleeping until a later deadline must learn of this earlier one.
        self.inner.ready.notify_waiters();
    }

    /// Adds `key` after the rate limiter's delay for it (a failure: the delay grows).
    pub fn add_rate_limited(&self, key: K) {
        let delay = self.inner.limiter.when(&key);
        self.inner.metrics.retry();
        self.add_after(key, delay);
    }

    /// Resets `key`'s backoff (it was processed successfully).
    pub fn forget(&self, key: &K) {
        self.inner.limiter.forget(key);
    }

    /// How many times `key` was retried since it was last forgotten.
    pub fn num_requeues(&self, key: &K) -> u32 {
        self.inner.limiter.num_requeues(key)
    }

    /// The next key to process, waiting for one; `None` once the queue is shut down and
    /// holds nothing more. The caller must call `done` with it when finished.
    pub async fn get(&self) -> Option<K> {
        loop {
            let notified = self.inner.ready.notified();
            tokio::pin!(notified);
            // Registered before the state is read, so no wake-up between the two is lost.
            notified.as_mut().enable();
            let next_due = {
                let mut st = self.lock();
                let now = Instant::now();
                if self.promote_due(&mut st, now) > 1 {
                    // More keys came due than this worker takes: wake the others.
                    self.inner.ready.notify_waiters();
                }
                if let Some((key, added)) = st.queue.pop_front() {
                    self.inner
                        .metrics
                        .latency(now.saturating_duration_since(added));
                    st.dirty.remove(&key);
                    st.processing.insert(key.clone(), now);
                    self.inner.metrics.depth(st.queue.len());
                    return Some(key);
                }
                if st.shutting_down {
                    return None;
                }
                st.waiting.keys().next().map(|&(at, _)| at)
            };
            match next_due {
                Some(at) => {
                    tokio::select! {
                        _ = &mut notified => {}
                        _ = tokio::time::sleep_until(at) => {}
                    }
                }
                None => notified.await,
            }
        }
    }

    /// Marks `key` as no longer processed; if it was added meanwhile it is queued again.
    pub fn done(&self, key: &K) {
        let mut st = self.lock();
        let now = Instant::now();
        // A key not being processed (a second `done`) changes nothing.
        let Some(started) = st.processing.remove(key) else {
            return;
        };
        self.inner
            .metrics
            .work_duration(now.saturating_duration_since(started));
        // A key re-added while processing is dirty but was never queued (see `add_locked`).
        let requeued = st.dirty.contains(key);
        if requeued {
            st.queue.push_back((key.clone(), now));
            self.inner.metrics.depth(st.queue.len());
        }
        self.report_unfinished(&st, now);
        drop(st);
        if requeued {
            self.inner.ready.notify_one();
        }
        self.inner.changed.notify_waiters();
    }

    /// Keys ready for a worker (not those processing or waiting for a delay).
    pub fn len(&self) -> usize {
        let mut st = self.lock();
        let promoted = self.promote_due(&mut st, Instant::now());
        let len = st.queue.len();
        drop(st);
        if promoted > 0 {
            self.inner.ready.notify_waiters();
        }
        len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stops the queue: adds are ignored, delayed keys dropped, and `get` answers `None`
    /// once the keys already queued are taken.
    pub fn shut_down(&self) {
        let mut st = self.lock();
        st.shutting_down = true;
        st.waiting.clear();
        st.waiting_at.clear();
        drop(st);
        self.inner.ready.notify_waiters();
        self.inner.changed.notify_waiters();
    }

    /// As `shut_down`, then waits until every key being processed is `done`
    /// (client-go's `ShutDownWithDrain`).
    pub async fn shut_down_with_drain(&self) {
        self.shut_down();
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.lock().processing.is_empty() {
                return;
            }
            notified.await;
        }
    }

    pub fn shutting_down(&self) -> bool {
        self.lock().shutting_down
    }

    /// Reports unfinished work to the metrics now (the queue reports it on every `done`;
    /// call this periodically to see a stuck worker).
    pub fn update_unfinished_work(&self) {
        let st = self.lock();
        self.report_unfinished(&st, Instant::now());
    }

    /// How long the longest-running key has been processed, if any is.
    pub fn longest_running(&self) -> Option<Duration> {
        let st = self.lock();
        let now = Instant::now();
        st.processing
            .values()
            .map(|t| now.saturating_duration_since(*t))
            .max()
    }

    /// Whether `key` joined the queue (not if it was queued already or is being processed).
    fn add_locked(&self, st: &mut State<K>, key: K, now: Instant) -> bool {
        self.inner.metrics.add();
        if !st.dirty.insert(key.clone()) {
            return false;
        }
        if st.processing.contains_key(&key) {
            // Queued again by `done`: one worker at a time per key.
            return false;
        }
        st.queue.push_back((key, now));
        self.inner.metrics.depth(st.queue.len());
        true
    }

    /// Queues the delayed keys that are due; how many joined the queue.
    fn promote_due(&self, st: &mut State<K>, now: Instant) -> usize {
        let mut queued = 0;
        while let Some(entry) = st.waiting.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = entry.remove();
            st.waiting_at.remove(&key);
            queued += usize::from(self.add_locked(st, key, now));
        }
        queued
    }

    fn report_unfinished(&self, st: &State<K>, now: Instant) {
        let mut total = Duration::ZERO;
        let mut longest = Duration::ZERO;
        for started in st.processing.values() {
            let d = now.saturating_duration_since(*started);
            total += d;
            longest = longest.max(d);
        }
        self.inner.metrics.unfinished_work(total, longest);
    }

    fn lock(&self) -> MutexGuard<'_, State<K>> {
        // A poisoned lock only means a panic elsewhere mid-update; the sets stay consistent
        // enough to keep serving (every update is a few inserts and removes).
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<K> std::fmt::Debug for WorkQueue<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkQueue").finish_non_exhaustive()
    }
}
