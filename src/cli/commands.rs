//! The subcommands: each loads, computes through the library and prints one report.

use super::output::{self, Sink};
use super::{
    AuditArgs, ClaimArgs, DeadlinesArgs, ExposureArgs, Failure, Format, ImportArgs, ImportFlags,
    InputArgs, InputFormat, Per, ReconcileArgs,
};
use slacredit::claim::Detail;
use slacredit::load::{Fingerprints, Input, Sources};
use slacredit::period::{PeriodId, PeriodSpan};
use slacredit::reconcile::reconcile as compare;
use slacredit::report;
use slacredit::subscription::parse_amounts_csv;
use slacredit::{Inputs, Run, Selection, Total};
use std::path::{Path, PathBuf};

/// With SLACREDIT_TIMING set, prints the time since `start` of a phase on stderr (for
/// benchmarks; output is never affected).
fn timing(phase: &str, start: std::time::Instant) {
    if std::env::var_os("SLACREDIT_TIMING").is_some() {
        tell!(
            "timing: {phase} done at {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
}

fn zone(text: Option<&str>) -> Result<Option<chrono_tz::Tz>, Failure> {
    text.map(|z| {
        z.parse::<chrono_tz::Tz>().map_err(|_| {
            Failure::Usage(format!(
                "--input-timezone: expected an IANA zone such as Asia/Seoul, found {z:?}"
            ))
        })
    })
    .transpose()
}

/// `--label NAME=VALUE`s.
fn labels(list: &[String]) -> Result<Vec<(String, String)>, Failure> {
    list.iter()
        .map(|l| match l.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                Ok((k.trim().to_owned(), v.trim().to_owned()))
            }
            _ => Err(Failure::Usage(format!(
                "--label: expected NAME=VALUE, found {l:?}"
            ))),
        })
        .collect()
}

/// `--open-until TIME`.
fn open_until(
    text: Option<&str>,
    zone: Option<chrono_tz::Tz>,
) -> Result<Option<slacredit::time::Instant>, Failure> {
    text.map(|t| {
        slacredit::time::Instant::parse(t, zone)
            .map_err(|e| Failure::Usage(format!("--open-until: {e}")))
    })
    .transpose()
}

/// `sources` with the imports' map, labels and closing time of `flags`.
fn with_imports(mut sources: Sources, flags: &ImportFlags) -> Result<Sources, Failure> {
    sources.map = flags.map.clone().map(Input::Path);
    sources.labels = labels(&flags.label)?;
    sources.open_until = open_until(flags.open_until.as_deref(), sources.input_timezone)?;
    Ok(sources)
}

fn input_format(f: InputFormat) -> slacredit::load::Format {
    match f {
        InputFormat::Csv => slacredit::load::Format::Csv,
        InputFormat::Yaml => slacredit::load::Format::Yaml,
        InputFormat::Json => slacredit::load::Format::Json,
    }
}

fn sources(args: &InputArgs, need_data: bool) -> Result<Sources, Failure> {
    let input_timezone = zone(args.input_timezone.as_deref())?;
    let (mut outages, mut imports) = (Vec::new(), Vec::new());
    for o in &args.outages {
        // FORMAT:FILE for a known format; anything else is a file's name.
        match o.split_once(':') {
            Some((f, file)) if slacredit::import::Format::from_name(f).is_some() => {
                if let Some(format) = slacredit::import::Format::from_name(f) {
                    imports.push((format, Input::from(file)));
                }
            }
            _ => outages.push(Input::from(o.as_str())),
        }
    }
    let s = Sources {
        contracts: vec![Input::Path(
            args.contracts
                .clone()
                .unwrap_or_else(|| PathBuf::from("contracts")),
        )],
        subscriptions: args.subscriptions.clone().map(Input::Path),
        outages,
        imports,
        ignore_columns: args.ignore_column.clone(),
        input_format: args.input_format.map(input_format),
        charges: args.charges.clone().map(Input::Path),
        input_timezone,
        ..Sources::default()
    };
    let mut s = with_imports(s, &args.import)?;
    if let Some(case) = &args.case {
        s = s.with_case(case, args.contracts.is_some())?;
    } else if need_data
        && (s.subscriptions.is_none() || (s.outages.is_empty() && s.imports.is_empty()))
    {
        return Err(Failure::Usage(
            "give a case folder, or --subscriptions FILE and --outages FILE".to_owned(),
        ));
    }
    Ok(s)
}

