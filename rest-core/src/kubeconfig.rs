//! kubectl's kubeconfig files: the document (`file.rs`), reading and merging several
//! (`load.rs`), and lowering the chosen context into a `Config` (`lower.rs`).

mod error;
mod file;
mod load;
mod lower;

use std::path::Path;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::config::Config;
use crate::env::Env;
use crate::Error;

pub use error::{KubeconfigError, KubeconfigErrorKind};
pub use file::{
    AuthInfo, AuthProviderConfig, Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig,
    NamedAuthInfo, NamedCluster, NamedContext, NamedExtension, Preferences,
};
pub(crate) use load::read_merged;
pub use lower::KubeconfigOptions;
pub(crate) use lower::Lowering;

impl Config {
    /// Reads a kubeconfig file as kubectl does and builds the `Config` of `context`
    /// (`None`: the file's `current-context`). Relative paths in the file are relative to
    /// the file's folder; `*-data` fields are base64.
    pub fn from_kubeconfig(path: impl AsRef<Path>, context: Option<&str>) -> Result<Config, Error> {
        let options = KubeconfigOptions {
            context: context.map(str::to_owned),
            ..Default::default()
        };
        Config::from_kubeconfig_with(path, &options)
    }

    /// Like [`Config::from_kubeconfig`], with kubectl's `--context`, `--cluster`, `--user`
    /// and `--namespace` overrides.
    pub fn from_kubeconfig_with(
        path: impl AsRef<Path>,
        options: &KubeconfigOptions,
    ) -> Result<Config, Error> {
        let path = path.as_ref();
        let kubeconfig = Kubeconfig::read(path)?;
        let env = Env::process();
        let mut lowering = Lowering::new(&kubeconfig, &env, false);
        lowering.files = Some(path.to_path_buf());
        lowering.run(options)
    }

    /// Like [`Config::from_kubeconfig`] for kubeconfig text already in memory; relative
    /// paths in it are resolved against `base_dir`.
    pub fn from_kubeconfig_str(
        yaml: &str,
        base_dir: impl AsRef<Path>,
        context: Option<&str>,
    ) -> Result<Config, Error> {
        let kubeconfig = Kubeconfig::from_yaml(yaml, None)?;
        let env = Env::process();
        let mut lowering = Lowering::new(&kubeconfig, &env, false);
        lowering.fallback_dir = base_dir.as_ref().to_path_buf();
        lowering.run(&KubeconfigOptions {
            context: context.map(str::to_owned),
            ..Default::default()
        })
    }
}

/// Standard base64, padded or not, ignoring line breaks (kubeconfigs are hand-edited).
pub(crate) fn decode_base64(data: &str) -> Result<Vec<u8>, String> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(compact).map_err(|e| e.to_string())
}
