//! What must be claimed soon (`slacredit deadlines`): a table by customer, or JSON
//! (`slacredit/deadlines/v1`).

use super::{for_reading, money, tool};
use crate::deadlines::Due;
use crate::input::InputFile;
use chrono::NaiveDate;
use serde::Serialize;

/// The days due, by customer, each customer's in date order.
pub fn render_table(as_of: NaiveDate, within: Option<u32>, due: &[Due]) -> String {
    let horizon = within
        .map(|d| format!(" to {d} days after"))
        .unwrap_or_default();
    let mut out = format!("Claims due from {as_of}{horizon}\n");
    if due.is_empty() {
        out.push_str("\nNothing is due: no claim owing a credit has its last day then.\n");
        return out;
    }
    let header = [
        "DEADLINE",
        "DAYS LEFT",
        "SUBSCRIPTION",
        "PERIOD",
        "CREDIT",
        "CUR",
        "INCIDENTS",
    ];
    let row = |d: &Due| {
        vec![
            d.deadline.to_string(),
            d.days_left.to_string(),
            d.subscription.to_string(),
            d.period.to_string(),
            for_reading(d.credit, d.currency),
            d.currency.code().to_owned(),
            incidents(&d.incidents),
        ]
    };
    // `due` comes sorted by customer: each run of one customer is a table.
    let groups: Vec<(&str, Vec<Vec<String>>)> = due
        .chunk_by(|a, b| a.customer == b.customer)
        .map(|run| (run[0].customer.as_str(), run.iter().map(row).collect()))
        .collect();
    // One set of widths for the whole report, so the customers' tables line up.
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            let cells = groups
                .iter()
                .flat_map(|(_, r)| r.iter().map(move |r| &r[i]));
            cells
                .map(|c| c.chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| super::pad(c, *w))
            .collect();
        format!("  {}\n", padded.join("  ").trim_end())
    };
    for (name, rows) in &groups {
        out.push_str(&format!("\n{name}\n"));
        out.push_str(&line(&header.map(str::to_owned)));
        for r in rows {
            out.push_str(&line(r));
        }
    }
    out
}

fn incidents(list: &[usize]) -> String {
    if list.is_empty() {
        return "-".to_owned();
    }
    let names: Vec<String> = list.iter().map(|i| format!("#{i}")).collect();
    names.join(" ")
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    tool: String,
    as_of: String,
    within_days: Option<u32>,
    inputs: &'a [InputFile],
    due: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    customer: String,
    subscription: String,
    period: String,
    deadline: String,
    days_left: i64,
    credit: String,
    currency: String,
    incidents: Vec<usize>,
}

/// JSON, schema `slacredit/deadlines/v1`: `due` sorted by customer, deadline, subscription and
/// period; `incidents` are positions (from 1) in the claim's `incidents`.
pub fn render_json(
    as_of: NaiveDate,
    within: Option<u32>,
    files: &[InputFile],
    due: &[Due],
) -> String {
    let doc = Doc {
        schema: "slacredit/deadlines/v1",
        tool: tool(),
        as_of: as_of.to_string(),
        within_days: within,
        inputs: files,
        due: due
            .iter()
            .map(|d| Row {
                customer: d.customer.to_string(),
                subscription: d.subscription.to_string(),
                period: d.period.to_string(),
                deadline: d.deadline.to_string(),
                days_left: d.days_left,
                credit: money(d.credit, d.currency),
                currency: d.currency.code().to_owned(),
                incidents: d.incidents.clone(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
