//! `ObjectMeta` and the shared value types (Time, Quantity, IntOrString, selectors,
//! conditions, discovery, version): decoded from real server bodies and written back exactly.

use rest_core::meta::{
    APIGroupList, APIResourceList, APIVersions, Condition, Info, IntOrString, LabelSelector,
    LabelSelectorRequirement, MicroTime, ObjectMeta, OwnerReference, Quantity, RawExtension,
    SelectorError, Time, TypeMeta,
};
use serde_json::{json, Value};

fn response_body(name: &str) -> Value {
    let path = format!(
        "{}/../fixtures/apiserver/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["response"]["body"].clone()
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> T {
    let decoded: T = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(&serde_json::to_value(&decoded).unwrap(), body);
    decoded
}

#[test]
fn object_meta_of_a_real_get() {
    let body = response_body("get");
    let meta: ObjectMeta = round_trip(&body["metadata"]);
    assert_eq!(meta.name.as_deref(), Some("one"));
    assert_eq!(meta.namespace.as_deref(), Some("transcripts"));
    assert_eq!(meta.resource_version.as_deref(), Some("199"));
    assert_eq!(
        meta.creation_timestamp.as_ref().map(Time::as_str),
        Some("2026-11-27T13:01:18Z")
    );
    assert_eq!(meta.labels.as_ref().unwrap()["tier"], "web");
    let managed = &meta.managed_fields.as_ref().unwrap()[0];
    assert_eq!(managed.manager.as_deref(), Some("unknown"));
    assert_eq!(managed.operation.as_deref(), Some("Update"));
    assert_eq!(managed.fields_type.as_deref(), Some("FieldsV1"));
    assert_eq!(
        managed.fields_v1.as_ref().unwrap().to_value()["f:data"]["f:k"],
        json!({})
    );

    let types: TypeMeta = serde_json::from_value(body).unwrap();
    assert_eq!(types.kind.as_deref(), Some("ConfigMap"));
    assert_eq!(types.api_version.as_deref(), Some("v1"));
}

#[test]
fn deleted_pod_has_deletion_fields_and_generate_name_survives() {
    let pod = response_body("pod-delete");
    let meta: ObjectMeta = round_trip(&pod["metadata"]);
    assert_eq!(meta.deletion_grace_period_seconds, Some(0));
    assert_eq!(
        meta.deletion_timestamp,
        Some(Time::from("2026-11-27T13:01:18Z"))
    );

    let created = response_body("create-generate-name");
    let meta: ObjectMeta = round_trip(&created["metadata"]);
    assert_eq!(meta.generate_name.as_deref(), Some("gen-"));
    assert_eq!(meta.name.as_deref(), Some("gen-dm427"));
}

#[test]
fn object_meta_with_every_field_round_trips() {
    let body = json!({
        "annotations": {"a": "1", "b": ""},
        "creationTimestamp": "2024-02-29T23:59:59Z",
        "deletionGracePeriodSeconds": 30,
        "deletionTimestamp": "2024-03-01T00:00:29Z",
        "finalizers": ["kubernetes.io/pvc-protection", "example.com/hold"],
        "generateName": "web-",
        "generation": 4,
        "labels": {"app": "web", "tier": "frontend"},
        "managedFields": [{
            "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:replicas": {}, "k:{\"name\":\"c\"}": {".": {}}}},
            "manager": "kubectl",
            "operation": "Apply",
            "subresource": "status",
            "time": "2024-02-29T23:59:59Z"
        }],
        "name": "web-abc12",
        "namespace": "prod",
        "ownerReferences": [{
            "apiVersion": "apps/v1",
            "blockOwnerDeletion": true,
            "controller": true,
            "kind": "ReplicaSet",
            "name": "web-5d4f",
            "uid": "2b1c7e0a-8f4e-4f57-9a51-3c0f4b6f1a11"
        }],
        "resourceVersion": "123456",
        "selfLink": "/api/v1/namespaces/prod/pods/web-abc12",
        "uid": "d9b2e1c4-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
    });
    let meta: ObjectMeta = round_trip(&body);
    assert_eq!(meta.finalizers.as_ref().unwrap().len(), 2);
    let owner = &meta.owner_references.as_ref().unwrap()[0];
    assert_eq!(owner.kind, "ReplicaSet");
    assert_eq!(owner.controller, Some(true));
    assert_eq!(
        meta.managed_fields.as_ref().unwrap()[0]
            .subresource
            .as_deref(),
        Some("status")
    );
}

