//! Matching parsed messages to the model: `k8s.io.api.core.v1.Pod` is the definition
//! `io.k8s.api.core.v1.Pod`, a field is matched by its JSON name and must agree in type.
//! Whatever does not match is reported by name and left without a number, never guessed.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{FieldDecl, MessageDecl, ProtoFile};
use crate::model::{ApiSet, Shape, Ty, TypeId};
use crate::proto::{ProtoField, ProtoLabel, ProtoMessage, ProtoType, REST_CORE_CODECS};

const META: &str = "k8s.io.apimachinery.pkg.apis.meta.v1.";

/// What could not be matched, by name; empty when every type and field has its number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtoReport {
    /// Messages matched to a model type.
    pub matched: usize,
    /// Model types in a package the files cover that have no message of their name.
    pub types_without_message: Vec<TypeId>,
    /// `type.field` of the model with no field of that name in the message.
    pub fields_without_number: Vec<String>,
    /// `type.field: why` where the message's field holds another type than the model's.
    pub mismatched_fields: Vec<String>,
    /// `message.field` the model does not have (decoding skips them; nothing sends them).
    pub message_only_fields: Vec<String>,
    /// rest-core meta types the model uses that rest-core has no protobuf codec for.
    pub meta_without_codec: BTreeSet<String>,
}

impl ProtoReport {
    /// Every type in the covered packages has its message and every field its number.
    pub fn is_complete(&self) -> bool {
        self.types_without_message.is_empty()
            && self.fields_without_number.is_empty()
            && self.mismatched_fields.is_empty()
            && self.meta_without_codec.is_empty()
    }

    /// One line per problem (message-only fields are not problems and are left out).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for id in &self.types_without_message {
            out.push(format!(
                "protobuf: type {id} has no message in the .proto files"
            ));
        }
        for f in &self.fields_without_number {
            out.push(format!(
                "protobuf: field {f} has no field of its name in the message"
            ));
        }
        for f in &self.mismatched_fields {
            out.push(format!("protobuf: field {f}"));
        }
        for m in &self.meta_without_codec {
            out.push(format!(
                "protobuf: rest-core has no codec for meta type {m}"
            ));
        }
        out
    }
}

/// The definition name of a message (`k8s.io.X` -> `io.k8s.X`).
pub fn definition_of(message: &str) -> String {
    match message.strip_prefix("k8s.io.") {
        Some(rest) => format!("io.k8s.{rest}"),
        None => message.to_owned(),
    }
}

fn package_of(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(p, _)| p)
}

/// Attaches every message that names a model type into `set.proto`, and reports the rest.
pub fn attach(set: &mut ApiSet, files: &[ProtoFile]) -> ProtoReport {
    let by_proto: BTreeMap<&str, &MessageDecl> = files
        .iter()
        .flat_map(|f| f.messages.iter())
        .map(|m| (m.name.as_str(), m))
        .collect();
    let messages: BTreeMap<String, &MessageDecl> = by_proto
        .values()
        .map(|m| (definition_of(&m.name), *m))
        .collect();
    let packages: BTreeSet<&str> = messages.keys().map(|id| package_of(id)).collect();
    let mut report = ProtoReport::default();
    let mut attached = BTreeMap::new();
    for (id, def) in &set.types {
        let Some(message) = messages.get(id) else {
            if packages.contains(package_of(id)) && matches!(def.shape, Shape::Struct(_)) {
                report.types_without_message.push(id.clone());
            }
            continue;
        };
        let fields: Vec<(&str, Ty)> = match &def.shape {
            Shape::Struct(fields) => {
                // Kinds' `apiVersion` and `kind` travel in the envelope, not in the message.
                let envelope = def.gvk.is_some();
                fields
                    .iter()
                    .filter(|f| {
                        !(envelope && (f.json_name == "apiVersion" || f.json_name == "kind"))
                    })
                    .map(|f| (f.json_name.as_str(), f.ty.clone()))
                    .collect()
            }
            // An `XxxList` is rest-core's `List<T>`: metadata and items.
            Shape::Alias(Ty::List(item)) => vec![
                ("metadata", Ty::Meta("ListMeta".to_owned())),
                ("items", Ty::Vec(item.clone())),
            ],
            _ => {
                report.mismatched_fields.push(format!(
                    "{id}: a message, but the model's type is neither a struct nor a list"
                ));
                continue;
            }
        };
        report.matched += 1;
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        let index = index_fields(message, &names, &by_proto, &mut report);
        let mut out = ProtoMessage {
            name: message.name.clone(),
            fields: BTreeMap::new(),
        };
        for (json_name, ty) in &fields {
            collect_meta(ty, &mut report.meta_without_codec);
            let json_name: &str = json_name;
            let Some((path, decl, declared)) = index.get(json_name) else {
                report
                    .fields_without_number
                    .push(format!("{id}.{json_name} (message {})", message.name));
                continue;
            };
            match agrees(set, &by_proto, ty, decl) {
                Ok(()) => {
                    out.fields.insert(
                        (*json_name).to_owned(),
                        ProtoField {
                            number: decl.number,
                            label: decl.label,
                            ty: decl.ty.clone(),
                            embedded_in: path.clone(),
                            declared_in: (*declared).to_owned(),
                            pointer: false,
                        },
                    );
                }
                Err(why) => report
                    .mismatched_fields
                    .push(format!("{id}.{json_name}: {why}")),
            }
        }
        attached.insert(id.clone(), out);
    }
    set.proto = attached;
    report
}

