//! rest-core: the one hand-written engine behind krest's generated clients, modelled on
//! client-go's `rest` package. Every generated call ends in a `Request` built here.
//!
//! # A first program
//!
//! A [`Config`] says where the server is and how to authenticate ([`Config::infer`] reads
//! `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account, as kubectl
//! does). [`RestClient::for_config`] turns it into one connection pool, rate limiter and set
//! of credentials, which every client made from it shares:
//!
//! - typed: [`ResourceClient<T>`] for any `T: Resource` (a generated type such as
//!   `generated::core::v1::ConfigMap`, a `#[derive(Resource)]` struct, or your own impl);
//!   generated clientsets (`Clientset::new(client).core_v1().config_maps("default")`) are
//!   thin wrappers of it;
//! - dynamic: [`DynamicClient`] for any resource named at run time, with [`DynamicObject`]s;
//! - discovery: [`DiscoveryClient`] for what the server serves (and [`RestMapper`] on it);
//! - raw: [`RestClient::get`] and its siblings, each a [`Request`] builder, sent to a
//!   [`Response`];
//!
//! and every failure is an [`Error`] (`err.is_not_found()`, `err.status()`, ...). Watches
//! are [`WatchStream`]s of [`WatchEvent`]s.
//!
//! Here on the fixture API server of the `fixtures` crate (started by the hidden first
//! lines; it serves seven pods):
//!
//! ```
//! # #[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
//! # struct ConfigMap {
//! #     #[serde(default)]
//! #     metadata: rest_core::ObjectMeta,
//! #     #[serde(default)]
//! #     data: std::collections::BTreeMap<String, String>,
//! # }
//! # impl rest_core::Resource for ConfigMap {
//! #     const GROUP: &'static str = "";
//! #     const VERSION: &'static str = "v1";
//! #     const API_VERSION: &'static str = "v1";
//! #     const KIND: &'static str = "ConfigMap";
//! #     const PLURAL: &'static str = "configmaps";
//! #     const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;
//! #     fn metadata(&self) -> &rest_core::ObjectMeta { &self.metadata }
//! #     fn metadata_mut(&mut self) -> &mut rest_core::ObjectMeta { &mut self.metadata }
//! # }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
//! use futures::StreamExt;
//! use rest_core::{
//!     Config, CreateOptions, DiscoveryClient, DynamicClient, GroupVersionResource, ListOptions,
//!     ResourceClient, RestClient, WatchEvent,
//! };
//!
//! // On a cluster: Config::infer()?
//! let client = RestClient::for_config(&Config::new(server.url()))?;
//!
//! // Typed (ConfigMap: a generated type, or any impl of Resource).
//! let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
//! let listed = config_maps.list(&ListOptions::default()).await?;
//! let mut settings = ConfigMap::default();
//! settings.metadata.name = Some("settings".into());
//! settings.data.insert("mode".into(), "fast".into());
//! config_maps.create(&settings, &CreateOptions::default()).await?;
//!
//! // Watch from the list's resourceVersion: the create above is the first event.
//! let since = ListOptions { resource_version: listed.metadata.resource_version, ..Default::default() };
//! let mut events = config_maps.watch(&since).await?;
//! match events.next().await {
//!     Some(Ok(WatchEvent::Added(cm))) => assert_eq!(cm.data["mode"], "fast"),
//!     other => panic!("expected the ADDED event, got {other:?}"),
//! }
//!
//! // Dynamic: any resource, named at run time.
//! let pods = GroupVersionResource::new("", "v1", "pods");
//! let list = DynamicClient::new(client.clone()).resource(&pods).namespace("default")
//!     .list(&ListOptions::default()).await?;
//! assert_eq!(list.items.len(), 7);
//!
//! // Discovery: what the server serves.
//! let discovery = DiscoveryClient::new(client.clone()).discover().await?;
//! assert!(discovery.resources().any(|r| r.plural == "deployments" && r.group == "apps"));
//!
//! // Raw: the Request builder every client above uses.
//! let answer = client.get().namespace("default").resource("pods").name("missing").send().await;
//! assert!(answer.error().is_some_and(|e| e.is_not_found()));
//! # Ok(())
//! # }
//! ```

mod address;
mod auth;
mod body;
pub mod client;
pub mod config;
pub mod discovery;
pub mod dynamic;
pub mod env;
pub mod error;
pub mod exec;
/// Entry points of the fuzz targets (`fuzz/`); not a stable API.
#[doc(hidden)]
pub mod fuzzing;
pub mod gvk;
mod in_cluster;
pub mod kubeconfig;
pub mod limits;
pub mod meta;
pub mod metrics;
mod path;
#[cfg(feature = "protobuf")]
pub mod protobuf;
pub mod proxy;
pub mod request;
pub mod resource;
pub mod resource_client;
pub mod response;
pub mod rest_mapper;
mod retry;
mod send;
pub mod sleeper;
pub mod stream;
pub mod throttle;
mod timestamp;
mod tls;
mod token_file;
mod transport;
pub mod warnings;
pub mod watch;

pub use client::RestClient;
pub use config::{Config, ConfigSource, Credentials, GroupVersion, Impersonate, Secret, TlsConfig};
pub use discovery::{CachedDiscoveryClient, DiscoveryClient};
pub use dynamic::{DynamicClient, DynamicList, DynamicObject};
pub use env::Env;
pub use error::Error;
pub use exec::{ExecError, ExecErrorKind};
pub use gvk::{GroupVersionKind, GroupVersionResource};
pub use kubeconfig::{
    ExecConfig, ExecEnvVar, Kubeconfig, KubeconfigError, KubeconfigErrorKind, KubeconfigOptions,
};
pub use limits::Limits;
pub use meta::*;
pub use metrics::Metrics;
pub use proxy::{Proxy, ProxyEnv};
pub use request::Request;
pub use resource::{HasMetadata, Resource, Scope};
#[cfg(feature = "derive")]
pub use rest_derive::Resource;
pub use rest_mapper::{MappingError, RestMapper};
/// Run-time support of `#[derive(Resource)]` code (feature `derive`); not a stable API.
#[cfg(feature = "derive")]
#[doc(hidden)]
pub mod derive_support;
pub use resource_client::{Deleted, ResourceClient};
pub use response::Response;
pub use sleeper::{RecordingSleeper, Sleeper, TokioSleeper};
pub use stream::ByteStream;
pub use throttle::{RateLimiter, TokenBucket};
pub use warnings::{
    CollectingWarningHandler, IgnoreWarnings, LogOnceWarningHandler, WarningHandler, WarningHeader,
    WarningsAsErrors,
};
pub use watch::WatchStream;
