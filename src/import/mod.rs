//! Imports (SPEC 2.5): outage data from the tools people already have — a status page, an
//! alerting system, a probe's time series, a provider's health API — turned into [`Window`]s.
//!
//! Each format is one module and one pure function from the parsed document (serde types of
//! the tool's documented shape) to windows plus problems. What they share lives here: the map
//! file ([`Map`]) that says which scope labels an item's component, product, monitor or labels
//! stand for, the options of the command line ([`Options`]), and the rules every format follows:
//! an open item is an error unless `--open-until` closes it, a window of impact 0 is not
//! written, a label never becomes empty, and every problem is located (file, item, field) and
//! listed at once. Imports never guess.
//!
//! ```
//! use slacredit::import::{import, Format, Options};
//! let page = r#"{"incidents": [{
//!     "id": "p8bzd1x2wtj5", "name": "DNS resolution failures", "impact": "major",
//!     "created_at": "2018-11-22T08:25:00.000+09:00",
//!     "started_at": "2018-11-22T08:19:00.000+09:00",
//!     "resolved_at": "2018-11-22T09:43:00.000+09:00",
//!     "components": [{ "id": "kdj4v2", "name": "EC2 (Seoul)" }],
//!     "incident_updates": []
//! }]}"#;
//! let map = slacredit::import::Map::from_yaml("map.yaml", r#"
//! names:
//!   "EC2 (Seoul)": { service: ec2, region: ap-northeast-2 }
//! "#)?;
//! let options = Options { map, ..Options::default() };
//! let imported = import(Format::Statuspage, "incidents.json", page, &options)?;
//! let w = &imported.windows[0];
//! assert_eq!(w.start().to_string(), "2018-11-21T23:19:00Z");
//! assert_eq!(w.end().to_string(), "2018-11-22T00:43:00Z");
//! assert_eq!(w.scope.get("region"), Some("ap-northeast-2"));
//! assert_eq!(w.reference.as_deref(), Some("p8bzd1x2wtj5"));
//! assert_eq!(w.source().map(|s| s.as_str()), Some("statuspage"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod alertmanager;
mod aws_health;
mod doc;
mod gcp_status;
mod map;
mod pingdom;
mod prometheus;
mod statuspage;
mod uptimerobot;
mod write;

pub use map::{Map, Unmapped};
pub use write::{render, OutputFormat};

use crate::error::{Error, Problem, Problems};
use crate::time::Instant;
use crate::window::Window;
use chrono_tz::Tz;
use doc::{At, Time};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The tools whose outage data can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Atlassian Statuspage API v2: `incidents.json`, `scheduled_maintenances.json`.
    Statuspage,
    /// Prometheus Alertmanager: webhook payloads or the `/api/v2/alerts` list.
    Alertmanager,
    /// Prometheus: a range query response of a success series (`probe_success`, `up`).
    Prometheus,
    /// AWS Health: `DescribeEvents` responses.
    AwsHealth,
    /// Google Cloud status page: `incidents.json`.
    GcpStatus,
    /// UptimeRobot: `getMonitors` responses with `logs=1`.
    Uptimerobot,
    /// Pingdom: `summary.outage` responses.
    Pingdom,
}

impl Format {
    /// Every format, in the order of SPEC 2.5.
    pub const ALL: [Format; 7] = [
        Format::Statuspage,
        Format::Alertmanager,
        Format::Prometheus,
        Format::AwsHealth,
        Format::GcpStatus,
        Format::Uptimerobot,
        Format::Pingdom,
    ];

