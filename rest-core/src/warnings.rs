//! `Warning` response headers (RFC 7234 `299 - "text"`) and the handlers that receive them,
//! as client-go's `warnings.go`.

use std::collections::HashSet;
use std::sync::Mutex;

use http::HeaderMap;

/// One parsed `Warning` header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningHeader {
    pub code: u16,
    pub agent: String,
    pub text: String,
}

/// Receives every warning the server sends.
pub trait WarningHandler: Send + Sync {
    fn handle_warning(&self, warning: &WarningHeader);

    /// Whether a response that carried warnings should fail with `Error::Warnings`
    /// (kubectl's `--warnings-as-errors`). Checked after `handle_warning` saw them all.
    fn fails_request(&self) -> bool {
        false
    }
}

/// The default: logs each distinct warning text once per client through `tracing`, as
/// client-go's deduplicating `WarningLogger`. Only code 299 with a text is logged.
#[derive(Debug, Default)]
pub struct LogOnceWarningHandler {
    seen: Mutex<HashSet<String>>,
}

impl LogOnceWarningHandler {
    pub fn new() -> Self {
        Self::default()
    }
}

impl WarningHandler for LogOnceWarningHandler {
    fn handle_warning(&self, warning: &WarningHeader) {
        if warning.code != 299 || warning.text.is_empty() {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.insert(warning.text.clone()) {
            tracing::warn!(agent = %warning.agent, "{}", warning.text);
        }
    }
}

/// Keeps every warning, for callers that want to show or check them afterwards.
#[derive(Debug, Default)]
pub struct CollectingWarningHandler {
    warnings: Mutex<Vec<WarningHeader>>,
}

impl CollectingWarningHandler {
    pub fn new() -> Self {
        Self::default()
    }

    /// All warnings received so far.
    pub fn warnings(&self) -> Vec<WarningHeader> {
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Removes and returns all warnings received so far.
    pub fn take(&self) -> Vec<WarningHeader> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl WarningHandler for CollectingWarningHandler {
    fn handle_warning(&self, warning: &WarningHeader) {
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(warning.clone());
    }
}

/// Turns any response carrying a `299` warning into an `Error::Warnings`.
#[derive(Debug, Default, Clone, Copy)]
pub struct WarningsAsErrors;

impl WarningHandler for WarningsAsErrors {
    fn handle_warning(&self, _warning: &WarningHeader) {}

    fn fails_request(&self) -> bool {
        true
    }
}

/// Drops every warning.
#[derive(Debug, Default, Clone, Copy)]
pub struct IgnoreWarnings;

impl WarningHandler for IgnoreWarnings {
    fn handle_warning(&self, _warning: &WarningHeader) {}
}

/// Every well-formed warning in the `Warning` headers of a response. A malformed value is
/// logged at debug level and the rest of that header skipped, as client-go does.
pub fn parse_warning_headers(headers: &HeaderMap) -> Vec<WarningHeader> {
    let mut out = Vec::new();
    for value in headers.get_all(http::header::WARNING) {
        let Ok(text) = value.to_str() else {
            tracing::debug!("skipping a Warning header that is not visible ASCII");
            continue;
        };
        if let Err(why) = parse_warning_header(text, &mut out) {
            tracing::debug!(header = text, "malformed Warning header: {why}");
        }
    }
    out
}

/// Parses one header value: `code agent "text" ["date"] [, code agent "text" ...]`.
pub fn parse_warning_header(value: &str, out: &mut Vec<WarningHeader>) -> Result<(), String> {
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        let (code, after) = rest
            .split_once(' ')
            .ok_or("expected a warn-code followed by a space")?;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("warn-code {code:?} is not three digits"));
        }
        let code = code.parse::<u16>().map_err(|e| e.to_string())?;
        let (agent, after) = after
            .split_once(' ')
            .ok_or("expected a warn-agent followed by a space")?;
        if agent.is_empty() {
            return Err("empty warn-agent".to_owned());
        }
        let (text, mut after) = quoted(after)?;
        // An optional quoted warn-date, which nobody needs.
        if let Some(date) = after.strip_prefix(" \"") {
            let end = date.find('"').ok_or("unterminated warn-date")?;
            after = &date[end + 1..];
        }
        out.push(WarningHeader {
            code,
            agent: agent.to_owned(),
            text,
        });
        let after = after.trim_start();
        rest = match after.strip_prefix(',') {
            Some(next) => next.trim_start(),
            None if after.is_empty() => after,
            None => return Err(format!("unexpected {after:?} after a warning")),
        };
    }
    Ok(())
}

/// A quoted-string with backslash escapes at the start of `s`, and what follows it.
fn quoted(s: &str) -> Result<(String, &str), String> {
    let body = s.strip_prefix('"').ok_or("warn-text is not quoted")?;
    let mut text = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((text, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, escaped)) => text.push(escaped),
                None => break,
            },
            c => text.push(c),
        }
    }
    Err("unterminated warn-text".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &str) -> (Vec<WarningHeader>, Result<(), String>) {
        let mut out = Vec::new();
        let r = parse_warning_header(v, &mut out);
        (out, r)
    }

    #[test]
    fn parses_one_several_and_dated_warnings() {
        let (w, r) = parse(r#"299 - "a \"quoted\" word""#);
        assert_eq!(r, Ok(()));
        assert_eq!(w[0].text, "a \"quoted\" word");
        let (w, r) = parse(r#"299 - "one" "Wed, 21 Oct 2015 07:28:00 GMT", 299 kube "two""#);
        assert_eq!(r, Ok(()));
        assert_eq!(w.len(), 2);
        assert_eq!((w[1].agent.as_str(), w[1].text.as_str()), ("kube", "two"));
    }

    #[test]
    fn stops_at_malformed_values_keeping_what_came_before() {
        for bad in [
            "29 - \"x\"",
            "299 - x",
            "299 - \"open",
            "299 -",
            "299 - \"a\" junk",
        ] {
            assert!(parse(bad).1.is_err(), "{bad}");
        }
        let (w, r) = parse(r#"299 - "good", nope"#);
        assert!(r.is_err());
        assert_eq!(w.len(), 1);
    }
}
