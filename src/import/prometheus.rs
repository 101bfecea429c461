//! Prometheus: a range query response (`resultType: matrix`) of a success series
//! (`probe_success`, `up`). One window per run of consecutive failing samples of a series (a
//! sample fails when its value is below 1): from the first failing sample to the first passing
//! one after it; where the run ends at the series' end or at a gap (the next sample more than
//! 1.5 steps later; a step is the series' most common interval), the last failing sample plus
//! one step.

use super::doc::{self, nullable, At, Text};
use super::{Ctx, Draft};
use crate::time::Instant;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Series {
    #[serde(default, deserialize_with = "nullable")]
    metric: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable")]
    values: Vec<(Text, Text)>,
}

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    for (prefix, response) in doc::responses(value, false) {
        let here = |k: &str| doc::join(&prefix, k);
        if let Some(Value::String(status)) = response.get("status") {
            if status != "success" {
                let error = doc::scalar(response, "error").unwrap_or_default();
                ctx.fail_doc(format!(
                    "{}: the query failed ({status}): {error}",
                    here("status")
                ));
                continue;
            }
        }
        let Some(data) = response.get("data").filter(|d| d.is_object()) else {
            ctx.fail_doc(format!(
                "{}: expected a range query response with `data`, found {}",
                here("data"),
                response.get("data").map_or("nothing", doc::kind)
            ));
            continue;
        };
        match data.get("resultType") {
            Some(Value::String(t)) if t == "matrix" => {}
            other => {
                ctx.fail_doc(format!(
                    "{}: expected `matrix` (a range query), found {}",
                    here("data.resultType"),
                    other.map_or("nothing".to_owned(), |v| v.to_string())
                ));
                continue;
            }
        }
        let mut problems = Vec::new();
        let list = doc::list(data, "result", &here("data"), &mut problems, ctx.file);
        ctx.problems.0.extend(problems);
        for (i, item) in list.iter().enumerate() {
            let mut at = At::new(format!("{}[{i}]", here("data.result")), "series", item, "");
            match doc::item::<Series>(ctx.file, &at, item) {
                Ok(series) => {
                    at.id = Some(identity(&series.metric));
                    one(ctx, &at, &series);
                }
                Err(p) => ctx.problems.push(p),
            }
        }
    }
}

/// `probe_success{instance="https://shop.example",job="blackbox"}`: the series, as Prometheus
/// writes it.
fn identity(metric: &BTreeMap<String, String>) -> String {
    let name = metric.get("__name__").map_or("", String::as_str);
    let labels: Vec<String> = metric
        .iter()
        .filter(|(k, _)| *k != "__name__")
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    format!("{name}{{{}}}", labels.join(","))
}

fn one(ctx: &mut Ctx<'_>, at: &At, series: &Series) {
    let get = |k: &str| series.metric.get(k).cloned();
    if !ctx.matches(get) {
        return;
    }
    // Sample times as exact decimals, values as failing or not.
    let mut samples: Vec<(Decimal, bool)> = Vec::with_capacity(series.values.len());
    let mut ok = true;
    for (k, (t, v)) in series.values.iter().enumerate() {
        let time =
            t.0.trim()
                .parse::<Decimal>()
                .ok()
                .filter(|_| !t.0.contains(['e', 'E']));
        let value =
            v.0.trim()
                .parse::<Decimal>()
                .ok()
                .filter(|_| !v.0.contains(['e', 'E']));
        match (time, value) {
            (Some(t), Some(v)) => {
                if samples.last().is_some_and(|(last, _)| *last >= t) {
                    ctx.fail(at, &format!("values[{k}]"), "samples out of time order");
                    ok = false;
                }
                samples.push((t, v < Decimal::ONE));
            }
            (None, _) => {
                ctx.fail(
                    at,
                    &format!("values[{k}][0]"),
                    format!("expected epoch seconds, found {:?}", t.0),
                );
                ok = false;
            }
            (_, None) => {
                ctx.fail(
                    at,
                    &format!("values[{k}][1]"),
                    format!(
                        "expected a sample value such as \"1\" or \"0\", found {:?}",
                        v.0
                    ),
                );
                ok = false;
            }
        }
    }
    if !ok || !samples.iter().any(|(_, failing)| *failing) {
        return;
    }
    let Some(step) = step(&samples) else {
        ctx.fail(
            at,
            "values",
            "a failing sample in a series of one sample: its step is unknown",
        );
        return;
    };
    let Some(labels) = ctx.copied(at, &[], get) else {
        return;
    };
    let gap = step * Decimal::new(15, 1);
    let mut k = 0;
    while k < samples.len() {
        if !samples[k].1 {
            k += 1;
            continue;
        }
        let first = samples[k].0;
        let mut last = first;
        let mut end = None;
        k += 1;
        while k < samples.len() {
            let (t, failing) = samples[k];
            if t - last > gap {
                break;
            }
            if !failing {
                end = Some(t);
                break;
            }
            last = t;
            k += 1;
        }
        let end = end.unwrap_or(last + step);
        let instant = |d: Decimal| {
            use rust_decimal::prelude::ToPrimitive;
            d.floor()
                .to_i64()
                .ok_or_else(|| format!("time {d} out of range"))
                .and_then(Instant::checked_unix_seconds)
        };
        match (instant(first), instant(end)) {
            (Ok(s), Ok(e)) => ctx.window(Draft {
                at,
                end_field: "values",
                start: Some(s),
                end: Some(e),
                impact: Decimal::ONE,
                maintenance: false,
                announced_at: None,
                reference: at.id.as_deref(),
                labels: labels.clone(),
            }),
            (Err(e), _) | (_, Err(e)) => ctx.fail(at, "values", e),
        }
    }
}

/// The series' most common interval between samples (the smallest of equally common ones).
fn step(samples: &[(Decimal, bool)]) -> Option<Decimal> {
    let mut counts: BTreeMap<Decimal, usize> = BTreeMap::new();
    for w in samples.windows(2) {
        *counts.entry((w[1].0 - w[0].0).normalize()).or_insert(0) += 1;
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_is_the_most_common_interval() {
        let s = |ts: &[i64]| -> Vec<(Decimal, bool)> {
            ts.iter().map(|t| (Decimal::from(*t), false)).collect()
        };
        assert_eq!(step(&s(&[0, 15, 30, 60, 75])), Some(Decimal::from(15)));
        // Equally common: the smaller.
        assert_eq!(step(&s(&[0, 30, 45])), Some(Decimal::from(15)));
        assert_eq!(step(&s(&[0])), None);
    }
}
