//! Allocations per pod decoded by krest's decode path (and by serde_json into k8s-openapi's
//! types, for comparison), and by its protobuf decoder from the same pod's protobuf message,
//! counted by a global allocator: `cargo run --release --example allocs [hist]`.

#[path = "../src/payload.rs"]
#[allow(dead_code)]
mod payload;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

struct Counting;

static HIST_ON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static HIST: [AtomicU64; 4096] = [const { AtomicU64::new(0) }; 4096];

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static FREES: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        if HIST_ON.load(Relaxed) {
            HIST[layout.size().min(4095)].fetch_add(1, Relaxed);
        }
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        FREES.fetch_add(1, Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// With `hist` as the first argument: the sizes of what `decode` allocates, once.
fn histogram<R>(what: &str, decode: impl FnOnce() -> R) {
    if std::env::args().nth(1).as_deref() != Some("hist") {
        return;
    }
    HIST_ON.store(true, Relaxed);
    let decoded = decode();
    HIST_ON.store(false, Relaxed);
    std::hint::black_box(decoded);
    let sizes: Vec<String> = (0..4096)
        .filter_map(|i| {
            let n = HIST[i].swap(0, Relaxed);
            (n > 0).then(|| format!("{i}x{n}"))
        })
        .collect();
    println!(
        "allocation sizes of {what} (size x count): {}",
        sizes.join(" ")
    );
}

fn counted<R>(f: impl FnOnce() -> R) -> (R, u64, u64, u64) {
    let (a, r, b) = (
        ALLOCS.load(Relaxed),
        REALLOCS.load(Relaxed),
        BYTES.load(Relaxed),
    );
    let out = f();
    (
        out,
        ALLOCS.load(Relaxed) - a,
        REALLOCS.load(Relaxed) - r,
        BYTES.load(Relaxed) - b,
    )
}

fn main() {
    let pod = payload::pod_json(0);
    let event = format!("{{\"type\":\"MODIFIED\",\"object\":{pod}}}");
    let n = 1000;
    let row = |name: &str, (_, a, r, b): ((), u64, u64, u64)| {
        println!(
            "| {name} | {:.1} | {:.1} | {:.0} |",
            a as f64 / n as f64,
            r as f64 / n as f64,
            b as f64 / n as f64
        )
    };
    println!("pod JSON: {} bytes\n", pod.len());
    println!("| decode of one pod | allocs | reallocs | bytes |\n|---|---:|---:|---:|");
    row(
        "krest Pod (decode_json)",
        counted(|| {
            for _ in 0..n {
                let p: generated::core::v1::Pod =
                    rest_core::response::decode_json(pod.as_bytes()).unwrap();
                std::hint::black_box(p);
            }
        }),
    );
    row(
        "krest WatchEvent<Pod>",
        counted(|| {
            for _ in 0..n {
                let p: rest_core::WatchEvent<generated::core::v1::Pod> =
                    rest_core::response::decode_json(event.as_bytes()).unwrap();
                std::hint::black_box(p);
            }
        }),
    );
    row(
        "k8s-openapi Pod (from_str)",
        counted(|| {
            for _ in 0..n {
                let p: k8s_openapi::api::core::v1::Pod = serde_json::from_str(&pod).unwrap();
                std::hint::black_box(p);
            }
        }),
    );
    histogram("one krest Pod", || {
        rest_core::response::decode_json::<generated::core::v1::Pod>(pod.as_bytes()).unwrap()
    });
    // The same pod as a protobuf message (what a list item is), decoded into the same type;
    // the pods are kept until after the count, so its frees are the decoder's temporaries.
    let krest_pod: generated::core::v1::Pod = serde_json::from_str(&pod).unwrap();
    let message = rest_core::protobuf::Message::encode_to_vec(&krest_pod).unwrap();
    let mut kept = Vec::with_capacity(n);
    let frees = FREES.load(Relaxed);
    row(
        "krest Pod (protobuf message)",
        counted(|| {
            for _ in 0..n {
                let p: generated::core::v1::Pod =
                    rest_core::protobuf::Message::decode(&message).unwrap();
                kept.push(p);
            }
        }),
    );
    let frees = FREES.load(Relaxed) - frees;
    drop(kept);
    histogram("one krest Pod from protobuf", || {
        <generated::core::v1::Pod as rest_core::protobuf::Message>::decode(&message).unwrap()
    });
    row(
        "krest ObjectMeta only",
        counted(|| {
            #[derive(serde::Deserialize)]
            struct M {
                #[allow(dead_code)]
                metadata: rest_core::ObjectMeta,
            }
            for _ in 0..n {
                let p: M = serde_json::from_str(&pod).unwrap();
                std::hint::black_box(p);
            }
        }),
    );
    println!(
        "\nfrees while decoding one pod from protobuf (temporaries): {:.1}; protobuf message {} bytes",
        frees as f64 / n as f64,
        message.len()
    );
}
