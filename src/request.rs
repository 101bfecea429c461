//! A request: one JSON document naming a run's inputs and what to select, for callers in other
//! languages (`slacredit claim --request -`, the Python package's `compute`).
//!
//! ```
//! use slacredit::load::Fingerprints;
//! let request = slacredit::request::Request::parse("request.json", r#"{
//!   "contracts": [{ "id": "c", "period": "month", "timezone": "UTC", "commitment": 99.9,
//!                   "credits": { "tiers": [{ "below": 99.9, "percent": 10 }] } }],
//!   "subscriptions": [{ "id": "s1", "customer": "Shop", "contract": "c",
//!                       "fee": { "amount": "100.00", "currency": "USD" } }],
//!   "outages": [{ "start": "2018-11-22T08:19:00+09:00", "end": "2018-11-22T09:43:00+09:00" }],
//!   "period": "2018-11"
//! }"#, Fingerprints::Skipped)?;
//! let mut loaded = request.load()?;
//! let claims = loaded.run(request.selection())?.collect().claims;
//! assert_eq!(claims[0].credit, "10.00".parse()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each input is a path (`"contracts/"`), a source object (`{"path": …}`, `{"format": "csv",
//! "text": …}`, for outages `{"import": "statuspage", "path" | "text": …}`), or the records
//! themselves: a list of subscriptions, of windows, of contracts. Records are read from the
//! request's own text, so a problem names the request's line and the record
//! (`request.json:14: subscriptions[2].fee: …`). The format is in `docs/integration.md`.

use crate::error::{Error, Problem, Problems};
use crate::import;
use crate::input::InputFile;
use crate::load::{Fingerprints, Format, Input, Loaded, Sources};
use crate::period::{PeriodId, PeriodSpan};
use crate::Selection;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A request read and checked: where the inputs are, and the selection.
#[derive(Debug, Clone)]
pub struct Request {
    name: String,
    /// Whether the run fingerprints its inputs, and the request's own fingerprint if so.
    fingerprints: Fingerprints,
    fingerprint: Option<InputFile>,
    sources: Sources,
    selection: Selection,
    /// The lines of each record given in the request, to name the record of a problem.
    records: Vec<Records>,
}

/// A list of records in the request: its field, and each record's first and last line.
#[derive(Debug, Clone)]
struct Records {
    field: &'static str,
    spans: Vec<(usize, usize)>,
}

/// The request's fields, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw<'a> {
    #[serde(borrow, default)]
    contracts: Option<&'a RawValue>,
    #[serde(borrow, default)]
    subscriptions: Option<&'a RawValue>,
    #[serde(borrow, default)]
    outages: Option<&'a RawValue>,
    #[serde(borrow, default)]
    charges: Option<&'a RawValue>,
    #[serde(borrow, default)]
    map: Option<&'a RawValue>,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    customer: Option<String>,
    subscription: Option<String>,
    #[serde(default)]
    breached_only: bool,
    #[serde(default)]
    credited_only: bool,
    input_timezone: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    open_until: Option<String>,
    #[serde(default)]
    ignore_columns: Vec<String>,
    #[serde(default)]
    part: bool,
}

/// A source object: a file, or text, or another tool's data to import.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    path: Option<String>,
    text: Option<String>,
    format: Option<String>,
    import: Option<String>,
    name: Option<String>,
}

/// What an input field holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Contracts,
    Subscriptions,
    Outages,
    Charges,
    Map,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Kind::Contracts => "contracts",
            Kind::Subscriptions => "subscriptions",
            Kind::Outages => "outages",
            Kind::Charges => "charges",
            Kind::Map => "map",
        }
    }
}

/// Reading the request: its text, its name, and the problems found so far.
struct Reader<'t> {
    name: &'t str,
    text: &'t str,
    problems: Problems,
    records: Vec<Records>,
    /// Outages' sources that are other tools' data.
    imports: Vec<(import::Format, Input)>,
    /// Where each line ends in the text.
    breaks: Vec<usize>,
}

