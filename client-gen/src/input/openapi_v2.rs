//! OpenAPI v2 (`swagger.json`) front end: types from `definitions`, resources from `paths`
//! (parameters by `$ref` to `#/parameters/...`, body as an `in: body` parameter).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::operations::{self, Operation};
use crate::input::schema::{definition_gvk, SchemaLowering};
use crate::input::{kinds, lower_definitions, well_known, Document};
use crate::model::ApiSet;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Lowers a swagger 2.0 document.
pub fn lower(doc: &Document, packages: &BTreeMap<String, String>) -> Result<ApiSet, Error> {
    let empty = Map::new();
    let defs = doc
        .json
        .get("definitions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut lowering = SchemaLowering::new(&doc.file, "#/definitions/", defs, well_known);
    lower_definitions(&mut lowering, packages)?;
    let ops = operations_of(doc)?;
    let groups = operations::build(&ops, &mut lowering, &kinds(defs))?;
    Ok(ApiSet {
        groups,
        types: lowering.types,
    })
}

/// Every operation of the document, parameters resolved.
fn operations_of(doc: &Document) -> Result<Vec<Operation>, Error> {
    let empty = Map::new();
    let paths = doc
        .json
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let global_consumes = strings(doc.json.get("consumes"));
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
            let mut body = None;
            for (param, param_pointer) in &params {
                match param.get("in").and_then(Value::as_str) {
                    Some("query") => {
                        if let Some(name) = param.get("name").and_then(Value::as_str) {
                            query.insert(name.to_owned());
                            // A v2 parameter is its own schema (type, format, description).
                            query_params.push((
                                name.to_owned(),
                                param.clone(),
                                param_pointer.clone(),
                            ));
                        }
                    }
                    Some("body") => {
                        if let Some(schema) = param.get("schema") {
                            body = Some((schema.clone(), pointer_join(param_pointer, "schema")));
                        }
                    }
                    _ => {}
                }
            }
            let responses = op.get("responses");
            let response = ["200", "201"].iter().find_map(|code| {
                let schema = responses?.get(*code)?.get("schema")?;
                let at = format!("{}/{code}/schema", pointer_join(&pointer, "responses"));
                Some((schema.clone(), at))
            });
            let consumes = match op.get("consumes") {
                Some(list) => strings(Some(list)),
                None => global_consumes.clone(),
            };
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

/// The parameters of a list, each `$ref: #/parameters/x` resolved, with their pointers.
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
        let at = format!("{pointer}/{i}");
        match param.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = reference
                    .strip_prefix("#/parameters/")
                    .and_then(|name| Some((name, doc.json.get("parameters")?.get(name)?)));
                let Some((name, resolved)) = target else {
                    return Err(Error::invalid(
                        &doc.file,
                        &at,
                        format!("$ref {reference:?} points to no parameter"),
                    ));
                };
                out.push((resolved.clone(), pointer_join("/parameters", name)));
            }
            None => out.push((param.clone(), at)),
        }
    }
    Ok(out)
}

fn strings(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
