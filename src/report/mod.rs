//! Reports: the same claims printed for machines (JSON, CSV) and people (table). One file per
//! format; the printed forms of numbers are shared and part of the interface (SPEC 5).

pub mod audit;
pub mod csv;
pub mod deadlines;
pub mod exposure;
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

/// Where a credit under earn-back stands, in words: `pending`, `due (2018-03 breached)`,
/// `forgiven (2018-04 met; 100.00 earned back)`.
pub fn earn_back_text(
    e: crate::claim::EarnBack,
    before: rust_decimal::Decimal,
    currency: crate::money::Currency,
) -> String {
    use crate::claim::EarnBackStatus;
    let decided = e.decided_in.map(|p| p.to_string()).unwrap_or_default();
    match e.status {
        EarnBackStatus::Pending => "pending".to_owned(),
        EarnBackStatus::Due => format!("due ({decided} breached)"),
        EarnBackStatus::Forgiven => format!(
            "forgiven ({decided} met; {} earned back)",
            for_reading(before, currency)
        ),
    }
}

/// A total's credits due and pending under earn-back, where the run has it:
/// ` (due 100.00, pending 50.00)`, else nothing.
pub fn due_and_pending(t: &crate::claim::Total) -> String {
    match (t.due, t.pending) {
        (Some(due), Some(pending)) => format!(
            " (due {}, pending {})",
            for_reading(due, t.currency),
            for_reading(pending, t.currency)
        ),
        _ => String::new(),
    }
}
