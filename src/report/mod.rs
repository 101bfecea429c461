//! Reports: the same claims printed for machines (JSON, CSV) and people (table). One file per
//! format; the printed forms of numbers are shared and part of the interface (SPEC 5).

pub mod audit;
pub mod csv;
pub mod deadlines;
pub mod html;
pub mod json;
pub mod letter;
pub mod reconcile;
pub mod table;
pub mod terms;

pub use crate::printed::{for_reading, minutes, money, percent, uptime};
pub(crate) use crate::printed::{push_minutes, push_money, push_percent, push_uptime, text};

/// The tool's name and version, as printed in reports.
pub fn tool() -> String {
    format!("slacredit {}", env!("CARGO_PKG_VERSION"))
}

/// `cell` padded with spaces to `width` characters, counted as `format!("{cell:<width$}")`
/// counts them, which panics on widths of 65,536 and more (a customer name can be that long).
pub fn pad(cell: &str, width: usize) -> String {
    let mut out = String::with_capacity(cell.len() + width);
    out.push_str(cell);
    let n = cell.chars().count();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}

/// `text` as a spreadsheet shows it instead of running it: after a `'` when it starts as a
/// formula does (`=`, `+`, `-`, `@`, a tab, a carriage return), as OWASP recommends for CSV.
/// For text cells only (ids, names, notes): numbers are never passed here.
pub(crate) fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}
