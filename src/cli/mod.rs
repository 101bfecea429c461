//! The command line: parses arguments, calls the library, prints. No arithmetic lives here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// As `eprintln!`, but a closed or full standard error is ignored: a message is never worth a
/// panic (exit 101).
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// As `eprint!`, likewise.
macro_rules! tell_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod commands;
mod output;

use clap::{Args, Parser, Subcommand, ValueEnum};
use slacredit::error::Error;
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
    Claim(Box<ClaimArgs>),
    /// The yearly audit: every subscription and period of the year, totals, input fingerprints.
    Audit(AuditArgs),
    /// Compare computed credits with the credits actually issued; exit 1 when they differ.
    Reconcile(ReconcileArgs),
    /// What must be claimed soon: each claim owing a credit whose last day to claim is due, by
    /// customer and date.
    Deadlines(DeadlinesArgs),
    /// Net exposure: the credits we owe our customers for an upstream outage against those we
    /// can claim from our providers, per period and currency.
    Exposure(ExposureArgs),
    /// Convert another tool's outage data (status page, alerts, probes, health API) into windows.
    Import(ImportArgs),
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
    /// Outage windows file (CSV, YAML or JSON; `-` reads standard input), or another tool's
    /// outage data as FORMAT:FILE (statuspage, alertmanager, prometheus, aws-health, gcp-status,
    /// uptimerobot, pingdom); repeat for several sources.
    #[arg(long, value_name = "FILE")]
    outages: Vec<String>,
    #[command(flatten)]
    import: ImportFlags,
    /// A column or key of the outage files to let through unread (repeatable).
    #[arg(long, value_name = "NAME")]
    ignore_column: Vec<String>,
    /// The format of standard input (`--outages -` or `--subscriptions -`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
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
    /// The inputs and the selection as one JSON request (`-`: standard input), for programs
    /// in other languages; the claims are JSON unless --format says otherwise. The request's
    /// format: docs/integration.md.
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "case", "contracts", "subscriptions", "outages", "charges", "input_timezone",
        "input_format", "ignore_column", "map", "label", "open_until", "period", "from", "to",
        "customer", "subscription", "breached_only", "credited_only",
    ])]
    request: Option<PathBuf>,
    /// Output format (markdown: the claim letter; html: a page with charts) [default: table,
    /// json with --request].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,
    /// Letters: their date (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Letters: the language (en or ko).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Letters: show incidents in this IANA zone too, beside the contract's zone and UTC.
    #[arg(long, value_name = "ZONE")]
    display_timezone: Option<String>,
    /// Letters: one file per letter in DIR, with an index.md (DIR is replaced whole).
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Letters with --output-dir: one file per claim, or per customer.
    #[arg(long, value_enum, default_value_t = Per::Claim, requires = "output_dir")]
    per: Per,
}

impl ClaimArgs {
    /// The output format asked for, or the default: JSON for a program's request.
    fn format(&self) -> Format {
        match (self.format, &self.request) {
            (Some(f), _) => f,
            (None, Some(_)) => Format::Json,
            (None, None) => Format::Table,
        }
    }
}

/// What a letter file of `--output-dir` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Per {
    /// One subscription's claim for one period.
    Claim,
    /// Every claim of one customer.
    Customer,
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
struct DeadlinesArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The day to count from (YYYY-MM-DD): deadlines before it are past and left out.
    #[arg(long, value_name = "DATE")]
    as_of: String,
    /// Only deadlines up to this many days after --as-of (`14d`).
    #[arg(long, value_name = "DAYS")]
    within: Option<String>,
    /// Output format (table or json).
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

#[derive(Args, Debug)]
struct ExposureArgs {
    /// Our subscriptions under our providers' contracts, with their outages (a case folder).
    #[arg(long, value_name = "CASE")]
    upstream: PathBuf,
    /// Our customers' subscriptions under our own contracts, with any outages of our own (a
    /// case folder; its contracts/ are ours).
    #[arg(long, value_name = "CASE")]
    downstream: PathBuf,
    /// Which of our services depend on which upstream scopes (YAML).
    #[arg(long, value_name = "DEPENDS.yaml")]
    depends: PathBuf,
    /// Folder of contract files for a case without contracts/ [default: ./contracts].
    #[arg(long)]
    contracts: Option<PathBuf>,
    /// One period: 2018-11, 2018-Q4 or 2018.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// First period of a range.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last period of a range.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// How imported files become windows: for `import`, and for `--outages FORMAT:FILE`.
#[derive(Args, Debug)]
struct ImportFlags {
    /// Imports: the map file giving scope labels to components, products, monitors, labels.
    #[arg(long, value_name = "MAP.yaml")]
    map: Option<PathBuf>,
    /// Imports: a label added to every imported window (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    label: Vec<String>,
    /// Imports: close items still open at this time (RFC 3339) instead of refusing them.
    #[arg(long, value_name = "TIME")]
    open_until: Option<String>,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The tool the files come from.
    #[arg(value_parser = ToolParser, value_name = "FORMAT")]
    tool: slacredit::import::Format,
    /// The files (a response object, or a list of them, as the tool's API returns them).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    import: ImportFlags,
    /// The windows' source [default: the format's name].
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// IANA zone in which times without a UTC offset are read.
    #[arg(long, value_name = "ZONE")]
    input_timezone: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InputFormat::Csv)]
    format: InputFormat,
    /// Write to FILE instead of standard output (replaced whole, never half-written).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum InputFormat {
    Csv,
    Yaml,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
    /// The claim letters as a printable HTML page (A4): `claim` only.
    LetterHtml,
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
    output::clean_up_on_signals();
    let result = match cli.command {
        Command::Check(args) => commands::check(&args),
        Command::Claim(args) => commands::claim(&args),
        Command::Audit(args) => commands::audit(&args),
        Command::Reconcile(args) => commands::reconcile(&args),
        Command::Deadlines(args) => commands::deadlines(&args),
        Command::Exposure(args) => commands::exposure(&args),
        Command::Import(args) => commands::import(&args),
        Command::Contracts { contracts } => commands::contracts(&contracts),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(m)) => {
            tell!("error: {m}");
            2
        }
        // A reader that stopped reading (`| head`) is no failure of ours: quietly done.
        Err(Failure::Error(Error::Io { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
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

/// The import formats as a command-line value: their names, each with its line of help.
#[derive(Clone)]
struct ToolParser;

impl clap::builder::TypedValueParser for ToolParser {
    type Value = slacredit::import::Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let names = slacredit::import::Format::ALL.map(slacredit::import::Format::name);
        let name = clap::builder::PossibleValuesParser::new(names).parse_ref(cmd, arg, value)?;
        slacredit::import::Format::from_name(&name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let formats = slacredit::import::Format::ALL.into_iter();
        Some(Box::new(formats.map(|f| {
            clap::builder::PossibleValue::new(f.name()).help(f.about())
        })))
    }
}
