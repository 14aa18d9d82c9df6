//! Leader election with three candidates on the fixture API server's Lease: never two
//! leaders (checked at every change of every candidate's state), a successor once the lease
//! expires after the leader dies without releasing, and at once after a graceful release.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::server;
use rest_core::meta::GetOptions;
use rest_core::ResourceClient;
use rest_runtime::leader_election::{
    LeaderCallbacks, LeaderElectionConfig, LeaderElector, Leadership, Lease,
};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{timeout, Instant};

const LEASE: Duration = Duration::from_millis(2000);
const RENEW: Duration = Duration::from_millis(1000);
const RETRY: Duration = Duration::from_millis(200);

fn config(identity: &str) -> LeaderElectionConfig {
    LeaderElectionConfig {
        lease_duration: LEASE,
        renew_deadline: RENEW,
        retry_period: RETRY,
        ..LeaderElectionConfig::new("default", "operator-lock", identity)
    }
}

#[derive(Default)]
struct Tracker {
    leaders: Mutex<HashSet<String>>,
    overlaps: AtomicUsize,
    new_leaders: Mutex<Vec<(String, String)>>,
}

struct Candidate {
    task: tokio::task::JoinHandle<()>,
    stop: Option<oneshot::Sender<()>>,
}

fn candidate(
    client: &rest_core::RestClient,
    identity: &str,
    tracker: &Arc<Tracker>,
    started: &mpsc::UnboundedSender<(String, Instant)>,
) -> (Candidate, watch::Receiver<Leadership>) {
    let (on_start, on_stop, on_new) = (tracker.clone(), tracker.clone(), tracker.clone());
    let (me, me2, me3) = (
        identity.to_owned(),
        identity.to_owned(),
        identity.to_owned(),
    );
    let started = started.clone();
    let callbacks = LeaderCallbacks {
        on_started_leading: Some(Arc::new(move || {
            let mut leaders = on_start.leaders.lock().unwrap();
            leaders.insert(me.clone());
            if leaders.len() > 1 {
                on_start.overlaps.fetch_add(1, Ordering::SeqCst);
            }
            let _ = started.send((me.clone(), Instant::now()));
        })),
        on_stopped_leading: Some(Arc::new(move || {
            on_stop.leaders.lock().unwrap().remove(&me2);
        })),
        on_new_leader: Some(Arc::new(move |leader: &str| {
            on_new
                .new_leaders
                .lock()
                .unwrap()
                .push((me3.clone(), leader.to_owned()));
        })),
    };
    let elector = LeaderElector::new(client, config(identity), callbacks).unwrap();
    let state = elector.subscribe();
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(elector.run(async {
        let _ = stopped.await;
    }));
    (
        Candidate {
            task,
            stop: Some(stop),
        },
        state,
    )
}

/// Counts the moments more than one candidate's state says it leads; a candidate whose
/// elector is gone (its task aborted) leads nothing.
fn watch_states(mut states: Vec<watch::Receiver<Leadership>>) -> Arc<AtomicUsize> {
    let overlaps = Arc::new(AtomicUsize::new(0));
    let seen = overlaps.clone();
    tokio::spawn(async move {
        loop {
            let leading = states
                .iter()
                .filter(|s| s.has_changed().is_ok() && s.borrow().leading)
                .count();
            if leading > 1 {
                seen.fetch_add(1, Ordering::SeqCst);
            }
            let changes: Vec<_> = states.iter_mut().map(|s| Box::pin(s.changed())).collect();
            if futures::future::select_all(changes).await.0.is_err() {
                states.retain(|s| s.has_changed().is_ok());
                if states.is_empty() {
                    return;
                }
            }
        }
    });
    overlaps
}

