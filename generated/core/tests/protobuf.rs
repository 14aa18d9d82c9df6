//! The generated core types with the `protobuf` feature: a real kube-apiserver's protobuf
//! answers (fixtures/protobuf/real) decode into the same value as its JSON answers, and
//! encode back to the server's bytes.

use std::path::PathBuf;

use generated_core::core::v1::{ConfigMap, Pod, Service};
use rest_core::meta::List;
use rest_core::protobuf::{decode_object, encode_object, Message};

fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/protobuf/real")
        .join(name)
}

fn pb(name: &str) -> Vec<u8> {
    std::fs::read(real(&format!("{name}.pb"))).unwrap()
}

fn json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&std::fs::read(real(&format!("{name}.json"))).unwrap()).unwrap()
}

/// Decoded from protobuf equals decoded from JSON, and re-encodes to the server's bytes.
fn check<T: Message + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned>(
    name: &str,
    api_version: &str,
    kind: &str,
) -> T {
    let body = pb(name);
    let from_pb: T = decode_object(&body).unwrap();
    let from_json: T = json(name);
    assert_eq!(
        from_pb, from_json,
        "{name}: protobuf and JSON decode differ"
    );
    let again = encode_object(&from_pb, api_version, kind).unwrap();
    assert_eq!(
        again, body,
        "{name}: re-encoded bytes differ from the server's"
    );
    from_pb
}

#[test]
fn a_pod_from_protobuf_is_the_pod_from_json() {
    let pod: Pod = check("pod", "v1", "Pod");
    let spec = pod.spec.as_deref().unwrap();
    assert_eq!(spec.containers[0].image.as_deref(), Some("nginx:1.27"));
    assert_eq!(pod.kind.as_deref(), Some("Pod"));
}

#[test]
fn a_deleting_pod_from_protobuf_is_the_pod_from_json() {
    check::<Pod>("pod-deleting", "v1", "Pod");
}

#[test]
fn a_service_with_a_status_condition_round_trips() {
    check::<Service>("service", "v1", "Service");
}

#[test]
fn a_config_map_list_page_decodes_as_its_json() {
    let list: List<ConfigMap> = check("configmaps-page", "v1", "ConfigMapList");
    assert_eq!(list.items.len(), 1);
}

/// Negotiation through the generated clients against a loopback server that answers as the
/// real API server did (the captured bytes), and records what each request asked for.
mod negotiation {
    use std::sync::{Arc, Mutex};

