//! Atlassian Statuspage API v2: `incidents.json` (`{"incidents": [...]}`) and
//! `scheduled_maintenances.json` (`{"scheduled_maintenances": [...]}`). One window per incident
//! (or maintenance) and affected component: the incident's `components` and every component
//! named in its updates' `affected_components`.

use super::doc::{self, nullable, At, Time};
use super::{Ctx, Draft};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Incident {
    id: Option<String>,
    impact: Option<String>,
    created_at: Option<Time>,
    updated_at: Option<Time>,
    started_at: Option<Time>,
    resolved_at: Option<Time>,
    scheduled_for: Option<Time>,
    scheduled_until: Option<Time>,
    #[serde(default, deserialize_with = "nullable")]
    components: Vec<Component>,
    #[serde(default, deserialize_with = "nullable")]
    incident_updates: Vec<Update>,
}

#[derive(Deserialize)]
struct Component {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Update {
    #[serde(default, deserialize_with = "nullable")]
    affected_components: Vec<Affected>,
}

#[derive(Deserialize)]
struct Affected {
    code: Option<String>,
    name: Option<String>,
    new_status: Option<String>,
}

/// Component statuses from the worst down; `operational` and `under_maintenance` say nothing
/// of an outage's impact.
const STATUSES: [&str; 3] = ["major_outage", "partial_outage", "degraded_performance"];
const QUIET: [&str; 2] = ["operational", "under_maintenance"];

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    // The same incident seen again (two pages of the API, or two saved files) is one incident:
    // the copy updated last wins.
    let mut seen: BTreeMap<(bool, String), usize> = BTreeMap::new();
    let mut items: Vec<(At, Incident, bool)> = Vec::new();
    for (prefix, response) in doc::responses(value, false) {
        if !response.is_object()
            || (response.get("incidents").is_none()
                && response.get("scheduled_maintenances").is_none())
        {
            let expected = "a Statuspage response with `incidents` or `scheduled_maintenances`";
            ctx.not_a_response(&prefix, expected, response);
            continue;
        }
        for (key, what) in [
            ("incidents", "incident"),
            ("scheduled_maintenances", "maintenance"),
        ] {
            let maintenance = what == "maintenance";
            ctx.each_item(
                response,
                &prefix,
                (key, what, "id"),
                |_, at, incident: Incident, _| {
                    let id = incident.id.clone().unwrap_or_else(|| at.path.clone());
                    match seen.get(&(maintenance, id.clone())) {
                        Some(&k) if !newer(&incident, &items[k].1) => {}
                        Some(&k) => items[k] = (at.clone(), incident, maintenance),
                        None => {
                            seen.insert((maintenance, id), items.len());
                            items.push((at.clone(), incident, maintenance));
                        }
                    }
                },
            );
        }
    }
    for (at, incident, maintenance) in &items {
        one(ctx, at, incident, *maintenance);
    }
}

/// Whether `a` was updated after `b` (a copy without `updated_at` is not newer).
fn newer(a: &Incident, b: &Incident) -> bool {
    let t = |i: &Incident| i.updated_at.as_ref().and_then(|t| t.instant(None).ok());
    match (t(a), t(b)) {
        (Some(a), Some(b)) => a >= b,
        (Some(_), None) => true,
        _ => false,
    }
}

