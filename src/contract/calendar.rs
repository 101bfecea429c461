//! Holiday calendars (SPEC 2.7): a country's public holidays as a data file,
//! `contracts/calendars/NAME.yaml`, so that a contract names them (`holidays: { calendar: de }`)
//! instead of listing every year's dates, and a year nobody has written down is an error rather
//! than a year without holidays.

use super::parse_date;
use crate::error::{Error, Problem, Problems};
use crate::input::InputFile;
use crate::yaml::{Located, Seg};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    name: String,
    source: String,
    years: Vec<String>,
    dates: Vec<String>,
}

/// A named list of holidays valid for a range of years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    source: String,
    years: (i32, i32),
    dates: BTreeSet<NaiveDate>,
    file: String,
    fingerprint: Option<InputFile>,
}

impl Calendar {
    /// Parses and validates a calendar; `file` names it in messages, and its file name (without
    /// `.yaml`) must be the calendar's `name`.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found, each with file and line.
    ///
    /// ```
    /// let c = slacredit::contract::Calendar::from_yaml("calendars/x.yaml",
    ///     "name: x\nsource: invented\nyears: [2019, 2019]\ndates: [2019-12-25]\n").unwrap();
    /// assert_eq!(c.years(), (2019, 2019));
    /// let wrong = slacredit::contract::Calendar::from_yaml("calendars/x.yaml",
    ///     "name: x\nsource: invented\nyears: [2019, 2019]\ndates: [2020-01-01]\n");
    /// assert!(wrong.is_err());
    /// ```
    pub fn from_yaml(file: &str, text: &str) -> Result<Calendar, Error> {
        let doc = Located::<RawCalendar>::parse(file, text).map_err(Error::Invalid)?;
        let raw = &doc.value;
        let mut problems = Problems::new();
        let mut fail = |path: &[Seg<'_>], field: String, message: String| {
            problems.push(
                Problem::new(file, message)
                    .at(doc.line_of(path))
                    .field(field),
            );
        };
        let stem = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        if raw.name != stem {
            fail(
                &[Seg::Key("name")],
                "name".into(),
                format!(
                    "expected the file's name {stem:?} (a contract names a calendar by its file), found {:?}",
                    raw.name
                ),
            );
        }
        if raw.source.trim().is_empty() {
            fail(
                &[Seg::Key("source")],
                "source".into(),
                "expected where the dates come from".into(),
            );
        }
        let years: Vec<Option<i32>> =
            raw.years
                .iter()
                .enumerate()
                .map(|(i, y)| {
                    let year =
                        y.trim().parse::<i32>().ok().filter(|y| {
                            (crate::time::MIN_YEAR..=crate::time::MAX_YEAR).contains(y)
                        });
                    if year.is_none() {
                        fail(
                            &[Seg::Key("years"), Seg::Index(i)],
                            format!("years[{i}]"),
                            format!(
                                "expected a year between {} and {}, found {y:?}",
                                crate::time::MIN_YEAR,
                                crate::time::MAX_YEAR
                            ),
                        );
                    }
                    year
                })
                .collect();
        let years = match years[..] {
            [Some(first), Some(last)] if first <= last => Some((first, last)),
            [Some(first), Some(last)] => {
                fail(
                    &[Seg::Key("years")],
                    "years".into(),
                    format!(
                        "expected the first year no later than the last, found [{first}, {last}]"
                    ),
                );
                None
            }
            [_, _] => None,
            _ => {
                fail(
                    &[Seg::Key("years")],
                    "years".into(),
                    format!(
                        "expected [first, last] (two years), found {} values",
                        years.len()
                    ),
                );
                None
            }
        };
        let mut dates = BTreeSet::new();
        for (i, d) in raw.dates.iter().enumerate() {
            let at = [Seg::Key("dates"), Seg::Index(i)];
            let field = format!("dates[{i}]");
            match parse_date(d) {
                Err(e) => fail(&at, field, e),
                Ok(date) => {
                    if let Some((first, last)) = years {
                        if !(first..=last).contains(&date.year()) {
                            fail(
                                &at,
                                field.clone(),
                                format!(
                                    "{date} lies outside the calendar's years {first} to {last}"
                                ),
                            );
                        }
                    }
                    if !dates.insert(date) {
                        fail(&at, field, format!("{date} is listed twice"));
                    }
                }
            }
        }
        let years = years.unwrap_or((0, 0));
        problems.into_result(Calendar {
            name: raw.name.clone(),
            source: raw.source.clone(),
            years,
            dates,
            file: file.to_owned(),
            fingerprint: None,
        })
    }

    /// The calendar's name (its file's, without `.yaml`).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Where its dates come from.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The first and last year it covers.
    pub fn years(&self) -> (i32, i32) {
        self.years
    }
    /// Its holidays.
    pub fn dates(&self) -> &BTreeSet<NaiveDate> {
        &self.dates
    }
    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The calendar with the fingerprint of its file, listed with the inputs when a contract
    /// names it.
    pub(crate) fn fingerprinted(self, fingerprint: Option<InputFile>) -> Calendar {
        Calendar {
            fingerprint,
            ..self
        }
    }
}

/// The calendars contracts may name, by name.
#[derive(Debug, Clone, Default)]
pub struct Calendars {
    by_name: BTreeMap<String, Calendar>,
}

impl Calendars {
    /// No calendars.
    pub fn new() -> Calendars {
        Calendars::default()
    }

    /// Adds `calendar`; a second calendar of the same name is an error unless it holds the same
    /// years and dates (the same folder named twice).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming both files.
    pub fn add(&mut self, calendar: Calendar) -> Result<(), Error> {
        match self.by_name.get(&calendar.name) {
            Some(first) if first.years == calendar.years && first.dates == calendar.dates => Ok(()),
            Some(first) => Err(Error::problem(
                Problem::new(
                    &calendar.file,
                    format!(
                        "calendar {:?} differs from the one of the same name in {}",
                        calendar.name, first.file
                    ),
                )
                .field("name"),
            )),
            None => {
                self.by_name.insert(calendar.name.clone(), calendar);
                Ok(())
            }
        }
    }

    /// The calendar called `name`.
    pub fn get(&self, name: &str) -> Option<&Calendar> {
        self.by_name.get(name)
    }

    /// The names of the calendars held, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The fingerprints of the calendars named in `used`, in name order.
    pub(crate) fn fingerprints<'a>(
        &self,
        used: impl IntoIterator<Item = &'a str>,
    ) -> Vec<InputFile> {
        let used: BTreeSet<&str> = used.into_iter().collect();
        self.by_name
            .values()
            .filter(|c| used.contains(c.name.as_str()))
            .filter_map(|c| c.fingerprint.clone())
            .collect()
    }
}
