//! What the protobuf front end attaches to the model: for each type that has a Kubernetes
//! `generated.proto` message, the message's name and each field's number and wire shape.

use std::collections::BTreeMap;

/// One type's protobuf message: its full name and its fields by JSON name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtoMessage {
    /// The message's full name (`k8s.io.api.core.v1.Pod`).
    pub name: String,
    /// The model's fields that the message has, by the field's JSON name.
    pub fields: BTreeMap<String, ProtoField>,
}

/// A field of a message: its number and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoField {
    pub number: u32,
    pub label: ProtoLabel,
    /// The value type (a map's value type for `Map`).
    pub ty: ProtoType,
    /// Field numbers of the messages this field sits in, outermost first, when Go embeds a
    /// struct inline (JSON flattens it, protobuf nests it: `Probe.httpGet` is in `handler`,
    /// field 1). Empty for a field of the message itself.
    pub embedded_in: Vec<u32>,
    /// The message declaring the field: the type's own, or the embedded one.
    pub declared_in: String,
    /// The Go field is a pointer: sent only when set, so a sent zero is a value. A plain Go
    /// field is always sent and its zero means unset (`None`), as its `omitempty` JSON does.
    pub pointer: bool,
}

/// The meta types rest-core has hand-written codecs for (`rest_core::protobuf`).
pub const REST_CORE_CODECS: &[&str] = &[
    "Condition",
    "DeleteOptions",
    "FieldSelectorRequirement",
    "FieldsV1",
    "LabelSelector",
    "LabelSelectorRequirement",
    "ListMeta",
    "ManagedFieldsEntry",
    "MicroTime",
    "ObjectMeta",
    "OwnerReference",
    "RawExtension",
    "Status",
    "StatusCause",
    "StatusDetails",
];

/// `optional`, `repeated`, or `map<string, V>` (Kubernetes' maps all have string keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoLabel {
    Optional,
    Repeated,
    Map,
}

/// A field's value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtoType {
    Bool,
    Int32,
    Int64,
    Double,
    Float,
    String,
    Bytes,
    /// A message, by full name (`k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta`). Where
    /// the model has a list, it is a Go named slice's wrapper: one `repeated items = 1`.
    Message(String),
}

/// How a value of the type is laid out on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    Varint,
    Fixed64,
    Len,
    Fixed32,
}

impl ProtoType {
    /// The type of a scalar's proto keyword (`int32`), `None` for anything else.
    pub fn scalar(keyword: &str) -> Option<ProtoType> {
        Some(match keyword {
            "bool" => ProtoType::Bool,
            "int32" => ProtoType::Int32,
            "int64" => ProtoType::Int64,
            "double" => ProtoType::Double,
            "float" => ProtoType::Float,
            "string" => ProtoType::String,
            "bytes" => ProtoType::Bytes,
            _ => return None,
        })
    }

    pub fn wire_type(&self) -> WireType {
        match self {
            ProtoType::Bool | ProtoType::Int32 | ProtoType::Int64 => WireType::Varint,
            ProtoType::Double => WireType::Fixed64,
            ProtoType::Float => WireType::Fixed32,
            ProtoType::String | ProtoType::Bytes | ProtoType::Message(_) => WireType::Len,
        }
    }
}

impl ProtoField {
    /// The wire type of each occurrence on the wire (a map entry is a message).
    pub fn wire_type(&self) -> WireType {
        match self.label {
            ProtoLabel::Map => WireType::Len,
            ProtoLabel::Optional | ProtoLabel::Repeated => self.ty.wire_type(),
        }
    }
}
