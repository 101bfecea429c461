//! A claim's JSON wire format, `slacredit/claims/v1` (SPEC 5): the object each element of
//! `claims` is, and each row of the audit starts with. Decimals are strings in their printed
//! forms; keys keep the documented order.

use super::Claim;
use crate::printed::{minutes, money, percent, uptime};
use crate::subscription::Attributes;
use serde::{Serialize, Serializer};
use smol_str::SmolStr;

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
    /// Only under earn-back contracts (SPEC 2.7): null when the credit is 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    earn_back: Option<Option<EarnBack>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_before_earn_back: Option<String>,
    claim_deadline: Option<String>,
    note: Option<&'a str>,
    next_tier: Option<NextTier>,
    incidents: Vec<Incident<'a>>,
    /// Only where the subscription has some: SPEC 5's object is unchanged without.
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
}

#[derive(Serialize)]
struct EarnBack {
    status: &'static str,
    decided_in: Option<String>,
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
    references: &'a [SmolStr],
    deadline: Option<String>,
}

/// A claim serialises as its object in `slacredit/claims/v1`: what a billing system reads.
impl Serialize for Claim {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self;
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
            earn_back: c.credit_before_earn_back.map(|_| {
                c.earn_back.map(|e| EarnBack {
                    status: e.status.name(),
                    decided_in: e.decided_in.map(|p| p.to_string()),
                })
            }),
            credit_before_earn_back: c.credit_before_earn_back.map(|b| money(b, c.currency)),
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
                    references: &i.references[..],
                    deadline: i.deadline.map(|d| d.to_string()),
                })
                .collect(),
            attributes: &c.attributes,
        }
        .serialize(serializer)
    }
}
