//! `Builder`: client-gen from a `build.rs`, in the style of prost-build. Inputs in, one file
//! in `OUT_DIR` out (written only when its bytes change), `cargo:rerun-if-changed` for every
//! input, and errors that read well as a build failure.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), client_gen::BuildError> {
//!     client_gen::Builder::new()
//!         .crd("crds/*.yaml")
//!         .resource("cert-manager.io/v1/certificates")
//!         .generate()?;
//!     Ok(())
//! }
//! // src/main.rs
//! // #[allow(dead_code)]
//! // mod k8s { include!(concat!(env!("OUT_DIR"), "/clients.rs")); }
//! ```

use std::path::{Path, PathBuf};

use crate::cluster::Cluster;
use crate::error::Error;
use crate::input::{self, Format, Input};
use crate::select::Entry;
use crate::settings::{Layout, Settings};

/// Generation from `build.rs` (or any program): add inputs, choose what to generate, go.
#[derive(Clone, Debug)]
pub struct Builder {
    inputs: Vec<Input>,
    groups: Vec<String>,
    versions: Vec<String>,
    resources: Vec<String>,
    out_dir: Option<PathBuf>,
    file_name: String,
    settings: Settings,
    tree: bool,
    cargo_metadata: bool,
    cluster: Option<Cluster>,
    crds_file: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// What a generation wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Where the files are.
    pub out_dir: PathBuf,
    /// Every file generated, relative to `out_dir`.
    pub files: Vec<PathBuf>,
    /// The files whose bytes changed and were written (the rest kept their mtime).
    pub written: Vec<PathBuf>,
    /// Every input file read.
    pub inputs: Vec<PathBuf>,
    /// What `cargo:rerun-if-changed` was printed for: every input file, and the directory
    /// of every glob (so files added later count too).
    pub rerun_if_changed: Vec<PathBuf>,
    /// The generator's warnings (also printed as `cargo:warning` lines).
    pub warnings: Vec<String>,
    /// The CRDs file [`Builder::write_crds`] wrote (or kept, unchanged), relative to `out_dir`.
    pub crds: Option<PathBuf>,
}

/// A generation failure, worded for a build log: `Debug` prints the same message as
/// `Display`, so `fn main() -> Result<(), BuildError>` and `.unwrap()` read well.
pub struct BuildError(pub Error);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "client-gen: {}", self.0)
    }
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<Error> for BuildError {
    fn from(e: Error) -> Self {
        BuildError(e)
    }
}

impl Builder {
    /// One file (`clients.rs`) for `include!`, serde derives, clients and a `Clientset`.
    pub fn new() -> Builder {
        Builder {
            inputs: Vec::new(),
            groups: Vec::new(),
            versions: Vec::new(),
            resources: Vec::new(),
            out_dir: None,
            file_name: "clients.rs".to_owned(),
            settings: Settings::default(),
            tree: false,
            cargo_metadata: true,
            cluster: None,
            crds_file: None,
        }
    }

    fn add(mut self, pattern: impl AsRef<Path>, format: Option<Format>) -> Self {
        self.inputs.push(Input {
            pattern: pattern.as_ref().display().to_string(),
            format,
        });
        self
    }

    /// An OpenAPI v2 or v3 document (path or glob).
    pub fn openapi(self, path: impl AsRef<Path>) -> Self {
        self.add(path, Some(Format::OpenApiV2))
    }

    /// CustomResourceDefinition manifests, YAML or JSON, several per file (path or glob).
    pub fn crd(self, path: impl AsRef<Path>) -> Self {
        self.add(path, Some(Format::Crd))
    }

    /// Discovery documents (`APIResourceList`, `APIGroupDiscoveryList`; path or glob).
    pub fn discovery(self, path: impl AsRef<Path>) -> Self {
        self.add(path, Some(Format::Discovery))
    }

    /// API descriptions (`kind: APIDescription`; path or glob).
    pub fn describe(self, path: impl AsRef<Path>) -> Self {
        self.add(path, Some(Format::Describe))
    }

    /// Any input, its format told from its content.
    pub fn input(self, path: impl AsRef<Path>) -> Self {
        self.add(path, None)
    }

    /// Also read a running server's discovery and OpenAPI documents (`--from-cluster`),
    /// after the files. A build that reads a cluster depends on it and cargo cannot see it
    /// change: for builds others run, save the documents (`cluster::save`) and generate from
    /// the files.
    pub fn from_cluster(mut self, cluster: Cluster) -> Self {
        self.cluster = Some(cluster);
        self
    }

