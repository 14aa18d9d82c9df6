//! What `#[derive(Resource)]` code calls at run time (feature `derive`): the CRD manifest of a
//! derived kind, its schemas made by schemars from the user's types and made structural.

mod structural;

use serde_json::{json, Map, Value};

pub use schemars;
pub use serde_json;
pub use structural::structural;

/// A column `kubectl get` shows (`additionalPrinterColumns`).
#[derive(Clone, Copy, Debug)]
pub struct PrinterColumn {
    pub name: &'static str,
    /// `integer`, `number`, `string`, `boolean` or `date`.
    pub type_: &'static str,
    pub json_path: &'static str,
    pub description: Option<&'static str>,
    pub format: Option<&'static str>,
    pub priority: Option<i32>,
}

/// Where the scale subresource finds replicas and the label selector.
#[derive(Clone, Copy, Debug)]
pub struct ScalePaths {
    pub spec_replicas_path: &'static str,
    pub status_replicas_path: &'static str,
    pub label_selector_path: Option<&'static str>,
}

/// Everything about a derived kind's CRD the attributes say.
#[derive(Clone, Copy, Debug)]
pub struct CrdInfo {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub printer_columns: &'static [PrinterColumn],
    pub selectable_fields: &'static [&'static str],
    pub status: bool,
    pub scale: Option<ScalePaths>,
}

/// The structural OpenAPI v3 schema of `T` (schemars, subschemas inlined, then made fit for
/// a CRD by `structural`).
pub fn schema<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::openapi3()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator();
    let mut schema = structural(generator.into_root_schema_for::<T>().to_value());
    // The root's title is the Rust type's name: nothing a CRD reader needs.
    if let Some(m) = schema.as_object_mut() {
        m.remove("title");
    }
    schema
}

/// The `apiextensions.k8s.io/v1` CustomResourceDefinition of a derived kind.
pub fn crd(info: &CrdInfo, spec: Value, status: Option<Value>) -> Value {
    let mut properties = Map::new();
    properties.insert("apiVersion".into(), json!({"type": "string"}));
    properties.insert("kind".into(), json!({"type": "string"}));
    properties.insert("metadata".into(), json!({"type": "object"}));
    properties.insert("spec".into(), spec);
    if let Some(status) = status {
        properties.insert("status".into(), status);
    }
    let api_version = format!("{}/{}", info.group, info.version);
    let mut version = Map::new();
    version.insert("name".into(), json!(info.version));
    version.insert("served".into(), json!(true));
    version.insert("storage".into(), json!(true));
    version.insert(
        "schema".into(),
        json!({"openAPIV3Schema": {
            "description": format!("{} is the Schema for the {} API ({api_version}).", info.kind, info.plural),
            "type": "object",
            "required": ["spec"],
            "properties": properties,
        }}),
    );
    let mut subresources = Map::new();
    if info.status {
        subresources.insert("status".into(), json!({}));
    }
    if let Some(scale) = &info.scale {
        let mut s = Map::new();
        s.insert("specReplicasPath".into(), json!(scale.spec_replicas_path));
        s.insert(
            "statusReplicasPath".into(),
            json!(scale.status_replicas_path),
        );
        if let Some(path) = scale.label_selector_path {
            s.insert("labelSelectorPath".into(), json!(path));
        }
        subresources.insert("scale".into(), Value::Object(s));
    }
    if !subresources.is_empty() {
        version.insert("subresources".into(), Value::Object(subresources));
    }
    if !info.printer_columns.is_empty() {
        let columns: Vec<Value> = info.printer_columns.iter().map(column).collect();
        version.insert("additionalPrinterColumns".into(), Value::Array(columns));
    }
    if !info.selectable_fields.is_empty() {
        let fields: Vec<Value> = info
            .selectable_fields
            .iter()
            .map(|path| json!({"jsonPath": path}))
            .collect();
        version.insert("selectableFields".into(), Value::Array(fields));
    }
    let mut names = Map::new();
    names.insert("kind".into(), json!(info.kind));
    names.insert("listKind".into(), json!(format!("{}List", info.kind)));
    names.insert("plural".into(), json!(info.plural));
    names.insert("singular".into(), json!(info.singular));
    if !info.short_names.is_empty() {
        names.insert("shortNames".into(), json!(info.short_names));
    }
    if !info.categories.is_empty() {
        names.insert("categories".into(), json!(info.categories));
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{}.{}", info.plural, info.group)},
        "spec": {
            "group": info.group,
            "names": names,
            "scope": if info.namespaced { "Namespaced" } else { "Cluster" },
            "versions": [version],
        },
    })
}

fn column(c: &PrinterColumn) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(c.name));
    m.insert("type".into(), json!(c.type_));
    m.insert("jsonPath".into(), json!(c.json_path));
    if let Some(d) = c.description {
        m.insert("description".into(), json!(d));
    }
    if let Some(f) = c.format {
        m.insert("format".into(), json!(f));
    }
    if let Some(p) = c.priority {
        m.insert("priority".into(), json!(p));
    }
    Value::Object(m)
}
