//! The exposure report (SPEC 2.8): what we owe our customers, what we recover from our
//! providers, the net, per period and currency; and which customers each upstream incident
//! reached. Table, JSON (`slacredit/exposure/v1`), CSV, Markdown for the negotiation, HTML.

use super::html::esc;
use super::json::nested;
use super::{for_reading, money, tool};
use crate::exposure::{Exposure, Reach, Row, Total};
use crate::input::InputFile;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct JsonRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    currency: String,
    owed: String,
    recovered: String,
    net: String,
}

impl JsonRow {
    fn of(r: &Row) -> JsonRow {
        JsonRow {
            period: Some(r.period.to_string()),
            ..JsonRow::total(&Total {
                currency: r.currency,
                owed: r.owed,
                recovered: r.recovered,
                net: r.net,
            })
        }
    }

    fn total(t: &Total) -> JsonRow {
        JsonRow {
            period: None,
            currency: t.currency.code().to_owned(),
            owed: money(t.owed, t.currency),
            recovered: money(t.recovered, t.currency),
            net: money(t.net, t.currency),
        }
    }
}

#[derive(Serialize)]
struct JsonIncident<'a> {
    reference: &'a str,
    start: String,
    end: String,
    customers: Vec<&'a str>,
    owed: Vec<JsonAmount>,
    recovered: Vec<JsonAmount>,
}

#[derive(Serialize)]
struct JsonAmount {
    currency: String,
    amount: String,
}

fn amounts(list: &[Money]) -> Vec<JsonAmount> {
    list.iter()
        .map(|m| JsonAmount {
            currency: m.currency.code().to_owned(),
            amount: money(m.amount, m.currency),
        })
        .collect()
}

impl<'a> JsonIncident<'a> {
    fn of(i: &'a Reach) -> JsonIncident<'a> {
        JsonIncident {
            reference: &i.reference,
            start: i.start.to_string(),
            end: i.end.to_string(),
            customers: i.customers.iter().map(|c| c.as_str()).collect(),
            owed: amounts(&i.owed),
            recovered: amounts(&i.recovered),
        }
    }
}

/// Amounts in words: `780,000 KRW and 300.00 USD`, or `nothing`.
fn in_words(list: &[Money]) -> String {
    let parts: Vec<String> = list
        .iter()
        .filter(|m| !m.amount.is_zero())
        .map(|m| format!("{} {}", for_reading(m.amount, m.currency), m.currency))
        .collect();
    match parts.len() {
        0 => "nothing".to_owned(),
        _ => parts.join(" and "),
    }
}

/// The JSON document, schema `slacredit/exposure/v1`: `inputs` (the dependency file),
/// `exposure` (rows), `totals`, `incidents`, and each side's claims document
/// (`slacredit/claims/v1`) as `upstream` and `downstream`.
pub fn json(e: &Exposure, depends: &InputFile) -> String {
    let rows: Vec<JsonRow> = e.rows.iter().map(JsonRow::of).collect();
    let totals: Vec<JsonRow> = e.totals.iter().map(JsonRow::total).collect();
    let incidents: Vec<JsonIncident<'_>> = e.incidents.iter().map(JsonIncident::of).collect();
    // Each side's document as `claim --format json` prints it, indented one level.
    let side = |claims| super::json::render(claims).trim_end().replace('\n', "\n  ");
    format!(
        "{{\n  \"schema\": \"slacredit/exposure/v1\",\n  \"tool\": {},\n  \"inputs\": {},\n  \"exposure\": {},\n  \"totals\": {},\n  \"incidents\": {},\n  \"upstream\": {},\n  \"downstream\": {}\n}}\n",
        nested(&tool(), 0),
        nested(&[depends], 1),
        nested(&rows, 1),
        nested(&totals, 1),
        nested(&incidents, 1),
        side(&e.upstream),
        side(&e.downstream)
    )
}

/// A row's cells as people read them: period, currency, owed, recovered, net.
fn cells(r: &Row) -> [String; 5] {
    [
        r.period.to_string(),
        r.currency.code().to_owned(),
        for_reading(r.owed, r.currency),
        for_reading(r.recovered, r.currency),
        for_reading(r.net, r.currency),
    ]
}

/// CSV: one line per period and currency, `period,currency,owed,recovered,net`.
pub fn csv(e: &Exposure) -> String {
    let mut out = String::from("period,currency,owed,recovered,net\n");
    for r in &e.rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            r.period,
            r.currency,
            money(r.owed, r.currency),
            money(r.recovered, r.currency),
            money(r.net, r.currency)
        );
    }
    out
}

/// A table for a terminal: the rows, the totals, then each incident with the customers reached.
pub fn table(e: &Exposure) -> String {
    let mut rows: Vec<[String; 5]> = vec![[
        "PERIOD".into(),
        "CURRENCY".into(),
        "OWED".into(),
        "RECOVERED".into(),
        "NET".into(),
    ]];
    rows.extend(e.rows.iter().map(cells));
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| super::pad(c, *w))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if e.rows.is_empty() {
        out.push_str("(no claims on either side in the selected periods)\n");
    }
    for t in &e.totals {
        let _ = writeln!(
            out,
            "total {}: owed {}, recovered {}, net {}",
            t.currency,
            for_reading(t.owed, t.currency),
            for_reading(t.recovered, t.currency),
            for_reading(t.net, t.currency)
        );
    }
    for i in &e.incidents {
        let _ = writeln!(
            out,
            "incident {} {} to {}: {}; owed {}, recovered {}",
            i.reference,
            i.start,
            i.end,
            reached(i),
            in_words(&i.owed),
            in_words(&i.recovered)
        );
    }
    out
}

