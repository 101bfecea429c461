//! From inputs to claims: validates references between inputs, picks the periods, runs the
//! engine and the calculator per subscription, applies annual caps, and hands the claims over in
//! order.
//!
//! Built for a provider's whole customer base: windows are indexed by scope and by customer; the
//! windows of each scope are merged and measured once and reused by every subscription that has no
//! windows of its own; subscriptions are processed in id order, in chunks, on every core, and each
//! chunk's claims are handed to the caller (and can be dropped) before the next is computed.

use crate::calculator::{self, Assessment, Basis};
use crate::claim::Claim;
use crate::contract::{Contract, CreditModel};
use crate::engine::{self, Measured, SharedTimeline, Timeline};
use crate::error::{Error, Problem, Problems};
use crate::fxhash::FxHashMap;
use crate::input::InputFile;
use crate::money::Currency;
use crate::period::{Period, PeriodId, PeriodSpan};
use crate::scope::Scope;
use crate::subscription::{Charges, Subscription};
use crate::time::Instant;
use crate::window::Window;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};

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
    /// Where each subscription came from (file, line), by position in `subscriptions`, for
    /// messages; empty for subscriptions built in code.
    pub subscription_origins: Vec<(Arc<str>, Option<usize>)>,
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
    /// Drop claims without a credit (what a billing run books).
    pub credited_only: bool,
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

/// A subscription ready to compute: its contract and the index of its full scope.
struct Job<'a> {
    sub: &'a Subscription,
    contract: &'a Contract,
    scope: usize,
    /// Its position in the inputs.
    sub_index: usize,
    /// Entries of the window index naming this subscription: by id, by customer.
    own: [(u32, u32); 2],
}

/// What every subscription of one contract and full scope shares.
struct ScopeData<'a> {
    contract: &'a Contract,
    scope: Scope,
    /// The timeline of the windows without `customers` that apply to this scope.
    shared: SharedTimeline<'a>,
    /// The selected periods of the contract, with their measurement and assessment for a
    /// subscription that is active throughout and has no windows of its own.
    periods: Vec<Shared>,
}

/// One period as every subscription of a scope without windows of its own sees it.
struct Shared {
    period: Period,
    measured: Measured,
    assessment: Assessment,
}

/// Checks that the inputs fit together: every subscription names a loaded contract, scope labels
/// do not conflict, charges name known subscriptions in their currency and their contract's kind
/// of period.
///
/// # Errors
/// [`Error::Invalid`] with every problem, located where the inputs came from files.
pub fn validate(inputs: &Inputs) -> Result<(), Error> {
    resolve(inputs).map(|_| ())
}

/// Each subscription's contract and full scope, or every problem found.
fn resolve(inputs: &Inputs) -> Result<Vec<(&Subscription, &Contract, Scope)>, Error> {
    let contracts: FxHashMap<&str, &Contract> =
        inputs.contracts.iter().map(|c| (c.id(), c)).collect();
    let mut problems = Problems::new();
    let located = |index: usize, field: &str, message: String| -> Problem {
        let (file, line) = match inputs.subscription_origins.get(index) {
            Some((file, line)) => (&**file, *line),
            None => ("<subscriptions>", None),
        };
        Problem::new(file, message).at(line).field(field)
    };
    let mut known: Vec<&str> = contracts.keys().copied().collect();
    known.sort_unstable();
    // Full scopes repeat: one per (contract, subscription scope).
    let mut full: FxHashMap<(&str, usize), Result<Scope, String>> = FxHashMap::default();
    let mut out = Vec::with_capacity(inputs.subscriptions.len());
    for (index, sub) in inputs.subscriptions.iter().enumerate() {
        let Some(contract) = contracts.get(&*sub.contract) else {
            problems.push(located(
                index,
                "contract",
                format!(
                    "subscription {:?} names contract {:?}, which is not loaded (known: {})",
                    &*sub.id,
                    &*sub.contract,
                    known.join(", ")
                ),
            ));
            continue;
        };
        let scope = full
            .entry((contract.id(), sub.scope.id()))
            .or_insert_with(|| engine::full_scope(contract, sub));
        match scope {
            Ok(scope) => out.push((sub, *contract, scope.clone())),
            Err(e) => problems.push(located(index, "scope", e.clone())),
        }
    }
    let by_id: FxHashMap<&str, &Subscription> = if inputs.charges.rows().is_empty() {
        FxHashMap::default()
    } else {
        inputs.subscriptions.iter().map(|s| (&*s.id, s)).collect()
    };
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
                    row.amount.currency, &*sub.id, sub.fee.currency
                ),
            ));
        }
        if let Some(c) = contracts.get(&*sub.contract) {
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
    problems.into_result(out)
}

