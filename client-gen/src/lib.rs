//! client-gen: reads API descriptions (OpenAPI v2 and v3), lowers them into one model, and
//! emits typed Rust clientsets on rest-core, as client-go's client-gen does for Go.
//!
//! `input` (front ends) -> `model::ApiSet` -> `finish` (names, boxing) -> `emit` (quote,
//! prettyplease) -> `output::Output` (files in memory; written only when all succeeded, and
//! only where bytes changed). `Settings` carries every choice, for the library, the CLI and
//! the `build.rs` builder alike.
//!
//! ```no_run
//! let settings = client_gen::Settings::crate_tree();
//! let spec = std::path::Path::new("fixtures/openapi/kubernetes-swagger.json");
//! let output = client_gen::generate_files(&[spec], &settings)?;
//! output.write(std::path::Path::new("generated/src"), &settings.header)?;
//! # Ok::<(), client_gen::Error>(())
//! ```

pub mod builder;
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
