//! Loading inputs from files: contracts folder, subscriptions, outage windows, charges, or a case
//! folder holding them. Every file is fingerprinted (unless the run prints no fingerprints);
//! every problem of every file is collected before giving up.

use crate::contract::{Calendar, Calendars, Contract};
use crate::error::{Error, Problem, Problems};
use crate::import;
pub use crate::input::{check_lines, Format};
use crate::input::{decode, read_bytes, InputFile, LineChunks, Text};
use crate::inputs::Inputs;
pub use crate::prepare::Loaded;
use crate::prepare::{resolve_subscriptions, IndexBuilder, Prepared};
use crate::subscription::{parse_located, Charges, Parsed};
use crate::window::{parse_windows_with, Reading, Window};
use crate::window::{LabelName, WindowFile};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the inputs are.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Contracts: folders of contract files (every `*.yaml`/`*.yml` in them), contract files,
    /// or contracts' YAML text.
    pub contracts: Vec<Input>,
    /// Subscriptions (YAML or CSV); `-` reads standard input.
    pub subscriptions: Option<Input>,
    /// Outage windows (CSV, YAML or JSON), a source each; `-` reads standard input.
    pub outages: Vec<Input>,
    /// Outage data of other tools, imported as they are read (`--outages FORMAT:FILE`).
    pub imports: Vec<(import::Format, Input)>,
    /// The imports' map (`--map`).
    pub map: Option<Input>,
    /// Labels added to every imported window (`--label NAME=VALUE`).
    pub labels: Vec<(String, String)>,
    /// Where open imported items are closed (`--open-until`).
    pub open_until: Option<crate::time::Instant>,
    /// Window columns or keys let through unread (`--ignore-column`).
    pub ignore_columns: Vec<String>,
    /// The format of standard input (`--input-format`), which has no extension to tell it.
    pub input_format: Option<Format>,
    /// Charges CSV.
    pub charges: Option<Input>,
    /// Zone for offset-less times.
    pub input_timezone: Option<Tz>,
    /// The subscriptions are one part of the base (a Spark partition, a billing batch): a
    /// window's `customers` naming a subscription or customer of another part is no error
    /// here. The whole base is checked where it is whole (`slacredit check`).
    pub part: bool,
}

/// Whether `path` names standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// One input: a file named by its path (`-` for standard input), or text already in memory
/// (a request's, a caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, or a folder of contracts; `-` reads standard input.
    Path(PathBuf),
    /// Text in memory, read with every check a file gets and named `name` in messages. Read as
    /// `format` (a contract is YAML whatever it says). Not a file, so it has no fingerprint:
    /// a request that holds it is fingerprinted as a whole.
    Text {
        /// How messages name it.
        name: String,
        /// CSV, YAML or JSON.
        format: Format,
        /// The text itself.
        text: Arc<str>,
    },
}

impl Input {
    /// Text in memory named `name`, read as `format`.
    pub fn text(name: impl Into<String>, format: Format, text: impl Into<Arc<str>>) -> Input {
        Input::Text {
            name: name.into(),
            format,
            text: text.into(),
        }
    }

    /// The file's path, when it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Path(p) => Some(p),
            Input::Text { .. } => None,
        }
    }

    /// Whether it is standard input.
    fn is_stdin(&self) -> bool {
        self.path().is_some_and(is_stdin)
    }

    /// Opens it to be read in chunks of lines.
    fn open(&self, fingerprints: Fingerprints) -> Result<LineChunks, Error> {
        let fingerprint = fingerprints == Fingerprints::Taken;
        match self {
            Input::Path(p) if is_stdin(p) => Ok(LineChunks::stdin(fingerprint)),
            Input::Path(p) => LineChunks::open(p, fingerprint),
            Input::Text { name, text, .. } => Ok(LineChunks::memory(name, text.clone())),
        }
    }

    /// Reads it whole, as [`read`] does a file.
    fn read(
        &self,
        fingerprints: Fingerprints,
    ) -> Result<(Option<InputFile>, String, String), Error> {
        match self {
            Input::Path(p) => read(p, fingerprints),
            Input::Text { name, text, .. } => {
                check_lines(name, text.as_bytes())?;
                Ok((None, name.clone(), text.to_string()))
            }
        }
    }
}

