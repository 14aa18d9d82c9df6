//! The event recorder against the fixture API server: an `events.k8s.io/v1` Event with the
//! reporting controller and instance, repeats aggregated into one Event's series the way
//! client-go does, and a series ended after six idle minutes.

use std::time::Duration;

use crate::support::{server, ConfigMap};
use rest_core::meta::{CreateOptions, ListOptions};
use rest_core::ResourceClient;
use rest_runtime::events::{Event, EventType, NewEvent, ObjectReference, Recorder, Reporter};

fn created(note: &str) -> NewEvent {
    NewEvent {
        type_: EventType::Normal,
        reason: "Created".into(),
        action: "Reconciling".into(),
        note: Some(note.into()),
        related: None,
    }
}

async fn events(client: &rest_core::RestClient) -> Vec<Event> {
    ResourceClient::<Event>::namespaced(client, "default")
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn repeats_become_one_event_with_a_series() {
    let (_server, client) = server().await;
    let cm = ResourceClient::<ConfigMap>::namespaced(&client, "default")
        .create(&ConfigMap::new("app", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let recorder = Recorder::new(
        &client,
        Reporter {
            controller: "example.com/app-operator".into(),
            instance: Some("app-operator-0".into()),
        },
    );
    let regarding = ObjectReference::to(&cm);

    recorder
        .publish(&regarding, created("made the app"))
        .await
        .unwrap();
    let first = events(&client).await;
    assert_eq!(first.len(), 1);
    let event = &first[0];
    assert_eq!(
        event.reporting_controller.as_deref(),
        Some("example.com/app-operator")
    );
    assert_eq!(event.reporting_instance.as_deref(), Some("app-operator-0"));
    assert_eq!(event.reason.as_deref(), Some("Created"));
    assert_eq!(event.action.as_deref(), Some("Reconciling"));
    assert_eq!(event.type_.as_deref(), Some("Normal"));
    assert_eq!(event.note.as_deref(), Some("made the app"));
    assert_eq!(
        event.regarding.as_ref().and_then(|r| r.uid.clone()),
        cm.metadata.uid
    );
    assert!(!event.event_time.is_empty());
    assert!(event.series.is_none());

    // The second occurrence (a different note is the same event) becomes a series of 2.
    recorder
        .publish(&regarding, created("made it again"))
        .await
        .unwrap();
    let second = events(&client).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].metadata.name, event.metadata.name);
    assert_eq!(second[0].series.as_ref().map(|s| s.count), Some(2));

    // Later ones are counted, and written by the periodic refresh.
    recorder
        .publish(&regarding, created("and again"))
        .await
        .unwrap();
    recorder
        .publish(&regarding, created("and again"))
        .await
        .unwrap();
    assert_eq!(
        events(&client).await[0].series.as_ref().map(|s| s.count),
        Some(2)
    );
    recorder.refresh_series().await.unwrap();
    let refreshed = events(&client).await;
    assert_eq!(refreshed.len(), 1);
    assert_eq!(refreshed[0].series.as_ref().map(|s| s.count), Some(4));

    // Another reason is another event.
    let warning = NewEvent {
        type_: EventType::Warning,
        reason: "FailedUpdate".into(),
        ..created("could not update")
    };
    recorder.publish(&regarding, warning).await.unwrap();
    assert_eq!(events(&client).await.len(), 2);
}

#[tokio::test]
async fn a_series_idle_for_six_minutes_ends_with_its_final_count() {
    let (_server, client) = server().await;
    let cm = ResourceClient::<ConfigMap>::namespaced(&client, "default")
        .create(&ConfigMap::new("app", &[]), &CreateOptions::default())
        .await
        .unwrap();
    let recorder = Recorder::new(
        &client,
        Reporter {
            controller: "example.com/app-operator".into(),
            instance: None,
        },
    );
    let regarding = ObjectReference::to(&cm);
    for _ in 0..3 {
        recorder
            .publish(&regarding, created("again"))
            .await
            .unwrap();
    }
    // Five minutes: still running, nothing written or forgotten.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(5 * 60)).await;
    tokio::time::resume();
    recorder.finish_series().await.unwrap();
    assert_eq!(
        events(&client).await[0].series.as_ref().map(|s| s.count),
        Some(2)
    );
    // Past six: the final count is written, and the next occurrence is a new Event.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(61)).await;
    tokio::time::resume();
    recorder.finish_series().await.unwrap();
    let ended = events(&client).await;
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].series.as_ref().map(|s| s.count), Some(3));
    assert_eq!(
        ended[0].reporting_instance.as_deref(),
        Some("example.com/app-operator")
    );
    recorder.publish(&regarding, created("anew")).await.unwrap();
    assert_eq!(events(&client).await.len(), 2);
}
