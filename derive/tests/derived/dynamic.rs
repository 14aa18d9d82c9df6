//! A derived kind (`CronTab`) and `DynamicObject`, both ways: found by its short name through
//! discovery, written dynamically, read typed, and a conversion that fails naming the field.

// Only `CronTab` of the shared kinds is used here.
use crate::support::*;
#[allow(dead_code)]
use rest_core::dynamic::{ConversionError, DynamicClient, DynamicObject};
use rest_core::meta::{CreateOptions, GetOptions};
use rest_core::{CachedDiscoveryClient, Config, DiscoveryClient, RestClient};
use serde_json::json;

#[tokio::test]
async fn a_derived_kind_converts_to_and_from_dynamic_objects() {
    let server = fixtures::ApiServer::start().await;
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let discovery = CachedDiscoveryClient::new(DiscoveryClient::new(client.clone()));
    discovery.discovery().await.unwrap();
    client
        .post()
        .abs_path("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        .json_body(&CronTab::crd())
        .send()
        .await
        .into_result()
        .unwrap();
    // Created after the cache was filled: the miss refreshes it.
    let resource = discovery.resource_for("ct").await.unwrap();
    assert_eq!(
        resource.gvr(),
        rest_core::GroupVersionResource::of::<CronTab>()
    );

    let typed = CronTab::new("nightly", crontab_spec("0 3 * * *", 2));
    let dynamic = DynamicObject::from_typed(&typed).unwrap().within("default");
    assert_eq!(dynamic.data["spec"]["cronSpec"], "0 3 * * *");
    let created = DynamicClient::new(client.clone())
        .api_resource(&resource)
        .namespace("default")
        .create(&dynamic, &CreateOptions::default())
        .await
        .unwrap();
    let read = CronTabClient::namespaced(&client, "default")
        .get("nightly", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(read.spec, typed.spec);
    assert_eq!(created.into_typed::<CronTab>().unwrap(), read);
}

#[test]
fn a_conversion_failure_names_the_field() {
    let wrong: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "stable.example.com/v1", "kind": "CronTab",
        "metadata": {"name": "bad"},
        "spec": {"cronSpec": "* * * * *", "image": "i", "replicas": "two"},
    }))
    .unwrap();
    let err = wrong.into_typed::<CronTab>().unwrap_err();
    assert!(
        matches!(&err, ConversionError::Field { field, .. } if field == "spec.replicas"),
        "{err}"
    );
    let missing: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "stable.example.com/v1", "kind": "CronTab",
        "metadata": {"name": "bad"},
        "spec": {"cronSpec": "* * * * *", "replicas": 1},
    }))
    .unwrap();
    let err = missing.into_typed::<CronTab>().unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("at spec: missing field `image`"),
        "{message}"
    );
}
