//! The list object around its items: a resumable scanner over the top-level members that
//! finds where the items begin and keeps every other member as the envelope's JSON text.

use bytes::BytesMut;

/// Where the splitter is in the top-level object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum State {
    /// Before the opening `{`.
    #[default]
    Start,
    /// After `{`: a member name or `}`.
    FirstKey,
    /// After `,`: a member name.
    Key,
    /// After a name: the `:`.
    Colon,
    /// After `:`: the member's value (scanned whole).
    Value,
    /// After `"items":`: `[` or another value (`null`).
    ItemsStart,
    /// After `[`: an item (where the items' own decoding takes over) or `]`.
    FirstItem,
    /// After a member's value: `,` or `}`.
    AfterValue,
    /// After the closing `}`: only whitespace.
    Done,
}

/// A JSON value being scanned, resumable across chunks.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A number, `true`, `false` or `null`: ends at the first delimiter.
    scalar: bool,
    started: bool,
}

impl Scan {
    /// Scans `buf` from `at`; returns the offset just past the value once it is complete.
    pub(super) fn run(&mut self, buf: &[u8], mut at: usize) -> Option<usize> {
        while at < buf.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    at += 1;
                    continue;
                }
                // Most of a Kubernetes object is string bytes: jump to the next quote or escape.
                let off = memchr::memchr2(b'"', b'\\', &buf[at..])?;
                at += off;
                if buf[at] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(at + 1);
                    }
                }
                at += 1;
                continue;
            }
            let b = buf[at];
            if !self.started {
                if !b.is_ascii_whitespace() {
                    self.started = true;
                    match b {
                        b'"' => self.in_string = true,
                        b'{' | b'[' => self.depth = 1,
                        _ => self.scalar = true,
                    }
                }
                at += 1;
                continue;
            }
            if self.scalar {
                if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                    return Some(at);
                }
                at += 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(at + 1);
                    }
                }
                _ => {}
            }
            at += 1;
        }
        None
    }
}

/// Splits the top-level list object into its items and an envelope of every other member.
#[derive(Default)]
pub(super) struct Splitter {
    pub(super) state: State,
    /// Bytes not consumed yet: a value or name that continues in the next chunk.
    pub(super) pending: BytesMut,
    /// How far the current `scan` got into `pending`.
    scanned: usize,
    scan: Scan,
    /// The name of the member being read, as it appears in the body (still escaped).
    key: Vec<u8>,
    /// `{` + every member but `items`, as JSON text; `}` is added at the end.
    envelope: Vec<u8>,
    pub(super) items: usize,
}

impl Splitter {
    /// Consumes `chunk` of the envelope. Returns `true` once the first item begins: from
    /// there `pending` holds the items array's text (after `[`), which the caller takes over;
    /// with `after_items` set (the envelope after the items) that never happens.
    pub(super) fn feed(&mut self, chunk: &[u8], stop_at_items: bool) -> Result<bool, String> {
        self.pending.extend_from_slice(chunk);
        loop {
            if self.state == State::Value {
                let Some(end) = self.scan.run(&self.pending, self.scanned) else {
                    self.scanned = self.pending.len();
                    return Ok(false);
                };
                let value = self.pending.split_to(end).freeze();
                self.scanned = 0;
                self.scan = Scan::default();
                if self.envelope.len() > 1 {
                    self.envelope.push(b',');
                }
                self.envelope.push(b'"');
                self.envelope.extend_from_slice(&self.key);
                self.envelope.extend_from_slice(b"\":");
                self.envelope.extend_from_slice(value.trim_ascii_start());
                self.state = State::AfterValue;
                continue;
            }
            // Every other state starts at a structural byte after optional whitespace.
            let Some(at) = self.pending.iter().position(|b| !b.is_ascii_whitespace()) else {
                self.pending.clear();
                return Ok(false);
            };
            let _ = self.pending.split_to(at);
            let b = self.pending[0];
            match (self.state, b) {
                (State::Start, b'{') => {
                    self.envelope.push(b'{');
                    self.state = State::FirstKey;
                }
                (State::FirstKey, b'}') | (State::AfterValue, b'}') => self.state = State::Done,
                (State::FirstKey | State::Key, b'"') => {
                    let mut scan = Scan::default();
                    let Some(end) = scan.run(&self.pending, 0) else {
                        // A name cut in two: wait for the rest.
                        return Ok(false);
                    };
                    self.key.clear();
                    self.key.extend_from_slice(&self.pending[1..end - 1]);
                    let _ = self.pending.split_to(end);
                    self.state = State::Colon;
                    continue;
                }
                (State::Colon, b':') => {
                    self.state = if self.key == b"items" && stop_at_items {
                        State::ItemsStart
                    } else {
                        // A second `items` after the first is left to the envelope's decoding.
                        State::Value
                    };
                }
                (State::ItemsStart, b'[') => self.state = State::FirstItem,
                (State::ItemsStart, _) => {
                    // `"items": null` and the like: left to `List`'s own decoding.
                    self.state = State::Value;
                    continue;
                }
                (State::FirstItem, b']') => self.state = State::AfterValue,
                (State::FirstItem, _) => return Ok(true),
                (State::AfterValue, b',') => self.state = State::Key,
                (state, other) => return Err(unexpected(other, state)),
            }
            let _ = self.pending.split_to(1);
        }
    }

    /// The envelope text once the body has ended, or why the body is not a whole list.
    pub(super) fn finish(mut self, received: u64) -> Result<Vec<u8>, String> {
        match self.state {
            State::Done => {
                self.envelope.push(b'}');
                Ok(self.envelope)
            }
            State::Start => Err("the body is empty".to_owned()),
            _ => Err(format!(
                "the body ended after {received} bytes, inside the list (after {} items): it was cut short",
                self.items
            )),
        }
    }
}

fn unexpected(byte: u8, state: State) -> String {
    let wanted = match state {
        State::Start => "'{' starting the list",
        State::FirstKey => "a member name or '}'",
        State::Key => "a member name",
        State::Colon => "':'",
        State::AfterValue => "',' or '}' after a member",
        State::Done => "the end of the body",
        State::ItemsStart | State::FirstItem | State::Value => "a value",
    };
    format!(
        "the body is not a JSON list object: found {:?} where {wanted} belongs",
        char::from(byte)
    )
}

/// Where the first byte at or after `at` that is not JSON whitespace is.
pub(super) fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}
