//! `Output`: the generated files in memory, written only when complete and only where the
//! bytes changed; compared against a directory for `--check`; Cargo features spliced into a
//! manifest between marker lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// First marker line of the generated `[features]` block in a `Cargo.toml`.
pub const FEATURES_BEGIN: &str = "# client-gen: begin features";
/// Last marker line of the block.
pub const FEATURES_END: &str = "# client-gen: end features";

/// Everything one generation produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Relative path -> content.
    pub files: BTreeMap<PathBuf, String>,
    /// Cargo feature -> the features it turns on (empty without feature gates).
    pub features: BTreeMap<String, Vec<String>>,
    /// The model's warnings (`ApiSet::warnings`), for the caller to print.
    pub warnings: Vec<String>,
}

/// How a directory differs from an output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files missing on disk or with other bytes.
    pub changed: Vec<PathBuf>,
    /// `.rs` files on disk, marked as generated, that this output does not contain.
    pub stale: Vec<PathBuf>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

impl Output {
    /// The `[features]` block (with markers) for a manifest; `default` lists the default
    /// features, kept only if they exist.
    pub fn features_block(&self, default: &[&str]) -> String {
        let mut out = format!("{FEATURES_BEGIN}\n[features]\n");
        let defaults: Vec<String> = default
            .iter()
            .filter(|d| self.features.contains_key(**d))
            .map(|d| format!("{d:?}"))
            .collect();
        out.push_str(&format!("default = [{}]\n", defaults.join(", ")));
        for (feature, deps) in &self.features {
            let deps: Vec<String> = deps.iter().map(|d| format!("{d:?}")).collect();
            out.push_str(&format!("{feature} = [{}]\n", deps.join(", ")));
        }
        out.push_str(FEATURES_END);
        out.push('\n');
        out
    }

    /// Compares with what `dir` holds; `header` marks files this generator owns.
    pub fn drift(&self, dir: &Path, header: &str) -> Drift {
        let mut drift = Drift::default();
        for (rel, content) in &self.files {
            match std::fs::read_to_string(dir.join(rel)) {
                Ok(existing) if existing == *content => {}
                _ => drift.changed.push(rel.clone()),
            }
        }
        for rel in generated_files_under(dir, header) {
            if !self.files.contains_key(&rel) {
                drift.stale.push(rel);
            }
        }
        drift
    }

    /// Writes every file whose bytes differ and removes stale generated files; returns the
    /// paths written. Files that did not change keep their modification time.
    pub fn write(&self, dir: &Path, header: &str) -> Result<Vec<PathBuf>, Error> {
        let drift = self.drift(dir, header);
        for rel in &drift.changed {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            std::fs::write(&path, &self.files[rel])
                .map_err(|source| Error::Write { path, source })?;
        }
        for rel in &drift.stale {
            let path = dir.join(rel);
            std::fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
        }
        Ok(drift.changed)
    }
}

/// Replaces the marked block of `manifest` with `block`; `None` when it has no markers.
pub fn splice_features(manifest: &str, block: &str) -> Option<String> {
    let start = manifest.find(FEATURES_BEGIN)?;
    let end_marker = manifest[start..].find(FEATURES_END)? + start;
    let mut end = end_marker + FEATURES_END.len();
    if manifest[end..].starts_with('\n') {
        end += 1;
    }
    Some(format!("{}{block}{}", &manifest[..start], &manifest[end..]))
}

/// Relative paths of the `.rs` files under `dir` whose first line is `header`.
fn generated_files_under(dir: &Path, header: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel_child = rel.join(entry.file_name());
            let path = entry.path();
            if path.is_dir() {
                todo.push(rel_child);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let first = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|t| t.lines().next().map(str::to_owned));
                if first.as_deref() == Some(header) {
                    out.push(rel_child);
                }
            }
        }
    }
    out.sort();
    out
}
