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
    let days = unix_secs.div_euclid(86_400);
    let secs_of_day = unix_secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (
        secs_of_day / 3600,
        (secs_of_day % 3600) / 60,
        secs_of_day % 60,
    );
    match micros {
        Some(us) => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{us:06}Z"),
        None => format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    }
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
}
