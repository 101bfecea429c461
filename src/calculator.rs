//! The calculator: uptime, breach, credit model, caps, minimum, rounding, deadline and next tier
//! (SPEC 3.4-3.6), in two steps: [`assess`] decides everything that does not depend on money
//! (so every subscription sharing a measurement shares it), [`owed`] turns that into what one
//! subscription is owed for the period: its basis, the model's amount, the period cap, the
//! minimum, the rounding and the annual cap given what the year issued before. Every money rule
//! is here; the computation only decides which periods to ask about and what to share.

use crate::contract::{
    BeyondPer, Cap, CapWindow, Contract, CreditModel, Deadline, Tier, UnitCount,
};
use crate::engine::Measured;
use crate::incident::{ClaimIncident, Detail};
use crate::money::{Currency, Money};
use crate::period::{Period, PeriodId, PeriodKind};
use crate::time::{Instant, Seconds};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// How far the next higher credit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextTier {
    /// The credit percent it would give.
    pub credit_percent: Decimal,
    /// The fewest additional whole downtime minutes that reach it.
    pub more_downtime_minutes: Decimal,
}

/// The credit's arithmetic, step by step, for claim letters and audits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreditSteps {
    /// What the model gives, before caps.
    pub model_amount: Decimal,
    /// After the period cap.
    pub after_period_cap: Decimal,
    /// After the minimum.
    pub after_minimum: Decimal,
    /// After rounding.
    pub after_rounding: Decimal,
    /// What the customer's at-risk pool left for this period after the service levels
    /// before it, where the model is `at_risk`.
    pub pool_cap_remaining: Option<Decimal>,
    /// What the annual cap left for this period, where there is one.
    pub annual_cap_remaining: Option<Decimal>,
}

/// What the credit is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Basis {
    /// The basis: the period's charges, else the fee pro-rated to the active part.
    pub amount: Decimal,
    /// The period's full fee or charges, before pro-rating (fee_multiple's hourly fee).
    pub full: Decimal,
}

/// Where a credit under an earn-back clause stands (SPEC 2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarnBack {
    /// Pending, due or forgiven.
    pub status: EarnBackStatus,
    /// The period that decided it: the first breached one (due), the last of those that met
    /// the commitment (forgiven); `None` while pending.
    pub decided_in: Option<PeriodId>,
}

/// The states of a credit under earn-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarnBackStatus {
    /// Some of the periods that decide it are outside the computed range.
    Pending,
    /// One of them was breached: the credit is owed.
    Due,
    /// All of them met the commitment: the credit is forgiven.
    Forgiven,
}

impl EarnBackStatus {
    /// The name in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            EarnBackStatus::Pending => "pending",
            EarnBackStatus::Due => "due",
            EarnBackStatus::Forgiven => "forgiven",
        }
    }
}

/// What a measured period is owed, before it is priced for a basis.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Exact uptime percent (100 with no eligible time).
    pub uptime_percent: Decimal,
    /// Uptime below the commitment.
    pub breached: bool,
    /// The model's percent, where it has one.
    pub credit_percent: Option<Decimal>,
    /// The next higher credit.
    pub next_tier: Option<NextTier>,
    /// The last day to claim.
    pub deadline: Option<NaiveDate>,
    /// Why there is no credit, where not obvious.
    pub note: Option<String>,
    /// What the model pays, in a form that needs only the basis.
    owed: Owed,
}

#[derive(Debug, Clone, Copy)]
enum Owed {
    /// This percent of the basis.
    Percent(Decimal),
    /// `multiple` x full fee x `seconds` / (3600 x hours); `hours` = None: the period's real
    /// hours.
    FeeHours {
        multiple: Decimal,
        seconds: Decimal,
        hours: Option<Decimal>,
        period_seconds: i64,
    },
    /// `count` x `amount`.
    Fixed { amount: Decimal, count: u64 },
}

impl Assessment {
    /// Whether the model pays nothing, whatever the basis: then the credit is zero.
    pub fn owes_nothing(&self) -> bool {
        match self.owed {
            Owed::Percent(p) => p.is_zero(),
            Owed::FeeHours {
                multiple, seconds, ..
            } => multiple.is_zero() || seconds.is_zero(),
            Owed::Fixed { amount, count } => count == 0 || amount.is_zero(),
        }
    }
}

