//! The `generated.proto` front end: Kubernetes' own schemas (fixtures/protobuf/proto, v0.32.5)
//! attached to the model of the same release's OpenAPI, and what it reports or refuses.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use client_gen::input::proto::{self, ProtoReport};
use client_gen::model::ApiSet;
use client_gen::proto::{ProtoLabel, ProtoType, WireType};
use client_gen::{Document, Settings};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The whole Kubernetes model with every message attached, and the report.
fn attached() -> &'static (ApiSet, ProtoReport) {
    static SET: OnceLock<(ApiSet, ProtoReport)> = OnceLock::new();
    SET.get_or_init(|| {
        let doc = Document::read(&fixtures().join("openapi/kubernetes-swagger.json")).unwrap();
        let mut set = client_gen::model(&[doc], &Settings::default()).unwrap();
        let files = proto::read_tree(&fixtures().join("protobuf/proto")).unwrap();
        let report = proto::attach(&mut set, &files);
        (set, report)
    })
}

fn field<'a>(set: &'a ApiSet, id: &str, json: &str) -> &'a client_gen::proto::ProtoField {
    &set.proto[id].fields[json]
}

#[test]
fn every_kubernetes_type_gets_its_numbers_and_the_few_that_cannot_are_named() {
    let (set, report) = attached();
    assert_eq!(report.matched, 578);
    assert_eq!(set.proto.len(), 578);
    assert_eq!(
        report.warnings(),
        [
            "protobuf: field io.k8s.api.apiserverinternal.v1alpha1.StorageVersion.spec: the \
             model's Json has no protobuf form (message field is \
             Message(\"k8s.io.api.apiserverinternal.v1alpha1.StorageVersionSpec\"))",
            "protobuf: field io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec: a message, \
             but the model's type is neither a struct nor a list",
        ]
    );
    assert!(!report.is_complete());
    assert!(
        report.message_only_fields.is_empty(),
        "{:?}",
        report.message_only_fields
    );
}

#[test]
fn pods_and_deployments_get_kubernetes_field_numbers() {
    let (set, _) = attached();
    let pod = "io.k8s.api.core.v1.Pod";
    assert_eq!(set.proto[pod].name, "k8s.io.api.core.v1.Pod");
    assert_eq!(field(set, pod, "metadata").number, 1);
    assert_eq!(
        field(set, pod, "metadata").ty,
        ProtoType::Message("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta".into())
    );
    assert_eq!(field(set, pod, "status").number, 3);
    // apiVersion and kind travel in the envelope.
    assert!(!set.proto[pod].fields.contains_key("kind"));

    let containers = field(set, "io.k8s.api.core.v1.PodSpec", "containers");
    assert_eq!(
        (containers.number, containers.label),
        (2, ProtoLabel::Repeated)
    );
    assert_eq!(containers.wire_type(), WireType::Len);
    let grace = field(
        set,
        "io.k8s.api.core.v1.PodSpec",
        "terminationGracePeriodSeconds",
    );
    assert_eq!((grace.number, &grace.ty), (4, &ProtoType::Int64));
    assert_eq!(grace.wire_type(), WireType::Varint);
    let limits = field(set, "io.k8s.api.core.v1.ResourceRequirements", "limits");
    assert_eq!(limits.label, ProtoLabel::Map);
    assert_eq!(
        limits.ty,
        ProtoType::Message("k8s.io.apimachinery.pkg.api.resource.Quantity".into())
    );
    let surge = field(
        set,
        "io.k8s.api.apps.v1.RollingUpdateDeployment",
        "maxSurge",
    );
    assert_eq!(surge.number, 2);

    // Lists are metadata 1 and items 2, as rest-core's List<T> reads them.
    let list = "io.k8s.api.core.v1.PodList";
    assert_eq!(field(set, list, "items").number, 2);
    assert_eq!(field(set, list, "items").label, ProtoLabel::Repeated);
    assert_eq!(field(set, list, "metadata").number, 1);
}

#[test]
fn embedded_go_structs_named_slices_and_odd_spellings_are_matched() {
    let (set, _) = attached();
    // Probe embeds ProbeHandler: JSON flattens it, protobuf nests it as field 1 (httpGet is 2).
    let http = field(set, "io.k8s.api.core.v1.Probe", "httpGet");
    assert_eq!(
        (http.embedded_in.as_slice(), http.number),
        ([1].as_slice(), 2)
    );
    let period = field(set, "io.k8s.api.core.v1.Probe", "periodSeconds");
    assert!(period.embedded_in.is_empty());
    // Two levels: NamedRuleWithOperations > RuleWithOperations > Rule.
    let groups = field(
        set,
        "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations",
        "apiGroups",
    );
    assert_eq!(groups.embedded_in, [2, 2]);
    // The proto spells it `uID`.
    let uid = field(
        set,
        "io.k8s.api.authentication.v1.BoundObjectReference",
        "uid",
    );
    assert_eq!(uid.number, 4);
    // `map<string, ExtraValue>` where ExtraValue wraps `repeated string items = 1`.
    let extra = field(set, "io.k8s.api.authentication.v1.UserInfo", "extra");
    assert_eq!(extra.label, ProtoLabel::Map);
    assert_eq!(
        extra.ty,
        ProtoType::Message("k8s.io.api.authentication.v1.ExtraValue".into())
    );
}

