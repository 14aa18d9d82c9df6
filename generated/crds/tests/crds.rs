//! The CRD clientsets (`fixtures/crds/`): example objects written from each CRD's schema
//! decode into the generated types and encode back to the same JSON, and the typed clients
//! create, read, scale, update and apply status on the fixture API server, which validates them
//! against the CRD's own schema (strict field validation: an unknown field would fail). Their
//! `autoscaling/v1` `Scale` is the Kubernetes API's, from `generated`.

use std::path::Path;

use generated_crds::argoproj::v1alpha1::Application;
use generated_crds::cert_manager::v1::{
    Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateStatus, ClusterIssuer, Issuer,
};
use generated_crds::monitoring::v1::{PrometheusRule, ServiceMonitor};
use generated_crds::opentelemetry::{v1alpha1, v1beta1};
use generated_crds::Clientset;
use rest_core::meta::{
    ApplyOptions, CreateOptions, FieldValidation, GetOptions, IntOrString, UpdateOptions,
};
use rest_core::Config;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `value` as `T`, encodes it again, and asserts nothing changed; returns the `T`.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("does not decode as {}: {e}", std::any::type_name::<T>()));
    assert_eq!(&serde_json::to_value(&typed).unwrap(), value);
    typed
}

fn certificate(name: &str) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "secretName": format!("{name}-tls"),
            "duration": "2160h0m0s",
            "renewBefore": "360h0m0s",
            "commonName": "example.com",
            "dnsNames": ["example.com", "www.example.com"],
            "ipAddresses": ["192.168.0.5"],
            "uris": ["spiffe://cluster.local/ns/sandbox/sa/example"],
            "isCA": false,
            "usages": ["server auth", "client auth"],
            "subject": {"organizations": ["jetstack"], "countries": ["GB"]},
            "privateKey": {"algorithm": "ECDSA", "encoding": "PKCS8", "size": 256, "rotationPolicy": "Always"},
            "keystores": {"pkcs12": {"create": true, "passwordSecretRef": {"name": "p12", "key": "password"}}},
            "secretTemplate": {"annotations": {"team": "edge"}, "labels": {"tier": "frontend"}},
            "issuerRef": {"name": "ca-issuer", "kind": "Issuer", "group": "cert-manager.io"}
        }
    })
}

fn certificate_status() -> Value {
    json!({
        "conditions": [{
            "type": "Ready", "status": "True", "reason": "Ready",
            "message": "Certificate is up to date and has not expired",
            "lastTransitionTime": "2025-01-01T00:00:00Z", "observedGeneration": 1
        }],
        "notBefore": "2025-01-01T00:00:00Z",
        "notAfter": "2025-04-01T00:00:00Z",
        "renewalTime": "2025-03-17T00:00:00Z",
        "revision": 1
    })
}

#[test]
fn cert_manager_objects_round_trip() {
    let mut cert = certificate("example-com");
    cert["status"] = certificate_status();
    let typed: Certificate = round_trip(&cert);
    let spec = typed.spec.as_ref().unwrap();
    assert_eq!(spec.secret_name, "example-com-tls");
    assert_eq!(spec.issuer_ref.name, "ca-issuer");
    assert_eq!(
        spec.private_key.as_ref().unwrap().algorithm,
        Some(CertificateSpecPrivateKeyAlgorithm::Ecdsa)
    );

    // ACME with an HTTP-01 solver whose pod template carries tolerations and resources.
    round_trip::<Issuer>(&json!({
        "apiVersion": "cert-manager.io/v1", "kind": "Issuer",
        "metadata": {"name": "letsencrypt", "namespace": "default"},
        "spec": {"acme": {
            "server": "https://acme-v02.api.letsencrypt.org/directory",
            "email": "ops@example.com",
            "privateKeySecretRef": {"name": "letsencrypt-account"},
            "solvers": [{
                "selector": {"dnsZones": ["example.com"]},
                "http01": {"ingress": {
                    "ingressClassName": "nginx",
                    "podTemplate": {"spec": {
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"}]
                    }}
                }}
            }]
        }},
        "status": {"acme": {"uri": "https://acme-v02.api.letsencrypt.org/acme/acct/1"},
                   "conditions": [{"type": "Ready", "status": "True"}]}
    }));
    round_trip::<ClusterIssuer>(&json!({
        "apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer",
        "metadata": {"name": "ca"},
        "spec": {"ca": {"secretName": "ca-key-pair", "crlDistributionPoints": ["http://crl.example.com"]}}
    }));
}

