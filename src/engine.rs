//! The engine: overlays the windows that apply to a subscription onto its eligible time
//! (SPEC 2.4, 3.1-3.3). Period-independent work (merging, exclusions, minimum durations) is done
//! once per subscription; each period then only clips and counts.

use crate::contract::{Contract, Counting, ExcludedTime, PartialImpact};
use crate::error::InvalidValue;
use crate::incident::{ClaimIncident, Detail, Labels};
use crate::period::{midnight, Period};
use crate::scope::Scope;
use crate::subscription::Subscription;
use crate::time::Instant;
use crate::timeline::{self, Segment, Span};
use crate::window::Window;
use rust_decimal::Decimal;
use smallvec::SmallVec;
use smol_str::SmolStr;
use std::borrow::Borrow;
use std::sync::Arc;

/// Whether `window` applies to a subscription with `scope` (contract `applies_to` plus its own),
/// `id` and `customer` (SPEC 2.4).
pub fn applies(window: &Window, scope: &Scope, id: &str, customer: &str) -> bool {
    window.scope.covers(scope)
        && (window.customers.is_empty()
            || window.customers.iter().any(|c| c == id || c == customer))
}

/// The subscription's full scope: the contract's `applies_to` plus its own labels.
///
/// # Errors
/// The label set to different values by both.
pub fn full_scope(contract: &Contract, sub: &Subscription) -> Result<Scope, InvalidValue> {
    // The messages are made as text, then typed for the caller to match.
    let inner = || -> Result<Scope, String> {
        let mut scope = contract.applies_to().clone();
        let composite = contract.downtime().composite.as_ref();
        for (k, v) in sub.scope.iter() {
            let v = match composite.filter(|c| c.label == k) {
                Some(c) => composite_values(contract, c, k, v)?,
                None if crate::scope::list(v).is_some() => {
                    return Err(format!(
                        "scope label {k:?} lists several values ({}), but contract {} has no composite availability on it (downtime.composite)",
                        crate::scope::readable(v),
                        contract.id()
                    ))
                }
                None => v.to_owned(),
            };
            match scope.get(k) {
                Some(existing) if *existing != v => {
                    return Err(format!(
                    "scope label {k:?} is {v:?} here but {existing:?} in contract {}'s applies_to",
                    contract.id()
                ))
                }
                _ => {
                    scope.insert(k.to_owned(), v);
                }
            }
        }
        Ok(Scope::from(scope))
    };
    inner().map_err(InvalidValue)
}

/// The value of composite label `k` in a subscription's full scope: one value as it is (the
/// simple reading: down when that part is), a list (`a;b;c`, or a YAML list) as its values in
/// order, each once, at least as many as the contract needs down at once.
fn composite_values(
    contract: &Contract,
    c: &crate::contract::Composite,
    k: &str,
    v: &str,
) -> Result<String, String> {
    let Some(mut values) = crate::scope::listed(v) else {
        return Ok(v.to_owned());
    };
    let shown = crate::scope::readable(v);
    if values.iter().any(|e| e.is_empty() || *e == "*") {
        return Err(format!(
            "scope label {k:?} lists {shown:?}: expected concrete values separated by ';' (none empty or *)"
        ));
    }
    values.sort_unstable();
    if let Some(twice) = values.windows(2).find(|p| p[0] == p[1]) {
        return Err(format!(
            "scope label {k:?} lists {:?} twice in {shown:?}",
            twice[0]
        ));
    }
    if values.len() < c.at_least {
        return Err(format!(
            "scope label {k:?} lists {} value{} ({shown}), but contract {} counts downtime only when at least {} are down (downtime.composite)",
            values.len(),
            if values.len() == 1 { "" } else { "s" },
            contract.id(),
            c.at_least
        ));
    }
    Ok(crate::scope::list_of(values))
}

