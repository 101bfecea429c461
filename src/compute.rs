//! One call from inputs to claims: validates references between inputs, picks the periods,
//! runs the engine and the calculator per subscription, applies annual caps, sorts.

use crate::calculator::{self, Basis};
use crate::claim::Claim;
use crate::contract::{Contract, CreditModel};
use crate::engine::{self, Timeline};
use crate::error::{Error, Problem, Problems};
use crate::input::InputFile;
use crate::money::Currency;
use crate::period::{Period, PeriodId, PeriodSpan};
use crate::subscription::{Charges, Subscription};
use crate::window::Window;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Everything a computation needs, already parsed and validated one by one.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Contracts, ids unique.
    pub contracts: Vec<Contract>,
    /// Subscriptions, ids unique.
    pub subscriptions: Vec<Subscription>,
    /// Outage windows, any order, overlapping allowed.
    pub windows: Vec<Window>,
    /// Actual charges, overriding fees.
    pub charges: Charges,
    /// The files read, with fingerprints (empty for inputs built in code).
    pub files: Vec<InputFile>,
    /// Where each subscription came from (file, line), for messages; may be empty.
    pub subscription_origins: HashMap<String, (String, Option<usize>)>,
}

/// Which claims to compute.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Civil date range whose overlapping periods are claimed; `None` = every period touched by
    /// the windows.
    pub periods: Option<PeriodSpan>,
    /// Only this customer (exact name).
    pub customer: Option<String>,
    /// Only this subscription (exact id).
    pub subscription: Option<String>,
    /// Drop claims without a breach.
    pub breached_only: bool,
}

/// The credits of one currency, added up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// Currency.
    pub currency: Currency,
    /// Sum of credits.
    pub credit: Decimal,
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

/// A subscription ready to compute: its contract and full scope.
type Job<'a> = (&'a Subscription, &'a Contract, BTreeMap<String, String>);

/// Checks that the inputs fit together: every subscription names a loaded contract, scope labels
/// do not conflict, charges name known subscriptions in their currency and their contract's kind
/// of period.
///
/// # Errors
/// [`Error::Invalid`] with every problem, located where the inputs came from files.
pub fn validate(inputs: &Inputs) -> Result<(), Error> {
    jobs(inputs).map(|_| ())
}

fn jobs(inputs: &Inputs) -> Result<Vec<Job<'_>>, Error> {
    let contracts: HashMap<&str, &Contract> =
        inputs.contracts.iter().map(|c| (c.id(), c)).collect();
    let mut problems = Problems::new();
    let located = |id: &str, field: &str, message: String| -> Problem {
        let (file, line) = match inputs.subscription_origins.get(id) {
            Some((file, line)) => (file.as_str(), *line),
            None => ("<subscriptions>", None),
        };
        Problem::new(file, message).at(line).field(field)
    };
    let mut known: Vec<&str> = contracts.keys().copied().collect();
    known.sort_unstable();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for sub in &inputs.subscriptions {
        let Some(contract) = contracts.get(sub.contract.as_str()) else {
            problems.push(located(
                &sub.id,
                "contract",
                format!(
                    "subscription {:?} names contract {:?}, which is not loaded (known: {})",
                    sub.id,
                    sub.contract,
                    known.join(", ")
                ),
            ));
            continue;
        };
        match engine::full_scope(contract, sub) {
            Ok(scope) => jobs.push((sub, contract, scope)),
            Err(e) => problems.push(located(&sub.id, "scope", e)),
        }
    }
    let by_id: HashMap<&str, &Subscription> = inputs
        .subscriptions
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    for row in inputs.charges.rows() {
        let at = |field: &str, message: String| {
            Problem::new(&row.file, message).at(row.line).field(field)
        };
        let Some(sub) = by_id.get(row.subscription.as_str()) else {
            problems.push(at(
                "subscription",
                format!("no subscription {:?} is loaded", row.subscription),
            ));
            continue;
        };
        if row.amount.currency != sub.fee.currency {
            problems.push(at(
                "currency",
                format!(
                    "charges are in {}, but subscription {} is billed in {}",
                    row.amount.currency, sub.id, sub.fee.currency
                ),
            ));
        }
        if let Some(c) = contracts.get(sub.contract.as_str()) {
            if row.period.kind() != c.period() {
                problems.push(at(
                    "period",
                    format!(
                        "period {} is not a {} of contract {}",
                        row.period,
                        c.period().name(),
                        c.id()
                    ),
                ));
            }
        }
    }
    problems.into_result(jobs)
}

