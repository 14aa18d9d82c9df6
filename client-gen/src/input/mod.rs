//! Front ends: each reads one input format and lowers it into the model. This module reads
//! files, tells the formats apart, and merges what several documents describe.

pub mod builtin;
pub mod crd;
pub(crate) mod crd_schema;
pub(crate) mod crd_shapes;
pub(crate) mod dedup;
pub mod describe;
pub mod discovery;
pub mod fixups;
pub(crate) mod locate;
pub mod openapi_v2;
pub mod openapi_v3;
pub(crate) mod operations;
pub mod paths;
pub(crate) mod plain;
pub mod proto;
pub mod read;
pub(crate) mod schema;
pub(crate) mod unions;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::{ApiSet, Gvk, ModuleKey, Ty};
pub use read::{read_file, read_inputs, Input, Inputs, Origin};

/// One input document, parsed.
#[derive(Clone, Debug)]
pub struct Document {
    /// How errors name it (usually the path).
    pub file: String,
    pub json: Value,
    /// The document's text and place in its file (YAML), for errors that name a line.
    pub origin: Option<Arc<Origin>>,
}

impl Document {
    /// Reads and parses a JSON file.
    pub fn read(path: &Path) -> Result<Document, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            file: path.to_owned(),
            source,
        })?;
        Document::parse(&path.display().to_string(), &text)
    }

    /// Parses JSON text; `file` is how errors will name it.
    pub fn parse(file: &str, text: &str) -> Result<Document, Error> {
        let json = serde_json::from_str(text).map_err(|e| Error::Syntax {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        Ok(Document {
            file: file.to_owned(),
            json,
            origin: None,
        })
    }

    /// An error at `pointer` of this document: with the file's line when the text is known.
    pub fn error_at(&self, pointer: &str, message: impl Into<String>) -> Error {
        match &self.origin {
            Some(origin) => Error::At {
                file: self.file.clone(),
                line: origin.line_of(pointer),
                pointer: pointer.to_owned(),
                message: message.into(),
            },
            None => Error::invalid(&self.file, pointer, message),
        }
    }

    /// The same error with the line added, for errors raised by shared code (schemas).
    pub fn locate(&self, error: Error) -> Error {
        match error {
            Error::Invalid {
                file,
                pointer,
                message,
            } if file == self.file && self.origin.is_some() => self.error_at(&pointer, message),
            other => other,
        }
    }

    /// The `kind` member, or `""`.
    pub fn kind(&self) -> &str {
        self.json.get("kind").and_then(Value::as_str).unwrap_or("")
    }
}

/// The formats the generator understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    OpenApiV2,
    OpenApiV3,
    /// An `apiextensions.k8s.io/v1` CustomResourceDefinition.
    Crd,
    /// A discovery document: `APIResourceList`, `APIGroupList`, `APIGroupDiscoveryList`.
    Discovery,
    /// A hand-written `APIDescription` (see `describe`).
    Describe,
}

impl Format {
    /// What a document of this format is, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Format::OpenApiV2 | Format::OpenApiV3 => "an OpenAPI document",
            Format::Crd => "a CustomResourceDefinition",
            Format::Discovery => "a discovery document",
            Format::Describe => "an APIDescription",
        }
    }

    /// Whether a document of format `found` may be given where `self` is expected.
    pub fn accepts(self, found: Format) -> bool {
        let openapi = |f| matches!(f, Format::OpenApiV2 | Format::OpenApiV3);
        self == found || (openapi(self) && openapi(found))
    }

    /// How the CLI option for this format is spelled.
    pub fn option(self) -> &'static str {
        match self {
            Format::OpenApiV2 | Format::OpenApiV3 => "--openapi",
            Format::Crd => "--crd",
            Format::Discovery => "--discovery",
            Format::Describe => "--describe",
        }
    }
}

