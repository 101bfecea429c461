//! A claim as the parts it is computed from, borrowed: a [`Claim`] is built from them, and a
//! report printing claims as they are computed ([`crate::Run::stream_with`]) can print them
//! without building one (a provider's run prints millions).

use super::{Claim, ClaimIncident, CreditSteps};
use crate::calculator::Assessment;
use crate::contract::Contract;
use crate::engine::Measured;
use crate::money::{Currency, Money};
use crate::period::Period;
use crate::subscription::Subscription;
use rust_decimal::Decimal;
use std::sync::Arc;

/// One claim's parts, where the computation has them: [`Parts::claim`] builds the claim.
pub struct Parts<'a> {
    pub(crate) sub: &'a Subscription,
    pub(crate) contract: &'a Contract,
    pub(crate) period: &'a Period,
    pub(crate) measured: &'a Measured,
    pub(crate) assessment: &'a Assessment,
    /// The incidents to list: the measurement's, or this thread's copy of a shared one's.
    pub(crate) incidents: &'a Arc<[ClaimIncident]>,
    pub(crate) basis: Decimal,
    pub(crate) credit: Decimal,
    pub(crate) currency: Currency,
    pub(crate) capped: bool,
    pub(crate) steps: CreditSteps,
    /// Which shared period of the run `measured` and `assessment` are (scope, period), when they
    /// are one: every subscription of the scope gets the same, so what a report prints of them it
    /// can print once. `None` for a subscription's own measurement. (Only the CLI's streamed CSV
    /// reads it.)
    pub(crate) shared: Option<(u32, u32)>,
    /// Under an earn-back contract with a credit, where it stands.
    pub(crate) earn_back: Option<super::EarnBack>,
    /// Under an earn-back contract, the credit before earn-back.
    pub(crate) credit_before_earn_back: Option<Decimal>,
}

impl Parts<'_> {
    /// The subscription claimed for.
    pub fn subscription(&self) -> &Subscription {
        self.sub
    }

    /// Its contract.
    pub fn contract(&self) -> &Contract {
        self.contract
    }

    /// The period claimed for.
    pub fn period(&self) -> &Period {
        self.period
    }

    /// The credit, rounded to the currency's minor unit.
    pub fn credit(&self) -> Money {
        Money::new(self.credit, self.currency)
    }

    /// The claim they make.
    pub fn claim(self) -> Claim {
        let (m, a) = (self.measured, self.assessment);
        Claim {
            subscription: self.sub.id.clone(),
            customer: self.sub.customer.clone(),
            contract: self.sub.contract.clone(),
            period: self.period.id,
            period_start: self.period.start,
            period_end: self.period.end,
            eligible_minutes: m.minutes[0],
            downtime_minutes: m.minutes[1],
            excluded_minutes: m.minutes[2],
            eligible_seconds: m.eligible,
            downtime_seconds: m.downtime,
            excluded_seconds: m.excluded,
            uptime_percent: a.uptime_percent,
            commitment_percent: self.contract.commitment(),
            breached: a.breached,
            credit_percent: a.credit_percent,
            basis: self.basis,
            credit: self.credit,
            currency: self.currency,
            capped: self.capped,
            claim_deadline: a.deadline,
            note: a.note.clone(),
            next_tier: a.next_tier,
            incidents: self.incidents.clone(),
            steps: self.steps,
            attributes: self.sub.attributes.clone(),
            earn_back: self.earn_back,
            credit_before_earn_back: self.credit_before_earn_back,
        }
    }
}

/// Where the claims of a chunk of subscriptions go as they are computed, in order.
pub trait Emit {
    /// Takes one claim.
    fn emit(&mut self, parts: Parts<'_>);
}

impl Emit for Vec<Claim> {
    fn emit(&mut self, parts: Parts<'_>) {
        self.push(parts.claim());
    }
}
