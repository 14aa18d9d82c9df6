//! `RestMapper`: names to resources and kinds, from discovery (client-go's `restmapper`
//! plus kubectl's short-name and category expansion), resolving names as `kubectl get` does.

use crate::discovery::{ApiResource, Discovery};
use crate::gvk::{GroupVersionKind, GroupVersionResource};

/// Why a name did not resolve to one resource.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// Nothing the server serves has this name (kubectl's message).
    #[error("the server doesn't have a resource type {input:?}")]
    NotFound { input: String },
    /// The name matches several resources; say which one with `<resource>.<group>`.
    #[error("{input:?} is ambiguous: it matches {}; name one as <resource>.<group>", .candidates.join(", "))]
    Ambiguous {
        input: String,
        /// `widgets.a.example.com`, ...
        candidates: Vec<String>,
    },
    /// No served resource has this kind in this group/version (client-go's `NoKindMatchError`).
    #[error("no matches for kind {kind:?} in version {api_version:?}")]
    NoKind { kind: String, api_version: String },
    /// No served resource has this group/version/resource.
    #[error("no matches for {gvr}")]
    NoResource { gvr: GroupVersionResource },
}

/// How a name matched a resource, best first: kubectl tries plural and singular names, then
/// short names (its shortcut expander), then kinds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Name,
    ShortName,
    Kind,
}

/// Resources indexed for name lookups; built from one [`Discovery`] (cheap to rebuild).
#[derive(Clone, Debug, Default)]
pub struct RestMapper {
    /// Groups in discovery order, versions preferred first: the priority kubectl gives.
    resources: Vec<ApiResource>,
}

impl RestMapper {
    pub fn new(discovery: &Discovery) -> RestMapper {
        RestMapper {
            resources: discovery.resources().cloned().collect(),
        }
    }

    /// Resolves what `kubectl get <arg>` accepts: `pods`, `pod`, `po`, `Pod`,
    /// `deployments.apps`, `deployments.v1.apps`, `Deployment.apps`, a CRD's names, or a
    /// category (`all`), which gives every resource in it (preferred versions).
    pub fn resources_for(&self, arg: &str) -> Result<Vec<ApiResource>, MappingError> {
        let category = arg.to_ascii_lowercase();
        if !category.contains('.') {
            let mut found: Vec<ApiResource> = Vec::new();
            for r in &self.resources {
                let listed = found
                    .iter()
                    .any(|f| f.group == r.group && f.plural == r.plural);
                if !listed && r.categories.contains(&category) {
                    found.push(r.clone());
                }
            }
            if !found.is_empty() {
                return Ok(found);
            }
        }
        self.resource_for(arg).map(|r| vec![r])
    }

    /// Resolves a name that must mean one resource (a category is not one).
    ///
    /// The group's preferred version is taken unless the name gives one. A plural, singular
    /// or kind served by several groups resolves to the first group in discovery order (the
    /// core group, then the built-ins), as kubectl's priority does; a short name matching
    /// resources of several groups is reported ambiguous with the candidates (kubectl only
    /// warns and takes the first).
    pub fn resource_for(&self, arg: &str) -> Result<ApiResource, MappingError> {
        let lower = arg.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('.').collect();
        let name = parts[0];
        // `<name>.<version>.<group>` first, then `<name>.<group>` (a group may have dots).
        let mut forms: Vec<(Option<&str>, Option<String>)> = Vec::new();
        if parts.len() >= 3 {
            forms.push((Some(parts[1]), Some(parts[2..].join("."))));
        }
        if parts.len() >= 2 {
            forms.push((None, Some(parts[1..].join("."))));
        } else {
            forms.push((None, None));
        }
        for (version, group) in forms {
            if let Some(found) = self.find(arg, name, version, group.as_deref())? {
                return Ok(found);
            }
        }
        Err(MappingError::NotFound {
            input: arg.to_owned(),
        })
    }

    fn find(
        &self,
        input: &str,
        name: &str,
        version: Option<&str>,
        group: Option<&str>,
    ) -> Result<Option<ApiResource>, MappingError> {
        let matched = |r: &ApiResource| -> Option<Match> {
            if r.plural == name || r.singular == name {
                Some(Match::Name)
            } else if r.short_names.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                Some(Match::ShortName)
            } else if r.kind.eq_ignore_ascii_case(name) {
                Some(Match::Kind)
            } else {
                None
            }
        };
        let candidates: Vec<(Match, &ApiResource)> = self
            .resources
            .iter()
            .filter(|r| group.is_none_or(|g| r.group == g))
            .filter(|r| version.is_none_or(|v| r.version == v))
            .filter_map(|r| matched(r).map(|m| (m, r)))
            .collect();
        let Some(best) = candidates.iter().map(|(m, _)| *m).min() else {
            return Ok(None);
        };
        // One per group and resource: the first version, which is the preferred one.
        let mut picked: Vec<&ApiResource> = Vec::new();
        for (_, r) in candidates.iter().filter(|(m, _)| *m == best) {
            if !picked
                .iter()
                .any(|p| p.group == r.group && p.plural == r.plural)
            {
                picked.push(r);
            }
        }
        if best == Match::ShortName && picked.len() > 1 {
            return Err(MappingError::Ambiguous {
                input: input.to_owned(),
                candidates: picked.iter().map(|r| r.group_resource()).collect(),
            });
        }
        Ok(picked.first().map(|r| (*r).clone()))
    }

    /// The kind served at a group/version/resource (client-go's `KindFor`); an empty version
    /// means the group's preferred one.
    pub fn kind_for(&self, gvr: &GroupVersionResource) -> Result<GroupVersionKind, MappingError> {
        self.resources
            .iter()
            .find(|r| {
                r.group == gvr.group
                    && (gvr.version.is_empty() || r.version == gvr.version)
                    && (r.plural == gvr.resource || r.singular == gvr.resource)
            })
            .map(ApiResource::gvk)
            .ok_or_else(|| MappingError::NoResource { gvr: gvr.clone() })
    }

    /// The resource serving a kind (client-go's `RESTMapping`); an empty version means the
    /// group's preferred one.
    pub fn resource_for_kind(&self, gvk: &GroupVersionKind) -> Result<ApiResource, MappingError> {
        self.resources
            .iter()
            .find(|r| {
                r.group == gvk.group
                    && (gvk.version.is_empty() || r.version == gvk.version)
                    && r.kind == gvk.kind
            })
            .cloned()
            .ok_or_else(|| MappingError::NoKind {
                kind: gvk.kind.clone(),
                api_version: gvk.api_version(),
            })
    }

    /// Every resource known, groups in discovery order, versions preferred first.
    pub fn resources(&self) -> &[ApiResource] {
        &self.resources
    }
}
