//! Pure decode of the pod list buffer, in process, by the decoders and types in question
//! (the JSON body, and for the protobuf row the protobuf body of the same pods).

use std::time::Duration;

type KrestList = rest_core::List<generated::core::v1::Pod>;
type KubeList = kube::core::ObjectList<k8s_openapi::api::core::v1::Pod>;

/// A way to decode the list: a name and a function returning the item count.
pub struct Decoder {
    pub name: &'static str,
    pub run: fn(&[u8]) -> Result<Decoded, String>,
    /// Reads the protobuf body rather than the JSON one.
    pub protobuf: bool,
}

pub const DECODERS: &[Decoder] = &[
    Decoder {
        name: "krest (engine's decode path, generated types)",
        run: krest_engine,
        protobuf: false,
    },
    Decoder {
        name: "kube-rs (utf-8 check + serde_json::from_str, k8s-openapi types)",
        run: kube_rs,
        protobuf: false,
    },
    Decoder {
        name: "serde_json::from_slice, generated types (what the floors do)",
        run: serde_json_generated,
        protobuf: false,
    },
    Decoder {
        name: "serde_json::from_slice, k8s-openapi types",
        run: serde_json_k8s_openapi,
        protobuf: false,
    },
    Decoder {
        name: "sonic_rs::from_slice, generated types",
        run: sonic_generated,
        protobuf: false,
    },
    Decoder {
        name: "simd_json::serde::from_slice (with the copy it needs), generated types",
        run: simd_generated,
        protobuf: false,
    },
    Decoder {
        name:
            "krest protobuf (the whole body: rest_core::protobuf::decode_object), generated types",
        run: krest_protobuf,
        protobuf: true,
    },
];

fn e(err: impl std::fmt::Display) -> String {
    err.to_string()
}

fn krest_engine(buf: &[u8]) -> Result<Decoded, String> {
    let list: KrestList = rest_core::response::decode_json(buf).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn kube_rs(buf: &[u8]) -> Result<Decoded, String> {
    let text = std::str::from_utf8(buf).map_err(e)?;
    let list: KubeList = serde_json::from_str(text).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn serde_json_generated(buf: &[u8]) -> Result<Decoded, String> {
    let list: KrestList = serde_json::from_slice(buf).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn serde_json_k8s_openapi(buf: &[u8]) -> Result<Decoded, String> {
    let list: KubeList = serde_json::from_slice(buf).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn sonic_generated(buf: &[u8]) -> Result<Decoded, String> {
    let list: KrestList = sonic_rs::from_slice(buf).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn simd_generated(buf: &[u8]) -> Result<Decoded, String> {
    let mut copy = buf.to_vec();
    let list: KrestList = simd_json::serde::from_slice(&mut copy).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

fn krest_protobuf(buf: &[u8]) -> Result<Decoded, String> {
    let list: KrestList = rest_core::protobuf::decode_object(buf).map_err(e)?;
    Ok(keep(list.items.len(), list))
}

/// The decoded list, kept alive so that its drop falls outside the timed region.
pub type Decoded = (usize, Box<dyn std::any::Any>);

fn keep<T: 'static>(n: usize, value: T) -> Decoded {
    (n, Box::new(std::hint::black_box(value)))
}

/// Times one decode in CPU time of this thread (so that other processes on a busy machine
/// do not count); the drop of the result is not timed (as in the LIST scenario).
pub fn time(decoder: &Decoder, buf: &[u8]) -> Result<Duration, String> {
    let started = crate::cpu::thread();
    let (n, list) = (decoder.run)(buf)?;
    let elapsed = crate::cpu::thread().saturating_sub(started);
    drop(list);
    if n == 0 {
        return Err(format!("{} decoded no items", decoder.name));
    }
    Ok(elapsed)
}
