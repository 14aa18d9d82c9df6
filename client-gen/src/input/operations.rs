//! Resources from REST operations: group, version, plural and subresource from the path,
//! scope from `namespaces/{namespace}`, verbs from `x-kubernetes-action`, kinds from the GVK.
//! Shared by the OpenAPI v2 and v3 front ends, which only differ in where things are written.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{pointer_join, Error};
use crate::input::fixups;
use crate::input::schema::{definition_gvk, Naming, SchemaLowering};
use crate::input::Document;
use crate::model::{
    Group, Gvk, ModuleKey, Payload, Resource, Scope, Subresource, Ty, Verb, Version,
};
use crate::names;

/// One HTTP operation, as both OpenAPI versions describe it once normalised.
#[derive(Clone, Debug, Default)]
pub(crate) struct Operation {
    pub path: String,
    pub method: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    pub action: Option<String>,
    pub gvk: Option<Gvk>,
    /// Request body schema and its pointer.
    pub body: Option<(Value, String)>,
    /// Success response schema (200, else 201) and its pointer.
    pub response: Option<(Value, String)>,
    /// Names of the query parameters.
    pub query: BTreeSet<String>,
    /// Query parameters as schemas (description included), with their pointers.
    pub query_params: Vec<(String, Value, String)>,
    /// Request content types.
    pub consumes: Vec<String>,
    /// Every parameter (the path's and the operation's, `$ref`s resolved) with its pointer.
    pub params: Vec<(Value, String)>,
}

/// What a front end reads of an operation beyond what both versions write alike.
pub(crate) struct Payloads {
    /// Request body schema and its pointer.
    pub body: Option<(Value, String)>,
    /// Success response schema (200, else 201) and its pointer.
    pub response: Option<(Value, String)>,
    /// Query parameters as schemas (description included), with their pointers.
    pub query_params: Vec<(String, Value, String)>,
    /// Request content types.
    pub consumes: Vec<String>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Every operation under the document's `paths`, the path's and the operation's parameters
/// merged with `$ref`s resolved against `parameters` (`["parameters"]` in v2,
/// `["components", "parameters"]` in v3); `read` takes the operation object, its pointer and
/// those parameters and reads what the two versions write differently.
pub(crate) fn operations_of(
    doc: &Document,
    parameters: &[&str],
    read: impl Fn(&Value, &str, &[(Value, String)]) -> Payloads,
) -> Result<Vec<Operation>, Error> {
    let Some(paths) = doc.json.get("paths").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let shared_at = format!("/{}", parameters.join("/"));
    let shared = parameters.iter().try_fold(&doc.json, |v, key| v.get(*key));
    let resolve = |list: Option<&Value>, pointer: &str| {
        resolve_parameters(doc, shared, &shared_at, list, pointer)
    };
    let mut ops = Vec::new();
    for (path, item) in paths {
        let path_pointer = pointer_join("/paths", path);
        let for_path = resolve(
            item.get("parameters"),
            &pointer_join(&path_pointer, "parameters"),
        )?;
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let pointer = pointer_join(&path_pointer, method);
            let mut params = for_path.clone();
            params.extend(resolve(
                op.get("parameters"),
                &pointer_join(&pointer, "parameters"),
            )?);
            let payloads = read(op, &pointer, &params);
            ops.push(Operation {
                path: path.clone(),
                method: (*method).to_owned(),
                action: op
                    .get("x-kubernetes-action")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                gvk: definition_gvk(op),
                pointer,
                body: payloads.body,
                response: payloads.response,
                query: payloads
                    .query_params
                    .iter()
                    .map(|(name, _, _)| name.clone())
                    .collect(),
                query_params: payloads.query_params,
                consumes: payloads.consumes,
                params,
            });
        }
    }
    Ok(ops)
}

/// A parameter list, each `$ref` to the document's shared parameters (`shared`, at pointer
/// `shared_at`) resolved, with the pointer of each.
fn resolve_parameters(
    doc: &Document,
    shared: Option<&Value>,
    shared_at: &str,
    list: Option<&Value>,
    pointer: &str,
) -> Result<Vec<(Value, String)>, Error> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let prefix = format!("#{shared_at}/");
    let mut out = Vec::with_capacity(list.len());
    for (i, param) in list.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        match param.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = reference
                    .strip_prefix(&prefix)
                    .and_then(|name| Some((name, shared?.get(name)?)));
                let Some((name, resolved)) = target else {
                    return Err(Error::invalid(
                        &doc.file,
                        &at,
                        format!("$ref {reference:?} points to no parameter"),
                    ));
                };
                out.push((resolved.clone(), pointer_join(shared_at, name)));
            }
            None => out.push((param.clone(), at)),
        }
    }
    Ok(out)
}

/// What a resource path says.
#[derive(Clone, Debug, PartialEq)]
struct PathParts {
    group: String,
    version: String,
    namespaced: bool,
    plural: String,
    named: bool,
    sub: Option<String>,
}

