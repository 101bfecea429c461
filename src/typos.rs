//! Typos never change money (SPEC 2.6): a misspelled column or value would otherwise match
//! nothing and silently zero a credit, with exit code 0 and a letter saying there is nothing to
//! claim. So, once every file is read:
//! - a window column or key that is neither a window field nor a label in use (a label of some
//!   contract's `applies_to` or some subscription's scope) is an error naming the closest name;
//! - a label value (or a cause) that differs from one used on the other side only in letter
//!   case, spaces, `-` or `_` is an error naming both, even where it also matches exactly;
//! - `customers` entries that name no subscription id or customer are errors;
//! - windows that apply to no subscription are found (not errors: a provider's file covers every
//!   region) so that the commands can say how many there are.

use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::inputs::Inputs;
use crate::prepare::{Resolution, WindowIndex};
use crate::scope::Scope;
use crate::window::WINDOW_FIELDS;
use std::collections::{BTreeMap, BTreeSet};

/// The closest of `known` to `name` (fewest edits; the first in order among equals).
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_lowercase()), k))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, k)| k)
}

/// How many names naming nobody get a "did you mean" hint.
const HINTS: usize = 20;

/// What a value is once letter case, spaces, `-` and `_` are set aside.
pub(crate) fn folded(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where window `i` of the inputs is: its file and line (or item), for messages.
pub fn window_place(inputs: &Inputs, i: usize) -> (String, Option<usize>, Option<String>) {
    let mut first = 0;
    for f in &inputs.window_files {
        if i < first + f.count {
            let k = i - first;
            let line = f.lines.get(k).map(|&l| l as usize);
            return (f.file.to_string(), line, f.items.get(k).cloned());
        }
        first += f.count;
    }
    (
        "<memory>".to_owned(),
        None,
        Some(format!("window {}", i + 1)),
    )
}

/// A problem located at window `i`.
fn at_window(inputs: &Inputs, i: usize, field: &str, message: String) -> Problem {
    let (file, line, item) = window_place(inputs, i);
    let p = Problem::new(file, message).at(line);
    match item {
        Some(item) => p.field(format!("{item}.{field}")),
        None => p.field(field),
    }
}

/// Checks the inputs against each other for the typos of SPEC 2.6, and finds the windows that
/// apply to no subscription.
///
/// # Errors
/// [`Error::Invalid`] listing every unknown label column, near-miss value or cause, and
/// `customers` entry naming nobody.
pub fn check(inputs: &Inputs) -> Result<Vec<usize>, Error> {
    let subs = &inputs.subscriptions;
    let sorted = subs
        .windows(2)
        .all(|p| p[0].id.as_bytes() <= p[1].id.as_bytes());
    check_with(inputs, None, None, sorted, Base::Whole)
}

/// Whether the subscriptions are the whole base, or one part of it (a request's `part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    Whole,
    /// A window's `customers` may name subscriptions of other parts.
    Part,
}

/// As [`check`], with what the loader worked out while the files were read: the index of the
/// windows, the subscriptions' full scopes, and whether the subscriptions are in id order.
pub(crate) fn check_with(
    inputs: &Inputs,
    index: Option<&WindowIndex>,
    resolution: Option<&Resolution>,
    sorted: bool,
    base: Base,
) -> Result<Vec<usize>, Error> {
    let mut problems = Problems::new();
    let fulls = match resolution.filter(|r| r.is_of(&inputs.subscriptions)) {
        Some(r) => Fulls::from_resolution(inputs, r),
        None => Fulls::of(inputs),
    };
    unknown_labels(inputs, &fulls, &mut problems);
    near_misses(inputs, &fulls, &mut problems);
    let built;
    let index = match index.filter(|i| i.is_of(&inputs.windows)) {
        Some(i) => i,
        None => {
            built = WindowIndex::new(&inputs.windows);
            &built
        }
    };
    let unapplied = customers_and_reach(inputs, &fulls, index, sorted, base, &mut problems);
    problems.into_result(unapplied)
}

/// The subscriptions' full scopes (a contract's `applies_to` with a subscription's scope): the
/// distinct ones, which one each subscription has, and the first subscription of each.
struct Fulls<'a> {
    scopes: Vec<Scope>,
    of: Vec<u32>,
    first: Vec<usize>,
    contracts: Vec<Option<&'a crate::Contract>>,
}

