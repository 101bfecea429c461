//! The window index: windows without customers by scope, windows naming subscriptions or
//! customers sorted by name, to be walked side by side with sorted subscriptions.

use crate::fxhash::{FxHashMap, FxHasher};
use crate::scope::Scope;
use crate::window::Window;
use smallvec::SmallVec;
use smol_str::SmolStr;
use std::hash::Hasher;

/// The entries of [`WindowIndex::named`] naming one subscription: by id, by customer.
pub(crate) type Own = [(u32, u32); 2];

/// Windows indexed so that a subscription finds its own without scanning all of them. It refers
/// to windows by position, so it can be built as soon as they are read (see `load`).
pub(crate) struct WindowIndex {
    /// How many windows it was built from: an index of other windows is not used.
    len: usize,
    /// The distinct scopes of the windows without `customers`, each with its windows.
    global_scopes: Vec<(Scope, Vec<usize>)>,
    /// Those scopes by their key label (see [`Scope::key`]).
    by_key: KeyIndex,
    /// Each name a window is limited to (subscription id or customer), sorted by name, then
    /// window.
    pub(crate) named: Vec<Named>,
    /// The distinct scopes of windows naming someone. A million windows carry a few dozen label
    /// sets, so which of them cover a subscription is decided once per scope, not per window.
    pub(crate) scopes: Vec<Scope>,
}

/// A window index as its windows come, one by one (see `load`: while they are read, each is
/// in the cache), then [`IndexBuilder::finish`]ed.
#[derive(Default)]
pub(crate) struct IndexBuilder {
    len: usize,
    global_scopes: Vec<(Scope, Vec<usize>)>,
    global_seen: FxHashMap<usize, usize>,
    named: Vec<Named>,
    scopes: Vec<Scope>,
    seen: FxHashMap<usize, u32>,
}

impl IndexBuilder {
    /// Adds the next window.
    pub(crate) fn add(&mut self, w: &Window) {
        let i = self.len;
        self.len += 1;
        if w.customers.is_empty() {
            let scopes = &mut self.global_scopes;
            let k = *self.global_seen.entry(w.scope.id()).or_insert_with(|| {
                scopes.push((w.scope.clone(), Vec::new()));
                scopes.len() - 1
            });
            scopes[k].1.push(i);
            return;
        }
        let scopes = &mut self.scopes;
        let scope = *self.seen.entry(w.scope.id()).or_insert_with(|| {
            scopes.push(w.scope.clone());
            scopes.len() as u32 - 1
        });
        self.named.extend(w.customers.iter().map(|c| Named {
            name: c.clone(),
            window: i as u32,
            scope,
        }));
    }

    /// The index of the windows added.
    pub(crate) fn finish(self) -> WindowIndex {
        let mut named = self.named;
        // Stable: equal names keep window order.
        let order = crate::textsort::order_by_text(named.len(), |i| &named[i].name).order;
        crate::textsort::permute(&mut named, order);
        WindowIndex {
            len: self.len,
            by_key: KeyIndex::new(self.global_scopes.iter().map(|(s, _)| s)),
            global_scopes: self.global_scopes,
            named,
            scopes: self.scopes,
        }
    }
}

/// Scopes found by their key label (see [`Scope::key`]): the candidates to cover a full scope
/// are those whose key label the full scope has at the same value, and those without one.
#[derive(Default)]
pub(crate) struct KeyIndex {
    /// Label -> value -> scopes.
    by_label: FxHashMap<String, FxHashMap<String, Vec<usize>>>,
    wild: Vec<usize>,
}

impl KeyIndex {
    /// The index of `scopes`, by position.
    pub(crate) fn new<'s>(scopes: impl Iterator<Item = &'s Scope>) -> KeyIndex {
        let mut index = KeyIndex::default();
        for (k, s) in scopes.enumerate() {
            match s.key() {
                Some((l, v)) => index
                    .by_label
                    .entry(l.to_owned())
                    .or_default()
                    .entry(v.to_owned())
                    .or_default()
                    .push(k),
                None => index.wild.push(k),
            }
        }
        index
    }

    /// The positions of the scopes that may cover `full` (each once); the caller checks each.
    pub(crate) fn candidates<'i>(&'i self, full: &'i Scope) -> impl Iterator<Item = usize> + 'i {
        // A label listing values (composite availability) is looked up value by value.
        let pairs = full.iter().flat_map(|(l, v)| {
            let values: SmallVec<[&str; 4]> = match crate::scope::list(v) {
                Some(list) => list.collect(),
                None => smallvec::smallvec![v],
            };
            values.into_iter().map(move |v| (l, v))
        });
        let keyed = pairs.flat_map(move |(l, v)| {
            self.by_label
                .get(l)
                .and_then(|values| values.get(v))
                .into_iter()
                .flatten()
                .copied()
        });
        self.wild.iter().copied().chain(keyed)
    }
}