impl Request {
    /// Reads the request `text`, named `name` in messages (`-` is standard input, named
    /// `<stdin>`). Paths in it are relative to the current directory. With
    /// [`Fingerprints::Taken`] the run fingerprints its inputs, the request first (it holds
    /// whatever records it carries); with [`Fingerprints::Skipped`] nothing is hashed, not even
    /// the request, which may carry a provider's windows in every batch of a Spark job.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem of the request found, each located.
    pub fn parse(name: &str, text: &str, fingerprints: Fingerprints) -> Result<Request, Error> {
        let name = if name == "-" { "<stdin>" } else { name };
        let file =
            (fingerprints == Fingerprints::Taken).then(|| InputFile::new(name, text.as_bytes()));
        Request::from_text(name, text, fingerprints, file)
    }

    /// As [`Request::parse`], the request's fingerprint (`file`) taken already.
    fn from_text(
        name: &str,
        text: &str,
        fingerprints: Fingerprints,
        file: Option<InputFile>,
    ) -> Result<Request, Error> {
        let located = |e: &serde_json::Error| {
            Problem::new(name, without_position(e))
                .at_line(e.line())
                .at_column(Some(e.column()))
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let raw: Raw<'_> = match serde_path_to_error::deserialize(&mut de) {
            Ok(raw) => raw,
            Err(e) => {
                let path = e.path().to_string();
                let mut problem = located(e.inner());
                if path != "." && !path.is_empty() {
                    problem = problem.field(path);
                }
                return Err(Error::problem(problem));
            }
        };
        // Nothing may follow the request.
        de.end().map_err(|e| Error::problem(located(&e)))?;
        let mut reader = Reader {
            name,
            text,
            problems: Problems::new(),
            records: Vec::new(),
            imports: Vec::new(),
            breaks: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
        };
        let mut sources = Sources::default();
        let zone = raw.input_timezone.as_deref().and_then(|z| {
            let zone = z.parse::<chrono_tz::Tz>().ok();
            if zone.is_none() {
                reader.problem(
                    "input_timezone",
                    format!("expected an IANA zone such as Asia/Seoul, found {z:?}"),
                );
            }
            zone
        });
        sources.input_timezone = zone;
        match raw.contracts {
            Some(value) => sources.contracts = reader.inputs(Kind::Contracts, value),
            None => sources.contracts = vec![Input::from("contracts")],
        }
        if let Some(value) = raw.subscriptions {
            sources.subscriptions = reader.one(Kind::Subscriptions, value);
        }
        if let Some(value) = raw.outages {
            sources.outages = reader.inputs(Kind::Outages, value);
            sources.imports = std::mem::take(&mut reader.imports);
        }
        if let Some(value) = raw.charges {
            sources.charges = reader.one(Kind::Charges, value);
        }
        if let Some(value) = raw.map {
            sources.map = reader.one(Kind::Map, value);
        }
        if raw.subscriptions.is_none() {
            reader.problem("subscriptions", "missing: the subscriptions to compute");
        }
        if sources.outages.is_empty() && sources.imports.is_empty() && raw.outages.is_none() {
            reader.problem("outages", "missing: the outage windows");
        }
        sources.labels = raw.labels.into_iter().collect();
        sources.ignore_columns = raw.ignore_columns;
        sources.part = raw.part;
        if let Some(at) = &raw.open_until {
            match crate::time::Instant::parse(at, zone) {
                Ok(at) => sources.open_until = Some(at),
                Err(e) => reader.problem("open_until", e.to_string()),
            }
        }
        let mut period = |field: &str, text: &Option<String>| {
            text.as_deref().and_then(|t| match PeriodId::parse(t) {
                Ok(p) => Some(p),
                Err(e) => {
                    reader.problem(field, e.to_string());
                    None
                }
            })
        };
        let span = match (
            period("period", &raw.period),
            period("from", &raw.from),
            period("to", &raw.to),
        ) {
            (Some(p), None, None) => PeriodSpan::new(p, p).map(Some),
            (None, Some(f), Some(t)) => PeriodSpan::new(f, t).map(Some),
            (None, None, None) => Ok(None),
            _ if raw.period.is_some() && (raw.from.is_some() || raw.to.is_some()) => Err(
                crate::InvalidValue("give either period, or from and to, not both".into()),
            ),
            _ if raw.period.is_none() && (raw.from.is_none() || raw.to.is_none()) => {
                Err(crate::InvalidValue("from and to go together".into()))
            }
            // A period that did not parse is a problem already.
            _ => Ok(None),
        };
        let periods = span.unwrap_or_else(|e| {
            reader.problem("period", e.0);
            None
        });
        let Reader {
            problems, records, ..
        } = reader;
        problems.into_result(Request {
            name: name.to_owned(),
            fingerprints,
            fingerprint: file,
            sources,
            selection: Selection {
                periods,
                customer: raw.customer,
                subscription: raw.subscription,
                breached_only: raw.breached_only,
                credited_only: raw.credited_only,
                ..Selection::default()
            },
            records,
        })
    }

