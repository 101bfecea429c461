//! Input files read a block at a time, in chunks of whole lines.

use super::{decode, long_line, not_utf8, too_long, CsvReader, InputFile, MAX_LINE_BYTES};
use crate::error::Error;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// An input file read a block at a time and handed out in chunks of whole lines, with the
/// checks a whole file gets (no line over [`MAX_LINE_BYTES`], UTF-8, a leading byte-order mark
/// dropped) made chunk by chunk and its SHA-256 taken as it goes. A provider's 145 MB are never
/// held whole (one buffer of that size costs page faults and copies into cold memory), and a
/// chunk is parsed while it is still in the cache. A chunk
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
    /// Whether the last chunk is known to hold neither a quote nor a carriage return.
    clean: bool,
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

    /// Standard input (`--outages -`), named `<stdin>` in messages; its size is unknown.
    pub(crate) fn stdin(fingerprint: bool) -> LineChunks {
        LineChunks::new(
            "<stdin>".to_owned(),
            Box::new(std::io::stdin()),
            fingerprint,
        )
    }

    /// Text already in memory (an input given in a request, or by a caller), named `name` in
    /// messages, read with every check a file gets. It is not a file: no fingerprint.
    pub(crate) fn memory(name: &str, text: std::sync::Arc<str>) -> LineChunks {
        let len = text.len();
        let mut chunks = LineChunks::new(
            name.to_owned(),
            Box::new(std::io::Cursor::new(ArcBytes(text))),
            false,
        );
        chunks.len = len;
        chunks
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
            clean: false,
        }
    }

    /// `bytes` as a file named `f.csv` read `block` bytes at a time, fingerprinted.
    #[cfg(test)]
    pub(super) fn of_bytes(bytes: &[u8], block: usize) -> LineChunks {
        let source = Box::new(std::io::Cursor::new(bytes.to_vec()));
        let mut chunks = LineChunks::new("f.csv".to_owned(), source, true);
        chunks.block = block;
        chunks.len = bytes.len();
        chunks
    }

    /// The file's name as given.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Whether the chunk [`LineChunks::next`] gave last holds neither a quote nor a carriage
    /// return (it was looked through for them): its lines need not be again.
    pub(super) fn clean(&self) -> bool {
        self.clean
    }

    /// The file's size in bytes.
    pub(super) fn len(&self) -> usize {
        self.len
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
        self.clean = false;
        let end = loop {
            let old = buf.len();
            if self.fill(&mut buf, Some(self.block))? == 0 {
                self.done = true;
                break buf.len();
            }
            match memchr::memrchr(b'\n', &buf[old..]) {
                Some(last) if memchr::memchr2(b'"', b'\r', &buf[..old + last]).is_none() => {
                    self.clean = true;
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
            // The first chunk starts the file: decoded as a whole file is.
            self.started = true;
            return decode(&self.name, buf).map(Some);
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

/// Shared text read as bytes, without a copy.
struct ArcBytes(std::sync::Arc<str>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
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
