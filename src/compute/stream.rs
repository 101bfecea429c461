//! Running a computation: chunks of subscriptions on every core, handed over in order.

use super::subscription::Local;
use super::{Job, Run, Total};
use crate::claim::Claim;
use crate::claim::{Emit, Parts};
use crate::error::Error;
use crate::money::Totals;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

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
    pub fn stream_with<E: Emit, T: Send>(
        &self,
        start: impl Fn(usize) -> E + Sync,
        finish: impl Fn(&mut E) -> T + Sync,
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
        let chunks = self.chunks(CHUNK);
        let work = |jobs: &[Job<'_>], local: &Local, emit: &mut E| {
            let mut out = Totaled {
                inner: emit,
                totals: Totals::default(),
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
        if chunks.len() <= 1 {
            // Not worth a thread: a billing system's call for one customer stays on its thread.
            let mut totals = Totals::default();
            let local = self.local();
            let mut emit = start(CHUNK);
            for (i, chunk) in chunks.iter().enumerate() {
                let (t, part) = work(chunk, &local, &mut emit);
                totals.merge(part);
                sink(t)?;
                self.report(chunks[..=i].iter().map(|c| c.len()).sum());
            }
            return Ok(totals_of(totals));
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let written = (Mutex::new(0usize), Condvar::new());
        let mut totals = Totals::default();
        let mut failure = None;
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, stop, written, chunks) = (&next, &stop, &written, &chunks);
                let (work, start) = (&work, &start);
                s.spawn(move || {
                    let local = self.local();
                    let mut emit = start(CHUNK);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= chunks.len() {
                            break;
                        }
                        let mut done = written.0.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *done + ahead && !stop.load(Ordering::Relaxed) {
                            done = written.1.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                        drop(done);
                        if stop.load(Ordering::Relaxed)
                            || tx.send((i, work(chunks[i], &local, &mut emit))).is_err()
                        {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut pending = BTreeMap::new();
            let mut expected = 0;
            for (i, result) in rx {
                pending.insert(i, result);
                while let Some((t, part)) = pending.remove(&expected) {
                    totals.merge(part);
                    if let Err(e) = sink(t) {
                        failure = Some(e);
                    }
                    expected += 1;
                    self.report(chunks[..expected].iter().map(|c| c.len()).sum());
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
        Ok(totals_of(totals))
    }
}

/// An [`Emit`] adding up the credits it passes on, per currency.
struct Totaled<'e, E> {
    inner: &'e mut E,
    totals: Totals,
}

impl<E: Emit> Emit for Totaled<'_, E> {
    fn emit(&mut self, parts: Parts<'_>) {
        self.totals.add(parts.currency, parts.credit);
        self.inner.emit(parts);
    }
}

/// The claims' totals: per currency, rounded down to the minor unit, sorted by code.
fn totals_of(totals: Totals) -> Vec<Total> {
    let rounded = totals.rounded_down().into_iter();
    rounded
        .map(|m| Total {
            currency: m.currency,
            credit: m.amount,
        })
        .collect()
}
