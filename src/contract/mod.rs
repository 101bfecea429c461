//! Contracts: what is promised, how it is measured and what a breach costs (SPEC 2.1).
//!
//! [`Contract::from_yaml`] is the only way to build one; it checks everything and reports every
//! problem at once, so the engine never re-checks.

mod hours;
mod raw;

pub use hours::ServiceHours;
use hours::WeeklyHours;

use crate::error::{Error, Problem, Problems};
use crate::money::{parse_decimal, Rounding};
use crate::period::PeriodKind;
use crate::time::Seconds;
use crate::yaml::{Located, Seg};
use chrono::NaiveDate;
use chrono_tz::Tz;
use raw::{RawCap, RawContract, RawMinimum};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// How downtime is turned into minutes (SPEC 3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Elapsed time to the second, as exact decimal minutes.
    Exact,
    /// Every clock minute touched by downtime counts whole.
    TouchedMinutes,
    /// Only clock minutes entirely inside downtime count.
    WholeMinutes,
}

/// What windows with impact below 1 do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialImpact {
    /// Downtime is weighted by impact.
    Weighted,
    /// Every window counts as fully down.
    Full,
    /// Windows with impact below 1 are dropped.
    Ignore,
}

/// Whether excluded time counts as up or leaves the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExcludedTime {
    /// Excluded time stays in the eligible minutes, as uptime.
    CountsAsUp,
    /// Excluded time is removed from the eligible minutes.
    RemovedFromPeriod,
}

/// How downtime is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DowntimeRules {
    /// Counting mode.
    pub counting: Counting,
    /// Continuous downtime shorter than this does not count.
    pub min_duration: Seconds,
    /// Treatment of partial impact.
    pub partial_impact: PartialImpact,
}

/// What does not count as downtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusions {
    /// Causes excluded from downtime.
    pub causes: BTreeSet<String>,
    /// How early maintenance must be announced to be excluded.
    pub maintenance_notice: Seconds,
    /// What excluded time does to the period.
    pub excluded_time: ExcludedTime,
}

/// One credit tier: uptime strictly below `below` earns `percent` of the basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    /// Threshold, in percent uptime.
    pub below: Decimal,
    /// Credit, in percent of the basis.
    pub percent: Decimal,
}

/// Whether a started or only a completed unit of downtime counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitCount {
    /// Every started unit.
    Started,
    /// Only completed units.
    Completed,
}

/// The credit model: exactly one per contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditModel {
    /// Uptime tiers, `below` strictly decreasing, `percent` strictly increasing.
    Tiers(Vec<Tier>),
    /// A percent of the basis per unit of downtime beyond an allowance.
    PerDuration {
        /// Percent of the basis per unit.
        percent: Decimal,
        /// The unit.
        per: Seconds,
        /// Started or completed units.
        count: UnitCount,
        /// Allowance before units count.
        beyond: Seconds,
    },
    /// A multiple of the hourly fee for each qualifying incident's hours.
    FeeMultiple {
        /// The multiple.
        multiple: Decimal,
        /// An incident qualifies alone when at least this long (`None` with `min_total` set:
        /// only the period's total qualifies; both `None`: every incident qualifies).
        min_incident: Option<Seconds>,
        /// All incidents qualify once the period's downtime reaches this.
        min_total: Option<Seconds>,
        /// Hours the monthly fee is divided by (Korean telecom terms: 720); `None` = real hours.
        hours_basis: Option<Decimal>,
    },
    /// A fixed amount per qualifying incident.
    Fixed {
        /// Amount per incident, in the subscription's currency.
        amount: Decimal,
        /// An incident qualifies when at least this long.
        min_incident: Seconds,
    },
}

impl CreditModel {
    /// The name used in contracts.
    pub fn name(&self) -> &'static str {
        match self {
            CreditModel::Tiers(_) => "tiers",
            CreditModel::PerDuration { .. } => "per_duration",
            CreditModel::FeeMultiple { .. } => "fee_multiple",
            CreditModel::Fixed { .. } => "fixed",
        }
    }
}

