//! What each served resource is called in the generated Rust: its module, its accessors on
//! the `Clientset` and group client, its client type and the types it is made of. Computed by
//! the emitter's own naming code, for `client-gen inspect` and the generated crate's docs.

use std::collections::{BTreeSet, VecDeque};

use crate::emit::Emitter;
use crate::error::Error;
use crate::model::{ApiSet, ModuleKey, Scope, Ty, TypeId};
use crate::names;
use crate::settings::Settings;

/// The Rust names of one resource (`cert-manager.io/v1` `certificates`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceNames {
    /// `""` for the core group.
    pub group: String,
    pub version: String,
    pub plural: String,
    /// The module its types are in, from the crate root: `cert_manager::v1`.
    pub module: String,
    /// The object type, in `module` (`Certificate`); `None` when the input has no schema for
    /// it and its objects are untyped.
    pub object: Option<String>,
    /// The other types of `module` the object is made of, nearest first (`CertificateSpec`,
    /// `CertificateSpecPrivateKey`, ...).
    pub nested: Vec<String>,
    /// `None` when it gets no typed client (no `Resource` impl, or its kind is another
    /// resource's).
    pub client: Option<ClientNames>,
}

/// The names of a resource's typed client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientNames {
    /// The `Clientset` accessor of its group/version: `cert_manager_v1`.
    pub group_accessor: String,
    /// The accessor on the group client: `certificates`.
    pub accessor: String,
    /// Whether the accessor takes a namespace.
    pub namespaced: bool,
    /// `certificates_all_namespaces`, when it has one.
    pub all_namespaces: Option<String>,
    /// The client type, in `module`: `CertificateClient`.
    pub client: String,
}

impl ClientNames {
    /// The call that reaches it: `clientset.cert_manager_v1().certificates(namespace)`.
    pub fn call(&self) -> String {
        let arg = if self.namespaced { "namespace" } else { "" };
        format!(
            "clientset.{}().{}({arg})",
            self.group_accessor, self.accessor
        )
    }
}

/// The names of every resource of a finished model, in the model's order (groups, versions,
/// resources), as [`emit`](crate::emit::emit) with the same settings names them.
pub fn resource_names(set: &ApiSet, settings: &Settings) -> Result<Vec<ResourceNames>, Error> {
    let emitter = Emitter::new(set, settings)?;
    let mut out = Vec::new();
    for group in set.groups.values() {
        for version in group.versions.values() {
            let key = ModuleKey::new(&group.name, &version.name);
            let mut taken: BTreeSet<String> = set
                .types
                .values()
                .filter(|d| d.module == key)
                .map(|d| d.rust_name.clone())
                .collect();
            taken.insert(emitter.group_client_name(&group.name, &version.name));
            let clients = if settings.clients {
                emitter.named_clients(version, &taken)
            } else {
                Vec::new()
            };
            for r in version.resources.values() {
                let client = clients
                    .iter()
                    .find(|c| std::ptr::eq(c.resource, r))
                    .map(|c| ClientNames {
                        group_accessor: format!(
                            "{}_{}",
                            emitter.group_module(&group.name),
                            names::version_module(&version.name)
                        ),
                        accessor: c.accessor.clone(),
                        namespaced: r.scope == Scope::Namespaced,
                        all_namespaces: c.all_namespaces.clone(),
                        client: c.client.clone(),
                    });
                let (object, nested) = match &r.object {
                    Ty::Named(id) => (
                        set.types.get(id).map(|d| d.rust_name.clone()),
                        nested_types(set, id),
                    ),
                    _ => (None, Vec::new()),
                };
                out.push(ResourceNames {
                    group: group.name.clone(),
                    version: version.name.clone(),
                    plural: r.plural.clone(),
                    module: emitter.module_path(&key).join("::"),
                    object,
                    nested,
                    client,
                });
            }
        }
    }
    Ok(out)
}