/// Eligible and downtime seconds, exact, with the threshold test.
struct Uptime {
    eligible: Decimal,
    downtime: Decimal,
    /// (E - D) x 100, compared with every tier.
    up_hundred: Decimal,
    /// (E - D) x 100 and E as integers, when both are whole seconds (all but partial impacts):
    /// thresholds are then compared in integer arithmetic, not on 96-bit decimals.
    whole: Option<(i128, i128)>,
}

impl Uptime {
    fn new(eligible: Decimal, downtime: Decimal) -> Uptime {
        let whole = whole_seconds(eligible)
            .zip(whole_seconds(downtime))
            .map(|(e, d)| ((e - d) * 100, e));
        let up_hundred = match whole {
            // The same digits as the decimal arithmetic gives: both have no decimals.
            Some((up, _)) => Decimal::from_i128_with_scale(up, 0),
            None => (eligible - downtime) * Decimal::ONE_HUNDRED,
        };
        Uptime {
            eligible,
            downtime,
            up_hundred,
            whole,
        }
    }

    /// Uptime strictly below `threshold` percent, decided exactly: (E - D) x 100 < threshold x E.
    fn below(&self, threshold: Decimal) -> bool {
        // With threshold = t / 10^s: (E - D) x 100 x 10^s < t x E, in 128 bits where it fits
        // (a percent with a few decimals and a period's seconds always do).
        let whole = self
            .whole
            .filter(|_| threshold.scale() <= 18)
            .and_then(|(up, e)| {
                let left = up.checked_mul(10i128.pow(threshold.scale()))?;
                Some(left < threshold.mantissa().checked_mul(e)?)
            });
        whole.unwrap_or_else(|| self.up_hundred < threshold * self.eligible)
    }

    /// The fewest more whole minutes of downtime that bring uptime below `threshold`, if
    /// reachable within the eligible time: the smallest x with 100 (D + 60 x) > E (100 - t).
    fn minutes_to_go_below(&self, threshold: Decimal) -> Option<Decimal> {
        let gap = self.eligible * (Decimal::ONE_HUNDRED - threshold)
            - self.downtime * Decimal::ONE_HUNDRED;
        self.reachable(smallest_above(gap, Decimal::from(6000)))
    }

    fn reachable(&self, minutes: Decimal) -> Option<Decimal> {
        (self.downtime + minutes * Decimal::from(60) <= self.eligible).then_some(minutes)
    }
}

/// `d` as an integer, when it has no decimal digits and fits 63 bits (seconds always do).
fn whole_seconds(d: Decimal) -> Option<i128> {
    let m = d.mantissa();
    (d.scale() == 0 && i64::try_from(m).is_ok()).then_some(m)
}

/// The smallest whole x >= 1 with `step` x > `gap`. The estimate from a division is corrected
/// with exact products, so a gap that is a whole number of steps is never off by one.
fn smallest_above(gap: Decimal, step: Decimal) -> Decimal {
    let mut x = ((gap / step).floor() + Decimal::ONE).max(Decimal::ONE);
    while x > Decimal::ONE && step * (x - Decimal::ONE) > gap {
        x -= Decimal::ONE;
    }
    while step * x <= gap {
        x += Decimal::ONE;
    }
    x
}

/// The smallest whole x >= 1 with `step` x >= `gap`.
fn smallest_reaching(gap: Decimal, step: Decimal) -> Decimal {
    let mut x = (gap / step).ceil().max(Decimal::ONE);
    while x > Decimal::ONE && step * (x - Decimal::ONE) >= gap {
        x -= Decimal::ONE;
    }
    while step * x < gap {
        x += Decimal::ONE;
    }
    x
}

/// The largest whole x >= 0 with `step` x <= `amount`.
fn whole_steps(amount: Decimal, step: Decimal) -> Decimal {
    if amount <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut x = (amount / step).floor();
    while x > Decimal::ZERO && step * x > amount {
        x -= Decimal::ONE;
    }
    while step * (x + Decimal::ONE) <= amount {
        x += Decimal::ONE;
    }
    x
}

