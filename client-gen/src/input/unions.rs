//! `oneOf`/`anyOf` and `allOf` with a `discriminator`, to unions: alternatives told apart by
//! the discriminator (with its mapping), by JSON type, or by a required member no other
//! alternative has; what cannot be told apart is JSON, with a warning naming the schema.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::schema::{Naming, SchemaLowering};
use crate::model::{JsonKind, Pick, Shape, Ty, UnionVariant};
use crate::names;

/// The `oneOf` or `anyOf` of a schema that is only that (not an object constrained by one).
pub(crate) fn alternatives(schema: &Value) -> Option<(&'static str, &Vec<Value>)> {
    if schema.get("properties").is_some() {
        return None;
    }
    ["oneOf", "anyOf"].into_iter().find_map(|keyword| {
        let alts = schema.get(keyword)?.as_array()?;
        (!alts.is_empty()).then_some((keyword, alts))
    })
}

/// One alternative as analysed: its schema (a `$ref` followed), what it is called.
struct Alternative {
    schema: Value,
    pointer: String,
    /// The definition a `$ref` names.
    reference: Option<String>,
    kind: Option<JsonKind>,
    /// Members (all and required), `allOf` parts merged.
    members: BTreeSet<String>,
    required: BTreeSet<String>,
}

impl SchemaLowering<'_> {
    /// The type of a `oneOf`/`anyOf` schema at `pointer`.
    pub(crate) fn union_ty(
        &mut self,
        schema: &Value,
        pointer: &str,
        naming: &Naming,
    ) -> Result<Ty, Error> {
        match self.union_shape(schema, pointer, naming)? {
            Shape::Alias(ty) => Ok(ty),
            shape => {
                self.insert_inline(schema, naming, shape);
                Ok(Ty::Named(naming.id.clone()))
            }
        }
    }

    /// The shape of a `oneOf`/`anyOf` schema: a union, or an alias when one type serves (a
    /// `null` alternative besides one other, strings only) or none can (JSON, warned about).
    pub(crate) fn union_shape(
        &mut self,
        schema: &Value,
        pointer: &str,
        naming: &Naming,
    ) -> Result<Shape, Error> {
        let Some((keyword, alts)) = alternatives(schema) else {
            return Ok(Shape::Alias(Ty::Json));
        };
        let at = pointer_join(pointer, keyword);
        let mut analysed = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            let alt_pointer = format!("{at}/{i}");
            let a = self.analyse(alt, &alt_pointer)?;
            // `null` is an absent member already (`Option`).
            if a.kind != Some(JsonKind::Null) {
                analysed.push((alt.clone(), a));
            }
        }
        if let [(alt, one)] = analysed.as_slice() {
            return Ok(Shape::Alias(self.field_ty(alt, &one.pointer, naming)?));
        }
        if analysed
            .iter()
            .all(|(_, a)| a.kind == Some(JsonKind::String))
        {
            // An enum next to any string (an open enum, OpenAPI 3.1 style): a string.
            return Ok(Shape::Alias(Ty::String));
        }
        let Some(picks) = self.picks(schema, &analysed) else {
            self.warn(
                &at,
                format!(
                    "{keyword}: the alternatives cannot be told apart (no discriminator, \
                     JSON types in common, no required member unique to each): kept as \
                     serde_json::Value"
                ),
            );
            return Ok(Shape::Alias(Ty::Json));
        };
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        for ((alt, a), pick) in analysed.iter().zip(picks) {
            let base = match (&a.reference, &pick) {
                (Some(r), _) => names::type_name(r.rsplit('.').next().unwrap_or(r)),
                (None, Pick::Tag { values, .. }) => names::variant_name(&values[0]),
                (None, Pick::Member(m)) => names::variant_name(m),
                (None, Pick::Json(kind)) => format!("{kind:?}"),
            };
            let rust_name = names::unique(base, &mut taken);
            let alt_naming = Naming {
                id: format!("{}/{rust_name}", naming.id),
                rust: format!("{}{rust_name}", naming.rust),
                module: naming.module.clone(),
            };
            let ty = self.field_ty(alt, &a.pointer, &alt_naming)?;
            variants.push(UnionVariant {
                rust_name,
                ty,
                pick,
            });
        }
        Ok(Shape::Union(variants))
    }

    /// How each alternative is recognised, in order; `None` when they cannot all be.
    fn picks(&self, schema: &Value, alts: &[(Value, Alternative)]) -> Option<Vec<Pick>> {
        if let Some(property) = discriminator(schema) {
            let mapping = mapping(schema);
            let tags: Option<Vec<Pick>> = alts
                .iter()
                .map(|(_, a)| {
                    let values = tag_values(a, property, &mapping, self.ref_prefix);
                    (!values.is_empty()).then(|| Pick::Tag {
                        property: property.to_owned(),
                        values,
                    })
                })
                .collect();
            if tags.is_some() {
                return tags;
            }
        }
        let kinds: Vec<Option<JsonKind>> = alts.iter().map(|(_, a)| a.kind).collect();
        if kinds.iter().any(Option::is_none) {
            return None;
        }
        let mut picks = Vec::new();
        let objects: Vec<&Alternative> = alts
            .iter()
            .map(|(_, a)| a)
            .filter(|a| a.kind == Some(JsonKind::Object))
            .collect();
        let mut fallback_object = false;
        for (_, a) in alts {
            let kind = a.kind?;
            let same_kind = kinds.iter().filter(|k| **k == Some(kind)).count();
            if same_kind == 1 {
                picks.push(Pick::Json(kind));
                continue;
            }
            if kind != JsonKind::Object {
                return None;
            }
            let unique = a.required.iter().find(|m| {
                objects
                    .iter()
                    .filter(|o| !std::ptr::eq(**o, a))
                    .all(|o| !o.members.contains(*m))
            });
            match unique {
                Some(member) => picks.push(Pick::Member(member.clone())),
                // One object without a member of its own can still be what is left.
                None if !fallback_object => {
                    fallback_object = true;
                    picks.push(Pick::Json(JsonKind::Object));
                }
                None => return None,
            }
        }
        // The emitter tries a catch-all object after the objects recognised by a member.
        Some(picks)
    }

    /// What an alternative is, a `$ref` followed and `allOf` parts merged.
    fn analyse(&self, alt: &Value, pointer: &str) -> Result<Alternative, Error> {
        let mut reference = None;
        let mut schema = alt.clone();
        if let Some(r) = alt.get("$ref").and_then(Value::as_str) {
            let name = self.ref_target(r, &pointer_join(pointer, "$ref"))?;
            reference = Some(name.to_owned());
            schema = self.defs.get(name).cloned().unwrap_or(Value::Null);
        }
        let mut properties = BTreeMap::new();
        let mut required = BTreeSet::new();
        self.collect_members(&schema, pointer, &mut properties, &mut required)?;
        let kind = match schema.get("type").and_then(Value::as_str) {
            Some("string") => Some(JsonKind::String),
            Some("integer" | "number") => Some(JsonKind::Number),
            Some("boolean") => Some(JsonKind::Bool),
            Some("array") => Some(JsonKind::Array),
            Some("object") => Some(JsonKind::Object),
            Some("null") => Some(JsonKind::Null),
            _ if !properties.is_empty() || schema.get("additionalProperties").is_some() => {
                Some(JsonKind::Object)
            }
            // A well-known type (`Quantity`) or a schema that does not say.
            _ => None,
        };
        Ok(Alternative {
            schema,
            pointer: pointer.to_owned(),
            reference,
            kind,
            members: properties.into_keys().collect(),
            required,
        })
    }

    /// For a definition with a `discriminator` that other definitions extend (`allOf` with a
    /// `$ref` to it, or named by its mapping): the union of those subtypes, each with every
    /// member it has (the base's and its own).
    pub(crate) fn subtypes_union(&self, name: &str, schema: &Value) -> Option<Shape> {
        let property = discriminator(schema)?;
        if alternatives(schema).is_some() {
            return None;
        }
        let own_ref = format!("{}{name}", self.ref_prefix);
        let mapping = mapping(schema);
        let mut subtypes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (value, target) in &mapping {
            let target = target.strip_prefix(self.ref_prefix).unwrap_or(target);
            if target != name && self.defs.contains_key(target) {
                subtypes
                    .entry(target.to_owned())
                    .or_default()
                    .push(value.clone());
            }
        }
        for (sub, sub_schema) in self.defs {
            let extends = sub_schema
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|parts| {
                    parts
                        .iter()
                        .any(|p| p.get("$ref").and_then(Value::as_str) == Some(own_ref.as_str()))
                });
            if extends && sub != name {
                let values = subtypes.entry(sub.clone()).or_default();
                if values.is_empty() && !mapping.values().any(|t| t.ends_with(sub.as_str())) {
                    values.push(sub.rsplit('.').next().unwrap_or(sub).to_owned());
                }
            }
        }
        subtypes.retain(|_, values| !values.is_empty());
        if subtypes.is_empty() {
            return None;
        }
        let mut taken = BTreeSet::new();
        let variants = subtypes
            .into_iter()
            .map(|(sub, values)| UnionVariant {
                rust_name: names::unique(
                    names::type_name(sub.rsplit('.').next().unwrap_or(&sub)),
                    &mut taken,
                ),
                ty: (self.well_known)(&sub).unwrap_or(Ty::Named(sub.clone())),
                pick: Pick::Tag {
                    property: property.to_owned(),
                    values,
                },
            })
            .collect();
        Some(Shape::Union(variants))
    }
}