/// A merged incident after exclusions and minimum duration.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Start (Unix seconds), kept beside the segments so that searching incidents by time does
    /// not read them.
    start: i64,
    /// End (Unix seconds).
    end: i64,
    /// The incident's stretches of downtime, contiguous, at their impacts.
    pub segments: Arc<[Segment]>,
    /// References of its windows.
    pub references: Labels,
    /// Sources of its windows.
    pub sources: Labels,
}

impl Incident {
    /// Start.
    pub fn start(&self) -> i64 {
        self.start
    }
    /// End.
    pub fn end(&self) -> i64 {
        self.end
    }
}

/// A subscription's downtime, independent of periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Incidents in time order.
    pub incidents: Vec<Incident>,
    /// Excluded time, sorted disjoint.
    pub excluded: Arc<[Span]>,
}

/// Whether `w` is excluded time under `contract` (SPEC 3.6, maintenance).
pub fn is_excluded(contract: &Contract, w: &Window) -> bool {
    let exclusions = contract.exclusions();
    w.cause().is_some_and(|c| exclusions.causes.contains(&**c))
        && (w.cause().map(SmolStr::as_str) != Some("maintenance")
            || w.announced_at()
                .is_some_and(|a| a.plus(exclusions.maintenance_notice) <= w.start()))
}

