//! The window index: windows without customers by scope, windows naming subscriptions or
//! customers sorted by name, to be walked side by side with sorted subscriptions.

use super::Job;
use crate::scope::Scope;
use crate::window::Window;

/// Windows indexed so that a subscription finds its own without scanning all of them.
pub(super) struct WindowIndex<'a> {
    windows: &'a [Window],
    /// Windows without `customers`.
    global: Vec<usize>,
    /// (name, window) for each name a window is limited to (subscription id or customer), sorted
    /// by name, then window.
    pub(super) named: Vec<(&'a str, u32)>,
}

impl<'a> WindowIndex<'a> {
    pub(super) fn new(windows: &'a [Window]) -> WindowIndex<'a> {
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
        crate::textsort::permute(&mut named, &order);
        WindowIndex {
            windows,
            global,
            named,
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
    pub(super) fn own(&self, job: &Job<'_>) -> Vec<usize> {
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
