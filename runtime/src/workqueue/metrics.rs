//! Metrics hooks of a work queue (client-go's `workqueue.MetricsProvider`): plug in any
//! metrics library by implementing `QueueMetrics`; the default records nothing.

use std::time::Duration;

/// Receives a work queue's measurements as they happen. Every method defaults to nothing,
/// so an implementation overrides only what it exports.
pub trait QueueMetrics: Send + Sync {
    /// The number of keys waiting to be processed changed to `depth` (client-go's `depth`).
    fn depth(&self, depth: usize) {
        let _ = depth;
    }
    /// A key was added, whether or not it was already queued (`adds`).
    fn add(&self) {}
    /// A key waited `waited` in the queue before a worker took it (`queue_duration_seconds`).
    fn latency(&self, waited: Duration) {
        let _ = waited;
    }
    /// A worker spent `took` processing a key (`work_duration_seconds`).
    fn work_duration(&self, took: Duration) {
        let _ = took;
    }
    /// A key was re-queued through the rate limiter (`retries`).
    fn retry(&self) {}
    /// Work in progress: `unfinished` summed over running keys, `longest` the longest one
    /// (`unfinished_work_seconds`, `longest_running_processor_seconds`).
    fn unfinished_work(&self, unfinished: Duration, longest: Duration) {
        let _ = (unfinished, longest);
    }
}

/// Records nothing: the default.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoMetrics;

impl QueueMetrics for NoMetrics {}
