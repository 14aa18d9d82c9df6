//! Watch lines a real kube-apiserver streamed, decoded one by one into `WatchEvent<T>` as the
//! engine's watch stream does, plus the bookmark and error shapes.

use rest_core::meta::{ObjectMeta, Status, WatchEvent};
use serde::Deserialize;
use serde_json::{json, Value};

fn watch_lines(name: &str) -> Vec<String> {
    let path = format!(
        "{}/../fixtures/apiserver/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    // The server writes one compact JSON object per line.
    doc["response"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| serde_json::to_string(line).unwrap())
        .collect()
}

#[derive(Debug, Deserialize, serde::Serialize, Clone, PartialEq)]
struct ConfigMap {
    metadata: ObjectMeta,
    data: Option<std::collections::BTreeMap<String, String>>,
}

#[test]
fn added_modified_deleted_then_bookmark() {
    let events: Vec<WatchEvent<ConfigMap>> = watch_lines("watch-events")
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let types: Vec<&str> = events.iter().map(|e| e.type_name()).collect();
    assert_eq!(types, ["ADDED", "MODIFIED", "DELETED", "BOOKMARK"]);

    let WatchEvent::Modified(cm) = &events[1] else {
        panic!("expected MODIFIED, got {:?}", events[1]);
    };
    assert_eq!(cm.metadata.name.as_deref(), Some("watched"));
    assert_eq!(cm.metadata.resource_version.as_deref(), Some("228"));
    assert_eq!(cm.data.as_ref().unwrap()["k"], "v2");
    assert_eq!(
        events[2].object().unwrap().metadata.name.as_deref(),
        Some("watched")
    );

    let WatchEvent::Bookmark(bookmark) = &events[3] else {
        panic!("expected BOOKMARK, got {:?}", events[3]);
    };
    assert_eq!(bookmark.metadata.resource_version, "229");
    assert!(!bookmark.is_initial_events_end());
    assert!(events[3].object().is_none());
}

#[test]
fn untyped_events_round_trip_line_for_line() {
    for name in ["watch-events", "watch-initial-list"] {
        for line in watch_lines(name) {
            let event: WatchEvent<Value> = serde_json::from_str(&line).unwrap();
            if matches!(event, WatchEvent::Bookmark(_)) {
                continue; // a bookmark keeps only what a client resumes from
            }
            let again = serde_json::to_string(&event).unwrap();
            let a: Value = serde_json::from_str(&again).unwrap();
            let b: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(a, b, "{name}");
        }
    }
}

#[test]
fn error_event_carries_the_status() {
    let line = r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (226)","reason":"Expired","code":410}}"#;
    let event: WatchEvent<ConfigMap> = serde_json::from_str(line).unwrap();
    let WatchEvent::Error(status) = event else {
        panic!("expected ERROR, got {event:?}");
    };
    assert_eq!(status.code(), 410);
    assert_eq!(status.reason(), "Expired");
}

#[test]
fn initial_events_end_bookmark() {
    let line = r#"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"12746","creationTimestamp":null,"annotations":{"k8s.io/initial-events-end":"true"}}}}"#;
    let event: WatchEvent<ConfigMap> = serde_json::from_str(line).unwrap();
    let WatchEvent::Bookmark(bookmark) = &event else {
        panic!("expected BOOKMARK, got {event:?}");
    };
    assert!(bookmark.is_initial_events_end());
    assert_eq!(bookmark.metadata.resource_version, "12746");
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12746","annotations":{"k8s.io/initial-events-end":"true"}}}})
    );
}

#[test]
fn object_before_type_still_decodes() {
    let line = r#"{"object":{"metadata":{"name":"x"}},"type":"ADDED"}"#;
    let event: WatchEvent<ConfigMap> = serde_json::from_str(line).unwrap();
    assert_eq!(event.object().unwrap().metadata.name.as_deref(), Some("x"));
}

#[test]
fn unknown_event_type_is_an_error_naming_it() {
    let err = serde_json::from_str::<WatchEvent<Value>>(r#"{"type":"RENAMED","object":{}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("RENAMED"), "{err}");
}

#[test]
fn events_serialize_in_the_wire_shape() {
    let event: WatchEvent<Value> = WatchEvent::Deleted(json!({"metadata": {"name": "a"}}));
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"type":"DELETED","object":{"metadata":{"name":"a"}}}"#
    );
    let error: WatchEvent<Value> = WatchEvent::Error(Status::failure(410, "Expired", "gone"));
    assert_eq!(serde_json::to_value(&error).unwrap()["object"]["code"], 410);
}
