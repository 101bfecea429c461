//! The window index: windows without customers by scope, windows naming subscriptions or
//! customers sorted by name, to be walked side by side with sorted subscriptions.

use super::Job;
use crate::fxhash::FxHashMap;
use crate::scope::Scope;
use crate::window::Window;
use smol_str::SmolStr;

/// Windows indexed so that a subscription finds its own without scanning all of them.
pub(super) struct WindowIndex<'a> {
    windows: &'a [Window],
    /// Windows without `customers`.
    global: Vec<usize>,
    /// Each name a window is limited to (subscription id or customer), sorted by name, then
    /// window.
    pub(super) named: Vec<Named>,
    /// The range of `named` holding each distinct name.
    by_name: FxHashMap<SmolStr, (u32, u32)>,
    /// The distinct scopes of windows naming someone. A million windows carry a few dozen label
    /// sets, so which of them cover a subscription is decided once per scope, not per window.
    pub(super) scopes: Vec<Scope>,
}

/// A window limited to `name`. The name is held here (inline when short), so that sorting and
/// walking the index reads it in order instead of in each window.
#[derive(Clone)]
pub(super) struct Named {
    name: SmolStr,
    /// The window's position in the inputs.
    pub(super) window: u32,
    /// The position of its scope in [`WindowIndex::scopes`].
    pub(super) scope: u32,
}

impl<'a> WindowIndex<'a> {
    pub(super) fn new(windows: &'a [Window]) -> WindowIndex<'a> {
        let mut global = Vec::new();
        let mut named: Vec<Named> = Vec::new();
        let mut scopes = Vec::new();
        let mut seen: FxHashMap<usize, u32> = FxHashMap::default();
        for (i, w) in windows.iter().enumerate() {
            if w.customers.is_empty() {
                global.push(i);
                continue;
            }
            let scope = *seen.entry(w.scope.id()).or_insert_with(|| {
                scopes.push(w.scope.clone());
                scopes.len() as u32 - 1
            });
            named.extend(w.customers.iter().map(|c| Named {
                name: c.clone(),
                window: i as u32,
                scope,
            }));
        }
        // Stable: equal names keep window order.
        let order = crate::textsort::order_by_text(named.iter().map(|n| n.name.as_str()));
        crate::textsort::permute(&mut named, &order);
        let mut by_name = FxHashMap::default();
        by_name.reserve(1 + named.windows(2).filter(|n| n[0].name != n[1].name).count());
        let mut start = 0;
        while start < named.len() {
            let name = &named[start].name;
            let end = start
                + named[start..]
                    .iter()
                    .take_while(|n| n.name == *name)
                    .count();
            by_name.insert(name.clone(), (start as u32, end as u32));
            start = end;
        }
        WindowIndex {
            windows,
            global,
            named,
            by_name,
            scopes,
        }
    }

    /// Global windows whose labels match `scope`.
    pub(super) fn global<'s>(&'s self, scope: &'s Scope) -> impl Iterator<Item = &'a Window> + 's {
        self.global
            .iter()
            .map(|&i| &self.windows[i])
            .filter(move |w| w.scope.covers(scope))
    }

    /// For `names` in ascending byte order, the range of `named` entries equal to each.
    pub(super) fn ranges<'n>(&self, names: impl Iterator<Item = &'n str>) -> Vec<(u32, u32)> {
        let mut at = 0;
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

    /// The range of `named` equal to `name` (empty when no window names it).
    pub(super) fn range_of(&self, name: &str) -> (u32, u32) {
        self.by_name.get(name).copied().unwrap_or((0, 0))
    }

    /// Windows naming a job's subscription by id or customer whose scope `covers` (by position
    /// in [`WindowIndex::scopes`]), each once, in input order.
    pub(super) fn own(&self, job: &Job<'_>, covers: impl Fn(usize) -> bool) -> Vec<&'a Window> {
        let [(a, b), (c, d)] = job.own;
        let by_id = &self.named[a as usize..b as usize];
        let by_customer = &self.named[c as usize..d as usize];
        let mut out: Vec<u32> = by_id
            .iter()
            .chain(by_customer)
            .filter(|n| covers(n.scope as usize))
            .map(|n| n.window)
            .collect();
        if c < d && a < b {
            out.sort_unstable();
            out.dedup();
        }
        let windows = self.windows;
        out.into_iter().map(|w| &windows[w as usize]).collect()
    }
}
