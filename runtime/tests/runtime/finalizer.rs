//! The finalizer helper against the fixture API server: the finalizer added before the first
//! apply, cleanup on deletion then the object gone, and patches that fail rather than clobber
//! when someone else changed the finalizers in between.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::support::{server, ConfigMap};
use rest_core::meta::{CreateOptions, DeleteOptions, GetOptions, Patch, PatchOptions};
use rest_core::ResourceClient;
use rest_runtime::finalizer::{Event, FinalizerError};
use rest_runtime::{finalizer, Action};
use serde_json::json;

const NAME: &str = "example.com/cleanup";

#[derive(Debug, thiserror::Error)]
#[error("reconcile failed")]
struct Failed;

async fn get(api: &ResourceClient<ConfigMap>, name: &str) -> Option<ConfigMap> {
    match api.get(name, &GetOptions::default()).await {
        Ok(o) => Some(o),
        Err(e) if e.is_not_found() => None,
        Err(e) => panic!("get {name}: {e}"),
    }
}

#[tokio::test]
async fn adds_applies_cleans_up_and_lets_the_delete_finish() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let created = api
        .create(
            &ConfigMap::new("app", &[("k", "v")]),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    let applies = AtomicUsize::new(0);
    let cleanups = AtomicUsize::new(0);
    let run = |obj: ConfigMap| {
        let (applies, cleanups, client) = (&applies, &cleanups, client.clone());
        async move {
            finalizer(&client, NAME, Arc::new(obj), |event| async move {
                match event {
                    Event::Apply(_) => applies.fetch_add(1, Ordering::SeqCst),
                    Event::Cleanup(_) => cleanups.fetch_add(1, Ordering::SeqCst),
                };
                Ok::<_, Failed>(Action::Done)
            })
            .await
        }
    };

    // First sight: only the finalizer is added.
    assert_eq!(run(created).await.unwrap(), Action::Done);
    let live = get(&api, "app").await.unwrap();
    assert_eq!(live.metadata.finalizers, Some(vec![NAME.to_owned()]));
    assert_eq!(applies.load(Ordering::SeqCst), 0);

    run(live.clone()).await.unwrap();
    assert_eq!(applies.load(Ordering::SeqCst), 1);

    // Deleted: held by the finalizer until cleanup ran.
    api.delete("app", &DeleteOptions::default()).await.unwrap();
    let deleting = get(&api, "app").await.expect("held by the finalizer");
    assert!(deleting.metadata.deletion_timestamp.is_some());
    run(deleting).await.unwrap();
    assert_eq!(cleanups.load(Ordering::SeqCst), 1);
    assert_eq!(
        get(&api, "app").await,
        None,
        "gone once the finalizer is removed"
    );
}

#[tokio::test]
async fn a_finalizer_list_changed_since_it_was_read_fails_the_patch_instead_of_clobbering_it() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let stale = api
        .create(&ConfigMap::new("app", &[]), &CreateOptions::default())
        .await
        .unwrap();
    // Someone else adds theirs after we read the object.
    let other = json!({"metadata": {"finalizers": ["other.io/keep"]}});
    api.patch("app", &Patch::Merge(other), &PatchOptions::default())
        .await
        .unwrap();
    let never = |_: Event<ConfigMap>| async { Ok::<_, Failed>(Action::Done) };
    let err = finalizer(&client, NAME, Arc::new(stale), never)
        .await
        .unwrap_err();
    assert!(matches!(err, FinalizerError::AddFinalizer { .. }), "{err}");
    assert!(err.to_string().contains("ConfigMap default/app"), "{err}");
    assert_eq!(
        get(&api, "app").await.unwrap().metadata.finalizers,
        Some(vec!["other.io/keep".to_owned()])
    );

    // With the fresh object it appends, keeping theirs.
    let fresh = get(&api, "app").await.unwrap();
    finalizer(&client, NAME, Arc::new(fresh), never)
        .await
        .unwrap();
    let both = get(&api, "app").await.unwrap();
    assert_eq!(
        both.metadata.finalizers,
        Some(vec!["other.io/keep".to_owned(), NAME.to_owned()])
    );

    // Deleting; the other finalizer goes first, moving ours to index 0: our stale view
    // (ours at index 1) must not remove the wrong entry.
    api.delete("app", &DeleteOptions::default()).await.unwrap();
    let deleting = get(&api, "app").await.unwrap();
    let drop_other = json!([{"op": "remove", "path": "/metadata/finalizers/0"}]);
    api.patch(
        "app",
        &Patch::<()>::Json(drop_other),
        &PatchOptions::default(),
    )
    .await
    .unwrap();
    let err = finalizer(&client, NAME, Arc::new(deleting), never)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FinalizerError::RemoveFinalizer { .. }),
        "{err}"
    );
    let still = get(&api, "app").await.unwrap();
    assert_eq!(still.metadata.finalizers, Some(vec![NAME.to_owned()]));
    finalizer(&client, NAME, Arc::new(still), never)
        .await
        .unwrap();
    assert_eq!(get(&api, "app").await, None);
}

#[tokio::test]
async fn a_failed_cleanup_keeps_the_finalizer() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let mut cm = ConfigMap::new("app", &[]);
    cm.metadata.finalizers = Some(vec![NAME.to_owned()]);
    api.create(&cm, &CreateOptions::default()).await.unwrap();
    api.delete("app", &DeleteOptions::default()).await.unwrap();
    let deleting = get(&api, "app").await.unwrap();
    let err = finalizer(&client, NAME, Arc::new(deleting), |_| async {
        Err::<Action, _>(Failed)
    })
    .await
    .unwrap_err();
    assert!(matches!(err, FinalizerError::Cleanup { .. }), "{err}");
    assert!(get(&api, "app").await.is_some());
}
