//! CSV: one row per claim with the JSON's scalar fields, same names, order and printed forms;
//! `next_tier` flattened, `incidents` as a count (SPEC 5).

use super::{push_minutes, push_money, push_percent, push_uptime};
use std::fmt::Write;
use crate::claim::Claim;
use crate::compute::Claims;

/// The header line's columns.
pub const COLUMNS: [&str; 22] = [
    "subscription",
    "customer",
    "contract",
    "period",
    "period_start",
    "period_end",
    "eligible_minutes",
    "downtime_minutes",
    "excluded_minutes",
    "uptime_percent",
    "commitment_percent",
    "breached",
    "credit_percent",
    "basis",
    "credit",
    "currency",
    "capped",
    "claim_deadline",
    "note",
    "next_tier_credit_percent",
    "next_tier_more_downtime_minutes",
    "incidents",
];

/// The claims as CSV with a header, `\n` line ends.
pub fn render(claims: &Claims) -> String {
    header() + &rows(&claims.claims)
}

/// The header line.
pub fn header() -> String {
    COLUMNS.join(",") + "\n"
}

/// One line per claim.
pub fn rows(claims: &[Claim]) -> String {
    let mut out = String::with_capacity(claims.len() * 192);
    for c in claims {
        field(&mut out, &c.subscription);
        field(&mut out, &c.customer);
        field(&mut out, &c.contract);
        let _ = write!(out, "{},{},{},", c.period, c.period_start, c.period_end);
        push_minutes(&mut out, c.eligible_minutes);
        out.push(',');
        push_minutes(&mut out, c.downtime_minutes);
        out.push(',');
        push_minutes(&mut out, c.excluded_minutes);
        out.push(',');
        push_uptime(&mut out, c.uptime_percent);
        out.push(',');
        push_percent(&mut out, c.commitment_percent);
        let _ = write!(out, ",{},", c.breached);
        if let Some(p) = c.credit_percent {
            push_percent(&mut out, p);
        }
        out.push(',');
        push_money(&mut out, c.basis, c.currency);
        out.push(',');
        push_money(&mut out, c.credit, c.currency);
        let _ = write!(out, ",{},{},", c.currency, c.capped);
        if let Some(d) = c.claim_deadline {
            let _ = write!(out, "{d}");
        }
        out.push(',');
        field(&mut out, c.note.as_deref().unwrap_or(""));
        if let Some(n) = c.next_tier {
            push_percent(&mut out, n.credit_percent);
            out.push(',');
            push_minutes(&mut out, n.more_downtime_minutes);
        } else {
            out.push(',');
        }
        let _ = writeln!(out, ",{}", c.incidents.len());
    }
    out
}

/// Appends a text field and a comma, quoted as RFC 4180 wants when it holds a comma, a quote or a
/// line break.
fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
    out.push(',');
}
