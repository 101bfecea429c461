//! CSV: one row per claim with the JSON's scalar fields, same names, order and printed forms;
//! `next_tier` flattened, `incidents` as a count (SPEC 5).

use super::{push_minutes, push_money, push_percent, push_uptime, text};
use crate::claim::Claims;
use crate::claim::{Claim, EarnBack, NextTier};
use crate::error::InvalidValue;
use crate::money::Currency;
use crate::period::PeriodId;
use crate::time::Instant;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Write;

mod stream;
pub use stream::RowWriter;

/// The header line's columns.
pub const COLUMNS: [&str; 25] = [
    "subscription",
    "customer",
    "contract",
    "period",
    "period_start",
    "period_end",
    "eligible_minutes",
    "downtime_minutes",
    "excluded_minutes",
    "uptime_percent",
    "commitment_percent",
    "breached",
    "credit_percent",
    "basis",
    "credit",
    "currency",
    "capped",
    "claim_deadline",
    "note",
    "next_tier_credit_percent",
    "next_tier_more_downtime_minutes",
    "incidents",
    // Under earn-back contracts only (SPEC 2.7): in the default columns when a contract of the
    // run has earn-back, else only when asked for by name.
    "earn_back_status",
    "earn_back_decided_in",
    "credit_before_earn_back",
];

/// How many of [`COLUMNS`] print by default: all but the earn-back ones.
const STANDARD: usize = 22;

/// The claims as CSV with a header, `\n` line ends.
pub fn render(claims: &Claims) -> String {
    let all = Columns::all();
    all.header() + &all.rows(&claims.claims)
}

/// The header line of all columns.
pub fn header() -> String {
    Columns::all().header()
}

/// One line per claim, all columns.
pub fn rows(claims: &[Claim]) -> String {
    Columns::all().rows(claims)
}

/// A choice of columns, in the order to print them (`--columns`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<usize>);

impl Columns {
    /// Every column of SPEC 5, in its order.
    pub fn all() -> Columns {
        Columns((0..STANDARD).collect())
    }

    /// The default columns of a run: with the earn-back ones when a contract of the run has
    /// earn-back (`earn_back`).
    pub fn default_for(earn_back: bool) -> Columns {
        Columns((0..if earn_back { COLUMNS.len() } else { STANDARD }).collect())
    }

    /// Parses a comma-separated list of column names.
    ///
    /// # Errors
    /// Names an unknown or repeated column and lists the valid ones.
    pub fn parse(list: &str) -> Result<Columns, InvalidValue> {
        // The messages are made as text, then typed for the caller to match.
        let inner = || -> Result<Columns, String> {
            let mut out = Vec::new();
            for name in list.split(',').map(str::trim) {
                let Some(i) = COLUMNS.iter().position(|c| *c == name) else {
                    return Err(format!(
                        "unknown column {name:?}; the columns are {}",
                        COLUMNS.join(",")
                    ));
                };
                if out.contains(&i) {
                    return Err(format!("column {name:?} is named twice"));
                }
                out.push(i);
            }
            Ok(Columns(out))
        };
        inner().map_err(InvalidValue)
    }

    /// Whether a next-tier column is chosen.
    pub fn needs_next_tier(&self) -> bool {
        self.0.iter().any(|&i| COLUMNS[i].starts_with("next_tier"))
    }

    /// The header line.
    pub fn header(&self) -> String {
        let names: Vec<&str> = self.0.iter().map(|&i| COLUMNS[i]).collect();
        names.join(",") + "\n"
    }

    /// One line per claim.
    pub fn rows(&self, claims: &[Claim]) -> String {
        let mut out = Vec::with_capacity(claims.len() * 24 * self.0.len());
        for c in claims {
            self.push_row(&mut out, &Row::of_claim(c));
        }
        text(out)
    }

    fn push_row(&self, out: &mut Vec<u8>, row: &Row<'_>) {
        push_cells(out, row, &self.0);
        out.push(b'\n');
    }
}

/// Appends the cells `cols` of `row`, separated by commas.
fn push_cells(out: &mut Vec<u8>, row: &Row<'_>, cols: &[usize]) {
    for (n, &col) in cols.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        cell(out, row, col);
    }
}

/// What a row prints of a claim, borrowed from the claim or from the parts it is computed from.
struct Row<'a> {
    own: Own<'a>,
    period: PeriodId,
    period_start: Instant,
    period_end: Instant,
    minutes: [Decimal; 3],
    uptime_percent: Decimal,
    commitment_percent: Decimal,
    breached: bool,
    credit_percent: Option<Decimal>,
    claim_deadline: Option<NaiveDate>,
    note: Option<&'a str>,
    next_tier: Option<NextTier>,
    incidents: usize,
}

/// The columns of a row that depend on the subscription or the price of its claim, not only on
/// the period's measurement and assessment (see [`is_own`]).
struct Own<'a> {
    subscription: &'a str,
    customer: &'a str,
    contract: &'a str,
    basis: Decimal,
    credit: Decimal,
    currency: Currency,
    capped: bool,
    earn_back: Option<EarnBack>,
    credit_before_earn_back: Option<Decimal>,
}

