//! The generated clientset's types with the `protobuf` feature: a real kube-apiserver's
//! Deployment and ControllerRevision in protobuf (fixtures/protobuf/real) decode into the
//! same value as its JSON answers, and encode back to the server's bytes.

use std::path::PathBuf;

use generated::apps::v1::{ControllerRevision, Deployment};
use rest_core::meta::IntOrString;
use rest_core::protobuf::{decode_object, encode_object, Message};

fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/protobuf/real")
        .join(name)
}

fn decode_both<T: Message + serde::de::DeserializeOwned>(name: &str) -> (Vec<u8>, T, T) {
    let body = std::fs::read(real(&format!("{name}.pb"))).unwrap();
    let from_pb: T = decode_object(&body).unwrap();
    let text = std::fs::read(real(&format!("{name}.json"))).unwrap();
    (body, from_pb, serde_json::from_slice(&text).unwrap())
}

#[test]
fn a_deployment_from_protobuf_is_the_deployment_from_json() {
    let (body, deployment, from_json) = decode_both::<Deployment>("deployment");
    assert_eq!(deployment, from_json);
    let spec = deployment.spec.as_deref().unwrap();
    assert_eq!(spec.replicas, Some(3));
    let rolling = spec
        .strategy
        .as_ref()
        .unwrap()
        .rolling_update
        .as_ref()
        .unwrap();
    assert_eq!(rolling.max_surge, Some(IntOrString::String("25%".into())));
    assert_eq!(
        encode_object(&deployment, "apps/v1", "Deployment").unwrap(),
        body
    );
}

#[test]
fn a_controller_revision_keeps_its_raw_data() {
    let (_, revision, from_json) = decode_both::<ControllerRevision>("controllerrevision");
    assert_eq!(revision, from_json);
    // `data` is JSON inside protobuf: re-encoding writes serde_json's key order, so the
    // bytes may differ from the server's; the value may not.
    let again = encode_object(&revision, "apps/v1", "ControllerRevision").unwrap();
    let back: ControllerRevision = decode_object(&again).unwrap();
    assert_eq!(back, revision);
}
