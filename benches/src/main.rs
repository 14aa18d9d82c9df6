//! krest-bench: the same work done five ways (krest JSON, krest protobuf, kube-rs, reqwest, bare hyper) against one
//! loopback server, interleaved round by round, printed as Markdown tables of ratios.
//!
//! `krest-bench [--rounds N] [--get-rounds N] [--quick] [--only get,par,list,rss,watch,decode] [--clients ..] [--trace]`
//! `krest-bench rss-list <client> <url>` (internal: the child process of the memory scenario)
//! `krest-bench cache [--rounds N] [--quick]` (watcher + store next to kube-runtime's; see cache.rs)
//! `krest-bench dump-pod` (prints one pod of the list), `krest-bench sizes` (type sizes)

mod cache;
mod cache_protocol;
mod clients;
mod cpu;
mod decode;
mod order;
mod payload;
mod report;
mod rss;
mod scenarios;
mod server;
mod stats;

use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("rss-list") if args.len() == 3 => rss::child(&args[1], &args[2]),
        Some("cache") => cache::run(&args[1..]),
        Some("cache-rss") if args.len() == 3 => cache::child(&args[1], &args[2]),
        Some("sizes") => {
            sizes();
            Ok(())
        }
        Some("dump-pod") => {
            // One pod of the list, to look at what the scenarios decode.
            println!("{}", payload::pod_json(0));
            Ok(())
        }
        _ => scenarios::Options::parse(&args).and_then(run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("krest-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: scenarios::Options) -> Result<(), String> {
    eprintln!(
        "building payloads: {} pods, {} watch events ...",
        opts.pods, opts.events
    );
    let events = if opts.wants("watch") { opts.events } else { 0 };
    let payloads = Arc::new(payload::Payloads::build(opts.pods, events));
    eprintln!(
        "pod list {:.1} MB, watch stream {:.1} MB, config map {} bytes",
        payloads.pod_list.len() as f64 / 1e6,
        payloads.watch.len() as f64 / 1e6,
        payloads.config_map.len()
    );
    let server = server::start(payloads.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let load_before = report::load_average();
    let results = runtime.block_on(scenarios::run_all(&opts, &server, &payloads))?;
    let load_after = report::load_average();
    report::print(&opts, &payloads, &results, &load_before, &load_after);
    Ok(())
}

/// In-memory sizes of the types a pod decodes into, krest's next to k8s-openapi's.
fn sizes() {
    use std::mem::size_of;
    macro_rules! row {
        ($name:literal, $krest:ty, $kube:ty) => {
            println!(
                "| {} | {} | {} |",
                $name,
                size_of::<$krest>(),
                size_of::<$kube>()
            )
        };
    }
    use generated::core::v1 as g;
    use k8s_openapi::api::core::v1 as k;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1 as km;
    println!("| type | krest bytes | k8s-openapi bytes |\n|---|---:|---:|");
    row!("Pod", g::Pod, k::Pod);
    row!("ObjectMeta", rest_core::ObjectMeta, km::ObjectMeta);
    row!(
        "ManagedFieldsEntry",
        rest_core::ManagedFieldsEntry,
        km::ManagedFieldsEntry
    );
    row!("PodSpec", g::PodSpec, k::PodSpec);
    row!("Container", g::Container, k::Container);
    row!("Probe", g::Probe, k::Probe);
    row!("EnvVar", g::EnvVar, k::EnvVar);
    row!("PodStatus", g::PodStatus, k::PodStatus);
    row!("ContainerStatus", g::ContainerStatus, k::ContainerStatus);
    row!("PodCondition", g::PodCondition, k::PodCondition);
}
