//! The map file of an import (SPEC 2.5): which scope labels an item stands for.

use crate::error::{Error, Problem, Problems};
use crate::money::parse_decimal;
use crate::yaml::{Located, Seg};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What to do with a component, product or monitor the map's `names` lacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unmapped {
    /// The import fails, listing every unmapped name (the default).
    #[default]
    Error,
    /// Its items are left out and counted.
    Skip,
}

/// A validated map file.
///
/// ```yaml
/// labels: { service: ec2 }
/// names:
///   "Amazon Elastic Compute Cloud (Seoul)": { service: ec2, region: ap-northeast-2 }
/// copy: { region: region, zone: availabilityZone }
/// match: { alertname: ProbeFailure }
/// impact: { partial_outage: 0.3 }
/// unmapped: error
/// ```
#[derive(Debug, Clone, Default)]
pub struct Map {
    pub(super) file: String,
    pub(super) text: Option<String>,
    /// Added to every window.
    pub(super) labels: BTreeMap<String, String>,
    /// A component, product, monitor (name or id) or AWS service -> labels.
    pub(super) names: BTreeMap<String, BTreeMap<String, String>>,
    /// Label <- the item's own label or field; `None`: the format's default.
    pub(super) copy: Option<BTreeMap<String, String>>,
    /// Only items whose labels have these values (alertmanager, prometheus).
    pub(super) matches: BTreeMap<String, String>,
    /// Overrides of the impacts of SPEC 2.5's table.
    pub(super) impact: BTreeMap<String, Decimal>,
    pub(super) unmapped: Unmapped,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    labels: Option<BTreeMap<String, String>>,
    names: Option<BTreeMap<String, Option<BTreeMap<String, String>>>>,
    copy: Option<BTreeMap<String, String>>,
    #[serde(rename = "match")]
    matches: Option<BTreeMap<String, String>>,
    impact: Option<BTreeMap<String, String>>,
    unmapped: Option<String>,
}

impl Map {
    /// Reads and validates a map file.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem, located: unknown keys, impacts outside 0 to 1,
    /// empty labels, an `unmapped` other than `error` or `skip`.
    pub fn from_yaml(file: &str, text: &str) -> Result<Map, Error> {
        let doc = Located::<RawMap>::parse(file, text).map_err(Error::Invalid)?;
        let raw = &doc.value;
        let mut problems = Problems::new();
        let mut fail = |path: &[Seg<'_>], field: &str, message: String| {
            problems.push(
                Problem::new(file, message)
                    .at(doc.line_of(path))
                    .field(field),
            );
        };
        let labels = raw.labels.clone().unwrap_or_default();
        for m in label_problems(&labels) {
            fail(&[Seg::Key("labels")], "labels", m);
        }
        let mut names = BTreeMap::new();
        for (name, l) in raw.names.iter().flatten() {
            let l = l.clone().unwrap_or_default();
            let path = [Seg::Key("names"), Seg::Key(name)];
            if l.is_empty() {
                fail(
                    &path,
                    "names",
                    format!("`{name}` maps to no labels; give it its scope labels"),
                );
            }
            for m in label_problems(&l) {
                fail(&path, "names", m);
            }
            names.insert(name.clone(), l);
        }
        let copy = raw.copy.clone();
        if let Some(c) = &copy {
            for (label, from) in c {
                if label.trim().is_empty() || from.trim().is_empty() {
                    fail(
                        &[Seg::Key("copy")],
                        "copy",
                        format!(
                            "copy `{label}` <- `{from}`: expected a label name and a field name"
                        ),
                    );
                }
            }
        }
        let matches = raw.matches.clone().unwrap_or_default();
        let mut impact = BTreeMap::new();
        for (name, text) in raw.impact.iter().flatten() {
            let path = [Seg::Key("impact"), Seg::Key(name)];
            match parse_decimal(text) {
                Ok(v) if v >= Decimal::ZERO && v <= Decimal::ONE => {
                    impact.insert(name.clone(), v);
                }
                Ok(v) => fail(
                    &path,
                    "impact",
                    format!("`{name}`: expected an impact from 0 to 1, found {v}"),
                ),
                Err(e) => fail(&path, "impact", format!("`{name}`: {e}")),
            }
        }
        let unmapped = match raw.unmapped.as_deref() {
            None | Some("error") => Unmapped::Error,
            Some("skip") => Unmapped::Skip,
            Some(other) => {
                fail(
                    &[Seg::Key("unmapped")],
                    "unmapped",
                    format!("expected `error` or `skip`, found {other:?}"),
                );
                Unmapped::Error
            }
        };
        let map = Map {
            file: file.to_owned(),
            text: Some(text.to_owned()),
            labels,
            names,
            copy,
            matches,
            impact,
            unmapped,
        };
        problems.into_result(map)
    }
}

/// What is wrong with labels a map gives: empty names or values, control characters.
fn label_problems(labels: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in labels {
        if k.trim().is_empty() || v.trim().is_empty() {
            out.push(format!("label `{k}` is empty; a label never becomes empty"));
        } else if let Some(c) = crate::input::control_character(&format!("{k}{v}")) {
            out.push(format!("label `{k}` holds {c}"));
        }
    }
    out
}

impl Map {
    /// The file the map came from (`--map`), for messages.
    pub(super) fn file(&self) -> &str {
        if self.file.is_empty() {
            "--map"
        } else {
            &self.file
        }
    }

    /// The file the map came from, for messages (`--map` for a map built in code).
    pub(crate) fn file_name(&self) -> &str {
        self.file()
    }

    /// The line of an impact override, for messages.
    pub(super) fn line_of_impact(&self, name: &str) -> Option<usize> {
        let text = self.text.as_deref()?;
        crate::yaml::line_in(text, &[Seg::Key("impact"), Seg::Key(name)])
    }

    /// The label names the map can give a window (its `labels`, `names` and `copy`), each with
    /// the line that names it: a label no contract or subscription uses is a typo (SPEC 2.6).
    pub fn label_names(&self) -> Vec<(String, Option<usize>)> {
        let text = self.text.as_deref().unwrap_or("");
        let mut out: BTreeMap<String, Option<usize>> = BTreeMap::new();
        for k in self.labels.keys() {
            out.entry(k.clone())
                .or_insert_with(|| crate::yaml::line_in(text, &[Seg::Key("labels"), Seg::Key(k)]));
        }
        for (name, labels) in &self.names {
            for k in labels.keys() {
                out.entry(k.clone()).or_insert_with(|| {
                    crate::yaml::line_in(text, &[Seg::Key("names"), Seg::Key(name)])
                });
            }
        }
        for k in self.copy.iter().flatten().map(|(k, _)| k) {
            out.entry(k.clone())
                .or_insert_with(|| crate::yaml::line_in(text, &[Seg::Key("copy"), Seg::Key(k)]));
        }
        out.into_iter().collect()
    }
}
