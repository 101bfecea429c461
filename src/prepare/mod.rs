//! What a computation looks up, worked out before it starts: where each subscription's contract
//! and full scope are ([`Resolution`]) and which windows apply where ([`WindowIndex`]). Below
//! both the loader, which works them out while files are read, and the computation, which
//! works out what the loader did not.

mod index;
mod resolve;

pub(crate) use index::{IndexBuilder, Own, WindowIndex};
pub(crate) use resolve::{resolve, resolve_subscriptions, Resolution};

use crate::error::Problems;
use crate::inputs::Inputs;

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

/// Inputs as loaded, with what a run needs of them worked out as they were read
/// ([`crate::load::Sources::load_prepared`]). Read-only: what was worked out holds for these inputs.
pub struct Loaded {
    pub(crate) inputs: Inputs,
    pub(crate) prepared: Prepared,
}

impl Loaded {
    /// The inputs.
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }

    /// Names `file` first among the inputs fingerprinted (a request that holds some of them):
    /// fingerprints are no part of what was worked out.
    pub(crate) fn add_first_file(&mut self, file: crate::input::InputFile) {
        self.inputs.files.insert(0, file);
    }

    /// The inputs, to change: what was worked out of them is dropped.
    pub fn into_inputs(self) -> Inputs {
        self.inputs
    }
}
