//! UptimeRobot: `getMonitors` responses with `logs=1` (`{"monitors": [...]}`). One window per
//! log of `type` 1 (down), from `datetime` (epoch seconds) for `duration` seconds.

use super::doc::{self, nullable, At, Text, Time};
use super::{Ctx, Draft};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Monitor {
    id: Option<Text>,
    friendly_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    logs: Vec<Value>,
}

#[derive(Deserialize)]
struct Log {
    id: Option<Text>,
    #[serde(rename = "type")]
    kind: Option<Text>,
    datetime: Option<Time>,
    duration: Option<Text>,
}

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    for (prefix, response) in doc::responses(value, false) {
        if let Some(Value::String(stat)) = response.get("stat") {
            if stat != "ok" {
                let error = response
                    .get("error")
                    .map(Value::to_string)
                    .unwrap_or_default();
                ctx.fail_doc(format!(
                    "{}: the request failed ({stat}): {error}",
                    doc::join(&prefix, "stat")
                ));
                continue;
            }
        }
        if response.get("monitors").is_none() {
            ctx.not_a_response(&prefix, "a getMonitors response with `monitors`", response);
            continue;
        }
        let item = ("monitors", "monitor", "id");
        ctx.each_item(response, &prefix, item, |ctx, at, monitor: Monitor, _| {
            one(ctx, at, &monitor)
        });
    }
}

fn one(ctx: &mut Ctx<'_>, monitor_at: &At, monitor: &Monitor) {
    let id = monitor.id.as_ref().map(|t| t.0.clone());
    let name = monitor.friendly_name.clone();
    for (k, raw) in monitor.logs.iter().enumerate() {
        let mut at = At::new(format!("{}.logs[{k}]", monitor_at.path), "log", raw, "id");
        if at.id.is_none() {
            at.id = monitor_at.id.clone().map(|m| format!("monitor {m}"));
        }
        let log = match doc::item::<Log>(ctx.file, &at, raw) {
            Ok(l) => l,
            Err(p) => {
                ctx.problems.push(p);
                continue;
            }
        };
        match log.kind.as_ref().map(|t| t.0.as_str()) {
            Some("1") => {}
            Some(_) => continue,
            None => {
                ctx.fail(&at, "type", "expected the log's type; the field is missing");
                continue;
            }
        }
        let start = ctx.required_time(&at, "datetime", log.datetime.as_ref());
        let duration = match log.duration.as_ref().map(|d| d.0.trim().parse::<u64>()) {
            Some(Ok(d)) => d,
            Some(Err(_)) => {
                let found = log.duration.as_ref().map_or("", |d| d.0.as_str());
                ctx.fail(
                    &at,
                    "duration",
                    format!("expected whole seconds, found {found:?}"),
                );
                continue;
            }
            None => {
                ctx.fail(
                    &at,
                    "duration",
                    "expected the down time in seconds; the field is missing",
                );
                continue;
            }
        };
        let Some(start) = start else { continue };
        let end = i64::try_from(duration)
            .ok()
            .and_then(|d| start.unix_seconds().checked_add(d))
            .map(crate::time::Instant::checked_unix_seconds);
        let end = match end {
            Some(Ok(e)) => e,
            _ => {
                ctx.fail(
                    &at,
                    "duration",
                    format!("{duration} seconds ends outside the years 1900 to 2199"),
                );
                continue;
            }
        };
        let keys: Vec<&str> = name.as_deref().into_iter().chain(id.as_deref()).collect();
        let Some(labels) = ctx.named(monitor_at, &keys, true) else {
            continue;
        };
        let reference = log.id.as_ref().map(|t| t.0.clone());
        ctx.window(Draft {
            at: &at,
            end_field: "duration",
            start: Some(start),
            end: Some(end),
            impact: Decimal::ONE,
            maintenance: false,
            announced_at: None,
            reference: reference.as_deref(),
            labels,
        });
    }
}
