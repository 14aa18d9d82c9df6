//! Allow-lists: generate only the groups, versions and resources asked for, plus every type
//! they use (wherever it lives), so three resources compile as three resources' worth of code.

use std::collections::BTreeSet;

use crate::error::Error;
use crate::model::{ApiSet, Gvk, Payload, Resource, TypeId};

/// One allow-list entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// Every resource of a group (`""` is the core group).
    Group(String),
    /// Every resource of one group version.
    Version { group: String, version: String },
    /// One resource: in one version, every version (`None`), and any group (`None`).
    Resource {
        group: Option<String>,
        version: Option<String>,
        plural: String,
    },
}

impl Entry {
    /// A group: `apps`, `cert-manager.io`, `core` (or `""`) for the core group.
    pub fn group(text: &str) -> Entry {
        Entry::Group(core_alias(text))
    }

    /// A group version: `apps/v1`, `v1` or `core/v1` for the core group.
    pub fn version(text: &str) -> Result<Entry, Error> {
        let (group, version) = match text.split_once('/') {
            Some((g, v)) => (core_alias(g), v.to_owned()),
            None => (String::new(), text.to_owned()),
        };
        if version.is_empty() || version.contains('/') {
            return Err(bad(
                text,
                "expected GROUP/VERSION (apps/v1), or v1 for the core group",
            ));
        }
        Ok(Entry::Version { group, version })
    }

    /// A resource: `apps/v1/deployments`, `core/v1/pods` (or `v1/pods`), `deployments.apps`
    /// (every version), or a bare plural (`certificates`: in every group that has it).
    pub fn resource(text: &str) -> Result<Entry, Error> {
        let parts: Vec<&str> = text.split('/').collect();
        let entry =
            match parts.as_slice() {
                [g, v, plural] => Entry::Resource {
                    group: Some(core_alias(g)),
                    version: Some((*v).to_owned()),
                    plural: (*plural).to_owned(),
                },
                [v, plural] => Entry::Resource {
                    group: Some(String::new()),
                    version: Some((*v).to_owned()),
                    plural: (*plural).to_owned(),
                },
                [name] => match name.split_once('.') {
                    Some((plural, group)) => Entry::Resource {
                        group: Some(group.to_owned()),
                        version: None,
                        plural: plural.to_owned(),
                    },
                    None => Entry::Resource {
                        group: None,
                        version: None,
                        plural: (*name).to_owned(),
                    },
                },
                _ => return Err(bad(
                    text,
                    "expected GROUP/VERSION/PLURAL (apps/v1/deployments), PLURAL.GROUP or PLURAL",
                )),
            };
        match &entry {
            Entry::Resource {
                plural, version, ..
            } if plural.is_empty() || version.as_deref() == Some("") => {
                Err(bad(text, "an empty version or plural"))
            }
            _ => Ok(entry),
        }
    }

    fn matches(&self, group: &str, version: &str, plural: &str) -> bool {
        match self {
            Entry::Group(g) => g == group,
            Entry::Version {
                group: g,
                version: v,
            } => g == group && v == version,
            Entry::Resource {
                group: g,
                version: v,
                plural: p,
            } => {
                p == plural
                    && g.as_deref().is_none_or(|g| g == group)
                    && v.as_deref().is_none_or(|v| v == version)
            }
        }
    }

    /// How the entry is written (for errors).
    pub fn text(&self) -> String {
        let group = |g: &str| {
            if g.is_empty() {
                "core".to_owned()
            } else {
                g.to_owned()
            }
        };
        match self {
            Entry::Group(g) => group(g),
            Entry::Version { group: g, version } => format!("{}/{version}", group(g)),
            Entry::Resource {
                group: g,
                version,
                plural,
            } => match (g, version) {
                (Some(g), Some(v)) => format!("{}/{v}/{plural}", group(g)),
                (Some(g), None) => format!("{plural}.{}", group(g)),
                _ => plural.clone(),
            },
        }
    }
}

fn core_alias(group: &str) -> String {
    if group == "core" {
        String::new()
    } else {
        group.to_owned()
    }
}

fn bad(entry: &str, message: &str) -> Error {
    Error::Select {
        entry: entry.to_owned(),
        message: message.to_owned(),
    }
}

/// Which resources to generate; empty means everything the inputs describe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub entries: Vec<Entry>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keeps the selected resources and the types they use; everything else goes. An entry
    /// that selects nothing is an error naming what the inputs do serve.
    pub fn apply(&self, set: &mut ApiSet) -> Result<(), Error> {
        if self.is_empty() {
            return Ok(());
        }
        for entry in &self.entries {
            let hit = set
                .resources()
                .any(|(g, v, r)| entry.matches(&g.name, &v.name, &r.plural));
            if !hit {
                return Err(Error::Select {
                    entry: entry.text(),
                    message: nothing_selected(set, entry),
                });
            }
        }
        for group in set.groups.values_mut() {
            let g = group.name.clone();
            for version in group.versions.values_mut() {
                let v = version.name.clone();
                version
                    .resources
                    .retain(|plural, _| self.entries.iter().any(|e| e.matches(&g, &v, plural)));
            }
            group.versions.retain(|_, v| !v.resources.is_empty());
        }
        set.groups.retain(|_, g| !g.versions.is_empty());
        // A whole group keeps all of its types, used by its resources or not (another
        // group's types may use them: `generated-core` is the core group for `generated`).
        let whole: BTreeSet<&String> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Group(g) => Some(g),
                _ => None,
            })
            .collect();
        let extra: Vec<TypeId> = set
            .types
            .values()
            .filter(|d| whole.contains(&d.module.group))
            .map(|d| d.id.clone())
            .collect();
        let used = used_types(set, extra);
        set.types.retain(|id, _| used.contains(id));
        Ok(())
    }
}

