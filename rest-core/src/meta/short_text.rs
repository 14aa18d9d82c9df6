//! `ShortText`: an immutable string that keeps up to 22 bytes inline, so the timestamps and
//! quantities every object carries several of decode without a heap allocation each.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes kept inline: a `Time` (`2026-11-27T13:01:18Z`, 20) and the usual quantities fit; a
/// `MicroTime` (27) and longer text go to the heap. The whole value is 24 bytes, as a `String`.
const INLINE: usize = 22;

/// Text of any length; equality, order and hashing are the text's.
#[derive(Clone)]
pub(crate) enum ShortText {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl ShortText {
    pub(crate) fn new(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                ShortText::Inline { len, bytes }
            }
            _ => ShortText::Heap(text.into()),
        }
    }

    pub(crate) fn from_string(text: String) -> Self {
        if text.len() <= INLINE {
            ShortText::new(&text)
        } else {
            ShortText::Heap(text.into_boxed_str())
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `str` whole, so they are UTF-8: the check never
            // fails (and costs a few nanoseconds on 22 bytes at most).
            ShortText::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            ShortText::Heap(text) => text,
        }
    }

    pub(crate) fn into_string(self) -> String {
        match self {
            ShortText::Heap(text) => text.into_string(),
            inline => inline.as_str().to_owned(),
        }
    }
}

impl Default for ShortText {
    fn default() -> Self {
        ShortText::Inline {
            len: 0,
            bytes: [0; INLINE],
        }
    }
}

impl PartialEq for ShortText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ShortText {}

impl PartialOrd for ShortText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ShortText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for ShortText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for ShortText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ShortText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = ShortText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ShortText, E> {
        Ok(ShortText::new(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<ShortText, E> {
        Ok(ShortText::from_string(v))
    }
}

/// The string API of a public newtype over `ShortText` (`Time`, `MicroTime`, `Quantity`):
/// read as `&str` (`as_str`, `Deref`, `AsRef`, `Borrow`), made from `String`/`&str`,
/// compared with strings, displayed as the text.
macro_rules! text_newtype {
    ($ty:ident, $as_str_doc:literal) => {
        impl $ty {
            #[doc = $as_str_doc]
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The text as an owned `String`.
            pub fn into_string(self) -> String {
                self.0.into_string()
            }
        }

        impl std::ops::Deref for $ty {
            type Target = str;

            fn deref(&self) -> &str {
                self.0.as_str()
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.0.as_str()
            }
        }

        impl std::borrow::Borrow<str> for $ty {
            fn borrow(&self) -> &str {
                self.0.as_str()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl From<String> for $ty {
            fn from(value: String) -> Self {
                $ty($crate::meta::short_text::ShortText::from_string(value))
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                $ty($crate::meta::short_text::ShortText::new(value))
            }
        }

        impl From<&String> for $ty {
            fn from(value: &String) -> Self {
                $ty($crate::meta::short_text::ShortText::new(value))
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.into_string()
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                self.0.as_str() == other
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.0.as_str() == *other
            }
        }

        impl PartialEq<String> for $ty {
            fn eq(&self, other: &String) -> bool {
                self.0.as_str() == other.as_str()
            }
        }

        impl PartialEq<$ty> for str {
            fn eq(&self, other: &$ty) -> bool {
                self == other.0.as_str()
            }
        }

        impl PartialEq<$ty> for &str {
            fn eq(&self, other: &$ty) -> bool {
                *self == other.0.as_str()
            }
        }

        impl PartialEq<$ty> for String {
            fn eq(&self, other: &$ty) -> bool {
                self.as_str() == other.0.as_str()
            }
        }
    };
}

pub(crate) use text_newtype;

#[cfg(test)]
mod tests {
    use super::{ShortText, INLINE};

    #[test]
    fn any_length_reads_back_whole() {
        assert_eq!(std::mem::size_of::<ShortText>(), 24);
        assert_eq!(std::mem::size_of::<Option<ShortText>>(), 24);
        let long = "x".repeat(300);
        for text in [
            "",
            "1",
            "2026-11-27T13:01:18Z",
            &"a".repeat(INLINE),
            &"b".repeat(INLINE + 1),
            "2026-11-27T13:01:18.123456Z",
            "ééééééééééé",
            "éééééééééééé",
            &long,
        ] {
            let short = ShortText::new(text);
            assert_eq!(short.as_str(), text);
            assert_eq!(ShortText::from_string(text.to_owned()), short);
            assert_eq!(short.clone().into_string(), text);
            assert_eq!(
                matches!(short, ShortText::Inline { .. }),
                text.len() <= INLINE,
                "{text}"
            );
        }
        assert!(ShortText::new("a") < ShortText::new(&"b".repeat(40)));
        assert_eq!(ShortText::default().as_str(), "");
    }
}
