//! Printing and writing: errors to stderr, reports to stdout or to a file replaced atomically.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::contract::Contract;
use crate::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Prints every problem of `e`, one per line, and a count.
pub fn print_error(e: &Error) {
    match e {
        Error::Invalid(problems) => {
            for p in &problems.0 {
                eprintln!("error: {p}");
            }
            let n = problems.0.len();
            eprintln!(
                "{n} problem{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            let unknown = |p: &&crate::Problem| {
                p.message.starts_with("unknown column `") || p.message.starts_with("unknown key `")
            };
            if let Some(p) = problems.0.iter().find(unknown) {
                let name = p.message.split('`').nth(1).unwrap_or("NAME");
                eprintln!("hint: a column that only informs is let through unread with --ignore-column {name}");
            }
        }
        other => eprintln!("error: {other}"),
    }
}

/// Where a report goes: standard output, or a file replaced only when the report is complete
/// (written to a temporary file beside it and renamed; on any failure the old file stays).
pub struct Sink {
    out: Box<dyn Write>,
    file: Option<(PathBuf, PathBuf)>,
    name: String,
    /// For a file: its written bytes handed to the system to write back.
    writeback: Option<Writeback>,
}

/// A file being written to replace another, whose bytes are handed to the system to write back
/// every few megabytes. A provider's report is a hundred megabytes: left to the end, writing it
/// back would begin when it replaces the old one (ext4 does so on a rename over a file), on one
/// core after all the others are done.
struct Writeback {
    file: File,
    /// Bytes written so far, and how many of them were handed over.
    written: u64,
    handed: u64,
}

impl Writeback {
    /// How many bytes to hand over at once.
    const STEP: u64 = 8 << 20;

    /// Counts `bytes` more written; returns the next range to hand over (offset, length) once
    /// there is a step's worth of it in the file.
    fn wrote(&mut self, bytes: usize) -> Option<(u64, u64)> {
        self.written += bytes as u64;
        // What the writer still buffers is not in the file yet.
        let in_file = self.written.saturating_sub(BUFFER as u64);
        if in_file < self.handed + Self::STEP {
            return None;
        }
        let range = (self.handed, in_file - self.handed);
        self.handed = in_file;
        Some(range)
    }
}

/// Bytes a [`Sink`] buffers: less than the rows of a chunk a run hands over at once (about
/// 60 KB of CSV), which then go to the file as they are instead of being copied into the buffer
/// first (a provider's 123 MB copied once more, on the core the writer shares with a worker).
const BUFFER: usize = 1 << 14;

/// Starts writing back `len` bytes of `file` from `offset`, without waiting: `DontNeed` starts
/// that for dirty pages (and drops pages already written). It is only advice: a failure changes
/// nothing.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: u64) {
    let _ = rustix::fs::fadvise(
        file,
        offset,
        std::num::NonZeroU64::new(len),
        rustix::fs::Advice::DontNeed,
    );
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &File, _: u64, _: u64) {}

impl Sink {
    /// Opens standard output, or a temporary file next to `path`.
    pub fn open(path: Option<&Path>) -> Result<Sink, Error> {
        let Some(path) = path else {
            return Ok(Sink {
                out: Box::new(BufWriter::with_capacity(BUFFER, std::io::stdout())),
                file: None,
                name: "<stdout>".into(),
                writeback: None,
            });
        };
        let name = path.display().to_string();
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let base = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{base}.slacredit-{}.tmp", std::process::id()));
        let f = File::create(&tmp).map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        // A new file is written back by the system in its own time; one that replaces another
        // is written back at the rename, in this run's time.
        let replacing = path.is_file();
        let writeback = replacing
            .then(|| f.try_clone().ok())
            .flatten()
            .map(|file| Writeback {
                file,
                written: 0,
                handed: 0,
            });
        Ok(Sink {
            out: Box::new(BufWriter::with_capacity(BUFFER, f)),
            file: Some((tmp, path.to_path_buf())),
            name,
            writeback,
        })
    }

