//! Each subscription resolved to its contract and full scope, every problem listed; the charges
//! checked against them. Needs only the contracts and the subscriptions, so a loader can work it
//! out as soon as the subscriptions are read.

use super::index::NameFilter;
use crate::contract::{Contract, CreditModel};
use crate::engine;
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::inputs::Inputs;
use crate::scope::Scope;
use crate::subscription::Subscription;
use rust_decimal::Decimal;

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
    /// Per subscription, the position of its full scope in [`Resolution::scopes`].
    pub(crate) fn full_scopes(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows.iter().map(|&(_, scope)| scope)
    }

    /// The distinct full scopes.
    pub(crate) fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// Per subscription, in input order, the positions of its contract and of its full scope;
    /// and the distinct full scopes.
    pub(crate) fn into_rows_and_scopes(self) -> (Vec<(u32, u32)>, Vec<Scope>) {
        (self.rows, self.scopes)
    }

    /// Whether this is the resolution of `subscriptions` (as many).
    pub(crate) fn is_of(&self, subscriptions: &[Subscription]) -> bool {
        self.rows.len() == subscriptions.len()
    }
}

/// The contract and full scope of each of `subscriptions` (read from `file`, at `lines`), or
/// every problem found; for a run (`for_run`), the filter of their customers too. A provider's
/// base is resolved in halves, one per core.
pub(crate) fn resolve_subscriptions(
    contracts: &[Contract],
    subscriptions: &[Subscription],
    file: Option<&str>,
    lines: &[Option<usize>],
    for_run: bool,
) -> Result<Resolution, Problems> {
    let halves = subscriptions.len() >= 100_000;
    resolve_in(contracts, subscriptions, file, lines, for_run, halves)
}

/// [`resolve_subscriptions`], in `halves` or not.
fn resolve_in(
    contracts: &[Contract],
    subscriptions: &[Subscription],
    file: Option<&str>,
    lines: &[Option<usize>],
    for_run: bool,
    halves: bool,
) -> Result<Resolution, Problems> {
    let all = subscriptions.len();
    let part = |subs, lines| resolve_part(contracts, subs, file, lines, for_run, all);
    if !halves {
        return part(subscriptions, lines).map(|(resolution, _)| resolution);
    }
    let half = all / 2;
    let (first, second) = subscriptions.split_at(half);
    let (lines_a, lines_b) = lines.split_at(half.min(lines.len()));
    let (a, b) = rayon::join(|| part(first, lines_a), || part(second, lines_b));
    match (a, b) {
        (Ok((mut a, mut keys)), Ok((b, b_keys))) => {
            // The second half's full scopes by position among the first's, new ones after
            // (found by key: a base where every subscription has a scope of its own has as
            // many full scopes as subscriptions).
            let mut position: FxHashMap<ScopeOf, u32> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (*k, i as u32))
                .collect();
            let at: Vec<u32> = b_keys
                .iter()
                .zip(b.scopes)
                .map(|(key, scope)| {
                    *position.entry(*key).or_insert_with(|| {
                        keys.push(*key);
                        a.scopes.push(scope);
                        a.scopes.len() as u32 - 1
                    })
                })
                .collect();
            let rows = b.rows.iter().map(|&(c, scope)| (c, at[scope as usize]));
            a.rows.extend(rows);
            if let (Some(mine), Some(theirs)) = (&mut a.customers, &b.customers) {
                mine.union(theirs);
            }
            Ok(a)
        }
        (Err(mut p), Err(q)) => {
            p.extend(q);
            Err(p)
        }
        (Err(p), Ok(_)) | (Ok(_), Err(p)) => Err(p),
    }
}

/// A contract's position and a subscription scope's identity: what a full scope is made from.
type ScopeOf = (usize, usize);

