//! Plain (non-Kubernetes) OpenAPI documents: no `x-kubernetes-*` anywhere. Their types go in
//! a module of their own (named after `info.title`, never a Kubernetes group), and every
//! operation becomes a typed method of a client per tag; what cannot be typed is warned about.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{pointer_join, Error};
use crate::input::operations::Operation as RawOperation;
use crate::input::schema::{description, Naming, SchemaLowering};
use crate::input::Document;
use crate::model::{ModuleKey, Operation, Param, ParamIn, PlainApi, Ty};
use crate::names;

/// The group key of a plain document's types and operations (`swagger_petstore` for the
/// title `Swagger Petstore`, `api` without a title); `None` for a Kubernetes document (one
/// with `x-kubernetes-*` kinds or actions, or definitions in versioned packages).
pub(crate) fn plain_group(
    doc: &Document,
    schemas: Option<&serde_json::Map<String, Value>>,
) -> Option<String> {
    let kubernetes_kind = schemas
        .into_iter()
        .flatten()
        .any(|(_, s)| s.get("x-kubernetes-group-version-kind").is_some());
    let kubernetes_action = doc
        .json
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .any(|(_, op)| op.get("x-kubernetes-action").is_some());
    // Definitions named in a versioned package (`com.example.v1.Widget`) are Kubernetes-style
    // types described without their kinds: they stay in their group's version module.
    let versioned_package = schemas.into_iter().flatten().any(|(name, _)| {
        let mut parts = name.rsplit('.');
        parts.next();
        parts.next().is_some_and(is_kubernetes_version)
    });
    if kubernetes_kind || kubernetes_action || versioned_package {
        return None;
    }
    let title = doc
        .json
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(match names::snake(title) {
        t if t == "x" || title.trim().is_empty() => "api".to_owned(),
        t => t,
    })
}

/// `v1`, `v2beta1`, `v1alpha3`.
fn is_kubernetes_version(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('v') else {
        return false;
    };
    let major = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if major.len() == rest.len() {
        return false;
    }
    let minor = major
        .strip_prefix("alpha")
        .or_else(|| major.strip_prefix("beta"))
        .unwrap_or(major);
    minor.chars().all(|c| c.is_ascii_digit()) && (minor.is_empty() == (minor == major))
}

/// Lowers every named schema of a plain document into its module.
pub(crate) fn lower_definitions(
    lowering: &mut SchemaLowering<'_>,
    group: &str,
) -> Result<(), Error> {
    let names: Vec<String> = lowering.defs.keys().cloned().collect();
    for name in names {
        lowering.lower_definition(&name, ModuleKey::new(group, ""))?;
    }
    Ok(())
}

/// Where the two OpenAPI versions keep what operations need.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V2,
    V3,
}

/// The operations of a plain document as clients; those that cannot be typed are listed in
/// the lowering's warnings.
pub(crate) fn build(
    doc: &Document,
    ops: &[RawOperation],
    lowering: &mut SchemaLowering<'_>,
    group: &str,
    version: Version,
) -> Result<PlainApi, Error> {
    let mut clients: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    let mut taken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for raw in ops {
        let Some(op) = doc.json.pointer(&raw.pointer) else {
            continue;
        };
        let client = op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                raw.path
                    .split('/')
                    .find(|s| !s.is_empty() && !s.starts_with('{'))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "default".to_owned());
        let base_name = match op.get("operationId").and_then(Value::as_str) {
            Some(id) => names::field_name(id),
            None => names::field_name(&format!(
                "{} {}",
                raw.method,
                raw.path.replace(['{', '}'], "")
            )),
        };
        let rust_name = names::unique(base_name, taken.entry(client.clone()).or_default());
        match operation(raw, op, lowering, group, &rust_name, version)? {
            Ok(operation) => clients.entry(client).or_default().push(operation),
            Err(why) => lowering.warn(
                &raw.pointer,
                format!(
                    "operation {} {} is not generated: {why}",
                    raw.method.to_uppercase(),
                    raw.path
                ),
            ),
        }
    }
    let title = doc
        .json
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    Ok(PlainApi { title, clients })
}