/// A cap: a percent of the basis and/or an amount; with both, the lower holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    /// Percent of the basis.
    pub percent: Option<Decimal>,
    /// Amount in the subscription's currency.
    pub amount: Option<Decimal>,
}

impl Cap {
    /// The cap's limit for `basis`.
    pub fn limit(&self, basis: Decimal) -> Option<Decimal> {
        let by_percent = self.percent.map(|p| basis * p / Decimal::ONE_HUNDRED);
        match (by_percent, self.amount) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Credits below a minimum are not issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimum {
    /// Credits below this are dropped (`minimum: X`).
    AtLeast(Decimal),
    /// Credits at or below this are dropped (`minimum: { above: X }`, AWS's "greater than $1").
    Above(Decimal),
}

impl Minimum {
    /// Whether `credit` is issued.
    pub fn issues(&self, credit: Decimal) -> bool {
        match *self {
            Minimum::AtLeast(m) => credit >= m,
            Minimum::Above(m) => credit > m,
        }
    }
}

/// What breach costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credits {
    /// The model.
    pub model: CreditModel,
    /// Per-period cap.
    pub cap: Option<Cap>,
    /// Cap across the calendar year in the contract's zone.
    pub annual_cap: Option<Cap>,
    /// Minimum issued credit.
    pub minimum: Minimum,
    /// Rounding to the minor unit.
    pub rounding: Rounding,
}

/// When a claim must be filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// By the end of the N-th period after the incident's period.
    PeriodsAfter(u32),
    /// N days after the claim's latest incident ends.
    DaysAfterIncident(u32),
    /// N days after the period ends.
    DaysAfterPeriodEnd(u32),
}

/// A validated SLA contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) provider: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) terms_date: Option<NaiveDate>,
    pub(crate) applies_to: BTreeMap<String, String>,
    pub(crate) period: PeriodKind,
    pub(crate) timezone: Tz,
    pub(crate) commitment: Decimal,
    pub(crate) service_hours: Option<ServiceHours>,
    pub(crate) downtime: DowntimeRules,
    pub(crate) exclusions: Exclusions,
    pub(crate) credits: Credits,
    pub(crate) deadline: Option<Deadline>,
    pub(crate) requires: Vec<String>,
    pub(crate) file: String,
}

impl Contract {
    /// Parses and validates a contract from YAML text; `file` names it in messages.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found, each with file and line.
    ///
    /// ```
    /// let c = slacredit::Contract::from_yaml("c.yaml", "id: c\nperiod: month\ntimezone: UTC\n\
    ///     commitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n").unwrap();
    /// assert_eq!(c.id(), "c");
    /// assert!(slacredit::Contract::from_yaml("c.yaml", "id: c\nperiod: week\n").is_err());
    /// ```
    pub fn from_yaml(file: &str, text: &str) -> Result<Contract, Error> {
        let doc = Located::<RawContract>::parse(file, text).map_err(Error::Invalid)?;
        let mut v = Validator {
            file,
            doc: &doc,
            problems: Problems::new(),
        };
        let contract = v.contract();
        v.problems
            .into_result(contract)?
            .ok_or_else(|| Error::problem(Problem::new(file, "invalid contract")))
    }

