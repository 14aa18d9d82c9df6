//! The expansion: the shared emitter's items for the kind (root type, `Resource` impl, typed
//! client), the user's types spliced in where they were written, plus what only a derive has:
//! `new`, `crd()` and constructors of the typed client.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::DeriveInput;

use crate::attrs::Scope;
use crate::crd;
use crate::kind::Kind;
use crate::lower;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let k = Kind::from_input(input)?;
    let set = lower::api_set(&k);
    let emitted =
        client_gen_core::emit::module_tokens(&set, &lower::settings(&k), &lower::module(&k))
            .map_err(|e| syn::Error::new(Span::call_site(), format!("rest-derive: {e}")))?;
    let spec = k.spec.to_token_stream();
    let status = k.status.to_token_stream();
    let emitted = substitute(emitted, &[(lower::SPEC, &spec), (lower::STATUS, &status)]);
    let mut file: syn::File = syn::parse2(emitted)?;
    set_visibility(&mut file, &k.vis);
    let client = client_ident(&file, &k.kind).ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "rest-derive: the emitter wrote no typed client",
        )
    })?;
    let extras = extras(&k, &client);
    Ok(quote! { #file #extras })
}

/// Replaces each placeholder identifier with the tokens it stands for.
fn substitute(tokens: TokenStream, map: &[(&str, &TokenStream)]) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| -> Vec<TokenTree> {
            match tt {
                TokenTree::Ident(ident) => match map.iter().find(|(name, _)| ident == name) {
                    Some((_, replacement)) => (*replacement).clone().into_iter().collect(),
                    None => vec![TokenTree::Ident(ident)],
                },
                TokenTree::Group(group) => {
                    let mut inner = Group::new(group.delimiter(), substitute(group.stream(), map));
                    inner.set_span(group.span());
                    vec![TokenTree::Group(inner)]
                }
                other => vec![other],
            }
        })
        .collect()
}

/// The generated items are as visible as the spec struct (a private spec in a `pub` field
/// would not compile cleanly).
fn set_visibility(file: &mut syn::File, vis: &syn::Visibility) {
    let set = |v: &mut syn::Visibility| {
        if matches!(v, syn::Visibility::Public(_)) {
            *v = vis.clone();
        }
    };
    for item in &mut file.items {
        match item {
            syn::Item::Struct(s) => {
                set(&mut s.vis);
                s.fields.iter_mut().for_each(|f| set(&mut f.vis));
            }
            syn::Item::Impl(i) => {
                for member in &mut i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        set(&mut f.vis);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The typed client the emitter wrote: the struct that is not the kind.
fn client_ident(file: &syn::File, kind: &str) -> Option<syn::Ident> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident != kind => Some(s.ident.clone()),
        _ => None,
    })
}

fn extras(k: &Kind, client: &syn::Ident) -> TokenStream {
    let rc: syn::Path = syn::parse_str(&k.krate).unwrap_or_else(|_| syn::parse_quote!(::rest_core));
    let vis = &k.vis;
    let kind = format_ident!("{}", k.kind, span = k.kind_span);
    let spec = &k.spec;
    let status_init = k.status.as_ref().map(|_| quote!(status: None,));
    let new_doc = format!(
        " A `{}` named `name` with `spec` and no status; the namespace comes from the client it is created through.",
        k.kind
    );
    let crd_fn = crd::crd_fn(k, &rc);
    let plural = &k.plural;
    let constructors = match k.scope {
        Scope::Namespaced => {
            let doc = format!(" `{plural}` in `namespace`.");
            let all_doc =
                format!(" `{plural}` across all namespaces (list, watch, delete_collection).");
            quote! {
                #[doc = #doc]
                #vis fn namespaced(client: &#rc::RestClient, namespace: &str) -> Self {
                    Self(#rc::ResourceClient::namespaced(client, namespace))
                }
                #[doc = #all_doc]
                #vis fn all_namespaces(client: &#rc::RestClient) -> Self {
                    Self(#rc::ResourceClient::all_namespaces(client))
                }
            }
        }
        Scope::Cluster => {
            let doc = format!(" `{plural}` (cluster-scoped).");
            quote! {
                #[doc = #doc]
                #vis fn cluster(client: &#rc::RestClient) -> Self {
                    Self(#rc::ResourceClient::cluster(client))
                }
            }
        }
    };
    quote! {
        impl #kind {
            #[doc = #new_doc]
            #vis fn new(name: &str, spec: #spec) -> Self {
                Self {
                    metadata: #rc::meta::ObjectMeta {
                        name: Some(name.to_owned()),
                        ..Default::default()
                    },
                    spec,
                    #status_init
                }
            }
            #crd_fn
        }
        impl #client {
            #constructors
        }
    }
}