    /// Reads the request in the file `path` (`-`: standard input) with the checks every input
    /// gets (lines up to 1 MiB, UTF-8), then as [`Request::parse`]; its fingerprint is of its
    /// bytes as read, as every file's is.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file, or as [`Request::parse`].
    pub fn read(path: &std::path::Path, fingerprints: Fingerprints) -> Result<Request, Error> {
        if path.as_os_str() != "-" {
            let (file, name, text) = crate::load::read(path, fingerprints)?;
            return Request::from_text(&name, &text, fingerprints, file);
        }
        let name = "<stdin>";
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|source| {
            Error::Io {
                path: name.to_owned(),
                source,
            }
        })?;
        crate::input::check_lines(name, &bytes)?;
        let file = (fingerprints == Fingerprints::Taken).then(|| InputFile::new(name, &bytes));
        Request::from_text(
            name,
            &crate::input::decode(name, bytes)?,
            fingerprints,
            file,
        )
    }

    /// Where the inputs are.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The subscriptions and periods asked for.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Reads every input, as [`Sources::load_prepared`], fingerprinted as [`Request::parse`]
    /// was told (the request first). A problem in a record given in the request names the
    /// record (`subscriptions[2].fee`).
    ///
    /// # Errors
    /// As [`Sources::load_prepared`], and a `customer` or `subscription` naming nothing.
    pub fn load(&self) -> Result<Loaded, Error> {
        let mut loaded = self
            .sources
            .load_prepared(self.fingerprints)
            .map_err(|e| self.name_records(e))?;
        crate::typos::check_filters(
            loaded.inputs(),
            self.selection.subscription.as_deref(),
            self.selection.customer.as_deref(),
        )?;
        if let Some(file) = &self.fingerprint {
            loaded.add_first_file(file.clone());
        }
        Ok(loaded)
    }

    /// `error` with the record of each of its problems that falls in one given in the request.
    fn name_records(&self, error: Error) -> Error {
        let Error::Invalid(mut problems) = error else {
            return error;
        };
        for problem in &mut problems.0 {
            let Some(line) = problem.line.filter(|_| problem.file == self.name) else {
                continue;
            };
            for records in &self.records {
                // The spans are in order: the first ending on or after the line, if it holds
                // the line and the next does not (records sharing the line, as in a request on
                // one line, leave the problem as it is).
                let spans = &records.spans;
                let i = spans.partition_point(|&(_, last)| last < line);
                let holds = |k: usize| spans.get(k).is_some_and(|&(first, _)| first <= line);
                if holds(i) && !holds(i + 1) {
                    let at = format!("{}[{i}]", records.field);
                    // A parser's own path starts at the list (`[0].fee`): the record is named.
                    let rest = problem.field.take().unwrap_or_default();
                    let rest = match rest.strip_prefix('[') {
                        Some(r) => r.split_once(']').map_or("", |(_, r)| r),
                        None => &rest,
                    };
                    let rest = rest.trim_start_matches('.');
                    problem.field = Some(if rest.is_empty() {
                        at
                    } else {
                        format!("{at}.{rest}")
                    });
                }
            }
        }
        Error::Invalid(problems)
    }
}

