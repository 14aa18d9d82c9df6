//! RFC 3339 timestamps read without a date crate: exec plugins' `expirationTimestamp`.
//! (Writing them is `meta::time`'s job.)

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let (secs, nanos) = parse_rfc3339_unix(text)?;
    if secs >= 0 {
        Some(UNIX_EPOCH + Duration::new(u64::try_from(secs).ok()?, nanos))
    } else {
        UNIX_EPOCH
            .checked_sub(Duration::from_secs(u64::try_from(-secs).ok()?))
            .map(|t| t + Duration::from_nanos(u64::from(nanos)))
    }
}

/// The same text as seconds since the Unix epoch (negative before 1970) and nanoseconds.
#[cfg_attr(not(feature = "protobuf"), allow(dead_code))]
pub(crate) fn parse_rfc3339_unix(text: &str) -> Option<(i64, u32)> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let mut value = 0u64;
        for (i, c) in frac[..digits].bytes().enumerate() {
            if i < 9 {
                value = value * 10 + u64::from(c - b'0');
            }
        }
        for _ in digits..9 {
            value *= 10;
        }
        nanos = u32::try_from(value).ok()?;
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = &rest[1..];
            if hm.len() != 5 || hm.as_bytes()[2] != b':' {
                return None;
            }
            let h: i64 = hm[..2].parse().ok()?;
            let m: i64 = hm[3..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((secs, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<i64> {
        parse_rfc3339(text).map(|t| match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        })
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(secs("2026-11-27T13:01:18.123456Z"), Some(1_795_784_478));
        assert_eq!(secs("2026-11-27T14:01:18+01:00"), Some(1_795_784_478));
        assert_eq!(secs("1969-12-31T23:59:59Z"), Some(-1));
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-11-27 13:01Z",
            "2026-11-27T13:01:18",
            "2026-11-27T13:01:18.Z",
            "tomorrow",
        ] {
            assert_eq!(secs(bad), None, "{bad}");
        }
    }
}
