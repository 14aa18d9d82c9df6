//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`rest_core::Resource`], so generated types, derived types
//! and dynamic objects work alike.

pub mod lister_watcher;
pub mod object;
pub mod watcher;

pub use lister_watcher::{ListerWatcher, Metadata};
pub use object::{Object, ObjectRef};
pub mod reflector;
pub mod store;

pub use reflector::reflector;
pub use store::{Store, Writer};
pub mod informer;

pub use informer::{InformerFactory, SharedInformer};
