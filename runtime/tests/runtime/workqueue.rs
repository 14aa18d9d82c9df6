//! The work queue's guarantees, on paused tokio time (no sleeps): dedup, one worker per key,
//! re-queue of a key changed while processed, backoff growth and reset, the overall bucket,
//! delayed adds, shutdown with drain, and the metrics hooks.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rest_runtime::workqueue::{
    default_controller_rate_limiter, ItemExponentialFailureRateLimiter, QueueConfig, QueueMetrics,
    RateLimiter,
};
use rest_runtime::WorkQueue;
use tokio::time::{advance, timeout};

/// `get` within `wait` of (paused) time, or `None` if nothing came.
async fn get_within(q: &WorkQueue<&'static str>, wait: Duration) -> Option<&'static str> {
    timeout(wait, q.get()).await.ok().flatten()
}

#[tokio::test(start_paused = true)]
async fn a_key_added_many_times_is_queued_once() {
    let q = WorkQueue::new();
    for _ in 0..3 {
        q.add("a");
    }
    q.add("b");
    assert_eq!(q.len(), 2);
    assert_eq!(q.get().await, Some("a"));
    assert_eq!(q.get().await, Some("b"));
    assert_eq!(get_within(&q, Duration::from_secs(1)).await, None);
}

#[tokio::test(start_paused = true)]
async fn a_batch_is_queued_as_its_keys_one_by_one_would_be() {
    let q = WorkQueue::new();
    q.add("busy");
    assert_eq!(q.get().await, Some("busy"));
    // Three workers wait; a batch with a repeat and a key being processed arrives.
    let waiting: Vec<_> = (0..3)
        .map(|_| {
            let q = q.clone();
            tokio::spawn(async move { q.get().await })
        })
        .collect();
    tokio::task::yield_now().await;
    q.add_all(["x", "y", "x", "busy", "z"]);
    let mut woken = Vec::new();
    for w in waiting {
        // Every waiting worker gets a key: one wake-up per queued key, none lost.
        woken.push(
            timeout(Duration::from_secs(1), w)
                .await
                .unwrap()
                .unwrap()
                .unwrap(),
        );
    }
    woken.sort();
    assert_eq!(woken, ["x", "y", "z"]);
    // The busy key is not handed out twice, but comes back once done.
    assert_eq!(q.len(), 0);
    q.done(&"busy");
    assert_eq!(q.get().await, Some("busy"));
    q.shut_down();
    q.add_all(["late"]);
    assert_eq!(q.len(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_key_being_processed_goes_to_no_second_worker_and_comes_back_when_done() {
    let q = WorkQueue::new();
    q.add("a");
    let taken = q.get().await;
    assert_eq!(taken, Some("a"));
    // Changed while processing: not handed out now ...
    q.add("a");
    q.add("a");
    assert_eq!(q.len(), 0);
    assert_eq!(get_within(&q, Duration::from_secs(5)).await, None);
    // ... but once, when the first worker is done.
    q.done(&"a");
    assert_eq!(q.len(), 1);
    assert_eq!(q.get().await, Some("a"));
    q.done(&"a");
    assert_eq!(get_within(&q, Duration::from_secs(1)).await, None);
}

#[tokio::test(start_paused = true)]
async fn many_workers_never_process_one_key_at_once() {
    let q: WorkQueue<u32> = WorkQueue::new();
    let running: Arc<Mutex<HashSet<u32>>> = Arc::default();
    let overlaps = Arc::new(Mutex::new(0u32));
    let processed = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for _ in 0..8 {
        let (q, running, overlaps, processed) = (
            q.clone(),
            running.clone(),
            overlaps.clone(),
            processed.clone(),
        );
        workers.push(tokio::spawn(async move {
            while let Some(key) = q.get().await {
                if !running.lock().unwrap().insert(key) {
                    *overlaps.lock().unwrap() += 1;
                }
                // Work that spans other tasks' turns (and adds of the same key).
                for _ in 0..3 {
                    tokio::task::yield_now().await;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
                running.lock().unwrap().remove(&key);
                processed.lock().unwrap().push(key);
                q.done(&key);
            }
        }));
    }
    for round in 0..50u32 {
        for key in 0..4 {
            q.add(key);
        }
        if round % 5 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // The last adds of each key came after its earlier processing began: each is processed
    // again after them, so every key ends processed.
    let idle = async {
        loop {
            if q.is_empty() && running.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    timeout(Duration::from_secs(10), idle).await.unwrap();
    q.shut_down_with_drain().await;
    for w in workers {
        w.await.unwrap();
    }
    assert_eq!(*overlaps.lock().unwrap(), 0);
    let processed = processed.lock().unwrap();
    for key in 0..4 {
        assert!(processed.contains(&key));
    }
    // Dedup: 200 adds, far fewer runs.
    assert!(processed.len() < 50, "{} runs", processed.len());
}

#[test]
fn backoff_doubles_from_5ms_to_1000s_and_resets_on_forget() {
    let limiter =
        ItemExponentialFailureRateLimiter::new(Duration::from_millis(5), Duration::from_secs(1000));
    let delays: Vec<Duration> = (0..20).map(|_| limiter.when(&"a")).collect();
    assert_eq!(delays[0], Duration::from_millis(5));
    assert_eq!(delays[1], Duration::from_millis(10));
    assert_eq!(delays[2], Duration::from_millis(20));
    assert_eq!(delays[10], Duration::from_millis(5 * 1024));
    assert_eq!(delays[18], Duration::from_secs(1000)); // 5 ms * 2^18 = 1310 s, capped
    assert_eq!(limiter.when(&"a"), Duration::from_secs(1000));
    assert_eq!(limiter.num_requeues(&"a"), 21);
    // Another key has its own count.
    assert_eq!(limiter.when(&"b"), Duration::from_millis(5));
    limiter.forget(&"a");
    assert_eq!(limiter.num_requeues(&"a"), 0);
    assert_eq!(limiter.when(&"a"), Duration::from_millis(5));
    // Far past 2^31 failures it stays at the cap without overflowing.
    for _ in 0..100 {
        limiter.when(&"c");
    }
    assert_eq!(limiter.when(&"c"), Duration::from_secs(1000));
}

#[tokio::test(start_paused = true)]
async fn the_default_limiter_adds_an_overall_10_qps_after_a_burst_of_100() {
    let limiter = default_controller_rate_limiter::<u32>();
    // 100 distinct keys fail once: the bucket has room, each waits its own 5 ms.
    for key in 0..100 {
        assert_eq!(limiter.when(&key), Duration::from_millis(5));
    }
    // Then the bucket decides: 10 per second overall, whatever the key.
    assert_eq!(limiter.when(&100), Duration::from_millis(100));
    assert_eq!(limiter.when(&101), Duration::from_millis(200));
    advance(Duration::from_millis(200)).await;
    assert_eq!(limiter.when(&102), Duration::from_millis(100));
    // A key deep in backoff waits the longer of the two.
    for _ in 0..12 {
        limiter.when(&7);
    }
    assert!(limiter.when(&7) >= Duration::from_millis(5 << 13));
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_key_comes_back_after_its_backoff_and_forget_resets_it() {
    let q = WorkQueue::new();
    q.add_rate_limited("a");
    assert_eq!(q.len(), 0);
    assert_eq!(get_within(&q, Duration::from_millis(4)).await, None);
    assert_eq!(get_within(&q, Duration::from_millis(2)).await, Some("a"));
    q.done(&"a");
    q.add_rate_limited("a");
    q.add_rate_limited("a");
    assert_eq!(q.num_requeues(&"a"), 3);
    // The second retry of the pair waits 20 ms, but the first (10 ms) is kept: earlier wins.
    assert_eq!(get_within(&q, Duration::from_millis(9)).await, None);
    assert_eq!(get_within(&q, Duration::from_millis(2)).await, Some("a"));
    q.forget(&"a");
    q.done(&"a");
    assert_eq!(q.num_requeues(&"a"), 0);
    q.add_rate_limited("a");
    assert_eq!(get_within(&q, Duration::from_millis(6)).await, Some("a"));
}

#[tokio::test(start_paused = true)]
async fn add_after_waits_and_an_earlier_add_wins() {
    let q = WorkQueue::new();
    q.add_after("late", Duration::from_secs(60));
    q.add_after("soon", Duration::from_secs(10));
    q.add_after("soon", Duration::from_secs(30));
    let waiter = {
        let q = q.clone();
        tokio::spawn(async move { q.get().await })
    };
    advance(Duration::from_secs(9)).await;
    assert_eq!(q.len(), 0);
    // A plain add goes ahead of everything delayed, and wakes the waiting worker.
    q.add("now");
    assert_eq!(waiter.await.unwrap(), Some("now"));
    assert_eq!(get_within(&q, Duration::from_secs(2)).await, Some("soon"));
    assert_eq!(get_within(&q, Duration::from_secs(40)).await, None);
    assert_eq!(get_within(&q, Duration::from_secs(10)).await, Some("late"));
}

#[tokio::test(start_paused = true)]
async fn shutdown_with_drain_waits_for_running_work_and_ends_the_workers() {
    let q = WorkQueue::new();
    q.add("a");
    q.add("b");
    let a = q.get().await.unwrap();
    q.add_after("c", Duration::from_secs(1));
    let drained = Arc::new(tokio::sync::Notify::new());
    let drain = {
        let (q, drained) = (q.clone(), drained.clone());
        tokio::spawn(async move {
            q.shut_down_with_drain().await;
            drained.notify_one();
        })
    };
    // Still processing "a": the drain waits (paused time would run out any timer).
    assert!(timeout(Duration::from_secs(30), drained.notified())
        .await
        .is_err());
    assert!(q.shutting_down());
    // Adds are ignored now; what was queued is still handed out; delayed keys are dropped.
    q.add("d");
    assert_eq!(q.get().await, Some("b"));
    q.done(&"b");
    q.done(&a);
    drain.await.unwrap();
    assert_eq!(q.get().await, None);
}

#[derive(Default)]
struct Recorded {
    depths: Mutex<Vec<usize>>,
    adds: Mutex<u32>,
    latencies: Mutex<Vec<Duration>>,
    work: Mutex<Vec<Duration>>,
    retries: Mutex<u32>,
    longest: Mutex<Vec<Duration>>,
}

impl QueueMetrics for Recorded {
    fn depth(&self, depth: usize) {
        self.depths.lock().unwrap().push(depth);
    }
    fn add(&self) {
        *self.adds.lock().unwrap() += 1;
    }
    fn latency(&self, waited: Duration) {
        self.latencies.lock().unwrap().push(waited);
    }
    fn work_duration(&self, took: Duration) {
        self.work.lock().unwrap().push(took);
    }
    fn retry(&self) {
        *self.retries.lock().unwrap() += 1;
    }
    fn unfinished_work(&self, _unfinished: Duration, longest: Duration) {
        self.longest.lock().unwrap().push(longest);
    }
}

#[tokio::test(start_paused = true)]
async fn metrics_hooks_see_depth_adds_latency_work_retries_and_longest_running() {
    let metrics = Arc::new(Recorded::default());
    let q = WorkQueue::with_config(QueueConfig {
        rate_limiter: None,
        metrics: metrics.clone(),
    });
    q.add("a");
    q.add("a");
    q.add("b");
    advance(Duration::from_secs(3)).await;
    let a = q.get().await.unwrap();
    advance(Duration::from_secs(2)).await;
    q.update_unfinished_work();
    assert_eq!(q.longest_running(), Some(Duration::from_secs(2)));
    q.done(&a);
    q.add_rate_limited("c");
    assert_eq!(*metrics.adds.lock().unwrap(), 3);
    assert_eq!(*metrics.depths.lock().unwrap(), [1, 2, 1]);
    assert_eq!(*metrics.latencies.lock().unwrap(), [Duration::from_secs(3)]);
    assert_eq!(*metrics.work.lock().unwrap(), [Duration::from_secs(2)]);
    assert_eq!(*metrics.retries.lock().unwrap(), 1);
    assert_eq!(
        *metrics.longest.lock().unwrap(),
        [Duration::from_secs(2), Duration::ZERO]
    );
}
