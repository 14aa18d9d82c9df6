//! `Time` and `MicroTime`: RFC 3339 timestamps kept as the server's own text, so an object
//! read and written back is byte for byte what the server sent (and decoding costs no parse).
//! The text is kept inline (no heap allocation) when it is as short as the server writes it.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::short_text::ShortText;

/// A timestamp with second precision, RFC 3339 in UTC (`2026-11-27T13:01:18Z`).
///
/// Kept as the string the server sent (read it with [`Time::as_str`] or as a `&str` through
/// `Deref`; make one from a `String` or `&str`, or with [`Time::now`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Time(ShortText);

/// A timestamp with microsecond precision (`2026-11-27T13:01:18.123456Z`), used by events
/// and leases.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MicroTime(ShortText);

impl Time {
    /// The current time, formatted as the API server formats `Time` (seconds, `Z`).
    pub fn now() -> Self {
        let (secs, _) = unix_now();
        Time::from(format_rfc3339(secs, None))
    }
}

impl MicroTime {
    /// The current time with microseconds, formatted as the API server formats `MicroTime`.
    pub fn now() -> Self {
        let (secs, micros) = unix_now();
        MicroTime::from(format_rfc3339(secs, Some(micros)))
    }
}

super::short_text::text_newtype!(Time, "The timestamp as written on the wire.");
super::short_text::text_newtype!(MicroTime, "The timestamp as written on the wire.");

/// Seconds and microseconds since the Unix epoch; a clock before 1970 reads as the epoch.
fn unix_now() -> (i64, u32) {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_micros(),
        ),
        Err(_) => (0, 0),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` for a Unix time, without pulling in a date crate.
pub(crate) fn format_rfc3339(unix_secs: i64, micros: Option<u32>) -> String {
    with_rfc3339(unix_secs, micros, str::to_owned)
}

/// `f` of the text `format_rfc3339` returns, written in a buffer on the stack for years 0 to
/// 9999 (so that decoding a protobuf timestamp allocates nothing for its text, which `Time`
/// keeps inline); other years go through `format!`.
pub(crate) fn with_rfc3339<R>(unix_secs: i64, micros: Option<u32>, f: impl FnOnce(&str) -> R) -> R {
    let days = unix_secs.div_euclid(86_400);
    let secs_of_day = unix_secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (
        secs_of_day / 3600,
        (secs_of_day % 3600) / 60,
        secs_of_day % 60,
    );
    if (0..=9999).contains(&year) && micros.is_none_or(|us| us < 1_000_000) {
        let mut buf = *b"0000-00-00T00:00:00.000000Z";
        let mut put = |at: usize, width: usize, mut value: u64| {
            for i in (at..at + width).rev() {
                buf[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year as u64);
        put(5, 2, u64::from(month));
        put(8, 2, u64::from(day));
        put(11, 2, h as u64);
        put(14, 2, m as u64);
        put(17, 2, s as u64);
        let len = match micros {
            Some(us) => {
                put(20, 6, u64::from(us));
                buf.len()
            }
            None => {
                buf[19] = b'Z';
                20
            }
        };
        // ASCII digits and separators: always UTF-8.
        if let Ok(text) = std::str::from_utf8(&buf[..len]) {
            return f(text);
        }
    }
    let text = match micros {
        Some(us) => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{us:06}Z"),
        None => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    };
    f(&text)
}

/// Proleptic Gregorian date for a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), so `now()` needs no dependency.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::format_rfc3339;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_rfc3339(0, None), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(951_782_400, None), "2000-02-29T00:00:00Z");
        assert_eq!(
            format_rfc3339(1_795_784_478, Some(42)),
            "2026-11-27T13:01:18.000042Z"
        );
    }

    /// The buffer written on the stack (years 0 to 9999) reads as `format!` writes, at the
    /// edges of its range and past them (where `format!` writes it).
    #[test]
    fn stack_text_matches_format() {
        let slow = |secs: i64, micros: Option<u32>| {
            let days = secs.div_euclid(86_400);
            let sod = secs.rem_euclid(86_400);
            let (y, mo, d) = super::civil_from_days(days);
            let (h, m, s) = (sod / 3600, (sod % 3600) / 60, sod % 60);
            match micros {
                Some(us) => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{us:06}Z"),
                None => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z"),
            }
        };
        let year_0 = -62_167_219_200; // 0000-01-01T00:00:00Z
        let year_10000 = 253_402_300_800; // 10000-01-01T00:00:00Z
        for secs in [
            0,
            59,
            86_399,
            1_795_784_478,
            year_0,
            year_0 - 1,
            year_10000 - 1,
            year_10000,
            i64::MIN / 2,
            i64::MAX / 2,
        ] {
            for micros in [None, Some(0), Some(42), Some(999_999), Some(1_000_000)] {
                assert_eq!(
                    format_rfc3339(secs, micros),
                    slow(secs, micros),
                    "{secs} {micros:?}"
                );
            }
        }
        assert_eq!(format_rfc3339(year_0, None), "0000-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(year_10000 - 1, None), "9999-12-31T23:59:59Z");
        assert_eq!(format_rfc3339(year_10000, None), "10000-01-01T00:00:00Z");
    }
}
