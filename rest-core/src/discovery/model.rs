//! What discovery finds, whichever documents it came from: groups (preferred version first),
//! their versions' resources with subresources nested, and the group/versions that failed.

use serde::{Deserialize, Serialize};

use crate::config::GroupVersion;
use crate::gvk::{GroupVersionKind, GroupVersionResource};
use crate::meta::{APIResource, APIResourceList};
use crate::resource::{Resource, Scope};

/// Everything a server serves, as discovery found it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// In the server's order: the core group first, then as `/apis` lists them (the order
    /// kubectl gives priority by when a name matches in several groups).
    pub groups: Vec<ApiGroupResources>,
    /// The group/versions whose resources could not be read (client-go's
    /// `ErrGroupDiscoveryFailed`); their groups are still listed, without those versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedGroupVersion>,
}

/// One API group and its versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiGroupResources {
    /// `""` for the core group.
    pub name: String,
    /// The version the server prefers (`v1`).
    pub preferred_version: String,
    /// The versions read, the preferred one first.
    pub versions: Vec<ApiVersionResources>,
}

/// The resources of one group/version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiVersionResources {
    pub version: String,
    pub resources: Vec<ApiResource>,
}

/// One resource of a group/version (`apps/v1` `deployments`): what a dynamic client needs to
/// address it and what a mapper matches names against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApiResource {
    pub group: String,
    pub version: String,
    /// The kind of its objects (`Deployment`).
    pub kind: String,
    /// The name in URLs (`deployments`).
    pub plural: String,
    /// `deployment` (may be empty on servers older than 1.9).
    pub singular: String,
    pub namespaced: bool,
    /// `get`, `list`, `watch`, `create`, ...
    pub verbs: Vec<String>,
    /// `deploy`.
    pub short_names: Vec<String>,
    /// `all`.
    pub categories: Vec<String>,
    pub subresources: Vec<ApiSubresource>,
}

/// A subresource (`status`, `scale`, `log`) of a resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApiSubresource {
    /// `scale`.
    pub name: String,
    /// What it answers: `autoscaling/v1` `Scale` for `scale`, the resource's own kind for
    /// `status`.
    pub kind: GroupVersionKind,
    pub verbs: Vec<String>,
}

/// A group/version whose resources could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedGroupVersion {
    /// `batch/v1`, or `v1` for the core group.
    pub group_version: String,
    /// The error, as text.
    pub error: String,
}

impl ApiResource {
    /// The resource of a generated or derived type (no verbs or names beyond the plural:
    /// enough to address it with a dynamic client).
    pub fn of<T: Resource>() -> Self {
        ApiResource {
            group: T::GROUP.to_owned(),
            version: T::VERSION.to_owned(),
            kind: T::KIND.to_owned(),
            plural: T::PLURAL.to_owned(),
            namespaced: T::SCOPE == Scope::Namespaced,
            ..Default::default()
        }
    }

    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        self.group_version().to_string()
    }

    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }

    pub fn gvk(&self) -> GroupVersionKind {
        GroupVersionKind::new(&self.group, &self.version, &self.kind)
    }

    pub fn gvr(&self) -> GroupVersionResource {
        GroupVersionResource::new(&self.group, &self.version, &self.plural)
    }

    pub fn scope(&self) -> Scope {
        if self.namespaced {
            Scope::Namespaced
        } else {
            Scope::Cluster
        }
    }

    /// Whether the server allows `verb` (`list`, `watch`, ...) on it.
    pub fn supports(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }

    pub fn subresource(&self, name: &str) -> Option<&ApiSubresource> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// `deployments.apps`, `pods` for the core group: how kubectl names it.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

impl Discovery {
    pub fn group(&self, name: &str) -> Option<&ApiGroupResources> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The resources of one group/version, when it was read.
    pub fn resources_for(&self, gv: &GroupVersion) -> Option<&[ApiResource]> {
        let group = self.group(&gv.group)?;
        let version = group.versions.iter().find(|v| v.version == gv.version)?;
        Some(&version.resources)
    }

    /// Every resource of every version, groups in order, versions preferred first.
    pub fn resources(&self) -> impl Iterator<Item = &ApiResource> {
        self.groups
            .iter()
            .flat_map(|g| g.versions.iter())
            .flat_map(|v| v.resources.iter())
    }

    /// Each group's resources in the first version (preferred first) that has them: what
    /// `kubectl api-resources` lists.
    pub fn preferred_resources(&self) -> Vec<&ApiResource> {
        let mut out: Vec<&ApiResource> = Vec::new();
        for group in &self.groups {
            let mut seen: Vec<&str> = Vec::new();
            for version in &group.versions {
                for r in &version.resources {
                    if !seen.contains(&r.plural.as_str()) {
                        seen.push(&r.plural);
                        out.push(r);
                    }
                }
            }
        }
        out
    }

    /// `Err` naming every group/version that failed (client-go's `ErrGroupDiscoveryFailed`),
    /// `Ok` when discovery is complete.
    pub fn check(&self) -> Result<(), crate::Error> {
        if self.failed.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::GroupDiscoveryFailed {
                failed: self.failed.clone(),
            })
        }
    }
}

/// Resources from a legacy `APIResourceList` (`deployments/scale` entries nested under
/// `deployments`), for `group`/`version`.
pub(crate) fn from_resource_list(list: &APIResourceList, gv: &GroupVersion) -> Vec<ApiResource> {
    let mut out: Vec<ApiResource> = Vec::new();
    let (main, subs): (Vec<&APIResource>, Vec<&APIResource>) =
        list.resources.iter().partition(|r| !r.name.contains('/'));
    for r in main {
        out.push(ApiResource {
            group: gv.group.clone(),
            version: gv.version.clone(),
            kind: r.kind.clone(),
            plural: r.name.clone(),
            singular: r.singular_name.clone(),
            namespaced: r.namespaced,
            verbs: r.verbs.clone(),
            short_names: r.short_names.clone().unwrap_or_default(),
            categories: r.categories.clone().unwrap_or_default(),
            subresources: Vec::new(),
        });
    }
    for s in subs {
        let Some((parent, name)) = s.name.split_once('/') else {
            continue;
        };
        let Some(parent) = out.iter_mut().find(|r| r.plural == parent) else {
            continue;
        };
        parent.subresources.push(ApiSubresource {
            name: name.to_owned(),
            kind: GroupVersionKind::new(
                s.group.clone().unwrap_or_else(|| gv.group.clone()),
                s.version.clone().unwrap_or_else(|| gv.version.clone()),
                &s.kind,
            ),
            verbs: s.verbs.clone(),
        });
    }
    out
}
