//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`rest_core::Resource`], so generated types, derived types
//! and dynamic objects work alike.

pub mod workqueue;

pub use workqueue::WorkQueue;
