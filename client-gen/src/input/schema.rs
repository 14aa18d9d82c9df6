//! JSON Schema (as OpenAPI v2 and v3 and CRDs use it) to model types: required vs optional,
//! `$ref`, `allOf`, maps, enums, formats, int-or-string, preserve-unknown-fields, inline objects.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{pointer_join, Error};
use crate::input::unions;
use crate::model::{EnumVariant, Field, Gvk, ModuleKey, Shape, Ty, TypeDef, TypeId};
use crate::names;

/// Where an inline type gets its key, name and module from: its position in its parent.
#[derive(Clone, Debug)]
pub(crate) struct Naming {
    pub id: TypeId,
    pub rust: String,
    pub module: ModuleKey,
}

impl Naming {
    /// The naming of an inline type found in property `json_name` of this one.
    fn child(&self, json_name: &str) -> Naming {
        Naming {
            id: format!("{}/{}", self.id, json_name),
            rust: format!("{}{}", self.rust, names::pascal(json_name)),
            module: self.module.clone(),
        }
    }

    /// The naming of a nested collection's element (`[[T]]`).
    fn item(&self) -> Naming {
        Naming {
            id: format!("{}/items", self.id),
            rust: format!("{}Item", self.rust),
            module: self.module.clone(),
        }
    }
}

/// Lowers the schemas of one document into type definitions.
pub(crate) struct SchemaLowering<'a> {
    pub file: &'a str,
    /// How `$ref`s to this document's schemas start (`#/definitions/`).
    pub ref_prefix: &'a str,
    /// All named schemas of the document.
    pub defs: &'a Map<String, Value>,
    /// Maps a definition name to a type of `rest_core::meta` when it is one.
    pub well_known: fn(&str) -> Option<Ty>,
    pub types: BTreeMap<TypeId, TypeDef>,
    /// What could not be expressed as the schemas ask (see `ApiSet::warnings`).
    pub warnings: Vec<String>,
}

