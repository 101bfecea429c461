//! Measured outage windows (SPEC 2.3): what was down, when, how badly, and who said so.

use crate::error::{Error, InvalidValue, Problem, Problems};
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
use std::sync::Arc;

/// The fields of a window that are not scope labels (SPEC 2.3).
pub(crate) const WINDOW_FIELDS: [&str; 8] = [
    "start",
    "end",
    "impact",
    "cause",
    "reference",
    "source",
    "announced_at",
    "customers",
];

/// Where a run of windows came from: a file of windows, or an imported file.
#[derive(Debug, Clone, Default)]
pub struct WindowFile {
    /// The file as the user named it.
    pub file: Arc<str>,
    /// How many of the inputs' windows it holds, after those of the files before it.
    pub count: usize,
    /// The line of each of its windows, by position (empty for imports).
    pub lines: Vec<u32>,
    /// The item of each of its windows (`incidents[2]`; imports only).
    pub items: Vec<String>,
    /// The label columns or keys it has, where each is named.
    pub labels: Vec<LabelName>,
}

/// A label name as an input file writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelName {
    /// The name.
    pub name: String,
    /// The file that names it (a map file for imports; `--label` for the command line's).
    pub file: String,
    /// The line, where known.
    pub line: Option<usize>,
    /// What it is in that file: `column`, `key` or `label`.
    pub kind: &'static str,
}

/// The fields of a window that are not scope labels.
const FIELDS: [&str; 8] = WINDOW_FIELDS;

/// One measured outage: `[start, end)` with `end > start`, guaranteed by construction.
#[derive(Clone)]
pub struct Window {
    start: Instant,
    end: Instant,
    /// Impact, cause, source, notice: what few windows have.
    rare: Option<Box<Rare>>,
    /// The incident's reference (ticket, statement id).
    pub reference: Option<SmolStr>,
    /// Subscription ids or customer names it is limited to (empty = everyone in scope).
    pub customers: SmallVec<[SmolStr; 1]>,
    /// Scope labels it applies to (`*` = any).
    pub scope: Scope,
}

/// The fields of a window that most windows lack, kept apart: a provider's million windows are
/// 88 bytes each instead of 160 (the memory a run first touches costs it a page fault every
/// 4 KiB, and the windows a subscription names are read from wherever the file put them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rare {
    impact: Decimal,
    cause: Option<SmolStr>,
    source: Option<SmolStr>,
    announced_at: Option<Instant>,
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
    pub fn new(start: Instant, end: Instant) -> Result<Window, InvalidValue> {
        if end <= start {
            return Err(InvalidValue(format!(
                "expected end ({end}) after start ({start})"
            )));
        }
        Ok(Window {
            start,
            end,
            rare: None,
            reference: None,
            customers: SmallVec::new(),
            scope: Scope::new(),
        })
    }

    /// Sets the impact, which must be in (0, 1].
    ///
    /// # Errors
    /// A message when out of range.
    pub fn with_impact(self, impact: Decimal) -> Result<Window, InvalidValue> {
        if impact <= Decimal::ZERO || impact > Decimal::ONE {
            return Err(InvalidValue(format!(
                "expected an impact greater than 0 and at most 1, found {impact}"
            )));
        }
        if impact.normalize().scale() > 6 {
            return Err(InvalidValue(format!(
                "expected an impact with at most 6 decimals, found {impact}"
            )));
        }
        Ok(self.with_rare(|r| r.impact = impact))
    }

    /// Sets the cause (`maintenance`, `force-majeure`, ...).
    pub fn with_cause(self, cause: &str) -> Window {
        self.with_rare(|r| r.cause = Some(SmolStr::new(cause)))
    }

    /// Sets who measured or reported it.
    pub fn with_source(self, source: &str) -> Window {
        self.with_rare(|r| r.source = Some(SmolStr::new(source)))
    }

    /// Sets when maintenance was announced.
    pub fn with_announced_at(self, at: Instant) -> Window {
        self.with_rare(|r| r.announced_at = Some(at))
    }

    /// With `change` made to the rare fields; none kept apart when all are as by default (an
    /// impact of exactly `1`, scale included, is the default).
    fn with_rare(mut self, change: impl FnOnce(&mut Rare)) -> Window {
        let mut rare = self.rare.take().map_or_else(Rare::default, |r| *r);
        change(&mut rare);
        let default = Rare::default();
        let same = rare.impact.serialize() == default.impact.serialize()
            && (&rare.cause, &rare.source, rare.announced_at)
                == (&default.cause, &default.source, default.announced_at);
        self.rare = (!same).then(|| Box::new(rare));
        self
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
        self.rare.as_ref().map_or(Decimal::ONE, |r| r.impact)
    }
    /// Cause label (`maintenance`, `force-majeure`, ...); `None` = unplanned.
    pub fn cause(&self) -> Option<&SmolStr> {
        self.rare.as_ref().and_then(|r| r.cause.as_ref())
    }
    /// Who measured or reported it.
    pub fn source(&self) -> Option<&SmolStr> {
        self.rare.as_ref().and_then(|r| r.source.as_ref())
    }
    /// When maintenance was announced.
    pub fn announced_at(&self) -> Option<Instant> {
        self.rare.as_ref().and_then(|r| r.announced_at)
    }
}