    /// Appends `text`.
    pub fn write(&mut self, text: &str) -> Result<(), Error> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|source| Error::Io {
                path: self.name.clone(),
                source,
            })?;
        if let Some(w) = &mut self.writeback {
            if let Some((offset, len)) = w.wrote(text.len()) {
                start_writeback(&w.file, offset, len);
            }
        }
        Ok(())
    }

    /// Flushes, and puts a file in place of the old one.
    pub fn finish(mut self) -> Result<(), Error> {
        let io = |source| Error::Io {
            path: self.name.clone(),
            source,
        };
        self.out.flush().map_err(io)?;
        if let Some((tmp, path)) = self.file.take() {
            // Drop the writer (closing the file) before the rename.
            self.out = Box::new(std::io::sink());
            self.writeback = None;
            if let Err(source) = std::fs::rename(&tmp, &path) {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::Io {
                    path: self.name.clone(),
                    source,
                });
            }
        }
        Ok(())
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some((tmp, _)) = self.file.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes `text` whole to `path` or standard output (see [`Sink`]).
pub fn write(path: Option<&Path>, text: &str) -> Result<(), Error> {
    let mut sink = Sink::open(path)?;
    sink.write(text)?;
    sink.finish()
}

/// The contracts as a table: id, period, zone, commitment, credit model, title.
pub fn contract_list(list: &[Contract]) -> String {
    let mut rows = vec![
        ["ID", "PERIOD", "TIMEZONE", "COMMITMENT %", "MODEL", "TITLE"]
            .map(String::from)
            .to_vec(),
    ];
    let mut sorted: Vec<&Contract> = list.iter().collect();
    sorted.sort_by(|a, b| a.id().cmp(b.id()));
    for c in sorted {
        rows.push(vec![
            c.id().to_owned(),
            c.period().name().to_owned(),
            c.timezone().name().to_owned(),
            crate::report::percent(c.commitment()),
            c.credits().model.name().to_owned(),
            c.title().unwrap_or("").to_owned(),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A report replacing a file, long enough to be handed over for write-back several times,
    /// is the new report whole, byte for byte, and nothing else is left beside it.
    #[test]
    fn a_long_report_replacing_a_file_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("claims.csv");
        std::fs::write(&path, "the old report\n").unwrap();
        let line = "sub-0000001,2018-11,84,99.805556,10,672.32,USD\n".repeat(1_000);
        let mut sink = Sink::open(Some(&path)).unwrap();
        assert!(sink.writeback.is_some(), "a file is replaced");
        for _ in 0..500 {
            sink.write(&line).unwrap();
        }
        let handed = sink.writeback.as_ref().map(|w| w.handed).unwrap();
        assert!(handed >= 2 * Writeback::STEP, "handed over {handed} bytes");
        sink.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.len(), 500 * line.len());
        assert!(written
            .lines()
            .all(|l| l == "sub-0000001,2018-11,84,99.805556,10,672.32,USD"));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    proptest! {
        /// What is handed over to be written back is the file from its start, in steps, and
        /// never what the writer may still buffer.
        #[test]
        fn written_bytes_are_handed_over_in_order_and_only_once_in_the_file(
            writes in prop::collection::vec(0usize..3 << 20, 0..40),
        ) {
            let mut w = Writeback {
                file: tempfile::tempfile().unwrap(),
                written: 0,
                handed: 0,
            };
            let (mut written, mut next) = (0u64, 0u64);
            for bytes in writes {
                written += bytes as u64;
                if let Some((offset, len)) = w.wrote(bytes) {
                    prop_assert_eq!(offset, next);
                    prop_assert!(len >= Writeback::STEP);
                    prop_assert!(offset + len + BUFFER as u64 <= written);
                    next = offset + len;
                }
                // Nothing is left behind by a step or more.
                prop_assert!(next + Writeback::STEP + BUFFER as u64 > written);
            }
        }
    }
}
