//! Reading an import document: JSON syntax, the responses it holds, items deserialised one at a
//! time (so one bad item does not hide the others), times as the tools write them, and where
//! each item is for messages.

use crate::error::{Error, Problem};
use crate::time::Instant;
use chrono_tz::Tz;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Parses the JSON of an import file.
pub(super) fn parse(file: &str, text: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        let p = Problem::new(file, format!("expected a JSON document: {message}"));
        let p = if e.line() > 0 {
            p.at_line(e.line()).at_column(Some(e.column()))
        } else {
            p
        };
        Error::problem(p)
    })
}

/// The responses a file holds: one response object, or a list of them (where a response is
/// itself a list, as Google's is, a list of lists).
pub(super) fn responses(value: &Value, response_is_list: bool) -> Vec<(String, &Value)> {
    match value {
        Value::Array(items)
            if !response_is_list || items.iter().all(|i| matches!(i, Value::Array(_))) =>
        {
            if response_is_list && items.is_empty() {
                return vec![(String::new(), value)];
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), v))
                .collect()
        }
        _ => vec![(String::new(), value)],
    }
}

/// Where an item is: its path in the document (`[1].incidents[3]`), what it is, and its id.
#[derive(Debug, Clone)]
pub(super) struct At {
    pub(super) path: String,
    pub(super) what: &'static str,
    pub(super) id: Option<String>,
}

impl At {
    pub(super) fn new(path: String, what: &'static str, item: &Value, id_key: &str) -> At {
        let id = match item.get(id_key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        At { path, what, id }
    }

    /// `incident p8bzd1x2wtj5` or, without an id, `incident incidents[3]`.
    pub(super) fn describe(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {id:?} ({})", self.what, self.path),
            None => format!("{} {}", self.what, self.path),
        }
    }

    /// `incident "p8bzd1x2wtj5"`, or the kind of item alone without an id.
    pub(super) fn who(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {id:?}", self.what),
            None => self.what.to_owned(),
        }
    }

    /// The item's path alone (`incidents[3]`).
    pub(super) fn describe_path(&self) -> String {
        self.path.clone()
    }

    /// A problem of this item's `field` (the item itself when empty).
    pub(super) fn problem(
        &self,
        file: &str,
        field: &str,
        message: impl std::fmt::Display,
    ) -> Problem {
        let path = match field {
            "" => self.path.clone(),
            f if f.starts_with('-') => f.to_owned(),
            f => format!("{}.{f}", self.path),
        };
        let who = self.who();
        let message = message.to_string();
        let message = if message.starts_with(&format!("{} ", self.what)) {
            message
        } else {
            format!("{who}: {message}")
        };
        Problem::new(file, message).field(path)
    }
}

/// The list at `key` of a response (`null` or absent: none), or a problem when it is not one.
pub(super) fn list<'v>(
    response: &'v Value,
    key: &str,
    at: &str,
    problems: &mut Vec<Problem>,
    file: &str,
) -> &'v [Value] {
    match response.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.push(
                Problem::new(file, format!("expected a list, found {}", kind(other)))
                    .field(join(at, key)),
            );
            &[]
        }
    }
}

/// `a.b`, or `b` at the top.
pub(super) fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

/// What a JSON value is, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An item deserialised into its typed shape, or the problem with the path of the field at
/// fault.
pub(super) fn item<T: DeserializeOwned>(file: &str, at: &At, value: &Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { "" } else { field.as_str() };
        let mut message = e.inner().to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        at.problem(file, field, message)
    })
}

/// A time as the tools write it: RFC 3339 text, or epoch seconds (a number, or its text).
/// Read only when used: a firing alert's `endsAt` of year 1 is never read.
#[derive(Debug, Clone)]
pub(super) enum Time {
    Text(String),
    /// The number's digits as written (never through a binary float).
    Epoch(String),
}

impl Time {
    pub(super) fn instant(&self, zone: Option<Tz>) -> Result<Instant, String> {
        match self {
            Time::Text(t) => {
                let t = t.trim();
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    return epoch(t);
                }
                Instant::parse(t, zone).map_err(String::from)
            }
            Time::Epoch(n) => epoch(n),
        }
    }
}

/// Epoch seconds, fractions dropped (downtime is measured to the second).
pub(super) fn epoch(text: &str) -> Result<Instant, String> {
    let expected = || format!("expected epoch seconds or an RFC 3339 time, found {text}");
    let d: Decimal = text.parse().map_err(|_| expected())?;
    let seconds = d.floor().to_i64().ok_or_else(expected)?;
    Instant::checked_unix_seconds(seconds)
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Time::Text(s)),
            Value::Number(n) => Ok(Time::Epoch(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a time (RFC 3339 text or epoch seconds), found {}",
                kind(&other)
            ))),
        }
    }
}

/// A JSON `null` read as the field's default, as if it were absent (SPEC 2.5).
pub(super) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Text that may be written as a number (an id `777749809`), as its digits.
#[derive(Debug, Clone, Default)]
pub(super) struct Text(pub(super) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Text(s)),
            Value::Number(n) => Ok(Text(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected text or a number, found {}",
                kind(&other)
            ))),
        }
    }
}

/// A scalar field of an item as text (for `copy` and `match`); `None` for absent, null,
/// lists and objects.
pub(super) fn scalar(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