/// The types of `root`'s module that `root` refers to, directly or through each other,
/// breadth first (each once, `root` not among them).
fn nested_types(set: &ApiSet, root: &TypeId) -> Vec<String> {
    let Some(def) = set.types.get(root) else {
        return Vec::new();
    };
    let module = &def.module;
    let mut seen = BTreeSet::from([root.clone()]);
    let mut queue = VecDeque::from([root.clone()]);
    let mut out = Vec::new();
    while let Some(id) = queue.pop_front() {
        let Some(def) = set.types.get(&id) else {
            continue;
        };
        for next in def.references() {
            let Some(next_def) = set.types.get(&next) else {
                continue;
            };
            if next_def.module == *module && seen.insert(next.clone()) {
                out.push(next_def.rust_name.clone());
                queue.push_back(next);
            }
        }
    }
    out
}

/// The generated crate's doc (`lib.rs`), one line per item: what the crate is and an example
/// call on one of its own resources (core/v1 pods when it has them), so the docs never show a
/// call the crate lacks.
pub(crate) fn crate_doc(set: &ApiSet, settings: &Settings) -> Result<Vec<String>, Error> {
    if set.groups.is_empty() && !set.plain.is_empty() {
        // No Kubernetes group, so no Clientset (see `clientset`): say what the crate is.
        return Ok(vec![
            " API types and clients generated by client-gen from plain OpenAPI documents"
                .to_owned(),
            " (not Kubernetes API groups): one module per API, each client on rest-core's"
                .to_owned(),
            " `RestClient`.".to_owned(),
        ]);
    }
    let mut lines = vec![
        " API types and typed clients, generated by client-gen: one module per API group"
            .to_owned(),
        " and version (with feature gates, one Cargo feature per group), and a `Clientset`"
            .to_owned(),
        " whose clients all share one `RestClient`.".to_owned(),
    ];
    let all = resource_names(set, settings)?;
    let lists = |n: &&ResourceNames| {
        set.groups
            .get(&n.group)
            .and_then(|g| g.versions.get(&n.version))
            .and_then(|v| v.resources.values().find(|r| r.plural == n.plural))
            .is_some_and(|r| r.verbs.contains(&crate::model::Verb::List))
    };
    let listable: Vec<&ResourceNames> = all
        .iter()
        .filter(|n| n.client.is_some() && n.object.is_some())
        .filter(lists)
        .collect();
    let example = listable
        .iter()
        .find(|n| n.group.is_empty() && n.version == "v1" && n.plural == "pods")
        .or(listable.first());
    let (Some(example), Some(client)) = (example, example.and_then(|n| n.client.as_ref())) else {
        return Ok(lines);
    };
    let object = example.object.as_deref().unwrap_or_default();
    let namespace = if client.namespaced { "\"default\"" } else { "" };
    let feature = if settings.feature_gates {
        format!(
            ", Cargo feature `{}`",
            Emitter::new(set, settings)?.group_module(&example.group)
        )
    } else {
        String::new()
    };
    lines.extend([
        String::new(),
        " ```ignore".to_owned(),
        " let clientset = Clientset::for_config(&rest_core::Config::infer()?)?;".to_owned(),
        " let opts = rest_core::meta::ListOptions { limit: Some(500), ..Default::default() };"
            .to_owned(),
        format!(
            " let {} = clientset.{}().{}({namespace}).list(&opts).await?;",
            names::snake(&example.plural.replace('-', "_")),
            client.group_accessor,
            client.accessor
        ),
        " ```".to_owned(),
        String::new(),
        format!(
            " Types are `<group>::<version>::<Kind>` (here `{}::{object}`{feature});",
            example.module
        ),
        " each resource's client has exactly the verbs its input allows. `client-gen inspect`"
            .to_owned(),
        " prints every resource's module, accessors and types.".to_owned(),
    ]);
    Ok(lines)
}
