//! A CRD's structural `openAPIV3Schema` rewritten into the JSON Schema the shared lowering
//! (`schema.rs`) reads: `metadata` becomes `ObjectMeta`, constraint-only parts go, and
//! copies of `meta/v1` shapes become references to rest-core's (`crd_shapes`). Nodes never
//! move, so JSON pointers into the original stay valid for errors.

use serde_json::{json, Map, Value};

use crate::emit::summary;
use crate::input::crd_shapes;

/// The `$ref` the shared lowering resolves to `rest_core::meta::ObjectMeta`.
const OBJECT_META: &str = "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// Longest default value shown in a doc comment, in bytes.
const MAX_DEFAULT_LEN: usize = 60;

/// Doc budget the default note shares with the description (the emitter's default).
const DOC_BUDGET: usize = 200;

/// Whether a root schema can become a struct: it has properties (the members it keeps besides
/// them, if any, go to a flattened map). Anything else is served untyped (`Shape::Untyped`).
pub(crate) fn is_typed_root(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// The rewritten root schema of a kind: `apiVersion`, `kind` and `metadata` always present.
pub(crate) fn normalize_root(schema: &Value) -> Value {
    let mut out = normalize(schema);
    if let Some(map) = out.as_object_mut() {
        with_type_meta(map);
    }
    out
}

/// Rewrites one schema node and everything under it.
pub(crate) fn normalize(schema: &Value) -> Value {
    normalize_in(schema, None)
}

/// `normalize` for the value of property `parent` (or an item or map value of it).
fn normalize_in(schema: &Value, parent: Option<&str>) -> Value {
    if let Some(reference) = crd_shapes::meta_ref(schema, parent) {
        return reference;
    }
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        match key.as_str() {
            // Structural schemas may only constrain in these: the types are in the node itself.
            "anyOf" | "oneOf" | "allOf" | "not" => {}
            "properties" => {
                let props = value.as_object().map(|props| {
                    props
                        .iter()
                        .map(|(name, prop)| (name.clone(), normalize_in(prop, Some(name))))
                        .collect::<Map<String, Value>>()
                });
                out.insert(key.clone(), props.map_or(Value::Null, Value::Object));
            }
            "items" | "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), normalize_in(value, parent));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    // Known members next to unknown ones (`x-kubernetes-preserve-unknown-fields` with
    // `properties`) stay a struct: the lowering keeps the unknown ones in a flattened map.
    if flag(schema, "x-kubernetes-embedded-resource") && out.contains_key("properties") {
        with_type_meta(&mut out);
    }
    optional_when_nullable(&mut out);
    document_default(&mut out);
    Value::Object(out)
}

/// `apiVersion` and `kind` as strings and `metadata` as `ObjectMeta`, as the API server
/// treats the root and embedded resources whatever their schema says.
fn with_type_meta(map: &mut Map<String, Value>) {
    let props = map
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(props) = props.as_object_mut() else {
        return;
    };
    for name in ["apiVersion", "kind"] {
        let entry = props
            .entry(name)
            .or_insert_with(|| json!({"type": "string"}));
        if let Some(prop) = entry.as_object_mut() {
            prop.insert("type".to_owned(), json!("string"));
        }
    }
    let description = props
        .get("metadata")
        .and_then(|m| m.get("description"))
        .cloned();
    let mut metadata = json!({ "$ref": OBJECT_META });
    if let Some(d) = description {
        metadata["description"] = d;
    }
    props.insert("metadata".to_owned(), metadata);
}

/// A `nullable` member may be `null` even when required: it becomes an `Option`.
fn optional_when_nullable(map: &mut Map<String, Value>) {
    let nullable: Vec<String> = map
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter(|(_, p)| flag(p, "nullable"))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    if nullable.is_empty() {
        return;
    }
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.retain(|r| !r.as_str().is_some_and(|r| nullable.iter().any(|n| n == r)));
    }
}

/// Puts `default` into the description's first paragraph (the part docs show), so the
/// generated doc comment says what the server fills in.
fn document_default(map: &mut Map<String, Value>) {
    let Some(default) = map.get("default") else {
        return;
    };
    let mut value = match default {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if value.len() > MAX_DEFAULT_LEN {
        let mut cut = MAX_DEFAULT_LEN;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
        value.push_str("...");
    }
    let note = format!("Defaults to `{}`.", value.replace('`', "'"));
    let description = map
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    let text = if description.is_empty() {
        note
    } else {
        let budget = DOC_BUDGET.saturating_sub(note.len() + 1).max(40);
        format!("{} {note}", summary(description, budget))
    };
    map.insert("description".to_owned(), Value::String(text));
}

fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_only_parts_go_and_metadata_becomes_object_meta() {
        let root = normalize_root(&json!({
            "type": "object",
            "properties": {
                "metadata": {"type": "object", "properties": {"name": {"maxLength": 63, "type": "string"}}},
                "spec": {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
                         "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
            }
        }));
        assert_eq!(root["properties"]["metadata"], json!({"$ref": OBJECT_META}));
        assert_eq!(root["properties"]["kind"], json!({"type": "string"}));
        assert!(root["properties"]["spec"].get("oneOf").is_none());
    }

    #[test]
    fn defaults_join_the_first_paragraph() {
        let out = normalize(&json!({"type": "string", "default": "Always",
            "description": "How often.\n\nMore text nobody reads."}));
        assert_eq!(
            out["description"],
            json!("How often. Defaults to `Always`.")
        );
        let out = normalize(&json!({"type": "object", "default": {}}));
        assert_eq!(out["description"], json!("Defaults to `{}`."));
    }

    #[test]
    fn nullable_required_members_become_optional() {
        let out = normalize(&json!({"type": "object", "required": ["a", "b"],
            "properties": {"a": {"type": "string", "nullable": true}, "b": {"type": "string"}}}));
        assert_eq!(out["required"], json!(["b"]));
    }
}
