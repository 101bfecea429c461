//! AWS Health: `DescribeEvents` responses (`{"events": [...]}`), times RFC 3339 or epoch
//! seconds. One window per event of category `issue` (unplanned) or `scheduledChange`
//! (maintenance, without `announced_at`: the event carries no announcement time); other
//! categories and `upcoming` events are skipped; `open` events are open.

use super::doc::{self, At, Time};
use super::{Ctx, Draft};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Event {
    arn: Option<String>,
    service: Option<String>,
    #[serde(rename = "eventTypeCategory")]
    category: Option<String>,
    #[serde(rename = "startTime")]
    start_time: Option<Time>,
    #[serde(rename = "endTime")]
    end_time: Option<Time>,
    #[serde(rename = "statusCode")]
    status_code: Option<String>,
}

/// `copy` when the map has none: region-wide events have no zone, and set no `zone` label.
const DEFAULT_COPY: [(&str, &str); 2] = [("region", "region"), ("zone", "availabilityZone")];

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    for (prefix, response) in doc::responses(value, false) {
        if response.get("events").is_none() {
            ctx.not_a_response(&prefix, "a DescribeEvents response with `events`", response);
            continue;
        }
        ctx.each_item(
            response,
            &prefix,
            ("events", "event", "arn"),
            |ctx, at, event: Event, raw| one(ctx, at, &event, raw),
        );
    }
}

fn one(ctx: &mut Ctx<'_>, at: &At, event: &Event, raw: &Value) {
    let maintenance = match event.category.as_deref() {
        Some("issue") => false,
        Some("scheduledChange") => true,
        Some(_) => return,
        None => {
            ctx.fail(
                at,
                "eventTypeCategory",
                "expected the event's category; the field is missing",
            );
            return;
        }
    };
    let open = match event.status_code.as_deref() {
        Some("upcoming") => return,
        Some("open") => true,
        Some("closed") => false,
        Some(other) => {
            ctx.fail(
                at,
                "statusCode",
                format!("expected open, closed or upcoming, found {other:?}"),
            );
            return;
        }
        None => {
            ctx.fail(
                at,
                "statusCode",
                "expected open, closed or upcoming; the field is missing",
            );
            return;
        }
    };
    let start = ctx.required_time(at, "startTime", event.start_time.as_ref());
    let end = if open {
        Some(None)
    } else {
        ctx.required_time(at, "endTime", event.end_time.as_ref())
            .map(Some)
    };
    let service = event.service.as_deref().unwrap_or("");
    let named = ctx.named(at, &[service], false);
    let copied = ctx.copied(at, &DEFAULT_COPY, |k| doc::scalar(raw, k));
    let (Some(end), Some(mut labels), Some(copied)) = (end, named, copied) else {
        return;
    };
    labels.extend(copied);
    ctx.window(Draft {
        at,
        end_field: "endTime",
        start,
        end,
        impact: Decimal::ONE,
        maintenance,
        announced_at: None,
        reference: event.arn.as_deref(),
        labels,
    });
}
