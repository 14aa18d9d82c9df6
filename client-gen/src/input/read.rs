//! Reading input files: JSON or YAML, one document or several (`---`), a `List` unpacked into
//! its items; each document remembers its text and first line so errors can name the line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::error::Error;
use crate::input::{detect, locate, paths, Document, Format};

/// Where a document came from inside its file: for naming lines in errors.
#[derive(Clone)]
pub struct Origin {
    /// The document's own text (YAML block style is what the locator understands).
    pub text: Arc<str>,
    /// 1-based line of the file the text starts at.
    pub first_line: usize,
    /// JSON pointer of this document inside the parsed text (`/items/3` for a `List` item).
    pub pointer_prefix: String,
}

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Origin")
            .field("first_line", &self.first_line)
            .field("pointer_prefix", &self.pointer_prefix)
            .finish_non_exhaustive()
    }
}

impl Origin {
    /// The 1-based file line of the node at `pointer`, or of its nearest ancestor.
    pub fn line_of(&self, pointer: &str) -> usize {
        let full = format!("{}{pointer}", self.pointer_prefix);
        locate::line_of(&self.text, &full).map_or(self.first_line, |l| self.first_line + l - 1)
    }
}

/// One input as given: a path or glob, and the format it must have (`None`: any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub pattern: String,
    pub format: Option<Format>,
}

/// What reading a set of inputs gave: the documents, and every file read (for
/// `cargo:rerun-if-changed`).
#[derive(Debug, Default)]
pub struct Inputs {
    pub documents: Vec<Document>,
    pub files: Vec<PathBuf>,
}

/// Expands and reads every input, checking each document has the format it was given as.
pub fn read_inputs(inputs: &[Input]) -> Result<Inputs, Error> {
    let mut out = Inputs::default();
    for input in inputs {
        for path in paths::expand(&input.pattern)? {
            let docs = read_file(&path)?;
            if let Some(expected) = input.format {
                for doc in &docs {
                    let found = detect(doc)?;
                    if !expected.accepts(found) {
                        return Err(doc.error_at(
                            "",
                            format!(
                                "given as {} ({}), but it is {} (give it with {})",
                                expected.noun(),
                                expected.option(),
                                found.noun(),
                                found.option()
                            ),
                        ));
                    }
                }
            }
            out.files.push(path);
            out.documents.extend(docs);
        }
    }
    Ok(out)
}

/// List kinds whose items are documents of their own (`kubectl get crd -o yaml` gives a `List`).
fn is_document_list(json: &Value) -> bool {
    let kind = json.get("kind").and_then(Value::as_str).unwrap_or("");
    (kind == "List" || kind == "CustomResourceDefinitionList")
        && json.get("items").is_some_and(Value::is_array)
}

/// Reads one input file into its documents.
pub fn read_file(path: &Path) -> Result<Vec<Document>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        file: path.to_owned(),
        source,
    })?;
    parse_text(&path.display().to_string(), &text)
}

/// Parses file text: JSON when it starts with `{` or `[`, YAML otherwise. `file` names it in
/// errors. A file with no document at all is an error: it is almost always a wrong path.
pub fn parse_text(file: &str, text: &str) -> Result<Vec<Document>, Error> {
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    let mut out = Vec::new();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let doc = Document::parse(file, text)?;
        push_unpacked(&mut out, doc, None);
    } else {
        for (first_line, chunk) in split_yaml(text) {
            let json = parse_yaml(file, first_line, &chunk)?;
            if json.is_null() {
                continue;
            }
            let origin = Origin {
                text: Arc::from(chunk.as_str()),
                first_line,
                pointer_prefix: String::new(),
            };
            let doc = Document {
                file: file.to_owned(),
                json,
                origin: None,
            };
            push_unpacked(&mut out, doc, Some(origin));
        }
    }
    if out.is_empty() {
        return Err(Error::Invalid {
            file: file.to_owned(),
            pointer: String::new(),
            message: "holds no document".to_owned(),
        });
    }
    Ok(out)
}

/// Adds `doc`, or each item when it is a `List` of documents.
fn push_unpacked(out: &mut Vec<Document>, mut doc: Document, origin: Option<Origin>) {
    if !is_document_list(&doc.json) {
        doc.origin = origin.map(Arc::new);
        out.push(doc);
        return;
    }
    let items = match doc.json.get_mut("items").map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    for (i, json) in items.into_iter().enumerate() {
        let origin = origin.as_ref().map(|o| {
            Arc::new(Origin {
                pointer_prefix: format!("{}/items/{i}", o.pointer_prefix),
                ..o.clone()
            })
        });
        out.push(Document {
            file: doc.file.clone(),
            json,
            origin,
        });
    }
}

/// One YAML document to JSON; errors carry the file's line and column.
fn parse_yaml(file: &str, first_line: usize, chunk: &str) -> Result<Value, Error> {
    serde_norway::from_str::<Value>(chunk).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
        let mut message = e.to_string();
        // The message repeats the position relative to the document: drop it.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        Error::Yaml {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    })
}

/// Splits YAML text at document markers (`---` at the start of a line; `...` ends one) into
/// `(first line, text)` chunks. Markers never occur at column 0 inside block scalars, whose
/// content is indented.
fn split_yaml(text: &str) -> Vec<(usize, String)> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut ended = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let is_start = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if is_start {
            chunks.push((start, std::mem::take(&mut current)));
            start = number;
            ended = false;
            // Content after the marker (`--- {a: 1}`) stays, the marker becomes blanks so
            // columns still match the file.
            current.push_str(&format!("   {}\n", &line[3..]));
            continue;
        }
        if line == "..." || line.starts_with("... ") {
            ended = true;
            current.push('\n');
            continue;
        }
        if ended || line.starts_with("%") {
            current.push('\n');
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    chunks.push((start, current));
    chunks
        .into_iter()
        .filter(|(_, chunk)| {
            chunk.lines().any(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_split_at_markers_with_their_lines() {
        let text = "a: 1\n---\n# only a comment\n---\nb: 2\n...\nignored: true\n--- {c: 3}\n";
        let chunks = split_yaml(text);
        let starts: Vec<usize> = chunks.iter().map(|(l, _)| *l).collect();
        assert_eq!(starts, vec![1, 4, 8]);
        let docs = parse_text("x.yaml", text).unwrap();
        let values: Vec<&Value> = docs.iter().map(|d| &d.json).collect();
        assert_eq!(
            values,
            vec![
                &serde_json::json!({"a": 1}),
                &serde_json::json!({"b": 2}),
                &serde_json::json!({"c": 3})
            ]
        );
    }

    #[test]
    fn a_syntax_error_names_the_line_of_the_file() {
        let text = "a: 1\n---\nb: 2\nc: [\n";
        match parse_text("x.yaml", text).unwrap_err() {
            Error::Yaml { line, .. } => assert!(line >= 4, "line {line}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_are_unpacked() {
        let text = "kind: List\nitems:\n- kind: A\n- kind: B\n";
        let docs = parse_text("x.yaml", text).unwrap();
        assert_eq!(docs.len(), 2);
        let origin = docs[1].origin.as_ref().unwrap();
        assert_eq!(origin.pointer_prefix, "/items/1");
        assert_eq!(origin.line_of("/kind"), 4);
    }
}
