//! Discovery documents as a server serves them (the fixture API server, which answers like a
//! kube-apiserver) describe the same resources client-gen reads from the CRD and from the
//! Kubernetes OpenAPI: same plurals, scopes, verbs and subresources.

use std::path::Path;

use client_gen::model::{ApiSet, Scope, Shape, Ty};
use client_gen::{Document, Settings};
use rest_core::{Config, RestClient};

async fn fetch(client: &RestClient, path: &str) -> Document {
    let response = client.get().abs_path(path).send().await;
    let response = response.into_result().unwrap();
    Document::parse(path, std::str::from_utf8(response.raw()).unwrap()).unwrap()
}

fn crd_doc() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/crds/opentelemetry.io_opentelemetrycollectors.yaml");
    client_gen::input::read_file(&path).unwrap().remove(0)
}

fn model(docs: &[Document]) -> ApiSet {
    client_gen::model(docs, &Settings::default()).unwrap()
}

#[tokio::test]
async fn served_discovery_matches_the_crd_and_the_openapi() {
    let server = fixtures::ApiServer::builder()
        .crd(crd_doc().json)
        .start()
        .await;
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();

    let served = fetch(&client, "/apis/opentelemetry.io/v1beta1").await;
    let from_discovery = model(std::slice::from_ref(&served));
    let from_crd = model(&[crd_doc()]);
    let d = &from_discovery.groups["opentelemetry.io"].versions["v1beta1"].resources
        ["opentelemetrycollectors"];
    let c = &from_crd.groups["opentelemetry.io"].versions["v1beta1"].resources
        ["opentelemetrycollectors"];
    assert_eq!(d.kind, c.kind);
    assert_eq!(d.scope, Scope::Namespaced);
    assert_eq!(d.verbs, c.verbs);
    assert_eq!(d.short_names, c.short_names);
    assert_eq!(
        d.subresources.keys().collect::<Vec<_>>(),
        c.subresources.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        d.subresources["scale"].response,
        c.subresources["scale"].response
    );
    // Discovery alone knows no schema; with the CRD the kind is typed.
    let Ty::Named(id) = &d.object else { panic!() };
    assert_eq!(from_discovery.types[id].shape, Shape::Untyped);

    // The core group: discovery plus the Kubernetes OpenAPI's definitions types every kind.
    let core = fetch(&client, "/api/v1").await;
    let swagger = Document::read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/kubernetes-swagger.json"),
    )
    .unwrap();
    let mut definitions_only = swagger.clone();
    definitions_only.json["paths"] = serde_json::json!({});
    let typed = model(&[core.clone(), definitions_only]);
    let from_openapi = model(&[swagger]);
    let pods = &typed.groups[""].versions["v1"].resources["pods"];
    assert_eq!(pods.object, Ty::Named("io.k8s.api.core.v1.Pod".into()));
    let openapi_pods = &from_openapi.groups[""].versions["v1"].resources["pods"];
    assert_eq!(pods.verbs, openapi_pods.verbs);
    for sub in [
        "status",
        "log",
        "eviction",
        "binding",
        "ephemeralcontainers",
    ] {
        assert_eq!(
            pods.subresources.get(sub).map(|s| &s.response),
            openapi_pods.subresources.get(sub).map(|s| &s.response),
            "pods/{sub}"
        );
    }
}