async fn next_leader(
    started: &mut mpsc::UnboundedReceiver<(String, Instant)>,
) -> (String, Instant) {
    timeout(Duration::from_secs(10), started.recv())
        .await
        .expect("a leader within 10 s")
        .expect("candidates running")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_candidates_one_leader_failover_on_expiry_and_at_once_on_release() {
    let (_server, client) = server().await;
    let tracker = Arc::new(Tracker::default());
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let mut candidates = Vec::new();
    let mut states = Vec::new();
    for id in ["a", "b", "c"] {
        let (c, s) = candidate(&client, id, &tracker, &started_tx);
        candidates.push((id, c));
        states.push(s);
    }
    let state_overlaps = watch_states(states);
    let (first, _) = next_leader(&mut started).await;
    // Held: nobody else takes over while the leader renews (well past a lease duration).
    let other = timeout(LEASE * 2, started.recv()).await;
    assert!(
        other.is_err(),
        "{first} then {other:?} {:?}",
        tracker.new_leaders.lock().unwrap()
    );

    // The leader dies without releasing (as a killed process): a successor once the lease
    // it last saw renewed has gone unrenewed for its duration.
    let index = candidates.iter().position(|(id, _)| *id == first).unwrap();
    let (_, dead) = candidates.remove(index);
    dead.task.abort();
    let died = Instant::now();
    let _ = dead.task.await;
    tracker.leaders.lock().unwrap().remove(&first);
    let (second, at) = next_leader(&mut started).await;
    assert_ne!(second, first);
    let failover = at - died;
    assert!(
        failover >= LEASE - 2 * RETRY,
        "took over after {failover:?}: before the lease expired"
    );
    assert!(
        failover <= LEASE + 3 * RETRY,
        "took over after {failover:?}: more than the lease duration and a retry period or two"
    );

    // The new leader shuts down gracefully and releases: the last candidate takes over at
    // its next try, not a lease duration later.
    let index = candidates.iter().position(|(id, _)| *id == second).unwrap();
    let (_, mut leaving) = candidates.remove(index);
    let released = Instant::now();
    leaving.stop.take().unwrap().send(()).unwrap();
    leaving.task.await.unwrap();
    let (third, at) = next_leader(&mut started).await;
    assert_ne!(third, second);
    let handover = at - released;
    assert!(
        handover <= 2 * RETRY,
        "took over {handover:?} after the release"
    );

    let (_, mut last) = candidates.remove(0);
    last.stop.take().unwrap().send(()).unwrap();
    last.task.await.unwrap();

    assert_eq!(tracker.overlaps.load(Ordering::SeqCst), 0);
    assert_eq!(state_overlaps.load(Ordering::SeqCst), 0);
    let lease = ResourceClient::<Lease>::namespaced(&client, "default")
        .get("operator-lock", &GetOptions::default())
        .await
        .unwrap();
    let spec = lease.spec.unwrap();
    assert_eq!(spec.lease_transitions, Some(2), "a -> b -> c");
    assert_eq!(spec.holder_identity.as_deref(), Some(""), "released");
    // The followers heard of the first leader, and each leader of itself.
    let heard = tracker.new_leaders.lock().unwrap();
    for follower in [&second, &third] {
        assert!(
            heard.contains(&(follower.clone(), first.clone())),
            "{heard:?}"
        );
    }
    for leader in [&first, &second, &third] {
        assert!(
            heard.contains(&(leader.clone(), leader.clone())),
            "{heard:?}"
        );
    }
}

#[tokio::test]
async fn inconsistent_timing_is_refused_before_any_request() {
    let (_server, client) = server().await;
    let bad = LeaderElectionConfig {
        renew_deadline: Duration::from_secs(20),
        ..LeaderElectionConfig::new("default", "lock", "a")
    };
    let err = LeaderElector::new(&client, bad, LeaderCallbacks::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("lease_duration (15s) must be greater than renew_deadline (20s)"),
        "{err}"
    );
    let nameless = LeaderElectionConfig::new("default", "lock", "");
    let err = LeaderElector::new(&client, nameless, LeaderCallbacks::default()).unwrap_err();
    assert!(err.to_string().contains("non-empty identity"), "{err}");
}
