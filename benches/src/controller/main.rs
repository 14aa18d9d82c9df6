//! controller-bench: krest's `rest_runtime::Controller` next to kube-runtime's `Controller`:
//! 10,000 ConfigMaps listed from a loopback server, each reconciled once by a no-op
//! reconciler; time from start to the last reconcile, and the process's peak memory.
//!
//! `controller-bench [--objects N] [--rounds N]` (the report, Markdown, on stdout)
//! `controller-bench child <krest|kube> <url> <objects>` (internal: one measured run)

mod child;
mod server;

use std::process::{Command, ExitCode};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Krest,
    Kube,
}

impl Kind {
    fn arg(self) -> &'static str {
        match self {
            Kind::Krest => "krest",
            Kind::Kube => "kube",
        }
    }
}

/// One child's figures.
struct Run {
    seconds: f64,
    peak_kib: u64,
    baseline_kib: u64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("child") if args.len() == 4 => {
            let kind = match args[1].as_str() {
                "krest" => Ok(Kind::Krest),
                "kube" => Ok(Kind::Kube),
                other => Err(format!("unknown controller {other:?}")),
            };
            let objects = args[3].parse::<usize>().map_err(|e| e.to_string());
            kind.and_then(|k| objects.and_then(|n| child::run(k, &args[2], n)))
        }
        _ => report(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("controller-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn option(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a number")),
        None => Ok(default),
    }
}

fn report(args: &[String]) -> Result<(), String> {
    let objects = option(args, "--objects", 10_000)?;
    let rounds = option(args, "--rounds", 7)?;
    let server = server::start(objects);
    let mut krest = Vec::new();
    let mut kube = Vec::new();
    for round in 0..rounds {
        // Alternate who goes first, so neither always runs on a machine the other warmed.
        let order = if round % 2 == 0 {
            [Kind::Krest, Kind::Kube]
        } else {
            [Kind::Kube, Kind::Krest]
        };
        for kind in order {
            let run = measure(kind, &server, objects)?;
            eprintln!(
                "round {round} {}: {:.3} s, peak {} KiB",
                kind.arg(),
                run.seconds,
                run.peak_kib
            );
            match kind {
                Kind::Krest => krest.push(run),
                Kind::Kube => kube.push(run),
            }
        }
    }
    let median = |runs: &[Run], f: &dyn Fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let rate = |r: &Run| objects as f64 / r.seconds;
    let peak = |r: &Run| r.peak_kib as f64 / 1024.0;
    let base = |r: &Run| r.baseline_kib as f64 / 1024.0;
    let (kr, ku) = (median(&krest, &rate), median(&kube, &rate));
    let (kp, up) = (median(&krest, &peak), median(&kube, &peak));
    println!(
        "{objects} ConfigMaps in one list, each reconciled once by a no-op reconciler, from the \
         controller's start to the last reconcile; each run a fresh process (peak = `VmHWM`), \
         {rounds} runs per controller alternating, medians."
    );
    println!();
    println!("| controller | objects/s | vs kube-runtime | peak RSS | vs kube-runtime | RSS before start |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| krest `rest_runtime::Controller` | {kr:.0} | {:.2}x | {kp:.1} MiB | {:.2}x | {:.1} MiB |",
        kr / ku,
        kp / up,
        median(&krest, &base)
    );
    println!(
        "| kube-runtime `Controller` | {ku:.0} | 1.00x | {up:.1} MiB | 1.00x | {:.1} MiB |",
        median(&kube, &base)
    );
    Ok(())
}

fn measure(kind: Kind, server: &server::Server, objects: usize) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["child", kind.arg(), &server.url, &objects.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{} child failed: {text}{}",
            kind.arg(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .ok_or_else(|| format!("{} child printed no {name}: {text}", kind.arg()))
    };
    Ok(Run {
        seconds: field("seconds=")?.parse().map_err(|_| "bad seconds")?,
        peak_kib: field("peak_kib=")?.parse().map_err(|_| "bad peak")?,
        baseline_kib: field("baseline_kib=")?
            .parse()
            .map_err(|_| "bad baseline")?,
    })
}