    use axum::body::Bytes;
    use axum::extract::{Request, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use futures::StreamExt;
    use generated_core::core::v1::{ConfigMap, CoreV1Client, Pod};
    use rest_core::meta::{GetOptions, List, ListMeta, ListOptions, ObjectMeta, WatchEvent};
    use rest_core::protobuf::{decode_object, encode_object, MEDIA_TYPE};
    use rest_core::{Config, RestClient};

    use super::{json, pb, real};

    #[derive(Default)]
    struct Seen {
        accept: Vec<String>,
        bodies: Vec<(String, Vec<u8>)>,
    }

    type Shared = Arc<Mutex<Seen>>;

    fn answer(code: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
        (
            code,
            [(header::CONTENT_TYPE, content_type.to_owned())],
            body,
        )
            .into_response()
    }

    async fn serve(State(seen): State<Shared>, headers: HeaderMap, request: Request) -> Response {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let wants_pb = accept.contains(MEDIA_TYPE);
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or("").to_owned();
        let method = request.method().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .unwrap_or_else(|_| Bytes::new());
        {
            let mut seen = seen.lock().unwrap();
            seen.accept.push(accept);
            seen.bodies.push((content_type.clone(), body.to_vec()));
        }
        let file = |name: &str| {
            if wants_pb {
                answer(StatusCode::OK, MEDIA_TYPE, pb(name))
            } else {
                let text = std::fs::read(real(&format!("{name}.json"))).unwrap();
                answer(StatusCode::OK, "application/json", text)
            }
        };
        match (method.as_str(), path.as_str()) {
            ("GET", "/api/v1/namespaces/default/pods/web-0") => file("pod"),
            ("GET", "/api/v1/namespaces/default/pods/missing") => {
                answer(StatusCode::NOT_FOUND, MEDIA_TYPE, pb("status-404"))
            }
            ("GET", "/api/v1/namespaces/default/configmaps") if query.contains("watch=true") => {
                answer(
                    StatusCode::OK,
                    "application/vnd.kubernetes.protobuf;stream=watch",
                    pb("configmaps-watch"),
                )
            }
            ("GET", "/api/v1/namespaces/default/configmaps") => file("configmaps-page"),
            // A big list, in 7-byte chunks, or cut off in an item when `cut` is asked for.
            ("GET", "/api/v1/namespaces/other/configmaps") => {
                let body = many_config_maps();
                let body = if query.contains("cut") {
                    body[..body.len() - 100].to_vec()
                } else {
                    body
                };
                let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                    body.chunks(7).map(|c| Ok(c.to_vec())).collect();
                (
                    [(header::CONTENT_TYPE, MEDIA_TYPE)],
                    axum::body::Body::from_stream(futures::stream::iter(chunks)),
                )
                    .into_response()
            }
            // These answer JSON whatever was asked for.
            ("GET", "/api/v1/namespaces/default/services") => {
                let list = format!(
                    "{{\"kind\":\"ServiceList\",\"apiVersion\":\"v1\",\"metadata\":{{}},\"items\":[{}]}}",
                    String::from_utf8(std::fs::read(real("service.json")).unwrap()).unwrap()
                );
                answer(StatusCode::OK, "application/json", list.into_bytes())
            }
            ("GET", "/api/v1/namespaces/default/services/web") => {
                let text = std::fs::read(real("service.json")).unwrap();
                answer(StatusCode::OK, "application/json", text)
            }
            // Echoes the protobuf body back, as the server's created object.
            ("POST", "/api/v1/namespaces/default/pods") if content_type == MEDIA_TYPE => {
                answer(StatusCode::CREATED, MEDIA_TYPE, body.to_vec())
            }
            _ => answer(
                StatusCode::NOT_FOUND,
                "text/plain",
                b"no such fixture".to_vec(),
            ),
        }
    }

    /// 300 ConfigMaps as one protobuf list body.
    fn many_config_maps() -> Vec<u8> {
        let items = (0..300)
            .map(|i| ConfigMap {
                metadata: ObjectMeta::namespaced("other", format!("cm-{i}")),
                data: Some([("key".to_owned(), "v".repeat(i))].into()),
                ..Default::default()
            })
            .collect();
        let list = List {
            metadata: ListMeta {
                resource_version: Some("77".into()),
                ..Default::default()
            },
            items,
            ..Default::default()
        };
        encode_object(&list, "v1", "ConfigMapList").unwrap()
    }

    async fn start(protobuf: bool) -> (CoreV1Client, Shared) {
        let seen = Shared::default();
        let app = axum::Router::new().fallback(serve).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let config = Config {
            protobuf,
            qps: 0.0,
            ..Config::new(format!("http://{address}"))
        };
        let client = RestClient::for_config(&config).unwrap();
        (CoreV1Client::new(client), seen)
    }

    #[tokio::test]
    async fn a_get_asks_for_protobuf_and_decodes_it() {
        let (core, seen) = start(true).await;
        let pod = core
            .pods("default")
            .get("web-0", &GetOptions::default())
            .await
            .unwrap();
        assert_eq!(pod, json::<Pod>("pod"));
        assert_eq!(
            seen.lock().unwrap().accept,
            ["application/vnd.kubernetes.protobuf, application/json"]
        );
    }

    #[tokio::test]
    async fn config_and_client_switches_turn_it_off() {
        let (core, seen) = start(false).await;
        let pod = core
            .pods("default")
            .get("web-0", &GetOptions::default())
            .await
            .unwrap();
        assert_eq!(pod, json::<Pod>("pod"));
        let (core_pb, seen_pb) = start(true).await;
        let client = rest_core::ResourceClient::<Pod>::namespaced(core_pb.rest_client(), "default")
            .with_protobuf(false);
        assert_eq!(
            client.get("web-0", &GetOptions::default()).await.unwrap(),
            pod
        );
        for accept in seen
            .lock()
            .unwrap()
            .accept
            .iter()
            .chain(&seen_pb.lock().unwrap().accept)
        {
            assert!(!accept.contains("protobuf"), "{accept}");
        }
    }

    #[tokio::test]
    async fn a_protobuf_status_is_the_same_error() {
        let (core, _) = start(true).await;
        let err = core
            .pods("default")
            .get("missing", &GetOptions::default())
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert!(
            err.to_string().contains("pods \"missing\" not found"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_json_answer_to_a_protobuf_request_still_decodes() {
        let (core, _) = start(true).await;
        let service = core
            .services("default")
            .get("web", &GetOptions::default())
            .await
            .unwrap();
        assert_eq!(service, json("service"));
    }

    #[tokio::test]
    async fn lists_and_watches_decode_protobuf() {
        let (core, _) = start(true).await;
        let list = core
            .config_maps("default")
            .list(&ListOptions::default())
            .await
            .unwrap();
        assert_eq!(list.items.len(), 1);
        assert_eq!(list.metadata.remaining_item_count, Some(1));
        let events: Vec<_> = core
            .config_maps("default")
            .watch(&ListOptions::default())
            .await
            .unwrap()
            .collect()
            .await;
        let names: Vec<String> = events
            .into_iter()
            .map(|e| match e.unwrap() {
                WatchEvent::Added(cm) => cm.metadata.name.unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(names, ["cm-a", "cm-b"]);
    }

    #[tokio::test]
    async fn a_list_arriving_in_small_chunks_decodes_item_by_item() {
        let (core, _) = start(true).await;
        let list = core
            .config_maps("other")
            .list(&ListOptions::default())
            .await
            .unwrap();
        assert_eq!(list.items.len(), 300);
        assert_eq!(list.kind.as_deref(), Some("ConfigMapList"));
        assert_eq!(list.metadata.resource_version.as_deref(), Some("77"));
        let last = &list.items[299];
        assert_eq!(last.metadata.name.as_deref(), Some("cm-299"));
        assert_eq!(last.data.as_ref().unwrap()["key"].len(), 299);
    }

    #[tokio::test]
    async fn a_list_cut_off_is_an_error_that_says_so() {
        let (core, _) = start(true).await;
        let opts = ListOptions {
            label_selector: Some("cut".into()),
            ..Default::default()
        };
        let err = core.config_maps("other").list(&opts).await.unwrap_err();
        assert!(err.to_string().contains("ends inside"), "{err}");
    }

    #[tokio::test]
    async fn a_json_list_answer_to_a_protobuf_request_still_decodes() {
        let (core, _) = start(true).await;
        let list = core
            .services("default")
            .list(&ListOptions::default())
            .await
            .unwrap();
        assert_eq!(list.items, [json("service")]);
    }

    #[tokio::test]
    async fn a_create_sends_protobuf() {
        let (core, seen) = start(true).await;
        let pod: Pod = json("pod");
        let created = core
            .pods("default")
            .create(&pod, &Default::default())
            .await
            .unwrap();
        assert_eq!(created, pod);
        let seen = seen.lock().unwrap();
        let (content_type, body) = &seen.bodies[0];
        assert_eq!(content_type, MEDIA_TYPE);
        assert_eq!(*body, encode_object(&pod, "v1", "Pod").unwrap());
        assert_eq!(decode_object::<Pod>(body).unwrap(), pod);
    }
}

/// The same calls against a real kube-apiserver (`../shared/tools/realk8s.sh start DIR`):
/// run with `KREST_REAL_KUBECONFIG=DIR/kubeconfig`; skipped, saying so, without it.
mod real_server {
    use futures::StreamExt;
    use generated_core::core::v1::{ConfigMap, CoreV1Client};
    use rest_core::meta::{GetOptions, ListOptions, ObjectMeta, WatchEvent};
    use rest_core::{Config, RestClient};

    fn client() -> Option<CoreV1Client> {
        let Some(path) = std::env::var_os("KREST_REAL_KUBECONFIG") else {
            eprintln!(
                "SKIPPED: no KREST_REAL_KUBECONFIG, the real-server protobuf test did not run"
            );
            return None;
        };
        let config = Config::from_kubeconfig(path, None).unwrap();
        Some(CoreV1Client::new(RestClient::for_config(&config).unwrap()))
    }

    #[tokio::test]
    async fn create_get_list_watch_and_delete_in_protobuf() {
        let Some(core) = client() else { return };
        let name = format!("krest-pb-{}", std::process::id());
        let cm = ConfigMap {
            metadata: ObjectMeta::namespaced("default", &name),
            data: Some([("k".to_owned(), "v".to_owned())].into()),
            ..Default::default()
        };
        let maps = core.config_maps("default");
        let created = maps.create(&cm, &Default::default()).await.unwrap();
        assert_eq!(created.data, cm.data);
        let version = created.metadata.resource_version.clone();
        let got = maps.get(&name, &GetOptions::default()).await.unwrap();
        assert_eq!(got, created);
        let list = maps.list(&ListOptions::default()).await.unwrap();
        assert!(list
            .items
            .iter()
            .any(|c| c.metadata.name.as_deref() == Some(&name)));
        let err = maps
            .get("krest-missing", &GetOptions::default())
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");

        let mut updated = got.clone();
        updated.data = Some([("k".to_owned(), "w".to_owned())].into());
        let updated = maps.update(&updated, &Default::default()).await.unwrap();
        let opts = ListOptions {
            resource_version: version,
            timeout_seconds: Some(1),
            ..Default::default()
        };
        let events: Vec<_> = maps.watch(&opts).await.unwrap().collect().await;
        assert!(
            events.iter().any(|e| matches!(
                e, Ok(WatchEvent::Modified(c)) if c.data == updated.data
            )),
            "{events:?}"
        );
        maps.delete(&name, &Default::default()).await.unwrap();
    }
}