impl<'a> SchemaLowering<'a> {
    pub fn new(
        file: &'a str,
        ref_prefix: &'a str,
        defs: &'a Map<String, Value>,
        well_known: fn(&str) -> Option<Ty>,
    ) -> Self {
        SchemaLowering {
            file,
            ref_prefix,
            defs,
            well_known,
            types: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// Records a warning about the schema at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl std::fmt::Display) {
        self.warnings
            .push(format!("{}#{pointer}: {message}", self.file));
    }

    /// JSON pointer of a named schema.
    pub fn def_pointer(&self, name: &str) -> String {
        let base = self
            .ref_prefix
            .trim_start_matches('#')
            .trim_end_matches('/');
        pointer_join(base, name)
    }

    /// The type a `$ref` string stands for; an error when it points at nothing.
    pub fn ty_of_ref(&self, reference: &str, pointer: &str) -> Result<Ty, Error> {
        let name = self.ref_target(reference, pointer)?;
        Ok((self.well_known)(name).unwrap_or_else(|| Ty::Named(name.to_owned())))
    }

    /// The definition name a `$ref` string names, checked to exist.
    pub fn ref_target<'r>(&self, reference: &'r str, pointer: &str) -> Result<&'r str, Error> {
        let name = reference.strip_prefix(self.ref_prefix).ok_or_else(|| {
            Error::invalid(
                self.file,
                pointer,
                format!(
                    "$ref {reference:?} does not start with {:?}",
                    self.ref_prefix
                ),
            )
        })?;
        if !self.defs.contains_key(name) && (self.well_known)(name).is_none() {
            return Err(Error::invalid(
                self.file,
                pointer,
                format!("$ref {reference:?} points to no schema"),
            ));
        }
        Ok(name)
    }

    /// Lowers the named schema `name` (unless it maps to a meta type) as a top-level type.
    pub fn lower_definition(&mut self, name: &str, module: ModuleKey) -> Result<(), Error> {
        if (self.well_known)(name).is_some() || self.types.contains_key(name) {
            return Ok(());
        }
        let pointer = self.def_pointer(name);
        let Some(schema) = self.defs.get(name) else {
            return Err(Error::invalid(self.file, &pointer, "no such schema"));
        };
        let short = name.rsplit('.').next().unwrap_or(name);
        let naming = Naming {
            id: name.to_owned(),
            rust: names::type_name(short),
            module,
        };
        let gvk = definition_gvk(schema);
        // A base with a discriminator stands for its subtypes, every member of each kept.
        let subtypes = self.subtypes_union(name, schema);
        let shape = match list_alias(schema, gvk.as_ref()) {
            _ if subtypes.is_some() => subtypes.unwrap_or(Shape::Alias(Ty::Json)),
            Some(item_ref) => Shape::Alias(Ty::List(Box::new(
                self.ty_of_ref(item_ref, &format!("{pointer}/properties/items/items"))?,
            ))),
            None => self.shape_of(schema, &pointer, &naming)?,
        };
        self.types.insert(
            name.to_owned(),
            TypeDef {
                id: name.to_owned(),
                module: naming.module,
                rust_name: naming.rust,
                doc: description(schema),
                shape,
                gvk,
            },
        );
        Ok(())
    }

    /// The shape of a schema that gets its own type definition.
    fn shape_of(&mut self, schema: &Value, pointer: &str, naming: &Naming) -> Result<Shape, Error> {
        if let Some(variants) = string_enum(schema) {
            return Ok(Shape::Enum(variants));
        }
        if unions::alternatives(schema).is_some() {
            return self.union_shape(schema, pointer, naming);
        }
        if is_struct(schema) {
            return Ok(Shape::Struct(self.fields(schema, pointer, naming)?));
        }
        // Anything else is another name for a field type (a string, a free-form object).
        let ty = self.field_ty(schema, pointer, naming)?;
        Ok(Shape::Alias(ty))
    }

    /// The fields of an object schema, `allOf` parts merged.
    fn fields(
        &mut self,
        schema: &Value,
        pointer: &str,
        naming: &Naming,
    ) -> Result<Vec<Field>, Error> {
        let mut properties: BTreeMap<String, (Value, String)> = BTreeMap::new();
        let mut required = BTreeSet::new();
        self.collect_object(schema, pointer, &mut properties, &mut required, 0)?;
        let mut taken = BTreeSet::new();
        let mut fields = Vec::with_capacity(properties.len());
        for (json_name, (prop, prop_pointer)) in properties {
            let ty = self.field_ty(&prop, &prop_pointer, &naming.child(&json_name))?;
            fields.push(Field {
                rust_name: names::unique(names::field_name(&json_name), &mut taken),
                doc: description(&prop),
                required: required.contains(&json_name),
                json_name,
                ty,
                boxed: false,
                default_if_missing: false,
                flatten: false,
            });
        }
        if let Some(rest) = self.rest_of(schema, pointer, naming)? {
            fields.push(Field {
                json_name: String::new(),
                rust_name: names::unique("other".to_owned(), &mut taken),
                doc: Some("The members not listed above, kept as they came.".to_owned()),
                ty: Ty::Map(Box::new(rest)),
                required: true,
                boxed: false,
                default_if_missing: true,
                flatten: true,
            });
        }
        Ok(fields)
    }

    /// The type of the members an object keeps besides its properties, if it keeps any:
    /// JSON for `x-kubernetes-preserve-unknown-fields`, the value schema's for
    /// `additionalProperties`.
    fn rest_of(
        &mut self,
        schema: &Value,
        pointer: &str,
        naming: &Naming,
    ) -> Result<Option<Ty>, Error> {
        if flag(schema, "x-kubernetes-preserve-unknown-fields") {
            return Ok(Some(Ty::Json));
        }
        Ok(match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => Some(Ty::Json),
            Some(values) if values.is_object() => {
                let at = pointer_join(pointer, "additionalProperties");
                let ty = self.field_ty(values, &at, &naming.child("additionalProperties"))?;
                Some(nullable(values, ty))
            }
            _ => None,
        })
    }

    /// The member names and required ones of an object schema, `$ref`s and `allOf` followed.
    pub(crate) fn collect_members(
        &self,
        schema: &Value,
        pointer: &str,
        properties: &mut BTreeMap<String, (Value, String)>,
        required: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        self.collect_object(schema, pointer, properties, required, 0)
    }

    /// Registers an inline definition of `shape`, named by `naming`.
    pub(crate) fn insert_inline(&mut self, schema: &Value, naming: &Naming, shape: Shape) {
        self.types.insert(
            naming.id.clone(),
            TypeDef {
                id: naming.id.clone(),
                module: naming.module.clone(),
                rust_name: naming.rust.clone(),
                doc: description(schema),
                shape,
                gvk: None,
            },
        );
    }

    /// Gathers properties and `required` of an object schema and its `allOf` parts.
    fn collect_object(
        &self,
        schema: &Value,
        pointer: &str,
        properties: &mut BTreeMap<String, (Value, String)>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 32 {
            return Err(Error::invalid(
                self.file,
                pointer,
                "allOf nests too deep (a cycle?)",
            ));
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = self.ref_target(reference, &pointer_join(pointer, "$ref"))?;
            if let Some(target) = self.defs.get(name) {
                let target_pointer = self.def_pointer(name);
                return self.collect_object(
                    target,
                    &target_pointer,
                    properties,
                    required,
                    depth + 1,
                );
            }
            return Ok(());
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let base = pointer_join(pointer, "properties");
            for (name, prop) in props {
                properties
                    .entry(name.clone())
                    .or_insert_with(|| (prop.clone(), pointer_join(&base, name)));
            }
        }
        if let Some(names) = schema.get("required").and_then(Value::as_array) {
            required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for (i, part) in parts.iter().enumerate() {
                let part_pointer = format!("{}/{i}", pointer_join(pointer, "allOf"));
                self.collect_object(part, &part_pointer, properties, required, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The type of a property (or array item, map value): a primitive, a reference, or a
    /// new inline definition named after its position.
    pub fn field_ty(
        &mut self,
        schema: &Value,
        pointer: &str,
        naming: &Naming,
    ) -> Result<Ty, Error> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.ty_of_ref(reference, &pointer_join(pointer, "$ref"));
        }
        // OpenAPI v3 wraps a reference as `allOf: [{$ref}]` to attach a description.
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            if parts.len() == 1 && schema.get("properties").is_none() {
                let part_pointer = format!("{}/0", pointer_join(pointer, "allOf"));
                return self.field_ty(&parts[0], &part_pointer, naming);
            }
        }
        if flag(schema, "x-kubernetes-int-or-string") {
            return Ok(Ty::IntOrString);
        }
        if unions::alternatives(schema).is_some() && string_enum(schema).is_none() {
            return self.union_ty(schema, pointer, naming);
        }
        if string_enum(schema).is_some() || is_struct(schema) {
            return self.inline(schema, pointer, naming);
        }
        let ty = match schema.get("type").and_then(Value::as_str) {
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("byte") => Ty::Bytes,
                Some("date-time") => Ty::Time,
                Some("int-or-string") => Ty::IntOrString,
                _ => Ty::String,
            },
            Some("integer") => match schema.get("format").and_then(Value::as_str) {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => match schema.get("items") {
                Some(items) if items.is_object() => {
                    let item_naming = if items.get("type").and_then(Value::as_str) == Some("array")
                    {
                        naming.item()
                    } else {
                        naming.clone()
                    };
                    let inner =
                        self.field_ty(items, &pointer_join(pointer, "items"), &item_naming)?;
                    Ty::Vec(Box::new(nullable(items, inner)))
                }
                _ => Ty::Vec(Box::new(Ty::Json)),
            },
            Some("object") | None => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => {
                    let inner = self.field_ty(
                        values,
                        &pointer_join(pointer, "additionalProperties"),
                        naming,
                    )?;
                    Ty::Map(Box::new(nullable(values, inner)))
                }
                Some(Value::Bool(true)) => Ty::Map(Box::new(Ty::Json)),
                // A free-form object, `x-kubernetes-preserve-unknown-fields`, or no schema at all.
                _ => Ty::Json,
            },
            Some(other) => {
                return Err(Error::invalid(
                    self.file,
                    &pointer_join(pointer, "type"),
                    format!("unknown schema type {other:?}"),
                ))
            }
        };
        Ok(ty)
    }

    /// A struct of an operation's query parameters (`PodLogOptions`), named by `naming`;
    /// `None` when there are none beyond `pretty`, which no client needs.
    pub fn query_struct(
        &mut self,
        params: &[(String, Value, String)],
        naming: &Naming,
        doc: String,
    ) -> Result<Option<Ty>, Error> {
        let mut seen = BTreeSet::new();
        let mut fields = Vec::new();
        let mut sorted: Vec<&(String, Value, String)> = params
            .iter()
            .filter(|(name, _, _)| name != "pretty")
            .collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, schema, pointer) in sorted {
            if !seen.insert(name.clone()) {
                continue;
            }
            let ty = self.field_ty(schema, pointer, &naming.child(name))?;
            fields.push(Field {
                rust_name: names::unique(names::field_name(name), &mut BTreeSet::new()),
                json_name: name.clone(),
                doc: description(schema),
                ty,
                required: false,
                boxed: false,
                default_if_missing: false,
                flatten: false,
            });
        }
        if fields.is_empty() {
            return Ok(None);
        }
        if !self.types.contains_key(&naming.id) {
            self.types.insert(
                naming.id.clone(),
                TypeDef {
                    id: naming.id.clone(),
                    module: naming.module.clone(),
                    rust_name: naming.rust.clone(),
                    doc: Some(doc),
                    shape: Shape::Struct(fields),
                    gvk: None,
                },
            );
        }
        Ok(Some(Ty::Named(naming.id.clone())))
    }

    /// A new definition for an inline object or enum; returns the reference to it.
    fn inline(&mut self, schema: &Value, pointer: &str, naming: &Naming) -> Result<Ty, Error> {
        let shape = self.shape_of(schema, pointer, naming)?;
        self.types.insert(
            naming.id.clone(),
            TypeDef {
                id: naming.id.clone(),
                module: naming.module.clone(),
                rust_name: naming.rust.clone(),
                doc: description(schema),
                shape,
                gvk: None,
            },
        );
        Ok(Ty::Named(naming.id.clone()))
    }
}

