//! The discovery client's OpenAPI documents against the fixture API server: `/openapi/v2`
//! and the `/openapi/v3` index and documents, a CRD's kinds in both while it is served, and
//! errors that name the URL.

use crate::support::{client, widgets};
use fixtures::{ApiServer, Fault};
use rest_core::discovery::{DiscoveryClient, OpenApiV3Index};
use rest_core::GroupVersion;
use serde_json::Value;

async fn v3_document(discovery: &DiscoveryClient, index: &OpenApiV3Index, path: &str) -> Value {
    let entry = &index.paths[path];
    assert!(entry.server_relative_url.contains("?hash="), "{entry:?}");
    serde_json::from_slice(&discovery.openapi_v3_document(entry).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_crd_is_in_both_documents_while_it_is_served() {
    let server = ApiServer::start().await;
    let discovery = DiscoveryClient::new(client(&server));
    let v2: Value = serde_json::from_slice(&discovery.openapi_v2().await.unwrap()).unwrap();
    assert!(v2["definitions"]["io.k8s.api.apps.v1.Deployment"].is_object());
    assert!(v2["definitions"].get("com.example.v1.Widget").is_none());
    let index = discovery.openapi_v3_index().await.unwrap();
    let gvs: Vec<GroupVersion> = index.group_versions().map(|(gv, _)| gv).collect();
    assert!(gvs.contains(&GroupVersion::new("", "v1")));
    assert!(gvs.contains(&GroupVersion::new("storage.k8s.io", "v1")));
    assert!(!index.paths.contains_key("apis/example.com/v1"));
    // A built-in group made from the same definitions as v2.
    let storage = v3_document(&discovery, &index, "apis/storage.k8s.io/v1").await;
    assert_eq!(
        storage["components"]["schemas"]["io.k8s.api.storage.v1.StorageClass"]["properties"]
            ["allowedTopologies"]["items"]["$ref"],
        "#/components/schemas/io.k8s.api.core.v1.TopologySelectorTerm"
    );

    server.create(widgets()).unwrap();
    let v2: Value = serde_json::from_slice(&discovery.openapi_v2().await.unwrap()).unwrap();
    let widget = &v2["definitions"]["com.example.v1.Widget"];
    assert_eq!(
        widget["x-kubernetes-group-version-kind"][0]["kind"],
        "Widget"
    );
    assert_eq!(
        widget["properties"]["metadata"]["$ref"],
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    );
    let list_path = "/apis/example.com/v1/namespaces/{namespace}/widgets";
    assert_eq!(v2["paths"][list_path]["get"]["x-kubernetes-action"], "list");
    assert!(v2["paths"][format!("{list_path}/{{name}}/status")]["put"].is_object());
    let index = discovery.openapi_v3_index().await.unwrap();
    let doc = v3_document(&discovery, &index, "apis/example.com/v1").await;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["com.example.v1.WidgetList"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/com.example.v1.Widget"
    );
    assert!(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"].is_object());
    let patch = &doc["paths"][format!("{list_path}/{{name}}")]["patch"];
    assert!(patch["requestBody"]["content"]["application/apply-patch+yaml"].is_object());

    let deleted = client(&server)
        .delete()
        .abs_path("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        .send()
        .await;
    assert!(deleted.error().is_none(), "{:?}", deleted.error());
    let index = discovery.openapi_v3_index().await.unwrap();
    assert!(!index.paths.contains_key("apis/example.com/v1"));
    let v2: Value = serde_json::from_slice(&discovery.openapi_v2().await.unwrap()).unwrap();
    assert!(v2["definitions"].get("com.example.v1.Widget").is_none());
}

#[tokio::test]
async fn a_missing_document_is_an_error_naming_its_url() {
    let server = ApiServer::start().await;
    server.inject(Fault::status(404).on("GET", "/openapi/v3"));
    let discovery = DiscoveryClient::new(client(&server));
    let err = discovery.openapi_v3_index().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("GET {}/openapi/v3: ", server.url())),
        "{err}"
    );
}
