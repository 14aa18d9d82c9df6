//! Quirks of the upstream Kubernetes specs, each a small named function saying why it is
//! needed: the spec says one thing, the server does another, and the model follows the server.

use crate::model::{ApiSet, Gvk, Payload, Ty};

/// Paths under `.../watch/...` are deprecated (since 1.11) in favour of `?watch=true` on the
/// list path; following both would give every resource a second, older watch.
pub(crate) fn is_deprecated_watch_path(path: &str) -> bool {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segs.as_slice(),
        ["api", _, "watch", ..] | ["apis", _, _, "watch", ..]
    )
}

/// `connect` operations (exec, attach, port-forward, proxy) put the *options* kind in their
/// path-level `x-kubernetes-group-version-kind` (`PodAttachOptions`, `NodeProxyOptions`),
/// not the object they act on, and the spec defines no schema for it: the kind only names
/// the parameters struct built from the operation's query parameters.
pub(crate) fn connect_gvk_names_options(gvk: &Gvk) -> Option<String> {
    gvk.kind.ends_with("Options").then(|| gvk.kind.clone())
}

/// A definition package that declares no kind in any input gets a group from its name; the
/// core types' package is named `core` but holds the core group, whose name is `""`.
pub(crate) fn package_group_without_kinds(package: &str, segment: &str) -> String {
    if package == "io.k8s.api.core.v1" || segment == "core" {
        return String::new();
    }
    segment.to_owned()
}

/// Runs every model-level fixup on a freshly lowered OpenAPI document.
pub(crate) fn apply(set: &mut ApiSet) {
    eviction_and_binding_answer_status(set);
}

/// `pods/eviction` and `pods/binding` are declared to answer with the `Eviction`/`Binding`
/// they were sent, but the server answers `201` with a `meta/v1` `Status`.
fn eviction_and_binding_answer_status(set: &mut ApiSet) {
    let Some(pods) = set
        .groups
        .get_mut("")
        .and_then(|g| g.versions.get_mut("v1"))
        .and_then(|v| v.resources.get_mut("pods"))
    else {
        return;
    };
    for name in ["eviction", "binding"] {
        if let Some(sub) = pods.subresources.get_mut(name) {
            sub.response = Payload::Object(Ty::Meta("Status".to_owned()));
        }
    }
}