#[test]
fn object_meta_lists_keep_no_room_beyond_their_items() {
    // A cache holds millions of these: serde's Vec would keep four slots for one owner.
    let meta: ObjectMeta = serde_json::from_value(json!({
        "name": "a",
        "finalizers": ["example.com/cleanup"],
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u"}],
        "managedFields": [{"manager": "m", "operation": "Update"}, {"manager": "k", "operation": "Apply"}],
    }))
    .unwrap();
    let capacities = (
        meta.finalizers.as_ref().map(Vec::capacity),
        meta.owner_references.as_ref().map(Vec::capacity),
        meta.managed_fields.as_ref().map(Vec::capacity),
    );
    assert_eq!(capacities, (Some(1), Some(1), Some(2)));
    // Absent and null lists stay unset.
    let meta: ObjectMeta =
        serde_json::from_value(json!({"name": "b", "finalizers": null})).unwrap();
    assert_eq!((meta.finalizers, meta.owner_references), (None, None));
}

#[test]
fn empty_object_meta_serializes_to_an_empty_object() {
    assert_eq!(serde_json::to_string(&ObjectMeta::default()).unwrap(), "{}");
    // `creationTimestamp: null`, as kubectl and templates write it, reads as unset.
    let meta: ObjectMeta =
        serde_json::from_str(r#"{"creationTimestamp":null,"labels":{"app":"web"}}"#).unwrap();
    assert_eq!(meta.creation_timestamp, None);
    assert_eq!(
        serde_json::to_string(&ObjectMeta::namespaced("ns", "n")).unwrap(),
        r#"{"name":"n","namespace":"ns"}"#
    );
}

#[test]
fn deployment_spec_selector_and_int_or_string() {
    let spec = response_body("deployment-create")["spec"].clone();
    let selector: LabelSelector = round_trip(&spec["selector"]);
    assert_eq!(selector.to_selector_string().unwrap(), "app=web");

    let max_surge: IntOrString =
        serde_json::from_value(spec["strategy"]["rollingUpdate"]["maxSurge"].clone()).unwrap();
    assert_eq!(max_surge, IntOrString::String("25%".into()));
    // 25% of 10 replicas: 3 when rounding up (maxSurge), 2 when rounding down.
    assert_eq!(max_surge.scaled_value(10, true), Some(3));
    assert_eq!(max_surge.scaled_value(10, false), Some(2));

    let template: ObjectMeta =
        serde_json::from_value(spec["template"]["metadata"].clone()).unwrap();
    assert_eq!(template.labels.unwrap()["app"], "web");
}

#[test]
fn times_write_back_exactly_what_they_read() {
    for text in [
        "\"2026-11-27T13:01:18Z\"",
        "\"2026-11-27T14:01:18+01:00\"",
        "\"2026-11-27T13:01:18.5Z\"",
    ] {
        let time: Time = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), text);
    }
    let micro: MicroTime = serde_json::from_str("\"2026-11-27T13:01:18.123456Z\"").unwrap();
    assert_eq!(micro.as_str(), "2026-11-27T13:01:18.123456Z");
    assert_eq!(
        serde_json::to_string(&micro).unwrap(),
        "\"2026-11-27T13:01:18.123456Z\""
    );
}

