//! The meta types decoded from a real kube-apiserver's protobuf answers equal the JSON decode
//! of the same answer, and encode back to the server's bytes.

use rest_core::meta::{
    Condition, IntOrString, LabelSelector, List, ListMeta, ObjectMeta, Quantity, RawExtension,
    Status, WatchEvent,
};
use rest_core::protobuf::{
    decode_object, decode_watch_event, encode_object, encode_watch_event, frame_length, Message,
};

use crate::support::{fields_at, json, json_at, object_of, pb, Partial};

/// `T` decoded from `bytes`, checked equal to `expected`, and encoded back to `bytes`.
fn round_trip<T: Message + PartialEq + std::fmt::Debug>(bytes: &[u8], expected: &T) {
    let decoded = T::decode(bytes).unwrap();
    assert_eq!(&decoded, expected);
    assert_eq!(
        decoded.encode_to_vec().unwrap(),
        bytes,
        "{} re-encoded",
        T::NAME
    );
}

#[test]
fn a_not_found_status_decodes_as_its_json_and_encodes_to_the_servers_bytes() {
    let body = pb("status-404");
    let status: Status = decode_object(&body).unwrap();
    let expected: Status = serde_json::from_value(json("status-404")).unwrap();
    assert_eq!(status, expected);
    assert_eq!(status.code(), 404);
    assert_eq!(status.reason(), "NotFound");
    assert_eq!(encode_object(&status, "v1", "Status").unwrap(), body);
}

#[test]
fn an_invalid_status_keeps_its_causes() {
    let body = pb("status-invalid");
    let status: Status = decode_object(&body).unwrap();
    let expected: Status = serde_json::from_value(json("status-invalid")).unwrap();
    assert_eq!(status, expected);
    assert_eq!(status.causes()[0].field.as_deref(), Some("metadata.name"));
    assert_eq!(encode_object(&status, "v1", "Status").unwrap(), body);
}

#[test]
fn partial_object_metadata_of_a_pod_round_trips_byte_for_byte() {
    let body = pb("pod-partial");
    let partial: Partial = decode_object(&body).unwrap();
    let expected: Partial = serde_json::from_value(json("pod-partial")).unwrap();
    assert_eq!(partial, expected);
    let meta = &partial.metadata;
    assert_eq!(meta.labels.as_ref().unwrap()["tier"], "front");
    assert_eq!(
        meta.owner_references.as_ref().unwrap()[0].controller,
        Some(true)
    );
    assert!(meta.managed_fields.as_ref().unwrap()[0].fields_v1.is_some());
    assert_eq!(partial.kind.as_deref(), Some("PartialObjectMetadata"));
    let again = encode_object(&partial, "meta.k8s.io/v1", "PartialObjectMetadata").unwrap();
    assert_eq!(again, body);
}

#[test]
fn object_meta_of_every_captured_object_round_trips() {
    for name in [
        "pod",
        "pod-deleting",
        "deployment",
        "service",
        "controllerrevision",
    ] {
        let body = pb(name);
        let meta = fields_at(object_of(&body), &[1]);
        let expected: ObjectMeta = json_at(&json(name), "/metadata");
        round_trip(meta[0], &expected);
    }
}

#[test]
fn a_deleting_pod_has_its_deletion_timestamp_and_grace_period() {
    let body = pb("pod-deleting");
    let meta = ObjectMeta::decode(fields_at(object_of(&body), &[1])[0]).unwrap();
    assert!(meta.deletion_timestamp.is_some());
    // A pod never scheduled is deleted at once: a grace period of 0, sent (Go's `*int64`).
    assert_eq!(meta.deletion_grace_period_seconds, Some(0));
}