/// Whether column `col` is one of a row's [`Own`] columns: subscription, customer, contract;
/// basis, credit, currency, capped; the earn-back ones.
fn is_own(col: usize) -> bool {
    matches!(col, 0 | 1 | 2 | 13 | 14 | 15 | 16 | 22..)
}

impl<'a> Row<'a> {
    fn of_claim(c: &'a Claim) -> Row<'a> {
        Row {
            own: Own {
                subscription: &c.subscription,
                customer: &c.customer,
                contract: &c.contract,
                basis: c.basis,
                credit: c.credit,
                currency: c.currency,
                capped: c.capped,
                earn_back: c.earn_back,
                credit_before_earn_back: c.credit_before_earn_back,
            },
            period: c.period,
            period_start: c.period_start,
            period_end: c.period_end,
            minutes: [c.eligible_minutes, c.downtime_minutes, c.excluded_minutes],
            uptime_percent: c.uptime_percent,
            commitment_percent: c.commitment_percent,
            breached: c.breached,
            credit_percent: c.credit_percent,
            claim_deadline: c.claim_deadline,
            note: c.note.as_deref(),
            next_tier: c.next_tier,
            incidents: c.incidents.len(),
        }
    }
}

/// Appends column `col` of `c`, in its printed form.
fn cell(out: &mut Vec<u8>, c: &Row<'_>, col: usize) {
    match col {
        _ if is_own(col) => own_cell(out, &c.own, col),
        3 => c.period.push_to(out),
        4 => {
            let _ = write!(out, "{}", c.period_start);
        }
        5 => {
            let _ = write!(out, "{}", c.period_end);
        }
        6 => push_minutes(out, c.minutes[0]),
        7 => push_minutes(out, c.minutes[1]),
        8 => push_minutes(out, c.minutes[2]),
        9 => push_uptime(out, c.uptime_percent),
        10 => push_percent(out, c.commitment_percent),
        11 => out.extend_from_slice(if c.breached { b"true" } else { b"false" }),
        12 => {
            if let Some(p) = c.credit_percent {
                push_percent(out, p);
            }
        }
        17 => {
            if let Some(d) = c.claim_deadline {
                let _ = write!(out, "{d}");
            }
        }
        18 => field(out, c.note.unwrap_or("")),
        19 => {
            if let Some(n) = c.next_tier {
                push_percent(out, n.credit_percent);
            }
        }
        20 => {
            if let Some(n) = c.next_tier {
                push_minutes(out, n.more_downtime_minutes);
            }
        }
        _ => {
            let _ = write!(out, "{}", c.incidents);
        }
    }
}

/// Appends [`Own`] column `col` of `c` (one for which [`is_own`] holds), in its printed form.
fn own_cell(out: &mut Vec<u8>, c: &Own<'_>, col: usize) {
    match col {
        0 => field(out, c.subscription),
        1 => field(out, c.customer),
        2 => field(out, c.contract),
        13 => push_money(out, c.basis, c.currency),
        14 => push_money(out, c.credit, c.currency),
        15 => out.extend_from_slice(c.currency.code().as_bytes()),
        16 => out.extend_from_slice(if c.capped { b"true" } else { b"false" }),
        22 => {
            if let Some(e) = c.earn_back {
                out.extend_from_slice(e.status.name().as_bytes());
            }
        }
        23 => {
            if let Some(p) = c.earn_back.and_then(|e| e.decided_in) {
                p.push_to(out);
            }
        }
        _ => {
            if let Some(b) = c.credit_before_earn_back {
                push_money(out, b, c.currency);
            }
        }
    }
}

/// Appends a text field, quoted as RFC 4180 wants when it holds a comma, a quote or a line
/// break. A text starting as a spreadsheet formula does is written after a `'`
/// ([`super::inert`]), so that a spreadsheet opening the file shows it instead of running it (a
/// customer named `=1+2`); ids and names as people write them never start so.
pub(crate) fn field(out: &mut Vec<u8>, text: &str) {
    let text = &*super::inert(text);
    // Byte by byte: all four are ASCII, and ids are short.
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_commas_quotes_or_line_breaks_is_quoted() {
        let mut out = Vec::new();
        for t in ["Shop, Inc.", "The \"Best\" Shop", "two\nlines", "plain"] {
            field(&mut out, t);
            out.push(b'|');
        }
        assert_eq!(
            text(out),
            "\"Shop, Inc.\"|\"The \"\"Best\"\" Shop\"|\"two\nlines\"|plain|"
        );
    }

    #[test]
    fn columns_are_checked_by_name() {
        assert_eq!(
            Columns::parse("credit,subscription").unwrap().header(),
            "credit,subscription\n"
        );
        assert!(Columns::parse("credit,credit").is_err());
        assert!(Columns::parse("bogus")
            .unwrap_err()
            .to_string()
            .starts_with("unknown column \"bogus\""));
    }
}
