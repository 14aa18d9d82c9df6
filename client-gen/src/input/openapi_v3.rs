//! OpenAPI v3 front end: types from `components/schemas`, resources from `paths` (bodies in
//! `requestBody.content`, answers in `responses.<code>.content`). Same rules as v2 otherwise.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::operations::{self, Payloads};
use crate::input::plain;
use crate::input::schema::SchemaLowering;
use crate::input::{kinds, lower_definitions, well_known, Document};
use crate::model::ApiSet;

/// Lowers an OpenAPI 3.x document.
pub fn lower(doc: &Document, packages: &BTreeMap<String, String>) -> Result<ApiSet, Error> {
    let empty = Map::new();
    let defs = doc
        .json
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut lowering = SchemaLowering::new(&doc.file, "#/components/schemas/", defs, well_known);
    let ops = operations::operations_of(doc, &["components", "parameters"], payloads)?;
    if let Some(group) = plain::plain_group(doc, Some(defs)) {
        plain::lower_definitions(&mut lowering, &group)?;
        let api = plain::build(doc, &ops, &mut lowering, &group, plain::Version::V3)?;
        return Ok(ApiSet {
            types: lowering.types,
            warnings: lowering.warnings,
            plain: BTreeMap::from([(group, api)]),
            ..ApiSet::default()
        });
    }
    lower_definitions(&mut lowering, packages)?;
    let groups = operations::build(&ops, &mut lowering, &kinds(defs))?;
    Ok(ApiSet {
        groups,
        types: lowering.types,
        warnings: lowering.warnings,
        ..ApiSet::default()
    })
}

/// What v3 writes its own way: a query parameter's type is under `schema`, bodies and answers
/// are `content` maps by media type, whose keys are the content types accepted.
fn payloads(op: &Value, pointer: &str, params: &[(Value, String)]) -> Payloads {
    let mut query_params = Vec::new();
    for (param, param_pointer) in params {
        if param.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let Some(name) = param.get("name").and_then(Value::as_str) else {
            continue;
        };
        // The type is under `schema`; the description stays on the parameter.
        let mut schema = param
            .get("schema")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        if let (Some(obj), Some(desc)) = (schema.as_object_mut(), param.get("description")) {
            obj.insert("description".to_owned(), desc.clone());
        }
        query_params.push((
            name.to_owned(),
            schema,
            pointer_join(param_pointer, "schema"),
        ));
    }
    let body_content = op.get("requestBody").and_then(|b| b.get("content"));
    let body = body_content
        .and_then(|content| media_schema(content, &format!("{pointer}/requestBody/content")));
    let consumes = body_content
        .and_then(Value::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    let response = ["200", "201"].iter().find_map(|code| {
        let content = op.get("responses")?.get(*code)?.get("content")?;
        media_schema(content, &format!("{pointer}/responses/{code}/content"))
    });
    Payloads {
        body,
        response,
        query_params,
        consumes,
    }
}

/// The schema of a `content` map: JSON's if offered, else the first media type's.
fn media_schema(content: &Value, pointer: &str) -> Option<(Value, String)> {
    let content = content.as_object()?;
    let (media, entry) = content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())?;
    let schema = entry.get("schema")?;
    Some((
        schema.clone(),
        format!("{}/schema", pointer_join(pointer, media)),
    ))
}