/// The parts of `w`, when it is a `maintenance` window, inside the contract's recurring
/// maintenance windows (SPEC 2.7): excluded time whatever its notice. Other causes have none.
pub fn in_maintenance_windows(contract: &Contract, w: &Window) -> Vec<Span> {
    match (&contract.exclusions().maintenance_windows, w.cause()) {
        (Some(slots), Some(cause)) if cause == "maintenance" => slots
            .intervals(contract.timezone(), w.start(), w.end())
            .into_iter()
            .map(|(a, b)| (a.unix_seconds(), b.unix_seconds()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a window that is not excluded takes part in incidents (`partial_impact: ignore` drops
/// partial ones before merging).
fn counts(contract: &Contract, w: &Window) -> bool {
    !(contract.downtime().partial_impact == PartialImpact::Ignore && w.impact() < Decimal::ONE)
}

fn span(w: &Window) -> Span {
    (w.start().unix_seconds(), w.end().unix_seconds())
}

/// Builds the timeline of `contract` from the windows that apply (SPEC 3.2 steps 1-3).
pub fn timeline<'w>(contract: &Contract, windows: impl Iterator<Item = &'w Window>) -> Timeline {
    timeline_with(contract, windows, Detail::Full, None)
}

/// The parts of one subscription under composite availability (SPEC 2.7): the values its full
/// scope lists for the contract's composite label, each a timeline of its own, and how many of
/// them must be down at once.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    label: String,
    values: Vec<String>,
    at_least: usize,
}

impl Parts {
    /// The parts of a subscription with full scope `full` under `contract`: `None` without
    /// composite availability, or where the scope gives the label one value (the simple
    /// reading).
    pub(crate) fn of(contract: &Contract, full: &Scope) -> Option<Parts> {
        let c = contract.downtime().composite.as_ref()?;
        let values = crate::scope::list(full.get(&c.label)?)?;
        Some(Parts {
            label: c.label.clone(),
            values: values.map(str::to_owned).collect(),
            at_least: c.at_least,
        })
    }

    /// Where at least `at_least` parts are down at once, at the `at_least`-th highest impact:
    /// each part's timeline holds the windows with the label at its value, unset, or `*`.
    fn merge(&self, weighted: &[(Span, Decimal)], counted: &[&Window]) -> Vec<Segment> {
        let parts: Vec<Vec<Segment>> = self
            .values
            .iter()
            .map(|v| {
                let mine: SmallVec<[(Span, Decimal); 8]> = counted
                    .iter()
                    .zip(weighted)
                    .filter(|(w, _)| w.scope.get(&self.label).is_none_or(|x| x == "*" || x == v))
                    .map(|(_, sw)| *sw)
                    .collect();
                timeline::merge(&mine)
            })
            .collect();
        timeline::at_least(&parts, self.at_least)
    }
}

fn timeline_with<'w>(
    contract: &Contract,
    windows: impl Iterator<Item = &'w Window>,
    detail: Detail,
    parts: Option<&Parts>,
) -> Timeline {
    let mut counted: Vec<&Window> = Vec::new();
    let mut excluded: Vec<Span> = Vec::new();
    for w in windows {
        if is_excluded(contract, w) {
            excluded.push(span(w));
        } else {
            // Its parts inside the recurring maintenance windows are excluded time; the rest
            // counts, and the excluded time cuts it out of the incidents.
            excluded.extend(in_maintenance_windows(contract, w));
            if counts(contract, w) {
                counted.push(w);
            }
        }
    }
    let excluded: Arc<[Span]> = Arc::from(timeline::union(excluded));
    Timeline {
        incidents: incidents(contract, &counted, &excluded, detail, parts),
        excluded,
    }
}

/// Incidents from counted windows (any order) and excluded time (sorted disjoint): merged, cut
/// by the exclusions, pieces shorter than `min_duration` dropped, labelled with their windows'
/// references and sources (with [`Detail::Full`]).
fn incidents(
    contract: &Contract,
    counted: &[&Window],
    excluded: &[Span],
    detail: Detail,
    parts: Option<&Parts>,
) -> Vec<Incident> {
    let rules = contract.downtime();
    let full = rules.partial_impact == PartialImpact::Full;
    let weighted: SmallVec<[(Span, Decimal); 8]> = counted
        .iter()
        .map(|w| (span(w), if full { Decimal::ONE } else { w.impact() }))
        .collect();
    let merged = match parts {
        Some(parts) => parts.merge(&weighted, counted),
        None => timeline::merge(&weighted),
    };
    let segments = if excluded.is_empty() {
        merged
    } else {
        timeline::subtract(&merged, excluded)
    };
    let mut incidents: Vec<Incident> = timeline::runs(&segments)
        .filter(|p| p[p.len() - 1].end - p[0].start >= rules.min_duration.0)
        .map(|segments| Incident {
            start: segments[0].start,
            end: segments[segments.len() - 1].end,
            segments: Arc::from(segments),
            references: Labels::default(),
            sources: Labels::default(),
        })
        .collect();
    if detail == Detail::Figures {
        return incidents;
    }
    // Attach each counted window's reference and source to the incidents it overlaps.
    // (references, sources) of each incident.
    type Found = (Vec<SmolStr>, Vec<SmolStr>);
    let mut labels: Vec<Found> = vec![(Vec::new(), Vec::new()); incidents.len()];
    for w in counted {
        let (a, b) = span(w);
        let first = incidents.partition_point(|i| i.end() <= a);
        let overlapping = incidents[first..]
            .iter()
            .take_while(|i| i.start() < b)
            .count();
        for (refs, sources) in &mut labels[first..first + overlapping] {
            refs.extend(w.reference.iter().cloned());
            sources.extend(w.source().cloned());
        }
    }
    for (inc, (mut refs, mut sources)) in incidents.iter_mut().zip(labels) {
        refs.sort();
        refs.dedup();
        sources.sort();
        sources.dedup();
        inc.references = Labels::from(refs);
        inc.sources = Labels::from(sources);
    }
    incidents
}

/// The timeline of the windows a whole scope shares, ready to take in one subscription's own
/// windows without merging everything again.
///
/// Incidents are derived per connected component of the counted windows' union, so adding a
/// subscription's windows changes only the components they overlap or touch: those are rebuilt
/// from their windows plus the new ones, the others are reused as they are.
pub(crate) struct SharedTimeline<'a> {
    /// The timeline of the shared windows alone.
    pub timeline: Timeline,
    /// Counted shared windows, by start.
    counted: Vec<&'a Window>,
    /// Excluded shared windows.
    excluded: Vec<&'a Window>,
    /// Connected components of the counted union, in order.
    components: Vec<Component>,
    /// Whether incidents rebuilt with own windows are labelled.
    detail: Detail,
    /// The parts under composite availability, where the scope has them.
    parts: Option<Parts>,
}

struct Component {
    span: Span,
    windows: std::ops::Range<usize>,
    incidents: std::ops::Range<usize>,
}

impl<'a> SharedTimeline<'a> {
    /// The shared timeline of `windows` under `contract`.
    pub(crate) fn new(
        contract: &Contract,
        windows: impl Iterator<Item = &'a Window>,
        detail: Detail,
        parts: Option<Parts>,
    ) -> SharedTimeline<'a> {
        let (mut counted, mut excluded) = (Vec::new(), Vec::new());
        for w in windows {
            if is_excluded(contract, w) {
                excluded.push(w);
            } else if counts(contract, w) {
                counted.push(w);
            }
        }
        counted.sort_by_key(|w| span(w));
        let all = counted.iter().chain(excluded.iter()).copied();
        let timeline = timeline_with(contract, all, detail, parts.as_ref());
        let mut components: Vec<Component> = Vec::new();
        for (i, w) in counted.iter().enumerate() {
            let (a, b) = span(w);
            match components.last_mut() {
                Some(c) if a <= c.span.1 => {
                    c.span.1 = c.span.1.max(b);
                    c.windows.end = i + 1;
                }
                _ => components.push(Component {
                    span: (a, b),
                    windows: i..i + 1,
                    incidents: 0..0,
                }),
            }
        }
        for c in &mut components {
            let lo = timeline.incidents.partition_point(|i| i.start() < c.span.0);
            let hi = timeline.incidents.partition_point(|i| i.start() < c.span.1);
            c.incidents = lo..hi;
        }
        SharedTimeline {
            timeline,
            counted,
            excluded,
            components,
            detail,
            parts,
        }
    }

    /// What `own` (windows that apply to one subscription) changes in the shared timeline: the
    /// incidents of the components they overlap or touch, rebuilt with them, and the stretches of
    /// time where the result may differ (outside them, incidents are exactly the shared ones).
    /// [`SharedTimeline::view`] puts the two together.
    pub(crate) fn rebuild(&self, contract: &Contract, own: &[&'a Window]) -> Rebuilt {
        if self.parts.is_some()
            || own.iter().any(|w| {
                is_excluded(contract, w) || !in_maintenance_windows(contract, w).is_empty()
            })
        {
            // New excluded time can cut any incident, and a window of one part can join an
            // incident of others anywhere: start from scratch.
            let all = self
                .counted
                .iter()
                .chain(self.excluded.iter())
                .chain(own.iter())
                .copied();
            let t = timeline_with(contract, all, self.detail, self.parts.as_ref());
            return Rebuilt {
                incidents: t.incidents,
                excluded: Some(t.excluded),
                replaced: SmallVec::new(),
                affected: vec![(i64::MIN, i64::MAX)],
            };
        }
        let mut windows: SmallVec<[&Window; 8]> = own
            .iter()
            .copied()
            .filter(|w| counts(contract, w))
            .collect();
        let mut affected: Vec<Span> = windows.iter().map(|w| span(w)).collect();
        let mut replaced: SmallVec<[usize; 4]> = SmallVec::new();
        for &(a, b) in &affected {
            let first = self.components.partition_point(|c| c.span.1 < a);
            replaced.extend(
                (first..self.components.len()).take_while(|&k| self.components[k].span.0 <= b),
            );
        }
        replaced.sort_unstable();
        replaced.dedup();
        for &k in &replaced {
            windows.extend_from_slice(&self.counted[self.components[k].windows.clone()]);
            affected.push(self.components[k].span);
        }
        let incidents = if windows.is_empty() {
            Vec::new()
        } else {
            incidents(
                contract,
                &windows,
                &self.timeline.excluded,
                self.detail,
                None,
            )
        };
        Rebuilt {
            incidents,
            excluded: None,
            replaced,
            affected: timeline::union(affected),
        }
    }

    /// The incidents of the shared timeline with `rebuilt` in place of what it replaces, in time
    /// order, and the excluded time: borrowed, not copied.
    pub(crate) fn view<'t>(&'t self, rebuilt: &'t Rebuilt) -> (Vec<&'t Incident>, &'t [Span]) {
        if let Some(excluded) = &rebuilt.excluded {
            return (rebuilt.incidents.iter().collect(), excluded);
        }
        let mut out: Vec<&Incident> =
            Vec::with_capacity(self.timeline.incidents.len() + rebuilt.incidents.len());
        let mut replaced = rebuilt.replaced.iter().peekable();
        let mut added = rebuilt.incidents.iter().peekable();
        for (k, c) in self.components.iter().enumerate() {
            if replaced.next_if_eq(&&k).is_some() {
                continue;
            }
            for inc in &self.timeline.incidents[c.incidents.clone()] {
                while let Some(a) = added.next_if(|a| a.start < inc.start) {
                    out.push(a);
                }
                out.push(inc);
            }
        }
        out.extend(added);
        (out, &self.timeline.excluded)
    }

    /// The shared incidents with `rebuilt` beside them, and the excluded time, when `rebuilt`
    /// replaces none of them and brings no excluded time (a subscription's own windows touch
    /// none of the shared ones): as [`SharedTimeline::view`] gives them, without copying the
    /// scope's whole year of incidents for each subscription.
    pub(crate) fn beside<'t>(&'t self, rebuilt: &'t Rebuilt) -> Option<(Beside<'t>, &'t [Span])> {
        let alone = rebuilt.excluded.is_none() && rebuilt.replaced.is_empty();
        alone.then(|| {
            let beside = Beside {
                shared: &self.timeline.incidents,
                own: &rebuilt.incidents,
            };
            (beside, &self.timeline.excluded[..])
        })
    }

    /// The timeline of the shared windows plus `own`, as one owned value, and the stretches of
    /// time where it may differ from the shared timeline (what the computation's borrowed views
    /// are tested against).
    #[cfg(test)]
    fn with(&self, contract: &Contract, own: &[&'a Window]) -> (Timeline, Vec<Span>) {
        let rebuilt = self.rebuild(contract, own);
        let (incidents, excluded) = self.view(&rebuilt);
        let timeline = Timeline {
            incidents: incidents.into_iter().cloned().collect(),
            excluded: Arc::from(excluded),
        };
        (timeline, rebuilt.affected)
    }
}

