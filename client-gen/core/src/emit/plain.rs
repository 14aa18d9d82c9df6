//! A plain OpenAPI document's operations as clients: one per tag, one method per operation
//! (path, query and header parameters, JSON body, typed answer, the declared error body as
//! `ApiError::Response`), each building a rest-core `Request` and sending it.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{doc_attr, ident, Emitter};
use crate::model::{Operation, ParamIn, PlainApi, Ty};
use crate::names;

impl Emitter<'_> {
    /// The clients of a plain API, and the error type and helpers they share.
    pub(crate) fn plain_clients(
        &self,
        api: &PlainApi,
        module: &[String],
        taken: &BTreeSet<String>,
    ) -> TokenStream {
        let rc = &self.rest_core;
        let ops: Vec<&Operation> = api.clients.values().flatten().collect();
        if ops.is_empty() {
            return TokenStream::new();
        }
        let mut taken = taken.clone();
        let error = ident(&names::unique("ApiError".to_owned(), &mut taken));
        // Only the helpers some method uses: the rest would be dead code.
        let with_body = ops.iter().any(|op| op.response.is_some());
        let without_body = ops.iter().any(|op| op.response.is_none());
        let with_path = ops
            .iter()
            .any(|op| op.params.iter().any(|p| p.location == ParamIn::Path));
        let call = with_body.then(|| quote! {
            /// Sends a call whose success answer is JSON.
            async fn call<T: serde::de::DeserializeOwned, E: serde::de::DeserializeOwned>(request: #rc::Request) -> Result<T, #error<E>> {
                answer(request.send().await)?.decode().map_err(#error::Request)
            }
        });
        let call_empty = without_body.then(|| quote! {
            /// Sends a call whose success answer has no body.
            async fn call_empty<E: serde::de::DeserializeOwned>(request: #rc::Request) -> Result<(), #error<E>> {
                answer(request.send().await).map(|_| ())
            }
        });
        let segment = with_path.then(|| quote! {
            /// A path parameter as one percent-encoded segment (`/`, `.` and `%` included).
            fn segment(value: &str) -> String {
                let mut out = String::with_capacity(value.len());
                for byte in value.bytes() {
                    if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' || byte == b'~' {
                        out.push(char::from(byte));
                    } else {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
                out
            }
        });
        let title = &api.title;
        let error_doc = doc_attr(&format!(" A failed call of the `{title}` API."));
        let mut out = quote! {
            #error_doc
            #[derive(Debug)]
            pub enum #error<E> {
                /// The server answered an error status with the body the API declares for it.
                Response { status: u16, body: E },
                /// The call failed in the engine: no answer, an answer the API does not
                /// declare, or a body that does not decode.
                Request(#rc::Error),
            }
            impl<E: std::fmt::Debug> std::fmt::Display for #error<E> {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Self::Response { status, body } => write!(f, "the server answered {status}: {body:?}"),
                        Self::Request(error) => std::fmt::Display::fmt(error, f),
                    }
                }
            }
            impl<E: std::fmt::Debug> std::error::Error for #error<E> {}
            /// The answer when it is a success, else the declared error body or the engine's error.
            fn answer<E: serde::de::DeserializeOwned>(response: #rc::Response) -> Result<#rc::Response, #error<E>> {
                let status = response.status_code();
                if (200..300).contains(&status) {
                    return Ok(response);
                }
                if let Ok(body) = serde_json::from_slice::<E>(response.raw()) {
                    return Err(#error::Response { status, body });
                }
                match response.into_result() {
                    Err(error) => Err(#error::Request(error)),
                    Ok(_) => Err(#error::Request(#rc::Error::InvalidRequest {
                        message: format!("unexpected answer {status}"),
                    })),
                }
            }
            #call
            #call_empty
            #segment
        };
        for (tag, ops) in &api.clients {
            let name = ident(&names::unique(
                format!("{}Client", names::pascal(tag)),
                &mut taken,
            ));
            let doc = doc_attr(&format!(
                " The `{tag}` operations of the `{title}` API, each a rest-core `Request`."
            ));
            let methods = ops.iter().map(|op| self.plain_method(op, &error, module));
            out.extend(quote! {
                #doc
                #[derive(Clone, Debug)]
                pub struct #name {
                    client: #rc::RestClient,
                }
                impl #name {
                    /// Calls the API at the client's host; a path in the host's URL is the
                    /// API's base (`https://petstore.example/v2`).
                    pub fn new(client: #rc::RestClient) -> Self {
                        Self { client }
                    }
                    #(#methods)*
                }
            });
        }
        out
    }

    fn plain_method(
        &self,
        op: &Operation,
        error: &proc_macro2::Ident,
        module: &[String],
    ) -> TokenStream {
        let name = ident(&op.rust_name);
        let doc = self.doc(op.doc.as_deref());
        let signature_doc = doc_attr(&format!(" `{} {}`", op.method, op.path));
        let signature_doc = if doc.is_empty() {
            signature_doc
        } else {
            quote!(#[doc = ""] #signature_doc)
        };
        let mut args = Vec::new();
        let mut steps = Vec::new();
        // The path, its parameters percent-encoded.
        let mut template = String::new();
        let mut path_args = Vec::new();
        let mut rest = op.path.as_str();
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
            template.push_str("{}");
            let var = &rest[start + 1..start + end];
            if let Some(p) = op
                .params
                .iter()
                .find(|p| p.location == ParamIn::Path && p.name == var)
            {
                let arg = ident(&p.rust_name);
                path_args.push(quote!(segment(&#arg.to_string())));
            }
            rest = &rest[start + end + 1..];
        }
        template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let method = &op.method;
        for p in &op.params {
            let arg = ident(&p.rust_name);
            let json = &p.name;
            let ty = self.param_ty(&p.ty, module);
            args.push(if p.required {
                quote!(#arg: #ty)
            } else {
                quote!(#arg: Option<#ty>)
            });
            let add = match (p.location, &p.ty) {
                (ParamIn::Path, _) => continue,
                (ParamIn::Query, Ty::Vec(_)) => {
                    quote! { for value in #arg { request = request.param(#json, value); } }
                }
                (ParamIn::Query, _) => quote! { request = request.param(#json, #arg); },
                (ParamIn::Header, _) => {
                    quote! { request = request.header(#json, &#arg.to_string()); }
                }
            };
            steps.push(if p.required {
                add
            } else {
                quote! { if let Some(#arg) = #arg { #add } }
            });
        }
        if let Some((ty, required)) = &op.body {
            let ty = self.ty(ty, module);
            if *required {
                args.push(quote!(body: &#ty));
                steps.push(quote! { request = request.json_body(body); });
            } else {
                args.push(quote!(body: Option<&#ty>));
                steps.push(
                    quote! { if let Some(body) = body { request = request.json_body(body); } },
                );
            }
        }
        let error_ty = match &op.error {
            Some(ty) => self.ty(ty, module),
            None => quote!(serde_json::Value),
        };
        let (output, send) = match &op.response {
            Some(ty) => {
                let ty = self.ty(ty, module);
                (quote!(#ty), quote!(call(request).await))
            }
            None => (quote!(()), quote!(call_empty(request).await)),
        };
        let mutable = (!steps.is_empty()).then(|| quote!(mut));
        let path = if path_args.is_empty() {
            quote!(#template)
        } else {
            quote!(&format!(#template, #(#path_args),*))
        };
        quote! {
            #doc
            #signature_doc
            pub async fn #name(&self, #(#args),*) -> Result<#output, #error<#error_ty>> {
                let #mutable request = self.client.verb(#method).abs_path(#path);
                #(#steps)*
                #send
            }
        }
    }

    /// How a parameter of type `ty` is taken: strings and lists by reference.
    fn param_ty(&self, ty: &Ty, module: &[String]) -> TokenStream {
        match ty {
            Ty::String | Ty::Bytes => quote!(&str),
            Ty::Vec(inner) => {
                let inner = self.ty(inner, module);
                quote!(&[#inner])
            }
            other => self.ty(other, module),
        }
    }
}
