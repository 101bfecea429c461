//! Reconciliation reports: a summary and one row per discrepancy (table, JSON, CSV).

use super::{money, tool};
use crate::input::InputFile;
use crate::reconcile::{Finding, Reconciliation};
use serde::Serialize;
use std::fmt::Write;

fn amount(m: Option<crate::Money>) -> String {
    m.map(|m| money(m.amount, m.currency)).unwrap_or_default()
}

fn currency(f: &Finding) -> String {
    match (f.computed, f.issued) {
        (Some(c), Some(i)) if c.currency != i.currency => format!("{}/{}", c.currency, i.currency),
        (Some(c), _) => c.currency.to_string(),
        (_, Some(i)) => i.currency.to_string(),
        _ => String::new(),
    }
}

fn difference(f: &Finding) -> String {
    let cur = f.computed.or(f.issued).map(|m| m.currency);
    match (f.difference(), cur) {
        (Some(d), Some(c)) => money(d, c),
        _ => String::new(),
    }
}

fn summary(r: &Reconciliation) -> String {
    if r.reconciles() {
        format!(
            "reconciled: {} computed claims and {} issued credits agree",
            r.claims, r.issued_rows
        )
    } else {
        format!(
            "NOT reconciled: {} discrepancies between {} computed claims and {} issued credits",
            r.findings.len(),
            r.claims,
            r.issued_rows
        )
    }
}

/// A table for people.
pub fn render_table(r: &Reconciliation) -> String {
    let mut out = summary(r) + "\n";
    if r.reconciles() {
        return out;
    }
    let mut rows = vec![[
        "KIND",
        "SUBSCRIPTION",
        "PERIOD",
        "CURRENCY",
        "COMPUTED",
        "ISSUED",
        "ISSUED - COMPUTED",
    ]
    .map(String::from)
    .to_vec()];
    for f in &r.findings {
        rows.push(vec![
            f.kind.name().into(),
            f.subscription.clone(),
            f.period.to_string(),
            currency(f),
            amount(f.computed),
            amount(f.issued),
            difference(f),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| super::pad(c, *w))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out
}

/// CSV: one row per discrepancy.
pub fn render_csv(r: &Reconciliation) -> String {
    let mut out =
        String::from("kind,subscription,period,currency,computed,issued,difference,issued_line\n");
    for f in &r.findings {
        let mut id = Vec::new();
        super::csv::field(&mut id, &f.subscription);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            f.kind.name(),
            super::text(id),
            f.period,
            currency(f),
            amount(f.computed),
            amount(f.issued),
            difference(f),
            f.line.map(|l| l.to_string()).unwrap_or_default()
        );
    }
    out
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    tool: String,
    year: i32,
    inputs: &'a [InputFile],
    reconciled: bool,
    claims: usize,
    issued_rows: usize,
    findings: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    kind: &'static str,
    subscription: String,
    period: String,
    currency: String,
    computed: Option<String>,
    issued: Option<String>,
    difference: Option<String>,
    issued_line: Option<usize>,
}

/// JSON, schema `slacredit/reconcile/v1`.
pub fn render_json(year: i32, files: &[InputFile], r: &Reconciliation) -> String {
    let doc = Doc {
        schema: "slacredit/reconcile/v1",
        tool: tool(),
        year,
        inputs: files,
        reconciled: r.reconciles(),
        claims: r.claims,
        issued_rows: r.issued_rows,
        findings: r
            .findings
            .iter()
            .map(|f| Row {
                kind: f.kind.name(),
                subscription: f.subscription.clone(),
                period: f.period.to_string(),
                currency: currency(f),
                computed: f.computed.map(|m| money(m.amount, m.currency)),
                issued: f.issued.map(|m| money(m.amount, m.currency)),
                difference: Some(difference(f)).filter(|d| !d.is_empty()),
                issued_line: f.line,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
