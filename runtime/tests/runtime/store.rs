//! The store: index queries after updates and deletes, the transform, readiness, the atomic
//! swap of a re-list under concurrent readers, and metadata-only caching.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_core::{OwnerReference, PartialObjectMetadata, ResourceClient};
use rest_runtime::store::{
    drop_managed_fields, label_index, Indexers, StoreError, NAMESPACE_INDEX, OWNER_INDEX,
};
use rest_runtime::watcher::{self, Event};
use rest_runtime::{reflector, Metadata, Object, ObjectRef, Store, Writer};

fn run<K: Object>(writer: Writer<K>, lw: impl rest_runtime::ListerWatcher<Object = K>) {
    let events = reflector(writer, watcher::watcher(lw, watcher::Config::default()));
    tokio::spawn(events.for_each(|_| async {}));
}

fn names(objs: Vec<Arc<ConfigMap>>) -> BTreeSet<String> {
    objs.iter()
        .map(|o| o.metadata.name.clone().unwrap())
        .collect()
}

fn owned_by(mut cm: ConfigMap, owner: &str) -> ConfigMap {
    cm.metadata.owner_references = Some(vec![OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: owner.into(),
        uid: format!("uid-{owner}"),
        ..Default::default()
    }]);
    cm
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_queries_are_right_after_updates_and_deletes() {
    let server = ApiServer::start().await;
    let client = rest_client(&server.url());
    let default = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let other = ResourceClient::<ConfigMap>::namespaced(&client, "kube-system");
    let indexers = Indexers::new()
        .namespace()
        .label("tier")
        .owner()
        .index("value", |cm: &ConfigMap| {
            cm.data.iter().flat_map(|d| d.values().cloned()).collect()
        });
    let writer = Writer::new(indexers);
    let store = writer.as_reader();
    run(writer, ResourceClient::<ConfigMap>::all_namespaces(&client));
    for i in 0..6 {
        let tier = if i % 2 == 0 { "web" } else { "db" };
        let cm = owned_by(
            config_map(&format!("d-{i}"), &[("tier", tier)], "one"),
            "shop",
        );
        default.create(&cm, &Default::default()).await.unwrap();
    }
    let mut sys = config_map("s-0", &[("tier", "web")], "two");
    sys.metadata.namespace = Some("kube-system".into());
    other.create(&sys, &Default::default()).await.unwrap();
    store.wait_until_ready().await.unwrap();
    let settled = || async { store.len() == 7 };
    assert!(eventually(Duration::from_secs(10), settled).await);

    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        names(store.by_index(NAMESPACE_INDEX, "kube-system").unwrap()),
        set(&["s-0"])
    );
    assert_eq!(
        names(store.by_index(&label_index("tier"), "web").unwrap()),
        set(&["d-0", "d-2", "d-4", "s-0"])
    );
    assert_eq!(store.by_index(OWNER_INDEX, "uid-shop").unwrap().len(), 6);

    // Move d-0 to db and to another owner, change its value; delete d-2 and s-0.
    let mut d0 = default.get("d-0", &Default::default()).await.unwrap();
    d0.metadata.labels = Some([("tier".to_string(), "db".to_string())].into());
    d0 = owned_by(d0, "billing");
    d0.data = Some([("k".to_string(), "three".to_string())].into());
    default.update(&d0, &Default::default()).await.unwrap();
    default.delete("d-2", &Default::default()).await.unwrap();
    other.delete("s-0", &Default::default()).await.unwrap();
    let moved = || async {
        store.len() == 5
            && store
                .get(&ObjectRef::within("default", "d-0"))
                .is_some_and(|o| o.data.as_ref().is_some_and(|d| d["k"] == "three"))
    };
    assert!(eventually(Duration::from_secs(10), moved).await);

    assert_eq!(
        names(store.by_index(&label_index("tier"), "web").unwrap()),
        set(&["d-4"])
    );
    assert_eq!(
        names(store.by_index(&label_index("tier"), "db").unwrap()),
        set(&["d-0", "d-1", "d-3", "d-5"])
    );
    assert_eq!(
        names(store.by_index(OWNER_INDEX, "uid-shop").unwrap()),
        set(&["d-1", "d-3", "d-4", "d-5"])
    );
    assert_eq!(
        names(store.by_index(OWNER_INDEX, "uid-billing").unwrap()),
        set(&["d-0"])
    );
    assert_eq!(
        names(store.by_index("value", "three").unwrap()),
        set(&["d-0"])
    );
    assert!(store
        .by_index(NAMESPACE_INDEX, "kube-system")
        .unwrap()
        .is_empty());
    // Emptied values leave the index.
    let namespaces: BTreeSet<String> = store
        .index_values(NAMESPACE_INDEX)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(namespaces, set(&["default"]));
    assert!(store.by_index("value", "two").unwrap().is_empty());
    assert_eq!(
        store
            .get_by_key("default/d-0")
            .unwrap()
            .metadata
            .name
            .as_deref(),
        Some("d-0")
    );

    let err = store.by_index("colour", "red").unwrap_err();
    assert!(matches!(err, StoreError::NoSuchIndex { .. }));
    assert_eq!(
        err.to_string(),
        "the store has no index named \"colour\" (it has: namespace, label:tier, owner, value)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transform_runs_before_objects_are_stored_and_readiness_waits_for_the_first_list() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    cms.create(&config_map("a", &[], "1"), &Default::default())
        .await
        .unwrap();
    // The first list answers only after a while: not ready until it has.
    server.inject(
        Fault::stall(Duration::from_millis(300))
            .on("GET", CMS)
            .query("limit="),
    );
    let plain = Writer::default();
    let plain_store = plain.as_reader();
    let dropped = Writer::default().transform(drop_managed_fields);
    let dropped_store = dropped.as_reader();
    run(dropped, cms.clone());
    assert!(!dropped_store.is_ready());
    dropped_store.wait_until_ready().await.unwrap();
    assert!(dropped_store.is_ready());
    run(plain, cms.clone());
    plain_store.wait_until_ready().await.unwrap();
    let key = ObjectRef::within("default", "a");
    assert!(
        plain_store
            .get(&key)
            .unwrap()
            .metadata
            .managed_fields
            .is_some(),
        "the server sets managedFields"
    );
    assert_eq!(
        dropped_store.get(&key).unwrap().metadata.managed_fields,
        None
    );
    // Changes through the watch are transformed too.
    cms.create(&config_map("b", &[], "1"), &Default::default())
        .await
        .unwrap();
    let b = ObjectRef::within("default", "b");
    assert!(
        eventually(Duration::from_secs(10), || async {
            dropped_store.get(&b).is_some()
        })
        .await
    );
    assert_eq!(dropped_store.get(&b).unwrap().metadata.managed_fields, None);

    // A store whose writer is gone before the first list says so instead of waiting forever.
    let orphan = Writer::<ConfigMap>::default().as_reader();
    assert_eq!(
        orphan.wait_until_ready().await,
        Err(StoreError::WriterDropped)
    );
}

