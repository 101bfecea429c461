//! Measured outage windows (SPEC 2.3): what was down, when, how badly, and who said so.

use crate::error::{Error, Problem, Problems};
use crate::input::{
    csv_header, each_record, non_empty, small_str, split_columns, trim, Format, Text,
};
use crate::money::parse_decimal;
use crate::scope::{Interner, Scope};
use crate::time::Instant;
use crate::yaml::{Located, Seg};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use smallvec::SmallVec;
use smol_str::SmolStr;
use std::collections::BTreeMap;

/// The fields of a window that are not scope labels.
const FIELDS: [&str; 8] = [
    "start",
    "end",
    "impact",
    "cause",
    "reference",
    "source",
    "announced_at",
    "customers",
];

/// One measured outage: `[start, end)` with `end > start`, guaranteed by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    start: Instant,
    end: Instant,
    impact: Decimal,
    /// Cause label (`maintenance`, `force-majeure`, ...); `None` = unplanned.
    pub cause: Option<SmolStr>,
    /// The incident's reference (ticket, statement id).
    pub reference: Option<SmolStr>,
    /// Who measured or reported it.
    pub source: Option<SmolStr>,
    /// When maintenance was announced.
    pub announced_at: Option<Instant>,
    /// Subscription ids or customer names it is limited to (empty = everyone in scope).
    pub customers: SmallVec<[SmolStr; 1]>,
    /// Scope labels it applies to (`*` = any).
    pub scope: Scope,
}

impl Window {
    /// A fully-down window, or an error when `end` is not after `start`.
    ///
    /// # Errors
    /// A message when `end <= start`.
    ///
    /// ```
    /// use slacredit::{Instant, Window};
    /// let t = |s| Instant::parse(s, None).unwrap();
    /// assert!(Window::new(t("2018-11-21T23:19:00Z"), t("2018-11-22T00:43:00Z")).is_ok());
    /// assert!(Window::new(t("2018-11-22T00:43:00Z"), t("2018-11-21T23:19:00Z")).is_err());
    /// ```
    pub fn new(start: Instant, end: Instant) -> Result<Window, String> {
        if end <= start {
            return Err(format!("expected end ({end}) after start ({start})"));
        }
        Ok(Window {
            start,
            end,
            impact: Decimal::ONE,
            cause: None,
            reference: None,
            source: None,
            announced_at: None,
            customers: SmallVec::new(),
            scope: Scope::new(),
        })
    }

    /// Sets the impact, which must be in (0, 1].
    ///
    /// # Errors
    /// A message when out of range.
    pub fn with_impact(mut self, impact: Decimal) -> Result<Window, String> {
        if impact <= Decimal::ZERO || impact > Decimal::ONE {
            return Err(format!(
                "expected an impact greater than 0 and at most 1, found {impact}"
            ));
        }
        if impact.normalize().scale() > 6 {
            return Err(format!(
                "expected an impact with at most 6 decimals, found {impact}"
            ));
        }
        self.impact = impact;
        Ok(self)
    }

    /// Adds a scope label.
    pub fn with_scope(mut self, label: &str, value: &str) -> Window {
        self.scope.insert(label, value);
        self
    }

    /// Sets the reference.
    pub fn with_reference(mut self, reference: &str) -> Window {
        self.reference = Some(SmolStr::new(reference));
        self
    }

    /// Start (inclusive).
    pub fn start(&self) -> Instant {
        self.start
    }
    /// End (exclusive).
    pub fn end(&self) -> Instant {
        self.end
    }
    /// Impact in (0, 1]: 1 = fully down.
    pub fn impact(&self) -> Decimal {
        self.impact
    }
}

/// Shared labels: causes, sources and scopes repeat across a million windows.
#[derive(Default)]
struct Labels {
    scopes: Interner,
    words: crate::fxhash::FxHashMap<String, SmolStr>,
}

impl Labels {
    fn word(&mut self, w: &str) -> SmolStr {
        if let Some(a) = self.words.get(w) {
            return a.clone();
        }
        let a = SmolStr::new(w);
        self.words.insert(w.to_owned(), a.clone());
        a
    }
}