    /// The name on the command line (`aws-health`), also the windows' default `source`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Statuspage => "statuspage",
            Format::Alertmanager => "alertmanager",
            Format::Prometheus => "prometheus",
            Format::AwsHealth => "aws-health",
            Format::GcpStatus => "gcp-status",
            Format::Uptimerobot => "uptimerobot",
            Format::Pingdom => "pingdom",
        }
    }

    /// What the tool's files are, in a line (for a command line's help).
    pub fn about(self) -> &'static str {
        match self {
            Format::Statuspage => {
                "Atlassian Statuspage API v2: `incidents.json`, `scheduled_maintenances.json`"
            }
            Format::Alertmanager => {
                "Prometheus Alertmanager: webhook payloads or the `/api/v2/alerts` list"
            }
            Format::Prometheus => {
                "Prometheus: a range query response of a success series (`probe_success`, `up`)"
            }
            Format::AwsHealth => "AWS Health: `DescribeEvents` responses",
            Format::GcpStatus => "Google Cloud status page: `incidents.json`",
            Format::Uptimerobot => "UptimeRobot: `getMonitors` responses with `logs=1`",
            Format::Pingdom => "Pingdom: `summary.outage` responses",
        }
    }

    /// The format of a name, exactly as [`Format::name`] prints it.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The names of impacts the map's `impact:` may override, with their values in SPEC 2.5's
    /// table.
    fn impacts(self) -> &'static [(&'static str, Decimal)] {
        const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
        match self {
            Format::Statuspage => &[
                ("major_outage", Decimal::ONE),
                ("partial_outage", HALF),
                ("degraded_performance", Decimal::ZERO),
                ("critical", Decimal::ONE),
                ("major", Decimal::ONE),
                ("minor", HALF),
                ("none", Decimal::ZERO),
            ],
            Format::GcpStatus => &[
                ("SERVICE_OUTAGE", Decimal::ONE),
                ("SERVICE_DISRUPTION", HALF),
                ("SERVICE_INFORMATION", Decimal::ZERO),
            ],
            _ => &[],
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How to import: the map file and the command line's `--label`, `--open-until`, `--source`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which scope labels items stand for.
    pub map: Map,
    /// Labels added to every window (`--label NAME=VALUE`), after the map's `labels`.
    pub labels: Vec<(String, String)>,
    /// Where open items are closed; without it an open item is an error.
    pub open_until: Option<Instant>,
    /// The windows' `source`; the format's name when `None`.
    pub source: Option<String>,
    /// The zone of times written without an offset (`--input-timezone`); without it they are
    /// errors, as in outage files.
    pub zone: Option<Tz>,
}

/// What an import found.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The windows, in the order of the items they came from.
    pub windows: Vec<Window>,
    /// Where each window came from (`incidents[2]`), by position in `windows`.
    pub items: Vec<String>,
    /// Names left out with `unmapped: skip`, with how many windows each would have made.
    pub skipped: BTreeMap<String, usize>,
    /// Items that make no window for a reason worth telling (an incident naming no component).
    pub notes: Vec<String>,
}

impl Imported {
    /// What the import of `file` left out, one line each, as the command tells it after
    /// `note: `: items that made no window, and the windows of names `unmapped: skip` left out.
    pub fn told(&self, file: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .notes
            .iter()
            .map(|note| format!("{file}: {note}; no window"))
            .collect();
        if !self.skipped.is_empty() {
            let n: usize = self.skipped.values().sum();
            let names: Vec<String> = self.skipped.keys().map(|k| format!("{k:?}")).collect();
            out.push(format!(
                "{file}: left out {n} window{} of names the map lacks (unmapped: skip): {}",
                if n == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        out
    }
}

/// Imports the document `text` (the contents of `file`, named in messages) of `format`.
///
/// # Errors
/// [`Error::Invalid`] with every problem found: the document's syntax, items of the wrong
/// shape, unparsable times, ends before starts, open items, unmapped names, labels that would be
/// empty; each with the file, the item (index and id) and the field.
pub fn import(
    format: Format,
    file: &str,
    text: &str,
    options: &Options,
) -> Result<Imported, Error> {
    let value = doc::parse(file, text)?;
    let mut ctx = Ctx::new(format, file, options);
    ctx.check_impacts();
    match format {
        Format::Statuspage => statuspage::import(&value, &mut ctx),
        Format::Alertmanager => alertmanager::import(&value, &mut ctx),
        Format::Prometheus => prometheus::import(&value, &mut ctx),
        Format::AwsHealth => aws_health::import(&value, &mut ctx),
        Format::GcpStatus => gcp_status::import(&value, &mut ctx),
        Format::Uptimerobot => uptimerobot::import(&value, &mut ctx),
        Format::Pingdom => pingdom::import(&value, &mut ctx),
    }
    ctx.finish()
}

/// One window before it is checked: what a format read off an item.
struct Draft<'a> {
    at: &'a At,
    start: Option<Instant>,
    /// `None`: the item is still open.
    end: Option<Instant>,
    /// The item's field the end came from, for messages.
    end_field: &'a str,
    impact: Decimal,
    maintenance: bool,
    announced_at: Option<Instant>,
    reference: Option<&'a str>,
    /// Labels of the item itself (its component's names entry, copied fields).
    labels: Vec<(String, String)>,
}

/// What every format shares while it imports one file.
struct Ctx<'o> {
    format: Format,
    file: &'o str,
    options: &'o Options,
    problems: Problems,
    out: Imported,
    /// Names met that the map lacks, each with the first item that named it.
    unmapped: BTreeMap<String, String>,
}

impl<'o> Ctx<'o> {
    fn new(format: Format, file: &'o str, options: &'o Options) -> Ctx<'o> {
        Ctx {
            format,
            file,
            options,
            problems: Problems::new(),
            out: Imported::default(),
            unmapped: BTreeMap::new(),
        }
    }

