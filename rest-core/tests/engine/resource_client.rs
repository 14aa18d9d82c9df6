//! `ResourceClient<T>`: each verb sends the method, URL, content type and body client-go's
//! gentype client sends, and decodes the answer into `T` (or `Status` for deletes).

use std::sync::{Arc, Mutex};

use crate::support::{client, serve, ConfigMap, Log, Seen};
use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response as AxumResponse;
use axum::routing::any;
use rest_core::{
    ApplyOptions, CreateOptions, DeleteOptions, Deleted, GetOptions, List, ListOptions, ObjectMeta,
    Patch, PatchOptions, PropagationPolicy, Resource, ResourceClient, RestClient, Scope,
    UpdateOptions,
};
use serde_json::{json, Value};

/// A server that records requests and answers each with the next canned (status, body).
async fn canned() -> (RestClient, Log, Arc<Mutex<Vec<(u16, Value)>>>) {
    let log = Log::default();
    let answers: Arc<Mutex<Vec<(u16, Value)>>> = Arc::default();
    let (l, a) = (log.clone(), answers.clone());
    let url = serve(axum::Router::new().fallback(any(move |req: AxumRequest| {
        let (l, a) = (l.clone(), a.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            l.record(&parts.method, &parts.uri, &parts.headers, &body);
            let (status, body) = a.lock().unwrap().remove(0);
            let mut r = AxumResponse::new(Body::from(body.to_string()));
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            r
        }
    })))
    .await;
    (client(&url).0, log, answers)
}

fn cm_json(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": {"k": "v"}})
}

fn target(seen: &Seen) -> String {
    match &seen.query {
        Some(q) => format!("{} {}?{q}", seen.method, seen.path),
        None => format!("{} {}", seen.method, seen.path),
    }
}

fn body(seen: &Seen) -> Value {
    serde_json::from_slice(&seen.body).unwrap()
}

