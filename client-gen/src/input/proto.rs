//! The `generated.proto` front end: reads Kubernetes' protobuf schemas and attaches their
//! field numbers and wire shapes to the model's types (`ApiSet::proto`), reporting by name
//! whatever it cannot match.

mod attach;
mod parse;

use std::path::Path;

pub use crate::proto::REST_CORE_CODECS;
pub use attach::{attach, definition_of, mark_pointers, ProtoReport};
pub use parse::{parse, resolve, FieldDecl, MessageDecl, ProtoFile};

use crate::error::Error;
use crate::model::ApiSet;
use crate::settings::ProtoInput;

/// Reads the `.proto` files and the Go pointer list of `input`, attaches them to `set`, and
/// adds what could not be matched to the model's warnings.
pub fn apply(set: &mut ApiSet, input: &ProtoInput) -> Result<(), Error> {
    let files = read_tree(&input.root)?;
    let report = attach(set, &files);
    set.warnings.extend(report.warnings());
    if let Some(path) = &input.go_pointers {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            file: path.clone(),
            source,
        })?;
        // Lines for messages outside the selection name nothing here; that is expected.
        mark_pointers(set, &text);
    }
    Ok(())
}

/// Every `.proto` file under `root` (an include root such as `fixtures/protobuf/proto`),
/// parsed and with every message reference resolved; files are read in path order.
pub fn read_tree(root: &Path) -> Result<Vec<ProtoFile>, Error> {
    let mut paths = Vec::new();
    collect(root, &mut paths)?;
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            file: path.clone(),
            source,
        })?;
        files.push(parse(&path.display().to_string(), &text)?);
    }
    resolve(&mut files)?;
    Ok(files)
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let read = |source| Error::Read {
        file: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
    Ok(())
}
