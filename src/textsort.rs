//! Sorting a million records by a text key without chasing a pointer per comparison: the bytes
//! every key starts with are skipped, the next 8 bytes of each key and its length are held inline
//! and sorted by radix; only keys longer than that with equal bytes look at the strings.
//!
//! Kept by hand because the standard library's sort, comparing the strings, costs a provider's
//! year more than the 5 % a crate's code is allowed: ×1.45 at `compare.sh L`
//! (`docs/performance.md`).

/// A key's sortable part after the shared prefix: its next 8 bytes (zero-padded, big-endian, so
/// they order like the bytes), how many bytes it has after the prefix capped at 9, and its
/// position. Sixteen bytes: a radix pass moves as little as it can.
#[derive(Clone, Copy, Default)]
struct Entry {
    bytes: u64,
    len: u32,
    at: u32,
}

/// Digits of an entry from the most significant: the 8 bytes, then the capped length.
const DIGITS: usize = 9;

impl Entry {
    fn digit(&self, d: usize) -> usize {
        if d < 8 {
            (self.bytes >> (56 - 8 * d)) as u8 as usize
        } else {
            self.len as usize
        }
    }

    fn same_key(&self, other: &Entry) -> bool {
        (self.bytes, self.len) == (other.bytes, other.len)
    }
}

/// An order of keys, and where in it keys repeat.
pub(crate) struct Sorted {
    /// The positions of the keys, in key order.
    pub(crate) order: Vec<usize>,
    /// The places k in `order` (increasing) whose key is the same as at k - 1.
    pub(crate) repeats: Vec<usize>,
}

/// The permutation that orders the `n` keys `key(0)`, ..., `key(n - 1)` by their bytes (stable:
/// equal keys keep their order), and where keys repeat: told by the sort's entries, not by
/// comparing a million keys again.
pub(crate) fn order_by_text<'a>(n: usize, key: impl Fn(usize) -> &'a str) -> Sorted {
    // The 8 bytes with the length beside them order keys of up to 8 bytes past the prefix
    // completely: a shorter key with the same padded bytes is a prefix of the longer one. Only
    // longer keys with equal bytes need their strings compared.
    let compare = |a: &usize, b: &usize| key(*a).as_bytes().cmp(key(*b).as_bytes());
    let same = |a: usize, b: usize| key(a) == key(b);
    if n == 0 || u32::try_from(n).is_err() {
        // Beyond what positions of 32 bits hold (never for real inputs): compare the strings.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(compare);
        let repeats = (1..n).filter(|&k| same(order[k - 1], order[k])).collect();
        return Sorted { order, repeats };
    }
    // What the first keys share is guessed to be shared by all (ids of one export share their
    // prefix), and checked while the entries are made. A key that does not share it shortens the
    // guess to what the two share and the entries made so far are made again: one key after
    // the first thousand (`sub-1000000` after `sub-0…`) costs those made before it, not a pass
    // over all. After two such keys, what all share is worked out once.
    let first = key(0).as_bytes();
    let shared = |upto: usize| {
        (0..upto).fold(first.len(), |c, i| {
            c.min(common_len(&first[..c], key(i).as_bytes()))
        })
    };
    let mut prefix = &first[..shared(n.min(1024))];
    let mut entries = Vec::with_capacity(n);
    let (mut i, mut misses) = (0, 0);
    while i < n {
        let k = key(i).as_bytes();
        if let Some(e) = entry(k, prefix, i) {
            entries.push(e);
            i += 1;
            continue;
        }
        misses += 1;
        let len = if misses <= 2 {
            common_len(prefix, k)
        } else {
            shared(n)
        };
        prefix = &first[..len];
        entries.clear();
        i = 0;
    }
    radix_sort(&mut entries);
    let mut order: Vec<usize> = entries.iter().map(|e| e.at as usize).collect();
    let mut repeats = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let run = entries[start..]
            .iter()
            .take_while(|e| e.same_key(&entries[start]))
            .count();
        let ties = start + 1..start + run;
        if run > 1 && entries[start].len > 8 {
            // The sort is stable, so equal keys keep their positions' order.
            order[start..start + run].sort_by(compare);
            repeats.extend(ties.filter(|&k| same(order[k - 1], order[k])));
        } else {
            repeats.extend(ties);
        }
        start += run;
    }
    Sorted { order, repeats }
}

