//! Interval arithmetic on instants: merging windows into incidents, removing excluded time,
//! clipping to eligible time and counting minutes (SPEC 3.2-3.3).
//!
//! Everything here works on sorted, disjoint lists; the functions keep that invariant.

use crate::contract::Counting;
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// A stretch of downtime at one impact, `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Start, inclusive.
    pub start: i64,
    /// End, exclusive.
    pub end: i64,
    /// Impact in (0, 1].
    pub impact: Decimal,
}

/// A time interval `[start, end)` in Unix seconds.
pub type Span = (i64, i64);

/// The union of `spans` as sorted disjoint spans; touching spans join.
pub(crate) fn union(mut spans: Vec<Span>) -> Vec<Span> {
    join(&mut spans, |&s| s, |s, end| s.1 = end);
    spans
}

/// Drops empty stretches, sorts the rest and joins those that overlap or touch, in place;
/// `span` reads an item's stretch, `set_end` extends it.
fn join<T>(items: &mut Vec<T>, span: impl Fn(&T) -> Span, set_end: impl Fn(&mut T, i64)) {
    items.retain(|t| {
        let (a, b) = span(t);
        a < b
    });
    items.sort_unstable_by_key(&span);
    items.dedup_by(|next, last| {
        let ((a, b), end) = (span(next), span(last).1);
        if a <= end {
            set_end(last, end.max(b));
            true
        } else {
            false
        }
    });
}

/// The union of weighted windows: where windows overlap, the highest impact holds. Adjacent
/// segments of equal impact are joined, so the result does not depend on how the windows were
/// cut or ordered.
pub fn merge(windows: &[(Span, Decimal)]) -> Vec<Segment> {
    if windows.iter().all(|(_, w)| *w == Decimal::ONE) {
        // Fully down everywhere: the union of the spans, built in place.
        let mut out: Vec<Segment> = windows
            .iter()
            .map(|&((start, end), _)| Segment {
                start,
                end,
                impact: Decimal::ONE,
            })
            .collect();
        join(&mut out, |s| (s.start, s.end), |s, end| s.end = end);
        return out;
    }
    // Sweep over boundaries with the multiset of impacts active between them.
    let mut events: Vec<(i64, bool, Decimal)> = Vec::with_capacity(windows.len() * 2);
    for ((a, b), w) in windows {
        if a < b {
            events.push((*a, true, *w));
            events.push((*b, false, *w));
        }
    }
    events.sort_unstable_by_key(|e| e.0);
    let mut active: std::collections::BTreeMap<Decimal, usize> = std::collections::BTreeMap::new();
    let mut out: Vec<Segment> = Vec::new();
    let mut i = 0;
    let mut prev = 0i64;
    while i < events.len() {
        let t = events[i].0;
        if let Some((&impact, _)) = active.iter().next_back() {
            push_segment(
                &mut out,
                Segment {
                    start: prev,
                    end: t,
                    impact,
                },
            );
        }
        while i < events.len() && events[i].0 == t {
            let (_, is_start, w) = events[i];
            let entry = active.entry(w.normalize()).or_insert(0);
            if is_start {
                *entry += 1;
            } else {
                *entry -= 1;
                if *entry == 0 {
                    active.remove(&w.normalize());
                }
            }
            i += 1;
        }
        prev = t;
    }
    out
}

