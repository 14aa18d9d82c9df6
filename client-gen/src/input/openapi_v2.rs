//! OpenAPI v2 (`swagger.json`) front end: types from `definitions`, resources from `paths`
//! (parameters by `$ref` to `#/parameters/...`, body as an `in: body` parameter).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::operations::{self, Payloads};
use crate::input::plain;
use crate::input::schema::SchemaLowering;
use crate::input::{kinds, lower_definitions, well_known, Document};
use crate::model::ApiSet;

/// Lowers a swagger 2.0 document.
pub fn lower(doc: &Document, packages: &BTreeMap<String, String>) -> Result<ApiSet, Error> {
    let empty = Map::new();
    let defs = doc
        .json
        .get("definitions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut lowering = SchemaLowering::new(&doc.file, "#/definitions/", defs, well_known);
    let global_consumes = strings(doc.json.get("consumes"));
    let ops = operations::operations_of(doc, &["parameters"], |op, pointer, params| {
        payloads(op, pointer, params, &global_consumes)
    })?;
    if let Some(group) = plain::plain_group(doc, Some(defs)) {
        plain::lower_definitions(&mut lowering, &group)?;
        let api = plain::build(doc, &ops, &mut lowering, &group, plain::Version::V2)?;
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

/// What v2 writes its own way: the body is an `in: body` parameter, a query parameter is its
/// own schema, an answer's schema sits on the response, content types may be document-wide.
fn payloads(
    op: &Value,
    pointer: &str,
    params: &[(Value, String)],
    global_consumes: &[String],
) -> Payloads {
    let mut query_params = Vec::new();
    let mut body = None;
    for (param, param_pointer) in params {
        match param.get("in").and_then(Value::as_str) {
            Some("query") => {
                if let Some(name) = param.get("name").and_then(Value::as_str) {
                    query_params.push((name.to_owned(), param.clone(), param_pointer.clone()));
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
        let at = format!("{}/{code}/schema", pointer_join(pointer, "responses"));
        Some((schema.clone(), at))
    });
    let consumes = match op.get("consumes") {
        Some(list) => strings(Some(list)),
        None => global_consumes.to_vec(),
    };
    Payloads {
        body,
        response,
        query_params,
        consumes,
    }
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
