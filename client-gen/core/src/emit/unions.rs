//! Unions (`oneOf`/`anyOf`, a discriminator's subtypes) to Rust enums: one variant per
//! alternative, picked by tag, JSON type or a member only it has; `Other` keeps a value no
//! alternative matches (closed enums refuse it instead). Encoding writes the alternative as is.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{JsonKind, Pick, Ty, TypeDef, UnionVariant};
use crate::settings::EnumStyle;

impl Emitter<'_> {
    pub(crate) fn union_def(
        &self,
        def: &TypeDef,
        variants: &[UnionVariant],
        module: &[String],
    ) -> TokenStream {
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        let open = self.settings.enums == EnumStyle::Open;
        let members = variants.iter().map(|v| {
            let vname = ident(&v.rust_name);
            let mut ty = self.ty(&v.ty, module);
            // Definitions behind a `Box`: a union inside the types it holds stays finite.
            if matches!(v.ty, Ty::Named(_)) {
                ty = quote!(Box<#ty>);
            }
            quote!(#vname(#ty))
        });
        let other = open.then(|| {
            quote! {
                /// A value none of the alternatives matches (a newer server's), kept as sent.
                Other(serde_json::Value),
            }
        });
        let vnames: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
        let other_ser = open
            .then(|| quote!(Self::Other(value) => serde::Serialize::serialize(value, serializer),));
        // A catch-all object (the one object without a member of its own) is tried last.
        let mut tests: Vec<(usize, &Pick)> = variants.iter().map(|v| &v.pick).enumerate().collect();
        tests.sort_by_key(|(_, pick)| matches!(pick, Pick::Json(JsonKind::Object)));
        let conditions = tests.iter().map(|(_, pick)| condition(pick));
        let indexes = tests.iter().map(|(i, _)| *i);
        let decoders = variants.iter().enumerate().map(|(i, v)| {
            let vname = ident(&v.rust_name);
            let wrap = if matches!(v.ty, Ty::Named(_)) {
                quote!(|inner| Self::#vname(Box::new(inner)))
            } else {
                quote!(Self::#vname)
            };
            quote!(#i => serde_json::from_value(value).map(#wrap),)
        });
        let fallback = if open {
            quote!(_ => Ok(Self::Other(value)),)
        } else {
            let message = format!("no alternative of {} matches the value", def.rust_name);
            quote!(_ => return Err(serde::de::Error::custom(#message)),)
        };
        let partial_eq = (!self.is_opaque(&def.id)).then(|| quote!(PartialEq,));
        quote! {
            #doc
            #[derive(Clone, Debug, #partial_eq)]
            pub enum #name {
                #(#members,)*
                #other
            }
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(Self::#vnames(value) => serde::Serialize::serialize(value, serializer),)*
                        #other_ser
                    }
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    // Read once, look at it, then decode the alternative it is.
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    let pick = #(if #conditions { #indexes } else)* { usize::MAX };
                    match pick {
                        #(#decoders)*
                        #fallback
                    }
                    .map_err(serde::de::Error::custom)
                }
            }
        }
    }
}

/// The test a value passes when it is the alternative `pick` describes (`value` in scope).
fn condition(pick: &Pick) -> TokenStream {
    match pick {
        Pick::Tag { property, values } => quote! {
            matches!(value.get(#property).and_then(serde_json::Value::as_str), Some(#(#values)|*))
        },
        Pick::Member(member) => quote!(value.get(#member).is_some()),
        Pick::Json(kind) => match kind {
            JsonKind::Null => quote!(value.is_null()),
            JsonKind::Bool => quote!(value.is_boolean()),
            JsonKind::Number => quote!(value.is_number()),
            JsonKind::String => quote!(value.is_string()),
            JsonKind::Array => quote!(value.is_array()),
            JsonKind::Object => quote!(value.is_object()),
        },
    }
}
