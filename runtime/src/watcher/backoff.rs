//! Exponential backoff with jitter between failed attempts (client-go's
//! `wait.Backoff` as the reflector uses it), reset by the watcher after any success.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How long to wait after consecutive failures: `initial`, then times `factor` each time up
/// to `max`, each wait spread by up to `jitter` (a fraction) so that many clients do not
/// retry in step.
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    pub factor: f64,
    pub jitter: f64,
}

impl Default for Backoff {
    /// 800 ms doubling up to 30 s, jitter 1.0 (client-go's reflector: 800 ms to 30 s).
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(800),
            max: Duration::from_secs(30),
            factor: 2.0,
            jitter: 1.0,
        }
    }
}

/// The running state of a [`Backoff`].
#[derive(Debug)]
pub(crate) struct Attempts {
    policy: Backoff,
    failures: u32,
    seed: u64,
}

impl Attempts {
    pub fn new(policy: Backoff) -> Self {
        let seed = RandomState::new().build_hasher().finish() | 1;
        Attempts {
            policy,
            failures: 0,
            seed,
        }
    }

    /// The wait before the next attempt after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self
            .policy
            .factor
            .max(1.0)
            .powi(self.failures.min(64) as i32);
        self.failures = self.failures.saturating_add(1);
        let base = self
            .policy
            .initial
            .mul_f64(exp.min(1e9))
            .min(self.policy.max);
        let spread = base.mul_f64(self.policy.jitter.clamp(0.0, 1.0) * self.random());
        (base + spread).min(self.policy.max)
    }

    /// A success: the next failure waits `initial` again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A number in [0, 1) (xorshift; jitter needs spread, not quality).
    fn random(&mut self) -> f64 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_the_cap_with_jitter_and_reset_after_success() {
        let mut a = Attempts::new(Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(2),
            factor: 2.0,
            jitter: 0.5,
        });
        let waits: Vec<Duration> = (0..8).map(|_| a.next_delay()).collect();
        for (i, w) in waits.iter().enumerate() {
            let base = Duration::from_millis(100 * (1 << i)).min(Duration::from_secs(2));
            assert!(
                *w >= base && *w <= (base.mul_f64(1.5)).min(Duration::from_secs(2)),
                "{i}: {w:?}"
            );
        }
        assert_eq!(waits[7], Duration::from_secs(2));
        a.reset();
        let w = a.next_delay();
        assert!(
            w >= Duration::from_millis(100) && w <= Duration::from_millis(150),
            "{w:?}"
        );
    }
}
