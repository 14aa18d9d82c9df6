//! List bodies from a real kube-apiserver decoded into `List<T>`: paging tokens, resource
//! versions and items, as a caller paging through a collection reads them.

use std::collections::BTreeMap;

use rest_core::meta::{List, ListMeta, ObjectMeta};
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn response_body(name: &str) -> Value {
    let path = format!(
        "{}/../fixtures/apiserver/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["response"]["body"].clone()
}

/// A hand-written ConfigMap, as a generated type would look.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigMap {
    #[serde(skip_serializing_if = "Option::is_none")]
    api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    metadata: ObjectMeta,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<BTreeMap<String, String>>,
}

#[test]
fn first_page_carries_the_continue_token() {
    let body = response_body("list-limit");
    let text = serde_json::to_vec(&body).unwrap();
    let list: List<Value> = serde_json::from_slice(&text).unwrap();
    assert_eq!(list.kind.as_deref(), Some("ConfigMapList"));
    assert_eq!(list.api_version.as_deref(), Some("v1"));
    assert_eq!(list.metadata.resource_version.as_deref(), Some("206"));
    assert_eq!(
        list.metadata.next_page(),
        Some("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MjA2LCJzdGFydCI6InBhZ2UtMVx1MDAwMCJ9")
    );
    assert_eq!(list.items.len(), 2);
    assert_eq!(list.items[0]["metadata"]["name"], "page-0");
}

#[test]
fn typed_items_expose_their_metadata() {
    let body = response_body("list-continue");
    let list: List<ConfigMap> = serde_json::from_value(body.clone()).unwrap();
    let names: Vec<&str> = list
        .items
        .iter()
        .map(|cm| cm.metadata.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["page-2", "page-3"]);
    let labels = list.items[0].metadata.labels.as_ref().unwrap();
    assert_eq!(labels["app"], "pager");
    // Items of a list carry no kind of their own; nothing is invented on the way back.
    assert_eq!(serde_json::to_value(&list).unwrap(), body);
}

#[test]
fn last_page_and_null_items() {
    let list: List<Value> = serde_json::from_str(
        r#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":""},"items":null}"#,
    )
    .unwrap();
    assert_eq!(list.metadata.next_page(), None);
    assert!(list.items.is_empty());

    let bare: List<Value> = serde_json::from_str("{}").unwrap();
    assert_eq!(bare.metadata, ListMeta::default());
    assert_eq!(bare.into_iter().count(), 0);
}

#[test]
fn list_meta_with_every_field_round_trips() {
    let body = serde_json::json!({
        "continue": "token",
        "remainingItemCount": 12,
        "resourceVersion": "42",
        "selfLink": "/api/v1/pods"
    });
    let meta: ListMeta = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(meta.remaining_item_count, Some(12));
    assert_eq!(serde_json::to_value(&meta).unwrap(), body);
}
