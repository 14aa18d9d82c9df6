//! `Quantity` (`resource.Quantity`): a fixed-point number with a unit suffix (`500m`, `1Gi`),
//! kept as its text so it round-trips exactly (inline, without a heap allocation, when it is
//! short, as nearly all are); `as_f64` reads its value when one is needed.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::short_text::ShortText;

/// A resource amount such as `100m` CPU or `1Gi` memory, as the string the server sent.
///
/// Manifests sometimes write a bare number (`cpu: 1`); it is accepted and kept as its text,
/// the way the API server accepts it and answers with a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Quantity(ShortText);

super::short_text::text_newtype!(Quantity, "The quantity as written (`\"1500m\"`).");

impl Quantity {
    /// The numeric value (`"1500m"` -> `1.5`, `"1Ki"` -> `1024.0`, `"1e3"` -> `1000.0`), or
    /// `None` when the text is not a Kubernetes quantity.
    pub fn as_f64(&self) -> Option<f64> {
        let text = self.as_str().trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(split);
        let number: f64 = number.parse().ok()?;
        let factor = match suffix {
            "" => 1.0,
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => 1024.0,
            "Mi" => 1024f64.powi(2),
            "Gi" => 1024f64.powi(3),
            "Ti" => 1024f64.powi(4),
            "Pi" => 1024f64.powi(5),
            "Ei" => 1024f64.powi(6),
            exp => {
                // Decimal exponent form: `e3`, `E-2`.
                let digits = exp.strip_prefix(['e', 'E'])?;
                let power: i32 = digits.parse().ok()?;
                10f64.powi(power)
            }
        };
        Some(number * factor)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;

        impl Visitor<'_> for QuantityVisitor {
            type Value = Quantity;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as \"500m\" or \"1Gi\", or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity::from(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Quantity, E> {
                Ok(Quantity::from(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity::from(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity::from(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity::from(v.to_string()))
            }
        }

        deserializer.deserialize_any(QuantityVisitor)
    }
}
