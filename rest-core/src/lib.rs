//! rest-core: the one hand-written engine behind krest's generated clients, modelled on
//! client-go's `rest` package. Every generated call ends in a `Request` built here.

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