/// What one subscription's own windows change in a shared timeline (see
/// [`SharedTimeline::rebuild`]).
pub(crate) struct Rebuilt {
    /// The incidents rebuilt, in time order.
    incidents: Vec<Incident>,
    /// New excluded time, when own windows brought some (then `incidents` is the whole timeline).
    excluded: Option<Arc<[Span]>>,
    /// The components of the shared timeline whose incidents `incidents` replace, ascending.
    replaced: SmallVec<[usize; 4]>,
    /// Where the result may differ from the shared timeline, sorted disjoint.
    pub affected: Vec<Span>,
}

/// Incidents in time order: one list, or a scope's shared incidents with one subscription's
/// own beside them (see [`SharedTimeline::beside`]).
pub(crate) trait Incidents {
    /// The incidents that end after `lo` and start before `hi` (seconds), in time order.
    fn between(&self, lo: i64, hi: i64) -> impl Iterator<Item = &Incident>;
}

impl<I: Borrow<Incident>> Incidents for [I] {
    fn between(&self, lo: i64, hi: i64) -> impl Iterator<Item = &Incident> {
        let first = self.partition_point(|i| i.borrow().end <= lo);
        self[first..]
            .iter()
            .map(Borrow::borrow)
            .take_while(move |i| i.start < hi)
    }
}

