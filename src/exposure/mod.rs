//! Net exposure (SPEC 2.8): what an upstream outage costs us in credits to our own customers,
//! and what we recover from our providers for it.
//!
//! The upstream case is our subscriptions under our providers' contracts; the downstream case is
//! our customers' subscriptions under our own contracts. The dependency file turns each upstream
//! window on a scope we run on into a window of ours; both sides are then claimed as `claim`
//! claims them, and set side by side per period and currency.

mod depends;

pub use depends::{Dependencies, Dependency};

use crate::claim::Claims;
use crate::compute::{compute, Inputs, Selection};
use crate::error::{Error, Problem, Problems};
use crate::money::{Currency, Money};
use crate::period::PeriodId;
use crate::scope::Scope;
use crate::time::Instant;
use crate::timeline::{self, Segment};
use crate::window::{Window, WindowFile};
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::collections::{BTreeMap, BTreeSet};

/// Owed, recovered and net for one period and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The period (each side's own periods; they match where the contracts' kinds do).
    pub period: PeriodId,
    /// The currency: no conversion, currencies stay apart.
    pub currency: Currency,
    /// Credits we owe our customers.
    pub owed: Decimal,
    /// Credits we can claim from our providers.
    pub recovered: Decimal,
    /// Owed less recovered (negative when we recover more than we owe).
    pub net: Decimal,
}

/// Owed, recovered and net for one currency, over every period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// The currency.
    pub currency: Currency,
    /// Credits we owe our customers.
    pub owed: Decimal,
    /// Credits we can claim from our providers.
    pub recovered: Decimal,
    /// Owed less recovered.
    pub net: Decimal,
}

/// One upstream incident (its windows sharing a reference) and the downstream customers it
/// reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The incident's reference (or its window's file:line).
    pub reference: String,
    /// Its first window's start.
    pub start: Instant,
    /// Its last window's end.
    pub end: Instant,
    /// The downstream customers a window derived from it reached, sorted.
    pub customers: Vec<SmolStr>,
    /// The credits of the downstream claims it reached, per currency (by code): a claim
    /// reached by several incidents counts for each.
    pub owed: Vec<Money>,
    /// The credits of the upstream claims listing it among their incidents, per currency.
    pub recovered: Vec<Money>,
}

/// Both sides' claims, set side by side.
#[derive(Debug, Clone)]
pub struct Exposure {
    /// One row per period and currency found in either side's claims, by period then currency.
    pub rows: Vec<Row>,
    /// One per currency, by code: the rows added up.
    pub totals: Vec<Total>,
    /// Every upstream incident with the downstream customers it reached, by start.
    pub incidents: Vec<Reach>,
    /// The upstream claims (ours against our providers).
    pub upstream: Claims,
    /// The downstream claims (our customers' against us), with the derived windows.
    pub downstream: Claims,
}

/// The exposure of `downstream` to `upstream` through `depends`, both sides claimed for
/// `selection` as `claim` claims them.
///
/// # Errors
/// [`Error::Invalid`] when either side's inputs do not fit together, or the dependency file
/// names labels or values neither side uses (SPEC 2.6), every problem listed.
pub fn exposure(
    upstream: &Inputs,
    downstream: &Inputs,
    depends: &Dependencies,
    selection: &Selection,
) -> Result<Exposure, Error> {
    typos(depends, upstream, downstream)?;
    // Each upstream window's reference, as derived windows and incidents name it.
    let references: Vec<String> = (0..upstream.windows.len())
        .map(|i| reference_of(upstream, i))
        .collect();
    let derived = derive(depends, upstream, &references);
    let mut ours = downstream.clone();
    let reached = reach(&derived, downstream);
    // Messages about a derived window name its dependency's line, where the downstream
    // windows' own places are known (not for windows built in code).
    let placed: usize = ours.window_files.iter().map(|f| f.count).sum();
    if placed == ours.windows.len() {
        ours.window_files.push(WindowFile {
            file: depends.file.as_str().into(),
            count: derived.len(),
            lines: derived.iter().map(|d| d.line.unwrap_or(0) as u32).collect(),
            items: Vec::new(),
            labels: Vec::new(),
        });
    }
    ours.windows
        .extend(derived.iter().map(|d| d.window.clone()));
    let up = compute(upstream, selection)?;
    let down = compute(&ours, selection)?;
    let rows = rows(&up, &down);
    let totals = totals(&rows);
    let incidents = incidents(upstream, &references, &derived, &reached, &up, &down);
    Ok(Exposure {
        rows,
        totals,
        incidents,
        upstream: up,
        downstream: down,
    })
}