impl Default for Rare {
    fn default() -> Rare {
        Rare {
            impact: Decimal::ONE,
            cause: None,
            source: None,
            announced_at: None,
        }
    }
}

/// Windows are equal when every field is (impacts by value, as decimals compare).
impl PartialEq for Window {
    fn eq(&self, other: &Window) -> bool {
        (self.start, self.end, self.impact()) == (other.start, other.end, other.impact())
            && (self.cause(), self.source(), self.announced_at())
                == (other.cause(), other.source(), other.announced_at())
            && (&self.reference, &self.customers, &self.scope)
                == (&other.reference, &other.customers, &other.scope)
    }
}

impl Eq for Window {}

impl std::fmt::Debug for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Window")
            .field("start", &self.start)
            .field("end", &self.end)
            .field("impact", &self.impact())
            .field("cause", &self.cause())
            .field("reference", &self.reference)
            .field("source", &self.source())
            .field("announced_at", &self.announced_at())
            .field("customers", &self.customers)
            .field("scope", &self.scope)
            .finish()
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
    listed: &mut Vec<&str>,
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
                .map_err(|e| fail(k, e.into()))
                .ok(),
        }
    };
    let start = time("start", start, true, fail).flatten();
    let end = time("end", end, true, fail).flatten();
    let announced_at = time("announced_at", announced_at, false, fail);
    let impact = impact.map(|t| parse_decimal(t).map_err(|e| fail("impact", e.into())).ok());
    let mut w = match Window::new(start?, end?) {
        Ok(w) => w,
        Err(e) => {
            fail("end", e.into());
            return None;
        }
    };
    // Without an impact a window is fully down, as `Window::new` made it.
    if let Some(impact) = impact {
        w = w
            .with_impact(impact?)
            .map_err(|e| fail("impact", e.into()))
            .ok()?;
    }
    let (announced_at, cause) = (announced_at?, cause.map(|c| shared.word(c)));
    let source = source.map(|s| shared.word(s));
    if announced_at.is_some() || cause.is_some() || source.is_some() {
        w = w.with_rare(|r| {
            (r.announced_at, r.cause, r.source) = (announced_at, cause, source);
        });
    }
    w.reference = reference.map(small_str);
    w.customers = match customers {
        // A YAML or JSON list of names.
        None if !listed.is_empty() => listed
            .drain(..)
            .map(trim)
            .filter(|s| !s.is_empty())
            .map(small_str)
            .collect(),
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
    let format = Format::of(file).map_err(Error::problem)?;
    let how = Reading {
        format,
        zone,
        ignore: &[],
    };
    parse_windows_with(file, Text::Whole(text), &how, |_| ()).map(|(w, _)| w)
}

