//! The seed's program (client-go's list-pods through `RESTClient`), on krest's generated
//! clientset. With no arguments it starts the fixture API server seeded with seven pods.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use generated::Clientset;
use rest_core::{Config, ListOptions, RestClient};

const USAGE: &str = "usage: quickstart [--kubeconfig PATH]

Lists the pods of namespace `default` (limit 500), as the client-go example does.
Without --kubeconfig (and without KUBECONFIG set) it starts the embedded fixture API
server seeded with seven pods and lists those.";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quickstart: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let kubeconfig = match kubeconfig_argument()? {
        Some(path) => Some(path),
        None => std::env::var_os("KUBECONFIG").map(PathBuf::from),
    };

    // Keep the fixture server alive until the listing is done.
    let (_server, config) = match kubeconfig {
        Some(path) => (None, Config::from_kubeconfig(&path, None)?),
        None => {
            let server = fixtures::ApiServer::builder()
                .seed(fixtures::seed_pods())
                .start()
                .await;
            let config = Config::new(server.url());
            // First, so nobody takes the rows for their cluster's pods; on stderr, so stdout
            // stays the rows alone.
            eprintln!(
                "quickstart: started an embedded fixture API server at {} (seven seed pods); \
                 --kubeconfig PATH lists a real cluster's pods",
                server.url()
            );
            (Some(server), config)
        }
    };

    let client = RestClient::for_config(&config)?;
    let options = ListOptions {
        limit: Some(500),
        ..Default::default()
    };
    let pods = Clientset::new(client)
        .core_v1()
        .pods("default")
        .list(&options)
        .await?;

    for pod in &pods.items {
        let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        let phase = pod
            .status
            .as_ref()
            .and_then(|status| status.phase.as_deref())
            .unwrap_or_default();
        println!("NAMESPACE:{namespace} \t NAME: {name} \t STATUS: {phase}");
    }
    Ok(())
}

/// `--kubeconfig PATH` or `--kubeconfig=PATH`; anything else is a usage error.
fn kubeconfig_argument() -> Result<Option<PathBuf>, Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    while let Some(arg) = args.next() {
        if arg == "--kubeconfig" {
            let value = args.next().ok_or("--kubeconfig needs a path")?;
            path = Some(PathBuf::from(value));
        } else if let Some(value) = arg.strip_prefix("--kubeconfig=") {
            path = Some(PathBuf::from(value));
        } else if arg == "-h" || arg == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        } else {
            return Err(format!("unexpected argument {arg:?}\n{USAGE}").into());
        }
    }
    Ok(path)
}