impl<'a> Fulls<'a> {
    /// The full scopes the loader already worked out while the windows were read.
    fn from_resolution(inputs: &'a Inputs, resolution: &Resolution) -> Fulls<'a> {
        let scopes = resolution.scopes().to_vec();
        let of: Vec<u32> = resolution.full_scopes().collect();
        let mut first = vec![usize::MAX; scopes.len()];
        let mut left = scopes.len();
        for (k, &f) in of.iter().enumerate() {
            if left == 0 {
                break;
            }
            if first[f as usize] == usize::MAX {
                first[f as usize] = k;
                left -= 1;
            }
        }
        let by_id: FxHashMap<&str, &crate::Contract> =
            inputs.contracts.iter().map(|c| (c.id(), c)).collect();
        let contracts = first
            .iter()
            .map(|&k| {
                let s = inputs.subscriptions.get(k)?;
                by_id.get(s.contract.as_str()).copied()
            })
            .collect();
        Fulls {
            scopes,
            of,
            first,
            contracts,
        }
    }

    fn of(inputs: &'a Inputs) -> Fulls<'a> {
        let by_id: FxHashMap<&str, &crate::Contract> =
            inputs.contracts.iter().map(|c| (c.id(), c)).collect();
        let mut fulls = Fulls {
            scopes: Vec::new(),
            of: Vec::with_capacity(inputs.subscriptions.len()),
            first: Vec::new(),
            contracts: Vec::new(),
        };
        // The full scope of each shared scope and contract met.
        let mut seen: FxHashMap<(usize, &str), u32> = FxHashMap::default();
        for (k, s) in inputs.subscriptions.iter().enumerate() {
            let key = (s.scope.id(), s.contract.as_str());
            let full = match seen.get(&key) {
                Some(&f) => f,
                None => {
                    let contract = by_id.get(s.contract.as_str()).copied();
                    let mut scope = s.scope.clone();
                    for (l, v) in contract.iter().flat_map(|c| c.applies_to()) {
                        if scope.get(l).is_none() {
                            scope.insert(l, v);
                        }
                    }
                    let f = fulls.scopes.len() as u32;
                    fulls.scopes.push(scope);
                    fulls.first.push(k);
                    fulls.contracts.push(contract);
                    seen.insert(key, f);
                    f
                }
            };
            fulls.of.push(full);
        }
        fulls
    }
}

/// The labels in use: every contract's `applies_to`, every subscription's scope and the
/// subscriptions file's label columns.
fn labels_in_use(inputs: &Inputs, fulls: &Fulls<'_>) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = inputs.subscription_labels.iter().cloned().collect();
    for c in &inputs.contracts {
        names.extend(c.applies_to().keys().cloned());
    }
    for scope in &fulls.scopes {
        for (k, _) in scope.iter() {
            // Most scopes repeat the same few names: no copy made for those.
            if !names.contains(k) {
                names.insert(k.to_owned());
            }
        }
    }
    names
}

fn unknown_labels(inputs: &Inputs, fulls: &Fulls<'_>, problems: &mut Problems) {
    let in_use = labels_in_use(inputs, fulls);
    let known: Vec<&str> = WINDOW_FIELDS
        .iter()
        .copied()
        .chain(in_use.iter().map(String::as_str))
        .collect();
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    for f in &inputs.window_files {
        for l in &f.labels {
            if in_use.contains(&l.name) || WINDOW_FIELDS.contains(&l.name.as_str()) {
                continue;
            }
            if !reported.insert((l.file.clone(), l.name.clone())) {
                continue;
            }
            let hint = match closest(&l.name, known.iter().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => String::new(),
            };
            let how = if l.kind == "label" {
                " (no contract or subscription uses it)"
            } else {
                ""
            };
            // The wording of SPEC 2.6; the command line adds a hint of `--ignore-column`.
            problems.push(
                Problem::new(
                    l.file.clone(),
                    format!("unknown {} `{}`{how}{hint}", l.kind, l.name),
                )
                .at(l.line),
            );
        }
    }
}

/// A label's values on the windows' side: folded value -> the exact values, each with its first
/// window.
type ByFolded<'a> = FxHashMap<String, Vec<(&'a str, usize)>>;

/// `value` folded into `buffer`: letter case, spaces, `-` and `_` set aside.
fn fold_into<'b>(buffer: &'b mut String, value: &str) -> &'b str {
    buffer.clear();
    for c in value.chars().filter(|c| !matches!(c, ' ' | '-' | '_')) {
        buffer.extend(c.to_lowercase());
    }
    buffer
}

