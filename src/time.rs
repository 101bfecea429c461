//! Instants, exact durations and the parsing of both.
//!
//! Every instant inside slacredit is UTC seconds since the Unix epoch ([`Instant`]); civil dates and
//! clock times exist only in a contract's zone and are turned into instants in one place
//! (`local_instant`). Durations are whole seconds ([`Seconds`]) and become minutes only where a
//! contract's counting rule says how.

use crate::error::InvalidValue;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// The earliest and latest instants accepted in any input: years 1900 to 2199. Anything outside is
/// almost certainly a typo (a year `0218`), and bounding it keeps every sum of seconds exact.
pub const MIN_YEAR: i32 = 1900;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2199;

/// An exact point in time: whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

impl Instant {
    /// The instant `seconds` after the Unix epoch.
    pub const fn from_unix_seconds(seconds: i64) -> Instant {
        Instant(seconds)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The instant as a chrono UTC date-time.
    pub fn to_utc(self) -> DateTime<Utc> {
        // In range by construction: every Instant comes from a chrono date-time or from adding
        // bounded durations to one.
        DateTime::from_timestamp(self.0, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The instant in `zone`.
    pub fn in_zone(self, zone: Tz) -> DateTime<Tz> {
        self.to_utc().with_timezone(&zone)
    }

    /// Parses an RFC 3339 time (`2018-11-22T08:19:00+09:00`, `...Z`). A time without an offset is
    /// read in `input_zone` when one is given, and is an error otherwise. Fractions of a second are
    /// dropped (downtime is measured to the second).
    ///
    /// # Errors
    /// A message saying what was expected.
    ///
    /// ```
    /// use slacredit::Instant;
    /// let a = Instant::parse("2018-11-22T08:19:00+09:00", None).unwrap();
    /// let b = Instant::parse("2018-11-21T23:19:00Z", None).unwrap();
    /// assert_eq!(a, b);
    /// ```
    pub fn parse(text: &str, input_zone: Option<Tz>) -> Result<Instant, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<Instant, String> {
            let text = crate::input::trim(text);
            let instant = if let Some(t) = fast_rfc3339(text) {
                t
            } else if let Some(e) = second_sixty(text) {
                return Err(e);
            } else if let Ok(t) = DateTime::parse_from_rfc3339(text) {
                t.timestamp()
            } else {
                let naive = parse_naive(text).ok_or_else(|| {
                    format!(
                    "expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found {text:?}"
                )
                })?;
                let Some(zone) = input_zone else {
                    return Err(format!(
                    "time {text:?} has no UTC offset; add one (Z, +09:00) or pass --input-timezone"
                ));
                };
                match zone.from_local_datetime(&naive) {
                LocalResult::Single(t) => t.timestamp(),
                LocalResult::Ambiguous(a, b) => {
                    return Err(format!(
                        "time {text:?} is ambiguous in {zone} (clocks go back: it is both {} and {}); \
                         write it with an offset",
                        a.format("%H:%M:%S%:z"),
                        b.format("%H:%M:%S%:z")
                    ))
                }
                LocalResult::None => {
                    return Err(format!(
                        "time {text:?} does not exist in {zone} (clocks go forward); write it with an offset"
                    ))
                }
            }
            };
            let instant = Instant(instant);
            instant.check_range()?;
            Ok(instant)
        };
        inner().map_err(InvalidValue)
    }

    /// The instant `seconds` after the Unix epoch, within the years every input is held to.
    ///
    /// # Errors
    /// A message naming the year when it is outside 1900 to 2199.
    pub(crate) fn checked_unix_seconds(seconds: i64) -> Result<Instant, String> {
        let instant = Instant(seconds);
        instant.check_range()?;
        Ok(instant)
    }

    fn check_range(self) -> Result<(), String> {
        // 1900-01-01T00:00:00Z and 2200-01-01T00:00:00Z: compared as numbers, a million times.
        const FIRST: i64 = -2_208_988_800;
        const AFTER_LAST: i64 = 7_258_118_400;
        if (FIRST..AFTER_LAST).contains(&self.0) {
            return Ok(());
        }
        let year = chrono::Datelike::year(&self.to_utc());
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(format!(
                "time in year {year} is outside the supported years {MIN_YEAR} to {MAX_YEAR}"
            ));
        }
        Ok(())
    }

    /// The instant moved by `seconds` (saturating; inputs are bounded far inside i64).
    pub fn plus(self, seconds: Seconds) -> Instant {
        Instant(self.0.saturating_add(seconds.0))
    }

    /// Seconds from `earlier` to `self`.
    pub fn since(self, earlier: Instant) -> Seconds {
        Seconds(self.0 - earlier.0)
    }
}

impl fmt::Display for Instant {
    /// UTC with `Z`, to the second: `2018-11-21T23:19:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Reports print millions of these: civil-from-days arithmetic instead of strftime.
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut buf = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, value: i64, width: usize| {
            let mut v = value;
            for i in (0..width).rev() {
                buf[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(5, m, 2);
        put(8, d, 2);
        put(11, secs / 3600, 2);
        put(14, secs / 60 % 60, 2);
        put(17, secs % 60, 2);
        // Only ASCII digits and separators were written.
        f.write_str(std::str::from_utf8(&buf).unwrap_or("????-??-??T??:??:??Z"))
    }
}

/// Parses the common shapes `2018-11-22T08:19:00Z` and `2018-11-22T08:19:00+09:00` without
/// chrono's general parser (outage files have millions of them); anything else, including leap
/// seconds and fractions, is left to chrono (`None`).
fn fast_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 && b.len() != 25 {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<i64> {
        b[at..at + len].iter().try_fold(0i64, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let month_days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > month_days || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let offset = match (b.len(), b[19]) {
        (20, b'Z' | b'z') => 0,
        (25, sign @ (b'+' | b'-')) if b[22] == b':' => {
            let (oh, om) = (num(20, 2)?, num(23, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// The error of a time whose second is `60` anywhere but `23:59:60` (a leap second, read as
/// `23:59:59` by the parsers): chrono would read `12:30:60` as `12:30:59` too (SPEC 2.6).
fn second_sixty(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let clock = b.get(11..19)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || clock[2] != b':' || clock[5] != b':' {
        return None;
    }
    (&clock[6..8] == b"60" && &clock[..5] != b"23:59")
        .then(|| format!("time {text:?} has a second of 60; only 23:59:60 (a leap second) may"))
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day of the day `days` after 1970-01-01 (proleptic Gregorian; Howard Hinnant's
/// algorithm). Years are within 1900-2199 by construction of every Instant.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// An exact span of time in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seconds(pub i64);

impl Seconds {
    /// Zero seconds.
    pub const ZERO: Seconds = Seconds(0);

    /// Parses a duration written with units: `90s`, `30m`, `2h`, `5d`, `1h30m`. A bare number is
    /// an error (`0m`, not `0`), so a unit is never guessed.
    ///
    /// # Errors
    /// A message saying what was expected.
    ///
    /// ```
    /// use slacredit::Seconds;
    /// assert_eq!(Seconds::parse("1h30m"), Ok(Seconds(5400)));
    /// assert!(Seconds::parse("0").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Seconds, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<Seconds, String> {
            let expected = || {
                format!(
                "expected a duration with units such as 90s, 30m, 2h, 5d or 1h30m, found {text:?}"
            )
            };
            let mut total: i64 = 0;
            let mut number: Option<i64> = None;
            let mut last_unit_rank = usize::MAX;
            for c in text.trim().chars() {
                if let Some(d) = c.to_digit(10) {
                    let n = number
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(i64::from(d)));
                    number = Some(n.filter(|n| *n <= 1_000_000_000).ok_or_else(expected)?);
                    continue;
                }
                let (rank, unit) = match c {
                    'd' => (0, 86_400),
                    'h' => (1, 3_600),
                    'm' => (2, 60),
                    's' => (3, 1),
                    _ => return Err(expected()),
                };
                let n = number.take().ok_or_else(expected)?;
                if last_unit_rank != usize::MAX && rank <= last_unit_rank {
                    return Err(expected());
                }
                last_unit_rank = rank;
                total = n
                    .checked_mul(unit)
                    .and_then(|x| total.checked_add(x))
                    .ok_or_else(expected)?;
            }
            if number.is_some() || last_unit_rank == usize::MAX {
                return Err(expected());
            }
            Ok(Seconds(total))
        };
        inner().map_err(InvalidValue)
    }

    /// The span in minutes, exactly.
    pub fn minutes(self) -> rust_decimal::Decimal {
        rust_decimal::Decimal::from(self.0) / rust_decimal::Decimal::from(60)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return write!(f, "0m");
        }
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

/// The instant at which the civil `date` and `time` happen in `zone`.
///
/// Where the clock time does not exist (skipped by a DST change) the first instant after the gap is
/// used, the moment the clock jumps past it; where it happens twice, the earlier. This is what a
/// schedule means: "from 09:00" on a day the clock skips 09:00 starts when the clock shows a later
/// time.
pub(crate) fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> Instant {
    let naive = date.and_time(time);
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Instant(t.timestamp()),
        LocalResult::Ambiguous(a, _) => Instant(a.timestamp()),
        LocalResult::None => {
            // Gaps are at most a few hours: find the first local minute after it that exists, then
            // walk back to the transition, the earliest instant whose local time is past `naive`.
            let mut probe = naive;
            for _ in 0..(26 * 60) {
                probe += chrono::Duration::minutes(1);
                if let Some(t) = zone.from_local_datetime(&probe).earliest() {
                    let mut s = t.timestamp();
                    while Instant(s - 60).in_zone(zone).naive_local() >= naive {
                        s -= 60;
                    }
                    return Instant(s);
                }
            }
            Instant(naive.and_utc().timestamp())
        }
    }
}

/// The civil date of an instant in `zone`.
pub(crate) fn local_date(instant: Instant, zone: Tz) -> NaiveDate {
    instant.in_zone(zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_parse_agrees_with_chrono() {
        let mut t = -2_208_988_800i64;
        while t < 7_258_118_399 {
            for offset in ["Z", "+09:00", "-07:30", "+00:00"] {
                let utc = Instant::from_unix_seconds(t).to_string();
                let text = format!("{}{offset}", &utc[..19]);
                let chrono = DateTime::parse_from_rfc3339(&text).unwrap().timestamp();
                assert_eq!(fast_rfc3339(&text), Some(chrono), "{text}");
            }
            t += 7_777_777 + t.rem_euclid(86_399);
        }
        for bad in [
            "2018-02-29T00:00:00Z",
            "2018-13-01T00:00:00Z",
            "2018-11-22T24:00:00Z",
            "2018-11-22T08:19:60Z",
            "2018-11-22 08:19:00Z",
            "2018-11-22T08:19:00+9:000",
        ] {
            assert_eq!(fast_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(fast_rfc3339("2020-02-29T12:00:00Z"), Some(1_582_977_600));
    }

    #[test]
    fn display_matches_chrono_across_centuries_and_leap_days() {
        for t in [
            -2_208_988_800i64,
            0,
            951_782_400,
            1_542_842_340,
            1_582_934_399,
            7_258_118_399,
        ] {
            let i = Instant::from_unix_seconds(t);
            assert_eq!(
                i.to_string(),
                i.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "{t}"
            );
        }
        for day in (-25_567i64..84_000).step_by(37) {
            let i = Instant::from_unix_seconds(day * 86_400 + 3_723);
            assert_eq!(
                i.to_string(),
                i.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
        }
    }
}
