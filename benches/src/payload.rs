//! The bytes the benchmark server answers with, built once: a ConfigMap, a list of 10,000
//! realistic pods (about 38 MB of compact JSON, as kube-apiserver sends it), a watch stream;
//! and the same objects as protobuf, for clients whose `Accept` prefers it.

use bytes::Bytes;
use serde_json::{json, Value};

pub const NAMESPACE: &str = "default";
pub const CONFIG_MAP: &str = "bench-config";

/// Everything the server serves, prebuilt.
pub struct Payloads {
    pub config_map: Bytes,
    pub pod_list: Bytes,
    /// The same pods in pages of [`PAGE`] (the `continue` token of page n+1 is `page-{n+1}`),
    /// for clients that list with `limit`, as the watchers of the cache scenario do.
    pub pod_pages: Vec<Bytes>,
    pub watch: Bytes,
    /// The ConfigMap, the list and the watch stream as protobuf: the JSON bodies decoded into
    /// generated types and encoded by rest-core's encoders.
    pub protobuf: Protobuf,
    pub pods: usize,
    pub events: usize,
}

/// The protobuf bodies: `k8s\0` envelopes around a ConfigMap and a PodList, and a watch
/// stream of length-prefixed `WatchEvent` frames, with the same objects as the JSON bodies.
pub struct Protobuf {
    pub config_map: Bytes,
    pub pod_list: Bytes,
    pub watch: Bytes,
}