/// A downstream window derived from upstream ones, with the upstream windows (by position) it
/// came from and its dependency's line.
struct Derived {
    window: Window,
    from: Vec<usize>,
    line: Option<usize>,
}

/// The downstream windows `depends` derives from the upstream case's: one per dependency and
/// matching upstream window; with `all`, one per stretch where every `on` scope is down.
fn derive(depends: &Dependencies, upstream: &Inputs, references: &[String]) -> Vec<Derived> {
    let mut out = Vec::new();
    for d in &depends.list {
        // An `on` entry is matched as a whole scope: no contract's `applies_to` is added, and
        // a window's `customers` does not matter.
        let matching: Vec<Vec<usize>> =
            d.on.iter()
                .map(|on| {
                    (0..upstream.windows.len())
                        .filter(|&i| upstream.windows[i].scope.covers(on))
                        .collect()
                })
                .collect();
        if !d.all {
            let mut seen = BTreeSet::new();
            for i in matching.iter().flatten().copied() {
                // A window matching two `on` scopes is derived once.
                if seen.insert(i) {
                    let w = &upstream.windows[i];
                    let window = derived_window(d, w.start(), w.end(), w.impact(), &references[i]);
                    out.extend(window.map(|window| Derived {
                        window,
                        from: vec![i],
                        line: d.line,
                    }));
                }
            }
            continue;
        }
        // Every `on` scope down at once, at the lowest of their impacts; overlapping windows
        // of one scope keep the highest.
        let parts: Vec<Vec<Segment>> = matching
            .iter()
            .map(|ws| {
                let spans: Vec<((i64, i64), Decimal)> = ws
                    .iter()
                    .map(|&i| {
                        let w = &upstream.windows[i];
                        (
                            (w.start().unix_seconds(), w.end().unix_seconds()),
                            w.impact(),
                        )
                    })
                    .collect();
                timeline::merge(&spans)
            })
            .collect();
        for s in timeline::at_least(&parts, parts.len()) {
            let mut from: Vec<usize> = Vec::new();
            for ws in &matching {
                for &i in ws {
                    let w = &upstream.windows[i];
                    let overlaps =
                        w.start().unix_seconds() < s.end && w.end().unix_seconds() > s.start;
                    if overlaps && !from.contains(&i) {
                        from.push(i);
                    }
                }
            }
            let mut joined: Vec<&str> = Vec::new();
            for &i in &from {
                let r = references[i].as_str();
                if !joined.contains(&r) {
                    joined.push(r);
                }
            }
            let (start, end) = (
                Instant::from_unix_seconds(s.start),
                Instant::from_unix_seconds(s.end),
            );
            let window = derived_window(d, start, end, s.impact, &joined.join("+"));
            out.extend(window.map(|window| Derived {
                window,
                from,
                line: d.line,
            }));
        }
    }
    out
}

/// The window of ours an upstream stretch makes under dependency `d`. Impacts are in (0, 1]
/// on both sides, and so is their product, and every upstream window and merged segment ends
/// after it starts: `None` never happens.
fn derived_window(
    d: &Dependency,
    start: Instant,
    end: Instant,
    impact: Decimal,
    reference: &str,
) -> Option<Window> {
    let mut w = Window::new(start, end)
        .and_then(|w| w.with_impact(impact * d.impact))
        .ok()?
        .with_source("upstream")
        .with_reference(&format!("upstream:{reference}"));
    if let Some(cause) = &d.cause {
        w = w.with_cause(cause);
    }
    for (k, v) in d.our.iter() {
        w = w.with_scope(k, v);
    }
    Some(w)
}

/// Upstream window `i`'s reference, or where it is (`file:line`) when it has none.
fn reference_of(upstream: &Inputs, i: usize) -> String {
    match &upstream.windows[i].reference {
        Some(r) => r.to_string(),
        None => {
            let (file, line, item) = crate::typos::window_place(upstream, i);
            match (line, item) {
                (Some(l), _) => format!("{file}:{l}"),
                (None, Some(item)) => format!("{file}:{item}"),
                (None, None) => file,
            }
        }
    }
}