/// Splits `/apis/{group}/{version}/[namespaces/{namespace}/]{plural}[/{name}[/{sub}...]]`.
fn parse_path(path: &str) -> Option<PathParts> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    let (namespaced, rest) = match rest {
        ["namespaces", "{namespace}", tail @ ..] if !tail.is_empty() => (true, tail),
        other => (false, other),
    };
    let (plural, tail) = rest.split_first()?;
    if plural.starts_with('{') || plural.is_empty() {
        return None;
    }
    let named = match tail.first() {
        None => false,
        Some(&"{name}") => true,
        Some(_) => return None,
    };
    Some(PathParts {
        group: group.to_owned(),
        version: version.to_owned(),
        namespaced,
        plural: (*plural).to_owned(),
        named,
        sub: tail.get(1).map(|s| (*s).to_owned()),
    })
}

/// A resource being assembled from its operations.
#[derive(Default)]
struct Draft {
    kind: Option<(Gvk, String)>,
    namespaced: bool,
    cluster_list: bool,
    verbs: BTreeSet<Verb>,
    object: Option<Ty>,
    list_kind: Option<String>,
    subresources: BTreeMap<String, Subresource>,
    /// Pointer of the first operation, for errors.
    first: String,
}

/// Builds groups, versions and resources from operations. `kinds` maps a GVK to the
/// definition that declares it.
pub(crate) fn build(
    ops: &[Operation],
    lowering: &mut SchemaLowering<'_>,
    kinds: &BTreeMap<Gvk, String>,
) -> Result<BTreeMap<String, Group>, Error> {
    let file = lowering.file;
    // Every schema an operation names must exist, whether or not a client uses it.
    for op in ops {
        for (schema, pointer) in op.body.iter().chain(op.response.iter()) {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                lowering.ref_target(reference, &crate::error::pointer_join(pointer, "$ref"))?;
            }
        }
    }
    let mut drafts: BTreeMap<(String, String, String), Draft> = BTreeMap::new();
    // Main paths first, so subresources find their parent's kind.
    let (main, subs): (Vec<_>, Vec<_>) = ops
        .iter()
        .filter(|op| op.action.is_some() && !fixups::is_deprecated_watch_path(&op.path))
        .filter_map(|op| parse_path(&op.path).map(|parts| (op, parts)))
        .partition(|(_, parts)| parts.sub.is_none());
    for (op, parts) in main {
        let action = op.action.as_deref().unwrap_or_default();
        let gvk = op.gvk.clone().ok_or_else(|| {
            Error::invalid(
                file,
                &op.pointer,
                "operation has x-kubernetes-action but no x-kubernetes-group-version-kind",
            )
        })?;
        let key = (
            parts.group.clone(),
            parts.version.clone(),
            parts.plural.clone(),
        );
        let draft = drafts.entry(key).or_default();
        if draft.first.is_empty() {
            draft.first = op.pointer.clone();
        }
        match &draft.kind {
            Some((known, _)) if known != &gvk => {
                return Err(Error::invalid(
                    file,
                    &op.pointer,
                    format!(
                        "kind {} differs from {} declared for the same path",
                        gvk.kind, known.kind
                    ),
                ))
            }
            Some(_) => {}
            None => draft.kind = Some((gvk.clone(), op.pointer.clone())),
        }
        let list_like = !parts.named;
        let verb = match (action, list_like) {
            ("list", _) => Verb::List,
            ("post", true) => Verb::Create,
            ("deletecollection", _) => Verb::DeleteCollection,
            (other, _) => match Verb::from_action(other) {
                Some(v) => v,
                None => {
                    return Err(Error::invalid(
                        file,
                        &op.pointer,
                        format!("unknown x-kubernetes-action {other:?}"),
                    ))
                }
            },
        };
        if parts.namespaced {
            draft.namespaced = true;
        } else if verb == Verb::List {
            draft.cluster_list = true;
        }
        draft.verbs.insert(verb);
        if verb == Verb::List && op.query.contains("watch") {
            draft.verbs.insert(Verb::Watch);
        }
        if verb == Verb::Patch && accepts_apply(op) {
            draft.verbs.insert(Verb::Apply);
        }
        if verb == Verb::List && draft.list_kind.is_none() {
            if let Some((schema, pointer)) = &op.response {
                if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                    let name = lowering.ref_target(reference, pointer)?;
                    draft.list_kind = Some(name.rsplit('.').next().unwrap_or(name).to_owned());
                }
            }
        }
        if draft.object.is_none() {
            draft.object = object_type(op, &gvk, lowering, kinds)?;
        }
    }
    for (op, parts) in subs {
        let action = op.action.as_deref().unwrap_or_default();
        let sub_name = parts.sub.clone().unwrap_or_default();
        let key = (
            parts.group.clone(),
            parts.version.clone(),
            parts.plural.clone(),
        );
        let Some(draft) = drafts.get_mut(&key) else {
            return Err(Error::invalid(
                file,
                &op.pointer,
                format!(
                    "subresource {sub_name:?} of {:?}, which no path serves",
                    parts.plural
                ),
            ));
        };
        let Some(verb) = Verb::from_action(action) else {
            return Err(Error::invalid(
                file,
                &op.pointer,
                format!("unknown x-kubernetes-action {action:?}"),
            ));
        };
        let parent_kind = draft
            .kind
            .as_ref()
            .map(|(g, _)| g.kind.clone())
            .unwrap_or_default();
        let naming = Naming {
            id: format!("{}/{}", op.path, op.method),
            rust: format!(
                "{}{}",
                names::type_name(&parent_kind),
                names::pascal(&sub_name)
            ),
            module: ModuleKey::new(&parts.group, &parts.version),
        };
        let request = match &op.body {
            Some((schema, pointer)) => Some(lowering.field_ty(schema, pointer, &naming)?),
            None => None,
        };
        let response = match &op.response {
            Some((schema, pointer))
                if schema.get("type").and_then(Value::as_str) != Some("string") =>
            {
                Payload::Object(lowering.field_ty(schema, pointer, &naming)?)
            }
            _ => Payload::Text,
        };
        let params_name = match (verb, &op.gvk) {
            (Verb::Connect, Some(gvk)) => fixups::connect_gvk_names_options(gvk),
            _ => None,
        }
        .unwrap_or_else(|| {
            format!(
                "{}{}Options",
                names::type_name(&parent_kind),
                names::pascal(&sub_name)
            )
        });
        let params = if matches!(verb, Verb::Get | Verb::Connect) {
            let params_naming = Naming {
                id: format!(
                    "{}/{}/{}/{}/options",
                    parts.group, parts.version, parts.plural, sub_name
                ),
                rust: params_name,
                module: naming.module.clone(),
            };
            let doc = format!("Query parameters of `{}/{sub_name}`.", parts.plural);
            lowering.query_struct(&op.query_params, &params_naming, doc)?
        } else {
            None
        };
        let sub = draft
            .subresources
            .entry(sub_name.clone())
            .or_insert_with(|| Subresource {
                name: sub_name,
                verbs: BTreeSet::new(),
                request: None,
                response: response.clone(),
                params: None,
            });
        sub.verbs.insert(verb);
        if verb == Verb::Patch && accepts_apply(op) {
            sub.verbs.insert(Verb::Apply);
        }
        if sub.request.is_none() {
            sub.request = request;
        }
        if matches!(sub.response, Payload::Text) {
            sub.response = response;
        }
        if sub.params.is_none() {
            sub.params = params;
        }
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for ((group, version, plural), draft) in drafts {
        let Some((gvk, _)) = draft.kind else { continue };
        let Some(object) = draft.object else {
            return Err(Error::invalid(
                file,
                &draft.first,
                format!(
                    "kind {}/{} {} is declared by no schema",
                    gvk.group, gvk.version, gvk.kind
                ),
            ));
        };
        let scope = if draft.namespaced {
            Scope::Namespaced
        } else {
            Scope::Cluster
        };
        let resource = Resource {
            singular: gvk.kind.to_lowercase(),
            kind: gvk.kind,
            plural: plural.clone(),
            scope,
            verbs: draft.verbs,
            all_namespaces: draft.namespaced && draft.cluster_list,
            object,
            list_kind: draft.list_kind,
            short_names: Vec::new(),
            categories: Vec::new(),
            subresources: draft.subresources,
        };
        let g = groups.entry(group.clone()).or_insert_with(|| Group {
            name: group.clone(),
            versions: BTreeMap::new(),
        });
        let v = g
            .versions
            .entry(version.clone())
            .or_insert_with(|| Version {
                name: version.clone(),
                ..Version::default()
            });
        v.resources.insert(plural, resource);
    }
    Ok(groups)
}

