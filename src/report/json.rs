//! JSON for billing systems: schema `slacredit/claims/v1` (SPEC 5). Decimals are strings in
//! their printed forms; keys keep the documented order.

use super::{minutes, money, percent, tool, uptime};
use crate::claim::Claim;
use crate::compute::Claims;
use serde::Serialize;

#[derive(Serialize)]
struct Out<'a> {
    schema: &'static str,
    tool: String,
    inputs: Vec<Input<'a>>,
    claims: Vec<JsonClaim<'a>>,
    totals: Vec<Total>,
}

#[derive(Serialize)]
struct Input<'a> {
    path: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    subscription: &'a str,
    customer: &'a str,
    contract: &'a str,
    period: String,
    period_start: String,
    period_end: String,
    eligible_minutes: String,
    downtime_minutes: String,
    excluded_minutes: String,
    uptime_percent: String,
    commitment_percent: String,
    breached: bool,
    credit_percent: Option<String>,
    basis: String,
    credit: String,
    currency: &'a str,
    capped: bool,
    claim_deadline: Option<String>,
    note: Option<&'a str>,
    next_tier: Option<NextTier>,
    incidents: Vec<Incident<'a>>,
}

#[derive(Serialize)]
struct NextTier {
    credit_percent: String,
    more_downtime_minutes: String,
}

#[derive(Serialize)]
struct Incident<'a> {
    start: String,
    end: String,
    downtime_minutes: String,
    references: &'a [String],
}

#[derive(Serialize)]
struct Total {
    currency: String,
    credit: String,
}

fn claim(c: &Claim) -> JsonClaim<'_> {
    JsonClaim {
        subscription: &c.subscription,
        customer: &c.customer,
        contract: &c.contract,
        period: c.period.to_string(),
        period_start: c.period_start.to_string(),
        period_end: c.period_end.to_string(),
        eligible_minutes: minutes(c.eligible_minutes),
        downtime_minutes: minutes(c.downtime_minutes),
        excluded_minutes: minutes(c.excluded_minutes),
        uptime_percent: uptime(c.uptime_percent),
        commitment_percent: percent(c.commitment_percent),
        breached: c.breached,
        credit_percent: c.credit_percent.map(percent),
        basis: money(c.basis, c.currency),
        credit: money(c.credit, c.currency),
        currency: c.currency.code(),
        capped: c.capped,
        claim_deadline: c.claim_deadline.map(|d| d.to_string()),
        note: c.note.as_deref(),
        next_tier: c.next_tier.map(|n| NextTier {
            credit_percent: percent(n.credit_percent),
            more_downtime_minutes: minutes(n.more_downtime_minutes),
        }),
        incidents: c
            .incidents
            .iter()
            .map(|i| Incident {
                start: i.start.to_string(),
                end: i.end.to_string(),
                downtime_minutes: minutes(i.downtime_minutes),
                references: &i.references,
            })
            .collect(),
    }
}

/// The claims as pretty-printed JSON, ending with a newline.
pub fn render(claims: &Claims) -> String {
    let out = Out {
        schema: "slacredit/claims/v1",
        tool: tool(),
        inputs: claims
            .inputs
            .iter()
            .map(|i| Input {
                path: &i.path,
                sha256: &i.sha256,
            })
            .collect(),
        claims: claims.claims.iter().map(claim).collect(),
        totals: claims
            .totals
            .iter()
            .map(|t| Total {
                currency: t.currency.code().to_owned(),
                credit: money(t.credit, t.currency),
            })
            .collect(),
    };
    // Serialising plain structs of strings cannot fail.
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
