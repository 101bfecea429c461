//! Prometheus Alertmanager: webhook payloads (`{"version": "4", "alerts": [...]}`) or the
//! `/api/v2/alerts` list. One window per alert; the same `fingerprint` and `startsAt` seen again
//! is the same alert, and the greatest `endsAt` of its resolved copies wins. A webhook alert
//! firing in every copy is open; in the `/api/v2/alerts` list every alert is open.

use super::doc::{self, nullable, At, Time};
use super::{Ctx, Draft};
use crate::time::Instant;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Alert {
    fingerprint: Option<String>,
    #[serde(rename = "startsAt")]
    starts_at: Option<Time>,
    #[serde(rename = "endsAt")]
    ends_at: Option<Time>,
    status: Option<Status>,
    #[serde(default, deserialize_with = "nullable")]
    labels: BTreeMap<String, String>,
}

/// A webhook alert's `firing`/`resolved`, or the API's `{ "state": "active" }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Status {
    Webhook(String),
    Api {
        #[allow(dead_code)]
        state: Option<String>,
    },
}

/// One alert and what its copies say.
struct Seen {
    at: At,
    labels: BTreeMap<String, String>,
    start: Option<Instant>,
    /// The greatest `endsAt` of the resolved copies.
    end: Option<Instant>,
    fingerprint: Option<String>,
}

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    let mut alerts: Vec<(At, Value)> = Vec::new();
    let mut gather = |prefix: &str, response: &Value, ctx: &mut Ctx<'_>| {
        if response.get("alerts").is_some() {
            let mut problems = Vec::new();
            let list = doc::list(response, "alerts", prefix, &mut problems, ctx.file);
            ctx.problems.0.extend(problems);
            for (i, a) in list.iter().enumerate() {
                let path = format!("{}[{i}]", doc::join(prefix, "alerts"));
                alerts.push((At::new(path, "alert", a, "fingerprint"), a.clone()));
            }
        } else if response.get("startsAt").is_some() || response.get("labels").is_some() {
            let path = if prefix.is_empty() {
                "[0]".to_owned()
            } else {
                prefix.to_owned()
            };
            alerts.push((
                At::new(path, "alert", response, "fingerprint"),
                response.clone(),
            ));
        } else {
            ctx.fail_doc(format!(
                "{}expected an Alertmanager webhook payload (with `alerts`) or an alert of /api/v2/alerts, found {}",
                if prefix.is_empty() { String::new() } else { format!("{prefix}: ") },
                doc::kind(response)
            ));
        }
    };
    for (prefix, response) in doc::responses(value, false) {
        gather(&prefix, response, ctx);
    }
    let mut seen: Vec<Seen> = Vec::new();
    let mut by_key: BTreeMap<(String, Option<Instant>), usize> = BTreeMap::new();
    for (at, value) in &alerts {
        let alert = match doc::item::<Alert>(ctx.file, at, value) {
            Ok(a) => a,
            Err(p) => {
                ctx.problems.push(p);
                continue;
            }
        };
        let get = |k: &str| alert.labels.get(k).cloned();
        if !ctx.matches(get) {
            continue;
        }
        let start = ctx.required_time(at, "startsAt", alert.starts_at.as_ref());
        let resolved = match &alert.status {
            Some(Status::Webhook(s)) if s == "resolved" => true,
            Some(Status::Webhook(s)) if s == "firing" => false,
            Some(Status::Webhook(s)) => {
                ctx.fail(
                    at,
                    "status",
                    format!("expected `firing` or `resolved`, found {s:?}"),
                );
                continue;
            }
            Some(Status::Api { .. }) => false,
            None => {
                ctx.fail(
                    at,
                    "status",
                    "expected `firing` or `resolved`; the field is missing",
                );
                continue;
            }
        };
        let end = if resolved {
            match ctx.required_time(at, "endsAt", alert.ends_at.as_ref()) {
                Some(t) => Some(t),
                None => continue,
            }
        } else {
            None
        };
        let identity = alert
            .fingerprint
            .clone()
            .unwrap_or_else(|| format!("{:?}", alert.labels));
        let key = (identity, start);
        match by_key.get(&key) {
            Some(&k) => {
                let s = &mut seen[k];
                s.end = match (s.end, end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            None => {
                by_key.insert(key, seen.len());
                seen.push(Seen {
                    at: at.clone(),
                    labels: alert.labels.clone(),
                    start,
                    end,
                    fingerprint: alert.fingerprint.clone(),
                });
            }
        }
    }
    for s in &seen {
        let Some(labels) = ctx.copied(&s.at, &[], |k| s.labels.get(k).cloned()) else {
            continue;
        };
        ctx.window(Draft {
            at: &s.at,
            end_field: "endsAt",
            start: s.start,
            end: s.end,
            impact: Decimal::ONE,
            maintenance: false,
            announced_at: None,
            reference: s.fingerprint.as_deref(),
            labels,
        });
    }
}
