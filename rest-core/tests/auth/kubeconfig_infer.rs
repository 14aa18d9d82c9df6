//! `Config::infer_from(env)` in kubectl's order: the files of `KUBECONFIG` (merged, `~`
//! expanded), else `~/.kube/config`, else the in-cluster config, else an error naming what
//! was tried. Each test builds its own `Env`; none touches the process environment.

use crate::support::TempDir;
use rest_core::kubeconfig::KubeconfigErrorKind;
use rest_core::{Config, Env, Error, KubeconfigOptions};

fn kubeconfig(server: &str) -> String {
    format!(
        "current-context: c\nclusters: [{{name: k, cluster: {{server: '{server}'}}}}]\n\
         users: [{{name: u, user: {{token: t}}}}]\ncontexts: [{{name: c, context: {{cluster: k, user: u, namespace: from-file}}}}]\n"
    )
}

/// A service-account folder and the variables of a pod.
fn pod(dir: &TempDir) -> Env {
    dir.write("sa/token", "sa-token");
    dir.write("sa/namespace", "pod-ns");
    Env::empty()
        .var("KUBERNETES_SERVICE_HOST", "10.96.0.1")
        .var("KUBERNETES_SERVICE_PORT", "443")
        .service_account_dir(dir.path("sa"))
}

#[test]
fn kubeconfig_variable_first_with_home_expansion() {
    let dir = TempDir::new("infer");
    dir.write("home/kube/one", &kubeconfig("https://one:6443"));
    dir.write("home/.kube/config", &kubeconfig("https://home:6443"));
    let two = dir.write(
        "two",
        "current-context: other\ncontexts: [{name: other, context: {cluster: k}}]\n",
    );
    let list = std::env::join_paths([std::path::PathBuf::from("~/kube/one"), two]).unwrap();
    let env = pod(&dir)
        .home(dir.path("home"))
        .var("KUBECONFIG", list.to_string_lossy());
    let config = Config::infer_from(&env).unwrap();
    // One's current-context (the first file to set it), and one's cluster.
    assert_eq!(config.host, "https://one:6443");
    assert_eq!(config.default_namespace, "from-file");
    let config = Config::infer_with(&env, &KubeconfigOptions::context("other")).unwrap();
    assert_eq!(
        config.host, "https://one:6443",
        "a context from two, a cluster from one"
    );
}

#[test]
fn home_kube_config_when_kubeconfig_is_unset() {
    let dir = TempDir::new("infer");
    dir.write("home/.kube/config", &kubeconfig("https://home:6443"));
    dir.write("home/.kube/ca.crt", "CA FROM HOME");
    let env = pod(&dir).home(dir.path("home"));
    let config = Config::infer_from(&env).unwrap();
    assert_eq!(config.host, "https://home:6443");

    // `~` in a path inside the kubeconfig is the env's home folder.
    dir.write(
        "home/.kube/config",
        "current-context: c\nclusters: [{name: k, cluster: {server: 'https://home:6443', certificate-authority: ~/.kube/ca.crt}}]\n\
         contexts: [{name: c, context: {cluster: k}}]\n",
    );
    let config = Config::infer_from(&env).unwrap();
    assert_eq!(config.tls.ca_data.as_deref(), Some(&b"CA FROM HOME"[..]));

    // HOME as a variable works the same.
    let env = Env::empty().var("HOME", dir.path("home").to_string_lossy());
    assert_eq!(Config::infer_from(&env).unwrap().host, "https://home:6443");
}

#[test]
fn in_cluster_when_no_kubeconfig_defines_anything() {
    let dir = TempDir::new("infer");
    let env = pod(&dir).home(dir.path("no-home"));
    let config = Config::infer_from(&env).unwrap();
    assert_eq!(config.host, "https://10.96.0.1:443");
    assert_eq!(config.default_namespace, "pod-ns");
    assert_eq!(
        config.credentials.bearer_token.unwrap().expose(),
        "sa-token"
    );

    // Files that exist but are empty count as nothing, as for kubectl.
    let empty = dir.write("empty", "");
    let env = env.var("KUBECONFIG", empty.to_string_lossy());
    assert_eq!(
        Config::infer_from(&env).unwrap().host,
        "https://10.96.0.1:443"
    );
    let options = KubeconfigOptions {
        namespace: Some("chosen".into()),
        ..Default::default()
    };
    assert_eq!(
        Config::infer_with(&env, &options)
            .unwrap()
            .default_namespace,
        "chosen"
    );
}

#[test]
fn nothing_found_names_what_was_tried() {
    let dir = TempDir::new("infer");
    let env = Env::empty()
        .home(dir.path("home"))
        .service_account_dir(dir.path("sa"));
    let err = match Config::infer_from(&env) {
        Err(Error::Kubeconfig(e)) => e,
        other => panic!("{other:?}"),
    };
    assert!(
        matches!(err.kind(), KubeconfigErrorKind::NoConfiguration { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    let home_config = dir.path("home/.kube/config");
    assert!(
        text.contains(&format!("{} is missing or empty", home_config.display())),
        "{text}"
    );
    assert!(
        text.contains(&dir.path("sa/token").display().to_string()),
        "{text}"
    );
    assert!(
        text.contains("set KUBECONFIG or create ~/.kube/config"),
        "{text}"
    );

    // The pod variables without a token file are not enough for in-cluster config.
    let env = env
        .var("KUBERNETES_SERVICE_HOST", "10.0.0.1")
        .var("KUBERNETES_SERVICE_PORT", "443");
    assert!(Config::infer_from(&env).is_err());
}

#[test]
fn a_broken_kubeconfig_is_an_error_not_a_fallback() {
    let dir = TempDir::new("infer");
    let broken = dir.write("broken", "clusters: [\n");
    let env = pod(&dir).var("KUBECONFIG", broken.to_string_lossy());
    let err = Config::infer_from(&env).unwrap_err();
    assert!(
        err.to_string().contains(&broken.display().to_string()),
        "{err}"
    );

    // A context that does not exist names all the files.
    let a = dir.write("a", &kubeconfig("https://a"));
    let list = std::env::join_paths([&a, &dir.path("missing")]).unwrap();
    let env = pod(&dir).var("KUBECONFIG", list.to_string_lossy());
    let err = Config::infer_with(&env, &KubeconfigOptions::context("nope")).unwrap_err();
    assert!(
        err.to_string()
            .contains("context \"nope\" not found; use one of: c"),
        "{err}"
    );
}
