//! Leader election on a `coordination.k8s.io/v1` Lease with client-go's semantics
//! (`tools/leaderelection`): lease duration, renew deadline, retry period, optimistic
//! concurrency on the Lease's resourceVersion, callbacks and a watchable state, release on shutdown.

mod config;
mod elector;
mod lease;

pub use config::{LeaderCallbacks, LeaderElectionConfig};
pub use elector::{LeaderElector, Leadership};
pub use lease::{Lease, LeaseSpec};
