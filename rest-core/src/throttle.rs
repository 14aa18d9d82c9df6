//! Client-side throttling: a token bucket (`qps`, `burst`) consulted before the first try of
//! every request and again before each retry, as client-go's `tryThrottle`.

use std::time::Duration;

/// Decides how long a request must wait before it may be sent.
///
/// Plug in your own through `Config::rate_limiter`; the default is a token bucket.
pub trait RateLimiter: Send + Sync {
    /// Takes one permit and returns how long the caller must wait before using it
    /// (`Duration::ZERO` when it may go now).
    fn reserve(&self) -> Duration;
}
