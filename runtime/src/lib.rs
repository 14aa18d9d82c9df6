//! What operators run on, built on rest-core's `Request` engine only: client-go's
//! `tools/cache`, `util/workqueue` and `tools/leaderelection`, kube-runtime's watcher and controller.
//!
//! Everything here is generic over [`rest_core::Resource`], so generated types, derived types
//! and dynamic objects work alike.
//!
//! # Where to start
//!
//! - a cache: [`InformerFactory`] hands out one [`SharedInformer`] per resource and selector
//!   (one list and watch however many ask), whose [`Store`] answers reads and index lookups
//!   without a request, and whose subscribers get the state, then every change;
//! - lower down: [`watcher::watcher`] (list, watch, resume, re-list on 410, never an event
//!   lost) and [`reflector()`] into a [`Store`];
//! - an operator: a [`Controller`] runs a reconcile function per object key from a
//!   [`WorkQueue`] (dedup, per-key backoff), with [`finalizer()`], an event [`Recorder`],
//!   [`conditions`], [`await_condition`] and a [`LeaderElector`].
//!
//! ```
//! # #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
//! # struct Pod { metadata: rest_core::ObjectMeta }
//! # impl rest_core::Resource for Pod {
//! #     const GROUP: &'static str = "";
//! #     const VERSION: &'static str = "v1";
//! #     const API_VERSION: &'static str = "v1";
//! #     const KIND: &'static str = "Pod";
//! #     const PLURAL: &'static str = "pods";
//! #     const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;
//! #     fn metadata(&self) -> &rest_core::ObjectMeta { &self.metadata }
//! #     fn metadata_mut(&mut self) -> &mut rest_core::ObjectMeta { &mut self.metadata }
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
//! # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
//! use rest_core::ResourceClient;
//! use rest_runtime::informer::{self, InformerFactory};
//! use rest_runtime::store::{label_index, Indexers};
//!
//! // Pod: generated::core::v1::Pod, or any Resource; the server here has seven pods.
//! let pods = ResourceClient::<Pod>::namespaced(&client, "default");
//! let factory = InformerFactory::new();
//! let informer = factory.informer(pods, informer::Config::default().indexers(Indexers::new().label("app")));
//! let cache = informer.store();
//! cache.wait_until_ready().await?;
//! assert_eq!(cache.len(), 7);
//! let importers = cache.by_index(&label_index("app"), "containerized-data-importer")?;
//! assert_eq!(importers.len(), 1);
//! # Ok(())
//! # }
//! ```

pub mod conditions;
pub mod controller;
pub mod events;
pub mod finalizer;
pub mod informer;
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
pub use lister_watcher::{ListerWatcher, Metadata};
pub use object::{Object, ObjectRef};
pub use reflector::reflector;
pub use store::{Store, Writer};
pub use wait::await_condition;
pub use workqueue::WorkQueue;