/// A scope's shared incidents and one subscription's own, which touch none of them, read as one
/// list in time order without being put into one (see [`SharedTimeline::beside`]).
pub(crate) struct Beside<'a> {
    shared: &'a [Incident],
    own: &'a [Incident],
}

impl Incidents for Beside<'_> {
    fn between(&self, lo: i64, hi: i64) -> impl Iterator<Item = &Incident> {
        let mut shared = self.shared.between(lo, hi).peekable();
        let mut own = self.own.between(lo, hi).peekable();
        // As [`SharedTimeline::view`] orders them: an own incident before a shared one that
        // starts later.
        std::iter::from_fn(move || match (shared.peek(), own.peek()) {
            (Some(s), Some(o)) if o.start < s.start => own.next(),
            (Some(_), _) => shared.next(),
            (None, _) => own.next(),
        })
    }
}

/// Whether any of `incidents` (in time order) overlaps [`from`, `to`).
pub(crate) fn has_incident_in<T: Incidents + ?Sized>(
    incidents: &T,
    from: Instant,
    to: Instant,
) -> bool {
    let mut within = incidents.between(from.unix_seconds(), to.unix_seconds());
    within.next().is_some()
}

/// When `sub` is active, as an instant range in the contract's zone (dates inclusive).
pub fn active_range(contract: &Contract, sub: &Subscription) -> (Instant, Instant) {
    let zone = contract.timezone();
    let from = sub
        .active_from
        .map_or(Instant::from_unix_seconds(i64::MIN / 4), |d| {
            midnight(zone, d)
        });
    let to = sub
        .active_to
        .and_then(|d| d.succ_opt())
        .map_or(Instant::from_unix_seconds(i64::MAX / 4), |d| {
            midnight(zone, d)
        });
    (from, to)
}

