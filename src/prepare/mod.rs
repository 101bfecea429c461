//! What a computation looks up, worked out before it starts: where each subscription's contract
//! and full scope are ([`Resolution`]) and which windows apply where ([`WindowIndex`]). Below
//! both the loader, which works them out while files are read, and the computation, which
//! works out what the loader did not.

mod index;
mod resolve;

pub(crate) use index::{IndexBuilder, Own, WindowIndex};
pub(crate) use resolve::{resolve, resolve_subscriptions, Resolution};

use crate::error::Problems;

/// What a loader worked out while the inputs were read. Each part is used only if it was made
/// from as many windows or subscriptions as the run has.
#[derive(Default)]
pub(crate) struct Prepared {
    pub(crate) index: Option<WindowIndex>,
    pub(crate) resolution: Option<Result<Resolution, Problems>>,
    /// The subscriptions are in id order, as the loader leaves them: a million of them need not
    /// be compared again.
    pub(crate) sorted: bool,
}
