//! The `Clientset`: one accessor per group/version, all sharing one `RestClient` (one
//! connection pool, one rate limiter), as client-go's `kubernetes.Clientset`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};

impl Emitter<'_> {
    pub(crate) fn clientset(&self) -> TokenStream {
        let rc = &self.rest_core;
        let mut accessors = Vec::new();
        for (g, v) in self.served_versions() {
            let module = self.module_path(&crate::model::ModuleKey::new(g, v));
            let segs: Vec<_> = module.iter().map(|s| ident(s)).collect();
            let client = ident(&self.group_client_name(g, v));
            let accessor = ident(&format!(
                "{}_{}",
                self.group_module(g),
                crate::names::version_module(v)
            ));
            let cfg = self.group_cfg(g);
            let gv = if g.is_empty() {
                v.to_owned()
            } else {
                format!("{g}/{v}")
            };
            let doc = self.doc(Some(&format!("The `{gv}` client.")));
            accessors.push(quote! {
                #cfg
                #doc
                #[inline]
                pub fn #accessor(&self) -> #(#segs::)* #client {
                    #(#segs::)* #client::new(self.client.clone())
                }
            });
        }
        quote! {
            /// Every group/version client over one `RestClient`: one connection pool, one rate
            /// limiter, one set of credentials.
            #[derive(Clone)]
            pub struct Clientset { client: #rc::RestClient }
            impl Clientset {
                #[inline]
                pub fn new(client: #rc::RestClient) -> Self { Self { client } }
                /// A clientset for the server a `Config` describes.
                #[inline]
                pub fn for_config(config: &#rc::Config) -> Result<Self, #rc::Error> {
                    Ok(Self::new(#rc::RestClient::for_config(config)?))
                }
                /// The shared client, for requests no typed client covers.
                #[inline]
                pub fn rest_client(&self) -> &#rc::RestClient { &self.client }
                #(#accessors)*
            }
        }
    }
}
