//! The value types' encodings on their own: times, quantities, int-or-string, bookmarks and
//! error events, and the envelope's checks.

use crate::support::Partial;
use rest_core::meta::{
    Bookmark, BookmarkMeta, IntOrString, MicroTime, ObjectMeta, Status, Time, WatchEvent,
};
use rest_core::protobuf::{
    decode_object, decode_watch_event, encode_object, encode_watch_event, DecodeErrorKind, Message,
    Writer,
};

#[test]
fn time_is_whole_seconds_and_the_zero_time_is_an_empty_message() {
    let time = Time::from("2026-12-07T01:22:06Z");
    let bytes = time.encode_to_vec().unwrap();
    // seconds = 1796606526, nanos = 0, as Go writes them.
    assert_eq!(bytes, [0x08, 0xbe, 0x94, 0xd8, 0xd8, 0x06, 0x10, 0x00]);
    assert_eq!(Time::decode(&bytes).unwrap(), time);
    // An offset and a fraction are normalised to UTC seconds, as the server would.
    let offset = Time::from("2026-12-07T03:22:06.5+02:00")
        .encode_to_vec()
        .unwrap();
    assert_eq!(Time::decode(&offset).unwrap(), time);
    assert!(Time::default().encode_to_vec().unwrap().is_empty());
    assert_eq!(Time::decode(&[]).unwrap(), Time::default());
}

#[test]
fn a_time_that_is_not_rfc3339_is_an_encode_error_naming_it() {
    let meta = ObjectMeta {
        creation_timestamp: Some(Time::from("yesterday")),
        ..ObjectMeta::default()
    };
    let err = meta.encode_to_vec().unwrap_err().to_string();
    assert!(
        err.contains("\"yesterday\"") && err.contains("RFC 3339"),
        "{err}"
    );
}

#[test]
fn micro_time_keeps_microseconds() {
    let time = MicroTime::from("2026-12-07T01:22:06.123456Z");
    let bytes = time.encode_to_vec().unwrap();
    assert_eq!(MicroTime::decode(&bytes).unwrap(), time);
    let mut w = Writer::new();
    w.int64(1, 0);
    w.int32(2, 1_000_000_000);
    let err = MicroTime::decode(w.as_slice()).unwrap_err();
    assert!(err.to_string().contains("nanoseconds"), "{err}");
}

#[test]
fn int_or_string_uses_its_type_tag() {
    for value in [IntOrString::Int(-3), IntOrString::String("http".into())] {
        let bytes = value.encode_to_vec().unwrap();
        assert_eq!(IntOrString::decode(&bytes).unwrap(), value);
    }
    let mut w = Writer::new();
    w.int64(1, 7);
    let err = IntOrString::decode(w.as_slice()).unwrap_err().to_string();
    assert!(err.contains("IntOrString type 7"), "{err}");
}

#[test]
fn bookmarks_and_error_events_round_trip() {
    let bookmark: WatchEvent<Partial> = WatchEvent::Bookmark(Bookmark {
        metadata: BookmarkMeta {
            resource_version: "42".into(),
            annotations: rest_core::meta::Map::from([(
                Bookmark::INITIAL_EVENTS_END.into(),
                "true".into(),
            )]),
        },
    });
    let frame = encode_watch_event(&bookmark, "v1", "ConfigMap").unwrap();
    assert_eq!(
        decode_watch_event::<Partial>(&frame[4..]).unwrap(),
        bookmark
    );

    let gone = Status::failure(410, "Expired", "too old resource version: 1 (2)");
    let error: WatchEvent<Partial> = WatchEvent::Error(gone.clone());
    let frame = encode_watch_event(&error, "v1", "ConfigMap").unwrap();
    let WatchEvent::Error(status) = decode_watch_event::<Partial>(&frame[4..]).unwrap() else {
        panic!("not an error event")
    };
    assert_eq!(status, gone);
}

