//! CSV rows printed as claims are computed, for the CLI's runs over a provider's base: no claim
//! is built, and the columns of a scope's shared period are printed once per thread.

use super::{is_own, own_cell, push_cells, text, Columns, Own, Row};
use crate::claim::{Emit, Parts};

impl Columns {
    /// Rows printed as the claims are computed, without building them (see
    /// [`crate::Run::stream_with`]), on one thread; `subscriptions` in a chunk sizes the buffer.
    pub fn writer(&self, subscriptions: usize) -> RowWriter<'_> {
        let mut segments: Vec<Segment> = Vec::new();
        for (n, &col) in self.0.iter().enumerate() {
            match segments.last_mut() {
                Some(Segment::Shared(run)) if !is_own(col) => run.end = n + 1,
                _ if is_own(col) => segments.push(Segment::Own(col)),
                _ => segments.push(Segment::Shared(n..n + 1)),
            }
        }
        RowWriter {
            columns: self,
            out: Vec::with_capacity(subscriptions * 4 * 24 * self.0.len()),
            segments,
            shared: Vec::new(),
            runs: Vec::new(),
            printed: Vec::new(),
            limit: SHARED_BYTES,
        }
    }
}

/// CSV rows of claims as they are computed: the same bytes as [`Columns::rows`] of the claims.
pub struct RowWriter<'c> {
    columns: &'c Columns,
    /// The rows of the chunk being computed.
    out: Vec<u8>,
    /// The chosen columns as they depend on the claim: one column of the subscription's own, or
    /// a run of columns that depend on the period's measurement and assessment only.
    segments: Vec<Segment>,
    /// For each shared period met (see [`Parts::shared`]), by scope and period, where its
    /// printed runs start in `runs`, plus one (zero: not printed yet). Kept from chunk to chunk:
    /// a scope's periods come back in every chunk. A table, not a map: a run's scopes and their
    /// periods are numbered from zero, and two million rows look it up.
    shared: Vec<Vec<usize>>,
    /// Each printed run of a shared period, as a range of `printed`.
    runs: Vec<(usize, usize)>,
    printed: Vec<u8>,
    /// How many bytes of `printed` to keep before starting over ([`SHARED_BYTES`]).
    limit: usize,
}

/// How many bytes of shared periods' columns a writer keeps before starting over: a provider's
/// few hundred (scope, period) pairs fit many times, a million distinct scopes would not.
const SHARED_BYTES: usize = 1 << 20;

/// Part of a row: see [`RowWriter::segments`].
enum Segment {
    /// A column of the subscription or the price (see [`is_own`]).
    Own(usize),
    /// Positions in the chosen columns, consecutive.
    Shared(std::ops::Range<usize>),
}

impl RowWriter<'_> {
    /// The rows written since the last call.
    pub fn finish(&mut self) -> String {
        let capacity = self.out.capacity();
        text(std::mem::replace(
            &mut self.out,
            Vec::with_capacity(capacity),
        ))
    }

    /// Where the printed runs of shared period `key` start, if printed.
    fn printed(&self, (scope, period): (u32, u32)) -> Option<usize> {
        let at = *self.shared.get(scope as usize)?.get(period as usize)?;
        at.checked_sub(1)
    }

    /// Prints the shared columns of `row`, the first of shared period `key`, and remembers them;
    /// returns where its runs start.
    fn print_shared(&mut self, (scope, period): (u32, u32), row: &Row<'_>) -> usize {
        let first = self.runs.len();
        let (scope, period) = (scope as usize, period as usize);
        if self.shared.len() <= scope {
            self.shared.resize_with(scope + 1, Vec::new);
        }
        let periods = &mut self.shared[scope];
        if periods.len() <= period {
            periods.resize(period + 1, 0);
        }
        periods[period] = first + 1;
        for segment in &self.segments {
            if let Segment::Shared(run) = segment {
                let start = self.printed.len();
                push_cells(&mut self.printed, row, &self.columns.0[run.clone()]);
                self.runs.push((start, self.printed.len()));
            }
        }
        first
    }
}

impl Emit for RowWriter<'_> {
    fn emit(&mut self, parts: Parts<'_>) {
        let Some(key) = parts.shared else {
            return self.columns.push_row(&mut self.out, &Row::of_parts(&parts));
        };
        // A billing run prints each shared period for thousands of subscriptions: its columns
        // are printed once and copied after, and only its own columns are looked at.
        if self.printed.len() > self.limit {
            self.shared.clear();
            self.runs.clear();
            self.printed.clear();
        }
        let first = match self.printed(key) {
            Some(first) => first,
            None => self.print_shared(key, &Row::of_parts(&parts)),
        };
        let own = Own::of_parts(&parts);
        let (segments, runs, printed) = (&self.segments, &self.runs, &self.printed);
        let out = &mut self.out;
        let mut run = first;
        for (n, segment) in segments.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            match *segment {
                Segment::Own(col) => own_cell(out, &own, col),
                Segment::Shared(_) => {
                    let (a, b) = runs[run];
                    out.extend_from_slice(&printed[a..b]);
                    run += 1;
                }
            }
        }
        out.push(b'\n');
    }
}

