//! `client-gen`: generate (or `--check`) clientsets from API descriptions on the command line,
//! or `inspect` what the inputs describe; files or a running server (`--from-cluster`).
//! Exit codes: 0 done or up to date, 1 stale output (`--check`), 2 bad input or usage.
//! Also `completions SHELL`: a completion script (clap_complete).

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

use args::{Command, GenerateArgs, InspectArgs};
use client_gen::output::splice_features;
use client_gen::text::counted;

fn main() -> ExitCode {
    match args::parse() {
        Command::Generate(args) => generate(*args),
        Command::Inspect(args) => inspect(args),
        Command::Completions(shell) => {
            let mut command = args::command();
            clap_complete::generate(shell, &mut command, "client-gen", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

fn bad_input(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("client-gen: {e}");
    ExitCode::from(2)
}

fn inspect(args: InspectArgs) -> ExitCode {
    let read = match client_gen::cluster::read_with_cluster(&args.inputs, args.cluster.as_ref()) {
        Ok(read) => read,
        Err(e) => return bad_input(e),
    };
    let settings = client_gen::Settings {
        select: args.select,
        ..client_gen::Settings::default()
    };
    match client_gen::model(&read.documents, &settings) {
        Ok(set) => match inspect::render(&set, &settings) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => bad_input(e),
        },
        Err(e) => bad_input(e),
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    let started = Instant::now();
    let read = match client_gen::cluster::read_with_cluster(&args.inputs, args.cluster.as_ref()) {
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
                "client-gen: {} is up to date ({})",
                args.out.display(),
                counted(output.files.len(), "file")
            );
            return ExitCode::SUCCESS;
        }
        for line in check::summary(&output, &drift, &args.out) {
            eprintln!("{line}");
        }
        if let Some((path, _, _)) = manifest.as_ref().filter(|_| manifest_stale) {
            eprintln!("changed: {} ([features])", path.display());
        }
        let stale = drift.changed.len() + drift.stale.len() + usize::from(manifest_stale);
        let verb = if stale == 1 { "differs" } else { "differ" };
        eprintln!(
            "client-gen: output is stale ({} {verb}); run without --check to regenerate",
            counted(stale, "file")
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
        "client-gen: generated {} from {} in {:.0} ms ({} changed) into {}",
        counted(output.files.len(), "file"),
        match (read.files.len(), args.cluster.is_some()) {
            (0, true) => "the cluster".to_owned(),
            (n, true) => format!("{} and the cluster", counted(n, "input")),
            (n, false) => counted(n, "input"),
        },
        generated_in.as_secs_f64() * 1000.0,
        written.len(),
        PathBuf::from(&args.out).display()
    );
    ExitCode::SUCCESS
}