/// The message's fields by the model's JSON names: by name, else by the one name equal
/// ignoring case (`uID` for `uid`), else inside an embedded message (a message field
/// the model has no name for, whose own fields the model has).
fn index_fields<'a>(
    message: &'a MessageDecl,
    names: &[&str],
    by_proto: &BTreeMap<&str, &'a MessageDecl>,
    report: &mut ProtoReport,
) -> BTreeMap<String, (Vec<u32>, &'a FieldDecl, &'a str)> {
    let mut index = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut embedded = Vec::new();
    for decl in &message.fields {
        let exact = names.iter().find(|n| **n == decl.name);
        let folded = || {
            let mut same = names.iter().filter(|n| n.eq_ignore_ascii_case(&decl.name));
            match (same.next(), same.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        };
        match exact.or_else(folded) {
            Some(name) => {
                index.insert(
                    (*name).to_owned(),
                    (Vec::new(), decl, message.name.as_str()),
                );
                used.insert(*name);
            }
            None => embedded.push(decl),
        }
    }
    for decl in embedded {
        let inner = match &decl.ty {
            ProtoType::Message(m) if decl.label == ProtoLabel::Optional => by_proto.get(m.as_str()),
            _ => None,
        };
        let rest: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !used.contains(n))
            .collect();
        let found =
            inner.map(|inner| index_fields(inner, &rest, by_proto, &mut ProtoReport::default()));
        match found {
            Some(found) if !found.is_empty() => {
                for (name, (mut path, field, declared)) in found {
                    path.insert(0, decl.number);
                    if let Some(n) = names.iter().find(|n| **n == name) {
                        used.insert(*n);
                    }
                    index.insert(name, (path, field, declared));
                }
            }
            _ => report
                .message_only_fields
                .push(format!("{}.{}", message.name, decl.name)),
        }
    }
    index
}

fn collect_meta(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Meta(name) if !REST_CORE_CODECS.contains(&name.as_str()) => {
            out.insert(name.clone());
        }
        Ty::Vec(inner) | Ty::Nullable(inner) | Ty::Map(inner) | Ty::List(inner) => {
            collect_meta(inner, out)
        }
        _ => {}
    }
}

/// Whether the model's type and the message's field hold the same thing; why not, if not.
fn agrees(set: &ApiSet, protos: &Protos<'_>, ty: &Ty, decl: &FieldDecl) -> Result<(), String> {
    let ty = match ty {
        Ty::Nullable(inner) => inner,
        other => other,
    };
    match (ty, decl.label) {
        (Ty::Vec(inner), ProtoLabel::Repeated) => value_agrees(set, protos, inner, &decl.ty),
        (Ty::Map(inner), ProtoLabel::Map) => value_agrees(set, protos, inner, &decl.ty),
        // `bytes` is one field however the model sees it.
        (Ty::Bytes, ProtoLabel::Optional) => value_agrees(set, protos, ty, &decl.ty),
        (Ty::Vec(_), label) | (Ty::Map(_), label) => Err(format!(
            "the model has a {}, the message a {label:?} field {}",
            if matches!(ty, Ty::Vec(_)) {
                "list"
            } else {
                "map"
            },
            decl.name
        )),
        (_, ProtoLabel::Optional) => value_agrees(set, protos, ty, &decl.ty),
        (_, label) => Err(format!(
            "the model has one value, the message a {label:?} field {}",
            decl.name
        )),
    }
}