impl<'a> Own<'a> {
    /// The same as [`Row::of_claim`]'s of the claim `p` makes (`Parts::claim`).
    fn of_parts(p: &Parts<'a>) -> Own<'a> {
        Own {
            subscription: &p.sub.id,
            customer: &p.sub.customer,
            contract: &p.sub.contract,
            basis: p.basis,
            credit: p.credit,
            currency: p.currency,
            capped: p.capped,
            earn_back: p.earn_back,
            credit_before_earn_back: p.credit_before_earn_back,
        }
    }
}

impl<'a> Row<'a> {
    /// The same as [`Row::of_claim`] of the claim `p` makes (`Parts::claim`).
    fn of_parts(p: &Parts<'a>) -> Row<'a> {
        let a = p.assessment;
        Row {
            own: Own::of_parts(p),
            period: p.period.id,
            period_start: p.period.start,
            period_end: p.period.end,
            minutes: p.measured.minutes,
            uptime_percent: a.uptime_percent,
            commitment_percent: p.contract.commitment(),
            breached: a.breached,
            credit_percent: a.credit_percent,
            claim_deadline: a.deadline,
            note: a.note.as_deref(),
            next_tier: a.next_tier,
            incidents: p.incidents.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{Inputs, Run, Selection};
    use crate::report::csv::COLUMNS;
    use crate::time::Instant;
    use crate::{Contract, Detail, Money, PeriodSpan, Subscription, Window};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// `columns` of `inputs`' claims, printed from built claims and as they are computed.
    /// With `limit`, the writers keep that many bytes of shared periods' columns.
    fn both_ways(
        inputs: &Inputs,
        selection: &Selection,
        all: &Columns,
        limit: usize,
    ) -> (String, String) {
        let run = Run::new(inputs, selection).unwrap();
        let built = all.rows(&run.collect().claims);
        let mut streamed = String::new();
        run.stream_with(
            |n| RowWriter {
                limit,
                ..all.writer(n)
            },
            |rows| rows.finish(),
            |text| {
                streamed.push_str(&text);
                Ok(())
            },
        )
        .unwrap();
        (built, streamed)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A row printed as its claim is computed is the row printed from the claim: shared and
        /// own windows, two scopes, excluded time, partial impact, notes, next tiers, capped
        /// credits, both levels of detail, credited-only or not, any choice and order of columns
        /// (a shared period's columns are printed once per thread, in runs between the others, and
        /// forgotten when too many).
        #[test]
        fn streamed_rows_are_the_rows_of_the_claims(
            windows in prop::collection::vec(
                (0i64..90 * 86_400, 60i64..20_000, 0usize..6, prop::bool::ANY, 1u8..=10),
                0..12,
            ),
            figures in prop::bool::ANY,
            credited_only in prop::bool::ANY,
            february_in_maintenance in prop::bool::ANY,
            columns in Just((0..COLUMNS.len()).collect::<Vec<usize>>()).prop_shuffle(),
            chosen in 1..=COLUMNS.len(),
            forgetful in prop::bool::ANY,
        ) {
            let contract = Contract::from_yaml(
                "c.yaml",
                "id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.99\n\
                 exclusions: { causes: [maintenance], maintenance_notice: 0s, excluded_time: removed-from-period }\n\
                 credits:\n  tiers: [{ below: 99.99, percent: 10 }, { below: 99.0, percent: 30 }]\n  \
                 cap: { amount: 30 }\n  minimum: { above: 0.50 }\n\
                 claim:\n  deadline: { periods_after: 2 }\n",
            )
            .unwrap();
            let usd = crate::Currency::from_code("USD").unwrap();
            // Scopes shared as the loaders share them (interned): s0 and s1 share their scope's
            // periods, s2 has its own.
            let (mut a, mut b) = (crate::Scope::new(), crate::Scope::new());
            a.insert("region", "a");
            b.insert("region", "b");
            let subscriptions: Vec<Subscription> = (0..3)
                .map(|k| {
                    // s0's 2.00 earns credits below the minimum, s1's 352.00 credits over the cap.
                    let fee = Money::new(Decimal::new([200, 35_200, 17_533][k], 2), usd);
                    Subscription {
                        scope: if k == 2 { b.clone() } else { a.clone() },
                        ..Subscription::new(&format!("s{k}"), &format!("Customer, {k}"), "c", fee)
                    }
                })
                .collect();
            let jan = 1_514_764_800;
            let mut windows: Vec<Window> = windows
                .into_iter()
                .map(|(start, len, who, maintenance, impact)| {
                    let at = |s| Instant::from_unix_seconds(jan + s);
                    let mut w = Window::new(at(start), at(start + len))
                        .unwrap()
                        .with_impact(Decimal::new(i64::from(impact), 1))
                        .unwrap();
                    if who < 3 {
                        w.customers.push(format!("s{who}").into());
                    } else if who == 5 {
                        // Shared by s2's region only: its scope's periods differ from s0's and s1's.
                        w = w.with_scope("region", "b");
                    }
                    if maintenance {
                        w = w.with_cause("maintenance").with_announced_at(at(start - 60));
                    }
                    w
                })
                .collect();
            if february_in_maintenance {
                // All of February in Seoul: no eligible time left, a claim with a note.
                let at = |s| Instant::from_unix_seconds(s);
                let w = Window::new(at(1_517_410_800), at(1_519_830_000)).unwrap();
                windows.push(w.with_cause("maintenance").with_announced_at(at(1_517_410_800)));
            }
            let inputs = Inputs {
                contracts: vec![contract],
                subscriptions,
                windows,
                ..Inputs::default()
            };
            let q1 = crate::PeriodId::parse("2018-Q1").unwrap();
            let selection = Selection {
                periods: Some(PeriodSpan::new(q1, q1).unwrap()),
                credited_only,
                detail: if figures { Detail::Figures } else { Detail::Full },
                ..Selection::default()
            };
            let columns = Columns(columns[..chosen].to_vec());
            // A forgetful writer starts over at each shared period it has not printed yet.
            let limit = if forgetful { 0 } else { SHARED_BYTES };
            let (built, streamed) = both_ways(&inputs, &selection, &columns, limit);
            prop_assert_eq!(built, streamed);
        }
    }
}
