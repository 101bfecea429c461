//! One subscription's claims: its timeline, each period measured (or shared), assessed, priced,
//! and the annual cap applied in period order.

use super::{Job, Run};
use crate::calculator;
use crate::claim::{ClaimIncident, EarnBack, EarnBackStatus, Emit, Parts};
use crate::contract::{CapWindow, Contract, CreditModel};
use crate::engine::{self, Incidents};
use crate::period::{Period, PeriodId};
use crate::time::{local_date, Instant};
use crate::timeline::Span;
use crate::window::Window;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

impl Run<'_> {
    /// The claims of one subscription, in period order, with the annual cap applied from the
    /// start of each year.
    pub(super) fn subscription_claims(&self, job: &Job<'_>, local: &Local, out: &mut impl Emit) {
        let data = &self.scopes[job.scope as usize];
        let (sub, contract) = (job.sub, data.contract);
        let active = engine::active_range(contract, sub);
        // The index found the windows naming this subscription; what is left of SPEC 2.4 is
        // whether their scope covers the subscription's.
        let own = self.index.own(&self.inputs.windows, job.own, |k| {
            match data.covers.get(k) {
                Some(&covers) => covers,
                None => self.index.scopes[k].covers(&data.scope),
            }
        });
        // Where the subscription's own windows change nothing, the scope's shared measurement
        // holds; where they do, the shared incidents are borrowed around the rebuilt ones.
        if own.is_empty() {
            let t = &data.shared.timeline;
            self.periods(
                job,
                active,
                (&t.incidents[..], &t.excluded),
                &[],
                local,
                out,
            );
        } else {
            let rebuilt = data.shared.rebuild(contract, &own);
            let affected = &rebuilt.affected;
            if let Some((beside, excluded)) = data.shared.beside(&rebuilt) {
                self.periods(job, active, (&beside, excluded), affected, local, out);
            } else {
                let (incidents, excluded) = data.shared.view(&rebuilt);
                self.periods(
                    job,
                    active,
                    (&incidents[..], excluded),
                    affected,
                    local,
                    out,
                );
            }
        }
    }

    /// The claims of `job` for each period, given its `timeline` (incidents in time order, excluded
    /// time) and where that differs from the scope's shared timeline (`affected`).
    fn periods<T: Incidents + ?Sized>(
        &self,
        job: &Job<'_>,
        active: (Instant, Instant),
        (incidents, excluded): (&T, &[Span]),
        affected: &[Span],
        local: &Local,
        out: &mut impl Emit,
    ) {
        let shared_incidents = &local.scopes[job.scope as usize];
        let data = &self.scopes[job.scope as usize];
        let (sub, contract) = (job.sub, data.contract);
        let untouched = |p: &Period| {
            let (lo, hi) = (p.start.unix_seconds(), p.end.unix_seconds());
            !affected.iter().any(|&(a, b)| a < hi && b > lo)
        };
        let credits = contract.credits();
        let in_active = |p: &Period| p.start < active.1 && p.end > active.0;
        let Some(first) = data.periods.iter().find(|s| in_active(&s.period)) else {
            return;
        };
        // The periods before the first asked for whose credits an annual cap counts: the
        // calendar year's, or for a rolling cap every one from the first incident's (no period
        // before it issues a credit, and each later one was capped by the twelve months before
        // it). Bases are worked out by the calculator for any period.
        let since = match (credits.annual_cap, credits.annual_window) {
            (None, _) => None,
            (Some(_), CapWindow::CalendarYear) => Some(PeriodId::containing(
                contract.period(),
                chrono::NaiveDate::from_ymd_opt(first.period.id.year(), 1, 1)
                    .unwrap_or(first.period.id.first_day()),
            )),
            (Some(_), CapWindow::Rolling12) => {
                let first_incident = incidents.between(i64::MIN, i64::MAX).next().map(|i| {
                    let start = Instant::from_unix_seconds(i.start());
                    PeriodId::containing(contract.period(), local_date(start, contract.timezone()))
                });
                first_incident.filter(|p| *p < first.period.id)
            }
        };
        let mut earlier: Vec<Period> = Vec::new();
        if let Some(mut p) = since {
            while p < first.period.id {
                earlier.push(p.in_zone(contract.timezone()));
                p = p.next();
            }
        }
        // Shared results hold for a subscription active throughout the period where its own
        // windows change nothing; `fixed` also depends on earlier periods, so it is always computed.
        let shareable = !matches!(credits.model, CreditModel::Fixed { .. });
        // Under earn-back a credit is decided by the periods after it: each period of the range
        // is assessed, and the claims are held until the last one is.
        let earn_back = credits.earn_back;
        let quiet = (self.breached_only || self.credited_only)
            && credits.annual_cap.is_none()
            && earn_back.is_none();
        let whole = |p: &Period| active.0 <= p.start && active.1 >= p.end;
        // A run that books credits only need not look at a shared period the scope's assessment
        // pays nothing for, where that assessment holds.
        let only_owing = self.credited_only && quiet && shareable;
        let periods = earlier.into_iter().map(|p| (p, None)).chain(
            data.periods
                .iter()
                .enumerate()
                .filter(move |(_, s)| {
                    !only_owing
                        || !s.assessment.owes_nothing()
                        || !whole(&s.period)
                        || !untouched(&s.period)
                })
                .map(|(k, s)| (s.period, Some((k, s)))),
        );
        let charges = &self.inputs.charges;
        let charge = |p: PeriodId| charges.get(&sub.id, p);
        let billing = calculator::Billing {
            fee: sub.fee,
            active,
            charge: &charge,
        };
        let mut year: Option<calculator::AnnualCap> = None;
        // The at-risk pool the subscription's credits are capped in, with the run's table.
        let pool = self.pools.as_ref().zip(credits.model.pool());
        // Under earn-back: whether each period of the range was breached, and the claims held.
        let mut breached: Vec<(PeriodId, bool)> = Vec::new();
        let mut held: Vec<Ready<'_>> = Vec::new();
        for (period, shared) in periods {
            if !in_active(&period) {
                continue;
            }
            let wanted = shared.is_some();
            let borrowed = match shared {
                Some((_, s)) if shareable && whole(&period) && untouched(&period) => Some(s),
                _ => None,
            };
            // No incident, no downtime, no breach: nothing to report when only breaches are. (A
            // shared period's assessment says so itself, below.)
            if quiet
                && borrowed.is_none()
                && !engine::has_incident_in(incidents, period.start, period.end)
            {
                continue;
            }
            let (measured, assessment) = match borrowed {
                Some(s) => (Cow::Borrowed(&s.measured), Cow::Borrowed(&s.assessment)),
                None => {
                    let m =
                        engine::measure_incidents(contract, active, incidents, excluded, &period);
                    let fixed_incidents = calculator::fixed_incidents(contract, &m, |i| {
                        engine::counted_before(contract, active, i, incidents, period.start)
                    });
                    let a = calculator::assess(contract, &m, &period, fixed_incidents, self.detail);
                    (Cow::Owned(m), Cow::Owned(a))
                }
            };
            if earn_back.is_some() && wanted {
                breached.push((period.id, assessment.breached));
            }
            if quiet && self.breached_only && !assessment.breached {
                continue;
            }
            // A billing run books credits only: where the model owes nothing there is nothing to
            // price, and nothing counts towards an annual cap.
            if self.credited_only && assessment.owes_nothing() {
                continue;
            }
            // What the pool's members before this one took of the period's at-risk amount.
            let taken = pool
                .map(|(pools, pool)| pools.taken_before(&sub.customer, pool, period.id, &sub.id));
            let (b, priced) =
                calculator::owed(contract, &billing, &period, &assessment, taken, &mut year);
            // The first pass over a pool hands over every period priced: a later run's
            // annual cap may look back on any of them.
            if (!wanted && !self.pool_pass)
                || (self.breached_only && !assessment.breached)
                || (self.credited_only && priced.credit.is_zero())
            {
                continue;
            }
            let ready = Ready {
                period,
                measured,
                assessment,
                shared: match shared {
                    Some((k, _)) if borrowed.is_some() => Some(k),
                    _ => None,
                },
                basis: b.amount,
                priced,
                earn_back: None,
            };
            if earn_back.is_some() {
                held.push(ready);
            } else {
                self.emit(job, ready, shared_incidents, out);
            }
        }
        if let Some(n) = earn_back {
            // Without a requested range the run computes the periods with windows; one between
            // them without any, with the subscription active, had no downtime: it met the
            // commitment.
            let last = data.periods.last().map(|s| s.period.id);
            let was_breached = |p: PeriodId| match breached.binary_search_by(|(q, _)| q.cmp(&p)) {
                Ok(at) => Some(breached[at].1),
                Err(_)
                    if last.is_some_and(|l| p <= l)
                        && in_active(&p.in_zone(contract.timezone())) =>
                {
                    Some(false)
                }
                Err(_) => None,
            };
            for mut ready in held {
                if !ready.priced.credit.is_zero() {
                    let e = calculator::earn_back(n, ready.period.id, was_breached);
                    ready.earn_back = Some(e);
                }
                self.emit(job, ready, shared_incidents, out);
            }
        }
    }

    /// Hands one priced claim of `job` to `out`, with earn-back applied where it was decided.
    fn emit(
        &self,
        job: &Job<'_>,
        ready: Ready<'_>,
        shared_incidents: &[SharedIncidents],
        out: &mut impl Emit,
    ) {
        let contract = self.scopes[job.scope as usize].contract;
        let Ready {
            period,
            measured,
            assessment,
            shared,
            basis,
            priced,
            earn_back,
        } = ready;
        let before = priced.credit;
        let forgiven = earn_back.is_some_and(|e| e.status == EarnBackStatus::Forgiven);
        let credit = if forgiven {
            job.sub.fee.currency.zero()
        } else {
            before
        };
        if self.credited_only && credit.is_zero() {
            return;
        }
        let (incidents, key) = match shared {
            Some(k) => (&shared_incidents[k], Some((job.scope, k as u32))),
            None => (&measured.incidents, None),
        };
        out.emit(Parts {
            sub: job.sub,
            contract,
            period: &period,
            measured: &measured,
            assessment: &assessment,
            incidents,
            basis,
            credit,
            currency: job.sub.fee.currency,
            capped: priced.capped,
            steps: priced.steps,
            shared: key,
            earn_back,
            credit_before_earn_back: contract.credits().earn_back.map(|_| before),
        });
    }
}

