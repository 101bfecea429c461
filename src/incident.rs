//! Incidents as a claim lists them, and how much of them a computation works out: what the
//! engine produces and the claims carry, so that the engine needs nothing from the claims.

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
    /// The last day to claim for it (SPEC 3.5): its own under `days_after_incident`, the
    /// claim's under the other rules; `None` when the contract sets no deadline.
    pub deadline: Option<NaiveDate>,
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
