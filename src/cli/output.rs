//! Printing and writing: errors to stderr, reports to stdout or to a file replaced atomically.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::contract::Contract;
use crate::error::Error;
use std::io::Write;
use std::path::Path;

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
        }
        other => eprintln!("error: {other}"),
    }
}

/// Writes `text` to `path` (via a temporary file renamed into place, so a failure leaves the old
/// file as it was) or to standard output.
pub fn write(path: Option<&Path>, text: &str) -> Result<(), Error> {
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|source| Error::Io {
                path: "<stdout>".into(),
                source,
            });
    };
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.slacredit-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
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
