//! All YAML parsing lives here (JSON inputs too: JSON is read as the YAML it is, so numbers keep
//! their exact text and errors carry lines the same way).
//!
//! serde gives locations only for syntax and type errors. Checks made after deserialising (tiers
//! out of order, an end before its start) are located with [`Located::line_of`], which walks the
//! source's indentation along a field path. It is a locator for messages, never a parser: when the
//! layout is unusual it falls back to the nearest enclosing line it did find.

use crate::error::{Problem, Problems};
use serde::de::DeserializeOwned;

/// Largest YAML input accepted, in bytes. Contracts and hand-written lists are small; a larger file
/// is a mistake or an attack (and CSV is the format for bulk windows).
pub const MAX_YAML_BYTES: usize = 64 * 1024 * 1024;

/// Deepest nesting of `[...]`/`{...}` accepted. The YAML parser slows down sharply on deep flow
/// nesting (100,000 brackets take minutes), and no real input nests more than a few levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The line at which flow brackets nest deeper than [`MAX_FLOW_DEPTH`], if they do. Quoted
/// strings and comments are skipped; anything unusual is left to the parser.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut previous = '\n';
    // The last character that was not a space: a bracket opens a collection only after one of
    // these (elsewhere it is text inside a plain scalar).
    let mut last_solid = '\n';
    while let Some(c) = chars.next() {
        match (quote, c) {
            // Quoted scalars may span lines: a line end changes nothing but the count.
            (_, '\n') => line += 1,
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            (None, '[' | '{') if matches!(last_solid, '\n' | ':' | '-' | '[' | '{' | ',' | '?') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(line);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
        if !c.is_whitespace() || c == '\n' {
            last_solid = c;
        }
    }
    None
}

/// A step in a field path: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// `key:`
    Key(&'a str),
    /// The n-th `- ` item (0-based).
    Index(usize),
}

/// A parsed document that remembers its source, to locate later problems.
pub struct Located<T> {
    /// The deserialised value.
    pub value: T,
    text: String,
}

impl<T: DeserializeOwned> Located<T> {
    /// Parses `text` (the contents of `file`) into `T`.
    ///
    /// # Errors
    /// The syntax or type problem, located.
    pub fn parse(file: &str, text: &str) -> Result<Located<T>, Problems> {
        if text.len() > MAX_YAML_BYTES {
            return Err(Problems(vec![Problem::new(
                file,
                format!(
                    "file is larger than {} MiB; use CSV for bulk data",
                    MAX_YAML_BYTES >> 20
                ),
            )]));
        }
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---")
        {
            return Err(Problems(vec![
                Problem::new(file, "file is empty").at_line(1)
            ]));
        }
        if let Some(line) = too_deep(text) {
            return Err(Problems(vec![Problem::new(
                file,
                format!("brackets nested deeper than {MAX_FLOW_DEPTH} levels; no input needs that"),
            )
            .at_line(line)]));
        }
        match serde_yaml::from_str::<T>(text) {
            Ok(value) => Ok(Located {
                value,
                text: text.to_owned(),
            }),
            Err(e) => Err(Problems(vec![problem_from(file, &e)])),
        }
    }
}

impl<T> Located<T> {
    /// The line of the value at `path` (1-based), or of the nearest enclosing one found.
    pub fn line_of(&self, path: &[Seg<'_>]) -> Option<usize> {
        line_of(&self.text, path).or_else(|| json_line_of(&self.text, path))
    }

    /// The scalar text written after the key at `path`, as in the source (quotes removed).
    pub fn scalar_at(&self, path: &[Seg<'_>]) -> Option<String> {
        let (line, key) = match path.last()? {
            Seg::Key(k) => (self.line_of(path)?, *k),
            Seg::Index(_) => return None,
        };
        let source = self.text.lines().nth(line - 1)?;
        let after = source.split_once(&format!("{key}:"))?.1;
        let value = after.split(['#', ',', '}']).next()?.trim();
        Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned())
    }
}

fn problem_from(file: &str, e: &serde_yaml::Error) -> Problem {
    let mut message = e.to_string();
    // The location is carried separately; drop the parser's own " at line N column M".
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut field = None;
    // Type errors come as "path.to.field: message"; split the path off as the field.
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') && !path.is_empty() {
            // A list at the top is `.[2]` to the parser: `[2]` to a reader.
            field = Some(path.strip_prefix('.').unwrap_or(path).to_owned());
            message = rest.to_owned();
        }
    }
    let mut p = Problem::new(file, message);
    if let Some(loc) = e.location() {
        p = p.at_line(loc.line()).at_column(Some(loc.column()));
    }
    p.field = field;
    p
}

