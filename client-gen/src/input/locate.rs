//! Finds the line of a JSON pointer in block-style YAML text (what CRD manifests and kubectl
//! output are), so an error can say `file.yaml:57` rather than only the pointer.
//! Best effort: flow style (`{...}`) stops the walk at the key that holds it.

/// One line with content: its indentation, its text after the indentation, its number.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
    number: usize,
}

/// The 1-based line (within `text`) of the node at `pointer`, or of the deepest ancestor
/// found; `None` when not even the first segment is there.
pub(crate) fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let mut scope: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let body = raw.trim_start_matches(' ');
            let trimmed = body.trim();
            (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some(Line {
                indent: raw.len() - body.len(),
                text: body,
                number: i + 1,
            })
        })
        .collect();
    let mut found = None;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let Some(first) = scope.first().copied() else {
            break;
        };
        let next = if is_item(first.text) {
            item(&scope, first.indent, &segment)
        } else {
            member(&scope, first.indent, &segment)
        };
        let Some((number, inner)) = next else { break };
        found = Some(number);
        scope = inner;
    }
    found
}

/// Whether a line starts a sequence item (`- x`, or a lone `-`).
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// The key a mapping line starts with (`name: x`, `"name": x`).
fn key_of(text: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if let Some(rest) = text.strip_prefix(quote) {
            let end = rest.find(quote)?;
            return rest[end + 1..].starts_with(':').then(|| &rest[..end]);
        }
    }
    let colon = text
        .find(": ")
        .or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
    Some(&text[..colon])
}

/// Member `key` of the mapping whose keys are at `indent`: its line and its value's lines.
fn member<'a>(scope: &[Line<'a>], indent: usize, key: &str) -> Option<(usize, Vec<Line<'a>>)> {
    let at = scope
        .iter()
        .position(|l| l.indent == indent && key_of(l.text) == Some(key))?;
    let end = scope[at + 1..]
        .iter()
        .position(|l| l.indent < indent || (l.indent == indent && !is_item(l.text)))
        .map_or(scope.len(), |p| at + 1 + p);
    Some((scope[at].number, scope[at + 1..end].to_vec()))
}

/// Item `index` of the sequence whose dashes are at `indent`: its line and its lines, the
/// dash turned into indentation so the item reads as a mapping.
fn item<'a>(scope: &[Line<'a>], indent: usize, index: &str) -> Option<(usize, Vec<Line<'a>>)> {
    let index: usize = index.parse().ok()?;
    let starts: Vec<usize> = scope
        .iter()
        .enumerate()
        .filter(|(_, l)| l.indent == indent && is_item(l.text))
        .map(|(i, _)| i)
        .collect();
    let start = *starts.get(index)?;
    let end = starts.get(index + 1).copied().unwrap_or(scope.len());
    let first = scope[start];
    let rest = &first.text[1..];
    let content = rest.trim_start_matches(' ');
    let mut lines = Vec::with_capacity(end - start);
    if !content.is_empty() {
        lines.push(Line {
            indent: first.indent + 1 + (rest.len() - content.len()),
            text: content,
            number: first.number,
        });
    }
    lines.extend_from_slice(&scope[start + 1..end]);
    Some((first.number, lines))
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: example.com
  # a comment
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        description: |
          text
          more text
        properties:
          spec:
            type: object
  - name: v2
    \"served\": false
";

    #[test]
    fn pointers_find_their_lines() {
        assert_eq!(line_of(CRD, "/kind"), Some(2));
        assert_eq!(line_of(CRD, "/spec/group"), Some(4));
        assert_eq!(line_of(CRD, "/spec/versions/0"), Some(7));
        assert_eq!(line_of(CRD, "/spec/versions/0/name"), Some(7));
        assert_eq!(
            line_of(
                CRD,
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/type"
            ),
            Some(16)
        );
        assert_eq!(line_of(CRD, "/spec/versions/1/served"), Some(18));
    }

    #[test]
    fn a_missing_node_gives_its_nearest_ancestor() {
        assert_eq!(line_of(CRD, "/spec/versions/1/schema"), Some(17));
        assert_eq!(line_of(CRD, "/spec/versions/5"), Some(6));
        assert_eq!(line_of(CRD, "/status"), None);
    }

    #[test]
    fn items_under_a_key_at_the_same_indent_and_nested_sequences() {
        let text = "a:\n- - x\n  - y\n- b: 1\n  c:\n    - 2\n";
        assert_eq!(line_of(text, "/a/0/1"), Some(3));
        assert_eq!(line_of(text, "/a/1/c/0"), Some(6));
    }
}
