//! Sorting a million records by a text key without chasing a pointer per comparison: each key's
//! first 16 bytes are held inline and compared first; only equal prefixes look at the strings.

/// The permutation that orders `keys` by their bytes (stable: equal keys keep their order).
pub(crate) fn order_by_text<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> Vec<usize> {
    // The prefix as a big-endian integer orders like the bytes, and compares in one instruction.
    let mut entries: Vec<(u128, &str, usize)> = keys
        .enumerate()
        .map(|(i, k)| {
            let mut prefix = [0u8; 16];
            let n = k.len().min(16);
            prefix[..n].copy_from_slice(&k.as_bytes()[..n]);
            (u128::from_be_bytes(prefix), k, i)
        })
        .collect();
    entries.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
            .then(a.2.cmp(&b.2))
    });
    entries.into_iter().map(|(_, _, i)| i).collect()
}

/// Reorders `items` in place so that position k holds what was at `order[k]` (a permutation of
/// the indices): cycles of swaps, no second copy of a million records.
pub(crate) fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut from = order.to_vec();
    for start in 0..items.len() {
        let mut k = start;
        while from[k] != start && from[k] != k {
            let src = from[k];
            items.swap(k, src);
            from[k] = k;
            k = src;
        }
        from[k] = k;
    }
}

#[cfg(test)]
mod tests {
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
