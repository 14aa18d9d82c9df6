//! `LeaderElector`: tries to acquire the Lease every retry period, then renews it; stops
//! leading once it could not renew within the renew deadline, and releases it on shutdown.
//! Expiry is judged by when this candidate last saw the record change, not by the holder's
//! clock (client-go's rule, safe against clock skew).

use std::future::Future;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use rest_core::meta::{CreateOptions, GetOptions, MicroTime, ObjectMeta, UpdateOptions};
use rest_core::{ResourceClient, RestClient};
use tokio::sync::watch;
use tokio::time::Instant;

use super::config::{LeaderCallbacks, LeaderElectionConfig};
use super::lease::{Lease, LeaseSpec};

/// Who leads, as this candidate last saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Leadership {
    /// This candidate holds the lease now.
    pub leading: bool,
    /// The holder last observed (this candidate's identity while it leads).
    pub leader: Option<String>,
}

/// One candidate. Build it, `subscribe` to its state if something must follow it (a
/// controller that runs only while leading), then `run` it.
pub struct LeaderElector {
    api: ResourceClient<Lease>,
    config: LeaderElectionConfig,
    callbacks: LeaderCallbacks,
    state: watch::Sender<Leadership>,
    /// The Lease as last read or written, and when its record last changed.
    observed: Option<Lease>,
    observed_at: Instant,
    jitter: u64,
}

enum Attempt {
    /// This candidate holds the lease (acquired or renewed) as of the attempt's start.
    Held,
    /// Another candidate holds a lease that has not expired.
    HeldByOther,
    /// The server refused or failed (a conflict: someone else wrote first).
    Failed,
}

