//! Hostile bytes: every truncation and byte flip of the real server's bodies, and random
//! input, give an error or a value, never a panic (lengths are checked before use).

use proptest::prelude::*;
use rest_core::meta::{List, ObjectMeta, Status, WatchEvent};
use rest_core::protobuf::{decode_object, decode_watch_event, Message};

use crate::support::{pb, Partial};

fn decode_all(bytes: &[u8]) {
    let _ = decode_object::<Status>(bytes);
    let _ = decode_object::<Partial>(bytes);
    let _ = decode_object::<List<Partial>>(bytes);
    let _ = ObjectMeta::decode(bytes);
    let _: Result<WatchEvent<Partial>, _> = decode_watch_event(bytes);
}

#[test]
fn every_truncation_of_a_real_body_is_an_error() {
    for name in ["status-invalid", "pod-partial", "configmaps-page"] {
        let body = pb(name);
        // A cut between the envelope's fields (after its type, or before its two trailing
        // empty strings) leaves valid protobuf; any other cut is inside a field: an error.
        let between = [6 + usize::from(body[5]), body.len() - 4, body.len() - 2];
        for cut in 0..body.len() {
            assert!(
                between.contains(&cut) || decode_object::<Partial>(&body[..cut]).is_err(),
                "{name} cut at {cut} decoded"
            );
            decode_all(&body[..cut]);
        }
    }
}

#[test]
fn every_flipped_byte_of_a_real_body_is_survived() {
    let body = pb("pod-partial");
    for at in 0..body.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = body.clone();
            bad[at] ^= flip;
            decode_all(&bad);
        }
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
        let mut body = b"k8s\0".to_vec();
        body.extend_from_slice(&bytes);
        decode_all(&body);
    }
}

proptest! {
    /// The fuzz target's invariants (re-encoding keeps the value) on random input.
    #[test]
    fn the_fuzz_entry_point_holds_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        rest_core::fuzzing::protobuf_decode(&bytes);
    }
}

#[test]
fn the_streaming_list_decoder_agrees_with_the_whole_body_in_any_chunking() {
    // The fuzz entry's first byte picks the chunk size; it asserts the two decodes agree.
    for name in ["configmaps-page", "pod-partial"] {
        let body = pb(name);
        for size in 0..64u8 {
            let mut input = vec![size];
            input.extend_from_slice(&body);
            rest_core::fuzzing::protobuf_decode(&input);
            input.truncate(input.len() - 7);
            rest_core::fuzzing::protobuf_decode(&input);
        }
    }
}
