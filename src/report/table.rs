//! A plain-text table for people at a terminal.

use super::{for_reading, minutes, percent, uptime};
use crate::claim::Claims;

/// The claims as an aligned table with totals.
pub fn render(claims: &Claims) -> String {
    let header = [
        "SUBSCRIPTION",
        "CUSTOMER",
        "PERIOD",
        "DOWNTIME MIN",
        "UPTIME %",
        "BREACH",
        "CREDIT %",
        "BASIS",
        "CREDIT",
        "CUR",
        "DEADLINE",
        "NEXT TIER",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for c in &claims.claims {
        rows.push(vec![
            c.subscription.to_string(),
            c.customer.to_string(),
            c.period.to_string(),
            minutes(c.downtime_minutes),
            uptime(c.uptime_percent),
            if c.breached {
                "yes".into()
            } else {
                "no".into()
            },
            c.credit_percent.map(percent).unwrap_or_else(|| "-".into()),
            for_reading(c.basis, c.currency),
            format!(
                "{}{}",
                for_reading(c.credit, c.currency),
                if c.capped { " (capped)" } else { "" }
            ),
            c.currency.code().to_owned(),
            c.claim_deadline
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            c.next_tier
                .map(|n| {
                    format!(
                        "{}% at +{} min",
                        percent(n.credit_percent),
                        minutes(n.more_downtime_minutes)
                    )
                })
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| super::pad(cell, *w))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    if claims.claims.is_empty() {
        out.push_str("(no claims: no subscription was active in the selected periods)\n");
    }
    for n in claims
        .claims
        .iter()
        .filter_map(|c| c.note.as_ref().map(|n| (c, n)))
    {
        out.push_str(&format!(
            "note {} {}: {}\n",
            n.0.subscription, n.0.period, n.1
        ));
    }
    for c in &claims.claims {
        if let Some(why) = crate::explain::no_credit(c) {
            out.push_str(&format!(
                "no credit {} {}: {}\n",
                c.subscription,
                c.period,
                why.describe().1
            ));
        }
    }
    for c in &claims.claims {
        if let Some(e) = c.earn_back {
            out.push_str(&format!(
                "earn-back {} {}: {}\n",
                c.subscription,
                c.period,
                super::earn_back_text(e, c.credit_before_earn_back.unwrap_or(c.credit), c.currency)
            ));
        }
    }
    for t in &claims.totals {
        out.push_str(&format!(
            "total {} {}{}\n",
            t.currency,
            for_reading(t.credit, t.currency),
            super::due_and_pending(t)
        ));
    }
    out
}
