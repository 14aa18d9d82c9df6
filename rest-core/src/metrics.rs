//! Metrics hooks, as client-go's `tools/metrics`: the engine reports, the user records.
//! Every method has an empty default so an implementation overrides only what it needs.

use std::time::Duration;

/// Observations the engine makes on every request.
pub trait Metrics: Send + Sync {
    /// Whole request latency, retries included; `url_template` has names replaced by `{name}`.
    fn request_latency(&self, _verb: &str, _url_template: &str, _latency: Duration) {}
    /// Bytes of request body sent on one try.
    fn request_size(&self, _verb: &str, _host: &str, _bytes: u64) {}
    /// Bytes of response body received.
    fn response_size(&self, _verb: &str, _host: &str, _bytes: u64) {}
    /// One try's outcome: the HTTP status code, or `"<error>"` when no response came.
    fn request_result(&self, _code: &str, _verb: &str, _host: &str) {}
    /// One retry about to happen, with the code that caused it.
    fn request_retry(&self, _code: &str, _verb: &str, _host: &str) {}
    /// Time spent waiting for the client-side rate limiter.
    fn rate_limiter_latency(&self, _verb: &str, _url_template: &str, _wait: Duration) {}
}
