//! Peak memory of one LIST, measured in a fresh child process per client: the bench binary
//! re-executes itself as `krest-bench rss-list <client> <url>` and reports `VmHWM`.

use std::process::Command;

use crate::clients::{Client, Kind};

/// The child's side: one list, then the peak resident set before and after, in KiB.
pub fn child(kind: &str, url: &str) -> Result<(), String> {
    let kind = Kind::from_arg(kind).ok_or_else(|| format!("unknown client {kind:?}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let client = Client::new(kind, url)?;
        // Connect first, so the baseline includes the connection and the runtime.
        client.get_config_map().await?;
        let before = vm_hwm_kib()?;
        let (list, items) = client.list_pods().await?;
        let after = vm_hwm_kib()?;
        std::hint::black_box(&list);
        println!("baseline_kib={before} peak_kib={after} items={items}");
        Ok(())
    })
}

/// Runs the child for `kind` and returns (baseline, peak) in KiB.
pub fn measure(kind: Kind, url: &str) -> Result<(u64, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["rss-list", kind.arg(), url])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "rss child for {kind} failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| format!("rss child for {kind} printed no {name}: {text}"))
    };
    Ok((field("baseline_kib=")?, field("peak_kib=")?))
}

fn vm_hwm_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}
