//! URL pieces by client-go's rules: path segment validation (`IsValidPathSegmentName`),
//! `path.Join`-style joining, query encoding of option structs, and Go duration strings.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

/// Why `segment` cannot be a path segment (namespace, resource, name, subresource), if it cannot.
pub(crate) fn invalid_segment(segment: &str) -> Option<&'static str> {
    match segment {
        "." => Some("may not be '.'"),
        ".." => Some("may not be '..'"),
        s if s.contains('/') => Some("may not contain '/'"),
        s if s.contains('%') => Some("may not contain '%'"),
        _ => None,
    }
}

/// Go's `path.Join`: joins with `/`, drops empty and `.` segments, resolves `..`, and keeps
/// a leading `/` when `base` has one.
pub(crate) fn join(base: &str, more: &[&str]) -> String {
    let absolute = base.starts_with('/')
        || (base.is_empty() && more.first().is_some_and(|m| m.starts_with('/')));
    let mut parts: Vec<&str> = Vec::new();
    for piece in std::iter::once(base).chain(more.iter().copied()) {
        for seg in piece.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Query pairs from an options struct: it must serialize to a JSON object; `null` fields
/// are omitted, arrays become repeated keys, scalars their text (client-go's
/// `VersionedParams` with the parameter codec).
pub(crate) fn query_pairs(params: &impl Serialize) -> Result<Vec<(String, String)>, String> {
    let value =
        serde_json::to_value(params).map_err(|e| format!("cannot encode parameters: {e}"))?;
    let Value::Object(map) = value else {
        return Err(format!(
            "parameters must serialize to an object with named fields, not {value}"
        ));
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (key, value) in map {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar_text(item) {
                        pairs.push((key.clone(), text));
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(other) {
                    pairs.push((key, text));
                }
            }
        }
    }
    Ok(pairs)
}

fn scalar_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        // Nested objects have no query form in Kubernetes options; send their JSON.
        other => Some(other.to_string()),
    }
}

/// A duration as Go's `time.Duration.String` writes it (`30s`, `1m30s`, `1.5s`, `250ms`),
/// which is what the API server's `timeout` parameter parses.
pub(crate) fn go_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return format!("{}µs", trim_fraction(nanos, 1_000));
    }
    if nanos < 1_000_000_000 {
        return format!("{}ms", trim_fraction(nanos, 1_000_000));
    }
    let total_secs = d.as_secs();
    let (h, m) = (total_secs / 3600, (total_secs / 60) % 60);
    let secs = trim_fraction(
        u128::from(total_secs % 60) * 1_000_000_000 + u128::from(d.subsec_nanos()),
        1_000_000_000,
    );
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// `value / unit` with the fraction written out and trailing zeros dropped.
fn trim_fraction(value: u128, unit: u128) -> String {
    let whole = value / unit;
    let frac = value % unit;
    if frac == 0 {
        return whole.to_string();
    }
    let width = unit.to_string().len() - 1;
    let digits = format!("{frac:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_go_path_join() {
        assert_eq!(
            join("/api/v1", &["namespaces", "ns"]),
            "/api/v1/namespaces/ns"
        );
        assert_eq!(join("", &["/a//b/", "./c", "../d"]), "/a/b/d");
        assert_eq!(join("/", &[]), "/");
        assert_eq!(join("/x", &["", ""]), "/x");
    }

    #[test]
    fn writes_go_durations() {
        let cases = [
            (Duration::from_secs(30), "30s"),
            (Duration::from_secs(90), "1m30s"),
            (Duration::from_secs(3600), "1h0m0s"),
            (Duration::from_millis(1500), "1.5s"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_micros(1), "1µs"),
            (Duration::ZERO, "0s"),
        ];
        for (d, want) in cases {
            assert_eq!(go_duration(d), want);
        }
    }

    #[test]
    fn segments_are_validated() {
        for bad in [".", "..", "a/b", "a%2f"] {
            assert!(invalid_segment(bad).is_some(), "{bad}");
        }
        assert!(invalid_segment("...").is_none());
    }
}