/// Refuses an `--output` that is (the same file as) one of the inputs, before anything is read:
/// writing the report would replace the input with it. Files are compared by device and inode,
/// so another name for the same file (a link, `./x`) is caught too.
fn refuse_output_over_inputs(
    output: Option<&Path>,
    sources: &Sources,
    more: &[&Path],
) -> Result<(), Failure> {
    let Some(output) = output else { return Ok(()) };
    let Some(target) = identity(output) else {
        // A new file is no input.
        return Ok(());
    };
    let mut inputs: Vec<PathBuf> = Vec::new();
    let given = (sources.subscriptions.iter())
        .chain(&sources.outages)
        .chain(sources.imports.iter().map(|(_, i)| i))
        .chain(&sources.map)
        .chain(&sources.charges)
        .chain(&sources.contracts);
    for path in given.filter_map(Input::path) {
        inputs.push(path.to_path_buf());
        if let Ok(entries) = std::fs::read_dir(path) {
            inputs.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    inputs.extend(more.iter().map(|p| p.to_path_buf()));
    match inputs.iter().find(|p| identity(p) == Some(target)) {
        Some(input) => Err(Failure::Usage(format!(
            "--output {} is the input {}; writing the report there would replace it",
            output.display(),
            input.display()
        ))),
        None => Ok(()),
    }
}

/// A file's device and inode, when it exists.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere, the file's full path.
#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// The one line on stderr about windows that apply to no subscription (SPEC 2.6): not an
/// error, since a provider's file covers every region, but never silent.
fn tell_unapplied(inputs: &Inputs) {
    for note in &inputs.notes {
        tell!("note: {note}");
    }
    let Some(&first) = inputs.unapplied.first() else {
        return;
    };
    let n = inputs.unapplied.len();
    tell!(
        "note: {n} outage window{} apply to no subscription; the first: {}",
        if n == 1 { "" } else { "s" },
        place(inputs, first)
    );
}

/// `file:line` (or `file: item`) of window `i`.
fn place(inputs: &Inputs, i: usize) -> String {
    let (file, line, item) = slacredit::typos::window_place(inputs, i);
    match (line, item) {
        (Some(l), _) => format!("{file}:{l}"),
        (None, Some(item)) => format!("{file}: {item}"),
        (None, None) => file,
    }
}

/// A progress bar on stderr for long runs, only when stderr is a terminal.
fn with_bar(run: Run<'_>) -> Run<'_> {
    use std::io::IsTerminal;
    use std::sync::atomic::{AtomicUsize, Ordering};
    if !std::io::stderr().is_terminal() || run.subscriptions() < 20_000 {
        return run;
    }
    let shown = AtomicUsize::new(usize::MAX);
    run.with_progress(move |done, total| {
        let percent = done * 100 / total.max(1);
        if shown.swap(percent, Ordering::Relaxed) != percent {
            let filled = percent / 4;
            tell_part!(
                "\r[{}{}] {percent:3}% {done}/{total} subscriptions",
                "#".repeat(filled),
                "-".repeat(25 - filled)
            );
            if done == total {
                tell!();
            }
        }
    })
}

/// `--period P`, or `--from F --to T`; none: every period the windows touch.
fn span(
    period: &Option<String>,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<Option<PeriodSpan>, Failure> {
    let parse = |p: &str| PeriodId::parse(p).map_err(|e| Failure::Usage(e.into()));
    let (first, last) = match (period, from, to) {
        (Some(p), _, _) => (parse(p)?, parse(p)?),
        (None, Some(f), Some(t)) => (parse(f)?, parse(t)?),
        _ => return Ok(None),
    };
    Ok(Some(
        PeriodSpan::new(first, last).map_err(|e| Failure::Usage(e.into()))?,
    ))
}

fn year_span(year: i32) -> Result<PeriodSpan, Failure> {
    PeriodSpan::year(year).map_err(|e| Failure::Usage(format!("--year: {e}")))
}

/// Streams JSON: `header`, then the array elements `rows` renders chunk by chunk (with totals per
/// contract), then `footer(any, totals, by_contract)`.
fn stream_json(
    run: &Run<'_>,
    out: &mut Sink,
    header: &str,
    rows: impl Fn(&[slacredit::Claim]) -> String + Sync,
    footer: impl FnOnce(bool, &[Total], &report::audit::ContractTotals) -> String,
) -> Result<(), Failure> {
    out.write(header)?;
    let mut any = false;
    let mut by_contract = report::audit::ContractTotals::new();
    let totals = run.stream(
        |chunk| {
            let mut part = report::audit::ContractTotals::new();
            report::audit::add_to(&mut part, &chunk);
            (rows(&chunk), part)
        },
        |(text, part)| {
            report::audit::merge(&mut by_contract, part);
            if text.is_empty() {
                return Ok(());
            }
            out.write(if any { ",\n" } else { "\n" })?;
            any = true;
            out.write(&text)
        },
    )?;
    out.write(&footer(any, &totals, &by_contract))?;
    Ok(())
}

pub(super) fn check(args: &InputArgs) -> Result<i32, Failure> {
    // `check` alone (or with only --contracts) validates the contracts.
    // Nothing here prints a fingerprint.
    let sources = sources(args, false)?;
    let mut loaded = sources.load_prepared(Fingerprints::Skipped)?;
    // The subscriptions were resolved as they were read: not a second time.
    loaded.validate()?;
    let inputs = loaded.into_inputs();
    // A contract per contract file (two with one id are an error).
    let files = inputs.contracts.len()
        + usize::from(sources.subscriptions.is_some())
        + sources.outages.len()
        + usize::from(sources.charges.is_some());
    let files = files + sources.imports.len() + usize::from(sources.map.is_some());
    // Through the one writer of reports: a closed or full standard output is an error with a
    // name, not a panic.
    let mut text = format!(
        "ok: {} contracts, {} subscriptions, {} outage windows, {files} files checked\n",
        inputs.contracts.len(),
        inputs.subscriptions.len(),
        inputs.windows.len(),
    );
    if !inputs.unapplied.is_empty() {
        let n = inputs.unapplied.len();
        text.push_str(&format!(
            "{n} outage window{} apply to no subscription:\n",
            if n == 1 { "" } else { "s" }
        ));
        for &i in &inputs.unapplied {
            text.push_str(&place(&inputs, i));
            text.push('\n');
        }
    }
    output::write(None, &text)?;
    // As in `claim`: the process ends here.
    std::mem::forget(inputs);
    Ok(0)
}

pub(super) fn claim(args: &ClaimArgs) -> Result<i32, Failure> {
    let format = args.format();
    // Tables and CSV print no fingerprints of the inputs; the other reports do.
    let fingerprints = match format {
        Format::Csv | Format::Table => Fingerprints::Skipped,
        _ => Fingerprints::Taken,
    };
    // A program's request names the inputs and the selection in one document.
    let request = match &args.request {
        Some(path) => Some(slacredit::request::Request::read(path, fingerprints)?),
        None => None,
    };
    let sources = match &request {
        Some(r) => r.sources().clone(),
        None => sources(&args.input, true)?,
    };
    refuse_output_over_inputs(args.output.as_deref(), &sources, &[])?;
    let periods = span(&args.period, &args.from, &args.to)?;
    // Without --columns, the default ones of the run (see below).
    let columns = match (&args.columns, format) {
        (None, _) => None,
        (Some(list), Format::Csv) => Some(
            report::csv::Columns::parse(list)
                .map_err(|e| Failure::Usage(format!("--columns: {e}")))?,
        ),
        (Some(_), _) => {
            return Err(Failure::Usage(
                "--columns applies to --format csv".to_owned(),
            ))
        }
    };
    let letters = letter_options(args)?;
    let clock = std::time::Instant::now();
    // Opened first: a run stopped while it reads (a signal) removes its temporary file too.
    let mut out = Sink::open(args.output.as_deref())?;
    let (mut loaded, selection) = match &request {
        Some(r) => (r.load()?, r.selection().clone()),
        None => {
            let loaded = sources.load_prepared(fingerprints)?;
            slacredit::typos::check_filters(
                loaded.inputs(),
                args.subscription.as_deref(),
                args.customer.as_deref(),
            )?;
            let selection = Selection {
                periods,
                customer: args.customer.clone(),
                subscription: args.subscription.clone(),
                breached_only: args.breached_only,
                credited_only: args.credited_only,
                ..Selection::default()
            };
            (loaded, selection)
        }
    };
    tell_unapplied(loaded.inputs());
    timing("load", clock);
    let selection = Selection {
        // A CSV prints no references or sources; without the next-tier columns it needs only
        // the figures.
        detail: match format {
            Format::Csv if columns.as_ref().is_some_and(|c| !c.needs_next_tier()) => {
                Detail::Figures
            }
            _ => Detail::Full,
        },
        ..selection
    };
    let run = with_bar(loaded.run(&selection)?);
    timing("prepare", clock);
    match format {
        Format::Table => out.write(&report::table::render(&run.collect()))?,
        Format::Markdown | Format::LetterHtml => {
            let claims = run.collect();
            let explained = slacredit::explain::explain(run.inputs(), &claims);
            let html = format == Format::LetterHtml;
            match &args.output_dir {
                Some(dir) => write_letters(dir, args.per, html, &explained, &claims, &letters)?,
                None if html => {
                    out.write(&report::letter::render_html(&explained, &claims, &letters))?
                }
                None => out.write(&report::letter::render(&explained, &claims, &letters))?,
            }
        }
        Format::Html => out.write(&report::html::render(
            "Service credit claims",
            &run.collect(),
            &run.inputs().contracts,
        ))?,
        Format::Json => stream_json(
            &run,
            &mut out,
            &report::json::header(run.files()),
            report::json::claims_chunk,
            |any, totals, _| report::json::footer(any, totals),
        )?,
        Format::Csv => {
            let columns =
                columns.unwrap_or_else(|| report::csv::Columns::default_for(run.has_earn_back()));
            out.write(&columns.header())?;
            // Rows printed as the claims are computed: no claim is built.
            run.stream_with(
                |n| columns.writer(n),
                |rows| rows.finish(),
                |text| out.write(&text),
            )?;
        }
    }
    out.finish()?;
    timing("compute and write", clock);
    // The process ends here: freeing a provider's million subscriptions one by one would only
    // cost time.
    std::mem::forget(run);
    std::mem::forget(loaded);
    Ok(0)
}

/// The letters' options, refused where no letter is written.
fn letter_options(args: &ClaimArgs) -> Result<report::letter::Options, Failure> {
    let letter_only = args.date.is_some()
        || args.display_timezone.is_some()
        || args.output_dir.is_some()
        || args.lang.is_some();
    if letter_only && !matches!(args.format(), Format::Markdown | Format::LetterHtml) {
        return Err(Failure::Usage(
            "--date, --lang, --display-timezone and --output-dir apply to --format markdown or letter-html"
                .to_owned(),
        ));
    }
    let lang = match args.lang.as_deref() {
        None => report::letter::Lang::En,
        Some(code) => report::letter::Lang::from_code(code)
            .ok_or_else(|| Failure::Usage(format!("--lang: expected en or ko, found {code:?}")))?,
    };
    let date = match &args.date {
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Failure::Usage(format!(
                "--date: expected a date such as 2018-12-01, found {text:?}"
            ))
        })?,
        None => chrono::Utc::now().date_naive(),
    };
    let display_zone = match &args.display_timezone {
        Some(name) => Some(name.parse::<chrono_tz::Tz>().map_err(|_| {
            Failure::Usage(format!("--display-timezone: unknown IANA zone {name:?}"))
        })?),
        None => None,
    };
    Ok(report::letter::Options {
        date,
        display_zone,
        lang,
    })
}

/// Writes one letter per claim (or per customer) into `dir`, with an index, replacing `dir`
/// whole (see [`output::write_folder`]).
fn write_letters(
    dir: &Path,
    per: Per,
    html: bool,
    explained: &[slacredit::explain::Explanation<'_>],
    claims: &slacredit::Claims,
    options: &report::letter::Options,
) -> Result<(), Failure> {
    let ext = if html { "html" } else { "md" };
    // The files and what each holds, in claim order.
    let mut files: Vec<(String, Vec<&slacredit::explain::Explanation<'_>>)> = Vec::new();
    let mut position: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for e in explained {
        let name = match per {
            Per::Claim => format!(
                "{}_{}.{ext}",
                file_name(&e.claim.subscription),
                e.claim.period
            ),
            Per::Customer => format!("{}.{ext}", file_name(&e.claim.customer)),
        };
        // A bulk run writes a letter per claim: found by name, not by walking the list.
        match position.get(&name) {
            Some(&k) => files[k].1.push(e),
            None => {
                position.insert(name.clone(), files.len());
                files.push((name, vec![e]));
            }
        }
    }
    let mut index = String::from("# Service credit claims\n\n| letter | customer | subscription | period | credit | claim by |\n|---|---|---|---|---|---|\n");
    let mut written: Vec<(String, String)> = Vec::with_capacity(files.len() + 1);
    for (name, letters) in &files {
        let mut text = String::new();
        for (n, e) in letters.iter().enumerate() {
            if n > 0 {
                text.push_str("\n---\n\n");
            }
            let one = report::letter::render_one(e, claims, options);
            text.push_str(&one);
            let c = e.claim;
            index.push_str(&format!(
                "| [{name}]({name}) | {} | {} | {} | {} {} | {} |\n",
                c.customer,
                c.subscription,
                c.period,
                c.currency,
                report::for_reading(c.credit, c.currency),
                c.claim_deadline
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into())
            ));
        }
        if html {
            text = report::letter::printable(&text, options.lang);
        }
        written.push((name.clone(), text));
    }
    if files.is_empty() {
        index.push_str("\nNo subscription breached its commitment in the periods examined; there is nothing to claim.\n");
    }
    written.push(("index.md".to_owned(), index));
    output::write_folder(dir, &written, &["md", "html"])
}

/// `name` as a file name: characters a path or a shell would take for something else become `_`.
fn file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    match safe.trim_start_matches('.') {
        "" => "_".to_owned(),
        s if s.len() < safe.len() => format!("_{s}"),
        _ => safe,
    }
}

pub(super) fn audit(args: &AuditArgs) -> Result<i32, Failure> {
    if args.format == Format::LetterHtml {
        return Err(Failure::Usage("letter-html is for claim".to_owned()));
    }
    // An audit fingerprints its inputs whatever the format: reproducing it starts from them.
    let sources = sources(&args.input, true)?;
    refuse_output_over_inputs(args.output.as_deref(), &sources, &[])?;
    let mut loaded = sources.load_prepared(Fingerprints::Taken)?;
    tell_unapplied(loaded.inputs());
    let selection = Selection {
        periods: Some(year_span(args.year)?),
        ..Selection::default()
    };
    let run = loaded.run(&selection)?;
    let mut out = Sink::open(args.output.as_deref())?;
    let year = args.year;
    match args.format {
        Format::Table => out.write(&report::audit::render_table(year, &run.collect()))?,
        Format::Markdown => out.write(&report::audit::render_markdown(
            year,
            &run.collect(),
            &run.inputs().contracts,
        ))?,
        Format::Html | Format::LetterHtml => out.write(&report::html::render(
            &format!("SLA audit {year}"),
            &run.collect(),
            &run.inputs().contracts,
        ))?,
        Format::Json => stream_json(
            &run,
            &mut out,
            &report::audit::json_header(year, run.files()),
            report::audit::json_rows,
            report::audit::json_footer,
        )?,
        Format::Csv => {
            let earn_back = run.has_earn_back();
            out.write(&report::audit::csv_header(earn_back))?;
            run.stream(
                |chunk| report::audit::csv_rows(&chunk, earn_back),
                |text| out.write(&text),
            )?;
        }
    }
    out.finish()?;
    // As in `claim`: the process ends here.
    std::mem::forget(run);
    std::mem::forget(loaded);
    Ok(0)
}

pub(super) fn reconcile(args: &ReconcileArgs) -> Result<i32, Failure> {
    if matches!(
        args.format,
        Format::Markdown | Format::Html | Format::LetterHtml
    ) {
        return Err(Failure::Usage(
            "reconcile writes table, json or csv".to_owned(),
        ));
    }
    let sources = sources(&args.input, true)?;
    refuse_output_over_inputs(args.output.as_deref(), &sources, &[&args.issued])?;
    let mut inputs: Inputs = sources.load()?;
    tell_unapplied(&inputs);
    let issued = read_issued(&args.issued, &mut inputs)?;
    let selection = Selection {
        periods: Some(year_span(args.year)?),
        ..Selection::default()
    };
    let run = Run::new(&inputs, &selection)?;
    let claims = run.collect();
    let year = args.year;
    let result = compare(&claims.claims, &issued, |p| p.year() == year);
    let text = match args.format {
        Format::Json => report::reconcile::render_json(year, run.files(), &result),
        Format::Csv => report::reconcile::render_csv(&result),
        _ => report::reconcile::render_table(&result),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(if result.reconciles() { 0 } else { 1 })
}

pub(super) fn deadlines(args: &DeadlinesArgs) -> Result<i32, Failure> {
    if !matches!(args.format, Format::Table | Format::Json) {
        return Err(Failure::Usage("deadlines writes table or json".to_owned()));
    }
    let as_of = chrono::NaiveDate::parse_from_str(&args.as_of, "%Y-%m-%d").map_err(|_| {
        Failure::Usage(format!(
            "--as-of: expected a date such as 2018-12-01, found {:?}",
            args.as_of
        ))
    })?;
    let within = match &args.within {
        None => None,
        Some(text) => Some(
            text.strip_suffix('d')
                .and_then(|n| n.parse::<u32>().ok())
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "--within: expected days such as 14d, found {text:?}"
                    ))
                })?,
        ),
    };
    let sources = sources(&args.input, true)?;
    refuse_output_over_inputs(args.output.as_deref(), &sources, &[])?;
    let fingerprints = match args.format {
        Format::Json => Fingerprints::Taken,
        _ => Fingerprints::Skipped,
    };
    let mut loaded = sources.load_prepared(fingerprints)?;
    tell_unapplied(loaded.inputs());
    let selection = Selection {
        credited_only: true,
        ..Selection::default()
    };
    let run = loaded.run(&selection)?;
    let claims = run.collect();
    let due = slacredit::deadlines::due(&claims, as_of, within);
    let text = match args.format {
        Format::Json => report::deadlines::render_json(as_of, within, run.files(), &due),
        _ => report::deadlines::render_table(as_of, within, &due),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}

