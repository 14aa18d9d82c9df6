//! `DynamicObject` and `DynamicList`: objects of any kind, their `TypeMeta` and `ObjectMeta`
//! typed and everything else (`spec`, `status`, `data`, ...) kept as JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::discovery::ApiResource;
use crate::gvk::GroupVersionKind;
use crate::meta::{List, ObjectMeta, TypeMeta};
use crate::resource::HasMetadata;

/// An object whose kind is known at run time only (client-go's `unstructured.Unstructured`,
/// with the metadata typed).
///
/// ```
/// # use rest_core::dynamic::DynamicObject;
/// let obj: DynamicObject = serde_json::from_str(
///     r#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3}}"#,
/// ).unwrap();
/// assert_eq!(obj.metadata.name.as_deref(), Some("w"));
/// assert_eq!(obj.data["spec"]["size"], 3);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DynamicObject {
    /// `apiVersion` and `kind`.
    #[serde(flatten)]
    pub types: TypeMeta,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Every other top-level member, as the server sent it.
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

/// A list of objects of any kind (`WidgetList`): type, list metadata and items.
pub type DynamicList = List<DynamicObject>;

impl DynamicObject {
    /// An empty object named `name` of `resource`'s kind, ready to have data set.
    pub fn new(name: &str, resource: &ApiResource) -> DynamicObject {
        DynamicObject {
            types: TypeMeta {
                api_version: Some(resource.api_version()),
                kind: Some(resource.kind.clone()),
            },
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                ..Default::default()
            },
            data: Map::new(),
        }
    }

    /// Sets the namespace.
    pub fn within(mut self, namespace: &str) -> DynamicObject {
        self.metadata.namespace = Some(namespace.to_owned());
        self
    }

    /// Adds the members of `data` (a JSON object: `{"spec": {...}}`); anything else is ignored.
    pub fn data(mut self, data: Value) -> DynamicObject {
        if let Value::Object(members) = data {
            self.data.extend(members);
        }
        self
    }

    pub fn name(&self) -> Option<&str> {
        self.metadata.name.as_deref()
    }

    pub fn namespace(&self) -> Option<&str> {
        self.metadata.namespace.as_deref()
    }

    /// The kind from `apiVersion` and `kind`, when both are set.
    pub fn gvk(&self) -> Option<GroupVersionKind> {
        let api_version = self.types.api_version.as_deref()?;
        let kind = self.types.kind.as_deref()?;
        Some(GroupVersionKind::from_api_version(api_version, kind))
    }
}

impl HasMetadata for DynamicObject {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}