    /// Generate this group (`cert-manager.io`, `core`); with any allow-list entry, only
    /// what the entries name is generated, plus the types it uses.
    pub fn group(mut self, group: &str) -> Self {
        self.groups.push(group.to_owned());
        self
    }

    /// Generate this group version (`apps/v1`, `v1` for core).
    pub fn version(mut self, version: &str) -> Self {
        self.versions.push(version.to_owned());
        self
    }

    /// Generate this resource (`apps/v1/deployments`, `certificates.cert-manager.io`).
    pub fn resource(mut self, resource: &str) -> Self {
        self.resources.push(resource.to_owned());
        self
    }

    /// The types of `group` are another crate's, at `path` (`"autoscaling"`,
    /// `"generated::autoscaling"`): not emitted, referred to there. See [`ExternGroup`].
    ///
    /// [`ExternGroup`]: crate::ExternGroup
    pub fn extern_group(mut self, group: &str, path: &str) -> Self {
        self.settings
            .extern_groups
            .push(crate::ExternGroup::new(group, path));
        self
    }

    /// As [`extern_group`](Self::extern_group), and re-exported as part of the generated API
    /// (`pub use PATH as <group>;` and the `Clientset`'s accessors).
    pub fn reexport_group(mut self, group: &str, path: &str) -> Self {
        self.settings
            .extern_groups
            .push(crate::ExternGroup::reexported(group, path));
        self
    }

    /// How schema enums become Rust (default [`EnumStyle::Open`]: an `Other(String)` variant
    /// keeps values the schema does not list; [`EnumStyle::Closed`] rejects them).
    ///
    /// [`EnumStyle::Open`]: crate::settings::EnumStyle::Open
    /// [`EnumStyle::Closed`]: crate::settings::EnumStyle::Closed
    pub fn enums(mut self, style: crate::settings::EnumStyle) -> Self {
        self.settings.enums = style;
        self
    }

    /// Where to write (default: `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name (default `clients.rs`; single-file layout only).
    pub fn file_name(mut self, name: &str) -> Self {
        self.file_name = name.to_owned();
        self
    }

    /// Every other choice (enum style, serde style, docs, ...). Its `layout` is not used:
    /// the output is one file unless [`tree`](Self::tree) is called.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// A module tree (`lib.rs`, `<group>/<version>.rs`) instead of one file: for a crate's
    /// `src/` (`.out_dir("src/k8s")`), not for `include!`. Stale generated files there go.
    pub fn tree(mut self) -> Self {
        self.tree = true;
        self
    }

    /// Also write, to `name` in the output directory, the CustomResourceDefinitions of the
    /// resources generated (after the allow-list), as YAML documents (a JSON `List` when
    /// `name` ends in `.json`, for programs without a YAML parser): what a test registers
    /// with the fixture API server in one line,
    /// `ApiServer::builder().crd_files(concat!(env!("OUT_DIR"), "/crds.yaml"))`, or applies to
    /// a cluster. Written only when its bytes change, as the clients are.
    pub fn write_crds(mut self, name: &str) -> Self {
        self.crds_file = Some(name.to_owned());
        self
    }

    /// Print `cargo:rerun-if-changed` lines (default on; off outside build scripts).
    pub fn cargo_metadata(mut self, on: bool) -> Self {
        self.cargo_metadata = on;
        self
    }

    /// The allow-list the builder's entries make.
    fn selection(&self) -> Result<crate::select::Selection, Error> {
        let mut entries: Vec<Entry> = self.groups.iter().map(|g| Entry::group(g)).collect();
        for v in &self.versions {
            entries.push(Entry::version(v)?);
        }
        for r in &self.resources {
            entries.push(Entry::resource(r)?);
        }
        Ok(crate::select::Selection { entries })
    }

