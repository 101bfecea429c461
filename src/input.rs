//! Reading input files: text decoding, fingerprints, and the shared CSV plumbing.

use crate::error::{Error, Problem, Problems};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Read;
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

/// An input file read a block at a time and handed out in chunks of whole lines, with the
/// checks a whole file gets (no line over [`MAX_LINE_BYTES`], UTF-8, a leading byte-order mark
/// dropped) made chunk by chunk and its SHA-256 taken as it goes. A provider's 145 MB are never
/// held whole: reading them into one buffer cost about 0.07 s of CPU at L in page faults and
/// copies into cold memory, and a chunk is parsed while it is still in the cache. A chunk
/// holding a quote or a carriage return takes the rest of the file with it: a quoted field may
/// run across lines, so only lines without either are cut where they end.
pub(crate) struct LineChunks {
    name: String,
    source: Box<dyn Read + Send>,
    hasher: Option<Sha256>,
    /// Bytes read past the end of the last chunk: the start of a line.
    carry: Vec<u8>,
    /// Bytes read at a time.
    block: usize,
    /// The file's size, for estimating its lines.
    len: usize,
    started: bool,
    done: bool,
}

/// Bytes a [`LineChunks`] reads at a time: its chunks stay in a core's second-level cache.
const BLOCK_BYTES: usize = 1 << 20;

impl LineChunks {
    /// Opens `path`, fingerprinting it as it is read when `fingerprint`.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file.
    pub(crate) fn open(path: &Path, fingerprint: bool) -> Result<LineChunks, Error> {
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut chunks = LineChunks::new(path.display().to_string(), Box::new(file), fingerprint);
        chunks.len = usize::try_from(len).unwrap_or(usize::MAX);
        Ok(chunks)
    }

    fn new(name: String, source: Box<dyn Read + Send>, fingerprint: bool) -> LineChunks {
        LineChunks {
            name,
            source,
            hasher: fingerprint.then(Sha256::new),
            carry: Vec::new(),
            block: BLOCK_BYTES,
            len: 0,
            started: false,
            done: false,
        }
    }

    /// The file's name as given.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The next chunk of whole lines (the last may lack its line break), the first of which is
    /// line `line`; `spent` is a chunk done with, whose memory is reused. `None` at the end.
    ///
    /// # Errors
    /// A line too long, bytes that are not UTF-8 (only the first such problem: the file is not
    /// read on), or [`Error::Io`].
    pub(crate) fn next(&mut self, line: usize, spent: String) -> Result<Option<String>, Error> {
        if self.done {
            return Ok(None);
        }
        let mut buf = spent.into_bytes();
        buf.clear();
        buf.append(&mut self.carry);
        let end = loop {
            let old = buf.len();
            if self.fill(&mut buf, Some(self.block))? == 0 {
                self.done = true;
                break buf.len();
            }
            match memchr::memrchr(b'\n', &buf[old..]) {
                Some(last) if memchr::memchr2(b'"', b'\r', &buf[..old + last]).is_none() => {
                    break old + last + 1;
                }
                Some(_) => {
                    self.fill(&mut buf, None)?;
                    self.done = true;
                    break buf.len();
                }
                // No line break yet: all of `buf` is one line.
                None if buf.len() > MAX_LINE_BYTES => return Err(too_long(&self.name, line)),
                None => {}
            }
        };
        self.carry.extend_from_slice(&buf[end..]);
        buf.truncate(end);
        if let Some(k) = long_line(&buf, MAX_LINE_BYTES) {
            return Err(too_long(&self.name, line + k - 1));
        }
        if !self.started {
            self.started = true;
            if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                buf.drain(..3);
            }
        }
        String::from_utf8(buf).map(Some).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            not_utf8(&self.name, e.as_bytes(), at, line)
        })
    }

    /// The rest of the file whole, with the same checks: for YAML and JSON.
    ///
    /// # Errors
    /// As [`LineChunks::next`].
    pub(crate) fn rest(&mut self) -> Result<String, Error> {
        let mut text = String::new();
        let mut line = 1;
        while let Some(chunk) = self.next(line, String::new())? {
            line += memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
            text.push_str(&chunk);
        }
        Ok(text)
    }

    /// Reads `at_most` bytes onto `buf` (all that is left with `None`), hashing them; how many
    /// were read.
    fn fill(&mut self, buf: &mut Vec<u8>, at_most: Option<usize>) -> Result<usize, Error> {
        let old = buf.len();
        let read = match at_most {
            Some(n) => {
                buf.reserve(n);
                self.source.by_ref().take(n as u64).read_to_end(buf)
            }
            None => {
                buf.reserve(self.len.saturating_sub(old));
                self.source.read_to_end(buf)
            }
        };
        let n = read.map_err(|source| Error::Io {
            path: self.name.clone(),
            source,
        })?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[old..]);
        }
        Ok(n)
    }

    /// The file's fingerprint, when taken: the rest of the file is read for it first.
    ///
    /// # Errors
    /// [`Error::Io`].
    pub(crate) fn fingerprint(mut self) -> Result<Option<InputFile>, Error> {
        if self.hasher.is_none() {
            return Ok(None);
        }
        if !self.done {
            let mut buf = Vec::new();
            while self.fill(&mut buf, Some(self.block))? > 0 {
                buf.clear();
            }
        }
        Ok(self.hasher.map(|h| InputFile::from_digest(&self.name, h)))
    }
}

