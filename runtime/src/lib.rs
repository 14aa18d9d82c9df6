//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`rest_core::Resource`], so generated types, derived types
//! and dynamic objects work alike.

pub mod informer;
pub mod lister_watcher;
pub mod object;
pub mod reflector;
pub mod store;
pub mod watcher;

pub use informer::{InformerFactory, SharedInformer};
pub use lister_watcher::{ListerWatcher, Metadata};
pub use object::{Object, ObjectRef};
pub use reflector::reflector;
pub use store::{Store, Writer};
