//! Makes a JSON schema structural, as the apiserver requires of a CRD's `openAPIV3Schema`: no
//! `$ref`, a `type` on every node, no types inside `anyOf`/`oneOf`/`allOf`, only the keywords
//! `JSONSchemaProps` has (and none of its forbidden ones: `uniqueItems`, `patternProperties`, ...).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

/// Keywords a CRD schema may carry: `JSONSchemaProps`' fields minus the forbidden ones.
const KEYWORDS: &[&str] = &[
    "description",
    "type",
    "format",
    "title",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "multipleOf",
    "enum",
    "maxProperties",
    "minProperties",
    "required",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "properties",
    "additionalProperties",
    "nullable",
    "example",
    "externalDocs",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

/// Formats the apiserver knows; others are dropped (they would only draw warnings).
const FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "date-time",
    "int32",
    "int64",
    "float",
    "double",
];

const PRESERVE: &str = "x-kubernetes-preserve-unknown-fields";
const INT_OR_STRING: &str = "x-kubernetes-int-or-string";

/// The structural form of `schema` (a JSON schema as schemars writes it, definitions under
/// `$defs`, `definitions` or `components/schemas`). What cannot be said structurally (a
/// recursive type, an enum mixing strings and objects) becomes a node that keeps any value
/// (`x-kubernetes-preserve-unknown-fields`), so objects are still stored whole.
pub fn structural(schema: Value) -> Value {
    let mut root = schema;
    let defs = take_definitions(&mut root);
    let mut ctx = Ctx {
        defs,
        stack: Vec::new(),
    };
    ctx.node(root)
}

fn take_definitions(root: &mut Value) -> Map<String, Value> {
    let mut defs = Map::new();
    if let Some(m) = root.as_object_mut() {
        for key in ["$defs", "definitions"] {
            if let Some(Value::Object(d)) = m.remove(key) {
                defs.extend(d);
            }
        }
        if let Some(Value::Object(mut components)) = m.remove("components") {
            if let Some(Value::Object(d)) = components.remove("schemas") {
                defs.extend(d);
            }
        }
    }
    defs
}

fn preserve() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(PRESERVE.into(), json!(true));
    m
}

struct Ctx {
    defs: Map<String, Value>,
    /// Definitions being inlined: meeting one again is recursion.
    stack: Vec<String>,
}

impl Ctx {
    /// A full node: normalized, then given a type (or marked as keeping anything).
    fn node(&mut self, schema: Value) -> Value {
        let m = match schema {
            Value::Object(m) => self.normalize(m),
            // `true` (any value) and anything else that is not a schema object.
            _ => preserve(),
        };
        Value::Object(with_type(m))
    }

