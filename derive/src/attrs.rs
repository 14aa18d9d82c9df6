//! Reads `#[resource(...)]`: every key once (lists repeat their key), each error spanned on
//! the offending key or value with a message saying what to write instead.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitInt, LitStr};

use crate::names;

/// Whether objects live in a namespace or at cluster level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// `printcolumn(...)`: one `additionalPrinterColumns` entry.
#[derive(Clone, Debug)]
pub struct PrinterColumn {
    pub name: String,
    pub type_: String,
    pub json_path: String,
    pub description: Option<String>,
    pub format: Option<String>,
    pub priority: Option<i32>,
}

/// `scale(...)`: the scale subresource's paths.
#[derive(Clone, Debug)]
pub struct Scale {
    pub spec_replicas_path: String,
    pub status_replicas_path: String,
    pub label_selector_path: Option<String>,
}

/// Everything `#[resource(...)]` said, as written (checked by `Resource::check`).
#[derive(Default)]
pub struct Attrs {
    /// The first `#[resource]` attribute: where "missing key" errors point.
    pub attr: Option<Attribute>,
    pub group: Option<LitStr>,
    pub version: Option<LitStr>,
    pub kind: Option<LitStr>,
    pub plural: Option<LitStr>,
    pub singular: Option<LitStr>,
    pub scope: Option<(Scope, Span)>,
    /// As written: `status = "CronTabStatus"` or `status = CronTabStatus`.
    pub status: Option<syn::Type>,
    pub scale: Option<(Scale, Span)>,
    pub shortnames: Vec<LitStr>,
    pub categories: Vec<LitStr>,
    pub printer_columns: Vec<(PrinterColumn, Span)>,
    pub selectable_fields: Vec<LitStr>,
    pub krate: Option<LitStr>,
    pub derives: Vec<LitStr>,
}

const KEYS: &[&str] = &[
    "group",
    "version",
    "kind",
    "plural",
    "singular",
    "namespaced",
    "cluster",
    "status",
    "scale",
    "shortname",
    "category",
    "printcolumn",
    "selectable_field",
    "crate",
    "derive",
];

/// Keys people write meaning one of ours, and what to write instead.
const HINTS: &[(&str, &str)] = &[
    (
        "shortnames",
        "write `shortname = \"..\"` once per short name",
    ),
    (
        "short_name",
        "write `shortname = \"..\"` once per short name",
    ),
    ("categories", "write `category = \"..\"` once per category"),
    (
        "printcolumns",
        "write one `printcolumn(name = \"..\", type = \"..\", json_path = \"..\")` per column",
    ),
    (
        "printer_column",
        "write one `printcolumn(name = \"..\", type = \"..\", json_path = \"..\")` per column",
    ),
    (
        "column",
        "write one `printcolumn(name = \"..\", type = \"..\", json_path = \"..\")` per column",
    ),
    (
        "selectable",
        "write `selectable_field = \".spec.field\"` once per field",
    ),
    (
        "selectable_fields",
        "write `selectable_field = \".spec.field\"` once per field",
    ),
    ("derives", "write `derive = \"PartialEq\"` once per derive"),
    ("scope", "write the flag `namespaced` or the flag `cluster`"),
    (
        "namespace",
        "write the flag `namespaced` (or `cluster` for cluster-scoped kinds)",
    ),
    (
        "api_version",
        "write `group = \"..\"` and `version = \"..\"` separately",
    ),
    (
        "apiVersion",
        "write `group = \"..\"` and `version = \"..\"` separately",
    ),
];

