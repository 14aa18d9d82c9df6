//! Type definitions to Rust items: plain structs with serde derives (renames only where
//! `camelCase` does not already produce the JSON name), enums, aliases, `Resource` impls.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{Field, Resource, Scope, Shape, Ty, TypeDef, TypeId};
use crate::names;
use crate::settings::SerdeStyle;

impl Emitter<'_> {
    /// The Rust type for a model type, as written from inside module `from`.
    pub(crate) fn ty(&self, ty: &Ty, from: &[String]) -> TokenStream {
        let rc = &self.rest_core;
        match ty {
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F64 => quote!(f64),
            Ty::String | Ty::Bytes => quote!(String),
            Ty::Time => quote!(#rc::meta::Time),
            Ty::Quantity => quote!(#rc::meta::Quantity),
            Ty::IntOrString => quote!(#rc::meta::IntOrString),
            Ty::Json => quote!(serde_json::Value),
            Ty::Vec(inner) => {
                let inner = self.ty(inner, from);
                quote!(Vec<#inner>)
            }
            Ty::Nullable(inner) => {
                let inner = self.ty(inner, from);
                quote!(Option<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(inner, from);
                quote!(#rc::meta::Map<String, #inner>)
            }
            Ty::List(inner) => {
                let inner = self.ty(inner, from);
                quote!(#rc::meta::List<#inner>)
            }
            Ty::Meta(name) => {
                let name = ident(name);
                quote!(#rc::meta::#name)
            }
            Ty::Named(id) => self.type_path(id, from),
            Ty::Rust(path) => match syn::parse_str::<syn::Type>(path) {
                Ok(ty) => quote!(#ty),
                Err(e) => {
                    let message = format!("not a Rust type: {path:?}: {e}");
                    quote!(::core::compile_error!(#message))
                }
            },
        }
    }

    /// Path to a definition from module `from`: bare in its own module, else via `super`.
    pub(crate) fn type_path(&self, id: &TypeId, from: &[String]) -> TokenStream {
        let Some(def) = self.set.types.get(id) else {
            // Unreachable for a finished model; keep the output compiling-to-an-error readable.
            return quote!(serde_json::Value);
        };
        let name = ident(&def.rust_name);
        if let Some(path) = self.extern_path(&def.module.group) {
            let version = ident(&names::version_module(&def.module.version));
            return if def.module.version.is_empty() {
                quote!(#path::#name)
            } else {
                quote!(#path::#version::#name)
            };
        }
        let target = self.module_path(&def.module);
        if target == from {
            return quote!(#name);
        }
        let supers = from.iter().map(|_| quote!(super));
        let segs = target.iter().map(|s| ident(s));
        quote!(#(#supers::)* #(#segs::)* #name)
    }

    /// A type definition as Rust items.
    pub(crate) fn type_def(&self, def: &TypeDef, module: &[String]) -> TokenStream {
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        match &def.shape {
            Shape::Struct(fields) => self.struct_def(def, fields, module),
            Shape::Untyped => self.untyped_def(def),
            Shape::Alias(ty) => {
                let ty = self.ty(ty, module);
                quote! { #doc pub type #name = #ty; }
            }
            Shape::Enum(variants) => self.enum_def(def, variants, module),
            Shape::Union(variants) => self.union_def(def, variants, module),
        }
    }

    fn struct_def(&self, def: &TypeDef, fields: &[Field], module: &[String]) -> TokenStream {
        // A kind that writes its own apiVersion and kind does not store them.
        let kept: Vec<Field>;
        let fields = if self.constant_kinds.contains_key(&def.id) {
            kept = fields
                .iter()
                .filter(|f| f.json_name != "apiVersion" && f.json_name != "kind")
                .cloned()
                .collect();
            &kept[..]
        } else {
            fields
        };
        if self.settings.serde == SerdeStyle::Compact {
            return self.compact_struct_def(def, fields, module);
        }
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        // `rename_all` pays off when some field relies on it; then only the rest get a rename.
        let camel = fields.iter().any(|f| {
            !f.flatten
                && f.rust_name != f.json_name
                && !names::needs_rename(&f.rust_name, &f.json_name)
        });
        let members = fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let fdoc = self.doc(f.doc.as_deref());
            let mut ty = self.ty(&f.ty, module);
            if f.boxed {
                ty = quote!(Box<#ty>);
            }
            if f.flatten {
                return quote! { #fdoc #[serde(flatten)] pub #fname: #ty };
            }
            let json = &f.json_name;
            let derived = if camel {
                names::serde_camel(&f.rust_name)
            } else {
                f.rust_name.clone()
            };
            let mut serde_args = Vec::new();
            if derived != *json {
                serde_args.push(quote!(rename = #json));
            }
            if f.required {
                if f.default_if_missing {
                    serde_args.push(quote!(default));
                }
            } else {
                ty = quote!(Option<#ty>);
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
            quote! { #fdoc #serde_attr pub #fname: #ty }
        });
        let rename_all = camel.then(|| quote!(#[serde(rename_all = "camelCase")]));
        // A kind with constant apiVersion/kind serializes them from a small emitted impl.
        let gvk = self.constant_kinds.get(&def.id);
        let (serde_derives, serialize) = match gvk {
            Some(gvk) => (
                vec![quote!(serde::Deserialize)],
                self.compact_serialize(&name, fields, Some(gvk), module),
            ),
            None => (
                vec![quote!(serde::Serialize), quote!(serde::Deserialize)],
                TokenStream::new(),
            ),
        };
        let derives = self.struct_derives(def, &serde_derives);
        quote! {
            #doc
            #derives
            #rename_all
            pub struct #name { #(#members,)* }
            #serialize
        }
    }

    /// The `#[derive]` of a struct: `Clone, Debug`, then `Default` and `PartialEq` when all
    /// its members are known to have them, `serde`'s, and the extra derives not listed yet.
    pub(crate) fn struct_derives(&self, def: &TypeDef, serde: &[TokenStream]) -> TokenStream {
        let mut list = vec![quote!(Clone), quote!(Debug)];
        let mut names = vec!["Clone".to_owned(), "Debug".to_owned()];
        if self.has_default(&def.id) {
            list.push(quote!(Default));
            names.push("Default".to_owned());
        }
        if !self.is_opaque(&def.id) {
            list.push(quote!(PartialEq));
            names.push("PartialEq".to_owned());
        }
        list.extend(serde.iter().cloned());
        names.extend(["Serialize".to_owned(), "Deserialize".to_owned()]);
        for extra in &self.extra_derives {
            let Some(last) = extra.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            if !names.contains(&last) {
                names.push(last);
                list.push(quote!(#extra));
            }
        }
        quote!(#[derive(#(#list),*)])
    }

    /// Whether a definition holds a `Ty::Rust` (directly or through its members), whose
    /// traits the emitter cannot know.
    pub(crate) fn is_opaque(&self, id: &TypeId) -> bool {
        if let Some(known) = self.opaque.borrow().get(id) {
            return *known;
        }
        // Assume not while deciding, so recursive types settle.
        self.opaque.borrow_mut().insert(id.clone(), false);
        let result = match self.set.types.get(id).map(|d| &d.shape) {
            Some(Shape::Struct(fields)) => fields.iter().any(|f| self.ty_is_opaque(&f.ty)),
            Some(Shape::Alias(ty)) => self.ty_is_opaque(ty),
            Some(Shape::Union(variants)) => variants.iter().any(|v| self.ty_is_opaque(&v.ty)),
            _ => false,
        };
        self.opaque.borrow_mut().insert(id.clone(), result);
        result
    }

    fn ty_is_opaque(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Rust(_) => true,
            Ty::Named(id) => self.is_opaque(id),
            Ty::Vec(inner) | Ty::Nullable(inner) | Ty::Map(inner) | Ty::List(inner) => {
                self.ty_is_opaque(inner)
            }
            _ => false,
        }
    }

    /// Whether a definition can derive `Default` (every required member has one).
    pub(crate) fn has_default(&self, id: &TypeId) -> bool {
        if let Some(known) = self.defaults.borrow().get(id) {
            return *known;
        }
        // Assume yes while deciding, so recursive types settle.
        self.defaults.borrow_mut().insert(id.clone(), true);
        let result = match self.set.types.get(id).map(|d| &d.shape) {
            Some(Shape::Struct(fields)) => fields
                .iter()
                .filter(|f| f.required)
                .all(|f| self.ty_has_default(&f.ty)),
            Some(Shape::Alias(ty)) => self.ty_has_default(ty),
            Some(Shape::Enum(_)) | Some(Shape::Union(_)) => false,
            Some(Shape::Untyped) => true,
            None => false,
        };
        self.defaults.borrow_mut().insert(id.clone(), result);
        result
    }

    fn ty_has_default(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => self.has_default(id),
            // Unknown: the user's type may or may not implement it.
            Ty::Rust(_) => false,
            // Every rest-core meta type and std container implements `Default`.
            _ => true,
        }
    }

    /// `impl Resource` for the kind a resource serves.
    pub(crate) fn resource_impl(
        &self,
        group: &str,
        version: &str,
        r: &Resource,
        module: &[String],
    ) -> TokenStream {
        let rc = &self.rest_core;
        let ty = self.ty(&r.object, module);
        let api_version = if group.is_empty() {
            version.to_owned()
        } else {
            format!("{group}/{version}")
        };
        let kind = &r.kind;
        let plural = &r.plural;
        let scope = match r.scope {
            Scope::Namespaced => quote!(Namespaced),
            Scope::Cluster => quote!(Cluster),
        };
        // A kind with a protobuf codec hands it to the typed client (which then asks for it).
        let codec = match &r.object {
            Ty::Named(id) if self.proto_supported.contains(id) => quote! {
                #[cfg(feature = "protobuf")]
                fn protobuf_codec() -> Option<#rc::protobuf::Codec<Self>> {
                    Some(#rc::protobuf::Codec::of())
                }
            },
            _ => TokenStream::new(),
        };
        quote! {
            impl #rc::Resource for #ty {
                const GROUP: &'static str = #group;
                const VERSION: &'static str = #version;
                const API_VERSION: &'static str = #api_version;
                const KIND: &'static str = #kind;
                const PLURAL: &'static str = #plural;
                const SCOPE: #rc::Scope = #rc::Scope::#scope;
                // Inline, like every non-generic fn emitted: compiled where used, not in the
                // generated crate for every kind.
                #[inline]
                fn metadata(&self) -> &#rc::meta::ObjectMeta { &self.metadata }
                #[inline]
                fn metadata_mut(&mut self) -> &mut #rc::meta::ObjectMeta { &mut self.metadata }
                #codec
            }
        }
    }

    /// Whether a resource's object type can implement `Resource`: a definition of this
    /// model with a plain `metadata: ObjectMeta`, an untyped kind, or a type of the user's
    /// (`Ty::Rust`, from an API description), which must implement it already.
    pub(crate) fn implements_resource(&self, r: &Resource) -> bool {
        let id = match &r.object {
            Ty::Named(id) => id,
            Ty::Rust(_) => return true,
            _ => return false,
        };
        match self.set.types.get(id).map(|d| &d.shape) {
            Some(Shape::Struct(fields)) => fields.iter().any(|f| {
                f.json_name == "metadata" && f.required && f.ty == Ty::Meta("ObjectMeta".to_owned())
            }),
            Some(Shape::Untyped) => true,
            _ => false,
        }
    }
}

/// Definitions grouped by the module they are emitted into, in key order.
pub(crate) fn by_module(
    defs: &BTreeMap<TypeId, TypeDef>,
) -> BTreeMap<crate::model::ModuleKey, Vec<&TypeDef>> {
    let mut out: BTreeMap<_, Vec<&TypeDef>> = BTreeMap::new();
    for def in defs.values() {
        out.entry(def.module.clone()).or_default().push(def);
    }
    out
}