/// The units of a `per_duration` model that `downtime` seconds give: started or completed units
/// of `per` beyond the allowance `beyond`.
fn units(per: Seconds, count: UnitCount, beyond: Seconds, downtime: Decimal) -> Decimal {
    let (per, beyond) = (Decimal::from(per.0), Decimal::from(beyond.0));
    let excess = (downtime - beyond).max(Decimal::ZERO);
    let completed = whole_steps(excess, per);
    match count {
        UnitCount::Started if completed * per != excess => completed + Decimal::ONE,
        _ => completed,
    }
}

/// The units each incident gives under a `per_duration` model with `beyond_per: incident`, in
/// the order given (for letters that show them); `None` under any other model.
pub fn incident_units(contract: &Contract, incidents: &[ClaimIncident]) -> Option<Vec<Decimal>> {
    match contract.credits().model {
        CreditModel::PerDuration {
            per,
            count,
            beyond,
            beyond_per: BeyondPer::Incident,
            ..
        } => Some(
            incidents
                .iter()
                .map(|i| units(per, count, beyond, i.downtime_seconds))
                .collect(),
        ),
        _ => None,
    }
}

/// Assesses a measured period: uptime, breach, the model's outcome, deadline, next tier (with
/// [`Detail::Full`]). `fixed_incidents` is how many qualifying incidents are first paid in this
/// period (only used by the `fixed` model).
pub fn assess(
    contract: &Contract,
    measured: &Measured,
    period: &Period,
    fixed_incidents: usize,
    detail: Detail,
) -> Assessment {
    let seek_next = detail == Detail::Full;
    let credits = contract.credits();
    let deadline = deadline(contract, measured, period);
    if measured.eligible <= Decimal::ZERO {
        return Assessment {
            uptime_percent: Decimal::ONE_HUNDRED,
            breached: false,
            credit_percent: match credits.model {
                CreditModel::Tiers(_)
                | CreditModel::PerDuration { .. }
                | CreditModel::AtRisk { .. } => Some(Decimal::ZERO),
                _ => None,
            },
            next_tier: None,
            deadline,
            note: Some(if measured.eligible_seconds == 0 {
                "no eligible time in this period (outside service hours or the active dates), so no uptime is measured and no credit is due".to_owned()
            } else {
                "all eligible time in this period was excluded, so no uptime is measured and no credit is due".to_owned()
            }),
            owed: Owed::Percent(Decimal::ZERO),
        };
    }
    let u = Uptime::new(measured.eligible, measured.downtime.min(measured.eligible));
    let uptime_percent = u.up_hundred / u.eligible;
    let breached = u.below(contract.commitment());
    let (credit_percent, owed, next_tier) = match &credits.model {
        CreditModel::Tiers(tiers) => {
            let hit = tiers.iter().rposition(|t| u.below(t.below));
            let percent = hit.map_or(Decimal::ZERO, |i| tiers[i].percent);
            let next = tiers
                .get(hit.map_or(0, |i| i + 1))
                .filter(|_| seek_next)
                .and_then(|t: &Tier| {
                    u.minutes_to_go_below(t.below).map(|m| NextTier {
                        credit_percent: t.percent,
                        more_downtime_minutes: m,
                    })
                });
            (Some(percent.normalize()), Owed::Percent(percent), next)
        }
        CreditModel::PerDuration {
            percent,
            per,
            count,
            beyond,
            beyond_per,
        } => {
            let units_of = |downtime: Decimal| units(*per, *count, *beyond, downtime);
            // In seconds, exactly: a unit is `per`, the allowance `beyond`.
            let (per, beyond) = (Decimal::from(per.0), Decimal::from(beyond.0));
            let sixty = Decimal::from(60);
            let (units, next) = match beyond_per {
                // Each incident has its own allowance (SPEC 2.7): more downtime reaches the
                // next unit in a way that depends on which incident it joins, so there is no
                // next tier to tell.
                BeyondPer::Incident => (
                    measured
                        .incidents
                        .iter()
                        .map(|i| units_of(i.downtime_seconds))
                        .sum(),
                    None,
                ),
                BeyondPer::Period => {
                    let units = units_of(u.downtime);
                    let more = match count {
                        // The next unit starts once downtime passes beyond + units x per ...
                        UnitCount::Started => {
                            smallest_above(beyond + units * per - u.downtime, sixty)
                        }
                        // ... or completes when downtime reaches beyond + (units + 1) x per.
                        UnitCount::Completed => smallest_reaching(
                            beyond + (units + Decimal::ONE) * per - u.downtime,
                            sixty,
                        ),
                    };
                    let next = u.reachable(more).filter(|_| seek_next).map(|m| NextTier {
                        credit_percent: (percent * (units + Decimal::ONE)).normalize(),
                        more_downtime_minutes: m,
                    });
                    (units, next)
                }
            };
            let p = (percent * units).normalize();
            (Some(p), Owed::Percent(p), next)
        }
        CreditModel::FeeMultiple {
            multiple,
            min_incident,
            min_total,
            hours_basis,
        } => {
            let all = min_total.is_some_and(|t| u.downtime >= Decimal::from(t.0));
            let seconds: Decimal = measured
                .incidents
                .iter()
                .filter(|i| {
                    all || min_incident.map_or(min_total.is_none(), |m| i.end.since(i.start) >= m)
                })
                .map(|i| i.downtime_seconds)
                .sum();
            let period_seconds = period.end.since(period.start).0;
            (
                None,
                Owed::FeeHours {
                    multiple: *multiple,
                    seconds,
                    hours: *hours_basis,
                    period_seconds,
                },
                None,
            )
        }
        // A breach gives the service level's share of the at-risk amount; the pool cap comes
        // when the subscriptions of the pool are priced.
        CreditModel::AtRisk {
            percent,
            allocation,
            ..
        } => {
            let share = (percent * allocation / Decimal::ONE_HUNDRED).normalize();
            let p = if breached { share } else { Decimal::ZERO };
            let next = (!breached && seek_next)
                .then(|| u.minutes_to_go_below(contract.commitment()))
                .flatten()
                .map(|m| NextTier {
                    credit_percent: share,
                    more_downtime_minutes: m,
                });
            (Some(p), Owed::Percent(p), next)
        }
        CreditModel::Fixed { amount, .. } => (
            None,
            Owed::Fixed {
                amount: *amount,
                count: fixed_incidents as u64,
            },
            None,
        ),
    };
    Assessment {
        uptime_percent,
        breached,
        credit_percent,
        next_tier,
        deadline,
        note: None,
        owed,
    }
}

