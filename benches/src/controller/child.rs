//! One measured run, in a fresh process: build the client, note the peak RSS, start the
//! controller with a no-op reconciler, stop the clock at the Nth reconcile, note the peak.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use tokio::sync::Notify;

use crate::Kind;

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

struct Count {
    done: AtomicUsize,
    target: usize,
    all: Notify,
}

impl Count {
    fn one(&self) {
        if self.done.fetch_add(1, Ordering::Relaxed) + 1 == self.target {
            self.all.notify_one();
        }
    }
}

pub fn run(kind: Kind, url: &str, objects: usize) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let count = Arc::new(Count {
            done: AtomicUsize::new(0),
            target: objects,
            all: Notify::new(),
        });
        let all = count.all.notified();
        tokio::pin!(all);
        all.as_mut().enable();
        let (start, baseline) = match kind {
            Kind::Krest => {
                let mut config = rest_core::Config::new(url);
                // Client-side throttling off, as in the other scenarios.
                config.qps = 0.0;
                // JSON, as kube-runtime speaks (the bench builds `generated` with its codecs).
                config.protobuf = false;
                let client =
                    rest_core::RestClient::for_config(&config).map_err(|e| e.to_string())?;
                let api =
                    rest_core::ResourceClient::<generated::core::v1::ConfigMap>::all_namespaces(
                        &client,
                    );
                let baseline = vm_hwm_kib()?;
                let start = Instant::now();
                let count = count.clone();
                let running = rest_runtime::Controller::new(api, Default::default()).run(
                    |_cm, ctx: Arc<Count>| {
                        ctx.one();
                        futures::future::ready(Ok::<_, Never>(rest_runtime::Action::Done))
                    },
                    count,
                );
                tokio::spawn(running.for_each(|_| async {}));
                (start, baseline)
            }
            Kind::Kube => {
                let uri: http::Uri = url
                    .parse()
                    .map_err(|e: http::uri::InvalidUri| e.to_string())?;
                let client =
                    kube::Client::try_from(kube::Config::new(uri)).map_err(|e| e.to_string())?;
                let api = kube::Api::<k8s_openapi::api::core::v1::ConfigMap>::all(client);
                let baseline = vm_hwm_kib()?;
                let start = Instant::now();
                let count = count.clone();
                let running =
                    kube::runtime::Controller::new(api, kube::runtime::watcher::Config::default())
                        .run(
                            |_cm, ctx: Arc<Count>| {
                                ctx.one();
                                futures::future::ready(Ok::<_, Never>(
                                    kube::runtime::controller::Action::await_change(),
                                ))
                            },
                            |_cm, _err, _ctx| kube::runtime::controller::Action::await_change(),
                            count,
                        );
                tokio::spawn(running.for_each(|_| async {}));
                (start, baseline)
            }
        };
        all.await;
        let seconds = start.elapsed().as_secs_f64();
        let peak = vm_hwm_kib()?;
        println!("seconds={seconds:.6} peak_kib={peak} baseline_kib={baseline}");
        Ok::<(), String>(())
    })?;
    // Skip the teardown: the figures are out.
    std::process::exit(0)
}

fn vm_hwm_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}