#[test]
fn a_relist_is_swapped_in_whole_while_readers_read() {
    let mut writer = Writer::new(Indexers::new().namespace());
    let store: Store<ConfigMap> = writer.as_reader();
    let state = |prefix: &str| -> Vec<ConfigMap> {
        (0..500)
            .map(|i| config_map(&format!("{prefix}-{i}"), &[], prefix))
            .collect()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let store = store.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut reads = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let all = store.list();
                    let by_ns = store.by_index(NAMESPACE_INDEX, "default").unwrap();
                    for objs in [&all, &by_ns] {
                        if objs.is_empty() {
                            continue;
                        }
                        let first = objs[0].data.as_ref().unwrap()["k"].clone();
                        assert_eq!(objs.len(), 500, "a reader saw a partial state");
                        assert!(
                            objs.iter().all(|o| o.data.as_ref().unwrap()["k"] == first),
                            "a reader saw two states mixed"
                        );
                    }
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for round in 0..60 {
        let prefix = if round % 2 == 0 { "a" } else { "b" };
        writer.apply(Event::Init);
        for cm in state(prefix) {
            writer.apply(Event::InitApply(cm));
        }
        writer.apply(Event::InitDone);
        assert_eq!(store.len(), 500);
    }
    stop.store(true, Ordering::Relaxed);
    let reads: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(reads > 0);
    assert!(store.get_by_key("default/b-7").is_some() && store.get_by_key("default/a-7").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metadata_only_cache_holds_partial_object_metadata_from_the_server() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    for i in 0..3 {
        cms.create(
            &config_map(&format!("m-{i}"), &[("app", "meta")], "big"),
            &Default::default(),
        )
        .await
        .unwrap();
    }
    let writer = Writer::<PartialObjectMetadata<ConfigMap>>::new(Indexers::new().label("app"));
    let store = writer.as_reader();
    run(writer, Metadata::new(cms.clone()));
    store.wait_until_ready().await.unwrap();
    assert_eq!(
        store.by_index(&label_index("app"), "meta").unwrap().len(),
        3
    );
    let m0 = store.get_by_key("default/m-0").unwrap();
    assert_eq!(m0.kind.as_deref(), Some("PartialObjectMetadata"));
    assert_eq!(m0.api_version.as_deref(), Some("meta.k8s.io/v1"));
    assert!(m0.metadata.uid.is_some() && m0.metadata.resource_version.is_some());
    cms.delete("m-1", &Default::default()).await.unwrap();
    assert!(eventually(Duration::from_secs(10), || async { store.len() == 2 }).await);
    let asked: Vec<(String, String)> = server
        .requests()
        .iter()
        .filter(|r| r.path == CMS && r.method == "GET")
        .map(|r| {
            (
                r.query_param("watch").unwrap_or_default(),
                r.header("accept").unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        asked[0],
        (
            "".to_owned(),
            PartialObjectMetadata::<ConfigMap>::ACCEPT_LIST.to_owned()
        )
    );
    assert_eq!(
        asked[1],
        (
            "true".to_owned(),
            PartialObjectMetadata::<ConfigMap>::ACCEPT.to_owned()
        )
    );
}
