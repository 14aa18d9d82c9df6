//! Generates typed clients for the cert-manager CRDs into `OUT_DIR` (`clients.rs`), and writes
//! the CRDs of what it generated (`crds.json`) for the program to register and tests to serve.

use client_gen::{BuildError, Builder};

fn main() -> Result<(), BuildError> {
    // All three cert-manager CRDs are read (and checked); the allow-list keeps the build to
    // what this program uses: Certificates (plus the types they refer to), and so crds.json
    // holds the Certificate CRD only. JSON: the program has no YAML parser.
    Builder::new()
        .crd("../../fixtures/crds/cert-manager.io_*.yaml")
        .resource("cert-manager.io/v1/certificates")
        .write_crds("crds.json")
        .generate()?;
    Ok(())
}
