//! URLs by client-go's rules (a table in the style of client-go's request_test), and every
//! builder mistake reported by `send` before any I/O.

use std::time::Duration;

use crate::support::{client, serve, Log};
use axum::extract::Request as AxumRequest;
use axum::routing::any;
use rest_core::{
    Config, DeleteOptions, GroupVersion, ListOptions, PatchType, PropagationPolicy, Request,
    RestClient,
};

fn core() -> RestClient {
    RestClient::for_config(&Config::new("https://k8s.example:6443")).unwrap()
}

fn url(r: Request) -> String {
    r.url().unwrap().to_string()
}

#[test]
fn url_table() {
    let c = core();
    let apps = c.for_group_version(GroupVersion::new("apps", "v1"));
    let prefixed = RestClient::for_config(&Config::new("http://h:8080/proxy/cluster/")).unwrap();
    let base = "https://k8s.example:6443";
    let cases: Vec<(Request, &str)> = vec![
        (c.get().resource("pods"), "/api/v1/pods"),
        (
            c.get().namespace("default").resource("pods"),
            "/api/v1/namespaces/default/pods",
        ),
        (
            c.get().namespace("ns").resource("pods").name("p"),
            "/api/v1/namespaces/ns/pods/p",
        ),
        (
            c.get()
                .namespace("ns")
                .resource("Pods")
                .name("p")
                .sub_resource("log"),
            "/api/v1/namespaces/ns/pods/p/log",
        ),
        (
            c.put()
                .resource("namespaces")
                .name("ns")
                .sub_resource("finalize"),
            "/api/v1/namespaces/ns/finalize",
        ),
        (c.get().namespace("").resource("pods"), "/api/v1/pods"),
        (
            c.get().resource("namespaces").name("ns"),
            "/api/v1/namespaces/ns",
        ),
        (
            apps.get()
                .namespace("ns")
                .resource("deployments")
                .name("d")
                .sub_resource("scale"),
            "/apis/apps/v1/namespaces/ns/deployments/d/scale",
        ),
        (
            c.get()
                .prefix("proxy")
                .namespace("ns")
                .resource("services")
                .name("s"),
            "/api/v1/proxy/namespaces/ns/services/s",
        ),
        (
            c.get()
                .namespace("ns")
                .resource("pods")
                .name("p")
                .suffix("a/b"),
            "/api/v1/namespaces/ns/pods/p/a/b",
        ),
        (
            c.get()
                .namespace("ns")
                .resource("services")
                .name("s:http")
                .sub_resource("proxy")
                .suffix("/healthz"),
            "/api/v1/namespaces/ns/services/s:http/proxy/healthz",
        ),
        (c.get().abs_path("/version"), "/version"),
        (c.get().abs_path("/apis/"), "/apis/"),
        (c.get().abs_path("/openapi").prefix("v2"), "/openapi/v2"),
        (
            c.get().abs_path("/apis/apps/v1").resource("deployments"),
            "/apis/apps/v1/deployments",
        ),
    ];
    for (request, path) in cases {
        assert_eq!(url(request), format!("{base}{path}"));
    }
    // A path on the host prefixes everything, absolute paths included.
    assert_eq!(
        url(prefixed.get().resource("pods")),
        "http://h:8080/proxy/cluster/api/v1/pods"
    );
    assert_eq!(
        url(prefixed.get().abs_path("/version")),
        "http://h:8080/proxy/cluster/version"
    );
}

#[test]
fn query_parameters() {
    let c = core();
    let opts = ListOptions {
        label_selector: Some("app in (a,b),tier=web".into()),
        limit: Some(500),
        continue_: Some("tok".into()),
        resource_version: Some("0".into()),
        ..Default::default()
    };
    let u = url(c.get().resource("pods").params(&opts));
    // Sorted by key as Go's url.Values.Encode; unset options leave no key.
    assert_eq!(
        u,
        "https://k8s.example:6443/api/v1/pods?continue=tok&labelSelector=app+in+%28a%2Cb%29%2Ctier%3Dweb&limit=500&resourceVersion=0"
    );
    let u = url(c.delete().resource("pods").params(&DeleteOptions {
        dry_run: Some(vec!["All".into()]),
        propagation_policy: Some(PropagationPolicy::Foreground),
        ..Default::default()
    }));
    assert!(
        u.ends_with("/api/v1/pods?dryRun=All&propagationPolicy=Foreground"),
        "{u}"
    );
    let u = url(c
        .get()
        .resource("pods")
        .param("b", 1)
        .param("a", "x y")
        .param("b", 2));
    assert!(u.ends_with("/api/v1/pods?a=x+y&b=1&b=2"), "{u}");
    // The timeout is sent as Go writes durations.
    let u = url(c.get().resource("pods").timeout(Duration::from_secs(90)));
    assert!(u.ends_with("/api/v1/pods?timeout=1m30s"), "{u}");
}