    /// The contract's id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its title, if given.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    /// Who provides the service.
    pub fn provider(&self) -> Option<&str> {
        self.provider.as_deref()
    }
    /// Where the terms come from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// The date of the terms.
    pub fn terms_date(&self) -> Option<NaiveDate> {
        self.terms_date
    }
    /// Scope labels every subscription under it carries.
    pub fn applies_to(&self) -> &BTreeMap<String, String> {
        &self.applies_to
    }
    /// Measurement period.
    pub fn period(&self) -> PeriodKind {
        self.period
    }
    /// Zone of periods and service hours.
    pub fn timezone(&self) -> Tz {
        self.timezone
    }
    /// Promised uptime, percent.
    pub fn commitment(&self) -> Decimal {
        self.commitment
    }
    /// Service hours (`None` = all hours).
    pub fn service_hours(&self) -> Option<&ServiceHours> {
        self.service_hours.as_ref()
    }
    /// Downtime rules.
    pub fn downtime(&self) -> &DowntimeRules {
        &self.downtime
    }
    /// Exclusions.
    pub fn exclusions(&self) -> &Exclusions {
        &self.exclusions
    }
    /// Credits.
    pub fn credits(&self) -> &Credits {
        &self.credits
    }
    /// Claim deadline rule.
    pub fn deadline(&self) -> Option<Deadline> {
        self.deadline
    }
    /// What a claim must contain (free text).
    pub fn requires(&self) -> &[String] {
        &self.requires
    }
    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// Decimal places accepted in a contract's numbers (99.9999 % needs 4; amounts need the minor
/// unit). More would be a typo, and would let products outgrow exact decimal range.
const MAX_DECIMALS: u32 = 6;

struct Validator<'a> {
    file: &'a str,
    doc: &'a Located<RawContract>,
    problems: Problems,
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
    fn get<T>(
        &mut self,
        path: &[Seg<'_>],
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(path, e);
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

    fn contract(&mut self) -> Option<Contract> {
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
            file: self.file.to_owned(),
        })
    }

    fn service_hours(&mut self, raw: &raw::RawServiceHours) -> Option<ServiceHours> {
        use Seg::{Index as I, Key as K};
        let mut hours = ServiceHours::default();
        let mut ok = true;
        for (i, w) in raw.weekly.iter().flatten().enumerate() {
            let base = [K("service_hours"), K("weekly"), I(i)];
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
                (Some(from), Some(to)) if from < to => {
                    hours.weekly.push(WeeklyHours { days, from, to })
                }
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
        if raw.weekly.as_ref().is_some_and(|w| w.is_empty()) {
            self.fail(
                &[K("service_hours"), K("weekly")],
                "expected at least one weekly rule (omit `weekly` for all hours)",
            );
            ok = false;
        }
        for (i, h) in raw.holidays.iter().flatten().enumerate() {
            match self.get(&[K("service_hours"), K("holidays"), I(i)], h, parse_date) {
                Some(d) => {
                    hours.holidays.insert(d);
                }
                None => ok = false,
            }
        }
        ok.then_some(hours)
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
        Some(DowntimeRules {
            counting: counting?,
            min_duration: min_duration?,
            partial_impact: partial_impact?,
        })
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
        Some(Exclusions {
            causes,
            maintenance_notice: notice?,
            excluded_time: excluded_time?,
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
        ];
        let count = given.iter().filter(|g| **g).count();
        if count != 1 {
            self.fail(&[K("credits")], format!("expected exactly one credit model (tiers, per_duration, fee_multiple or fixed), found {count}"));
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
            if let (Some(percent), Some(per), Some(count), Some(beyond)) =
                (percent, per.filter(|p| p.0 > 0), count, beyond)
            {
                model = Some(CreditModel::PerDuration {
                    percent,
                    per,
                    count,
                    beyond,
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
        let cap = raw.cap.as_ref().map(|c| self.cap("cap", c));
        let annual_cap = raw.annual_cap.as_ref().map(|c| self.cap("annual_cap", c));
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
            minimum: minimum?,
            rounding: rounding?,
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

/// Parses a civil date `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| {
            (crate::time::MIN_YEAR..=crate::time::MAX_YEAR).contains(&chrono::Datelike::year(d))
        })
        .ok_or_else(|| {
            format!(
                "expected a date YYYY-MM-DD between {} and {}, found {text:?}",
                crate::time::MIN_YEAR,
                crate::time::MAX_YEAR
            )
        })
}