fn near_misses(inputs: &Inputs, fulls: &Fulls<'_>, problems: &mut Problems) {
    // The windows' side first, as it is small: each distinct scope once, at its first window;
    // per label, folded value -> the exact values with their first window.
    let mut scopes: FxHashMap<usize, usize> = FxHashMap::default();
    let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, w) in inputs.windows.iter().enumerate() {
        scopes.entry(w.scope.id()).or_insert(i);
        if let Some(c) = w.cause() {
            causes.entry(c.as_str()).or_insert(i);
        }
    }
    let mut firsts: Vec<usize> = scopes.into_values().collect();
    firsts.sort_unstable();
    let mut side: FxHashMap<&str, ByFolded<'_>> = FxHashMap::default();
    for i in firsts {
        for (label, value) in inputs.windows[i].scope.iter() {
            if value == "*" {
                continue;
            }
            let list = side
                .entry(label)
                .or_default()
                .entry(folded(value))
                .or_default();
            if !list.iter().any(|(v, _)| *v == value) {
                list.push((value, i));
            }
        }
    }
    // The subscriptions' side (each full scope once, in the order first met), looked up with a
    // folded copy made in one buffer: a base where every subscription has a region of its own
    // allocates nothing per subscription.
    let mut buffer = String::new();
    let mut found: Vec<(usize, String, String, String, String)> = Vec::new();
    let mut reported: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut check = |label: &str, value: &str, who: &dyn Fn() -> String| {
        let Some(by_folded) = side.get(label) else {
            return;
        };
        let Some(list) = by_folded.get(fold_into(&mut buffer, value)) else {
            return;
        };
        for &(w, i) in list.iter().filter(|(w, _)| *w != value) {
            if reported.insert((label.to_owned(), w.to_owned(), value.to_owned())) {
                found.push((i, label.to_owned(), w.to_owned(), value.to_owned(), who()));
            }
        }
    };
    for (f, &k) in fulls.first.iter().enumerate() {
        let s = &inputs.subscriptions[k];
        let who = || {
            let line = inputs
                .subscription_lines
                .get(k)
                .copied()
                .flatten()
                .zip(inputs.subscriptions_file.as_deref())
                .map(|(l, f)| format!(", {f}:{l}"))
                .unwrap_or_default();
            format!("subscription {}{line}", s.id)
        };
        let composite = fulls.contracts[f].and_then(|c| c.downtime().composite.as_ref());
        for (label, value) in s.scope.iter() {
            // Each value of a list (composite availability) on its own; `;` separates values
            // only for the contract's composite label.
            let split =
                crate::scope::list(value).is_some() || composite.is_some_and(|c| c.label == label);
            match crate::scope::listed(value).filter(|_| split) {
                Some(values) => values.into_iter().for_each(|v| check(label, v, &who)),
                None => check(label, value, &who),
            }
        }
        if let Some(c) = fulls.contracts[f] {
            for (label, value) in c.applies_to() {
                check(label, value, &|| {
                    format!("contract {}, {}", c.id(), c.file())
                });
            }
        }
    }
    // In window order, then label, then as first met.
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (i, label, value, other, who) in found {
        problems.push(at_window(
            inputs,
            i,
            &label,
            format!(
                "`{label}` value `{value}` differs from `{other}` ({who}) only in letter case, spaces, `-` or `_`"
            ),
        ));
    }
    let mut excluded: BTreeMap<String, Vec<(&str, &crate::Contract)>> = BTreeMap::new();
    for c in &inputs.contracts {
        for cause in &c.exclusions().causes {
            let list = excluded.entry(folded(cause)).or_default();
            if !list.iter().any(|(v, _)| v == cause) {
                list.push((cause, c));
            }
        }
    }
    for (cause, i) in causes {
        for (e, c) in excluded.get(&folded(cause)).into_iter().flatten() {
            if *e != cause {
                problems.push(at_window(
                    inputs,
                    i,
                    "cause",
                    format!(
                        "cause `{cause}` differs from `{e}` (excluded by contract {}) only in letter case, spaces, `-` or `_`",
                        c.id()
                    ),
                ));
            }
        }
    }
}

