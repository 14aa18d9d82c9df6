//! Compact serde impls (`SerdeStyle::Compact`): per struct one `Serialize` writing a map and
//! one `Deserialize` with a single map visitor; field names are resolved by one shared seed
//! over the struct's table of names, each field read or written by one call into the shared
//! `__de` module. Same JSON as the derive, far less code to type-check.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Emitter};
use crate::model::{Field, Gvk, Ty, TypeDef};

impl Emitter<'_> {
    /// A struct with plain derives and the compact serde impls.
    pub(crate) fn compact_struct_def(
        &self,
        def: &TypeDef,
        fields: &[Field],
        module: &[String],
    ) -> TokenStream {
        let name = ident(&def.rust_name);
        let doc = self.doc(def.doc.as_deref());
        let members = fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let fdoc = self.doc(f.doc.as_deref());
            let ty = self.field_ty(f, module);
            quote! { #fdoc pub #fname: #ty }
        });
        let derives = self.struct_derives(def, &[]);
        let ser = self.compact_serialize(&name, fields, self.constant_kinds.get(&def.id), module);
        let de = self.compact_deserialize(def, &name, fields, module);
        quote! {
            #doc
            #derives
            pub struct #name { #(#members,)* }
            #ser
            #de
        }
    }

    /// The member's Rust type: boxed and/or optional per the model.
    pub(crate) fn field_ty(&self, f: &Field, module: &[String]) -> TokenStream {
        let mut ty = self.ty(&f.ty, module);
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        if !f.required {
            ty = quote!(Option<#ty>);
        }
        ty
    }

    /// `Serialize` writing a map of the set fields, after the kind's constant `apiVersion`
    /// and `kind` when `type_meta` is given. With compact impls the entries go through the
    /// shared `__de::Map`, one plain call per field: a `?` per field (its `Try` desugaring,
    /// its error conversion) was most of what these impls cost to type-check.
    pub(crate) fn compact_serialize(
        &self,
        name: &proc_macro2::Ident,
        fields: &[Field],
        type_meta: Option<&Gvk>,
        module: &[String],
    ) -> TokenStream {
        let api_version_kind = type_meta.map(|gvk| {
            let api_version = if gvk.group.is_empty() {
                gvk.version.clone()
            } else {
                format!("{}/{}", gvk.group, gvk.version)
            };
            (api_version, gvk.kind.clone())
        });
        if self.settings.serde == crate::settings::SerdeStyle::Compact {
            let support = self.root_path("__de", module);
            let constants = api_version_kind.map(|(api_version, kind)| {
                quote! {
                    map.entry("apiVersion", #api_version);
                    map.entry("kind", #kind);
                }
            });
            let entries = fields.iter().map(|f| {
                let fname = ident(&f.rust_name);
                let json = &f.json_name;
                if f.flatten {
                    quote! { map.rest(&self.#fname); }
                } else if f.required {
                    quote! { map.entry(#json, &self.#fname); }
                } else {
                    quote! { map.optional(#json, &self.#fname); }
                }
            });
            let map_binding = if fields.is_empty() && constants.is_none() {
                quote!(map)
            } else {
                quote!(mut map)
            };
            return quote! {
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        let #map_binding = #support::map(serializer)?;
                        #constants
                        #(#entries)*
                        map.end()
                    }
                }
            };
        }
        let constants = api_version_kind.map(|(api_version, kind)| {
            quote! {
                map.serialize_entry("apiVersion", #api_version)?;
                map.serialize_entry("kind", #kind)?;
            }
        });
        let entries = fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let json = &f.json_name;
            if f.flatten {
                quote! { for (key, value) in &self.#fname { map.serialize_entry(key, value)?; } }
            } else if f.required {
                quote! { map.serialize_entry(#json, &self.#fname)?; }
            } else {
                quote! { if let Some(value) = &self.#fname { map.serialize_entry(#json, value)?; } }
            }
        });
        let map_binding = if fields.is_empty() && constants.is_none() {
            quote!(map)
        } else {
            quote!(mut map)
        };
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap as _;
                    let #map_binding = serializer.serialize_map(None)?;
                    #constants
                    #(#entries)*
                    map.end()
                }
            }
        }
    }

    fn compact_deserialize(
        &self,
        def: &TypeDef,
        name: &proc_macro2::Ident,
        fields: &[Field],
        module: &[String],
    ) -> TokenStream {
        let expecting = format!("a {}", def.rust_name);
        // Table order is JSON-name order, so the output does not depend on field order.
        let mut order: Vec<usize> = (0..fields.len()).filter(|i| !fields[*i].flatten).collect();
        order.sort_by(|a, b| fields[*a].json_name.cmp(&fields[*b].json_name));
        let table: Vec<&String> = order.iter().map(|i| &fields[*i].json_name).collect();
        let seed = self.root_path("__de", module);
        // A struct keeping unknown members resolves names with `Keys`, which hands an
        // unknown name back for the map instead of skipping its value.
        let rest = fields.iter().find(|f| f.flatten);
        let (key_seed, known) = match rest {
            Some(_) => (quote!(#seed::Keys), quote!(Ok)),
            None => (quote!(#seed::Field), quote!(Some)),
        };
        let rest_arm = |slot: TokenStream| match rest {
            Some(_) => quote! {
                Ok(_) => #seed::skip(&mut map),
                Err(name) => #seed::rest(&mut map, name, #slot),
            },
            None => quote!(_ => #seed::skip(&mut map),),
        };
        // A struct with `Default` is read in place: one local instead of one per field (the
        // locals, their drops and their moves into the struct were most of these impls' MIR),
        // and a flag per required field to report it missing.
        if self.has_default(&def.id) {
            let flags = fields
                .iter()
                .filter(|f| f.required && !f.default_if_missing)
                .map(|f| {
                    let flag = seen_flag(f);
                    quote! { let mut #flag = false; }
                });
            let arms = order.iter().enumerate().map(|(index, i)| {
                let f = &fields[*i];
                let fname = ident(&f.rust_name);
                let Readers { optional, value, .. } = readers(f);
                if !f.required {
                    quote! { #known(#index) => #seed::#optional(&mut map, &mut out.#fname), }
                } else if f.default_if_missing {
                    quote! { #known(#index) => #seed::#value(&mut map, &mut out.#fname), }
                } else {
                    let flag = seen_flag(f);
                    quote! { #known(#index) => { #flag = true; #seed::#value(&mut map, &mut out.#fname) } }
                }
            });
            let last_arm = rest_arm(match rest {
                Some(f) => {
                    let fname = ident(&f.rust_name);
                    quote!(&mut out.#fname)
                }
                None => TokenStream::new(),
            });
            let checks = fields
                .iter()
                .filter(|f| f.required && !f.default_if_missing)
                .map(|f| {
                    let flag = seen_flag(f);
                    let json = &f.json_name;
                    quote! { if !#flag { return Err(serde::de::Error::missing_field(#json)); } }
                });
            return quote! {
                impl #seed::Fields for #name {
                    const EXPECTING: &'static str = #expecting;
                    fn visit_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                        let mut out = #name::default();
                        #(#flags)*
                        while let Some(field) = map.next_key_seed(#key_seed(&[#(#table),*]))? {
                            match field {
                                #(#arms)*
                                #last_arm
                            }?;
                        }
                        #(#checks)*
                        Ok(out)
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        #seed::deserialize(deserializer)
                    }
                }
            };
        }
        let locals = fields.iter().map(|f| {
            let local = ident(&format!("f_{}", f.rust_name.trim_start_matches('_')));
            let ty = self.field_ty(f, module);
            if f.flatten {
                return quote! { let mut #local: #ty = Default::default(); };
            }
            let ty = if f.required { quote!(Option<#ty>) } else { ty };
            quote! { let mut #local: #ty = None; }
        });
        let arms = order.iter().enumerate().map(|(index, i)| {
            let f = &fields[*i];
            let local = ident(&format!("f_{}", f.rust_name.trim_start_matches('_')));
            let Readers {
                optional, required, ..
            } = readers(f);
            if f.required {
                quote! { #known(#index) => #seed::#required(&mut map, &mut #local), }
            } else {
                quote! { #known(#index) => #seed::#optional(&mut map, &mut #local), }
            }
        });
        let last_arm = rest_arm(match rest {
            Some(f) => {
                let local = ident(&format!("f_{}", f.rust_name.trim_start_matches('_')));
                quote!(&mut #local)
            }
            None => TokenStream::new(),
        });
        let inits = fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let local = ident(&format!("f_{}", f.rust_name.trim_start_matches('_')));
            let json = &f.json_name;
            if !f.required || f.flatten {
                quote! { #fname: #local }
            } else if f.default_if_missing {
                quote! { #fname: #local.unwrap_or_default() }
            } else {
                quote! { #fname: #seed::present::<_, A::Error>(#local, #json)? }
            }
        });
        quote! {
            impl #seed::Fields for #name {
                const EXPECTING: &'static str = #expecting;
                fn visit_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                    #(#locals)*
                    while let Some(field) = map.next_key_seed(#key_seed(&[#(#table),*]))? {
                        match field {
                            #(#arms)*
                            #last_arm
                        }?;
                    }
                    Ok(#name { #(#inits),* })
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #seed::deserialize(deserializer)
                }
            }
        }
    }

    /// Path from module `from` to an item of the output's root module.
    pub(crate) fn root_path(&self, item: &str, from: &[String]) -> TokenStream {
        let supers = from.iter().map(|_| quote!(super));
        let item = ident(item);
        quote!(#(#supers::)* #item)
    }

    /// The shared field-name seed, emitted once at the root when compact impls are used.
    pub(crate) fn compact_support(&self) -> TokenStream {
        let rc = &self.rest_core;
        quote! {
            /// Support for the generated serde impls.
            #[doc(hidden)]
            pub mod __de {
                /// Resolves a field name to its index in a table of names. A scan comparing
                /// lengths first decodes a 10,000-pod list about 20% faster than a binary search.
                pub struct Field(pub &'static [&'static str]);
                impl<'de> serde::de::DeserializeSeed<'de> for Field {
                    type Value = Option<usize>;
                    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
                        deserializer.deserialize_identifier(self)
                    }
                }
                impl serde::de::Visitor<'_> for Field {
                    type Value = Option<usize>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Option<usize>, E> {
                        Ok(self.0.iter().position(|f| f.len() == name.len() && *f == name))
                    }
                }

                /// As `Field`, for a struct that keeps unknown members: the index of a name in
                /// the table, or the name itself.
                pub struct Keys(pub &'static [&'static str]);
                impl<'de> serde::de::DeserializeSeed<'de> for Keys {
                    type Value = Result<usize, String>;
                    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                        deserializer.deserialize_identifier(self)
                    }
                }
                impl serde::de::Visitor<'_> for Keys {
                    type Value = Result<usize, String>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                        Ok(self.0.iter().position(|f| f.len() == name.len() && *f == name).ok_or_else(|| name.to_owned()))
                    }
                }

                /// Keeps the value of a member the struct does not name.
                #[inline]
                pub fn rest<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, name: String, rest: &mut #rc::meta::Map<String, T>) -> Result<(), A::Error> {
                    rest.insert(name, map.next_value()?);
                    Ok(())
                }

                // One call per field keeps the per-type impls free of `?` desugarings, which
                // were most of their type-checking and MIR.

                /// A struct read from a map: its own part of the impls; the visitor is shared.
                pub trait Fields: Sized {
                    /// What the visitor expects, for error messages (`a Pod`).
                    const EXPECTING: &'static str;
                    /// Reads the struct from the entries of a map.
                    fn visit_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
                }

                /// The one map visitor of every struct.
                pub struct Visitor<T>(std::marker::PhantomData<T>);
                impl<'de, T: Fields> serde::de::Visitor<'de> for Visitor<T> {
                    type Value = T;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(T::EXPECTING)
                    }
                    #[inline]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                        T::visit_map(map)
                    }
                }

                /// Reads a struct from a map.
                #[inline]
                pub fn deserialize<'de, D: serde::Deserializer<'de>, T: Fields>(deserializer: D) -> Result<T, D::Error> {
                    deserializer.deserialize_map(Visitor(std::marker::PhantomData))
                }

                /// Reads a required field's value into its slot.
                #[inline]
                pub fn required<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
                    *slot = Some(map.next_value()?);
                    Ok(())
                }

                /// Reads an optional field's value into its slot (`null` leaves it unset).
                #[inline]
                pub fn optional<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
                    *slot = map.next_value()?;
                    Ok(())
                }

                /// Reads a value into a member of a struct being read in place.
                #[inline]
                pub fn value<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut T) -> Result<(), A::Error> {
                    *slot = map.next_value()?;
                    Ok(())
                }

                /// Reads a required list into its slot.
                #[inline]
                pub fn required_list<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Option<Vec<T>>) -> Result<(), A::Error> {
                    *slot = Some(map.next_value_seed(Seq(std::marker::PhantomData))?);
                    Ok(())
                }

                /// Reads an optional list into its slot (`null` leaves it unset).
                #[inline]
                pub fn optional_list<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Option<Vec<T>>) -> Result<(), A::Error> {
                    *slot = map.next_value_seed(OptionSeq(std::marker::PhantomData))?;
                    Ok(())
                }

                /// Reads a list into a member of a struct being read in place.
                #[inline]
                pub fn list<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(map: &mut A, slot: &mut Vec<T>) -> Result<(), A::Error> {
                    *slot = map.next_value_seed(Seq(std::marker::PhantomData))?;
                    Ok(())
                }

                /// A JSON array read into a `Vec` of its exact length up to two elements (most
                /// lists in Kubernetes objects), four for three or four, then doubling. serde's
                /// own starts at four: two containers took a 2 KB allocation, and on a watch,
                /// where each object is freed before the next is read, every allocation past
                /// 1 KB makes glibc's malloc consolidate its free lists (about 7% of a pod's
                /// decode and drop).
                pub struct Seq<T>(std::marker::PhantomData<T>);
                impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for Seq<T> {
                    type Value = Vec<T>;
                    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
                        deserializer.deserialize_seq(self)
                    }
                }
                impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Seq<T> {
                    type Value = Vec<T>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a sequence")
                    }
                    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
                        let Some(first) = seq.next_element()? else {
                            return Ok(Vec::new());
                        };
                        let Some(second) = seq.next_element()? else {
                            return Ok(vec![first]);
                        };
                        let Some(third) = seq.next_element()? else {
                            return Ok(vec![first, second]);
                        };
                        let mut out = Vec::with_capacity(4);
                        out.push(first);
                        out.push(second);
                        out.push(third);
                        while let Some(next) = seq.next_element()? {
                            out.push(next);
                        }
                        Ok(out)
                    }
                }

                /// `Seq` behind `Option`: `null` is `None`.
                pub struct OptionSeq<T>(std::marker::PhantomData<T>);
                impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for OptionSeq<T> {
                    type Value = Option<Vec<T>>;
                    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<Vec<T>>, D::Error> {
                        deserializer.deserialize_option(self)
                    }
                }
                impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for OptionSeq<T> {
                    type Value = Option<Vec<T>>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a sequence or null")
                    }
                    fn visit_none<E: serde::de::Error>(self) -> Result<Option<Vec<T>>, E> {
                        Ok(None)
                    }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Vec<T>>, E> {
                        Ok(None)
                    }
                    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<Vec<T>>, D::Error> {
                        deserializer.deserialize_seq(Seq(std::marker::PhantomData)).map(Some)
                    }
                }

                /// Reads an open enum from a string, without allocating for a value it lists.
                #[inline]
                pub fn open_enum<'de, D: serde::Deserializer<'de>, T: for<'a> From<&'a str>>(deserializer: D) -> Result<T, D::Error> {
                    deserializer.deserialize_str(Str(std::marker::PhantomData))
                }

                /// The visitor of `open_enum`.
                pub struct Str<T>(std::marker::PhantomData<T>);
                impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Str<T> {
                    type Value = T;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
                        Ok(T::from(value))
                    }
                }

                /// Skips the value of a field the type does not have.
                #[inline]
                pub fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
                    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
                }

                /// A required field's value, or the error naming the missing field.
                #[inline]
                pub fn present<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
                    slot.ok_or_else(|| E::missing_field(name))
                }

                /// Starts writing a struct as a map.
                #[inline]
                pub fn map<S: serde::Serializer>(serializer: S) -> Result<Map<S::SerializeMap>, S::Error> {
                    Ok(Map { map: serializer.serialize_map(None)?, error: None })
                }

                /// A struct being written as a map, one call per field; the first error is
                /// kept (later entries are not written) and returned by `end`.
                pub struct Map<M: serde::ser::SerializeMap> {
                    map: M,
                    error: Option<M::Error>,
                }
                impl<M: serde::ser::SerializeMap> Map<M> {
                    /// Writes one entry.
                    #[inline]
                    pub fn entry<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
                        if self.error.is_none() {
                            if let Err(error) = self.map.serialize_entry(key, value) {
                                self.error = Some(error);
                            }
                        }
                    }
                    /// Writes one entry when the value is set.
                    #[inline]
                    pub fn optional<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
                        if let Some(value) = value {
                            self.entry(key, value);
                        }
                    }
                    /// Writes the members a struct keeps besides its fields.
                    pub fn rest<T: serde::Serialize>(&mut self, rest: &#rc::meta::Map<String, T>) {
                        for (key, value) in rest {
                            if self.error.is_none() {
                                if let Err(error) = self.map.serialize_entry(key, value) {
                                    self.error = Some(error);
                                }
                            }
                        }
                    }
                    /// Ends the map, or returns the first error.
                    #[inline]
                    pub fn end(self) -> Result<M::Ok, M::Error> {
                        match self.error {
                            Some(error) => Err(error),
                            None => self.map.end(),
                        }
                    }
                }
            }
        }
    }
}

/// The `__de` functions that read a member's value into its slot.
struct Readers {
    /// Into an `Option` (`null` leaves it unset).
    optional: proc_macro2::Ident,
    /// Into a required member's `Option`, before the struct is built.
    required: proc_macro2::Ident,
    /// Into the member of a struct read in place.
    value: proc_macro2::Ident,
}

/// The readers of a member: the list ones (exact-size `Vec`s) for a `Vec` not boxed.
fn readers(f: &Field) -> Readers {
    let list = matches!(f.ty, Ty::Vec(_)) && !f.boxed;
    let name = |plain: &str, list_reader: &str| ident(if list { list_reader } else { plain });
    Readers {
        optional: name("optional", "optional_list"),
        required: name("required", "required_list"),
        value: name("value", "list"),
    }
}

/// The local that records whether a required member was read (`seen_<name>`).
fn seen_flag(f: &Field) -> proc_macro2::Ident {
    ident(&format!("seen_{}", f.rust_name.trim_start_matches('_')))
}
