//! Validation of a contract file: every field checked, every problem located and reported at
//! once. Only [`super::Contract::from_yaml`] calls it.

use super::hours::{self, WeeklyHours};
use super::raw::{self, RawCap, RawComposite, RawContract, RawMinimum};
use super::{
    parse_date, BeyondPer, Cap, CapWindow, Composite, Contract, Counting, CreditModel, Credits,
    Deadline, DowntimeRules, ExcludedTime, Exclusions, Minimum, PartialImpact, ServiceHours, Tier,
    UnitCount,
};
use crate::error::{Problem, Problems};
use crate::money::{parse_decimal, Rounding};
use crate::time::Seconds;
use crate::yaml::{Located, Seg};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// Decimal places accepted in a contract's numbers (99.9999 % needs 4; amounts need the minor
/// unit). More would be a typo, and would let products outgrow exact decimal range.
const MAX_DECIMALS: u32 = 6;

pub(super) struct Validator<'a> {
    pub(super) file: &'a str,
    pub(super) doc: &'a Located<RawContract>,
    pub(super) calendars: &'a super::Calendars,
    pub(super) problems: Problems,
}

fn dotted(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

impl Validator<'_> {
    fn fail(&mut self, path: &[Seg<'_>], message: impl Into<String>) {
        let p = Problem::new(self.file, message)
            .at(self.doc.line_of(path))
            .field(dotted(path));
        self.problems.push(p);
    }

    /// Parses `text` with `parse`, recording a located problem on failure.
    fn get<T, E: Into<String>>(
        &mut self,
        path: &[Seg<'_>],
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(path, e.into());
                None
            }
        }
    }

    fn decimal_in(
        &mut self,
        path: &[Seg<'_>],
        text: &str,
        lo: Decimal,
        hi: Option<Decimal>,
        lo_open: bool,
    ) -> Option<Decimal> {
        let d = self.get(path, text, parse_decimal)?;
        // Without an upper bound of its own, a number is an amount: bounded so that no product
        // of the arithmetic can leave exact decimal range.
        let hi = hi.unwrap_or_else(crate::money::max_amount);
        let low_ok = if lo_open { d > lo } else { d >= lo };
        if !(low_ok && d <= hi) {
            let range = if lo_open {
                format!("greater than {lo} and at most {hi}")
            } else {
                format!("from {lo} to {hi}")
            };
            self.fail(path, format!("expected a number {range}, found {d}"));
            return None;
        }
        if d.normalize().scale() > MAX_DECIMALS {
            self.fail(
                path,
                format!("expected at most {MAX_DECIMALS} decimal places, found {d}"),
            );
            return None;
        }
        Some(d)
    }

    fn duration(&mut self, path: &[Seg<'_>], text: Option<&String>) -> Option<Seconds> {
        match text {
            None => Some(Seconds::ZERO),
            Some(t) => self.get(path, t, Seconds::parse),
        }
    }

    pub(super) fn contract(&mut self) -> Option<Contract> {
        use Seg::Key as K;
        let r = &self.doc.value;
        if r.id.trim().is_empty() {
            self.fail(&[K("id")], "expected a non-empty id");
        }
        let period = self.get(&[K("period")], &r.period, str::parse);
        let timezone = self.get(&[K("timezone")], &r.timezone, |t| {
            t.parse::<Tz>().map_err(|_| {
                format!("expected an IANA time zone such as UTC or Asia/Seoul, found {t:?}")
            })
        });
        let commitment = self.decimal_in(
            &[K("commitment")],
            &r.commitment,
            Decimal::ZERO,
            Some(Decimal::ONE_HUNDRED),
            true,
        );
        let terms_date = r
            .terms_date
            .as_ref()
            .and_then(|t| self.get(&[K("terms_date")], t, parse_date));
        let service_hours = r.service_hours.as_ref().map(|sh| self.service_hours(sh));
        let downtime = self.downtime();
        let exclusions = self.exclusions();
        let credits = self.credits();
        let deadline = self.deadline();
        let applies_to = r.applies_to.clone().unwrap_or_default();
        for (k, v) in &applies_to {
            if v.trim().is_empty() || v == "*" {
                self.fail(
                    &[K("applies_to"), K(k)],
                    "expected a concrete scope value (not empty or *)",
                );
            }
        }
        Some(Contract {
            id: r.id.clone(),
            title: r.title.clone(),
            provider: r.provider.clone(),
            source: r.source.clone(),
            terms_date,
            applies_to,
            period: period?,
            timezone: timezone?,
            commitment: commitment?,
            service_hours: service_hours.flatten(),
            downtime: downtime?,
            exclusions: exclusions?,
            credits: credits?,
            deadline: deadline.flatten(),
            requires: r
                .claim
                .as_ref()
                .and_then(|c| c.requires.clone())
                .unwrap_or_default(),
            subject: r.claim.as_ref().and_then(|c| c.subject.clone()),
            send_to: r.claim.as_ref().and_then(|c| c.send_to.clone()),
            file: self.file.to_owned(),
        })
    }

    fn service_hours(&mut self, raw: &raw::RawServiceHours) -> Option<ServiceHours> {
        use Seg::{Index as I, Key as K};
        let mut hours = ServiceHours::default();
        let mut ok = true;
        match self.weekly(
            ["service_hours", "weekly"],
            raw.weekly.as_deref().unwrap_or(&[]),
        ) {
            Some(rules) => hours.weekly = rules,
            None => ok = false,
        }
        if raw.weekly.as_ref().is_some_and(|w| w.is_empty()) {
            self.fail(
                &[K("service_hours"), K("weekly")],
                "expected at least one weekly rule (omit `weekly` for all hours)",
            );
            ok = false;
        }
        match &raw.holidays {
            None => {}
            Some(raw::RawHolidays::Dates(dates)) => {
                for (i, h) in dates.iter().enumerate() {
                    match self.get(&[K("service_hours"), K("holidays"), I(i)], h, parse_date) {
                        Some(d) => {
                            hours.holidays.insert(d);
                        }
                        None => ok = false,
                    }
                }
            }
            Some(raw::RawHolidays::Calendar(named)) => match self.calendar_use(named) {
                Some((holidays, calendar)) => {
                    hours.holidays = holidays;
                    hours.calendar = Some(calendar);
                }
                None => ok = false,
            },
        }
        ok.then_some(hours)
    }

    /// `holidays: { calendar, extra, except }`: the calendar's dates, plus `extra`, less
    /// `except`. A date added that the calendar has, or removed that it has not, is an error:
    /// either is most likely a typo for another date, and a typo must not change money.
    fn calendar_use(
        &mut self,
        raw: &raw::RawCalendarUse,
    ) -> Option<(BTreeSet<chrono::NaiveDate>, hours::CalendarUse)> {
        use Seg::{Index as I, Key as K};
        let at = [K("service_hours"), K("holidays"), K("calendar")];
        let Some(calendar) = self.calendars.get(&raw.calendar) else {
            let known: Vec<&str> = self.calendars.names().collect();
            let message = if known.is_empty() {
                format!(
                    "unknown calendar {:?}: no calendars were found (they are read from the \
                     `calendars` folder beside the contracts, as calendars/{}.yaml)",
                    raw.calendar, raw.calendar
                )
            } else {
                format!(
                    "unknown calendar {:?}; known: {}",
                    raw.calendar,
                    known.join(", ")
                )
            };
            self.fail(&at, message);
            return None;
        };
        let mut holidays = calendar.dates().clone();
        let mut ok = true;
        let mut lists: [Vec<chrono::NaiveDate>; 2] = [Vec::new(), Vec::new()];
        for (k, (key, dates)) in [("extra", &raw.extra), ("except", &raw.except)]
            .into_iter()
            .enumerate()
        {
            for (i, text) in dates.iter().flatten().enumerate() {
                let path = [K("service_hours"), K("holidays"), K(key), I(i)];
                let Some(date) = self.get(&path, text, parse_date) else {
                    ok = false;
                    continue;
                };
                let changed = if key == "extra" {
                    holidays.insert(date)
                } else {
                    holidays.remove(&date)
                };
                if !changed {
                    let message = if key == "extra" {
                        format!(
                            "{date} is already a holiday of calendar {:?}",
                            calendar.name()
                        )
                    } else {
                        format!("{date} is not a holiday of calendar {:?}", calendar.name())
                    };
                    self.fail(&path, message);
                    ok = false;
                }
                lists[k].push(date);
            }
        }
        let [extra, except] = lists;
        let line = self.doc.line_of(&at);
        ok.then(|| {
            let calendar = hours::CalendarUse {
                name: calendar.name().to_owned(),
                source: calendar.source().to_owned(),
                years: calendar.years(),
                file: calendar.file().to_owned(),
                line,
                extra,
                except,
            };
            (holidays, calendar)
        })
    }

    /// Weekly wall-clock rules at `at` (service hours, maintenance windows).
    fn weekly(
        &mut self,
        at: [&'static str; 2],
        rules: &[raw::RawWeekly],
    ) -> Option<Vec<WeeklyHours>> {
        use Seg::{Index as I, Key as K};
        let mut out = Vec::new();
        let mut ok = true;
        for (i, w) in rules.iter().enumerate() {
            let base = [K(at[0]), K(at[1]), I(i)];
            let mut days = 0u8;
            for (j, d) in w.days.iter().enumerate() {
                match hours::weekday(d) {
                    Some(wd) => days |= 1 << wd.num_days_from_monday(),
                    None => {
                        self.fail(&[base[0], base[1], base[2], K("days"), I(j)], format!("expected a weekday (mon, tue, wed, thu, fri, sat, sun), found {d:?}"));
                        ok = false;
                    }
                }
            }
            if w.days.is_empty() {
                self.fail(
                    &[base[0], base[1], base[2], K("days")],
                    "expected at least one weekday",
                );
                ok = false;
            }
            let time = |v: &mut Self, key: &'static str, text: &str| {
                v.get(&[base[0], base[1], base[2], K(key)], text, |t| {
                    hours::clock_time(t).ok_or_else(|| {
                        format!("expected a clock time HH:MM from 00:00 to 24:00, found {t:?}")
                    })
                })
            };
            let (from, to) = (time(self, "from", &w.from), time(self, "to", &w.to));
            match (from, to) {
                (Some(from), Some(to)) if from < to => out.push(WeeklyHours { days, from, to }),
                (Some(_), Some(_)) => {
                    self.fail(
                        &[base[0], base[1], base[2], K("to")],
                        format!("expected `from` ({}) before `to` ({})", w.from, w.to),
                    );
                    ok = false;
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn downtime(&mut self) -> Option<DowntimeRules> {
        use Seg::Key as K;
        let raw = self.doc.value.downtime.as_ref();
        let counting = match raw.and_then(|d| d.counting.as_deref()) {
            None | Some("exact") => Some(Counting::Exact),
            Some("touched-minutes") => Some(Counting::TouchedMinutes),
            Some("whole-minutes") => Some(Counting::WholeMinutes),
            Some(other) => {
                self.fail(
                    &[K("downtime"), K("counting")],
                    format!("expected exact, touched-minutes or whole-minutes, found {other:?}"),
                );
                None
            }
        };
        let partial_impact = match raw.and_then(|d| d.partial_impact.as_deref()) {
            None | Some("weighted") => Some(PartialImpact::Weighted),
            Some("full") => Some(PartialImpact::Full),
            Some("ignore") => Some(PartialImpact::Ignore),
            Some(other) => {
                self.fail(
                    &[K("downtime"), K("partial_impact")],
                    format!("expected weighted, full or ignore, found {other:?}"),
                );
                None
            }
        };
        let min_duration = self.duration(
            &[K("downtime"), K("min_duration")],
            raw.and_then(|d| d.min_duration.as_ref()),
        );
        let composite = match raw.and_then(|d| d.composite.as_ref()) {
            None => Some(None),
            Some(c) => self.composite(c),
        };
        Some(DowntimeRules {
            counting: counting?,
            min_duration: min_duration?,
            partial_impact: partial_impact?,
            composite: composite?,
        })
    }

    /// `downtime.composite`: a label the contract's `applies_to` does not set (its values come
    /// from each subscription), and a whole number of parts.
    fn composite(&mut self, raw: &RawComposite) -> Option<Option<Composite>> {
        use Seg::Key as K;
        let base = [K("downtime"), K("composite")];
        let label = raw.label.trim();
        let mut ok = true;
        if label.is_empty() || label == "*" {
            self.fail(
                &[base[0], base[1], K("label")],
                format!("expected a scope label, found {:?}", raw.label),
            );
            ok = false;
        } else if self
            .doc
            .value
            .applies_to
            .as_ref()
            .is_some_and(|a| a.contains_key(label))
        {
            self.fail(
                &[base[0], base[1], K("label")],
                format!("label {label:?} is set by applies_to; a composite label takes its values from each subscription"),
            );
            ok = false;
        }
        let at_least = self.get(&[base[0], base[1], K("at_least")], &raw.at_least, |t| {
            t.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| {
                    format!("expected a whole number of parts from 1 to 64, found {t:?}")
                })
        });
        match (ok, at_least) {
            (true, Some(at_least)) => Some(Some(Composite {
                label: label.to_owned(),
                at_least,
            })),
            _ => None,
        }
    }

    fn exclusions(&mut self) -> Option<Exclusions> {
        use Seg::{Index as I, Key as K};
        let raw = self.doc.value.exclusions.as_ref();
        let mut causes = BTreeSet::new();
        for (i, c) in raw
            .and_then(|e| e.causes.as_ref())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if c.trim().is_empty() {
                self.fail(
                    &[K("exclusions"), K("causes"), I(i)],
                    "expected a cause label such as maintenance",
                );
            }
            causes.insert(c.trim().to_owned());
        }
        let notice = self.duration(
            &[K("exclusions"), K("maintenance_notice")],
            raw.and_then(|e| e.maintenance_notice.as_ref()),
        );
        let excluded_time = match raw.and_then(|e| e.excluded_time.as_deref()) {
            None | Some("counts-as-up") => Some(ExcludedTime::CountsAsUp),
            Some("removed-from-period") => Some(ExcludedTime::RemovedFromPeriod),
            Some(other) => {
                self.fail(
                    &[K("exclusions"), K("excluded_time")],
                    format!("expected counts-as-up or removed-from-period, found {other:?}"),
                );
                None
            }
        };
        let maintenance_windows = match raw.and_then(|e| e.maintenance_windows.as_deref()) {
            None => Some(None),
            Some([]) => {
                self.fail(
                    &[K("exclusions"), K("maintenance_windows")],
                    "expected at least one weekly window (omit `maintenance_windows` for none)",
                );
                None
            }
            Some(rules) => self
                .weekly(["exclusions", "maintenance_windows"], rules)
                .map(|weekly| Some(ServiceHours::weekly(weekly))),
        };
        Some(Exclusions {
            causes,
            maintenance_notice: notice?,
            excluded_time: excluded_time?,
            maintenance_windows: maintenance_windows?,
        })
    }

    fn credits(&mut self) -> Option<Credits> {
        use Seg::{Index as I, Key as K};
        let raw = &self.doc.value.credits;
        let hundred = Some(Decimal::ONE_HUNDRED);
        let given = [
            raw.tiers.is_some(),
            raw.per_duration.is_some(),
            raw.fee_multiple.is_some(),
            raw.fixed.is_some(),
            raw.at_risk.is_some(),
        ];
        let count = given.iter().filter(|g| **g).count();
        if count != 1 {
            self.fail(&[K("credits")], format!("expected exactly one credit model (tiers, per_duration, fee_multiple, fixed or at_risk), found {count}"));
        }
        let mut model = None;
        if let Some(tiers) = &raw.tiers {
            let mut out = Vec::new();
            let mut ok = true;
            if tiers.is_empty() {
                self.fail(&[K("credits"), K("tiers")], "expected at least one tier");
                ok = false;
            }
            for (i, t) in tiers.iter().enumerate() {
                let below = self.decimal_in(
                    &[K("credits"), K("tiers"), I(i), K("below")],
                    &t.below,
                    Decimal::ZERO,
                    hundred,
                    true,
                );
                let percent = self.decimal_in(
                    &[K("credits"), K("tiers"), I(i), K("percent")],
                    &t.percent,
                    Decimal::ZERO,
                    hundred,
                    false,
                );
                match (below, percent) {
                    (Some(below), Some(percent)) => {
                        if let Some(prev) = out.last().copied() {
                            let prev: Tier = prev;
                            if below >= prev.below {
                                self.fail(&[K("credits"), K("tiers"), I(i), K("below")], format!("expected `below` strictly decreasing: {below} is not below the previous tier's {}", prev.below));
                                ok = false;
                            }
                            if percent <= prev.percent {
                                self.fail(&[K("credits"), K("tiers"), I(i), K("percent")], format!("expected `percent` strictly increasing: {percent} is not above the previous tier's {}", prev.percent));
                                ok = false;
                            }
                        }
                        out.push(Tier { below, percent });
                    }
                    _ => ok = false,
                }
            }
            if ok {
                model = Some(CreditModel::Tiers(out));
            }
        }
        if let Some(p) = &raw.per_duration {
            let base = [K("credits"), K("per_duration")];
            let percent = self.decimal_in(
                &[base[0], base[1], K("percent")],
                &p.percent,
                Decimal::ZERO,
                hundred,
                true,
            );
            let per = self.get(&[base[0], base[1], K("per")], &p.per, Seconds::parse);
            if per == Some(Seconds::ZERO) {
                self.fail(
                    &[base[0], base[1], K("per")],
                    "expected a unit longer than zero",
                );
            }
            let count = match p.count.as_deref() {
                None | Some("started") => Some(UnitCount::Started),
                Some("completed") => Some(UnitCount::Completed),
                Some(other) => {
                    self.fail(
                        &[base[0], base[1], K("count")],
                        format!("expected started or completed, found {other:?}"),
                    );
                    None
                }
            };
            let beyond = self.duration(&[base[0], base[1], K("beyond")], p.beyond.as_ref());
            let beyond_per = match p.beyond_per.as_deref() {
                None | Some("period") => Some(BeyondPer::Period),
                Some("incident") => Some(BeyondPer::Incident),
                Some(other) => {
                    self.fail(
                        &[base[0], base[1], K("beyond_per")],
                        format!("expected period or incident, found {other:?}"),
                    );
                    None
                }
            };
            if let (Some(percent), Some(per), Some(count), Some(beyond), Some(beyond_per)) =
                (percent, per.filter(|p| p.0 > 0), count, beyond, beyond_per)
            {
                model = Some(CreditModel::PerDuration {
                    percent,
                    per,
                    count,
                    beyond,
                    beyond_per,
                });
            }
        }
        if let Some(f) = &raw.fee_multiple {
            let base = [K("credits"), K("fee_multiple")];
            let multiple = self.decimal_in(
                &[base[0], base[1], K("multiple")],
                &f.multiple,
                Decimal::ZERO,
                None,
                true,
            );
            let min_incident = match &f.min_incident {
                None => Some(None),
                Some(t) => self
                    .get(&[base[0], base[1], K("min_incident")], t, Seconds::parse)
                    .map(Some),
            };
            let min_total = match &f.min_total {
                None => Some(None),
                Some(t) => self
                    .get(&[base[0], base[1], K("min_total")], t, Seconds::parse)
                    .map(Some),
            };
            let hours_basis = match &f.hours_basis {
                None => Some(None),
                Some(h) => self
                    .decimal_in(
                        &[base[0], base[1], K("hours_basis")],
                        h,
                        Decimal::ZERO,
                        None,
                        true,
                    )
                    .map(Some),
            };
            if let (Some(multiple), Some(min_incident), Some(min_total), Some(hours_basis)) =
                (multiple, min_incident, min_total, hours_basis)
            {
                model = Some(CreditModel::FeeMultiple {
                    multiple,
                    min_incident,
                    min_total,
                    hours_basis,
                });
            }
        }
        if let Some(f) = &raw.fixed {
            let base = [K("credits"), K("fixed")];
            let amount = self.decimal_in(
                &[base[0], base[1], K("amount")],
                &f.amount,
                Decimal::ZERO,
                None,
                true,
            );
            let min_incident = self.duration(
                &[base[0], base[1], K("min_incident")],
                f.min_incident.as_ref(),
            );
            if let (Some(amount), Some(min_incident)) = (amount, min_incident) {
                model = Some(CreditModel::Fixed {
                    amount,
                    min_incident,
                });
            }
        }
        if let Some(a) = &raw.at_risk {
            let base = [K("credits"), K("at_risk")];
            let pool = a.pool.trim();
            let pool_ok = !pool.is_empty()
                && pool
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !pool_ok {
                self.fail(
                    &[base[0], base[1], K("pool")],
                    format!(
                        "expected a pool id (letters, digits, '-', '_', '.'), found {:?}",
                        a.pool
                    ),
                );
            }
            let percent = self.decimal_in(
                &[base[0], base[1], K("percent")],
                &a.percent,
                Decimal::ZERO,
                hundred,
                true,
            );
            let allocation = self.decimal_in(
                &[base[0], base[1], K("allocation")],
                &a.allocation,
                Decimal::ZERO,
                hundred,
                true,
            );
            if let (true, Some(percent), Some(allocation)) = (pool_ok, percent, allocation) {
                model = Some(CreditModel::AtRisk {
                    pool: pool.into(),
                    percent,
                    allocation,
                    line: self.doc.line_of(&base),
                });
            }
        }
        let earn_back = match &raw.earn_back {
            None => Some(None),
            Some(e) => self
                .get(
                    &[K("credits"), K("earn_back"), K("periods")],
                    &e.periods,
                    |t| {
                        t.trim()
                            .parse::<u32>()
                            .ok()
                            .filter(|n| (1..=36).contains(n))
                            .ok_or_else(|| {
                                format!(
                                    "expected a whole number of periods from 1 to 36, found {t:?}"
                                )
                            })
                    },
                )
                .map(Some),
        };
        let cap = raw.cap.as_ref().map(|c| self.cap("cap", c));
        if raw.cap.as_ref().is_some_and(|c| c.window.is_some()) {
            self.fail(
                &[K("credits"), K("cap"), K("window")],
                "a period cap has no window; `window` belongs to annual_cap",
            );
        }
        let annual_cap = raw.annual_cap.as_ref().map(|c| self.cap("annual_cap", c));
        let annual_window = match raw.annual_cap.as_ref().and_then(|c| c.window.as_deref()) {
            None | Some("calendar-year") => Some(CapWindow::CalendarYear),
            Some("rolling-12") => Some(CapWindow::Rolling12),
            Some(other) => {
                self.fail(
                    &[K("credits"), K("annual_cap"), K("window")],
                    format!("expected calendar-year or rolling-12, found {other:?}"),
                );
                None
            }
        };
        let minimum = match &raw.minimum {
            None => Some(Minimum::AtLeast(Decimal::ZERO)),
            Some(RawMinimum::AtLeast(t)) => self
                .decimal_in(&[K("credits"), K("minimum")], t, Decimal::ZERO, None, false)
                .map(Minimum::AtLeast),
            Some(RawMinimum::Float) => {
                let path = [K("credits"), K("minimum")];
                let text = self.doc.scalar_at(&path).unwrap_or_default();
                self.decimal_in(&path, &text, Decimal::ZERO, None, false)
                    .map(Minimum::AtLeast)
            }
            Some(RawMinimum::Above(t)) => self
                .decimal_in(
                    &[K("credits"), K("minimum"), K("above")],
                    t,
                    Decimal::ZERO,
                    None,
                    false,
                )
                .map(Minimum::Above),
        };
        let rounding = match &raw.rounding {
            None => Some(Rounding::HalfUp),
            Some(r) => self.get(&[K("credits"), K("rounding")], r, str::parse),
        };
        if count != 1 {
            return None;
        }
        Some(Credits {
            model: model?,
            cap: cap.flatten(),
            annual_cap: annual_cap.flatten(),
            annual_window: annual_window?,
            minimum: minimum?,
            rounding: rounding?,
            earn_back: earn_back?,
        })
    }

    fn cap(&mut self, key: &'static str, raw: &RawCap) -> Option<Cap> {
        use Seg::Key as K;
        if raw.percent.is_none() && raw.amount.is_none() {
            self.fail(
                &[K("credits"), K(key)],
                "expected `percent` and/or `amount`",
            );
            return None;
        }
        let percent = match &raw.percent {
            None => Some(None),
            Some(p) => self
                .decimal_in(
                    &[K("credits"), K(key), K("percent")],
                    p,
                    Decimal::ZERO,
                    None,
                    false,
                )
                .map(Some),
        };
        let amount = match &raw.amount {
            None => Some(None),
            Some(a) => self
                .decimal_in(
                    &[K("credits"), K(key), K("amount")],
                    a,
                    Decimal::ZERO,
                    None,
                    false,
                )
                .map(Some),
        };
        Some(Cap {
            percent: percent?,
            amount: amount?,
        })
    }

    fn deadline(&mut self) -> Option<Option<Deadline>> {
        use Seg::Key as K;
        let Some(raw) = self
            .doc
            .value
            .claim
            .as_ref()
            .and_then(|c| c.deadline.as_ref())
        else {
            return Some(None);
        };
        let given: Vec<(&'static str, &String)> = [
            ("periods_after", raw.periods_after.as_ref()),
            ("days_after_incident", raw.days_after_incident.as_ref()),
            ("days_after_period_end", raw.days_after_period_end.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if given.len() != 1 {
            self.fail(
                &[K("claim"), K("deadline")],
                "expected exactly one of periods_after, days_after_incident, days_after_period_end",
            );
            return None;
        }
        let (key, text) = given[0];
        let n = self.get(&[K("claim"), K("deadline"), K(key)], text, |t| {
            t.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 3650)
                .ok_or_else(|| format!("expected a whole number from 0 to 3650, found {t:?}"))
        })?;
        Some(Some(match key {
            "periods_after" => Deadline::PeriodsAfter(n),
            "days_after_incident" => Deadline::DaysAfterIncident(n),
            _ => Deadline::DaysAfterPeriodEnd(n),
        }))
    }
}