    /// Reads the inputs, generates, and writes what changed. Nothing is written on error.
    pub fn generate(self) -> Result<Generated, BuildError> {
        // Before reading, so that fixing a broken input reruns the build script.
        let mut watched: Vec<PathBuf> = self
            .inputs
            .iter()
            .map(|input| {
                if input::paths::is_glob(&input.pattern) {
                    input::paths::glob_root(&input.pattern)
                } else {
                    PathBuf::from(&input.pattern)
                }
            })
            .collect();
        if self.cargo_metadata {
            for path in &watched {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        if self.inputs.is_empty() && self.cluster.is_none() {
            return Err(BuildError(Error::Select {
                entry: String::new(),
                message: "no inputs: add one with .openapi(), .crd(), .discovery(), .describe(), .input() or .from_cluster()".to_owned(),
            }));
        }
        let read = crate::cluster::read_with_cluster(&self.inputs, self.cluster.as_ref())?;
        for file in &read.files {
            if !watched.contains(file) {
                if self.cargo_metadata {
                    println!("cargo:rerun-if-changed={}", file.display());
                }
                watched.push(file.clone());
            }
        }
        let mut settings = self.settings.clone();
        settings.layout = if self.tree {
            Layout::Tree
        } else {
            Layout::SingleFile
        };
        settings.select.entries.extend(self.selection()?.entries);
        let set = crate::model(&read.documents, &settings)?;
        let mut output = crate::emit::emit(&set, &settings)?;
        if self.cargo_metadata {
            for warning in &output.warnings {
                // One line each: cargo shows a `cargo:warning` up to its end of line.
                println!("cargo:warning=client-gen: {}", warning.replace('\n', " "));
            }
        }
        if settings.layout == Layout::SingleFile {
            if let Some(text) = output.files.remove(Path::new("generated.rs")) {
                output.files.insert(PathBuf::from(&self.file_name), text);
            }
        }
        let out_dir = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(dir) => dir,
            None => {
                return Err(BuildError(Error::Write {
                    path: PathBuf::from("$OUT_DIR"),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "OUT_DIR is not set: run from build.rs or call .out_dir(DIR)",
                    ),
                }))
            }
        };
        let written = match settings.layout {
            // A tree owns its directory: stale generated files go.
            Layout::Tree => output.write(&out_dir, &settings.header)?,
            // OUT_DIR is shared with other build steps: touch only this file.
            Layout::SingleFile => write_changed(&output, &out_dir)?,
        };
        let crds = match &self.crds_file {
            Some(name) => {
                let text = crds_yaml(&read.documents, &set, Path::new(name))?;
                let path = out_dir.join(name);
                if !std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
                    std::fs::write(&path, &text).map_err(|source| Error::Write { path, source })?;
                }
                Some(PathBuf::from(name))
            }
            None => None,
        };
        tracing::debug!(written = written.len(), dir = %out_dir.display(), "client-gen builder done");
        Ok(Generated {
            out_dir,
            files: output.files.keys().cloned().collect(),
            written,
            inputs: read.files,
            rerun_if_changed: watched,
            warnings: output.warnings,
            crds,
        })
    }
}

/// Writes the output's files whose bytes differ from what is on disk.
fn write_changed(output: &crate::Output, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for (rel, text) in &output.files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        written.push(rel.clone());
    }
    Ok(written)
}

/// The CRD documents among `docs` that serve a resource of the finished `set` (the allow-list
/// applied), in input order: YAML documents, or a JSON `List` when `name` ends in `.json`.
fn crds_yaml(docs: &[input::Document], set: &crate::ApiSet, name: &Path) -> Result<String, Error> {
    let serves = |crd: &serde_json::Value| {
        let group = crd.pointer("/spec/group").and_then(|v| v.as_str());
        let plural = crd.pointer("/spec/names/plural").and_then(|v| v.as_str());
        let (Some(group), Some(plural)) = (group, plural) else {
            return false;
        };
        set.groups.get(group).is_some_and(|g| {
            g.versions
                .values()
                .any(|v| v.resources.values().any(|r| r.plural == plural))
        })
    };
    let crds: Vec<&serde_json::Value> = docs
        .iter()
        .map(|doc| &doc.json)
        .filter(|json| {
            json.get("kind").and_then(|k| k.as_str()) == Some("CustomResourceDefinition")
        })
        .filter(|json| serves(json))
        .collect();
    let failed = |message: String| Error::Write {
        path: name.to_owned(),
        source: std::io::Error::other(message),
    };
    if name.extension().is_some_and(|e| e == "json") {
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": crds});
        let mut text = serde_json::to_string_pretty(&list).map_err(|e| failed(e.to_string()))?;
        text.push('\n');
        return Ok(text);
    }
    let mut text = String::new();
    for crd in crds {
        text.push_str("---\n");
        text.push_str(&serde_norway::to_string(crd).map_err(|e| failed(e.to_string()))?);
    }
    Ok(text)
}
