//! How long a key waits before it is retried (client-go's `workqueue` rate limiters): per-key
//! exponential backoff, an overall token bucket, and the larger of several.

use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rest_core::throttle::RateLimiter as _;
use rest_core::TokenBucket;

use crate::key_hash::KeyMap;

/// Decides the delay of a key's next retry (client-go's `TypedRateLimiter`).
pub trait RateLimiter<K>: Send + Sync {
    /// The delay before `key` may be processed again; counts as one more failure.
    fn when(&self, key: &K) -> Duration;
    /// Stops tracking `key` (it succeeded): its next failure starts from the base delay.
    fn forget(&self, key: &K);
    /// How many times `key` has been retried since it was last forgotten.
    fn num_requeues(&self, key: &K) -> u32;
}

/// `base * 2^failures` per key, capped at `max` (client-go's `ItemExponentialFailureRateLimiter`).
pub struct ItemExponentialFailureRateLimiter<K> {
    base: Duration,
    max: Duration,
    failures: Mutex<KeyMap<K, u32>>,
}

impl<K> ItemExponentialFailureRateLimiter<K> {
    pub fn new(base: Duration, max: Duration) -> Self {
        ItemExponentialFailureRateLimiter {
            base,
            max,
            failures: Mutex::new(KeyMap::default()),
        }
    }
}

impl<K: Eq + Hash + Clone + Send> RateLimiter<K> for ItemExponentialFailureRateLimiter<K> {
    fn when(&self, key: &K) -> Duration {
        let mut failures = lock(&self.failures);
        let count = failures.entry(key.clone()).or_insert(0);
        let exp = *count;
        *count = count.saturating_add(1);
        // 2^exp overflows long before it matters: anything past 2^31 is the cap anyway.
        if exp > 31 {
            return self.max;
        }
        self.base
            .checked_mul(1u32 << exp)
            .map_or(self.max, |d| d.min(self.max))
    }

    fn forget(&self, key: &K) {
        lock(&self.failures).remove(key);
    }

    fn num_requeues(&self, key: &K) -> u32 {
        lock(&self.failures).get(key).copied().unwrap_or(0)
    }
}

/// One token bucket for all keys (client-go's `BucketRateLimiter`): bursts of `burst`, then
/// `qps` per second overall. Time is tokio's, so paused-time tests drive it.
pub struct BucketRateLimiter {
    bucket: TokenBucket,
}

impl BucketRateLimiter {
    pub fn new(qps: f32, burst: u32) -> Self {
        BucketRateLimiter {
            bucket: TokenBucket::with_clock(
                qps,
                burst,
                Arc::new(|| tokio::time::Instant::now().into_std()),
            ),
        }
    }
}

impl<K> RateLimiter<K> for BucketRateLimiter {
    fn when(&self, _key: &K) -> Duration {
        self.bucket.reserve()
    }
    fn forget(&self, _key: &K) {}
    fn num_requeues(&self, _key: &K) -> u32 {
        0
    }
}

/// The longest delay of several limiters; each of them counts the failure
/// (client-go's `MaxOfRateLimiter`).
pub struct MaxOfRateLimiter<K> {
    limiters: Vec<Box<dyn RateLimiter<K>>>,
}

impl<K> MaxOfRateLimiter<K> {
    pub fn new(limiters: Vec<Box<dyn RateLimiter<K>>>) -> Self {
        MaxOfRateLimiter { limiters }
    }
}

impl<K> RateLimiter<K> for MaxOfRateLimiter<K> {
    fn when(&self, key: &K) -> Duration {
        self.limiters
            .iter()
            .map(|l| l.when(key))
            .max()
            .unwrap_or_default()
    }
    fn forget(&self, key: &K) {
        for l in &self.limiters {
            l.forget(key);
        }
    }
    fn num_requeues(&self, key: &K) -> u32 {
        self.limiters
            .iter()
            .map(|l| l.num_requeues(key))
            .max()
            .unwrap_or(0)
    }
}

/// client-go's `DefaultTypedControllerRateLimiter`: per key 5 ms doubling to 1000 s, and
/// overall 10 retries per second with bursts of 100.
pub fn default_controller_rate_limiter<K: Eq + Hash + Clone + Send + Sync + 'static>(
) -> MaxOfRateLimiter<K> {
    MaxOfRateLimiter::new(vec![
        Box::new(ItemExponentialFailureRateLimiter::new(
            Duration::from_millis(5),
            Duration::from_secs(1000),
        )),
        Box::new(BucketRateLimiter::new(10.0, 100)),
    ])
}

/// A poisoned lock only means a panic elsewhere mid-update; the counts are still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
