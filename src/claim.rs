//! The result: one claim per subscription and period (SPEC 3.4, 5).

use crate::money::Currency;
use crate::period::PeriodId;
use crate::time::Instant;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::sync::Arc;

/// An incident as listed in a claim: the whole merged incident (not clipped to the period) and
/// the minutes it counts for in this claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimIncident {
    /// Start of the whole incident.
    pub start: Instant,
    /// End of the whole incident.
    pub end: Instant,
    /// Counted downtime minutes of this incident inside the claim's eligible time (for display:
    /// `downtime_seconds` / 60).
    pub downtime_minutes: Decimal,
    /// The same, exactly, in seconds.
    pub downtime_seconds: Decimal,
    /// References of the windows that make it up, sorted, without repeats.
    pub references: Labels,
    /// Sources of the windows that make it up, sorted, without repeats.
    pub sources: Labels,
}

/// A list of references or sources, shared between the incidents and claims that list it. Most
/// are empty (a billing run asks for none): an empty list holds no allocation, so copying one
/// counts no reference, which a claim's incidents would otherwise do millions of times on
/// counters shared between cores.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Labels(Option<Arc<[SmolStr]>>);

impl std::ops::Deref for Labels {
    type Target = [SmolStr];

    fn deref(&self) -> &[SmolStr] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl From<Vec<SmolStr>> for Labels {
    fn from(labels: Vec<SmolStr>) -> Labels {
        Labels((!labels.is_empty()).then(|| Arc::from(labels)))
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// How much of each claim to work out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything a claim letter shows: each incident's references and sources, the next tier.
    #[default]
    Full,
    /// The figures only: incidents are listed without their references and sources, and the next
    /// tier is not sought. A billing run booking credits needs no more, and it is cheaper.
    Figures,
}

/// How far the next higher credit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextTier {
    /// The credit percent it would give.
    pub credit_percent: Decimal,
    /// The fewest additional whole downtime minutes that reach it.
    pub more_downtime_minutes: Decimal,
}

/// The credit claim of one subscription for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Subscription id.
    pub subscription: SmolStr,
    /// Customer name.
    pub customer: SmolStr,
    /// Contract id.
    pub contract: SmolStr,
    /// The period.
    pub period: PeriodId,
    /// Period start (local midnight in the contract's zone).
    pub period_start: Instant,
    /// Period end, exclusive.
    pub period_end: Instant,
    /// Eligible minutes (net of excluded time under `removed-from-period`).
    pub eligible_minutes: Decimal,
    /// Counted downtime minutes, weighted by impact.
    pub downtime_minutes: Decimal,
    /// Excluded minutes inside eligible time, measured exactly.
    pub excluded_minutes: Decimal,
    /// Eligible time in seconds, exactly (minutes are these / 60).
    pub eligible_seconds: Decimal,
    /// Counted downtime in seconds, exactly; decisions use these.
    pub downtime_seconds: Decimal,
    /// Excluded time in seconds.
    pub excluded_seconds: Decimal,
    /// Exact uptime percent (printed rounded to 6 places).
    pub uptime_percent: Decimal,
    /// Promised uptime.
    pub commitment_percent: Decimal,
    /// Uptime below the commitment.
    pub breached: bool,
    /// Credit percent from the model (`None` for fee_multiple and fixed).
    pub credit_percent: Option<Decimal>,
    /// The amount the credit is computed from.
    pub basis: Decimal,
    /// The credit, rounded to the minor unit, after every cap.
    pub credit: Decimal,
    /// Currency of basis and credit.
    pub currency: Currency,
    /// Whether a cap lowered the credit.
    pub capped: bool,
    /// Last day on which a claim is in time (contract's zone).
    pub claim_deadline: Option<NaiveDate>,
    /// Why there is no credit where that is not obvious.
    pub note: Option<String>,
    /// The next higher credit and how far it is.
    pub next_tier: Option<NextTier>,
    /// Incidents overlapping the eligible time (shared by claims of the same measurement).
    pub incidents: Arc<[ClaimIncident]>,
    /// The arithmetic behind the credit, for reports.
    pub steps: CreditSteps,
}

/// The credit's arithmetic, step by step, for claim letters and audits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreditSteps {
    /// What the model gives, before caps.
    pub model_amount: Decimal,
    /// After the period cap.
    pub after_period_cap: Decimal,
    /// After the minimum.
    pub after_minimum: Decimal,
    /// After rounding.
    pub after_rounding: Decimal,
    /// What the annual cap left for this period, where there is one.
    pub annual_cap_remaining: Option<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_their_list_and_an_empty_one_holds_nothing() {
        let empty = Labels::from(Vec::new());
        assert_eq!(empty, Labels::default());
        assert!(empty.0.is_none() && empty.is_empty());
        let two = Labels::from(vec![SmolStr::new("aws-seoul-dns"), SmolStr::new("status")]);
        assert_eq!(two.len(), 2);
        assert_eq!(&*two[0], "aws-seoul-dns");
        assert_eq!(format!("{two:?}"), r#"["aws-seoul-dns", "status"]"#);
        assert_ne!(two, empty);
        assert_eq!(two.clone(), two);
    }
}
