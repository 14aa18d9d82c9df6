//! Reading kubeconfig files and merging several as kubectl does with `KUBECONFIG`: the first
//! file to define a name wins it whole, `current-context` comes from the first that sets it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::error::{KubeconfigError, KubeconfigErrorKind as Kind};
use super::file::{Kubeconfig, NamedExtension};
use crate::env::Env;

/// Exec plugin API versions client-go still speaks (`v1alpha1` was removed in 1.24).
pub(crate) const EXEC_API_VERSIONS: &[&str] = &[
    "client.authentication.k8s.io/v1",
    "client.authentication.k8s.io/v1beta1",
];

impl Kubeconfig {
    /// Reads one kubeconfig file. Entries remember the file, so relative paths in them
    /// resolve against its folder.
    pub fn read(path: impl AsRef<Path>) -> Result<Kubeconfig, KubeconfigError> {
        let path = path.as_ref();
        let text = fs::read_to_string(path).map_err(|e| {
            KubeconfigError::new(
                Some(path.to_path_buf()),
                None,
                None,
                Kind::Read {
                    message: e.to_string(),
                },
            )
        })?;
        Kubeconfig::from_yaml(&text, Some(path))
    }

    /// Parses kubeconfig text; `origin` is the file it came from, if any. An empty text is
    /// an empty kubeconfig, as for kubectl.
    pub fn from_yaml(text: &str, origin: Option<&Path>) -> Result<Kubeconfig, KubeconfigError> {
        let error = |kind| KubeconfigError::new(origin.map(Path::to_path_buf), None, None, kind);
        let mut config: Kubeconfig = if text.trim().is_empty() {
            Kubeconfig::default()
        } else {
            serde_norway::from_str(text).map_err(|e| {
                error(Kind::Parse {
                    message: e.to_string(),
                })
            })?
        };
        let kind = config.kind.as_deref().unwrap_or("");
        let version = config.api_version.as_deref().unwrap_or("");
        if !matches!(kind, "" | "Config") || !matches!(version, "" | "v1") {
            return Err(error(Kind::Parse {
                message: format!(
                    "kind {kind:?} apiVersion {version:?} is not a kubeconfig (kind: Config, apiVersion: v1)"
                ),
            }));
        }
        check_unique("clusters", config.clusters.iter().map(|c| &c.name)).map_err(&error)?;
        check_unique("users", config.users.iter().map(|u| &u.name)).map_err(&error)?;
        check_unique("contexts", config.contexts.iter().map(|c| &c.name)).map_err(&error)?;
        check_unique("extensions", config.extensions.iter().map(|e| &e.name)).map_err(&error)?;

        let origin = origin.map(Path::to_path_buf);
        for cluster in &mut config.clusters {
            cluster.location_of_origin = origin.clone();
        }
        for user in &mut config.users {
            user.location_of_origin = origin.clone();
            // client-go's SetDefaults_ExecConfig: older API versions default to IfAvailable.
            if let Some(exec) = &mut user.user.exec {
                let old = matches!(
                    exec.api_version.as_deref(),
                    Some(
                        "client.authentication.k8s.io/v1beta1"
                            | "client.authentication.k8s.io/v1alpha1"
                    )
                );
                if old && exec.interactive_mode.as_deref().unwrap_or("").is_empty() {
                    exec.interactive_mode = Some("IfAvailable".to_owned());
                }
            }
        }
        for context in &mut config.contexts {
            context.location_of_origin = origin.clone();
        }
        Ok(config)
    }

    /// Merges `lower` under `self`, as kubectl merges the files of `KUBECONFIG` in order:
    /// a cluster, user, context or extension already defined here is kept whole, the others
    /// are added; `current-context` and `preferences.colors` are taken from `lower` only when
    /// unset here.
    pub fn merge(mut self, lower: Kubeconfig) -> Kubeconfig {
        fn add<T>(mine: &mut Vec<T>, theirs: Vec<T>, name: impl Fn(&T) -> &str) {
            for entry in theirs {
                if !mine.iter().any(|m| name(m) == name(&entry)) {
                    mine.push(entry);
                }
            }
        }
        add(&mut self.clusters, lower.clusters, |c| &c.name);
        add(&mut self.users, lower.users, |u| &u.name);
        add(&mut self.contexts, lower.contexts, |c| &c.name);
        add(
            &mut self.extensions,
            lower.extensions,
            |e: &NamedExtension| &e.name,
        );
        add(
            &mut self.preferences.extensions,
            lower.preferences.extensions,
            |e: &NamedExtension| &e.name,
        );
        if self.current_context.is_empty() {
            self.current_context = lower.current_context;
        }
        self.preferences.colors |= lower.preferences.colors;
        self.kind = None;
        self.api_version = None;
        self
    }

    /// Reads and merges `paths` in order, skipping files that do not exist (as kubectl does
    /// with `KUBECONFIG`); a file that exists but cannot be read or parsed is an error.
    pub fn read_merged(paths: &[PathBuf]) -> Result<Kubeconfig, KubeconfigError> {
        Ok(read_merged(paths)?.0)
    }