impl From<PathBuf> for Input {
    fn from(path: PathBuf) -> Input {
        Input::Path(path)
    }
}

impl From<&Path> for Input {
    fn from(path: &Path) -> Input {
        Input::Path(path.to_path_buf())
    }
}

impl From<&str> for Input {
    fn from(path: &str) -> Input {
        Input::Path(PathBuf::from(path))
    }
}

impl Sources {
    /// Fills what is missing from a case folder holding `subscriptions.*`, `outages.*` and
    /// optionally `charges.csv` (and `contracts/`, used when no contracts folder was given).
    ///
    /// # Errors
    /// When the folder cannot be read or lacks a subscriptions or outages file.
    pub fn with_case(mut self, case: &Path, contracts_given: bool) -> Result<Sources, Error> {
        let entries = std::fs::read_dir(case).map_err(|source| Error::Io {
            path: case.display().to_string(),
            source,
        })?;
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        let stem = |p: &PathBuf| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
        let data = |p: &PathBuf| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("csv" | "yaml" | "yml" | "json")
            )
        };
        if self.subscriptions.is_none() {
            self.subscriptions = names
                .iter()
                .find(|p| stem(p).as_deref() == Some("subscriptions") && data(p))
                .cloned()
                .map(Input::Path);
        }
        // Every `outages*` file is a source of its own (the provider's, the probes').
        if self.outages.is_empty() && self.imports.is_empty() {
            self.outages = names
                .iter()
                .filter(|p| stem(p).is_some_and(|s| s.starts_with("outages")) && data(p))
                .cloned()
                .map(Input::Path)
                .collect();
        }
        if self.charges.is_none() {
            self.charges = names
                .iter()
                .find(|p| p.file_name().and_then(|n| n.to_str()) == Some("charges.csv"))
                .cloned()
                .map(Input::Path);
        }
        if !contracts_given && case.join("contracts").is_dir() {
            self.contracts = vec![Input::Path(case.join("contracts"))];
        }
        let mut problems = Problems::new();
        if self.subscriptions.is_none() {
            problems.push(Problem::new(
                case.display().to_string(),
                "case folder has no subscriptions.yaml, .yml, .csv or .json",
            ));
        }
        if self.outages.is_empty() && self.imports.is_empty() {
            problems.push(Problem::new(
                case.display().to_string(),
                "case folder has no outages*.csv, .yaml, .yml or .json",
            ));
        }
        problems.into_result(self)
    }

    /// Reads and validates everything, listing every problem of every file.
    ///
    /// # Errors
    /// [`Error::Io`] for unreadable files, [`Error::Invalid`] with every problem found.
    pub fn load(&self) -> Result<Inputs, Error> {
        self.load_prepared(Fingerprints::Taken)
            .map(Loaded::into_inputs)
    }

    /// As [`Sources::load`], with what a [`crate::Run`] needs of the inputs worked out while
    /// they are read: where each subscription's contract and scope are (once the subscriptions
    /// are read, while the windows still are), and the index of the windows of a single
    /// outages file (as it is read). For runs over a provider's whole base ([`Loaded::run`]).
    /// With [`Fingerprints::Skipped`], `files` stays empty: for runs whose reports print none.
    ///
    /// # Errors
    /// As [`Sources::load`].
    pub fn load_prepared(&self, fingerprints: Fingerprints) -> Result<Loaded, Error> {
        let mut inputs = Inputs::default();
        let mut problems = Problems::new();
        let mut collect = |r: Result<(), Error>| -> Result<(), Error> {
            match r {
                Err(Error::Invalid(p)) => {
                    problems.extend(p);
                    Ok(())
                }
                other => other,
            }
        };
        collect(load_contracts(&self.contracts, &mut inputs, fingerprints))?;
        let contracts = &inputs.contracts;
        if self
            .subscriptions
            .iter()
            .chain(&self.outages)
            .filter(|i| i.is_stdin())
            .count()
            > 1
        {
            return Err(Error::problem(Problem::new(
                "-",
                "standard input can be read once: name `-` for one input file only",
            )));
        }
        let format_of = |input: &Input, name: &str| -> Result<Format, Error> {
            match input {
                Input::Text { format, .. } => Ok(*format),
                Input::Path(p) if is_stdin(p) => self.input_format.ok_or_else(|| {
                    Error::problem(Problem::new(
                        name,
                        "reading standard input needs --input-format csv, yaml or json",
                    ))
                }),
                Input::Path(_) => Format::of(name).map_err(Error::problem),
            }
        };
        let reading = |format| Reading {
            format,
            zone: self.input_timezone,
            ignore: &self.ignore_columns,
        };
        // The two big files parse at the same time, one per core: on threads of their own, not
        // the computation's pool, since they wait on reading files and standard input.
        type Subs = Result<(Option<InputFile>, Arc<str>, Parsed), Error>;
        type Outages = Result<
            (
                Option<InputFile>,
                Vec<Window>,
                WindowFile,
                Option<IndexBuilder>,
            ),
            Error,
        >;
        let (subscriptions, outages, index) = std::thread::scope(|s| {
            let subs = s.spawn(|| -> Option<Subs> {
                self.subscriptions.as_ref().map(|input| {
                    let mut chunks = input.open(fingerprints)?;
                    let name = chunks.name().to_owned();
                    let format = format_of(input, &name)?;
                    let subs = parse_located(&name, format, Text::Chunks(&mut chunks))?;
                    let file = chunks.fingerprint()?;
                    Ok((file, Arc::from(name.as_str()), subs))
                })
            });
            // A single file's windows are indexed as they are read.
            let indexed = self.outages.len() == 1 && self.imports.is_empty();
            let mut outages: Vec<Outages> = self
                .outages
                .iter()
                .map(|input| {
                    let mut chunks = input.open(fingerprints)?;
                    let name = chunks.name().to_owned();
                    let mut index = indexed.then(IndexBuilder::default);
                    let how = reading(format_of(input, &name)?);
                    let text = Text::Chunks(&mut chunks);
                    let (windows, origin) = parse_windows_with(&name, text, &how, |w| {
                        if let Some(index) = &mut index {
                            index.add(w);
                        }
                    })?;
                    Ok((chunks.fingerprint()?, windows, origin, index))
                })
                .collect();
            let index = match outages.as_mut_slice() {
                [Ok((_, _, _, index))] => index.take().map(IndexBuilder::finish),
                _ => None,
            };
            let subs = match subs.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (subs, outages, index)
        });
        let mut resolution = None;
        if let Some(result) = subscriptions {
            collect(result.map(|(file, name, parsed)| {
                // Once both files are read, in halves on both cores: the windows' thread is
                // done first.
                let (all, lines) = (&parsed.subscriptions, &parsed.lines);
                resolution = Some(resolve_subscriptions(
                    contracts,
                    all,
                    Some(&name),
                    lines,
                    true,
                ));
                inputs.files.extend(file);
                inputs.subscriptions_file = Some(name);
                inputs.subscription_lines = parsed.lines;
                inputs.subscription_labels = parsed.labels;
                inputs.subscriptions = parsed.subscriptions;
            }))?;
        }
        for result in outages {
            collect(result.map(|(file, windows, origin, _)| {
                inputs.files.extend(file);
                inputs.window_files.push(origin);
                // The first file's windows are moved in, not copied.
                if inputs.windows.is_empty() {
                    inputs.windows = windows;
                } else {
                    inputs.windows.extend(windows);
                }
            }))?;
        }
        if !self.imports.is_empty() {
            collect(self.load_imports(&mut inputs, fingerprints))?;
        }
        if let Some(input) = &self.charges {
            collect(input.read(fingerprints).and_then(|(file, name, text)| {
                inputs.files.extend(file);
                inputs.charges = Charges::parse_csv(&name, &text)?;
                Ok(())
            }))?;
        }
        // The typos of SPEC 2.6 are found across files, once every file is read.
        if problems.is_empty() {
            let resolved = match &resolution {
                Some(Ok(r)) => Some(r),
                _ => None,
            };
            // Subscriptions come from one file at most, sorted by `parse_located`.
            let base = if self.part {
                crate::typos::Base::Part
            } else {
                crate::typos::Base::Whole
            };
            match crate::typos::check_with(&inputs, index.as_ref(), resolved, true, base) {
                Ok(unapplied) => inputs.unapplied = unapplied,
                Err(Error::Invalid(p)) => problems.extend(p),
                Err(e) => return Err(e),
            }
        }
        // Subscriptions come from one file at most, sorted by `parse_located`.
        let prepared = Prepared {
            index,
            resolution,
            sorted: true,
        };
        problems.into_result(Loaded { inputs, prepared })
    }
}