/// The entries of a [`WindowIndex`] naming someone, by position.
#[derive(Clone, Copy)]
pub(crate) struct Entries<'i>(&'i [Named]);

impl<'i> Entries<'i> {
    /// How many there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[allow(dead_code)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entry `e`: (name, window, position of its scope).
    pub(crate) fn get(&self, e: usize) -> (&'i str, u32, u32) {
        let n = &self.0[e];
        (n.name.as_str(), n.window, n.scope)
    }
}

/// A window limited to `name`. The name is held here (inline when short), so that sorting and
/// walking the index reads it in order instead of in each window.
#[derive(Clone)]
pub(crate) struct Named {
    name: SmolStr,
    /// The window's position in the inputs.
    pub(crate) window: u32,
    /// The position of its scope in [`WindowIndex::scopes`].
    pub(crate) scope: u32,
}

impl WindowIndex {
    /// The index of `windows`.
    pub(crate) fn new(windows: &[Window]) -> WindowIndex {
        let mut index = IndexBuilder::default();
        for w in windows {
            index.add(w);
        }
        index.finish()
    }

    /// Global windows whose labels match `scope`, in window order.
    pub(crate) fn global<'a>(&self, windows: &'a [Window], scope: &Scope) -> Vec<&'a Window> {
        let mut found: Vec<usize> = self
            .by_key
            .candidates(scope)
            .filter(|&k| self.global_scopes[k].0.covers(scope))
            .flat_map(|k| self.global_scopes[k].1.iter().copied())
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &windows[i]).collect()
    }

    /// Whether this is an index of `windows` (built from as many).
    pub(crate) fn is_of(&self, windows: &[Window]) -> bool {
        self.len == windows.len()
    }

    /// The entries naming someone, in name order: (name, window, position of its scope in
    /// [`WindowIndex::named_scopes`]).
    pub(crate) fn entries(&self) -> Entries<'_> {
        Entries(&self.named)
    }

    /// The distinct scopes of the windows naming someone.
    pub(crate) fn named_scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// The positions of the windows naming no one that cover at least one of `fulls`.
    pub(crate) fn global_reaching(&self, fulls: &[Scope]) -> Vec<usize> {
        let mut covered = vec![false; self.global_scopes.len()];
        for full in fulls {
            for k in self.by_key.candidates(full) {
                if !covered[k] && self.global_scopes[k].0.covers(full) {
                    covered[k] = true;
                }
            }
        }
        let mut out: Vec<usize> = covered
            .iter()
            .zip(&self.global_scopes)
            .filter(|(c, _)| **c)
            .flat_map(|(_, (_, windows))| windows.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// For `names` in ascending byte order, the range of `named` entries equal to each.
    pub(crate) fn ranges<'n>(
        &self,
        names: impl Iterator<Item = &'n str> + Clone,
    ) -> Vec<(u32, u32)> {
        // The walk starts at the first name, wherever it is.
        let mut at = names.clone().next().map_or(0, |first| {
            self.named
                .partition_point(|n| n.name.as_bytes() < first.as_bytes())
        });
        names
            .map(|name| {
                let name = name.as_bytes();
                while at < self.named.len() && self.named[at].name.as_bytes() < name {
                    at += 1;
                }
                let start = at;
                let mut end = at;
                while end < self.named.len() && self.named[end].name.as_bytes() == name {
                    end += 1;
                }
                (start as u32, end as u32)
            })
            .collect()
    }

    /// The names in the index that `customers` may hold, each with its range of `named`: most
    /// windows name subscriptions, so a few names at most are left to look customers up among.
    pub(crate) fn customer_names(&self, customers: &NameFilter) -> CustomerNames<'_> {
        self.customer_names_in(customers, self.named.len() > 100_000)
    }

    /// As [`WindowIndex::customer_names`], in `halves` on two cores or not.
    pub(crate) fn customer_names_in(
        &self,
        customers: &NameFilter,
        halves: bool,
    ) -> CustomerNames<'_> {
        let named = &self.named;
        // From `start` (where a name begins) to `end`, the names `customers` may hold.
        let among = |mut start: usize, end: usize| {
            let mut ranges = FxHashMap::default();
            while start < end {
                let name = named[start].name.as_str();
                let mut to = start + 1;
                while to < named.len() && named[to].name == name {
                    to += 1;
                }
                if customers.may_hold(name) {
                    ranges.insert(name, (start as u32, to as u32));
                }
                start = to;
            }
            ranges
        };
        let ranges = if halves && named.len() > 1 {
            // A provider's million names, half on each core; the second half starts at a name.
            let mut half = named.len() / 2;
            while half < named.len() && named[half].name == named[half - 1].name {
                half += 1;
            }
            let (mut first, second) = rayon::join(|| among(0, half), || among(half, named.len()));
            first.extend(second);
            first
        } else {
            among(0, named.len())
        };
        // Room for 64 bits a name: a customer not among them is ruled out in one read, in cache.
        let mut filter = NameFilter::with_room(ranges.len() * 8);
        for name in ranges.keys() {
            filter.add(name);
        }
        CustomerNames { filter, ranges }
    }

    /// The range of `named` equal to `name` (empty when no window names it).
    #[cfg(test)]
    fn range_of(&self, name: &str) -> (u32, u32) {
        let start = self
            .named
            .partition_point(|n| n.name.as_bytes() < name.as_bytes());
        let end = start
            + self.named[start..]
                .iter()
                .take_while(|n| n.name == name)
                .count();
        (start as u32, end as u32)
    }

    /// Reads the windows naming the subscriptions of `owns` (their ranges, see
    /// [`WindowIndex::own`]) ahead of computing them. They sit wherever the file put
    /// them, so each is a cache miss; read in one tight loop the misses overlap, where inside
    /// each job's computation they would be waited for one by one.
    pub(crate) fn prefetch(&self, windows: &[Window], owns: impl Iterator<Item = Own>) {
        for n in owns.flat_map(|own| self.naming(own)) {
            let w = &windows[n.window as usize];
            // The fields a rebuild reads first; `black_box` keeps the reads.
            std::hint::black_box((w.start(), w.end(), w.impact(), w.cause().is_some()));
        }
    }

    /// The entries naming a subscription: by id, then by customer.
    fn naming(&self, own: Own) -> impl Iterator<Item = &Named> {
        let [(a, b), (c, d)] = own;
        let by_id = &self.named[a as usize..b as usize];
        let by_customer = &self.named[c as usize..d as usize];
        by_id.iter().chain(by_customer)
    }

    /// Windows naming a subscription by id or customer (the ranges of [`WindowIndex::named`]
    /// `own`) whose scope `covers` (by position in [`WindowIndex::scopes`]), each once, in input
    /// order.
    pub(crate) fn own<'a>(
        &self,
        windows: &'a [Window],
        own: Own,
        covers: impl Fn(usize) -> bool,
    ) -> SmallVec<[&'a Window; 4]> {
        let mut out: SmallVec<[u32; 4]> = self
            .naming(own)
            .filter(|n| covers(n.scope as usize))
            .map(|n| n.window)
            .collect();
        // Named by both id and customer: the same window may be there twice.
        let [(a, b), (c, d)] = own;
        if c < d && a < b {
            out.sort_unstable();
            out.dedup();
        }
        out.into_iter().map(|w| &windows[w as usize]).collect()
    }
}

