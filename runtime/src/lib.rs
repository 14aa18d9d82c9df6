//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`rest_core::Resource`], so generated types, derived types
//! and dynamic objects work alike.

pub mod conditions;
pub mod controller;
pub mod events;
pub mod finalizer;
pub mod leader_election;
pub mod wait;
pub mod workqueue;

pub use controller::{Action, Controller};
pub use events::Recorder;
pub use finalizer::finalizer;
pub use leader_election::LeaderElector;
pub use wait::await_condition;
pub use workqueue::WorkQueue;