#[test]
fn a_message_that_disagrees_with_the_model_is_reported_by_name() {
    let (set, _) = attached();
    let mut set = set.clone();
    let text = r#"
        syntax = "proto2";
        package k8s.io.api.core.v1;
        message ConfigMap {
          optional int64 data = 2;   // the model has a map of strings
          optional bool immutable = 4;
          optional string extra = 9;
        }
    "#;
    let mut files = vec![proto::parse("configmap.proto", text).unwrap()];
    proto::resolve(&mut files).unwrap();
    let report = proto::attach(&mut set, &files);
    assert_eq!(set.proto.len(), 1);
    assert_eq!(
        set.proto["io.k8s.api.core.v1.ConfigMap"]
            .fields
            .keys()
            .collect::<Vec<_>>(),
        ["immutable"]
    );
    assert!(report.mismatched_fields.contains(
        &"io.k8s.api.core.v1.ConfigMap.data: the model has a map, the message a Optional field data"
            .to_owned()
    ));
    for missing in ["binaryData", "metadata"] {
        assert!(
            report.fields_without_number.contains(&format!(
                "io.k8s.api.core.v1.ConfigMap.{missing} (message k8s.io.api.core.v1.ConfigMap)"
            )),
            "{missing}: {report:?}"
        );
    }
    assert_eq!(
        report.message_only_fields,
        ["k8s.io.api.core.v1.ConfigMap.extra"]
    );
    // Every other struct of the core group now lacks its message.
    assert!(report
        .types_without_message
        .contains(&"io.k8s.api.core.v1.Pod".to_owned()));
}

#[test]
fn what_the_parser_does_not_read_is_an_error_with_file_and_line() {
    let cases = [
        (
            "syntax = \"proto2\";\nenum Phase { A = 0; }",
            "x.proto:2: `enum` is not part of the proto subset",
        ),
        (
            "message M {\n  optional string a = 1;\n  optional string b = 1;\n}",
            "x.proto:3: in message M: fields a and b share number 1",
        ),
        (
            "message M {\n  optional string a = 0;\n}",
            "x.proto:2: in message M: field a has number 0",
        ),
        (
            "/* never closed\nmessage M {}",
            "x.proto:1: a /* comment is never closed",
        ),
        (
            "message M {\n  map<int32, string> m = 1;\n}",
            "x.proto:2: in message M: a map with int32 keys",
        ),
        (
            "message M {\n  optional string a = 1\n}",
            "x.proto:3: in message M: expected `;` after field a",
        ),
        ("syntax = \"proto4\";", "x.proto:1: syntax \"proto4\""),
        (
            "message M {\n  optional string a = 1;\n",
            "x.proto:2: message M is never closed",
        ),
    ];
    for (text, expected) in cases {
        let err = proto::parse("x.proto", text).unwrap_err().to_string();
        assert!(err.starts_with(expected), "{text:?}: {err}");
    }
    let mut files = vec![proto::parse(
        "y.proto",
        "package p;\nmessage M {\n  optional Missing m = 1;\n}",
    )
    .unwrap()];
    let err = proto::resolve(&mut files).unwrap_err().to_string();
    assert!(
        err.starts_with("y.proto:3: in message p.M: field m refers to Missing, which no given"),
        "{err}"
    );
}

#[test]
fn nested_messages_and_relative_names_resolve_by_scope() {
    let text = "package a.b;\nmessage Outer {\n  message Inner { optional string s = 1; }\n  \
                optional Inner inner = 1;\n  repeated .a.b.Outer.Inner all = 2;\n}\n\
                message Other { optional Outer.Inner x = 1 [default = 3]; }";
    let mut files = vec![proto::parse("n.proto", text).unwrap()];
    proto::resolve(&mut files).unwrap();
    let names: Vec<_> = files[0].messages.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["a.b.Outer.Inner", "a.b.Outer", "a.b.Other"]);
    for message in &files[0].messages[1..] {
        for f in &message.fields {
            assert_eq!(f.ty, ProtoType::Message("a.b.Outer.Inner".into()));
        }
    }
}

#[test]
fn go_pointer_fields_are_marked_and_plain_fields_are_not() {
    let (set, _) = attached();
    let mut set = set.clone();
    let list = std::fs::read_to_string(fixtures().join("protobuf/go-pointers.txt")).unwrap();
    let unmatched = proto::mark_pointers(&mut set, &list);
    // `*int32` replicas (0 is "scale to zero") but plain `int32` status counts (0 is unset).
    assert!(field(&set, "io.k8s.api.apps.v1.DeploymentSpec", "replicas").pointer);
    assert!(!field(&set, "io.k8s.api.apps.v1.DeploymentStatus", "replicas").pointer);
    // Declared in the embedded ProbeHandler.
    assert!(field(&set, "io.k8s.api.core.v1.Probe", "httpGet").pointer);
    assert!(!field(&set, "io.k8s.api.core.v1.PodSpec", "nodeName").pointer);
    // Left over: only lines of messages the model has no type for (versions 1.32 no
    // longer serves, options kinds); every attached message's pointers were found.
    let attached: std::collections::BTreeSet<&str> =
        set.proto.values().map(|m| m.name.as_str()).collect();
    for line in &unmatched {
        let message = line.split(' ').next().unwrap();
        assert!(
            !attached.contains(message),
            "{line}: a pointer field the model lacks"
        );
    }
    assert!(!unmatched.is_empty());
}