/// Eligible time inside [`from`, `to`): service hours within the active dates (one stretch,
/// without allocating, for a contract without service hours).
pub(crate) fn eligible(
    contract: &Contract,
    active: (Instant, Instant),
    from: Instant,
    to: Instant,
) -> SmallVec<[Span; 1]> {
    let (from, to) = (from.max(active.0), to.min(active.1));
    if from >= to {
        return SmallVec::new();
    }
    match contract.service_hours() {
        None => smallvec::smallvec![(from.unix_seconds(), to.unix_seconds())],
        Some(h) => h
            .intervals(contract.timezone(), from, to)
            .into_iter()
            .map(|(a, b)| (a.unix_seconds(), b.unix_seconds()))
            .collect(),
    }
}

/// [`eligible`] time of a whole `period`: the contract's service hours of the period are worked
/// out once, then clipped to the active dates.
fn eligible_in_period(
    contract: &Contract,
    active: (Instant, Instant),
    period: &Period,
) -> SmallVec<[Span; 1]> {
    let Some(hours) = contract.service_hours() else {
        return eligible(contract, active, period.start, period.end);
    };
    let (from, to) = (period.start.max(active.0), period.end.min(active.1));
    if from >= to {
        return SmallVec::new();
    }
    let (from, to) = (from.unix_seconds(), to.unix_seconds());
    hours
        .in_period(contract.timezone(), period.start, period.end)
        .iter()
        .map(|(a, b)| (a.unix_seconds().max(from), b.unix_seconds().min(to)))
        .filter(|(a, b)| a < b)
        .collect()
}

/// What a period's measurement found, before any money. Durations are exact seconds
/// (weighted by impact); minutes are derived from them for display.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Eligible seconds before exclusions.
    pub eligible_seconds: i64,
    /// Eligible seconds as reported (net of excluded time under `removed-from-period`).
    pub eligible: Decimal,
    /// Counted downtime seconds.
    pub downtime: Decimal,
    /// Excluded seconds inside eligible time.
    pub excluded: Decimal,
    /// `eligible`, `downtime` and `excluded` in minutes (once per measurement, not per claim).
    pub minutes: [Decimal; 3],
    /// Incidents overlapping eligible time, with their counted minutes.
    pub incidents: Arc<[ClaimIncident]>,
}

/// Seconds as minutes, for display.
pub(crate) fn minutes(seconds: Decimal) -> Decimal {
    seconds / Decimal::from(60)
}

/// Measures `timeline` in `period` (SPEC 3.2 step 4, 3.3).
pub fn measure(
    contract: &Contract,
    active: (Instant, Instant),
    timeline: &Timeline,
    period: &Period,
) -> Measured {
    measure_incidents(
        contract,
        active,
        &timeline.incidents[..],
        &timeline.excluded,
        period,
    )
}

