//! Contracts: what is promised, how it is measured and what a breach costs (SPEC 2.1).
//!
//! [`Contract::from_yaml`] is the only way to build one; it checks everything and reports every
//! problem at once, so the engine never re-checks.

mod calendar;
mod hours;
mod raw;
mod validate;

pub use calendar::{Calendar, Calendars};
pub use hours::{CalendarUse, ServiceHours};

use crate::error::{Error, Problem, Problems};
use crate::money::Rounding;
use crate::period::{PeriodId, PeriodKind};
use crate::time::{local_date, Instant, Seconds};
use crate::yaml::Located;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use raw::RawContract;
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::collections::{BTreeMap, BTreeSet};
use validate::Validator;

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
    /// Composite availability: down only when enough of the values a subscription gives a
    /// scope label are down at once (SPEC 2.7).
    pub composite: Option<Composite>,
}

/// `downtime.composite`: a subscription listing several values of `label` (`zone: [a, b, c]`)
/// is down when at least `at_least` of them are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composite {
    /// The scope label whose values are the parts.
    pub label: String,
    /// How many parts must be down at once.
    pub at_least: usize,
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
    /// Recurring maintenance windows (SPEC 2.7), wall-clock in the contract's zone: the parts
    /// of `maintenance` windows inside them are excluded whatever their notice. Held as weekly
    /// hours without holidays.
    pub maintenance_windows: Option<ServiceHours>,
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

/// What a `per_duration` allowance is measured against (SPEC 2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeyondPer {
    /// The period's counted downtime, less the allowance once.
    Period,
    /// Each incident's counted downtime in the period, less the allowance for each.
    Incident,
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
        /// Whether the allowance is the period's or each incident's.
        beyond_per: BeyondPer,
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
    /// An outsourcing contract's share of an at-risk amount (SPEC 2.7): a breached period gives
    /// `percent` x `allocation` % of the basis, and the credits of one customer's subscriptions
    /// naming the same pool are capped together at `percent` of the basis.
    AtRisk {
        /// The pool's id, shared by the contracts of its service levels.
        pool: SmolStr,
        /// The at-risk amount, percent of the basis.
        percent: Decimal,
        /// This service level's share of the at-risk amount, percent.
        allocation: Decimal,
        /// The line of `credits.at_risk` in the contract, for problems of the pool.
        line: Option<usize>,
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
            CreditModel::AtRisk { .. } => "at_risk",
        }
    }

    /// The at-risk pool the model names, where it is `at_risk`.
    pub fn pool(&self) -> Option<&SmolStr> {
        match self {
            CreditModel::AtRisk { pool, .. } => Some(pool),
            _ => None,
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

/// The periods an annual cap holds together (SPEC 2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapWindow {
    /// The periods of one calendar year in the contract's zone.
    CalendarYear,
    /// A period and those that start in the twelve months before it.
    Rolling12,
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
    /// Cap across a year of periods: the calendar year in the contract's zone, or rolling.
    pub annual_cap: Option<Cap>,
    /// Which periods `annual_cap` holds together.
    pub annual_window: CapWindow,
    /// Minimum issued credit.
    pub minimum: Minimum,
    /// Rounding to the minor unit.
    pub rounding: Rounding,
    /// Earn-back: a credit is forgiven when this many periods after it all meet the
    /// commitment (SPEC 2.7).
    pub earn_back: Option<u32>,
}

/// When a claim must be filed (SPEC 3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// By the end of the N-th period after the incident's period.
    PeriodsAfter(u32),
    /// N days after each incident ends; a claim's is the earliest of its incidents'.
    DaysAfterIncident(u32),
    /// N days after the period ends.
    DaysAfterPeriodEnd(u32),
}

impl Deadline {
    /// The last day, in `zone`, on which a claim for `period` is in time for an incident that
    /// ends at `incident_end`; for the rules counting from the period, the same for every
    /// incident. `None` for `days_after_incident` without an incident, or past the calendar.
    pub fn last_day(
        self,
        zone: Tz,
        period: PeriodId,
        incident_end: Option<Instant>,
    ) -> Option<NaiveDate> {
        match self {
            Deadline::PeriodsAfter(n) => Some(period.shifted(i64::from(n)).last_day()),
            Deadline::DaysAfterPeriodEnd(n) => {
                period.last_day().checked_add_days(Days::new(u64::from(n)))
            }
            Deadline::DaysAfterIncident(n) => {
                local_date(incident_end?, zone).checked_add_days(Days::new(u64::from(n)))
            }
        }
    }
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
    pub(crate) subject: Option<String>,
    pub(crate) send_to: Option<String>,
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
        Contract::from_yaml_with(file, text, &Calendars::new())
    }

    /// As [`Contract::from_yaml`], with the holiday calendars the contract may name
    /// (`service_hours.holidays: { calendar: NAME }`).
    ///
    /// # Errors
    /// As [`Contract::from_yaml`]; a calendar not among `calendars` is one of the problems.
    pub fn from_yaml_with(
        file: &str,
        text: &str,
        calendars: &Calendars,
    ) -> Result<Contract, Error> {
        let doc = Located::<RawContract>::parse(file, text).map_err(Error::Invalid)?;
        let mut v = Validator {
            file,
            doc: &doc,
            calendars,
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
    /// The subject line a claim must carry (`claim.subject`; AWS: "SLA Credit Request").
    pub fn claim_subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
    /// Where a claim is sent (`claim.send_to`; AWS: a case in the AWS Support Center).
    pub fn send_to(&self) -> Option<&str> {
        self.send_to.as_deref()
    }
    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
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