/// The object type of a main-path operation: the definition declaring its GVK, else the
/// schema it sends or answers.
fn object_type(
    op: &Operation,
    gvk: &Gvk,
    lowering: &SchemaLowering<'_>,
    kinds: &BTreeMap<Gvk, String>,
) -> Result<Option<Ty>, Error> {
    if let Some(name) = kinds.get(gvk) {
        return Ok(Some(
            (lowering.well_known)(name).unwrap_or_else(|| Ty::Named(name.clone())),
        ));
    }
    let candidate = op.body.as_ref().or(op.response.as_ref());
    if let Some((schema, pointer)) = candidate {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return lowering.ty_of_ref(reference, pointer).map(Some);
        }
    }
    Ok(None)
}

/// Whether a patch operation accepts server-side apply.
fn accepts_apply(op: &Operation) -> bool {
    op.consumes
        .iter()
        .any(|c| c.starts_with("application/apply-patch"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p =
            parse_path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").unwrap();
        assert_eq!(
            p,
            PathParts {
                group: "apps".into(),
                version: "v1".into(),
                namespaced: true,
                plural: "deployments".into(),
                named: true,
                sub: Some("scale".into()),
            }
        );
        let p = parse_path("/api/v1/namespaces/{name}/status").unwrap();
        assert!(!p.namespaced);
        assert_eq!(p.plural, "namespaces");
        assert_eq!(p.sub.as_deref(), Some("status"));
        let p = parse_path("/api/v1/namespaces").unwrap();
        assert!(!p.namespaced && !p.named);
        assert!(parse_path("/apis/apps/v1/").is_none());
        assert!(parse_path("/version/").is_none());
    }
}