type Protos<'a> = BTreeMap<&'a str, &'a MessageDecl>;

fn value_agrees(
    set: &ApiSet,
    protos: &Protos<'_>,
    ty: &Ty,
    proto: &ProtoType,
) -> Result<(), String> {
    let message = |name: &str| match proto {
        ProtoType::Message(m) if m == name => Ok(()),
        other => Err(format!("the model has {name}, the message {other:?}")),
    };
    let scalar = |want: ProtoType| {
        if *proto == want {
            Ok(())
        } else {
            Err(format!("the model has {want:?}, the message {proto:?}"))
        }
    };
    match ty {
        Ty::Bool => scalar(ProtoType::Bool),
        Ty::I32 => scalar(ProtoType::Int32),
        Ty::I64 => scalar(ProtoType::Int64),
        Ty::F64 => match proto {
            ProtoType::Double | ProtoType::Float => Ok(()),
            other => Err(format!("the model has a number, the message {other:?}")),
        },
        Ty::String => scalar(ProtoType::String),
        Ty::Bytes => scalar(ProtoType::Bytes),
        Ty::Time => message(&format!("{META}Time")),
        Ty::Quantity => message("k8s.io.apimachinery.pkg.api.resource.Quantity"),
        Ty::IntOrString => message("k8s.io.apimachinery.pkg.util.intstr.IntOrString"),
        Ty::Meta(name) if name == "RawExtension" => {
            message("k8s.io.apimachinery.pkg.runtime.RawExtension")
        }
        Ty::Meta(name) => message(&format!("{META}{name}")),
        Ty::Nullable(inner) => value_agrees(set, protos, inner, proto),
        // A Go named slice (`type ExtraValue []string`) is a message of one `repeated items = 1`.
        Ty::Vec(inner) => match proto {
            ProtoType::Message(m) => match protos.get(m.as_str()).map(|d| d.fields.as_slice()) {
                Some([items])
                    if items.name == "items"
                        && items.number == 1
                        && items.label == ProtoLabel::Repeated =>
                {
                    value_agrees(set, protos, inner, &items.ty)
                }
                _ => Err(format!(
                    "the model has a list, the message {m}, not a list wrapper"
                )),
            },
            other => Err(format!("the model has a list, the message {other:?}")),
        },
        Ty::Named(id) => match set.types.get(id).map(|d| &d.shape) {
            Some(Shape::Enum(_)) => scalar(ProtoType::String),
            Some(Shape::Alias(inner)) => value_agrees(set, protos, inner, proto),
            Some(_) => match proto {
                ProtoType::Message(m) if definition_of(m) == *id => Ok(()),
                other => Err(format!("the model has {id}, the message {other:?}")),
            },
            None => Err(format!(
                "the model refers to {id}, which it does not define"
            )),
        },
        other => Err(format!(
            "the model's {other:?} has no protobuf form (message field is {proto:?})"
        )),
    }
}

/// Marks the fields that are Go pointers (`go-pointers.txt`: `<message> <proto field>` lines,
/// written by `fixtures/protobuf/go-pointers.sh` from k8s.io/api's Go types). Returns the
/// lines that named no attached field, for the caller to report.
pub fn mark_pointers(set: &mut ApiSet, list: &str) -> Vec<String> {
    let mut by_message: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for line in list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if let Some((message, field)) = line.split_once(' ') {
            by_message.entry(message).or_default().insert(field.trim());
        }
    }
    let mut hit: BTreeSet<(String, String)> = BTreeSet::new();
    for message in set.proto.values_mut() {
        for (json, field) in message.fields.iter_mut() {
            let Some(pointers) = by_message.get(field.declared_in.as_str()) else {
                continue;
            };
            // The list names proto fields; those equal the JSON names but for case (`uID`).
            if let Some(p) = pointers.iter().find(|p| p.eq_ignore_ascii_case(json)) {
                field.pointer = true;
                hit.insert((field.declared_in.clone(), (*p).to_owned()));
            }
        }
    }
    by_message
        .iter()
        .flat_map(|(m, fs)| fs.iter().map(move |f| (*m, *f)))
        .filter(|(m, f)| !hit.contains(&((*m).to_owned(), (*f).to_owned())))
        .map(|(m, f)| format!("{m} {f}"))
        .collect()
}