impl std::fmt::Debug for LeaderElector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeaderElector")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl LeaderElector {
    /// A candidate for `config`'s Lease; fails on inconsistent timing or an empty identity.
    pub fn new(
        client: &RestClient,
        config: LeaderElectionConfig,
        callbacks: LeaderCallbacks,
    ) -> Result<Self, rest_core::Error> {
        config
            .check()
            .map_err(|message| rest_core::Error::InvalidRequest { message })?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        config.identity.hash(&mut hasher);
        Ok(LeaderElector {
            api: ResourceClient::namespaced(client, &config.namespace),
            config,
            callbacks,
            state: watch::Sender::new(Leadership::default()),
            observed: None,
            observed_at: Instant::now(),
            jitter: hasher.finish() | 1,
        })
    }

    /// Follows this candidate's leadership.
    pub fn subscribe(&self) -> watch::Receiver<Leadership> {
        self.state.subscribe()
    }

    /// Competes until `shutdown` resolves: acquires, leads while it renews in time, and
    /// after a loss competes again. On shutdown while leading it stops leading and, with
    /// `release_on_cancel`, releases the Lease. Dropping this future releases nothing (as a
    /// crashed process): others take over once the lease expires.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            // Acquire: every retry period (jittered, as client-go's JitterUntil), until held.
            loop {
                let attempt = tokio::select! {
                    _ = &mut shutdown => return,
                    attempt = self.try_acquire_or_renew() => attempt,
                };
                if matches!(attempt, Attempt::Held) {
                    break;
                }
                let wait = self.jittered_retry();
                tokio::select! {
                    _ = &mut shutdown => return,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
            let mut renewed = Instant::now();
            self.set_leading(true);
            // Renew: stop leading unless a renewal that started within the deadline succeeds.
            loop {
                let deadline = renewed + self.config.renew_deadline;
                let retry = self.config.retry_period;
                let outcome = tokio::select! {
                    _ = &mut shutdown => {
                        self.set_leading(false);
                        if self.config.release_on_cancel {
                            self.release().await;
                        }
                        return;
                    }
                    outcome = tokio::time::timeout_at(deadline, renew(&mut self, retry)) => outcome,
                };
                match outcome {
                    Ok(Some(started)) => renewed = started,
                    Ok(None) | Err(_) => {
                        tracing::info!(identity = %self.config.identity, "stopped leading: lease not renewed in time");
                        self.set_leading(false);
                        break;
                    }
                }
            }
        }

        /// Waits a retry period, then tries until renewed (`Some(when the try began)`), or
        /// `None` as soon as another candidate is seen holding the lease.
        async fn renew(elector: &mut LeaderElector, retry: Duration) -> Option<Instant> {
            loop {
                tokio::time::sleep(retry).await;
                let started = Instant::now();
                match elector.try_acquire_or_renew().await {
                    Attempt::Held => return Some(started),
                    Attempt::HeldByOther => return None,
                    Attempt::Failed => continue,
                }
            }
        }
    }

    /// client-go's `tryAcquireOrRenew`: read the Lease; take it if missing, ours, released
    /// or unchanged for its duration; write it back on its resourceVersion.
    async fn try_acquire_or_renew(&mut self) -> Attempt {
        let now = MicroTime::now();
        let name = self.config.lease_name.clone();
        let me = self.config.identity.clone();
        let lease = match self.api.get(&name, &GetOptions::default()).await {
            Ok(lease) => lease,
            Err(e) if e.is_not_found() => {
                let lease = Lease {
                    api_version: Some("coordination.k8s.io/v1".into()),
                    kind: Some("Lease".into()),
                    metadata: ObjectMeta::namespaced(&self.config.namespace, &name),
                    spec: Some(self.record(now.clone(), 0)),
                };
                return match self.api.create(&lease, &CreateOptions::default()).await {
                    Ok(created) => {
                        self.observe(created);
                        Attempt::Held
                    }
                    Err(e) => self.failed("create", &e),
                };
            }
            Err(e) => return self.failed("get", &e),
        };
        self.observe(lease.clone());
        let spec = lease.spec.clone().unwrap_or_default();
        let holder = lease.holder().map(str::to_owned);
        let mine = holder.as_deref() == Some(me.as_str());
        if holder.is_some() && !mine {
            let duration = spec
                .lease_duration_seconds
                .filter(|s| *s > 0)
                .map_or(self.config.lease_duration, |s| {
                    Duration::from_secs(s.unsigned_abs().into())
                });
            if self.observed_at + duration > Instant::now() {
                return Attempt::HeldByOther;
            }
        }
        let transitions = spec.lease_transitions.unwrap_or(0);
        let mut record = self.record(now, if mine { transitions } else { transitions + 1 });
        if mine {
            record.acquire_time = spec.acquire_time.clone();
        }
        // The read's resourceVersion goes with the write: a concurrent writer wins, we retry.
        let next = Lease {
            spec: Some(record),
            ..lease
        };
        match self.api.update(&next, &UpdateOptions::default()).await {
            Ok(written) => {
                self.observe(written);
                Attempt::Held
            }
            Err(e) => self.failed("update", &e),
        }
    }

    /// client-go's `release`: an empty holder, so the next candidate need not wait.
    async fn release(&mut self) {
        let Some(lease) = self.observed.clone() else {
            return;
        };
        if lease.holder() != Some(self.config.identity.as_str()) {
            return;
        }
        let now = MicroTime::now();
        let transitions = lease
            .spec
            .as_ref()
            .and_then(|s| s.lease_transitions)
            .unwrap_or(0);
        let released = Lease {
            spec: Some(LeaseSpec {
                holder_identity: Some(String::new()),
                lease_duration_seconds: Some(1),
                acquire_time: Some(now.clone()),
                renew_time: Some(now),
                lease_transitions: Some(transitions),
            }),
            ..lease
        };
        match self.api.update(&released, &UpdateOptions::default()).await {
            Ok(written) => self.observe(written),
            Err(e) => {
                tracing::warn!(identity = %self.config.identity, error = %e, "could not release the lease")
            }
        }
    }

    fn record(&self, now: MicroTime, transitions: i32) -> LeaseSpec {
        let secs = self.config.lease_duration.as_secs_f64().ceil();
        LeaseSpec {
            holder_identity: Some(self.config.identity.clone()),
            lease_duration_seconds: Some(secs.min(f64::from(i32::MAX)) as i32),
            acquire_time: Some(now.clone()),
            renew_time: Some(now),
            lease_transitions: Some(transitions),
        }
    }

    /// Remembers the Lease; a changed record restarts the expiry clock; a changed holder is
    /// reported.
    fn observe(&mut self, lease: Lease) {
        let changed = self.observed.as_ref().map(|l| &l.spec) != Some(&lease.spec);
        if changed {
            self.observed_at = Instant::now();
        }
        let holder = lease.holder().map(str::to_owned);
        self.observed = Some(lease);
        let mut reported = None;
        self.state.send_if_modified(|s| {
            if s.leader == holder {
                return false;
            }
            s.leader = holder.clone();
            reported = holder.clone();
            true
        });
        if let (Some(leader), Some(callback)) = (reported, &self.callbacks.on_new_leader) {
            callback(&leader);
        }
    }

    fn set_leading(&self, leading: bool) {
        let changed = self.state.send_if_modified(|s| {
            let changed = s.leading != leading;
            s.leading = leading;
            changed
        });
        if !changed {
            return;
        }
        let callback = if leading {
            tracing::info!(identity = %self.config.identity, lease = %self.config.lease_name, "started leading");
            &self.callbacks.on_started_leading
        } else {
            &self.callbacks.on_stopped_leading
        };
        if let Some(callback) = callback {
            callback();
        }
    }

    fn failed(&self, what: &str, e: &rest_core::Error) -> Attempt {
        tracing::debug!(identity = %self.config.identity, error = %e, "lease {what} failed");
        Attempt::Failed
    }

    /// The retry period plus up to 20% (client-go's jitter factor 1.2), from a per-candidate
    /// sequence so candidates started together drift apart.
    fn jittered_retry(&mut self) -> Duration {
        // xorshift64: cheap, and randomness quality does not matter here.
        self.jitter ^= self.jitter << 13;
        self.jitter ^= self.jitter >> 7;
        self.jitter ^= self.jitter << 17;
        let fraction = (self.jitter % 1000) as f64 / 1000.0;
        self.config.retry_period.mul_f64(1.0 + 0.2 * fraction)
    }
}
