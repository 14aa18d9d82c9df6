//! Aggregated discovery (`apidiscovery.k8s.io` v2 and v2beta1, one `APIGroupDiscoveryList`
//! for `/api` and one for `/apis`) and its lowering into [`Discovery`](super::Discovery).

use serde::{Deserialize, Serialize};

use super::model::{
    ApiGroupResources, ApiResource, ApiSubresource, ApiVersionResources, FailedGroupVersion,
};
use crate::gvk::GroupVersionKind;
use crate::meta::ObjectMeta;

/// What `/api` and `/apis` are asked for: aggregated v2, then v2beta1 (servers 1.26-1.29),
/// then the legacy documents, as client-go asks.
pub const ACCEPT: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

/// Whether a response's content type is an aggregated discovery document.
pub(crate) fn is_aggregated(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .any(|p| p.trim().eq_ignore_ascii_case("as=APIGroupDiscoveryList"))
    })
}

/// `APIGroupDiscoveryList`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct APIGroupDiscoveryList {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub items: Vec<APIGroupDiscovery>,
}

/// One group: its name in `metadata.name` (empty for the core group), versions preferred first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct APIGroupDiscovery {
    pub metadata: ObjectMeta,
    pub versions: Vec<APIVersionDiscovery>,
}

/// One version of a group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct APIVersionDiscovery {
    pub version: String,
    pub resources: Vec<APIResourceDiscovery>,
    /// `Current`, or `Stale` when the server could not refresh it (an aggregated API down).
    pub freshness: Option<String>,
}

/// One resource of a version, its subresources nested.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct APIResourceDiscovery {
    pub resource: String,
    /// Empty group and version mean the version's own.
    pub response_kind: Option<GroupVersionKind>,
    /// `Namespaced` or `Cluster`.
    pub scope: String,
    pub singular_resource: String,
    pub verbs: Vec<String>,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub subresources: Vec<APISubresourceDiscovery>,
}

/// One subresource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct APISubresourceDiscovery {
    pub subresource: String,
    pub response_kind: Option<GroupVersionKind>,
    pub verbs: Vec<String>,
}

/// A response kind with the version's own group and version filled in where empty.
fn kind_in(kind: Option<&GroupVersionKind>, group: &str, version: &str) -> GroupVersionKind {
    let kind = kind.cloned().unwrap_or_default();
    if kind.group.is_empty() && kind.version.is_empty() {
        GroupVersionKind::new(group, version, kind.kind)
    } else {
        kind
    }
}

/// The groups of one list, and the group/versions it marks `Stale` (as client-go reports
/// them: `stale GroupVersion discovery: <gv>`).
pub(crate) fn lower(
    list: APIGroupDiscoveryList,
) -> (Vec<ApiGroupResources>, Vec<FailedGroupVersion>) {
    let mut groups = Vec::new();
    let mut failed = Vec::new();
    for item in list.items {
        let name = item.metadata.name.unwrap_or_default();
        let preferred_version = item
            .versions
            .first()
            .map(|v| v.version.clone())
            .unwrap_or_default();
        let mut versions = Vec::new();
        for v in item.versions {
            let gv = crate::config::GroupVersion::new(&name, &v.version);
            if v.freshness.as_deref() == Some("Stale") {
                failed.push(FailedGroupVersion {
                    group_version: gv.to_string(),
                    error: format!("stale GroupVersion discovery: {gv}"),
                });
                continue;
            }
            let resources = v
                .resources
                .into_iter()
                .map(|r| ApiResource {
                    group: name.clone(),
                    version: v.version.clone(),
                    kind: kind_in(r.response_kind.as_ref(), &name, &v.version).kind,
                    plural: r.resource,
                    singular: r.singular_resource,
                    namespaced: r.scope == "Namespaced",
                    verbs: r.verbs,
                    short_names: r.short_names,
                    categories: r.categories,
                    subresources: r
                        .subresources
                        .into_iter()
                        .map(|s| ApiSubresource {
                            kind: kind_in(s.response_kind.as_ref(), &name, &v.version),
                            name: s.subresource,
                            verbs: s.verbs,
                        })
                        .collect(),
                })
                .collect();
            versions.push(ApiVersionResources {
                version: v.version,
                resources,
            });
        }
        groups.push(ApiGroupResources {
            name,
            preferred_version,
            versions,
        });
    }
    (groups, failed)
}