/// The names of a window index that may be customers', with their ranges of
/// [`WindowIndex::named`].
pub(crate) struct CustomerNames<'i> {
    filter: NameFilter,
    ranges: FxHashMap<&'i str, (u32, u32)>,
}

impl CustomerNames<'_> {
    /// The range of [`WindowIndex::named`] naming `customer` (empty when none does).
    pub(crate) fn range_of(&self, customer: &str) -> (u32, u32) {
        if !self.filter.may_hold(customer) {
            return (0, 0);
        }
        self.ranges.get(customer).copied().unwrap_or((0, 0))
    }
}

/// A Bloom filter of names (two bits each, both in one 64-bit word, 8 bits per name added): a
/// name not in it is surely not among them. A million customers' names (a provider's ten
/// subscriptions each name the same customer) fit in a megabyte, read once per name asked.
pub(crate) struct NameFilter {
    words: Vec<u64>,
    mask: u64,
}

impl NameFilter {
    /// An empty filter for up to `names` names.
    pub(crate) fn with_room(names: usize) -> NameFilter {
        let words = (names / 8).next_power_of_two();
        NameFilter {
            words: vec![0; words],
            mask: words as u64 - 1,
        }
    }

    /// Adds the names `other` holds (a filter made with the same room).
    pub(crate) fn union(&mut self, other: &NameFilter) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine |= theirs;
        }
    }

    /// Adds `name`.
    pub(crate) fn add(&mut self, name: &str) {
        let (word, bits) = self.bits_of(name);
        self.words[word] |= bits;
    }

    /// The word of `name` and its two bits there.
    fn bits_of(&self, name: &str) -> (usize, u64) {
        let mut h = FxHasher::default();
        h.write(name.as_bytes());
        let h = h.finish();
        let word = ((h >> 12) & self.mask) as usize;
        (word, 1 << (h & 63) | 1 << ((h >> 6) & 63))
    }

    /// Whether `name` may have been added (surely not when false).
    pub(crate) fn may_hold(&self, name: &str) -> bool {
        let (word, bits) = self.bits_of(name);
        self.words[word] & bits == bits
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// A scope from label choices: 0 = unset, 1 = `*`, 2.. = a value.
    fn scope_of(labels: &[u8]) -> Scope {
        let mut scope = Scope::new();
        for (k, &v) in labels.iter().enumerate() {
            match v {
                0 => {}
                1 => scope.insert(["region", "zone", "service"][k], "*"),
                v => scope.insert(["region", "zone", "service"][k], &format!("v{v}")),
            }
        }
        scope
    }

    proptest! {
        /// The windows found by their scopes' key labels are those a scan of every window
        /// finds, in window order.
        #[test]
        fn global_windows_by_key_are_those_a_scan_finds(
            windows in prop::collection::vec(prop::collection::vec(0u8..4, 3), 0..30),
            fulls in prop::collection::vec(prop::collection::vec(0u8..4, 3), 1..8),
        ) {
            let t = crate::time::Instant::from_unix_seconds;
            let ws: Vec<Window> = windows
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut w = Window::new(t(i as i64), t(i as i64 + 60)).unwrap();
                    w.scope = scope_of(l);
                    w
                })
                .collect();
            let index = WindowIndex::new(&ws);
            let fulls: Vec<Scope> = fulls.iter().map(|l| scope_of(l)).collect();
            for full in &fulls {
                let found: Vec<i64> = index.global(&ws, full).iter().map(|w| w.start().unix_seconds()).collect();
                let scanned: Vec<i64> = ws.iter().filter(|w| w.scope.covers(full)).map(|w| w.start().unix_seconds()).collect();
                prop_assert_eq!(found, scanned);
            }
            let reaching = index.global_reaching(&fulls);
            let scanned: Vec<usize> = (0..ws.len()).filter(|&i| fulls.iter().any(|f| ws[i].scope.covers(f))).collect();
            prop_assert_eq!(reaching, scanned);
        }
    }

    use super::*;
    use crate::time::Instant;

    #[test]
    fn customers_are_found_among_the_names_their_filter_may_hold() {
        let t = |s: i64| Instant::from_unix_seconds(1_500_000_000 + s);
        // Sorted: cust-a four times, cust-b, s1, s2; the middle falls inside cust-a's run.
        let names = ["s2", "cust-a", "cust-a", "s1", "cust-b", "cust-a", "cust-a"];
        let windows: Vec<Window> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut w = Window::new(t(i as i64 * 60), t(i as i64 * 60 + 30)).unwrap();
                w.customers = vec![SmolStr::new(n)].into();
                w
            })
            .collect();
        let index = WindowIndex::new(&windows);
        let mut customers = NameFilter::with_room(3);
        for c in ["cust-a", "cust-b", "cust-z"] {
            customers.add(c);
        }
        for halves in [false, true] {
            let found = index.customer_names_in(&customers, halves);
            assert_eq!(found.range_of("cust-a"), (0, 4), "halves: {halves}");
            assert_eq!(found.range_of("cust-b"), (4, 5), "halves: {halves}");
            assert_eq!(found.range_of("cust-z"), (0, 0), "halves: {halves}");
        }
        // A filter holding none of the names leaves none to look up.
        let none = index.customer_names(&NameFilter::with_room(0));
        assert!(none.ranges.is_empty());
    }

    #[test]
    fn names_are_found_by_range_and_absent_names_are_not() {
        let t = |s: i64| Instant::from_unix_seconds(1_500_000_000 + s);
        let names = ["cust-b", "sub-2", "cust-a", "sub-10", "cust-b", "sub-1"];
        let windows: Vec<Window> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut w = Window::new(t(i as i64 * 60), t(i as i64 * 60 + 30)).unwrap();
                w.customers = vec![SmolStr::new(n), SmolStr::new("shared")].into();
                w
            })
            .collect();
        let index = WindowIndex::new(&windows);
        let found = |name: &str| -> Vec<u32> {
            let (a, b) = index.range_of(name);
            index.named[a as usize..b as usize]
                .iter()
                .map(|n| n.window)
                .collect()
        };
        assert_eq!(found("cust-b"), [0, 4]);
        assert_eq!(found("sub-1"), [5]);
        assert_eq!(found("sub-10"), [3]);
        assert_eq!(found("shared"), [0, 1, 2, 3, 4, 5]);
        for absent in ["", "cust", "cust-c", "sub-0", "sub-100", "zzz"] {
            assert_eq!(found(absent), Vec::<u32>::new(), "{absent}");
        }
    }
}