/// One operation, or why it cannot be typed.
fn operation(
    raw: &RawOperation,
    op: &Value,
    lowering: &mut SchemaLowering<'_>,
    group: &str,
    rust_name: &str,
    version: Version,
) -> Result<Result<Operation, String>, Error> {
    let module = ModuleKey::new(group, "");
    let prefix = names::pascal(rust_name);
    let naming = |what: &str| Naming {
        id: format!("{}{}", raw.pointer, what),
        rust: format!("{prefix}{}", names::pascal(what.trim_start_matches('/'))),
        module: module.clone(),
    };
    let mut params = Vec::new();
    let mut taken = BTreeSet::from(["body".to_owned()]);
    let mut seen = BTreeSet::new();
    for (param, pointer) in &raw.params {
        let name = param.get("name").and_then(Value::as_str).unwrap_or("");
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            Some("body") => continue,
            other => {
                return Ok(Err(format!(
                    "parameter {name:?} is in {}, which is not supported",
                    other.unwrap_or("no place")
                )))
            }
        };
        // A parameter of one name and place is taken once.
        if !seen.insert((
            name.to_owned(),
            location == ParamIn::Path,
            location == ParamIn::Query,
        )) {
            continue;
        }
        let (schema, schema_pointer) = match version {
            Version::V3 => match param.get("schema") {
                Some(s) => (s.clone(), pointer_join(pointer, "schema")),
                None => return Ok(Err(format!("parameter {name:?} has no schema"))),
            },
            Version::V2 => (param.clone(), pointer.clone()),
        };
        let ty = lowering.field_ty(&schema, &schema_pointer, &naming(&format!("/{name}")))?;
        let scalar = |t: &Ty| matches!(t, Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String);
        let plain_type = match &ty {
            Ty::Vec(inner) => scalar(inner) && location == ParamIn::Query,
            other => scalar(other),
        };
        if !plain_type {
            return Ok(Err(format!("parameter {name:?} is not a string, number, boolean or (in the query) a list of them")));
        }
        params.push(Param {
            name: name.to_owned(),
            rust_name: names::unique(names::field_name(name), &mut taken),
            location,
            ty,
            required: location == ParamIn::Path
                || param
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            doc: description(param),
        });
    }
    for var in raw
        .path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(v, _)| v)
    {
        if !params
            .iter()
            .any(|p| p.location == ParamIn::Path && p.name == var)
        {
            return Ok(Err(format!("the path's {{{var}}} is no path parameter")));
        }
    }
    params.sort_by_key(|p| match p.location {
        ParamIn::Path => 0,
        ParamIn::Query => 1,
        ParamIn::Header => 2,
    });
    let body = match &raw.body {
        Some((schema, pointer)) => {
            let json = raw.consumes.is_empty() || raw.consumes.iter().any(|c| c.contains("json"));
            if !json {
                return Ok(Err(format!(
                    "the request body is {}, not JSON",
                    raw.consumes.join(", ")
                )));
            }
            let required = match version {
                Version::V3 => op
                    .pointer("/requestBody/required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                Version::V2 => raw.params.iter().any(|(p, _)| {
                    p.get("in").and_then(Value::as_str) == Some("body")
                        && p.get("required").and_then(Value::as_bool).unwrap_or(false)
                }),
            };
            Some((
                lowering.field_ty(schema, pointer, &naming("/body"))?,
                required,
            ))
        }
        None => None,
    };
    let responses = op.get("responses").and_then(Value::as_object);
    let mut codes: Vec<(&String, &Value)> = responses.into_iter().flatten().collect();
    codes.sort_by(|a, b| a.0.cmp(b.0));
    let response_at = pointer_join(&raw.pointer, "responses");
    let mut response = None;
    let mut errors: Vec<Ty> = Vec::new();
    let mut success = false;
    for (code, answer) in codes {
        let is_success = code.starts_with('2');
        let schema = match version {
            Version::V3 => answer.get("content").and_then(|c| {
                let c = c.as_object()?;
                let (media, entry) = c
                    .iter()
                    .find(|(m, _)| m.contains("json"))
                    .or_else(|| c.iter().next())?;
                Some((
                    media.clone(),
                    entry.get("schema")?.clone(),
                    format!(
                        "{}/schema",
                        pointer_join(
                            &pointer_join(&pointer_join(&response_at, code), "content"),
                            media
                        )
                    ),
                ))
            }),
            Version::V2 => answer.get("schema").map(|s| {
                (
                    "application/json".to_owned(),
                    s.clone(),
                    pointer_join(&pointer_join(&response_at, code), "schema"),
                )
            }),
        };
        if is_success {
            if success {
                continue;
            }
            success = true;
            if let Some((media, schema, pointer)) = schema {
                if !media.contains("json") {
                    return Ok(Err(format!("the {code} answer is {media}, not JSON")));
                }
                response = Some(lowering.field_ty(&schema, &pointer, &naming("/response"))?);
            }
        } else if let Some((media, schema, pointer)) = schema.filter(|(m, _, _)| m.contains("json"))
        {
            let _ = media;
            let ty = lowering.field_ty(&schema, &pointer, &naming(&format!("/error{code}")))?;
            if !errors.contains(&ty) {
                errors.push(ty);
            }
        }
    }
    let error = match errors.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        // Several error schemas: the body as JSON, whichever it is.
        _ => Some(Ty::Json),
    };
    let doc = op
        .get("summary")
        .or_else(|| op.get("description"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Ok(Operation {
        rust_name: rust_name.to_owned(),
        doc,
        method: raw.method.to_uppercase(),
        path: raw.path.clone(),
        params,
        body,
        response,
        error,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubernetes_versions() {
        for v in ["v1", "v2", "v1beta1", "v1alpha3", "v10"] {
            assert!(super::is_kubernetes_version(v), "{v}");
        }
        for v in ["v", "vx", "version", "v1beta", "api", "v1.2"] {
            assert!(!super::is_kubernetes_version(v), "{v}");
        }
    }
}
