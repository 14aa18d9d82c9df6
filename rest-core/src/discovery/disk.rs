//! The on-disk discovery cache: one JSON file per server, `<dir>/<host>_<port>/krest-discovery.json`,
//! fresh for a TTL after it was written (its modification time), written whole or not at all.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use url::Url;

use super::model::Discovery;

/// Where kubectl keeps discovery (`~/.kube/cache/discovery`); krest's files sit beside
/// kubectl's, named so that neither reads the other's.
pub fn default_dir() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(
        PathBuf::from(home)
            .join(".kube")
            .join("cache")
            .join("discovery"),
    )
}

/// kubectl's folder name for a server: host and port, with `_` for anything but letters,
/// digits, `.` and `-` (`127.0.0.1_6443`).
pub(crate) fn server_dir(dir: &Path, base: &Url) -> PathBuf {
    let host = base.host_str().unwrap_or("localhost");
    let name = match base.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(safe)
}

pub(crate) const FILE: &str = "krest-discovery.json";

/// The cached discovery in `folder`, when it is younger than `ttl` and readable.
pub(crate) fn read(folder: &Path, ttl: Duration) -> Option<Discovery> {
    let path = folder.join(FILE);
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    if age > ttl {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(discovery) => Some(discovery),
        Err(e) => {
            tracing::debug!(path = %path.display(), "ignoring an unreadable discovery cache: {e}");
            None
        }
    }
}

/// Writes `discovery` to `folder` through a temporary file and a rename, so a reader never
/// sees half a file. Failures are logged, not returned: the cache is an optimisation.
pub(crate) fn write(folder: &Path, discovery: &Discovery) {
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(folder)?;
        let tmp = folder.join(format!(".{FILE}.{}", std::process::id()));
        std::fs::write(&tmp, serde_json::to_vec(discovery)?)?;
        std::fs::rename(&tmp, folder.join(FILE))
    })();
    if let Err(e) = result {
        tracing::debug!(folder = %folder.display(), "cannot write the discovery cache: {e}");
    }
}

/// Removes the cached file (a missing one is fine).
pub(crate) fn remove(folder: &Path) {
    let _ = std::fs::remove_file(folder.join(FILE));
}