#[test]
fn times_and_quantities_of_any_length_round_trip_byte_for_byte() {
    let long = format!("\"2026-11-27T13:01:18.{}Z\"", "1".repeat(200));
    for text in [
        "\"\"",
        "\"2026-11-27T13:01:18Z\"",
        "\"2026-11-27T13:01:18.123456Z\"",
        "\"2026-11-27T14:01:18.123456789+01:00\"",
        r#""2026-11-27T13:01:18Z \u00e9t\u00e9""#,
        r#""heure d'été éééééé""#,
        r#""ééééééééééé""#,
        &long,
    ] {
        let decoded: String = serde_json::from_str(text).unwrap();
        let time: Time = serde_json::from_str(text).unwrap();
        let micro: MicroTime = serde_json::from_str(text).unwrap();
        let quantity: Quantity = serde_json::from_str(text).unwrap();
        assert_eq!(time.as_str(), decoded);
        assert_eq!(&*micro, decoded.as_str());
        assert_eq!(quantity, decoded);
        assert_eq!(
            serde_json::to_string(&time).unwrap(),
            serde_json::to_string(&decoded).unwrap()
        );
        assert_eq!(
            serde_norway::from_str::<Time>(&serde_norway::to_string(&time).unwrap()).unwrap(),
            time
        );
        assert_eq!(String::from(time.clone()), decoded);
        assert_eq!(Time::from(decoded.as_str()), time);
        assert_eq!(Quantity::from(decoded.clone()), quantity);
        assert_eq!(time.to_string(), decoded);
    }
    // Byte for byte: what the server wrote is what goes back, escapes aside.
    let list = r#"["2026-11-27T13:01:18Z","2026-11-27T13:01:18.123456Z","x\u00e9"]"#;
    let times: Vec<Time> = serde_json::from_str(list).unwrap();
    assert_eq!(
        serde_json::to_string(&times).unwrap(),
        r#"["2026-11-27T13:01:18Z","2026-11-27T13:01:18.123456Z","xé"]"#
    );
    // Read as strings everywhere one is wanted.
    let time = Time::from("2026-11-27T13:01:18Z");
    assert!(time.starts_with("2026-") && time == "2026-11-27T13:01:18Z");
    assert_eq!(format!("{time:?}"), r#"Time("2026-11-27T13:01:18Z")"#);
    let mut set = std::collections::BTreeSet::new();
    set.insert(Time::from("b"));
    set.insert(Time::from("a".repeat(50)));
    assert!(set.contains("b"));
    assert_eq!(set.iter().next().unwrap().len(), 50);
}

#[test]
fn now_is_formatted_as_the_server_formats_it() {
    let now = Time::now();
    let s = now.as_str();
    assert_eq!(s.len(), "2026-11-27T13:01:18Z".len(), "{s}");
    assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T', "{s}");
    assert!(s >= "2024-01-01T00:00:00Z", "{s}");
    let micro = MicroTime::now();
    assert_eq!(micro.as_str().len(), "2026-11-27T13:01:18.123456Z".len());
}

#[test]
fn quantities_keep_their_text_and_read_their_value() {
    let q: Vec<Quantity> =
        serde_json::from_str(r#"["500m","1Gi","2",1,0.5,"1e3","128974848"]"#).unwrap();
    assert_eq!(
        serde_json::to_value(&q).unwrap(),
        json!(["500m", "1Gi", "2", "1", "0.5", "1e3", "128974848"])
    );
    let values: Vec<Option<f64>> = q.iter().map(Quantity::as_f64).collect();
    assert_eq!(
        values,
        [
            Some(0.5),
            Some(1073741824.0),
            Some(2.0),
            Some(1.0),
            Some(0.5),
            Some(1000.0),
            Some(128974848.0)
        ]
    );
    assert_eq!(Quantity::from("lots").as_f64(), None);
    assert_eq!(Quantity::from("1E").as_f64(), Some(1e18)); // exa, not an exponent
    assert_eq!(Quantity::from("1E3").as_f64(), Some(1000.0));
    assert_eq!(Quantity::from("-250m").as_f64(), Some(-0.25));
    assert_eq!(Quantity::from("1.5e-3").as_f64(), Some(0.0015));
}

#[test]
fn int_or_string_takes_either_and_rejects_the_rest() {
    let ports: Vec<IntOrString> = serde_json::from_str(r#"[8080,"http"]"#).unwrap();
    assert_eq!(ports, [IntOrString::Int(8080), IntOrString::from("http")]);
    assert_eq!(serde_json::to_string(&ports).unwrap(), r#"[8080,"http"]"#);
    assert!(serde_json::from_str::<IntOrString>("true").is_err());
    assert!(serde_json::from_str::<IntOrString>("4294967296").is_err());
    assert_eq!(IntOrString::from("x").scaled_value(10, true), None);
}

#[test]
fn label_selector_strings_follow_client_go() {
    let selector = LabelSelector {
        match_labels: Some([("tier".to_owned(), "web".to_owned())].into()),
        match_expressions: Some(vec![
            LabelSelectorRequirement {
                key: "env".into(),
                operator: "In".into(),
                values: Some(vec!["prod".into(), "dev".into()]),
            },
            LabelSelectorRequirement {
                key: "canary".into(),
                operator: "DoesNotExist".into(),
                values: None,
            },
            LabelSelectorRequirement {
                key: "zone".into(),
                operator: "NotIn".into(),
                values: Some(vec!["a".into()]),
            },
            LabelSelectorRequirement {
                key: "owner".into(),
                operator: "Exists".into(),
                values: Some(vec![]),
            },
        ]),
    };
    assert_eq!(
        selector.to_selector_string().unwrap(),
        "!canary,env in (dev,prod),owner,tier=web,zone notin (a)"
    );
    assert_eq!(LabelSelector::default().to_selector_string().unwrap(), "");
    assert_eq!(
        LabelSelector::from_labels([("app", "web")])
            .to_selector_string()
            .unwrap(),
        "app=web"
    );

    let bad = LabelSelector {
        match_expressions: Some(vec![LabelSelectorRequirement {
            key: "env".into(),
            operator: "Like".into(),
            values: None,
        }]),
        ..LabelSelector::default()
    };
    let err = bad.to_selector_string().unwrap_err();
    assert!(matches!(err, SelectorError::UnknownOperator { .. }));
    assert!(err.to_string().contains("\"Like\""), "{err}");
}

#[test]
fn condition_and_owner_reference_round_trip() {
    let body = json!({
        "lastTransitionTime": "2026-11-27T13:01:18Z",
        "message": "",
        "observedGeneration": 3,
        "reason": "MinimumReplicasAvailable",
        "status": "True",
        "type": "Available"
    });
    let condition: Condition = round_trip(&body);
    assert!(condition.is_true());
    assert_eq!(condition.type_, "Available");

    let owner: OwnerReference = round_trip(&json!({
        "apiVersion": "v1", "kind": "Node", "name": "n1", "uid": "u"
    }));
    assert_eq!(owner.block_owner_deletion, None);
}

#[test]
fn discovery_documents_decode() {
    let versions: APIVersions = round_trip(&json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "172.18.0.2:6443"}]
    }));
    assert_eq!(
        versions.server_address_by_client_cidrs[0].server_address,
        "172.18.0.2:6443"
    );

    let groups: APIGroupList = round_trip(&json!({
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [{
            "name": "apps",
            "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
            "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}
        }]
    }));
    assert_eq!(
        groups.groups[0]
            .preferred_version
            .as_ref()
            .unwrap()
            .group_version,
        "apps/v1"
    );

    let resources: APIResourceList = round_trip(&json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": "apps/v1",
        "resources": [
            {"name": "deployments", "singularName": "deployment", "namespaced": true,
             "kind": "Deployment", "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
             "shortNames": ["deploy"], "categories": ["all"], "storageVersionHash": "8aSe+NMegvE="},
            {"name": "deployments/scale", "singularName": "", "namespaced": true,
             "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}
        ]
    }));
    assert!(resources.resources[0].verbs.contains(&"watch".to_owned()));
    assert_eq!(resources.resources[1].group.as_deref(), Some("autoscaling"));

    // Go writes a nil slice as null.
    let sparse: APIResourceList = serde_json::from_value(json!({
        "groupVersion": "v1",
        "resources": [{"name": "x", "singularName": "x", "namespaced": false, "kind": "X", "verbs": null}]
    }))
    .unwrap();
    assert!(sparse.resources[0].verbs.is_empty());
}

