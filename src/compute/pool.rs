//! At-risk pools (SPEC 2.7): per customer and period, the credits of the subscriptions whose
//! contracts name one pool are capped together at the pool's amount, in subscription id order.
//! A subscription's share depends on the credits of the members before it, which may be
//! computed in another chunk, on another core, or not be asked for at all (`--subscription`):
//! a first pass works out every member's credit before the pool cap, and the run caps each
//! from that table.

use super::{Inputs, Run, Selection};
use crate::claim::{Detail, Emit, Parts};
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::money::Currency;
use crate::period::PeriodId;
use crate::prepare::Prepared;
use crate::printed::for_reading;
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::collections::BTreeSet;

/// The pools' members per customer, pool and period, in subscription id order, each with its
/// credit before the pool cap.
#[derive(Debug, Default)]
pub(super) struct Pools {
    members: FxHashMap<(SmolStr, SmolStr, PeriodId), Vec<(SmolStr, Decimal)>>,
}

impl Pools {
    /// What the members of `pool` before subscription `id` of `customer` took in `period`.
    pub(super) fn taken_before(
        &self,
        customer: &str,
        pool: &str,
        period: PeriodId,
        id: &str,
    ) -> Decimal {
        let key = (SmolStr::new(customer), SmolStr::new(pool), period);
        self.members.get(&key).map_or(Decimal::ZERO, |members| {
            members
                .iter()
                .take_while(|(member, _)| member.as_bytes() < id.as_bytes())
                .map(|(_, credit)| *credit)
                .sum()
        })
    }

    /// The pools of the customers of `run`'s subscriptions under `at_risk` contracts (none
    /// when there are none), from a first pass over every member of their pools, selected or
    /// not, in every period the run prices.
    ///
    /// # Errors
    /// [`Error::Invalid`] where members of one pool have different bases in a period.
    pub(super) fn of(
        run: &Run<'_>,
        inputs: &Inputs,
        selection: &Selection,
    ) -> Result<Option<Pools>, Error> {
        let customers: BTreeSet<&str> = run
            .jobs
            .iter()
            .filter(|j| {
                let contract = run.scopes[j.scope as usize].contract;
                contract.credits().model.pool().is_some()
            })
            .map(|j| &*j.sub.customer)
            .collect();
        if customers.is_empty() {
            return Ok(None);
        }
        let all = Selection {
            periods: selection.periods,
            customer: None,
            subscription: None,
            breached_only: false,
            credited_only: false,
            detail: Detail::Figures,
        };
        let pass = Run::build(inputs, &all, Prepared::default(), Some(&customers))?;
        let mut records = Vec::new();
        pass.stream_with(
            |_| Records::default(),
            |r| std::mem::take(&mut r.0),
            |part| {
                records.extend(part);
                Ok(())
            },
        )?;
        Pools::from_records(records, inputs).map(Some)
    }

    fn from_records(mut records: Vec<Record>, inputs: &Inputs) -> Result<Pools, Error> {
        records.sort_by(|a, b| {
            (&a.customer, &a.pool, a.period)
                .cmp(&(&b.customer, &b.pool, b.period))
                .then(a.sub.as_bytes().cmp(b.sub.as_bytes()))
        });
        let mut problems = Problems::new();
        let mut pools = Pools::default();
        for group in records
            .chunk_by(|a, b| (&a.customer, &a.pool, a.period) == (&b.customer, &b.pool, b.period))
        {
            let first = &group[0];
            for r in &group[1..] {
                if (r.basis, r.currency) != (first.basis, first.currency) {
                    problems.push(unequal(first, r, inputs));
                }
            }
            let members = group.iter().map(|r| (r.sub.clone(), r.credit)).collect();
            let key = (first.customer.clone(), first.pool.clone(), first.period);
            pools.members.insert(key, members);
        }
        problems.into_result(pools)
    }
}

/// Members of one pool with different bases in a period: told at the later subscription.
fn unequal(first: &Record, r: &Record, inputs: &Inputs) -> Problem {
    let line = inputs
        .subscriptions
        .iter()
        .position(|s| s.id == r.sub)
        .and_then(|k| inputs.subscription_lines.get(k).copied().flatten());
    let file = inputs
        .subscriptions_file
        .as_deref()
        .unwrap_or("<subscriptions>");
    Problem::new(
        file,
        format!(
            "subscriptions {:?} and {:?} of customer {:?} share at-risk pool {:?}, but their bases for {} differ ({} {} and {} {}): a pool is capped at one basis",
            &*first.sub,
            &*r.sub,
            &*r.customer,
            &*r.pool,
            r.period,
            for_reading(first.basis, first.currency),
            first.currency,
            for_reading(r.basis, r.currency),
            r.currency
        ),
    )
    .at(line)
    .field("fee")
}

/// One member's period as the first pass priced it.
#[derive(Debug)]
struct Record {
    customer: SmolStr,
    pool: SmolStr,
    period: PeriodId,
    sub: SmolStr,
    /// The credit before the pool cap: after period cap, minimum and rounding.
    credit: Decimal,
    basis: Decimal,
    currency: Currency,
}

/// The first pass's records of one chunk.
#[derive(Default)]
struct Records(Vec<Record>);

impl Emit for Records {
    fn emit(&mut self, parts: Parts<'_>) {
        if let Some(pool) = parts.contract.credits().model.pool() {
            self.0.push(Record {
                customer: parts.sub.customer.clone(),
                pool: pool.clone(),
                period: parts.period.id,
                sub: parts.sub.id.clone(),
                credit: parts.steps.after_rounding,
                basis: parts.basis,
                currency: parts.currency,
            });
        }
    }
}