/// Checks `customers` entries and finds the windows that apply to no subscription. The index's
/// names (sorted) are walked beside the subscription ids (sorted): no hashing of a million ids;
/// names left over are looked for among the customers.
fn customers_and_reach(
    inputs: &Inputs,
    fulls: &Fulls<'_>,
    index: &WindowIndex,
    sorted: bool,
    base: Base,
    problems: &mut Problems,
) -> Vec<usize> {
    let subs = &inputs.subscriptions;
    let windows = &inputs.windows;
    let mut applies = vec![false; windows.len()];
    // Windows naming no one: by their scope, found by its key label.
    for i in index.global_reaching(&fulls.scopes) {
        applies[i] = true;
    }
    // Whether each scope of the named windows covers each full scope, worked out once (or
    // when met, for hostile numbers of both).
    let scopes = index.named_scopes();
    let tabulate = scopes.len().saturating_mul(fulls.scopes.len()) <= 1 << 20;
    let table: Vec<bool> = if tabulate {
        scopes
            .iter()
            .flat_map(|w| fulls.scopes.iter().map(move |f| w.covers(f)))
            .collect()
    } else {
        Vec::new()
    };
    let covers = |scope: u32, full: u32| {
        if tabulate {
            table[scope as usize * fulls.scopes.len() + full as usize]
        } else {
            scopes[scope as usize].covers(&fulls.scopes[full as usize])
        }
    };
    let entries = index.entries();
    let mut named = vec![false; entries.len()];
    // The loader leaves subscriptions in id order; inputs built in code may not be.
    let order: Option<Vec<usize>> =
        (!sorted).then(|| crate::textsort::order_by_text(subs.len(), |i| &subs[i].id).order);
    let ranges = match &order {
        None => index.ranges(subs.iter().map(|s| s.id.as_str())),
        Some(order) => index.ranges(order.iter().map(|&k| subs[k].id.as_str())),
    };
    // Entry `e` names subscription `k`: its window reaches `k` when its scope covers `k`'s.
    let mut reach = |e: usize, k: usize, named: &mut [bool]| {
        named[e] = true;
        let (_, window, scope) = entries.get(e);
        if covers(scope, fulls.of[k]) {
            applies[window as usize] = true;
        }
    };
    for (j, &(a, b)) in ranges.iter().enumerate() {
        let k = order.as_ref().map_or(j, |o| o[j]);
        (a as usize..b as usize).for_each(|e| reach(e, k, &mut named));
    }
    // Names that are no subscription id: customers' names, or nobody's.
    let mut left: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (e, _) in named.iter().enumerate().filter(|(_, n)| !**n) {
        left.entry(entries.get(e).0).or_default().push(e);
    }
    if !left.is_empty() {
        // Most customers' names are not among the few left: told apart by length first.
        let mut lengths = [false; 256];
        for name in left.keys() {
            lengths[name.len().min(255)] = true;
        }
        for (k, s) in subs.iter().enumerate() {
            if !lengths[s.customer.len().min(255)] {
                continue;
            }
            if let Some(list) = left.get(s.customer.as_str()) {
                list.iter().for_each(|&e| reach(e, k, &mut named));
            }
        }
    }
    // Names of subscriptions in other parts are nobody's in this one: not errors. The other
    // checks hold for a part whenever they hold for the whole (a part has fewer subscriptions
    // and the same label columns).
    if base == Base::Part {
        return (0..windows.len()).filter(|&i| !applies[i]).collect();
    }
    // Each name naming nobody once, at the first window naming it.
    let mut nobody: BTreeMap<(u32, &str), usize> = BTreeMap::new();
    for (name, list) in &left {
        let n = list.iter().filter(|&&e| !named[e]).count();
        if n > 0 {
            let first = list.iter().map(|&e| entries.get(e).1).min().unwrap_or(0);
            nobody.insert((first, name), n);
        }
    }
    if !nobody.is_empty() {
        let mut names: Vec<&str> = subs
            .iter()
            .flat_map(|s| [s.id.as_str(), s.customer.as_str()])
            .collect();
        names.sort_unstable();
        names.dedup();
        for (k, ((window, name), n)) in nobody.into_iter().enumerate() {
            // A hint compares the name with every name of the base: for the first few only,
            // or a file naming thousands of strangers would take hours to refuse.
            let hint = (k < HINTS)
                .then(|| closest(name, names.iter().copied()))
                .flatten()
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let more = if n > 1 {
                format!(" ({n} windows name it)")
            } else {
                String::new()
            };
            problems.push(at_window(
                inputs,
                window as usize,
                "customers",
                format!("`{name}` names no subscription id or customer{more}{hint}"),
            ));
        }
    }
    (0..windows.len()).filter(|&i| !applies[i]).collect()
}

/// Checks that `--subscription` and `--customer` name something: a filter naming nothing would
/// print no claim and look like nothing is owed.
///
/// # Errors
/// [`Error::Invalid`] naming the filter and the closest names.
pub fn check_filters(
    inputs: &Inputs,
    subscription: Option<&str>,
    customer: Option<&str>,
) -> Result<(), Error> {
    let mut problems = Problems::new();
    let mut one = |flag: &str, what: &str, wanted: Option<&str>, names: Vec<&str>| {
        let Some(wanted) = wanted else { return };
        if names.contains(&wanted) {
            return;
        }
        let mut ranked: Vec<(usize, &str)> = names
            .iter()
            .map(|n| {
                (
                    strsim::damerau_levenshtein(&wanted.to_lowercase(), &n.to_lowercase()),
                    *n,
                )
            })
            .collect();
        ranked.sort();
        ranked.dedup();
        let closest: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        let hint = if closest.is_empty() {
            String::new()
        } else {
            format!("; the closest: {}", closest.join(", "))
        };
        problems.push(Problem::new(flag, format!("no {what} `{wanted}`{hint}")));
    };
    one(
        "--subscription",
        "subscription",
        subscription,
        inputs.subscriptions.iter().map(|s| s.id.as_str()).collect(),
    );
    one(
        "--customer",
        "customer",
        customer,
        inputs
            .subscriptions
            .iter()
            .map(|s| s.customer.as_str())
            .collect(),
    );
    problems.into_result(())
}