/// What the calculator needs of one subscription beyond a period's measurement.
#[derive(Clone, Copy)]
pub struct Billing<'a> {
    /// The fee per period.
    pub fee: Money,
    /// When the subscription is active ([`crate::engine::active_range`]).
    pub active: (Instant, Instant),
    /// The period's actual charges, where there are some (they replace the fee).
    pub charge: &'a dyn Fn(PeriodId) -> Option<Money>,
}

/// What one subscription is owed for one `period` it is active in, `assessment` being the
/// period's: the basis (charges, or the fee pro-rated), the model's amount, the period cap, the
/// minimum and the rounding; under `at_risk`, the pool cap given what the pool's members before
/// it `taken` (none: not capped); then the annual cap, where the contract has one, given what
/// the year issued before (`year` carries it from period to period, in order; a period of
/// another year starts it over).
pub fn owed(
    contract: &Contract,
    billing: &Billing<'_>,
    period: &Period,
    assessment: &Assessment,
    taken: Option<Decimal>,
    year: &mut Option<AnnualCap>,
) -> (Basis, Priced) {
    let currency = billing.fee.currency;
    let basis_of = |p: &Period| {
        basis(
            contract,
            billing.fee,
            billing.active,
            p,
            (billing.charge)(p.id),
        )
    };
    let b = basis_of(period);
    let mut priced = price(contract, assessment, b, currency);
    let credits = contract.credits();
    if let (Some(taken), CreditModel::AtRisk { percent, .. }) = (taken, &credits.model) {
        // The pool's amount less what the members before this one took: the credits are
        // rounded already, so what is left is in the minor unit too.
        let left = (pool_amount(b.amount, *percent, currency) - taken).max(Decimal::ZERO);
        priced.steps.pool_cap_remaining = Some(left);
        if priced.credit > left {
            priced.credit = currency.round_down(left);
            priced.capped = true;
        }
    }
    if let Some(terms) = credits.annual_cap {
        match credits.annual_window {
            CapWindow::CalendarYear => {
                let y = period.id.year();
                if year.as_ref().is_none_or(|cap| cap.year() != Some(y)) {
                    let bases: Vec<Basis> =
                        year_periods(contract, y).iter().map(basis_of).collect();
                    *year = Some(AnnualCap::new(terms, y, &bases, currency));
                }
                if let Some(cap) = year.as_mut() {
                    cap.apply(&mut priced, currency);
                }
            }
            CapWindow::Rolling12 => {
                // The bases of the window's periods the subscription is active in, each worked
                // out here: a period a run skips (nothing owed) still has its basis.
                let first = period.id.shifted(-rolling_periods_before(period.id.kind()));
                let mut bases = Decimal::ZERO;
                let mut p = first;
                while p <= period.id {
                    let each = p.in_zone(contract.timezone());
                    if each.start < billing.active.1 && each.end > billing.active.0 {
                        bases += basis_of(&each).amount;
                    }
                    p = p.next();
                }
                year.get_or_insert_with(|| AnnualCap::rolling(terms))
                    .apply_rolling(period.id, bases, &mut priced, currency)
            }
        }
    }
    (b, priced)
}

