//! rest-core: the one hand-written engine behind krest's generated clients, modelled on
//! client-go's `rest` package. Every generated call ends in a `Request` built here.

pub mod config;
pub mod error;
pub mod kubeconfig;
pub mod meta;
pub mod metrics;
pub mod resource;
pub mod throttle;
pub mod warnings;

pub use config::{Config, Credentials, GroupVersion, Impersonate, Secret, TlsConfig};
pub use error::Error;
pub use kubeconfig::KubeconfigError;
pub use meta::*;
pub use metrics::Metrics;
pub use resource::{Resource, Scope};
pub use throttle::RateLimiter;
pub use warnings::{WarningHandler, WarningHeader};
