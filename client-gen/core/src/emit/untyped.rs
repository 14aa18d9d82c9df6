//! Untyped kinds (`Shape::Untyped`, from discovery or an API description without a schema):
//! a typed `metadata` and every other member kept as JSON, so a round trip loses nothing.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::TypeDef;

impl Emitter<'_> {
    pub(crate) fn untyped_def(&self, def: &TypeDef) -> TokenStream {
        let rc = &self.rest_core;
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        let derives =
            self.struct_derives(def, &[quote!(serde::Serialize), quote!(serde::Deserialize)]);
        let constructor = def.gvk.as_ref().map(|gvk| {
            let api_version = if gvk.group.is_empty() {
                gvk.version.clone()
            } else {
                format!("{}/{}", gvk.group, gvk.version)
            };
            let kind = &gvk.kind;
            quote! {
                impl #name {
                    /// A new object named `name`, with its `apiVersion` and `kind` set.
                    pub fn new(name: &str) -> Self {
                        let mut fields = serde_json::Map::new();
                        fields.insert("apiVersion".to_owned(), serde_json::Value::from(#api_version));
                        fields.insert("kind".to_owned(), serde_json::Value::from(#kind));
                        Self {
                            metadata: #rc::meta::ObjectMeta { name: Some(name.to_owned()), ..Default::default() },
                            fields,
                        }
                    }
                }
            }
        });
        quote! {
            #doc
            #derives
            pub struct #name {
                #[serde(default)]
                pub metadata: #rc::meta::ObjectMeta,
                /// Every other member (`apiVersion`, `kind`, `spec`, `status`, ...), as sent.
                #[serde(flatten)]
                pub fields: serde_json::Map<String, serde_json::Value>,
            }
            #constructor
        }
    }
}