/// The periods of `contract`'s kind in calendar year `year`.
fn year_periods(contract: &Contract, year: i32) -> Vec<Period> {
    let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut p = PeriodId::containing(contract.period(), jan1);
    let mut out = Vec::new();
    while p.year() == year {
        out.push(p.in_zone(contract.timezone()));
        p = p.next();
    }
    out
}

/// A priced period, before the annual cap.
#[derive(Debug, Clone)]
pub struct Priced {
    /// The credit after period cap, minimum and rounding.
    pub credit: Decimal,
    /// A cap lowered the credit.
    pub capped: bool,
    /// The arithmetic.
    pub steps: CreditSteps,
}

/// How many of a period's incidents a `fixed` credit pays for (SPEC 3.6): those at least
/// `min_incident` long as a whole, with downtime counted in the period, and not
/// `counted_before` (an incident is paid once, in the first period in which it counts). Zero
/// for the other models.
pub(crate) fn fixed_incidents(
    contract: &Contract,
    measured: &Measured,
    counted_before: impl Fn(&crate::incident::ClaimIncident) -> bool,
) -> usize {
    let CreditModel::Fixed { min_incident, .. } = &contract.credits().model else {
        return 0;
    };
    measured
        .incidents
        .iter()
        .filter(|i| i.end.since(i.start) >= *min_incident && i.downtime_seconds > Decimal::ZERO)
        .filter(|i| !counted_before(i))
        .count()
}

/// The basis of a period: its `charge` where the charges file has one, else the fee pro-rated
/// to the part of the period in which the subscription is `active` (by elapsed time) and
/// rounded to the minor unit with the contract's rounding (SPEC 2.2, 3.6).
fn basis(
    contract: &Contract,
    fee: Money,
    active: (Instant, Instant),
    period: &Period,
    charge: Option<Money>,
) -> Basis {
    if let Some(charge) = charge {
        return Basis {
            amount: charge.amount,
            full: charge.amount,
        };
    }
    let whole = period.end.since(period.start).0;
    let (a, b) = (period.start.max(active.0), period.end.min(active.1));
    let part = if a < b { b.since(a).0 } else { 0 };
    let amount = if part >= whole {
        fee.amount
    } else {
        fee.amount * Decimal::from(part) / Decimal::from(whole)
    };
    Basis {
        amount: fee.currency.round(amount, contract.credits().rounding),
        full: fee.amount,
    }
}

/// An annual cap as a subscription's periods are priced in order. Of one calendar year (SPEC
/// 3.6): it limits the running total of the credits issued, a period getting at most what is
/// left. Rolling (SPEC 2.7): it limits the credits of a period and of those that start in the
/// twelve months before it, and a percent is of their summed bases.
#[derive(Debug, Clone)]
pub struct AnnualCap {
    /// The calendar year it caps; `None` for a rolling cap.
    year: Option<i32>,
    /// The cap's amount for the year, rounded down to the minor unit.
    limit: Decimal,
    issued: Decimal,
    terms: Cap,
    /// Rolling: each period priced so far, with the credit issued, in order (a period not
    /// priced issued nothing).
    earlier: Vec<(PeriodId, Decimal)>,
}