/// The text of an input: in memory, or a file read by chunks (see [`LineChunks`]).
pub(crate) enum Text<'t> {
    Whole(&'t str),
    Chunks(&'t mut LineChunks),
}

impl<'t> Text<'t> {
    /// A CSV reader over it.
    pub(crate) fn csv(self) -> CsvReader<'t> {
        match self {
            Text::Whole(text) => CsvReader::new(text),
            Text::Chunks(chunks) => CsvReader::by_chunks(chunks),
        }
    }

    /// All of it at once (YAML and JSON are read whole).
    ///
    /// # Errors
    /// As [`LineChunks::next`].
    pub(crate) fn whole(self) -> Result<Cow<'t, str>, Error> {
        match self {
            Text::Whole(text) => Ok(Cow::Borrowed(text)),
            Text::Chunks(chunks) => chunks.rest().map(Cow::Owned),
        }
    }
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

/// A CSV reader over text already in memory (RFC 4180 quoting, CRLF or LF, blank lines
/// skipped), keeping line numbers. It drives `csv_core` directly: the `csv` crate's reader would
/// copy every byte through its buffer and check UTF-8 once more per record, the bulk of reading
/// a million-line file. A line with no quote and no carriage return (almost every line of a
/// provider's export) is split at its commas where it lies, which is what `csv_core` reads from
/// it; any other line goes through `csv_core`. Fields are not trimmed here; readers trim each
/// field they use.
pub(crate) struct CsvReader<'t> {
    core: csv_core::Reader,
    /// The text, or the current chunk of a file read by chunks.
    text: Cow<'t, str>,
    /// The file the chunks after this one come from.
    more: Option<&'t mut LineChunks>,
    /// What stopped reading the file (a line too long, bytes not UTF-8, the disk).
    failed: Option<Error>,
    /// Where reading is in `text` (at the start of a line, between records).
    at: usize,
    /// Whether the last record `csv_core` read ended at a carriage return: the line feed that
    /// may follow is its to read.
    after_cr: bool,
    /// Whether lines are split where they lie (always, but in the tests that compare it with
    /// `csv_core` reading everything).
    split: bool,
    /// Unquoted field bytes of a record `csv_core` read, and where each field ends.
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// One record of a [`CsvReader`]: its fields, borrowed.
pub(crate) struct CsvRecord<'r> {
    text: &'r str,
    ends: &'r [usize],
    /// Bytes between a field's end and the next one's start: the comma of a line split where
    /// it lies; none in `csv_core`'s output.
    gap: usize,
}

impl<'r> CsvRecord<'r> {
    /// Field `i`, when the record has it.
    pub(crate) fn get(&self, i: usize) -> Option<&'r str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        self.text.get(start..end)
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }
}