#[test]
fn prometheus_operator_objects_round_trip() {
    let monitor: ServiceMonitor = round_trip(&json!({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
        "metadata": {"name": "web", "namespace": "monitoring"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "namespaceSelector": {"matchNames": ["default"]},
            "endpoints": [
                {"port": "metrics", "interval": "30s", "scheme": "https",
                 "relabelings": [{"action": "replace", "sourceLabels": ["__meta_kubernetes_pod_node_name"], "targetLabel": "node"}]},
                {"targetPort": 9090, "path": "/metrics"},
                {"targetPort": "web"}
            ]
        }
    }));
    let endpoints = &monitor.spec.endpoints;
    assert_eq!(endpoints[1].target_port, Some(IntOrString::Int(9090)));
    assert_eq!(
        endpoints[2].target_port,
        Some(IntOrString::String("web".into()))
    );

    round_trip::<PrometheusRule>(&json!({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
        "metadata": {"name": "alerts", "namespace": "monitoring"},
        "spec": {"groups": [{
            "name": "web", "interval": "1m",
            "rules": [
                {"alert": "HighErrorRate", "expr": "rate(http_errors_total[5m]) > 0.1", "for": "10m",
                 "labels": {"severity": "page"}, "annotations": {"summary": "errors"}},
                {"record": "job:up:sum", "expr": "sum by (job) (up)"}
            ]
        }]}
    }));
}

#[test]
fn argo_cd_application_round_trips_with_free_form_values() {
    let app: Application = round_trip(&json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": "guestbook", "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": {
                "repoURL": "https://github.com/argoproj/argocd-example-apps.git",
                "targetRevision": "HEAD", "path": "helm-guestbook",
                "helm": {"releaseName": "guestbook", "valueFiles": ["values.yaml"],
                         "valuesObject": {"replicaCount": 2, "image": {"tag": "v1"}, "anything": [1, "two", null]}}
            },
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
            "syncPolicy": {"automated": {"prune": true, "selfHeal": true}, "syncOptions": ["CreateNamespace=true"],
                           "retry": {"limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}}}
        },
        "status": {
            "sync": {"status": "Synced", "revision": "abc123"},
            "health": {"status": "Healthy"},
            "reconciledAt": "2025-01-01T00:00:00Z"
        }
    }));
    // `x-kubernetes-preserve-unknown-fields` keeps whatever it holds, untouched.
    let values = app.spec.source.as_ref().unwrap().helm.as_ref().unwrap();
    assert_eq!(
        values.values_object.as_ref().unwrap()["anything"],
        json!([1, "two", null])
    );
}

fn collector(name: &str) -> Value {
    json!({
        "apiVersion": "opentelemetry.io/v1beta1", "kind": "OpenTelemetryCollector",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "mode": "deployment",
            "replicas": 1,
            "image": "otel/opentelemetry-collector:0.115.0",
            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "1"}},
            "config": {
                "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}}}},
                "exporters": {"debug": {}},
                "service": {"pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["debug"]}}},
                "connectors": {"spanmetrics": {}},
                // Not in the schema's properties, kept by x-kubernetes-preserve-unknown-fields.
                "telemetry": {"logs": {"level": "debug"}}
            }
        }
    })
}

