//! client-gen: reads API descriptions (OpenAPI v2 and v3, CRDs, discovery documents,
//! description files), lowers them into one model, and emits typed Rust clientsets on
//! rest-core, as client-go's client-gen does for Go.
//!
//! # Three ways in
//!
//! - the `client-gen` command: `client-gen generate --crd 'crds/*.yaml' --out src/k8s`
//!   (`--check` for CI), `client-gen inspect FILE` (what each resource becomes in Rust);
//! - a `build.rs`: [`Builder`] writes one file into `OUT_DIR` for `include!`;
//! - this library: [`generate_files`] / [`generate`] return the files in memory.
//!
//! Which Rust names an input becomes (modules, client accessors, nested types, keywords,
//! enum variants) is told, with a worked example, in the naming section of this crate's
//! README (`client-gen/README.md`).
//!
//! `input` (front ends) -> `model::ApiSet` -> `finish` (names, boxing) -> `emit` (quote,
//! prettyplease) -> `output::Output` (files in memory; written only when all succeeded, and
//! only where bytes changed). `Settings` carries every choice, for the library, the CLI and
//! the `build.rs` builder alike.
//!
//! ```
//! use std::path::Path;
//! # std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
//!
//! let crd = Path::new("../fixtures/crds/cert-manager.io_certificates.yaml");
//! let output = client_gen::generate_files(&[crd], &client_gen::Settings::crate_tree())?;
//! let lib = &output.files[Path::new("lib.rs")];
//! assert!(lib.contains("pub fn cert_manager_v1(&self)"));
//! let module = &output.files[Path::new("cert_manager/v1.rs")];
//! assert!(module.contains("pub struct Certificate {"));
//! assert!(module.contains("pub fn certificates(&self, namespace: &str)"));
//! // output.write(Path::new("my-crds/src"), &settings.header)? puts them on disk.
//! # Ok::<(), client_gen::Error>(())
//! ```

pub mod builder;
pub mod cluster;
/// Entry points of the fuzz targets (`fuzz/`); not a stable API.
#[doc(hidden)]
pub mod fuzzing;
pub mod input;

// The model and the emitter live in client-gen-core (what rest-derive builds on); they are
// client-gen's public API under the same names.
pub use client_gen_core::{
    emit, error, finish, model, names, output, proto, select, settings, text,
};

use std::path::Path;

pub use builder::{BuildError, Builder, Generated};
pub use error::Error;
pub use input::Document;
pub use model::ApiSet;
pub use output::Output;
pub use settings::{ExternGroup, ProtoInput, Settings};

/// Lowers documents into a finished model, ready to emit.
pub fn model(docs: &[Document], settings: &Settings) -> Result<ApiSet, Error> {
    let mut set = input::lower_all(docs)?;
    settings.select.apply(&mut set)?;
    if let Some(proto) = &settings.proto {
        input::proto::apply(&mut set, proto)?;
    }
    finish::finish(&mut set, settings);
    Ok(set)
}

/// Documents in, generated files out (in memory; nothing is written).
pub fn generate(docs: &[Document], settings: &Settings) -> Result<Output, Error> {
    let set = model(docs, settings)?;
    tracing::debug!(
        groups = set.groups.len(),
        resources = set.resources().count(),
        types = set.types.len(),
        "model finished"
    );
    emit::emit(&set, settings)
}

/// Reads the given files (JSON or YAML, any number of documents each) and generates from them.
pub fn generate_files(paths: &[&Path], settings: &Settings) -> Result<Output, Error> {
    let mut docs = Vec::new();
    for path in paths {
        docs.extend(input::read_file(path)?);
    }
    generate(&docs, settings)
}
