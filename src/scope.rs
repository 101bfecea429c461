//! Scope labels (`service: ec2`, `region: ap-northeast-2`) and the matching rule of SPEC 2.4.
//!
//! A provider's million subscriptions and windows carry a few dozen distinct label sets, so a
//! [`Scope`] is shared (cloning is a reference count) and loaders intern them.

use crate::fxhash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A set of scope labels, cheap to clone. No labels is no allocation: every window starts
/// without.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(Option<Arc<BTreeMap<String, String>>>);

impl Scope {
    /// No labels.
    pub fn new() -> Scope {
        Scope::default()
    }

    /// The labels; an empty set is always `None`, so that equality and order hold.
    fn map(&self) -> Option<&BTreeMap<String, String>> {
        self.0.as_deref()
    }

    /// The value of `label`.
    pub fn get(&self, label: &str) -> Option<&str> {
        self.map()?.get(label).map(String::as_str)
    }

    /// Sets `label` to `value`.
    pub fn insert(&mut self, label: &str, value: &str) {
        let map = self.0.get_or_insert_with(Arc::default);
        Arc::make_mut(map).insert(label.to_owned(), value.to_owned());
    }

    /// The labels in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Whether a window carrying `self` applies to a subscription whose full scope is `full`:
    /// every label set here is matched by `full`, or is one of the values `full` lists for it
    /// (composite availability, SPEC 2.7); `*` matches anything (SPEC 2.4).
    pub fn covers(&self, full: &Scope) -> bool {
        self.iter().all(|(k, v)| {
            v == "*"
                || full
                    .get(k)
                    .is_some_and(|f| f == v || list(f).is_some_and(|mut l| l.any(|e| e == v)))
        })
    }

    /// The first label not set to `*`, if any: a window carrying `self` covers only full scopes
    /// with this label at this value, so indexing windows (or full scopes) by it finds every
    /// candidate without comparing each window with each subscription's scope.
    pub(crate) fn key(&self) -> Option<(&str, &str)> {
        self.iter().find(|(_, v)| *v != "*")
    }

    /// Identity of the shared label set, for caches keyed by interned scopes (0: no labels).
    pub(crate) fn id(&self) -> usize {
        self.0.as_ref().map_or(0, |m| Arc::as_ptr(m) as usize)
    }
}

impl FromIterator<(String, String)> for Scope {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Scope {
        Scope::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl From<BTreeMap<String, String>> for Scope {
    fn from(map: BTreeMap<String, String>) -> Scope {
        Scope((!map.is_empty()).then(|| Arc::new(map)))
    }
}

/// Marks a label value that is a list of values (`zone: [a, b, c]`, composite availability):
/// each value follows one. Text read from inputs never holds a control character, so no value
/// given as text is taken for a list.
pub(crate) const LIST: char = '\u{1f}';

/// The values of `value` when it is a list (see [`LIST`]).
pub(crate) fn list(value: &str) -> Option<impl Iterator<Item = &str> + Clone> {
    value.strip_prefix(LIST).map(|rest| rest.split(LIST))
}

/// The values a subscription gives a composite label (SPEC 2.7): a list (see [`LIST`]) or a CSV
/// cell `a;b;c`, each value trimmed; `None` for one value.
pub(crate) fn listed(value: &str) -> Option<Vec<&str>> {
    match list(value) {
        Some(values) => Some(values.map(str::trim).collect()),
        None if value.contains(';') => Some(value.split(';').map(str::trim).collect()),
        None => None,
    }
}

/// `values` as one label value that is a list (see [`LIST`]).
pub(crate) fn list_of<'v>(values: impl IntoIterator<Item = &'v str>) -> String {
    let mut out = String::new();
    for v in values {
        out.push(LIST);
        out.push_str(v);
    }
    out
}

/// A label value as people write it: a list's values separated by `;` (the CSV form).
pub fn readable(value: &str) -> std::borrow::Cow<'_, str> {
    match list(value) {
        Some(values) => values.collect::<Vec<_>>().join(";").into(),
        None => value.into(),
    }
}

/// Hands out one shared [`Scope`] per distinct label set.
#[derive(Default)]
pub(crate) struct Interner {
    seen: FxHashMap<String, Scope>,
    key: String,
}

impl Interner {
    /// The shared scope with these labels (names must be distinct). Callers give labels in a
    /// fixed order (a file's column order, a map's key order), so the key needs no sorting.
    pub(crate) fn intern<'a>(
        &mut self,
        labels: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) -> Scope {
        self.key.clear();
        for (k, v) in labels.clone() {
            self.key.push_str(k);
            self.key.push('\u{0}');
            self.key.push_str(v);
            self.key.push('\u{0}');
        }
        if let Some(s) = self.seen.get(self.key.as_str()) {
            return s.clone();
        }
        let scope: Scope = labels.map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        self.seen.insert(self.key.clone(), scope.clone());
        scope
    }
}