impl Sources {
    /// The import options the sources give: the map file read, `--label`, `--open-until`.
    ///
    /// # Errors
    /// The map file's problems.
    pub fn import_options(
        &self,
        fingerprints: Fingerprints,
    ) -> Result<(import::Options, Option<InputFile>), Error> {
        let mut options = import::Options {
            labels: self.labels.clone(),
            open_until: self.open_until,
            zone: self.input_timezone,
            ..import::Options::default()
        };
        let mut file = None;
        if let Some(input) = &self.map {
            let (f, name, text) = input.read(fingerprints)?;
            options.map = import::Map::from_yaml(&name, &text)?;
            file = f;
        }
        Ok((options, file))
    }

    /// Reads the imported files' windows into `inputs`, every problem of every file listed.
    fn load_imports(&self, inputs: &mut Inputs, fingerprints: Fingerprints) -> Result<(), Error> {
        let (options, map_file) = self.import_options(fingerprints)?;
        inputs.files.extend(map_file);
        let mut problems = Problems::new();
        for (format, input) in &self.imports {
            let result = input.read(fingerprints).and_then(|(file, name, text)| {
                inputs.files.extend(file);
                let imported = import::import(*format, &name, &text, &options)?;
                Ok((name, imported))
            });
            match result {
                Ok((name, imported)) => {
                    inputs.notes.extend(imported.told(&name));
                    inputs
                        .window_files
                        .push(imported_origin(&name, &imported, &options));
                    inputs.windows.extend(imported.windows);
                }
                Err(Error::Invalid(p)) => problems.extend(p),
                Err(e) => return Err(e),
            }
        }
        problems.into_result(())
    }
}

