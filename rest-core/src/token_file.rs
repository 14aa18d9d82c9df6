//! A bearer token read from a file and read again when the file changes (projected
//! service-account tokens rotate every hour or so), and at least every minute as client-go.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use http::HeaderValue;

use crate::error::Error;

/// client-go's cached file token source reads the file again after a minute.
const REREAD_AFTER: Duration = Duration::from_secs(60);

/// What identifies one version of the file: a rotation by rename (the kubelet's atomic
/// writer) changes the inode, an edit in place changes the time or the length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
    device: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (inode, device) = {
        use std::os::unix::fs::MetadataExt as _;
        (meta.ino(), meta.dev())
    };
    #[cfg(not(unix))]
    let (inode, device) = (0, 0);
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode,
        device,
    })
}

pub(crate) struct TokenFile {
    path: PathBuf,
    state: Mutex<State>,
}

struct State {
    stamp: Option<Stamp>,
    header: HeaderValue,
    read_at: Instant,
    /// Set while the file cannot be read, so the warning is logged once per outage.
    failing: bool,
}

impl TokenFile {
    /// Reads the token now: an unreadable or empty file fails the client's construction.
    pub(crate) fn new(path: &Path) -> Result<TokenFile, Error> {
        let stamp = stamp(path);
        let header = read_header(path).map_err(|message| Error::Config {
            message: format!(
                "cannot read bearer_token_file {}: {message}",
                path.display()
            ),
        })?;
        Ok(TokenFile {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                stamp,
                header,
                read_at: Instant::now(),
                failing: false,
            }),
        })
    }

    /// `Bearer <token>` from the current file; when it cannot be read, the last good token
    /// (as client-go, so a rotation caught half-way does not fail requests).
    pub(crate) fn authorization(&self) -> HeaderValue {
        let now_stamp = stamp(&self.path);
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if now_stamp.is_some() && now_stamp == state.stamp && state.read_at.elapsed() < REREAD_AFTER
        {
            return state.header.clone();
        }
        match read_header(&self.path) {
            Ok(header) => {
                if header != state.header {
                    tracing::debug!(file = %self.path.display(), "bearer token file changed, using the new token");
                }
                state.header = header;
                state.stamp = now_stamp;
                state.read_at = Instant::now();
                state.failing = false;
            }
            Err(message) => {
                if !state.failing {
                    tracing::warn!(file = %self.path.display(), "cannot read the bearer token file, using the last token read: {message}");
                }
                state.failing = true;
            }
        }
        state.header.clone()
    }
}

fn read_header(path: &Path) -> Result<HeaderValue, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let token = text.trim();
    if token.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let mut header = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| "the token holds characters not allowed in an HTTP header".to_owned())?;
    header.set_sensitive(true);
    Ok(header)
}
