//! Generates typed clients for the cert-manager CRDs into `OUT_DIR` (`clients.rs`), and the
//! Certificate CRD as JSON (`certificates.crd.json`) for `main.rs` to register.

use std::path::{Path, PathBuf};

use client_gen::{BuildError, Builder};

const CRDS: &str = "../../fixtures/crds";

fn main() -> Result<(), BuildError> {
    // All three cert-manager CRDs are read (and checked); the allow-list keeps the build to
    // what this program uses: Certificates (plus the types they refer to).
    Builder::new()
        .crd(format!("{CRDS}/cert-manager.io_*.yaml"))
        .resource("cert-manager.io/v1/certificates")
        .generate()?;

    let crd = Path::new(CRDS).join("cert-manager.io_certificates.yaml");
    let docs = client_gen::input::read_file(&crd)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let json = serde_json::to_string(&docs[0].json).map_err(|e| {
        BuildError(client_gen::Error::Write {
            path: crd.clone(),
            source: e.into(),
        })
    })?;
    write_if_changed(&out.join("certificates.crd.json"), &json)
}

/// Writes only when the bytes differ, so an unchanged CRD rebuilds nothing.
fn write_if_changed(path: &Path, text: &str) -> Result<(), BuildError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|source| {
        BuildError(client_gen::Error::Write {
            path: path.to_owned(),
            source,
        })
    })
}
