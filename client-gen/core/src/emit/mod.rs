//! The one emitter: a finished model to formatted Rust source (quote, then prettyplease),
//! laid out as a crate tree or a single file. Same model and settings, same bytes.

mod client;
mod clientset;
mod enums;
mod plain;
mod protobuf;
mod rust_names;
mod serde_impls;
mod types;
mod unions;
mod untyped;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::Error;
use crate::model::{ApiSet, ModuleKey, Ty, TypeId};
use crate::names;
use crate::output::Output;
use crate::settings::{Layout, Settings};

pub use rust_names::{resource_names, ClientNames, ResourceNames};

/// An identifier token. Callers pass names the `names` rules made valid; anything else is
/// made valid here rather than panicking inside `proc_macro2`.
pub(crate) fn ident(name: &str) -> Ident {
    if names::is_identifier(name) {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new(&names::snake(name), Span::call_site())
    }
}

/// A `#[doc]` attribute holding `text` verbatim.
pub(crate) fn doc_attr(text: &str) -> TokenStream {
    quote!(#[doc = #text])
}

/// The short form of a description: its first paragraph on one line, or its first sentence
/// when that is too long, cut at `max` bytes at worst.
pub fn summary(description: &str, max: usize) -> String {
    let paragraph = description.split("\n\n").next().unwrap_or("");
    let mut text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() > max {
        if let Some(end) = text.find(". ") {
            text.truncate(end + 1);
        }
    }
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[..cut].rfind(' ').unwrap_or(cut);
        text.truncate(cut);
        text.push_str(" ...");
    }
    // A fence would open a doctest; indentation is already gone.
    text.replace("```", "'''")
}

/// State shared by the emitter's parts.
pub(crate) struct Emitter<'a> {
    pub set: &'a ApiSet,
    pub settings: &'a Settings,
    pub rest_core: TokenStream,
    group_modules: BTreeMap<String, String>,
    /// Per group, the groups its feature turns on.
    feature_deps: BTreeMap<String, BTreeSet<String>>,
    defaults: RefCell<BTreeMap<TypeId, bool>>,
    /// Per definition: whether it holds a `Ty::Rust` (whose traits are unknown).
    opaque: RefCell<BTreeMap<TypeId, bool>>,
    /// `Settings::extra_derives`, parsed.
    pub extra_derives: Vec<syn::Path>,
    /// Served kinds that write their own `apiVersion` and `kind` (`TypeMeta::Constant`).
    pub constant_kinds: BTreeMap<TypeId, crate::model::Gvk>,
    /// `Settings::extern_groups`, parsed: group -> module path in the other crate.
    extern_paths: BTreeMap<String, syn::Path>,
    /// Types that get a protobuf codec (see `protobuf.rs`); empty without `.proto` input.
    pub proto_supported: BTreeSet<TypeId>,
}

/// Emits the whole model.
pub fn emit(set: &ApiSet, settings: &Settings) -> Result<Output, Error> {
    Emitter::new(set, settings)?.output()
}

