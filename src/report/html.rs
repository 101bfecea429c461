//! One self-contained HTML page (`--format html`): per subscription, the uptime of each period
//! against the commitment and a timeline of the incidents, as inline SVG, then the numbers. No
//! scripts, no network. Coordinates are computed in decimals like everything else.

use super::{for_reading, minutes, percent, tool, uptime};
use crate::claim::Claim;
use crate::claim::Claims;
use crate::contract::Contract;
use crate::time::Instant;
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:980px;color:#1d2430;background:#fff}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-top:1px solid #d6dbe3;padding-top:1rem}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}td,th{border:1px solid #d6dbe3;padding:.25rem .5rem;text-align:right}\
th{background:#f1f4f8}td:first-child,th:first-child{text-align:left}.breach{color:#b3261e;font-weight:600}\
.muted{color:#5b6675}svg{display:block;margin:.4rem 0}.legend span{margin-right:1.2rem}";

/// `text` safe inside HTML text and attribute values.
pub(crate) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A coordinate with one decimal, as SVG wants it.
fn coord(d: Decimal) -> String {
    d.round_dp(1).normalize().to_string()
}

/// The page for `claims`, titled `title`; times in each claim's contract zone (from
/// `contracts`; UTC for a contract not among them).
pub fn render(title: &str, claims: &Claims, contracts: &[Contract]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(title),
        esc(title)
    );
    let breached = claims.claims.iter().filter(|c| c.breached).count();
    let _ = writeln!(
        out,
        "<p>{} subscription-periods, {breached} breached.</p>",
        claims.claims.len()
    );
    out.push_str("<table class=\"totals\"><tr><th>currency</th><th>credits</th></tr>\n");
    for t in &claims.totals {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}{}</td></tr>",
            t.currency,
            for_reading(t.credit, t.currency),
            esc(&super::due_and_pending(t))
        );
    }
    out.push_str("</table>\n");
    let mut by_sub: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for c in &claims.claims {
        by_sub.entry(&c.subscription).or_default().push(c);
    }
    // One scale for every chart of the page, so bars compare across subscriptions.
    let floor = floor_of(
        claims
            .claims
            .iter()
            .flat_map(|c| [c.uptime_percent, c.commitment_percent]),
    );
    for (sub, rows) in by_sub {
        let zone = contracts
            .iter()
            .find(|k| k.id() == &*rows[0].contract)
            .map_or(chrono_tz::UTC, Contract::timezone);
        subscription(&mut out, sub, &rows, floor, zone);
    }
    out.push_str("<h2>Inputs</h2>\n<table><tr><th>file</th><th>SHA-256</th></tr>\n");
    for f in &claims.inputs {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td></tr>",
            esc(&f.path),
            f.sha256
        );
    }
    let _ = writeln!(
        out,
        "</table>\n<p class=\"muted\">{}</p>\n</body>\n</html>",
        esc(&tool())
    );
    out
}

fn subscription(out: &mut String, sub: &str, rows: &[&Claim], floor: Decimal, zone: Tz) {
    let first = rows[0];
    let _ = writeln!(
        out,
        "<h2 id=\"{}\">{} <span class=\"muted\">— {}, contract {}</span></h2>",
        esc(sub),
        esc(&super::inert(sub)),
        esc(&super::inert(&first.customer)),
        esc(&super::inert(&first.contract))
    );
    uptime_chart(out, rows, floor);
    timeline(out, rows, zone);
    out.push_str("<table><tr><th>period</th><th>eligible min</th><th>downtime min</th><th>uptime %</th><th>commitment %</th><th>credit %</th><th>credit</th><th>deadline</th></tr>\n");
    for c in rows {
        let class = if c.breached { " class=\"breach\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}{}{}{}</td><td>{}</td></tr>",
            c.period,
            minutes(c.eligible_minutes),
            minutes(c.downtime_minutes),
            uptime(c.uptime_percent),
            percent(c.commitment_percent),
            c.credit_percent.map(percent).unwrap_or_else(|| "—".into()),
            for_reading(c.credit, c.currency),
            c.currency,
            if c.capped { " (capped)" } else { "" },
            crate::explain::no_credit(c)
                .map(|why| format!(" <span class=\"muted\">({})</span>", why.describe().1))
                .unwrap_or_default(),
            c.earn_back
                .map(|e| {
                    let before = c.credit_before_earn_back.unwrap_or(c.credit);
                    let text = super::earn_back_text(e, before, c.currency);
                    format!(" <span class=\"muted\">(earn-back: {})</span>", esc(&text))
                })
                .unwrap_or_default(),
            c.claim_deadline.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
        );
    }
    out.push_str("</table>\n");
}

