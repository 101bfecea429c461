//! Reading input files: text decoding, fingerprints, and the shared CSV plumbing.

use crate::error::{Error, Problem, Problems};
use sha2::{Digest, Sha256};
use std::path::Path;

/// An input file and its SHA-256, so a run can be reproduced from the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as the user gave it.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl InputFile {
    /// The fingerprint of `bytes` read from `path`.
    pub fn new(path: &str, bytes: &[u8]) -> InputFile {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(64);
        for b in digest {
            hex.push_str(&format!("{b:02x}"));
        }
        InputFile {
            path: path.to_owned(),
            sha256: hex,
        }
    }
}

/// Reads a file as bytes.
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The longest line accepted in any input file.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Refuses text with a line longer than 1 MiB: no record of any input is anywhere
/// near that long, so such a file is broken or hostile, and it is refused before anything
/// (hashing, parsing) reads it whole.
///
/// # Errors
/// The line that is too long.
pub fn check_lines(name: &str, bytes: &[u8]) -> Result<(), Error> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (line, end) in (1..).zip(ends) {
        if end - start > MAX_LINE_BYTES {
            return Err(Error::problem(
                Problem::new(
                    name,
                    format!(
                        "line is longer than {} KiB; no input line should be",
                        MAX_LINE_BYTES >> 10
                    ),
                )
                .at_line(line),
            ));
        }
        start = end + 1;
    }
    Ok(())
}

/// Decodes UTF-8 text, dropping a leading byte-order mark (spreadsheet exports write one).
///
/// # Errors
/// [`Error::Invalid`] naming the line of the first byte that is not UTF-8.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Error::problem(Problem::new(name, "file is not valid UTF-8 text").at_line(line))
    })
}

/// The kind of a data file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// YAML (a list of records).
    Yaml,
    /// JSON (a list of records).
    Json,
}

impl Format {
    /// The format of `path`, from its extension.
    ///
    /// # Errors
    /// A problem naming the file when the extension is not csv, yaml, yml or json.
    pub fn of(path: &str) -> Result<Format, Problem> {
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("yaml" | "yml") => Ok(Format::Yaml),
            Some("json") => Ok(Format::Json),
            _ => Err(Problem::new(
                path,
                "expected a file ending in .csv, .yaml, .yml or .json",
            )),
        }
    }
}

/// A CSV reader over `text` that keeps line numbers and accepts CRLF. Fields are not trimmed
/// here (the csv crate would copy every record to do it); readers trim each field they use.
pub(crate) fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// The header of a CSV file, with checks for duplicates and the required columns.
pub(crate) fn csv_header(
    file: &str,
    reader: &mut csv::Reader<&[u8]>,
    required: &[&str],
    problems: &mut Problems,
) -> Option<Vec<String>> {
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_owned()).collect(),
        Err(e) => {
            problems.push(csv_problem(file, &e));
            return None;
        }
    };
    if header.iter().all(String::is_empty) {
        problems.push(
            Problem::new(
                file,
                format!(
                    "file is empty; expected a header line with {}",
                    required.join(",")
                ),
            )
            .at_line(1),
        );
        return None;
    }
    let mut ok = true;
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            problems
                .push(Problem::new(file, format!("column {} has an empty name", i + 1)).at_line(1));
            ok = false;
        } else if header[..i].contains(h) {
            problems.push(Problem::new(file, format!("column {h:?} appears twice")).at_line(1));
            ok = false;
        }
    }
    for r in required {
        if !header.iter().any(|h| h == r) {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "missing column {r:?}; expected columns {}",
                        required.join(",")
                    ),
                )
                .at_line(1),
            );
            ok = false;
        }
    }
    ok.then_some(header)
}

/// Calls `row` with every record of `reader` and its line; a record that cannot be read becomes a
/// problem and reading goes on, so one run reports every bad line.
pub(crate) fn each_record(
    file: &str,
    reader: &mut csv::Reader<&[u8]>,
    problems: &mut Problems,
    mut row: impl FnMut(&csv::StringRecord, Option<usize>, &mut Problems),
) {
    let mut record = csv::StringRecord::new();
    let mut last_error_at = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => row(
                &record,
                record.position().map(|p| p.line() as usize),
                problems,
            ),
            Err(e) => {
                let at = e.position().map(|p| p.byte());
                problems.push(csv_problem(file, &e));
                // A reader that cannot get past a spot would repeat it forever.
                if at.is_none() || at == last_error_at {
                    break;
                }
                last_error_at = at;
            }
        }
    }
}

/// A CSV error as a located problem.
pub(crate) fn csv_problem(file: &str, e: &csv::Error) -> Problem {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields like the header, found {len}")
        }
        csv::ErrorKind::Utf8 { .. } => "field is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    Problem::new(file, message).at(line)
}

/// Optional text: empty, `~` and `null` mean absent (YAML and JSON writers emit them).
pub(crate) fn non_empty(value: Option<&str>) -> Option<&str> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "~" && *v != "null")
}
