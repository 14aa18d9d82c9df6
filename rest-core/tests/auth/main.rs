//! Credentials and kubeconfigs: tokens, basic auth, client certificates, exec plugins, proxies,
//! TLS, and kubeconfig loading, merging and inference, as one test binary.

mod credentials;
mod exec;
mod kubeconfig;
mod kubeconfig_infer;
mod kubeconfig_merge;
mod proxy;
mod secrets_scan;
mod support;
mod tls;
mod token_file;
