//! Conversion between a `DynamicObject` and a typed object (generated or derived), both
//! ways, through JSON; a failure names the field and what was wrong with it.

use serde_json::Value;

use super::object::DynamicObject;
use crate::resource::Resource;

/// A `DynamicObject` that does not fit a typed kind, or a typed object that does not encode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConversionError {
    /// The object is of another kind than the type.
    #[error("cannot convert a {found} to a {expected}: the kinds differ")]
    WrongKind {
        /// `apps/v1 Deployment`.
        expected: String,
        found: String,
    },
    /// A member does not fit its field in the type.
    #[error("cannot convert {object} to a {target}: at {field}: {problem}")]
    Field {
        object: String,
        target: String,
        /// The JSON path of the field (`spec.replicas`).
        field: String,
        problem: String,
    },
    /// The typed object could not be encoded as JSON.
    #[error("cannot encode a {kind} as JSON: {problem}")]
    Encode { kind: String, problem: String },
}

fn describe(api_version: Option<&str>, kind: Option<&str>) -> String {
    format!("{} {}", api_version.unwrap_or("?"), kind.unwrap_or("?"))
}

impl DynamicObject {
    /// The object as `T`. Its `apiVersion` and `kind`, when set, must be `T`'s; a member
    /// that does not fit is named in the error (`spec.replicas: invalid type ...`).
    pub fn into_typed<T: Resource>(self) -> Result<T, ConversionError> {
        let expected = describe(Some(T::API_VERSION), Some(T::KIND));
        let found = describe(
            self.types.api_version.as_deref(),
            self.types.kind.as_deref(),
        );
        let mismatched = self
            .types
            .api_version
            .as_deref()
            .is_some_and(|a| a != T::API_VERSION)
            || self.types.kind.as_deref().is_some_and(|k| k != T::KIND);
        if mismatched {
            return Err(ConversionError::WrongKind { expected, found });
        }
        let object = match self.metadata.name.as_deref() {
            Some(name) => format!("{found} {name:?}"),
            None => found,
        };
        let value = serde_json::to_value(&self).map_err(|e| ConversionError::Encode {
            kind: object.clone(),
            problem: e.to_string(),
        })?;
        serde_path_to_error::deserialize(value).map_err(|e| ConversionError::Field {
            object,
            target: std::any::type_name::<T>().to_owned(),
            field: e.path().to_string(),
            problem: e.into_inner().to_string(),
        })
    }

    /// A typed object as a `DynamicObject`, `apiVersion` and `kind` filled in from `T`.
    pub fn from_typed<T: Resource>(obj: &T) -> Result<DynamicObject, ConversionError> {
        let encode = |e: serde_json::Error| ConversionError::Encode {
            kind: T::KIND.to_owned(),
            problem: e.to_string(),
        };
        let mut value = serde_json::to_value(obj).map_err(encode)?;
        if let Value::Object(members) = &mut value {
            members.insert("apiVersion".into(), Value::from(T::API_VERSION));
            members.insert("kind".into(), Value::from(T::KIND));
        }
        serde_json::from_value(value).map_err(encode)
    }
}