impl Attrs {
    /// Reads every `#[resource(...)]` among `attrs`.
    pub fn parse(attrs: &[Attribute]) -> syn::Result<Attrs> {
        let mut out = Attrs::default();
        let mut errors: Option<syn::Error> = None;
        for attr in attrs.iter().filter(|a| a.path().is_ident("resource")) {
            out.attr.get_or_insert_with(|| attr.clone());
            if let Err(e) = attr.parse_nested_meta(|meta| out.key(&meta)) {
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
            }
        }
        match errors {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    fn key(&mut self, meta: &ParseNestedMeta) -> syn::Result<()> {
        let key = meta
            .path
            .get_ident()
            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
            .unwrap_or_default();
        match key.as_str() {
            "group" => once(&mut self.group, meta, &key),
            "version" => once(&mut self.version, meta, &key),
            "kind" => once(&mut self.kind, meta, &key),
            "plural" => once(&mut self.plural, meta, &key),
            "singular" => once(&mut self.singular, meta, &key),
            "status" => {
                if self.status.is_some() {
                    return Err(meta.error("`status` is given twice: keep one"));
                }
                self.status = Some(type_value(meta, &key)?);
                Ok(())
            }
            "crate" => once(&mut self.krate, meta, &key),
            "namespaced" | "cluster" => self.scope_flag(meta, &key),
            "shortname" => push(&mut self.shortnames, meta, &key),
            "category" => push(&mut self.categories, meta, &key),
            "selectable_field" => push(&mut self.selectable_fields, meta, &key),
            "derive" => push(&mut self.derives, meta, &key),
            "printcolumn" => {
                let column = printer_column(meta)?;
                self.printer_columns.push((column, meta.path.span()));
                Ok(())
            }
            "scale" => {
                if self.scale.is_some() {
                    return Err(meta.error("`scale(...)` is given twice: keep one"));
                }
                self.scale = Some((scale(meta)?, meta.path.span()));
                Ok(())
            }
            _ => Err(meta.error(unknown_key(&key, KEYS, "#[resource(...)]"))),
        }
    }

    fn scope_flag(&mut self, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            return Err(meta.error(format!(
                "`{key}` is a flag: write `{key}` alone, without a value"
            )));
        }
        let scope = if key == "namespaced" {
            Scope::Namespaced
        } else {
            Scope::Cluster
        };
        match self.scope {
            Some((previous, _)) if previous != scope => Err(meta.error(format!(
                "`{key}` conflicts with `{}`: a kind is either namespaced or cluster-scoped; keep one of the two flags",
                if previous == Scope::Namespaced { "namespaced" } else { "cluster" }
            ))),
            Some(_) => Err(meta.error(format!("`{key}` is given twice: keep one"))),
            None => {
                self.scope = Some((scope, meta.path.span()));
                Ok(())
            }
        }
    }
}

/// "unknown key" with a hint: a known confusion, the closest key, or the list of keys.
fn unknown_key(key: &str, keys: &[&str], place: &str) -> String {
    if let Some((_, hint)) = HINTS.iter().find(|(k, _)| *k == key) {
        return format!("unknown key `{key}` in {place}: {hint}");
    }
    match names::closest(key, keys) {
        Some(near) => format!("unknown key `{key}` in {place}: did you mean `{near}`?"),
        None => format!(
            "unknown key `{key}` in {place}: expected one of {}",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn string_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<LitStr> {
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        return Err(meta.error(format!("`{key}` needs a value: write `{key} = \"...\"`")));
    }
    let value = meta.value()?;
    value.parse::<LitStr>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{key}` takes a string: write `{key} = \"...\"`"),
        )
    })
}

/// A type, quoted (`"CronTabStatus"`, spanned at the string) or not (`CronTabStatus`, the
/// form rustc's own "similar name" suggestion writes).
fn type_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<syn::Type> {
    let message = format!("`{key}` names a type: write `{key} = \"CronTabStatus\"`");
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        return Err(meta.error(message));
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        lit.parse::<syn::Type>()
            .map_err(|_| syn::Error::new(lit.span(), message))
    } else {
        value
            .parse::<syn::Type>()
            .map_err(|e| syn::Error::new(e.span(), message))
    }
}

