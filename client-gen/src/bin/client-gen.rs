//! `client-gen`: generate (or `--check`) clientsets from API descriptions on the command line.
//! Exit codes: 0 done or up to date, 1 stale output (`--check`), 2 bad input or usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use client_gen::output::splice_features;
use client_gen::settings::Layout;
use client_gen::Settings;

const USAGE: &str = "\
usage: client-gen generate --openapi FILE... --out DIR [options]

options:
  --openapi FILE          an OpenAPI v2 (swagger.json) or v3 document; repeatable
  --out DIR               where the Rust files go
  --check                 write nothing; exit 1 if DIR (or the manifest) differs
  --feature-gates         one Cargo feature per API group
  --manifest FILE         Cargo.toml whose marked [features] block to keep in sync
  --default-features A,B  the manifest's default features (with --manifest)
  --rustfmt-skip          mark the tree so `cargo fmt` leaves it as generated
  --compact-serde         emitted serde impls instead of derives (faster to compile)
  --single-file           one file with inline modules instead of a module tree
  --types-only            no clients, no Clientset

example:
  client-gen generate --openapi fixtures/openapi/kubernetes-swagger.json \\
      --out generated/src --feature-gates --rustfmt-skip --compact-serde --manifest generated/Cargo.toml --default-features core,apps
";

struct Args {
    openapi: Vec<PathBuf>,
    out: PathBuf,
    check: bool,
    manifest: Option<PathBuf>,
    default_features: Vec<String>,
    settings: Settings,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("generate") => {}
        Some("--help") | Some("-h") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command {other:?}")),
    }
    let mut openapi = Vec::new();
    let mut out = None;
    let mut check = false;
    let mut manifest = None;
    let mut default_features = Vec::new();
    let mut settings = Settings::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--openapi" => openapi.push(PathBuf::from(value("--openapi")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--check" => check = true,
            "--feature-gates" => settings.feature_gates = true,
            "--rustfmt-skip" => settings.rustfmt_skip = true,
            "--manifest" => manifest = Some(PathBuf::from(value("--manifest")?)),
            "--default-features" => {
                default_features = value("--default-features")?
                    .split(',')
                    .map(str::to_owned)
                    .collect()
            }
            "--single-file" => settings.layout = Layout::SingleFile,
            "--compact-serde" => settings.serde = client_gen::settings::SerdeStyle::Compact,
            "--types-only" => settings.clients = false,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if openapi.is_empty() {
        return Err("give at least one --openapi FILE".to_owned());
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Args {
        openapi,
        out,
        check,
        manifest,
        default_features,
        settings,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("client-gen: {message}\n");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let paths: Vec<&std::path::Path> = args.openapi.iter().map(PathBuf::as_path).collect();
    let output = match client_gen::generate_files(&paths, &args.settings) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("client-gen: {e}");
            return ExitCode::from(2);
        }
    };
    let generated_in = started.elapsed();
    // The manifest's new text, when one is kept in sync.
    let manifest = match &args.manifest {
        Some(path) => {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("client-gen: {}: cannot read: {e}", path.display());
                    return ExitCode::from(2);
                }
            };
            let defaults: Vec<&str> = args.default_features.iter().map(String::as_str).collect();
            match splice_features(&text, &output.features_block(&defaults)) {
                Some(new) => Some((path.clone(), text, new)),
                None => {
                    eprintln!(
                        "client-gen: {}: no `{}` ... `{}` lines to put the features between",
                        path.display(),
                        client_gen::output::FEATURES_BEGIN,
                        client_gen::output::FEATURES_END
                    );
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let header = &args.settings.header;
    if args.check {
        let drift = output.drift(&args.out, header);
        let manifest_stale = manifest.as_ref().is_some_and(|(_, old, new)| old != new);
        if drift.is_empty() && !manifest_stale {
            eprintln!(
                "client-gen: {} is up to date ({} files)",
                args.out.display(),
                output.files.len()
            );
            return ExitCode::SUCCESS;
        }
        for path in &drift.changed {
            eprintln!("stale: {}", args.out.join(path).display());
        }
        for path in &drift.stale {
            eprintln!("not generated any more: {}", args.out.join(path).display());
        }
        if let Some((path, _, _)) = manifest.as_ref().filter(|_| manifest_stale) {
            eprintln!("stale: {} (features)", path.display());
        }
        eprintln!("client-gen: output is stale; run without --check to regenerate");
        return ExitCode::from(1);
    }
    let written = match output.write(&args.out, header) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("client-gen: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some((path, old, new)) = manifest {
        if old != new {
            if let Err(e) = std::fs::write(&path, new) {
                eprintln!("client-gen: {}: cannot write: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    eprintln!(
        "client-gen: generated {} files in {:.0} ms ({} changed) into {}",
        output.files.len(),
        generated_in.as_secs_f64() * 1000.0,
        written.len(),
        args.out.display()
    );
    ExitCode::SUCCESS
}
