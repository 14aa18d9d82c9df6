//! The results as Markdown: one table per scenario, every figure also as a ratio to the
//! floor (bare hyper) and to kube-rs, krest protobuf next to krest JSON, then the targets
//! met or missed.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::clients::Kind;
use crate::decode::DECODERS;
use crate::payload::Payloads;
use crate::scenarios::{Options, Results};
use crate::stats::{latency, median, median_duration};

const FLOOR: &str = "hyper (floor)";
const KUBE: &str = "kube-rs";
const KREST: &str = "krest";
const KREST_PB: &str = "krest protobuf";

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// `x / of` when both were measured.
fn ratio_of(x: Option<f64>, of: Option<f64>) -> String {
    x.map_or("-".to_owned(), |x| ratio(x, of))
}

fn ratio(x: f64, of: Option<f64>) -> String {
    match of {
        Some(of) if of > 0.0 => format!("{:.2}x", x / of),
        _ => "-".to_owned(),
    }
}

struct Verdict {
    target: String,
    measured: String,
    met: bool,
}

pub fn print(
    opts: &Options,
    payloads: &Payloads,
    r: &Results,
    load_before: &str,
    load_after: &str,
) {
    let mut verdicts = Vec::new();
    // (figure, krest protobuf / krest JSON, krest protobuf / kube-rs)
    let mut compare: Vec<(&str, String, String)> = Vec::new();
    println!(
        "Run: {} rounds ({} of the two GET scenarios; the 64-way one after one unmeasured pass per client), clients interleaved (in a balanced order: each client in each position, and after each other client, equally often); load average {load_before} before, {load_after} after.\n",
        opts.rounds, opts.get_rounds
    );

    if !r.get.is_empty() {
        let stats: BTreeMap<_, _> = r.get.iter().map(|(k, v)| (*k, latency(v))).collect();
        let mean = |k: &str| stats.get(k).map(|s| s.mean.as_secs_f64());
        let p50 = |k: &str| stats.get(k).map(|s| s.p50.as_secs_f64());
        println!(
            "### 1. Sequential GET of one ConfigMap ({} GETs per client)\n",
            opts.get_rounds * opts.gets_per_round
        );
        println!(
            "| client | mean µs | p50 µs | p99 µs | mean / floor | p50 / floor | mean / kube-rs |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for kind in Kind::ALL {
            let Some(s) = stats.get(kind.name()) else {
                continue;
            };
            let m = s.mean.as_secs_f64();
            println!(
                "| {kind} | {} | {} | {} | {} | {} | {} |",
                us(s.mean),
                us(s.p50),
                us(s.p99),
                ratio(m, mean(FLOOR)),
                ratio(s.p50.as_secs_f64(), p50(FLOOR)),
                ratio(m, mean(KUBE))
            );
        }
        println!();
        if let (Some(k), Some(f)) = (mean(KREST), mean(FLOOR)) {
            verdicts.push(Verdict {
                target: "GET mean <= 1.05x the hyper floor".into(),
                measured: format!(
                    "{:.2}x (kube-rs {})",
                    k / f,
                    ratio(mean(KUBE).unwrap_or(0.0), Some(f))
                ),
                met: k / f <= 1.05,
            });
        }
        if let (Some(p), Some(j)) = (mean(KREST_PB), mean(KREST)) {
            verdicts.push(Verdict {
                target: "protobuf GET mean no slower than krest JSON's (<= 1.00x)".into(),
                measured: format!(
                    "{:.2}x (p50 {}; {} kube-rs)",
                    p / j,
                    ratio(p50(KREST_PB).unwrap_or(0.0), p50(KREST)),
                    ratio(p, mean(KUBE))
                ),
                met: p / j <= 1.0,
            });
        }
        compare.push((
            "GET mean latency",
            ratio_of(mean(KREST_PB), mean(KREST)),
            ratio_of(mean(KREST_PB), mean(KUBE)),
        ));
    }

    if !r.parallel.is_empty() {
        let rate = |k: &str| r.parallel.get(k).map(|v| median(v));
        let cpu = |k: &str| {
            r.parallel_cpu
                .get(k)
                .map(|v| median_duration(v).as_secs_f64() * 1e6)
        };
        println!(
            "### 2. {} concurrent tasks, {} GETs (median of {} rounds)\n",
            opts.parallel_tasks, opts.parallel_gets, opts.get_rounds
        );
        println!("Client CPU: CPU time of all the bench process's threads but the server's during a round, per GET, median (what a GET cost the client, whatever the load).\n");
        println!(
            "| client | req/s | / floor | / kube-rs | client CPU µs/GET | / floor | / kube-rs |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for kind in Kind::ALL {
            let Some(v) = rate(kind.name()) else { continue };
            let c = cpu(kind.name()).unwrap_or(0.0);
            println!(
                "| {kind} | {v:.0} | {} | {} | {c:.1} | {} | {} |",
                ratio(v, rate(FLOOR)),
                ratio(v, rate(KUBE)),
                ratio(c, cpu(FLOOR)),
                ratio(c, cpu(KUBE))
            );
        }
        println!();
        if let (Some(k), Some(f)) = (rate(KREST), rate(FLOOR)) {
            verdicts.push(Verdict {
                target: "64-way GET >= 0.95x the floor's req/s".into(),
                measured: format!(
                    "{:.2}x (kube-rs {})",
                    k / f,
                    ratio(rate(KUBE).unwrap_or(0.0), Some(f))
                ),
                met: k / f >= 0.95,
            });
        }
        compare.push((
            "64-way GET req/s",
            ratio_of(rate(KREST_PB), rate(KREST)),
            ratio_of(rate(KREST_PB), rate(KUBE)),
        ));
        compare.push((
            "64-way GET client CPU per GET",
            ratio_of(cpu(KREST_PB), cpu(KREST)),
            ratio_of(cpu(KREST_PB), cpu(KUBE)),
        ));
    }

    if !r.list.is_empty() || !r.rss.is_empty() {
        let time = |k: &str| r.list.get(k).map(|v| median_duration(v).as_secs_f64());
        let cpu = |k: &str| r.list_cpu.get(k).map(|v| median_duration(v).as_secs_f64());
        let peak = |k: &str| {
            r.rss.get(k).map(|v| {
                median(
                    &v.iter()
                        .map(|(_, p)| *p as f64 / 1024.0)
                        .collect::<Vec<_>>(),
                )
            })
        };
        println!(
            "### 3. LIST of {} pods ({:.1} MB of JSON, {:.1} MB of protobuf) into typed objects\n",
            payloads.pods,
            payloads.pod_list.len() as f64 / 1e6,
            payloads.protobuf.pod_list.len() as f64 / 1e6
        );
        println!("Time: median wall time of {} lists per client. Client CPU: CPU time of all the bench process's threads but the server's during a list (what the list cost, whatever the parallelism), median. Peak RSS: `VmHWM` of a fresh process doing one list, median of {} processes per client.\n", opts.rounds, opts.rss_runs);
        println!("| client | time ms | / floor | / kube-rs | client CPU ms | / floor | / kube-rs | peak RSS MiB | / floor | / kube-rs |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for kind in Kind::ALL {
            let t = time(kind.name());
            let c = cpu(kind.name());
            let p = peak(kind.name());
            println!(
                "| {kind} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                t.map_or("-".into(), |t| format!("{:.1}", t * 1e3)),
                t.map_or("-".into(), |t| ratio(t, time(FLOOR))),
                t.map_or("-".into(), |t| ratio(t, time(KUBE))),
                c.map_or("-".into(), |c| format!("{:.1}", c * 1e3)),
                c.map_or("-".into(), |c| ratio(c, cpu(FLOOR))),
                c.map_or("-".into(), |c| ratio(c, cpu(KUBE))),
                p.map_or("-".into(), |p| format!("{p:.0}")),
                p.map_or("-".into(), |p| ratio(p, peak(FLOOR))),
                p.map_or("-".into(), |p| ratio(p, peak(KUBE))),
            );
        }
        println!();
        if let (Some(k), Some(q)) = (time(KREST), time(KUBE)) {
            verdicts.push(Verdict {
                target: "LIST time <= 0.5x kube-rs".into(),
                measured: format!("{:.2}x", k / q),
                met: k / q <= 0.5,
            });
        }
        if let (Some(k), Some(q)) = (peak(KREST), peak(KUBE)) {
            verdicts.push(Verdict {
                target: "LIST peak RSS <= 0.6x kube-rs".into(),
                measured: format!("{:.2}x", k / q),
                met: k / q <= 0.6,
            });
        }
        if let (Some(p), Some(q)) = (time(KREST_PB), time(KUBE)) {
            verdicts.push(Verdict {
                target: "protobuf LIST time <= 0.15x kube-rs".into(),
                measured: format!("{:.2}x ({} krest JSON)", p / q, ratio(p, time(KREST))),
                met: p / q <= 0.15,
            });
        }
        if let (Some(p), Some(q)) = (peak(KREST_PB), peak(KUBE)) {
            verdicts.push(Verdict {
                target: "protobuf LIST peak RSS <= 0.3x kube-rs".into(),
                measured: format!("{:.2}x ({} krest JSON)", p / q, ratio(p, peak(KREST))),
                met: p / q <= 0.3,
            });
        }
        compare.push((
            "LIST time",
            ratio_of(time(KREST_PB), time(KREST)),
            ratio_of(time(KREST_PB), time(KUBE)),
        ));
        compare.push((
            "LIST client CPU",
            ratio_of(cpu(KREST_PB), cpu(KREST)),
            ratio_of(cpu(KREST_PB), cpu(KUBE)),
        ));
        compare.push((
            "LIST peak RSS",
            ratio_of(peak(KREST_PB), peak(KREST)),
            ratio_of(peak(KREST_PB), peak(KUBE)),
        ));
    }

    if !r.watch.is_empty() {
        let rate = |k: &str| r.watch.get(k).map(|v| median(v));
        let cpu = |k: &str| r.watch_cpu.get(k).map(|v| median_duration(v).as_secs_f64());
        println!(
            "### 4. WATCH delivering {} pod events ({:.0} MB of JSON, {:.0} MB of protobuf), median of {} streams\n",
            payloads.events,
            payloads.watch.len() as f64 / 1e6,
            payloads.protobuf.watch.len() as f64 / 1e6,
            opts.watch_rounds
        );
        println!("| client | events/s | / floor | / kube-rs | client CPU µs/event | / floor | / kube-rs |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for kind in Kind::ALL {
            let Some(v) = rate(kind.name()) else { continue };
            let c = cpu(kind.name()).unwrap_or(0.0);
            println!(
                "| {kind} | {v:.0} | {} | {} | {:.1} | {} | {} |",
                ratio(v, rate(FLOOR)),
                ratio(v, rate(KUBE)),
                c * 1e6,
                ratio(c, cpu(FLOOR)),
                ratio(c, cpu(KUBE))
            );
        }
        println!();
        if let (Some(k), Some(q)) = (rate(KREST), rate(KUBE)) {
            verdicts.push(Verdict {
                target: "WATCH >= 1.5x kube-rs's events/s".into(),
                measured: format!("{:.2}x", k / q),
                met: k / q >= 1.5,
            });
        }
        if let (Some(p), Some(q)) = (rate(KREST_PB), rate(KUBE)) {
            verdicts.push(Verdict {
                target: "protobuf WATCH >= 3x kube-rs's events/s".into(),
                measured: format!("{:.2}x ({} krest JSON)", p / q, ratio(p, rate(KREST))),
                met: p / q >= 3.0,
            });
        }
        compare.push((
            "WATCH events/s",
            ratio_of(rate(KREST_PB), rate(KREST)),
            ratio_of(rate(KREST_PB), rate(KUBE)),
        ));
        compare.push((
            "WATCH client CPU per event",
            ratio_of(cpu(KREST_PB), cpu(KREST)),
            ratio_of(cpu(KREST_PB), cpu(KUBE)),
        ));
    }

    if !r.decode.is_empty() {
        let time = |name: &str| r.decode.get(name).map(|v| median_duration(v));
        let floor = time(DECODERS[2].name).map(|d| d.as_secs_f64());
        let kube = time(DECODERS[1].name).map(|d| d.as_secs_f64());
        println!(
            "### 5. Pure decode of the {:.1} MB list buffer, in process (thread CPU time, median of {} rounds)\n",
            payloads.pod_list.len() as f64 / 1e6,
            opts.rounds
        );
        println!(
            "The protobuf row decodes the protobuf body of the same pods ({:.1} MB); its MB/s is of that body.\n",
            payloads.protobuf.pod_list.len() as f64 / 1e6
        );
        println!("| decoder | ms | MB/s | / serde_json into generated types (floor) | / kube-rs |");
        println!("|---|---:|---:|---:|---:|");
        for d in DECODERS {
            let Some(t) = time(d.name) else { continue };
            let s = t.as_secs_f64();
            let size = if d.protobuf {
                payloads.protobuf.pod_list.len()
            } else {
                payloads.pod_list.len()
            };
            println!(
                "| {} | {} | {:.0} | {} | {} |",
                d.name,
                ms(t),
                size as f64 / 1e6 / s,
                ratio(s, floor),
                ratio(s, kube)
            );
        }
        println!();
    }

    if compare
        .iter()
        .any(|(_, json, kube)| json != "-" || kube != "-")
    {
        println!("### krest protobuf next to krest JSON and kube-rs (same run)\n");
        println!("Lower is better for times, CPU and memory; higher for rates.\n");
        println!("| figure | krest protobuf / krest JSON | krest protobuf / kube-rs |");
        println!("|---|---:|---:|");
        for (figure, json, kube) in &compare {
            println!("| {figure} | {json} | {kube} |");
        }
        println!();
    }

    if !verdicts.is_empty() {
        println!("### Targets (krest, same run)\n");
        println!("| target | measured | |");
        println!("|---|---:|---|");
        for v in verdicts {
            println!(
                "| {} | {} | {} |",
                v.target,
                v.measured,
                if v.met { "met" } else { "**missed**" }
            );
        }
        println!();
    }
}
