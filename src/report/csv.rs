//! CSV: one row per claim with the JSON's scalar fields, same names, order and printed forms;
//! `next_tier` flattened, `incidents` as a count (SPEC 5).

use super::{minutes, money, percent, uptime};
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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for c in claims {
        let row = [
            c.subscription.to_string(),
            c.customer.to_string(),
            c.contract.to_string(),
            c.period.to_string(),
            c.period_start.to_string(),
            c.period_end.to_string(),
            minutes(c.eligible_minutes),
            minutes(c.downtime_minutes),
            minutes(c.excluded_minutes),
            uptime(c.uptime_percent),
            percent(c.commitment_percent),
            c.breached.to_string(),
            c.credit_percent.map(percent).unwrap_or_default(),
            money(c.basis, c.currency),
            money(c.credit, c.currency),
            c.currency.code().to_owned(),
            c.capped.to_string(),
            c.claim_deadline.map(|d| d.to_string()).unwrap_or_default(),
            c.note.clone().unwrap_or_default(),
            c.next_tier
                .map(|n| percent(n.credit_percent))
                .unwrap_or_default(),
            c.next_tier
                .map(|n| minutes(n.more_downtime_minutes))
                .unwrap_or_default(),
            c.incidents.len().to_string(),
        ];
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
