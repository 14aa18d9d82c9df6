//! rest-core: the one hand-written engine behind krest's generated clients, modelled on
//! client-go's `rest` package. Every generated call ends in a `Request` built here.

mod auth;
mod body;
pub mod client;
pub mod config;
pub mod error;
pub mod kubeconfig;
pub mod meta;
pub mod metrics;
mod path;
pub mod request;
pub mod resource;
pub mod resource_client;
pub mod response;
mod retry;
mod send;
pub mod sleeper;
pub mod stream;
pub mod throttle;
mod tls;
pub mod warnings;
pub mod watch;

pub use client::RestClient;
pub use config::{Config, Credentials, GroupVersion, Impersonate, Secret, TlsConfig};
pub use error::Error;
pub use kubeconfig::{KubeconfigError, KubeconfigErrorKind};
pub use meta::*;
pub use metrics::Metrics;
pub use request::Request;
pub use resource::{Resource, Scope};
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
