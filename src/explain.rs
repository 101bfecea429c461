//! Why a claim is what it is, from the inputs behind it: what each source reported of each
//! incident, which windows were excluded and which maintenance was announced too late, where
//! the basis came from, and what each source alone would have given. The claim letter prints
//! it ([`crate::report::letter`]); nothing here is computed twice: each source's figures are
//! the claim [`compute`] makes from that source's windows alone.

use crate::claim::{Claim, Claims};
use crate::compute::compute;
use crate::contract::Contract;
use crate::engine;
use crate::inputs::{Inputs, Selection};
use crate::money::Money;
use crate::period::PeriodSpan;
use crate::subscription::{Charges, Subscription};
use crate::time::Instant;
use crate::window::Window;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One claim with what explains it.
#[derive(Debug)]
pub struct Explanation<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// Its contract.
    pub contract: &'a Contract,
    /// Its subscription.
    pub subscription: &'a Subscription,
    /// Per incident of the claim, in order: what each source reported of it.
    pub seen: Vec<Vec<Seen>>,
    /// Windows in the period whose cause the contract excludes, and were excluded.
    pub excluded: Vec<Reported>,
    /// Windows in the period with an excluded cause that count as downtime: maintenance not
    /// announced in time (or never).
    pub late: Vec<Reported>,
    /// Maintenance windows in the period with parts inside the contract's recurring maintenance
    /// windows, and not excluded whole: those parts are excluded whatever the notice.
    pub in_maintenance_windows: Vec<Reported>,
    /// The basis is the period's actual charges (a charges file), not the fee.
    pub charged: bool,
    /// With more than one source in the period: each source's claim had it alone been
    /// reported, by source (`None`: windows without a source).
    pub alone: Vec<(Option<String>, Claim)>,
}

/// What one source reported of an incident: from its first window's start to its last one's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The source (`None`: windows without one).
    pub source: Option<String>,
    /// Start of its first window over the incident.
    pub from: Instant,
    /// End of its last one.
    pub to: Instant,
    /// The first window's cause (`None`: unplanned).
    pub cause: Option<String>,
}

/// A reported window, as the letter lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// Its cause (`None`: unplanned).
    pub cause: Option<String>,
    /// Its start.
    pub start: Instant,
    /// Its end.
    pub end: Instant,
    /// When it was announced, if it was.
    pub announced_at: Option<Instant>,
}

impl Explanation<'_> {
    /// How far apart the credits of the sources alone are (the highest less the lowest), when
    /// there is more than one source.
    pub fn sources_differ_by(&self) -> Option<Decimal> {
        let credits = self
            .alone
            .iter()
            .map(|(_, c)| Money::new(c.credit, c.currency));
        let (hi, lo) = (
            credits.clone().max_by_key(|m| m.amount)?,
            credits.min_by_key(|m| m.amount)?,
        );
        hi.checked_sub(lo).map(|m| m.amount)
    }
}

impl Reported {
    fn of(w: &Window) -> Reported {
        Reported {
            cause: w.cause().map(|c| c.to_string()),
            start: w.start(),
            end: w.end(),
            announced_at: w.announced_at(),
        }
    }
}

/// Why a breached claim owes nothing (the JSON's `note` stays null here, as SPEC 3.6 says; the
/// reports people read say it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCredit {
    /// The model pays nothing for this downtime (an incident shorter than a `fixed` credit's
    /// `min_incident`, downtime within `per_duration`'s `beyond`, a tier of 0 %).
    ModelPaysNothing,
    /// The amount is below the contract's minimum.
    BelowMinimum,
    /// The customer's at-risk pool for the period is used up by service levels before it.
    PoolUsedUp,
    /// The year's annual cap is used up.
    AnnualCapUsedUp,
    /// The periods after it met the commitment: the credit was earned back.
    Forgiven,
    /// The amount rounds to zero in the currency's minor unit.
    RoundsToZero,
}

impl NoCredit {
    /// The key of its sentence (the letter's texts) and the sentence in English.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            NoCredit::ModelPaysNothing => (
                "no_credit_model",
                "the credit model pays nothing for this downtime",
            ),
            NoCredit::BelowMinimum => (
                "no_credit_minimum",
                "the amount is below the contract's minimum",
            ),
            NoCredit::PoolUsedUp => (
                "no_credit_pool",
                "the at-risk pool of the period is used up by the service levels before this one",
            ),
            NoCredit::AnnualCapUsedUp => {
                ("no_credit_annual_cap", "the year's annual cap is used up")
            }
            NoCredit::Forgiven => (
                "no_credit_forgiven",
                "the provider earned the credit back: the periods after it met the commitment",
            ),
            NoCredit::RoundsToZero => ("no_credit_rounding", "the amount rounds to zero"),
        }
    }
}

