//! Protobuf codecs of generated structs: `impl rest_core::protobuf::Message`, behind the
//! generated crate's `protobuf` feature, from the numbers the `.proto` front end attached.
//! A type gets one only when every field has a number and an encodable type (else none).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{Field, Shape, Ty, TypeDef, TypeId};
use crate::proto::{ProtoField, ProtoLabel, ProtoType, REST_CORE_CODECS};

/// A field with its number, as the codec sees it.
struct Slot<'a> {
    field: &'a Field,
    proto: &'a ProtoField,
}

impl Emitter<'_> {
    /// The fields a struct's codec covers: the Rust struct's, less the envelope's type fields.
    fn proto_fields<'a>(&self, def: &TypeDef, fields: &'a [Field]) -> Vec<&'a Field> {
        fields
            .iter()
            .filter(|f| {
                !(def.gvk.is_some() && (f.json_name == "apiVersion" || f.json_name == "kind"))
            })
            .collect()
    }

    /// Every type that gets a codec: attached, every field numbered and of an encodable type,
    /// referring only to types that get one too (the largest such set).
    pub(crate) fn compute_proto_supported(&self) -> BTreeSet<TypeId> {
        let mut supported: BTreeSet<TypeId> = self
            .set
            .proto
            .iter()
            .filter(|(id, message)| {
                let Some(def) = self.set.types.get(*id) else {
                    return false;
                };
                let Shape::Struct(fields) = &def.shape else {
                    return false;
                };
                self.has_default(id)
                    && self
                        .proto_fields(def, fields)
                        .iter()
                        .all(|f| !f.flatten && message.fields.contains_key(&f.json_name))
            })
            .map(|(id, _)| id.clone())
            .collect();
        loop {
            let drop: Vec<TypeId> = supported
                .iter()
                .filter(|id| {
                    let def = &self.set.types[*id];
                    let Shape::Struct(fields) = &def.shape else {
                        return true;
                    };
                    let message = &self.set.proto[*id];
                    !self.proto_fields(def, fields).iter().all(|f| {
                        let proto = &message.fields[&f.json_name];
                        self.field_encodable(f, proto, &supported)
                    })
                })
                .cloned()
                .collect();
            if drop.is_empty() {
                return supported;
            }
            for id in drop {
                supported.remove(&id);
            }
        }
    }

    fn field_encodable(&self, f: &Field, proto: &ProtoField, supported: &BTreeSet<TypeId>) -> bool {
        match (&f.ty, proto.label) {
            (Ty::Vec(inner), ProtoLabel::Repeated) | (Ty::Map(inner), ProtoLabel::Map) => {
                !f.boxed && self.value_encodable(inner, &proto.ty, supported)
            }
            (ty, ProtoLabel::Optional) => {
                (!f.boxed || matches!(ty, Ty::Named(_)))
                    && self.value_encodable(ty, &proto.ty, supported)
            }
            _ => false,
        }
    }

    fn value_encodable(&self, ty: &Ty, proto: &ProtoType, supported: &BTreeSet<TypeId>) -> bool {
        match ty {
            Ty::Bool | Ty::I32 | Ty::I64 | Ty::String | Ty::Bytes => true,
            Ty::F64 => *proto == ProtoType::Double,
            Ty::Time | Ty::Quantity | Ty::IntOrString => true,
            Ty::Meta(name) => REST_CORE_CODECS.contains(&name.as_str()),
            Ty::Named(id) => supported.contains(id),
            // A Go named slice's wrapper message (`ExtraValue`: `repeated string items = 1`).
            Ty::Vec(inner) => **inner == Ty::String && matches!(proto, ProtoType::Message(_)),
            _ => false,
        }
    }

    /// The codecs of a module's types: a child module `protobuf` (its own file in the tree
    /// layout, so a build without the feature does not even parse them), or `None`.
    ///
    /// With `transcoders`, the module also lists its kinds as `TRANSCODERS` (which the crate's
    /// `transcoders()` gathers); `#[derive(Resource)]` has no use for the list.
    pub(crate) fn proto_module(
        &self,
        defs: &[&TypeDef],
        module: &[String],
        transcoders: bool,
    ) -> Option<TokenStream> {
        let mut child = module.to_vec();
        child.push("protobuf".to_owned());
        let impls: Vec<TokenStream> = defs
            .iter()
            .filter_map(|def| match &def.shape {
                Shape::Struct(fields) => Some(self.proto_impl(def, fields, &child)),
                _ => None,
            })
            .filter(|tokens| !tokens.is_empty())
            .collect();
        if impls.is_empty() {
            return None;
        }
        let list = transcoders.then(|| self.transcoder_list(defs, &child));
        Some(quote! { #list #(#impls)* })
    }

    /// `TRANSCODERS`: the module's kinds (types with a group/version/kind) that have a codec.
    fn transcoder_list(&self, defs: &[&TypeDef], module: &[String]) -> TokenStream {
        let rc = &self.rest_core;
        let entries = defs
            .iter()
            .filter(|def| self.proto_supported.contains(&def.id))
            .filter_map(|def| {
                let gvk = def.gvk.as_ref()?;
                let api_version = if gvk.group.is_empty() {
                    gvk.version.clone()
                } else {
                    format!("{}/{}", gvk.group, gvk.version)
                };
                let kind = &gvk.kind;
                let ty = self.type_path(&def.id, module);
                Some(quote! { #rc::protobuf::Transcoder::of::<#ty>(#api_version, #kind) })
            });
        quote! {
            /// The module's kinds, their protobuf codecs seen through JSON.
            pub const TRANSCODERS: &[#rc::protobuf::Transcoder] = &[#(#entries),*];
        }
    }

    /// The crate's `transcoders()`: every enabled group's `TRANSCODERS`, and those of the
    /// crates its extern groups live in. `modules` are the version modules' paths with their
    /// group's `cfg`.
    pub(crate) fn transcoders_fn(
        &self,
        modules: &[(Option<TokenStream>, TokenStream)],
    ) -> TokenStream {
        let rc = &self.rest_core;
        let own = modules.iter().map(
            |(cfg, path)| quote! { #cfg all.extend_from_slice(#path::protobuf::TRANSCODERS); },
        );
        let crates: BTreeSet<String> = self
            .settings
            .extern_groups
            .iter()
            .filter_map(|e| {
                e.feature
                    .as_deref()?
                    .split_once('/')
                    .map(|(k, _)| k.to_owned())
            })
            .collect();
        let externs = crates.iter().map(|k| {
            let k = ident(&k.replace('-', "_"));
            quote! { all.extend(#k::transcoders()); }
        });
        quote! {
            /// Every kind of the enabled groups with a protobuf codec, seen through JSON: for
            /// code that holds objects as JSON, such as a server or a proxy (feature `protobuf`).
            #[cfg(feature = "protobuf")]
            pub fn transcoders() -> Vec<#rc::protobuf::Transcoder> {
                #[allow(unused_mut)]
                let mut all = Vec::new();
                #(#own)*
                #(#externs)*
                all
            }
        }
    }

    /// The `Message` impl of a struct, or nothing when it has no codec; `module` is where
    /// the impl is written.
    fn proto_impl(&self, def: &TypeDef, fields: &[Field], module: &[String]) -> TokenStream {
        if !self.proto_supported.contains(&def.id) {
            return TokenStream::new();
        }
        let rc = &self.rest_core;
        let message = &self.set.proto[&def.id];
        let slots: Vec<Slot<'_>> = self
            .proto_fields(def, fields)
            .into_iter()
            .map(|field| Slot {
                field,
                proto: &message.fields[&field.json_name],
            })
            .collect();
        let name = self.type_path(&def.id, module);
        let name_text = &def.rust_name;
        let encode = self.encode_level(&slots, 0, module);
        let dispatch = self.decode_dispatch(&slots, 0, module);
        let type_meta = self.set_type_meta(def, fields);
        let finish = Self::finish(&slots);
        quote! {
            impl #rc::protobuf::Message for #name {
                const NAME: &'static str = #name_text;
                fn encode_fields(&self, w: &mut #rc::protobuf::Writer) -> Result<(), #rc::protobuf::EncodeError> {
                    #encode
                    Ok(())
                }
                fn merge_field(&mut self, f: #rc::protobuf::Field<'_>) -> Result<(), #rc::protobuf::DecodeError> {
                    #dispatch
                    Ok(())
                }
                #finish
                #type_meta
            }
        }
    }

    /// `Message::finish` for a struct with lists or maps: each gives back the room its
    /// growth left (a cached object keeps it as long as it lives); nothing otherwise.
    fn finish(slots: &[Slot<'_>]) -> TokenStream {
        let shrinks: Vec<TokenStream> = slots
            .iter()
            .filter(|s| {
                matches!(
                    (&s.field.ty, s.proto.label),
                    (Ty::Vec(_), ProtoLabel::Repeated) | (Ty::Map(_), ProtoLabel::Map)
                )
            })
            .map(|s| {
                let fname = ident(&s.field.rust_name);
                if s.field.required {
                    quote!(self.#fname.shrink_to_fit();)
                } else {
                    quote!(if let Some(v) = &mut self.#fname { v.shrink_to_fit(); })
                }
            })
            .collect();
        if shrinks.is_empty() {
            return TokenStream::new();
        }
        quote! {
            fn finish(&mut self) {
                #(#shrinks)*
            }
        }
    }

    fn set_type_meta(&self, def: &TypeDef, fields: &[Field]) -> TokenStream {
        if def.gvk.is_none() {
            return TokenStream::new();
        }
        let assign = |json: &str| {
            let field = fields
                .iter()
                .find(|f| f.json_name == json && f.ty == Ty::String)?;
            let fname = ident(&field.rust_name);
            let arg = ident(if json == "kind" {
                "kind"
            } else {
                "api_version"
            });
            Some(if field.required {
                quote!(self.#fname = #arg.to_owned();)
            } else {
                quote!(if !#arg.is_empty() { self.#fname = Some(#arg.to_owned()); })
            })
        };
        match (assign("apiVersion"), assign("kind")) {
            (Some(a), Some(k)) => quote! {
                fn set_type_meta(&mut self, api_version: &str, kind: &str) { #a #k }
            },
            _ => TokenStream::new(),
        }
    }

    /// Slots grouped at one embedding depth: a direct field, or the slots of one embedded
    /// message (by its field number), in field-number order.
    fn groups<'s, 'a>(slots: &'s [Slot<'a>], level: usize) -> BTreeMap<u32, Vec<&'s Slot<'a>>> {
        let mut out: BTreeMap<u32, Vec<&Slot<'a>>> = BTreeMap::new();
        for slot in slots {
            let key = slot
                .proto
                .embedded_in
                .get(level)
                .copied()
                .unwrap_or(slot.proto.number);
            out.entry(key).or_default().push(slot);
        }
        out
    }

    fn encode_level(&self, slots: &[Slot<'_>], level: usize, module: &[String]) -> TokenStream {
        let mut out = TokenStream::new();
        for (number, group) in Self::groups(slots, level) {
            let direct = group.len() == 1 && group[0].proto.embedded_in.len() == level;
            if direct {
                out.extend(self.encode_field(group[0], module));
            } else {
                let inner: Vec<Slot<'_>> = group
                    .iter()
                    .map(|s| Slot {
                        field: s.field,
                        proto: s.proto,
                    })
                    .collect();
                let body = self.encode_level(&inner, level + 1, module);
                // A Go struct embedded by value: always written, as Go does.
                out.extend(quote! { w.nested(#number, |w| { #body Ok(()) })?; });
            }
        }
        out
    }

    /// Reads field `f` into its slot: a `match` on its number (an `if` for one slot).
    fn decode_dispatch(&self, slots: &[Slot<'_>], level: usize, module: &[String]) -> TokenStream {
        let arms = self.decode_level(slots, level, module);
        if let [(number, body)] = arms.as_slice() {
            return quote! { if f.number == #number { #body } };
        }
        let arms = arms
            .iter()
            .map(|(number, body)| quote!(#number => { #body }));
        quote! {
            match f.number {
                #(#arms)*
                _ => {}
            }
        }
    }

    fn decode_level(
        &self,
        slots: &[Slot<'_>],
        level: usize,
        module: &[String],
    ) -> Vec<(u32, TokenStream)> {
        let rc = &self.rest_core;
        let mut out = Vec::new();
        for (number, group) in Self::groups(slots, level) {
            let direct = group.len() == 1 && group[0].proto.embedded_in.len() == level;
            if direct {
                out.push((number, self.decode_field(group[0], module)));
            } else {
                let inner: Vec<Slot<'_>> = group
                    .iter()
                    .map(|s| Slot {
                        field: s.field,
                        proto: s.proto,
                    })
                    .collect();
                let dispatch = self.decode_dispatch(&inner, level + 1, module);
                out.push((
                    number,
                    quote! {
                        let mut reader = #rc::protobuf::Reader::new(f.bytes()?);
                        while let Some(f) = reader.next_field()? {
                            #dispatch
                        }
                    },
                ));
            }
        }
        out
    }

    /// Statements writing one occurrence of a value: `v` is an expression of type `&T`,
    /// `copied` one of type `T` (for the scalars that are `Copy`).
    fn encode_value(&self, ty: &Ty, n: u32, v: TokenStream, copied: TokenStream) -> TokenStream {
        let rc = &self.rest_core;
        match ty {
            Ty::String => quote!(w.string(#n, #v);),
            Ty::Bytes => quote!(w.bytes(#n, &#rc::protobuf::text_to_bytes(#v)?);),
            Ty::Bool => quote!(w.bool(#n, #copied);),
            Ty::I32 => quote!(w.int32(#n, #copied);),
            Ty::I64 => quote!(w.int64(#n, #copied);),
            Ty::F64 => quote!(w.double(#n, #copied);),
            Ty::Vec(_) => quote! {
                w.nested(#n, |w| {
                    for item in #v {
                        w.string(1, item);
                    }
                    Ok(())
                })?;
            },
            _ => quote!(w.message(#n, #v)?;),
        }
    }

    /// What Go writes for a plain (non-pointer) field left at its zero value.
    fn encode_zero(&self, ty: &Ty, n: u32) -> TokenStream {
        match ty {
            Ty::String => quote!(w.string(#n, "");),
            Ty::Bool => quote!(w.bool(#n, false);),
            Ty::I32 | Ty::I64 => quote!(w.int64(#n, 0);),
            Ty::F64 => quote!(w.double(#n, 0.0);),
            // Go writes a nil `[]byte` not at all.
            Ty::Bytes | Ty::Vec(_) => TokenStream::new(),
            _ => quote!(w.nested(#n, |_| Ok(()))?;),
        }
    }

    fn encode_field(&self, slot: &Slot<'_>, _module: &[String]) -> TokenStream {
        let f = slot.field;
        let n = slot.proto.number;
        let fname = ident(&f.rust_name);
        match (&f.ty, slot.proto.label) {
            (Ty::Vec(inner), _) | (Ty::Map(inner), ProtoLabel::Map)
                if slot.proto.label != ProtoLabel::Optional =>
            {
                let iter = if f.required {
                    quote!(&self.#fname)
                } else {
                    quote!(self.#fname.iter().flatten())
                };
                if slot.proto.label == ProtoLabel::Map {
                    let value = self.encode_value(inner, 2, quote!(v), quote!(*v));
                    quote! {
                        for (k, v) in #iter {
                            w.nested(#n, |w| {
                                w.string(1, k);
                                #value
                                Ok(())
                            })?;
                        }
                    }
                } else {
                    let value = self.encode_value(inner, n, quote!(v), quote!(*v));
                    quote! { for v in #iter { #value } }
                }
            }
            (ty, _) => {
                let deref = if f.boxed { quote!(&**v) } else { quote!(v) };
                if f.required {
                    let access = if f.boxed {
                        quote!(&*self.#fname)
                    } else {
                        quote!(&self.#fname)
                    };
                    return self.encode_value(ty, n, access, quote!(self.#fname));
                }
                let some = self.encode_value(ty, n, deref, quote!(*v));
                let none = self.encode_zero(ty, n);
                if slot.proto.pointer || none.is_empty() {
                    return quote! { if let Some(v) = &self.#fname { #some } };
                }
                quote! {
                    match &self.#fname {
                        Some(v) => { #some }
                        None => { #none }
                    }
                }
            }
        }
    }

    /// An expression reading one occurrence of a `T` from the field `f`.
    fn decode_value(&self, ty: &Ty, module: &[String]) -> TokenStream {
        let rc = &self.rest_core;
        match ty {
            Ty::String => quote!(f.string()?),
            Ty::Bytes => quote!(#rc::protobuf::bytes_to_text(f.bytes()?)?),
            Ty::Bool => quote!(f.bool()?),
            Ty::I32 => quote!(f.int32()?),
            Ty::I64 => quote!(f.int64()?),
            Ty::F64 => quote!(f.double()?),
            Ty::Vec(_) => quote! {{
                let mut items = Vec::new();
                let mut reader = #rc::protobuf::Reader::new(f.bytes()?);
                while let Some(f) = reader.next_field()? {
                    if f.number == 1 {
                        items.push(f.string()?);
                    }
                }
                items
            }},
            other => {
                let t = self.ty(other, module);
                quote!(f.message::<#t>()?)
            }
        }
    }

    fn decode_field(&self, slot: &Slot<'_>, module: &[String]) -> TokenStream {
        let rc = &self.rest_core;
        let f = slot.field;
        let fname = ident(&f.rust_name);
        let target = if f.required {
            quote!(self.#fname)
        } else {
            quote!(self.#fname.get_or_insert_default())
        };
        match (&f.ty, slot.proto.label) {
            (Ty::Vec(inner), ProtoLabel::Repeated) => {
                let value = self.decode_value(inner, module);
                quote!(#target.push(#value);)
            }
            (Ty::Map(inner), ProtoLabel::Map) => {
                let value = self.decode_value(inner, module);
                let t = self.ty(inner, module);
                quote! {
                    let (k, v) = f.map_entry()?;
                    let v: #t = match v {
                        Some(f) => #value,
                        // Go always writes the value; an empty one reads as its zero.
                        None => Default::default(),
                    };
                    #target.insert(k.to_owned(), v);
                }
            }
            (ty, _) => {
                let value = self.decode_value(ty, module);
                let boxed = |v: TokenStream| if f.boxed { quote!(Box::new(#v)) } else { v };
                if f.required {
                    let v = boxed(value);
                    return quote!(self.#fname = #v;);
                }
                // Go's zero time is JSON's `null`: `None`, pointer or not.
                if matches!(ty, Ty::Time) {
                    return quote!(self.#fname = #rc::protobuf::optional_time(&f)?;);
                }
                if *ty == Ty::Meta("MicroTime".to_owned()) {
                    return quote!(self.#fname = #rc::protobuf::optional_micro_time(&f)?;);
                }
                if slot.proto.pointer {
                    let v = boxed(value);
                    return quote!(self.#fname = Some(#v););
                }
                // A plain Go field always arrives; its zero is what `omitempty` JSON leaves out.
                match ty {
                    Ty::String => quote!(self.#fname = f.nonempty_string()?;),
                    Ty::I32 => quote!(self.#fname = f.nonzero_int32()?;),
                    Ty::I64 => quote!(self.#fname = f.nonzero_int64()?;),
                    Ty::Bool => quote!(self.#fname = f.bool()?.then_some(true);),
                    Ty::F64 => quote! {
                        let v = f.double()?;
                        self.#fname = (v != 0.0).then_some(v);
                    },
                    Ty::Bytes => quote! {
                        let b = f.bytes()?;
                        self.#fname = if b.is_empty() { None } else { Some(#rc::protobuf::bytes_to_text(b)?) };
                    },
                    _ => {
                        let v = boxed(value);
                        quote!(self.#fname = Some(#v);)
                    }
                }
            }
        }
    }
}