fn one(ctx: &mut Ctx<'_>, at: &At, incident: &Incident, maintenance: bool) {
    let (start, end, announced_at) = if maintenance {
        let start = incident
            .started_at
            .as_ref()
            .or(incident.scheduled_for.as_ref());
        let field = if incident.started_at.is_some() {
            "started_at"
        } else {
            "scheduled_for"
        };
        let start = ctx.required_time(at, field, start);
        let end = match (&incident.resolved_at, &incident.scheduled_until) {
            (Some(t), _) => ctx.time(at, "resolved_at", t).map(Some),
            (None, Some(t)) => ctx.time(at, "scheduled_until", t).map(Some),
            (None, None) => Some(None),
        };
        let announced = match &incident.created_at {
            Some(t) => ctx.time(at, "created_at", t).map(Some),
            None => Some(None),
        };
        (start, end, announced)
    } else {
        let start = incident
            .started_at
            .as_ref()
            .or(incident.created_at.as_ref());
        let field = if incident.started_at.is_some() {
            "started_at"
        } else {
            "created_at"
        };
        let start = ctx.required_time(at, field, start);
        let end = match &incident.resolved_at {
            Some(t) => ctx.time(at, "resolved_at", t).map(Some),
            None => Some(None),
        };
        (start, end, Some(None))
    };
    // The components, each once (by id, else name), with the worst status it reached.
    type Seen = (Option<String>, Option<String>, Option<usize>);
    let mut components: BTreeMap<String, Seen> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut add = |id: Option<&str>, name: Option<&str>, status: Option<usize>| {
        let key = id.or(name).unwrap_or("").to_owned();
        let entry = components.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            (None, None, None)
        });
        if entry.0.is_none() {
            entry.0 = id.map(str::to_owned);
        }
        if entry.1.is_none() {
            entry.1 = name.map(str::to_owned);
        }
        entry.2 = match (entry.2, status) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    };
    let mut ok = true;
    for (k, c) in incident.components.iter().enumerate() {
        if c.id.is_none() && c.name.is_none() {
            ctx.fail(
                at,
                &format!("components[{k}]"),
                "expected a component with an `id` or a `name`",
            );
            ok = false;
            continue;
        }
        add(c.id.as_deref(), c.name.as_deref(), None);
    }
    for (u, update) in incident.incident_updates.iter().enumerate() {
        for (k, c) in update.affected_components.iter().enumerate() {
            let field = format!("incident_updates[{u}].affected_components[{k}]");
            if c.code.is_none() && c.name.is_none() {
                ctx.fail(at, &field, "expected a component with a `code` or a `name`");
                ok = false;
                continue;
            }
            let status = match c.new_status.as_deref() {
                None => None,
                Some(s) if QUIET.contains(&s) => None,
                Some(s) => match STATUSES.iter().position(|k| *k == s) {
                    Some(rank) => Some(rank),
                    None => {
                        ctx.fail(
                            at,
                            &format!("{field}.new_status"),
                            format!(
                                "unknown component status {s:?}; expected one of {}, {}",
                                STATUSES.join(", "),
                                QUIET.join(", ")
                            ),
                        );
                        ok = false;
                        None
                    }
                },
            };
            add(c.code.as_deref(), c.name.as_deref(), status);
        }
    }
    let incident_impact = if maintenance {
        Some(Decimal::ONE)
    } else {
        match incident.impact.as_deref() {
            None => None,
            Some(name) => match ctx.impact(name).filter(|_| name != "maintenance") {
                Some(v) => Some(v),
                None => {
                    ctx.fail(
                        at,
                        "impact",
                        format!("unknown impact {name:?}; expected critical, major, minor or none"),
                    );
                    ok = false;
                    None
                }
            },
        }
    };
    let (Some(start), Some(end), Some(announced_at)) = (start, end, announced_at) else {
        return;
    };
    if !ok {
        return;
    }
    if components.is_empty() {
        ctx.out
            .notes
            .push(format!("{} names no component", at.describe()));
        return;
    }
    for key in order {
        let (id, name, status) = components[&key].clone();
        let impact = if maintenance {
            Decimal::ONE
        } else {
            match status {
                Some(rank) => ctx.impact(STATUSES[rank]).unwrap_or(Decimal::ONE),
                None => match incident_impact {
                    Some(v) => v,
                    None => {
                        ctx.fail(
                            at,
                            "impact",
                            "no component status and no incident impact: nothing says how bad it was",
                        );
                        continue;
                    }
                },
            }
        };
        // Not written, so not looked up: a component that was only degraded need not be mapped.
        if impact.is_zero() {
            continue;
        }
        let keys: Vec<&str> = name.iter().chain(&id).map(String::as_str).collect();
        let Some(labels) = ctx.named(at, &keys, true) else {
            continue;
        };
        ctx.window(Draft {
            at,
            end_field: if maintenance && incident.resolved_at.is_none() {
                "scheduled_until"
            } else {
                "resolved_at"
            },
            start: Some(start),
            end,
            impact,
            maintenance,
            announced_at,
            reference: incident.id.as_deref(),
            labels,
        });
    }
}