/// For each derived window, the downstream subscriptions (id, customer) whose full scope it
/// matches.
fn reach(derived: &[Derived], downstream: &Inputs) -> Vec<Vec<(SmolStr, SmolStr)>> {
    let fulls: Vec<Option<Scope>> = downstream
        .subscriptions
        .iter()
        .map(|s| {
            let contract = downstream
                .contracts
                .iter()
                .find(|c| c.id() == &*s.contract)?;
            crate::engine::full_scope(contract, s).ok()
        })
        .collect();
    derived
        .iter()
        .map(|d| {
            downstream
                .subscriptions
                .iter()
                .zip(&fulls)
                .filter(|(_, f)| f.as_ref().is_some_and(|f| d.window.scope.covers(f)))
                .map(|(s, _)| (s.id.clone(), s.customer.clone()))
                .collect()
        })
        .collect()
}

/// One row per period and currency found in either side's claims.
fn rows(up: &Claims, down: &Claims) -> Vec<Row> {
    let mut by: BTreeMap<(PeriodId, &str), Row> = BTreeMap::new();
    let mut add = |claims: &Claims, owed: bool| {
        for c in &claims.claims {
            let row = by.entry((c.period, c.currency.code())).or_insert(Row {
                period: c.period,
                currency: c.currency,
                owed: c.currency.zero(),
                recovered: c.currency.zero(),
                net: c.currency.zero(),
            });
            if owed {
                row.owed += c.credit;
            } else {
                row.recovered += c.credit;
            }
        }
    };
    add(down, true);
    add(up, false);
    by.into_values()
        .map(|mut r| {
            r.net = r.owed - r.recovered;
            r
        })
        .collect()
}

/// The rows added up per currency, sorted by code.
fn totals(rows: &[Row]) -> Vec<Total> {
    let mut by: BTreeMap<&str, Total> = BTreeMap::new();
    for r in rows {
        let t = by.entry(r.currency.code()).or_insert(Total {
            currency: r.currency,
            owed: r.currency.zero(),
            recovered: r.currency.zero(),
            net: r.currency.zero(),
        });
        t.owed += r.owed;
        t.recovered += r.recovered;
        t.net += r.net;
    }
    by.into_values().collect()
}

/// Every upstream incident (windows sharing a reference; a window without one is its own) with
/// the downstream customers reached: a window derived from it matches their scope and overlaps
/// one of their claimed periods, excluded or not.
fn incidents(
    upstream: &Inputs,
    references: &[String],
    derived: &[Derived],
    reached: &[Vec<(SmolStr, SmolStr)>],
    up: &Claims,
    down: &Claims,
) -> Vec<Reach> {
    /// An incident as it is gathered: span, customers, reached downstream claims (positions).
    struct Gathered {
        start: Instant,
        end: Instant,
        customers: BTreeSet<SmolStr>,
        claims: BTreeSet<usize>,
        referenced: bool,
    }
    let mut by: BTreeMap<String, Gathered> = BTreeMap::new();
    for (w, r) in upstream.windows.iter().zip(references) {
        let e = by.entry(r.clone()).or_insert(Gathered {
            start: w.start(),
            end: w.end(),
            customers: BTreeSet::new(),
            claims: BTreeSet::new(),
            referenced: w.reference.is_some(),
        });
        e.start = e.start.min(w.start());
        e.end = e.end.max(w.end());
    }
    // The claims of each downstream subscription, by position.
    let mut claims_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, c) in down.claims.iter().enumerate() {
        claims_of.entry(&c.subscription).or_default().push(k);
    }
    for (d, subs) in derived.iter().zip(reached) {
        let (a, b) = (d.window.start(), d.window.end());
        let mut hit: Vec<(&SmolStr, usize)> = Vec::new();
        for (id, customer) in subs {
            let overlapping = claims_of
                .get(id.as_str())
                .into_iter()
                .flatten()
                .filter(|&&k| {
                    let c = &down.claims[k];
                    c.period_start < b && c.period_end > a
                });
            hit.extend(overlapping.map(|&k| (customer, k)));
        }
        for &i in &d.from {
            if let Some(e) = by.get_mut(&references[i]) {
                for &(customer, k) in &hit {
                    e.customers.insert(customer.clone());
                    e.claims.insert(k);
                }
            }
        }
    }
    let sum = |amounts: &mut dyn Iterator<Item = (Currency, Decimal)>| -> Vec<Money> {
        let mut per: BTreeMap<&'static str, Money> = BTreeMap::new();
        for (currency, amount) in amounts {
            per.entry(currency.code())
                .or_insert(Money::new(currency.zero(), currency))
                .amount += amount;
        }
        per.into_values().collect()
    };
    let mut out: Vec<Reach> = by
        .into_iter()
        .map(|(reference, g)| {
            let owed = sum(&mut g
                .claims
                .iter()
                .map(|&k| (down.claims[k].currency, down.claims[k].credit)));
            // An upstream claim lists the incident by its reference; one without a reference
            // by its time.
            let listed = |c: &&crate::Claim| {
                c.incidents.iter().any(|i| {
                    if g.referenced {
                        i.references.iter().any(|r| r.as_str() == reference)
                    } else {
                        i.references.is_empty() && i.start < g.end && i.end > g.start
                    }
                })
            };
            let recovered = sum(&mut up
                .claims
                .iter()
                .filter(listed)
                .map(|c| (c.currency, c.credit)));
            Reach {
                start: g.start,
                end: g.end,
                customers: g.customers.into_iter().collect(),
                owed,
                recovered,
                reference,
            }
        })
        .collect();
    out.sort_by(|x, y| (x.start, &x.reference).cmp(&(y.start, &y.reference)));
    out
}

