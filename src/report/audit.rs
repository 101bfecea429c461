//! The yearly audit: every subscription and period of the year, totals per currency and per
//! contract, and the fingerprints of the inputs. JSON schema `slacredit/audit/v1`: the claims'
//! fields as in `slacredit/claims/v1`, each row with `credit_before_caps` and
//! `annual_cap_remaining`, then `totals` and `totals_by_contract`. JSON and CSV are rendered
//! chunk by chunk, so a provider's whole year streams.

use super::json;
use super::{for_reading, minutes, money, percent, tool, uptime};
use crate::claim::Claim;
use crate::claim::{Claims, Total};
use crate::contract::Contract;
use crate::input::InputFile;
use crate::money::{Currency, Money};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One contract's totals in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractTotal {
    /// Contract id.
    pub contract: String,
    /// Currency.
    pub currency: Currency,
    /// Subscription-periods audited.
    pub periods: usize,
    /// Of which breached.
    pub breached: usize,
    /// Of which a cap lowered the credit.
    pub capped: usize,
    /// Credits.
    pub credit: Decimal,
}

/// Totals per contract and currency, keyed for merging chunk by chunk.
pub type ContractTotals = BTreeMap<(String, String), ContractTotal>;

/// Adds `claims` to `totals`.
pub fn add_to(totals: &mut ContractTotals, claims: &[Claim]) {
    for c in claims {
        let t = totals
            .entry((c.contract.to_string(), c.currency.code().to_owned()))
            .or_insert_with(|| ContractTotal {
                contract: c.contract.to_string(),
                currency: c.currency,
                periods: 0,
                breached: 0,
                capped: 0,
                credit: c.currency.zero(),
            });
        t.periods += 1;
        t.breached += usize::from(c.breached);
        t.capped += usize::from(c.capped);
        t.credit = add(t.credit, c.credit, c.currency);
    }
}

/// `a` plus `b`, both in `currency` (totals are kept per currency).
fn add(a: Decimal, b: Decimal, currency: Currency) -> Decimal {
    let sum = Money::new(a, currency).checked_add(Money::new(b, currency));
    sum.map_or(a, |m| m.amount)
}

/// Merges partial totals.
pub fn merge(into: &mut ContractTotals, part: ContractTotals) {
    for (k, t) in part {
        match into.get_mut(&k) {
            Some(x) => {
                x.periods += t.periods;
                x.breached += t.breached;
                x.capped += t.capped;
                x.credit = add(x.credit, t.credit, t.currency);
            }
            None => {
                into.insert(k, t);
            }
        }
    }
}

/// The credit before any cap or minimum, rounded half-up to the minor unit: what the model
/// alone gives, so the audit shows what caps took away.
fn uncapped(c: &Claim) -> String {
    money(c.steps.model_amount, c.currency)
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    claim: &'a Claim,
    credit_before_caps: String,
    annual_cap_remaining: Option<String>,
}

/// The JSON document up to the opening of `rows`.
pub fn json_header(year: i32, files: &[InputFile]) -> String {
    json::header_with("slacredit/audit/v1", Some(year), files, "rows")
}

/// Rows as JSON array elements.
pub fn json_rows(claims: &[Claim]) -> String {
    json::elements(claims.iter().map(|c| Row {
        claim: c,
        credit_before_caps: uncapped(c),
        annual_cap_remaining: c.steps.annual_cap_remaining.map(|r| money(r, c.currency)),
    }))
}

#[derive(Serialize)]
struct CurrencyTotal {
    currency: String,
    credit: String,
    /// Only where a contract of the run has earn-back (SPEC 2.7).
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<String>,
}

#[derive(Serialize)]
struct ByContract {
    contract: String,
    currency: String,
    periods: usize,
    breached: usize,
    capped: usize,
    credit: String,
}

/// The rest of the JSON document; `any` says whether there were rows.
pub fn json_footer(any: bool, totals: &[Total], by_contract: &ContractTotals) -> String {
    let totals: Vec<CurrencyTotal> = totals
        .iter()
        .map(|t| CurrencyTotal {
            currency: t.currency.code().to_owned(),
            credit: money(t.credit, t.currency),
            due: t.due.map(|d| money(d, t.currency)),
            pending: t.pending.map(|p| money(p, t.currency)),
        })
        .collect();
    let contracts: Vec<ByContract> = by_contract
        .values()
        .map(|t| ByContract {
            contract: t.contract.clone(),
            currency: t.currency.code().to_owned(),
            periods: t.periods,
            breached: t.breached,
            capped: t.capped,
            credit: money(t.credit, t.currency),
        })
        .collect();
    format!(
        "{}],\n  \"totals\": {},\n  \"totals_by_contract\": {}\n}}\n",
        if any { "\n  " } else { "" },
        json::nested(&totals, 1),
        json::nested(&contracts, 1)
    )
}

/// The whole JSON document.
pub fn render_json(year: i32, claims: &Claims) -> String {
    let body = json_rows(&claims.claims);
    let mut totals = ContractTotals::new();
    add_to(&mut totals, &claims.claims);
    let mut out = json_header(year, &claims.inputs);
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&body);
    }
    out + &json_footer(!body.is_empty(), &claims.totals, &totals)
}

