//! The kind a derive describes, checked: the struct it is on and the values of its
//! attributes, every error pointing at what to change.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::attrs::{Attrs, PrinterColumn, Scale, Scope};
use crate::names;

/// A checked `#[derive(Resource)]`.
pub struct Kind {
    pub group: String,
    pub version: String,
    pub kind: String,
    /// Where the kind was written: the generated type's name points there.
    pub kind_span: Span,
    pub plural: String,
    pub singular: String,
    pub scope: Scope,
    /// The struct the derive is on.
    pub spec: syn::Ident,
    pub vis: syn::Visibility,
    /// The status type, spanned at the attribute value (so "cannot find type" lands there).
    pub status: Option<syn::Type>,
    pub scale: Option<Scale>,
    pub shortnames: Vec<String>,
    pub categories: Vec<String>,
    pub printer_columns: Vec<PrinterColumn>,
    pub selectable_fields: Vec<String>,
    /// Path of rest-core in the user's crate (`::rest_core`).
    pub krate: String,
    pub derives: Vec<String>,
}

const EXAMPLE: &str =
    "#[resource(group = \"stable.example.com\", version = \"v1\", kind = \"CronTab\")]";

impl Kind {
    pub fn from_input(input: &DeriveInput) -> syn::Result<Kind> {
        check_shape(input)?;
        let attrs = Attrs::parse(&input.attrs)?;
        let Some(attr) = &attrs.attr else {
            return Err(syn::Error::new(
                input.ident.span(),
                format!(
                    "`#[derive(Resource)]` needs the kind's names: add `{EXAMPLE}` to the struct"
                ),
            ));
        };
        let group = required(
            &attrs.group,
            attr,
            "group",
            "stable.example.com",
            "the API group, a domain with at least one dot",
        )?;
        let version = required(&attrs.version, attr, "version", "v1", "the API version")?;
        let kind = required(
            &attrs.kind,
            attr,
            "kind",
            "CronTab",
            "the kind, which names the generated type",
        )?;
        check(
            &group,
            names::is_crd_group,
            "`group` is a lowercase domain with at least one dot, like \"stable.example.com\"",
        )?;
        check(
            &version,
            names::is_dns_label,
            "`version` is a lowercase name like \"v1\" or \"v1beta1\"",
        )?;
        check(
            &kind,
            names::is_kind,
            "`kind` is an UpperCamelCase name like \"CronTab\" (it names the generated type)",
        )?;
        if input.ident == kind.value() {
            return Err(syn::Error::new(
                kind.span(),
                format!(
                    "the derive generates the type `{0}`, and this struct already has that name: rename the struct to `{0}Spec`",
                    kind.value()
                ),
            ));
        }
        let plural = match &attrs.plural {
            Some(p) => {
                check(
                    p,
                    names::is_dns_label,
                    "`plural` is a lowercase name like \"crontabs\"",
                )?;
                p.value()
            }
            None => names::plural(&kind.value()),
        };
        let singular = match &attrs.singular {
            Some(s) => {
                check(
                    s,
                    names::is_dns_label,
                    "`singular` is a lowercase name like \"crontab\"",
                )?;
                s.value()
            }
            None => kind.value().to_ascii_lowercase(),
        };
        for s in &attrs.shortnames {
            check(
                s,
                names::is_dns_label,
                "a `shortname` is a lowercase name like \"ct\"",
            )?;
        }
        for c in &attrs.categories {
            check(
                c,
                names::is_dns_label,
                "a `category` is a lowercase name like \"all\"",
            )?;
        }
        for f in &attrs.selectable_fields {
            let v = f.value();
            let ok = v.starts_with('.')
                && v.len() > 1
                && !v.starts_with(".metadata")
                && !v.contains('[');
            if !ok {
                return Err(syn::Error::new(
                    f.span(),
                    "a `selectable_field` is a JSON path to a string, integer or boolean field outside metadata, like \".spec.color\"",
                ));
            }
        }
        let status = attrs.status.clone();
        if let (Some((_, span)), None) = (&attrs.scale, &status) {
            return Err(syn::Error::new(
                *span,
                "`scale(...)` reads the replicas from the status: add `status = \"...\"` naming the status type",
            ));
        }
        let krate = match &attrs.krate {
            Some(lit) => {
                lit.parse::<syn::Path>().map_err(|_| {
                    syn::Error::new(lit.span(), "`crate` is the path of rest-core here: write `crate = \"::rest_core\"` or `crate = \"my_reexport::rest_core\"`")
                })?;
                lit.value()
            }
            None => "::rest_core".to_owned(),
        };
        for d in &attrs.derives {
            d.parse::<syn::Path>().map_err(|_| {
                syn::Error::new(
                    d.span(),
                    "`derive` names one derive: write `derive = \"PartialEq\"`, once per derive",
                )
            })?;
        }
        Ok(Kind {
            group: group.value(),
            version: version.value(),
            kind_span: kind.span(),
            kind: kind.value(),
            plural,
            singular,
            scope: attrs.scope.map(|(s, _)| s).unwrap_or(Scope::Namespaced),
            spec: input.ident.clone(),
            vis: input.vis.clone(),
            status,
            scale: attrs.scale.map(|(s, _)| s),
            shortnames: attrs.shortnames.iter().map(LitStr::value).collect(),
            categories: attrs.categories.iter().map(LitStr::value).collect(),
            printer_columns: attrs.printer_columns.into_iter().map(|(c, _)| c).collect(),
            selectable_fields: attrs.selectable_fields.iter().map(LitStr::value).collect(),
            krate,
            derives: attrs.derives.iter().map(LitStr::value).collect(),
        })
    }
}

