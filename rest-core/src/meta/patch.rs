//! `Patch<P>` and `PatchType`: the four patch formats the API server accepts, each with its
//! content type. The body is the payload itself; the variant only picks the content type.

use serde::{Serialize, Serializer};

/// Which patch format a PATCH request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatchType {
    /// RFC 6902 JSON patch: a list of operations.
    Json,
    /// RFC 7386 JSON merge patch.
    Merge,
    /// Kubernetes' strategic merge patch (built-in kinds only).
    Strategic,
    /// Server-side apply: the fields this manager wants to own.
    Apply,
}

impl PatchType {
    /// The `Content-Type` the server selects the format by.
    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Strategic => "application/strategic-merge-patch+json",
            // JSON is YAML, so an apply body is sent as JSON under this type.
            PatchType::Apply => "application/apply-patch+yaml",
        }
    }
}

/// A patch body with its format (the `io.k8s.apimachinery.pkg.apis.meta.v1.Patch` body).
///
/// Serializes as the payload alone.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch<P: Serialize> {
    /// RFC 6902 operations, e.g. `json!([{"op":"replace","path":"/data/k","value":"v"}])`.
    Json(serde_json::Value),
    /// A merge patch: fields to set, `null` to remove.
    Merge(P),
    /// A strategic merge patch.
    Strategic(P),
    /// A server-side apply configuration (needs `PatchOptions::field_manager`).
    Apply(P),
}

impl<P: Serialize> Patch<P> {
    /// The format of this patch.
    pub fn patch_type(&self) -> PatchType {
        match self {
            Patch::Json(_) => PatchType::Json,
            Patch::Merge(_) => PatchType::Merge,
            Patch::Strategic(_) => PatchType::Strategic,
            Patch::Apply(_) => PatchType::Apply,
        }
    }

    /// The `Content-Type` to send this patch with.
    pub fn content_type(&self) -> &'static str {
        self.patch_type().content_type()
    }
}

impl<P: Serialize> Serialize for Patch<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Json(ops) => ops.serialize(serializer),
            Patch::Merge(p) | Patch::Strategic(p) | Patch::Apply(p) => p.serialize(serializer),
        }
    }
}
