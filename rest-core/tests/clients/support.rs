//! What the discovery, mapper and dynamic tests share: a client for a fixture server and
//! CRDs that have no generated types.

#![allow(dead_code)]

use fixtures::ApiServer;
use rest_core::{Config, RestClient};
use serde_json::{json, Value};

pub fn client(server: &ApiServer) -> RestClient {
    RestClient::for_config(&Config::new(server.url())).unwrap()
}

/// A namespaced CRD in `group` with `plural`/`kind`, these short names and categories,
/// these versions (the first is the storage and preferred one), and a status subresource.
pub fn crd(
    group: &str,
    plural: &str,
    kind: &str,
    short: &[&str],
    categories: &[&str],
    versions: &[&str],
) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({
                "name": v, "served": true, "storage": i == 0,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
                "subresources": {"status": {}}
            })
        })
        .collect();
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}")},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": plural, "singular": kind.to_ascii_lowercase(), "kind": kind,
                      "shortNames": short, "categories": categories},
            "versions": versions,
        }
    })
}

/// `widgets.example.com` (`wd`, in `all`), versions v1 only.
pub fn widgets() -> Value {
    crd(
        "example.com",
        "widgets",
        "Widget",
        &["wd"],
        &["all"],
        &["v1"],
    )
}
