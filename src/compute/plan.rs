//! From inputs to jobs: each subscription resolved to its contract and full scope (every problem
//! listed), then the selected ones planned as jobs, grouped by what they share.

use super::index::NameFilter;
use super::subscription::touched_periods;
use super::{Inputs, Job, Selection};
use crate::contract::Contract;
use crate::engine;
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::period::Period;
use crate::scope::Scope;
use crate::subscription::Subscription;
use std::sync::Arc;

/// Each subscription's contract and full scope, by position. It needs only the contracts and
/// the subscriptions, so the CLI works it out as soon as the subscriptions are read, while the
/// windows are still being indexed.
pub(crate) struct Resolution {
    /// Per subscription, in input order: the positions of its contract and of its full scope.
    rows: Vec<(u32, u32)>,
    /// The distinct full scopes: one per (contract, subscription scope).
    scopes: Vec<Scope>,
    /// The subscriptions' customers, for telling which names in a window index may be theirs;
    /// `None` when only checking (a run makes it when missing).
    customers: Option<NameFilter>,
}

impl Resolution {
    /// Whether this is the resolution of `subscriptions` (as many).
    pub(crate) fn is_of(&self, subscriptions: &[Subscription]) -> bool {
        self.rows.len() == subscriptions.len()
    }
}

/// The contract and full scope of each of `subscriptions` (read from `file`, at `lines`), or
/// every problem found; for a run (`for_run`), the filter of their customers too.
pub(crate) fn resolve_subscriptions(
    contracts: &[Contract],
    subscriptions: &[Subscription],
    file: Option<&str>,
    lines: &[Option<usize>],
    for_run: bool,
) -> Result<Resolution, Problems> {
    let mut problems = Problems::new();
    let located = |index: usize, field: &str, message: String| -> Problem {
        let line = lines.get(index).copied().flatten();
        Problem::new(file.unwrap_or("<subscriptions>"), message)
            .at(line)
            .field(field)
    };
    // A provider has a handful of contracts: comparing a name with each costs less than
    // hashing it, a million times over.
    let by_name: Option<FxHashMap<&str, usize>> = (contracts.len() > 8).then(|| {
        let ids = contracts.iter().map(Contract::id);
        ids.enumerate().map(|(i, id)| (id, i)).collect()
    });
    let find = |name: &str| -> Option<usize> {
        match &by_name {
            Some(map) => map.get(name).copied(),
            None => contracts.iter().position(|c| c.id() == name),
        }
    };
    let mut known: Vec<&str> = contracts.iter().map(Contract::id).collect();
    known.sort_unstable();
    // Full scopes repeat: one per (contract, subscription scope); subscription scopes are
    // interned, so identity is enough.
    let mut full: FxHashMap<(usize, usize), Result<u32, String>> = FxHashMap::default();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut rows = Vec::with_capacity(subscriptions.len());
    let mut customers = for_run.then(|| NameFilter::with_room(subscriptions.len()));
    for (index, sub) in subscriptions.iter().enumerate() {
        if let Some(filter) = &mut customers {
            // Here, where the subscription is read anyway.
            filter.add(&sub.customer);
        }
        let Some(c) = find(&sub.contract) else {
            problems.push(located(
                index,
                "contract",
                format!(
                    "subscription {:?} names contract {:?}, which is not loaded (known: {})",
                    &*sub.id,
                    &*sub.contract,
                    known.join(", ")
                ),
            ));
            continue;
        };
        let scope = full.entry((c, sub.scope.id())).or_insert_with(|| {
            engine::full_scope(&contracts[c], sub).map(|scope| {
                scopes.push(scope);
                scopes.len() as u32 - 1
            })
        });
        match scope {
            Ok(scope) => rows.push((c as u32, *scope)),
            Err(e) => problems.push(located(index, "scope", e.clone())),
        }
    }
    if problems.is_empty() {
        Ok(Resolution {
            rows,
            scopes,
            customers,
        })
    } else {
        Err(problems)
    }
}