impl Payloads {
    pub fn build(pods: usize, events: usize) -> Payloads {
        let items: Vec<Value> = (0..pods).map(pod).collect();
        let list = json!({
            "kind": "PodList",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": "987654"},
            "items": items,
        });
        let pod_list = Bytes::from(serde_json::to_vec(&list).expect("a Value serializes"));
        let pod_pages = pages(&items);
        // Each event is a pod of the list with a new resourceVersion, spliced into its text.
        let texts: Vec<(Vec<u8>, usize, usize)> = items
            .iter()
            .map(|pod| {
                let text = serde_json::to_vec(pod).expect("a Value serializes");
                let rv = pod["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or_default();
                let needle = format!("\"resourceVersion\":\"{rv}\"");
                let at = find(&text, needle.as_bytes()).expect("the pod has a resourceVersion");
                (text, at, at + needle.len())
            })
            .collect();
        let mut watch = Vec::with_capacity(pod_list.len() * events.div_ceil(pods.max(1)) + 1024);
        for i in 0..events {
            let (text, from, to) = &texts[i % pods];
            let kind = match i {
                i if i < pods => "ADDED",
                i if i + pods >= events => "DELETED",
                _ => "MODIFIED",
            };
            watch.extend_from_slice(format!("{{\"type\":\"{kind}\",\"object\":").as_bytes());
            watch.extend_from_slice(&text[..*from]);
            watch
                .extend_from_slice(format!("\"resourceVersion\":\"{}\"", 1_000_000 + i).as_bytes());
            watch.extend_from_slice(&text[*to..]);
            watch.extend_from_slice(b"}\n");
        }
        let config_map = Bytes::from(serde_json::to_vec(&config_map()).expect("serializes"));
        let protobuf = Protobuf::build(&config_map, &pod_list, events);
        Payloads {
            config_map,
            pod_list,
            pod_pages,
            watch: Bytes::from(watch),
            protobuf,
            pods,
            events,
        }
    }
}

impl Protobuf {
    /// The JSON bodies' objects as protobuf. The watch is built as the JSON one is: event `i`
    /// is pod `i % pods` with resourceVersion `1000000 + i`, ADDED for the first pass over
    /// the pods, DELETED for the last, MODIFIED between.
    fn build(config_map: &[u8], pod_list: &[u8], events: usize) -> Protobuf {
        use rest_core::protobuf::{decode_object, encode_object, encode_watch_event};
        type Pod = generated::core::v1::Pod;
        let cm: generated::core::v1::ConfigMap =
            serde_json::from_slice(config_map).expect("the ConfigMap decodes");
        let config_map = encode_object(&cm, "v1", "ConfigMap").expect("the ConfigMap encodes");
        let list: rest_core::List<Pod> =
            serde_json::from_slice(pod_list).expect("the pod list decodes");
        let encoded = encode_object(&list, "v1", "PodList").expect("the pod list encodes");
        // The protobuf bodies carry what the JSON ones do (a field the codecs lost would make
        // the protobuf client's work smaller than the others').
        let mut back: rest_core::List<Pod> = decode_object(&encoded).expect("the pod list decodes");
        // Go writes a struct member that is not a pointer always, empty or not: the only one
        // these pods leave empty is `lastState`, which the JSON payload omits (a real server
        // sends `{}`), so protobuf decodes it as present and empty.
        for pod in &mut back.items {
            let statuses = pod
                .status
                .iter_mut()
                .flat_map(|s| s.container_statuses.iter_mut());
            for status in statuses.flatten() {
                if status.last_state.as_deref() == Some(&Default::default()) {
                    status.last_state = None;
                }
            }
        }
        assert!(
            back == list,
            "the protobuf pod list decodes to other pods than the JSON one"
        );
        let back: generated::core::v1::ConfigMap =
            decode_object(&config_map).expect("the ConfigMap decodes");
        assert!(
            back == cm,
            "the protobuf ConfigMap decodes to another than the JSON one"
        );
        let mut items = list.items;
        let pods = items.len().max(1);
        let mut watch = Vec::with_capacity(encoded.len() * events.div_ceil(pods) + 1024);
        for i in 0..events {
            let mut pod = std::mem::take(&mut items[i % pods]);
            pod.metadata.resource_version = Some((1_000_000 + i).to_string());
            let event = match i {
                i if i < pods => rest_core::WatchEvent::Added(pod),
                i if i + pods >= events => rest_core::WatchEvent::Deleted(pod),
                _ => rest_core::WatchEvent::Modified(pod),
            };
            watch.extend_from_slice(&encode_watch_event(&event, "v1", "Pod").expect("encodes"));
            if let rest_core::WatchEvent::Added(pod)
            | rest_core::WatchEvent::Modified(pod)
            | rest_core::WatchEvent::Deleted(pod) = event
            {
                items[i % pods] = pod;
            }
        }
        Protobuf {
            config_map: Bytes::from(config_map),
            pod_list: Bytes::from(encoded),
            watch: Bytes::from(watch),
        }
    }
}

/// Page size of [`Payloads::pod_pages`] (kube-runtime's and rest-runtime's default).
pub const PAGE: usize = 500;

fn pages(items: &[Value]) -> Vec<Bytes> {
    let count = items.len().div_ceil(PAGE);
    items
        .chunks(PAGE)
        .enumerate()
        .map(|(i, chunk)| {
            let mut meta = json!({"resourceVersion": "987654"});
            if i + 1 < count {
                meta["continue"] = json!(format!("page-{}", i + 1));
                meta["remainingItemCount"] = json!(items.len() - (i + 1) * PAGE);
            }
            let page =
                json!({"kind": "PodList", "apiVersion": "v1", "metadata": meta, "items": chunk});
            Bytes::from(serde_json::to_vec(&page).expect("a Value serializes"))
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Pod number `i` of the list, as compact JSON.
pub fn pod_json(i: usize) -> String {
    pod(i).to_string()
}

fn config_map() -> Value {
    json!({
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {
            "name": CONFIG_MAP,
            "namespace": NAMESPACE,
            "uid": "8d1c5e0a-6c55-4d0f-9a43-3c1f3f0e2b71",
            "resourceVersion": "41235",
            "creationTimestamp": "2025-01-14T09:21:07Z",
            "labels": {"app.kubernetes.io/name": "bench", "app.kubernetes.io/part-of": "krest"},
            "managedFields": [{
                "manager": "kubectl-client-side-apply",
                "operation": "Update",
                "apiVersion": "v1",
                "time": "2025-01-14T09:21:07Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:data": {".": {}, "f:log-level": {}, "f:feature-flags": {}},
                              "f:metadata": {"f:labels": {".": {}, "f:app.kubernetes.io/name": {}, "f:app.kubernetes.io/part-of": {}}}}
            }]
        },
        "data": {
            "log-level": "info",
            "feature-flags": "alpha=false,beta=true,gamma=true",
        }
    })
}

/// A pod as a ReplicaSet of a Deployment leaves it: two containers, probes, resources, env,
/// managed fields of the controller and the kubelet, and a running status.
fn pod(i: usize) -> Value {
    let app = format!("service-{}", i % 97);
    let hash = format!(
        "{:010x}",
        0x5d8f7c6b9_u64.wrapping_mul(i as u64 / 20 + 1) & 0xff_ffff_ffff
    );
    let rs = format!("{app}-{}", &hash[..10]);
    let name = format!("{rs}-{:05x}", i * 7919 % 0xfffff);
    let uid = |salt: usize| {
        let n = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15 ^ salt as u64);
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            n >> 32,
            (n >> 16) & 0xffff,
            n & 0xfff,
            (n >> 20) & 0xfff,
            n & 0xffff_ffff_ffff
        )
    };
    let ip = format!("10.{}.{}.{}", 244 + i % 4, (i / 250) % 250, i % 250 + 2);
    let node = format!("worker-{:02}", i % 40);
    let created = format!(
        "2025-03-{:02}T{:02}:{:02}:{:02}Z",
        1 + i % 28,
        i % 24,
        i % 60,
        (i * 7) % 60
    );
    let image = format!("registry.example.com/shop/{app}:1.24.3");
    json!({
        "metadata": {
            "name": name,
            "generateName": format!("{rs}-"),
            "namespace": NAMESPACE,
            "uid": uid(1),
            "resourceVersion": (100_000 + i).to_string(),
            "creationTimestamp": created,
            "labels": {
                "app.kubernetes.io/name": app,
                "app.kubernetes.io/part-of": "shop",
                "pod-template-hash": hash,
            },
            "annotations": {
                "kubectl.kubernetes.io/restartedAt": "2025-02-27T11:04:55Z",
                "prometheus.io/scrape": "true",
            },
            "ownerReferences": [{
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": rs,
                "uid": uid(2),
                "controller": true,
                "blockOwnerDeletion": true,
            }],
            "managedFields": [
                {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": created,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {
                            "f:generateName": {},
                            "f:labels": {".": {}, "f:app.kubernetes.io/name": {}, "f:app.kubernetes.io/part-of": {}, "f:pod-template-hash": {}},
                            "f:ownerReferences": {".": {}, format!("k:{{\"uid\":\"{}\"}}", uid(2)): {}}
                        },
                        "f:spec": {
                            "f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:env": {}, "f:image": {}, "f:name": {}, "f:ports": {}}, "k:{\"name\":\"proxy\"}": {".": {}, "f:image": {}, "f:name": {}}},
                            "f:restartPolicy": {}, "f:serviceAccountName": {}
                        }
                    }
                },
                {
                    "manager": "kubelet",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": created,
                    "fieldsType": "FieldsV1",
                    "subresource": "status",
                    "fieldsV1": {
                        "f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:podIPs": {}, "f:startTime": {}}
                    }
                }
            ]
        },
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": image,
                    "ports": [
                        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                        {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}
                    ],
                    "env": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}
                    ],
                    "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"}, "periodSeconds": 10, "failureThreshold": 3},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 5},
                    "imagePullPolicy": "IfNotPresent"
                },
                {
                    "name": "proxy",
                    "image": "envoyproxy/envoy:v1.31.2",
                    "ports": [{"name": "proxy", "containerPort": 15001, "protocol": "TCP"}],
                    "env": [{"name": "ENVOY_UID", "value": "0"}],
                    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "50m", "memory": "64Mi"}},
                    "readinessProbe": {"tcpSocket": {"port": 15001}, "periodSeconds": 10},
                    "imagePullPolicy": "IfNotPresent"
                }
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "shop",
            "nodeName": node,
            "schedulerName": "default-scheduler",
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
            "priority": 0
        },
        "status": {
            "phase": "Running",
            "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": created},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": created}
            ],
            "hostIP": format!("192.168.{}.{}", i % 40 / 10, 10 + i % 40),
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": created,
            "containerStatuses": [
                {"name": "app", "state": {"running": {"startedAt": created}}, "ready": true, "restartCount": i % 3, "image": image, "imageID": format!("{image}@sha256:{:064x}", i as u128 * 0x9b2e_4f1c_0d8a_7e6b), "started": true},
                {"name": "proxy", "state": {"running": {"startedAt": created}}, "ready": true, "restartCount": 0, "image": "docker.io/envoyproxy/envoy:v1.31.2", "imageID": "docker.io/envoyproxy/envoy@sha256:3c1b2a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d", "started": true}
            ],
            "qosClass": "Burstable"
        }
    })
}
