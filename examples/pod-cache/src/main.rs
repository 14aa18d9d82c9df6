//! Keeping a cache of pods: a shared informer (one watch, a store indexed by the `app` label,
//! managedFields dropped) and a subscriber that sees the state, then each change. With no
//! arguments it runs on the embedded fixture API server seeded with seven pods;
//! `--kubeconfig PATH` (or KUBECONFIG) watches a real cluster's `default` namespace instead.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use futures::StreamExt;
use generated::core::v1::Pod;
use generated::Clientset;
use rest_core::{Config, RestClient};
use rest_runtime::informer::{Config as InformerConfig, InformerFactory};
use rest_runtime::store::{drop_managed_fields, label_index, Change, Indexers};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pod-cache: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let kubeconfig = match (args.next().as_deref(), args.next()) {
        (Some("--kubeconfig"), Some(path)) => Some(PathBuf::from(path)),
        (None, _) => std::env::var_os("KUBECONFIG").map(PathBuf::from),
        _ => return Err("usage: pod-cache [--kubeconfig PATH]".into()),
    };
    let (server, config) = match kubeconfig {
        Some(path) => (None, Config::from_kubeconfig(&path, None)?),
        None => {
            let server = fixtures::ApiServer::builder()
                .seed(fixtures::seed_pods())
                .start()
                .await;
            let config = Config::new(server.url());
            (Some(server), config)
        }
    };
    let pods = Clientset::new(RestClient::for_config(&config)?)
        .core_v1()
        .pods("default")
        .0;

    // One informer per resource and selector, however many parts of a program ask for it.
    let factory = InformerFactory::new();
    let informer = factory.informer(
        pods.clone(),
        InformerConfig::default()
            .indexers(Indexers::new().label("app"))
            .transform(drop_managed_fields::<Pod>),
    );
    let mut changes = informer.subscribe();
    let cache = informer.store();
    cache.wait_until_ready().await?;
    println!("cached {} pods", cache.len());
    for pod in cache.by_index(&label_index("app"), "tomcat")? {
        println!(
            "  app=tomcat: {}",
            pod.metadata.name.as_deref().unwrap_or_default()
        );
    }

    // The subscriber first gets the state it joined at, then every change.
    let mut initial = 0;
    while let Some(change) = changes.next().await {
        match change {
            Change::Added(_) => initial += 1,
            Change::Synced => break,
            _ => {}
        }
    }
    println!("subscriber: {initial} pods, then changes:");
    if server.is_some() {
        // On the fixture server, make a change to watch arrive.
        let mut pod: Pod = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "cache-demo", "labels": {"app": "demo"}},
            "spec": {"containers": [{"name": "demo", "image": "busybox"}]}
        }))?;
        pod = pods.create(&pod, &Default::default()).await?;
        pods.delete(
            pod.metadata.name.as_deref().unwrap_or_default(),
            &Default::default(),
        )
        .await?;
    }
    let quiet = Duration::from_secs(if server.is_some() { 2 } else { 10 });
    while let Ok(Some(change)) = tokio::time::timeout(quiet, changes.next()).await {
        let (what, pod) = match &change {
            Change::Added(p) => ("added", p),
            Change::Updated { new, .. } => ("updated", new),
            Change::Deleted(p) => ("deleted", p),
            Change::Resync(p) => ("resync", p),
            Change::Synced => continue,
        };
        println!(
            "  {what}: {}",
            pod.metadata.name.as_deref().unwrap_or_default()
        );
    }
    println!("cached {} pods", cache.len());
    Ok(())
}
