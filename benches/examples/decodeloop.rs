//! A profiling target: decodes the benchmark's pod list N times by krest's decode path, with
//! nothing else in the process (`perf record -g target/release/examples/decodeloop 20`);
//! `decodeloop 20 watch` decodes watch events, `protobuf` and `protobuf-watch` the same
//! from the protobuf bodies.

#[path = "../src/payload.rs"]
#[allow(dead_code)]
mod payload;

// Thread CPU time: the machine is shared, wall time moves with the others' load.
#[path = "../src/cpu.rs"]
#[allow(dead_code)]
mod cpu;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let mode = std::env::args().nth(2).unwrap_or_default();
    let watch = mode.ends_with("watch");
    let protobuf = mode.starts_with("protobuf");
    let payloads = payload::Payloads::build(10_000, if watch { 20_000 } else { 0 });
    let start = cpu::thread();
    let (mut decode, mut dropping) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..rounds {
        if watch && protobuf {
            let mut rest = &payloads.protobuf.watch[..];
            let mut n = 0;
            while let Some(length) = rest_core::protobuf::frame_length(rest) {
                let e: rest_core::WatchEvent<generated::core::v1::Pod> =
                    rest_core::protobuf::decode_watch_event(&rest[4..4 + length]).unwrap();
                rest = &rest[4 + length..];
                n += 1;
                std::hint::black_box(e);
            }
            std::hint::black_box(n);
        } else if protobuf {
            let t = cpu::thread();
            let list: rest_core::List<generated::core::v1::Pod> =
                rest_core::protobuf::decode_object(&payloads.protobuf.pod_list).unwrap();
            decode += cpu::thread() - t;
            let t = cpu::thread();
            drop(std::hint::black_box(list));
            dropping += cpu::thread() - t;
        } else if watch {
            let mut n = 0;
            for line in payloads.watch.split(|b| *b == b'\n') {
                if line.is_empty() {
                    continue;
                }
                let e: rest_core::WatchEvent<generated::core::v1::Pod> =
                    rest_core::response::decode_json(line).unwrap();
                n += 1;
                std::hint::black_box(e);
            }
            std::hint::black_box(n);
        } else {
            let t = cpu::thread();
            let list: rest_core::List<generated::core::v1::Pod> =
                rest_core::response::decode_json(&payloads.pod_list).unwrap();
            decode += cpu::thread() - t;
            let t = cpu::thread();
            drop(std::hint::black_box(list));
            dropping += cpu::thread() - t;
        }
    }
    eprintln!(
        "{:.1} ms per round (decode {:.1}, drop {:.1})",
        (cpu::thread() - start).as_secs_f64() * 1e3 / rounds as f64,
        decode.as_secs_f64() * 1e3 / rounds as f64,
        dropping.as_secs_f64() * 1e3 / rounds as f64,
    );
}