#[tokio::test]
async fn every_verb_sends_what_client_go_sends() {
    let (c, log, answers) = canned().await;
    let cms = ResourceClient::<ConfigMap>::namespaced(&c, "ns");
    let push = |status: u16, v: Value| answers.lock().unwrap().push((status, v));

    push(200, cm_json("one"));
    let got = cms
        .get(
            "one",
            &GetOptions {
                resource_version: Some("0".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(got.data["k"], "v");
    assert_eq!(
        target(&log.last()),
        "GET /api/v1/namespaces/ns/configmaps/one?resourceVersion=0"
    );

    push(
        200,
        json!({"kind": "ConfigMapList", "apiVersion": "v1", "metadata": {"continue": "next"}, "items": [cm_json("a"), cm_json("b")]}),
    );
    let list: List<ConfigMap> = cms
        .list(&ListOptions::default().limit(2).labels("app=web"))
        .await
        .unwrap();
    assert_eq!(
        (list.items.len(), list.metadata.next_page()),
        (2, Some("next"))
    );
    assert_eq!(
        target(&log.last()),
        "GET /api/v1/namespaces/ns/configmaps?labelSelector=app%3Dweb&limit=2"
    );

    push(201, cm_json("new"));
    let created = cms
        .create(
            &ConfigMap::named("new"),
            &CreateOptions {
                field_manager: Some("me".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(created.metadata.name.as_deref(), Some("new"));
    let seen = log.last();
    assert_eq!(
        target(&seen),
        "POST /api/v1/namespaces/ns/configmaps?fieldManager=me"
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(body(&seen)["metadata"]["name"], "new");

    push(200, cm_json("one"));
    cms.update(&ConfigMap::named("one"), &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(
        target(&log.last()),
        "PUT /api/v1/namespaces/ns/configmaps/one"
    );

    push(200, cm_json("one"));
    cms.update_status(&ConfigMap::named("one"), &UpdateOptions::default())
        .await
        .unwrap();
    assert_eq!(
        target(&log.last()),
        "PUT /api/v1/namespaces/ns/configmaps/one/status"
    );

    let merge = Patch::Merge(json!({"data": {"k": "v2"}}));
    push(200, cm_json("one"));
    cms.patch("one", &merge, &PatchOptions::default())
        .await
        .unwrap();
    let seen = log.last();
    assert_eq!(target(&seen), "PATCH /api/v1/namespaces/ns/configmaps/one");
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/merge-patch+json")
    );
    assert_eq!(body(&seen), json!({"data": {"k": "v2"}}));

    let ops: Patch<Value> =
        Patch::Json(json!([{"op": "replace", "path": "/data/k", "value": "v3"}]));
    push(200, cm_json("one"));
    cms.patch_status("one", &ops, &PatchOptions::default())
        .await
        .unwrap();
    let seen = log.last();
    assert_eq!(
        target(&seen),
        "PATCH /api/v1/namespaces/ns/configmaps/one/status"
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/json-patch+json")
    );

    push(200, cm_json("one"));
    cms.apply(
        "one",
        &json!({"apiVersion": "v1", "kind": "ConfigMap"}),
        &ApplyOptions::new("krest").force(),
    )
    .await
    .unwrap();
    let seen = log.last();
    assert_eq!(
        target(&seen),
        "PATCH /api/v1/namespaces/ns/configmaps/one?fieldManager=krest&force=true"
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/apply-patch+yaml")
    );

    push(200, cm_json("one"));
    cms.apply_status(
        "one",
        &json!({"apiVersion": "v1", "kind": "ConfigMap"}),
        &ApplyOptions::new("ctrl"),
    )
    .await
    .unwrap();
    let seen = log.last();
    assert_eq!(
        target(&seen),
        "PATCH /api/v1/namespaces/ns/configmaps/one/status?fieldManager=ctrl"
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/apply-patch+yaml")
    );
    assert_eq!(
        body(&seen),
        json!({"apiVersion": "v1", "kind": "ConfigMap"})
    );

    push(200, json!({"spec": {"replicas": 4}}));
    let scale: Value = cms
        .apply_subresource(
            "scale",
            "one",
            &json!({"spec": {"replicas": 4}}),
            &ApplyOptions::new("hpa").force(),
        )
        .await
        .unwrap();
    assert_eq!(scale["spec"]["replicas"], 4);
    let seen = log.last();
    assert_eq!(
        target(&seen),
        "PATCH /api/v1/namespaces/ns/configmaps/one/scale?fieldManager=hpa&force=true"
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/apply-patch+yaml")
    );

    let opts = DeleteOptions {
        propagation_policy: Some(PropagationPolicy::Background),
        ..Default::default()
    };
    push(
        200,
        json!({"kind": "Status", "apiVersion": "v1", "status": "Success", "details": {"name": "one"}}),
    );
    match cms.delete("one", &opts).await.unwrap() {
        Deleted::Status(s) => assert!(s.is_success()),
        other => panic!("{other:?}"),
    }
    let seen = log.last();
    assert_eq!(target(&seen), "DELETE /api/v1/namespaces/ns/configmaps/one");
    assert_eq!(body(&seen), json!({"propagationPolicy": "Background"}));

    push(200, cm_json("one"));
    assert!(
        matches!(cms.delete("one", &DeleteOptions::default()).await.unwrap(), Deleted::Object(cm) if cm.data["k"] == "v")
    );

    push(
        200,
        json!({"kind": "ConfigMapList", "apiVersion": "v1", "metadata": {}, "items": [cm_json("a")]}),
    );
    let gone = cms
        .delete_collection(
            &DeleteOptions::default(),
            &ListOptions::default().labels("x=y"),
        )
        .await
        .unwrap();
    assert_eq!(gone.items.len(), 1);
    assert_eq!(
        target(&log.last()),
        "DELETE /api/v1/namespaces/ns/configmaps?labelSelector=x%3Dy"
    );
}

#[tokio::test]
async fn subresources_and_scopes() {
    let (c, log, answers) = canned().await;
    let push = |v: Value| answers.lock().unwrap().push((200, v));
    let cms = ResourceClient::<ConfigMap>::namespaced(&c, "ns");

    push(json!({"spec": {"replicas": 3}}));
    let scale: Value = cms
        .get_subresource("scale", "one", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(scale["spec"]["replicas"], 3);
    assert_eq!(
        target(&log.last()),
        "GET /api/v1/namespaces/ns/configmaps/one/scale"
    );

    push(json!({"kind": "Status", "status": "Success"}));
    let _: Value = cms
        .create_subresource(
            "eviction",
            "one",
            &json!({"kind": "Eviction"}),
            &CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        target(&log.last()),
        "POST /api/v1/namespaces/ns/configmaps/one/eviction"
    );

    push(json!({"spec": {"replicas": 5}}));
    let _: Value = cms
        .update_subresource(
            "scale",
            "one",
            &json!({"spec": {"replicas": 5}}),
            &UpdateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        target(&log.last()),
        "PUT /api/v1/namespaces/ns/configmaps/one/scale"
    );

    push(json!({}));
    let _: Value = cms
        .patch_subresource(
            "scale",
            "one",
            &Patch::Merge(json!({})),
            &PatchOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        target(&log.last()),
        "PATCH /api/v1/namespaces/ns/configmaps/one/scale"
    );

    push(json!({"items": []}));
    let all = ResourceClient::<ConfigMap>::all_namespaces(&c);
    all.list(&ListOptions::default()).await.unwrap();
    assert_eq!(target(&log.last()), "GET /api/v1/configmaps");
    let err = all.get("one", &GetOptions::default()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("an empty namespace may not be set when a resource name is provided"),
        "{err}"
    );

    push(json!({"metadata": {"name": "c"}}));
    let crs = ResourceClient::<ClusterThing>::cluster(&c);
    crs.get("c", &GetOptions::default()).await.unwrap();
    assert_eq!(
        target(&log.last()),
        "GET /apis/example.com/v1beta1/things/c"
    );
    // The typed client runs on a derived client sharing the pool it was given.
    assert!(crs.rest_client().shares_pool_with(&c));

    let err = cms
        .update(&ConfigMap::default(), &UpdateOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: update of a ConfigMap needs metadata.name"
    );
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct ClusterThing {
    metadata: ObjectMeta,
}

impl Resource for ClusterThing {
    const GROUP: &'static str = "example.com";
    const VERSION: &'static str = "v1beta1";
    const API_VERSION: &'static str = "example.com/v1beta1";
    const KIND: &'static str = "Thing";
    const PLURAL: &'static str = "things";
    const SCOPE: Scope = Scope::Cluster;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// Generated clients hold `ResourceClient`s across `.await`s on multi-threaded runtimes.
#[test]
fn futures_are_send() {
    fn assert_send<F: std::future::Future + Send>(_: F) {}
    let c = RestClient::for_config(&rest_core::Config::new("http://127.0.0.1:1")).unwrap();
    let cms = ResourceClient::<ConfigMap>::namespaced(&c, "ns");
    assert_send(cms.get("a", &GetOptions::default()));
    assert_send(cms.watch(&ListOptions::default()));
    assert_send(cms.patch("a", &Patch::Merge(json!({})), &PatchOptions::default()));
    assert_send(c.get().send());
    assert_send(c.get().stream());
}

/// A typed GET does not go through the builder but refuses what it refuses, with the same
/// message and in the same order, before anything is sent; what it sends is the builder's.
#[tokio::test]
async fn a_typed_get_checks_and_sends_what_the_builder_does() {
    let (c, log, answers) = canned().await;
    let cases: [(&str, &str); 6] = [
        ("ns", ""),
        ("ns", "a/b"),
        ("ns", ".."),
        ("x/y", "a/b"),
        ("%", "ok"),
        ("", "one"),
    ];
    for (namespace, name) in cases {
        let cms = ResourceClient::<ConfigMap>::namespaced(&c, namespace);
        let typed = cms.get(name, &GetOptions::default()).await.unwrap_err();
        let built = cms.request("GET").name(name).send().await;
        let built = built.error().unwrap();
        assert_eq!(
            typed.to_string(),
            built.to_string(),
            "{namespace:?} {name:?}"
        );
        assert!(matches!(typed, rest_core::Error::InvalidRequest { .. }));
    }
    assert_eq!(log.count(), 0, "nothing is sent for a refused call");

    let cms = ResourceClient::<ConfigMap>::namespaced(&c, "ns");
    for _ in 0..2 {
        answers.lock().unwrap().push((200, cm_json("a:b@c")));
    }
    let opts = GetOptions {
        resource_version: Some("7 8".into()),
    };
    cms.get("a:b@c", &opts).await.unwrap();
    let typed = log.last();
    cms.request("GET").name("a:b@c").params(&opts).send().await;
    let built = log.last();
    assert_eq!(target(&typed), target(&built));
    assert_eq!(
        target(&typed),
        "GET /api/v1/namespaces/ns/configmaps/a:b@c?resourceVersion=7+8"
    );
    for header in ["user-agent", "accept"] {
        assert_eq!(
            typed.header_all(header),
            built.header_all(header),
            "{header}"
        );
        assert_eq!(typed.header_all(header).len(), 1, "{header}");
    }

    // A name the URL must escape goes the same way as through the builder.
    answers.lock().unwrap().push((
        404,
        json!({"kind": "Status", "code": 404, "reason": "NotFound"}),
    ));
    let err = cms
        .get("with space", &GetOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains("/configmaps/with%20space"),
        "{err}"
    );
    assert_eq!(
        log.last().path,
        "/api/v1/namespaces/ns/configmaps/with%20space"
    );
}

/// A typed GET's future is the call's future and little more (every level moves it whole):
/// what it was made from is not kept across the `.await`.
#[test]
fn a_typed_get_future_is_about_the_size_of_the_call() {
    let c = RestClient::for_config(&rest_core::Config::new("http://127.0.0.1:1")).unwrap();
    let cms = ResourceClient::<ConfigMap>::namespaced(&c, "ns");
    let opts = GetOptions::default();
    let typed = std::mem::size_of_val(&cms.get("a", &opts));
    let built = std::mem::size_of_val(&cms.request("GET").name("a").send());
    assert!(
        typed <= built + 64,
        "typed GET future {typed} bytes, Request::send {built}"
    );
}