    /// Inlines references, drops what a CRD cannot carry and rewrites the junctors, without
    /// defaulting the type (junctor branches must not get one).
    fn normalize(&mut self, mut m: Map<String, Value>) -> Map<String, Value> {
        if let Some(reference) = m.remove("$ref") {
            let name = reference
                .as_str()
                .and_then(|r| r.rsplit('/').next())
                .unwrap_or("")
                .to_owned();
            return match self.defs.get(&name).cloned() {
                Some(Value::Object(mut def)) if !self.stack.contains(&name) => {
                    // Siblings of the reference (a field's description, default) win.
                    def.extend(m);
                    self.stack.push(name);
                    let out = self.normalize(def);
                    self.stack.pop();
                    out
                }
                // Recursion (a CRD schema cannot recurse) or a dangling reference.
                _ => {
                    let mut out = preserve();
                    if let Some(d) = m.remove("description") {
                        out.insert("description".into(), d);
                    }
                    out
                }
            };
        }
        if let Some(c) = m.remove("const") {
            if c.is_null() {
                m.insert("nullable".into(), json!(true));
            } else {
                m.insert("enum".into(), json!([c]));
            }
        }
        if m.get("default").is_some_and(Value::is_null) {
            m.remove("default");
        }
        m.retain(|k, _| KEYWORDS.contains(&k.as_str()));
        self.normalize_type(&mut m);
        if let Some(Value::Object(props)) = m.remove("properties") {
            let props: Map<String, Value> =
                props.into_iter().map(|(k, v)| (k, self.node(v))).collect();
            m.insert("properties".into(), Value::Object(props));
        }
        match m.remove("items") {
            // A tuple: positions of different types cannot be said structurally.
            Some(Value::Array(_)) => {
                m.insert("items".into(), Value::Object(preserve()));
            }
            Some(items) => {
                let items = self.node(items);
                m.insert("items".into(), items);
            }
            None => {}
        }
        match m.remove("additionalProperties") {
            // `false`: unknown members are pruned anyway.
            None | Some(Value::Bool(false)) => {}
            // Beside `properties` (a `#[serde(flatten)]` map): the apiserver allows only one
            // of the two, so the node keeps whatever else it is given.
            Some(_) if m.contains_key("properties") => {
                m.insert(PRESERVE.into(), json!(true));
            }
            Some(Value::Object(schema)) => {
                let schema = self.node(Value::Object(schema));
                m.insert("additionalProperties".into(), schema);
            }
            Some(_) => {
                m.insert("additionalProperties".into(), Value::Object(preserve()));
            }
        }
        if let Some(Value::Array(branches)) = m.remove("allOf") {
            for branch in branches {
                if let Value::Object(b) = branch {
                    let b = self.normalize(b);
                    merge_into(&mut m, b);
                }
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = m.remove(key) {
                let branches = branches
                    .into_iter()
                    .map(|b| match b {
                        Value::Object(b) => self.normalize(b),
                        _ => preserve(),
                    })
                    .collect();
                hoist(&mut m, branches);
            }
        }
        m
    }

    /// `type: [T, "null"]` becomes `type: T, nullable: true`; several real types cannot be
    /// structural.
    fn normalize_type(&self, m: &mut Map<String, Value>) {
        let types: Vec<String> = match m.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => return,
        };
        let real: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if real.len() < types.len() {
            m.insert("nullable".into(), json!(true));
        }
        match real.as_slice() {
            [one] => {
                m.insert("type".into(), json!(one));
            }
            [] => {
                m.remove("type");
            }
            many => {
                m.remove("type");
                let set: BTreeSet<&str> = many.iter().map(|s| s.as_str()).collect();
                if set == BTreeSet::from(["integer", "string"]) {
                    m.insert(INT_OR_STRING.into(), json!(true));
                } else {
                    m.insert(PRESERVE.into(), json!(true));
                }
            }
        }
    }
}

/// Whether a branch only admits `null` (the `None` of an `Option`).
fn is_null_only(b: &Map<String, Value>) -> bool {
    let typed = b.contains_key("type") || b.contains_key("properties") || b.contains_key("items");
    let null_enum = b.get("enum") == Some(&json!([null]));
    !typed && (null_enum || b.get("nullable") == Some(&json!(true))) && !b.contains_key(PRESERVE)
}

fn is_string_enum(b: &Map<String, Value>) -> bool {
    b.get("type") == Some(&json!("string"))
        && b.get("enum").is_some_and(Value::is_array)
        && !b.contains_key("properties")
}

fn is_object(b: &Map<String, Value>) -> bool {
    b.get("type") == Some(&json!("object")) || b.contains_key("properties")
}