/// The line of each of the `n` items of a top-level list, found in one pass over the text (a
/// JSON array, or a YAML block sequence); `None` when the layout is not one of those, or the
/// items found are not `n` (the caller then locates each with [`Located::line_of`]).
pub(crate) fn item_lines(text: &str, n: usize) -> Option<Vec<Option<usize>>> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let mut lines = Vec::with_capacity(n);
    if trimmed.starts_with('[') {
        let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1usize, false, false);
        let mut expect_item = false;
        for c in text.chars() {
            if c == '\n' {
                line += 1;
            }
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            if expect_item && !c.is_whitespace() && c != ']' {
                lines.push(Some(line));
                expect_item = false;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' => {
                    depth += 1;
                    if depth == 1 && c == '[' {
                        expect_item = true;
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 1 => expect_item = true,
                _ => {}
            }
        }
    } else {
        let mut indent = None;
        for (i, l) in text.lines().enumerate() {
            let content = l.trim_start();
            if content == "-" || content.starts_with("- ") {
                let at = l.len() - content.len();
                if *indent.get_or_insert(at) == at {
                    lines.push(Some(i + 1));
                }
            }
        }
    }
    (lines.len() == n).then_some(lines)
}

/// `value` as YAML text (the imported windows of `slacredit import --format yaml`).
pub(crate) fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// The line of the value at `path` in YAML `text` (see [`Located::line_of`]).
pub(crate) fn line_in(text: &str, path: &[Seg<'_>]) -> Option<usize> {
    line_of(text, path)
}

#[derive(Clone)]
struct SourceLine<'a> {
    number: usize,
    indent: usize,
    content: &'a str,
}

fn line_of(text: &str, path: &[Seg<'_>]) -> Option<usize> {
    let mut block: Vec<SourceLine<'_>> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let content = l.trim_start();
            if content.is_empty() || content.starts_with('#') || content == "---" {
                return None;
            }
            Some(SourceLine {
                number: i + 1,
                indent: l.len() - content.len(),
                content,
            })
        })
        .collect();
    let mut found = None;
    for seg in path {
        if block.is_empty() {
            break;
        }
        // A flow collection on one line ({ a: 1 } or [..]): the line is as close as it gets.
        if block.len() == 1
            && (block[0].content.starts_with('{') || block[0].content.starts_with('['))
        {
            return Some(block[0].number);
        }
        let top = block.iter().map(|l| l.indent).min()?;
        match *seg {
            Seg::Key(key) => {
                let pos = block
                    .iter()
                    .position(|l| l.indent == top && key_rest(l.content, key).is_some());
                let Some(pos) = pos else { break };
                let line = block[pos].clone();
                found = Some(line.number);
                let rest = key_rest(line.content, key).unwrap_or("").trim();
                if !rest.is_empty() && !rest.starts_with('#') {
                    block = vec![SourceLine {
                        number: line.number,
                        indent: line.indent + 1,
                        content: rest,
                    }];
                } else {
                    block = block[pos + 1..]
                        .iter()
                        .take_while(|l| {
                            l.indent > top || (l.indent == top && l.content.starts_with("- "))
                        })
                        .cloned()
                        .collect();
                }
            }
            Seg::Index(n) => {
                let items: Vec<usize> = block
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.indent == top && (l.content.starts_with("- ") || l.content == "-")
                    })
                    .map(|(i, _)| i)
                    .collect();
                let Some(&start) = items.get(n) else { break };
                let end = items.get(n + 1).copied().unwrap_or(block.len());
                let first = block[start].clone();
                found = Some(first.number);
                let inner = first.content[1..].trim_start();
                let mut next = Vec::new();
                if !inner.is_empty() {
                    let indent = first.indent + (first.content.len() - inner.len());
                    next.push(SourceLine {
                        number: first.number,
                        indent,
                        content: inner,
                    });
                }
                next.extend(block[start + 1..end].iter().cloned());
                block = next;
            }
        }
    }
    found
}

