//! Running a computation: chunks of subscriptions on every core, handed over in order.

use super::subscription::Local;
use super::{Job, Run, Total};
use crate::claim::{Claim, EarnBackStatus};
use crate::claim::{Emit, Parts};
use crate::error::Error;
use crate::money::Totals;
use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

impl Run<'_> {
    /// Computes every claim, handing them over chunk by chunk in order (subscription id, then
    /// period): `map` runs on worker threads with each chunk's claims, `sink` on the calling
    /// thread with `map`'s results in order. Returns the totals per currency.
    ///
    /// # Errors
    /// Whatever `sink` returns; the computation itself cannot fail once prepared.
    pub fn stream<T: Send>(
        &self,
        map: impl Fn(Vec<Claim>) -> T + Sync,
        sink: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<Vec<Total>, Error> {
        // A few claims per subscription: room for them up front, not copied as it grows.
        self.stream_with(
            |n| Vec::with_capacity(n * 4),
            |claims| {
                map(std::mem::replace(
                    claims,
                    Vec::with_capacity(claims.capacity()),
                ))
            },
            sink,
        )
    }

    /// As [`Run::stream`], with each chunk's claims going to an [`Emit`] as they are computed:
    /// `start(n)` makes one for each thread, for chunks of up to `n` subscriptions; `finish` takes
    /// what it holds of a chunk as what `sink` takes, and leaves it ready for the next. A report
    /// that prints claims as they come need not build them, and can keep what it prints for
    /// every chunk once per thread (the CLI's CSV: `report::csv::Columns::writer`).
    ///
    /// # Errors
    /// Whatever `sink` returns.
    pub fn stream_with<E: Emit + Send, T: Send>(
        &self,
        start: impl Fn(usize) -> E + Sync,
        finish: impl Fn(&mut E) -> T + Sync,
        mut sink: impl FnMut(T) -> Result<(), Error>,
    ) -> Result<Vec<Total>, Error> {
        const CHUNK: usize = 512;
        let chunks = self.chunks(CHUNK);
        let work = |jobs: &[Job<'_>], local: &Local, emit: &mut E| {
            let mut out = Totaled {
                inner: emit,
                totals: Sums::default(),
            };
            for group in jobs.chunks(32) {
                self.index
                    .prefetch(&self.inputs.windows, group.iter().map(|job| job.own));
                for job in group {
                    self.subscription_claims(job, local, &mut out);
                }
            }
            (finish(out.inner), out.totals)
        };
        // Not worth a thread: a billing system's call for one customer stays on its thread. Nor
        // from a thread of rayon's pool itself (a caller's own parallel loop): waiting there for
        // tasks queued behind it could wait forever on a pool of one.
        if chunks.len() <= 1 || rayon::current_thread_index().is_some() {
            let mut totals = Sums::default();
            let local = self.local();
            let mut emit = start(CHUNK);
            for (i, chunk) in chunks.iter().enumerate() {
                let (t, part) = work(chunk, &local, &mut emit);
                totals.merge(part);
                sink(t)?;
                self.report(chunks[..=i].iter().map(|c| c.len()).sum());
            }
            return Ok(self.totals_of(totals));
        }
        // Each chunk is a task on rayon's pool, sent back when done; this thread writes them in
        // order as they arrive. A chunk is started only when the one `ahead` places before it is
        // written, so memory stays bounded however slow the sink is, and the pool never waits
        // for the writer while there is work within reach. Each pool thread keeps its own copies
        // (`Local`) and emitter from chunk to chunk.
        let threads = rayon::current_num_threads();
        let ahead = 4 * threads;
        let slots: Vec<Mutex<Option<(Local, E)>>> =
            (0..threads).map(|_| Mutex::new(None)).collect();
        let compute = |chunk: &[Job<'_>]| -> (T, Sums) {
            let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
            let mut held = slots[slot].lock().unwrap_or_else(|e| e.into_inner());
            let (local, emit) = held.get_or_insert_with(|| (self.local(), start(CHUNK)));
            work(chunk, local, emit)
        };
        let mut totals = Sums::default();
        rayon::in_place_scope_fifo(|s| -> Result<(), Error> {
            let (tx, rx) = mpsc::channel();
            let start_chunk = |i: usize| {
                let (tx, compute, chunk) = (tx.clone(), &compute, chunks[i]);
                s.spawn_fifo(move |_| {
                    // The receiver is gone only when writing failed: nothing more is wanted.
                    let _ = tx.send((i, compute(chunk)));
                });
            };
            let mut started = ahead.min(chunks.len());
            (0..started).for_each(&start_chunk);
            let mut pending = BTreeMap::new();
            let mut written = 0;
            while written < chunks.len() {
                let Ok((i, result)) = rx.recv() else { break };
                pending.insert(i, result);
                while let Some((t, part)) = pending.remove(&written) {
                    totals.merge(part);
                    sink(t)?;
                    written += 1;
                    self.report(chunks[..written].iter().map(|c| c.len()).sum());
                    if started < chunks.len() {
                        start_chunk(started);
                        started += 1;
                    }
                }
            }
            Ok(())
        })?;
        Ok(self.totals_of(totals))
    }

    /// The claims' totals: per currency, rounded down to the minor unit, sorted by code; with
    /// what is due and pending under earn-back where a contract of the run has it.
    fn totals_of(&self, sums: Sums) -> Vec<Total> {
        let earn_back = self.has_earn_back();
        let part = |totals: &Totals, currency| {
            let amount = totals.get(currency);
            earn_back.then(|| currency.round_down(amount))
        };
        let rounded = sums.credit.rounded_down().into_iter();
        rounded
            .map(|m| Total {
                currency: m.currency,
                credit: m.amount,
                due: part(&sums.due, m.currency),
                pending: part(&sums.pending, m.currency),
            })
            .collect()
    }
}

/// Credits added up per currency: all, and those due and pending under earn-back.
#[derive(Default)]
struct Sums {
    credit: Totals,
    due: Totals,
    pending: Totals,
}

impl Sums {
    fn merge(&mut self, other: Sums) {
        self.credit.merge(other.credit);
        self.due.merge(other.due);
        self.pending.merge(other.pending);
    }
}

/// An [`Emit`] adding up the credits it passes on, per currency.
struct Totaled<'e, E> {
    inner: &'e mut E,
    totals: Sums,
}

impl<E: Emit> Emit for Totaled<'_, E> {
    fn emit(&mut self, parts: Parts<'_>) {
        self.totals.credit.add(parts.currency, parts.credit);
        match parts.earn_back.map(|e| e.status) {
            Some(EarnBackStatus::Due) => self.totals.due.add(parts.currency, parts.credit),
            Some(EarnBackStatus::Pending) => self.totals.pending.add(parts.currency, parts.credit),
            _ => {}
        }
        self.inner.emit(parts);
    }
}
