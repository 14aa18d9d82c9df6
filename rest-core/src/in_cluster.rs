//! `Config::in_cluster`: the API server and service-account credentials every pod gets
//! (client-go's `InClusterConfig`), and `Config::infer`: kubeconfig first, then in-cluster.

use std::fs;
use std::path::PathBuf;

use crate::config::{Config, Secret};
use crate::env::Env;
use crate::error::Error;
use crate::kubeconfig::{
    read_merged, Kubeconfig, KubeconfigError, KubeconfigErrorKind, KubeconfigOptions, Lowering,
};
use crate::proxy::{Proxy, ProxyEnv};

impl Config {
    /// The config of a pod's service account: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
    /// the token (re-read as it rotates), CA and namespace mounted under
    /// `/var/run/secrets/kubernetes.io/serviceaccount`.
    pub fn in_cluster() -> Result<Config, Error> {
        Config::in_cluster_from(&Env::process())
    }

    /// As [`Config::in_cluster`], reading the variables and the service-account folder of
    /// `env` (see [`Env::service_account_dir`]).
    pub fn in_cluster_from(env: &Env) -> Result<Config, Error> {
        let (Some(host), Some(port)) = (
            env.get("KUBERNETES_SERVICE_HOST"),
            env.get("KUBERNETES_SERVICE_PORT"),
        ) else {
            return Err(in_cluster_error(
                "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set (the kubelet sets them in every pod); outside a cluster, use a kubeconfig".to_owned(),
            ));
        };
        let dir = env.service_account_path();
        let token_file = dir.join("token");
        let token = fs::read_to_string(&token_file).map_err(|e| {
            in_cluster_error(format!(
                "cannot read the service-account token {}: {e}; mount one (automountServiceAccountToken) or use a kubeconfig",
                token_file.display()
            ))
        })?;
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let mut config = Config::new(format!("https://{host}:{port}"));
        config.credentials.bearer_token = Some(Secret::new(token.trim().to_owned()));
        config.credentials.bearer_token_file = Some(token_file);
        let ca_file = dir.join("ca.crt");
        match fs::read(&ca_file) {
            Ok(ca) => config.tls.ca_data = Some(ca),
            // As client-go: carry on with the system's CAs, saying why.
            Err(e) => tracing::error!(
                "expected the cluster CA in {}, but cannot read it: {e}; trusting the system's CAs",
                ca_file.display()
            ),
        }
        config.default_namespace = in_cluster_namespace(env);
        config.proxy = Proxy::Env(ProxyEnv::from_env(env));
        Ok(config)
    }

    /// kubectl's order: the files of `KUBECONFIG` (merged), else `~/.kube/config`; when
    /// those define nothing, the in-cluster config; else an error naming what was tried.
    pub fn infer() -> Result<Config, Error> {
        Config::infer_with(&Env::process(), &KubeconfigOptions::default())
    }

    /// As [`Config::infer`], reading `env` instead of the process environment.
    pub fn infer_from(env: &Env) -> Result<Config, Error> {
        Config::infer_with(env, &KubeconfigOptions::default())
    }

    /// As [`Config::infer_from`], with kubectl's `--context`, `--cluster`, `--user` and
    /// `--namespace` overrides (only the namespace applies in-cluster).
    pub fn infer_with(env: &Env, options: &KubeconfigOptions) -> Result<Config, Error> {
        let paths = Kubeconfig::paths(env);
        let (kubeconfig, _missing) = read_merged(&paths)?;
        if !kubeconfig.is_empty() {
            let mut lowering = Lowering::new(&kubeconfig, env, true);
            if let Ok(joined) = std::env::join_paths(&paths) {
                lowering.files = Some(PathBuf::from(joined));
            }
            return lowering.run(options);
        }
        let token_file = env.service_account_path().join("token");
        let in_cluster = env.get("KUBERNETES_SERVICE_HOST").is_some()
            && env.get("KUBERNETES_SERVICE_PORT").is_some()
            && token_file.exists();
        if in_cluster {
            tracing::debug!("no kubeconfig found, using the in-cluster config");
            let mut config = Config::in_cluster_from(env)?;
            if let Some(namespace) = options.namespace.as_deref().filter(|n| !n.is_empty()) {
                config.default_namespace = namespace.to_owned();
            }
            return Ok(config);
        }
        Err(KubeconfigError::new(
            None,
            None,
            None,
            KubeconfigErrorKind::NoConfiguration {
                files: paths,
                token_file,
            },
        )
        .into())
    }
}

/// `POD_NAMESPACE`, else the service account's namespace file, else `default` (client-go's
/// `inClusterClientConfig.Namespace`).
fn in_cluster_namespace(env: &Env) -> String {
    if let Some(ns) = env.get("POD_NAMESPACE") {
        return ns.to_owned();
    }
    let file = env.service_account_path().join("namespace");
    match fs::read_to_string(file) {
        Ok(ns) if !ns.trim().is_empty() => ns.trim().to_owned(),
        _ => "default".to_owned(),
    }
}

fn in_cluster_error(message: String) -> Error {
    Error::Config {
        message: format!("in-cluster config: {message}"),
    }
}