/// Rewrites `anyOf`/`oneOf` branches into the node: what they say about types and properties
/// moves up, only `required` stays inside.
fn hoist(m: &mut Map<String, Value>, mut branches: Vec<Map<String, Value>>) {
    let before = branches.len();
    branches.retain(|b| !is_null_only(b));
    if branches.len() < before {
        m.insert("nullable".into(), json!(true));
    }
    match branches.as_slice() {
        [] => {}
        [_] => {
            if let Some(one) = branches.pop() {
                merge_into(m, one);
            }
        }
        _ if branches.iter().all(is_string_enum) => {
            // Unit variants (documented ones come one branch each).
            let mut values = Vec::new();
            for b in &branches {
                for v in b
                    .get("enum")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if !values.contains(v) {
                        values.push(v.clone());
                    }
                }
            }
            m.insert("type".into(), json!("string"));
            m.insert("enum".into(), Value::Array(values));
        }
        _ if branches.iter().all(is_object) => {
            m.insert("type".into(), json!("object"));
            let mut props = match m.remove("properties") {
                Some(Value::Object(p)) => p,
                _ => Map::new(),
            };
            let mut requireds = Vec::new();
            for b in &branches {
                for (k, v) in b
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let merged = match props.get(k) {
                        Some(existing) => merge_property(existing, v),
                        None => v.clone(),
                    };
                    props.insert(k.clone(), merged);
                }
                let required: BTreeSet<String> = b
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect();
                requireds.push(required);
            }
            m.insert("properties".into(), Value::Object(props));
            // What every branch requires is required; alternatives stay as value validation.
            let first = requireds.first().cloned().unwrap_or_default();
            let common: BTreeSet<String> = requireds.iter().fold(first, |acc, r| &acc & r);
            add_required(m, common.iter().cloned());
            if requireds.iter().all(|r| r.len() > common.len()) {
                let alternatives: Vec<Value> = requireds
                    .iter()
                    .map(|r| json!({"required": r.difference(&common).collect::<Vec<_>>()}))
                    .collect();
                m.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
        _ => {
            let types: BTreeSet<&str> = branches
                .iter()
                .filter_map(|b| b.get("type").and_then(Value::as_str))
                .collect();
            m.remove("type");
            if types == BTreeSet::from(["integer", "string"]) && types.len() == branches.len() {
                m.insert(INT_OR_STRING.into(), json!(true));
            } else {
                m.insert(PRESERVE.into(), json!(true));
            }
        }
    }
}

