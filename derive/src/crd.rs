//! `crd()`: the kind's CustomResourceDefinition, built at run time by rest-core's derive
//! support from what the attributes said and the schemas schemars makes of the user's types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::attrs::Scope;
use crate::kind::Kind;

fn opt_str(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

pub fn crd_fn(k: &Kind, rc: &syn::Path) -> TokenStream {
    let vis = &k.vis;
    let support = quote!(#rc::derive_support);
    let (group, version, kind, plural, singular) =
        (&k.group, &k.version, &k.kind, &k.plural, &k.singular);
    let namespaced = k.scope == Scope::Namespaced;
    let short_names = &k.shortnames;
    let categories = &k.categories;
    let selectable = &k.selectable_fields;
    let columns = k.printer_columns.iter().map(|c| {
        let (name, type_, path) = (&c.name, &c.type_, &c.json_path);
        let description = opt_str(&c.description);
        let format = opt_str(&c.format);
        let priority = match c.priority {
            Some(p) => quote!(Some(#p)),
            None => quote!(None),
        };
        quote! {
            #support::PrinterColumn {
                name: #name, type_: #type_, json_path: #path,
                description: #description, format: #format, priority: #priority,
            }
        }
    });
    let scale = match &k.scale {
        Some(s) => {
            let (spec, status) = (&s.spec_replicas_path, &s.status_replicas_path);
            let selector = opt_str(&s.label_selector_path);
            quote!(Some(#support::ScalePaths {
                spec_replicas_path: #spec, status_replicas_path: #status, label_selector_path: #selector,
            }))
        }
        None => quote!(None),
    };
    let spec = &k.spec;
    let has_status = k.status.is_some();
    let status_schema = match &k.status {
        Some(status) => quote!(Some(#support::schema::<#status>())),
        None => quote!(None),
    };
    let doc = format!(
        " The `apiextensions.k8s.io/v1` CustomResourceDefinition of `{kind}` (`{plural}.{group}`), its `openAPIV3Schema` made structural from the types' `schemars::JsonSchema`; print it as YAML with any serde YAML crate."
    );
    quote! {
        #[doc = #doc]
        #vis fn crd() -> #support::serde_json::Value {
            #support::crd(
                &#support::CrdInfo {
                    group: #group,
                    version: #version,
                    kind: #kind,
                    plural: #plural,
                    singular: #singular,
                    namespaced: #namespaced,
                    short_names: &[#(#short_names),*],
                    categories: &[#(#categories),*],
                    printer_columns: &[#(#columns),*],
                    selectable_fields: &[#(#selectable),*],
                    status: #has_status,
                    scale: #scale,
                },
                #support::schema::<#spec>(),
                #status_schema,
            )
        }
    }
}
