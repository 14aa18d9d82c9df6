//! `Info` (`version.Info`): what `GET /version` answers.

use serde::{Deserialize, Serialize};

/// The server's build and version information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Info {
    pub build_date: String,
    pub compiler: String,
    pub git_commit: String,
    pub git_tree_state: String,
    /// `v1.32.0`.
    pub git_version: String,
    pub go_version: String,
    pub major: String,
    pub minor: String,
    /// `linux/amd64`.
    pub platform: String,
}