    /// The files kubectl would read: those in `KUBECONFIG` (`:`-separated, `;` on Windows;
    /// empty entries and repeats dropped, `~` expanded), else `~/.kube/config`.
    pub fn paths(env: &Env) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        match env.get("KUBECONFIG") {
            Some(list) => {
                for entry in std::env::split_paths(list) {
                    let text = entry.to_string_lossy();
                    if text.trim().is_empty() {
                        continue;
                    }
                    let path = env.expand_home(&text);
                    if !out.contains(&path) {
                        out.push(path);
                    }
                }
            }
            None => {
                if let Some(home) = env.home_dir() {
                    out.push(home.join(".kube").join("config"));
                }
            }
        }
        out
    }

    /// The merged kubeconfig of [`Kubeconfig::paths`].
    pub fn from_env(env: &Env) -> Result<Kubeconfig, KubeconfigError> {
        Kubeconfig::read_merged(&Kubeconfig::paths(env))
    }

    /// Nothing defined: no cluster, user, context or current context (client-go's
    /// `IsEmptyConfig`, after which it tries in-cluster configuration).
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
            && self.users.is_empty()
            && self.contexts.is_empty()
            && self.current_context.is_empty()
    }

    /// Replaces `certificate-authority`, `client-certificate` and `client-key` paths by the
    /// files' contents in the `-data` fields, as `kubectl config view --flatten`.
    pub fn flatten(&mut self) -> Result<(), KubeconfigError> {
        use base64::Engine as _;
        let encode = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
        let read =
            |origin: &Option<PathBuf>, section: &str, name: &str, field: &str, path: &str| {
                let file = resolve_path(path, origin.as_deref(), Path::new("."), &Env::process());
                fs::read(&file).map(encode).map_err(|e| {
                    KubeconfigError::new(
                        origin.clone(),
                        None,
                        Some(format!("{section}[{name}].{field}")),
                        Kind::ReadFile {
                            file,
                            message: e.to_string(),
                        },
                    )
                })
            };
        let conflict = |origin: &Option<PathBuf>, section: &str, name: &str, first, second| {
            KubeconfigError::new(
                origin.clone(),
                None,
                Some(format!("{section}[{name}].{first}")),
                Kind::Conflict { first, second },
            )
        };
        for c in &mut self.clusters {
            let cluster = &mut c.cluster;
            if let Some(path) = cluster
                .certificate_authority
                .take()
                .filter(|p| !p.is_empty())
            {
                if cluster
                    .certificate_authority_data
                    .as_deref()
                    .is_some_and(|d| !d.is_empty())
                {
                    return Err(conflict(
                        &c.location_of_origin,
                        "clusters",
                        &c.name,
                        "certificate-authority-data",
                        "certificate-authority",
                    ));
                }
                let data = read(
                    &c.location_of_origin,
                    "clusters",
                    &c.name,
                    "certificate-authority",
                    &path,
                )?;
                cluster.certificate_authority_data = Some(data);
            }
        }
        for u in &mut self.users {
            let user = &mut u.user;
            if let Some(path) = user.client_certificate.take().filter(|p| !p.is_empty()) {
                if user
                    .client_certificate_data
                    .as_deref()
                    .is_some_and(|d| !d.is_empty())
                {
                    return Err(conflict(
                        &u.location_of_origin,
                        "users",
                        &u.name,
                        "client-certificate-data",
                        "client-certificate",
                    ));
                }
                let data = read(
                    &u.location_of_origin,
                    "users",
                    &u.name,
                    "client-certificate",
                    &path,
                )?;
                user.client_certificate_data = Some(data);
            }
            if let Some(path) = user.client_key.take().filter(|p| !p.is_empty()) {
                if user
                    .client_key_data
                    .as_ref()
                    .is_some_and(|d| !d.expose().is_empty())
                {
                    return Err(conflict(
                        &u.location_of_origin,
                        "users",
                        &u.name,
                        "client-key-data",
                        "client-key",
                    ));
                }
                let data = read(&u.location_of_origin, "users", &u.name, "client-key", &path)?;
                user.client_key_data = Some(data.into());
            }
        }
        Ok(())
    }

    /// The merged view sorted by name, as `kubectl config view` prints it.
    pub fn sorted(mut self) -> Kubeconfig {
        self.clusters.sort_by(|a, b| a.name.cmp(&b.name));
        self.users.sort_by(|a, b| a.name.cmp(&b.name));
        self.contexts.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.preferences
            .extensions
            .sort_by(|a, b| a.name.cmp(&b.name));
        self
    }
}

/// Reads and merges `paths`; also returns the ones that did not exist.
pub(crate) fn read_merged(
    paths: &[PathBuf],
) -> Result<(Kubeconfig, Vec<PathBuf>), KubeconfigError> {
    let mut merged = Kubeconfig::default();
    let mut missing = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::debug!(kubeconfig = %path.display(), "kubeconfig does not exist, skipped");
                missing.push(path.clone());
                continue;
            }
            _ => {}
        }
        merged = merged.merge(Kubeconfig::read(path)?);
    }
    Ok((merged, missing))
}

/// A path from a kubeconfig: `~` expanded, relative ones joined to the folder of the file
/// the entry came from (`fallback` for text not read from a file).
pub(crate) fn resolve_path(
    path: &str,
    origin: Option<&Path>,
    fallback: &Path,
    env: &Env,
) -> PathBuf {
    let expanded = env.expand_home(path);
    if expanded.is_absolute() {
        return expanded;
    }
    let dir = match origin.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        Some(_) => Path::new("."),
        None => fallback,
    };
    dir.join(expanded)
}

fn check_unique<'a>(
    section: &'static str,
    names: impl Iterator<Item = &'a String>,
) -> Result<(), Kind> {
    let mut seen = BTreeMap::new();
    for name in names {
        if seen.insert(name.as_str(), ()).is_some() {
            return Err(Kind::DuplicateName {
                section,
                name: name.clone(),
            });
        }
    }
    Ok(())
}