/// The customers an incident reached, in words.
fn reached(i: &Reach) -> String {
    match i.customers.len() {
        0 => "reached no customer".to_owned(),
        n => format!(
            "reached {n} customer{}: {}",
            if n == 1 { "" } else { "s" },
            i.customers.join(", ")
        ),
    }
}

/// Markdown for the negotiation: per currency what the outage cost us in credits and what the
/// provider owes us, then the rows and the incidents.
pub fn markdown(e: &Exposure, depends: &InputFile) -> String {
    let mut out = String::from("# Net exposure\n\n");
    for t in &e.totals {
        let _ = writeln!(
            out,
            "- **{}:** the outages cost us {} {cur} in credits to our customers; our providers owe us {} {cur}; net {} {cur}.",
            t.currency,
            for_reading(t.owed, t.currency),
            for_reading(t.recovered, t.currency),
            for_reading(t.net, t.currency),
            cur = t.currency
        );
    }
    if e.totals.is_empty() {
        out.push_str("No claims on either side in the selected periods.\n");
    }
    out.push_str("\n## Per period\n\n| period | currency | owed | recovered | net |\n|---|---|---|---|---|\n");
    for r in &e.rows {
        let _ = writeln!(out, "| {} |", cells(r).join(" | "));
    }
    for i in e.incidents.iter().filter(|i| !i.customers.is_empty()) {
        let _ = writeln!(
            out,
            "\nIncident {} ({} to {}) cost us {} in credits to the customers it reached; the provider owes us {} for it.",
            i.reference,
            i.start,
            i.end,
            in_words(&i.owed),
            in_words(&i.recovered)
        );
    }
    out.push_str("\n## Upstream incidents\n\n| reference | from (UTC) | to (UTC) | customers reached |\n|---|---|---|---|\n");
    for i in &e.incidents {
        let customers = if i.customers.is_empty() {
            "—".to_owned()
        } else {
            i.customers.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            i.reference, i.start, i.end, customers
        );
    }
    out.push_str("\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    let files = std::iter::once(depends)
        .chain(&e.upstream.inputs)
        .chain(&e.downstream.inputs);
    for f in files {
        let _ = writeln!(out, "| `{}` | `{}` |", f.path, f.sha256);
    }
    let _ = writeln!(out, "\nPrepared with {}.", tool());
    out
}

/// One HTML page: per currency, owed and recovered as bars side by side for each period, then
/// the numbers.
pub fn html(e: &Exposure) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Net exposure</title>\n<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#1d2430}table{border-collapse:collapse;font-size:.88rem}td,th{border:1px solid #d6dbe3;padding:.25rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}.owed{fill:#b3261e}.recovered{fill:#2e7d32}</style>\n</head>\n<body>\n<h1>Net exposure</h1>\n<p><svg width=\"12\" height=\"12\"><rect class=\"owed\" width=\"12\" height=\"12\"/></svg> owed to our customers <svg width=\"12\" height=\"12\"><rect class=\"recovered\" width=\"12\" height=\"12\"/></svg> recovered from our providers</p>\n");
    for t in &e.totals {
        let rows: Vec<&Row> = e.rows.iter().filter(|r| r.currency == t.currency).collect();
        let top = rows
            .iter()
            .map(|r| r.owed.max(r.recovered))
            .max()
            .unwrap_or(Decimal::ZERO);
        let _ = writeln!(out, "<h2>{}</h2>", t.currency);
        let (bar, gap, height) = (18i64, 14i64, 120i64);
        let width = 60 + (rows.len() as i64) * (2 * bar + gap);
        let _ = writeln!(
            out,
            "<svg width=\"{width}\" height=\"{}\" role=\"img\">",
            height + 24
        );
        for (k, r) in rows.iter().enumerate() {
            let x = 40 + (k as i64) * (2 * bar + gap);
            for (j, (amount, class)) in [(r.owed, "owed"), (r.recovered, "recovered")]
                .into_iter()
                .enumerate()
            {
                let h = if top.is_zero() {
                    Decimal::ZERO
                } else {
                    amount * Decimal::from(height) / top
                };
                let h = h.round_dp(1).normalize();
                let _ = writeln!(
                    out,
                    "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{} {class} {}</title></rect>",
                    x + (j as i64) * bar,
                    (Decimal::from(height) - h).normalize(),
                    r.period,
                    for_reading(amount, r.currency)
                );
            }
            let _ = writeln!(
                out,
                "<text x=\"{x}\" y=\"{}\" font-size=\"10\">{}</text>",
                height + 16,
                r.period
            );
        }
        out.push_str("</svg>\n");
    }
    out.push_str("<table><tr><th>period</th><th>currency</th><th>owed</th><th>recovered</th><th>net</th></tr>\n");
    for r in &e.rows {
        let _ = writeln!(out, "<tr><td>{}</td></tr>", cells(r).join("</td><td>"));
    }
    out.push_str("</table>\n<table><tr><th>upstream incident</th><th>from (UTC)</th><th>to (UTC)</th><th>customers reached</th></tr>\n");
    for i in &e.incidents {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&i.reference),
            i.start,
            i.end,
            esc(&i.customers.join(", "))
        );
    }
    let _ = writeln!(out, "</table>\n<p>{}</p>\n</body>\n</html>", tool());
    out
}
