//! From resolved subscriptions to jobs: the selected ones, grouped by the (contract, full scope)
//! whose windows they share.

use super::subscription::touched_periods;
use super::{Inputs, Job, Selection};
use crate::contract::{CapWindow, Contract};
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::period::{Period, PeriodId};
use crate::prepare::Resolution;
use crate::scope::Scope;
use crate::window::Window;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A (contract, full scope) every subscription of which shares its windows, with the periods
/// claimed under the contract.
pub(super) type ScopeKey<'a> = (&'a Contract, Scope, Arc<[Period]>);

/// The selected subscriptions as jobs, each pointing at its (contract, full scope) in the list
/// returned beside them.
pub(super) fn plan<'a>(
    inputs: &'a Inputs,
    resolved: Resolution,
    selection: &Selection,
) -> (Vec<Job<'a>>, Vec<ScopeKey<'a>>) {
    let mut periods_of: FxHashMap<*const Contract, Arc<[Period]>> = FxHashMap::default();
    // The key of each full scope, once a selected subscription has it.
    let (rows, scopes) = resolved.into_rows_and_scopes();
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

/// Checks that every period measured under a contract with a holiday calendar lies within the
/// calendar's years (SPEC 2.7): the periods claimed and, for a rolling annual cap, the earlier
/// periods with windows (the cap counts the credits of every period from the first incident's;
/// windows of any scope are counted, so a period is never measured without its holidays).
pub(super) fn calendar_years(keys: &[ScopeKey<'_>], windows: &[Window]) -> Result<(), Error> {
    let mut problems = Problems::new();
    let mut seen: Vec<*const Contract> = Vec::new();
    for (contract, _, periods) in keys {
        let Some(calendar) = contract.service_hours().and_then(|h| h.calendar()) else {
            continue;
        };
        if seen.contains(&(*contract as *const Contract)) {
            continue;
        }
        seen.push(*contract as *const Contract);
        let mut ids: BTreeSet<PeriodId> = keys
            .iter()
            .filter(|(c, _, _)| std::ptr::eq(*c, *contract))
            .flat_map(|(_, _, periods)| periods.iter().map(|p| p.id))
            .collect();
        let credits = contract.credits();
        if let (Some(first), Some(_), CapWindow::Rolling12) = (
            periods.first().map(|p| p.id),
            credits.annual_cap,
            credits.annual_window,
        ) {
            ids.extend(
                touched_periods(contract, windows)
                    .into_iter()
                    .filter(|p| *p < first),
            );
        }
        let outside: Vec<PeriodId> = ids.into_iter().filter(|p| !calendar.covers(*p)).collect();
        if let Some(first) = outside.first() {
            let (a, b) = calendar.years();
            let more = match outside.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            problems.push(
                Problem::new(
                    contract.file(),
                    format!(
                        "period {first}{more} lies outside the years of calendar {:?} ({a} to {b}, {})",
                        calendar.name(),
                        calendar.file()
                    ),
                )
                .at(calendar.line)
                .field("service_hours.holidays.calendar"),
            );
        }
    }
    problems.into_result(())
}
