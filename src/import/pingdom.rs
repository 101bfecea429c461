//! Pingdom: `summary.outage` responses (`{"summary": {"states": [...]}}`). One window per state
//! of `status` `down` (`up` and `unknown` are skipped), `timefrom` / `timeto` in epoch seconds.
//! The response does not name its check: labels come from the map's `labels` and `--label`.

use super::doc::{self, At, Time};
use super::{Ctx, Draft};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct State {
    status: Option<String>,
    timefrom: Option<Time>,
    timeto: Option<Time>,
}

pub(super) fn import(value: &Value, ctx: &mut Ctx<'_>) {
    for (prefix, response) in doc::responses(value, false) {
        let Some(summary) = response.get("summary").filter(|s| s.is_object()) else {
            ctx.not_a_response(
                &prefix,
                "a summary.outage response with `summary`",
                response,
            );
            continue;
        };
        let here = doc::join(&prefix, "summary");
        ctx.each_item(
            summary,
            &here,
            ("states", "state", ""),
            |ctx, at, state: State, _| one(ctx, at, &state),
        );
    }
}

fn one(ctx: &mut Ctx<'_>, at: &At, state: &State) {
    match state.status.as_deref() {
        Some("down") => {}
        Some("up" | "unknown") => return,
        Some(other) => {
            ctx.fail(
                at,
                "status",
                format!("expected up, down or unknown, found {other:?}"),
            );
            return;
        }
        None => {
            ctx.fail(
                at,
                "status",
                "expected up, down or unknown; the field is missing",
            );
            return;
        }
    }
    let start = ctx.required_time(at, "timefrom", state.timefrom.as_ref());
    let end = ctx.required_time(at, "timeto", state.timeto.as_ref());
    let Some(end) = end else { return };
    ctx.window(Draft {
        at,
        end_field: "timeto",
        start,
        end: Some(end),
        impact: Decimal::ONE,
        maintenance: false,
        announced_at: None,
        reference: None,
        labels: Vec::new(),
    });
}
