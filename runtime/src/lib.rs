//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`Object`] (any [`rest_core::HasMetadata`] type), so
//! generated types, derived types and [`DynamicObject`](rest_core::DynamicObject)s (listed by
//! [`Dynamic`]) work alike.

pub mod conditions;
pub mod controller;
pub mod events;
pub mod finalizer;
pub mod informer;
mod key_hash;
pub mod leader_election;
pub mod lister_watcher;
pub mod object;
pub mod reflector;
pub mod store;
pub mod wait;
pub mod watcher;
pub mod workqueue;

pub use controller::{Action, Controller};
pub use events::Recorder;
pub use finalizer::finalizer;
pub use informer::{InformerFactory, SharedInformer};
pub use leader_election::LeaderElector;
pub use lister_watcher::{Dynamic, ListerWatcher, Metadata};
pub use object::{Object, ObjectRef};
pub use reflector::reflector;
pub use store::{Store, Writer};
pub use wait::await_condition;
pub use workqueue::WorkQueue;
