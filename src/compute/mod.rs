//! From inputs to claims: validates references between inputs, picks the periods, runs the
//! engine and the calculator per subscription, applies annual caps, and hands the claims over in
//! order.
//!
//! Built for a provider's whole customer base: windows are indexed by scope and by customer; the
//! windows of each scope are merged and measured once and reused by every subscription that has no
//! windows of its own; subscriptions are processed in id order, in chunks, on every core, and each
//! chunk's claims are handed to the caller (and can be dropped) before the next is computed.

mod plan;
mod pool;
mod stream;
mod subscription;

use crate::calculator::{self, Assessment};
use crate::claim::Detail;
pub use crate::claim::{Claims, Total};
use crate::contract::Contract;
use crate::engine::{self, Measured, SharedTimeline};
use crate::error::Error;
use crate::input::InputFile;
pub use crate::inputs::{Inputs, Selection};
use crate::period::Period;
use crate::prepare::{resolve, Loaded, Own, Prepared, WindowIndex};
use crate::scope::Scope;
use crate::subscription::Subscription;
use crate::time::Instant;
use plan::plan;
use std::collections::BTreeSet;

/// A subscription ready to compute: the index of its (contract, full scope) in the run's scopes.
/// A provider's million of them are 32 bytes each.
struct Job<'a> {
    sub: &'a Subscription,
    scope: u32,
    /// Entries of the window index naming this subscription.
    own: Own,
}

/// Above this many distinct scopes among windows naming someone, scope matches are not
/// tabulated per subscription scope (real inputs have dozens; hostile ones could have a million).
const MAX_TABULATED_SCOPES: usize = 4096;

/// What every subscription of one contract and full scope shares.
struct ScopeData<'a> {
    contract: &'a Contract,
    scope: Scope,
    /// The timeline of the windows without `customers` that apply to this scope.
    shared: SharedTimeline<'a>,
    /// Whether each scope of [`WindowIndex::scopes`] covers this one; empty when there are too
    /// many to tabulate (then each is checked when met).
    covers: Vec<bool>,
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
    resolve(inputs, None, false).map(|_| ())
}

/// A computation ready to run: inputs checked, subscriptions sorted, scopes measured.
pub struct Run<'a> {
    /// Told (subscriptions done, subscriptions in all) after each chunk is handed over.
    progress: Option<Box<dyn Fn(usize, usize) + Sync + 'a>>,
    inputs: &'a Inputs,
    breached_only: bool,
    credited_only: bool,
    detail: Detail,
    jobs: Vec<Job<'a>>,
    scopes: Vec<ScopeData<'a>>,
    index: WindowIndex,
    files: Vec<InputFile>,
    /// The at-risk pools of the run's customers, where any subscription's contract has one.
    pools: Option<pool::Pools>,
    /// This run is the first pass over the pools' members ([`pool::Pools::of`]): it hands
    /// over every period it prices, and caps none.
    pool_pass: bool,
}

impl<'a> Run<'a> {
    /// Checks the inputs and prepares the computation of `selection`.
    ///
    /// # Errors
    /// [`Error::Invalid`] when inputs do not fit together (see [`validate`]), every problem listed.
    pub fn new(inputs: &'a Inputs, selection: &Selection) -> Result<Run<'a>, Error> {
        Run::prepared(inputs, selection, Prepared::default())
    }

    /// As [`Run::new`], with what was worked out while the inputs were read.
    pub(crate) fn prepared(
        inputs: &'a Inputs,
        selection: &Selection,
        prepared: Prepared,
    ) -> Result<Run<'a>, Error> {
        let mut run = Run::build(inputs, selection, prepared, None)?;
        run.pools = pool::Pools::of(&run, inputs, selection)?;
        Ok(run)
    }

