//! The five scenarios, each run round by round with the clients interleaved (in an order
//! balanced over rounds: see `order.rs`), so that a noisy moment hits every client alike.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clients::{Client, Kind};
use crate::cpu;
use crate::decode;
use crate::order::{in_order, order};
use crate::payload::Payloads;
use crate::rss;
use crate::server::{Encodings, Server};

#[derive(Clone, Debug)]
pub struct Options {
    pub rounds: usize,
    /// Rounds of the two GET scenarios: more than the others, as their rounds are short
    /// (0.15-0.3 s) and spread wide (wake-ups between threads on two shared cores).
    pub get_rounds: usize,
    pub gets_per_round: usize,
    pub parallel_gets: usize,
    pub parallel_tasks: usize,
    pub pods: usize,
    pub events: usize,
    pub watch_rounds: usize,
    pub rss_runs: usize,
    pub only: Vec<String>,
    /// Only the decoders whose name contains this (for profiling one of them).
    pub decoder: Option<String>,
    /// Only these clients (for profiling one of them); all four when empty.
    pub clients: Vec<Kind>,
    /// Print each sample (stderr): a list's wall time, client CPU and the process's minor
    /// faults; a 64-way round's req/s, client and server CPU per GET and monotonic span.
    pub trace: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut opts = Options {
            // Multiples of 10: one complete balanced order of five clients (see order.rs).
            rounds: 10,
            get_rounds: 50,
            gets_per_round: 2_000,
            parallel_gets: 20_000,
            parallel_tasks: 64,
            pods: 10_000,
            events: 100_000,
            watch_rounds: 3,
            rss_runs: 3,
            only: Vec::new(),
            decoder: None,
            clients: Vec::new(),
            trace: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--rounds" => {
                    opts.rounds = it
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--rounds needs a number")?
                }
                "--get-rounds" => {
                    opts.get_rounds = it
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--get-rounds needs a number")?
                }
                "--decoder" => {
                    opts.decoder = Some(it.next().ok_or("--decoder needs a name")?.clone())
                }
                "--clients" => {
                    opts.clients = it
                        .next()
                        .ok_or("--clients needs a list: krest,krest-protobuf,kube,reqwest,hyper")?
                        .split(',')
                        .map(|c| Kind::from_arg(c).ok_or_else(|| format!("unknown client {c:?}")))
                        .collect::<Result<_, _>>()?
                }
                "--trace" => opts.trace = true,
                "--quick" => {
                    opts.rounds = 2;
                    opts.get_rounds = 2;
                    opts.gets_per_round = 200;
                    opts.parallel_gets = 2_000;
                    opts.pods = 1_000;
                    opts.events = 10_000;
                    opts.watch_rounds = 1;
                    opts.rss_runs = 1;
                }
                "--only" => {
                    opts.only = it
                        .next()
                        .ok_or("--only needs a list: get,par,list,rss,watch,decode")?
                        .split(',')
                        .map(str::to_owned)
                        .collect()
                }
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(opts)
    }

    pub fn wants(&self, scenario: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == scenario)
    }
}

/// Everything measured, per client (or per decoder for the pure decode).
#[derive(Default)]
pub struct Results {
    pub get: BTreeMap<&'static str, Vec<Duration>>,
    pub parallel: BTreeMap<&'static str, Vec<f64>>,
    /// CPU time of the client (all its threads, not the server's) per GET of the 64-way run.
    pub parallel_cpu: BTreeMap<&'static str, Vec<Duration>>,
    pub list: BTreeMap<&'static str, Vec<Duration>>,
    /// CPU time of the client (all its threads, not the server's) per list.
    pub list_cpu: BTreeMap<&'static str, Vec<Duration>>,
    pub rss: BTreeMap<&'static str, Vec<(u64, u64)>>,
    pub watch: BTreeMap<&'static str, Vec<f64>>,
    /// CPU time of the client per event.
    pub watch_cpu: BTreeMap<&'static str, Vec<Duration>>,
    pub decode: BTreeMap<&'static str, Vec<Duration>>,
}