/// [`resolve_subscriptions`] of some of `all` subscriptions, with what each full scope was made
/// from.
fn resolve_part(
    contracts: &[Contract],
    subscriptions: &[Subscription],
    file: Option<&str>,
    lines: &[Option<usize>],
    for_run: bool,
    all: usize,
) -> Result<(Resolution, Vec<ScopeOf>), Problems> {
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
    // Ten thousand rows naming a missing contract must not each list ten thousand contracts.
    let known = match known.len() {
        0..=12 => known.join(", "),
        n => format!("{}, and {} more", known[..10].join(", "), n - 10),
    };
    // Full scopes repeat: one per (contract, subscription scope); subscription scopes are
    // interned, so identity is enough.
    let mut full: FxHashMap<ScopeOf, Result<u32, String>> = FxHashMap::default();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut keys = Vec::new();
    let mut rows = Vec::with_capacity(all);
    let mut customers = for_run.then(|| NameFilter::with_room(all));
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
                    &*sub.id, &*sub.contract, known
                ),
            ));
            continue;
        };
        let key = (c, sub.scope.id());
        let scope = full.entry(key).or_insert_with(|| {
            engine::full_scope(&contracts[c], sub)
                .map_err(String::from)
                .map(|scope| {
                    scopes.push(scope);
                    keys.push(key);
                    scopes.len() as u32 - 1
                })
        });
        match scope {
            Ok(scope) => rows.push((c as u32, *scope)),
            Err(e) => problems.push(located(index, "scope", e.clone())),
        }
    }
    if problems.is_empty() {
        let resolution = Resolution {
            rows,
            scopes,
            customers,
        };
        Ok((resolution, keys))
    } else {
        Err(problems)
    }
}

/// Subscriptions built in code are held to what the loader holds a file's to (the same
/// messages, with the item instead of file and line): amounts not negative, not absurd, no finer
/// than the currency's minor unit, and ids unique. A file's subscriptions were checked as read.
fn built_in_code(subscriptions: &[Subscription], problems: &mut Problems) {
    let at = |k: usize, field: &str, message: String| {
        Problem::new("<memory>", message).field(format!("subscriptions[{k}].{field}"))
    };
    for (k, s) in subscriptions.iter().enumerate() {
        if let Err(e) = crate::subscription::check_amount_value(s.fee.amount, s.fee.currency) {
            problems.push(at(k, "fee", e));
        }
    }
    let mut order: Vec<usize> = (0..subscriptions.len()).collect();
    order.sort_by(|&a, &b| {
        subscriptions[a]
            .id
            .cmp(&subscriptions[b].id)
            .then(a.cmp(&b))
    });
    let mut first = order.first().copied().unwrap_or(0);
    for pair in order.windows(2) {
        let (before, k) = (pair[0], pair[1]);
        if subscriptions[before].id != subscriptions[k].id {
            first = k;
        } else {
            let message = format!(
                "duplicate subscription id {:?} (first as subscriptions[{first}])",
                &*subscriptions[k].id
            );
            problems.push(at(k, "id", message));
        }
    }
}