/// The line of `path` in a list written as JSON (`[{"key": …}, …]`, which the YAML layout
/// [`line_of`] follows does not see): the line of the item's key, else of the item.
fn json_line_of(text: &str, path: &[Seg<'_>]) -> Option<usize> {
    let (n, key) = match path {
        [Seg::Index(n)] => (*n, None),
        [Seg::Index(n), Seg::Key(k), ..] => (*n, Some(*k)),
        _ => return None,
    };
    if !text.trim_start().starts_with('[') {
        return None;
    }
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut item) = (0usize, 1usize, 0usize);
    let (mut item_line, mut expect_item) = (None, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => line += 1,
            b'"' => {
                // To the string's end; a key at the item's own level is followed by `:`.
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let name = text.get(start..i.min(bytes.len()));
                let colon = text.get(i + 1..).map(|r| r.trim_start().starts_with(':'));
                if depth == 1 && expect_item {
                    expect_item = false;
                    item_line = (item == n).then_some(line).or(item_line);
                }
                if depth == 2 && item == n && colon == Some(true) && name == key {
                    return Some(line);
                }
            }
            b' ' | b'\t' | b'\r' => {}
            _ => {
                if depth == 1 && expect_item && b != b']' {
                    expect_item = false;
                    if item == n {
                        item_line = Some(line);
                    }
                }
                match b {
                    b'[' | b'{' => {
                        depth += 1;
                        if depth == 1 {
                            expect_item = true;
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    b',' if depth == 1 => {
                        item += 1;
                        expect_item = true;
                        if item > n {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    item_line
}

/// What follows `key:` at the start of `content`, if it starts with that key (plain or quoted).
fn key_rest<'a>(content: &'a str, key: &str) -> Option<&'a str> {
    for quote in ["", "\"", "'"] {
        if let Some(rest) = content
            .strip_prefix(quote)
            .and_then(|c| c.strip_prefix(key))
        {
            if let Some(rest) = rest
                .strip_prefix(quote)
                .and_then(|r| r.trim_start().strip_prefix(':'))
            {
                return Some(rest);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id: x\ncredits:\n  tiers:\n    - { below: 99.99, percent: 10 }\n    - below: 99.0\n      percent: 30\n  rounding: half-up\nlist:\n- a: 1\n- a: 2\n";

    #[test]
    fn deep_flow_nesting_is_found_and_text_brackets_are_not() {
        assert_eq!(
            too_deep(&format!("a: {}{}\n", "[".repeat(65), "]".repeat(65))),
            Some(1)
        );
        assert_eq!(
            too_deep(&format!("a: {}{}\n", "[".repeat(64), "]".repeat(64))),
            None
        );
        let text: String = (0..200)
            .map(|i| format!("- note {i} [see a, or \"[[[\" or '{{' # [[[\n"))
            .collect();
        assert_eq!(too_deep(&text), None);
    }

    #[test]
    fn finds_nested_keys_and_items() {
        let l = |p: &[Seg<'_>]| line_of(DOC, p);
        assert_eq!(l(&[Seg::Key("id")]), Some(1));
        assert_eq!(l(&[Seg::Key("credits"), Seg::Key("rounding")]), Some(7));
        assert_eq!(
            l(&[
                Seg::Key("credits"),
                Seg::Key("tiers"),
                Seg::Index(0),
                Seg::Key("below")
            ]),
            Some(4)
        );
        assert_eq!(
            l(&[
                Seg::Key("credits"),
                Seg::Key("tiers"),
                Seg::Index(1),
                Seg::Key("percent")
            ]),
            Some(6)
        );
        assert_eq!(
            l(&[Seg::Key("list"), Seg::Index(1), Seg::Key("a")]),
            Some(10)
        );
        // Missing keys fall back to the nearest enclosing line.
        assert_eq!(l(&[Seg::Key("credits"), Seg::Key("cap")]), Some(2));
    }
}
