//! The App operator against the fixture API server, in process: create (ConfigMap and
//! Deployment made, Ready set, events recorded), update, delete (the finalizer's cleanup
//! observed), drift repaired, and two replicas with exactly one leader and failover.

use std::time::Duration;

use generated::apps::v1::Deployment;
use generated::core::v1::ConfigMap;
use operator::app::{config_map_name, deployment_name};
use operator::reconcile::FINALIZER;
use operator::{App, AppSpec, Operator, OperatorConfig};
use rest_core::meta::{CreateOptions, DeleteOptions, GetOptions, ListOptions, Patch, PatchOptions};
use rest_core::{Config, Resource, ResourceClient, RestClient};
use rest_runtime::await_condition;
use rest_runtime::events::Event;
use serde_json::json;
use tokio::time::{timeout, Instant};

const WAIT: Duration = Duration::from_secs(20);

async fn cluster() -> (fixtures::ApiServer, RestClient) {
    let server = fixtures::ApiServer::start().await;
    let config = Config {
        qps: 1000.0,
        burst: 1000,
        ..Config::new(server.url())
    };
    let client = RestClient::for_config(&config).unwrap();
    client
        .post()
        .abs_path("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        .json_body(&App::crd())
        .send()
        .await
        .into_result()
        .unwrap();
    (server, client)
}

fn fast(identity: &str) -> OperatorConfig {
    OperatorConfig {
        lease_duration: Duration::from_secs(2),
        renew_deadline: Duration::from_secs(1),
        retry_period: Duration::from_millis(200),
        ..OperatorConfig::new(identity)
    }
}

fn spec(replicas: i32, message: &str) -> AppSpec {
    AppSpec {
        image: "nginx:1.27".into(),
        replicas,
        message: message.into(),
    }
}

async fn wait_for<K: Resource>(
    api: &ResourceClient<K>,
    name: &str,
    condition: impl Fn(Option<&K>) -> bool,
) -> Option<K> {
    await_condition(api, name, condition, WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn replicas(d: Option<&Deployment>) -> Option<i32> {
    d.and_then(|d| d.spec.as_ref()).and_then(|s| s.replicas)
}

fn image(d: Option<&Deployment>) -> Option<String> {
    d.and_then(|d| d.spec.as_ref())
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|p| p.containers.first())
        .and_then(|c| c.image.clone())
}

fn message(c: Option<&ConfigMap>) -> Option<String> {
    c.and_then(|c| c.data.as_ref())
        .and_then(|d| d.get("message").cloned())
}

async fn events(client: &RestClient) -> Vec<Event> {
    ResourceClient::<Event>::namespaced(client, "default")
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_update_and_delete_an_app() {
    let (_server, client) = cluster().await;
    let replica = Operator::start(&client, fast("replica-0")).unwrap();
    let apps = ResourceClient::<App>::namespaced(&client, "default");
    let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let deployments = ResourceClient::<Deployment>::namespaced(&client, "default");

    let created = apps
        .create(
            &App::new("web", spec(2, "hello")),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    let ready = wait_for(&apps, "web", |a| {
        a.and_then(App::ready).is_some_and(|c| c.is_true())
    })
    .await
    .unwrap();
    let condition = ready.ready().unwrap();
    assert_eq!(condition.reason, "Reconciled");
    assert_eq!(condition.observed_generation, ready.metadata.generation);
    assert_eq!(
        ready.metadata.finalizers,
        Some(vec![FINALIZER.to_owned()]),
        "the finalizer is on"
    );
    let cm = config_maps
        .get(&config_map_name("web"), &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(message(Some(&cm)).as_deref(), Some("hello"));
    let owner = &cm.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("App", "web"));
    assert_eq!(Some(&owner.uid), created.metadata.uid.as_ref());
    assert_eq!(owner.controller, Some(true));
    let deployment = deployments
        .get(&deployment_name("web"), &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(replicas(Some(&deployment)), Some(2));
    assert_eq!(image(Some(&deployment)).as_deref(), Some("nginx:1.27"));

    let recorded = events(&client).await;
    let reasons: Vec<(String, String)> = recorded
        .iter()
        .map(|e| {
            (
                e.reason.clone().unwrap_or_default(),
                e.action.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("Created".into(), "CreateConfigMap".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("Created".into(), "CreateDeployment".into())),
        "{reasons:?}"
    );
    for e in &recorded {
        assert_eq!(
            e.reporting_controller.as_deref(),
            Some("example.com/app-operator")
        );
        assert_eq!(e.reporting_instance.as_deref(), Some("replica-0"));
        assert_eq!(
            e.regarding.as_ref().and_then(|r| r.name.as_deref()),
            Some("web")
        );
    }

    // Update: the owned objects follow the spec; the condition keeps its transition time.
    let patch =
        Patch::Merge(json!({"spec": {"replicas": 4, "message": "bye", "image": "nginx:1.28"}}));
    apps.patch("web", &patch, &PatchOptions::default())
        .await
        .unwrap();
    wait_for(&deployments, "web", |d| {
        replicas(d) == Some(4) && image(d).as_deref() == Some("nginx:1.28")
    })
    .await;
    wait_for(&config_maps, &config_map_name("web"), |c| {
        message(c).as_deref() == Some("bye")
    })
    .await;
    let updated = wait_for(&apps, "web", |a| {
        a.and_then(App::ready)
            .is_some_and(|c| c.observed_generation == a.and_then(|a| a.metadata.generation))
    })
    .await
    .unwrap();
    assert_eq!(
        updated.ready().unwrap().last_transition_time,
        condition.last_transition_time
    );

    // Delete: held by the finalizer until the cleanup removed what it owned.
    apps.delete("web", &DeleteOptions::default()).await.unwrap();
    wait_for(&apps, "web", |a| a.is_none()).await;
    for (what, found) in [
        (
            "ConfigMap",
            config_maps
                .get(&config_map_name("web"), &GetOptions::default())
                .await
                .err(),
        ),
        (
            "Deployment",
            deployments.get("web", &GetOptions::default()).await.err(),
        ),
    ] {
        assert!(
            found.is_some_and(|e| e.is_not_found()),
            "{what} still there"
        );
    }
    assert!(events(&client)
        .await
        .iter()
        .any(|e| e.reason.as_deref() == Some("Deleted")));
    replica.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owned_objects_changed_or_deleted_by_hand_are_repaired() {
    let (_server, client) = cluster().await;
    let replica = Operator::start(&client, fast("replica-0")).unwrap();
    let apps = ResourceClient::<App>::namespaced(&client, "default");
    let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
    let deployments = ResourceClient::<Deployment>::namespaced(&client, "default");
    apps.create(
        &App::new("web", spec(2, "hello")),
        &CreateOptions::default(),
    )
    .await
    .unwrap();
    wait_for(&apps, "web", |a| a.and_then(App::ready).is_some()).await;

    let drift = Patch::Merge(json!({"spec": {"replicas": 7}}));
    deployments
        .patch("web", &drift, &PatchOptions::default())
        .await
        .unwrap();
    wait_for(&deployments, "web", |d| replicas(d) == Some(2)).await;

    let edited = Patch::Merge(json!({"data": {"message": "edited by hand"}}));
    config_maps
        .patch(&config_map_name("web"), &edited, &PatchOptions::default())
        .await
        .unwrap();
    wait_for(&config_maps, &config_map_name("web"), |c| {
        message(c).as_deref() == Some("hello")
    })
    .await;

    let cm = config_maps
        .get(&config_map_name("web"), &GetOptions::default())
        .await
        .unwrap();
    config_maps
        .delete(&config_map_name("web"), &DeleteOptions::default())
        .await
        .unwrap();
    let recreated = wait_for(&config_maps, &config_map_name("web"), |c| {
        c.is_some_and(|c| c.metadata.uid != cm.metadata.uid)
    })
    .await;
    assert_eq!(message(recreated.as_ref()).as_deref(), Some("hello"));
    replica.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_one_leader_and_failover_when_it_dies() {
    let (_server, client) = cluster().await;
    let replicas_ = [
        Operator::start(&client, fast("replica-a")).unwrap(),
        Operator::start(&client, fast("replica-b")).unwrap(),
    ];
    let mut states: Vec<_> = replicas_.iter().map(Operator::leadership).collect();
    // Exactly one leads (waited for), and stays the only one.
    timeout(WAIT, async {
        loop {
            if states.iter().filter(|s| s.borrow().leading).count() == 1 {
                break;
            }
            let changes: Vec<_> = states.iter_mut().map(|s| Box::pin(s.changed())).collect();
            let _ = futures::future::select_all(changes).await;
        }
    })
    .await
    .expect("a leader");
    let leader = states.iter().position(|s| s.borrow().leading).unwrap();
    let watch_overlap = {
        let states = states.clone();
        tokio::spawn(async move {
            let mut states = states;
            let mut worst = 0;
            loop {
                let leading = states
                    .iter()
                    .filter(|s| s.has_changed().is_ok() && s.borrow().leading)
                    .count();
                worst = worst.max(leading);
                let changes: Vec<_> = states.iter_mut().map(|s| Box::pin(s.changed())).collect();
                if futures::future::select_all(changes).await.0.is_err() {
                    // A replica is gone (killed or shut down): follow the others.
                    states.retain(|s| s.has_changed().is_ok());
                    if states.is_empty() {
                        return worst;
                    }
                }
            }
        })
    };

    let apps = ResourceClient::<App>::namespaced(&client, "default");
    apps.create(
        &App::new("one", spec(1, "first")),
        &CreateOptions::default(),
    )
    .await
    .unwrap();
    wait_for(&apps, "one", |a| a.and_then(App::ready).is_some()).await;
    let names = ["replica-a", "replica-b"];
    let instances: Vec<Option<String>> = events(&client)
        .await
        .iter()
        .map(|e| e.reporting_instance.clone())
        .collect();
    assert!(
        instances
            .iter()
            .all(|i| i.as_deref() == Some(names[leader])),
        "{instances:?}"
    );

    // The leader dies without releasing: the other takes over once the lease expires.
    let [a, b] = replicas_;
    let (dead, survivor) = if leader == 0 { (a, b) } else { (b, a) };
    let died = Instant::now();
    dead.kill().await;
    let mut follower = survivor.leadership();
    timeout(WAIT, follower.wait_for(|l| l.leading))
        .await
        .unwrap()
        .unwrap();
    let took = died.elapsed();
    assert!(
        took <= Duration::from_millis(2000 + 3 * 200),
        "failover took {took:?}, more than the lease duration and a retry or two"
    );

    // The new leader reconciles: a new App gets its events.
    apps.create(
        &App::new("two", spec(1, "second")),
        &CreateOptions::default(),
    )
    .await
    .unwrap();
    wait_for(&apps, "two", |a| a.and_then(App::ready).is_some()).await;
    let by_new: Vec<Event> = events(&client)
        .await
        .into_iter()
        .filter(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some("two"))
        .collect();
    assert!(!by_new.is_empty());
    assert!(by_new
        .iter()
        .all(|e| e.reporting_instance.as_deref() == Some(names[1 - leader])));
    survivor.shutdown().await;
    assert_eq!(watch_overlap.await.unwrap(), 1, "never two leaders");
}

/// A test serves exactly the CRDs `build.rs` generated clients for, in one line.
#[tokio::test]
async fn the_crds_build_rs_generated_clients_for_are_served_in_one_line() {
    let server = fixtures::ApiServer::builder()
        .crd_files(concat!(env!("OUT_DIR"), "/crds.json"))
        .start()
        .await;
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let served = |plural: &str| {
        client
            .get()
            .abs_path(&format!(
                "/apis/cert-manager.io/v1/namespaces/default/{plural}"
            ))
            .send()
    };
    assert_eq!(served("certificates").await.status_code(), 200);
    // build.rs read the Issuer CRDs too, but generated no clients for them.
    assert_eq!(served("issuers").await.status_code(), 404);
}
