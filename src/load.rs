//! Loading inputs from files: contracts folder, subscriptions, outage windows, charges, or a case
//! folder holding them. Every file is fingerprinted (unless the run prints no fingerprints);
//! every problem of every file is collected before giving up.

use crate::compute::{resolve_subscriptions, Early, IndexBuilder, Inputs};
use crate::contract::Contract;
use crate::error::{Error, Problem, Problems};
use crate::input::{decode, read_bytes, InputFile, LineChunks, Text};
use crate::subscription::{parse_located, Charges, Parsed};
use crate::window::{parse_windows_with, Window};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the inputs are.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Folder of contract files.
    pub contracts: PathBuf,
    /// Subscriptions file (YAML or CSV).
    pub subscriptions: Option<PathBuf>,
    /// Outage window files (CSV, YAML or JSON).
    pub outages: Vec<PathBuf>,
    /// Charges CSV.
    pub charges: Option<PathBuf>,
    /// Zone for offset-less times.
    pub input_timezone: Option<Tz>,
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
                .cloned();
        }
        if self.outages.is_empty() {
            self.outages = names
                .iter()
                .filter(|p| stem(p).as_deref() == Some("outages") && data(p))
                .cloned()
                .collect();
        }
        if self.charges.is_none() {
            self.charges = names
                .iter()
                .find(|p| p.file_name().and_then(|n| n.to_str()) == Some("charges.csv"))
                .cloned();
        }
        if !contracts_given && case.join("contracts").is_dir() {
            self.contracts = case.join("contracts");
        }
        let mut problems = Problems::new();
        if self.subscriptions.is_none() {
            problems.push(Problem::new(
                case.display().to_string(),
                "case folder has no subscriptions.yaml, .yml, .csv or .json",
            ));
        }
        if self.outages.is_empty() {
            problems.push(Problem::new(
                case.display().to_string(),
                "case folder has no outages.csv, .yaml, .yml or .json",
            ));
        }
        problems.into_result(self)
    }

    /// Reads and validates everything, listing every problem of every file.
    ///
    /// # Errors
    /// [`Error::Io`] for unreadable files, [`Error::Invalid`] with every problem found.
    pub fn load(&self) -> Result<Inputs, Error> {
        self.load_early(false, Fingerprints::Taken)
            .map(|(inputs, _)| inputs)
    }

    /// As [`Sources::load`]; with `early`, also what a [`crate::Run`] needs of the inputs that
    /// can be worked out while they are read: where each subscription's contract and scope are
    /// (on the subscriptions' thread once they are read), and the index of the windows of a
    /// single outages file (on its thread). The CLI's runs over a provider's base. Without
    /// fingerprints, `files` stays empty: for runs whose reports print none.
    pub(crate) fn load_early(
        &self,
        early: bool,
        fingerprints: Fingerprints,
    ) -> Result<(Inputs, Early), Error> {
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
        // The two big files parse at the same time, one per core.
        type Subs = Result<(Option<InputFile>, Arc<str>, Parsed), Error>;
        type Outages = Result<(Option<InputFile>, Vec<Window>, Option<IndexBuilder>), Error>;
        let (subscriptions, outages, index) = std::thread::scope(|s| {
            let subs = s.spawn(|| -> Option<Subs> {
                self.subscriptions.as_ref().map(|path| {
                    let mut chunks = LineChunks::open(path, fingerprints == Fingerprints::Taken)?;
                    let name = chunks.name().to_owned();
                    let subs = parse_located(&name, Text::Chunks(&mut chunks))?;
                    let file = chunks.fingerprint()?;
                    Ok((file, Arc::from(name.as_str()), subs))
                })
            });
            // A single file's windows are indexed as they are read.
            let indexed = early && self.outages.len() == 1;
            let mut outages: Vec<Outages> = self
                .outages
                .iter()
                .map(|path| {
                    let mut chunks = LineChunks::open(path, fingerprints == Fingerprints::Taken)?;
                    let name = chunks.name().to_owned();
                    let mut index = indexed.then(IndexBuilder::default);
                    let text = Text::Chunks(&mut chunks);
                    let windows = parse_windows_with(&name, text, self.input_timezone, |w| {
                        if let Some(index) = &mut index {
                            index.add(w);
                        }
                    })?;
                    Ok((chunks.fingerprint()?, windows, index))
                })
                .collect();
            let index = match outages.as_mut_slice() {
                [Ok((_, _, index))] => index.take().map(IndexBuilder::finish),
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
                resolution = early.then(|| {
                    let (all, lines) = (&parsed.subscriptions, &parsed.lines);
                    resolve_subscriptions(contracts, all, Some(&name), lines, true)
                });
                inputs.files.extend(file);
                inputs.subscriptions_file = Some(name);
                inputs.subscription_lines = parsed.lines;
                inputs.subscriptions = parsed.subscriptions;
            }))?;
        }
        for result in outages {
            collect(result.map(|(file, windows, _)| {
                inputs.files.extend(file);
                // The first file's windows are moved in, not copied.
                if inputs.windows.is_empty() {
                    inputs.windows = windows;
                } else {
                    inputs.windows.extend(windows);
                }
            }))?;
        }
        if let Some(path) = &self.charges {
            collect(read(path, fingerprints).and_then(|(file, name, text)| {
                inputs.files.extend(file);
                inputs.charges = Charges::parse_csv(&name, &text)?;
                Ok(())
            }))?;
        }
        // Subscriptions come from one file at most, sorted by `parse_located`.
        let early = Early {
            index,
            resolution,
            sorted: true,
        };
        problems.into_result((inputs, early))
    }
}

/// Whether a load fingerprints the files it reads. Hashing a provider's 145 MB costs a tenth
/// of a second of CPU; a run that prints no fingerprints (a billing CSV, `check`) skips it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fingerprints {
    Taken,
    /// Only the CLI's runs skip them.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    Skipped,
}

/// Reads a file: its fingerprint (when taken), its name as given, its text.
fn read(
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

/// Loads every `*.yaml`/`*.yml` contract in `dir` in file-name order; duplicate ids are errors.
fn load_contracts(
    dir: &Path,
    inputs: &mut Inputs,
    fingerprints: Fingerprints,
) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    paths.sort();
    let mut problems = Problems::new();
    let mut first_file: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for path in paths {
        let result = read(&path, fingerprints).and_then(|(file, name, text)| {
            inputs.files.extend(file);
            Contract::from_yaml(&name, &text)
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
            Err(Error::Invalid(p)) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    problems.into_result(())
}

/// Loads the contracts of `dir` alone (for `slacredit contracts` and `check`).
///
/// # Errors
/// As [`Sources::load`].
pub fn contracts(dir: &Path) -> Result<(Vec<Contract>, Vec<InputFile>), Error> {
    let mut inputs = Inputs::default();
    load_contracts(dir, &mut inputs, Fingerprints::Taken)?;
    Ok((inputs.contracts, inputs.files))
}
