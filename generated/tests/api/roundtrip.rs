//! Objects a real kube-apiserver sent and accepted (`fixtures/apiserver/`) and hand-written
//! objects that exercise many fields decode into the generated types and encode back to the
//! same JSON (`null` members aside: they mean "absent", which is what `None` encodes to).

use std::path::Path;

use generated::apps::v1::Deployment;
use generated::autoscaling::v1::Scale;
use generated::core::v1::{ConfigMap, Namespace, Pod, Secret};
use rest_core::meta::{List, Status};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Drops `null` members, recursively.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Decodes `value` as `T`, encodes it again, and asserts nothing changed.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value, what: &str) {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "{what}: does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        without_nulls(back),
        without_nulls(value.clone()),
        "{what}: changed in a round trip"
    );
}

/// Round-trips one object by its apiVersion and kind; returns false for kinds not covered.
fn round_trip_object(value: &Value, what: &str) -> bool {
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    match (api_version, kind) {
        ("v1", "Pod") => round_trip::<Pod>(value, what),
        ("v1", "ConfigMap") => round_trip::<ConfigMap>(value, what),
        ("v1", "ConfigMapList") => round_trip::<List<ConfigMap>>(value, what),
        ("v1", "Namespace") => round_trip::<Namespace>(value, what),
        ("v1", "Secret") => round_trip::<Secret>(value, what),
        ("v1", "Status") => round_trip::<Status>(value, what),
        ("apps/v1", "Deployment") => round_trip::<Deployment>(value, what),
        ("autoscaling/v1", "Scale") => round_trip::<Scale>(value, what),
        _ => return false,
    }
    true
}

#[test]
fn apiserver_transcript_objects_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/apiserver");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut checked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let transcript: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut objects = Vec::new();
        objects.extend(transcript.pointer("/request/body").cloned());
        objects.extend(transcript.pointer("/response/body").cloned());
        for line in transcript
            .pointer("/response/lines")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            objects.extend(line.get("object").cloned());
        }
        for (i, object) in objects.iter().enumerate() {
            if object.get("kind").is_none() {
                continue;
            }
            if round_trip_object(object, &format!("{name} object {i}")) {
                checked += 1;
                kinds.insert(object["kind"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    // Every kind the transcripts hold is covered.
    let expected = [
        "ConfigMap",
        "ConfigMapList",
        "Deployment",
        "Namespace",
        "Pod",
        "Scale",
        "Secret",
        "Status",
    ];
    assert_eq!(
        kinds.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    assert!(checked >= 60, "only {checked} objects checked");
}

#[test]
fn a_pod_using_most_of_the_spec_round_trips() {
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-0",
            "namespace": "default",
            "labels": {"app": "web"},
            "annotations": {"a": "b"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "u-1", "controller": true}]
        },
        "spec": {
            "containers": [{
                "name": "app",
                "image": "nginx:1.27",
                "args": ["--port", "8080"],
                "env": [
                    {"name": "A", "value": "1"},
                    {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}}
                ],
                "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0.1"}},
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
                "readinessProbe": {"tcpSocket": {"port": 8080}, "failureThreshold": 3},
                "securityContext": {"runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}},
                "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true}]
            }],
            "volumes": [
                {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}},
                {"name": "cfg", "configMap": {"name": "web", "defaultMode": 420, "items": [{"key": "k", "path": "p"}]}},
                {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}
            ],
            "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                    "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}}}
            ]}},
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 5}],
            "nodeSelector": {"disk": "ssd"},
            "dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}
        },
        "status": {
            "phase": "Running",
            "hostIP": "10.0.0.1",
            "podIPs": [{"ip": "10.1.0.5"}],
            "hostIPs": [{"ip": "10.0.0.1"}],
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}],
            "containerStatuses": [{
                "name": "app", "ready": true, "restartCount": 0, "image": "nginx:1.27", "imageID": "sha256:x",
                "state": {"running": {"startedAt": "2024-01-01T00:00:01Z"}}
            }],
            "startTime": "2024-01-01T00:00:00Z"
        }
    });
    round_trip::<Pod>(&pod, "hand-written pod");
}

#[test]
fn a_deployment_with_int_or_string_strategy_round_trips() {
    let deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "generation": 3},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {"app": "web"}, "creationTimestamp": null},
                "spec": {"containers": [{"name": "app", "image": "nginx"}]}
            },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
        },
        "status": {
            "observedGeneration": 3, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                "lastUpdateTime": "2024-01-01T00:00:00Z", "lastTransitionTime": "2024-01-01T00:00:00Z"}]
        }
    });
    round_trip::<Deployment>(&deployment, "hand-written deployment");
}

#[test]
fn required_members_are_enforced_and_unknown_members_ignored() {
    // `containers` is required in a PodSpec.
    let err = serde_json::from_value::<Pod>(json!({"spec": {}})).unwrap_err();
    assert!(err.to_string().contains("containers"), "{err}");
    // A member this version does not know (a newer server) decodes fine.
    let pod: Pod =
        serde_json::from_value(json!({"metadata": {"name": "p"}, "newField": 1})).unwrap();
    assert_eq!(pod.metadata.name.as_deref(), Some("p"));
    // `metadata` is always there, even when the JSON lacks it.
    let pod: Pod = serde_json::from_value(json!({})).unwrap();
    assert_eq!(pod.metadata, rest_core::meta::ObjectMeta::default());
}

#[test]
fn the_fixture_seed_pods_round_trip() {
    let pods = fixtures::seed_pods();
    assert_eq!(pods.len(), 7);
    for (i, pod) in pods.iter().enumerate() {
        round_trip::<Pod>(pod, &format!("seed pod {i}"));
    }
}
