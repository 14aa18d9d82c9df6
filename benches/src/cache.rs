//! The cache scenario: a watcher feeding a store, krest's rest-runtime (`watcher` +
//! `reflector`) next to kube-runtime's, on the same server in the same run: initial sync of
//! the pods, the store's memory, peak memory during a re-list, and watch events applied per
//! second. `krest-bench cache [--rounds N] [--quick]`; memory in child processes
//! (`krest-bench cache-rss <contender> <url>`), one per measurement.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::order::in_order;
use crate::payload::Payloads;
use crate::stats::{median, median_duration};

pub use crate::cache_protocol::{Mode, NAMESPACE};

type KrestPod = generated::core::v1::Pod;
type KubePod = k8s_openapi::api::core::v1::Pod;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Contender {
    Krest,
    /// krest with `drop_managed_fields` as the store's transform.
    KrestDrop,
    Kube,
    /// kube-runtime with `.modify()` clearing managedFields on the watcher's stream.
    KubeDrop,
}

impl Contender {
    const ALL: [Contender; 4] = [
        Contender::Krest,
        Contender::KrestDrop,
        Contender::Kube,
        Contender::KubeDrop,
    ];

    fn arg(self) -> &'static str {
        match self {
            Contender::Krest => "krest",
            Contender::KrestDrop => "krest-drop",
            Contender::Kube => "kube",
            Contender::KubeDrop => "kube-drop",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Contender::Krest => "krest",
            Contender::KrestDrop => "krest, managedFields dropped",
            Contender::Kube => "kube-runtime",
            Contender::KubeDrop => "kube-runtime, managedFields dropped (`.modify`)",
        }
    }

    fn from_arg(arg: &str) -> Option<Contender> {
        Contender::ALL.into_iter().find(|c| c.arg() == arg)
    }

    fn drops(self) -> bool {
        matches!(self, Contender::KrestDrop | Contender::KubeDrop)
    }
}

/// Where a run is: called at the first `InitDone`, and at the end.
trait Probe {
    /// After the first sync; returning false ends the run there.
    fn synced(&mut self, store_len: usize) -> bool;
    /// After each applied change once synced; returning false ends the run.
    fn applied(&mut self) -> bool;
    /// After a later `InitDone` (a re-list done); returning false ends the run.
    fn relisted(&mut self, store_len: usize) -> bool;
}

/// Drives one watcher + store of `who` against the bench server until the probe says stop.
async fn drive(
    who: Contender,
    base: &str,
    mode: Mode,
    probe: &mut dyn Probe,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", who.arg());
    match who {
        Contender::Krest | Contender::KrestDrop => {
            use rest_runtime::watcher::{self, Event};
            let mut config = rest_core::Config::new(base);
            config.qps = 0.0;
            // JSON, as kube-runtime speaks (the bench builds `generated` with its codecs).
            config.protobuf = false;
            let rest = rest_core::RestClient::for_config(&config).map_err(|e| err(&e))?;
            let pods = rest_core::ResourceClient::<KrestPod>::namespaced(&rest, NAMESPACE);
            let mut writer = rest_runtime::Writer::default();
            if who.drops() {
                writer = writer.transform(rest_runtime::store::drop_managed_fields);
            }
            let store = writer.as_reader();
            let config = watcher::Config::default().labels(mode.selector());
            let events = rest_runtime::reflector(writer, watcher::watcher(pods, config));
            let mut events = std::pin::pin!(events);
            let mut synced = false;
            while let Some(event) = events.next().await {
                let go_on = match event {
                    Ok(Event::InitDone) if !synced => {
                        synced = true;
                        probe.synced(store.len())
                    }
                    Ok(Event::InitDone) => probe.relisted(store.len()),
                    Ok(Event::Apply(_) | Event::Delete(_)) if synced => probe.applied(),
                    Ok(_) => true,
                    Err(e) if e.to_string().contains("410") => true,
                    Err(e) => return Err(err(&e)),
                };
                if !go_on {
                    return Ok(());
                }
            }
            Err(err(&"the watcher ended"))
        }
        Contender::Kube | Contender::KubeDrop => {
            use kube::runtime::watcher::{self, Event};
            use kube::runtime::WatchStreamExt;
            use kube::ResourceExt;
            let uri: http::Uri = base.parse().map_err(|e| err(&e))?;
            let client = kube::Client::try_from(kube::Config::new(uri)).map_err(|e| err(&e))?;
            let api = kube::Api::<KubePod>::namespaced(client, NAMESPACE);
            let (store, writer) = kube::runtime::reflector::store::<KubePod>();
            let config = watcher::Config::default().labels(mode.selector());
            let stream = watcher::watcher(api, config);
            let events = if who.drops() {
                kube::runtime::reflector(
                    writer,
                    stream.modify(|pod: &mut KubePod| pod.managed_fields_mut().clear()),
                )
                .boxed()
            } else {
                kube::runtime::reflector(writer, stream).boxed()
            };
            let mut events = events;
            let mut synced = false;
            while let Some(event) = events.next().await {
                let go_on = match event {
                    Ok(Event::InitDone) if !synced => {
                        synced = true;
                        probe.synced(store.len())
                    }
                    Ok(Event::InitDone) => probe.relisted(store.len()),
                    Ok(Event::Apply(_) | Event::Delete(_)) if synced => probe.applied(),
                    Ok(_) => true,
                    Err(e)
                        if e.to_string().contains("410") || e.to_string().contains("Expired") =>
                    {
                        true
                    }
                    Err(e) => return Err(err(&e)),
                };
                if !go_on {
                    return Ok(());
                }
            }
            Err(err(&"the watcher ended"))
        }
    }
}

