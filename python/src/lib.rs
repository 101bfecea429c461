//! The compiled half of the `slacredit` Python package: each function takes a request (the JSON
//! document `slacredit claim --request` reads, built by `python/slacredit/_request.py`), runs
//! the Rust library on it, and hands back the report's JSON text with its values already typed
//! for Python (decimal.Decimal, timezone-aware datetime, date). Nothing is computed here: the
//! claims, their printed forms and the documents are the library's.

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rust_decimal::Decimal;
use serde_json::Value;
use slacredit::load::Fingerprints;
use slacredit::period::PeriodSpan;
use slacredit::request::Request;
use slacredit::{report, Error, Selection};

/// A problem as `slacredit.Problem` takes it: file, line, column, field, message.
type ProblemTuple = (String, Option<usize>, Option<usize>, Option<String>, String);

/// A library error as the Python exception the package documents: `InvalidInput` with every
/// located problem, `OSError` for a file that cannot be read.
fn raise(py: Python<'_>, error: Error) -> PyErr {
    match error {
        Error::Invalid(problems) => {
            let list: Vec<ProblemTuple> = problems
                .0
                .into_iter()
                .map(|p| (p.file, p.line, p.column, p.field, p.message))
                .collect();
            let class = py
                .import("slacredit._errors")
                .and_then(|m| m.getattr("InvalidInput"));
            match class.and_then(|c| c.call1((list,))) {
                Ok(exception) => PyErr::from_value(exception),
                Err(e) => e,
            }
        }
        Error::Io { path, source } => PyOSError::new_err(format!("{path}: {source}")),
    }
}

/// What Python values a document's strings become, by their key.
#[derive(Clone, Copy)]
enum Shape {
    /// Claims, audits, reconciliations: `slacredit/*/v1` documents.
    Report,
    /// Windows: `start`, `end`, `impact`, `announced_at`; every other key is a label.
    Windows,
}

impl Shape {
    fn decimal(self, key: &str) -> bool {
        match self {
            Shape::Report => matches!(
                key,
                "eligible_minutes"
                    | "downtime_minutes"
                    | "excluded_minutes"
                    | "uptime_percent"
                    | "commitment_percent"
                    | "credit_percent"
                    | "basis"
                    | "credit"
                    | "more_downtime_minutes"
                    | "credit_before_caps"
                    | "annual_cap_remaining"
                    | "credit_before_earn_back"
                    | "due"
                    | "pending"
                    | "computed"
                    | "issued"
                    | "difference"
            ),
            Shape::Windows => key == "impact",
        }
    }

    fn instant(self, key: &str) -> bool {
        match self {
            Shape::Report => matches!(key, "period_start" | "period_end" | "start" | "end"),
            Shape::Windows => matches!(key, "start" | "end" | "announced_at"),
        }
    }

    fn date(self, key: &str) -> bool {
        matches!(self, Shape::Report) && matches!(key, "claim_deadline" | "deadline")
    }
}

/// A JSON value of a document as Python values: decimals, instants and dates by their key,
/// counts as int, the rest as they are.
fn to_py<'py>(
    py: Python<'py>,
    shape: Shape,
    key: &str,
    value: &Value,
) -> PyResult<Bound<'py, PyAny>> {
    let bad =
        |what: &str, text: &str| PyValueError::new_err(format!("{key}: {text:?} is no {what}"));
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            let text = n.to_string();
            match text.parse::<i64>() {
                Ok(i) => i.into_pyobject(py)?.into_any(),
                Err(_) => Decimal::from_str_exact(&text)
                    .map_err(|_| bad("number", &text))?
                    .into_pyobject(py)?
                    .into_any(),
            }
        }
        Value::String(s) if shape.decimal(key) => Decimal::from_str_exact(s)
            .map_err(|_| bad("decimal", s))?
            .into_pyobject(py)?
            .into_any(),
        Value::String(s) if shape.instant(key) => chrono::DateTime::parse_from_rfc3339(s)
            .map_err(|_| bad("RFC 3339 time", s))?
            .with_timezone(&chrono::Utc)
            .into_pyobject(py)?
            .into_any(),
        Value::String(s) if shape.date(key) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| bad("date", s))?
            .into_pyobject(py)?
            .into_any(),
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|v| to_py(py, shape, key, v))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, shape, k, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A document's text and its values typed for Python.
fn typed<'py>(py: Python<'py>, shape: Shape, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| PyValueError::new_err(format!("the library's JSON did not read back: {e}")))?;
    to_py(py, shape, "", &value)
}

