//! What a computation is given: the inputs (loaded from files, or built in code) and which
//! claims to compute.

use crate::contract::Contract;
use crate::incident::Detail;
use crate::input::InputFile;
use crate::period::PeriodSpan;
use crate::subscription::{Charges, Subscription};
use crate::window::Window;
use std::sync::Arc;

/// Everything a computation needs, already parsed and validated one by one.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Contracts, ids unique.
    pub contracts: Vec<Contract>,
    /// Subscriptions, ids unique.
    pub subscriptions: Vec<Subscription>,
    /// Outage windows, any order, overlapping allowed.
    pub windows: Vec<Window>,
    /// Actual charges, overriding fees.
    pub charges: Charges,
    /// The files read, with fingerprints (empty for inputs built in code, and for loads that
    /// took no fingerprints).
    pub files: Vec<InputFile>,
    /// The file the subscriptions came from, for messages; `None` for subscriptions built in code.
    pub subscriptions_file: Option<Arc<str>>,
    /// The line of each subscription in that file, by position in `subscriptions`; empty for
    /// subscriptions built in code.
    pub subscription_lines: Vec<Option<usize>>,
    /// The label columns of the subscriptions file (CSV): labels in use even where every cell
    /// is empty (SPEC 2.6).
    pub subscription_labels: Vec<String>,
    /// Where the windows came from, file by file in the order of `windows`; empty for windows
    /// built in code.
    pub window_files: Vec<crate::window::WindowFile>,
    /// The windows (by position) that apply to no subscription, as the loader's checks found
    /// them ([`crate::typos::check`]).
    pub unapplied: Vec<usize>,
    /// What the loader noticed that is not an error (imported items left out), for the caller
    /// to tell.
    pub notes: Vec<String>,
}

/// Which claims to compute.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Civil date range whose overlapping periods are claimed; `None` = every period touched by
    /// the windows.
    pub periods: Option<PeriodSpan>,
    /// Only this customer (exact name).
    pub customer: Option<String>,
    /// Only this subscription (exact id).
    pub subscription: Option<String>,
    /// Drop claims without a breach.
    pub breached_only: bool,
    /// Drop claims without a credit (what a billing run books).
    pub credited_only: bool,
    /// How much of each claim to work out.
    pub detail: Detail,
}
