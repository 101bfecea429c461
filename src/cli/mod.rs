//! The command line: parses arguments, calls the library, prints. No arithmetic lives here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod output;

use crate::compute::{Claims, Run, Selection};
use crate::error::Error;
use crate::load::Sources;
use crate::period::{PeriodId, PeriodSpan};
use crate::report;
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Format {
    Table,
    Json,
    Csv,
}

/// Runs the command line and returns the exit code: 0 ok, 1 invalid input, 2 usage.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match run(cli) {
        Ok(()) => 0,
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

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Check(args) => {
            // `check` alone (or with only --contracts) validates the contracts.
            let sources = sources(&args, false)?;
            let inputs = sources.load()?;
            crate::compute::validate(&inputs)?;
            println!(
                "ok: {} contracts, {} subscriptions, {} outage windows, {} files checked",
                inputs.contracts.len(),
                inputs.subscriptions.len(),
                inputs.windows.len(),
                inputs.files.len()
            );
            Ok(())
        }
        Command::Claim(args) => {
            let sources = sources(&args.input, true)?;
            let periods = match (&args.period, &args.from, &args.to) {
                (Some(p), _, _) => {
                    let p = PeriodId::parse(p).map_err(Failure::Usage)?;
                    Some(PeriodSpan::new(p, p).map_err(Failure::Usage)?)
                }
                (None, Some(f), Some(t)) => {
                    let (f, t) = (
                        PeriodId::parse(f).map_err(Failure::Usage)?,
                        PeriodId::parse(t).map_err(Failure::Usage)?,
                    );
                    Some(PeriodSpan::new(f, t).map_err(Failure::Usage)?)
                }
                _ => None,
            };
            let clock = std::time::Instant::now();
            let columns = match (&args.columns, args.format) {
                (None, _) => report::csv::Columns::all(),
                (Some(list), Format::Csv) => report::csv::Columns::parse(list)
                    .map_err(|e| Failure::Usage(format!("--columns: {e}")))?,
                (Some(_), _) => {
                    return Err(Failure::Usage(
                        "--columns applies to --format csv".to_owned(),
                    ))
                }
            };
            let inputs = sources.load()?;
            timing("load", clock);
            let selection = Selection {
                periods,
                customer: args.customer.clone(),
                subscription: args.subscription.clone(),
                breached_only: args.breached_only,
                credited_only: args.credited_only,
            };
            let run = Run::new(&inputs, &selection)?;
            timing("prepare", clock);
            let mut out = output::Sink::open(args.output.as_deref())?;
            match args.format {
                Format::Table => {
                    let mut claims = Vec::new();
                    let totals = run.stream(
                        |chunk| chunk,
                        |chunk| {
                            claims.extend(chunk);
                            Ok(())
                        },
                    )?;
                    let all = Claims {
                        claims,
                        totals,
                        inputs: run.files().to_vec(),
                    };
                    out.write(&report::table::render(&all))?;
                }
                Format::Json => {
                    out.write(&report::json::header(run.files()))?;
                    let mut any = false;
                    let totals = run.stream(
                        |chunk| report::json::claims_chunk(&chunk),
                        |text| {
                            if text.is_empty() {
                                return Ok(());
                            }
                            out.write(if any { ",\n" } else { "\n" })?;
                            any = true;
                            out.write(&text)
                        },
                    )?;
                    out.write(&report::json::footer(any, &totals))?;
                }
                Format::Csv => {
                    out.write(&columns.header())?;
                    run.stream(|chunk| columns.rows(&chunk), |text| out.write(&text))?;
                }
            }
            out.finish()?;
            timing("compute and write", clock);
            // The process ends here: freeing a provider's million subscriptions one by one would
            // only cost time.
            std::mem::forget(run);
            std::mem::forget(inputs);
            Ok(())
        }
        Command::Contracts { contracts } => {
            let (list, _) = crate::load::contracts(&contracts)?;
            output::write(None, &output::contract_list(&list))?;
            Ok(())
        }
    }
}

/// With SLACREDIT_TIMING set, prints the time since `start` of a phase on stderr (for
/// benchmarks; output is never affected).
fn timing(phase: &str, start: std::time::Instant) {
    if std::env::var_os("SLACREDIT_TIMING").is_some() {
        eprintln!(
            "timing: {phase} done at {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
}

fn sources(args: &InputArgs, need_data: bool) -> Result<Sources, Failure> {
    let input_timezone = match &args.input_timezone {
        None => None,
        Some(z) => Some(z.parse::<chrono_tz::Tz>().map_err(|_| {
            Failure::Usage(format!(
                "--input-timezone: expected an IANA zone such as Asia/Seoul, found {z:?}"
            ))
        })?),
    };
    let mut s = Sources {
        contracts: args
            .contracts
            .clone()
            .unwrap_or_else(|| PathBuf::from("contracts")),
        subscriptions: args.subscriptions.clone(),
        outages: args.outages.clone(),
        charges: args.charges.clone(),
        input_timezone,
    };
    if let Some(case) = &args.case {
        s = s.with_case(case, args.contracts.is_some())?;
    } else if need_data && (s.subscriptions.is_none() || s.outages.is_empty()) {
        return Err(Failure::Usage(
            "give a case folder, or --subscriptions FILE and --outages FILE".to_owned(),
        ));
    }
    Ok(s)
}
