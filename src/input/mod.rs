//! Reading input files: text decoding, fingerprints, the checks every file gets, and the
//! shared CSV plumbing (`csv`) over text in memory or read by chunks (`chunks`).

mod chunks;
mod csv;

pub(crate) use chunks::{LineChunks, Text};
pub(crate) use csv::{csv_header, each_record, split_columns, CsvReader};

use crate::error::{Error, Problem};
use sha2::{Digest, Sha256};
use smol_str::SmolStr;
use std::path::Path;

/// An input file and its SHA-256, so a run can be reproduced from the same bytes. Serialises as
/// the reports' `inputs` entries (`{ "path": …, "sha256": … }`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputFile {
    /// The path as the user gave it.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl InputFile {
    /// The fingerprint of `bytes` read from `path`.
    pub fn new(path: &str, bytes: &[u8]) -> InputFile {
        let mut hasher = Sha256::new();
        hasher.update(bytes);
        InputFile::from_digest(path, hasher)
    }

    fn from_digest(path: &str, hasher: Sha256) -> InputFile {
        let digest = hasher.finalize();
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
    match long_line(bytes, MAX_LINE_BYTES) {
        None => Ok(()),
        Some(line) => Err(too_long(name, line)),
    }
}

/// The error of a file whose line `line` is longer than [`MAX_LINE_BYTES`].
fn too_long(name: &str, line: usize) -> Error {
    Error::problem(
        Problem::new(
            name,
            format!(
                "line is longer than {} KiB; no input line should be",
                MAX_LINE_BYTES >> 10
            ),
        )
        .at_line(line),
    )
}

/// The error of a file whose bytes are not UTF-8 from `bytes[at]` on, `bytes` starting on line
/// `first`.
fn not_utf8(name: &str, bytes: &[u8], at: usize, first: usize) -> Error {
    let line = first + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    Error::problem(Problem::new(name, "file is not valid UTF-8 text").at_line(line))
}

/// The number of the first line longer than `max` bytes (line break not counted), if any.
fn long_line(bytes: &[u8], max: usize) -> Option<usize> {
    // From the start of a line, the last line break within the next `max` + 1 bytes ends lines
    // no longer than `max`: jump past it. Lines are short, so a 145 MB file takes a few hundred
    // searches, not one per line; only a window without a break starts a long line.
    let mut start = 0;
    while bytes.len() - start > max {
        let Some(last) = memchr::memrchr(b'\n', &bytes[start..=start + max]) else {
            return Some(memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1);
        };
        start += last + 1;
    }
    None
}

/// About how many lines a text of `len` bytes starting with `start` has, to make room for its
/// records: counted in its first 64 KiB and scaled, a little over (counting a provider's 145 MB
/// line by line costs a hundredth of a second of CPU; room left over is never touched, so it
/// costs no memory). Never more than the text's bytes, which bound its lines too.
fn lines_estimate(start: &[u8], len: usize) -> usize {
    const SAMPLE: usize = 64 << 10;
    let sample = &start[..start.len().min(SAMPLE)];
    let lines = memchr::memchr_iter(b'\n', sample).count() + 1;
    if sample.len() >= len {
        return lines;
    }
    lines.saturating_mul(len / sample.len() + 1).min(len)
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
        not_utf8(name, e.as_bytes(), at, 1)
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

/// `text.trim()`, without decoding characters when both ends are printable ASCII, as nearly
/// every field of a provider's export is (a million records read a dozen fields each).
pub(crate) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `SmolStr::new(text)`, made where it is called: `SmolStr::new` is not inlined and first looks
/// for runs of spaces and line breaks it could share, where a short string need only be copied
/// inline (a provider's subscriptions and windows make four million of them).
pub(crate) fn small_str(text: &str) -> SmolStr {
    const INLINE: usize = 23;
    if text.len() <= INLINE {
        SmolStr::new_inline(text)
    } else {
        SmolStr::new(text)
    }
}

/// Optional text: empty, `~` and `null` mean absent (YAML and JSON writers emit them).
pub(crate) fn non_empty(value: Option<&str>) -> Option<&str> {
    value
        .map(trim)
        .filter(|v| !v.is_empty() && *v != "~" && *v != "null")
}

/// The first control character in `text` (U+0000–U+001F other than tab, and U+007F), described
/// for a message (`control character U+0007`).
pub(crate) fn control_character(text: &str) -> Option<String> {
    text.chars()
        .find(|&c| is_control(c))
        .map(|c| format!("control character U+{:04X}", u32::from(c)))
}

/// Whether `c` is a control character no input value may hold.
pub(crate) fn is_control(c: char) -> bool {
    (c < ' ' && c != '\t') || c == '\u{7f}'
}

/// Whether `bytes` hold a control character; line breaks count only with `breaks` (a CSV
/// record's own bytes, where a line break can only be inside a quoted cell). Written as a fold
/// over blocks without an early exit, so that it runs over whole blocks at a time.
pub(crate) fn has_control_byte(bytes: &[u8], breaks: bool) -> bool {
    let bad =
        |b: u8| (b < b' ' && b != b'\t' && (breaks || (b != b'\n' && b != b'\r'))) || b == 0x7f;
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | bad(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Trimmed as `str::trim` trims: ASCII and Unicode white space (no-break space, line
        /// separator, next line) at either end, or none.
        #[test]
        fn fields_are_trimmed_as_str_trims_them(
            text in "[ \t\r\n\u{a0}\u{2028}\u{85}]{0,2}[a-z,\u{e9} ]{0,6}[ \t\u{a0}\u{3000}]{0,2}",
        ) {
            prop_assert_eq!(trim(&text), text.trim());
        }
    }

    proptest! {
        /// The first line longer than the limit, as counted line by line.
        #[test]
        fn long_lines_are_found_as_line_by_line(
            text in "[ab\n]{0,40}",
            max in 0usize..6,
        ) {
            let by_line = text
                .split('\n')
                .position(|line| line.len() > max)
                .map(|i| i + 1);
            prop_assert_eq!(long_line(text.as_bytes(), max), by_line);
        }
    }
}
