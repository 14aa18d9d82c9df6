//! `CachedDiscoveryClient`: discovery read once and kept in memory (client-go's memcache
//! client), optionally on disk with a TTL (its disk cache), refreshed on a mapping miss.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::client::DiscoveryClient;
use super::disk;
use super::model::{ApiResource, Discovery};
use crate::error::Error;
use crate::rest_mapper::{MappingError, RestMapper};

/// kubectl's disk cache TTL (6 hours since 1.26).
pub const DEFAULT_DISK_TTL: Duration = Duration::from_secs(6 * 60 * 60);

/// Discovery kept after the first read. Only a complete discovery is kept: when a
/// group/version failed, the next call asks the server again (as client-go's memcache
/// client retries failed groups).
#[derive(Debug)]
pub struct CachedDiscoveryClient {
    client: DiscoveryClient,
    memory: Mutex<Option<Arc<Discovery>>>,
    /// The server's cache folder and the TTL of its file.
    disk: Option<(PathBuf, Duration)>,
}

impl CachedDiscoveryClient {
    /// A memory cache over `client`.
    pub fn new(client: DiscoveryClient) -> CachedDiscoveryClient {
        CachedDiscoveryClient {
            client,
            memory: Mutex::new(None),
            disk: None,
        }
    }

    /// Also keeps discovery on disk under `dir` (one folder per server, named as kubectl
    /// names it: `<dir>/127.0.0.1_6443/krest-discovery.json`), used while younger than
    /// `ttl`. [`disk::default_dir`](super::default_disk_dir) is kubectl's `~/.kube/cache/discovery`.
    pub fn with_disk_cache(mut self, dir: impl Into<PathBuf>, ttl: Duration) -> Self {
        let folder = disk::server_dir(&dir.into(), self.client.rest_client().base_url());
        self.disk = Some((folder, ttl));
        self
    }

    /// The cache file, when there is a disk cache.
    pub fn disk_cache_file(&self) -> Option<PathBuf> {
        self.disk
            .as_ref()
            .map(|(folder, _)| folder.join(disk::FILE))
    }

    pub fn discovery_client(&self) -> &DiscoveryClient {
        &self.client
    }

    /// Discovery from memory, else from a fresh disk cache, else from the server.
    pub async fn discovery(&self) -> Result<Arc<Discovery>, Error> {
        if let Some(kept) = self.kept() {
            return Ok(kept);
        }
        if let Some((folder, ttl)) = &self.disk {
            if let Some(found) = disk::read(folder, *ttl) {
                let found = Arc::new(found);
                *self.lock() = Some(found.clone());
                return Ok(found);
            }
        }
        self.refresh().await
    }

    /// Reads discovery from the server now, replacing what is cached.
    pub async fn refresh(&self) -> Result<Arc<Discovery>, Error> {
        let fresh = Arc::new(self.client.discover().await?);
        if fresh.failed.is_empty() {
            if let Some((folder, _)) = &self.disk {
                disk::write(folder, &fresh);
            }
            *self.lock() = Some(fresh.clone());
        } else {
            *self.lock() = None;
        }
        Ok(fresh)
    }

    /// Forgets what is cached, in memory and on disk (client-go's `Invalidate`): the next
    /// call reads the server again.
    pub fn invalidate(&self) {
        *self.lock() = None;
        if let Some((folder, _)) = &self.disk {
            disk::remove(folder);
        }
    }

    /// A REST mapper on the cached discovery.
    pub async fn mapper(&self) -> Result<RestMapper, Error> {
        Ok(RestMapper::new(&*self.discovery().await?))
    }

    /// Resolves a name as `kubectl get` does ([`RestMapper::resources_for`]); on a miss the
    /// cache may be stale (a CRD created since), so it is read again once and the name
    /// resolved again, as kubectl's deferred mapper does.
    pub async fn resources_for(&self, arg: &str) -> Result<Vec<ApiResource>, Error> {
        match self.mapper().await?.resources_for(arg) {
            Err(MappingError::NotFound { .. }) => {
                let fresh = self.refresh().await?;
                Ok(RestMapper::new(&fresh).resources_for(arg)?)
            }
            other => Ok(other?),
        }
    }

    /// [`resources_for`](Self::resources_for) for a name that must mean one resource.
    pub async fn resource_for(&self, arg: &str) -> Result<ApiResource, Error> {
        match self.mapper().await?.resource_for(arg) {
            Err(MappingError::NotFound { .. }) => {
                let fresh = self.refresh().await?;
                Ok(RestMapper::new(&fresh).resource_for(arg)?)
            }
            other => Ok(other?),
        }
    }

    fn kept(&self) -> Option<Arc<Discovery>> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Discovery>>> {
        self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
