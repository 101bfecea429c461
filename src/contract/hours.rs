//! Service hours: the weekly schedule and holidays during which downtime counts.

use crate::period::midnight;
use crate::time::{local_instant, Instant};
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;

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
}

impl ServiceHours {
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
                    for (a, b) in spans {
                        push(&mut out, clock(zone, day, a), clock(zone, day, b), from, to);
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

/// The instant of `minutes` after midnight on `day` (1440 = the next midnight).
fn clock(zone: Tz, day: NaiveDate, minutes: u32) -> Instant {
    if minutes >= 1440 {
        return midnight(zone, day.succ_opt().unwrap_or(day));
    }
    let time = NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or(NaiveTime::MIN);
    local_instant(zone, day, time)
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