/// Where imported windows came from: their items, and the label names the map and the command
/// line give them.
fn imported_origin(
    name: &str,
    imported: &import::Imported,
    options: &import::Options,
) -> WindowFile {
    let mut labels: Vec<LabelName> = options
        .map
        .label_names()
        .into_iter()
        .map(|(label, line)| LabelName {
            name: label,
            file: options.map.file_name().to_owned(),
            line,
            kind: "label",
        })
        .collect();
    labels.extend(options.labels.iter().map(|(k, _)| LabelName {
        name: k.clone(),
        file: "--label".to_owned(),
        line: None,
        kind: "label",
    }));
    // Labels an item copies from itself, named by no file.
    for w in &imported.windows {
        for (k, _) in w.scope.iter() {
            if !labels.iter().any(|l| l.name == k) {
                labels.push(LabelName {
                    name: k.to_owned(),
                    file: name.to_owned(),
                    line: None,
                    kind: "label",
                });
            }
        }
    }
    WindowFile {
        file: Arc::from(name),
        count: imported.windows.len(),
        lines: Vec::new(),
        items: imported.items.clone(),
        labels,
    }
}

/// Whether a load takes the SHA-256 of the files it reads ([`Inputs::files`]): a run whose
/// reports print no fingerprints (a billing CSV, a check) need not hash a provider's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fingerprints {
    /// Every file read is fingerprinted.
    Taken,
    /// No file is.
    Skipped,
}

/// Reads a file of any input as the loader does (lines no longer than 1 MiB, UTF-8): its
/// fingerprint (when taken), its name as given, its text.
///
/// # Errors
/// [`Error::Io`] naming the file, [`Error::Invalid`] naming the line at fault.
pub fn read(
    path: &Path,
    fingerprints: Fingerprints,
) -> Result<(Option<InputFile>, String, String), Error> {
    let name = path.display().to_string();
    let bytes = read_bytes(path)?;
    crate::input::check_lines(&name, &bytes)?;
    let file = (fingerprints == Fingerprints::Taken).then(|| InputFile::new(&name, &bytes));
    let text = decode(&name, bytes)?;
    Ok((file, name, text))
}

