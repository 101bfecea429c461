//! What must be claimed soon (`slacredit deadlines`): every claim owing a credit whose last
//! day to claim falls between a date and a horizon, by customer and date. Under
//! `days_after_incident` a claim has one day per incident (SPEC 3.5): filed after the first has
//! passed it still recovers the incidents whose day has not, so each distinct day is listed with
//! the incidents it is the last day for.

use crate::claim::{Claim, Claims};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::collections::BTreeMap;

/// One last day to claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The customer.
    pub customer: SmolStr,
    /// The subscription.
    pub subscription: SmolStr,
    /// The claim's period.
    pub period: crate::period::PeriodId,
    /// The last day on which it is in time, in the contract's zone.
    pub deadline: NaiveDate,
    /// Days from the date asked about to the deadline (0: today is the last day).
    pub days_left: i64,
    /// The claim's credit (all of its incidents').
    pub credit: Decimal,
    /// Its currency.
    pub currency: crate::money::Currency,
    /// The positions (from 1) of the claim's incidents whose last day this is; all of them
    /// under the rules that count from the period.
    pub incidents: Vec<usize>,
}

/// The last days to claim of `claims` from `as_of` to `within` days after it (every later one
/// without `within`), for claims owing a credit; sorted by customer, date, subscription and
/// period.
pub fn due(claims: &Claims, as_of: NaiveDate, within: Option<u32>) -> Vec<Due> {
    let last = within.and_then(|days| as_of.checked_add_days(chrono::Days::new(u64::from(days))));
    let mut out: Vec<Due> = claims
        .claims
        .iter()
        .filter(|c| c.credit > Decimal::ZERO)
        .flat_map(|c| {
            days_of(c)
                .into_iter()
                .map(move |(day, incidents)| (c, day, incidents))
        })
        .filter(|(_, day, _)| *day >= as_of && last.is_none_or(|l| *day <= l))
        .map(|(c, deadline, incidents)| Due {
            customer: c.customer.clone(),
            subscription: c.subscription.clone(),
            period: c.period,
            deadline,
            days_left: (deadline - as_of).num_days(),
            credit: c.credit,
            currency: c.currency,
            incidents,
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.customer.as_bytes(),
            a.deadline,
            a.subscription.as_bytes(),
            a.period,
        )
            .cmp(&(
                b.customer.as_bytes(),
                b.deadline,
                b.subscription.as_bytes(),
                b.period,
            ))
    });
    out
}

/// A claim's distinct last days, each with the incidents (from 1) it is the last day for.
fn days_of(c: &Claim) -> Vec<(NaiveDate, Vec<usize>)> {
    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, inc) in c.incidents.iter().enumerate() {
        if let Some(day) = inc.deadline.or(c.claim_deadline) {
            days.entry(day).or_default().push(i + 1);
        }
    }
    if days.is_empty() {
        // A claim with a deadline and no incident (a period rule): the claim's day alone.
        days.extend(c.claim_deadline.map(|d| (d, Vec::new())));
    }
    days.into_iter().collect()
}
