//! Discovery (client-go's `discovery` package): what groups, versions and resources a server
//! serves, read from aggregated discovery or the legacy documents, cached in memory or on disk,
//! and the OpenAPI documents it publishes.

mod aggregated;
mod cached;
mod client;
mod disk;
mod model;
mod openapi;

pub use aggregated::{
    APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery, APISubresourceDiscovery,
    APIVersionDiscovery, ACCEPT as AGGREGATED_ACCEPT,
};
pub use cached::{CachedDiscoveryClient, DEFAULT_DISK_TTL};
pub use client::DiscoveryClient;
pub use disk::default_dir as default_disk_dir;
pub use model::{
    ApiGroupResources, ApiResource, ApiSubresource, ApiVersionResources, Discovery,
    FailedGroupVersion,
};
pub use openapi::{OpenApiV3Index, OpenApiV3Path};
