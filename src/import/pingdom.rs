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
            ctx.fail_doc(format!(
                "{}expected a summary.outage response with `summary`, found {}",
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}: ")
                },
                doc::kind(response)
            ));
            continue;
        };
        let here = doc::join(&prefix, "summary");
        let mut problems = Vec::new();
        let list = doc::list(summary, "states", &here, &mut problems, ctx.file);
        ctx.problems.0.extend(problems);
        for (i, item) in list.iter().enumerate() {
            let at = At::new(format!("{here}.states[{i}]"), "state", item, "");
            let state = match doc::item::<State>(ctx.file, &at, item) {
                Ok(s) => s,
                Err(p) => {
                    ctx.problems.push(p);
                    continue;
                }
            };
            match state.status.as_deref() {
                Some("down") => {}
                Some("up" | "unknown") => continue,
                Some(other) => {
                    ctx.fail(
                        &at,
                        "status",
                        format!("expected up, down or unknown, found {other:?}"),
                    );
                    continue;
                }
                None => {
                    ctx.fail(
                        &at,
                        "status",
                        "expected up, down or unknown; the field is missing",
                    );
                    continue;
                }
            }
            let start = ctx.required_time(&at, "timefrom", state.timefrom.as_ref());
            let end = ctx.required_time(&at, "timeto", state.timeto.as_ref());
            let Some(end) = end else { continue };
            ctx.window(Draft {
                at: &at,
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
    }
}