/// The claims of `request` (named `name` in messages), as `slacredit claim --request` finds
/// them: the whole `slacredit/claims/v1` document, typed, and each claim's own JSON object.
#[pyfunction]
fn compute<'py>(
    py: Python<'py>,
    request: &str,
    name: &str,
) -> PyResult<(String, Bound<'py, PyAny>, Vec<String>)> {
    let result = py.detach(|| -> Result<_, Error> {
        let request = Request::parse(name, request, Fingerprints::Taken)?;
        let mut loaded = request.load()?;
        let claims = loaded.run(request.selection())?.collect();
        let each = claims
            .claims
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .collect();
        Ok((report::json::render(&claims), each))
    });
    let (document, each) = result.map_err(|e| raise(py, e))?;
    let value = typed(py, Shape::Report, &document)?;
    Ok((document, value, each))
}

/// The claims of `request` as `slacredit claim --format csv` prints them (header included),
/// written as they are computed: for volume (the Arrow path), where no claim is built.
#[pyfunction]
#[pyo3(signature = (request, name, columns=None))]
fn compute_csv(
    py: Python<'_>,
    request: &str,
    name: &str,
    columns: Option<&str>,
) -> PyResult<String> {
    // Without `columns`, the default ones of the run (see below).
    let columns = match columns {
        None => None,
        Some(list) => Some(
            report::csv::Columns::parse(list)
                .map_err(|e| PyValueError::new_err(format!("columns: {e}")))?,
        ),
    };
    let result = py.detach(|| -> Result<String, Error> {
        let request = Request::parse(name, request, Fingerprints::Skipped)?;
        let mut loaded = request.load()?;
        // As the command: without the next-tier columns a row needs only the figures.
        let selection = Selection {
            detail: if columns.as_ref().is_none_or(|c| c.needs_next_tier()) {
                slacredit::Detail::Full
            } else {
                slacredit::Detail::Figures
            },
            ..request.selection().clone()
        };
        let run = loaded.run(&selection)?;
        let columns =
            columns.unwrap_or_else(|| report::csv::Columns::default_for(run.has_earn_back()));
        let mut text = columns.header();
        run.stream_with(
            |n| columns.writer(n),
            |rows| rows.finish(),
            |part| {
                text.push_str(&part);
                Ok(())
            },
        )?;
        Ok(text)
    });
    result.map_err(|e| raise(py, e))
}

/// The request's selection with the periods of `year`.
fn year_of(request: &Request, year: i32) -> Result<Selection, Error> {
    let span =
        PeriodSpan::year(year).map_err(|e| Error::problem(slacredit::Problem::new("year", e.0)))?;
    Ok(Selection {
        periods: Some(span),
        ..request.selection().clone()
    })
}

/// The yearly audit of `request`'s inputs: the `slacredit/audit/v1` document, and typed.
#[pyfunction]
fn audit<'py>(
    py: Python<'py>,
    request: &str,
    name: &str,
    year: i32,
) -> PyResult<(String, Bound<'py, PyAny>)> {
    let result = py.detach(|| -> Result<String, Error> {
        let request = Request::parse(name, request, Fingerprints::Taken)?;
        let mut loaded = request.load()?;
        let selection = year_of(&request, year)?;
        let claims = loaded.run(&selection)?.collect();
        Ok(report::audit::render_json(year, &claims))
    });
    let document = result.map_err(|e| raise(py, e))?;
    let value = typed(py, Shape::Report, &document)?;
    Ok((document, value))
}

