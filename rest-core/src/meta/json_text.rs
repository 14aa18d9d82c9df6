//! Capturing any JSON value as compact JSON text while it is decoded, from any serde format:
//! from serde_json the value's own text is taken whole (no visit of its tokens, one copy),
//! from other formats (YAML, buffered content) it is written out token by token.

use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads one value from `deserializer` and returns it as compact JSON text.
pub(crate) fn capture<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match raw_token() {
        // serde_json answers this name with the value's raw text; any other deserializer
        // calls `visit_newtype_struct` (or visits the value itself), which `Capture` writes.
        Some(token) => deserializer.deserialize_newtype_struct(token, Capture { token }),
        None => {
            let mut out = String::new();
            TextWriter(&mut out).deserialize(deserializer)?;
            Ok(out)
        }
    }
}

/// Writes JSON `text` into any serializer. The text was produced by `capture` (or checked
/// by the constructor that took it), so a parse failure is reported, never ignored.
pub(crate) fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    // Writes are rare next to reads; parsing here keeps every output format correct.
    let value: serde_json::Value = serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
    value.serialize(serializer)
}

/// The newtype name through which serde_json hands out a value's raw text, learnt once from
/// `RawValue`'s own `Deserialize` (so no private name is written here). `None` if serde_json
/// ever stops asking for it that way: capture then writes the text token by token.
fn raw_token() -> Option<&'static str> {
    static TOKEN: OnceLock<Option<&'static str>> = OnceLock::new();
    *TOKEN.get_or_init(|| {
        let mut seen = None;
        let _ = Box::<serde_json::value::RawValue>::deserialize(NameProbe(&mut seen));
        seen
    })
}

/// A deserializer that only records the name a newtype is asked for under, then fails.
struct NameProbe<'a>(&'a mut Option<&'static str>);

