//! A CSV reader over text in memory or read by chunks, and the header and record plumbing
//! every CSV input shares.

use super::{lines_estimate, LineChunks};
use crate::error::{Error, Problem, Problems};
use std::borrow::Cow;

/// A CSV reader over text in memory or read by chunks (RFC 4180 quoting, CRLF or LF, blank lines
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
    /// Whether `text` is known to hold neither a quote nor a carriage return (a chunk
    /// [`LineChunks`] looked through), so that its lines are split without looking again.
    clean: bool,
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

    /// The record's bytes, its fields and what separates them.
    pub(crate) fn bytes(&self) -> &'r [u8] {
        let end = self.ends.last().copied().unwrap_or(0);
        &self.text.as_bytes()[..end.min(self.text.len())]
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
            clean: false,
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
        let len = self.more.as_ref().map_or(self.text.len(), |m| m.len());
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
        self.clean = false;
        let spent = match std::mem::take(&mut self.text) {
            Cow::Owned(text) => text,
            Cow::Borrowed(_) => String::new(),
        };
        match more.next(self.core.line() as usize, spent) {
            Ok(Some(chunk)) => {
                self.text = Cow::Owned(chunk);
                self.clean = more.clean();
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
        if !self.clean && memchr::memchr2(b'"', b'\r', &rest[..len]).is_some() {
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
    let mut seen = std::collections::HashSet::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = crate::input::control_character(h) {
            problems.push(
                Problem::new(
                    file,
                    format!("column {} holds {c}; no name may hold one", i + 1),
                )
                .at_line(1),
            );
            ok = false;
        } else if h.is_empty() {
            problems
                .push(Problem::new(file, format!("column {} has an empty name", i + 1)).at_line(1));
            ok = false;
        } else if !seen.insert(h.as_str()) {
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

/// Calls `row` with every record of `reader` after `header`, and its line; a record that
/// cannot be read, or that holds a control character (SPEC 2.6), becomes a problem and reading
/// goes on, so one run reports every bad line.
pub(crate) fn each_record(
    file: &str,
    reader: &mut CsvReader<'_>,
    header: &[String],
    problems: &mut Problems,
    mut row: impl FnMut(&CsvRecord<'_>, Option<usize>, &mut Problems),
) {
    let columns = header.len();
    while let Some((record, line)) = reader.next() {
        match record {
            Ok(r) if r.len() == columns => {
                if crate::input::has_control_byte(r.bytes(), true) {
                    control(file, &r, header, line, problems);
                } else {
                    row(&r, Some(line), problems);
                }
            }
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

/// The problems of a record holding control characters, one per cell that holds one.
fn control(
    file: &str,
    record: &CsvRecord<'_>,
    header: &[String],
    line: usize,
    problems: &mut Problems,
) {
    for (i, name) in header.iter().enumerate() {
        let cell = record.get(i).unwrap_or("");
        if let Some(c) = crate::input::control_character(cell) {
            problems.push(
                Problem::new(file, format!("{c} in {cell:?}; no value may hold one"))
                    .at_line(line)
                    .field(name.as_str()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{InputFile, MAX_LINE_BYTES};
    use proptest::prelude::*;

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
            let mut chunks = LineChunks::of_bytes(&bytes, block);
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
        let mut chunks = LineChunks::of_bytes(bytes, block);
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
