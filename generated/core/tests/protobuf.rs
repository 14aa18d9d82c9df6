//! The generated core types with the `protobuf` feature: a real kube-apiserver's protobuf
//! answers (fixtures/protobuf/real) decode into the same value as its JSON answers, and
//! encode back to the server's bytes.

use std::path::PathBuf;

use generated_core::core::v1::{ConfigMap, Pod, Service};
use rest_core::meta::List;
use rest_core::protobuf::{decode_object, encode_object, Message};

fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/protobuf/real")
        .join(name)
}

fn pb(name: &str) -> Vec<u8> {
    std::fs::read(real(&format!("{name}.pb"))).unwrap()
}

fn json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&std::fs::read(real(&format!("{name}.json"))).unwrap()).unwrap()
}

/// Decoded from protobuf equals decoded from JSON, and re-encodes to the server's bytes.
fn check<T: Message + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned>(
    name: &str,
    api_version: &str,
    kind: &str,
) -> T {
    let body = pb(name);
    let from_pb: T = decode_object(&body).unwrap();
    let from_json: T = json(name);
    assert_eq!(
        from_pb, from_json,
        "{name}: protobuf and JSON decode differ"
    );
    let again = encode_object(&from_pb, api_version, kind).unwrap();
    assert_eq!(
        again, body,
        "{name}: re-encoded bytes differ from the server's"
    );
    from_pb
}

#[test]
fn a_pod_from_protobuf_is_the_pod_from_json() {
    let pod: Pod = check("pod", "v1", "Pod");
    let spec = pod.spec.as_deref().unwrap();
    assert_eq!(spec.containers[0].image.as_deref(), Some("nginx:1.27"));
    assert_eq!(pod.kind.as_deref(), Some("Pod"));
}

#[test]
fn a_deleting_pod_from_protobuf_is_the_pod_from_json() {
    check::<Pod>("pod-deleting", "v1", "Pod");
}

#[test]
fn a_service_with_a_status_condition_round_trips() {
    check::<Service>("service", "v1", "Service");
}

#[test]
fn a_config_map_list_page_decodes_as_its_json() {
    let list: List<ConfigMap> = check("configmaps-page", "v1", "ConfigMapList");
    assert_eq!(list.items.len(), 1);
}