/// The floor of the page's uptime scale: a round step below the lowest of `values` (uptimes and
/// commitments), 1, 0.1, 0.01 ... of the gap to 100, so a 99.8 % month is visible next to
/// 99.99 %.
fn floor_of(values: impl Iterator<Item = Decimal>) -> Decimal {
    let lowest = values.min().unwrap_or(Decimal::ONE_HUNDRED);
    let gap = (Decimal::ONE_HUNDRED - lowest).max(Decimal::new(1, 3));
    let mut step = Decimal::ONE;
    while step > gap && step > Decimal::new(1, 4) {
        step /= Decimal::TEN;
    }
    let floor = ((lowest - step) / step).floor() * step;
    floor.max(Decimal::ZERO)
}

/// Bars of uptime per period against a dashed line at the commitment, on the page's scale from
/// `floor` to 100 %: a bar at 100 % reaches the 100 % line.
fn uptime_chart(out: &mut String, rows: &[&Claim], floor: Decimal) {
    let (w, h, left, top, plot_h) = (
        Decimal::from(640),
        Decimal::from(190),
        Decimal::from(56),
        Decimal::from(12),
        Decimal::from(140),
    );
    let commitment = rows[0].commitment_percent;
    let span = Decimal::ONE_HUNDRED - floor;
    let y = |v: Decimal| top + plot_h - (v - floor) / span * plot_h;
    let n = Decimal::from(rows.len() as u64);
    let slot = (w - left - Decimal::from(10)) / n;
    let _ = writeln!(
        out,
        "<svg class=\"uptime-chart\" role=\"img\" aria-label=\"uptime per period against the commitment\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\">",
        coord(w),
        coord(h),
        coord(w),
        coord(h)
    );
    for v in [floor, Decimal::ONE_HUNDRED] {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6675\">{}%</text>",
            coord(left - Decimal::from(4)),
            coord(y(v) + Decimal::from(3)),
            percent(v)
        );
    }
    for (i, c) in rows.iter().enumerate() {
        // Two thirds of the slot, but never wider than 48 px, centred in it.
        let bar_w = (slot * Decimal::from(2) / Decimal::from(3)).min(Decimal::from(48));
        let x = left + slot * Decimal::from(i as u64) + (slot - bar_w) / Decimal::TWO;
        let value = c.uptime_percent.max(floor);
        let color = if c.breached { "#d93025" } else { "#2e7d32" };
        let _ = writeln!(
            out,
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\"><title>{} uptime {} %</title></rect>",
            coord(x),
            coord(y(value)),
            coord(bar_w),
            coord(top + plot_h - y(value)),
            c.period,
            uptime(c.uptime_percent)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1d2430\">{}</text>",
            coord(x + bar_w / Decimal::TWO),
            coord(top + plot_h + Decimal::from(14)),
            c.period
        );
    }
    let _ = writeln!(
        out,
        "<line class=\"commitment\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#1a56db\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>",
        coord(left),
        coord(w - Decimal::from(10)),
        coord(y(commitment)),
        coord(y(commitment))
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#1a56db\">commitment {} %</text>\n</svg>",
        coord(left + Decimal::from(4)),
        coord(y(commitment) - Decimal::from(4)),
        percent(commitment)
    );
}

/// The incidents on a line from the first period's start to the last period's end, times in
/// the contract's `zone`.
fn timeline(out: &mut String, rows: &[&Claim], zone: Tz) {
    let local = |t: Instant| t.in_zone(zone).format("%Y-%m-%d %H:%M %Z").to_string();
    let (start, end) = (
        rows[0].period_start.unix_seconds(),
        rows[rows.len() - 1].period_end.unix_seconds(),
    );
    let (w, left, right) = (Decimal::from(640), Decimal::from(56), Decimal::from(10));
    let width = w - left - right;
    let total = Decimal::from((end - start).max(1));
    let x = |t: i64| left + Decimal::from(t.clamp(start, end) - start) / total * width;
    let _ = writeln!(
        out,
        "<svg class=\"incident-timeline\" role=\"img\" aria-label=\"incidents\" width=\"640\" height=\"46\" viewBox=\"0 0 640 46\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"{}\" y=\"14\" width=\"{}\" height=\"14\" fill=\"#eef1f5\"/>",
        coord(left),
        coord(width)
    );
    let mut seen = std::collections::BTreeSet::new();
    for inc in rows.iter().flat_map(|c| c.incidents.iter()) {
        if !seen.insert((inc.start, inc.end)) {
            continue;
        }
        let (a, b) = (x(inc.start.unix_seconds()), x(inc.end.unix_seconds()));
        let _ = writeln!(
            out,
            "<rect class=\"incident\" x=\"{}\" y=\"10\" width=\"{}\" height=\"22\" fill=\"#d93025\"><title>{} to {}</title></rect>",
            coord(a),
            coord((b - a).max(Decimal::TWO)),
            local(inc.start),
            local(inc.end)
        );
    }
    for c in rows {
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"30\" y2=\"36\" stroke=\"#8a94a3\"/>",
            coord(x(c.period_start.unix_seconds()))
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"44\" font-size=\"10\" fill=\"#5b6675\">{}</text>\n<text x=\"{}\" y=\"44\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6675\">{}</text>\n</svg>",
        coord(left),
        local(rows[0].period_start),
        coord(w - right),
        local(rows[rows.len() - 1].period_end)
    );
}