#[test]
fn both_opentelemetry_versions_round_trip() {
    let typed: v1beta1::OpenTelemetryCollector = round_trip(&collector("otel"));
    let spec = typed.spec.as_ref().unwrap();
    // The configuration lists known members and keeps the rest: both survive, typed and not.
    let config = &spec.config;
    assert_eq!(config.exporters, json!({"debug": {}}));
    assert!(config.service.pipelines.contains_key("traces"));
    assert_eq!(
        config.other.get("telemetry"),
        Some(&json!({"logs": {"level": "debug"}}))
    );
    assert_eq!(config.other.len(), 1);
    // Resource amounts are quantities (the CRD copies the Go type as an int-or-string).
    let resources = spec.resources.as_ref().unwrap();
    assert_eq!(
        resources.limits.as_ref().unwrap()["cpu"].as_f64(),
        Some(0.5)
    );
    assert_eq!(resources.requests.as_ref().unwrap()["cpu"].as_str(), "1");
    // A manifest's bare number reads as a quantity too, and is written back as its text,
    // which the schema's int-or-string accepts.
    let mut bare = collector("otel");
    bare["spec"]["resources"]["requests"]["cpu"] = json!(2);
    let typed: v1beta1::OpenTelemetryCollector = serde_json::from_value(bare).unwrap();
    let written = serde_json::to_value(&typed).unwrap();
    assert_eq!(written["spec"]["resources"]["requests"]["cpu"], json!("2"));
    // v1alpha1 keeps the collector configuration as one YAML string.
    round_trip::<v1alpha1::OpenTelemetryCollector>(&json!({
        "apiVersion": "opentelemetry.io/v1alpha1", "kind": "OpenTelemetryCollector",
        "metadata": {"name": "otel", "namespace": "default"},
        "spec": {"mode": "sidecar", "managementState": "managed",
                 "config": "receivers:\n  otlp: {}\n", "args": {"feature-gates": "-component.UseLocalHostAsDefaultHost"}}
    }));
}

fn crd(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/crds")
        .join(file);
    let mut docs = client_gen::input::read_file(&path).unwrap();
    docs.remove(0).json
}

fn strict() -> CreateOptions {
    CreateOptions {
        field_validation: Some(FieldValidation::Strict),
        ..CreateOptions::default()
    }
}

