//! Sorting a million records by a text key without chasing a pointer per comparison: each key's
//! first 16 bytes are held inline and compared first; only equal prefixes look at the strings.

/// The permutation that orders `keys` by their bytes (stable: equal keys keep their order).
pub(crate) fn order_by_text<'a>(
    keys: impl ExactSizeIterator<Item = &'a str> + Clone,
) -> Vec<usize> {
    // The first 16 bytes as a big-endian integer order like the bytes. With the length beside
    // them (capped at 17) they order keys of up to 16 bytes completely: a shorter key with the
    // same padded prefix is a prefix of the longer one. Only keys longer than 16 bytes with equal
    // prefixes need their strings compared.
    let mut entries: Vec<(u128, u32, usize)> = keys
        .clone()
        .enumerate()
        .map(|(i, k)| {
            let mut p = [0u8; 16];
            let n = k.len().min(16);
            p[..n].copy_from_slice(&k.as_bytes()[..n]);
            (u128::from_be_bytes(p), k.len().min(17) as u32, i)
        })
        .collect();
    entries.sort_unstable();
    let mut order: Vec<usize> = entries.iter().map(|&(_, _, i)| i).collect();
    let mut all: Option<Vec<&str>> = None;
    let mut start = 0;
    while start < entries.len() {
        let (prefix, len, _) = entries[start];
        let run = entries[start..]
            .iter()
            .take_while(|e| e.0 == prefix && e.1 == len)
            .count();
        if run > 1 && len > 16 {
            // The sort is stable, so equal keys keep their positions' order.
            let all = all.get_or_insert_with(|| keys.clone().collect());
            order[start..start + run].sort_by(|&a, &b| all[a].as_bytes().cmp(all[b].as_bytes()));
        }
        start += run;
    }
    order
}

/// Reorders `items` so that position k holds what was at `order[k]` (a permutation of the
/// indices): each item is moved once into a new vector, read where it is and written in order.
pub(crate) fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    *items = order.iter().filter_map(|&i| slots[i].take()).collect();
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
            let order = order_by_text(keys.iter().map(String::as_str));
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by(|&a, &b| keys[a].as_bytes().cmp(keys[b].as_bytes()));
            prop_assert_eq!(order, expected);
        }
    }

    use super::*;

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
        let order = order_by_text(keys.iter().copied());
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
        permute(&mut items, &[2, 0, 1]);
        assert_eq!(items, vec!['z', 'x', 'y']);
        // Every permutation of five, against building the result by hand.
        let mut order: Vec<usize> = (0..5).collect();
        loop {
            let mut items: Vec<usize> = (10..15).collect();
            permute(&mut items, &order);
            assert_eq!(
                items,
                order.iter().map(|&i| 10 + i).collect::<Vec<_>>(),
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
