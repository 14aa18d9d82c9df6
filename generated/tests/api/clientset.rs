//! Typed calls through the generated clientset against the fixture API server: what a user
//! of `Clientset::new(client).core_v1().config_maps("ns")` sees.

use rest_core::meta::Map;
use std::time::Duration;

use futures::StreamExt;
use generated::apps::v1::{Deployment, DeploymentSpec, DeploymentStatus};
use generated::autoscaling::v1::ScaleSpec;
use generated::core::v1::{
    ConfigMap, Container, Namespace, Pod, PodLogOptions, PodSpec, PodTemplateSpec,
    ResourceRequirements,
};
use generated::policy::v1::Eviction;
use generated::Clientset;
use rest_core::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, LabelSelector, ListOptions, ObjectMeta,
    Patch, PatchOptions, Quantity, UpdateOptions, WatchEvent,
};
use rest_core::{Config, Deleted};
use serde_json::json;

fn clientset(server: &fixtures::ApiServer) -> Clientset {
    let mut config = Config::new(server.url());
    // Tests make many quick calls; client-go's 5 qps would only slow them down.
    config.qps = 1000.0;
    config.burst = 1000;
    Clientset::for_config(&config).unwrap()
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        ..ObjectMeta::default()
    }
}

/// Creates a namespace (a cluster-scoped call), as the server wants before objects go in it.
async fn namespace(cs: &Clientset, name: &str) {
    let ns = Namespace {
        metadata: meta(name),
        ..Namespace::default()
    };
    cs.core_v1()
        .namespaces()
        .create(&ns, &CreateOptions::default())
        .await
        .unwrap();
}

fn config_map(name: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: meta(name),
        data: Some(Map::from([("k".to_owned(), value.to_owned())])),
        ..ConfigMap::default()
    }
}

