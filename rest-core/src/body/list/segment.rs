//! Cutting the items array into segments for the decoding threads: at item boundaries
//! guessed with one `memmem` search, or found by an exact scan where items differ.

use bytes::{Bytes, BytesMut};

use super::envelope::{skip_ws, Scan};
use super::{BATCH_BYTES, SEGMENT_ROOM};

/// Cuts the items array into segments of about `BATCH_BYTES` at item boundaries guessed from
/// the first item's opening (`{"metadata"` after `},`): no byte-by-byte scan of the body.
/// A wrong guess (the pattern inside an item) is caught by `Assembly` and costs a re-decode.
pub(super) struct Segmenter {
    pending: BytesMut,
    /// The first item's text up to the end of its first member name.
    opener: Option<Vec<u8>>,
    /// Where the search for a boundary resumes in `pending`.
    searched: usize,
}

impl Segmenter {
    pub(super) fn new(pending: BytesMut) -> Self {
        let mut segmenter = Segmenter {
            pending: BytesMut::new(),
            opener: None,
            searched: 0,
        };
        segmenter.push(&pending);
        segmenter
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        if self.pending.capacity() - self.pending.len() < chunk.len() {
            // Room for a whole segment at once: grown chunk by chunk, the buffer was copied
            // into one twice its size about five times per segment.
            self.pending.reserve(
                chunk
                    .len()
                    .max(SEGMENT_ROOM - self.pending.len().min(SEGMENT_ROOM)),
            );
        }
        self.pending.extend_from_slice(chunk);
        if self.opener.is_none() {
            self.opener = opener(&self.pending);
        }
    }

    /// A segment of at least `BATCH_BYTES`, cut just before an item, once one is there.
    pub(super) fn next_segment(&mut self) -> Option<Bytes> {
        if self.pending.len() < BATCH_BYTES {
            return None;
        }
        let cut = match &self.opener {
            Some(opener) => {
                let from = self.searched.max(BATCH_BYTES);
                let found = find_boundary(&self.pending, from, opener);
                self.searched = self.pending.len().saturating_sub(opener.len() + 64);
                match found {
                    Some(cut) => cut,
                    // Items that do not all start alike: an exact scan once it is overdue.
                    None if self.pending.len() >= 4 * BATCH_BYTES => {
                        scan_boundary(&self.pending, BATCH_BYTES)?
                    }
                    None => return None,
                }
            }
            None => scan_boundary(&self.pending, BATCH_BYTES)?,
        };
        self.searched = 0;
        Some(self.pending.split_to(cut).freeze())
    }

    pub(super) fn rest(&mut self) -> Bytes {
        std::mem::take(&mut self.pending).freeze()
    }
}

/// The first item's opening through its first member name (`{"metadata"`), once arrived.
pub(super) fn opener(items: &[u8]) -> Option<Vec<u8>> {
    let at = skip_ws(items, 0);
    if items.get(at) != Some(&b'{') {
        return None;
    }
    let quote = at + 1 + skip_ws(&items[at + 1..], 0);
    if items.get(quote) != Some(&b'"') {
        return None;
    }
    let close = quote + 1 + memchr::memchr(b'"', items.get(quote + 1..)?)?;
    Some(items[at..=close].to_vec())
}

/// The offset of an `opener` at or after `from` that follows `}` and `,` (whitespace
/// allowed): a likely item start.
pub(super) fn find_boundary(buf: &[u8], from: usize, opener: &[u8]) -> Option<usize> {
    let mut at = from.min(buf.len());
    while let Some(off) = memchr::memmem::find(&buf[at..], opener) {
        let start = at + off;
        let before = buf[..start].trim_ascii_end();
        if let Some(before) = before.strip_suffix(b",") {
            if before.trim_ascii_end().ends_with(b"}") {
                return Some(start);
            }
        }
        at = start + 1;
    }
    None
}

/// An item boundary past `min`, by scanning items exactly from the segment's start.
pub(super) fn scan_boundary(buf: &[u8], min: usize) -> Option<usize> {
    let mut at = skip_ws(buf, 0);
    while at < buf.len() {
        let mut scan = Scan::default();
        let end = scan.run(buf, at)?;
        let after = skip_ws(buf, end);
        if buf.get(after) != Some(&b',') {
            return None;
        }
        at = skip_ws(buf, after + 1);
        if at >= min && at < buf.len() {
            return Some(at);
        }
    }
    None
}