#[test]
fn url_template_hides_names_and_values() {
    let c = core();
    let r = c
        .get()
        .namespace("team-a")
        .resource("pods")
        .name("web-1")
        .param("limit", 5);
    assert_eq!(
        r.url_template(),
        "https://k8s.example:6443/api/v1/namespaces/{namespace}/pods/{name}?limit={value}"
    );
    let r = c
        .put()
        .namespace("x")
        .resource("pods")
        .name("web-1")
        .sub_resource("status");
    assert_eq!(
        r.url_template(),
        "https://k8s.example:6443/api/v1/namespaces/{namespace}/pods/{name}/status"
    );
}

#[tokio::test]
async fn mistakes_fail_at_send_before_any_io() {
    let log = Log::default();
    let l = log.clone();
    let url = serve(axum::Router::new().fallback(any(move |req: AxumRequest| {
        let l = l.clone();
        async move {
            l.record(req.method(), req.uri(), req.headers(), b"");
            "{}"
        }
    })))
    .await;
    let (c, _) = client(&url);
    let cases: Vec<(Request, &str)> = vec![
        (
            c.get().namespace("a").namespace("b"),
            "namespace already set to \"a\", cannot change to \"b\"",
        ),
        (
            c.get().resource("pods").resource("nodes"),
            "resource already set to \"pods\", cannot change to \"nodes\"",
        ),
        (
            c.get().resource("pods").name("a").name("b"),
            "resource name already set to \"a\", cannot change to \"b\"",
        ),
        (
            c.get().resource("pods").name(""),
            "resource name may not be empty",
        ),
        (
            c.get()
                .resource("pods")
                .name("p")
                .sub_resource("log")
                .sub_resource("exec"),
            "subresource already set to \"log\", cannot change to \"exec\"",
        ),
        (
            c.get().namespace("."),
            "invalid namespace \".\": may not be '.'",
        ),
        (
            c.get().namespace(".."),
            "invalid namespace \"..\": may not be '..'",
        ),
        (
            c.get().resource("a/b"),
            "invalid resource \"a/b\": may not contain '/'",
        ),
        (
            c.get().resource("pods").name("a%2Fb"),
            "invalid resource name \"a%2Fb\": may not contain '%'",
        ),
        (
            c.get().resource("pods").name("p").sub_resource("status/x"),
            "invalid subresource \"status/x\": may not contain '/'",
        ),
        (
            c.post().namespace("").resource("pods"),
            "an empty namespace may not be set during creation",
        ),
        (
            c.get().namespace("").resource("pods").name("p"),
            "an empty namespace may not be set when a resource name is provided",
        ),
        (
            c.put().namespace("ns").resource("pods"),
            "PUT of a pods needs a resource name",
        ),
        (
            c.patch(PatchType::Merge).namespace("ns").resource("pods"),
            "PATCH of a pods needs a resource name",
        ),
        (
            c.verb("NOT A VERB"),
            "\"NOT A VERB\" is not a valid HTTP verb",
        ),
        (
            c.get().header("bad header", "v"),
            "\"bad header\" is not a valid header name",
        ),
        (
            c.get().params(&vec![1, 2]),
            "parameters must serialize to an object with named fields, not [1,2]",
        ),
        // The first mistake wins; later ones do not replace it.
        (
            c.get().namespace("..").resource("a/b"),
            "invalid namespace \"..\": may not be '..'",
        ),
    ];
    for (request, want) in cases {
        let err = request.url().err();
        let response = request.send().await;
        let sent = response.error().expect("a mistake must fail the request");
        assert_eq!(sent.to_string(), format!("invalid request: {want}"));
        assert_eq!(response.status_code(), 0);
        if let Some(err) = err {
            assert_eq!(err.to_string(), sent.to_string());
        }
    }
    assert_eq!(log.count(), 0, "no request may reach the server");
    // And a correct request does reach it.
    assert!(c.get().resource("pods").send().await.error().is_none());
    assert_eq!(log.count(), 1);
}