/// The credits computed from `request`'s inputs for `year` against those issued (CSV text
/// `issued`, named `issued_name`): the `slacredit/reconcile/v1` document, typed, and whether
/// they agree.
#[pyfunction]
fn reconcile<'py>(
    py: Python<'py>,
    request: &str,
    name: &str,
    year: i32,
    issued_name: &str,
    issued: &str,
) -> PyResult<(String, Bound<'py, PyAny>, bool)> {
    let result = py.detach(|| -> Result<(String, bool), Error> {
        let request = Request::parse(name, request, Fingerprints::Taken)?;
        let mut loaded = request.load()?;
        let rows = slacredit::subscription::parse_amounts_csv(issued_name, issued)?;
        let selection = year_of(&request, year)?;
        let claims = loaded.run(&selection)?.collect();
        let mut files = claims.inputs.clone();
        files.push(slacredit::InputFile::new(issued_name, issued.as_bytes()));
        let result = slacredit::reconcile::reconcile(&claims.claims, &rows, |p| p.year() == year);
        Ok((
            report::reconcile::render_json(year, &files, &result),
            result.reconciles(),
        ))
    });
    let (document, agree) = result.map_err(|e| raise(py, e))?;
    let value = typed(py, Shape::Report, &document)?;
    Ok((document, value, agree))
}

/// Another tool's outage data (`tool`: statuspage, alertmanager, …) as windows, as `slacredit
/// import` writes them: CSV text, JSON text, the windows typed, and what the command tells of
/// what it left out (items that gave no window, names `unmapped: skip` dropped).
#[pyfunction]
#[pyo3(signature = (tool, name, text, map=None, labels=Vec::new(), open_until=None, input_timezone=None, source=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn import_windows<'py>(
    py: Python<'py>,
    tool: &str,
    name: &str,
    text: &str,
    map: Option<(String, String)>,
    labels: Vec<(String, String)>,
    open_until: Option<String>,
    input_timezone: Option<String>,
    source: Option<String>,
) -> PyResult<(String, String, Bound<'py, PyAny>, Vec<String>)> {
    use slacredit::import::{self, Format, Map, Options, OutputFormat};
    let format = Format::from_name(tool).ok_or_else(|| {
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        PyValueError::new_err(format!(
            "format: expected one of {}, found {tool:?}",
            known.join(", ")
        ))
    })?;
    let zone = match input_timezone.as_deref() {
        None => None,
        Some(z) => Some(z.parse::<slacredit::Tz>().map_err(|_| {
            PyValueError::new_err(format!(
                "input_timezone: expected an IANA zone such as Asia/Seoul, found {z:?}"
            ))
        })?),
    };
    let open_until = match open_until.as_deref() {
        None => None,
        Some(t) => Some(
            slacredit::Instant::parse(t, zone)
                .map_err(|e| PyValueError::new_err(format!("open_until: {e}")))?,
        ),
    };
    let result = py.detach(|| -> Result<_, Error> {
        let map = match &map {
            Some((map_name, map_text)) => Map::from_yaml(map_name, map_text)?,
            None => Map::default(),
        };
        let options = Options {
            map,
            labels,
            open_until,
            source,
            zone,
        };
        let imported = import::import(format, name, text, &options)?;
        let notes = imported.told(name);
        Ok((
            import::render(&imported.windows, OutputFormat::Csv),
            import::render(&imported.windows, OutputFormat::Json),
            notes,
        ))
    });
    let (csv, json, notes) = result.map_err(|e| raise(py, e))?;
    let value = typed(py, Shape::Windows, &json)?;
    Ok((csv, json, value, notes))
}

/// The version of the library inside, as its reports print it (`slacredit 0.1.0`).
#[pyfunction]
fn tool() -> String {
    report::tool()
}

#[pymodule]
fn _slacredit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compute, m)?)?;
    m.add_function(wrap_pyfunction!(compute_csv, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(import_windows, m)?)?;
    m.add_function(wrap_pyfunction!(tool, m)?)?;
    Ok(())
}
