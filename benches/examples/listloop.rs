//! A profiling target for the LIST scenario: lists the benchmark's 10,000 pods N times with
//! krest (JSON; with `protobuf`, krest asking for protobuf; or the hyper floor, or only
//! receives the body) from the bench's loopback server, nothing else in the process
//! (`target/release/examples/listloop 20 [protobuf|hyper|recv]`); prints
//! the median wall time, client CPU and the receiving thread's CPU per list.

#[path = "../src/payload.rs"]
#[allow(dead_code)]
mod payload;

#[path = "../src/cpu.rs"]
#[allow(dead_code)]
mod cpu;

#[path = "../src/cache_protocol.rs"]
#[allow(dead_code)]
mod cache_protocol;

#[path = "../src/server.rs"]
#[allow(dead_code)]
mod server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;

type Pod = generated::core::v1::Pod;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let mode = std::env::args().nth(2).unwrap_or_default();
    let floor = mode == "hyper";
    let recv = mode == "recv";
    let payloads = Arc::new(payload::Payloads::build(10_000, 0));
    let server = server::start(payloads);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = server.url.clone();
    let (mut wall, mut used, mut srv, mut recv_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // The receiving task on a thread of its own name and every drop on another, so that a
    // profile tells them from the payload building and the decoding threads.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("recv".into())
            .spawn_scoped(scope, || {
                runtime.block_on(async {
                    let mut config = rest_core::Config::new(&url);
                    config.qps = 0.0;
                    config.protobuf = mode == "protobuf";
                    let client = rest_core::RestClient::for_config(&config).unwrap();
                    let pods = generated::Clientset::new(client)
                        .core_v1()
                        .pods(payload::NAMESPACE);
                    let hyper = hyper_util::client::legacy::Client::builder(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .build_http::<http_body_util::Empty<bytes::Bytes>>();
                    let uri: http::Uri =
                        format!("{url}/api/v1/namespaces/{}/pods", payload::NAMESPACE)
                            .parse()
                            .unwrap();
                    for _ in 0..rounds {
                        let (cpu0, srv0, recv0) =
                            (cpu::process(), server.cpu_time(), cpu::thread());
                        let started = Instant::now();
                        let list: Box<dyn std::any::Any + Send> = if recv {
                            let resp = hyper.get(uri.clone()).await.unwrap();
                            let mut body = resp.into_body();
                            let mut n = 0;
                            while let Some(f) = body.frame().await {
                                n += f.unwrap().into_data().map_or(0, |d| d.len());
                            }
                            Box::new(n)
                        } else if floor {
                            let resp = hyper.get(uri.clone()).await.unwrap();
                            let body = resp.into_body().collect().await.unwrap().to_bytes();
                            let list: rest_core::List<Pod> = serde_json::from_slice(&body).unwrap();
                            assert_eq!(list.items.len(), 10_000);
                            Box::new(list)
                        } else {
                            let list = pods.list(&Default::default()).await.unwrap();
                            assert_eq!(list.items.len(), 10_000);
                            Box::new(list)
                        };
                        wall.push(started.elapsed());
                        used.push((cpu::process() - cpu0).saturating_sub(server.cpu_time() - srv0));
                        srv.push(server.cpu_time() - srv0);
                        recv_cpu.push(cpu::thread() - recv0);
                        std::thread::scope(|s| {
                            std::thread::Builder::new()
                                .name("drop".into())
                                .spawn_scoped(s, move || drop(list))
                                .unwrap();
                        });
                    }
                })
            })
            .unwrap();
    });
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    println!(
        "{} wall {:.1} ms (p25 {:.1})  client cpu {:.1} ms  server cpu {:.1} ms  receiving thread {:.1} ms",
        if mode.is_empty() { "krest" } else { &mode },
        median(&mut wall),
        wall[wall.len() / 4].as_secs_f64() * 1e3,
        median(&mut used),
        median(&mut srv),
        median(&mut recv_cpu)
    );
}