#[tokio::test]
async fn typed_clients_drive_custom_resources_on_the_fixture_server() {
    let server = fixtures::ApiServer::builder()
        .crd(crd("cert-manager.io_certificates.yaml"))
        .crd(crd("opentelemetry.io_opentelemetrycollectors.yaml"))
        .start()
        .await;
    let cs = Clientset::for_config(&Config::new(server.url())).unwrap();

    // The example passes the server's strict validation against the CRD's schema.
    let certs = cs.cert_manager_v1().certificates("default");
    let cert: Certificate = serde_json::from_value(certificate("web")).unwrap();
    let created = certs.create(&cert, &strict()).await.unwrap();
    assert_eq!(created.spec, cert.spec);
    assert!(created.metadata.uid.is_some());

    // Status goes through its subresource, typed both ways.
    let mut with_status = created.clone();
    with_status.status = Some(Box::new(
        serde_json::from_value::<CertificateStatus>(certificate_status()).unwrap(),
    ));
    let updated = certs
        .update_status(&with_status, &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(updated.status, with_status.status);
    let read = certs
        .get_status("web", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(read.status, with_status.status);
    // Server-side apply of a status field the updater set: a conflict naming it (through
    // the status subresource), then taken over with force and merged into the status.
    let revision = json!({"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": "web"}, "status": {"revision": 2}});
    let err = certs
        .apply_status("web", &revision, &ApplyOptions::new("issuer-ctrl"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let applied = certs
        .apply_status("web", &revision, &ApplyOptions::new("issuer-ctrl").force())
        .await
        .unwrap();
    let status = applied.status.as_deref().unwrap();
    assert_eq!(status.revision, Some(2));
    assert_eq!(
        status.conditions,
        with_status.status.as_deref().unwrap().conditions
    );
    let entry = applied
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.manager.as_deref() == Some("issuer-ctrl"))
        .unwrap();
    assert_eq!(
        (entry.operation.as_deref(), entry.subresource.as_deref()),
        (Some("Apply"), Some("status"))
    );

    // Scale reads and writes `spec.replicas` through `autoscaling/v1` `Scale`.
    let collectors = cs
        .opentelemetry_v1beta1()
        .open_telemetry_collectors("default");
    let otel: v1beta1::OpenTelemetryCollector = serde_json::from_value(collector("otel")).unwrap();
    collectors.create(&otel, &strict()).await.unwrap();
    let mut scale = collectors
        .get_scale("otel", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(scale.spec.as_ref().and_then(|s| s.replicas), Some(1));
    scale.spec = Some(generated::autoscaling::v1::ScaleSpec { replicas: Some(3) });
    collectors
        .update_scale("otel", &scale, &UpdateOptions::default())
        .await
        .unwrap();
    let after = collectors
        .get("otel", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(after.spec.as_ref().and_then(|s| s.replicas), Some(3));
    // The free-form collector configuration came back as it went in.
    assert_eq!(after.spec.unwrap().config, otel.spec.unwrap().config);
}

#[test]
fn required_members_of_a_struct_without_default_are_enforced() {
    use generated_crds::monitoring::v1::PrometheusRuleStatusBindings as Binding;
    // Its required `group` is an enum, so the struct has no `Default` and is read member by
    // member rather than in place.
    let full = json!({"group": "monitoring.coreos.com", "resource": "prometheuses",
        "name": "k8s", "namespace": "monitoring", "conditions": []});
    round_trip::<Binding>(&full);
    let mut partial = full.clone();
    partial.as_object_mut().unwrap().remove("namespace");
    let err = serde_json::from_value::<Binding>(partial).unwrap_err();
    assert!(
        err.to_string().contains("missing field `namespace`"),
        "{err}"
    );
    let err = serde_json::from_value::<Binding>(json!({"group": "other"})).unwrap_err();
    assert!(err.to_string().contains("missing field `name`"), "{err}");
}

#[test]
fn enum_values_the_schema_does_not_list_are_kept_and_written_back() {
    use generated_crds::monitoring::v1::PrometheusRuleStatusBindings as Binding;
    use generated_crds::monitoring::v1::PrometheusRuleStatusBindingsGroup as Group;
    // A newer operator binding rules to a kind this CRD version does not list.
    let newer = json!({"group": "thanos.example.com", "resource": "rulers",
        "name": "k8s", "namespace": "monitoring"});
    let binding: Binding = serde_json::from_value(newer.clone()).unwrap();
    assert_eq!(binding.group, Group::Other("thanos.example.com".to_owned()));
    assert_eq!(binding.group.as_str(), "thanos.example.com");
    assert_eq!(serde_json::to_value(&binding).unwrap(), newer);
    let known: Binding = serde_json::from_value(json!({"group": "monitoring.coreos.com",
        "resource": "prometheuses", "name": "k8s", "namespace": "monitoring"}))
    .unwrap();
    assert_eq!(known.group, Group::MonitoringCoreosCom);
    assert_eq!(
        Group::from("monitoring.coreos.com"),
        Group::MonitoringCoreosCom
    );
}

#[tokio::test]
async fn a_list_holding_an_enum_value_the_types_do_not_know_still_decodes() {
    // The server runs a newer channel of the CRD, which allows one more key algorithm.
    let mut newer = crd("cert-manager.io_certificates.yaml");
    let algorithms = newer
        .pointer_mut("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/privateKey/properties/algorithm/enum")
        .and_then(Value::as_array_mut)
        .expect("the CRD lists the key algorithms");
    algorithms.push(json!("MLDSA65"));
    let server = fixtures::ApiServer::builder().crd(newer).start().await;
    let certs = Clientset::for_config(&Config::new(server.url()))
        .unwrap()
        .cert_manager_v1()
        .certificates("default");
    let mut json = certificate("post-quantum");
    json["spec"]["privateKey"] = json!({"algorithm": "MLDSA65"});
    let cert: Certificate = serde_json::from_value(json).unwrap();
    certs.create(&cert, &strict()).await.unwrap();
    let mut json = certificate("classic");
    json["spec"]["privateKey"] = json!({"algorithm": "ECDSA"});
    let classic: Certificate = serde_json::from_value(json).unwrap();
    certs.create(&classic, &strict()).await.unwrap();

    let list = certs.list(&Default::default()).await.unwrap();
    let algorithm = |name: &str| {
        list.items
            .iter()
            .find(|c| c.metadata.name.as_deref() == Some(name))
            .and_then(|c| c.spec.as_ref()?.private_key.as_ref()?.algorithm.clone())
    };
    assert_eq!(
        algorithm("post-quantum"),
        Some(CertificateSpecPrivateKeyAlgorithm::Other(
            "MLDSA65".to_owned()
        ))
    );
    assert_eq!(
        algorithm("classic"),
        Some(CertificateSpecPrivateKeyAlgorithm::Ecdsa)
    );
    // Written back unchanged: an update keeps the value the server knows.
    let mut read = certs
        .get("post-quantum", &GetOptions::default())
        .await
        .unwrap();
    read.metadata
        .labels
        .get_or_insert_default()
        .insert("seen".into(), "yes".into());
    let updated = certs
        .update(&read, &UpdateOptions::default())
        .await
        .unwrap();
    let raw: Value = serde_json::to_value(&updated).unwrap();
    assert_eq!(raw["spec"]["privateKey"]["algorithm"], "MLDSA65");
}
