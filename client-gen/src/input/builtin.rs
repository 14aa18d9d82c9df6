//! Kubernetes types some inputs refer to without defining: `autoscaling/v1` `Scale` (a CRD's
//! or a discovered scale subresource). Supplied only when no input defines them, shaped as
//! the Kubernetes OpenAPI defines them, so the JSON is the same either way.

use crate::model::{ApiSet, Field, Gvk, ModuleKey, Shape, Ty, TypeDef};

/// `autoscaling/v1` `Scale`, as the Kubernetes OpenAPI names it.
pub const SCALE: &str = "io.k8s.api.autoscaling.v1.Scale";
const SCALE_SPEC: &str = "io.k8s.api.autoscaling.v1.ScaleSpec";
const SCALE_STATUS: &str = "io.k8s.api.autoscaling.v1.ScaleStatus";

/// Adds the built-in definitions the model refers to but no input defined.
pub(crate) fn supply_missing(set: &mut ApiSet) {
    let mut referenced = std::collections::BTreeSet::new();
    for (_, _, r) in set.resources() {
        let mut add = |id: &String| {
            referenced.insert(id.clone());
        };
        r.object.visit_named(&mut add);
        for sub in r.subresources.values() {
            for ty in sub.request.iter().chain(sub.params.iter()) {
                ty.visit_named(&mut add);
            }
            if let crate::model::Payload::Object(ty) = &sub.response {
                ty.visit_named(&mut add);
            }
        }
    }
    if referenced.contains(SCALE) && !set.types.contains_key(SCALE) {
        for def in scale_definitions() {
            set.types.entry(def.id.clone()).or_insert(def);
        }
    }
}

fn field(json_name: &str, rust_name: &str, ty: Ty, required: bool, doc: &str) -> Field {
    Field {
        json_name: json_name.to_owned(),
        rust_name: rust_name.to_owned(),
        doc: Some(doc.to_owned()),
        ty,
        required,
        boxed: false,
        default_if_missing: false,
        flatten: false,
    }
}

fn scale_definitions() -> Vec<TypeDef> {
    let module = ModuleKey::new("autoscaling", "v1");
    let def = |id: &str, name: &str, doc: &str, fields: Vec<Field>, kind: bool| TypeDef {
        id: id.to_owned(),
        module: module.clone(),
        rust_name: name.to_owned(),
        doc: Some(doc.to_owned()),
        shape: Shape::Struct(fields),
        gvk: kind.then(|| Gvk {
            group: "autoscaling".to_owned(),
            version: "v1".to_owned(),
            kind: "Scale".to_owned(),
        }),
    };
    vec![
        def(
            SCALE,
            "Scale",
            "Scale represents a scaling request for a resource.",
            vec![
                field(
                    "apiVersion",
                    "api_version",
                    Ty::String,
                    false,
                    "APIVersion defines the versioned schema of this representation of an object.",
                ),
                field(
                    "kind",
                    "kind",
                    Ty::String,
                    false,
                    "Kind is a string value representing the REST resource this object represents.",
                ),
                field(
                    "metadata",
                    "metadata",
                    Ty::Meta("ObjectMeta".to_owned()),
                    false,
                    "Standard object metadata.",
                ),
                field(
                    "spec",
                    "spec",
                    Ty::Named(SCALE_SPEC.to_owned()),
                    false,
                    "spec defines the behavior of the scale.",
                ),
                field(
                    "status",
                    "status",
                    Ty::Named(SCALE_STATUS.to_owned()),
                    false,
                    "status is the current status of the scale.",
                ),
            ],
            true,
        ),
        def(
            SCALE_SPEC,
            "ScaleSpec",
            "ScaleSpec describes the attributes of a scale subresource.",
            vec![field(
                "replicas",
                "replicas",
                Ty::I32,
                false,
                "replicas is the desired number of instances for the scaled object.",
            )],
            false,
        ),
        def(
            SCALE_STATUS,
            "ScaleStatus",
            "ScaleStatus represents the current status of a scale subresource.",
            vec![
                field(
                    "replicas",
                    "replicas",
                    Ty::I32,
                    true,
                    "replicas is the actual number of observed instances of the scaled object.",
                ),
                field(
                    "selector",
                    "selector",
                    Ty::String,
                    false,
                    "selector is the label query over pods that should match the replicas count.",
                ),
            ],
            false,
        ),
    ]
}
