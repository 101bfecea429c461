//! The Google Cloud status page's `incidents.json` (a list of incidents). One window per
//! incident, affected product and location (`previously_affected_locations` and
//! `currently_affected_locations`; the location's `id` becomes the `region` label); `begin` /
//! `end`, no `end` = open; impact from `status_impact`.

use super::doc::{self, nullable, At, Time};
use super::{Ctx, Draft};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Incident {
    id: Option<String>,
    begin: Option<Time>,
    end: Option<Time>,
    status_impact: Option<String>,
    service_name: Option<String>,
    service_key: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    affected_products: Vec<Named>,
    #[serde(default, deserialize_with = "nullable")]
    previously_affected_locations: Vec<Named>,
    #[serde(default, deserialize_with = "nullable")]
    currently_affected_locations: Vec<Named>,
}

#[derive(Deserialize)]
struct Named {
    title: Option<String>,
    id: Option<String>,
}

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    for (prefix, response) in doc::responses(value, true) {
        if !response.is_array() {
            ctx.not_a_response(&prefix, "the list of incidents of incidents.json", response);
            continue;
        }
        ctx.each_item(
            response,
            &prefix,
            ("", "incident", "id"),
            |ctx, at, incident: Incident, _| one(ctx, at, &incident),
        );
    }
}

fn one(ctx: &mut Ctx<'_>, at: &At, incident: &Incident) {
    let start = ctx.required_time(at, "begin", incident.begin.as_ref());
    let end = match &incident.end {
        Some(t) => ctx.time(at, "end", t).map(Some),
        None => Some(None),
    };
    let impact = match incident.status_impact.as_deref() {
        Some(name) => match ctx.impact(name) {
            Some(v) => v,
            None => {
                ctx.fail(
                    at,
                    "status_impact",
                    format!("unknown impact {name:?}; expected SERVICE_OUTAGE, SERVICE_DISRUPTION or SERVICE_INFORMATION"),
                );
                return;
            }
        },
        None => {
            ctx.fail(
                at,
                "status_impact",
                "expected the incident's impact; the field is missing",
            );
            return;
        }
    };
    let Some(end) = end else { return };
    if impact.is_zero() {
        return;
    }
    // Older incidents name their product only as the service.
    let mut products: Vec<(Option<&str>, Option<&str>)> = incident
        .affected_products
        .iter()
        .map(|p| (p.title.as_deref(), p.id.as_deref()))
        .collect();
    if products.is_empty() {
        if let Some(name) = incident.service_name.as_deref() {
            products.push((Some(name), incident.service_key.as_deref()));
        }
    }
    if products.is_empty() {
        ctx.out
            .notes
            .push(format!("{} names no product", at.describe()));
        return;
    }
    let mut locations: Vec<&str> = Vec::new();
    for (k, l) in incident
        .previously_affected_locations
        .iter()
        .chain(&incident.currently_affected_locations)
        .enumerate()
    {
        match l.id.as_deref().filter(|id| !id.trim().is_empty()) {
            Some(id) if !locations.contains(&id) => locations.push(id),
            Some(_) => {}
            None => {
                ctx.fail(
                    at,
                    &format!("affected_locations[{k}].id"),
                    "expected the location's id (a region)",
                );
                return;
            }
        }
    }
    for (title, id) in products {
        let keys: Vec<&str> = title.into_iter().chain(id).collect();
        let Some(labels) = ctx.named(at, &keys, true) else {
            continue;
        };
        // Without locations the incident is not limited to a region.
        let regions: Vec<Option<&str>> = if locations.is_empty() {
            vec![None]
        } else {
            locations.iter().copied().map(Some).collect()
        };
        for region in regions {
            let mut labels = labels.clone();
            if let Some(r) = region {
                labels.push(("region".to_owned(), r.to_owned()));
            }
            ctx.window(Draft {
                at,
                end_field: "end",
                start,
                end,
                impact,
                maintenance: false,
                announced_at: None,
                reference: incident.id.as_deref(),
                labels,
            });
        }
    }
}
