//! Waiting, made injectable: retries and throttling sleep through a `Sleeper` so tests can
//! record the waits the engine asked for instead of spending wall time on them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

/// A boxed future that completes when the wait is over.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Something that can wait. The default is `TokioSleeper`; set `Config::sleeper` to replace it.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

/// Waits on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Records every wait asked of it and returns at once: for tests that check how long the
/// engine would have waited (Retry-After, throttling) without waiting.
#[derive(Debug, Default)]
pub struct RecordingSleeper {
    waits: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every wait requested so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// The sum of all waits requested so far.
    pub fn total(&self) -> Duration {
        self.waits().iter().sum()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        if let Ok(mut waits) = self.waits.lock() {
            waits.push(duration);
        }
        Box::pin(std::future::ready(()))
    }
}
