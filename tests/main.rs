//! One integration-test binary; each module is a group of cases.

mod at_risk;
mod bad_input;
mod browser;
mod calendars;
mod cli;
mod common;
mod composite;
mod contract_library;
mod credit_models;
mod deadlines;
mod docs_inputs;
mod earn_back;
mod engine;
mod exposure;
mod faults;
mod formats;
mod hostile;
mod imports;
mod invariants;
mod letters;
mod properties;
mod reports;
mod requests;
mod spec_examples;
mod typos;
