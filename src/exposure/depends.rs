//! The dependency file of `slacredit exposure` (SPEC 2.8): which of our services run on which
//! upstream scopes, and how much of ours fails when they do.

use crate::error::{Error, Problem, Problems};
use crate::money::parse_decimal;
use crate::scope::Scope;
use crate::yaml::{Located, Seg};
use rust_decimal::Decimal;
use serde::Deserialize;
use smol_str::SmolStr;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDependency {
    our: BTreeMap<String, String>,
    on: Vec<BTreeMap<String, String>>,
    all: Option<bool>,
    impact: Option<String>,
    cause: Option<String>,
}

/// One of our services and the upstream scopes it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Our scope labels: the derived windows carry them.
    pub our: Scope,
    /// The upstream scopes it runs on, each matched as a whole scope.
    pub on: Vec<Scope>,
    /// Down only when every `on` scope is down at once (else when any is).
    pub all: bool,
    /// How much of ours fails when they fail, in (0, 1].
    pub impact: Decimal,
    /// The cause the derived windows carry (`None`: unplanned).
    pub cause: Option<SmolStr>,
    /// Its line in the file.
    pub line: Option<usize>,
}

/// A dependency file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependencies {
    /// The file it was read from, for messages.
    pub file: String,
    /// The dependencies, in file order.
    pub list: Vec<Dependency>,
}

impl Dependencies {
    /// Parses and checks a dependency file: `our` and `on` required and not empty, labels with
    /// concrete values, `impact` in (0, 1], unknown keys refused; every problem at once.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem, located by file, line and field.
    ///
    /// ```
    /// let d = slacredit::exposure::Dependencies::from_yaml("depends.yaml",
    ///     "- our: { service: streaming }\n  on: [{ service: ec2, region: ap-northeast-2 }]\n").unwrap();
    /// assert_eq!(d.list[0].impact.to_string(), "1");
    /// ```
    pub fn from_yaml(file: &str, text: &str) -> Result<Dependencies, Error> {
        let doc = Located::<Vec<RawDependency>>::parse(file, text).map_err(Error::Invalid)?;
        let mut problems = Problems::new();
        let mut list = Vec::new();
        for (i, raw) in doc.value.iter().enumerate() {
            let mut fail = |key: &'static str, message: String| {
                problems.push(
                    Problem::new(file, message)
                        .at(doc
                            .line_of(&[Seg::Index(i), Seg::Key(key)])
                            .or(doc.line_of(&[Seg::Index(i)])))
                        .field(format!("[{i}].{key}")),
                );
            };
            let mut ok = true;
            let mut scope = |key: &'static str, labels: &BTreeMap<String, String>| {
                if labels.is_empty() {
                    fail(key, "expected at least one scope label".to_owned());
                    ok = false;
                }
                for (k, v) in labels {
                    let v = v.trim();
                    if k.trim().is_empty() || v.is_empty() || v == "*" {
                        fail(
                            key,
                            format!("scope label {k:?} needs a concrete value (not empty or *)"),
                        );
                        ok = false;
                    } else if let Some(c) = crate::input::control_character(v) {
                        fail(key, format!("{c} in {v:?}; no value may hold one"));
                        ok = false;
                    }
                }
                labels
                    .iter()
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .collect::<Scope>()
            };
            let our = scope("our", &raw.our);
            let on: Vec<Scope> = raw.on.iter().map(|s| scope("on", s)).collect();
            if raw.on.is_empty() {
                fail("on", "expected at least one upstream scope".to_owned());
                ok = false;
            }
            let impact = match &raw.impact {
                None => Some(Decimal::ONE),
                Some(text) => {
                    match parse_decimal(text) {
                        Ok(d) if d > Decimal::ZERO && d <= Decimal::ONE => Some(d),
                        _ => {
                            fail(
                            "impact",
                            format!("expected a number greater than 0 and at most 1, found {text:?}"),
                        );
                            None
                        }
                    }
                }
            };
            let cause = match raw.cause.as_deref().map(str::trim) {
                None | Some("unplanned") => None,
                Some("") => {
                    fail(
                        "cause",
                        "expected a cause such as unplanned or maintenance".to_owned(),
                    );
                    ok = false;
                    None
                }
                Some(c) => Some(SmolStr::new(c)),
            };
            if let (true, Some(impact)) = (ok, impact) {
                list.push(Dependency {
                    our,
                    on,
                    all: raw.all.unwrap_or(false),
                    impact,
                    cause,
                    line: doc.line_of(&[Seg::Index(i)]),
                });
            }
        }
        problems.into_result(Dependencies {
            file: file.to_owned(),
            list,
        })
    }
}