#[test]
fn version_info_and_raw_extension() {
    let body = json!({
        "major": "1", "minor": "32", "gitVersion": "v1.32.0",
        "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53", "gitTreeState": "clean",
        "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3",
        "compiler": "gc", "platform": "linux/amd64"
    });
    let info: Info = round_trip(&body);
    assert_eq!(info.git_version, "v1.32.0");

    let raw: RawExtension = round_trip(&json!({"apiVersion": "v1", "kind": "Pod"}));
    assert_eq!(raw.0["kind"], "Pod");
}

#[test]
fn object_meta_from_kubectl_yaml_keeps_managed_fields() {
    // `kubectl get -o yaml` output, read with the YAML decoder users load manifests with.
    let yaml = r#"
name: web
namespace: default
creationTimestamp: "2026-11-27T13:01:18Z"
labels:
  app: web
managedFields:
- apiVersion: v1
  fieldsType: FieldsV1
  fieldsV1:
    f:metadata:
      f:labels:
        .: {}
        f:app: {}
    f:spec:
      f:containers:
        k:{"name":"c"}:
          .: {}
          f:image: {}
  manager: kubectl-client-side-apply
  operation: Update
  time: "2026-11-27T13:01:18Z"
"#;
    let meta: ObjectMeta = serde_norway::from_str(yaml).unwrap();
    let fields = meta.managed_fields.as_ref().unwrap()[0]
        .fields_v1
        .as_ref()
        .unwrap();
    assert_eq!(
        fields.as_json(),
        r#"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}"#
    );
    let as_json = serde_json::to_value(&meta).unwrap();
    assert_eq!(
        as_json["managedFields"][0]["fieldsV1"]["f:spec"]["f:containers"]["k:{\"name\":\"c\"}"]
            ["f:image"],
        json!({})
    );
    // And back to YAML, as `kubectl apply -f` would read it.
    let again: ObjectMeta =
        serde_norway::from_str(&serde_norway::to_string(&meta).unwrap()).unwrap();
    assert_eq!(again, meta);
}
