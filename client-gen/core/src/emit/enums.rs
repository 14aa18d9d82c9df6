//! String enums to Rust: open enums (`Other(String)` keeps any value the schema did not list,
//! written back unchanged) by default, closed ones (serde derives) as a setting.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{EnumVariant, TypeDef};
use crate::settings::{EnumStyle, SerdeStyle};

impl Emitter<'_> {
    /// A string enum as Rust items.
    pub(crate) fn enum_def(
        &self,
        def: &TypeDef,
        variants: &[EnumVariant],
        module: &[String],
    ) -> TokenStream {
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        if self.settings.enums == EnumStyle::Closed {
            let variants = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let json = &v.json_value;
                if v.rust_name == *json {
                    quote!(#vname)
                } else {
                    quote!(#[serde(rename = #json)] #vname)
                }
            });
            return quote! {
                #doc
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
                pub enum #name { #(#variants,)* }
            };
        }
        let vnames: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
        let values: Vec<&String> = variants.iter().map(|v| &v.json_value).collect();
        // The visitor shared by every open enum reads borrowed strings without allocating; the
        // derive style has no shared module, so it reads a `String`.
        let deserialize = if self.settings.serde == SerdeStyle::Compact {
            let support = self.root_path("__de", module);
            quote!(#support::open_enum(deserializer))
        } else {
            quote!(<String as serde::Deserialize>::deserialize(deserializer)
                .map(|value| Self::from(value.as_str())))
        };
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#vnames,)*
                /// A value the schema does not list (a newer server's), kept as sent.
                Other(String),
            }
            impl #name {
                /// The value as the API spells it.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#vnames => #values,)*
                        Self::Other(value) => value,
                    }
                }
            }
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => Self::#vnames,)*
                        other => Self::Other(other.to_owned()),
                    }
                }
            }
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #deserialize
                }
            }
        }
    }
}
