//! A small, fast, non-cryptographic hasher for the engine's internal maps (ids and names of
//! a million subscriptions). Not exposed to input-chosen keys in a way that matters: a collision
//! only costs time, and inputs are bounded.

use std::hash::{BuildHasherDefault, Hasher};

/// The rustc/Firefox "Fx" hash: one multiply and rotate per word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail_word(bytes, rest));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply only carries upwards, so the low bits (the bucket index) would see little
        // of the high input bytes ("sub-0012345" varies in the middle): mix like splitmix64.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The last `rest` bytes of `bytes` as a little-endian word, zero-padded: read as the last 8
/// bytes shifted, where there are 8, rather than copied (a copy of a length known only at run
/// time is a call to `memcpy`, which cost more than the rest of hashing an 11-byte id).
fn tail_word(bytes: &[u8], rest: &[u8]) -> u64 {
    match bytes.len().checked_sub(8) {
        Some(from) => {
            let mut last = [0u8; 8];
            last.copy_from_slice(&bytes[from..]);
            u64::from_le_bytes(last) >> (8 * (8 - rest.len()))
        }
        None => rest.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)),
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The last word is the rest of the bytes zero-padded, as copying them gives.
        #[test]
        fn the_tail_word_is_the_rest_zero_padded(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
            let rest = bytes.chunks_exact(8).remainder();
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            if !rest.is_empty() {
                prop_assert_eq!(tail_word(&bytes, rest), u64::from_le_bytes(w));
            }
        }
    }
}
