//! Dynamic objects end to end: a watcher and store converging on a CRD that has no generated
//! types (through breaks and a 410), and a controller reconciling `DynamicObject`s, triggered
//! by the typed objects they own.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{eventually, rest_client};
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_core::discovery::{ApiResource, DiscoveryClient};
use rest_core::dynamic::{DynamicClient, DynamicObject, DynamicResourceClient};
use rest_core::{
    CreateOptions, DeleteOptions, ListOptions, ObjectMeta, OwnerReference, Patch, PatchOptions,
    ResourceClient, RestMapper,
};
use rest_runtime::lister_watcher::Dynamic;
use rest_runtime::watcher::{self, Backoff};
use rest_runtime::{reflector, Action, Controller, Store, Writer};
use serde_json::json;
use tokio::sync::mpsc;
use tokio::time::timeout;

const WIDGETS: &str = "/apis/example.com/v1/namespaces/default/widgets";

/// `widgets.example.com`: a namespaced CRD that no Rust type describes.
fn widgets_crd() -> serde_json::Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
                "subresources": {"status": {}}
            }],
        }
    })
}

/// The server with the CRD installed, and the resource as discovery maps `Widget` to it.
async fn widgets(server: &ApiServer) -> (DynamicClient, ApiResource) {
    server.create(widgets_crd()).unwrap();
    let client = rest_client(&server.url());
    let discovery = DiscoveryClient::new(client.clone())
        .discover()
        .await
        .unwrap();
    let resource = RestMapper::new(&discovery).resource_for("widgets").unwrap();
    (DynamicClient::new(client), resource)
}

fn widget(name: &str, resource: &ApiResource, size: u64) -> DynamicObject {
    DynamicObject::new(name, resource)
        .within("default")
        .data(json!({"spec": {"size": size}}))
}

/// A few creates, updates and deletes over `w-0`..`w-9`.
async fn writes(api: &DynamicResourceClient, resource: &ApiResource, round: u64) {
    for i in 0..12u64 {
        let name = format!("w-{}", (i * 7 + round * 3) % 10);
        if i % 4 == 3 {
            let _ = api.delete(&name, &DeleteOptions::default()).await;
            continue;
        }
        let size = round * 100 + i;
        match api
            .create(&widget(&name, resource, size), &CreateOptions::default())
            .await
        {
            Err(e) if e.is_already_exists() => {
                let patch = Patch::Merge(json!({"spec": {"size": size}}));
                api.patch(&name, &patch, &PatchOptions::default())
                    .await
                    .unwrap();
            }
            other => {
                other.unwrap();
            }
        }
    }
}

/// Name -> (resourceVersion, spec) as the server lists them and as the store holds them.
async fn server_state(api: &DynamicResourceClient) -> BTreeMap<String, (String, String)> {
    let list = api.list(&ListOptions::default()).await.unwrap();
    list.items.iter().map(summary).collect()
}

fn store_state(store: &Store<DynamicObject>) -> BTreeMap<String, (String, String)> {
    store.list().iter().map(|o| summary(o)).collect()
}