/// Each subscription's contract and full scope (`early` when already worked out), with the
/// charges checked against them; or every problem found. `for_run` as for
/// [`resolve_subscriptions`].
pub(crate) fn resolve(
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
    if inputs.subscriptions_file.is_none() {
        built_in_code(&inputs.subscriptions, &mut problems);
    }
    pools_agree(&inputs.contracts, &mut problems);
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

/// The contracts naming one at-risk pool agree on its `percent`, `period` and `timezone` (SPEC
/// 2.7): the pool is one amount of one period. Each disagreement is told at the later contract,
/// naming the first.
fn pools_agree(contracts: &[Contract], problems: &mut Problems) {
    let mut first: FxHashMap<&str, (&Contract, Decimal)> = FxHashMap::default();
    for c in contracts {
        let CreditModel::AtRisk {
            pool,
            percent,
            line,
            ..
        } = &c.credits().model
        else {
            continue;
        };
        let (one, its) = *first.entry(pool.as_str()).or_insert((c, *percent));
        let mut differ = Vec::new();
        if its != *percent {
            differ.push(format!("percent {percent} (not {its})"));
        }
        if one.period() != c.period() {
            differ.push(format!(
                "period {} (not {})",
                c.period().name(),
                one.period().name()
            ));
        }
        if one.timezone() != c.timezone() {
            differ.push(format!(
                "timezone {} (not {})",
                c.timezone(),
                one.timezone()
            ));
        }
        if !differ.is_empty() {
            problems.push(
                Problem::new(
                    c.file(),
                    format!(
                        "at-risk pool {pool:?} is one amount of one period, but contract {:?} has {} where contract {:?} ({}) set it",
                        c.id(),
                        differ.join(", "),
                        one.id(),
                        one.file()
                    ),
                )
                .at(*line)
                .field("credits.at_risk"),
            );
        }
    }
}

impl Resolution {
    /// The filter of the subscriptions' customers, made here when it was not made already.
    pub(crate) fn take_customers(&mut self, subscriptions: &[Subscription]) -> NameFilter {
        self.customers.take().unwrap_or_else(|| {
            let mut filter = NameFilter::with_room(subscriptions.len());
            for sub in subscriptions {
                filter.add(&sub.customer);
            }
            filter
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Money};
    use rust_decimal::Decimal;

    fn contract(id: &str, applies: &str) -> Contract {
        let yaml = format!(
            "id: {id}\nperiod: month\ntimezone: UTC\napplies_to: {{ {applies} }}\n\
             commitment: 99.9\ncredits:\n  tiers: [{{ below: 99.9, percent: 10 }}]\n"
        );
        Contract::from_yaml(&format!("{id}.yaml"), &yaml).unwrap()
    }

    #[test]
    fn halves_resolve_as_the_whole() {
        let contracts = [contract("a", "service: s3"), contract("b", "service: ec2")];
        let fee = Money::new(Decimal::new(10_000, 2), Currency::from_code("USD").unwrap());
        let regions = ["x", "y", "z"];
        let subs: Vec<Subscription> = (0..40)
            .map(|i| {
                // Scopes first met in the second half, and contracts no one loaded.
                let contract = match i % 7 {
                    0 => "c",
                    k if k % 2 == 0 => "a",
                    _ => "b",
                };
                let region = regions[(i * i / 5) % 3];
                Subscription::new(&format!("s{i}"), &format!("k{}", i % 9), contract, fee)
                    .with_scope("region", if i > 30 { "w" } else { region })
            })
            .collect();
        let lines: Vec<Option<usize>> = (2..42).map(Some).collect();
        // Each subscription's contract and full scope, and the scopes in the order numbered.
        fn rows(r: &Resolution) -> (Vec<(u32, &Scope)>, &[Scope]) {
            let each = r.rows.iter().map(|&(c, s)| (c, &r.scopes[s as usize]));
            (each.collect(), &r.scopes)
        }
        let text = |r: &Result<Resolution, Problems>| match r {
            Ok(_) => String::new(),
            Err(p) => format!("{p:?}"),
        };
        for subs in [&subs[..], &subs[..1], &subs[1..7]] {
            let whole = resolve_in(&contracts, subs, Some("s.csv"), &lines, true, false);
            let halves = resolve_in(&contracts, subs, Some("s.csv"), &lines, true, true);
            assert_eq!(text(&whole), text(&halves));
            if let (Ok(whole), Ok(halves)) = (&whole, &halves) {
                assert_eq!(rows(whole), rows(halves));
                let filter = |r: &Resolution| {
                    let names = (0..40).map(|i| format!("k{i}"));
                    let f = r.customers.as_ref().unwrap();
                    names.map(|n| f.may_hold(&n)).collect::<Vec<bool>>()
                };
                assert_eq!(filter(whole), filter(halves));
            }
        }
        // Without the unknown contract, both resolve; scopes are numbered as first met.
        let known: Vec<Subscription> = subs
            .iter()
            .filter(|s| &*s.contract != "c")
            .cloned()
            .collect();
        let whole = resolve_in(&contracts, &known, None, &[], true, false).unwrap();
        let halves = resolve_in(&contracts, &known, None, &[], true, true).unwrap();
        assert_eq!(rows(&whole), rows(&halves));
        assert!(whole.scopes.len() >= 4, "{}", whole.scopes.len());
    }
}
