//! `Settings`: every choice about what is generated and how, shared by the library, the
//! CLI, and (later) the `build.rs` builder and the proc macro, so all agree by construction.

/// How string enums from schemas become Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EnumStyle {
    /// A Rust `enum` with one variant per listed value plus `Other(String)`, which keeps any
    /// value the schema did not list (a newer server, another channel of the same CRD) and
    /// writes it back unchanged: as Go clients keep such values as strings, an object with a
    /// new value still decodes, and one such object does not fail a whole `list()`. An enum
    /// rather than a string newtype with constants, so `match` works as on a closed enum.
    #[default]
    Open,
    /// A Rust `enum` with one variant per listed value: exact, but a value the schema did not
    /// list fails to decode.
    Closed,
}

/// How structs get their serde impls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SerdeStyle {
    /// `#[derive(Serialize, Deserialize)]` with renames.
    #[default]
    Derive,
    /// Small emitted impls: one map visitor per struct, field names looked up in a sorted
    /// table shared code resolves (no per-type field enum, no sequence visitor). About half
    /// the code the derive expands to, so the crate type-checks much faster.
    Compact,
}

/// How a served kind carries its `apiVersion` and `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TypeMeta {
    /// Optional `api_version` and `kind` fields, as the schema describes them.
    #[default]
    Fields,
    /// No fields: serializing writes the kind's own `apiVersion` and `kind`, deserializing
    /// ignores them. What `#[derive(Resource)]` root types do.
    Constant,
}

/// How the output is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// `lib.rs`, `<group>/mod.rs`, `<group>/<version>.rs`: a crate's `src/`.
    #[default]
    Tree,
    /// One file with inline modules, for `include!` from `OUT_DIR` or a macro.
    SingleFile,
}

/// An API group whose types another crate already has (a clientset generated before, such as
/// `generated` for the Kubernetes API): its types are not emitted, references to them go to
/// that crate, and no client or `Clientset` accessor is made for it. As prost-build's
/// `extern_path`: a CRD clientset reuses the Kubernetes API's `Scale` instead of its own copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternGroup {
    /// The API group (`autoscaling`, `networking.k8s.io`; `""` or `core` for the core group).
    pub group: String,
    /// Rust path of the module holding the group's version modules (`generated::autoscaling`).
    pub path: String,
    /// With feature gates: what a group of this crate that uses these types turns on, as a
    /// feature list entry (`generated/autoscaling`); `None` when the types are always there.
    pub feature: Option<String>,
    /// Also part of this crate's API: the module is re-exported under the group's name
    /// (`pub use generated_core::core;`), the `Clientset` has its group/version accessors,
    /// and with feature gates the group has a feature here that turns on `feature`. How one
    /// clientset is split into crates that build one after the other.
    pub reexport: bool,
}

impl ExternGroup {
    /// `group`'s types at `path`; the feature is the one client-gen gives the group in that
    /// crate: the path's first segment (the dependency's name) and its last (the group's
    /// module), `generated/autoscaling` for `generated::autoscaling`.
    pub fn new(group: &str, path: &str) -> ExternGroup {
        let path = path.trim();
        let segments: Vec<&str> = path
            .trim_start_matches("::")
            .split("::")
            .map(str::trim)
            .collect();
        let feature = match segments.as_slice() {
            [krate, .., module] => Some(format!("{krate}/{module}")),
            _ => None,
        };
        ExternGroup {
            group: if group == "core" {
                String::new()
            } else {
                group.to_owned()
            },
            path: path.to_owned(),
            feature,
            reexport: false,
        }
    }

    /// As [`new`](Self::new), and re-exported as part of this crate's API.
    pub fn reexported(group: &str, path: &str) -> ExternGroup {
        ExternGroup {
            reexport: true,
            ..ExternGroup::new(group, path)
        }
    }

    /// `GROUP=PATH` (`autoscaling=generated::autoscaling`), as the CLI takes it.
    pub fn parse(text: &str) -> Result<ExternGroup, crate::Error> {
        match text.split_once('=') {
            Some((group, path)) if !path.trim().is_empty() => {
                Ok(ExternGroup::new(group.trim(), path))
            }
            _ => Err(crate::Error::Emit {
                module: "settings".to_owned(),
                message: format!(
                    "extern group {text:?}: expected GROUP=PATH (autoscaling=generated::autoscaling)"
                ),
            }),
        }
    }
}

/// Everything configurable about generation.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Path of the engine crate in generated code.
    pub rest_core: String,
    pub layout: Layout,
    /// Put each group behind a Cargo feature named like its module (`core`, `apps`).
    pub feature_gates: bool,
    pub enums: EnumStyle,
    pub serde: SerdeStyle,
    /// Box an optional struct member whose estimated size exceeds this many bytes: keeps
    /// objects small when such members are absent, as they mostly are.
    pub box_threshold: usize,
    /// Longest doc comment taken from a description, in bytes (0: no docs).
    pub max_doc_len: usize,
    /// Emit the typed clients and the `Clientset` (off: types only).
    pub clients: bool,
    /// First line of every generated file.
    pub header: String,
    /// Mark the tree `rustfmt::skip`: prettyplease formats it, and `cargo fmt` would
    /// otherwise reflow it differently.
    pub rustfmt_skip: bool,
    pub type_meta: TypeMeta,
    /// More derives on every emitted struct (paths: `PartialEq`, `schemars::JsonSchema`).
    pub extra_derives: Vec<String>,
    /// Allow-list of groups, versions and resources (empty: everything the inputs describe).
    pub select: crate::select::Selection,
    /// Groups whose types live in another crate (see [`ExternGroup`]).
    pub extern_groups: Vec<ExternGroup>,
    /// Kubernetes' `.proto` files: when given, types get protobuf codecs behind the
    /// generated crate's `protobuf` feature.
    pub proto: Option<ProtoInput>,
}

/// Where the protobuf schemas are: an include root of `generated.proto` files, and the list
/// of Go pointer fields (`fixtures/protobuf/go-pointers.txt`) that says which zeros are values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtoInput {
    pub root: std::path::PathBuf,
    pub go_pointers: Option<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rest_core: "rest_core".to_owned(),
            layout: Layout::Tree,
            feature_gates: false,
            enums: EnumStyle::Open,
            serde: SerdeStyle::Derive,
            box_threshold: 128,
            max_doc_len: 200,
            clients: true,
            header: "// @generated by client-gen. Do not edit.".to_owned(),
            rustfmt_skip: false,
            type_meta: TypeMeta::Fields,
            extra_derives: Vec::new(),
            select: crate::select::Selection::default(),
            extern_groups: Vec::new(),
            proto: None,
        }
    }
}

impl Settings {
    /// Where the types of `group` live when another crate has them.
    pub fn extern_group(&self, group: &str) -> Option<&ExternGroup> {
        self.extern_groups.iter().find(|e| e.group == group)
    }

    /// The settings `generated/` is built with: files, one Cargo feature per group, compact
    /// serde impls (the whole API type-checks in half the time the derives take).
    pub fn crate_tree() -> Self {
        Settings {
            feature_gates: true,
            rustfmt_skip: true,
            serde: SerdeStyle::Compact,
            ..Settings::default()
        }
    }
}
