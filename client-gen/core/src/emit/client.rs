//! Typed clients: per group/version a client with one accessor per resource, and per
//! resource a newtype over `ResourceClient<T>` with exactly the verbs and subresources the
//! model has, each a one-line delegation. A delegation is a plain `#[inline]` fn returning the
//! engine's future (callers `.await` it as they would an `async fn`): an `async fn` wrapper
//! is a state machine of its own, and a non-generic one is compiled in the generated crate
//! whether or not anyone calls it; inline, a delegation is compiled only where called. (An
//! all-features build of `generated`: `#[inline] async fn` wrappers cost 95 MiB more peak
//! memory than these, and plain `async fn`s several seconds more.) The group clients'
//! accessors are `#[inline]` for the same reason: then nothing of the clients is compiled to
//! machine code in the generated crate (all of the Kubernetes API: 19 MiB less peak memory).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{Payload, Resource, Scope, Subresource, Ty, Verb, Version};
use crate::names;

impl Emitter<'_> {
    /// Name of the client of a group/version (`AppsV1Client`).
    pub(crate) fn group_client_name(&self, group: &str, version: &str) -> String {
        let module = self.group_module(group);
        format!("{}{}Client", names::pascal(&module), names::pascal(version))
    }

    /// Name of a resource's typed client (`PodClient`), clear of the module's type names.
    pub(crate) fn resource_client_name(&self, r: &Resource, taken: &BTreeSet<String>) -> String {
        let base = match &r.object {
            Ty::Named(id) => self.set.types.get(id).map(|d| d.rust_name.clone()),
            _ => None,
        }
        .unwrap_or_else(|| names::type_name(&r.kind));
        let name = format!("{base}Client");
        if taken.contains(&name) {
            format!("{base}ResourceClient")
        } else {
            name
        }
    }

    /// The resources of a version that get a typed client: those whose object implements
    /// `Resource`, each object type once (the engine takes the plural from the type, so a
    /// second resource serving the same type cannot be addressed through it).
    pub(crate) fn client_resources<'v>(&self, version: &'v Version) -> Vec<&'v Resource> {
        let mut seen = BTreeSet::new();
        version
            .resources
            .values()
            .filter(|r| self.implements_resource(r))
            .filter(|r| {
                let first = seen.insert(r.object.clone());
                if !first {
                    tracing::warn!(plural = %r.plural, kind = %r.kind, "kind already served by another resource: no typed client");
                }
                first
            })
            .collect()
    }

    /// The group client (when `group_client`) and the resource clients of one group/version.
    pub(crate) fn clients(
        &self,
        group: &str,
        version: &Version,
        module: &[String],
        taken: &BTreeSet<String>,
        group_client: bool,
    ) -> TokenStream {
        let rc = &self.rest_core;
        let gv = if group.is_empty() {
            version.name.clone()
        } else {
            format!("{group}/{}", version.name)
        };
        let client_name = ident(&self.group_client_name(group, &version.name));
        let group_doc = self.doc(Some(&format!(
            "Client for the `{gv}` API: one accessor per resource."
        )));
        let mut accessors = Vec::new();
        let mut typed = Vec::new();
        let mut methods_taken = BTreeSet::from(["new".to_owned(), "rest_client".to_owned()]);
        let mut client_names = taken.clone();
        for r in self.client_resources(version) {
            let rname = ident(&names::unique(
                self.resource_client_name(r, taken),
                &mut client_names,
            ));
            let accessor = names::unique(
                names::resource_accessor(&r.plural, &r.kind),
                &mut methods_taken,
            );
            let acc = ident(&accessor);
            let plural = &r.plural;
            match r.scope {
                Scope::Namespaced => {
                    let doc = self.doc(Some(&format!("`{plural}` in `namespace`.")));
                    accessors.push(quote! {
                        #doc
                        #[inline]
                        pub fn #acc(&self, namespace: &str) -> #rname {
                            #rname(#rc::ResourceClient::namespaced(&self.client, namespace))
                        }
                    });
                    if r.all_namespaces {
                        let all = ident(&names::unique(
                            format!("{accessor}_all_namespaces"),
                            &mut methods_taken,
                        ));
                        let doc = self.doc(Some(&format!(
                            "`{plural}` across all namespaces (list and watch)."
                        )));
                        accessors.push(quote! {
                            #doc
                            #[inline]
                            pub fn #all(&self) -> #rname {
                                #rname(#rc::ResourceClient::all_namespaces(&self.client))
                            }
                        });
                    }
                }
                Scope::Cluster => {
                    let doc = self.doc(Some(&format!("`{plural}` (cluster-scoped).")));
                    accessors.push(quote! {
                        #doc
                        #[inline]
                        pub fn #acc(&self) -> #rname {
                            #rname(#rc::ResourceClient::cluster(&self.client))
                        }
                    });
                }
            }
            typed.push(self.resource_client(group, &gv, r, &rname, module));
        }
        if !group_client {
            return quote! { #(#typed)* };
        }
        quote! {
            #group_doc
            #[derive(Clone)]
            pub struct #client_name { client: #rc::RestClient }
            impl #client_name {
                /// Wraps a client; requests go to this group/version on its connection pool.
                #[inline]
                pub fn new(client: #rc::RestClient) -> Self { Self { client } }
                /// The client every resource client here is built from.
                #[inline]
                pub fn rest_client(&self) -> &#rc::RestClient { &self.client }
                #(#accessors)*
            }
            #(#typed)*
        }
    }

    fn resource_client(
        &self,
        group: &str,
        gv: &str,
        r: &Resource,
        rname: &proc_macro2::Ident,
        module: &[String],
    ) -> TokenStream {
        let rc = &self.rest_core;
        let t = self.ty(&r.object, module);
        let doc = self.doc(Some(&format!(
            "Typed client for `{}` (`{gv}` `{}`).",
            r.plural, r.kind
        )));
        let mut methods = Vec::new();
        for verb in &r.verbs {
            let m = match verb {
                Verb::Get => quote! {
                    /// Reads the named object.
                    #[inline]
                    pub fn get<'a>(&'a self, name: &'a str, opts: &'a #rc::meta::GetOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.get(name, opts)
                    }
                },
                Verb::List => quote! {
                    /// Lists objects; with `limit`, one page (continue from `metadata.continue`).
                    #[inline]
                    pub fn list<'a>(&'a self, opts: &'a #rc::meta::ListOptions) -> impl std::future::Future<Output = Result<#rc::meta::List<#t>, #rc::Error>> + 'a {
                        self.0.list(opts)
                    }
                },
                Verb::Watch => quote! {
                    /// Watches for changes, from `resource_version` when set.
                    #[inline]
                    pub fn watch<'a>(&'a self, opts: &'a #rc::meta::ListOptions) -> impl std::future::Future<Output = Result<#rc::WatchStream<#t>, #rc::Error>> + 'a {
                        self.0.watch(opts)
                    }
                },
                Verb::Create => quote! {
                    /// Creates the object.
                    #[inline]
                    pub fn create<'a>(&'a self, obj: &'a #t, opts: &'a #rc::meta::CreateOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.create(obj, opts)
                    }
                },
                Verb::Update => quote! {
                    /// Replaces the object named by its metadata (`resource_version` guards conflicts).
                    #[inline]
                    pub fn update<'a>(&'a self, obj: &'a #t, opts: &'a #rc::meta::UpdateOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.update(obj, opts)
                    }
                },
                Verb::Patch => quote! {
                    /// Patches the named object (JSON, merge, strategic merge or apply patch).
                    #[inline]
                    pub fn patch<'a, P: serde::Serialize>(&'a self, name: &'a str, patch: &'a #rc::meta::Patch<P>, opts: &'a #rc::meta::PatchOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.patch(name, patch, opts)
                    }
                },
                Verb::Apply => quote! {
                    /// Server-side apply of the fields `obj` sets, owned by `opts.field_manager`.
                    #[inline]
                    pub fn apply<'a, P: serde::Serialize>(&'a self, name: &'a str, obj: &'a P, opts: &'a #rc::meta::ApplyOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.apply(name, obj, opts)
                    }
                },
                Verb::Delete => quote! {
                    /// Deletes the named object: the object while it finalizes, or a `Status` once gone.
                    #[inline]
                    pub fn delete<'a>(&'a self, name: &'a str, opts: &'a #rc::meta::DeleteOptions) -> impl std::future::Future<Output = Result<#rc::Deleted<#t>, #rc::Error>> + 'a {
                        self.0.delete(name, opts)
                    }
                },
                Verb::DeleteCollection => quote! {
                    /// Deletes every object `list` selects.
                    #[inline]
                    pub fn delete_collection<'a>(&'a self, opts: &'a #rc::meta::DeleteOptions, list: &'a #rc::meta::ListOptions) -> impl std::future::Future<Output = Result<#rc::meta::List<#t>, #rc::Error>> + 'a {
                        self.0.delete_collection(opts, list)
                    }
                },
                Verb::Connect => continue,
            };
            methods.push(m);
        }
        for sub in r.subresources.values() {
            methods.extend(self.subresource_methods(group, r, sub, &t, module));
        }
        quote! {
            #doc
            #[derive(Clone, Debug)]
            pub struct #rname(pub #rc::ResourceClient<#t>);
            impl #rname {
                #(#methods)*
            }
        }
    }

    /// The methods of one subresource: `get_<sub>`, `create_<sub>`, `update_<sub>`,
    /// `patch_<sub>`, or `<sub>_stream` for text; `status` uses the engine's own calls
    /// (`update_status`, `patch_status`, `apply_status`).
    fn subresource_methods(
        &self,
        group: &str,
        r: &Resource,
        sub: &Subresource,
        t: &TokenStream,
        module: &[String],
    ) -> Vec<TokenStream> {
        let rc = &self.rest_core;
        let s = names::subresource(&sub.name);
        let name_lit = &sub.name;
        let request_ty = sub.request.clone().unwrap_or_else(|| r.object.clone());
        let body = self.ty(&request_ty, module);
        let mut used = vec![request_ty.clone()];
        let out = match &sub.response {
            Payload::Object(ty) => {
                used.push(ty.clone());
                self.ty(ty, module)
            }
            Payload::Text => quote!(#rc::ByteStream),
        };
        let params = match &sub.params {
            Some(ty) => {
                used.push(ty.clone());
                self.ty(ty, module)
            }
            None => quote!(#rc::meta::GetOptions),
        };
        let is_status = sub.name == "status"
            && sub.response == Payload::Object(r.object.clone())
            && request_ty == r.object;
        let mut methods = Vec::new();
        for verb in &sub.verbs {
            let m = match (verb, &sub.response) {
                (Verb::Get, Payload::Text) => {
                    let m = ident(&format!("{s}_stream"));
                    let doc = self.doc(Some(&format!("Streams the `{name_lit}` subresource.")));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a>(&'a self, name: &'a str, params: &'a #params) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.stream_subresource(#name_lit, name, params)
                        }
                    }
                }
                (Verb::Get, _) => {
                    let m = ident(&format!("get_{s}"));
                    let doc = self.doc(Some(&format!("Reads the `{name_lit}` subresource.")));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a>(&'a self, name: &'a str, params: &'a #params) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.get_subresource(#name_lit, name, params)
                        }
                    }
                }
                (Verb::Update, _) if is_status => quote! {
                    /// Replaces the status of the object named by its metadata.
                    #[inline]
                    pub fn update_status<'a>(&'a self, obj: &'a #t, opts: &'a #rc::meta::UpdateOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.update_status(obj, opts)
                    }
                },
                (Verb::Patch, _) if is_status => quote! {
                    /// Patches the status of the named object.
                    #[inline]
                    pub fn patch_status<'a, P: serde::Serialize>(&'a self, name: &'a str, patch: &'a #rc::meta::Patch<P>, opts: &'a #rc::meta::PatchOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.patch_status(name, patch, opts)
                    }
                },
                (Verb::Apply, _) if is_status => quote! {
                    /// Server-side apply of the status fields `obj` sets, owned by `opts.field_manager`.
                    #[inline]
                    pub fn apply_status<'a, P: serde::Serialize>(&'a self, name: &'a str, obj: &'a P, opts: &'a #rc::meta::ApplyOptions) -> impl std::future::Future<Output = Result<#t, #rc::Error>> + 'a {
                        self.0.apply_status(name, obj, opts)
                    }
                },
                (Verb::Create, Payload::Object(_)) => {
                    let m = ident(&format!("create_{s}"));
                    let doc = self.doc(Some(&format!("Posts to the `{name_lit}` subresource.")));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a>(&'a self, name: &'a str, body: &'a #body, opts: &'a #rc::meta::CreateOptions) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.create_subresource(#name_lit, name, body, opts)
                        }
                    }
                }
                (Verb::Update, Payload::Object(_)) => {
                    let m = ident(&format!("update_{s}"));
                    let doc = self.doc(Some(&format!("Replaces the `{name_lit}` subresource.")));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a>(&'a self, name: &'a str, body: &'a #body, opts: &'a #rc::meta::UpdateOptions) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.update_subresource(#name_lit, name, body, opts)
                        }
                    }
                }
                (Verb::Patch, Payload::Object(_)) => {
                    let m = ident(&format!("patch_{s}"));
                    let doc = self.doc(Some(&format!("Patches the `{name_lit}` subresource.")));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a, P: serde::Serialize>(&'a self, name: &'a str, patch: &'a #rc::meta::Patch<P>, opts: &'a #rc::meta::PatchOptions) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.patch_subresource(#name_lit, name, patch, opts)
                        }
                    }
                }
                (Verb::Apply, Payload::Object(_)) => {
                    let m = ident(&format!("apply_{s}"));
                    let doc = self.doc(Some(&format!(
                        "Server-side apply of the `{name_lit}` fields `obj` sets, owned by `opts.field_manager`."
                    )));
                    quote! {
                        #doc
                        #[inline]
                    pub fn #m<'a, P: serde::Serialize>(&'a self, name: &'a str, obj: &'a P, opts: &'a #rc::meta::ApplyOptions) -> impl std::future::Future<Output = Result<#out, #rc::Error>> + 'a {
                            self.0.apply_subresource(#name_lit, name, obj, opts)
                        }
                    }
                }
                // Streaming upgrades (exec, attach, proxy): no engine call yet.
                _ => continue,
            };
            methods.push(m);
        }
        match self.cfg_for(group, &used) {
            Some(cfg) => methods.into_iter().map(|m| quote!(#cfg #m)).collect(),
            None => methods,
        }
    }
}