/// Why `claim` owes no credit though it is breached; `None` when it owes one or is not breached.
pub fn no_credit(claim: &Claim) -> Option<NoCredit> {
    if !claim.breached || !claim.credit.is_zero() {
        return None;
    }
    let s = &claim.steps;
    let forgiven =
        claim.earn_back.map(|e| e.status) == Some(crate::claim::EarnBackStatus::Forgiven);
    Some(if forgiven {
        NoCredit::Forgiven
    } else if s.model_amount.is_zero() {
        NoCredit::ModelPaysNothing
    } else if s.after_minimum.is_zero() {
        NoCredit::BelowMinimum
    } else if s.pool_cap_remaining.is_some_and(|left| left.is_zero()) {
        NoCredit::PoolUsedUp
    } else if s.annual_cap_remaining.is_some_and(|left| left.is_zero()) {
        NoCredit::AnnualCapUsedUp
    } else {
        NoCredit::RoundsToZero
    })
}

/// The explanations of every claim that is breached or owes a credit, in claim order. Claims
/// whose contract or subscription is not among `inputs` are left out.
pub fn explain<'a>(inputs: &'a Inputs, claims: &'a Claims) -> Vec<Explanation<'a>> {
    claims
        .claims
        .iter()
        .filter(|c| c.breached || !c.credit.is_zero())
        .filter_map(|claim| {
            let contract = inputs
                .contracts
                .iter()
                .find(|c| c.id() == &*claim.contract)?;
            let sub = inputs
                .subscriptions
                .iter()
                .find(|s| s.id == claim.subscription)?;
            Some(explain_one(inputs, contract, sub, claim))
        })
        .collect()
}

fn explain_one<'a>(
    inputs: &Inputs,
    contract: &'a Contract,
    sub: &'a Subscription,
    claim: &'a Claim,
) -> Explanation<'a> {
    let scope = engine::full_scope(contract, sub).unwrap_or_default();
    let applying: Vec<&Window> = inputs
        .windows
        .iter()
        .filter(|w| engine::applies(w, &scope, &sub.id, &sub.customer))
        .collect();
    let seen = claim
        .incidents
        .iter()
        .map(|inc| {
            let mut by_source: BTreeMap<Option<&str>, Seen> = BTreeMap::new();
            for w in applying
                .iter()
                .filter(|w| w.start() < inc.end && w.end() > inc.start)
            {
                let source = w.source().map(|s| s.as_str());
                let e = by_source.entry(source).or_insert_with(|| Seen {
                    source: source.map(str::to_owned),
                    from: w.start(),
                    to: w.end(),
                    cause: w.cause().map(|c| c.to_string()),
                });
                e.from = e.from.min(w.start());
                e.to = e.to.max(w.end());
            }
            by_source.into_values().collect()
        })
        .collect();
    let in_period: Vec<&Window> = applying
        .iter()
        .copied()
        .filter(|w| w.start() < claim.period_end && w.end() > claim.period_start)
        .collect();
    let excluded = in_period
        .iter()
        .filter(|w| w.cause().is_some() && engine::is_excluded(contract, w))
        .map(|w| Reported::of(w))
        .collect();
    let late = in_period
        .iter()
        .filter(|w| {
            w.cause()
                .is_some_and(|c| contract.exclusions().causes.contains(&**c))
                && !engine::is_excluded(contract, w)
        })
        .map(|w| Reported::of(w))
        .collect();
    let in_maintenance_windows = in_period
        .iter()
        .filter(|w| {
            !engine::is_excluded(contract, w)
                && !engine::in_maintenance_windows(contract, w).is_empty()
        })
        .map(|w| Reported::of(w))
        .collect();
    let mut sources: Vec<Option<&str>> = in_period
        .iter()
        .map(|w| w.source().map(|s| s.as_str()))
        .collect();
    sources.sort();
    sources.dedup();
    let alone = if sources.len() > 1 {
        sources
            .iter()
            .filter_map(|source| {
                let windows = applying
                    .iter()
                    .filter(|w| w.source().map(|s| s.as_str()) == *source)
                    .map(|w| (*w).clone())
                    .collect();
                let c = alone(inputs, contract, sub, claim, windows)?;
                Some((source.map(str::to_owned), c))
            })
            .collect()
    } else {
        Vec::new()
    };
    Explanation {
        claim,
        contract,
        subscription: sub,
        seen,
        excluded,
        late,
        in_maintenance_windows,
        charged: inputs.charges.get(&sub.id, claim.period).is_some(),
        alone,
    }
}

/// The claim for `c`'s subscription and period had only `windows` been reported.
fn alone(
    inputs: &Inputs,
    contract: &Contract,
    sub: &Subscription,
    c: &Claim,
    windows: Vec<Window>,
) -> Option<Claim> {
    let mut charges = Charges::new();
    for row in inputs
        .charges
        .rows()
        .iter()
        .filter(|r| r.subscription == *sub.id)
    {
        charges.insert(&row.subscription, row.period, row.amount);
    }
    let only = Inputs {
        contracts: vec![contract.clone()],
        subscriptions: vec![sub.clone()],
        windows,
        charges,
        ..Inputs::default()
    };
    let span = PeriodSpan {
        first: c.period.first_day(),
        last: c.period.last_day(),
    };
    let selection = Selection {
        periods: Some(span),
        ..Selection::default()
    };
    compute(&only, &selection)
        .ok()?
        .claims
        .into_iter()
        .find(|x| x.period == c.period)
}
