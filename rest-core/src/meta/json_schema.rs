//! `schemars::JsonSchema` for the meta value types a derived spec may hold (`Quantity`,
//! `IntOrString`, `Time`, `MicroTime`, a status's `Condition`s): the schemas the apiserver
//! itself gives them in CRDs.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use super::{Condition, IntOrString, Map, MicroTime, Quantity, Time};

/// An integer or a string: the only union a structural schema can say.
fn int_or_string() -> Schema {
    json_schema!({ "x-kubernetes-int-or-string": true })
}

fn date_time() -> Schema {
    json_schema!({ "type": "string", "format": "date-time" })
}

macro_rules! schema_of {
    ($ty:ident, $make:ident) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $make()
            }
            fn inline_schema() -> bool {
                true
            }
        }
    };
}

// A quantity is written as a string ("500m") but a plain number is one too.
schema_of!(Quantity, int_or_string);
schema_of!(IntOrString, int_or_string);
schema_of!(Time, date_time);
schema_of!(MicroTime, date_time);

/// A map of a spec (labels, say), as a `BTreeMap`'s: an object whose members are `V`s.
impl<V: JsonSchema> JsonSchema for Map<String, V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
    fn inline_schema() -> bool {
        true
    }
}

/// `metav1.Condition` as kubebuilder writes it into CRDs (every field but
/// `observedGeneration` required), so a derived status can hold `Vec<Condition>`.
impl JsonSchema for Condition {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "required": ["lastTransitionTime", "message", "reason", "status", "type"],
            "properties": {
                "lastTransitionTime": {"type": "string", "format": "date-time"},
                "message": {"type": "string", "maxLength": 32768},
                "observedGeneration": {"type": "integer", "format": "int64", "minimum": 0},
                "reason": {"type": "string", "maxLength": 1024},
                "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
                "type": {"type": "string", "maxLength": 316}
            }
        })
    }
    fn inline_schema() -> bool {
        true
    }
}