/// A computation ready to run: inputs checked, subscriptions sorted, scopes measured.
pub struct Run<'a> {
    /// Told (subscriptions done, subscriptions in all) after each chunk is handed over.
    progress: Option<Box<dyn Fn(usize, usize) + Sync + 'a>>,
    inputs: &'a Inputs,
    breached_only: bool,
    credited_only: bool,
    jobs: Vec<Job<'a>>,
    scopes: Vec<ScopeData<'a>>,
    index: WindowIndex<'a>,
    files: Vec<InputFile>,
}

impl<'a> Run<'a> {
    /// Checks the inputs and prepares the computation of `selection`.
    ///
    /// # Errors
    /// [`Error::Invalid`] when inputs do not fit together (see [`validate`]), every problem listed.
    pub fn new(inputs: &'a Inputs, selection: &Selection) -> Result<Run<'a>, Error> {
        // Resolving subscriptions, indexing windows and ordering customers are independent: for a
        // provider's base they run side by side.
        let customers =
            || crate::textsort::order_by_text(inputs.subscriptions.iter().map(|s| &*s.customer));
        let (resolved, index, customer_order) =
            if inputs.subscriptions.len() + inputs.windows.len() > 50_000 {
                std::thread::scope(|s| {
                    let index = s.spawn(|| WindowIndex::new(&inputs.windows));
                    let order = s.spawn(customers);
                    let resolved = resolve(inputs);
                    (resolved, join(index), Some(join(order)))
                })
            } else {
                (resolve(inputs), WindowIndex::new(&inputs.windows), None)
            };
        let resolved = resolved?;
        let mut periods_of: FxHashMap<&str, Vec<Period>> = FxHashMap::default();
        // Full scopes are shared per (contract, subscription scope), so identity is enough here.
        let mut scope_ids: FxHashMap<(&str, usize), usize> = FxHashMap::default();
        let mut scopes: Vec<ScopeData<'a>> = Vec::new();
        let mut jobs = Vec::new();
        for (sub_index, (sub, contract, scope)) in resolved.into_iter().enumerate() {
            if selection
                .subscription
                .as_ref()
                .is_some_and(|s| **s != *sub.id)
                || selection
                    .customer
                    .as_ref()
                    .is_some_and(|c| **c != *sub.customer)
            {
                continue;
            }
            let periods = periods_of.entry(contract.id()).or_insert_with(|| {
                let ids = match &selection.periods {
                    Some(span) => span.periods(contract.period()),
                    None => touched_periods(contract, &inputs.windows),
                };
                ids.iter().map(|p| p.in_zone(contract.timezone())).collect()
            });
            let next = scopes.len();
            let id = *scope_ids
                .entry((contract.id(), scope.id()))
                .or_insert_with(|| {
                    let shared = SharedTimeline::new(contract, index.global(&scope));
                    let timeline = &shared.timeline;
                    let always = (
                        Instant::from_unix_seconds(i64::MIN / 4),
                        Instant::from_unix_seconds(i64::MAX / 4),
                    );
                    let periods = periods
                        .iter()
                        .map(|p| {
                            let measured = engine::measure(contract, always, timeline, p);
                            let assessment = calculator::assess(contract, &measured, p, 0);
                            Shared {
                                period: *p,
                                measured,
                                assessment,
                            }
                        })
                        .collect();
                    scopes.push(ScopeData {
                        contract,
                        scope,
                        shared,
                        periods,
                    });
                    next
                });
            jobs.push(Job {
                sub,
                sub_index,
                contract,
                scope: id,
                own: [(0, 0); 2],
            });
        }
        // Loaded files come sorted already (see `load`); inputs built in code may not.
        if !jobs.is_sorted_by(|a, b| a.sub.id.as_bytes() <= b.sub.id.as_bytes()) {
            jobs.sort_by(|a, b| a.sub.id.as_bytes().cmp(b.sub.id.as_bytes()));
        }
        // Windows naming subscriptions are found by walking two sorted lists side by side, not by
        // a million random probes: by id in job order, by customer in customer order.
        if !index.named.is_empty() {
            let by_id = index.ranges(jobs_ids(&jobs));
            for (job, range) in jobs.iter_mut().zip(by_id) {
                job.own[0] = range;
            }
            let order = customer_order.unwrap_or_else(customers);
            let mut job_of = vec![usize::MAX; inputs.subscriptions.len()];
            for (j, job) in jobs.iter().enumerate() {
                job_of[job.sub_index] = j;
            }
            let ranges = index.ranges(order.iter().map(|&i| &*inputs.subscriptions[i].customer));
            for (&i, range) in order.iter().zip(ranges) {
                if let Some(job) = jobs.get_mut(job_of[i]) {
                    job.own[1] = range;
                }
            }
        }
        // Contracts no subscription uses cannot change a claim; listing them would only make every
        // report change whenever an unrelated contract file does.
        let used: BTreeSet<&str> = scopes.iter().map(|s| s.contract.file()).collect();
        let contract_files: BTreeSet<&str> = inputs.contracts.iter().map(|c| c.file()).collect();
        let files = inputs
            .files
            .iter()
            .filter(|f| !contract_files.contains(f.path.as_str()) || used.contains(f.path.as_str()))
            .cloned()
            .collect();
        Ok(Run {
            progress: None,
            inputs,
            breached_only: selection.breached_only,
            credited_only: selection.credited_only,
            jobs,
            scopes,
            index,
            files,
        })
    }

    /// Reports progress to `report(done, total)` (in subscriptions) as chunks are handed over.
    pub fn with_progress(mut self, report: impl Fn(usize, usize) + Sync + 'a) -> Run<'a> {
        self.progress = Some(Box::new(report));
        self
    }

    /// Every claim at once, in memory, with the totals and the input files.
    pub fn collect(&self) -> Claims {
        let mut claims = Vec::new();
        let totals = self.stream(
            |chunk| chunk,
            |chunk| {
                claims.extend(chunk);
                Ok(())
            },
        );
        // The sink above cannot fail, so neither can the stream.
        Claims {
            claims,
            totals: totals.unwrap_or_default(),
            inputs: self.files.clone(),
        }
    }

    /// How many subscriptions the run covers.
    pub fn subscriptions(&self) -> usize {
        self.jobs.len()
    }

    fn report(&self, chunks_done: usize, chunk: usize) {
        if let Some(report) = &self.progress {
            report((chunks_done * chunk).min(self.jobs.len()), self.jobs.len());
        }
    }

    /// The input files the claims depend on, with their SHA-256.
    pub fn files(&self) -> &[InputFile] {
        &self.files
    }

    /// Computes every claim, handing them over chunk by chunk in order (subscription id, then
    /// period): `map` runs on worker threads with each chunk's claims, `sink` on the calling
    /// thread with `map`'s results in order. Returns the totals per currency.
    ///
    /// # Errors
    /// Whatever `sink` returns; the computation itself cannot fail once prepared.
    pub fn stream<T: Send>(
        &self,
        map: impl Fn(Vec<Claim>) -> T + Sync,
        mut sink: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<Vec<Total>, Error> {
        // Workers take chunks in order and send results back; this thread writes them in order
        // while the workers go on. A worker never runs more than AHEAD chunks past the writer,
        // so memory stays bounded however slow the sink is.
        const CHUNK: usize = 512;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 16);
        let ahead = 4 * threads;
        let chunks: Vec<&[Job<'_>]> = self.jobs.chunks(CHUNK).collect();
        let work = |jobs: &[Job<'_>]| -> (T, BTreeMap<Currency, Decimal>) {
            let mut claims = Vec::new();
            for job in jobs {
                self.subscription_claims(job, &mut claims);
            }
            let mut totals: BTreeMap<Currency, Decimal> = BTreeMap::new();
            for c in &claims {
                *totals.entry(c.currency).or_insert(Decimal::ZERO) += c.credit;
            }
            (map(claims), totals)
        };
        if chunks.len() <= 1 {
            // Not worth a thread: a billing system's call for one customer stays on its thread.
            let mut totals: BTreeMap<Currency, Decimal> = BTreeMap::new();
            for (i, chunk) in chunks.iter().enumerate() {
                let (t, part) = work(chunk);
                for (currency, credit) in part {
                    *totals.entry(currency).or_insert(Decimal::ZERO) += credit;
                }
                sink(t)?;
                self.report(i + 1, CHUNK);
            }
            return Ok(Self::totals(totals));
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let written = (Mutex::new(0usize), Condvar::new());
        let mut totals: BTreeMap<Currency, Decimal> = BTreeMap::new();
        let mut failure = None;
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, stop, written, chunks, work) = (&next, &stop, &written, &chunks, &work);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= chunks.len() {
                        break;
                    }
                    let mut done = written.0.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + ahead && !stop.load(Ordering::Relaxed) {
                        done = written.1.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    if stop.load(Ordering::Relaxed) || tx.send((i, work(chunks[i]))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            let mut pending = BTreeMap::new();
            let mut expected = 0;
            for (i, result) in rx {
                pending.insert(i, result);
                while let Some((t, part)) = pending.remove(&expected) {
                    for (currency, credit) in part {
                        *totals.entry(currency).or_insert(Decimal::ZERO) += credit;
                    }
                    if let Err(e) = sink(t) {
                        failure = Some(e);
                    }
                    expected += 1;
                    self.report(expected, CHUNK);
                    *written.0.lock().unwrap_or_else(|e| e.into_inner()) = expected;
                    written.1.notify_all();
                    if failure.is_some() {
                        break;
                    }
                }
                if failure.is_some() {
                    stop.store(true, Ordering::Relaxed);
                    written.1.notify_all();
                    break;
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        Ok(Self::totals(totals))
    }

    /// Totals per currency, sorted by code, each with its minor-unit digits.
    fn totals(totals: BTreeMap<Currency, Decimal>) -> Vec<Total> {
        let mut out: Vec<Total> = totals
            .into_iter()
            .map(|(currency, credit)| Total {
                currency,
                credit: currency.round_down(credit),
            })
            .collect();
        out.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
        out
    }

    /// The claims of one subscription, in period order, with the annual cap applied from the
    /// start of each year.
    fn subscription_claims(&self, job: &Job<'_>, out: &mut Vec<Claim>) {
        let (sub, contract) = (job.sub, job.contract);
        let data = &self.scopes[job.scope];
        let active = engine::active_range(contract, sub);
        let own: Vec<&Window> = self
            .index
            .own(job)
            .iter()
            .map(|&i| &self.inputs.windows[i])
            .filter(|w| engine::applies(w, &data.scope, &sub.id, &sub.customer))
            .collect();
        // Where the subscription's own windows change nothing, the scope's shared measurement holds.
        let (timeline, affected): (Cow<'_, Timeline>, Vec<(i64, i64)>) = if own.is_empty() {
            (Cow::Borrowed(&data.shared.timeline), Vec::new())
        } else {
            let (t, affected) = data.shared.with(contract, &own);
            (Cow::Owned(t), affected)
        };
        let timeline = &*timeline;
        let untouched = |p: &Period| {
            let (lo, hi) = (p.start.unix_seconds(), p.end.unix_seconds());
            !affected.iter().any(|&(a, b)| a < hi && b > lo)
        };
        let credits = contract.credits();
        let in_active = |p: &Period| p.start < active.1 && p.end > active.0;
        let Some(first) = data.periods.iter().find(|s| in_active(&s.period)) else {
            return;
        };
        // With an annual cap, every earlier period of the year counts towards it.
        let earlier: Vec<Period> = if credits.annual_cap.is_some() {
            let jan1 = chrono::NaiveDate::from_ymd_opt(first.period.id.year(), 1, 1)
                .unwrap_or(first.period.id.first_day());
            let mut p = PeriodId::containing(contract.period(), jan1);
            let mut v = Vec::new();
            while p < first.period.id {
                v.push(p.in_zone(contract.timezone()));
                p = p.next();
            }
            v
        } else {
            Vec::new()
        };
        let periods = earlier
            .into_iter()
            .map(|p| (p, None))
            .chain(data.periods.iter().map(|s| (s.period, Some(s))));
        // Shared results hold for a subscription active throughout the period where its own
        // windows change nothing; `fixed` also depends on earlier periods, so it is always computed.
        let shareable = !matches!(credits.model, CreditModel::Fixed { .. });
        let quiet = (self.breached_only || self.credited_only) && credits.annual_cap.is_none();
        let currency = sub.fee.currency;
        let mut year: Option<(i32, Decimal, Decimal)> = None; // (year, limit, issued)
        for (period, shared) in periods {
            if !in_active(&period) {
                continue;
            }
            let wanted = shared.is_some();
            // No incident, no downtime, no breach: nothing to report when only breaches are.
            if quiet && !timeline.has_incident_in(period.start, period.end) {
                continue;
            }
            let whole = active.0 <= period.start && active.1 >= period.end;
            let (measured, assessment) = match shared {
                Some(s) if shareable && whole && untouched(&period) => {
                    (Cow::Borrowed(&s.measured), Cow::Borrowed(&s.assessment))
                }
                _ => {
                    let m = engine::measure(contract, active, timeline, &period);
                    let fixed_incidents = match &credits.model {
                        CreditModel::Fixed { min_incident, .. } => m
                            .incidents
                            .iter()
                            .filter(|i| {
                                i.end.since(i.start) >= *min_incident
                                    && i.downtime_seconds > Decimal::ZERO
                            })
                            .filter(|i| {
                                !engine::counted_before(contract, active, i, timeline, period.start)
                            })
                            .count(),
                        _ => 0,
                    };
                    let a = calculator::assess(contract, &m, &period, fixed_incidents);
                    (Cow::Owned(m), Cow::Owned(a))
                }
            };
            if quiet && self.breached_only && !assessment.breached {
                continue;
            }
            let b = basis(contract, sub, active, &period, &self.inputs.charges);
            let priced = calculator::price(contract, &assessment, b, currency);
            let mut credit = priced.credit;
            let mut capped = priced.capped;
            let mut steps = priced.steps;
            if let Some(cap) = credits.annual_cap {
                let y = period.id.year();
                if year.is_none_or(|(current, _, _)| current != y) {
                    let annual_basis: Decimal = year_periods(contract, y)
                        .iter()
                        .map(|p| basis(contract, sub, active, p, &self.inputs.charges).amount)
                        .sum();
                    let limit = cap
                        .limit(annual_basis)
                        .map_or(Decimal::MAX, |l| currency.round_down(l));
                    year = Some((y, limit, Decimal::ZERO));
                }
                if let Some((_, limit, issued)) = year.as_mut() {
                    let remaining = (*limit - *issued).max(Decimal::ZERO);
                    steps.annual_cap_remaining = Some(remaining);
                    if credit > remaining {
                        credit = currency.round_down(remaining);
                        capped = true;
                    }
                    *issued += credit;
                }
            }
            if !wanted
                || (self.breached_only && !assessment.breached)
                || (self.credited_only && credit.is_zero())
            {
                continue;
            }
            let assessment = assessment.into_owned();
            out.push(Claim {
                subscription: sub.id.clone(),
                customer: sub.customer.clone(),
                contract: sub.contract.clone(),
                period: period.id,
                period_start: period.start,
                period_end: period.end,
                eligible_minutes: engine::minutes(measured.eligible),
                downtime_minutes: engine::minutes(measured.downtime),
                excluded_minutes: engine::minutes(measured.excluded),
                eligible_seconds: measured.eligible,
                downtime_seconds: measured.downtime,
                excluded_seconds: measured.excluded,
                uptime_percent: assessment.uptime_percent,
                commitment_percent: contract.commitment(),
                breached: assessment.breached,
                credit_percent: assessment.credit_percent,
                basis: b.amount,
                credit,
                currency,
                capped,
                claim_deadline: assessment.deadline,
                note: assessment.note,
                next_tier: assessment.next_tier,
                incidents: measured.incidents.clone(),
                steps,
            });
        }
    }
}

/// Computes the claims of every selected subscription and period, all in memory. For large runs,
/// [`Run::stream`] hands them over chunk by chunk instead.
///
/// # Errors
/// [`Error::Invalid`] when inputs do not fit together (see [`validate`]), every problem listed.
pub fn compute(inputs: &Inputs, selection: &Selection) -> Result<Claims, Error> {
    Ok(Run::new(inputs, selection)?.collect())
}

/// The result of a scoped thread; a panic there goes on here.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The ids of `jobs`, in order.
fn jobs_ids<'j>(jobs: &'j [Job<'_>]) -> impl Iterator<Item = &'j str> {
    jobs.iter().map(|j| &*j.sub.id)
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
    active: (Instant, Instant),
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
    /// (name, window) for each name a window is limited to (subscription id or customer), sorted
    /// by name, then window.
    named: Vec<(&'a str, u32)>,
}

impl<'a> WindowIndex<'a> {
    fn new(windows: &'a [Window]) -> WindowIndex<'a> {
        let mut global = Vec::new();
        let mut named: Vec<(&str, u32)> = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            if w.customers.is_empty() {
                global.push(i);
            }
            named.extend(w.customers.iter().map(|c| (c.as_str(), i as u32)));
        }
        // Stable: equal names keep window order.
        let order = crate::textsort::order_by_text(named.iter().map(|(n, _)| *n));
        let named = crate::textsort::permute(named, &order);
        WindowIndex {
            windows,
            global,
            named,
        }
    }

    /// Global windows whose labels match `scope`.
    fn global<'s>(&'s self, scope: &'s Scope) -> impl Iterator<Item = &'a Window> + 's {
        self.global
            .iter()
            .map(|&i| &self.windows[i])
            .filter(move |w| w.scope.covers(scope))
    }

    /// For `names` in ascending byte order, the range of `named` entries equal to each.
    fn ranges<'n>(&self, names: impl Iterator<Item = &'n str>) -> Vec<(u32, u32)> {
        let mut at = 0;
        names
            .map(|name| {
                let name = name.as_bytes();
                while at < self.named.len() && self.named[at].0.as_bytes() < name {
                    at += 1;
                }
                let start = at;
                let mut end = at;
                while end < self.named.len() && self.named[end].0.as_bytes() == name {
                    end += 1;
                }
                (start as u32, end as u32)
            })
            .collect()
    }

    /// Windows naming a job's subscription by id or customer (before the scope check), each once,
    /// in input order.
    fn own(&self, job: &Job<'_>) -> Vec<usize> {
        let [(a, b), (c, d)] = job.own;
        let by_id = self.named[a as usize..b as usize]
            .iter()
            .map(|&(_, w)| w as usize);
        let by_customer = self.named[c as usize..d as usize]
            .iter()
            .map(|&(_, w)| w as usize);
        let mut out: Vec<usize> = by_id.chain(by_customer).collect();
        if c < d && a < b {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}