#[test]
fn a_deployments_selector_strategy_and_quantities_round_trip() {
    let body = pb("deployment");
    let doc = json("deployment");
    let deployment = object_of(&body);
    let selector = fields_at(deployment, &[2, 2]);
    round_trip::<LabelSelector>(selector[0], &json_at(&doc, "/spec/selector"));

    let rolling = [2, 4, 2];
    let unavailable = fields_at(deployment, &[rolling.as_slice(), &[1]].concat());
    round_trip(unavailable[0], &IntOrString::Int(1));
    let surge = fields_at(deployment, &[rolling.as_slice(), &[2]].concat());
    round_trip(surge[0], &IntOrString::String("25%".into()));

    // spec.template.spec.containers[0].resources.limits: map<string, Quantity>.
    let limits = fields_at(deployment, &[2, 3, 2, 2, 8, 1]);
    let mut seen = Vec::new();
    for entry in limits {
        let key = fields_at(entry, &[1])[0];
        let value = fields_at(entry, &[2])[0];
        let key = std::str::from_utf8(key).unwrap();
        let expected: Quantity = json_at(
            &doc,
            &format!("/spec/template/spec/containers/0/resources/limits/{key}"),
        );
        round_trip(value, &expected);
        seen.push(expected.to_string());
    }
    assert_eq!(seen, ["1500m", "1Gi"]);
}

#[test]
fn a_services_status_condition_round_trips() {
    let body = pb("service");
    let conditions = fields_at(object_of(&body), &[3, 2]);
    let expected: Condition = json_at(&json("service"), "/status/conditions/0");
    round_trip(conditions[0], &expected);
    assert_eq!(
        expected.last_transition_time.as_str(),
        "2026-12-01T10:00:00Z"
    );
    assert_eq!(expected.observed_generation, Some(1));
}

#[test]
fn a_controller_revisions_raw_extension_decodes_as_its_json() {
    let body = pb("controllerrevision");
    let data = fields_at(object_of(&body), &[2]);
    let raw = RawExtension::decode(data[0]).unwrap();
    let expected: RawExtension = json_at(&json("controllerrevision"), "/data");
    assert_eq!(raw, expected);
    let back = RawExtension::decode(&raw.encode_to_vec().unwrap()).unwrap();
    assert_eq!(back, raw);
}

#[test]
fn a_list_page_keeps_its_continue_token_and_remaining_count() {
    let body = pb("configmaps-page");
    // Items read as metadata only: the ConfigMap's `data` is a field the decoder skips.
    let list: List<Partial> = decode_object(&body).unwrap();
    let doc = json("configmaps-page");
    let expected: ListMeta = json_at(&doc, "/metadata");
    assert_eq!(list.metadata, expected);
    assert_eq!(list.metadata.remaining_item_count, Some(1));
    assert!(list.metadata.next_page().is_some());
    assert_eq!(list.kind.as_deref(), Some("ConfigMapList"));
    assert_eq!(list.items.len(), 1);
    let item: ObjectMeta = json_at(&doc, "/items/0/metadata");
    assert_eq!(list.items[0].metadata, item);
    round_trip(fields_at(object_of(&body), &[1])[0], &expected);
}

#[test]
fn watch_frames_decode_as_the_json_watch_events_and_encode_back() {
    let body = pb("configmaps-watch");
    let lines = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/protobuf/real/configmaps-watch.json"),
    )
    .unwrap();
    let expected: Vec<WatchEvent<Partial>> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut rest = body.as_slice();
    let mut events = Vec::new();
    while !rest.is_empty() {
        let length = frame_length(rest).unwrap();
        let frame = &rest[4..4 + length];
        let event: WatchEvent<Partial> = decode_watch_event(frame).unwrap();
        // The object's envelope names the watched kind, as the server wrote it.
        let WatchEvent::Added(object) = &event else {
            panic!("{event:?}")
        };
        assert_eq!(object.kind.as_deref(), Some("ConfigMap"));
        events.push(event);
        rest = &rest[4 + length..];
    }
    assert_eq!(events.len(), expected.len());
    for (got, want) in events.iter().zip(&expected) {
        assert_eq!(
            got.object().unwrap().metadata,
            want.object().unwrap().metadata
        );
    }

    // Our own frames (metadata only: the ConfigMap's data is not in `Partial`) read back.
    let again = encode_watch_event(&events[0], "v1", "ConfigMap").unwrap();
    let back: WatchEvent<Partial> = decode_watch_event(&again[4..]).unwrap();
    assert_eq!(back, events[0]);
}