    /// As [`Run::prepared`], without the pools; with `pool_pass`, the first pass over the
    /// members of the pools of these customers ([`pool::Pools::of`]).
    fn build(
        inputs: &'a Inputs,
        selection: &Selection,
        prepared: Prepared,
        pool_pass: Option<&BTreeSet<&str>>,
    ) -> Result<Run<'a>, Error> {
        // A provider's base, worth a second thread at each step of preparing.
        let large = inputs.subscriptions.len() + inputs.windows.len() > 50_000;
        let index = prepared.index.filter(|i| i.is_of(&inputs.windows));
        let resolution = prepared
            .resolution
            .filter(|r| r.as_ref().map_or(true, |r| r.is_of(&inputs.subscriptions)));
        // Resolving subscriptions and indexing windows are independent: for a provider's base
        // they run side by side.
        let resolved = |resolution| resolve(inputs, resolution, true);
        let (resolved, index) = match index {
            Some(index) => (resolved(resolution), index),
            None if large => rayon::join(
                || resolved(resolution),
                || WindowIndex::new(&inputs.windows),
            ),
            None => (resolved(resolution), WindowIndex::new(&inputs.windows)),
        };
        let mut resolved = resolved?;
        let customers = resolved.take_customers(&inputs.subscriptions);
        // Which names in the index may be customers' (see below) does not depend on the jobs:
        // for a provider's base, it is worked out on one core while the other plans them.
        let ((mut jobs, keys), named) = if large && !index.named.is_empty() {
            let (planned, named) = rayon::join(
                || plan(inputs, resolved, selection),
                || index.customer_names_in(&customers, false),
            );
            (planned, Some(named))
        } else {
            let named = (!index.named.is_empty()).then(|| index.customer_names(&customers));
            (plan(inputs, resolved, selection), named)
        };
        plan::calendar_years(&keys, &inputs.windows)?;
        if let Some(customers) = pool_pass {
            jobs.retain(|j| {
                let at_risk = keys[j.scope as usize].0.credits().model.pool().is_some();
                at_risk && customers.contains(&*j.sub.customer)
            });
        }
        let always = (
            Instant::from_unix_seconds(i64::MIN / 4),
            Instant::from_unix_seconds(i64::MAX / 4),
        );
        let scopes: Vec<ScopeData<'a>> = keys
            .into_iter()
            .map(|(contract, scope, periods)| {
                let windows = index.global(&inputs.windows, &scope);
                let parts = engine::Parts::of(contract, &scope);
                let shared =
                    SharedTimeline::new(contract, windows.into_iter(), selection.detail, parts);
                let timeline = &shared.timeline;
                let periods: Vec<Shared> = periods
                    .iter()
                    .map(|p| {
                        let measured = engine::measure(contract, always, timeline, p);
                        let assessment =
                            calculator::assess(contract, &measured, p, 0, selection.detail);
                        Shared {
                            period: *p,
                            measured,
                            assessment,
                        }
                    })
                    .collect();
                let covers = if index.scopes.len() <= MAX_TABULATED_SCOPES {
                    index.scopes.iter().map(|s| s.covers(&scope)).collect()
                } else {
                    Vec::new()
                };
                ScopeData {
                    contract,
                    scope,
                    shared,
                    covers,
                    periods,
                }
            })
            .collect();
        // Loaded files come sorted already (see `load`); inputs built in code may not.
        if !prepared.sorted && !jobs.is_sorted_by(|a, b| a.sub.id.as_bytes() <= b.sub.id.as_bytes())
        {
            jobs.sort_by(|a, b| a.sub.id.as_bytes().cmp(b.sub.id.as_bytes()));
        }
        // Windows naming subscriptions are found by walking two sorted lists side by side (ids in
        // job order, names in the index), not by a million random probes. Customers are not in
        // id order, and few names in the index are customers': those the customers' filter may
        // hold are set apart first, and customers are looked up among them alone.
        if let Some(named) = named {
            let own = |jobs: &mut [Job<'_>]| {
                let by_id = index.ranges(jobs_ids(jobs));
                for (job, range) in jobs.iter_mut().zip(by_id) {
                    job.own[0] = range;
                    job.own[1] = named.range_of(&job.sub.customer);
                }
            };
            if large {
                // Each half of the jobs on its own core.
                let half = jobs.len() / 2;
                let (first, second) = jobs.split_at_mut(half);
                rayon::join(|| own(first), || own(second));
            } else {
                own(&mut jobs);
            }
        }
        // Contracts no subscription uses cannot change a claim; listing them would only make every
        // report change whenever an unrelated contract file does.
        // So with the holiday calendars they name.
        let with_calendar = |c: &'a Contract| {
            let calendar = c.service_hours().and_then(|h| h.calendar());
            std::iter::once(c.file()).chain(calendar.map(|c| c.file()))
        };
        let used: BTreeSet<&str> = scopes
            .iter()
            .flat_map(|s| with_calendar(s.contract))
            .collect();
        let contract_files: BTreeSet<&str> =
            inputs.contracts.iter().flat_map(with_calendar).collect();
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
            detail: selection.detail,
            jobs,
            scopes,
            index,
            files,
            pools: None,
            pool_pass: pool_pass.is_some(),
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

    fn report(&self, done: usize) {
        if let Some(report) = &self.progress {
            report(done.min(self.jobs.len()), self.jobs.len());
        }
    }

    /// The jobs in chunks of up to `most` subscriptions, cut sooner where their claims list many
    /// incidents: a chunk's claims are held (and, streamed, printed) whole, so a few
    /// subscriptions with a year of dense windows each must not make one chunk of the whole
    /// report.
    fn chunks(&self, most: usize) -> Vec<&[Job<'a>]> {
        /// About how many listed incidents a chunk holds at most.
        const INCIDENTS: usize = 20_000;
        let weight = |job: &Job<'_>| -> usize {
            let shared: usize = self.scopes[job.scope as usize]
                .periods
                .iter()
                .map(|p| p.measured.incidents.len())
                .sum();
            let own: u32 = job.own.iter().map(|(a, b)| b - a).sum();
            1 + shared + own as usize
        };
        let mut chunks = Vec::new();
        let (mut start, mut load) = (0, 0);
        for (k, job) in self.jobs.iter().enumerate() {
            load += weight(job);
            if k + 1 - start == most || load >= INCIDENTS {
                chunks.push(&self.jobs[start..=k]);
                (start, load) = (k + 1, 0);
            }
        }
        if start < self.jobs.len() {
            chunks.push(&self.jobs[start..]);
        }
        chunks
    }

    /// Whether a contract of the run has earn-back: its claims and totals then say what is
    /// due and pending (SPEC 2.7).
    pub fn has_earn_back(&self) -> bool {
        self.scopes
            .iter()
            .any(|s| s.contract.credits().earn_back.is_some())
    }

    /// The inputs it computes from.
    pub fn inputs(&self) -> &'a Inputs {
        self.inputs
    }

    /// The input files the claims depend on, with their SHA-256.
    pub fn files(&self) -> &[InputFile] {
        &self.files
    }
}

impl Loaded {
    /// Checks that the inputs fit together, as [`validate`], from the subscriptions' resolution
    /// worked out as they were read (a later run works it out again).
    ///
    /// # Errors
    /// As [`validate`].
    pub fn validate(&mut self) -> Result<(), Error> {
        let subscriptions = &self.inputs.subscriptions;
        let resolution = (self.prepared.resolution.take())
            .filter(|r| r.as_ref().map_or(true, |r| r.is_of(subscriptions)));
        resolve(&self.inputs, resolution, false).map(|_| ())
    }

    /// Checks the inputs and prepares the computation of `selection` (as [`Run::new`]) from
    /// what was worked out as they were read. The first run takes that; another works it out
    /// again.
    ///
    /// # Errors
    /// As [`Run::new`].
    pub fn run(&mut self, selection: &Selection) -> Result<Run<'_>, Error> {
        let prepared = std::mem::take(&mut self.prepared);
        Run::prepared(&self.inputs, selection, prepared)
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

/// The ids of `jobs`, in order.
fn jobs_ids<'j>(jobs: &'j [Job<'_>]) -> impl Iterator<Item = &'j str> + Clone {
    jobs.iter().map(|j| &*j.sub.id)
}
