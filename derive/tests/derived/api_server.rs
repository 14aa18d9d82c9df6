//! Derived kinds against the fixture API server: the CRD from `crd()` is registered, then
//! objects go through the derived typed client (create, list, watch, patch, status, scale,
//! server-side apply) and come back whole, which also proves the schema keeps every field
//! (the server prunes what a CRD's schema does not describe).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::support::*;
use futures::StreamExt;
use rest_core::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, ListOptions, Patch, PatchOptions,
    UpdateOptions, WatchEvent,
};
use rest_core::{Config, Resource, RestClient};
use serde_json::{json, Value};

fn client(server: &fixtures::ApiServer) -> RestClient {
    let mut config = Config::new(server.url());
    config.qps = 1000.0;
    config.burst = 1000;
    RestClient::for_config(&config).unwrap()
}

/// Registers a CRD the way an operator does: a POST to apiextensions.k8s.io/v1.
async fn register(client: &RestClient, crd: &Value) {
    client
        .post()
        .abs_path("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        .json_body(crd)
        .send()
        .await
        .into_result()
        .unwrap();
}

#[tokio::test]
async fn crontabs_round_trip_through_the_derived_client() {
    let server = fixtures::ApiServer::start().await;
    let client = client(&server);
    register(&client, &CronTab::crd()).await;
    let crontabs = CronTabClient::namespaced(&client, "default");

    let mut spec = crontab_spec("* * * * */5", 1);
    spec.suspend = Some(false);
    spec.env = BTreeMap::from([("TZ".to_owned(), "UTC".to_owned())]);
    let created = crontabs
        .create(
            &CronTab::new("nightly", spec.clone()),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(created.spec, spec, "every spec field survives the schema");
    assert_eq!(created.metadata.namespace.as_deref(), Some("default"));
    assert!(created.status.is_none());

    // The body on the wire names its kind: the root type writes apiVersion and kind.
    let post = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/crontabs"))
        .unwrap();
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["apiVersion"], "stable.example.com/v1");
    assert_eq!(body["kind"], "CronTab");
    assert_eq!(body["spec"]["cronSpec"], "* * * * */5");

    crontabs
        .create(
            &CronTab::new("hourly", crontab_spec("0 * * * *", 2)),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    let list = crontabs.list(&ListOptions::default()).await.unwrap();
    let names: Vec<_> = list
        .items
        .iter()
        .map(|c| c.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["hourly", "nightly"]);

    let mut events = crontabs
        .watch(&ListOptions {
            resource_version: list.metadata.resource_version.clone(),
            ..ListOptions::default()
        })
        .await
        .unwrap();
    let patched = crontabs
        .patch(
            "nightly",
            &Patch::Merge(json!({"spec": {"replicas": 3}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(patched.spec.replicas, 3);
    let event = tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("a watch event within 10s")
        .unwrap()
        .unwrap();
    match event {
        WatchEvent::Modified(c) => assert_eq!(
            (c.metadata.name.as_deref(), c.spec.replicas),
            (Some("nightly"), 3)
        ),
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    // Status goes through its subresource; a spec change sent there is ignored.
    let mut with_status = patched.clone();
    with_status.status = Some(CronTabStatus {
        replicas: 3,
        label_selector: Some("app=nightly".into()),
        last_schedule_time: None,
    });
    with_status.spec.replicas = 99;
    let updated = crontabs
        .update_status(&with_status, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(updated.status.as_ref().map(|s| s.replicas), Some(3));
    assert_eq!(updated.spec.replicas, 3);
    let status_patched = crontabs
        .patch_status(
            "nightly",
            &Patch::Merge(json!({"status": {"lastScheduleTime": "2024-01-01T00:00:00Z"}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    let status = status_patched.status.unwrap();
    assert_eq!(
        status.last_schedule_time.as_deref(),
        Some("2024-01-01T00:00:00Z")
    );
    assert_eq!(status.replicas, 3);
    // Server-side apply to status: the derived client has it too. The patch's manager owns
    // lastScheduleTime, so another applier conflicts unless it forces.
    let schedule = json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
        "metadata": {"name": "nightly"}, "status": {"lastScheduleTime": "2024-02-01T00:00:00Z"}});
    let err = crontabs
        .apply_status("nightly", &schedule, &ApplyOptions::new("scheduler"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let applied = crontabs
        .apply_status(
            "nightly",
            &schedule,
            &ApplyOptions::new("scheduler").force(),
        )
        .await
        .unwrap();
    let status = applied.status.unwrap();
    assert_eq!(
        status.last_schedule_time.as_deref(),
        Some("2024-02-01T00:00:00Z")
    );
    assert_eq!(status.replicas, 3);
    assert!(applied
        .metadata
        .managed_fields
        .unwrap_or_default()
        .iter()
        .any(|e| e.manager.as_deref() == Some("scheduler")
            && e.subresource.as_deref() == Some("status")));

    // Scale reads the paths the attribute gave.
    let scale = crontabs
        .get_scale("nightly", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(scale["spec"]["replicas"], 3);
    assert_eq!(scale["status"]["selector"], "app=nightly");

    // Server-side apply with the derived type itself as the applied configuration.
    let applied = crontabs
        .apply(
            "applied",
            &CronTab::new("applied", crontab_spec("*/5 * * * *", 1)),
            &ApplyOptions {
                field_manager: "rest-derive-test".into(),
                force: true,
                dry_run: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(applied.spec.cron_spec, "*/5 * * * *");

    let got = crontabs
        .get("nightly", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got.spec.env["TZ"], "UTC");
    crontabs
        .delete("nightly", &DeleteOptions::default())
        .await
        .unwrap();
    let err = crontabs
        .get("nightly", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn a_cluster_scoped_kind_keeps_enums_maps_and_free_form_json() {
    let server = fixtures::ApiServer::builder()
        .crd(Policy::crd())
        .start()
        .await;
    let client = client(&server);
    let policies = PolicyClient::cluster(&client);
    let spec = PolicySpec {
        mode: Mode::Audit,
        rules: vec![Rule {
            name: "no-exec".into(),
            verbs: vec!["create".into()],
            max_age_seconds: Some(3600),
        }],
        target: Some(Target::Labels {
            selector: BTreeMap::from([("team".to_owned(), "a".to_owned())]),
        }),
        limits: BTreeMap::from([("pods".to_owned(), 10)]),
        extra: Some(json!({"anything": ["goes", 1, {"deep": true}]})),
    };
    let created = policies
        .create(
            &Policy::new("strict", spec.clone()),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(created.spec, spec);
    assert!(created.metadata.namespace.is_none());
    assert_eq!(Policy::PLURAL, "policies");

    let got = policies
        .get("strict", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got.spec, spec);
    let all = policies.list(&ListOptions::default()).await.unwrap();
    assert_eq!(all.items.len(), 1);
}