impl AnnualCap {
    /// The cap of `year` under `terms`, for the bases of the year's periods (a percent cap is of
    /// their sum).
    fn new(
        terms: crate::contract::Cap,
        year: i32,
        bases: &[Basis],
        currency: Currency,
    ) -> AnnualCap {
        let annual_basis: Decimal = bases.iter().map(|b| b.amount).sum();
        let limit = terms
            .limit(annual_basis)
            .map_or(Decimal::MAX, |l| currency.round_down(l));
        AnnualCap {
            year: Some(year),
            limit,
            issued: Decimal::ZERO,
            terms,
            earlier: Vec::new(),
        }
    }

    /// A rolling cap under `terms`, before its first period.
    fn rolling(terms: Cap) -> AnnualCap {
        AnnualCap {
            year: None,
            limit: Decimal::MAX,
            issued: Decimal::ZERO,
            terms,
            earlier: Vec::new(),
        }
    }

    /// The calendar year it caps; `None` for a rolling cap.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// Limits `priced` (period `id`, the next one priced; `bases` those of its window) to what
    /// the credits of the periods starting in the twelve months before it left, and counts it
    /// issued.
    fn apply_rolling(
        &mut self,
        id: PeriodId,
        bases: Decimal,
        priced: &mut Priced,
        currency: Currency,
    ) {
        let first = id.shifted(-rolling_periods_before(id.kind()));
        let issued = self
            .earlier
            .iter()
            .filter(|(p, _)| *p >= first && *p < id)
            .map(|(_, credit)| *credit)
            .sum();
        self.limit = self
            .terms
            .limit(bases)
            .map_or(Decimal::MAX, |l| currency.round_down(l));
        self.issued = issued;
        self.apply(priced, currency);
        self.earlier.push((id, priced.credit));
    }

    /// Limits `priced` (the next period of the year) to what is left, and counts it issued.
    fn apply(&mut self, priced: &mut Priced, currency: Currency) {
        let remaining = (self.limit - self.issued).max(Decimal::ZERO);
        priced.steps.annual_cap_remaining = Some(remaining);
        if priced.credit > remaining {
            priced.credit = currency.round_down(remaining);
            priced.capped = true;
        }
        self.issued += priced.credit;
    }
}

/// How many periods before a period a rolling cap holds with it (SPEC 2.7): a month and the
/// eleven before it; a quarter and the three before; a year alone.
fn rolling_periods_before(kind: PeriodKind) -> i64 {
    match kind {
        PeriodKind::Month => 11,
        PeriodKind::Quarter => 3,
        PeriodKind::Year => 0,
    }
}

/// A pool's at-risk amount for one period: `percent` of the `basis` its members share, rounded
/// down to the minor unit (SPEC 2.7).
pub(crate) fn pool_amount(basis: Decimal, percent: Decimal, currency: Currency) -> Decimal {
    currency.round_down(percent_of(basis, percent))
}

/// Where a credit for period `id` stands under an earn-back over `n` periods (SPEC 2.7), given
/// whether each later period was breached (`None`: outside the computed range, or the
/// subscription not active in it): due from the first breached one, forgiven when all `n` met
/// the commitment, pending otherwise.
pub fn earn_back(n: u32, id: PeriodId, breached: impl Fn(PeriodId) -> Option<bool>) -> EarnBack {
    let mut open = false;
    for k in 1..=i64::from(n) {
        match breached(id.shifted(k)) {
            Some(true) => {
                return EarnBack {
                    status: EarnBackStatus::Due,
                    decided_in: Some(id.shifted(k)),
                }
            }
            Some(false) => {}
            None => open = true,
        }
    }
    if open {
        EarnBack {
            status: EarnBackStatus::Pending,
            decided_in: None,
        }
    } else {
        EarnBack {
            status: EarnBackStatus::Forgiven,
            decided_in: Some(id.shifted(i64::from(n))),
        }
    }
}

