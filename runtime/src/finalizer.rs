//! The finalizer helper (kube-runtime's `finalizer`): adds the finalizer before the first
//! apply, runs cleanup once `deletionTimestamp` is set, then removes it; every patch is
//! conflict-safe (a JSON patch whose `test` op fails if someone else changed the list).

use std::future::Future;
use std::sync::Arc;

use rest_core::meta::{Patch, PatchOptions};
use rest_core::{Resource, ResourceClient, RestClient, Scope};
use serde_json::json;

use crate::controller::Action;

/// What the reconcile is asked to do for an object carrying the finalizer.
#[derive(Debug)]
pub enum Event<K> {
    /// The object is live: bring the world in line with it.
    Apply(Arc<K>),
    /// The object is being deleted: release what it holds; the finalizer goes on success.
    Cleanup(Arc<K>),
}

/// Why the finalizer helper failed.
#[derive(Debug, thiserror::Error)]
pub enum FinalizerError<E: std::error::Error + 'static> {
    #[error("apply of {object} failed: {source}")]
    Apply { object: String, source: E },
    #[error("cleanup of {object} failed: {source}")]
    Cleanup { object: String, source: E },
    #[error(
        "adding finalizer {finalizer} to {object} failed (retried on the next change): {source}"
    )]
    AddFinalizer {
        object: String,
        finalizer: String,
        source: rest_core::Error,
    },
    #[error("removing finalizer {finalizer} from {object} failed (retried on the next change): {source}")]
    RemoveFinalizer {
        object: String,
        finalizer: String,
        source: rest_core::Error,
    },
    #[error("{KIND} object has no name: a finalizer needs metadata.name", KIND = .0)]
    UnnamedObject(&'static str),
}

/// Runs `reconcile` for `obj` under the finalizer `name` (a qualified name such as
/// `example.com/cleanup`).
///
/// - live without the finalizer: adds it and answers `Action::Done` (the patch is itself a
///   change, so the object comes back with it);
/// - live with it: `reconcile(Event::Apply)`;
/// - being deleted with it: `reconcile(Event::Cleanup)`, then removes it, letting the
///   server finish the delete;
/// - being deleted without it: nothing to do.
pub async fn finalizer<K, F, Fut, E>(
    client: &RestClient,
    name: &str,
    obj: Arc<K>,
    reconcile: F,
) -> Result<Action, FinalizerError<E>>
where
    K: Resource,
    F: FnOnce(Event<K>) -> Fut,
    Fut: Future<Output = Result<Action, E>>,
    E: std::error::Error + 'static,
{
    let meta = obj.metadata();
    let object = describe::<K>(&obj);
    let Some(obj_name) = meta.name.clone() else {
        return Err(FinalizerError::UnnamedObject(K::KIND));
    };
    let finalizers = meta.finalizers.clone().unwrap_or_default();
    let position = finalizers.iter().position(|f| f == name);
    let deleting = meta.deletion_timestamp.is_some();
    let api = client_for::<K>(client, meta.namespace.as_deref());
    match (position, deleting) {
        (Some(_), false) => reconcile(Event::Apply(obj))
            .await
            .map_err(|source| FinalizerError::Apply { object, source }),
        (Some(index), true) => {
            let action =
                reconcile(Event::Cleanup(obj))
                    .await
                    .map_err(|source| FinalizerError::Cleanup {
                        object: object.clone(),
                        source,
                    })?;
            // Remove our entry only if it is still where we saw it.
            let path = format!("/metadata/finalizers/{index}");
            let patch = Patch::<()>::Json(json!([
                {"op": "test", "path": path, "value": name},
                {"op": "remove", "path": path},
            ]));
            match api.patch(&obj_name, &patch, &PatchOptions::default()).await {
                Ok(_) => Ok(action),
                // Already gone: someone finished the delete, which is what we wanted.
                Err(e) if e.is_not_found() => Ok(action),
                Err(source) => Err(FinalizerError::RemoveFinalizer {
                    object,
                    finalizer: name.to_owned(),
                    source,
                }),
            }
        }
        (None, false) => {
            // Appended only if the list (or, with no list, the whole object) is unchanged
            // since it was read.
            let patch = if finalizers.is_empty() {
                let version = meta.resource_version.clone().unwrap_or_default();
                json!([
                    {"op": "test", "path": "/metadata/resourceVersion", "value": version},
                    {"op": "add", "path": "/metadata/finalizers", "value": [name]},
                ])
            } else {
                json!([
                    {"op": "test", "path": "/metadata/finalizers", "value": finalizers},
                    {"op": "add", "path": "/metadata/finalizers/-", "value": name},
                ])
            };
            api.patch(
                &obj_name,
                &Patch::<()>::Json(patch),
                &PatchOptions::default(),
            )
            .await
            .map(|_| Action::Done)
            .map_err(|source| FinalizerError::AddFinalizer {
                object,
                finalizer: name.to_owned(),
                source,
            })
        }
        (None, true) => Ok(Action::Done),
    }
}

/// A typed client for the namespace (or cluster scope) an object lives in.
pub(crate) fn client_for<K: Resource>(
    client: &RestClient,
    namespace: Option<&str>,
) -> ResourceClient<K> {
    match K::SCOPE {
        Scope::Namespaced => ResourceClient::namespaced(client, namespace.unwrap_or("default")),
        Scope::Cluster => ResourceClient::cluster(client),
    }
}

/// `Kind namespace/name` for messages.
pub(crate) fn describe<K: Resource>(obj: &K) -> String {
    let meta = obj.metadata();
    let name = meta.name.as_deref().unwrap_or("<unnamed>");
    match meta.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => format!("{} {ns}/{name}", K::KIND),
        _ => format!("{} {name}", K::KIND),
    }
}