fn summary(o: &DynamicObject) -> (String, (String, String)) {
    (
        o.metadata.name.clone().unwrap_or_default(),
        (
            o.metadata.resource_version.clone().unwrap_or_default(),
            o.data["spec"].to_string(),
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_and_store_converge_on_a_crd_without_generated_types() {
    let server = ApiServer::start().await;
    let (dynamic, resource) = widgets(&server).await;
    let api = dynamic.api_resource(&resource).namespace("default");
    writes(&api, &resource, 0).await;
    let writer = Writer::<DynamicObject>::default();
    let store = writer.as_reader();
    let config = watcher::Config::default().backoff(Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(200),
        factor: 2.0,
        jitter: 0.5,
    });
    let lw = Dynamic::namespaced(&dynamic, &resource, "default");
    tokio::spawn(reflector(writer, watcher::watcher(lw, config)).for_each(|_| async {}));
    store.wait_until_ready().await.unwrap();
    let converged = |what: String| {
        let (api, store) = (api.clone(), store.clone());
        async move {
            let ok = eventually(Duration::from_secs(20), || async {
                store_state(&store) == server_state(&api).await
            })
            .await;
            assert!(ok, "{what}: the store did not converge");
            assert_eq!(store_state(&store), server_state(&api).await, "{what}");
        }
    };
    converged("after the first list".into()).await;
    for round in 1..=2 {
        server.inject(
            Fault::end_watch_after(2)
                .on("GET", WIDGETS)
                .query("watch=true"),
        );
        server.break_watches();
        writes(&api, &resource, round).await;
        converged(format!("after break {round}")).await;
    }
    // Down while the history is compacted away: the resume gets 410 and lists again.
    server.inject(
        Fault::reset()
            .on("GET", WIDGETS)
            .query("watch=true")
            .always(),
    );
    server.break_watches();
    writes(&api, &resource, 3).await;
    server.compact();
    server.clear_faults();
    converged("after 410".into()).await;
    // What the store holds are whole objects: kind, apiVersion and spec as the server has them.
    let w = store.list().into_iter().next().expect("some widgets exist");
    assert_eq!(w.types.kind.as_deref(), Some("Widget"));
    assert!(w.data["spec"]["size"].is_u64(), "{w:?}");
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Failed(String);

/// A ConfigMap (typed) owned by the widget (dynamic).
fn owned_config_map(owner: &DynamicObject) -> crate::common::ConfigMap {
    let mut cm = crate::common::config_map(
        &format!(
            "{}-config",
            owner.metadata.name.as_deref().unwrap_or_default()
        ),
        &[],
        &owner.data["spec"]["size"].to_string(),
    );
    cm.metadata = ObjectMeta {
        owner_references: Some(vec![OwnerReference {
            api_version: "example.com/v1".into(),
            kind: "Widget".into(),
            name: owner.metadata.name.clone().unwrap_or_default(),
            uid: owner.metadata.uid.clone().unwrap_or_default(),
            controller: Some(true),
            block_owner_deletion: None,
        }]),
        ..cm.metadata
    };
    cm
}

/// Waits for a reconcile of `name` that saw `spec` (or any spec), skipping others (creating
/// an owned ConfigMap triggers its owner once more).
async fn next(
    seen: &mut mpsc::UnboundedReceiver<(String, String)>,
    name: &str,
    spec: Option<serde_json::Value>,
) {
    let spec = spec.map(|s| s.to_string());
    timeout(Duration::from_secs(10), async {
        loop {
            let (n, seen_spec) = seen.recv().await.expect("controller running");
            if n == name && spec.as_ref().is_none_or(|s| *s == seen_spec) {
                return;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{name} not reconciled with spec {spec:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_controller_reconciles_dynamic_objects_and_again_when_what_they_own_changes() {
    let server = ApiServer::start().await;
    let (dynamic, resource) = widgets(&server).await;
    let api = dynamic.api_resource(&resource).namespace("default");
    for (name, size) in [("w-a", 1), ("w-b", 2)] {
        api.create(&widget(name, &resource, size), &CreateOptions::default())
            .await
            .unwrap();
    }
    let client = rest_client(&server.url());
    let cms = ResourceClient::<crate::common::ConfigMap>::namespaced(&client, "default");
    let (tx, mut seen) = mpsc::unbounded_channel::<(String, String)>();
    let context = Arc::new(cms.clone());
    // Each widget's reconcile makes sure its ConfigMap exists, holding the widget's size.
    let reconcile = move |w: Arc<DynamicObject>,
                          cms: Arc<ResourceClient<crate::common::ConfigMap>>| {
        let tx = tx.clone();
        async move {
            let cm = owned_config_map(&w);
            match cms.create(&cm, &CreateOptions::default()).await {
                Ok(_) => {}
                Err(e) if e.is_already_exists() => {}
                Err(e) => return Err(Failed(e.to_string())),
            }
            let _ = tx.send((
                w.metadata.name.clone().unwrap_or_default(),
                w.data["spec"].to_string(),
            ));
            Ok(Action::Done)
        }
    };
    let running = Controller::new(
        Dynamic::namespaced(&dynamic, &resource, "default"),
        ListOptions::default(),
    )
    .owns(cms.clone(), ListOptions::default())
    .run(reconcile, context);
    let running = tokio::spawn(running.for_each(|_| async {}));
    let mut firsts = Vec::new();
    while firsts.len() < 2 {
        let (n, _) = timeout(Duration::from_secs(10), seen.recv())
            .await
            .expect("both widgets reconciled")
            .expect("controller running");
        if !firsts.contains(&n) {
            firsts.push(n);
        }
    }
    firsts.sort();
    assert_eq!(firsts, ["w-a", "w-b"]);
    let cm = cms.get("w-a-config", &Default::default()).await.unwrap();
    assert_eq!(cm.data.unwrap()["k"], "1");

    // The widget changes: reconciled with its new spec, from the store.
    api.patch(
        "w-a",
        &Patch::Merge(json!({"spec": {"size": 5}})),
        &PatchOptions::default(),
    )
    .await
    .unwrap();
    next(&mut seen, "w-a", Some(json!({"size": 5}))).await;

    // Its owned (typed) ConfigMap is deleted: the owner reference leads back to w-b, whose
    // reconcile puts it back.
    cms.delete("w-b-config", &DeleteOptions::default())
        .await
        .unwrap();
    next(&mut seen, "w-b", None).await;
    assert!(
        eventually(Duration::from_secs(5), || async {
            cms.get("w-b-config", &Default::default()).await.is_ok()
        })
        .await,
        "the owned ConfigMap is repaired"
    );
    running.abort();
}