/// Measures `incidents` (in time order) with `excluded` time in `period`.
pub(crate) fn measure_incidents<T: Incidents + ?Sized>(
    contract: &Contract,
    active: (Instant, Instant),
    incidents: &T,
    excluded: &[Span],
    period: &Period,
) -> Measured {
    let counting = contract.downtime().counting;
    let eligible = eligible_in_period(contract, active, period);
    let eligible_seconds: i64 = eligible.iter().map(|(a, b)| b - a).sum();
    let excluded_seconds = timeline::overlap_seconds(excluded, &eligible);
    let net = match contract.exclusions().excluded_time {
        ExcludedTime::CountsAsUp => eligible_seconds,
        ExcludedTime::RemovedFromPeriod => eligible_seconds - excluded_seconds,
    };
    let (lo, hi) = (period.start.unix_seconds(), period.end.unix_seconds());
    let mut all: Vec<Segment> = Vec::new();
    let mut listed = Vec::new();
    for inc in incidents.between(lo, hi) {
        let clipped = timeline::clip(&inc.segments, &eligible);
        if clipped.is_empty() {
            continue;
        }
        let seconds = timeline::count(&clipped, counting);
        if counting != Counting::Exact {
            // Counted once over the union below.
            all.extend_from_slice(&clipped);
        }
        listed.push(ClaimIncident {
            start: Instant::from_unix_seconds(inc.start()),
            end: Instant::from_unix_seconds(inc.end()),
            downtime_minutes: minutes(seconds),
            downtime_seconds: seconds,
            references: inc.references.clone(),
            sources: inc.sources.clone(),
            deadline: contract.deadline().and_then(|d| {
                d.last_day(
                    contract.timezone(),
                    period.id,
                    Some(Instant::from_unix_seconds(inc.end())),
                )
            }),
        });
    }
    // Counted once over the union: a clock minute touched by two incidents counts once.
    let downtime = match counting {
        Counting::Exact => listed.iter().map(|i| i.downtime_seconds).sum(),
        _ => timeline::count(&all, counting),
    };
    let (eligible, excluded) = (Decimal::from(net), Decimal::from(excluded_seconds));
    Measured {
        eligible_seconds,
        eligible,
        downtime,
        excluded,
        minutes: [minutes(eligible), minutes(downtime), minutes(excluded)],
        incidents: Arc::from(listed),
    }
}