fn read_issued(
    path: &Path,
    inputs: &mut Inputs,
) -> Result<Vec<slacredit::subscription::AmountRow>, Failure> {
    let (file, name, text) = slacredit::load::read(path, Fingerprints::Taken)?;
    inputs.files.extend(file);
    Ok(parse_amounts_csv(&name, &text)?)
}

pub(super) fn import(args: &ImportArgs) -> Result<i32, Failure> {
    use slacredit::import::{self, OutputFormat};
    let tool = args.tool;
    let input_timezone = zone(args.input_timezone.as_deref())?;
    let sources = with_imports(
        Sources {
            input_timezone,
            ..Sources::default()
        },
        &args.import,
    )?;
    let files: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    refuse_output_over_inputs(args.output.as_deref(), &sources, &files)?;
    let (mut options, _) = sources.import_options(Fingerprints::Skipped)?;
    options.source = args.source.clone();
    let mut windows = Vec::new();
    let mut problems = slacredit::Problems::new();
    for path in &args.files {
        let result =
            slacredit::load::read(path, Fingerprints::Skipped).and_then(|(_, name, text)| {
                import::import(tool, &name, &text, &options).map(|i| (name, i))
            });
        match result {
            Ok((name, imported)) => {
                for note in imported.told(&name) {
                    tell!("note: {note}");
                }
                windows.extend(imported.windows);
            }
            Err(slacredit::Error::Invalid(p)) => problems.extend(p),
            Err(e) => return Err(e.into()),
        }
    }
    problems.into_result(())?;
    let format = match args.format {
        InputFormat::Csv => OutputFormat::Csv,
        InputFormat::Yaml => OutputFormat::Yaml,
        InputFormat::Json => OutputFormat::Json,
    };
    output::write(args.output.as_deref(), &import::render(&windows, format))?;
    Ok(0)
}

