//! slacredit turns measured outages into the service credits an SLA owes, exactly.
//!
//! ```
//! use slacredit::{compute, Contract, Currency, Inputs, Instant, Money, Selection, Subscription, Window};
//!
//! // The AWS EC2 Region-Level SLA as it stood in 2018 (SPEC section 7).
//! let contract = Contract::from_yaml("aws.yaml", r#"
//! id: aws-ec2-region-2018
//! applies_to: { service: ec2 }
//! period: month
//! timezone: UTC
//! commitment: 99.99
//! credits:
//!   tiers:
//!     - { below: 99.99, percent: 10 }
//!     - { below: 99.0, percent: 30 }
//! claim:
//!   deadline: { periods_after: 2 }
//! "#)?;
//! let usd = Currency::from_code("USD")?;
//! let fee = Money::new("120000.00".parse()?, usd);
//! let shop = Subscription::new("shop-ec2-seoul", "Example Shop Co.", "aws-ec2-region-2018", fee)
//!     .with_scope("region", "ap-northeast-2");
//! // The Seoul DNS outage: 84 minutes.
//! let t = |s| Instant::parse(s, None);
//! let outage = Window::new(t("2018-11-22T08:19:00+09:00")?, t("2018-11-22T09:43:00+09:00")?)?
//!     .with_scope("region", "ap-northeast-2");
//!
//! let inputs = Inputs { contracts: vec![contract], subscriptions: vec![shop], windows: vec![outage], ..Inputs::default() };
//! let result = compute(&inputs, &Selection::default())?;
//! let claim = &result.claims[0];
//! assert_eq!(claim.period.to_string(), "2018-11");
//! assert_eq!(claim.downtime_minutes, "84".parse()?);
//! assert_eq!(slacredit::report::uptime(claim.uptime_percent), "99.805556");
//! assert_eq!(claim.credit, "12000.00".parse()?);
//! assert_eq!(claim.claim_deadline.unwrap().to_string(), "2019-01-31");
//! assert_eq!(claim.next_tier.unwrap().more_downtime_minutes, "349".parse()?);
//!
//! // As a billing system receives it: the JSON wire format (SPEC 5), decimals as strings.
//! let wire = serde_json::to_value(claim)?;
//! assert_eq!(wire["credit"], "12000.00");
//! assert_eq!(wire["uptime_percent"], "99.805556");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//! Data flows one way: **load** ([`load`], or build values in code) -> **validate** (only
//! validating constructors build a [`Contract`], a [`Window`], a [`Currency`]) -> **engine**
//! ([`engine`]: windows merged into incidents, exclusions, eligible time, counting) ->
//! **calculator** ([`calculator`]: uptime, tiers and other models, caps, rounding, deadline) ->
//! **claims** ([`Claim`]) -> **report** ([`report`]: JSON, CSV, table).
//!
//! Outage data of other tools (a status page, alerts, probes, a health API) becomes windows
//! through [`import`]; the checks that keep a typo from changing money are in [`typos`].
//!
//! Money and percentages are [`rust_decimal::Decimal`] everywhere; instants are UTC seconds and
//! civil dates exist only in a contract's zone. Errors carry file, line and field, and loaders
//! report every problem at once ([`Error::Invalid`]).
//!
//! The long form — contract format, arithmetic, JSON wire format, the Seoul case — is in `docs/`.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod calculator;
pub mod claim;
mod compute;
pub mod contract;
pub mod deadlines;
pub mod engine;
pub mod error;
pub mod explain;
pub mod exposure;
mod fxhash;
pub mod import;
mod incident;
pub(crate) mod input;
mod inputs;
pub mod load;
pub mod money;
pub mod period;
mod prepare;
mod printed;
pub mod reconcile;
pub mod report;
pub mod request;
pub mod scope;
pub mod subscription;
mod textsort;
pub mod time;
pub mod timeline;
pub mod typos;
pub mod window;
mod yaml;

pub use chrono_tz::Tz;
pub use claim::{Claim, ClaimIncident, Detail, EarnBack, EarnBackStatus, Labels, NextTier};
pub use compute::{compute, validate, Claims, Inputs, Run, Selection, Total};
pub use contract::Contract;
pub use error::{Error, InvalidValue, Problem, Problems};
pub use input::InputFile;
pub use money::{Currency, Money, Rounding};
pub use period::{Period, PeriodId, PeriodKind, PeriodSpan};
/// Money, percentages and minutes: exact decimals, never binary floats.
pub use rust_decimal::Decimal;
pub use scope::Scope;
pub use subscription::{parse_subscriptions, Attributes, Charges, Subscription};
pub use time::{Instant, Seconds};
pub use window::{parse_windows, Window};