impl<'t> CsvReader<'t> {
    /// A reader over `text`.
    pub(crate) fn new(text: &'t str) -> CsvReader<'t> {
        CsvReader {
            core: csv_core::Reader::new(),
            text: Cow::Borrowed(text),
            more: None,
            failed: None,
            at: 0,
            after_cr: false,
            split: true,
            out: vec![0; 1024],
            ends: vec![0; 16],
        }
    }

    /// A reader over the chunks of a file.
    pub(crate) fn by_chunks(chunks: &'t mut LineChunks) -> CsvReader<'t> {
        let mut reader = CsvReader::new("");
        reader.more = Some(chunks);
        reader
    }

    /// About how many lines the text has (see [`lines_estimate`]).
    pub(crate) fn lines_estimate(&self) -> usize {
        let len = self.more.as_ref().map_or(self.text.len(), |m| m.len);
        lines_estimate(self.text.as_bytes(), len.max(self.text.len()))
    }

    /// What stopped the file being read to its end, if anything did: the only problem to report
    /// then, as when the file is checked whole before it is read.
    pub(crate) fn failure(&mut self) -> Option<Error> {
        self.failed.take()
    }

    /// Moves on to the next chunk of a file read by chunks, once this one is read to its end;
    /// whether there was one.
    fn refill(&mut self) -> bool {
        if self.at < self.text.len() || self.after_cr {
            return false;
        }
        let Some(more) = self.more.as_deref_mut() else {
            return false;
        };
        // All of the chunk is read: it is handed back, leaving nothing to read.
        self.at = 0;
        let spent = match std::mem::take(&mut self.text) {
            Cow::Owned(text) => text,
            Cow::Borrowed(_) => String::new(),
        };
        match more.next(self.core.line() as usize, spent) {
            Ok(Some(chunk)) => {
                self.text = Cow::Owned(chunk);
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.failed = Some(e);
                self.more = None;
                false
            }
        }
    }

    /// The next record and the line it starts on; `None` at the end.
    fn next(&mut self) -> Option<(Result<CsvRecord<'_>, String>, usize)> {
        if self.split && !self.after_cr {
            loop {
                // The line this one starts on: blank lines before it have been counted.
                let line = self.core.line() as usize;
                let Some((start, len, ends)) = self.split_line() else {
                    if self.refill() {
                        continue;
                    }
                    break;
                };
                if ends > 0 {
                    let record = CsvRecord {
                        text: &self.text[start..start + len],
                        ends: &self.ends[..ends],
                        gap: 1,
                    };
                    return Some((Ok(record), line.max(1)));
                }
            }
        }
        self.refill();
        self.read_by_core()
    }

    /// The next line, when it is blank (no fields: skipped, as `csv_core` skips it) or holds
    /// neither a quote nor a carriage return: its text, with where each field ends in `ends`.
    /// `None` at the end of the text and for a line that `csv_core` must read.
    fn split_line(&mut self) -> Option<(usize, usize, usize)> {
        let rest = &self.text.as_bytes()[self.at..];
        let newline = memchr::memchr(b'\n', rest);
        let len = newline.unwrap_or(rest.len());
        if len == 0 && newline.is_none() {
            return None;
        }
        if memchr::memchr2(b'"', b'\r', &rest[..len]).is_some() {
            return None;
        }
        // Both ends are ASCII, so this is text; checked all the same rather than assumed.
        let start = self.at;
        let text = self.text.get(start..start + len)?;
        self.at += len + usize::from(newline.is_some());
        if newline.is_some() {
            self.core.set_line(self.core.line() + 1);
        }
        if len == 0 {
            return Some((start, 0, 0));
        }
        let mut n = 0;
        let commas = memchr::memchr_iter(b',', text.as_bytes());
        for end in commas.chain(std::iter::once(len)) {
            if n == self.ends.len() {
                self.ends.resize(n * 2, 0);
            }
            self.ends[n] = end;
            n += 1;
        }
        Some((start, len, n))
    }

    /// The next record as `csv_core` reads it, and the line it starts on.
    fn read_by_core(&mut self) -> Option<(Result<CsvRecord<'_>, String>, usize)> {
        let input = &self.text.as_bytes()[self.at..];
        // `csv_core` reads the blank lines before a record, and the line feed of a record that
        // ended at a carriage return, with the record: the record starts after them.
        let before = input
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .filter(|&&b| b == b'\n')
            .count();
        let line = self.core.line() as usize + before;
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        loop {
            let (result, i, o, e) =
                self.core
                    .read_record(&input[nin..], &mut self.out[nout..], &mut self.ends[nend..]);
            // Field ends are counted from the start of the record, across calls.
            nin += i;
            nout += o;
            nend += e;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => {
                    self.at += nin;
                    return None;
                }
            }
        }
        self.at += nin;
        self.after_cr = nin > 0 && input[nin - 1] == b'\r';
        // The text is UTF-8 and unquoting only removes ASCII quotes, so this holds; it is
        // checked all the same rather than assumed.
        let record = match std::str::from_utf8(&self.out[..nout]) {
            Ok(text) => Ok(CsvRecord {
                text,
                ends: &self.ends[..nend],
                gap: 0,
            }),
            Err(_) => Err("field is not valid UTF-8".to_owned()),
        };
        Some((record, line.max(1)))
    }
}

/// The header of a CSV file, with checks for duplicates and the required columns.
pub(crate) fn csv_header(
    file: &str,
    reader: &mut CsvReader<'_>,
    required: &[&str],
    problems: &mut Problems,
) -> Option<Vec<String>> {
    let header: Vec<String> = match reader.next() {
        Some((Ok(h), _)) => (0..h.len())
            .map(|i| h.get(i).unwrap_or("").trim().to_owned())
            .collect(),
        Some((Err(e), line)) => {
            problems.push(Problem::new(file, e).at_line(line));
            return None;
        }
        None => Vec::new(),
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

/// Where each of the `known` columns is in `header`, and every other column with its name: the
/// scope labels of a subscriptions or outages file.
pub(crate) fn split_columns<'h, const N: usize>(
    header: &'h [String],
    known: [&str; N],
) -> ([Option<usize>; N], Vec<(usize, &'h str)>) {
    let columns = known.map(|c| header.iter().position(|h| h == c));
    let labels = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !known.contains(&h.as_str()))
        .map(|(i, h)| (i, h.as_str()))
        .collect();
    (columns, labels)
}

/// Calls `row` with every record of `reader` after a header of `columns` fields, and its line;
/// a record that cannot be read becomes a problem and reading goes on, so one run reports every
/// bad line.
pub(crate) fn each_record(
    file: &str,
    reader: &mut CsvReader<'_>,
    columns: usize,
    problems: &mut Problems,
    mut row: impl FnMut(&CsvRecord<'_>, Option<usize>, &mut Problems),
) {
    while let Some((record, line)) = reader.next() {
        match record {
            Ok(r) if r.len() == columns => row(&r, Some(line), problems),
            Ok(r) => problems.push(
                Problem::new(
                    file,
                    format!(
                        "expected {columns} fields like the header, found {}",
                        r.len()
                    ),
                )
                .at_line(line),
            ),
            Err(e) => problems.push(Problem::new(file, e).at_line(line)),
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

/// Optional text: empty, `~` and `null` mean absent (YAML and JSON writers emit them).
pub(crate) fn non_empty(value: Option<&str>) -> Option<&str> {
    value
        .map(trim)
        .filter(|v| !v.is_empty() && *v != "~" && *v != "null")
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

    /// Every record of `reader` as its fields, with its line; errors as text.
    fn records(mut reader: CsvReader<'_>) -> Vec<(Result<Vec<String>, String>, usize)> {
        let mut out = Vec::new();
        while let Some((record, line)) = reader.next() {
            let fields =
                record.map(|r| (0..r.len()).map(|i| r.get(i).unwrap().to_owned()).collect());
            out.push((fields, line));
        }
        out
    }

    proptest! {
        /// Lines split where they lie read as `csv_core` reads them: the same fields and line
        /// numbers, whatever quotes, carriage returns, blank lines and commas are around.
        #[test]
        fn split_lines_read_as_csv_core_reads_them(
            pieces in prop::collection::vec(
                prop_oneof![
                    Just("\n"), Just("\r\n"), Just("\r"), Just(","), Just("\""),
                    Just("sub-0001"), Just(" a b "), Just("é"), Just(""), Just("\"x,\ny\""),
                ],
                0..40,
            ),
        ) {
            let text: String = pieces.concat();
            let mut core = CsvReader::new(&text);
            core.split = false;
            prop_assert_eq!(records(CsvReader::new(&text)), records(core));
        }
    }

    #[test]
    fn a_provider_export_is_split_at_its_commas() {
        let text = "id,customer\nsub-1,acme\n\nsub-2,\"Smith, J\"\r\nsub-3,b\n,\n";
        let read = records(CsvReader::new(text));
        let fields = |f: &[&str]| Ok(f.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            read,
            vec![
                (fields(&["id", "customer"]), 1),
                (fields(&["sub-1", "acme"]), 2),
                // After a blank line, and after a line ending in CRLF: each on its own line.
                (fields(&["sub-2", "Smith, J"]), 4),
                (fields(&["sub-3", "b"]), 5),
                (fields(&["", ""]), 6),
            ]
        );
    }

    #[test]
    fn records_read_in_several_calls_keep_their_fields() {
        // The last record without a line end, and a record longer than the first output
        // buffer: `csv_core` reads each in more than one call.
        let long = "x".repeat(3000);
        for text in [
            "id,fee\nsub-1,100".to_owned(),
            format!("id,\"reference\",fee\nsub-1,\"{long}\",100\n"),
            format!("id,\"reference\",fee\nsub-1,\"{long}\",100"),
        ] {
            for split in [true, false] {
                let mut reader = CsvReader::new(&text);
                reader.split = split;
                let read = records(reader);
                let last = read.last().unwrap().0.as_ref().unwrap();
                assert_eq!(
                    last.first().map(String::as_str),
                    Some("sub-1"),
                    "{text:.20}"
                );
                assert_eq!(last.last().map(String::as_str), Some("100"), "{text:.20}");
                if last.len() == 3 {
                    assert_eq!(last[1], long);
                }
            }
        }
    }

    /// `bytes` as a file read `block` bytes at a time.
    fn chunks_of(bytes: &[u8], block: usize) -> LineChunks {
        let source = Box::new(std::io::Cursor::new(bytes.to_vec()));
        let mut chunks = LineChunks::new("f.csv".to_owned(), source, true);
        chunks.block = block;
        chunks.len = bytes.len();
        chunks
    }

    proptest! {
        /// A file read by chunks of whole lines reads as the whole text does: the same fields
        /// and line numbers, whatever quotes, carriage returns and blank lines fall where the
        /// blocks end, and the same fingerprint.
        #[test]
        fn a_file_read_by_chunks_reads_as_the_whole_text(
            pieces in prop::collection::vec(
                prop_oneof![
                    Just("\n"), Just("\n"), Just("\r\n"), Just("\r"), Just(","), Just("\""),
                    Just("sub-0001"), Just("a,b"), Just("é"), Just(""), Just("\"x,\ny\""),
                ],
                0..40,
            ),
            bom in any::<bool>(),
            block in 1usize..12,
        ) {
            let text: String = pieces.concat();
            let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
            bytes.extend_from_slice(text.as_bytes());
            let mut chunks = chunks_of(&bytes, block);
            let mut reader = CsvReader::by_chunks(&mut chunks);
            let mut read = Vec::new();
            while let Some((record, line)) = reader.next() {
                let fields: Result<Vec<String>, String> =
                    record.map(|r| (0..r.len()).map(|i| r.get(i).unwrap().to_owned()).collect());
                read.push((fields, line));
            }
            prop_assert!(reader.failure().is_none());
            prop_assert_eq!(read, records(CsvReader::new(&text)));
            prop_assert_eq!(
                chunks.fingerprint().unwrap().map(|f| f.sha256),
                Some(InputFile::new("f.csv", &bytes).sha256)
            );
        }
    }

    /// What stops reading `bytes` by chunks of `block` bytes, as printed.
    fn failure_of(bytes: &[u8], block: usize) -> String {
        let mut chunks = chunks_of(bytes, block);
        let mut reader = CsvReader::by_chunks(&mut chunks);
        while reader.next().is_some() {}
        reader.failure().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_long_line_or_bad_bytes_in_a_later_chunk_name_their_line() {
        let mut bytes = b"id,fee\nsub-1,1\n\nsub-2,".to_vec();
        bytes.extend(std::iter::repeat_n(b'9', MAX_LINE_BYTES));
        bytes.extend_from_slice(b"\nsub-3,1\n");
        // Line 4 is one byte too long, whether it starts a chunk or ends one.
        for block in [5, 64 << 10, MAX_LINE_BYTES * 2] {
            assert_eq!(
                failure_of(&bytes, block),
                "f.csv:4: line is longer than 1024 KiB; no input line should be",
                "block {block}"
            );
        }
        let bad = b"id,fee\nsub-1,1\n\"sub-2\",\xE9\nsub-3,1\n";
        for block in [3, 16, 1024] {
            assert_eq!(
                failure_of(bad, block),
                "f.csv:3: file is not valid UTF-8 text",
                "block {block}"
            );
        }
        assert_eq!(failure_of(b"id,fee\nsub-1,1\n", 4), "");
    }
}