impl<'t> Reader<'t> {
    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::new(self.name, message).field(field.to_owned()));
    }

    /// The 1-based line and column where `value` starts in the request (the column in bytes).
    fn position(&self, value: &RawValue) -> (usize, usize) {
        let offset = (value.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        // Found among the line ends noted once: a request of a million records is not
        // counted through again for each.
        let line = self.breaks.partition_point(|&b| b < offset);
        let start = if line == 0 {
            0
        } else {
            self.breaks[line - 1] + 1
        };
        (line + 1, offset - start + 1)
    }

    /// `value`'s own text, placed at its line and column: a parser reading it names the
    /// request's lines (JSON is YAML, so the YAML readers take it as it is).
    fn in_place(&self, value: &RawValue) -> String {
        let (line, column) = self.position(value);
        let mut text = "\n".repeat(line - 1);
        text.push_str(&" ".repeat(column - 1));
        text.push_str(value.get());
        text
    }

    /// The single input of a field that takes one.
    fn one(&mut self, kind: Kind, value: &RawValue) -> Option<Input> {
        let mut inputs = self.inputs(kind, value);
        if inputs.len() > 1 {
            self.problem(kind.field(), "expected one source, found a list");
        }
        inputs.pop()
    }

    /// The inputs `value` names.
    fn inputs(&mut self, kind: Kind, value: &RawValue) -> Vec<Input> {
        let field = kind.field();
        match value.get().trim_start().as_bytes().first() {
            Some(b'"') => match serde_json::from_str::<String>(value.get()) {
                Ok(path) => vec![Input::from(path.as_str())],
                Err(e) => {
                    self.problem(field, e.to_string());
                    Vec::new()
                }
            },
            Some(b'{') => {
                if kind == Kind::Contracts && !is_source(value) {
                    return vec![self.records(value)];
                }
                if kind == Kind::Outages && has_any_key(value, &["start"]) {
                    self.problem(
                        field,
                        "expected a source or a list of windows, found one window: put it in a list",
                    );
                    return Vec::new();
                }
                self.source(kind, field.to_owned(), value)
                    .into_iter()
                    .collect()
            }
            Some(b'[') => {
                let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(value.get()) else {
                    self.problem(field, "expected a list");
                    return Vec::new();
                };
                match kind {
                    Kind::Subscriptions => vec![self.records_list(kind, value, &items)],
                    Kind::Outages => {
                        let windows = items.iter().filter(|i| !is_source(i)).count();
                        if windows == items.len() {
                            vec![self.records_list(kind, value, &items)]
                        } else if windows == 0 {
                            let mut out = Vec::new();
                            for (i, item) in items.iter().enumerate() {
                                out.extend(self.source_item(kind, format!("{field}[{i}]"), item));
                            }
                            out
                        } else {
                            self.problem(
                                field,
                                "expected a list of windows or a list of sources, found both",
                            );
                            Vec::new()
                        }
                    }
                    Kind::Contracts => {
                        let mut out = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            if is_source(item) {
                                out.extend(self.source_item(kind, format!("{field}[{i}]"), item));
                            } else {
                                out.push(self.records(item));
                            }
                        }
                        out
                    }
                    Kind::Charges | Kind::Map => {
                        self.problem(field, "expected a path or a source object, found a list");
                        Vec::new()
                    }
                }
            }
            _ => {
                self.problem(
                    field,
                    format!(
                        "expected a path, a source object or a list, found {}",
                        value.get()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// A list item that is a source: a path or a source object.
    fn source_item(&mut self, kind: Kind, field: String, value: &RawValue) -> Option<Input> {
        match serde_json::from_str::<String>(value.get()) {
            Ok(path) => Some(Input::from(path.as_str())),
            Err(_) => self.source(kind, field, value),
        }
    }

    /// Records given in the request: read from its text, where they are.
    fn records(&self, value: &RawValue) -> Input {
        Input::text(self.name, Format::Json, self.in_place(value))
    }

    /// A list of records, each record's lines noted.
    fn records_list(&mut self, kind: Kind, value: &RawValue, items: &[&RawValue]) -> Input {
        let spans = items
            .iter()
            .map(|item| {
                let (first, _) = self.position(item);
                let last = first + item.get().bytes().filter(|&b| b == b'\n').count();
                (first, last)
            })
            .collect();
        self.records.push(Records {
            field: kind.field(),
            spans,
        });
        self.records(value)
    }

    /// A source object.
    fn source(&mut self, kind: Kind, field: String, value: &RawValue) -> Option<Input> {
        let source: Source = match serde_json::from_str(value.get()) {
            Ok(s) => s,
            Err(e) => {
                self.problem(&field, without_position(&e));
                return None;
            }
        };
        let format = match source.format.as_deref() {
            None => None,
            Some("csv") => Some(Format::Csv),
            Some("yaml" | "yml") => Some(Format::Yaml),
            Some("json") => Some(Format::Json),
            Some(other) => {
                self.problem(
                    &format!("{field}.format"),
                    format!("expected csv, yaml or json, found {other:?}"),
                );
                return None;
            }
        };
        let input = match (source.path, source.text) {
            (Some(path), None) => Input::from(path.as_str()),
            (None, Some(text)) => {
                let fixed = match kind {
                    Kind::Contracts | Kind::Map => Some(Format::Yaml),
                    Kind::Charges => Some(Format::Csv),
                    Kind::Subscriptions | Kind::Outages => None,
                };
                let Some(format) = format
                    .or(fixed)
                    .or(source.import.as_ref().map(|_| Format::Json))
                else {
                    self.problem(
                        &field,
                        "text needs its format: \"format\": \"csv\", \"yaml\" or \"json\"",
                    );
                    return None;
                };
                let name = source
                    .name
                    .unwrap_or_else(|| format!("{}#{field}", self.name));
                Input::text(name, format, text)
            }
            _ => {
                self.problem(&field, "expected exactly one of \"path\" and \"text\"");
                return None;
            }
        };
        match source.import {
            None => Some(input),
            Some(tool) if kind == Kind::Outages => match import::Format::from_name(&tool) {
                Some(tool) => {
                    self.imports.push((tool, input));
                    None
                }
                None => {
                    let known: Vec<&str> = import::Format::ALL.iter().map(|f| f.name()).collect();
                    self.problem(
                        &format!("{field}.import"),
                        format!("expected one of {}, found {tool:?}", known.join(", ")),
                    );
                    None
                }
            },
            Some(_) => {
                self.problem(&format!("{field}.import"), "only outages are imported");
                None
            }
        }
    }
}

/// Whether `value` is a source (a path, or an object with `path` or `text`), not a record.
fn is_source(value: &RawValue) -> bool {
    value.get().trim_start().starts_with('"') || has_any_key(value, &["path", "text"])
}

/// Whether `value` is an object with one of `keys` (read once, however many are asked for).
fn has_any_key(value: &RawValue, keys: &[&str]) -> bool {
    serde_json::from_str::<BTreeMap<String, &RawValue>>(value.get())
        .is_ok_and(|map| keys.iter().any(|k| map.contains_key(*k)))
}

/// serde_json's message without its own " at line L column C" (the problem carries them).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
