//! Imported windows written as an outage file of SPEC 2.3 (CSV, YAML or JSON), so that
//! `slacredit import` output read back by `claim` gives the same numbers as `--outages
//! FORMAT:FILE`.

use crate::window::Window;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::collections::BTreeSet;

/// The format `slacredit import` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// A header line, then one line per window (the default).
    #[default]
    Csv,
    /// A YAML list of windows.
    Yaml,
    /// A JSON list of windows.
    Json,
}

/// The fields every window has a column for, before its scope labels (in name order): those
/// of SPEC 2.3 but `customers`, which no import sets.
const FIELDS: [&str; 7] = {
    let all = crate::window::WINDOW_FIELDS;
    [all[0], all[1], all[2], all[3], all[4], all[5], all[6]]
};

/// One window's cells: its fields, then its labels.
fn cells(w: &Window, labels: &[String]) -> Vec<(String, Option<String>)> {
    let mut out = vec![
        ("start".to_owned(), Some(w.start().to_string())),
        ("end".to_owned(), Some(w.end().to_string())),
        (
            "impact".to_owned(),
            Some(w.impact().normalize().to_string()),
        ),
        ("cause".to_owned(), w.cause().map(ToString::to_string)),
        (
            "reference".to_owned(),
            w.reference.as_ref().map(ToString::to_string),
        ),
        ("source".to_owned(), w.source().map(ToString::to_string)),
        (
            "announced_at".to_owned(),
            w.announced_at().map(|t| t.to_string()),
        ),
    ];
    for l in labels {
        out.push((l.clone(), w.scope.get(l).map(str::to_owned)));
    }
    out
}

/// Writes `windows` in time order (then end, reference, labels), the same bytes for the same
/// windows whatever order the tool listed them in.
pub fn render(windows: &[Window], format: OutputFormat) -> String {
    let mut sorted: Vec<&Window> = windows.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.start(),
            a.end(),
            &a.reference,
            &a.scope,
            a.cause(),
            a.impact(),
        )
            .cmp(&(
                b.start(),
                b.end(),
                &b.reference,
                &b.scope,
                b.cause(),
                b.impact(),
            ))
    });
    let labels: Vec<String> = sorted
        .iter()
        .flat_map(|w| w.scope.iter().map(|(k, _)| k.to_owned()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rows: Vec<Vec<(String, Option<String>)>> =
        sorted.iter().map(|w| cells(w, &labels)).collect();
    match format {
        OutputFormat::Csv => {
            let mut out = String::new();
            let header: Vec<&str> = FIELDS
                .iter()
                .copied()
                .chain(labels.iter().map(String::as_str))
                .collect();
            out.push_str(
                &header
                    .iter()
                    .map(|h| quote(h))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            for row in &rows {
                let line: Vec<String> = row
                    .iter()
                    .map(|(_, v)| quote(v.as_deref().unwrap_or("")))
                    .collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out
        }
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&Rows(&rows)).unwrap_or_default();
            text.push('\n');
            text
        }
        OutputFormat::Yaml => crate::yaml::to_yaml(&Rows(&rows)),
    }
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// Windows as a list of maps holding only the fields a window has, in column order.
struct Rows<'a>(&'a [Vec<(String, Option<String>)>]);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            seq.serialize_element(&Row(row))?;
        }
        seq.end()
    }
}

struct Row<'a>(&'a [(String, Option<String>)]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let present: Vec<(&String, &String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
        let mut map = s.serialize_map(Some(present.len()))?;
        for (k, v) in present {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