pub(super) fn contracts(dir: &Path) -> Result<i32, Failure> {
    let (list, _) = slacredit::load::contracts(dir)?;
    output::write(None, &output::contract_list(&list))?;
    Ok(0)
}

pub(super) fn exposure(args: &ExposureArgs) -> Result<i32, Failure> {
    if args.format == Format::LetterHtml {
        return Err(Failure::Usage("letter-html is for claim".to_owned()));
    }
    let case = |path: &Path| -> Result<Sources, Failure> {
        let s = Sources {
            contracts: vec![Input::Path(
                args.contracts
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("contracts")),
            )],
            ..Sources::default()
        };
        Ok(s.with_case(path, args.contracts.is_some())?)
    };
    let (up, down) = (case(&args.upstream)?, case(&args.downstream)?);
    refuse_output_over_inputs(args.output.as_deref(), &up, &[&args.depends])?;
    refuse_output_over_inputs(args.output.as_deref(), &down, &[])?;
    let selection = Selection {
        periods: span(&args.period, &args.from, &args.to)?,
        ..Selection::default()
    };
    let (upstream, downstream) = (up.load()?, down.load()?);
    let text = std::fs::read_to_string(&args.depends).map_err(|source| {
        Failure::Error(slacredit::Error::Io {
            path: args.depends.display().to_string(),
            source,
        })
    })?;
    let name = args.depends.display().to_string();
    let depends = slacredit::exposure::Dependencies::from_yaml(&name, &text)?;
    let exposure = slacredit::exposure::exposure(&upstream, &downstream, &depends, &selection)?;
    let file = slacredit::InputFile::new(&name, text.as_bytes());
    let mut out = Sink::open(args.output.as_deref())?;
    out.write(&match args.format {
        Format::Table => report::exposure::table(&exposure),
        Format::Json => report::exposure::json(&exposure, &file),
        Format::Csv => report::exposure::csv(&exposure),
        Format::Markdown => report::exposure::markdown(&exposure, &file),
        Format::Html | Format::LetterHtml => report::exposure::html(&exposure),
    })?;
    out.finish()?;
    Ok(0)
}