/// The CSV header: the claims' default columns (with the earn-back ones where a contract of the
/// run has earn-back, `earn_back`) plus `credit_before_caps,annual_cap_remaining`.
pub fn csv_header(earn_back: bool) -> String {
    let columns = super::csv::Columns::default_for(earn_back);
    columns.header().trim_end().to_owned() + ",credit_before_caps,annual_cap_remaining\n"
}

/// CSV rows, with the earn-back columns where `earn_back` (as [`csv_header`]).
pub fn csv_rows(claims: &[Claim], earn_back: bool) -> String {
    let columns = super::csv::Columns::default_for(earn_back);
    let mut out = String::new();
    for c in claims {
        let row = columns.rows(std::slice::from_ref(c));
        let remaining = c
            .steps
            .annual_cap_remaining
            .map(|r| money(r, c.currency))
            .unwrap_or_default();
        let _ = writeln!(out, "{},{},{}", row.trim_end(), uncapped(c), remaining);
    }
    out
}

/// The audit as a table for a terminal.
pub fn render_table(year: i32, claims: &Claims) -> String {
    let mut out = format!("SLA audit {year}\n\n");
    out.push_str(&super::table::render(claims));
    let mut totals = ContractTotals::new();
    add_to(&mut totals, &claims.claims);
    out.push('\n');
    for t in totals.values() {
        let _ = writeln!(
            out,
            "contract {} {}: {} periods, {} breached, {} capped, credits {}",
            t.contract,
            t.currency,
            t.periods,
            t.breached,
            t.capped,
            for_reading(t.credit, t.currency)
        );
    }
    out.push_str("\ninputs:\n");
    for f in &claims.inputs {
        let _ = writeln!(out, "  {}  {}", f.sha256, f.path);
    }
    let _ = writeln!(out, "\n{}", tool());
    out
}

/// The audit as a Markdown report an auditor can sign, with the clauses of each contract its
/// rows were computed under (from `contracts`).
pub fn render_markdown(year: i32, claims: &Claims, contracts: &[Contract]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# SLA audit {year}\n");
    let breached = claims.claims.iter().filter(|c| c.breached).count();
    let _ = writeln!(
        out,
        "{} subscription-periods audited, {breached} breached. Every figure below is reproducible with {} from the inputs listed at the end.\n",
        claims.claims.len(),
        tool()
    );
    let earn_back = claims.totals.iter().any(|t| t.due.is_some());
    if earn_back {
        out.push_str("## Totals\n\n| currency | credits | of which due | of which pending |\n|---|---|---|---|\n");
    } else {
        out.push_str("## Totals\n\n| currency | credits |\n|---|---|\n");
    }
    for t in &claims.totals {
        let _ = write!(
            out,
            "| {} | {} |",
            t.currency,
            for_reading(t.credit, t.currency)
        );
        for part in [t.due, t.pending].into_iter().flatten() {
            let _ = write!(out, " {} |", for_reading(part, t.currency));
        }
        out.push('\n');
    }
    if earn_back {
        out.push_str("\nUnder earn-back a credit is due once a period after it is breached, forgiven (0) once all of them meet the commitment, and pending while some of them lie outside the audited periods; pending credits are in the credits, and may yet be forgiven.\n");
    }
    let mut totals = ContractTotals::new();
    add_to(&mut totals, &claims.claims);
    out.push_str("\n| contract | currency | periods | breached | capped | credits |\n|---|---|---|---|---|---|\n");
    for t in totals.values() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            t.contract,
            t.currency,
            t.periods,
            t.breached,
            t.capped,
            for_reading(t.credit, t.currency)
        );
    }
    out.push_str("\n## Contracts\n");
    let used: std::collections::BTreeSet<&str> =
        claims.claims.iter().map(|c| c.contract.as_str()).collect();
    for contract in contracts.iter().filter(|c| used.contains(c.id())) {
        let _ = writeln!(out, "\n### {}\n", contract.id());
        for clause in super::terms::describe(contract) {
            let _ = writeln!(out, "- {clause}");
        }
    }
    out.push_str("\n## Every subscription and period\n\n| subscription | period | eligible min | downtime min | uptime % | commitment % | breached | credit % | basis | before caps | credit | capped |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for c in &claims.claims {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} {} | {} |",
            c.subscription,
            c.period,
            minutes(c.eligible_minutes),
            minutes(c.downtime_minutes),
            uptime(c.uptime_percent),
            percent(c.commitment_percent),
            if c.breached { "yes" } else { "no" },
            c.credit_percent.map(percent).unwrap_or_else(|| "—".into()),
            for_reading(c.basis, c.currency),
            uncapped(c),
            for_reading(c.credit, c.currency),
            c.currency,
            if c.capped { "yes" } else { "no" }
        );
    }
    let earned: Vec<&Claim> = claims
        .claims
        .iter()
        .filter(|c| c.earn_back.is_some())
        .collect();
    if !earned.is_empty() {
        out.push_str("\n## Earn-back\n\n| subscription | period | credit before earn-back | status |\n|---|---|---|---|\n");
        for c in earned {
            let before = c.credit_before_earn_back.unwrap_or(c.credit);
            if let Some(e) = c.earn_back {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} {} | {} |",
                    c.subscription,
                    c.period,
                    for_reading(before, c.currency),
                    c.currency,
                    super::earn_back_text(e, before, c.currency)
                );
            }
        }
    }
    out.push_str("\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    for f in &claims.inputs {
        let _ = writeln!(out, "| `{}` | `{}` |", f.path, f.sha256);
    }
    out
}
