//! One replica of the operator: a leader-election candidate, and the App controller (owning
//! ConfigMaps and Deployments) that runs only while this replica leads.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use generated::apps::v1::Deployment;
use generated::core::v1::ConfigMap;
use rest_core::meta::ListOptions;
use rest_core::{ResourceClient, RestClient};
use rest_runtime::events::Reporter;
use rest_runtime::leader_election::{
    LeaderCallbacks, LeaderElectionConfig, LeaderElector, Leadership,
};
use rest_runtime::{Controller, Recorder};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::app::App;
use crate::reconcile::{reconcile, Context};

/// The reporting controller on this operator's events.
pub const CONTROLLER_NAME: &str = "example.com/app-operator";
/// The Lease the replicas compete for.
pub const LEASE_NAME: &str = "app-operator";

/// How a replica runs.
#[derive(Clone, Debug)]
pub struct OperatorConfig {
    /// This replica's name (a pod name): its lease identity and events' reporting instance.
    pub identity: String,
    /// Where the Lease lives.
    pub lease_namespace: String,
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
    /// Reconciles at once.
    pub concurrency: usize,
}

impl OperatorConfig {
    /// client-go's election timing (15 s / 10 s / 2 s), the Lease in `default`.
    pub fn new(identity: impl Into<String>) -> Self {
        OperatorConfig {
            identity: identity.into(),
            lease_namespace: "default".into(),
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(2),
            concurrency: 4,
        }
    }
}

/// A running replica.
pub struct Operator {
    leadership: watch::Receiver<Leadership>,
    stop: Option<oneshot::Sender<()>>,
    controller: JoinHandle<()>,
    elector: JoinHandle<()>,
}

impl Operator {
    /// Starts a replica: it competes for the Lease and reconciles Apps in every namespace
    /// while it leads.
    pub fn start(
        client: &RestClient,
        config: OperatorConfig,
    ) -> Result<Operator, rest_core::Error> {
        let election = LeaderElectionConfig {
            lease_duration: config.lease_duration,
            renew_deadline: config.renew_deadline,
            retry_period: config.retry_period,
            ..LeaderElectionConfig::new(&config.lease_namespace, LEASE_NAME, &config.identity)
        };
        let elector = LeaderElector::new(client, election, LeaderCallbacks::default())?;
        let leadership = elector.subscribe();
        let recorder = Recorder::new(
            client,
            Reporter {
                controller: CONTROLLER_NAME.into(),
                instance: Some(config.identity.clone()),
            },
        );
        let context = Arc::new(Context {
            client: client.clone(),
            recorder: recorder.clone(),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let (release, released) = oneshot::channel::<()>();
        let elector = tokio::spawn(elector.run(async {
            let _ = released.await;
        }));
        let controller = Controller::new(
            ResourceClient::<App>::all_namespaces(client),
            ListOptions::default(),
        )
        .owns(
            ResourceClient::<ConfigMap>::all_namespaces(client),
            ListOptions::default(),
        )
        .owns(
            ResourceClient::<Deployment>::all_namespaces(client),
            ListOptions::default(),
        )
        .concurrency(config.concurrency)
        .run_only_while_leading(leadership.clone())
        .graceful_shutdown_on(async {
            let _ = stopped.await;
        });
        let identity = config.identity.clone();
        let controller = tokio::spawn(async move {
            let results = controller.run(reconcile, context).for_each(|result| async {
                if let Err(e) = result {
                    tracing::warn!(identity = %identity, error = %e, "reconcile failed; retrying");
                }
            });
            // Event series are kept up to date while the controller runs.
            tokio::select! {
                _ = results => {}
                _ = recorder.run_maintenance() => {}
            }
            // Reconciles are finished: now hand the Lease over.
            let _ = release.send(());
        });
        Ok(Operator {
            leadership,
            stop: Some(stop),
            controller,
            elector,
        })
    }

    /// Follows this replica's leadership.
    pub fn leadership(&self) -> watch::Receiver<Leadership> {
        self.leadership.clone()
    }

    /// Stops gracefully: running reconciles finish, then the Lease is released so another
    /// replica takes over at once.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.controller).await;
        let _ = (&mut self.elector).await;
    }

    /// Stops at once without releasing anything, as a killed process would: another
    /// replica takes over when the lease expires.
    pub async fn kill(self) {
        self.controller.abort();
        self.elector.abort();
        let _ = self.controller.await;
        let _ = self.elector.await;
    }
}