/// A priced claim, before it is handed over.
struct Ready<'m> {
    period: Period,
    measured: Cow<'m, engine::Measured>,
    assessment: Cow<'m, calculator::Assessment>,
    /// Which shared period of the scope it is, when its measurement is that one.
    shared: Option<usize>,
    basis: Decimal,
    priced: calculator::Priced,
    earn_back: Option<EarnBack>,
}

/// One thread's own copies of the incidents of each scope's shared periods. A claim holds a
/// reference count on its incidents; two cores counting on the same counter would pass its cache
/// line back and forth for every claim.
pub(super) struct Local {
    /// Per scope of the run, the incidents of each shared period.
    scopes: Vec<Vec<SharedIncidents>>,
}

type SharedIncidents = Arc<[ClaimIncident]>;

impl Run<'_> {
    /// Copies for one thread.
    pub(super) fn local(&self) -> Local {
        Local {
            scopes: self
                .scopes
                .iter()
                .map(|d| {
                    let periods = d.periods.iter();
                    periods.map(|p| Arc::from(&*p.measured.incidents)).collect()
                })
                .collect(),
        }
    }
}

/// The periods of `contract`'s kind and zone that any window overlaps.
pub(super) fn touched_periods(contract: &Contract, windows: &[Window]) -> Vec<PeriodId> {
    let zone = contract.timezone();
    let mut set = BTreeSet::new();
    for w in windows {
        let first = PeriodId::containing(contract.period(), w.start().in_zone(zone).date_naive());
        let last = PeriodId::containing(
            contract.period(),
            w.end()
                .plus(crate::time::Seconds(-1))
                .in_zone(zone)
                .date_naive(),
        );
        let mut p = first;
        while p <= last {
            set.insert(p);
            p = p.next();
        }
    }
    set.into_iter().collect()
}