/// Whether a schema describes an object with known properties (a struct).
fn is_struct(schema: &Value) -> bool {
    let has_props = schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    let merged_all_of = schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|parts| parts.len() > 1 || has_props);
    has_props || merged_all_of
}

/// The variants of a string enum schema, or `None` when it is not one.
fn string_enum(schema: &Value) -> Option<Vec<EnumVariant>> {
    let values = schema.get("enum")?.as_array()?;
    if schema
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t != "string")
    {
        return None;
    }
    let mut taken = BTreeSet::new();
    let mut variants = Vec::new();
    for value in values {
        match value {
            Value::String(s) => variants.push(EnumVariant {
                json_value: s.clone(),
                rust_name: names::unique(names::variant_name(s), &mut taken),
            }),
            // `nullable` enums list null; absence is already `Option`.
            Value::Null => {}
            _ => return None,
        }
    }
    (!variants.is_empty()).then_some(variants)
}

/// `x-kubernetes-group-version-kind` of a definition (the first, when it lists several).
pub(crate) fn definition_gvk(schema: &Value) -> Option<Gvk> {
    let gvk = schema.get("x-kubernetes-group-version-kind")?;
    let gvk = match gvk {
        Value::Array(list) => list.first()?,
        other => other,
    };
    Some(Gvk {
        group: gvk.get("group")?.as_str()?.to_owned(),
        version: gvk.get("version")?.as_str()?.to_owned(),
        kind: gvk.get("kind")?.as_str()?.to_owned(),
    })
}

