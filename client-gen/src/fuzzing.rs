//! Entry points for the fuzz targets under `fuzz/` and their seed-corpus tests: a document
//! of any bytes through the front ends, the model and the emitter, as `generate` runs them.

use crate::input::read::parse_text;
use crate::settings::Settings;

/// One input file (JSON or YAML, several documents allowed): read, lowered, emitted. Bad
/// input must come back as an error, never a panic.
pub fn generate(file: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(docs) = parse_text(file, text) else {
        return;
    };
    if let Ok(output) = crate::generate(&docs, &Settings::crate_tree()) {
        let _ = format!("{output:?}");
    }
}
