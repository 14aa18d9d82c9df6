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
/// `VersionedParams` with the parameter codec). A struct of scalars, options and lists of
/// scalars (every Kubernetes options type) is read directly; anything else goes through a
/// `serde_json::Value`, which gives the same pairs.
pub(crate) fn query_pairs(params: &impl Serialize) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    match params.serialize(direct::Params { out: &mut pairs }) {
        Ok(()) => Ok(pairs),
        Err(direct::Unsupported) => query_pairs_by_value(params),
    }
}

fn query_pairs_by_value(params: &impl Serialize) -> Result<Vec<(String, String)>, String> {
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

/// The direct reading of `query_pairs`: a struct whose fields are scalars, `Option`s,
/// unit enum variants or sequences of those. Anything else is `Unsupported` and read
/// through `serde_json::Value` instead, so the two never disagree.
mod direct {
    use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct};

    #[derive(Debug)]
    pub(super) struct Unsupported;

    impl std::fmt::Display for Unsupported {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("not a flat options struct")
        }
    }

    impl std::error::Error for Unsupported {}

    impl ser::Error for Unsupported {
        fn custom<T: std::fmt::Display>(_msg: T) -> Self {
            Unsupported
        }
    }

    /// The top level: only a struct.
    pub(super) struct Params<'a> {
        pub out: &'a mut Vec<(String, String)>,
    }

    /// One field's value: its texts (none for `null`, several for a list).
    struct Field<'a> {
        key: &'static str,
        out: &'a mut Vec<(String, String)>,
        /// Inside a list: nested lists are `Unsupported` (`Value` writes them as JSON).
        in_list: bool,
    }

    impl Field<'_> {
        fn push(self, text: String) -> Result<(), Unsupported> {
            self.out.push((self.key.to_owned(), text));
            Ok(())
        }
    }

    macro_rules! unsupported {
        ($($name:ident($($arg:ty),*) -> $ok:ty;)*) => {
            $(fn $name(self, $(_: $arg),*) -> Result<$ok, Unsupported> { Err(Unsupported) })*
        };
    }

    impl<'a> ser::Serializer for Params<'a> {
        type Ok = ();
        type Error = Unsupported;
        type SerializeSeq = Impossible<(), Unsupported>;
        type SerializeTuple = Impossible<(), Unsupported>;
        type SerializeTupleStruct = Impossible<(), Unsupported>;
        type SerializeTupleVariant = Impossible<(), Unsupported>;
        type SerializeMap = Impossible<(), Unsupported>;
        type SerializeStruct = Self;
        type SerializeStructVariant = Impossible<(), Unsupported>;

        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
            Ok(self)
        }

        unsupported! {
            serialize_bool(bool) -> ();
            serialize_i8(i8) -> (); serialize_i16(i16) -> (); serialize_i32(i32) -> ();
            serialize_i64(i64) -> (); serialize_u8(u8) -> (); serialize_u16(u16) -> ();
            serialize_u32(u32) -> (); serialize_u64(u64) -> (); serialize_f32(f32) -> ();
            serialize_f64(f64) -> (); serialize_char(char) -> (); serialize_str(&str) -> ();
            serialize_bytes(&[u8]) -> (); serialize_none() -> (); serialize_unit() -> ();
            serialize_unit_struct(&'static str) -> ();
            serialize_unit_variant(&'static str, u32, &'static str) -> ();
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Unsupported> {
            Err(Unsupported)
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), Unsupported> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Unsupported> {
            Err(Unsupported)
        }
    }

    impl SerializeStruct for Params<'_> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_field<T: ?Sized + Serialize>(
            &mut self,
            key: &'static str,
            value: &T,
        ) -> Result<(), Unsupported> {
            value.serialize(Field {
                key,
                out: self.out,
                in_list: false,
            })
        }

        fn end(self) -> Result<(), Unsupported> {
            Ok(())
        }
    }

    impl<'a> ser::Serializer for Field<'a> {
        type Ok = ();
        type Error = Unsupported;
        type SerializeSeq = Self;
        type SerializeTuple = Impossible<(), Unsupported>;
        type SerializeTupleStruct = Impossible<(), Unsupported>;
        type SerializeTupleVariant = Impossible<(), Unsupported>;
        type SerializeMap = Impossible<(), Unsupported>;
        type SerializeStruct = Impossible<(), Unsupported>;
        type SerializeStructVariant = Impossible<(), Unsupported>;

        fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_char(self, v: char) -> Result<(), Unsupported> {
            self.push(v.to_string())
        }
        fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
            self.push(v.to_owned())
        }
        fn serialize_none(self) -> Result<(), Unsupported> {
            Ok(())
        }
        fn serialize_unit(self) -> Result<(), Unsupported> {
            Ok(())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
            Ok(())
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<(), Unsupported> {
            self.push(variant.to_owned())
        }
        fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
            value.serialize(self)
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), Unsupported> {
            value.serialize(self)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unsupported> {
            if self.in_list {
                return Err(Unsupported);
            }
            Ok(Field {
                in_list: true,
                ..self
            })
        }

        unsupported! {
            // Floats: serde_json writes them its own way (and NaN as null).
            serialize_f32(f32) -> (); serialize_f64(f64) -> ();
            serialize_bytes(&[u8]) -> ();
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_map(Option<usize>) -> Self::SerializeMap;
            serialize_struct(&'static str, usize) -> Self::SerializeStruct;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }

        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Unsupported> {
            Err(Unsupported)
        }
    }

    impl SerializeSeq for Field<'_> {
        type Ok = ();
        type Error = Unsupported;

        fn serialize_element<T: ?Sized + Serialize>(
            &mut self,
            value: &T,
        ) -> Result<(), Unsupported> {
            value.serialize(Field {
                key: self.key,
                out: self.out,
                in_list: true,
            })
        }

        fn end(self) -> Result<(), Unsupported> {
            Ok(())
        }
    }
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
    fn options_read_directly_give_the_pairs_a_value_gives() {
        use crate::meta::{DeleteOptions, GetOptions, ListOptions};
        let list = ListOptions {
            label_selector: Some("a=b,c".into()),
            limit: Some(500),
            allow_watch_bookmarks: Some(true),
            continue_: Some("tok en".into()),
            ..Default::default()
        };
        let get = GetOptions {
            resource_version: Some("12".into()),
        };
        #[derive(serde::Serialize)]
        struct Odd {
            f: f64,
            list: Vec<Option<u8>>,
            nested: Vec<Vec<u8>>,
            e: Option<Mode>,
        }
        #[derive(serde::Serialize)]
        enum Mode {
            Fast,
        }
        let odd = Odd {
            f: 1.5,
            list: vec![Some(1), None, Some(3)],
            nested: vec![vec![1, 2]],
            e: Some(Mode::Fast),
        };
        #[derive(serde::Serialize)]
        struct Flat {
            list: Vec<Option<u8>>,
            e: Option<Mode>,
            none: Option<String>,
            unit: (),
        }
        let flat = Flat {
            list: vec![Some(1), None, Some(3)],
            e: Some(Mode::Fast),
            none: None,
            unit: (),
        };
        let sorted = |mut pairs: Vec<(String, String)>| {
            pairs.sort();
            pairs
        };
        let check = |direct: Result<Vec<(String, String)>, String>,
                     by_value: Result<Vec<(String, String)>, String>| {
            assert_eq!(direct.map(sorted), by_value.map(sorted));
        };
        check(query_pairs(&list), query_pairs_by_value(&list));
        check(query_pairs(&get), query_pairs_by_value(&get));
        check(query_pairs(&GetOptions::default()), Ok(vec![]));
        check(query_pairs(&odd), query_pairs_by_value(&odd));
        check(query_pairs(&flat), query_pairs_by_value(&flat));
        check(
            query_pairs(&DeleteOptions::default()),
            query_pairs_by_value(&DeleteOptions::default()),
        );
        assert!(query_pairs(&3).unwrap_err().contains("not 3"));
        let mut direct = Vec::new();
        assert!(flat.serialize(direct::Params { out: &mut direct }).is_ok());
        assert!(odd.serialize(direct::Params { out: &mut direct }).is_err());
    }

    #[test]
    fn segments_are_validated() {
        for bad in [".", "..", "a/b", "a%2f"] {
            assert!(invalid_segment(bad).is_some(), "{bad}");
        }
        assert!(invalid_segment("...").is_none());
    }
}