/// Tells an input's format from its content.
pub fn detect(doc: &Document) -> Result<Format, Error> {
    if doc.json.get("swagger").and_then(Value::as_str) == Some("2.0") {
        return Ok(Format::OpenApiV2);
    }
    if let Some(v) = doc.json.get("openapi").and_then(Value::as_str) {
        if v.starts_with("3.") {
            return Ok(Format::OpenApiV3);
        }
    }
    match doc.kind() {
        "CustomResourceDefinition" => return Ok(Format::Crd),
        k if discovery::KINDS.contains(&k) => return Ok(Format::Discovery),
        describe::KIND => return Ok(Format::Describe),
        _ => {}
    }
    let what = match doc.kind() {
        "" => String::new(),
        kind => format!(" (it is a {kind})"),
    };
    Err(doc.error_at(
        "",
        format!(
            "not an OpenAPI document (`swagger: \"2.0\"` or `openapi: \"3.x\"`), \
             CustomResourceDefinition, discovery document or APIDescription{what}"
        ),
    ))
}

/// Lowers one document into the model.
pub fn lower(doc: &Document) -> Result<ApiSet, Error> {
    let packages = package_groups(std::slice::from_ref(doc))?;
    let mut set = lower_with(doc, &packages)?;
    builtin::supply_missing(&mut set);
    Ok(set)
}

/// Lowers one document; `packages` names the group of each definition package.
fn lower_with(doc: &Document, packages: &BTreeMap<String, String>) -> Result<ApiSet, Error> {
    let mut set = match detect(doc)? {
        Format::OpenApiV2 => openapi_v2::lower(doc, packages)?,
        Format::OpenApiV3 => openapi_v3::lower(doc, packages)?,
        Format::Crd => crd::lower(doc)?,
        // These two type their objects from what the other inputs define: see `lower_all`.
        Format::Discovery => discovery::lower(doc, &ApiSet::default())?,
        Format::Describe => describe::lower(doc, &ApiSet::default())?,
    };
    fixups::apply(&mut set);
    Ok(set)
}

/// The named schemas of a document, wherever its format keeps them.
fn schemas_of(doc: &Document) -> Result<Option<&Map<String, Value>>, Error> {
    let schemas = match detect(doc)? {
        Format::OpenApiV2 => doc.json.get("definitions"),
        Format::OpenApiV3 => doc.json.get("components").and_then(|c| c.get("schemas")),
        Format::Crd | Format::Discovery | Format::Describe => None,
    };
    Ok(schemas.and_then(Value::as_object))
}

/// The group of every definition package that declares kinds, over all documents (a split
/// v3 document repeats `io.k8s.api.core.v1` without serving any of its kinds).
fn package_groups(docs: &[Document]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for doc in docs {
        for (name, schema) in schemas_of(doc)?.into_iter().flatten() {
            if let Some(gvk) = schema::definition_gvk(schema) {
                out.entry(package_of(name).to_owned()).or_insert(gvk.group);
            }
        }
    }
    Ok(out)
}

/// Lowers several documents and merges them; the same definition or resource described by
/// two documents must be described the same way. Discovery documents and API descriptions
/// come last: they type their objects from what the others define (by kind).
pub fn lower_all(docs: &[Document]) -> Result<ApiSet, Error> {
    let mut merged = ApiSet::default();
    let mut origin: BTreeMap<String, String> = BTreeMap::new();
    let packages = package_groups(docs)?;
    crd::check_kinds(docs)?;
    let mut later = Vec::new();
    for doc in docs {
        match detect(doc)? {
            Format::Discovery | Format::Describe => later.push(doc),
            _ => merge(&mut merged, &mut origin, doc, lower_with(doc, &packages)?)?,
        }
    }
    for doc in later {
        let mut set = match detect(doc)? {
            Format::Discovery => discovery::lower(doc, &merged)?,
            _ => describe::lower(doc, &merged)?,
        };
        fixups::apply(&mut set);
        merge(&mut merged, &mut origin, doc, set)?;
    }
    builtin::supply_missing(&mut merged);
    Ok(merged)
}

