//! Service hours: the weekly schedule and holidays during which downtime counts.

use crate::fxhash::FxHashMap;
use crate::period::midnight;
use crate::time::Instant;
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// One weekly rule: these weekdays, from one clock time to a later one (`24:00` = midnight ending
/// the day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyHours {
    /// Bit `n` set = weekday `n` (Monday = 0) is included.
    pub(crate) days: u8,
    /// Minutes after local midnight, `from < to <= 1440`.
    pub(crate) from: u32,
    pub(crate) to: u32,
}

/// When the service is promised: weekly hours in the contract's zone, minus holidays.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceHours {
    /// Empty = every hour of every day that is not a holiday.
    pub(crate) weekly: Vec<WeeklyHours>,
    pub(crate) holidays: BTreeSet<NaiveDate>,
    /// The calendar the holidays come from, if the contract names one.
    pub(crate) calendar: Option<CalendarUse>,
    /// The intervals of each period asked for: every scope and every subscription of a contract
    /// measures the same periods, and 500 weekly rules cost as much to apply as to read.
    periods: Memo,
}

/// A holiday calendar named by a contract (SPEC 2.7). Its dates, with the contract's `extra`
/// and without its `except`, are the contract's holidays; a period outside its years cannot be
/// measured (a year nobody wrote down would silently have no holidays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarUse {
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) years: (i32, i32),
    /// The calendar's file.
    pub(crate) file: String,
    /// The line of `calendar:` in the contract.
    pub(crate) line: Option<usize>,
    pub(crate) extra: Vec<NaiveDate>,
    pub(crate) except: Vec<NaiveDate>,
}

impl CalendarUse {
    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Where its dates come from.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The first and last year it covers.
    pub fn years(&self) -> (i32, i32) {
        self.years
    }
    /// The calendar's file.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// Holidays the contract adds to the calendar's.
    pub fn extra(&self) -> &[NaiveDate] {
        &self.extra
    }
    /// The calendar's holidays the contract does not keep.
    pub fn except(&self) -> &[NaiveDate] {
        &self.except
    }
    /// Whether `period` (its local days) lies within the calendar's years.
    pub fn covers(&self, period: crate::period::PeriodId) -> bool {
        let (first, last) = self.years;
        period.first_day().year() >= first && period.last_day().year() <= last
    }
}

/// Service-hour intervals by (zone, period start, period end).
type Intervals = Arc<[(Instant, Instant)]>;

/// A memo of [`ServiceHours::in_period`], shared by every thread computing with the contract. It
/// is not part of the value: clones start empty, and any two compare equal.
#[derive(Default)]
struct Memo(Mutex<FxHashMap<(Tz, i64, i64), Intervals>>);

/// Periods remembered at most: a run asks for the periods it claims, a few hundred.
const MEMO_PERIODS: usize = 4096;

impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl PartialEq for Memo {
    fn eq(&self, _: &Memo) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl ServiceHours {
    /// The holidays (a calendar's with the contract's changes, or the contract's own list).
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The calendar the holidays come from, if any.
    pub fn calendar(&self) -> Option<&CalendarUse> {
        self.calendar.as_ref()
    }

    /// Weekly hours alone, no holidays (maintenance windows).
    pub(crate) fn weekly(weekly: Vec<WeeklyHours>) -> ServiceHours {
        ServiceHours {
            weekly,
            ..ServiceHours::default()
        }
    }

    /// [`ServiceHours::intervals`] of the period [`start`, `end`), worked out once per zone and
    /// period.
    pub fn in_period(&self, zone: Tz, start: Instant, end: Instant) -> Intervals {
        let key = (zone, start.unix_seconds(), end.unix_seconds());
        let lock = || self.periods.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&key).cloned() {
            return found;
        }
        let intervals: Intervals = self.intervals(zone, start, end).into();
        let mut map = lock();
        if map.len() >= MEMO_PERIODS {
            map.clear();
        }
        map.insert(key, intervals.clone());
        intervals
    }

    /// The service-hour intervals overlapping [`from`, `to`), as sorted disjoint instants.
    pub fn intervals(&self, zone: Tz, from: Instant, to: Instant) -> Vec<(Instant, Instant)> {
        let mut out: Vec<(Instant, Instant)> = Vec::new();
        if from >= to {
            return out;
        }
        let mut day = from.in_zone(zone).date_naive();
        let last = to.in_zone(zone).date_naive();
        while day <= last {
            if !self.holidays.contains(&day) {
                let next_day = day.succ_opt().unwrap_or(day);
                if self.weekly.is_empty() {
                    push(
                        &mut out,
                        midnight(zone, day),
                        midnight(zone, next_day),
                        from,
                        to,
                    );
                } else {
                    let bit = 1u8 << day.weekday().num_days_from_monday();
                    let mut spans: Vec<(u32, u32)> = self
                        .weekly
                        .iter()
                        .filter(|w| w.days & bit != 0)
                        .map(|w| (w.from, w.to))
                        .collect();
                    spans.sort_unstable();
                    if !spans.is_empty() {
                        wall_clock(&mut out, zone, day, &spans, from, to);
                    }
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        out
    }
}

/// Appends the instants of local date `day` at which the clock of `zone` reads a time inside one
/// of `spans` (minutes after midnight, sorted; 1440 = the next midnight), clipped to [`from`,
/// `to`). Service hours are wall-clock hours (SPEC 3.6): on the day the clocks go back, a clock
/// time that repeats counts on both passes; on the day they go forward, the skipped clock times
/// count not at all. So the day is cut where its UTC offset changes, and on each piece the clock
/// runs evenly from where the piece starts.
fn wall_clock(
    out: &mut Vec<(Instant, Instant)>,
    zone: Tz,
    day: NaiveDate,
    spans: &[(u32, u32)],
    from: Instant,
    to: Instant,
) {
    let start = midnight(zone, day);
    let end = midnight(zone, day.succ_opt().unwrap_or(day));
    // Seconds of the local date's naive midnight since the epoch, as if the clock were UTC.
    let naive_midnight = day.and_time(NaiveTime::MIN).and_utc().timestamp();
    let mut piece = start;
    while piece < end {
        let offset = offset_at(zone, piece);
        let piece_end = next_change(zone, piece, end, offset);
        // The clock reading at the piece's start, in seconds after the local midnight.
        let clock = piece.unix_seconds() + offset - naive_midnight;
        let length = piece_end.unix_seconds() - piece.unix_seconds();
        for &(a, b) in spans {
            let (a, b) = (i64::from(a) * 60, i64::from(b) * 60);
            let (lo, hi) = (a.max(clock), b.min(clock + length));
            if lo < hi {
                let at = |c: i64| Instant::from_unix_seconds(piece.unix_seconds() + c - clock);
                push(out, at(lo), at(hi), from, to);
            }
        }
        piece = piece_end;
    }
}

/// The UTC offset of `zone` at `at`, in seconds.
fn offset_at(zone: Tz, at: Instant) -> i64 {
    use chrono::Offset;
    i64::from(at.in_zone(zone).offset().fix().local_minus_utc())
}

/// The first instant after `at` and before `end` at which the offset is no longer `offset`, or
/// `end`. A local day has at most one change in every zone that has ever had them; it is found
/// to the second by halving.
fn next_change(zone: Tz, at: Instant, end: Instant, offset: i64) -> Instant {
    if offset_at(zone, Instant::from_unix_seconds(end.unix_seconds() - 1)) == offset {
        return end;
    }
    // The offset is `offset` at `lo` and differs at `hi`.
    let (mut lo, mut hi) = (at.unix_seconds(), end.unix_seconds() - 1);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_at(zone, Instant::from_unix_seconds(mid)) == offset {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Instant::from_unix_seconds(hi)
}

/// Appends [a, b) clipped to [from, to), merging with the previous interval when they touch.
fn push(out: &mut Vec<(Instant, Instant)>, a: Instant, b: Instant, from: Instant, to: Instant) {
    let (a, b) = (a.max(from), b.min(to));
    if a >= b {
        return;
    }
    if let Some(last) = out.last_mut() {
        if a <= last.1 {
            last.1 = last.1.max(b);
            return;
        }
    }
    out.push((a, b));
}

/// Parses a weekday name as written in contracts (`mon` ... `sun`).
pub(crate) fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes after midnight.
pub(crate) fn clock_time(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= 1440).then_some(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(zone: &str, day: &str, from: u32, to: u32) -> i64 {
        let zone: Tz = zone.parse().unwrap();
        let day: NaiveDate = day.parse().unwrap();
        let hours = ServiceHours {
            weekly: vec![WeeklyHours {
                days: 0x7f,
                from,
                to,
            }],
            ..ServiceHours::default()
        };
        let (a, b) = (midnight(zone, day), midnight(zone, day.succ_opt().unwrap()));
        hours
            .intervals(zone, a, b)
            .iter()
            .map(|(x, y)| y.since(*x).0)
            .sum::<i64>()
            / 60
    }

    #[test]
    fn service_hours_are_wall_clock_hours() {
        // SPEC 3.6: clocks go back in London at 02:00 BST on 2020-10-25; 01:30-02:00 happens
        // twice, 30 minutes each time.
        assert_eq!(minutes("Europe/London", "2020-10-25", 90, 120), 60);
        // Los Angeles, 2024-11-03, 01:30-12:00: 30 minutes before the change (01:30-02:00
        // PDT), then 01:30 PST to 12:00 PST, 630: 660.
        assert_eq!(minutes("America/Los_Angeles", "2024-11-03", 90, 720), 660);
        // Clocks go forward in London at 01:00 GMT on 2020-03-29: 01:00-02:00 never happens.
        assert_eq!(minutes("Europe/London", "2020-03-29", 60, 120), 0);
        // 00:00-24:00 is the whole local day: 25 hours, then 23.
        assert_eq!(minutes("Europe/London", "2020-10-25", 0, 1440), 25 * 60);
        assert_eq!(minutes("Europe/London", "2020-03-29", 0, 1440), 23 * 60);
        // An ordinary day: 9 hours.
        assert_eq!(minutes("Europe/London", "2020-10-26", 540, 1080), 540);
        // 08:00-18:00 across the change back: the clock reads each of those times once.
        assert_eq!(minutes("Europe/London", "2020-10-25", 480, 1080), 600);
    }
}