/// Why an entry selected nothing, in terms of what is there.
fn nothing_selected(set: &ApiSet, entry: &Entry) -> String {
    let shown = |g: &str| {
        if g.is_empty() {
            "core".to_owned()
        } else {
            g.to_owned()
        }
    };
    let groups: Vec<String> = set.groups.keys().map(|g| shown(g)).collect();
    let group = match entry {
        Entry::Group(g) | Entry::Version { group: g, .. } => Some(g),
        Entry::Resource { group, .. } => group.as_ref(),
    };
    let Some(group) = group else {
        let plurals: BTreeSet<String> = set
            .resources()
            .map(|(g, _, r)| match g.name.as_str() {
                "" => r.plural.clone(),
                name => format!("{}.{name}", r.plural),
            })
            .collect();
        let plural = match entry {
            Entry::Resource { plural, .. } => plural.as_str(),
            _ => "",
        };
        let bare = set.resources().map(|(_, _, r)| r.plural.as_str());
        return format!(
            "no input serves a resource of that plural{} (resources: {})",
            did_you_mean(plural, bare),
            plurals.into_iter().collect::<Vec<_>>().join(", ")
        );
    };
    let Some(g) = set.groups.get(group) else {
        let names = groups.iter().map(String::as_str);
        return format!(
            "no input describes group {}{} (groups: {})",
            shown(group),
            did_you_mean(group, names),
            groups.join(", ")
        );
    };
    let versions: Vec<&str> = g.versions.keys().map(String::as_str).collect();
    match entry {
        Entry::Version { version, .. }
        | Entry::Resource {
            version: Some(version),
            ..
        } if !g.versions.contains_key(version) => format!(
            "{} serves {}, not {version}{} (versions that are not served are not generated)",
            shown(group),
            versions.join(", "),
            did_you_mean(version, versions.iter().copied())
        ),
        _ => {
            let plurals: BTreeSet<&str> = g
                .versions
                .values()
                .flat_map(|v| v.resources.keys().map(String::as_str))
                .collect();
            let plural = match entry {
                Entry::Resource { plural, .. } => plural.as_str(),
                _ => "",
            };
            format!(
                "{} has no such resource{} (resources: {})",
                shown(group),
                did_you_mean(plural, plurals.iter().copied()),
                plurals.iter().copied().collect::<Vec<_>>().join(", ")
            )
        }
    }
}

/// `: did you mean X?` when one of `names` is a slip away from `name`, else nothing.
fn did_you_mean<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    match crate::text::closest(name, names) {
        Some(near) if near != name => format!(": did you mean {near}?"),
        _ => String::new(),
    }
}

/// The types the remaining resources and `extra` use, transitively, and their list aliases.
fn used_types(set: &ApiSet, extra: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut todo: Vec<TypeId> = extra;
    let mut lists = BTreeSet::new();
    for (g, v, r) in set.resources() {
        roots(r, &mut todo);
        if let Some(list_kind) = &r.list_kind {
            lists.insert(Gvk {
                group: g.name.clone(),
                version: v.name.clone(),
                kind: list_kind.clone(),
            });
        }
    }
    for def in set.types.values() {
        if def.gvk.as_ref().is_some_and(|gvk| lists.contains(gvk)) {
            todo.push(def.id.clone());
        }
    }
    let mut used = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if !used.insert(id.clone()) {
            continue;
        }
        if let Some(def) = set.types.get(&id) {
            todo.extend(def.references());
        }
    }
    used
}

/// The definitions a resource's calls name directly.
fn roots(r: &Resource, out: &mut Vec<TypeId>) {
    let mut add = |id: &TypeId| out.push(id.clone());
    r.object.visit_named(&mut add);
    for sub in r.subresources.values() {
        for ty in sub.request.iter().chain(sub.params.iter()) {
            ty.visit_named(&mut add);
        }
        if let Payload::Object(ty) = &sub.response {
            ty.visit_named(&mut add);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_in_every_spelling() {
        assert_eq!(Entry::group("core"), Entry::Group(String::new()));
        assert_eq!(
            Entry::version("v1").unwrap(),
            Entry::Version {
                group: String::new(),
                version: "v1".into()
            }
        );
        assert_eq!(
            Entry::resource("deployments.apps").unwrap(),
            Entry::Resource {
                group: Some("apps".into()),
                version: None,
                plural: "deployments".into()
            }
        );
        assert_eq!(
            Entry::resource("core/v1/pods").unwrap().text(),
            "core/v1/pods"
        );
        assert!(Entry::resource("a/b/c/d").is_err());
        assert!(Entry::version("apps/").is_err());
    }
}
