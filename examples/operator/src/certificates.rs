//! The cert-manager demo on clients `build.rs` generated from the CRDs: registers the
//! Certificate CRD, creates Certificates, lists them, watches them while it patches one's spec
//! and marks each Ready through the status subresource, as a certificate controller would.

use std::error::Error;
use std::time::Duration;

use futures::StreamExt;
use rest_core::meta::{
    CreateOptions, List, ListOptions, ObjectMeta, Patch, PatchOptions, WatchEvent,
};
use rest_core::{GroupVersion, RestClient};
use serde_json::json;

/// The clients `build.rs` generated (only Certificates: the allow-list).
#[allow(dead_code, clippy::all)]
mod k8s {
    include!(concat!(env!("OUT_DIR"), "/clients.rs"));
}

use k8s::cert_manager::v1::{Certificate, CertificateSpec, CertificateSpecIssuerRef};

const NAMESPACE: &str = "default";

/// How long to wait for an expected watch event before giving up.
const WATCH_WAIT: Duration = Duration::from_secs(10);

/// Runs the demo through `client`, printing each step.
pub async fn run(client: RestClient) -> Result<(), Box<dyn Error>> {
    register_crd(&client).await?;

    let certificates = k8s::Clientset::new(client)
        .cert_manager_v1()
        .certificates(NAMESPACE);
    for name in ["web", "api"] {
        let created = certificates
            .create(&certificate(name), &CreateOptions::default())
            .await?;
        println!(
            "created Certificate {NAMESPACE}/{name} (secret {})",
            created.spec.as_ref().map_or("", |s| s.secret_name.as_str())
        );
    }

    let list = certificates.list(&ListOptions::default()).await?;
    let names: Vec<&str> = list
        .items
        .iter()
        .filter_map(|c| c.metadata.name.as_deref())
        .collect();
    println!("listed {} Certificates: {}", names.len(), names.join(", "));

    // Watch from the list's version: every change after it, nothing before.
    let mut events = certificates
        .watch(&ListOptions {
            resource_version: list.metadata.resource_version.clone(),
            ..ListOptions::default()
        })
        .await?;

    let patch = json!({"spec": {"renewBefore": "720h0m0s"}});
    certificates
        .patch("web", &Patch::Merge(patch), &PatchOptions::default())
        .await?;
    println!("patched Certificate {NAMESPACE}/web: renewBefore 720h0m0s");
    let changed = next_change(&mut events).await?;
    println!(
        "watched MODIFIED {} (renewBefore {})",
        changed.metadata.name.as_deref().unwrap_or_default(),
        changed
            .spec
            .as_ref()
            .and_then(|s| s.renew_before.as_deref())
            .unwrap_or("unset")
    );

    // The controller's part: mark every Certificate Ready through its status.
    for name in names {
        let status = json!({"status": {"conditions": [{
            "type": "Ready", "status": "True", "reason": "Issued",
            "message": "Certificate is up to date and has not expired"
        }]}});
        certificates
            .patch_status(name, &Patch::Merge(status), &PatchOptions::default())
            .await?;
        let changed = next_change(&mut events).await?;
        println!(
            "watched MODIFIED {} (Ready={})",
            changed.metadata.name.as_deref().unwrap_or_default(),
            ready(&changed)
        );
    }
    Ok(())
}

/// Registers the CRDs `build.rs` generated clients for (the Certificate CRD) through the
/// apiextensions API (already there is fine).
async fn register_crd(client: &RestClient) -> Result<(), Box<dyn Error>> {
    let crds: List<serde_json::Value> =
        serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/crds.json")))?;
    for crd in &crds.items {
        let name = crd["metadata"]["name"].as_str().unwrap_or_default();
        let result = client
            .for_group_version(GroupVersion::new("apiextensions.k8s.io", "v1"))
            .post()
            .resource("customresourcedefinitions")
            .json_body(crd)
            .send()
            .await
            .into_result();
        match result {
            Ok(_) => println!("registered CustomResourceDefinition {name}"),
            Err(e) if e.is_already_exists() => {
                println!("CustomResourceDefinition {name} already registered")
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// A Certificate for `name.example.com`, issued by the `ca-issuer` Issuer.
fn certificate(name: &str) -> Certificate {
    Certificate {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        spec: Some(Box::new(CertificateSpec {
            secret_name: format!("{name}-tls"),
            dns_names: Some(vec![format!("{name}.example.com")]),
            duration: Some("2160h0m0s".to_owned()),
            issuer_ref: CertificateSpecIssuerRef {
                name: "ca-issuer".to_owned(),
                kind: Some("Issuer".to_owned()),
                group: Some("cert-manager.io".to_owned()),
            },
            ..CertificateSpec::default()
        })),
        ..Certificate::default()
    }
}

/// The `Ready` condition's status, or `Unknown`.
fn ready(cert: &Certificate) -> String {
    cert.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map_or_else(|| "Unknown".to_owned(), |c| format!("{:?}", c.status))
}

/// The next MODIFIED object from the watch (bookmarks skipped), or an error after a while.
async fn next_change(
    events: &mut rest_core::WatchStream<Certificate>,
) -> Result<Certificate, Box<dyn Error>> {
    loop {
        let event = tokio::time::timeout(WATCH_WAIT, events.next())
            .await
            .map_err(|_| "no watch event within 10 s")?
            .ok_or("the watch ended")??;
        match event {
            WatchEvent::Modified(cert) => return Ok(cert),
            WatchEvent::Bookmark(_) => continue,
            WatchEvent::Error(status) => return Err(format!("watch error: {status:?}").into()),
            WatchEvent::Added(_) | WatchEvent::Deleted(_) => continue,
        }
    }
}