/// Reads per second from a synced store: `threads` threads each looking up `per_thread`
/// objects by key (every key in turn), while nothing writes.
async fn read_rate(
    who: Contender,
    base: &str,
    threads: usize,
    per_thread: usize,
) -> Result<f64, String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", who.arg());
    fn hammer(threads: usize, per_thread: usize, get: &(dyn Fn(usize) -> bool + Sync)) -> f64 {
        let start = Instant::now();
        std::thread::scope(|s| {
            for t in 0..threads {
                s.spawn(move || {
                    let mut found = 0usize;
                    for i in 0..per_thread {
                        found += usize::from(get(i.wrapping_mul(7919).wrapping_add(t)));
                    }
                    std::hint::black_box(found)
                });
            }
        });
        (threads * per_thread) as f64 / start.elapsed().as_secs_f64()
    }
    match who {
        Contender::Krest | Contender::KrestDrop => {
            let mut config = rest_core::Config::new(base);
            config.qps = 0.0;
            config.protobuf = false;
            let rest = rest_core::RestClient::for_config(&config).map_err(|e| err(&e))?;
            let pods = rest_core::ResourceClient::<KrestPod>::namespaced(&rest, NAMESPACE);
            let writer = rest_runtime::Writer::default();
            let store = writer.as_reader();
            let config = rest_runtime::watcher::Config::default().labels(Mode::Sync.selector());
            let events =
                rest_runtime::reflector(writer, rest_runtime::watcher::watcher(pods, config));
            let task = tokio::spawn(events.for_each(|_| async {}));
            store.wait_until_ready().await.map_err(|e| err(&e))?;
            let keys = store.list_keys();
            let rate = hammer(threads, per_thread, &|i| {
                store.get(&keys[i % keys.len()]).is_some()
            });
            task.abort();
            Ok(rate)
        }
        Contender::Kube | Contender::KubeDrop => {
            use kube::runtime::reflector::ObjectRef;
            let uri: http::Uri = base.parse().map_err(|e| err(&e))?;
            let client = kube::Client::try_from(kube::Config::new(uri)).map_err(|e| err(&e))?;
            let api = kube::Api::<KubePod>::namespaced(client, NAMESPACE);
            let (store, writer) = kube::runtime::reflector::store::<KubePod>();
            let config = kube::runtime::watcher::Config::default().labels(Mode::Sync.selector());
            let events =
                kube::runtime::reflector(writer, kube::runtime::watcher::watcher(api, config));
            let task = tokio::spawn(events.for_each(|_| async {}));
            store.wait_until_ready().await.map_err(|e| err(&e))?;
            let keys: Vec<ObjectRef<KubePod>> = store
                .state()
                .iter()
                .map(|p| ObjectRef::from_obj(&**p))
                .collect();
            let rate = hammer(threads, per_thread, &|i| {
                store.get(&keys[i % keys.len()]).is_some()
            });
            task.abort();
            Ok(rate)
        }
    }
}

/// Times the first sync.
struct SyncTime {
    start: Instant,
    took: Option<Duration>,
    len: usize,
}

impl Probe for SyncTime {
    fn synced(&mut self, len: usize) -> bool {
        self.took = Some(self.start.elapsed());
        self.len = len;
        false
    }
    fn applied(&mut self) -> bool {
        false
    }
    fn relisted(&mut self, _: usize) -> bool {
        false
    }
}

/// Times `events` changes applied after the sync.
struct EventRate {
    events: usize,
    seen: usize,
    from: Option<Instant>,
    took: Option<Duration>,
}

impl Probe for EventRate {
    fn synced(&mut self, _: usize) -> bool {
        self.from = Some(Instant::now());
        true
    }
    fn applied(&mut self) -> bool {
        self.seen += 1;
        if self.seen < self.events {
            return true;
        }
        self.took = self.from.map(|f| f.elapsed());
        false
    }
    fn relisted(&mut self, _: usize) -> bool {
        true
    }
}