/// The derive goes on a plain struct with named fields: the spec.
fn check_shape(input: &DeriveInput) -> syn::Result<()> {
    let name = &input.ident;
    match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(_) => {}
            Fields::Unnamed(fields) => {
                return Err(syn::Error::new(
                    fields.span(),
                    format!("`#[derive(Resource)]` needs a struct with named fields, the spec: write `struct {name} {{ replicas: i32, .. }}`, not a tuple struct"),
                ))
            }
            Fields::Unit => {
                return Err(syn::Error::new(
                    name.span(),
                    format!("`#[derive(Resource)]` needs a struct with named fields, the spec: write `struct {name} {{ .. }}`"),
                ))
            }
        },
        Data::Enum(e) => {
            let example = match name.to_string().strip_suffix("Spec") {
                Some(stem) => format!("rename the enum (say `{stem}Mode`) and derive on `struct {name} {{ mode: {stem}Mode, .. }}`"),
                None => format!("derive on a struct holding it, like `struct {name}Spec {{ mode: {name}, .. }}`"),
            };
            return Err(syn::Error::new(
                e.enum_token.span,
                format!("`#[derive(Resource)]` goes on the spec struct with named fields, not an enum: {example}"),
            ));
        }
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span,
                "`#[derive(Resource)]` goes on the spec struct with named fields, not a union",
            ))
        }
    }
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            input.generics.span(),
            "a custom resource's spec cannot be generic: its CRD has one schema; remove the generic parameters (use a type alias or a concrete field type)",
        ));
    }
    Ok(())
}

fn required(
    value: &Option<LitStr>,
    attr: &syn::Attribute,
    key: &str,
    example: &str,
    what: &str,
) -> syn::Result<LitStr> {
    value.clone().ok_or_else(|| {
        syn::Error::new_spanned(
            attr,
            format!("missing `{key}` in #[resource(...)]: write `{key} = \"{example}\"` ({what})"),
        )
    })
}

fn check(lit: &LitStr, ok: fn(&str) -> bool, message: &str) -> syn::Result<()> {
    if ok(&lit.value()) {
        Ok(())
    } else {
        Err(syn::Error::new(lit.span(), message))
    }
}
