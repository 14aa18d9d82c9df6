//! client-go's `util/workqueue`: a queue of keys with dedup, no concurrent processing of one
//! key, delayed adds, per-key rate limiting and metrics hooks; what a controller's workers pull from.

mod metrics;
mod queue;
mod rate_limiter;

pub use metrics::{NoMetrics, QueueMetrics};
pub use queue::{QueueConfig, WorkQueue};
pub use rate_limiter::{
    default_controller_rate_limiter, BucketRateLimiter, ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter, RateLimiter,
};