/// The child's side: RSS after the sync, then peak RSS during one re-list (all in KiB).
struct Memory {
    baseline: u64,
    after_sync: u64,
    relist_peak: u64,
    len: usize,
}

impl Probe for Memory {
    fn synced(&mut self, len: usize) -> bool {
        self.len = len;
        // Memory freed after decoding (list bodies, dropped fields) goes back to the system
        // first, for both contenders alike: what is left is what the store holds.
        // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
        unsafe {
            libc::malloc_trim(0);
        }
        self.after_sync = proc_status_kib("VmRSS:").unwrap_or(0);
        // Reset the peak to now, so what follows measures the re-list alone.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        true
    }
    fn applied(&mut self) -> bool {
        true
    }
    fn relisted(&mut self, _: usize) -> bool {
        self.relist_peak = proc_status_kib("VmHWM:").unwrap_or(0);
        false
    }
}

fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `krest-bench cache-rss <contender> <url>`: one sync then one re-list, in this process.
pub fn child(who: &str, url: &str) -> Result<(), String> {
    let who = Contender::from_arg(who).ok_or_else(|| format!("unknown contender {who:?}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        // The runtime, the TLS-less client stacks and their code are paged in first.
        let mut probe = Memory {
            baseline: proc_status_kib("VmRSS:").unwrap_or(0),
            after_sync: 0,
            relist_peak: 0,
            len: 0,
        };
        drive(who, url, Mode::Relist, &mut probe).await?;
        println!(
            "baseline_kib={} after_sync_kib={} relist_peak_kib={} items={}",
            probe.baseline, probe.after_sync, probe.relist_peak, probe.len
        );
        Ok(())
    })
}

fn measure_memory(who: Contender, url: &str) -> Result<(u64, u64, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["cache-rss", who.arg(), url])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "cache-rss child for {} failed: {text}{}",
            who.arg(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| format!("cache-rss child printed no {name}: {text}"))
    };
    Ok((
        field("baseline_kib=")?,
        field("after_sync_kib=")?,
        field("relist_peak_kib=")?,
    ))
}

#[derive(Default)]
struct Samples {
    sync: Vec<Duration>,
    rate: Vec<f64>,
    reads: Vec<f64>,
    store_kib: Vec<f64>,
    relist_kib: Vec<f64>,
}

