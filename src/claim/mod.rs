//! The result: one claim per subscription and period (SPEC 3.4, 5).

mod parts;
mod wire;

pub use crate::calculator::{CreditSteps, EarnBack, EarnBackStatus, NextTier};
pub use crate::incident::{ClaimIncident, Detail, Labels};
use crate::input::InputFile;
use crate::money::Currency;
use crate::period::PeriodId;
use crate::subscription::Attributes;
use crate::time::Instant;
use chrono::NaiveDate;
pub use parts::{Emit, Parts};
use rust_decimal::Decimal;
use smol_str::SmolStr;
use std::sync::Arc;

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
    /// The subscription's attributes (account id, resources, contact), for letters.
    pub attributes: Attributes,
    /// Under an earn-back contract with a credit: whether it is still pending, due, or
    /// forgiven (SPEC 2.7).
    pub earn_back: Option<EarnBack>,
    /// Under an earn-back contract: the credit before earn-back (a forgiven claim's `credit`
    /// is 0).
    pub credit_before_earn_back: Option<Decimal>,
}

/// The credits of one currency, added up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// Currency.
    pub currency: Currency,
    /// Sum of credits.
    pub credit: Decimal,
    /// Of which due under earn-back (`None` when no contract of the run has earn-back).
    pub due: Option<Decimal>,
    /// Of which pending under earn-back (`None` when no contract of the run has earn-back).
    pub pending: Option<Decimal>,
}

/// Claims with their totals and the inputs they came from.
#[derive(Debug, Clone)]
pub struct Claims {
    /// Sorted by subscription id (bytes), then period start.
    pub claims: Vec<Claim>,
    /// One row per currency, sorted by code.
    pub totals: Vec<Total>,
    /// The input files with their SHA-256.
    pub inputs: Vec<InputFile>,
}