/// Computes the claims of every selected subscription and period.
///
/// # Errors
/// [`Error::Invalid`] when inputs do not fit together (see [`validate`]), every problem listed.
pub fn compute(inputs: &Inputs, selection: &Selection) -> Result<Claims, Error> {
    let jobs = jobs(inputs)?;
    let index = WindowIndex::new(&inputs.windows);
    let mut touched_cache: HashMap<(crate::period::PeriodKind, chrono_tz::Tz), Vec<PeriodId>> =
        HashMap::new();
    let mut timeline_cache: HashMap<(&str, &BTreeMap<String, String>), Timeline> = HashMap::new();
    let mut claims = Vec::new();
    for (sub, contract, scope) in &jobs {
        if selection
            .subscription
            .as_ref()
            .is_some_and(|s| s != &sub.id)
            || selection
                .customer
                .as_ref()
                .is_some_and(|c| c != &sub.customer)
        {
            continue;
        }
        let selected: Vec<PeriodId> = match &selection.periods {
            Some(span) => span.periods(contract.period()),
            None => touched_cache
                .entry((contract.period(), contract.timezone()))
                .or_insert_with(|| touched_periods(contract, &inputs.windows))
                .clone(),
        };
        let active = engine::active_range(contract, sub);
        let selected: Vec<Period> = selected
            .iter()
            .map(|p| p.in_zone(contract.timezone()))
            .filter(|p| p.start < active.1 && p.end > active.0)
            .collect();
        if selected.is_empty() {
            continue;
        }
        let own = index.own(sub);
        let built;
        let timeline: &Timeline = if own.is_empty() {
            timeline_cache
                .entry((contract.id(), scope))
                .or_insert_with(|| engine::timeline(contract, index.global(scope)))
        } else {
            let mut windows: Vec<&Window> = index.global(scope).collect();
            windows.extend(
                own.iter()
                    .map(|&i| &inputs.windows[i])
                    .filter(|w| engine::applies(w, scope, &sub.id, &sub.customer)),
            );
            built = engine::timeline(contract, windows.into_iter());
            &built
        };
        claims.extend(subscription_claims(
            contract,
            sub,
            active,
            timeline,
            &selected,
            &inputs.charges,
        ));
    }
    if selection.breached_only {
        claims.retain(|c| c.breached);
    }
    claims.sort_by(|a, b| {
        a.subscription
            .as_bytes()
            .cmp(b.subscription.as_bytes())
            .then(a.period_start.cmp(&b.period_start))
    });
    let mut totals: BTreeMap<&str, Total> = BTreeMap::new();
    for c in &claims {
        totals
            .entry(c.currency.code())
            .or_insert(Total {
                currency: c.currency,
                credit: c.currency.zero(),
            })
            .credit += c.credit;
    }
    let totals = totals.into_values().collect();
    // Contracts no subscription uses cannot change a claim; listing them would only make every
    // report change whenever an unrelated contract file does.
    let used: BTreeSet<&str> = jobs.iter().map(|(_, c, _)| c.file()).collect();
    let contract_files: BTreeSet<&str> = inputs.contracts.iter().map(|c| c.file()).collect();
    let files = inputs
        .files
        .iter()
        .filter(|f| !contract_files.contains(f.path.as_str()) || used.contains(f.path.as_str()))
        .cloned()
        .collect();
    Ok(Claims {
        claims,
        totals,
        inputs: files,
    })
}