fn once(slot: &mut Option<LitStr>, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{key}` is given twice: keep one")));
    }
    *slot = Some(string_value(meta, key)?);
    Ok(())
}

fn push(list: &mut Vec<LitStr>, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    list.push(string_value(meta, key)?);
    Ok(())
}

fn printer_column(meta: &ParseNestedMeta) -> syn::Result<PrinterColumn> {
    const COLUMN_KEYS: &[&str] = &[
        "name",
        "type",
        "json_path",
        "description",
        "format",
        "priority",
    ];
    let mut name = None;
    let mut type_ = None;
    let mut json_path = None;
    let mut description = None;
    let mut format = None;
    let mut priority = None;
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(|i| i.to_string().trim_start_matches("r#").to_owned())
            .unwrap_or_default();
        match key.as_str() {
            "name" => once(&mut name, &inner, &key),
            "type" => once(&mut type_, &inner, &key),
            "json_path" => once(&mut json_path, &inner, &key),
            "description" => once(&mut description, &inner, &key),
            "format" => once(&mut format, &inner, &key),
            "priority" => {
                let value: LitInt = inner.value()?.parse()?;
                priority = Some(value.base10_parse::<i32>()?);
                Ok(())
            }
            _ => Err(inner.error(unknown_key(&key, COLUMN_KEYS, "printcolumn(...)"))),
        }
    })?;
    let example =
        "printcolumn(name = \"Replicas\", type = \"integer\", json_path = \".spec.replicas\")";
    let require = |v: Option<LitStr>, key: &str| {
        v.ok_or_else(|| meta.error(format!("`printcolumn` needs `{key}`: write `{example}`")))
    };
    let name = require(name, "name")?;
    let type_ = require(type_, "type")?;
    let json_path = require(json_path, "json_path")?;
    const TYPES: &[&str] = &["integer", "number", "string", "boolean", "date"];
    if !TYPES.contains(&type_.value().as_str()) {
        return Err(syn::Error::new(
            type_.span(),
            "a column's `type` is one of \"integer\", \"number\", \"string\", \"boolean\", \"date\"",
        ));
    }
    check_path(&json_path, &["."], "a column's `json_path`")?;
    Ok(PrinterColumn {
        name: name.value(),
        type_: type_.value(),
        json_path: json_path.value(),
        description: description.map(|d| d.value()),
        format: format.map(|f| f.value()),
        priority,
    })
}

fn scale(meta: &ParseNestedMeta) -> syn::Result<Scale> {
    const SCALE_KEYS: &[&str] = &[
        "spec_replicas_path",
        "status_replicas_path",
        "label_selector_path",
    ];
    let mut spec = None;
    let mut status = None;
    let mut selector = None;
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        match key.as_str() {
            "spec_replicas_path" => once(&mut spec, &inner, &key),
            "status_replicas_path" => once(&mut status, &inner, &key),
            "label_selector_path" => once(&mut selector, &inner, &key),
            _ => Err(inner.error(unknown_key(&key, SCALE_KEYS, "scale(...)"))),
        }
    })?;
    let example = "scale(spec_replicas_path = \".spec.replicas\", status_replicas_path = \".status.replicas\")";
    let spec = spec.ok_or_else(|| {
        meta.error(format!(
            "`scale` needs `spec_replicas_path`: write `{example}`"
        ))
    })?;
    let status = status.ok_or_else(|| {
        meta.error(format!(
            "`scale` needs `status_replicas_path`: write `{example}`"
        ))
    })?;
    check_path(&spec, &[".spec."], "`spec_replicas_path`")?;
    check_path(&status, &[".status."], "`status_replicas_path`")?;
    if let Some(selector) = &selector {
        check_path(selector, &[".spec.", ".status."], "`label_selector_path`")?;
    }
    Ok(Scale {
        spec_replicas_path: spec.value(),
        status_replicas_path: status.value(),
        label_selector_path: selector.map(|s| s.value()),
    })
}

/// A JSON path (`.spec.replicas`) under one of `prefixes`, without array notation.
fn check_path(path: &LitStr, prefixes: &[&str], what: &str) -> syn::Result<()> {
    let value = path.value();
    let under = prefixes
        .iter()
        .any(|p| value.starts_with(p) && value.len() > p.len());
    if !under || value.contains('[') || value.contains(' ') {
        let places = prefixes
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(syn::Error::new(
            path.span(),
            format!("{what} is a JSON path under {places} without array notation, like \".spec.replicas\""),
        ));
    }
    Ok(())
}
