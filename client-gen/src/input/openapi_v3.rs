//! OpenAPI v3 front end: types from `components/schemas`, resources from `paths` (bodies in
//! `requestBody.content`, answers in `responses.<code>.content`). Same rules as v2 otherwise.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::operations::{self, Operation};
use crate::input::schema::{definition_gvk, SchemaLowering};
use crate::input::{kinds, lower_definitions, well_known, Document};
use crate::model::ApiSet;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

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
    lower_definitions(&mut lowering, packages)?;
    let ops = operations_of(doc)?;
    let groups = operations::build(&ops, &mut lowering, &kinds(defs))?;
    Ok(ApiSet {
        groups,
        types: lowering.types,
    })
}

fn operations_of(doc: &Document) -> Result<Vec<Operation>, Error> {
    let empty = Map::new();
    let paths = doc
        .json
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut ops = Vec::new();
    for (path, item) in paths {
        let path_pointer = pointer_join("/paths", path);
        let shared = parameters(
            doc,
            item.get("parameters"),
            &pointer_join(&path_pointer, "parameters"),
        )?;
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let pointer = pointer_join(&path_pointer, method);
            let mut params = shared.clone();
            params.extend(parameters(
                doc,
                op.get("parameters"),
                &pointer_join(&pointer, "parameters"),
            )?);
            let mut query = BTreeSet::new();
            let mut query_params = Vec::new();
            for (param, param_pointer) in &params {
                if param.get("in").and_then(Value::as_str) != Some("query") {
                    continue;
                }
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    continue;
                };
                query.insert(name.to_owned());
                // The type is under `schema`; the description stays on the parameter.
                let mut schema = param
                    .get("schema")
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Map::new()));
                if let (Some(obj), Some(desc)) = (schema.as_object_mut(), param.get("description"))
                {
                    obj.insert("description".to_owned(), desc.clone());
                }
                query_params.push((
                    name.to_owned(),
                    schema,
                    pointer_join(param_pointer, "schema"),
                ));
            }
            let body_content = op.get("requestBody").and_then(|b| b.get("content"));
            let body = body_content.and_then(|content| {
                media_schema(content, &format!("{pointer}/requestBody/content"))
            });
            let consumes = body_content
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            let response = ["200", "201"].iter().find_map(|code| {
                let content = op.get("responses")?.get(*code)?.get("content")?;
                media_schema(content, &format!("{pointer}/responses/{code}/content"))
            });
            ops.push(Operation {
                path: path.clone(),
                method: (*method).to_owned(),
                action: op
                    .get("x-kubernetes-action")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                gvk: definition_gvk(op),
                pointer,
                body,
                response,
                query,
                query_params,
                consumes,
            });
        }
    }
    Ok(ops)
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

/// Parameters with `$ref: #/components/parameters/x` resolved, with their pointers.
fn parameters(
    doc: &Document,
    list: Option<&Value>,
    pointer: &str,
) -> Result<Vec<(Value, String)>, Error> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, param) in list.iter().enumerate() {
        match param.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let resolved =
                    reference
                        .strip_prefix("#/components/parameters/")
                        .and_then(|name| {
                            let p = doc.json.get("components")?.get("parameters")?.get(name)?;
                            Some((p, pointer_join("/components/parameters", name)))
                        });
                let Some((resolved, at)) = resolved else {
                    return Err(Error::invalid(
                        &doc.file,
                        &format!("{pointer}/{i}"),
                        format!("$ref {reference:?} points to no parameter"),
                    ));
                };
                out.push((resolved.clone(), at));
            }
            None => out.push((param.clone(), format!("{pointer}/{i}"))),
        }
    }
    Ok(out)
}