/// How to read a file of windows.
pub(crate) struct Reading<'a> {
    /// CSV, YAML or JSON, whatever the file is called (standard input has no name).
    pub(crate) format: Format,
    /// The zone of offset-less times.
    pub(crate) zone: Option<Tz>,
    /// Columns or keys let through unread (`--ignore-column`).
    pub(crate) ignore: &'a [String],
}

/// As [`parse_windows`], showing `each` every window read as it is read (while it is in the
/// cache: a run's window index is built from them so, not from a second pass over them all),
/// with where each came from and the label columns or keys the file has (SPEC 2.6 checks them
/// once the subscriptions are read too).
pub(crate) fn parse_windows_with(
    file: &str,
    text: Text<'_>,
    how: &Reading<'_>,
    mut each: impl FnMut(&Window),
) -> Result<(Vec<Window>, WindowFile), Error> {
    let mut problems = Problems::new();
    let mut out = Vec::new();
    let mut shared = Labels::default();
    let mut origin = WindowFile {
        file: std::sync::Arc::from(file),
        ..WindowFile::default()
    };
    let zone = how.zone;
    let ignored = |name: &str| how.ignore.iter().any(|i| i == name);
    match how.format {
        Format::Csv => {
            let mut reader = text.csv();
            if let Some(header) = csv_header(file, &mut reader, &["start", "end"], &mut problems) {
                out.reserve(reader.lines_estimate());
                origin.lines.reserve(reader.lines_estimate());
                let (columns, labels) = split_columns(&header, FIELDS);
                let labels: Vec<(usize, &str)> =
                    labels.into_iter().filter(|(_, h)| !ignored(h)).collect();
                origin.labels = labels
                    .iter()
                    .map(|&(_, h)| LabelName {
                        name: h.to_owned(),
                        file: file.to_owned(),
                        line: Some(1),
                        kind: "column",
                    })
                    .collect();
                each_record(
                    file,
                    &mut reader,
                    &header,
                    &mut problems,
                    |record, line, problems| {
                        let field = columns.map(|c| c.and_then(|i| record.get(i)));
                        let labels = labels
                            .iter()
                            .map(|&(i, h)| (h, record.get(i).unwrap_or("")));
                        let mut fail = |f: &str, m: String| {
                            problems.push(Problem::new(file, m).at(line).field(f))
                        };
                        let mut customers = Vec::new();
                        if let Some(w) =
                            build(field, &mut customers, labels, zone, &mut shared, &mut fail)
                        {
                            each(&w);
                            out.push(w);
                            origin.lines.push(line.unwrap_or(0) as u32);
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
            let doc = Located::<Vec<RawWindow>>::parse(file, &text).map_err(Error::Invalid)?;
            let lines = crate::yaml::item_lines(&text, doc.value.len()).unwrap_or_else(|| {
                (0..doc.value.len())
                    .map(|i| doc.line_of(&[Seg::Index(i)]))
                    .collect()
            });
            let mut keys: BTreeMap<&str, Option<usize>> = BTreeMap::new();
            for (i, raw) in doc.value.iter().enumerate() {
                let mut fail = |f: &str, m: String| {
                    let line = doc.line_of(&[Seg::Index(i), Seg::Key(f)]);
                    problems.push(Problem::new(file, m).at(line).field(f));
                };
                let mut bad = false;
                for (k, v) in &raw.0 {
                    let values: &[String] = match v {
                        Cell::One(t) => std::slice::from_ref(t),
                        Cell::Many(list) => list,
                    };
                    for text in std::iter::once(k).chain(values) {
                        if let Some(c) = crate::input::control_character(text) {
                            fail(k, format!("{c} in {text:?}; no value may hold one"));
                            bad = true;
                        }
                    }
                    if let (Cell::Many(_), false) = (v, k == "customers") {
                        fail(
                            k,
                            format!("expected a single value for `{k}`, found a list"),
                        );
                        bad = true;
                    }
                }
                if bad {
                    continue;
                }
                let one = |f: &str| match raw.0.get(f) {
                    Some(Cell::One(t)) => Some(t.as_str()),
                    _ => None,
                };
                let field = FIELDS.map(one);
                let mut customers: Vec<&str> = match raw.0.get("customers") {
                    Some(Cell::Many(list)) => list.iter().map(String::as_str).collect(),
                    _ => Vec::new(),
                };
                let labels = raw
                    .0
                    .iter()
                    .filter(|(k, _)| !FIELDS.contains(&k.as_str()) && !ignored(k))
                    .filter_map(|(k, v)| match v {
                        Cell::One(t) => Some((k.as_str(), t.as_str())),
                        Cell::Many(_) => None,
                    });
                for (k, _) in labels.clone() {
                    keys.entry(k)
                        .or_insert_with(|| doc.line_of(&[Seg::Index(i), Seg::Key(k)]));
                }
                if let Some(w) = build(field, &mut customers, labels, zone, &mut shared, &mut fail)
                {
                    each(&w);
                    out.push(w);
                    origin.lines.push(lines[i].unwrap_or(0) as u32);
                }
            }
            origin.labels = keys
                .into_iter()
                .map(|(k, line)| LabelName {
                    name: k.to_owned(),
                    file: file.to_owned(),
                    line,
                    kind: "key",
                })
                .collect();
        }
    }
    origin.count = out.len();
    problems.into_result((out, origin))
}

/// A window of a YAML or JSON file: its fields as written, `customers` possibly a list.
struct RawWindow(BTreeMap<String, Cell>);

/// A value as written: scalars keep their exact text (an impact `0.50` stays `0.50`).
enum Cell {
    One(String),
    Many(Vec<String>),
}

impl<'de> serde::Deserialize<'de> for RawWindow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawWindow, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = RawWindow;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a window: a map of fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawWindow, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let cell = if key == "customers" {
                        map.next_value::<Customers>()?.0
                    } else {
                        Cell::One(map.next_value::<String>()?)
                    };
                    if out.insert(key.clone(), cell).is_some() {
                        return Err(serde::de::Error::custom(format!("duplicate field `{key}`")));
                    }
                }
                Ok(RawWindow(out))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// `customers`: one name (or `;`-separated names) or a list of names.
struct Customers(Cell);

impl<'de> serde::Deserialize<'de> for Customers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Customers, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = Customers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("subscription ids or customer names: text or a list")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Customers, E> {
                Ok(Customers(Cell::One(v.to_owned())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Customers, E> {
                Ok(Customers(Cell::One(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Customers, E> {
                Ok(Customers(Cell::One(v.to_string())))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Customers, E> {
                Ok(Customers(Cell::One(String::new())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Customers, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(Customers(Cell::Many(names)))
            }
        }
        d.deserialize_any(Names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_fields_are_kept_apart_only_when_set() {
        let t = |s: i64| Instant::from_unix_seconds(s);
        let plain = Window::new(t(0), t(60)).unwrap();
        assert!(plain.rare.is_none());
        // An impact written `1.0` keeps its scale (the digits of what is computed from it), and
        // is the same impact as the default `1`.
        let one = plain.clone().with_impact(Decimal::new(10, 1)).unwrap();
        assert_eq!(one.impact().scale(), 1);
        assert!(one.rare.is_some());
        assert_eq!(one, plain);
        let back = one.with_impact(Decimal::ONE).unwrap();
        assert!(back.rare.is_none());
        let w = plain
            .clone()
            .with_cause("maintenance")
            .with_source("probe")
            .with_announced_at(t(-3600));
        assert_eq!(
            (
                w.cause().map(SmolStr::as_str),
                w.source().map(SmolStr::as_str)
            ),
            (Some("maintenance"), Some("probe"))
        );
        assert_eq!(
            (w.announced_at(), w.impact()),
            (Some(t(-3600)), Decimal::ONE)
        );
        assert_ne!(w, plain);
        assert_ne!(w.clone().with_source("status page"), w);
    }
}
