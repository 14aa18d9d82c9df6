//! `DynamicClient` on a CRD that has no generated types, against the fixture API server:
//! every verb, paging, watch, each patch type, apply, subresources, and the engine's
//! retries and warnings on the way.

use std::sync::Arc;

use crate::support::{client, widgets};
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_core::discovery::DiscoveryClient;
use rest_core::dynamic::{DynamicClient, DynamicObject, DynamicResourceClient};
use rest_core::{
    ApplyOptions, CollectingWarningHandler, Config, CreateOptions, DeleteOptions, Deleted,
    GetOptions, GroupVersionResource, HasMetadata, ListOptions, Patch, PatchOptions, RestClient,
    RestMapper, UpdateOptions, WatchEvent,
};
use serde_json::json;

async fn widgets_client(
    server: &ApiServer,
) -> (DynamicResourceClient, rest_core::discovery::ApiResource) {
    server.create(widgets()).unwrap();
    let discovery = DiscoveryClient::new(client(server))
        .discover()
        .await
        .unwrap();
    let resource = RestMapper::new(&discovery).resource_for("wd").unwrap();
    let dynamic = DynamicClient::new(client(server));
    (
        dynamic.api_resource(&resource).namespace("default"),
        resource,
    )
}

fn widget(name: &str, resource: &rest_core::discovery::ApiResource, size: i64) -> DynamicObject {
    DynamicObject::new(name, resource)
        .within("default")
        .data(json!({"spec": {"size": size, "color": "blue"}}))
}

