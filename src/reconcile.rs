//! Reconciliation: credits computed against credits a billing system actually issued.

use crate::claim::{Claim, EarnBackStatus};
use crate::money::Money;
use crate::period::PeriodId;
use crate::subscription::AmountRow;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// What is wrong with one subscription and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A credit is owed and none was issued.
    Missing,
    /// Less was issued than is owed.
    Short,
    /// More was issued than is owed (there was a breach).
    Excess,
    /// A credit was issued where there was no breach.
    NoBreach,
    /// A credit was issued that earn-back forgave (SPEC 2.7).
    Forgiven,
    /// Issued in another currency than the subscription's.
    CurrencyMismatch,
    /// Issued for a subscription or period that was not computed (unknown subscription, or a
    /// period in which it was not active).
    Unknown,
}

impl Kind {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Short => "short",
            Kind::Excess => "excess",
            Kind::NoBreach => "issued-without-breach",
            Kind::Forgiven => "issued-though-forgiven",
            Kind::CurrencyMismatch => "currency-mismatch",
            Kind::Unknown => "unknown-subscription-or-period",
        }
    }
}

/// One discrepancy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong.
    pub kind: Kind,
    /// Subscription id.
    pub subscription: String,
    /// Period.
    pub period: PeriodId,
    /// What was computed, where there is a claim.
    pub computed: Option<Money>,
    /// What was issued, where there is a row.
    pub issued: Option<Money>,
    /// The line of the issued row.
    pub line: Option<usize>,
}

impl Finding {
    /// Issued minus computed, where both are in one currency.
    pub fn difference(&self) -> Option<Decimal> {
        // What is missing on one side is nothing of the other side's currency.
        let (computed, issued) = match (self.computed, self.issued) {
            (Some(c), Some(i)) => (c, i),
            (Some(c), None) => (c, Money::new(Decimal::ZERO, c.currency)),
            (None, Some(i)) => (Money::new(Decimal::ZERO, i.currency), i),
            (None, None) => return Some(Decimal::ZERO),
        };
        issued.checked_sub(computed).map(|d| d.amount)
    }
}

/// The outcome: every discrepancy, sorted by subscription and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    /// Claims compared.
    pub claims: usize,
    /// Issued rows compared.
    pub issued_rows: usize,
    /// Discrepancies.
    pub findings: Vec<Finding>,
}

impl Reconciliation {
    /// Whether everything matches.
    pub fn reconciles(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Compares `claims` with the `issued` rows of the periods `in_scope` accepts.
pub fn reconcile(
    claims: &[Claim],
    issued: &[AmountRow],
    in_scope: impl Fn(PeriodId) -> bool,
) -> Reconciliation {
    let by_key: BTreeMap<(&str, PeriodId), &Claim> = claims
        .iter()
        .map(|c| ((&*c.subscription, c.period), c))
        .collect();
    let mut findings = Vec::new();
    let mut seen: BTreeSet<(&str, PeriodId)> = BTreeSet::new();
    let issued: Vec<&AmountRow> = issued.iter().filter(|r| in_scope(r.period)).collect();
    for row in &issued {
        let key = (row.subscription.as_str(), row.period);
        seen.insert(key);
        let finding = |kind, computed: Option<Money>| Finding {
            kind,
            subscription: row.subscription.clone(),
            period: row.period,
            computed,
            issued: Some(row.amount),
            line: row.line,
        };
        let Some(claim) = by_key.get(&key) else {
            if !row.amount.amount.is_zero() {
                findings.push(finding(Kind::Unknown, None));
            }
            continue;
        };
        let computed = Money::new(claim.credit, claim.currency);
        let status = claim.earn_back.map(|e| e.status);
        let kind = if row.amount.currency != claim.currency {
            Some(Kind::CurrencyMismatch)
        } else if status == Some(EarnBackStatus::Pending) && row.amount.amount.is_zero() {
            // Not owed yet: the periods that decide it are still to come.
            None
        } else if status == Some(EarnBackStatus::Forgiven) && !row.amount.amount.is_zero() {
            Some(Kind::Forgiven)
        } else if row.amount.amount < claim.credit {
            Some(Kind::Short)
        } else if row.amount.amount > claim.credit {
            Some(if claim.breached {
                Kind::Excess
            } else {
                Kind::NoBreach
            })
        } else {
            None
        };
        if let Some(kind) = kind {
            findings.push(finding(kind, Some(computed)));
        }
    }
    for c in claims {
        let pending = c.earn_back.map(|e| e.status) == Some(EarnBackStatus::Pending);
        if !c.credit.is_zero() && !pending && !seen.contains(&(&*c.subscription, c.period)) {
            findings.push(Finding {
                kind: Kind::Missing,
                subscription: c.subscription.to_string(),
                period: c.period,
                computed: Some(Money::new(c.credit, c.currency)),
                issued: None,
                line: None,
            });
        }
    }
    findings.sort_by(|a, b| {
        a.subscription
            .as_bytes()
            .cmp(b.subscription.as_bytes())
            .then(a.period.cmp(&b.period))
            .then(a.kind.cmp(&b.kind))
    });
    Reconciliation {
        claims: claims.len(),
        issued_rows: issued.len(),
        findings,
    }
}
