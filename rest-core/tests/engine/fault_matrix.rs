//! The fault matrix: each verb of the typed client against each fault the fixture API server
//! injects, with the outcome (tries the server saw, error kind and reason, waits) asserted
//! and checked against the table in the README's "Reliability" section.

use std::sync::Arc;
use std::time::Duration;

use crate::support::ConfigMap;
use fixtures::{ApiServer, Fault};
use futures::StreamExt;
use rest_core::{
    Config, CreateOptions, DeleteOptions, Error, GetOptions, Limits, ListOptions, Patch,
    PatchOptions, RecordingSleeper, ResourceClient, RestClient, UpdateOptions,
};

const NAMESPACE: &str = "default";
const NAME: &str = "cm";
const PATH: &str = "/api/v1/namespaces/default/configmaps";
/// Generous: on a loaded 2-core machine a plain create has taken over 500 ms.
const TIMEOUT: Duration = Duration::from_secs(2);
const MAX_BODY: u64 = 1 << 20;
const MAX_EVENT: usize = 256 << 10;

const VERBS: [&str; 7] = [
    "GET", "LIST", "WATCH", "CREATE", "UPDATE", "PATCH", "DELETE",
];

/// A fault as the table names it, and how to make it for one verb's request.
type NamedFault = (&'static str, fn() -> Fault);

/// The faults, in the table's order.
fn faults() -> Vec<NamedFault> {
    vec![
        ("429 + Retry-After: 1 (twice)", || {
            Fault::too_many_requests(1).times(2)
        }),
        ("503 + Retry-After: 1 (twice)", || {
            Fault::service_unavailable(1).times(2)
        }),
        ("500, no Retry-After", || Fault::status(500)),
        ("reset before headers (twice)", || Fault::reset().times(2)),
        ("reset mid-body", Fault::reset_mid_body),
        ("truncated JSON", || {
            Fault::respond(
                200,
                r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm","namesp"#,
            )
        }),
        ("stalled past the timeout", || Fault::stall(TIMEOUT * 3)),
        ("HTML error page (502)", || Fault::html_error(502)),
        ("oversized body (2 MiB)", || {
            let body = format!(
                "{{\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"cm\"}},\"data\":{{\"k\":\"{}\"}}}}\n",
                "v".repeat(2 << 20)
            );
            Fault::respond(200, body)
        }),
        ("body that never ends", Fault::endless_body),
    ]
}

/// What the table says for each fault, one cell per verb (in `VERBS` order).
const EXPECTED: [[&str; 7]; 10] = [
    ["ok, 3 tries"; 7],
    ["ok, 3 tries"; 7],
    ["Api InternalError, 1 try"; 7],
    [
        "ok, 3 tries",
        "ok, 3 tries",
        "ok, 3 tries",
        "Http, 1 try",
        "Http, 1 try",
        "Http, 1 try",
        "Http, 1 try",
    ],
    [
        "Body, 1 try",
        "Body, 1 try",
        "stream: Body, 1 try",
        "Body, 1 try",
        "Body, 1 try",
        "Body, 1 try",
        "Body, 1 try",
    ],
    [
        "Decode, 1 try",
        "NotDecodable, 1 try",
        "stream: StreamTruncated, 1 try",
        "Decode, 1 try",
        "Decode, 1 try",
        "Decode, 1 try",
        "Decode, 1 try",
    ],
    ["Timeout, 1 try"; 7],
    ["UnexpectedResponse 502, 1 try"; 7],
    [
        "ResponseTooLarge (announced), 1 try",
        "ResponseTooLarge (announced), 1 try",
        "stream: ResponseTooLarge, 1 try",
        "ResponseTooLarge (announced), 1 try",
        "ResponseTooLarge (announced), 1 try",
        "ResponseTooLarge (announced), 1 try",
        "ResponseTooLarge (announced), 1 try",
    ],
    [
        "ResponseTooLarge, 1 try",
        "ResponseTooLarge, 1 try",
        "stream: ResponseTooLarge, 1 try",
        "ResponseTooLarge, 1 try",
        "ResponseTooLarge, 1 try",
        "ResponseTooLarge, 1 try",
        "ResponseTooLarge, 1 try",
    ],
];

/// The error's kind as a reader of the table wants it: the variant, and the reason or code
/// that tells it apart.
fn kind(err: &Error) -> String {
    let debug = format!("{err:?}");
    let variant: String = debug
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    match err {
        Error::Api { .. } => format!("{variant} {}", err.reason()),
        Error::UnexpectedResponse { code, .. } => format!("{variant} {code}"),
        Error::ResponseTooLarge {
            announced: Some(_), ..
        } => format!("{variant} (announced)"),
        _ => variant,
    }
}

fn configmap(name: &str) -> ConfigMap {
    let mut cm = ConfigMap::named(name);
    cm.data.insert("k".into(), "v".into());
    cm
}

/// Runs one verb; `Err` carries the error's kind (prefixed `stream:` when a watch opened
/// and its stream then failed).
async fn run(verb: &str, cms: &ResourceClient<ConfigMap>, cell: usize) -> Result<(), String> {
    let e = |err: Error| kind(&err);
    match verb {
        "GET" => cms
            .get(NAME, &GetOptions::default())
            .await
            .map(drop)
            .map_err(e),
        "LIST" => cms.list(&ListOptions::default()).await.map(drop).map_err(e),
        "WATCH" => {
            let mut events = cms.watch(&ListOptions::default()).await.map_err(e)?;
            // The existing object's ADDED, then quiet for a second (or the stream's failure).
            let mut seen = 0;
            loop {
                let wait = Duration::from_secs(if seen == 0 { 10 } else { 1 });
                match tokio::time::timeout(wait, events.next()).await {
                    Ok(Some(Ok(_))) => seen += 1,
                    Ok(Some(Err(err))) => return Err(format!("stream: {}", kind(&err))),
                    Ok(None) | Err(_) => break,
                }
            }
            if seen == 0 {
                return Err("stream: no event".into());
            }
            Ok(())
        }
        "CREATE" => cms
            .create(
                &configmap(&format!("new-{cell}")),
                &CreateOptions::default(),
            )
            .await
            .map(drop)
            .map_err(e),
        "UPDATE" => cms
            .update(&configmap(NAME), &UpdateOptions::default())
            .await
            .map(drop)
            .map_err(e),
        "PATCH" => cms
            .patch(
                NAME,
                &Patch::Merge(serde_json::json!({"data": {"patched": "yes"}})),
                &PatchOptions::default(),
            )
            .await
            .map(drop)
            .map_err(e),
        "DELETE" => cms
            .delete(NAME, &DeleteOptions::default())
            .await
            .map(drop)
            .map_err(e),
        other => panic!("no verb {other}"),
    }
}

/// The path and method a verb's request uses, for the fault to match it alone.
fn target(verb: &str) -> (&'static str, String) {
    match verb {
        "GET" => ("GET", format!("{PATH}/{NAME}")),
        "LIST" | "WATCH" => ("GET", PATH.to_owned()),
        "CREATE" => ("POST", PATH.to_owned()),
        "UPDATE" => ("PUT", format!("{PATH}/{NAME}")),
        "PATCH" => ("PATCH", format!("{PATH}/{NAME}")),
        "DELETE" => ("DELETE", format!("{PATH}/{NAME}")),
        other => panic!("no verb {other}"),
    }
}

fn tries(n: usize) -> String {
    if n == 1 {
        "1 try".into()
    } else {
        format!("{n} tries")
    }
}

/// The matrix as the README shows it.
fn table(cells: &[Vec<String>]) -> String {
    let mut out = format!(
        "| fault | {} |\n|---|{}\n",
        VERBS.join(" | "),
        "---|".repeat(7)
    );
    for ((fault, _), row) in faults().iter().zip(cells) {
        out.push_str(&format!("| {fault} | {} |\n", row.join(" | ")));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_verb_against_every_fault() {
    let server = ApiServer::start().await;
    let sleeper = Arc::new(RecordingSleeper::new());
    let mut config = Config::new(server.url());
    config.qps = 0.0;
    config.max_retries = 3;
    config.timeout = Some(TIMEOUT);
    config.sleeper = Some(sleeper.clone());
    config.limits = Limits {
        max_body_bytes: MAX_BODY,
        max_watch_event_bytes: MAX_EVENT,
        ..Limits::default()
    };
    let client = RestClient::for_config(&config).unwrap();
    let cms = ResourceClient::<ConfigMap>::namespaced(&client, NAMESPACE);
    let mut cells = Vec::new();
    let mut wrong = Vec::new();
    for (row, (fault_name, fault)) in faults().into_iter().enumerate() {
        let mut line = Vec::new();
        for (col, verb) in VERBS.into_iter().enumerate() {
            // The object the verbs address exists, and nothing else is pending.
            server.clear_faults();
            let _ = cms.delete(NAME, &DeleteOptions::default()).await;
            cms.create(&configmap(NAME), &CreateOptions::default())
                .await
                .expect("the object the verbs address");
            server.clear_requests();
            let before = sleeper.waits().len();
            let (method, path) = target(verb);
            server.inject(fault().on(method, &path));
            let outcome = run(verb, &cms, row * 10 + col).await;
            server.clear_faults();
            let seen = server
                .requests()
                .iter()
                .filter(|r| r.method == method && r.path == path)
                .count();
            let cell = match &outcome {
                Ok(()) => format!("ok, {}", tries(seen)),
                Err(kind) => format!("{kind}, {}", tries(seen)),
            };
            // A Retry-After is waited for exactly; nothing else waits.
            let waits = sleeper.waits()[before..].to_vec();
            let expected_waits = if fault_name.contains("+ Retry-After") {
                vec![Duration::from_secs(1); 2]
            } else {
                Vec::new()
            };
            if waits != expected_waits {
                wrong.push(format!(
                    "{verb} x {fault_name}: waited {waits:?}, expected {expected_waits:?}"
                ));
            }
            if cell != EXPECTED[row][col] {
                wrong.push(format!(
                    "{verb} x {fault_name}: {cell:?}, expected {:?}",
                    EXPECTED[row][col]
                ));
            }
            line.push(cell);
        }
        cells.push(line);
    }
    let table = table(&cells);
    println!("{table}");
    assert!(wrong.is_empty(), "{}\n\n{table}", wrong.join("\n"));
    // Everything still works after all of it, on the same client and pool.
    server.clear_faults();
    cms.create(&configmap("after"), &CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(
        cms.get("after", &GetOptions::default())
            .await
            .unwrap()
            .data
            .get("k")
            .map(String::as_str),
        Some("v")
    );
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        readme.contains(&table),
        "README.md's Reliability section does not show this matrix; paste it there:\n\n{table}"
    );
}
