//! The watcher against the fixture API server: nothing is lost when the watch breaks
//! mid-stream, when versions expire (410), when the server restarts on the same port with a
//! changed state, or when a watch goes silent; streaming and paged lists; selectors; bookmarks.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_runtime::watcher::{self, Backoff, Event};
use rest_runtime::{reflector, Store, Writer};
use tokio::sync::mpsc;

type Seen = mpsc::UnboundedReceiver<Result<Event<Arc<ConfigMap>>, String>>;

fn fast() -> watcher::Config {
    watcher::Config::default().backoff(Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(200),
        factor: 2.0,
        jitter: 0.5,
    })
}

/// A reflector on its own task; its events (errors as text) arrive on the receiver.
fn start(
    url: &str,
    config: watcher::Config,
) -> (Store<ConfigMap>, Seen, tokio::task::JoinHandle<()>) {
    let writer = Writer::default();
    let store = writer.as_reader();
    let (tx, rx) = mpsc::unbounded_channel();
    let events = reflector(writer, watcher::watcher(config_maps(url), config));
    let task = tokio::spawn(async move {
        let mut events = std::pin::pin!(events);
        while let Some(e) = events.next().await {
            if tx.send(e.map_err(|e| e.to_string())).is_err() {
                return;
            }
        }
    });
    (store, rx, task)
}

fn drain(seen: &mut Seen) -> Vec<Result<Event<Arc<ConfigMap>>, String>> {
    let mut out = Vec::new();
    while let Ok(e) = seen.try_recv() {
        out.push(e);
    }
    out
}

/// The events up to and including the first `InitDone` (the reflector sends each event on
/// after applying it, so the store can be ready a moment before the event arrives here).
async fn until_init_done(seen: &mut Seen) -> Vec<Result<Event<Arc<ConfigMap>>, String>> {
    let mut out = Vec::new();
    while let Some(e) = seen.recv().await {
        let done = matches!(e, Ok(Event::InitDone));
        out.push(e);
        if done {
            break;
        }
    }
    out
}

fn inits(events: &[Result<Event<Arc<ConfigMap>>, String>]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Ok(Event::Init)))
        .count()
}