/// The periods of `contract`'s kind and zone that any window overlaps.
fn touched_periods(contract: &Contract, windows: &[Window]) -> Vec<PeriodId> {
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

/// Claims of one subscription for `selected` periods (sorted), with the annual cap applied in
/// period order from the start of each year.
fn subscription_claims(
    contract: &Contract,
    sub: &Subscription,
    active: (crate::time::Instant, crate::time::Instant),
    timeline: &Timeline,
    selected: &[Period],
    charges: &Charges,
) -> Vec<Claim> {
    let zone = contract.timezone();
    let currency = sub.fee.currency;
    let credits = contract.credits();
    // With an annual cap, every earlier period of the year counts towards it.
    let mut periods: Vec<Period> = selected.to_vec();
    if let Some(first) = selected.first() {
        if credits.annual_cap.is_some() {
            let mut p = PeriodId::containing(
                contract.period(),
                chrono::NaiveDate::from_ymd_opt(first.id.year(), 1, 1)
                    .unwrap_or(first.id.first_day()),
            );
            let mut earlier = Vec::new();
            while p < first.id {
                earlier.push(p.in_zone(zone));
                p = p.next();
            }
            earlier.extend(periods);
            periods = earlier;
        }
    }
    let wanted: BTreeSet<PeriodId> = selected.iter().map(|p| p.id).collect();
    let mut out = Vec::new();
    let mut year_state: Option<(i32, Decimal, Decimal)> = None; // (year, limit, issued)
    for period in &periods {
        if period.start >= active.1 || period.end <= active.0 {
            continue;
        }
        let measured = engine::measure(contract, active, timeline, period);
        let b = basis(contract, sub, active, period, charges);
        let fixed_incidents = match &credits.model {
            CreditModel::Fixed { min_incident, .. } => measured
                .incidents
                .iter()
                .filter(|(i, length)| {
                    *length >= min_incident.0 && i.downtime_minutes > Decimal::ZERO
                })
                .filter(|(i, _)| {
                    !engine::counted_before(contract, active, i, timeline, period.start)
                })
                .count(),
            _ => 0,
        };
        let rated = calculator::rate(contract, currency, &measured, period, b, fixed_incidents);
        let mut credit = rated.credit;
        let mut capped = rated.capped;
        let mut steps = rated.steps;
        if let Some(cap) = credits.annual_cap {
            let year = period.id.year();
            if year_state.is_none_or(|(y, _, _)| y != year) {
                let annual_basis: Decimal = year_periods(contract, year)
                    .iter()
                    .map(|p| basis(contract, sub, active, p, charges).amount)
                    .sum();
                let limit = cap
                    .limit(annual_basis)
                    .map_or(Decimal::MAX, |l| currency.round_down(l));
                year_state = Some((year, limit, Decimal::ZERO));
            }
            if let Some((_, limit, issued)) = year_state.as_mut() {
                let remaining = (*limit - *issued).max(Decimal::ZERO);
                steps.annual_cap_remaining = Some(remaining);
                if credit > remaining {
                    credit = currency.round_down(remaining);
                    capped = true;
                }
                *issued += credit;
            }
        }
        if !wanted.contains(&period.id) {
            continue;
        }
        out.push(Claim {
            subscription: sub.id.clone(),
            customer: sub.customer.clone(),
            contract: contract.id().to_owned(),
            period: period.id,
            period_start: period.start,
            period_end: period.end,
            eligible_minutes: measured.eligible_minutes,
            downtime_minutes: measured.downtime_minutes,
            excluded_minutes: measured.excluded_minutes,
            uptime_percent: rated.uptime_percent,
            commitment_percent: contract.commitment(),
            breached: rated.breached,
            credit_percent: rated.credit_percent,
            basis: b.amount,
            credit,
            currency,
            capped,
            claim_deadline: rated.deadline,
            note: rated.note,
            next_tier: rated.next_tier,
            incidents: measured.incidents.into_iter().map(|(i, _)| i).collect(),
            steps,
        });
    }
    out
}

/// The periods of `contract`'s kind in calendar year `year`.
fn year_periods(contract: &Contract, year: i32) -> Vec<Period> {
    let Some(jan1) = chrono::NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut p = PeriodId::containing(contract.period(), jan1);
    let mut out = Vec::new();
    while p.year() == year {
        out.push(p.in_zone(contract.timezone()));
        p = p.next();
    }
    out
}

/// The basis of a period: its charges, else the fee pro-rated to the active part of the period
/// (by elapsed time) and rounded to the minor unit (SPEC 2.2, 3.6).
fn basis(
    contract: &Contract,
    sub: &Subscription,
    active: (crate::time::Instant, crate::time::Instant),
    period: &Period,
    charges: &Charges,
) -> Basis {
    if let Some(charge) = charges.get(&sub.id, period.id) {
        return Basis {
            amount: charge.amount,
            full: charge.amount,
        };
    }
    let fee = sub.fee.amount;
    let whole = period.end.since(period.start).0;
    let (a, b) = (period.start.max(active.0), period.end.min(active.1));
    let part = if a < b { b.since(a).0 } else { 0 };
    let amount = if part >= whole {
        fee
    } else {
        fee * Decimal::from(part) / Decimal::from(whole)
    };
    let rounded = sub.fee.currency.round(amount, contract.credits().rounding);
    Basis {
        amount: rounded,
        full: fee,
    }
}

/// Windows indexed so that a subscription finds its own without scanning all of them.
struct WindowIndex<'a> {
    windows: &'a [Window],
    /// Windows without `customers`.
    global: Vec<usize>,
    /// Windows naming a subscription id or customer, by that name.
    named: HashMap<&'a str, Vec<usize>>,
}

impl<'a> WindowIndex<'a> {
    fn new(windows: &'a [Window]) -> WindowIndex<'a> {
        let mut global = Vec::new();
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, w) in windows.iter().enumerate() {
            if w.customers.is_empty() {
                global.push(i);
            } else {
                for c in &w.customers {
                    named.entry(c.as_str()).or_default().push(i);
                }
            }
        }
        WindowIndex {
            windows,
            global,
            named,
        }
    }

    /// Global windows whose labels match `scope`.
    fn global<'s>(
        &'s self,
        scope: &'s BTreeMap<String, String>,
    ) -> impl Iterator<Item = &'a Window> + 's {
        self.global
            .iter()
            .map(|&i| &self.windows[i])
            .filter(move |w| engine::applies(w, scope, "", ""))
    }

    /// Indices of windows naming `sub` by id or customer (before the scope check), each once.
    fn own(&self, sub: &Subscription) -> Vec<usize> {
        let mut v: Vec<usize> = [sub.id.as_str(), sub.customer.as_str()]
            .iter()
            .filter_map(|k| self.named.get(k))
            .flatten()
            .copied()
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