/// Loads the contracts of `given`: every `*.yaml`/`*.yml` of a folder in file-name order, a
/// contract file, a contract's text; duplicate ids are errors.
fn load_contracts(
    given: &[Input],
    inputs: &mut Inputs,
    fingerprints: Fingerprints,
) -> Result<(), Error> {
    let mut problems = Problems::new();
    // Holiday calendars live in a `calendars` folder beside the contracts (SPEC 2.7).
    let mut calendars = Calendars::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    for path in given.iter().filter_map(Input::path) {
        let folder = if path.is_dir() {
            path.join("calendars")
        } else {
            path.parent().unwrap_or(Path::new("")).join("calendars")
        };
        if !folders.contains(&folder) {
            if let Err(e) = read_calendars(&folder, &mut calendars, fingerprints) {
                problems.extend(e.into_problems());
            }
            folders.push(folder);
        }
    }
    let mut first_file: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for input in given {
        let files = match input.path() {
            Some(dir) if dir.is_dir() => folder_contracts(dir)?,
            _ => vec![input.clone()],
        };
        for file in files {
            if let Some(folder) = file.path().filter(|p| p.is_dir()) {
                problems.push(Problem::new(
                    folder.display().to_string(),
                    "expected a contract file, found a folder",
                ));
                continue;
            }
            let result = file.read(fingerprints).and_then(|(f, name, text)| {
                inputs.files.extend(f);
                Contract::from_yaml_with(&name, &text, &calendars)
            });
            match result {
                Ok(c) => {
                    if let Some(first) = first_file.get(c.id()) {
                        problems.push(
                            Problem::new(
                                c.file(),
                                format!(
                                    "duplicate contract id {:?}, first defined in {first}",
                                    c.id()
                                ),
                            )
                            .field("id"),
                        );
                    } else {
                        first_file.insert(c.id().to_owned(), c.file().to_owned());
                        inputs.contracts.push(c);
                    }
                }
                // Listed with the others: a link to nowhere, a file that cannot be read.
                Err(e) => problems.extend(e.into_problems()),
            }
        }
    }
    let named = inputs
        .contracts
        .iter()
        .filter_map(|c| c.service_hours()?.calendar())
        .map(|c| c.name());
    inputs.files.extend(calendars.fingerprints(named));
    problems.into_result(())
}

/// Reads every `*.yaml`/`*.yml` of `dir` into `calendars`, all problems listed; a missing
/// folder holds none.
fn read_calendars(
    dir: &Path,
    calendars: &mut Calendars,
    fingerprints: Fingerprints,
) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut problems = Problems::new();
    for file in folder_contracts(dir)? {
        let result = file.read(fingerprints).and_then(|(print, name, text)| {
            calendars.add(Calendar::from_yaml(&name, &text)?.fingerprinted(print))
        });
        if let Err(e) = result {
            problems.extend(e.into_problems());
        }
    }
    problems.into_result(())
}

/// The `*.yaml`/`*.yml` entries of `dir`, in file-name order.
fn folder_contracts(dir: &Path) -> Result<Vec<Input>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        // Every `*.yaml`/`*.yml` entry, not only regular files: one that is a folder, a dangling
        // or looping link, or unreadable is a located error, not skipped (a contract missing
        // without a word changes money).
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    Ok(paths.into_iter().map(Input::Path).collect())
}

/// Loads the contracts of `dir` alone (for `slacredit contracts` and `check`).
///
/// # Errors
/// As [`Sources::load`].
pub fn contracts(dir: &Path) -> Result<(Vec<Contract>, Vec<InputFile>), Error> {
    let mut inputs = Inputs::default();
    load_contracts(&[Input::from(dir)], &mut inputs, Fingerprints::Taken)?;
    Ok((inputs.contracts, inputs.files))
}
