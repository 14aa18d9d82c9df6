//! `kubectl api-resources` and `kubectl get <any>` on krest's discovery, REST mapper and
//! dynamic client. With no kubeconfig it starts the fixture API server seeded with pods.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use rest_core::{
    CachedDiscoveryClient, Config, DiscoveryClient, DynamicClient, ListOptions, RestClient,
};

const USAGE: &str = "usage: explore [--kubeconfig PATH] [-n NAMESPACE] api-resources
       explore [--kubeconfig PATH] [-n NAMESPACE] get RESOURCE

api-resources lists what the server serves, as `kubectl api-resources` does.
get lists the objects of RESOURCE in any form kubectl accepts (po, pods, deploy,
deployments.apps, deployments.v1.apps, a CRD's short name, a category such as all).
Without --kubeconfig (and without KUBECONFIG set) it starts the embedded fixture API
server seeded with seven pods. Default: get all.";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("explore: {err}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    kubeconfig: Option<PathBuf>,
    namespace: Option<String>,
    command: Vec<String>,
}

async fn run() -> Result<(), Box<dyn Error>> {
    let args = arguments()?;
    let kubeconfig = args
        .kubeconfig
        .or_else(|| std::env::var_os("KUBECONFIG").map(PathBuf::from));
    // Keep the fixture server alive until the listing is done.
    let (_server, config) = match kubeconfig {
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
    let client = RestClient::for_config(&config)?;
    let namespace = args
        .namespace
        .unwrap_or_else(|| client.default_namespace().to_owned());
    let discovery = CachedDiscoveryClient::new(DiscoveryClient::new(client.clone()));
    match args.command.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["api-resources"] => api_resources(&discovery).await,
        [] => get(&discovery, &client, "all", &namespace).await,
        ["get", resource] => get(&discovery, &client, resource, &namespace).await,
        _ => Err(USAGE.into()),
    }
}

/// NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND of every resource, preferred versions.
async fn api_resources(discovery: &CachedDiscoveryClient) -> Result<(), Box<dyn Error>> {
    let found = discovery.discovery().await?;
    if let Err(err) = found.check() {
        // kubectl goes on with what it has, and says what is missing.
        eprintln!("explore: {err}");
    }
    let rows: Vec<[String; 5]> = found
        .preferred_resources()
        .into_iter()
        .map(|r| {
            [
                r.plural.clone(),
                r.short_names.join(","),
                r.api_version(),
                r.namespaced.to_string(),
                r.kind.clone(),
            ]
        })
        .collect();
    print_table(
        ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"],
        &rows,
    );
    Ok(())
}

/// The objects of every resource `arg` names, through the dynamic client.
async fn get(
    discovery: &CachedDiscoveryClient,
    client: &RestClient,
    arg: &str,
    namespace: &str,
) -> Result<(), Box<dyn Error>> {
    let dynamic = DynamicClient::new(client.clone());
    let mut printed = false;
    for resource in discovery.resources_for(arg).await? {
        if !resource.supports("list") {
            continue;
        }
        let target = dynamic.api_resource(&resource);
        let target = if resource.namespaced {
            target.namespace(namespace)
        } else {
            target
        };
        let list = target
            .list(&ListOptions {
                limit: Some(500),
                ..Default::default()
            })
            .await?;
        if list.items.is_empty() {
            continue;
        }
        let rows: Vec<[String; 2]> = list
            .items
            .iter()
            .map(|obj| {
                let name = format!(
                    "{}/{}",
                    resource.group_resource(),
                    obj.name().unwrap_or_default()
                );
                let status = obj.data.get("status");
                let phase = status
                    .and_then(|s| s.get("phase"))
                    .and_then(|p| p.as_str())
                    .unwrap_or("");
                [name, phase.to_owned()]
            })
            .collect();
        print_table(["NAME", "STATUS"], &rows);
        println!();
        printed = true;
    }
    if !printed {
        println!("No resources found in {namespace} namespace.");
    }
    Ok(())
}

fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("   ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn arguments() -> Result<Args, Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut out = Args {
        kubeconfig: None,
        namespace: None,
        command: Vec::new(),
    };
    while let Some(arg) = args.next() {
        if arg == "--kubeconfig" {
            out.kubeconfig = Some(PathBuf::from(
                args.next().ok_or("--kubeconfig needs a path")?,
            ));
        } else if let Some(value) = arg.strip_prefix("--kubeconfig=") {
            out.kubeconfig = Some(PathBuf::from(value));
        } else if arg == "-n" || arg == "--namespace" {
            out.namespace = Some(args.next().ok_or("--namespace needs a name")?);
        } else if arg == "-h" || arg == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        } else if arg.starts_with('-') {
            return Err(format!("unknown option {arg:?}\n{USAGE}").into());
        } else {
            out.command.push(arg);
        }
    }
    Ok(out)
}