#[tokio::test]
async fn create_get_update_patch_and_delete_a_custom_resource() {
    let server = ApiServer::start().await;
    let (widgets, resource) = widgets_client(&server).await;
    let created = widgets
        .create(&widget("w1", &resource, 3), &CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(created.types.kind.as_deref(), Some("Widget"));
    assert_eq!(created.types.api_version.as_deref(), Some("example.com/v1"));
    assert!(created.meta().uid.is_some());
    assert_eq!(created.data["spec"]["size"], 3);
    // The server has it as sent.
    let stored = server
        .object("example.com/v1", "Widget", "default", "w1")
        .unwrap();
    assert_eq!(stored["spec"], json!({"size": 3, "color": "blue"}));

    let mut got = widgets.get("w1", &GetOptions::default()).await.unwrap();
    assert_eq!(got, created);
    got.data["spec"]["size"] = json!(4);
    let updated = widgets
        .update(&got, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(updated.data["spec"]["size"], 4);
    assert_ne!(
        updated.metadata.resource_version,
        created.metadata.resource_version
    );

    // Status through its subresource: the spec is left alone.
    let mut with_status = updated.clone();
    with_status
        .data
        .insert("status".into(), json!({"ready": true}));
    with_status.data["spec"]["size"] = json!(99);
    let status = widgets
        .update_status(&with_status, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(status.data["status"], json!({"ready": true}));
    assert_eq!(status.data["spec"]["size"], 4);
    let read: DynamicObject = widgets
        .get_subresource("status", "w1", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(read.data["status"], json!({"ready": true}));

    let merged = widgets
        .patch(
            "w1",
            &Patch::Merge(json!({"spec": {"color": "red"}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(merged.data["spec"], json!({"size": 4, "color": "red"}));
    let jsoned = widgets
        .patch::<()>(
            "w1",
            &Patch::Json(json!([{"op": "replace", "path": "/spec/size", "value": 5}])),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(jsoned.data["spec"]["size"], 5);
    let status_patched = widgets
        .patch_status(
            "w1",
            &Patch::Merge(json!({"status": {"ready": false}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(status_patched.data["status"], json!({"ready": false}));

    // A name the server does not have: the API error, as for a typed client.
    let err = widgets
        .get("missing", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");

    match widgets
        .delete("w1", &DeleteOptions::default())
        .await
        .unwrap()
    {
        // A custom resource without finalizers is gone at once: a success Status, as the real
        // server answers.
        Deleted::Status(status) => assert_eq!(status.status.as_deref(), Some("Success")),
        Deleted::Object(obj) => panic!("expected a success Status, got the object {obj:?}"),
    }
    assert!(server
        .object("example.com/v1", "Widget", "default", "w1")
        .is_none());
}

#[tokio::test]
async fn list_pages_with_limit_and_continue_and_delete_collection() {
    let server = ApiServer::start().await;
    let (widgets, resource) = widgets_client(&server).await;
    for i in 0..5 {
        let mut w = widget(&format!("w{i}"), &resource, i);
        w.metadata.labels = Some(
            [(
                "parity".to_owned(),
                (if i % 2 == 0 { "even" } else { "odd" }).to_owned(),
            )]
            .into(),
        );
        widgets.create(&w, &CreateOptions::default()).await.unwrap();
    }
    let mut names = Vec::new();
    let mut opts = ListOptions {
        limit: Some(2),
        ..Default::default()
    };
    let mut pages = 0;
    loop {
        let page = widgets.list(&opts).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 2);
        assert_eq!(page.kind.as_deref(), Some("WidgetList"));
        names.extend(
            page.items
                .iter()
                .filter_map(|w| w.name().map(str::to_owned)),
        );
        match page.metadata.next_page() {
            Some(token) => opts.continue_ = Some(token.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["w0", "w1", "w2", "w3", "w4"]);
    // All namespaces: the client without a namespace.
    let everywhere = DynamicClient::new(client(&server))
        .api_resource(&resource)
        .list(&ListOptions::default())
        .await
        .unwrap();
    assert_eq!(everywhere.items.len(), 5);

    let deleted = widgets
        .delete_collection(
            &DeleteOptions::default(),
            &ListOptions {
                label_selector: Some("parity=even".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(deleted.items.len(), 3);
    let left = widgets.list(&ListOptions::default()).await.unwrap();
    let left: Vec<&str> = left.items.iter().filter_map(|w| w.name()).collect();
    assert_eq!(left, ["w1", "w3"]);
}

#[tokio::test]
async fn watch_sees_what_happens_to_custom_resources() {
    let server = ApiServer::start().await;
    let (widgets, resource) = widgets_client(&server).await;
    let listed = widgets.list(&ListOptions::default()).await.unwrap();
    let mut events = widgets
        .watch(&ListOptions {
            resource_version: listed.metadata.resource_version.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    widgets
        .create(&widget("w1", &resource, 1), &CreateOptions::default())
        .await
        .unwrap();
    widgets
        .patch(
            "w1",
            &Patch::Merge(json!({"spec": {"size": 2}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    widgets
        .delete("w1", &DeleteOptions::default())
        .await
        .unwrap();
    let mut seen = Vec::new();
    while seen.last().map(|(t, _)| *t) != Some("DELETED") {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), events.next())
            .await
            .expect("an event within 10 s")
            .expect("the watch goes on")
            .unwrap();
        match event {
            WatchEvent::Added(w) => seen.push(("ADDED", w.data["spec"]["size"].clone())),
            WatchEvent::Modified(w) => seen.push(("MODIFIED", w.data["spec"]["size"].clone())),
            WatchEvent::Deleted(w) => seen.push(("DELETED", w.data["spec"]["size"].clone())),
            WatchEvent::Bookmark(_) => {}
            WatchEvent::Error(status) => panic!("{status:?}"),
        }
    }
    // The fixture server records a deleted custom resource's last state (with its
    // deletionTimestamp) as one more MODIFIED before the DELETED; a real server sends none.
    seen.dedup();
    assert_eq!(
        seen,
        [
            ("ADDED", json!(1)),
            ("MODIFIED", json!(2)),
            ("DELETED", json!(2))
        ]
    );
}

#[tokio::test]
async fn server_side_apply_creates_then_updates_the_managers_fields() {
    let server = ApiServer::start().await;
    let (widgets, _) = widgets_client(&server).await;
    let config = json!({
        "apiVersion": "example.com/v1", "kind": "Widget",
        "metadata": {"name": "applied", "namespace": "default"},
        "spec": {"size": 7},
    });
    let created = widgets
        .apply("applied", &config, &ApplyOptions::new("krest-test"))
        .await
        .unwrap();
    assert_eq!(created.data["spec"]["size"], 7);
    let managers: Vec<_> = created
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .map(|m| (m.manager.clone(), m.operation.clone()))
        .collect();
    assert_eq!(
        managers,
        [(Some("krest-test".to_owned()), Some("Apply".to_owned()))]
    );
    // Another manager setting the same field conflicts unless forced.
    let other = json!({"apiVersion": "example.com/v1", "kind": "Widget",
                       "metadata": {"name": "applied", "namespace": "default"}, "spec": {"size": 8}});
    let err = widgets
        .apply("applied", &other, &ApplyOptions::new("other"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let forced = widgets
        .apply("applied", &other, &ApplyOptions::new("other").force())
        .await
        .unwrap();
    assert_eq!(forced.data["spec"]["size"], 8);
    let status = widgets
        .apply_status(
            "applied",
            &json!({"apiVersion": "example.com/v1", "kind": "Widget",
                    "metadata": {"name": "applied", "namespace": "default"}, "status": {"ready": true}}),
            &ApplyOptions::new("krest-test"),
        )
        .await
        .unwrap();
    assert_eq!(status.data["status"], json!({"ready": true}));
}

#[tokio::test]
async fn dynamic_calls_go_through_the_engine_retries_and_warnings() {
    let server = ApiServer::start().await;
    server.create(widgets()).unwrap();
    let warnings = Arc::new(CollectingWarningHandler::new());
    let mut config = Config::new(server.url());
    config.warning_handler = Some(warnings.clone());
    let client = RestClient::for_config(&config).unwrap();
    let widgets = DynamicClient::new(client)
        .resource(&GroupVersionResource::new("example.com", "v1", "widgets"))
        .namespace("default");
    let path = "/apis/example.com/v1/namespaces/default/widgets";
    server.inject(Fault::too_many_requests(0).on("GET", path).times(2));
    server.inject(Fault::warning("widgets are deprecated").on("GET", path));
    server.clear_requests();
    let list = widgets.list(&ListOptions::default()).await.unwrap();
    assert!(list.items.is_empty());
    let statuses: Vec<Option<u16>> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(429), Some(200)]);
    let texts: Vec<String> = warnings.take().into_iter().map(|w| w.text).collect();
    assert_eq!(texts, ["widgets are deprecated"]);
    // A bad name is a builder error, before any I/O, as for a typed client.
    server.clear_requests();
    let err = widgets
        .get("a/b", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid resource name"), "{err}");
    let err = widgets
        .update(&DynamicObject::default(), &UpdateOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: update of a widgets needs metadata.name"
    );
    assert!(server.requests().is_empty());
}
