//! The engine's internal maps (ids, names and scopes of a million subscriptions) hash with the
//! Fx hash of `rustc-hash`: fast and non-cryptographic. Not exposed to input-chosen keys in a way
//! that matters: a collision only costs time, and inputs are bounded.

pub use rustc_hash::{FxHashMap, FxHasher};