impl<'de> Deserializer<'de> for NameProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("probe"))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(name);
        Err(de::Error::custom("probe"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The visitor of `capture`: serde_json's raw text (a one-entry map under the token), or a
/// plain value from any other deserializer.
struct Capture {
    token: &'static str,
}

impl Capture {
    fn written<E>(f: impl FnOnce(TextWriter<'_>) -> Result<(), E>) -> Result<String, E> {
        let mut out = String::new();
        f(TextWriter(&mut out))?;
        Ok(out)
    }
}

impl<'de> Visitor<'de> for Capture {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        Capture::written(|w| w.deserialize(d))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let mut out = String::from("{");
        let Some(is_raw) = map.next_key_seed(FirstKey {
            out: &mut out,
            token: self.token,
        })?
        else {
            out.push('}');
            return Ok(out);
        };
        if is_raw {
            let raw = map.next_value_seed(RawText)?;
            return Ok(compact(raw));
        }
        // A format that visits the value itself: an ordinary object, its first name written.
        out.push(':');
        map.next_value_seed(TextWriter(&mut out))?;
        write_map_rest(&mut out, map)?;
        out.push('}');
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        Capture::written(|w| w.visit_seq(seq))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Capture::written(|w| w.visit_bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Capture::written(|w| w.visit_i64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Capture::written(|w| w.visit_u64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Capture::written(|w| w.visit_f64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Capture::written(|w| w.visit_str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Capture::written(|w| w.visit_unit())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Capture::written(|w| w.visit_none())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        Capture::written(|w| w.deserialize(d))
    }
}

/// The raw text serde_json hands out, without the whitespace between tokens (there is none
/// unless the body was pretty-printed); everything else is kept byte for byte.
fn compact(raw: String) -> String {
    if !raw
        .bytes()
        .any(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        return raw;
    }
    let mut out = String::with_capacity(raw.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in raw.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\n' | '\r' | '\t') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The first name of a map: `true` for serde_json's raw-text token, else written as a name.
struct FirstKey<'a> {
    out: &'a mut String,
    token: &'static str,
}

impl<'de> DeserializeSeed<'de> for FirstKey<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        if v == self.token {
            return Ok(true);
        }
        push_json_string(self.out, v);
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        KeyWriter(self.out).visit_i64(v).map(|()| false)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        KeyWriter(self.out).visit_u64(v).map(|()| false)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        KeyWriter(self.out).visit_bool(v).map(|()| false)
    }
}

/// serde_json's raw text, as an owned string (one allocation of the exact size).
struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for RawText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

/// Appends the JSON text of each visited value to the buffer.
struct TextWriter<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for TextWriter<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Appends a JSON string literal; text with nothing to escape (nearly all) is copied whole.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The members after the first of a map being written (`,"name":value` each).
fn write_map_rest<'de, A: MapAccess<'de>>(out: &mut String, mut map: A) -> Result<(), A::Error> {
    while map.next_key_seed(KeyWriter(out))?.is_some() {
        out.push(':');
        map.next_value_seed(TextWriter(out))?;
    }
    Ok(())
}

/// Writes `,` and an object member name straight into the text (no `String` per name).
struct KeyWriter<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for KeyWriter<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if !self.0.ends_with('{') {
            self.0.push(',');
        }
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyWriter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        push_json_string(self.0, v);
        Ok(())
    }
    // Formats with non-string keys (YAML `1: x`): JSON names are strings.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        let _ = write!(self.0, "\"{v}\"");
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        let _ = write!(self.0, "\"{v}\"");
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        let _ = write!(self.0, "\"{v}\"");
        Ok(())
    }
}

impl<'de> Visitor<'de> for TextWriter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() {
            return Err(E::custom("a non-finite number has no JSON form"));
        }
        // `{:?}` keeps a `.0` on whole numbers, so the value stays a float.
        let _ = write!(self.0, "{v:?}");
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        push_json_string(self.0, v);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        loop {
            let mark = self.0.len();
            if !first {
                self.0.push(',');
            }
            if seq.next_element_seed(TextWriter(self.0))?.is_none() {
                self.0.truncate(mark);
                break;
            }
            first = false;
        }
        self.0.push(']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.0.push('{');
        write_map_rest(self.0, map)?;
        self.0.push('}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{capture, raw_token};
    use serde::Deserialize;

    fn through_capture(json: &str) -> String {
        capture(&mut serde_json::Deserializer::from_str(json)).unwrap()
    }

    /// The same value read from YAML: the token-by-token path.
    fn through_yaml(yaml: &str) -> String {
        capture(serde_norway::Deserializer::from_str(yaml)).unwrap()
    }

    #[test]
    fn serde_json_hands_out_raw_text() {
        // Without it, capture still works but visits every token (several times slower).
        assert!(raw_token().is_some());
    }

    #[test]
    fn captures_compact_json_in_order() {
        assert_eq!(
            through_capture(
                r#"{ "f:b": {".": {}}, "f:a": [1, -2, 1.5, true, null, "x\"\n\u0001"] , "e": [] }"#
            ),
            r#"{"f:b":{".":{}},"f:a":[1,-2,1.5,true,null,"x\"\n\u0001"],"e":[]}"#
        );
        assert_eq!(through_capture("2.0"), "2.0");
        assert_eq!(through_capture(" {}"), "{}");
    }

    #[test]
    fn compact_input_is_kept_byte_for_byte() {
        let text =
            r#"{"f:metadata":{"k:{\"uid\":\"9e37\"}":{},"f:é":{".":{}}},"n":[1,2.50,"a b"]}"#;
        assert_eq!(through_capture(text), text);
        let pretty = "{\n  \"f:a b\" : {\"x\\\" \\\\\":\t[ 1 , 2.50 ]}\r\n}";
        assert_eq!(through_capture(pretty), r#"{"f:a b":{"x\" \\":[1,2.50]}}"#);
        assert_eq!(through_capture("[]"), "[]");
    }

    #[test]
    fn other_formats_and_buffered_values_are_written_out() {
        assert_eq!(
            through_yaml("f:spec:\n  f:x: {}\n  'k:{\"a\":1}': {}\n"),
            r#"{"f:spec":{"f:x":{},"k:{\"a\":1}":{}}}"#
        );
        assert_eq!(through_yaml("[1, two]"), r#"[1,"two"]"#);
        // serde_json::Value as the deserializer answers the token with its own text.
        let value = serde_json::json!({"f:a": {".": {}}, "b": [1, "x"]});
        let text = capture(value).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            serde_json::json!({"f:a": {".": {}}, "b": [1, "x"]})
        );
        // A deserializer that visits the value itself under any newtype name.
        let mut map = std::collections::BTreeMap::new();
        map.insert("f:a".to_owned(), 1u8);
        map.insert("f:b".to_owned(), 2u8);
        let de =
            serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(map.into_iter());
        assert_eq!(capture(de).unwrap(), r#"{"f:a":1,"f:b":2}"#);
    }

    #[test]
    fn inside_a_buffered_enum_it_still_captures() {
        // Adjacent tagging with the content first buffers it before the tag is known.
        #[derive(Deserialize)]
        #[serde(tag = "t", content = "c")]
        enum E {
            A(super::super::FieldsV1),
        }
        let E::A(f) = serde_json::from_str(r#"{"c":{"f:x":{}},"t":"A"}"#).unwrap();
        assert_eq!(f.as_json(), r#"{"f:x":{}}"#);
        let E::A(f) = serde_json::from_str(r#"{"t":"A","c":{"f:x":{}}}"#).unwrap();
        assert_eq!(f.as_json(), r#"{"f:x":{}}"#);
    }
}