    /// Records a problem of item `at`'s `field`.
    fn fail(&mut self, at: &At, field: &str, message: impl std::fmt::Display) {
        self.problems.push(at.problem(self.file, field, message));
    }

    /// A problem of the whole document.
    fn fail_doc(&mut self, message: impl Into<String>) {
        self.problems.push(Problem::new(self.file, message));
    }

    /// A response that is not of the tool's shape: `expected` says what it should be.
    fn not_a_response(&mut self, prefix: &str, expected: &str, found: &serde_json::Value) {
        let at = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}: ")
        };
        self.fail_doc(format!(
            "{at}expected {expected}, found {}",
            doc::kind(found)
        ));
    }

    /// Each item of the list at `key` of `response` (`prefix` is where the response is; an
    /// empty `key`: the response is the list), typed as `T`, with where it is (`what` it is and
    /// the field holding its id); an item of the wrong shape is a problem and the others go on.
    fn each_item<T: serde::de::DeserializeOwned>(
        &mut self,
        response: &serde_json::Value,
        prefix: &str,
        (key, what, id_key): (&str, &'static str, &str),
        mut each: impl FnMut(&mut Ctx<'o>, &At, T, &serde_json::Value),
    ) {
        let (list, at_list) = if key.is_empty() {
            match response {
                serde_json::Value::Array(items) => (items.as_slice(), prefix.to_owned()),
                other => {
                    self.not_a_response(prefix, "a list", other);
                    return;
                }
            }
        } else {
            let mut problems = Vec::new();
            let list = doc::list(response, key, prefix, &mut problems, self.file);
            self.problems.0.extend(problems);
            (list, doc::join(prefix, key))
        };
        for (i, item) in list.iter().enumerate() {
            let at = At::new(format!("{at_list}[{i}]"), what, item, id_key);
            match doc::item::<T>(self.file, &at, item) {
                Ok(typed) => each(self, &at, typed, item),
                Err(p) => self.problems.push(p),
            }
        }
    }

    /// The instant of an item's time field, or a problem.
    fn time(&mut self, at: &At, field: &str, time: &Time) -> Option<Instant> {
        match time.instant(self.options.zone) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(at, field, e);
                None
            }
        }
    }

    /// A required time field, or a problem saying it is missing.
    fn required_time(&mut self, at: &At, field: &str, time: Option<&Time>) -> Option<Instant> {
        match time {
            Some(t) => self.time(at, field, t),
            None => {
                self.fail(at, field, "expected a time; the field is missing");
                None
            }
        }
    }

    /// The impact of `name` in this format's table, as the map may override it.
    fn impact(&self, name: &str) -> Option<Decimal> {
        if let Some(v) = self.options.map.impact.get(name) {
            return Some(*v);
        }
        self.format
            .impacts()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The map's impact overrides must each name an impact of some format: a misspelled one
    /// would otherwise change nothing, silently.
    fn check_impacts(&mut self) {
        let known: Vec<&str> = Format::ALL
            .iter()
            .flat_map(|f| f.impacts().iter().map(|(n, _)| *n))
            .collect();
        for name in self.options.map.impact.keys() {
            if !known.contains(&name.as_str()) {
                let file = self.options.map.file().to_owned();
                self.problems.push(
                    Problem::new(
                        file,
                        format!(
                            "unknown impact `{name}`; expected one of {}",
                            known.join(", ")
                        ),
                    )
                    .at(self.options.map.line_of_impact(name))
                    .field("impact"),
                );
            }
        }
    }

    /// The labels `names` gives a component, product, monitor or service known by any of
    /// `keys` (its name, then its id). `None` when it is unmapped: then it is listed as an
    /// error, or with `unmapped: skip` counted as left out (`required`: the format needs every
    /// name mapped; otherwise an unmapped name just adds no labels).
    fn named(&mut self, at: &At, keys: &[&str], required: bool) -> Option<Vec<(String, String)>> {
        for key in keys {
            if let Some(labels) = self.options.map.names.get(*key) {
                return Some(labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
            }
        }
        if !required {
            return Some(Vec::new());
        }
        let name = keys.first().copied().unwrap_or("").to_owned();
        match self.options.map.unmapped {
            Unmapped::Error => {
                self.unmapped.entry(name).or_insert_with(|| at.describe());
            }
            Unmapped::Skip => *self.out.skipped.entry(name).or_insert(0) += 1,
        }
        None
    }

    /// Labels copied from an item (`get` reads its own label or field by name): the map's
    /// `copy`, or `default` when the map has none (a default copy of a field the item lacks sets
    /// no label; a copy the map asks for is an error when the item lacks it).
    fn copied(
        &mut self,
        at: &At,
        default: &[(&str, &str)],
        get: impl Fn(&str) -> Option<String>,
    ) -> Option<Vec<(String, String)>> {
        let mut labels = Vec::new();
        let mut ok = true;
        match &self.options.map.copy {
            Some(copy) => {
                for (label, from) in copy {
                    match get(from).filter(|v| !v.trim().is_empty()) {
                        Some(v) => labels.push((label.clone(), v)),
                        None => {
                            let message = format!(
                                "the map copies `{from}` into label `{label}`, but the item has no `{from}`"
                            );
                            self.fail(at, from, message);
                            ok = false;
                        }
                    }
                }
            }
            None => {
                for (label, from) in default {
                    if let Some(v) = get(from).filter(|v| !v.trim().is_empty()) {
                        labels.push(((*label).to_owned(), v));
                    }
                }
            }
        }
        ok.then_some(labels)
    }

    /// Whether an item's labels match the map's `match`.
    fn matches(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        self.options
            .map
            .matches
            .iter()
            .all(|(k, v)| get(k).as_deref() == Some(v.as_str()))
    }

    /// Checks a draft and keeps its window.
    fn window(&mut self, draft: Draft<'_>) {
        let at = draft.at;
        if draft.impact.is_zero() {
            return;
        }
        let Some(start) = draft.start else { return };
        let end = match (draft.end, self.options.open_until) {
            (Some(end), _) => end,
            (None, Some(until)) => until,
            (None, None) => {
                let message = format!(
                    "{} is still open (it has no end); close open items with --open-until TIME",
                    at.who()
                );
                self.problems.push(at.problem(self.file, "", message));
                return;
            }
        };
        let mut window = match Window::new(start, end) {
            Ok(w) => w,
            Err(e) => {
                let field = if draft.end.is_some() {
                    draft.end_field
                } else {
                    "--open-until"
                };
                self.fail(at, field, e);
                return;
            }
        };
        if draft.impact != Decimal::ONE {
            match window.with_impact(draft.impact) {
                Ok(w) => window = w,
                Err(e) => {
                    self.fail(at, "impact", e);
                    return;
                }
            }
        }
        if draft.maintenance {
            window = window.with_cause("maintenance");
        }
        if let Some(a) = draft.announced_at {
            window = window.with_announced_at(a);
        }
        if let Some(r) = draft.reference.filter(|r| !r.is_empty()) {
            window = window.with_reference(r);
        }
        window = window.with_source(self.options.source.as_deref().unwrap_or(self.format.name()));
        // The map's labels, then the command line's, then the item's own: the command line may
        // override the map's shared labels; an item's own label that contradicts a shared one
        // is an error, since either could be the typo.
        let mut labels: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for (k, v) in &self.options.map.labels {
            labels.insert(k, (v, "the map's labels"));
        }
        for (k, v) in &self.options.labels {
            labels.insert(k, (v, "--label"));
        }
        let mut ok = true;
        for (k, v) in &draft.labels {
            match labels.get(k.as_str()) {
                Some((other, from)) if other != v => {
                    let message =
                        format!("label `{k}` is `{v}` for this item but `{other}` in {from}");
                    self.problems.push(at.problem(self.file, k, message));
                    ok = false;
                }
                _ => {
                    labels.insert(k, (v, "the item's other labels"));
                }
            }
        }
        if !ok {
            return;
        }
        for (k, (v, _)) in labels {
            window = window.with_scope(k, v.trim());
        }
        self.out.windows.push(window);
        self.out.items.push(at.describe_path());
    }

    fn finish(mut self) -> Result<Imported, Error> {
        if !self.unmapped.is_empty() {
            let what = match self.format {
                Format::GcpStatus => "products",
                Format::Uptimerobot => "monitors",
                _ => "components",
            };
            let list: Vec<String> = self
                .unmapped
                .iter()
                .map(|(name, first)| format!("{name:?} (first in {first})"))
                .collect();
            self.problems.push(Problem::new(
                self.file,
                format!(
                    "{what} not in the map's `names`: {}; map each to its scope labels, or set `unmapped: skip`",
                    list.join(", ")
                ),
            ));
        }
        self.problems.into_result(self.out)
    }
}
