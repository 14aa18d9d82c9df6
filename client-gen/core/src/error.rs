//! `Error`: what generation can fail with. Each input error names the file and the JSON
//! pointer of the offending place, so a user can go straight to it.

use std::path::PathBuf;

/// Every failure of the generator. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be read.
    #[error("{file}: cannot read: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    /// An input is not well-formed JSON (or YAML).
    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// An input is not well-formed YAML.
    #[error("{file}:{line}:{column}: not valid YAML: {message}")]
    Yaml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Like `Invalid`, in a document whose text is known: the line is the file's.
    #[error("{file}:{line}: {message}{}", at_pointer(.pointer))]
    At {
        file: String,
        line: usize,
        pointer: String,
        message: String,
    },
    /// An allow-list entry that is malformed or selects nothing.
    #[error("allow-list entry {entry:?}: {message}")]
    Select { entry: String, message: String },
    /// An input is well-formed but says something the generator cannot use.
    #[error("{file}{}: {message}", hash_pointer(.pointer))]
    Invalid {
        file: String,
        /// RFC 6901 JSON pointer (`/definitions/io.k8s.api.core.v1.Pod/properties/spec`).
        pointer: String,
        message: String,
    },
    /// Two inputs describe the same thing differently.
    #[error("{file}#{pointer}: {message} (first described by {first})")]
    Conflict {
        file: String,
        pointer: String,
        first: String,
        message: String,
    },
    /// The generated source did not parse: a generator bug, reported with the module.
    #[error("generated module {module} is not valid Rust: {message}")]
    Emit { module: String, message: String },
    /// An output file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// An `Invalid` error: what the front ends report for a well-formed input they cannot use.
    pub fn invalid(file: &str, pointer: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

/// `#/a/b`, or nothing for the whole document.
fn hash_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!("#{pointer}")
    }
}

/// ` (at /a/b)`, or nothing for the whole document.
fn at_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {pointer})")
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/segment` with the segment escaped.
pub fn pointer_join(base: &str, segment: &str) -> String {
    format!("{base}/{}", pointer_segment(segment))
}
