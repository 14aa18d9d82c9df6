//! A generated `Deployment` and a `DynamicObject`, both ways: converted in memory, and
//! written by the dynamic client then read by the typed one (and back), on the fixture server.

use generated::apps::v1::Deployment;
use generated::Clientset;
use rest_core::dynamic::{ConversionError, DynamicClient, DynamicObject};
use rest_core::meta::{CreateOptions, GetOptions};
use rest_core::{Config, Error, GroupVersionResource, RestClient};
use serde_json::json;

fn deployment_json(replicas: serde_json::Value) -> serde_json::Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
            }
        }
    })
}

#[test]
fn a_dynamic_deployment_converts_to_the_generated_type_and_back() {
    let dynamic: DynamicObject = serde_json::from_value(deployment_json(json!(3))).unwrap();
    let typed: Deployment = dynamic.clone().into_typed().unwrap();
    assert_eq!(typed.metadata.name.as_deref(), Some("web"));
    let spec = typed.spec.as_deref().unwrap();
    assert_eq!(spec.replicas, Some(3));
    let pod = spec.template.spec.as_deref().unwrap();
    assert_eq!(pod.containers[0].image.as_deref(), Some("nginx:1.27"));
    let back = DynamicObject::from_typed(&typed).unwrap();
    assert_eq!(back, dynamic);
    // A typed object without apiVersion and kind gets them from its type.
    let bare = Deployment {
        api_version: None,
        kind: None,
        ..typed
    };
    let back = DynamicObject::from_typed(&bare).unwrap();
    assert_eq!(back.types.api_version.as_deref(), Some("apps/v1"));
    assert_eq!(back.types.kind.as_deref(), Some("Deployment"));
}

#[test]
fn a_conversion_failure_names_the_field() {
    let dynamic: DynamicObject = serde_json::from_value(deployment_json(json!("three"))).unwrap();
    let err = dynamic.into_typed::<Deployment>().unwrap_err();
    let ConversionError::Field { field, problem, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(field, "spec.replicas");
    assert!(
        problem.contains("invalid type: string \"three\""),
        "{problem}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("cannot convert apps/v1 Deployment \"web\" to a generated::apps::v1::Deployment: at spec.replicas: "),
        "{message}"
    );
    let mut pod: DynamicObject = serde_json::from_value(deployment_json(json!(1))).unwrap();
    pod.types.kind = Some("Pod".into());
    pod.types.api_version = Some("v1".into());
    let err = pod.into_typed::<Deployment>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot convert a v1 Pod to a apps/v1 Deployment: the kinds differ"
    );
    let err: Error = err.into();
    assert!(matches!(err, Error::Conversion(_)));
}

#[tokio::test]
async fn written_dynamically_read_typed_and_back() {
    let server = fixtures::ApiServer::start().await;
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let deployments = DynamicClient::new(client.clone())
        .resource(&GroupVersionResource::of::<Deployment>())
        .namespace("default");
    let dynamic: DynamicObject = serde_json::from_value(deployment_json(json!(2))).unwrap();
    let created = deployments
        .create(&dynamic, &CreateOptions::default())
        .await
        .unwrap();
    let typed = Clientset::new(client)
        .apps_v1()
        .deployments("default")
        .get("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(created.clone().into_typed::<Deployment>().unwrap(), typed);
    assert_eq!(typed.spec.as_deref().unwrap().replicas, Some(2));
    // The server's defaults arrive in both forms alike; the dynamic form also keeps what
    // the typed one drops (the template's `creationTimestamp: null`).
    assert_eq!(
        created.data["spec"]["template"]["spec"]["dnsPolicy"],
        "ClusterFirst"
    );
    assert!(created.data["spec"]["template"]["metadata"]["creationTimestamp"].is_null());
    let round = DynamicObject::from_typed(&typed).unwrap();
    assert_eq!(round.metadata, created.metadata);
    assert_eq!(round.into_typed::<Deployment>().unwrap(), typed);
}