/// `krest-bench cache`: every measurement, contenders interleaved round by round.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut rounds = 8;
    let mut event_rounds = 3;
    let mut memory_runs = 3;
    let mut pods = 10_000;
    let mut events = 100_000;
    let mut reads_per_thread = 2_000_000;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rounds needs a number")?
            }
            "--quick" => {
                rounds = 2;
                event_rounds = 1;
                memory_runs = 1;
                pods = 1_000;
                events = 10_000;
                reads_per_thread = 100_000;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    eprintln!("building payloads: {pods} pods, {events} watch events ...");
    let payloads = Arc::new(Payloads::build(pods, events));
    let server = crate::server::start(payloads.clone());
    let url = server.url.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let load_before = crate::report::load_average();
    let mut samples: std::collections::BTreeMap<&'static str, Samples> = Default::default();
    runtime.block_on(async {
        // One unmeasured sync each: code paged in, allocator warmed.
        for who in Contender::ALL {
            let mut probe = SyncTime {
                start: Instant::now(),
                took: None,
                len: 0,
            };
            drive(who, &url, Mode::Sync, &mut probe).await?;
        }
        for round in 0..rounds {
            for who in in_order(round, &Contender::ALL) {
                let mut probe = SyncTime {
                    start: Instant::now(),
                    took: None,
                    len: 0,
                };
                drive(who, &url, Mode::Sync, &mut probe).await?;
                if probe.len != pods {
                    return Err(format!(
                        "{}: synced {} of {pods} pods",
                        who.arg(),
                        probe.len
                    ));
                }
                let took = probe.took.ok_or("no sync time")?;
                eprintln!("sync {round} {}: {took:?}", who.arg());
                samples.entry(who.name()).or_default().sync.push(took);
            }
        }
        for round in 0..event_rounds {
            for who in in_order(round, &[Contender::Krest, Contender::Kube]) {
                let mut probe = EventRate {
                    events,
                    seen: 0,
                    from: None,
                    took: None,
                };
                drive(who, &url, Mode::Events, &mut probe).await?;
                let took = probe.took.ok_or("the events did not all arrive")?;
                let rate = events as f64 / took.as_secs_f64();
                eprintln!("events {round} {}: {took:?} ({rate:.0}/s)", who.arg());
                samples.entry(who.name()).or_default().rate.push(rate);
            }
        }
        for round in 0..event_rounds {
            for who in in_order(round, &[Contender::Krest, Contender::Kube]) {
                let rate = read_rate(who, &url, 2, reads_per_thread).await?;
                eprintln!("reads {round} {}: {rate:.0}/s", who.arg());
                samples.entry(who.name()).or_default().reads.push(rate);
            }
        }
        Ok::<(), String>(())
    })?;
    for run in 0..memory_runs {
        for who in in_order(run, &Contender::ALL) {
            let (baseline, after, peak) = measure_memory(who, &url)?;
            eprintln!("memory {run} {}: baseline {baseline} KiB, after sync {after} KiB, relist peak {peak} KiB", who.arg());
            let s = samples.entry(who.name()).or_default();
            s.store_kib.push(after.saturating_sub(baseline) as f64);
            s.relist_kib.push(peak.saturating_sub(baseline) as f64);
        }
    }
    let load_after = crate::report::load_average();
    report(
        &samples,
        rounds,
        event_rounds,
        memory_runs,
        pods,
        events,
        &load_before,
        &load_after,
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn report(
    samples: &std::collections::BTreeMap<&'static str, Samples>,
    rounds: usize,
    event_rounds: usize,
    memory_runs: usize,
    pods: usize,
    events: usize,
    load_before: &str,
    load_after: &str,
) {
    let get = |c: Contender| samples.get(c.name());
    let sync = |c: Contender| get(c).map(|s| median_duration(&s.sync).as_secs_f64() * 1e3);
    let store = |c: Contender| get(c).map(|s| median(&s.store_kib) / 1024.0);
    let relist = |c: Contender| get(c).map(|s| median(&s.relist_kib) / 1024.0);
    let rate = |c: Contender| {
        get(c)
            .filter(|s| !s.rate.is_empty())
            .map(|s| median(&s.rate))
    };
    let reads = |c: Contender| {
        get(c)
            .filter(|s| !s.reads.is_empty())
            .map(|s| median(&s.reads))
    };
    let fmt = |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:.digits$}"));
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
        _ => "-".to_owned(),
    };
    println!(
        "Run: {pods} pods; initial sync {rounds} rounds and {events} watch events {event_rounds} rounds (contenders interleaved in a balanced order, after one unmeasured sync each); memory {memory_runs} child processes per contender; medians. Load average {load_before} before, {load_after} after.\n"
    );
    println!("| | krest | kube-runtime | krest / kube-runtime | target |");
    println!("|---|---:|---:|---:|---|");
    let (k, kd, q, qd) = (
        Contender::Krest,
        Contender::KrestDrop,
        Contender::Kube,
        Contender::KubeDrop,
    );
    println!(
        "| initial sync of {pods} pods into a store (ms) | {} | {} | {} | <= 0.5x |",
        fmt(sync(k), 1),
        fmt(sync(q), 1),
        ratio(sync(k), sync(q))
    );
    println!(
        "| store after sync, process RSS delta (MiB) | {} | {} | {} | <= 0.5x |",
        fmt(store(k), 1),
        fmt(store(q), 1),
        ratio(store(k), store(q))
    );
    println!(
        "| the same, krest dropping managedFields (MiB) | {} | {} | {} | <= 0.35x |",
        fmt(store(kd), 1),
        fmt(store(q), 1),
        ratio(store(kd), store(q))
    );
    println!(
        "| peak RSS during a re-list of the {pods} pods, over the baseline (MiB) | {} | {} | {} | <= 0.6x |",
        fmt(relist(k), 1), fmt(relist(q), 1), ratio(relist(k), relist(q))
    );
    println!(
        "| watch events applied to the store per second | {} | {} | {} | >= 1.5x |",
        fmt(rate(k), 0),
        fmt(rate(q), 0),
        ratio(rate(k), rate(q))
    );
    println!(
        "| store lookups by key per second, 2 threads (RwLock-guarded map, as kube-runtime's) | {} | {} | {} | |",
        fmt(reads(k), 0), fmt(reads(q), 0), ratio(reads(k), reads(q))
    );
    println!();
    println!("Both dropping managedFields (krest's transform, kube-runtime's `.modify`), for comparison:\n");
    println!("| | krest | kube-runtime | krest / kube-runtime |");
    println!("|---|---:|---:|---:|");
    println!(
        "| initial sync (ms) | {} | {} | {} |",
        fmt(sync(kd), 1),
        fmt(sync(qd), 1),
        ratio(sync(kd), sync(qd))
    );
    println!(
        "| store after sync, RSS delta (MiB) | {} | {} | {} |",
        fmt(store(kd), 1),
        fmt(store(qd), 1),
        ratio(store(kd), store(qd))
    );
    println!(
        "| peak during a re-list (MiB) | {} | {} | {} |",
        fmt(relist(kd), 1),
        fmt(relist(qd), 1),
        ratio(relist(kd), relist(qd))
    );
}