/// One property two branches both describe: the same schema, two string enums joined, or
/// (incompatible) a node that keeps any value.
fn merge_property(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    if let (Some(am), Some(bm)) = (a.as_object(), b.as_object()) {
        if is_string_enum(am) && is_string_enum(bm) {
            let mut out = am.clone();
            let mut values = am
                .get("enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for v in bm
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
            out.insert("enum".into(), Value::Array(values));
            return Value::Object(out);
        }
    }
    Value::Object(preserve())
}

fn add_required(m: &mut Map<String, Value>, names: impl IntoIterator<Item = String>) {
    let mut required: Vec<Value> = m
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for name in names {
        let name = Value::String(name);
        if !required.contains(&name) {
            required.push(name);
        }
    }
    if !required.is_empty() {
        m.insert("required".into(), Value::Array(required));
    }
}

/// Merges an `allOf` branch (or the one real `anyOf` branch) into its node: properties and
/// `required` are joined, other keywords kept where the node has none.
fn merge_into(m: &mut Map<String, Value>, b: Map<String, Value>) {
    for (k, v) in b {
        if !m.contains_key(&k) {
            m.insert(k, v);
        } else if k == "required" {
            let names = v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect::<Vec<_>>();
            add_required(m, names);
        } else if let (Some(Value::Object(props)), Value::Object(more)) = (m.get_mut(&k), v) {
            if k == "properties" {
                for (name, schema) in more {
                    props.entry(name).or_insert(schema);
                }
            }
        }
    }
}

/// Gives a normalized node its type (from what it holds), or marks it as keeping any value;
/// maps Rust's integer formats to the two the apiserver knows.
fn with_type(mut m: Map<String, Value>) -> Map<String, Value> {
    if let Some(format) = m.get("format").and_then(Value::as_str) {
        let format = match format {
            "int8" | "uint8" | "int16" | "uint16" => Some("int32"),
            "uint32" | "uint64" | "uint" | "int" | "int128" | "uint128" => Some("int64"),
            f if FORMATS.contains(&f) => Some(f),
            _ => None,
        };
        match format {
            Some(f) => m.insert("format".into(), json!(f)),
            None => m.remove("format"),
        };
    }
    if m.get(PRESERVE) == Some(&json!(true)) || m.get(INT_OR_STRING) == Some(&json!(true)) {
        return m;
    }
    if !m.contains_key("type") {
        let inferred = if m.contains_key("properties") || m.contains_key("additionalProperties") {
            Some("object")
        } else if m.contains_key("items") {
            Some("array")
        } else {
            m.get("enum")
                .and_then(Value::as_array)
                .and_then(|values| enum_type(values))
        };
        match inferred {
            Some(t) => {
                m.insert("type".into(), json!(t));
            }
            None => {
                m.insert(PRESERVE.into(), json!(true));
                return m;
            }
        }
    }
    let free_form_object = m.get("type") == Some(&json!("object"))
        && !m.contains_key("properties")
        && !m.contains_key("additionalProperties");
    if free_form_object {
        m.insert(PRESERVE.into(), json!(true));
    }
    m
}

/// The one JSON type every (non-null) value of an enum has.
fn enum_type(values: &[Value]) -> Option<&'static str> {
    let types: BTreeSet<&'static str> = values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_f64() => "number",
            Value::Number(_) => "integer",
            Value::Array(_) => "array",
            _ => "object",
        })
        .collect();
    match types.len() {
        1 => types.into_iter().next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_inlined_with_their_siblings() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/A", "description": "The a."}},
            "$defs": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}},
        });
        assert_eq!(
            structural(schema),
            json!({"type": "object", "properties": {"a": {
                "type": "object", "description": "The a.",
                "properties": {"x": {"type": "string"}},
            }}})
        );
    }

    #[test]
    fn a_dangling_reference_keeps_any_value() {
        let out =
            structural(json!({"type": "object", "properties": {"a": {"$ref": "#/$defs/Gone"}}}));
        assert_eq!(out["properties"]["a"], json!({PRESERVE: true}));
    }

    #[test]
    fn null_in_a_type_list_is_nullable() {
        let out = structural(json!({"type": ["string", "null"], "format": "uint8"}));
        assert_eq!(
            out,
            json!({"type": "string", "nullable": true, "format": "int32"})
        );
    }

    #[test]
    fn an_option_of_an_object_is_the_object_nullable() {
        let out = structural(json!({"anyOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            {"type": "null"},
        ]}));
        assert_eq!(
            out,
            json!({"type": "object", "nullable": true, "properties": {"a": {"type": "integer"}}})
        );
    }

    #[test]
    fn all_of_branches_merge_into_the_node() {
        let out = structural(json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "boolean"}}, "required": ["b"]},
        ]}));
        assert_eq!(
            out,
            json!({"type": "object", "required": ["a", "b"], "properties": {
                "a": {"type": "string"}, "b": {"type": "boolean"},
            }})
        );
    }

    #[test]
    fn what_a_crd_cannot_carry_is_dropped() {
        let out = structural(json!({
            "$schema": "x", "title": "T", "type": "array", "uniqueItems": true,
            "items": {"type": "string", "readOnly": true, "examples": ["a"]},
        }));
        assert_eq!(
            out,
            json!({"title": "T", "type": "array", "items": {"type": "string"}})
        );
    }

    #[test]
    fn strings_mixed_with_objects_keep_any_value() {
        let out = structural(json!({"oneOf": [
            {"type": "string", "enum": ["Off"]},
            {"type": "object", "properties": {"On": {"type": "integer"}}, "required": ["On"]},
        ]}));
        assert_eq!(out, json!({PRESERVE: true}));
    }
}
