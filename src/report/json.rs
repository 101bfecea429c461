//! JSON for billing systems: schema `slacredit/claims/v1` (SPEC 5). Decimals are strings in
//! their printed forms; keys keep the documented order.

use super::{money, tool};
use crate::claim::Claim;
use crate::claim::Claims;
use crate::input::InputFile;
use serde::Serialize;

#[derive(Serialize)]
struct Total {
    currency: String,
    credit: String,
    /// Only where a contract of the run has earn-back (SPEC 2.7).
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<String>,
}

/// `value` pretty-printed for its place `depth` levels into a document: every line after the
/// first (which follows a key or an indent already written) indented two spaces a level.
pub(crate) fn nested<T: Serialize>(value: &T, depth: usize) -> String {
    let mut out = Vec::new();
    print_nested(&mut out, value, depth);
    super::text(out)
}

/// Appends [`nested`]'s text to `out`, printed in place: no string of its own, nothing to
/// re-indent afterwards (an audit prints millions of rows).
fn print_nested<T: Serialize>(out: &mut Vec<u8>, value: &T, depth: usize) {
    let formatter = Indented {
        depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    // Serialising plain structs of strings into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// The document up to and including `"claims": [`.
pub fn header(files: &[InputFile]) -> String {
    header_with("slacredit/claims/v1", None, files, "claims")
}

/// A document's opening: schema, tool, the year where there is one, inputs, and the opening of
/// the array named `array`.
pub(crate) fn header_with(
    schema: &str,
    year: Option<i32>,
    files: &[InputFile],
    array: &str,
) -> String {
    let year = year
        .map(|y| format!("\n  \"year\": {y},"))
        .unwrap_or_default();
    format!(
        "{{\n  \"schema\": {},\n  \"tool\": {},{year}\n  \"inputs\": {},\n  \"{array}\": [",
        nested(&schema, 0),
        nested(&tool(), 0),
        nested(&files, 1)
    )
}

/// Claims as array elements, indented for their place in the document and separated by commas;
/// empty for no claims.
pub fn claims_chunk(claims: &[Claim]) -> String {
    elements(claims.iter())
}

/// Values as elements of a top-level array: indented, separated by commas.
pub(crate) fn elements<T: Serialize>(values: impl Iterator<Item = T>) -> String {
    let mut out = Vec::new();
    for (i, v) in values.enumerate() {
        out.extend_from_slice(if i > 0 { b",\n    " } else { b"    " });
        print_nested(&mut out, &v, 2);
    }
    super::text(out)
}

/// `serde_json`'s pretty printing (two spaces a level), from `depth` levels in.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(b)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The rest of the document after the claims; `any` says whether there were claims.
pub fn footer(any: bool, totals: &[crate::compute::Total]) -> String {
    let totals: Vec<Total> = totals
        .iter()
        .map(|t| Total {
            currency: t.currency.code().to_owned(),
            credit: money(t.credit, t.currency),
            due: t.due.map(|d| money(d, t.currency)),
            pending: t.pending.map(|p| money(p, t.currency)),
        })
        .collect();
    format!(
        "{}],\n  \"totals\": {}\n}}\n",
        if any { "\n  " } else { "" },
        nested(&totals, 1)
    )
}

/// The claims as pretty-printed JSON, ending with a newline.
pub fn render(claims: &Claims) -> String {
    let body = claims_chunk(&claims.claims);
    let mut out = header(&claims.inputs);
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&body);
    }
    out.push_str(&footer(!body.is_empty(), &claims.totals));
    out
}
