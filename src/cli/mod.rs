//! The command line: parses arguments, calls the library, prints. No arithmetic lives here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;
mod output;

use crate::error::Error;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// SLA breach and compensation calculator: contracts + outage windows -> exact credit claims.
#[derive(Parser, Debug)]
#[command(name = "slacredit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate contracts and input files; report every problem with file and line.
    Check(InputArgs),
    /// Compute credit claims for a period or range (default: every period the windows touch).
    Claim(ClaimArgs),
    /// The yearly audit: every subscription and period of the year, totals, input fingerprints.
    Audit(AuditArgs),
    /// Compare computed credits with the credits actually issued; exit 1 when they differ.
    Reconcile(ReconcileArgs),
    /// List the contracts with their commitment and credit model.
    Contracts {
        /// Folder of contract files.
        #[arg(long, default_value = "contracts")]
        contracts: PathBuf,
    },
}

#[derive(Args, Debug)]
struct InputArgs {
    /// A case folder holding subscriptions.*, outages.* and optionally charges.csv.
    case: Option<PathBuf>,
    /// Folder of contract files [default: ./contracts, or the case folder's contracts/].
    #[arg(long)]
    contracts: Option<PathBuf>,
    /// Subscriptions file (YAML or CSV).
    #[arg(long)]
    subscriptions: Option<PathBuf>,
    /// Outage windows file (CSV, YAML or JSON); repeat for several sources.
    #[arg(long)]
    outages: Vec<PathBuf>,
    /// Actual charges per period (CSV: subscription,period,amount,currency).
    #[arg(long)]
    charges: Option<PathBuf>,
    /// IANA zone in which times without a UTC offset are read.
    #[arg(long, value_name = "ZONE")]
    input_timezone: Option<String>,
}

#[derive(Args, Debug)]
struct ClaimArgs {
    #[command(flatten)]
    input: InputArgs,
    /// One period: 2018-11, 2018-Q4 or 2018.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// First period of a range.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last period of a range.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Only this customer.
    #[arg(long)]
    customer: Option<String>,
    /// Only this subscription.
    #[arg(long)]
    subscription: Option<String>,
    /// Only claims with a breach.
    #[arg(long)]
    breached_only: bool,
    /// Only claims with a credit above zero (what a billing run books).
    #[arg(long)]
    credited_only: bool,
    /// CSV only: these columns, in this order (comma-separated names of the default header).
    #[arg(long, value_name = "LIST")]
    columns: Option<String>,
    /// Output format (markdown: the claim letter; html: a page with charts).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct AuditArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The calendar year to audit.
    #[arg(long)]
    year: i32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ReconcileArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Credits actually issued (CSV: subscription,period,amount,currency).
    #[arg(long, value_name = "FILE")]
    issued: PathBuf,
    /// The calendar year to reconcile.
    #[arg(long)]
    year: i32,
    /// Output format (table, json or csv).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

/// Runs the command line and returns the exit code: 0 ok, 1 invalid input (or, for
/// `reconcile`, credits that do not reconcile), 2 usage.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Check(args) => commands::check(&args),
        Command::Claim(args) => commands::claim(&args),
        Command::Audit(args) => commands::audit(&args),
        Command::Reconcile(args) => commands::reconcile(&args),
        Command::Contracts { contracts } => commands::contracts(&contracts),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            2
        }
        Err(Failure::Error(e)) => {
            output::print_error(&e);
            1
        }
    }
}

enum Failure {
    Usage(String),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}
