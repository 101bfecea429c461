//! Calendar periods (month, quarter, year) in a contract's time zone.
//!
//! A period is the half-open interval [local midnight of its first day, local midnight of the next
//! period's first day), so its length is real elapsed time: November 2018 in America/Los_Angeles
//! is 43,260 minutes because the clocks went back on the 4th.

use crate::error::InvalidValue;
use crate::time::{local_instant, Instant};
use chrono::{Datelike, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// How long a contract's measurement period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// Calendar month.
    Month,
    /// Calendar quarter (Q1 = January to March).
    Quarter,
    /// Calendar year.
    Year,
}

impl PeriodKind {
    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    /// The name used in contracts.
    pub fn name(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
}

impl FromStr for PeriodKind {
    type Err = String;
    fn from_str(s: &str) -> Result<PeriodKind, String> {
        match s {
            "month" => Ok(PeriodKind::Month),
            "quarter" => Ok(PeriodKind::Quarter),
            "year" => Ok(PeriodKind::Year),
            _ => Err(format!("expected month, quarter or year, found {s:?}")),
        }
    }
}

/// A calendar period by name, independent of any zone: `2018-11`, `2018-Q4`, `2018`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodId {
    year: i32,
    /// 0-based month index of the first month (0 = January).
    first_month: u32,
    kind: PeriodKind,
}

impl PeriodId {
    /// The period of `kind` containing the civil `date`.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> PeriodId {
        let m = date.month0();
        PeriodId {
            year: date.year(),
            first_month: m - m % kind.months(),
            kind,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The calendar year it lies in.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Its first civil day.
    pub fn first_day(&self) -> NaiveDate {
        // Month and year are in range by construction.
        NaiveDate::from_ymd_opt(self.year, self.first_month + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The period that follows.
    pub fn next(&self) -> PeriodId {
        self.shifted(1)
    }

    /// The period `n` periods later (earlier when negative).
    pub fn shifted(&self, n: i64) -> PeriodId {
        let index = i64::from(self.year) * 12
            + i64::from(self.first_month)
            + n * i64::from(self.kind.months());
        PeriodId {
            year: index.div_euclid(12) as i32,
            first_month: index.rem_euclid(12) as u32,
            kind: self.kind,
        }
    }

    /// Its last civil day.
    pub fn last_day(&self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The period in `zone`, with its instants.
    pub fn in_zone(&self, zone: Tz) -> Period {
        Period {
            id: *self,
            start: midnight(zone, self.first_day()),
            end: midnight(zone, self.next().first_day()),
        }
    }

    /// Parses `2018-11`, `2018-Q4` or `2018`, whatever the kind; see [`PeriodSpan`].
    ///
    /// # Errors
    /// A message saying what was expected, e.g. for `2018-13`.
    pub fn parse(text: &str) -> Result<PeriodId, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<PeriodId, String> {
            let expected =
                || format!("expected a period such as 2018-11, 2018-Q4 or 2018, found {text:?}");
            let (year, rest) = match text.split_once('-') {
                Some((y, r)) => (y, Some(r)),
                None => (text, None),
            };
            if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
                return Err(expected());
            }
            let year: i32 = year.parse().map_err(|_| expected())?;
            let (first_month, kind) = match rest {
                None => (0, PeriodKind::Year),
                Some(q) if q.starts_with('Q') => match q {
                    "Q1" => (0, PeriodKind::Quarter),
                    "Q2" => (3, PeriodKind::Quarter),
                    "Q3" => (6, PeriodKind::Quarter),
                    "Q4" => (9, PeriodKind::Quarter),
                    _ => return Err(expected()),
                },
                Some(m) => {
                    let month: u32 = if m.len() == 2 {
                        m.parse().map_err(|_| expected())?
                    } else {
                        0
                    };
                    if !(1..=12).contains(&month) {
                        return Err(expected());
                    }
                    (month - 1, PeriodKind::Month)
                }
            };
            Ok(PeriodId {
                year,
                first_month,
                kind,
            })
        };
        inner().map_err(InvalidValue)
    }
}

impl PeriodId {
    /// Appends the name, as `Display` writes it, without the formatting machinery (a provider's
    /// billing run prints millions).
    pub(crate) fn push_to(&self, out: &mut Vec<u8>) {
        let year = match u32::try_from(self.year) {
            Ok(y) if y < 10_000 => y,
            _ => {
                out.extend_from_slice(self.to_string().as_bytes());
                return;
            }
        };
        let digit = |d: u32| b'0' + d as u8;
        let y = [
            digit(year / 1000),
            digit(year / 100 % 10),
            digit(year / 10 % 10),
            digit(year % 10),
        ];
        // Whole arrays, so each is appended in one move.
        match self.kind {
            PeriodKind::Month => {
                let m = self.first_month + 1;
                out.extend_from_slice(&[
                    y[0],
                    y[1],
                    y[2],
                    y[3],
                    b'-',
                    digit(m / 10),
                    digit(m % 10),
                ]);
            }
            PeriodKind::Quarter => {
                let q = self.first_month / 3 + 1;
                out.extend_from_slice(&[y[0], y[1], y[2], y[3], b'-', b'Q', digit(q)]);
            }
            PeriodKind::Year => out.extend_from_slice(&y),
        }
    }
}

impl fmt::Display for PeriodId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{:04}-{:02}", self.year, self.first_month + 1),
            PeriodKind::Quarter => write!(f, "{:04}-Q{}", self.year, self.first_month / 3 + 1),
            PeriodKind::Year => write!(f, "{:04}", self.year),
        }
    }
}

