//! Client-side throttling: a token bucket (`qps`, `burst`) consulted before the first try of
//! every request and again before each retry, as client-go's `tryThrottle`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::sleeper::Sleeper;

/// Decides how long a request must wait before it may be sent.
///
/// Plug in your own through `Config::rate_limiter`; the default is a token bucket.
pub trait RateLimiter: Send + Sync {
    /// Takes one permit and returns how long the caller must wait before using it
    /// (`Duration::ZERO` when it may go now).
    fn reserve(&self) -> Duration;

    /// Gives back a permit taken by `reserve` whose wait was abandoned (the request was
    /// cancelled while waiting), so a cancelled caller does not delay the others.
    fn release(&self) {}
}

/// A source of "now", injectable so tests can drive the bucket without waiting.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// A token bucket: `burst` permits at once, refilled at `qps` per second. Permits are
/// reserved ahead (the bucket may go negative), so concurrent waiters queue up fairly,
/// as Go's `rate.Limiter` does.
pub struct TokenBucket {
    qps: f64,
    burst: f64,
    clock: Clock,
    state: Mutex<BucketState>,
}

struct BucketState {
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket of `burst` permits refilled at `qps` per second.
    pub fn new(qps: f32, burst: u32) -> Self {
        Self::with_clock(qps, burst, Arc::new(Instant::now))
    }

    /// As `new`, reading time from `clock`.
    pub fn with_clock(qps: f32, burst: u32, clock: Clock) -> Self {
        let burst = f64::from(burst.max(1));
        let now = clock();
        TokenBucket {
            qps: f64::from(qps),
            burst,
            clock,
            state: Mutex::new(BucketState {
                tokens: burst,
                last: now,
            }),
        }
    }
}

impl std::fmt::Debug for TokenBucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenBucket")
            .field("qps", &self.qps)
            .field("burst", &self.burst)
            .finish()
    }
}

impl RateLimiter for TokenBucket {
    fn reserve(&self) -> Duration {
        let now = (self.clock)();
        // A poisoned lock only means another caller panicked mid-update; the numbers are
        // still usable.
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let elapsed = now.saturating_duration_since(state.last).as_secs_f64();
        state.last = now.max(state.last);
        state.tokens = (state.tokens + elapsed * self.qps).min(self.burst);
        state.tokens -= 1.0;
        if state.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-state.tokens / self.qps)
        }
    }

    fn release(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.tokens = (state.tokens + 1.0).min(self.burst);
    }
}

/// Waits for one permit of `limiter`, giving it back if the caller is cancelled (the future
/// dropped) before the wait is over. Returns how long it waited.
pub(crate) async fn throttle(limiter: &Arc<dyn RateLimiter>, sleeper: &dyn Sleeper) -> Duration {
    let wait = limiter.reserve();
    if wait.is_zero() {
        return wait;
    }
    let mut guard = ReleaseOnDrop {
        limiter: Some(limiter),
    };
    sleeper.sleep(wait).await;
    guard.limiter = None;
    wait
}

struct ReleaseOnDrop<'a> {
    limiter: Option<&'a Arc<dyn RateLimiter>>,
}

impl Drop for ReleaseOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(limiter) = self.limiter {
            limiter.release();
        }
    }
}
