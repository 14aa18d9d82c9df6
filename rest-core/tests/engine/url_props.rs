//! Property tests of URL building: any namespace, name and subresource the builder accepts
//! yields a URL whose path segments decode back to exactly those values (as a server reads
//! the request), and anything it refuses never reaches the network.

use std::net::TcpListener;

use crate::support::{serve, Log};
use proptest::prelude::*;
use rest_core::{Config, Request, RestClient};

/// Any text, weighted towards what URLs treat specially.
fn segment() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "/", "%", ".", "..", "?", "#", "\\", " ", "\t", "\n", "\r", "+", "&", "=", ";", ":", "@",
        "[", "]", "%2F", "%2e", "é", "\u{0}", "\u{7f}", "\u{feff}", "~", "a", "-", "0",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        3 => prop::collection::vec(prop_oneof![special, "[a-z0-9]{1,3}", any::<char>().prop_map(String::from)], 0..5)
            .prop_map(|parts| parts.concat()),
        1 => ".*",
    ]
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .expect("a path segment of UTF-8")
        .into_owned()
}

/// The path's segments after the client's versioned path (`/api/v1`), decoded.
fn segments(path: &str) -> Vec<String> {
    let rest = path
        .strip_prefix("/api/v1/")
        .unwrap_or_else(|| panic!("{path} is not under /api/v1"));
    rest.split('/').map(decode).collect()
}

fn expected(namespace: &str, name: &str, sub: &str) -> Vec<String> {
    let mut want = Vec::new();
    if !namespace.is_empty() {
        want.extend(["namespaces".to_owned(), namespace.to_owned()]);
    }
    want.extend(["configmaps".to_owned(), name.to_owned()]);
    if !sub.is_empty() {
        want.push(sub.to_owned());
    }
    want
}

fn accepted(segment: &str) -> bool {
    !matches!(segment, "." | "..") && !segment.contains('/') && !segment.contains('%')
}

/// The request for these pieces; an empty namespace is left unset (set empty with a name,
/// it is refused, as client-go does).
fn build(client: &RestClient, namespace: &str, name: &str, sub: &str) -> Request {
    let request = client.get();
    let request = if namespace.is_empty() {
        request
    } else {
        request.namespace(namespace)
    };
    request.resource("configmaps").name(name).sub_resource(sub)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn accepted_segments_decode_back_and_refused_ones_fail_before_io(
        namespace in segment(), name in segment(), sub in segment(),
    ) {
        // Nothing listens behind this client: a refused request must fail before connecting.
        let client = RestClient::for_config(&Config::new("http://127.0.0.1:9")).unwrap();
        let request = build(&client, &namespace, &name, &sub);
        let valid = accepted(&namespace) && accepted(&name) && !name.is_empty() && accepted(&sub);
        match request.url() {
            Ok(url) => {
                prop_assert!(valid, "accepted {namespace:?} {name:?} {sub:?}: {url}");
                prop_assert_eq!(segments(url.path()), expected(&namespace, &name, &sub), "{}", url);
                prop_assert!(url.query().is_none() && url.fragment().is_none(), "{}", url);
            }
            Err(err) => {
                prop_assert!(!valid, "refused {namespace:?} {name:?} {sub:?}: {err}");
                let text = err.to_string();
                prop_assert!(text.contains("invalid") || text.contains("may not be empty"), "{}", text);
            }
        }
    }

    #[test]
    fn query_values_decode_back(key in "[a-zA-Z]{1,8}", value in segment()) {
        let client = RestClient::for_config(&Config::new("http://127.0.0.1:9")).unwrap();
        let url = client.get().resource("pods").param(&key, &value).url().unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, vec![(key, value)], "{}", url);
    }
}

/// What a server reads: every accepted request arrives with the path the builder was given,
/// and the refused ones never connect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reads_the_segments_it_was_given() {
    let log = Log::default();
    let l = log.clone();
    let url = serve(axum::Router::new().fallback(axum::routing::any(
        move |req: axum::extract::Request| {
            let l = l.clone();
            async move {
                l.record(req.method(), req.uri(), req.headers(), b"");
                "{}"
            }
        },
    )))
    .await;
    let client = RestClient::for_config(&Config::new(url.as_str())).unwrap();
    // Refused requests go to a listener that is never served: any connection stays queued.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    silent.set_nonblocking(true).unwrap();
    let refused_client = RestClient::for_config(&Config::new(format!(
        "http://{}",
        silent.local_addr().unwrap()
    )))
    .unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let mut cases = Vec::new();
    for _ in 0..300 {
        let tree = (segment(), segment(), segment())
            .new_tree(&mut runner)
            .unwrap();
        cases.push(proptest::strategy::ValueTree::current(&tree));
    }
    let mut sent = 0;
    for (namespace, name, sub) in cases {
        let valid = accepted(&namespace) && accepted(&name) && !name.is_empty() && accepted(&sub);
        if valid {
            let resp = build(&client, &namespace, &name, &sub).send().await;
            assert_eq!(resp.status_code(), 200, "{:?}", resp.error());
            sent += 1;
            let seen = log.last();
            assert_eq!(
                segments(&seen.path),
                expected(&namespace, &name, &sub),
                "{namespace:?} {name:?} {sub:?} arrived as {}",
                seen.path
            );
        } else {
            let resp = build(&refused_client, &namespace, &name, &sub).send().await;
            let err = resp.error().expect("a refused request fails");
            assert!(
                matches!(err, rest_core::Error::InvalidRequest { .. }),
                "{err:?}"
            );
        }
    }
    assert!(sent > 50, "only {sent} of 300 cases were valid");
    assert_eq!(log.count(), sent);
    assert_eq!(
        silent.accept().map_err(|e| e.kind()).err(),
        Some(std::io::ErrorKind::WouldBlock),
        "a refused request reached the network"
    );
}
