//! The controller against the fixture API server: every object reconciled, again when it,
//! an object it owns or a mapped object changes; requeue-after and backoff on errors; one
//! key never reconciled twice at once; graceful shutdown; reconciling only while leading.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{server, ConfigMap, Secret};
use futures::StreamExt;
use rest_core::meta::{
    CreateOptions, ListOptions, ObjectMeta, OwnerReference, Patch, PatchOptions,
};
use rest_core::ResourceClient;
use rest_runtime::controller::{ObjectRef, ReconcileError, Running};
use rest_runtime::informer;
use rest_runtime::leader_election::{Leadership, Lease};
use rest_runtime::{Action, Controller, InformerFactory};
use serde_json::json;
use tokio::sync::{mpsc, watch, Notify};
use tokio::time::timeout;

#[derive(Debug, thiserror::Error)]
#[error("not yet")]
struct NotYet;

const WAIT: Duration = Duration::from_secs(10);

/// The next reconcile of `name` the channel reports, skipping others.
async fn reconciled(seen: &mut mpsc::UnboundedReceiver<(String, String)>, name: &str) -> String {
    timeout(WAIT, async {
        loop {
            let (n, version) = seen.recv().await.expect("controller running");
            if n == name {
                return version;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{name} not reconciled within {WAIT:?}"))
}

/// Waits until each of `names` has been reconciled, in whatever order the workers ran them
/// (concurrent workers race to report: `b` may come before `a`).
async fn reconciled_all(seen: &mut mpsc::UnboundedReceiver<(String, String)>, names: &[&str]) {
    let mut waiting: Vec<&str> = names.to_vec();
    timeout(WAIT, async {
        while !waiting.is_empty() {
            let (n, _) = seen.recv().await.expect("controller running");
            waiting.retain(|w| *w != n);
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{waiting:?} not reconciled within {WAIT:?}"))
}

fn recording(
    seen: mpsc::UnboundedSender<(String, String)>,
) -> impl Fn(Arc<ConfigMap>, Arc<()>) -> futures::future::Ready<Result<Action, NotYet>> {
    move |cm: Arc<ConfigMap>, _| {
        let _ = seen.send((
            cm.metadata.name.clone().unwrap_or_default(),
            cm.metadata.resource_version.clone().unwrap_or_default(),
        ));
        futures::future::ready(Ok(Action::Done))
    }
}

fn drain<E: std::error::Error + Send + 'static>(
    running: Running<E>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(running.for_each(|_| async {}))
}

#[tokio::test]
async fn reconciles_each_object_and_again_when_it_an_owned_or_a_mapped_object_changes() {
    let (_server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let a = cms
        .create(&ConfigMap::new("a", &[]), &CreateOptions::default())
        .await
        .unwrap();
    cms.create(&ConfigMap::new("b", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let (tx, mut seen) = mpsc::unbounded_channel();
    let controller = Controller::new(cms.clone(), ListOptions::default())
        .owns(
            ResourceClient::<Secret>::namespaced(&client, "default"),
            ListOptions::default(),
        )
        .watches(
            ResourceClient::<Lease>::namespaced(&client, "default"),
            ListOptions::default(),
            |lease: &Lease| {
                let labels = lease.metadata.labels.clone().unwrap_or_default();
                labels
                    .get("for-config-map")
                    .map(|name| ObjectRef::within("default", name))
                    .into_iter()
                    .collect()
            },
        );
    let running = drain(controller.run(recording(tx), Arc::new(())));
    reconciled_all(&mut seen, &["a", "b"]).await;

    // The object itself changes.
    let patched = cms
        .patch(
            "a",
            &Patch::Merge(json!({"data": {"k": "v"}})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        Some(reconciled(&mut seen, "a").await),
        patched.metadata.resource_version
    );

    // An object it owns changes.
    let owned = Secret {
        api_version: Some("v1".into()),
        kind: Some("Secret".into()),
        metadata: ObjectMeta {
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".into(),
                kind: "ConfigMap".into(),
                name: "a".into(),
                uid: a.metadata.uid.clone().unwrap(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..ObjectMeta::namespaced("default", "a-secret")
        },
    };
    ResourceClient::<Secret>::namespaced(&client, "default")
        .create(&owned, &CreateOptions::default())
        .await
        .unwrap();
    reconciled(&mut seen, "a").await;

    // A watched object the mapping points at b.
    let lease = Lease {
        metadata: ObjectMeta {
            labels: Some(rest_core::meta::Map::from([(
                "for-config-map".into(),
                "b".into(),
            )])),
            ..ObjectMeta::namespaced("default", "some-lease")
        },
        ..Lease::default()
    };
    ResourceClient::<Lease>::namespaced(&client, "default")
        .create(&lease, &CreateOptions::default())
        .await
        .unwrap();
    reconciled(&mut seen, "b").await;
    running.abort();
}

#[tokio::test]
async fn requeue_after_and_errors_retried_with_backoff_until_done() {
    let (_server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    cms.create(&ConfigMap::new("a", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let mut running = Controller::new(cms, ListOptions::default()).run(
        move |_cm: Arc<ConfigMap>, _ctx: Arc<()>| {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                match n {
                    0 => Ok(Action::requeue(Duration::from_millis(50))),
                    1 | 2 => Err(NotYet),
                    _ => Ok(Action::Done),
                }
            }
        },
        Arc::new(()),
    );
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let outcome = timeout(WAIT, running.next()).await.unwrap().unwrap();
        outcomes.push(match outcome {
            Ok((key, action)) => format!("{key}: {action:?}"),
            Err(e @ ReconcileError::Failed { .. }) => e.to_string(),
            Err(e) => panic!("{e}"),
        });
    }
    assert_eq!(
        outcomes,
        [
            "default/a: RequeueAfter(50ms)",
            "reconciling default/a failed: not yet",
            "reconciling default/a failed: not yet",
            "default/a: Done",
        ]
    );
    // Done means done: nothing more without a change.
    assert!(timeout(Duration::from_millis(500), running.next())
        .await
        .is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_key_changed_while_reconciled_waits_for_it_and_is_reconciled_again() {
    let (_server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    cms.create(&ConfigMap::new("a", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let gate = Arc::new(Notify::new());
    let in_flight = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let overlaps = Arc::new(AtomicUsize::new(0));
    let (tx, mut seen) = mpsc::unbounded_channel();
    let reconcile = {
        let (gate, in_flight, overlaps) = (gate.clone(), in_flight.clone(), overlaps.clone());
        move |cm: Arc<ConfigMap>, _: Arc<()>| {
            let (gate, in_flight, overlaps, tx) = (
                gate.clone(),
                in_flight.clone(),
                overlaps.clone(),
                tx.clone(),
            );
            async move {
                let name = cm.metadata.name.clone().unwrap_or_default();
                {
                    let mut f = in_flight.lock().unwrap();
                    let n = f.entry(name.clone()).or_default();
                    *n += 1;
                    if *n > 1 {
                        overlaps.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let _ = tx.send((
                    name.clone(),
                    cm.metadata.resource_version.clone().unwrap_or_default(),
                ));
                gate.notified().await;
                *in_flight.lock().unwrap().get_mut(&name).unwrap() -= 1;
                Ok::<_, NotYet>(Action::Done)
            }
        }
    };
    let running = drain(
        Controller::new(cms.clone(), ListOptions::default())
            .concurrency(4)
            .run(reconcile, Arc::new(())),
    );
    reconciled(&mut seen, "a").await;
    // Three changes while the first reconcile is held.
    let mut last = None;
    for i in 0..3 {
        let patch = Patch::Merge(json!({"data": {"n": i.to_string()}}));
        last = cms
            .patch("a", &patch, &PatchOptions::default())
            .await
            .unwrap()
            .metadata
            .resource_version;
    }
    // No second worker takes "a" while the first holds it.
    assert!(timeout(Duration::from_millis(300), seen.recv())
        .await
        .is_err());
    gate.notify_one();
    // Once more, with the latest state (the three changes folded into one reconcile).
    assert_eq!(Some(reconciled(&mut seen, "a").await), last);
    gate.notify_one();
    assert!(timeout(Duration::from_millis(300), seen.recv())
        .await
        .is_err());
    assert_eq!(overlaps.load(Ordering::SeqCst), 0);
    running.abort();
}

#[tokio::test]
async fn graceful_shutdown_lets_running_reconciles_finish_and_starts_none() {
    let (_server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    cms.create(&ConfigMap::new("a", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let started = Arc::new(Notify::new());
    let gate = Arc::new(Notify::new());
    let finished = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let reconcile = {
        let (started, gate, finished) = (started.clone(), gate.clone(), finished.clone());
        move |_: Arc<ConfigMap>, _: Arc<()>| {
            let (started, gate, finished) = (started.clone(), gate.clone(), finished.clone());
            async move {
                started.notify_one();
                gate.notified().await;
                finished.fetch_add(1, Ordering::SeqCst);
                Ok::<_, NotYet>(Action::Done)
            }
        }
    };
    let mut running = Controller::new(cms.clone(), ListOptions::default())
        .graceful_shutdown_on(async {
            let _ = stopped.await;
        })
        .run(reconcile, Arc::new(()));
    timeout(WAIT, started.notified()).await.unwrap();
    // A change queued behind the running reconcile, then shutdown.
    cms.patch(
        "a",
        &Patch::Merge(json!({"data": {"k": "v"}})),
        &PatchOptions::default(),
    )
    .await
    .unwrap();
    stop.send(()).unwrap();
    assert!(
        timeout(Duration::from_millis(300), running.next())
            .await
            .is_err(),
        "waits for the running reconcile"
    );
    gate.notify_one();
    let last = timeout(WAIT, running.next()).await.unwrap();
    assert!(matches!(last, Some(Ok((_, Action::Done)))));
    assert!(
        timeout(WAIT, running.next()).await.unwrap().is_none(),
        "then ends"
    );
    assert_eq!(
        finished.load(Ordering::SeqCst),
        1,
        "the queued change was not started"
    );
}

#[tokio::test]
async fn reconciles_only_while_leading() {
    let (_server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    cms.create(&ConfigMap::new("a", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let leadership = watch::Sender::new(Leadership::default());
    let (tx, mut seen) = mpsc::unbounded_channel();
    let running = drain(
        Controller::new(cms.clone(), ListOptions::default())
            .run_only_while_leading(leadership.subscribe())
            .run(recording(tx), Arc::new(())),
    );
    assert!(
        timeout(Duration::from_millis(300), seen.recv())
            .await
            .is_err(),
        "a follower reconciles nothing"
    );
    leadership.send_modify(|l| l.leading = true);
    reconciled(&mut seen, "a").await;
    leadership.send_modify(|l| l.leading = false);
    // Stopped: wait until the controller no longer sees changes, by a change it ignores.
    cms.patch(
        "a",
        &Patch::Merge(json!({"data": {"k": "1"}})),
        &PatchOptions::default(),
    )
    .await
    .unwrap();
    assert!(
        timeout(Duration::from_millis(300), seen.recv())
            .await
            .is_err(),
        "not leading"
    );
    // Leading again: it starts over from a fresh list.
    leadership.send_modify(|l| l.leading = true);
    reconciled(&mut seen, "a").await;
    running.abort();
}

#[tokio::test]
async fn controllers_on_one_shared_informer_share_its_watch_and_reconcile_what_its_store_holds() {
    let (server, client) = server().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    for name in ["a", "b"] {
        cms.create(&ConfigMap::new(name, &[]), &CreateOptions::default())
            .await
            .unwrap();
    }
    let factory = InformerFactory::new();
    let (tx, mut seen) = mpsc::unbounded_channel();
    let mut running = Vec::new();
    for id in ["one", "two"] {
        // Asked for twice: the same informer, so one list and one watch serve both.
        let informer = factory.informer(cms.clone(), informer::Config::default());
        let store = informer.store();
        let tx = tx.clone();
        let reconcile = move |cm: Arc<ConfigMap>, _: Arc<()>| {
            // The reconciler is handed the store's own object, not a copy.
            let cached = store.get(&ObjectRef::from_obj(&*cm));
            let shared = cached.is_some_and(|c| Arc::ptr_eq(&c, &cm));
            let _ = tx.send((
                format!("{id}:{}", cm.metadata.name.clone().unwrap_or_default()),
                shared.to_string(),
            ));
            futures::future::ready(Ok::<_, NotYet>(Action::Done))
        };
        running.push(drain(
            Controller::for_informer(informer).run(reconcile, Arc::new(())),
        ));
    }
    let mut firsts = Vec::new();
    timeout(WAIT, async {
        while firsts.len() < 4 {
            firsts.push(seen.recv().await.expect("controllers running"));
        }
    })
    .await
    .expect("both controllers reconcile both objects");
    firsts.sort();
    let expected: Vec<(String, String)> = ["one:a", "one:b", "two:a", "two:b"]
        .iter()
        .map(|k| (k.to_string(), "true".to_string()))
        .collect();
    assert_eq!(firsts, expected);

    cms.patch(
        "a",
        &Patch::Merge(json!({"data": {"k": "v"}})),
        &PatchOptions::default(),
    )
    .await
    .unwrap();
    reconciled_all(&mut seen, &["one:a", "two:a"]).await;
    let calls = |watch: bool| {
        server
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/api/v1/namespaces/default/configmaps")
            .filter(|r| (r.query_param("watch").as_deref() == Some("true")) == watch)
            .count()
    };
    assert_eq!((calls(false), calls(true)), (1, 1), "one list, one watch");
    for r in running {
        r.abort();
    }
}