pub async fn run_all(
    opts: &Options,
    server: &Server,
    payloads: &Payloads,
) -> Result<Results, String> {
    let url = server.url.as_str();
    let clients: Vec<(Kind, Client)> = Kind::ALL
        .iter()
        .map(|&k| Client::new(k, url).map(|c| (k, c)))
        .collect::<Result<_, _>>()?;
    let client = |k: Kind| {
        clients
            .iter()
            .find(|(kind, _)| *kind == k)
            .map(|(_, c)| c.clone())
            .ok_or_else(|| format!("no client {k}"))
    };
    let mut results = Results::default();

    // Check every client gets what the server sends, in the encoding it is meant to measure,
    // and warm pools and allocators.
    for kind in order(0, &opts.clients) {
        let c = client(kind)?;
        let before = server.encodings();
        for _ in 0..100 {
            let entries = c.get_config_map().await?;
            if entries != 2 {
                return Err(format!(
                    "{kind}: the ConfigMap decoded with {entries} entries, not 2"
                ));
            }
        }
        if opts.wants("list") || opts.wants("rss") {
            let (list, items) = c.list_pods().await?;
            drop(list);
            if items != payloads.pods {
                return Err(format!(
                    "{kind}: listed {items} pods, not {}",
                    payloads.pods
                ));
            }
        }
        check_encoding(kind, server.encodings() - before)?;
    }

    if opts.wants("get") {
        eprintln!("scenario 1: sequential GET");
        for round in 0..opts.get_rounds {
            for kind in order(round, &opts.clients) {
                let c = client(kind)?;
                let samples = results.get.entry(kind.name()).or_default();
                for _ in 0..opts.gets_per_round {
                    let started = Instant::now();
                    std::hint::black_box(c.get_config_map().await?);
                    samples.push(started.elapsed());
                }
            }
        }
    }

    if opts.wants("par") {
        eprintln!(
            "scenario 2: {} tasks, {} GETs",
            opts.parallel_tasks, opts.parallel_gets
        );
        // One unmeasured pass each: a pool opens its connections (64 or more, as checkouts
        // race connects) in its first pass, which is set-up, not throughput.
        for kind in order(0, &opts.clients) {
            parallel_gets(client(kind)?, opts).await?;
        }
        for round in 0..opts.get_rounds {
            for kind in order(round, &opts.clients) {
                let c = client(kind)?;
                let cpu = ClientCpu::start(server);
                let t0 = cpu::clock(libc::CLOCK_MONOTONIC);
                let accepted = server.accepted();
                let rate = parallel_gets(c, opts).await?;
                let accepted = server.accepted() - accepted;
                let t1 = cpu::clock(libc::CLOCK_MONOTONIC);
                let per_get = cpu.used() / opts.parallel_gets.max(1) as u32;
                if opts.trace {
                    let serving = cpu.serving() / opts.parallel_gets.max(1) as u32;
                    eprintln!(
                        "par round {round} {:<8} {:8.0} req/s  client cpu {:5.2} us/GET  server cpu {:5.2} us/GET  new connections {accepted:3}  monotonic {:.6} {:.6}",
                        kind.name(),
                        rate,
                        per_get.as_secs_f64() * 1e6,
                        serving.as_secs_f64() * 1e6,
                        t0.as_secs_f64(),
                        t1.as_secs_f64()
                    );
                }
                results.parallel.entry(kind.name()).or_default().push(rate);
                results
                    .parallel_cpu
                    .entry(kind.name())
                    .or_default()
                    .push(per_get);
            }
        }
    }

    if opts.wants("list") {
        eprintln!("scenario 3: LIST of {} pods", payloads.pods);
        for round in 0..opts.rounds {
            for kind in order(round, &opts.clients) {
                let c = client(kind)?;
                let faults = cpu::minor_faults();
                let cpu = ClientCpu::start(server);
                let started = Instant::now();
                let (list, items) = c.list_pods().await?;
                let elapsed = started.elapsed();
                let used = cpu.used();
                if opts.trace {
                    eprintln!(
                        "list round {round} {:<8} wall {:6.1} ms  client cpu {:6.1} ms  minor faults {}",
                        kind.name(),
                        elapsed.as_secs_f64() * 1e3,
                        used.as_secs_f64() * 1e3,
                        cpu::minor_faults().saturating_sub(faults)
                    );
                }
                results.list_cpu.entry(kind.name()).or_default().push(used);
                drop(list);
                if items != payloads.pods {
                    return Err(format!("{kind}: listed {items} pods"));
                }
                results.list.entry(kind.name()).or_default().push(elapsed);
            }
        }
    }

    if opts.wants("rss") {
        eprintln!("scenario 3b: peak RSS of a process doing one LIST");
        for round in 0..opts.rss_runs {
            for kind in order(round, &opts.clients) {
                let url = url.to_owned();
                let before = server.encodings();
                let measured = tokio::task::spawn_blocking(move || rss::measure(kind, &url))
                    .await
                    .map_err(|e| e.to_string())??;
                check_encoding(kind, server.encodings() - before)?;
                results.rss.entry(kind.name()).or_default().push(measured);
            }
        }
    }

    if opts.wants("watch") {
        eprintln!("scenario 4: WATCH of {} events", payloads.events);
        for round in 0..opts.watch_rounds {
            for kind in order(round, &opts.clients) {
                let c = client(kind)?;
                let before = server.encodings();
                let cpu = ClientCpu::start(server);
                let started = Instant::now();
                let events = c.watch_pods().await?;
                let elapsed = started.elapsed();
                check_encoding(kind, server.encodings() - before)?;
                results
                    .watch_cpu
                    .entry(kind.name())
                    .or_default()
                    .push(cpu.used() / events.max(1) as u32);
                if events != payloads.events {
                    return Err(format!(
                        "{kind}: watched {events} events, not {}",
                        payloads.events
                    ));
                }
                results
                    .watch
                    .entry(kind.name())
                    .or_default()
                    .push(events as f64 / elapsed.as_secs_f64());
            }
        }
    }

    if opts.wants("decode") {
        eprintln!("scenario 5: pure decode of the list buffer");
        let buf = payloads.pod_list.to_vec();
        let protobuf = payloads.protobuf.pod_list.to_vec();
        for round in 0..opts.rounds {
            let decoders: Vec<&decode::Decoder> = decode::DECODERS
                .iter()
                .filter(|d| {
                    opts.decoder
                        .as_ref()
                        .is_none_or(|f| d.name.contains(f.as_str()))
                })
                .collect();
            for d in in_order(round, &decoders) {
                let input = if d.protobuf { &protobuf } else { &buf };
                let elapsed = decode::time(d, input)?;
                results.decode.entry(d.name).or_default().push(elapsed);
            }
        }
    }
    Ok(results)
}