/// Where at least `n` of `timelines` (each sorted disjoint) are down at once, at the `n`-th
/// highest of their impacts there (composite availability, SPEC 2.7). Adjacent segments of
/// equal impact are joined, as [`merge`] joins them.
pub(crate) fn at_least(timelines: &[Vec<Segment>], n: usize) -> Vec<Segment> {
    if n == 0 || timelines.len() < n {
        return Vec::new();
    }
    let mut cuts: Vec<i64> = timelines
        .iter()
        .flatten()
        .flat_map(|s| [s.start, s.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    // Each timeline's next segment that may cover the stretch being looked at.
    let mut at = vec![0usize; timelines.len()];
    let mut out = Vec::new();
    let mut down: SmallVec<[Decimal; 8]> = SmallVec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        down.clear();
        for (t, k) in timelines.iter().zip(at.iter_mut()) {
            while *k < t.len() && t[*k].end <= a {
                *k += 1;
            }
            if let Some(s) = t.get(*k).filter(|s| s.start <= a) {
                down.push(s.impact);
            }
        }
        if down.len() >= n {
            down.sort_unstable_by(|x, y| y.cmp(x));
            push_segment(
                &mut out,
                Segment {
                    start: a,
                    end: b,
                    impact: down[n - 1],
                },
            );
        }
    }
    out
}

fn push_segment(out: &mut Vec<Segment>, s: Segment) {
    if s.start >= s.end {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.end == s.start && last.impact == s.impact {
            last.end = s.end;
            return;
        }
    }
    out.push(s);
}

/// `segments` with the time in `remove` (sorted disjoint) taken out.
pub(crate) fn subtract(segments: &[Segment], remove: &[Span]) -> Vec<Segment> {
    let mut out = Vec::with_capacity(segments.len());
    let mut j = 0;
    for s in segments {
        let mut start = s.start;
        while j < remove.len() && remove[j].1 <= start {
            j += 1;
        }
        let mut k = j;
        while k < remove.len() && remove[k].0 < s.end {
            let (a, b) = remove[k];
            if a > start {
                out.push(Segment {
                    start,
                    end: a.min(s.end),
                    impact: s.impact,
                });
            }
            start = start.max(b);
            if start >= s.end {
                break;
            }
            k += 1;
        }
        if start < s.end {
            out.push(Segment {
                start,
                end: s.end,
                impact: s.impact,
            });
        }
    }
    out
}

/// `segments` clipped to `keep` (sorted disjoint).
pub fn clip(segments: &[Segment], keep: &[Span]) -> SmallVec<[Segment; 2]> {
    // An incident in one stretch of eligible time is a segment or two: no allocation.
    let mut out = SmallVec::new();
    let mut j = 0;
    for s in segments {
        while j < keep.len() && keep[j].1 <= s.start {
            j += 1;
        }
        let mut k = j;
        while k < keep.len() && keep[k].0 < s.end {
            let (a, b) = (keep[k].0.max(s.start), keep[k].1.min(s.end));
            if a < b {
                out.push(Segment {
                    start: a,
                    end: b,
                    impact: s.impact,
                });
            }
            k += 1;
        }
    }
    out
}

/// Seconds of `a` (sorted disjoint) inside `b` (sorted disjoint).
pub fn overlap_seconds(a: &[Span], b: &[Span]) -> i64 {
    let (mut i, mut j, mut total) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (s, e) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if s < e {
            total += e - s;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

/// The contiguous runs (incidents) of sorted disjoint segments, as slices of them.
pub(crate) fn runs(segments: &[Segment]) -> impl Iterator<Item = &[Segment]> {
    let mut rest = segments;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let len = 1 + rest
            .windows(2)
            .take_while(|w| w[0].end == w[1].start)
            .count();
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some(run)
    })
}

/// Counted downtime of sorted disjoint `segments`, weighted by impact (SPEC 3.3, 3.6), in
/// seconds: exact, since the second is the unit of measurement (in minutes, one second is the
/// endless 0.01666...). Minutes are derived for display only.
pub fn count(segments: &[Segment], counting: Counting) -> Decimal {
    let sixty = Decimal::from(60);
    match counting {
        Counting::Exact => {
            // Fully down segments add whole seconds; only partial impacts need decimals. The
            // sum is exact, so its digits do not depend on the order it is added in (a decimal
            // sum has the largest scale of its terms; whole seconds have none).
            let (mut whole, mut weighted) = (0i64, Decimal::ZERO);
            for s in segments {
                if s.impact.scale() == 0 && s.impact == Decimal::ONE {
                    whole += s.end - s.start;
                } else {
                    weighted += Decimal::from(s.end - s.start) * s.impact;
                }
            }
            Decimal::from(whole) + weighted
        }
        Counting::TouchedMinutes => {
            minute_runs(segments, |s| (s.start.div_euclid(60), ceil_div(s.end, 60))) * sixty
        }
        Counting::WholeMinutes => {
            let minutes: Decimal = runs(segments)
                .map(|run| {
                    // Only minutes wholly inside the contiguous run count.
                    let (lo, hi) = (
                        ceil_div(run[0].start, 60),
                        run[run.len() - 1].end.div_euclid(60),
                    );
                    minute_runs(run, |s| {
                        (s.start.div_euclid(60).max(lo), ceil_div(s.end, 60).min(hi))
                    })
                })
                .sum();
            minutes * sixty
        }
    }
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}

/// Sums minute ranges `[a, b)` (from `range`), a minute shared by neighbours taking the highest
/// impact among them.
fn minute_runs(segments: &[Segment], range: impl Fn(&Segment) -> (i64, i64)) -> Decimal {
    // (first minute, end minute, impact), disjoint and sorted.
    let mut runs: Vec<(i64, i64, Decimal)> = Vec::new();
    for s in segments {
        let (mut a, b) = range(s);
        if a >= b {
            continue;
        }
        while let Some(last) = runs.last_mut() {
            if last.1 <= a {
                break;
            }
            // Segments are disjoint and sorted, so runs overlap only in shared boundary minutes.
            if s.impact > last.2 {
                last.1 = a;
                if last.0 >= last.1 {
                    runs.pop();
                    continue;
                }
                break;
            } else {
                a = last.1;
                break;
            }
        }
        if a < b {
            runs.push((a, b, s.impact));
        }
    }
    runs.iter().map(|(a, b, w)| Decimal::from(b - a) * w).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn seg(start: i64, end: i64, impact: &str) -> Segment {
        Segment {
            start,
            end,
            impact: d(impact),
        }
    }

    use proptest::prelude::*;

    proptest! {
        /// Exact counting gives the digits of adding each segment's seconds times its impact,
        /// whatever mix of whole (`1`, `1.0`) and partial impacts (scales included: `1.0` and
        /// `0.50` print otherwise than `1` and `0.5`).
        #[test]
        fn exact_counts_have_the_digits_of_the_weighted_sum(
            pieces in prop::collection::vec(
                (0i64..100_000, prop::sample::select(vec!["1", "1.0", "0.5", "0.50", "0.333333", "1"])),
                0..8,
            ),
        ) {
            let segments: Vec<Segment> = pieces.iter().map(|&(len, w)| seg(0, len, w)).collect();
            let summed: Decimal = segments
                .iter()
                .map(|s| Decimal::from(s.end - s.start) * s.impact)
                .sum();
            prop_assert_eq!(
                count(&segments, Counting::Exact).serialize(),
                summed.serialize()
            );
        }
    }

    #[test]
    fn runs_are_the_contiguous_stretches() {
        let segments = [
            seg(0, 60, "1"),
            seg(60, 90, "0.5"),
            seg(120, 180, "1"),
            seg(200, 260, "0.25"),
            seg(260, 300, "1"),
        ];
        let runs: Vec<Vec<Segment>> = runs(&segments).map(<[Segment]>::to_vec).collect();
        assert_eq!(
            runs,
            vec![
                vec![seg(0, 60, "1"), seg(60, 90, "0.5")],
                vec![seg(120, 180, "1")],
                vec![seg(200, 260, "0.25"), seg(260, 300, "1")],
            ]
        );
        assert_eq!(super::runs(&[]).count(), 0);
    }

    #[test]
    fn merge_takes_the_highest_impact_where_windows_overlap() {
        // [0,600) at 0.3 and [300,900) at 0.5: 0.3 for 300 s, then 0.5 for 600 s.
        let m = merge(&[((0, 600), d("0.3")), ((300, 900), d("0.5"))]);
        assert_eq!(m, vec![seg(0, 300, "0.3"), seg(300, 900, "0.5")]);
        // Order and duplicates do not matter.
        let again = merge(&[
            ((300, 900), d("0.5")),
            ((0, 600), d("0.3")),
            ((0, 600), d("0.3")),
        ]);
        assert_eq!(m, again);
    }

    #[test]
    fn counting_modes_on_partial_minutes() {
        // 10:00:30 to 10:02:15 is 105 s: exact 1.75 min; touched minutes 10:00, 10:01, 10:02 = 3;
        // whole minutes only 10:01 = 1.
        let s = [seg(36_030, 36_135, "1")];
        assert_eq!(count(&s, Counting::Exact), d("105"));
        assert_eq!(count(&s, Counting::TouchedMinutes), d("180"));
        assert_eq!(count(&s, Counting::WholeMinutes), d("60"));
    }

    #[test]
    fn a_shared_minute_takes_the_highest_impact() {
        // [0,90) at 0.5 and [90,180) at 1: touched minutes 0 (0.5), 1 (max 0.5, 1 = 1), 2 (1) = 2.5.
        let s = [seg(0, 90, "0.5"), seg(90, 180, "1")];
        assert_eq!(count(&s, Counting::TouchedMinutes), d("150"));
        // Whole minutes: 0 (0.5), 1 (covered by both: 1), 2 (1) = 2.5 as the run is contiguous.
        assert_eq!(count(&s, Counting::WholeMinutes), d("150"));
        assert_eq!(count(&s, Counting::Exact), d("135"));
    }

    #[test]
    fn subtract_and_clip_keep_the_rest() {
        let s = [seg(0, 100, "1"), seg(100, 200, "0.5")];
        assert_eq!(
            subtract(&s, &[(50, 150)]),
            vec![seg(0, 50, "1"), seg(150, 200, "0.5")]
        );
        assert_eq!(
            clip(&s, &[(50, 150)]).as_slice(),
            [seg(50, 100, "1"), seg(100, 150, "0.5")]
        );
        assert_eq!(overlap_seconds(&[(0, 100), (200, 300)], &[(50, 250)]), 100);
    }
}
