//! The `meta/v1` shapes CRD schemas copy (controller-gen inlines every Go type): a `Quantity`
//! written as int-or-string, `Condition`, `LabelSelector`, `OwnerReference`, recognised when
//! the copy has exactly the meta type's members, and replaced by a `$ref` to rest-core's type.

use serde_json::{json, Map, Value};

/// Where the shared lowering finds rest-core's types (see `input::well_known`).
const META: &str = "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.";
const QUANTITY: &str = "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity";

/// Members under which an int-or-string is a resource amount (`resources.limits.cpu`).
const QUANTITY_MAPS: &[&str] = &["limits", "requests", "capacity", "allocatable", "overhead"];

/// The `$ref` (with the node's description) replacing `schema`, when it is a copy of a meta
/// shape; `parent` is the property the node is the value of (or the map whose values it is).
pub(crate) fn meta_ref(schema: &Value, parent: Option<&str>) -> Option<Value> {
    let target = if is_quantity(schema, parent) {
        QUANTITY.to_owned()
    } else {
        let signature = signature(schema);
        let (_, name) = known()
            .into_iter()
            .find(|(shape, _)| signature == self::signature(shape))?;
        format!("{META}{name}")
    };
    let mut out = Map::new();
    out.insert("$ref".to_owned(), Value::String(target));
    if let Some(d) = schema.get("description") {
        out.insert("description".to_owned(), d.clone());
    }
    Some(Value::Object(out))
}

/// An int-or-string with the quantity pattern (on itself or its string branch), or one that
/// is a value of `limits`, `requests` and the like.
fn is_quantity(schema: &Value, parent: Option<&str>) -> bool {
    if !schema
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        return false;
    }
    // The quantity suffixes, as every copy of the Go type's pattern spells them.
    let quantity_pattern = |s: &Value| {
        s.get("pattern")
            .and_then(Value::as_str)
            .is_some_and(|p| p.contains("[KMGTPE]i"))
    };
    let branches = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    quantity_pattern(schema)
        || branches.into_iter().any(quantity_pattern)
        || parent.is_some_and(|p| QUANTITY_MAPS.contains(&p))
}

/// The meta shapes, as the schemas the API server publishes for them describe their members.
fn known() -> Vec<(Value, &'static str)> {
    let string = || json!({"type": "string"});
    let requirement = json!({"type": "object", "required": ["key", "operator"], "properties": {
        "key": string(), "operator": string(),
        "values": {"type": "array", "items": string()}}});
    vec![
        (
            json!({"type": "object",
                "required": ["lastTransitionTime", "message", "reason", "status", "type"],
                "properties": {
                    "lastTransitionTime": {"type": "string", "format": "date-time"},
                    "message": string(), "observedGeneration": {"type": "integer"},
                    "reason": string(), "status": string(), "type": string()}}),
            "Condition",
        ),
        (
            json!({"type": "object", "properties": {
                "matchExpressions": {"type": "array", "items": requirement},
                "matchLabels": {"type": "object", "additionalProperties": string()}}}),
            "LabelSelector",
        ),
        (
            json!({"type": "object", "required": ["apiVersion", "kind", "name", "uid"],
                "properties": {
                    "apiVersion": string(), "blockOwnerDeletion": {"type": "boolean"},
                    "controller": {"type": "boolean"}, "kind": string(), "name": string(),
                    "uid": string()}}),
            "OwnerReference",
        ),
    ]
}

/// What a schema says about the JSON it allows, without docs and validations: the members
/// and which are required, item and value types, `date-time` (the one format that changes
/// the Rust type here).
fn signature(schema: &Value) -> String {
    let mut out = String::new();
    write_signature(schema, &mut out);
    out
}

fn write_signature(schema: &Value, out: &mut String) {
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
    out.push_str(ty);
    if schema.get("format").and_then(Value::as_str) == Some("date-time") {
        out.push_str(":date-time");
    }
    if schema.get("x-kubernetes-int-or-string").is_some() {
        out.push_str(":int-or-string");
    }
    if let Some(items) = schema.get("items") {
        out.push('[');
        write_signature(items, out);
        out.push(']');
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        out.push('<');
        write_signature(values, out);
        out.push('>');
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let mut required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        required.sort_unstable();
        let mut names: Vec<&String> = props.keys().collect();
        names.sort();
        out.push('{');
        for name in names {
            out.push_str(name);
            if required.contains(&name.as_str()) {
                out.push('!');
            }
            out.push(':');
            write_signature(&props[name], out);
            out.push(',');
        }
        out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_controller_gen_condition_is_meta_v1s() {
        let copy = json!({"type": "object", "description": "One condition.",
            "required": ["type", "status", "lastTransitionTime", "reason", "message"],
            "properties": {
                "lastTransitionTime": {"type": "string", "format": "date-time"},
                "message": {"type": "string", "maxLength": 32768},
                "observedGeneration": {"type": "integer", "format": "int64", "minimum": 0},
                "reason": {"type": "string", "pattern": "^[A-Za-z]$"},
                "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
                "type": {"type": "string", "maxLength": 316}}});
        assert_eq!(
            meta_ref(&copy, None),
            Some(json!({"$ref": format!("{META}Condition"), "description": "One condition."}))
        );
        // One member fewer required, or one more member: a condition of its own.
        let mut loose = copy.clone();
        loose["required"] = json!(["type", "status"]);
        assert_eq!(meta_ref(&loose, None), None);
        let mut more = copy;
        more["properties"]["severity"] = json!({"type": "string"});
        assert_eq!(meta_ref(&more, None), None);
    }

    #[test]
    fn quantities_by_pattern_or_place() {
        let plain = json!({"anyOf": [{"type": "integer"}, {"type": "string"}],
            "x-kubernetes-int-or-string": true});
        assert_eq!(meta_ref(&plain, Some("port")), None);
        assert_eq!(
            meta_ref(&plain, Some("limits")),
            Some(json!({"$ref": QUANTITY}))
        );
        let mut patterned = plain.clone();
        patterned["pattern"] =
            json!("^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE])?$");
        assert_eq!(
            meta_ref(&patterned, Some("size")),
            Some(json!({"$ref": QUANTITY}))
        );
    }
}
