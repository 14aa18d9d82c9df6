//! `Env`: the part of the outside world configuration loading reads (environment variables,
//! the home folder, the service-account folder), passed explicitly so tests never touch the
//! process environment.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a pod's service-account token, CA and namespace are mounted.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The variables configuration loading looks at (only these are copied by `Env::process`).
const KNOWN_VARS: &[&str] = &[
    "KUBECONFIG",
    "HOME",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
    "POD_NAMESPACE",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// A snapshot of the environment: variables, home folder and service-account folder.
///
/// `Env::process()` reads the real ones; tests build their own with `Env::empty()` and the
/// builder methods, so that no test ever changes the process environment.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
    service_account_dir: Option<PathBuf>,
}

impl Env {
    /// No variables, no home folder, the standard service-account folder.
    pub fn empty() -> Env {
        Env::default()
    }

    /// The process's variables (those configuration loading reads) and home folder.
    pub fn process() -> Env {
        let mut env = Env::empty();
        for name in KNOWN_VARS {
            if let Some(value) = std::env::var_os(name) {
                env.vars
                    .insert((*name).to_owned(), value.to_string_lossy().into_owned());
            }
        }
        env
    }

    /// Sets a variable.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Env {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Sets the home folder (instead of `HOME` / `USERPROFILE`).
    pub fn home(mut self, dir: impl Into<PathBuf>) -> Env {
        self.home = Some(dir.into());
        self
    }

    /// Sets the folder holding `token`, `ca.crt` and `namespace` for in-cluster config.
    pub fn service_account_dir(mut self, dir: impl Into<PathBuf>) -> Env {
        self.service_account_dir = Some(dir.into());
        self
    }

    /// A variable's value; an empty value counts as unset, as Go's `os.Getenv` users do.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that is set.
    pub(crate) fn get_any(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }

    /// The home folder: the one set with `home`, else `HOME`, else (Windows) `USERPROFILE`
    /// or `HOMEDRIVE` + `HOMEPATH`, as client-go's `homedir.HomeDir`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = &self.home {
            return Some(home.clone());
        }
        if let Some(home) = self.get("HOME") {
            return Some(PathBuf::from(home));
        }
        if let Some(profile) = self.get("USERPROFILE") {
            return Some(PathBuf::from(profile));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
            _ => None,
        }
    }

    /// The service-account folder (default `/var/run/secrets/kubernetes.io/serviceaccount`).
    pub fn service_account_path(&self) -> &Path {
        self.service_account_dir
            .as_deref()
            .unwrap_or(Path::new(SERVICE_ACCOUNT_DIR))
    }

    /// `~` or `~/...` with the home folder; any other path as it is.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let rest = match path.strip_prefix('~') {
            Some("") => Some(""),
            Some(rest) if rest.starts_with('/') || rest.starts_with(std::path::MAIN_SEPARATOR) => {
                Some(&rest[1..])
            }
            _ => None,
        };
        match (rest, self.home_dir()) {
            (Some(""), Some(home)) => home,
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(path),
        }
    }
}

impl fmt::Debug for Env {
    /// Names only: values may hold proxy passwords.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("home", &self.home)
            .field("service_account_dir", &self.service_account_dir)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_expansion() {
        let env = Env::empty().var("HOME", "/home/me");
        assert_eq!(env.expand_home("~"), PathBuf::from("/home/me"));
        assert_eq!(env.expand_home("~/x/y"), PathBuf::from("/home/me/x/y"));
        assert_eq!(env.expand_home("~other/x"), PathBuf::from("~other/x"));
        assert_eq!(env.expand_home("a/~/b"), PathBuf::from("a/~/b"));
        let env = env.home("/h2");
        assert_eq!(env.expand_home("~/k"), PathBuf::from("/h2/k"));
        assert_eq!(Env::empty().expand_home("~/k"), PathBuf::from("~/k"));
    }

    #[test]
    fn empty_values_are_unset() {
        let env = Env::empty().var("KUBECONFIG", "");
        assert_eq!(env.get("KUBECONFIG"), None);
        assert_eq!(
            Env::empty()
                .var("no_proxy", "a")
                .get_any(&["NO_PROXY", "no_proxy"]),
            Some("a")
        );
    }
}