#[tokio::test]
async fn configmaps_create_get_update_patch_delete() {
    let server = fixtures::ApiServer::start().await;
    let cms = clientset(&server).core_v1().config_maps("default");

    let created = cms
        .create(&config_map("a", "1"), &CreateOptions::default())
        .await
        .unwrap();
    assert!(created.metadata.resource_version.is_some());
    assert!(created.metadata.uid.is_some());

    let got = cms.get("a", &GetOptions::default()).await.unwrap();
    assert_eq!(got.data, created.data);

    let mut changed = got.clone();
    changed.data = Some(Map::from([("k".to_owned(), "2".to_owned())]));
    let updated = cms
        .update(&changed, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(updated.data.as_ref().unwrap()["k"], "2");
    assert_ne!(
        updated.metadata.resource_version,
        got.metadata.resource_version
    );

    // The stale copy now conflicts.
    let err = cms
        .update(&got, &UpdateOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");

    let patch = Patch::Merge(json!({"data": {"other": "x"}}));
    let patched = cms
        .patch("a", &patch, &PatchOptions::default())
        .await
        .unwrap();
    assert_eq!(patched.data.as_ref().unwrap()["other"], "x");

    match cms.delete("a", &DeleteOptions::default()).await.unwrap() {
        Deleted::Object(_) | Deleted::Status(_) => {}
    }
    let err = cms.get("a", &GetOptions::default()).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn lists_page_through_continue_tokens() {
    let server = fixtures::ApiServer::start().await;
    let cs = clientset(&server);
    namespace(&cs, "paged").await;
    let cms = cs.core_v1().config_maps("paged");
    for i in 0..5 {
        cms.create(
            &config_map(&format!("cm-{i}"), "v"),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    }
    let mut names = Vec::new();
    let mut opts = ListOptions {
        limit: Some(2),
        ..ListOptions::default()
    };
    let mut pages = 0;
    loop {
        let page = cms.list(&opts).await.unwrap();
        pages += 1;
        names.extend(page.items.iter().filter_map(|cm| cm.metadata.name.clone()));
        match page.metadata.next_page() {
            Some(token) => opts.continue_ = Some(token.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"]);
}

#[tokio::test]
async fn a_watch_sees_a_typed_object_being_added() {
    let server = fixtures::ApiServer::start().await;
    let cs = clientset(&server);
    namespace(&cs, "watched").await;
    let cms = cs.core_v1().config_maps("watched");
    let start = cms.list(&ListOptions::default()).await.unwrap();
    let opts = ListOptions {
        resource_version: start.metadata.resource_version.clone(),
        ..ListOptions::default()
    };
    let mut events = cms.watch(&opts).await.unwrap();
    cms.create(&config_map("new", "1"), &CreateOptions::default())
        .await
        .unwrap();
    let event = tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event within 10s")
        .expect("the stream goes on")
        .unwrap();
    match event {
        WatchEvent::Added(cm) => assert_eq!(cm.metadata.name.as_deref(), Some("new")),
        other => panic!("expected ADDED, got {other:?}"),
    }
}

/// A Deployment of one nginx container, labelled and selected by `app: <name>`.
pub fn deployment(name: &str, replicas: i32) -> Deployment {
    let labels = Map::from([("app".to_owned(), name.to_owned())]);
    Deployment {
        metadata: meta(name),
        spec: Some(Box::new(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels.clone()),
                ..LabelSelector::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels),
                    ..ObjectMeta::default()
                }),
                spec: Some(Box::new(PodSpec {
                    containers: vec![Container {
                        name: "app".to_owned(),
                        image: Some("nginx".to_owned()),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                })),
            },
            ..DeploymentSpec::default()
        })),
        ..Deployment::default()
    }
}

#[tokio::test]
async fn deployments_scale_and_status_subresources() {
    let server = fixtures::ApiServer::start().await;
    let deployments = clientset(&server).apps_v1().deployments("default");
    deployments
        .create(&deployment("web", 2), &CreateOptions::default())
        .await
        .unwrap();

    let scale = deployments
        .get_scale("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(scale.spec.as_ref().and_then(|s| s.replicas), Some(2));

    let mut bigger = scale.clone();
    bigger.spec = Some(ScaleSpec { replicas: Some(5) });
    let scaled = deployments
        .update_scale("web", &bigger, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(scaled.spec.and_then(|s| s.replicas), Some(5));
    let after = deployments
        .get("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(after.spec.as_ref().and_then(|s| s.replicas), Some(5));

    let mut with_status = after.clone();
    with_status.status = Some(DeploymentStatus {
        replicas: Some(5),
        ready_replicas: Some(4),
        ..DeploymentStatus::default()
    });
    deployments
        .update_status(&with_status, &UpdateOptions::default())
        .await
        .unwrap();
    let status = deployments
        .get_status("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(status.status.and_then(|s| s.ready_replicas), Some(4));
}

#[tokio::test]
async fn deployments_apply_status_owns_the_status_fields() {
    let server = fixtures::ApiServer::start().await;
    let deployments = clientset(&server).apps_v1().deployments("default");
    let created = deployments
        .create(&deployment("web", 2), &CreateOptions::default())
        .await
        .unwrap();
    // An apply configuration: only what the controller owns (spec here is ignored, as for
    // any write to status).
    let config = |replicas: i32| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 9},
            "status": {"replicas": replicas, "readyReplicas": 1}})
    };
    let applied = deployments
        .apply_status("web", &config(2), &ApplyOptions::new("ctrl"))
        .await
        .unwrap();
    let status = applied.status.clone().unwrap_or_default();
    assert_eq!((status.replicas, status.ready_replicas), (Some(2), Some(1)));
    assert_eq!(applied.spec.as_ref().and_then(|s| s.replicas), Some(2));
    assert_eq!(applied.metadata.generation, created.metadata.generation);

    // Read back: the status and who owns it.
    let got = deployments
        .get("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got.status, applied.status);
    let entries = got.metadata.managed_fields.unwrap_or_default();
    let ctrl = entries
        .iter()
        .find(|e| e.manager.as_deref() == Some("ctrl"))
        .expect("ctrl's managedFields entry");
    assert_eq!(ctrl.operation.as_deref(), Some("Apply"));
    assert_eq!(ctrl.subresource.as_deref(), Some("status"));
    assert_eq!(
        serde_json::to_value(&ctrl.fields_v1).unwrap(),
        json!({"f:status": {"f:readyReplicas": {}, "f:replicas": {}}})
    );

    // Another manager setting one of ctrl's fields to another value: a conflict naming both.
    let err = deployments
        .apply_status("web", &config(3), &ApplyOptions::new("other"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let message = err
        .status()
        .and_then(|s| s.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("conflict with \"ctrl\" with subresource \"status\""),
        "{message}"
    );
    assert!(message.contains(".status.replicas"), "{message}");

    // With force the fields move to the forcing manager.
    let forced = deployments
        .apply_status("web", &config(3), &ApplyOptions::new("other").force())
        .await
        .unwrap();
    assert_eq!(forced.status.and_then(|s| s.replicas), Some(3));
    let owners: Vec<(String, String)> = forced
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.subresource.as_deref() == Some("status"))
        .map(|e| {
            (
                e.manager.unwrap_or_default(),
                serde_json::to_string(&e.fields_v1).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        owners,
        [
            (
                "ctrl".to_owned(),
                r#"{"f:status":{"f:readyReplicas":{}}}"#.to_owned()
            ),
            (
                "other".to_owned(),
                r#"{"f:status":{"f:readyReplicas":{},"f:replicas":{}}}"#.to_owned()
            ),
        ],
        "other took .status.replicas; readyReplicas, applied with the same value, is shared"
    );
}

#[tokio::test]
async fn deployments_apply_scale_takes_the_replicas_from_their_creator() {
    let server = fixtures::ApiServer::start().await;
    let deployments = clientset(&server).apps_v1().deployments("default");
    deployments
        .create(&deployment("web", 2), &CreateOptions::default())
        .await
        .unwrap();
    let scale = json!({"apiVersion": "autoscaling/v1", "kind": "Scale",
        "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 5}});

    // The creator owns .spec.replicas: an autoscaler applying it is told so.
    let err = deployments
        .apply_scale("web", &scale, &ApplyOptions::new("hpa"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let message = err
        .status()
        .and_then(|s| s.message.clone())
        .unwrap_or_default();
    assert!(message.contains(".spec.replicas"), "{message}");
    let unchanged = deployments
        .get("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(unchanged.spec.and_then(|s| s.replicas), Some(2));

    // Forced, the Scale comes back with the new count and the deployment has it.
    let applied = deployments
        .apply_scale("web", &scale, &ApplyOptions::new("hpa").force())
        .await
        .unwrap();
    assert_eq!(applied.spec.and_then(|s| s.replicas), Some(5));
    let got = deployments
        .get("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got.spec.and_then(|s| s.replicas), Some(5));
    let hpa = got
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.manager.as_deref() == Some("hpa"))
        .expect("hpa's managedFields entry");
    assert_eq!(hpa.operation.as_deref(), Some("Apply"));
    assert_eq!(hpa.subresource.as_deref(), Some("scale"));
    assert_eq!(
        serde_json::to_value(&hpa.fields_v1).unwrap(),
        json!({"f:spec": {"f:replicas": {}}})
    );
}

#[tokio::test]
async fn pods_stream_logs_and_can_be_evicted() {
    let server = fixtures::ApiServer::builder()
        .seed(fixtures::seed_pods())
        .start()
        .await;
    let core = clientset(&server).core_v1();
    let pods = core
        .pods("default")
        .list(&ListOptions {
            limit: Some(500),
            ..ListOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(pods.items.len(), 7);
    let first = pods.items[0].metadata.name.clone().unwrap();

    let all = core
        .pods_all_namespaces()
        .list(&ListOptions::default())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 7);

    let opts = PodLogOptions {
        tail_lines: Some(2),
        ..PodLogOptions::default()
    };
    let mut stream = core
        .pods("default")
        .log_stream(&first, &opts)
        .await
        .unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = stream.next().await {
        text.extend_from_slice(&chunk.unwrap());
    }
    let text = String::from_utf8(text).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");

    let eviction = Eviction {
        metadata: Some(meta(&first)),
        ..Eviction::default()
    };
    let status = core
        .pods("default")
        .create_eviction(&first, &eviction, &CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(status.status.as_deref(), Some("Success"));
}

#[tokio::test]
async fn pods_take_ephemeral_containers_and_resizes_through_their_subresources() {
    let server = fixtures::ApiServer::start().await;
    let pods = clientset(&server).core_v1().pods("default");
    let requests = Map::from([
        ("cpu".to_owned(), Quantity::from("100m")),
        ("memory".to_owned(), Quantity::from("64Mi")),
    ]);
    let pod = Pod {
        metadata: meta("web"),
        spec: Some(Box::new(PodSpec {
            containers: vec![Container {
                name: "web".to_owned(),
                image: Some("nginx:1.25".to_owned()),
                resources: Some(ResourceRequirements {
                    requests: Some(requests),
                    ..ResourceRequirements::default()
                }),
                ..Container::default()
            }],
            ..PodSpec::default()
        })),
        ..Pod::default()
    };
    pods.create(&pod, &CreateOptions::default()).await.unwrap();

    // What `kubectl debug` does: a strategic merge patch adding an ephemeral container.
    let debug =
        json!({"spec": {"ephemeralContainers": [{"name": "debugger", "image": "busybox"}]}});
    let debugged = pods
        .patch_ephemeral_containers("web", &Patch::Strategic(debug), &PatchOptions::default())
        .await
        .unwrap();
    let added = debugged
        .spec
        .as_ref()
        .unwrap()
        .ephemeral_containers
        .as_ref()
        .unwrap();
    assert_eq!(added[0].name, "debugger");

    // Changing it afterwards is refused with the field named.
    let mut changed = debugged.clone();
    changed
        .spec
        .as_mut()
        .unwrap()
        .ephemeral_containers
        .as_mut()
        .unwrap()[0]
        .image = Some("alpine".to_owned());
    let err = pods
        .update_ephemeral_containers("web", &changed, &UpdateOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_invalid(), "{err}");
    assert!(err.to_string().contains("may not be changed"), "{err}");

    // An in-place resize changes the container's cpu and nothing else.
    let resize = json!({"spec": {"containers": [{"name": "web", "image": "ignored",
        "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}});
    let resized = pods
        .patch_resize("web", &Patch::Strategic(resize), &PatchOptions::default())
        .await
        .unwrap();
    let c = &resized.spec.as_ref().unwrap().containers[0];
    assert_eq!(c.image.as_deref(), Some("nginx:1.25"));
    let cpu = &c.resources.as_ref().unwrap().requests.as_ref().unwrap()["cpu"];
    assert_eq!(cpu, &Quantity::from("250m"));
}