/// Fails unless every answer `kind` got was in its encoding (protobuf for the protobuf
/// client, JSON for the others): a client that silently fell back would report the other
/// encoding's figures under its name.
fn check_encoding(kind: Kind, got: Encodings) -> Result<(), String> {
    let wrong = if kind.speaks_protobuf() {
        got.json
    } else {
        got.protobuf
    };
    if wrong > 0 || got.protobuf + got.json == 0 {
        return Err(format!(
            "{kind}: the server answered it {} times in protobuf and {} times in JSON; it is meant to get {} only",
            got.protobuf,
            got.json,
            if kind.speaks_protobuf() { "protobuf" } else { "JSON" }
        ));
    }
    Ok(())
}

/// `parallel_gets` GETs shared by `parallel_tasks` tasks; returns requests per second.
async fn parallel_gets(client: Client, opts: &Options) -> Result<f64, String> {
    let remaining = Arc::new(AtomicUsize::new(opts.parallel_gets));
    let started = Instant::now();
    let tasks: Vec<_> = (0..opts.parallel_tasks)
        .map(|_| {
            let client = client.clone();
            let remaining = remaining.clone();
            tokio::spawn(async move {
                while remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    client.get_config_map().await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(opts.parallel_gets as f64 / started.elapsed().as_secs_f64())
}

/// CPU used by this process minus the server thread's: the client's own work.
struct ClientCpu<'a> {
    server: &'a Server,
    process: Duration,
    serving: Duration,
}

impl<'a> ClientCpu<'a> {
    fn start(server: &'a Server) -> Self {
        ClientCpu {
            server,
            process: cpu::process(),
            serving: server.cpu_time(),
        }
    }

    /// The server thread's CPU time since the start.
    fn serving(&self) -> Duration {
        self.server.cpu_time().saturating_sub(self.serving)
    }

    fn used(&self) -> Duration {
        let process = cpu::process().saturating_sub(self.process);
        process.saturating_sub(self.serving())
    }
}