/// The items of one group/version module as tokens, unformatted and unwrapped: its types,
/// `Resource` impls and typed resource clients, without the group client or a `Clientset`.
/// For `#[derive(Resource)]`, which places them in the user's own module (where two derives
/// of one group/version must not both define the group client).
pub fn module_tokens(
    set: &ApiSet,
    settings: &Settings,
    key: &ModuleKey,
) -> Result<TokenStream, Error> {
    let emitter = Emitter::new(set, settings)?;
    let defs: Vec<&crate::model::TypeDef> =
        set.types.values().filter(|d| d.module == *key).collect();
    let (items, proto) = emitter.module_items(key, &defs, false);
    let proto = proto.map(|p| quote! { #[cfg(feature = "protobuf")] mod protobuf { #p } });
    Ok(quote! { #items #proto })
}

impl<'a> Emitter<'a> {
    fn new(set: &'a ApiSet, settings: &'a Settings) -> Result<Self, Error> {
        let settings_error = |what: &str, text: &str, e: syn::Error| Error::Emit {
            module: "settings".to_owned(),
            message: format!("{what} {text:?}: {e}"),
        };
        let rest_core: syn::Path = syn::parse_str(&settings.rest_core)
            .map_err(|e| settings_error("rest_core path", &settings.rest_core, e))?;
        let extra_derives = settings
            .extra_derives
            .iter()
            .map(|d| syn::parse_str(d).map_err(|e| settings_error("extra derive", d, e)))
            .collect::<Result<Vec<syn::Path>, Error>>()?;
        let extern_paths = settings
            .extern_groups
            .iter()
            .map(|e| {
                syn::parse_str::<syn::Path>(&e.path)
                    .map(|path| (e.group.clone(), path))
                    .map_err(|err| settings_error("extern group path", &e.path, err))
            })
            .collect::<Result<BTreeMap<String, syn::Path>, Error>>()?;
        let mut constant_kinds = BTreeMap::new();
        if settings.type_meta == crate::settings::TypeMeta::Constant {
            for (_, _, r) in set.resources() {
                if let Ty::Named(id) = &r.object {
                    if let Some(gvk) = set.types.get(id).and_then(|d| d.gvk.clone()) {
                        constant_kinds.insert(id.clone(), gvk);
                    }
                }
            }
        }
        let mut emitter = Emitter {
            set,
            settings,
            rest_core: quote!(#rest_core),
            group_modules: group_modules(set, settings),
            feature_deps: BTreeMap::new(),
            defaults: RefCell::new(BTreeMap::new()),
            opaque: RefCell::new(BTreeMap::new()),
            extra_derives,
            constant_kinds,
            extern_paths,
            proto_supported: BTreeSet::new(),
        };
        emitter.feature_deps = emitter.compute_feature_deps();
        emitter.proto_supported = emitter.compute_proto_supported();
        Ok(emitter)
    }
}

/// Module identifier of every group this crate emits: its first label, or the whole name when
/// two groups share a first label. Extern groups are not emitted here, so they take no name.
fn group_modules(set: &ApiSet, settings: &Settings) -> BTreeMap<String, String> {
    let mut groups: BTreeSet<String> = set.groups.keys().cloned().collect();
    groups.extend(set.types.values().map(|t| t.module.group.clone()));
    groups.retain(|g| settings.extern_group(g).is_none_or(|e| e.reexport));
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for g in &groups {
        *count.entry(names::group_module(g)).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|g| {
            let short = names::group_module(&g);
            let name = if count[&short] > 1 {
                names::group_module_long(&g)
            } else {
                short
            };
            (g, name)
        })
        .collect()
}

impl Emitter<'_> {
    pub(crate) fn group_module(&self, group: &str) -> String {
        self.group_modules
            .get(group)
            .cloned()
            .unwrap_or_else(|| names::group_module(group))
    }

    /// The module path of a group whose types another crate has.
    pub(crate) fn extern_path(&self, group: &str) -> Option<&syn::Path> {
        self.extern_paths.get(group)
    }

    /// Whether `group` is another crate's and not part of this one's API at all.
    fn extern_only(&self, group: &str) -> bool {
        self.settings
            .extern_group(group)
            .is_some_and(|e| !e.reexport)
    }

    /// Module path of a group/version (`["apps", "v1"]`).
    pub(crate) fn module_path(&self, key: &ModuleKey) -> Vec<String> {
        let mut path = vec![self.group_module(&key.group)];
        if !key.version.is_empty() {
            path.push(names::version_module(&key.version));
        }
        path
    }

    /// `(group, version)` of every version that serves resources.
    pub(crate) fn served_versions(&self) -> Vec<(&str, &str)> {
        if !self.settings.clients {
            return Vec::new();
        }
        self.set
            .groups
            .values()
            .filter(|g| !self.extern_only(&g.name))
            .flat_map(|g| {
                g.versions
                    .values()
                    .filter(|v| !v.resources.is_empty())
                    .map(move |v| (g.name.as_str(), v.name.as_str()))
            })
            .collect()
    }

    /// `#[doc]` for a description, shortened per the settings.
    pub(crate) fn doc(&self, text: Option<&str>) -> TokenStream {
        let Some(text) = text else {
            return TokenStream::new();
        };
        if self.settings.max_doc_len == 0 {
            return TokenStream::new();
        }
        let short = summary(text, self.settings.max_doc_len);
        if short.is_empty() {
            return TokenStream::new();
        }
        doc_attr(&format!(" {short}"))
    }

    /// `#[cfg(feature = "<group>")]` when groups are feature-gated.
    pub(crate) fn group_cfg(&self, group: &str) -> Option<TokenStream> {
        self.settings.feature_gates.then(|| {
            let feature = self.group_module(group);
            quote!(#[cfg(feature = #feature)])
        })
    }

    /// A `cfg` for an item of `group` that uses `tys`: needed when one of them lives in a
    /// group whose feature `group`'s does not turn on.
    pub(crate) fn cfg_for(&self, group: &str, tys: &[Ty]) -> Option<TokenStream> {
        if !self.settings.feature_gates {
            return None;
        }
        let mut needed = BTreeSet::new();
        for ty in tys {
            ty.visit_named(&mut |id| {
                if let Some(def) = self.set.types.get(id) {
                    needed.insert(def.module.group.clone());
                }
            });
        }
        let deps = self.feature_deps.get(group);
        let missing: Vec<String> = needed
            .into_iter()
            .filter(|g| g != group && !deps.is_some_and(|d| d.contains(g)))
            .filter(|g| !self.extern_only(g))
            .map(|g| self.group_module(&g))
            .collect();
        match missing.as_slice() {
            [] => None,
            [one] => Some(quote!(#[cfg(feature = #one)])),
            many => Some(quote!(#[cfg(all(#(feature = #many),*))])),
        }
    }

    /// Which groups each group's feature must turn on: the groups its types refer to, plus
    /// the groups its clients' subresources use unless that would make features cyclic (those
    /// methods get their own `cfg` instead).
    fn compute_feature_deps(&self) -> BTreeMap<String, BTreeSet<String>> {
        let group_of = |id: &TypeId| self.set.types.get(id).map(|d| d.module.group.clone());
        let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for g in self.group_modules.keys() {
            deps.entry(g.clone()).or_default();
        }
        for def in self.set.types.values() {
            if self.extern_only(&def.module.group) {
                continue;
            }
            for target in def.references() {
                if let Some(tg) = group_of(&target) {
                    if tg != def.module.group {
                        deps.entry(def.module.group.clone()).or_default().insert(tg);
                    }
                }
            }
        }
        let mut soft = BTreeSet::new();
        for (g, _, r) in self.set.resources() {
            if self.extern_only(&g.name) {
                continue;
            }
            let mut tys = vec![r.object.clone()];
            for sub in r.subresources.values() {
                tys.extend(sub.request.clone());
                tys.extend(sub.params.clone());
                if let crate::model::Payload::Object(ty) = &sub.response {
                    tys.push(ty.clone());
                }
            }
            for ty in tys {
                ty.visit_named(&mut |id| {
                    if let Some(tg) = group_of(id) {
                        if tg != g.name {
                            soft.insert((g.name.clone(), tg));
                        }
                    }
                });
            }
        }
        for (from, to) in soft {
            if !reaches(&deps, &to, &from) {
                deps.entry(from).or_default().insert(to);
            }
        }
        deps
    }

    /// `[features]` entries: one per group, listing the features it turns on (for an extern
    /// group, its feature in the other crate), `full` for all of them, and `protobuf`.
    fn features(&self) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for (group, deps) in &self.feature_deps {
            let mut list: Vec<String> = deps
                .iter()
                .filter_map(|d| match self.settings.extern_group(d) {
                    Some(e) if !e.reexport => e.feature.clone(),
                    _ => Some(self.group_module(d)),
                })
                .collect();
            // A re-exported group's feature turns it on in its own crate.
            if let Some(e) = self.settings.extern_group(group) {
                list.extend(e.feature.clone());
            }
            list.sort();
            out.insert(self.group_module(group), list);
        }
        // `full`: every group, as tokio's and kube's `full` (unless a group has that name).
        if !out.is_empty() && !out.contains_key("full") {
            let every: Vec<String> = out.keys().cloned().collect();
            out.insert("full".to_owned(), every);
        }
        if !self.proto_supported.is_empty() {
            out.insert("protobuf".to_owned(), self.protobuf_feature());
        }
        out
    }

    /// The `protobuf` feature: rest-core's (its package named as the path, `-` for `_`)
    /// and the extern crates' own.
    fn protobuf_feature(&self) -> Vec<String> {
        let root = self.settings.rest_core.trim_start_matches("::");
        let package = root.split("::").next().unwrap_or(root).replace('_', "-");
        let mut list = BTreeSet::from([format!("{package}/protobuf")]);
        for e in &self.settings.extern_groups {
            if let Some((krate, _)) = e.feature.as_deref().and_then(|f| f.split_once('/')) {
                list.insert(format!("{krate}/protobuf"));
            }
        }
        list.into_iter().collect()
    }

    /// Items of one group/version module: its types, `Resource` impls and clients (the group
    /// client too when `group_client`).
    fn module_items(
        &self,
        key: &ModuleKey,
        defs: &[&crate::model::TypeDef],
        group_client: bool,
    ) -> (TokenStream, Option<TokenStream>) {
        let path = self.module_path(key);
        let mut defs = defs.to_vec();
        defs.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let mut taken: BTreeSet<String> = defs.iter().map(|d| d.rust_name.clone()).collect();
        taken.insert(self.group_client_name(&key.group, &key.version));
        let types = defs.iter().map(|d| self.type_def(d, &path));
        let version = self
            .set
            .groups
            .get(&key.group)
            .and_then(|g| g.versions.get(&key.version))
            .filter(|v| !v.resources.is_empty() && self.settings.clients);
        let mut impls = Vec::new();
        let mut clients = TokenStream::new();
        if let Some(version) = version {
            // A user's own type (`Ty::Rust`) brings its own `Resource` impl.
            for r in self.client_resources(version) {
                if !matches!(r.object, Ty::Rust(_)) {
                    impls.push(self.resource_impl(&key.group, &key.version, r, &path));
                }
            }
            clients = self.clients(&key.group, version, &path, &taken, group_client);
        }
        if let Some(api) = self.set.plain.get(&key.group) {
            if key.version.is_empty() && self.settings.clients {
                clients.extend(self.plain_clients(api, &path, &taken));
            }
        }
        let proto = self.proto_module(&defs, &path, group_client);
        (quote! { #(#types)* #(#impls)* #clients }, proto)
    }

    fn module_doc(&self, key: &ModuleKey) -> String {
        if let Some(doc) = self.plain_doc(&key.group) {
            return doc;
        }
        match (key.group.as_str(), key.version.as_str()) {
            ("", v) => format!(" Types and clients of the core API, `{v}`."),
            (g, "") => format!(" Types of `{g}`."),
            (g, v) => format!(" Types and clients of `{g}/{v}`."),
        }
    }

    /// The doc of a plain API's module: what it is, and that it is no Kubernetes group.
    fn plain_doc(&self, group: &str) -> Option<String> {
        let api = self.set.plain.get(group)?;
        let title = if api.title.is_empty() {
            group
        } else {
            &api.title
        };
        Some(format!(
            " The `{title}` API: types and clients from a plain OpenAPI document (not a \
             Kubernetes API group)."
        ))
    }

    /// Lints generated code trips by design: Kubernetes names (`JSON`), enum values that
    /// share a prefix, descriptions that are not rustdoc markdown.
    fn lint_allows(&self) -> TokenStream {
        quote! {
            #[allow(
                clippy::upper_case_acronyms,
                clippy::enum_variant_names,
                rustdoc::bare_urls,
                rustdoc::broken_intra_doc_links,
                rustdoc::invalid_html_tags
            )]
        }
    }

    fn output(&self) -> Result<Output, Error> {
        let mut modules: BTreeMap<ModuleKey, Vec<&crate::model::TypeDef>> = BTreeMap::new();
        for key in self.set.modules() {
            modules.entry(key).or_default();
        }
        for (key, defs) in types::by_module(&self.set.types) {
            modules.insert(key, defs);
        }
        // Another crate has these; a re-exported group is one `pub use` at the root.
        modules.retain(|key, _| self.extern_path(&key.group).is_none());
        let mut root_mods = Vec::new();
        for e in self.settings.extern_groups.iter().filter(|e| e.reexport) {
            if let (Some(path), Some(gm)) =
                (self.extern_path(&e.group), self.group_modules.get(&e.group))
            {
                let cfg = self.group_cfg(&e.group);
                let last = path.segments.last().map(|s| s.ident.to_string());
                if last.as_deref() == Some(gm.as_str()) {
                    root_mods.push(quote! { #cfg pub use #path; });
                } else {
                    let gm = ident(gm);
                    root_mods.push(quote! { #cfg pub use #path as #gm; });
                }
            }
        }
        // group -> [(version module, doc, items)]
        let mut groups: BTreeMap<String, Vec<(ModuleKey, TokenStream, Option<TokenStream>)>> =
            BTreeMap::new();
        for (key, defs) in &modules {
            let (items, proto) = self.module_items(key, defs, true);
            groups
                .entry(key.group.clone())
                .or_default()
                .push((key.clone(), items, proto));
        }
        let mut output = Output {
            warnings: self.set.warnings.clone(),
            ..Output::default()
        };
        let mut proto_modules = Vec::new();
        for (group, versions) in &groups {
            let gm = ident(&self.group_module(group));
            let cfg = self.group_cfg(group);
            let allows = self.lint_allows();
            let gdoc = if let Some(doc) = self.plain_doc(group) {
                doc
            } else if group.is_empty() {
                " The core API group.".to_owned()
            } else {
                format!(" The `{group}` API group.")
            };
            let mut version_mods = Vec::new();
            for (key, items, proto) in versions {
                if proto.is_some() {
                    let path = if key.version.is_empty() {
                        quote!(#gm)
                    } else {
                        let vm = ident(&names::version_module(&key.version));
                        quote!(#gm::#vm)
                    };
                    proto_modules.push((cfg.clone(), path));
                }
                let vdoc = self.module_doc(key);
                let inline_proto = |proto: &Option<TokenStream>| {
                    proto.as_ref().map(|p| {
                        quote! { #[cfg(feature = "protobuf")] pub mod protobuf { #p } }
                    })
                };
                if key.version.is_empty() {
                    let proto = inline_proto(proto);
                    version_mods.push(quote! { #items #proto });
                    continue;
                }
                let vm = ident(&names::version_module(&key.version));
                match self.settings.layout {
                    Layout::Tree => {
                        // The codecs in a file of their own, only read with the feature.
                        let proto_mod = proto.as_ref().map(|p| {
                            (
                                quote! { #[cfg(feature = "protobuf")] pub mod protobuf; },
                                quote! {
                                    //! Protobuf codecs of the module's types (feature `protobuf`).
                                    #p
                                },
                            )
                        });
                        let proto_decl = proto_mod.as_ref().map(|(decl, _)| decl.clone());
                        if let Some((_, file)) = proto_mod {
                            let path = format!("{gm}/{vm}/protobuf.rs");
                            output
                                .files
                                .insert(path.clone().into(), self.format(&path, file)?);
                        }
                        let file = quote! { #![doc = #vdoc] #items #proto_decl };
                        let path = format!("{gm}/{vm}.rs");
                        output
                            .files
                            .insert(path.clone().into(), self.format(&path, file)?);
                        version_mods.push(quote! { pub mod #vm; });
                    }
                    Layout::SingleFile => {
                        let proto = inline_proto(proto);
                        version_mods.push(quote! { #[doc = #vdoc] pub mod #vm { #items #proto } });
                    }
                }
            }
            match self.settings.layout {
                Layout::Tree => {
                    let file = quote! { #![doc = #gdoc] #(#version_mods)* };
                    let path = format!("{gm}/mod.rs");
                    output
                        .files
                        .insert(path.clone().into(), self.format(&path, file)?);
                    let skip = self.settings.rustfmt_skip.then(|| quote!(#[rustfmt::skip]));
                    root_mods.push(quote! { #cfg #allows #skip pub mod #gm; });
                }
                Layout::SingleFile => {
                    root_mods.push(
                        quote! { #cfg #allows #[doc = #gdoc] pub mod #gm { #(#version_mods)* } },
                    );
                }
            }
        }
        let mut clientset = if self.settings.clients {
            self.clientset()
        } else {
            TokenStream::new()
        };
        if !self.proto_supported.is_empty() {
            clientset.extend(self.transcoders_fn(&proto_modules));
        }
        if self.settings.serde == crate::settings::SerdeStyle::Compact {
            clientset.extend(self.compact_support());
        }
        match self.settings.layout {
            Layout::Tree => {
                let skip = self
                    .settings
                    .rustfmt_skip
                    .then(|| quote!(#![cfg_attr(rustfmt, rustfmt::skip)]));
                let doc = rust_names::crate_doc(self.set, self.settings)?;
                let file = quote! {
                    #skip
                    #(#![doc = #doc])*
                    #(#root_mods)*
                    #clientset
                };
                output
                    .files
                    .insert("lib.rs".into(), self.format("lib.rs", file)?);
            }
            Layout::SingleFile => {
                let file = quote! { #(#root_mods)* #clientset };
                output
                    .files
                    .insert("generated.rs".into(), self.format("generated.rs", file)?);
            }
        }
        if self.settings.feature_gates {
            output.features = self.features();
        }
        Ok(output)
    }

    /// Pretty-prints one file, header first.
    fn format(&self, path: &str, tokens: TokenStream) -> Result<String, Error> {
        let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit {
            module: path.to_owned(),
            message: e.to_string(),
        })?;
        let body = prettyplease::unparse(&file);
        Ok(format!("{}\n{body}", self.settings.header))
    }
}

/// Whether `to` is reachable from `from` in the dependency graph.
fn reaches(deps: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(next) = todo.pop() {
        if next == to {
            return true;
        }
        if seen.insert(next.clone()) {
            todo.extend(deps.get(&next).into_iter().flatten().cloned());
        }
    }
    false
}