/// How many bytes `a` and `b` start with alike.
fn common_len(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The entry of `key` at position `at`, past `prefix`; `None` when it does not start with it.
fn entry(key: &[u8], prefix: &[u8], at: usize) -> Option<Entry> {
    let rest = key.strip_prefix(prefix)?;
    let mut p = [0u8; 8];
    let m = rest.len().min(8);
    p[..m].copy_from_slice(&rest[..m]);
    Some(Entry {
        bytes: u64::from_be_bytes(p),
        len: rest.len().min(9) as u32,
        at: at as u32,
    })
}

/// Sorts by (bytes, length), stably: one counting pass per digit from the least significant,
/// skipping digits every key shares. Ids such as `sub-0927186` differ in six of the nine.
fn radix_sort(entries: &mut Vec<Entry>) {
    let Some(&first) = entries.first() else {
        return;
    };
    // The digits some key differs from the first in.
    let (mut bytes, mut len) = (0u64, 0u32);
    for e in entries.iter() {
        bytes |= e.bytes ^ first.bytes;
        len |= e.len ^ first.len;
    }
    let differs = Entry { bytes, len, at: 0 };
    let digits: Vec<usize> = (0..DIGITS).filter(|&d| differs.digit(d) != 0).collect();
    let mut counts = vec![[0usize; 256]; digits.len()];
    for e in entries.iter() {
        for (c, &d) in counts.iter_mut().zip(&digits) {
            c[e.digit(d)] += 1;
        }
    }
    let mut other = vec![Entry::default(); entries.len()];
    for (c, &d) in counts.iter().zip(&digits).rev() {
        let mut next = [0usize; 256];
        let mut sum = 0;
        for (slot, &c) in next.iter_mut().zip(c) {
            *slot = sum;
            sum += c;
        }
        for e in entries.iter() {
            let b = e.digit(d);
            other[next[b]] = *e;
            next[b] += 1;
        }
        std::mem::swap(entries, &mut other);
    }
}

/// Reorders `items` so that position k holds what was at `order[k]` (a permutation of the
/// indices), in place: each position is swapped once with where its item is now (as the standard
/// library's `sort_by_cached_key` does), so a million records are not copied into new memory.
pub(crate) fn permute<T>(items: &mut [T], order: Vec<usize>) {
    // Beside a list of nothing: swapping `()` costs nothing, and a `Vec<()>` holds no memory.
    permute_both(items, &mut vec![(); items.len()], order);
}

/// [`permute`] of two lists of the same length side by side: the chains of positions, which
/// cost a wait for memory at each step, are followed once for both. `order` is taken to keep
/// track of where items are (not copied: a million positions are eight megabytes).
pub(crate) fn permute_both<T, U>(first: &mut [T], second: &mut [U], order: Vec<usize>) {
    assert_eq!(first.len(), second.len(), "lists permuted together");
    let mut from = order;
    for i in 0..first.len() {
        // Items before i have been placed; one that was at a placed position moved to where
        // that position's item came from, so follow the chain until it leads past i.
        let mut at = from[i];
        while at < i {
            at = from[at];
        }
        from[i] = at;
        first.swap(i, at);
        second.swap(i, at);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as a stable sort of the strings, for short, long, alike and unlike
        /// keys (NUL bytes included, which the zero-padded prefix must not confuse).
        #[test]
        fn orders_like_a_stable_sort_of_the_strings(
            keys in prop_oneof![
                prop::collection::vec("sub-0[0-9]{6}", 0..60),
                prop::collection::vec("[ab\\x00]{0,3}", 0..60),
                prop::collection::vec("sub-000000000000[0-9]{0,6}", 0..60),
                prop::collection::vec(
                    prop_oneof!["[ab\\x00]{0,3}", "sub-0[0-9]{6}", "[a-z]{0,24}"],
                    0..60,
                ),
            ]
        ) {
            let sorted = order_by_text(keys.len(), |i| &keys[i]);
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by(|&a, &b| keys[a].as_bytes().cmp(keys[b].as_bytes()));
            let repeats: Vec<usize> = (1..keys.len())
                .filter(|&k| keys[expected[k - 1]] == keys[expected[k]])
                .collect();
            prop_assert_eq!(sorted.order, expected);
            prop_assert_eq!(sorted.repeats, repeats);
        }
    }

    use super::*;

    #[test]
    fn a_key_without_the_first_keys_prefix_is_ordered_all_the_same() {
        // The first 1,024 keys share `sub-0` (the guess); later keys share less, or nothing,
        // and long keys tie on the 8 bytes after the prefix.
        let mut keys: Vec<String> = (0..1100)
            .map(|i| format!("sub-0{:06}", (i * 7919) % 1100))
            .collect();
        keys.extend(
            [
                "sub-edge-db-usd-0.04",
                "a",
                "sub-edge-db-usd-0.03",
                "",
                "sub-0",
                "sub-edge-db-usd-0.04",
            ]
            .map(String::from),
        );
        let sorted = order_by_text(keys.len(), |i| &keys[i]);
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by(|&a, &b| keys[a].as_bytes().cmp(keys[b].as_bytes()));
        assert_eq!(sorted.order, expected);
        // The long `sub-edge-db-usd-0.04` and `…0.03` tie on their first 8 bytes past the
        // prefix; only the two `…0.04` are the same key.
        let at = |k: usize| keys[sorted.order[k]].as_str();
        let repeats: Vec<&str> = sorted.repeats.iter().map(|&k| at(k)).collect();
        assert_eq!(repeats, ["sub-edge-db-usd-0.04"]);
    }

    #[test]
    fn orders_by_bytes_beyond_the_prefix_and_keeps_ties_stable() {
        let keys = [
            "sub-0000000000000002",
            "b",
            "sub-0000000000000001",
            "a",
            "b",
            "",
            "sub-00000000000000011",
        ];
        let order = order_by_text(keys.len(), |i| keys[i]).order;
        let sorted: Vec<(&str, usize)> = order.iter().map(|&i| (keys[i], i)).collect();
        assert_eq!(
            sorted,
            [
                ("", 5),
                ("a", 3),
                ("b", 1),
                ("b", 4),
                ("sub-0000000000000001", 2),
                ("sub-00000000000000011", 6),
                ("sub-0000000000000002", 0)
            ]
        );
        let mut items = vec!['x', 'y', 'z'];
        permute(&mut items, vec![2, 0, 1]);
        assert_eq!(items, vec!['z', 'x', 'y']);
        // Every permutation of five, against building the result by hand.
        let mut order: Vec<usize> = (0..5).collect();
        loop {
            let mut items: Vec<usize> = (10..15).collect();
            permute(&mut items, order.clone());
            assert_eq!(
                items,
                order.iter().map(|&i| 10 + i).collect::<Vec<_>>(),
                "{order:?}"
            );
            let (mut first, mut second): (Vec<usize>, Vec<char>) =
                ((20..25).collect(), "abcde".chars().collect());
            permute_both(&mut first, &mut second, order.clone());
            let letters: Vec<char> = order.iter().map(|&i| (b'a' + i as u8) as char).collect();
            assert_eq!(
                (first, second),
                (order.iter().map(|&i| 20 + i).collect::<Vec<_>>(), letters),
                "{order:?}"
            );
            // Next permutation in lexicographic order.
            let Some(i) = (0..4).rev().find(|&i| order[i] < order[i + 1]) else {
                break;
            };
            let j = (i + 1..5).rev().find(|&j| order[j] > order[i]).unwrap();
            order.swap(i, j);
            order[i + 1..].reverse();
        }
    }
}