/// A `XxxList` kind (`items` of one kind plus list metadata) becomes an alias of
/// `rest_core::meta::List<Xxx>`: returns the item `$ref`.
fn list_alias<'v>(schema: &'v Value, gvk: Option<&Gvk>) -> Option<&'v str> {
    if !gvk?.kind.ends_with("List") {
        return None;
    }
    let props = schema.get("properties")?.as_object()?;
    let meta_is_list_meta = props
        .get("metadata")
        .is_some_and(|m| ref_of(m).is_some_and(|r| r.ends_with(".ListMeta")));
    if !meta_is_list_meta || props.len() != 4 {
        return None;
    }
    ref_of(props.get("items")?.get("items")?)
}

/// The `$ref` of a schema, looking through a one-part `allOf`.
fn ref_of(schema: &Value) -> Option<&str> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return Some(r);
    }
    match schema.get("allOf")?.as_array()?.as_slice() {
        [only] => only.get("$ref")?.as_str(),
        _ => None,
    }
}

/// A boolean extension flag such as `x-kubernetes-int-or-string: true`.
/// An array item or map value whose schema says `nullable: true` may be `null`: `Option`
/// (`Json` holds `null` already).
fn nullable(schema: &Value, ty: Ty) -> Ty {
    if flag(schema, "nullable") && !matches!(ty, Ty::Json) {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    }
}

pub(crate) fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// The description, when there is one.
pub(crate) fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}