/// Builds a window from its fields: `field[k]` is the text of `FIELDS[k]`, `labels` the other
/// columns (scope labels); problems go to `fail(field, message)`.
fn build<'a>(
    field: [Option<&'a str>; 8],
    labels: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    zone: Option<Tz>,
    shared: &mut Labels,
    fail: &mut dyn FnMut(&str, String),
) -> Option<Window> {
    let [start, end, impact, cause, reference, source, announced_at, customers] =
        field.map(non_empty);
    let time = |k: &str, text: Option<&str>, required: bool, fail: &mut dyn FnMut(&str, String)| {
        match text {
            None if required => {
                fail(k, format!("expected a time in `{k}`"));
                None
            }
            None => Some(None),
            Some(t) => Instant::parse(t, zone)
                .map(Some)
                .map_err(|e| fail(k, e))
                .ok(),
        }
    };
    let start = time("start", start, true, fail).flatten();
    let end = time("end", end, true, fail).flatten();
    let announced_at = time("announced_at", announced_at, false, fail);
    let impact = impact.map(|t| parse_decimal(t).map_err(|e| fail("impact", e)).ok());
    let mut w = match Window::new(start?, end?) {
        Ok(w) => w,
        Err(e) => {
            fail("end", e);
            return None;
        }
    };
    // Without an impact a window is fully down, as `Window::new` made it.
    if let Some(impact) = impact {
        w = w.with_impact(impact?).map_err(|e| fail("impact", e)).ok()?;
    }
    w.announced_at = announced_at?;
    w.cause = cause.map(|c| shared.word(c));
    w.reference = reference.map(small_str);
    w.source = source.map(|s| shared.word(s));
    w.customers = match customers {
        None => SmallVec::new(),
        // One name, as a provider's export has it: no list to split.
        Some(c) if !c.contains(';') => smallvec::smallvec![small_str(c)],
        Some(c) => c
            .split(';')
            .map(trim)
            .filter(|s| !s.is_empty())
            .map(small_str)
            .collect(),
    };
    w.scope = shared.scopes.intern(
        labels
            .map(|(k, v)| (k, trim(v)))
            .filter(|(_, v)| !v.is_empty()),
    );
    Some(w)
}

/// Reads windows from CSV, YAML or JSON text (by `file`'s extension). Offset-less times are read
/// in `zone` when given, else rejected.
///
/// # Errors
/// [`Error::Invalid`] with every problem found, each located.
pub fn parse_windows(file: &str, text: &str, zone: Option<Tz>) -> Result<Vec<Window>, Error> {
    parse_windows_with(file, Text::Whole(text), zone, |_| ())
}

/// As [`parse_windows`], showing `each` every window read as it is read (while it is in the
/// cache: a run's window index is built from them so, not from a second pass over them all).
pub(crate) fn parse_windows_with(
    file: &str,
    text: Text<'_>,
    zone: Option<Tz>,
    mut each: impl FnMut(&Window),
) -> Result<Vec<Window>, Error> {
    let mut problems = Problems::new();
    let mut out = Vec::new();
    let mut shared = Labels::default();
    match Format::of(file).map_err(Error::problem)? {
        Format::Csv => {
            let mut reader = text.csv();
            if let Some(header) = csv_header(file, &mut reader, &["start", "end"], &mut problems) {
                out.reserve(reader.lines_estimate());
                let (columns, labels) = split_columns(&header, FIELDS);
                each_record(
                    file,
                    &mut reader,
                    header.len(),
                    &mut problems,
                    |record, line, problems| {
                        let field = columns.map(|c| c.and_then(|i| record.get(i)));
                        let labels = labels
                            .iter()
                            .map(|&(i, h)| (h, record.get(i).unwrap_or("")));
                        let mut fail = |f: &str, m: String| {
                            problems.push(Problem::new(file, m).at(line).field(f))
                        };
                        if let Some(w) = build(field, labels, zone, &mut shared, &mut fail) {
                            each(&w);
                            out.push(w);
                        }
                    },
                );
            }
            if let Some(e) = reader.failure() {
                return Err(e);
            }
        }
        Format::Yaml | Format::Json => {
            let text = text.whole()?;
            let doc = Located::<Vec<BTreeMap<String, String>>>::parse(file, &text)
                .map_err(Error::Invalid)?;
            for (i, fields) in doc.value.iter().enumerate() {
                let mut fail = |f: &str, m: String| {
                    let line = doc.line_of(&[Seg::Index(i), Seg::Key(f)]);
                    problems.push(Problem::new(file, m).at(line).field(f));
                };
                let field = FIELDS.map(|f| fields.get(f).map(String::as_str));
                let labels = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .filter(|(k, _)| !FIELDS.contains(k));
                if let Some(w) = build(field, labels, zone, &mut shared, &mut fail) {
                    each(&w);
                    out.push(w);
                }
            }
        }
    }
    problems.into_result(out)
}