/// Merges one document's model into `merged`; `origin` remembers who described what first.
fn merge(
    merged: &mut ApiSet,
    origin: &mut BTreeMap<String, String>,
    doc: &Document,
    set: ApiSet,
) -> Result<(), Error> {
    let conflict =
        |key: &str, pointer: &str, message: String, origin: &BTreeMap<_, _>| Error::Conflict {
            file: doc.file.clone(),
            pointer: pointer.to_owned(),
            first: origin.get(key).cloned().unwrap_or_default(),
            message,
        };
    merged.warnings.extend(set.warnings);
    merged.plain.extend(set.plain);
    for (id, def) in set.types {
        match merged.types.get(&id) {
            Some(existing) if existing != &def => {
                let message = format!("type {id} is described differently");
                return Err(conflict(&id, &id, message, origin));
            }
            Some(_) => {}
            None => {
                origin.insert(id.clone(), doc.file.clone());
                merged.types.insert(id, def);
            }
        }
    }
    for (name, group) in set.groups {
        let into = merged
            .groups
            .entry(name.clone())
            .or_insert_with(|| crate::model::Group {
                name: name.clone(),
                versions: BTreeMap::new(),
            });
        for (vname, version) in group.versions {
            let into_version =
                into.versions
                    .entry(vname.clone())
                    .or_insert_with(|| crate::model::Version {
                        name: vname.clone(),
                        ..Default::default()
                    });
            // Several documents may serve one group version (one CRD per kind).
            into_version.storage |= version.storage;
            for (plural, resource) in version.resources {
                let key = format!("{name}/{vname}/{plural}");
                match into_version.resources.get(&plural) {
                    Some(existing) if existing != &resource => {
                        let message = format!("resource {key} is described differently");
                        return Err(conflict(&key, "", message, origin));
                    }
                    Some(_) => {}
                    None => {
                        origin.insert(key, doc.file.clone());
                        into_version.resources.insert(plural, resource);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Kubernetes definitions that are rest-core's own types (`rest_core::meta`): referenced,
/// never emitted again.
pub fn well_known(name: &str) -> Option<Ty> {
    if let Some(meta) = name.strip_prefix("io.k8s.apimachinery.pkg.apis.meta.v1.") {
        // Only names rest-core could have; anything else is an ordinary definition.
        if !crate::names::is_identifier(meta) || !meta.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return None;
        }
        return Some(match meta {
            "Time" => Ty::Time,
            other => Ty::Meta(other.to_owned()),
        });
    }
    Some(match name {
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => Ty::Quantity,
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => Ty::IntOrString,
        "io.k8s.apimachinery.pkg.runtime.RawExtension" => Ty::Meta("RawExtension".to_owned()),
        "io.k8s.apimachinery.pkg.version.Info" => Ty::Meta("Info".to_owned()),
        _ => return None,
    })
}

/// The package of a dotted definition name (`io.k8s.api.core.v1` for `...v1.Pod`).
fn package_of(name: &str) -> &str {
    name.rsplit_once('.').map(|(pkg, _)| pkg).unwrap_or("")
}

/// The module of every definition: the group its package's kinds declare (`packages`), and
/// the package's version. A package without kinds is named after its own path.
pub(crate) fn definition_modules(
    defs: &Map<String, Value>,
    packages: &BTreeMap<String, String>,
) -> BTreeMap<String, ModuleKey> {
    defs.keys()
        .map(|name| {
            let package = package_of(name);
            let mut parts = package.rsplit('.');
            let version = parts.next().unwrap_or("").to_owned();
            let group = match packages.get(package) {
                Some(g) => g.clone(),
                None => fixups::package_group_without_kinds(package, parts.next().unwrap_or("")),
            };
            (name.clone(), ModuleKey { group, version })
        })
        .collect()
}

/// Every GVK declared by a definition, to the definition's name.
pub(crate) fn kinds(defs: &Map<String, Value>) -> BTreeMap<Gvk, String> {
    let mut out = BTreeMap::new();
    for (name, schema) in defs {
        let list = match schema.get("x-kubernetes-group-version-kind") {
            Some(Value::Array(list)) => list.clone(),
            Some(one) => vec![one.clone()],
            None => continue,
        };
        for gvk in list {
            let field = |k: &str| gvk.get(k).and_then(Value::as_str).map(str::to_owned);
            if let (Some(group), Some(version), Some(kind)) =
                (field("group"), field("version"), field("kind"))
            {
                out.entry(Gvk {
                    group,
                    version,
                    kind,
                })
                .or_insert_with(|| name.clone());
            }
        }
    }
    out
}

/// Lowers every definition of a document.
pub(crate) fn lower_definitions(
    lowering: &mut schema::SchemaLowering<'_>,
    packages: &BTreeMap<String, String>,
) -> Result<(), Error> {
    let modules = definition_modules(lowering.defs, packages);
    for (name, module) in modules {
        lowering.lower_definition(&name, module)?;
    }
    Ok(())
}