#[test]
fn delete_options_write_only_what_is_set() {
    use rest_core::meta::{DeleteOptions, Preconditions, PropagationPolicy};
    assert!(DeleteOptions::default().encode_to_vec().unwrap().is_empty());
    let opts = DeleteOptions {
        grace_period_seconds: Some(0),
        preconditions: Some(Preconditions {
            uid: Some("u-1".into()),
            resource_version: None,
        }),
        propagation_policy: Some(PropagationPolicy::Foreground),
        dry_run: Some(vec!["All".into()]),
        ..DeleteOptions::default()
    };
    let bytes = opts.encode_to_vec().unwrap();
    assert_eq!(DeleteOptions::decode(&bytes).unwrap(), opts);
    let mut w = Writer::new();
    w.string(4, "Sideways");
    let err = DeleteOptions::decode(w.as_slice()).unwrap_err().to_string();
    assert!(
        err.contains("DeleteOptions field 4") && err.contains("Sideways"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_skipped() {
    let mut w = Writer::new();
    w.string(1, "web");
    w.uint64(99, 5);
    w.string(98, "future");
    w.double(97, 1.5);
    w.string(3, "default");
    let meta = ObjectMeta::decode(w.as_slice()).unwrap();
    assert_eq!(meta, ObjectMeta::namespaced("default", "web"));
}

#[test]
fn bad_bodies_get_errors_that_say_what_and_where() {
    let err = decode_object::<Status>(b"{\"kind\":\"Status\"}").unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::BadMagic { .. }));
    assert!(err.to_string().contains("k8s\\0"), "{err}");

    // `name` (field 1) sent as a varint.
    let mut w = Writer::new();
    w.uint64(1, 3);
    let err = ObjectMeta::decode(w.as_slice()).unwrap_err().to_string();
    assert_eq!(
        err,
        "protobuf in ObjectMeta field 1: expected a length-delimited value, found a varint value"
    );

    // A length past the end, inside a nested message: the path names both.
    let status = Status::failure(404, "NotFound", "gone");
    let mut body = encode_object(&status, "v1", "Status").unwrap();
    body.truncate(body.len() - 10);
    let err = decode_object::<Status>(&body).unwrap_err().to_string();
    assert!(err.starts_with("protobuf in Unknown"), "{err}");
    assert!(err.contains("runs past the end"), "{err}");

    let err = ObjectMeta::decode(&[0x0a, 0x02, 0xff, 0xfe])
        .unwrap_err()
        .to_string();
    assert!(err.contains("UTF-8"), "{err}");
    let err = ObjectMeta::decode(&[0x08; 11]).unwrap_err().to_string();
    assert!(err.contains("ObjectMeta"), "{err}");
}

#[test]
fn an_envelope_with_a_content_encoding_is_refused() {
    let mut w = Writer::new();
    w.raw(b"k8s\0");
    w.string(2, "");
    w.string(3, "gzip");
    let err = decode_object::<Status>(w.as_slice())
        .unwrap_err()
        .to_string();
    assert!(err.contains("gzip"), "{err}");
}

#[test]
fn decoded_lists_keep_no_room_beyond_their_elements() {
    // Lists grow as their elements arrive one field at a time; a decoded object is often
    // cached for long, so the decoder gives the growth room back.
    let meta = ObjectMeta {
        finalizers: Some(vec!["a".into(), "b".into(), "c".into()]),
        owner_references: Some(vec![rest_core::meta::OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: "web-1".into(),
            uid: "u1".into(),
            ..Default::default()
        }]),
        labels: Some([("a".into(), "1".into()), ("b".into(), "2".into())].into()),
        ..ObjectMeta::namespaced("default", "web")
    };
    let decoded = ObjectMeta::decode(&meta.encode_to_vec().unwrap()).unwrap();
    assert_eq!(decoded, meta);
    assert_eq!(decoded.finalizers.as_ref().map(Vec::capacity), Some(3));
    assert_eq!(
        decoded.owner_references.as_ref().map(Vec::capacity),
        Some(1)
    );
}