/// The discriminator property: OpenAPI 3's `discriminator.propertyName`, or 2's
/// `discriminator` (the name itself).
fn discriminator(schema: &Value) -> Option<&str> {
    let d = schema.get("discriminator")?;
    d.as_str().or_else(|| d.get("propertyName")?.as_str())
}

/// A discriminator's `mapping`: tag value -> `$ref` (or bare schema name).
fn mapping(schema: &Value) -> BTreeMap<String, String> {
    schema
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object)
        .map(|m: &Map<String, Value>| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The discriminator values that name an alternative: the mapping's entries for its `$ref`,
/// else its schema's name (OpenAPI's default), else a one-value `enum` (or `const`) of the
/// property in an inline alternative.
fn tag_values(
    a: &Alternative,
    property: &str,
    mapping: &BTreeMap<String, String>,
    ref_prefix: &str,
) -> Vec<String> {
    if let Some(reference) = &a.reference {
        let mapped: Vec<String> = mapping
            .iter()
            .filter(|(_, target)| {
                target.strip_prefix(ref_prefix).unwrap_or(target) == reference.as_str()
            })
            .map(|(value, _)| value.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        return vec![reference.rsplit('.').next().unwrap_or(reference).to_owned()];
    }
    let prop = a.schema.pointer(&format!(
        "/properties/{}",
        property.replace('~', "~0").replace('/', "~1")
    ));
    match prop {
        Some(p) => match (p.get("const"), p.get("enum").and_then(Value::as_array)) {
            (Some(Value::String(c)), _) => vec![c.clone()],
            (_, Some(values)) if values.len() == 1 => values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}