/// Whether `incident` has counted downtime in eligible time before `before`: a `fixed` credit is
/// paid only in the first period in which the incident counts.
pub(crate) fn counted_before<T: Incidents + ?Sized>(
    contract: &Contract,
    active: (Instant, Instant),
    incident: &ClaimIncident,
    incidents: &T,
    before: Instant,
) -> bool {
    if incident.start >= before {
        return false;
    }
    // Incidents are in time order and do not overlap: find this one by its start.
    let start = incident.start.unix_seconds();
    let Some(inc) = incidents
        .between(start, start + 1)
        .find(|i| i.start == start)
    else {
        return false;
    };
    let eligible = eligible(contract, active, incident.start, before);
    let clipped = timeline::clip(&inc.segments, &eligible);
    timeline::count(&clipped, contract.downtime().counting) > Decimal::ZERO
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// November 2018 UTC starts here (Unix seconds).
    const NOV: i64 = 1_541_030_400;

    /// A window from November: start from a day before to its end, up to ~2 days long, impact
    /// 1 or a fraction; a label: 0-5 plain with reference r<n>, 6 force majeure (excluded), 7
    /// short.
    fn arb_labelled() -> impl Strategy<Value = Window> {
        (
            -86_400i64..30 * 86_400,
            1i64..180_000,
            prop_oneof![Just(10i64), 1i64..10],
            0u8..8,
        )
            .prop_map(|(start, len, impact, label)| {
                let len = if label == 7 { len % 240 + 1 } else { len };
                let at = |s| Instant::from_unix_seconds(NOV + s);
                let mut w = Window::new(at(start), at(start + len))
                    .unwrap()
                    .with_impact(Decimal::new(impact, 1))
                    .unwrap();
                w.reference = Some(format!("r{label}").into());
                if label == 6 {
                    w = w.with_cause("force-majeure");
                }
                w
            })
    }

    proptest! {
        /// A period's service hours worked out once and clipped to the active dates are the
        /// service hours of the active part: London across both clock changes, a holiday,
        /// asked twice (the second time from the memo).
        #[test]
        fn service_hours_of_a_period_clipped_are_those_of_its_active_part(
            month in 1u32..=12,
            from in -40i64..40,
            days in 0i64..40,
        ) {
            let c = Contract::from_yaml("c.yaml",
                "id: c\nperiod: month\ntimezone: Europe/London\ncommitment: 99.9\n\
                 service_hours:\n  weekly: [{ days: [mon, tue, wed, thu, fri, sun], from: \"00:30\", to: \"18:00\" }]\n  \
                 holidays: [2020-12-25]\n\
                 credits:\n  tiers: [{ below: 99.9, percent: 10 }]\n").unwrap();
            let id = crate::period::PeriodId::parse(&format!("2020-{month:02}")).unwrap();
            let period = id.in_zone(c.timezone());
            let at = |d: i64| period.start.plus(crate::time::Seconds(d * 86_400 + 3_600));
            let active = (at(from), at(from + days));
            for _ in 0..2 {
                prop_assert_eq!(
                    eligible_in_period(&c, active, &period),
                    eligible(&c, active, period.start, period.end)
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The shared timeline plus a subscription's own windows is the timeline of all of them.
        #[test]
        fn shared_timeline_with_own_windows_equals_a_full_rebuild(
            shared in prop::collection::vec(arb_labelled(), 0..12),
            own in prop::collection::vec(arb_labelled(), 0..4),
            mode in prop_oneof![Just("exact"), Just("touched-minutes"), Just("whole-minutes")],
            min in prop_oneof![Just("0m"), Just("3m"), Just("2h")],
            impact in prop_oneof![Just("weighted"), Just("full"), Just("ignore")],
        ) {
            let c = Contract::from_yaml("c.yaml", &format!(
                "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\n\
                 downtime: {{ counting: {mode}, min_duration: {min}, partial_impact: {impact} }}\n\
                 exclusions: {{ causes: [force-majeure] }}\n\
                 credits:\n  tiers: [{{ below: 99.99, percent: 10 }}]\n"
            )).unwrap();
            let st = SharedTimeline::new(&c, shared.iter(), Detail::Full, None);
            let own_refs: Vec<&Window> = own.iter().collect();
            let (fast, affected) = st.with(&c, &own_refs);
            let full = timeline(&c, shared.iter().chain(own.iter()));
            // Outside the affected stretches the incidents are the shared ones.
            let outside = |t: &Timeline| -> Vec<(i64, i64)> {
                t.incidents
                    .iter()
                    .filter(|i| !affected.iter().any(|&(a, b)| a < i.end() && b > i.start()))
                    .map(|i| (i.start(), i.end()))
                    .collect()
            };
            prop_assert_eq!(outside(&fast), outside(&st.timeline));
            // Where the own windows touch no shared one, the shared incidents with the rebuilt
            // ones beside them read as the full timeline does, over any stretch.
            let rebuilt = st.rebuild(&c, &own_refs);
            if let Some((beside, excluded)) = st.beside(&rebuilt) {
                prop_assert_eq!(excluded, &full.excluded[..]);
                let day = 86_400;
                for (lo, hi) in [(i64::MIN / 4, i64::MAX / 4), (NOV, NOV + 10 * day), (NOV + 9 * day, NOV + 20 * day)] {
                    let got: Vec<_> = beside.between(lo, hi).collect();
                    let want: Vec<_> = full.incidents[..].between(lo, hi).collect();
                    prop_assert_eq!(got, want);
                }
            }
            prop_assert_eq!(fast, full);
        }
    }
}
