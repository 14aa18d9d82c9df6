//! Shared informers against the fixture server: one watch per resource and selector however
//! many subscribe, late subscribers get the current state first, every subscriber every
//! change in order, a re-list reported as changes, and the periodic resync.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_runtime::informer::{Config, InformerFactory, Subscription};
use rest_runtime::store::Change;
use rest_runtime::watcher::{self, Backoff};

fn config() -> Config<ConfigMap> {
    Config::default().watcher(watcher::Config::default().backoff(Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(100),
        factor: 2.0,
        jitter: 0.5,
    }))
}

/// What a subscriber believes is there, built only from its changes; up to the first
/// `Synced` when `until_synced`.
struct View {
    objects: BTreeMap<String, Arc<ConfigMap>>,
    synced: usize,
    resyncs: usize,
}

impl View {
    fn new() -> Self {
        View {
            objects: BTreeMap::new(),
            synced: 0,
            resyncs: 0,
        }
    }

    fn apply(&mut self, change: Change<ConfigMap>) {
        let name = |o: &ConfigMap| o.metadata.name.clone().unwrap();
        match change {
            Change::Added(o) => {
                assert!(self.objects.insert(name(&o), o).is_none(), "added twice");
            }
            Change::Updated { old, new } => {
                let had = self.objects.insert(name(&new), new);
                assert_eq!(
                    had.as_deref(),
                    Some(&*old),
                    "the old state given is the one seen"
                );
            }
            Change::Deleted(o) => {
                assert!(self.objects.remove(&name(&o)).is_some(), "deleted unseen");
            }
            Change::Synced => self.synced += 1,
            Change::Resync(_) => self.resyncs += 1,
        }
    }

    fn state(&self) -> BTreeMap<String, ConfigMap> {
        self.objects
            .iter()
            .map(|(k, v)| {
                let mut v = (**v).clone();
                v.kind = None;
                v.api_version = None;
                (k.clone(), v)
            })
            .collect()
    }

    /// Applies changes until it matches `want` (or 10 s pass).
    async fn follow(
        &mut self,
        sub: &mut Subscription<ConfigMap>,
        want: &BTreeMap<String, ConfigMap>,
    ) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.state() != *want {
            match tokio::time::timeout_at(deadline, sub.next()).await {
                Ok(Some(change)) => self.apply(change),
                _ => panic!("the subscriber never reached the server's state"),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_watch_serves_every_subscriber_and_late_ones_get_the_state_first() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    let mut rng = Rng::new(11);
    random_writes(&cms, &mut rng, 30, 15).await;
    let factory = InformerFactory::new();
    let informer = factory.informer(cms.clone(), config());
    let mut early = informer.subscribe();
    informer.store().wait_until_ready().await.unwrap();
    // Late: the same informer again from the factory, subscribed after the sync.
    let again = factory.informer(cms.clone(), config());
    let mut late = again.subscribe();
    let mut late_view = View::new();
    while late_view.synced == 0 {
        late_view.apply(late.next().await.unwrap());
    }
    assert_eq!(
        late_view.state(),
        server_state(&cms, None).await,
        "the late subscriber's first changes are the whole state"
    );

    let mut early_view = View::new();
    random_writes(&cms, &mut rng, 30, 15).await;
    let want = server_state(&cms, None).await;
    early_view.follow(&mut early, &want).await;
    late_view.follow(&mut late, &want).await;
    assert_eq!(early_view.synced, 1);

    let subscribers: Vec<_> = (0..5)
        .map(|_| factory.informer(cms.clone(), config()).subscribe())
        .collect();
    assert_eq!(informer.subscribers(), 7);
    let watches = |selector: Option<&str>| {
        server
            .requests()
            .iter()
            .filter(|r| r.path == CMS && r.query_param("watch").as_deref() == Some("true"))
            .filter(|r| r.query_param("labelSelector").as_deref() == selector)
            .count()
    };
    let lists = server
        .requests()
        .iter()
        .filter(|r| r.path == CMS && r.query_param("limit").is_some())
        .count();
    assert_eq!(
        (lists, watches(None)),
        (1, 1),
        "one list and one watch for all seven"
    );

    // Another selector is another informer, with a watch of its own.
    let web = factory.informer(
        cms.clone(),
        config().watcher(watcher::Config::default().labels("tier=web")),
    );
    web.store().wait_until_ready().await.unwrap();
    assert!(
        eventually(Duration::from_secs(5), || async {
            watches(Some("tier=web")) == 1
        })
        .await
    );
    assert_eq!(
        store_state(&web.store()),
        server_state(&cms, Some("tier=web")).await
    );
    drop(subscribers);
    assert_eq!(informer.subscribers(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relist_reaches_subscribers_as_the_changes_it_made() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    let mut rng = Rng::new(23);
    random_writes(&cms, &mut rng, 30, 15).await;
    let factory = InformerFactory::new();
    let informer = factory.informer(cms.clone(), config());
    let mut sub = informer.subscribe();
    let mut view = View::new();
    view.follow(&mut sub, &server_state(&cms, None).await).await;
    server.inject(Fault::reset().on("GET", CMS).query("watch=true").always());
    server.break_watches();
    random_writes(&cms, &mut rng, 40, 15).await;
    server.compact();
    server.clear_faults();
    // The subscriber's view, built from Added/Updated/Deleted only, ends up the server's.
    view.follow(&mut sub, &server_state(&cms, None).await).await;
    while view.synced < 2 {
        view.apply(sub.next().await.unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resync_hands_every_object_to_every_subscriber_again() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    for i in 0..4 {
        cms.create(
            &config_map(&format!("r-{i}"), &[], "x"),
            &Default::default(),
        )
        .await
        .unwrap();
    }
    let factory = InformerFactory::new();
    let informer = factory.informer(cms.clone(), config().resync(Duration::from_millis(200)));
    let mut sub = informer.subscribe();
    let mut view = View::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while view.resyncs < 8 {
        match tokio::time::timeout_at(deadline, sub.next()).await {
            Ok(Some(change)) => view.apply(change),
            _ => panic!("only {} resyncs arrived", view.resyncs),
        }
    }
    assert_eq!(view.objects.len(), 4);
}
