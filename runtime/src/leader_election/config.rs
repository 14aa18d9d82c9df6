//! What a candidate is configured with (client-go's `LeaderElectionConfig`): the Lease, its
//! identity, the three durations, and what to call when leadership changes.

use std::sync::Arc;
use std::time::Duration;

/// The Lease to compete for and the timing rules. `renew_deadline` must be shorter than
/// `lease_duration`, and `retry_period` shorter than `renew_deadline`.
#[derive(Clone, Debug)]
pub struct LeaderElectionConfig {
    pub namespace: String,
    pub lease_name: String,
    /// Unique per candidate (a pod name).
    pub identity: String,
    /// How long a lease seen unchanged stays the holder's (client-go default 15 s).
    pub lease_duration: Duration,
    /// How long the leader keeps trying to renew before it stops leading (default 10 s).
    pub renew_deadline: Duration,
    /// How often candidates try to acquire and the leader renews (default 2 s).
    pub retry_period: Duration,
    /// Release the lease when `run`'s shutdown resolves, so a successor takes over at once.
    pub release_on_cancel: bool,
}

impl LeaderElectionConfig {
    /// client-go's usual timing (15 s / 10 s / 2 s), releasing on shutdown.
    pub fn new(
        namespace: impl Into<String>,
        lease_name: impl Into<String>,
        identity: impl Into<String>,
    ) -> Self {
        LeaderElectionConfig {
            namespace: namespace.into(),
            lease_name: lease_name.into(),
            identity: identity.into(),
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(2),
            release_on_cancel: true,
        }
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.identity.is_empty() {
            return Err("leader election needs a non-empty identity".into());
        }
        if self.lease_duration <= self.renew_deadline {
            return Err(format!(
                "lease_duration ({:?}) must be greater than renew_deadline ({:?})",
                self.lease_duration, self.renew_deadline
            ));
        }
        if self.renew_deadline <= self.retry_period {
            return Err(format!(
                "renew_deadline ({:?}) must be greater than retry_period ({:?})",
                self.renew_deadline, self.retry_period
            ));
        }
        if self.retry_period.is_zero() {
            return Err("retry_period must be greater than zero".into());
        }
        Ok(())
    }
}

type Callback = Arc<dyn Fn() + Send + Sync>;
type NewLeaderCallback = Arc<dyn Fn(&str) + Send + Sync>;

/// Called from the elector's task as leadership changes (client-go's `LeaderCallbacks`).
#[derive(Clone, Default)]
pub struct LeaderCallbacks {
    pub on_started_leading: Option<Callback>,
    pub on_stopped_leading: Option<Callback>,
    /// Whenever the observed holder changes (this candidate included).
    pub on_new_leader: Option<NewLeaderCallback>,
}

impl std::fmt::Debug for LeaderCallbacks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeaderCallbacks").finish_non_exhaustive()
    }
}