/// Prices an assessment for one basis: model amount, period cap, minimum, rounding.
fn price(contract: &Contract, assessment: &Assessment, basis: Basis, currency: Currency) -> Priced {
    let credits = contract.credits();
    let model_amount = match assessment.owed {
        Owed::Percent(p) if p.is_zero() => Decimal::ZERO,
        Owed::Percent(p) => percent_of(basis.amount, p),
        // multiple x (fee / hours) x (seconds / 3600), divided once at the end to stay exact.
        Owed::FeeHours {
            multiple,
            seconds,
            hours: Some(h),
            ..
        } => multiple * basis.full * seconds / (Decimal::from(3600) * h),
        Owed::FeeHours {
            multiple,
            seconds,
            hours: None,
            period_seconds,
        } => multiple * basis.full * seconds / Decimal::from(period_seconds),
        Owed::Fixed { amount, count } => amount * Decimal::from(count),
    };
    let mut capped = false;
    let mut after_cap = model_amount;
    if let Some(limit) = credits.cap.and_then(|c| c.limit(basis.amount)) {
        if after_cap > limit {
            after_cap = limit;
            capped = true;
        }
    }
    let after_minimum = if credits.minimum.issues(after_cap) {
        after_cap
    } else {
        Decimal::ZERO
    };
    let credit = currency.round(after_minimum, credits.rounding);
    Priced {
        credit,
        capped,
        steps: CreditSteps {
            model_amount,
            after_period_cap: after_cap,
            after_minimum,
            after_rounding: credit,
            pool_cap_remaining: None,
            annual_cap_remaining: None,
        },
    }
}

/// `p` percent of `amount`, exactly: dividing by 100 is moving the decimal point, which is
/// cheaper than a division when millions of credits are priced.
fn percent_of(amount: Decimal, p: Decimal) -> Decimal {
    let mut x = amount * p;
    match x.set_scale(x.scale() + 2) {
        Ok(()) => x,
        Err(_) => amount * p / Decimal::ONE_HUNDRED,
    }
}

/// The last day on which the whole claim is in time (SPEC 3.5): under `days_after_incident`, the
/// earliest of its listed incidents' (filing later loses the incidents whose day has passed).
fn deadline(contract: &Contract, measured: &Measured, period: &Period) -> Option<NaiveDate> {
    match contract.deadline()? {
        Deadline::DaysAfterIncident(_) => {
            measured.incidents.iter().filter_map(|i| i.deadline).min()
        }
        rule => rule.last_day(contract.timezone(), period.id, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Thresholds are decided in integers as they are in decimals, and (E - D) x 100 has
        /// the same digits: a month's seconds or far more, downtime whole or partial,
        /// thresholds with up to 20 decimals.
        #[test]
        fn whole_seconds_decide_thresholds_as_decimals_do(
            eligible in prop_oneof![0i64..3_000_000, 0i64..=1_000_000_000_000],
            down in 0u64..=1_000_000,
            partial in proptest::bool::weighted(0.2),
            threshold in (0i64..=100_000_000, 0u32..=20),
        ) {
            let e = Decimal::from(eligible);
            let d = if partial {
                Decimal::new(down as i64, 3).min(e)
            } else {
                Decimal::from(down).min(e)
            };
            let t = Decimal::new(threshold.0, threshold.1);
            let u = Uptime::new(e, d);
            let up_hundred = (e - d) * Decimal::ONE_HUNDRED;
            prop_assert_eq!(u.up_hundred.serialize(), up_hundred.serialize());
            prop_assert_eq!(u.below(t), up_hundred < t * e);
        }
    }

    #[test]
    fn uptime_exactly_at_a_threshold_is_not_below_it() {
        // A 30-day month is 2,592,000 s; 2,592 s (43.2 minutes) down leaves exactly 99.9 %.
        let month = Decimal::from(2_592_000);
        let at = Uptime::new(month, Decimal::from(2_592));
        assert!(!at.below("99.9".parse().unwrap()));
        assert!(!at.below("99.900000000000000000".parse().unwrap()));
        assert!(at.below("99.900000000000000001".parse().unwrap()));
        assert!(Uptime::new(month, Decimal::from(2_593)).below("99.9".parse().unwrap()));
    }
}