/// The dependency file against both sides (SPEC 2.6): `our` labels are labels in use
/// downstream and `on` labels upstream; a value differing from one the other side uses only in
/// letter case, spaces, `-` or `_` is an error naming both, and so is a cause against the
/// downstream contracts' excluded causes.
fn typos(depends: &Dependencies, upstream: &Inputs, downstream: &Inputs) -> Result<(), Error> {
    let mut problems = Problems::new();
    let file = depends.file.as_str();
    for (i, d) in depends.list.iter().enumerate() {
        let at = |key: &str, message: String| {
            Problem::new(file, message)
                .at(d.line)
                .field(format!("[{i}].{key}"))
        };
        for (key, scope, side, windows) in std::iter::once(("our", &d.our, downstream, false))
            .chain(d.on.iter().map(|s| ("on", s, upstream, true)))
        {
            let values = values_in_use(side, windows);
            for (label, value) in scope.iter() {
                let Some(known) = values.get(label) else {
                    let hint = crate::typos::closest(label, values.keys().map(String::as_str))
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default();
                    problems.push(at(
                        key,
                        format!("unknown label `{label}` (no contract, subscription or window of the {} case uses it){hint}", if key == "our" { "downstream" } else { "upstream" }),
                    ));
                    continue;
                };
                let folded = crate::typos::folded(value);
                if let Some(other) = known
                    .iter()
                    .find(|k| k.as_str() != value && crate::typos::folded(k) == folded)
                {
                    problems.push(at(
                        key,
                        format!("{label} {value:?} differs from {other:?} only in case, spaces, '-' or '_'"),
                    ));
                }
            }
        }
        if let Some(cause) = &d.cause {
            let folded = crate::typos::folded(cause);
            let causes = downstream
                .contracts
                .iter()
                .flat_map(|c| c.exclusions().causes.iter());
            if let Some(other) = causes
                .into_iter()
                .find(|k| k.as_str() != cause.as_str() && crate::typos::folded(k) == folded)
            {
                problems.push(at(
                    "cause",
                    format!(
                        "cause {cause:?} differs from {other:?} only in case, spaces, '-' or '_'"
                    ),
                ));
            }
        }
    }
    problems.into_result(())
}

/// The label values in use on one side: contracts' `applies_to`, subscriptions' scopes, and
/// (`windows`) the windows' labels.
fn values_in_use(side: &Inputs, windows: bool) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for l in &side.subscription_labels {
        out.entry(l.clone()).or_default();
    }
    for c in &side.contracts {
        for (k, v) in c.applies_to() {
            out.entry(k.clone()).or_default().insert(v.clone());
        }
    }
    let scopes = side.subscriptions.iter().map(|s| &s.scope);
    let window_scopes = side.windows.iter().filter(|_| windows).map(|w| &w.scope);
    for scope in scopes.chain(window_scopes) {
        for (k, v) in scope.iter() {
            let values = out.entry(k.to_owned()).or_default();
            match crate::scope::list(v) {
                Some(list) => values.extend(list.map(str::to_owned)),
                None if v != "*" => {
                    values.insert(v.to_owned());
                }
                None => {}
            }
        }
    }
    out
}