fn requests(server: &ApiServer, watch: bool) -> Vec<fixtures::RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == CMS)
        .filter(|r| (r.query_param("watch").as_deref() == Some("true")) == watch)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_watches_broken_mid_stream_during_random_writes_the_store_is_the_servers() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    let mut rng = Rng::new(17);
    random_writes(&cms, &mut rng, 40, 25).await;
    let (store, mut seen, _task) = start(&server.url(), fast());
    let (web, _web_seen, _web_task) = start(&server.url(), fast().labels("tier=web"));
    store.wait_until_ready().await.unwrap();
    web.wait_until_ready().await.unwrap();
    for round in 0..4 {
        // Broken now, cut after a few events next time, refused twice after that.
        server.inject(Fault::end_watch_after(3).on("GET", CMS).query("watch=true"));
        server.inject(Fault::reset().on("GET", CMS).query("watch=true").times(2));
        server.break_watches();
        random_writes(&cms, &mut rng, 30, 25).await;
        assert_converges(&cms, &store, None, &format!("round {round}")).await;
        assert_converges(
            &cms,
            &web,
            Some("tier=web"),
            &format!("round {round}, tier=web"),
        )
        .await;
    }
    // Every break was resumed from the last version seen: one list, never a second.
    let events = drain(&mut seen);
    assert_eq!(inits(&events), 1, "{events:?}");
    assert!(
        events.iter().any(|e| e.is_err()),
        "the breaks were reported"
    );
    let reflector_lists = requests(&server, false)
        .iter()
        .filter(|r| r.query_param("limit").is_some())
        .count();
    assert_eq!(
        reflector_lists, 2,
        "one list per reflector (the comparisons' have no limit)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_410_expired_the_watcher_lists_again_and_the_store_is_the_servers() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    let mut rng = Rng::new(5);
    random_writes(&cms, &mut rng, 30, 20).await;
    let (store, mut seen, _task) = start(&server.url(), fast());
    store.wait_until_ready().await.unwrap();
    // Keep the watch down while the writes happen and the history is compacted away.
    server.inject(Fault::reset().on("GET", CMS).query("watch=true").always());
    server.break_watches();
    random_writes(&cms, &mut rng, 40, 20).await;
    server.compact();
    server.clear_faults();
    assert_converges(&cms, &store, None, "after 410").await;
    let events = drain(&mut seen);
    assert_eq!(inits(&events), 2, "a second list replaced the state");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Err(m) if m.contains("410"))),
        "the 410 was reported: {events:?}"
    );
    // And on: live changes after the re-list still arrive.
    random_writes(&cms, &mut rng, 20, 20).await;
    assert_converges(&cms, &store, None, "after the re-list").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_on_the_same_port_with_a_changed_state_the_store_is_the_new_servers() {
    let server = ApiServer::start().await;
    let url = server.url();
    let port = server.addr().port();
    let cms = config_maps(&url);
    let mut rng = Rng::new(99);
    random_writes(&cms, &mut rng, 40, 20).await;
    let (store, mut seen, _task) = start(&url, fast());
    store.wait_until_ready().await.unwrap();
    let last: u64 = server.resource_version().parse().unwrap();
    server.shutdown().await;
    // The new state: some objects the same names with other data, some new, some gone.
    let seeds: Vec<serde_json::Value> = (10..30)
        .map(|i| {
            serde_json::to_value(config_map(
                &format!("cm-{i}"),
                &[("tier", "db")],
                "restored",
            ))
            .unwrap()
        })
        .collect();
    let server = ApiServer::builder()
        .port(port)
        .seed(seeds)
        .restarted_at(last + 50)
        .start()
        .await;
    // The test's own client (no retries, to see failures) may hold an idle connection to
    // the stopped server, whose close it has not noticed yet: a new client for its checks.
    // The watcher under test keeps its own and must get over the restart alone.
    let cms = config_maps(&url);
    assert_converges(&cms, &store, None, "after the restart").await;
    assert_eq!(store.len(), 20);
    assert!(inits(&drain(&mut seen)) >= 2);
    random_writes(&cms, &mut rng, 20, 30).await;
    assert_converges(&cms, &store, None, "writes after the restart").await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silently_stalled_watch_is_replaced_within_the_idle_deadline() {
    let server = ApiServer::builder()
        .bookmark_interval(Duration::from_millis(100))
        .start()
        .await;
    let cms = config_maps(&server.url());
    cms.create(&config_map("before", &[], "1"), &Default::default())
        .await
        .unwrap();
    // The first watch after the list answers 200 and then says nothing, ever.
    server.inject(Fault::stall_watch().on("GET", CMS).query("watch=true"));
    let idle = Duration::from_millis(800);
    let (store, mut seen, _task) = start(&server.url(), fast().idle_timeout(idle));
    store.wait_until_ready().await.unwrap();
    cms.create(&config_map("after", &[], "1"), &Default::default())
        .await
        .unwrap();
    assert!(
        eventually(Duration::from_secs(10), || async { store.len() == 2 }).await,
        "the change made during the stall never arrived"
    );
    let watches = requests(&server, true);
    assert!(watches.len() >= 2);
    let replaced_after = watches[1].received - watches[0].received;
    assert!(
        replaced_after >= idle && replaced_after < idle + Duration::from_millis(700),
        "the stalled watch was replaced after {replaced_after:?} (deadline {idle:?})"
    );
    assert!(drain(&mut seen)
        .iter()
        .any(|e| matches!(e, Err(m) if m.contains("nothing arrived"))));
    // A live watch gets bookmarks well within the deadline: not replaced again.
    let before = requests(&server, true).len();
    let quiet = tokio::time::Instant::now() + idle * 3;
    assert!(
        !eventually(idle * 3, || async {
            requests(&server, true).len() > before
        })
        .await
    );
    assert!(tokio::time::Instant::now() >= quiet - Duration::from_millis(50));
    cms.create(&config_map("later", &[], "1"), &Default::default())
        .await
        .unwrap();
    assert_converges(&cms, &store, None, "after the stall").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_list_fetches_the_state_in_the_watch_and_falls_back_where_unsupported() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    let mut rng = Rng::new(3);
    random_writes(&cms, &mut rng, 30, 15).await;
    let (store, mut seen, _task) = start(&server.url(), fast().streaming_list());
    let events = until_init_done(&mut seen).await;
    assert_eq!(store_state(&store), server_state(&cms, None).await);
    assert!(matches!(events[0], Ok(Event::Init)));
    assert!(matches!(events.last(), Some(Ok(Event::InitDone))));
    let watch = &requests(&server, true)[0];
    assert_eq!(
        watch.query_param("sendInitialEvents").as_deref(),
        Some("true")
    );
    assert_eq!(
        watch.query_param("resourceVersionMatch").as_deref(),
        Some("NotOlderThan")
    );
    assert_eq!(
        requests(&server, false).len(),
        1,
        "no LIST but the comparison's"
    );
    random_writes(&cms, &mut rng, 20, 15).await;
    assert_converges(&cms, &store, None, "streaming, then changes").await;

    // What a real kube-apiserver on etcd 3.4 answers a streaming list (recorded):
    let unsupported = r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"a watch stream was requested by the client but the required storage feature RequestWatchProgress is disabled","reason":"InternalError","code":500}}"#;
    server.inject(
        Fault::respond(200, format!("{unsupported}\n"))
            .on("GET", CMS)
            .query("sendInitialEvents=true")
            .always(),
    );
    let (old_store, mut old_seen, _old_task) = start(&server.url(), fast().streaming_list());
    old_store.wait_until_ready().await.unwrap();
    assert_converges(&cms, &old_store, None, "after the fall-back").await;
    let events = drain(&mut old_seen);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Err(m) if m.contains("cannot stream lists"))),
        "{events:?}"
    );
    random_writes(&cms, &mut rng, 10, 15).await;
    assert_converges(&cms, &old_store, None, "list + watch after the fall-back").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_collection_is_listed_in_pages_then_watched_from_the_lists_version() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    for i in 0..7 {
        cms.create(
            &config_map(&format!("cm-{i}"), &[], "x"),
            &Default::default(),
        )
        .await
        .unwrap();
    }
    let (store, mut seen, _task) = start(&server.url(), fast().page_size(Some(3)));
    let events = until_init_done(&mut seen).await;
    assert!(store.is_ready());
    let lists = requests(&server, false);
    assert_eq!(lists.len(), 3, "pages of 3, 3 and 1");
    assert!(lists
        .iter()
        .all(|r| r.query_param("limit").as_deref() == Some("3")));
    assert!(lists[1].query_param("continue").is_some());
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Ok(Event::Init) => "Init",
            Ok(Event::InitApply(_)) => "InitApply",
            Ok(Event::InitDone) => "InitDone",
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds.len(), 9);
    assert_eq!((kinds[0], kinds[8]), ("Init", "InitDone"));
    // The watch starts where the list was taken, with bookmarks asked for.
    assert!(
        eventually(Duration::from_secs(5), || async {
            !requests(&server, true).is_empty()
        })
        .await
    );
    let watch = &requests(&server, true)[0];
    assert_eq!(
        watch.query_param("resourceVersion"),
        Some(server.resource_version())
    );
    assert_eq!(
        watch.query_param("allowWatchBookmarks").as_deref(),
        Some("true")
    );
    assert!(watch.query_param("timeoutSeconds").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_resumes_from_the_last_bookmark() {
    let server = ApiServer::builder()
        .bookmark_interval(Duration::from_millis(50))
        .start()
        .await;
    let cms = config_maps(&server.url());
    cms.create(&config_map("one", &[], "1"), &Default::default())
        .await
        .unwrap();
    let (store, _seen, _task) = start(&server.url(), fast());
    store.wait_until_ready().await.unwrap();
    // Writes elsewhere move the version on; only a bookmark tells this watcher.
    for i in 0..5 {
        server
            .create(serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": format!("ns-{i}")}}))
            .unwrap();
    }
    let moved_on = server.resource_version();
    // Break the watch once it has lived a few bookmark intervals, until a new one starts at
    // the bookmark's version.
    let resumed = eventually(Duration::from_secs(5), || async {
        let last = requests(&server, true).pop();
        let last = last.as_ref();
        if last.and_then(|r| r.query_param("resourceVersion")) == Some(moved_on.clone()) {
            return true;
        }
        if last.is_some_and(|r| r.received.elapsed() > Duration::from_millis(200)) {
            server.break_watches();
        }
        false
    })
    .await;
    assert!(
        resumed,
        "no watch resumed from the bookmark's version {moved_on}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paged_list_whose_continue_token_expires_starts_over() {
    let server = ApiServer::start().await;
    let cms = config_maps(&server.url());
    for i in 0..6 {
        cms.create(
            &config_map(&format!("cm-{i}"), &[], "x"),
            &Default::default(),
        )
        .await
        .unwrap();
    }
    // The second page is held back while the history it points into is compacted away.
    server.inject(
        Fault::stall(Duration::from_millis(400))
            .on("GET", CMS)
            .query("continue="),
    );
    let (store, mut seen, _task) = start(&server.url(), fast().page_size(Some(2)));
    let second_page_asked = || async {
        requests(&server, false)
            .iter()
            .any(|r| r.query_param("continue").is_some())
    };
    assert!(eventually(Duration::from_secs(5), second_page_asked).await);
    cms.delete("cm-0", &Default::default()).await.unwrap();
    cms.create(&config_map("cm-9", &[], "x"), &Default::default())
        .await
        .unwrap();
    server.compact();
    let mut events = until_init_done(&mut seen).await;
    events.extend(drain(&mut seen));
    assert_eq!(inits(&events), 2, "the list started over: {events:?}");
    assert!(events
        .iter()
        .any(|e| matches!(e, Err(m) if m.contains("410") || m.contains("too old"))));
    assert_converges(&cms, &store, None, "after the expired continue token").await;
}
