//! `client-gen`: generate (or `--check`) clientsets from API descriptions on the command line,
//! or `inspect` what the inputs describe.
//! Exit codes: 0 done or up to date, 1 stale output (`--check`), 2 bad input or usage.

// The crate root's modules live in `client-gen/` next to it.
#[path = "client-gen/args.rs"]
mod args;
#[path = "client-gen/check.rs"]
mod check;
#[path = "client-gen/inspect.rs"]
mod inspect;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use args::{Command, GenerateArgs, InspectArgs, Usage};
use client_gen::output::splice_features;

const USAGE: &str = "\
client-gen: typed Rust clients (on rest-core) from Kubernetes-style API descriptions

usage:
  client-gen generate INPUTS... --out DIR [options]
  client-gen inspect INPUTS...
  client-gen --help

inputs (repeatable, any mix; globs such as 'crds/*.yaml' are expanded, sorted):
  --openapi FILE          an OpenAPI v2 (swagger.json) or v3 document
  --crd FILE              CustomResourceDefinition manifests, YAML or JSON, several per file
  --discovery FILE        discovery documents (APIResourceList, APIGroupDiscoveryList):
                          kinds another input defines are typed, the rest untyped JSON
  --describe FILE         hand-written API descriptions (kind: APIDescription)
  (inspect also takes bare FILEs, of any of these formats)

allow-lists (repeatable or comma-separated; default: everything the inputs describe;
the types the selected resources use are always included):
  --group G               cert-manager.io, apps, core
  --version G/V           apps/v1, v1 (core)
  --resource R            apps/v1/deployments, v1/pods, certificates.cert-manager.io, pods

generate options:
  --out DIR               where the Rust files go (required)
  --check                 write nothing; exit 1 and list the files that differ if DIR is stale
  --feature-gates         one Cargo feature per API group
  --manifest FILE         Cargo.toml whose marked [features] block to keep in sync
  --default-features A,B  the manifest's default features (with --manifest)
  --rustfmt-skip          mark the tree so `cargo fmt` leaves it as generated
  --compact-serde         emitted serde impls instead of derives (faster to compile)
  --single-file           one file with inline modules instead of a module tree
  --types-only            no clients, no Clientset
  --closed-enums          enums without the `Other(String)` variant: a value the schema
                          does not list fails to decode (default: kept and written back)
  --extern-group G=PATH   group G's types are another crate's (a clientset generated before):
                          not emitted, referred to at PATH (autoscaling=generated::autoscaling);
                          with --feature-gates a group using them turns on that crate's
                          feature for G (generated/autoscaling)
  --reexport-group G=PATH as --extern-group, and re-exported as part of this crate's API
                          (`pub use PATH as <group>;`, its Clientset accessors, a feature
                          turning on the other crate's): one clientset split into crates

exit codes: 0 done (or up to date), 1 stale (--check), 2 bad input or usage

examples:
  client-gen inspect fixtures/crds/cert-manager.io_certificates.yaml
  client-gen generate --crd 'fixtures/crds/*.yaml' --resource certificates.cert-manager.io --out src/k8s
  client-gen generate --openapi swagger.json --discovery apis-apps-v1.json --out src/api --check
  client-gen generate --openapi fixtures/openapi/kubernetes-swagger.json --crd 'fixtures/crds/*.yaml' \\
      --out generated/src --feature-gates --rustfmt-skip --compact-serde \\
      --manifest generated/Cargo.toml --default-features core,apps
  client-gen generate --crd 'fixtures/crds/*.yaml' --extern-group autoscaling=generated::autoscaling \\
      --out generated/crds/src --feature-gates --rustfmt-skip --compact-serde \\
      --manifest generated/crds/Cargo.toml
";

fn main() -> ExitCode {
    match args::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Generate(args)) => generate(args),
        Ok(Command::Inspect(args)) => inspect(args),
        Err(Usage(message)) => {
            if !message.is_empty() {
                eprintln!("client-gen: {message}\n");
            }
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn bad_input(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("client-gen: {e}");
    ExitCode::from(2)
}

fn inspect(args: InspectArgs) -> ExitCode {
    let read = match client_gen::input::read_inputs(&args.inputs) {
        Ok(read) => read,
        Err(e) => return bad_input(e),
    };
    let settings = client_gen::Settings {
        select: args.select,
        ..client_gen::Settings::default()
    };
    match client_gen::model(&read.documents, &settings) {
        Ok(set) => {
            print!("{}", inspect::render(&set));
            ExitCode::SUCCESS
        }
        Err(e) => bad_input(e),
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    let started = Instant::now();
    let read = match client_gen::input::read_inputs(&args.inputs) {
        Ok(read) => read,
        Err(e) => return bad_input(e),
    };
    let output = match client_gen::generate(&read.documents, &args.settings) {
        Ok(output) => output,
        Err(e) => return bad_input(e),
    };
    let generated_in = started.elapsed();
    for warning in &output.warnings {
        eprintln!("client-gen: warning: {warning}");
    }
    // The manifest's new text, when one is kept in sync.
    let manifest = match &args.manifest {
        Some(path) => {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => return bad_input(format!("{}: cannot read: {e}", path.display())),
            };
            let defaults: Vec<&str> = args.default_features.iter().map(String::as_str).collect();
            match splice_features(&text, &output.features_block(&defaults)) {
                Some(new) => Some((path.clone(), text, new)),
                None => {
                    return bad_input(format!(
                        "{}: no `{}` ... `{}` lines to put the features between",
                        path.display(),
                        client_gen::output::FEATURES_BEGIN,
                        client_gen::output::FEATURES_END
                    ))
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
        for line in check::summary(&output, &drift, &args.out) {
            eprintln!("{line}");
        }
        if let Some((path, _, _)) = manifest.as_ref().filter(|_| manifest_stale) {
            eprintln!("changed: {} ([features])", path.display());
        }
        eprintln!(
            "client-gen: output is stale ({} files differ); run without --check to regenerate",
            drift.changed.len() + drift.stale.len() + usize::from(manifest_stale)
        );
        return ExitCode::from(1);
    }
    let written = match output.write(&args.out, header) {
        Ok(w) => w,
        Err(e) => return bad_input(e),
    };
    if let Some((path, old, new)) = manifest {
        if old != new {
            if let Err(e) = std::fs::write(&path, new) {
                return bad_input(format!("{}: cannot write: {e}", path.display()));
            }
        }
    }
    eprintln!(
        "client-gen: generated {} files from {} inputs in {:.0} ms ({} changed) into {}",
        output.files.len(),
        read.files.len(),
        generated_in.as_secs_f64() * 1000.0,
        written.len(),
        PathBuf::from(&args.out).display()
    );
    ExitCode::SUCCESS
}
