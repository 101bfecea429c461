//! From resolved subscriptions to jobs: the selected ones, grouped by the (contract, full scope)
//! whose windows they share.

use super::subscription::touched_periods;
use super::{Inputs, Job, Selection};
use crate::contract::Contract;
use crate::fxhash::FxHashMap;
use crate::period::Period;
use crate::prepare::Resolution;
use crate::scope::Scope;
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
