//! Kubernetes' `meta/v1` group and the shared value types (`IntOrString`, `Quantity`,
//! `RawExtension`): every generated or derived type refers to these.
//!
//! Names are Kubernetes' (`io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` is
//! `rest_core::meta::ObjectMeta`), JSON shapes are the API server's. Two definitions differ on
//! purpose: `Patch` is the typed patch body (`Patch<P>`, which picks the content type) and
//! `WatchEvent<T>` is typed by the watched kind instead of carrying a `RawExtension`.

mod condition;
mod de;
mod discovery;
mod int_or_string;
#[cfg(feature = "derive")]
mod json_schema;
mod json_text;
mod list;
pub mod map;
mod object_meta;
mod options;
mod partial_object_metadata;
mod patch;
mod quantity;
pub(crate) mod raw;
mod selector;
mod short_text;
mod status;
pub(crate) mod time;
mod type_meta;
mod version;
mod watch_event;

pub use condition::Condition;
pub use discovery::{
    APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery,
    ServerAddressByClientCIDR,
};
pub use int_or_string::IntOrString;
pub use list::{List, ListMeta};
pub use map::Map;
pub use object_meta::{ManagedFieldsEntry, ObjectMeta, OwnerReference};
pub use options::{
    ApplyOptions, CreateOptions, DeleteOptions, FieldValidation, GetOptions, ListOptions,
    PatchOptions, Preconditions, PropagationPolicy, ResourceVersionMatch, UpdateOptions,
    DRY_RUN_ALL,
};
pub use partial_object_metadata::PartialObjectMetadata;
pub use patch::{Patch, PatchType};
pub use quantity::Quantity;
pub use raw::{FieldsV1, RawExtension};
pub use selector::{
    FieldSelectorRequirement, LabelSelector, LabelSelectorRequirement, SelectorError,
};
pub use status::{Status, StatusCause, StatusDetails};
pub use time::{MicroTime, Time};
pub use type_meta::TypeMeta;
pub use version::Info;
pub use watch_event::{Bookmark, BookmarkMeta, WatchEvent};