/// Local midnight at the start of `date`, or the first instant after it where midnight is skipped.
pub(crate) fn midnight(zone: Tz, date: NaiveDate) -> Instant {
    local_instant(zone, date, NaiveTime::MIN)
}

/// A period placed in a zone: its name and its instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Its name.
    pub id: PeriodId,
    /// Local midnight of the first day.
    pub start: Instant,
    /// Local midnight of the next period's first day (exclusive).
    pub end: Instant,
}

/// An inclusive range of civil dates chosen by the user (`--period`, `--from`/`--to`), which
/// selects the periods of each contract that overlap it, whatever the contract's period kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodSpan {
    /// First civil day.
    pub first: NaiveDate,
    /// Last civil day (inclusive).
    pub last: NaiveDate,
}

impl PeriodSpan {
    /// The span from the first day of `from` to the last day of `to`.
    ///
    /// # Errors
    /// When `to` ends before `from` starts.
    pub fn new(from: PeriodId, to: PeriodId) -> Result<PeriodSpan, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<PeriodSpan, String> {
            let span = PeriodSpan {
                first: from.first_day(),
                last: to.last_day(),
            };
            if span.last < span.first {
                return Err(format!("--to {to} is before --from {from}"));
            }
            Ok(span)
        };
        inner().map_err(InvalidValue)
    }

    /// The calendar year `year` (an audit's, a reconciliation's).
    ///
    /// # Errors
    /// When the year is outside the years slacredit reads.
    pub fn year(year: i32) -> Result<PeriodSpan, InvalidValue> {
        let p = PeriodId::parse(&format!("{year:04}"))?;
        PeriodSpan::new(p, p)
    }

    /// The periods of `kind` overlapping the span, in order.
    pub fn periods(&self, kind: PeriodKind) -> Vec<PeriodId> {
        let mut out = Vec::new();
        let mut p = PeriodId::containing(kind, self.first);
        while p.first_day() <= self.last {
            out.push(p);
            p = p.next();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_pushed_as_displayed() {
        for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
            for (y, m, d) in [(1900, 1, 1), (2018, 11, 22), (2024, 12, 31), (2199, 6, 30)] {
                let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
                let p = PeriodId::containing(kind, date);
                let mut pushed = Vec::new();
                p.push_to(&mut pushed);
                assert_eq!(pushed, p.to_string().as_bytes());
            }
        }
        let mut out = Vec::new();
        PeriodId::containing(
            PeriodKind::Month,
            NaiveDate::from_ymd_opt(2018, 9, 1).unwrap(),
        )
        .push_to(&mut out);
        assert_eq!(out, b"2018-09");
    }

    #[test]
    fn lengths_are_real_elapsed_time() {
        let nov = PeriodId::parse("2018-11").unwrap();
        let la = nov.in_zone(chrono_tz::America::Los_Angeles);
        assert_eq!(la.end.since(la.start).0, 43_260 * 60);
        let utc = nov.in_zone(chrono_tz::UTC);
        assert_eq!(utc.end.since(utc.start).0, 43_200 * 60);
        // March 2018 in Los Angeles lost an hour on the 11th: 31 days less 60 minutes.
        let mar = PeriodId::parse("2018-03")
            .unwrap()
            .in_zone(chrono_tz::America::Los_Angeles);
        assert_eq!(mar.end.since(mar.start).0, (44_640 - 60) * 60);
        let feb = PeriodId::parse("2020-02").unwrap().in_zone(chrono_tz::UTC);
        assert_eq!(feb.end.since(feb.start).0, 29 * 1440 * 60);
    }

    #[test]
    fn names_round_trip_and_bad_names_fail() {
        for name in ["2018-11", "2018-Q4", "2018", "2019-01"] {
            assert_eq!(PeriodId::parse(name).unwrap().to_string(), name);
        }
        for bad in ["2018-13", "2018-00", "2018-Q5", "18-11", "2018-1", "x"] {
            assert!(PeriodId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            PeriodId::parse("2018-11").unwrap().shifted(2).to_string(),
            "2019-01"
        );
        let q = PeriodId::containing(
            PeriodKind::Quarter,
            NaiveDate::from_ymd_opt(2018, 11, 22).unwrap(),
        );
        assert_eq!(q.to_string(), "2018-Q4");
    }

    #[test]
    fn a_skipped_midnight_starts_when_the_clock_jumps() {
        // Sao Paulo skipped 2018-11-04 00:00-01:00 (DST began at midnight): the day starts at
        // 01:00 local = 03:00Z.
        let start = midnight(
            chrono_tz::America::Sao_Paulo,
            NaiveDate::from_ymd_opt(2018, 11, 4).unwrap(),
        );
        assert_eq!(start.to_string(), "2018-11-04T03:00:00Z");
    }
}
