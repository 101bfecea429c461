//! Errors, one enum per layer, wrapped by [`Error`].
//!
//! Input problems are collected, not thrown: a loader keeps going after the first bad line so a
//! user sees every problem of a file at once ([`Problems`]). Each [`Problem`] names the file, the
//! line (and column where the parser gives one), the field and what was expected.

use std::fmt;

/// One located problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (`<memory>` for inputs built in code).
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where the parser gives one.
    pub column: Option<usize>,
    /// The field (or CSV column) at fault, where there is one.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem in `file` with no position yet.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    /// Sets the 1-based line.
    pub fn at_line(mut self, line: usize) -> Problem {
        self.line = Some(line);
        self
    }

    /// Sets the line only when one is known.
    pub fn at(mut self, line: Option<usize>) -> Problem {
        self.line = line.or(self.line);
        self
    }

    /// Sets the 1-based column.
    pub fn at_column(mut self, column: Option<usize>) -> Problem {
        self.column = column;
        self
    }

    /// Names the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Every problem found in the inputs, in the order found (file by file, line by line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Records all of another list.
    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else the problems as an [`Error`].
    pub fn into_result<T>(self, value: T) -> Result<T, Error> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self))
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// A single value that is not what was expected (a time, a period, a duration, an amount, a
/// currency code, a window's bounds), with a message saying what was expected and what was
/// found. Loaders turn it into a located [`Problem`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);

impl From<InvalidValue> for String {
    fn from(e: InvalidValue) -> String {
        e.0
    }
}

impl From<String> for InvalidValue {
    fn from(message: String) -> InvalidValue {
        InvalidValue(message)
    }
}

/// Anything that stops slacredit from producing claims.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inputs are invalid; every problem found is listed.
    #[error("{0}")]
    Invalid(Problems),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file as the user named it.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
}

impl Error {
    /// A single located problem as an error.
    pub fn problem(problem: Problem) -> Error {
        Error::Invalid(Problems(vec![problem]))
    }

    /// The error as problems to list with others: an unreadable file is one problem naming it.
    pub fn into_problems(self) -> Problems {
        match self {
            Error::Invalid(problems) => problems,
            Error::Io { path, source } => Problems(vec![Problem::new(path, source.to_string())]),
        }
    }
}