/// Each subscription's contract and full scope (`early` when already worked out), with the
/// charges checked against them; or every problem found. `for_run` as for
/// [`resolve_subscriptions`].
pub(super) fn resolve(
    inputs: &Inputs,
    early: Option<Result<Resolution, Problems>>,
    for_run: bool,
) -> Result<Resolution, Error> {
    let resolved = early.unwrap_or_else(|| {
        resolve_subscriptions(
            &inputs.contracts,
            &inputs.subscriptions,
            inputs.subscriptions_file.as_deref(),
            &inputs.subscription_lines,
            for_run,
        )
    });
    let (resolution, mut problems) = match resolved {
        Ok(r) => (Some(r), Problems::new()),
        Err(p) => (None, p),
    };
    let contracts: FxHashMap<&str, &Contract> =
        inputs.contracts.iter().map(|c| (c.id(), c)).collect();
    let by_id: FxHashMap<&str, &Subscription> = if inputs.charges.rows().is_empty() {
        FxHashMap::default()
    } else {
        inputs.subscriptions.iter().map(|s| (&*s.id, s)).collect()
    };
    for row in inputs.charges.rows() {
        let at = |field: &str, message: String| {
            Problem::new(&row.file, message).at(row.line).field(field)
        };
        let Some(sub) = by_id.get(row.subscription.as_str()) else {
            problems.push(at(
                "subscription",
                format!("no subscription {:?} is loaded", row.subscription),
            ));
            continue;
        };
        if row.amount.currency != sub.fee.currency {
            problems.push(at(
                "currency",
                format!(
                    "charges are in {}, but subscription {} is billed in {}",
                    row.amount.currency, &*sub.id, sub.fee.currency
                ),
            ));
        }
        if let Some(c) = contracts.get(&*sub.contract) {
            if row.period.kind() != c.period() {
                problems.push(at(
                    "period",
                    format!(
                        "period {} is not a {} of contract {}",
                        row.period,
                        c.period().name(),
                        c.id()
                    ),
                ));
            }
        }
    }
    // Without a resolution there were problems; should there be none, say so rather than go on.
    problems.into_result(resolution)?.ok_or_else(|| {
        Error::problem(Problem::new(
            "<subscriptions>",
            "the subscriptions could not be resolved",
        ))
    })
}

/// A (contract, full scope) every subscription of which shares its windows, with the periods
/// claimed under the contract.
pub(super) type ScopeKey<'a> = (&'a Contract, Scope, Arc<[Period]>);

impl Resolution {
    /// The filter of the subscriptions' customers, made here when it was not made already.
    pub(super) fn take_customers(&mut self, subscriptions: &[Subscription]) -> NameFilter {
        self.customers.take().unwrap_or_else(|| {
            let mut filter = NameFilter::with_room(subscriptions.len());
            for sub in subscriptions {
                filter.add(&sub.customer);
            }
            filter
        })
    }
}

/// The selected subscriptions as jobs, each pointing at its (contract, full scope) in the list
/// returned beside them.
pub(super) fn plan<'a>(
    inputs: &'a Inputs,
    resolved: Resolution,
    selection: &Selection,
) -> (Vec<Job<'a>>, Vec<ScopeKey<'a>>) {
    let mut periods_of: FxHashMap<*const Contract, Arc<[Period]>> = FxHashMap::default();
    // The key of each full scope, once a selected subscription has it.
    let Resolution { rows, scopes, .. } = resolved;
    let mut key_of: Vec<Option<usize>> = vec![None; scopes.len()];
    let mut keys: Vec<ScopeKey<'a>> = Vec::new();
    let mut jobs = Vec::with_capacity(rows.len());
    for (sub, (contract, scope)) in inputs.subscriptions.iter().zip(rows) {
        let contract = &inputs.contracts[contract as usize];
        if selection
            .subscription
            .as_ref()
            .is_some_and(|s| **s != *sub.id)
            || selection
                .customer
                .as_ref()
                .is_some_and(|c| **c != *sub.customer)
        {
            continue;
        }
        let id = *key_of[scope as usize].get_or_insert_with(|| {
            let periods = periods_of
                .entry(contract as *const Contract)
                .or_insert_with(|| {
                    let ids = match &selection.periods {
                        Some(span) => span.periods(contract.period()),
                        None => touched_periods(contract, &inputs.windows),
                    };
                    ids.iter().map(|p| p.in_zone(contract.timezone())).collect()
                });
            let full = scopes[scope as usize].clone();
            keys.push((contract, full, periods.clone()));
            keys.len() - 1
        });
        jobs.push(Job {
            sub,
            scope: id as u32,
            own: [(0, 0); 2],
        });
    }
    (jobs, keys)
}
