//! `await_condition` against the fixture API server: it sees the change that makes the
//! condition hold, sees deletion, and gives up with a clear error at its deadline.

use std::time::Duration;

use crate::support::{server, ConfigMap};
use rest_core::meta::{CreateOptions, DeleteOptions, Patch, PatchOptions};
use rest_core::ResourceClient;
use rest_runtime::await_condition;
use rest_runtime::wait::{is_deleted, WaitError};
use serde_json::json;

fn has_ready(cm: Option<&ConfigMap>) -> bool {
    cm.and_then(|c| c.data.as_ref())
        .is_some_and(|d| d.get("state").is_some_and(|s| s == "ready"))
}

#[tokio::test]
async fn waits_for_a_change_made_later() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    api.create(
        &ConfigMap::new("app", &[("state", "new")]),
        &CreateOptions::default(),
    )
    .await
    .unwrap();
    let waiter = {
        let api = api.clone();
        tokio::spawn(async move {
            await_condition(&api, "app", has_ready, Duration::from_secs(20)).await
        })
    };
    // An unrelated object and an unrelated change do not end the wait.
    api.create(
        &ConfigMap::new("other", &[("state", "ready")]),
        &CreateOptions::default(),
    )
    .await
    .unwrap();
    let patch = |state: &str| Patch::Merge(json!({"data": {"state": state}}));
    api.patch("app", &patch("starting"), &PatchOptions::default())
        .await
        .unwrap();
    api.patch("app", &patch("ready"), &PatchOptions::default())
        .await
        .unwrap();
    let found = waiter.await.unwrap().unwrap().expect("the object");
    assert_eq!(found.metadata.name.as_deref(), Some("app"));
    assert!(has_ready(Some(&found)));
}

#[tokio::test]
async fn a_condition_already_true_answers_at_once_and_deletion_is_seen() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let cm = api
        .create(
            &ConfigMap::new("app", &[("state", "ready")]),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        await_condition(&api, "app", has_ready, Duration::from_secs(5))
            .await
            .unwrap()
            .is_some()
    );
    let uid = cm.metadata.uid.clone().unwrap();
    let waiter = {
        let api = api.clone();
        tokio::spawn(async move {
            await_condition(&api, "app", is_deleted(&uid), Duration::from_secs(20)).await
        })
    };
    api.delete("app", &DeleteOptions::default()).await.unwrap();
    assert_eq!(waiter.await.unwrap().unwrap(), None);
}

#[tokio::test]
async fn gives_up_at_the_deadline_naming_the_object() {
    let (_server, client) = server().await;
    let api = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let err = await_condition(&api, "missing", has_ready, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::TimedOut { .. }));
    assert_eq!(
        err.to_string(),
        "ConfigMap missing did not meet the condition within 300ms"
    );
}
