//! Printing and writing: errors to stderr, reports to stdout or to a file replaced atomically.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use super::Failure;
use slacredit::contract::Contract;
use slacredit::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Prints every problem of `e`, one per line, and a count.
pub fn print_error(e: &Error) {
    match e {
        Error::Invalid(problems) => {
            for p in &problems.0 {
                tell!("error: {p}");
            }
            let n = problems.0.len();
            tell!(
                "{n} problem{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            let unknown = |p: &&slacredit::Problem| {
                p.message.starts_with("unknown column `") || p.message.starts_with("unknown key `")
            };
            if let Some(p) = problems.0.iter().find(unknown) {
                let name = p.message.split('`').nth(1).unwrap_or("NAME");
                tell!("hint: a column that only informs is let through unread with --ignore-column {name}");
            }
        }
        other => tell!("error: {other}"),
    }
}

/// Where a report goes: standard output, or a file replaced only when the report is complete
/// (written to a temporary file beside it and renamed; on any failure the old file stays).
pub struct Sink {
    out: Box<dyn Write>,
    file: Option<(PathBuf, PathBuf)>,
    name: String,
}

/// Bytes a [`Sink`] buffers: less than the rows of a chunk a run hands over at once (about
/// 60 KB of CSV), which then go to the file as they are instead of being copied into the buffer
/// first (a provider's 123 MB copied once more, on the core the writer shares with a worker).
const BUFFER: usize = 1 << 14;

impl Sink {
    /// Opens standard output, or a temporary file next to `path`.
    pub fn open(path: Option<&Path>) -> Result<Sink, Error> {
        let Some(path) = path else {
            return Ok(Sink {
                out: Box::new(BufWriter::with_capacity(BUFFER, std::io::stdout())),
                file: None,
                name: "<stdout>".into(),
            });
        };
        let name = path.display().to_string();
        let mut tmp = beside(path, "slacredit").into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        remember(&tmp);
        let f = File::create(&tmp).map_err(|source| {
            forget(&tmp);
            Error::Io {
                path: name.clone(),
                source,
            }
        })?;
        Ok(Sink {
            out: Box::new(BufWriter::with_capacity(BUFFER, f)),
            file: Some((tmp, path.to_path_buf())),
            name,
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
            // A replaced report keeps the mode of the file it replaces: a private (0600) or
            // read-only (0444) report must not come back readable or writable by others.
            if let Ok(old) = std::fs::metadata(&path) {
                if let Err(source) = std::fs::set_permissions(&tmp, old.permissions()) {
                    let _ = std::fs::remove_file(&tmp);
                    forget(&tmp);
                    return Err(Error::Io {
                        path: self.name.clone(),
                        source,
                    });
                }
            }
            let renamed = std::fs::rename(&tmp, &path);
            forget(&tmp);
            if let Err(source) = renamed {
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
            let _ = std::fs::remove_file(&tmp);
            forget(&tmp);
        }
    }
}

/// A hidden name beside `path` for this process's `tag` (`.claims.csv.slacredit-4242`): where
/// an output is made before it takes `path`'s place.
fn beside(path: &Path, tag: &str) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{base}.{tag}-{}", std::process::id()))
}

/// Writes `files` (name, text) as the folder `dir`, replacing it whole: they are written into
/// a folder beside it, which then takes its place, and the old folder goes only once it has, so
/// a failure (or a signal) leaves the previous folder as it was. Only a folder of files ending
/// in one of `kinds` is replaced: never a file, nor a folder holding anything else (an input).
pub fn write_folder(dir: &Path, files: &[(String, String)], kinds: &[&str]) -> Result<(), Failure> {
    let io = |path: &Path, source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::Usage(format!(
            "--output-dir: {} is a file, not a folder",
            dir.display()
        )));
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let foreign = entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !e.file_type().is_ok_and(|t| t.is_file())
                || !kinds.iter().any(|k| name.ends_with(&format!(".{k}")))
        });
        if foreign {
            return Err(Failure::Usage(format!(
                "--output-dir: {} holds more than letters; name a new folder or one of letters",
                dir.display()
            )));
        }
    }
    let partial = beside(dir, "partial");
    let _ = std::fs::remove_dir_all(&partial);
    remember(&partial);
    let written = std::fs::create_dir_all(&partial)
        .map_err(|e| io(&partial, e))
        .and_then(|()| {
            files.iter().try_for_each(|(name, text)| {
                let path = partial.join(name);
                std::fs::write(&path, text).map_err(|e| io(&path, e))
            })
        });
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&partial);
        forget(&partial);
        return Err(e.into());
    }
    let old = beside(dir, "old");
    let had = dir.exists();
    if had {
        if let Err(e) = std::fs::rename(dir, &old) {
            let _ = std::fs::remove_dir_all(&partial);
            forget(&partial);
            return Err(io(dir, e).into());
        }
    }
    let placed = std::fs::rename(&partial, dir);
    forget(&partial);
    if let Err(e) = placed {
        if had {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&partial);
        return Err(io(dir, e).into());
    }
    if had {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// The temporary files and folders of outputs being written: removed if a signal ends the run,
/// so that runs stopped by cron or `timeout` leave nothing behind.
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remember(tmp: &Path) {
    PENDING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tmp.to_path_buf());
}

fn forget(tmp: &Path) {
    PENDING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|p| p != tmp);
}

/// From now on, SIGINT and SIGTERM remove the temporary files of unfinished reports and end
/// the process with 128 + the signal's number (130, 143), as a shell would report it.
#[cfg(unix)]
pub fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
            for tmp in pending {
                let _ = if tmp.is_dir() {
                    std::fs::remove_dir_all(tmp)
                } else {
                    std::fs::remove_file(tmp)
                };
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Elsewhere, signals end the process as the system does.
#[cfg(not(unix))]
pub fn clean_up_on_signals() {}

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
            slacredit::report::percent(c.commitment()),
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
            .map(|(c, w)| slacredit::report::pad(c, *w))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long report replacing a file is the new report whole, byte for byte, and nothing else
    /// is left beside it.
    #[test]
    fn a_long_report_replacing_a_file_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("claims.csv");
        std::fs::write(&path, "the old report\n").unwrap();
        let line = "sub-0000001,2018-11,84,99.805556,10,672.32,USD\n".repeat(1_000);
        let mut sink = Sink::open(Some(&path)).unwrap();
        for _ in 0..500 {
            sink.write(&line).unwrap();
        }
        sink.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.len(), 500 * line.len());
        assert!(written
            .lines()
            .all(|l| l == "sub-0000001,2018-11,84,99.805556,10,672.32,USD"));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }
}
