//! Group/version/kind and group/version/resource (client-go's `schema.GroupVersionKind` and
//! `schema.GroupVersionResource`): how discovery, the REST mapper and the dynamic client name things.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::GroupVersion;
use crate::resource::Resource;

/// A kind in a group/version (`apps/v1`, `Deployment`); the core group is `""`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupVersionKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl GroupVersionKind {
    pub fn new(
        group: impl Into<String>,
        version: impl Into<String>,
        kind: impl Into<String>,
    ) -> Self {
        GroupVersionKind {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    /// The kind of a generated or derived type.
    pub fn of<T: Resource>() -> Self {
        GroupVersionKind::new(T::GROUP, T::VERSION, T::KIND)
    }

    /// From an object's `apiVersion` and `kind` (`apps/v1`, `v1`).
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = match api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        GroupVersionKind::new(group, version, kind)
    }

    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }

    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        self.group_version().to_string()
    }
}

impl fmt::Display for GroupVersionKind {
    /// `apps/v1, Kind=Deployment`, as client-go prints one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, Kind={}", self.group_version(), self.kind)
    }
}

/// A resource in a group/version (`apps/v1`, `deployments`): what a URL addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupVersionResource {
    pub group: String,
    pub version: String,
    /// The plural, lower-case name (`deployments`).
    pub resource: String,
}

impl GroupVersionResource {
    pub fn new(
        group: impl Into<String>,
        version: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        GroupVersionResource {
            group: group.into(),
            version: version.into(),
            resource: resource.into(),
        }
    }

    /// The resource of a generated or derived type.
    pub fn of<T: Resource>() -> Self {
        GroupVersionResource::new(T::GROUP, T::VERSION, T::PLURAL)
    }

    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }
}

impl fmt::Display for GroupVersionResource {
    /// `apps/v1, Resource=deployments`, as client-go prints one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, Resource={}", self.group_version(), self.resource)
    }
}
