//! A contract's clauses in words, for the audit an auditor signs: what each figure of the
//! audit was computed under.

use super::percent;
use crate::contract::{
    BeyondPer, Cap, CapWindow, Contract, CreditModel, Minimum, ServiceHours, UnitCount,
};
use crate::period::PeriodKind;

/// The clauses of `contract` that decide its credits, one sentence each.
pub fn describe(contract: &Contract) -> Vec<String> {
    let kind = match contract.period() {
        PeriodKind::Month => "Monthly",
        PeriodKind::Quarter => "Quarterly",
        PeriodKind::Year => "Yearly",
    };
    let mut out = vec![format!(
        "{kind} periods in {}; commitment {} %.",
        contract.timezone().name(),
        percent(contract.commitment())
    )];
    if let Some(hours) = contract.service_hours() {
        out.push(format!(
            "Service hours: {}{}.",
            weekly(hours),
            match hours.calendar() {
                Some(c) => {
                    let (first, last) = c.years();
                    let mut changes = String::new();
                    if !c.extra().is_empty() {
                        changes.push_str(&format!(", plus {}", dates(c.extra())));
                    }
                    if !c.except().is_empty() {
                        changes.push_str(&format!(", but not {}", dates(c.except())));
                    }
                    format!(
                        ", except the holidays of calendar {} ({first} to {last}, {}; {}){changes}",
                        c.name(),
                        c.file(),
                        c.source()
                    )
                }
                None if hours.holidays.is_empty() => String::new(),
                None => format!(", except {} holidays", hours.holidays.len()),
            }
        ));
    }
    if let Some(c) = &contract.downtime().composite {
        out.push(format!(
            "Composite availability: a subscription listing several values of scope label `{}` is down only where at least {} of them are at once, at the impact of the least affected of the {} most affected; one value reads as without.",
            c.label, c.at_least, c.at_least
        ));
    }
    let exclusions = contract.exclusions();
    if !exclusions.causes.is_empty() {
        let causes: Vec<&str> = exclusions.causes.iter().map(String::as_str).collect();
        let notice = if exclusions.causes.contains("maintenance") {
            format!(
                "; maintenance when announced at least {} ahead",
                exclusions.maintenance_notice
            )
        } else {
            String::new()
        };
        out.push(format!("Excluded causes: {}{notice}.", causes.join(", ")));
    }
    if let Some(slots) = &exclusions.maintenance_windows {
        out.push(format!(
            "Maintenance windows: {} (wall clock); maintenance inside them is excluded whatever its notice.",
            weekly(slots)
        ));
    }
    let credits = contract.credits();
    out.push(match &credits.model {
        CreditModel::Tiers(tiers) => {
            let list: Vec<String> = tiers
                .iter()
                .map(|t| format!("below {} % → {} %", percent(t.below), percent(t.percent)))
                .collect();
            format!("Credit tiers: {}.", list.join("; "))
        }
        CreditModel::PerDuration {
            percent: p,
            per,
            count,
            beyond,
            beyond_per,
        } => {
            let count = match count {
                UnitCount::Started => "started",
                UnitCount::Completed => "completed",
            };
            let beyond = match (beyond_per, beyond.0) {
                (BeyondPer::Period, 0) => String::new(),
                (BeyondPer::Period, _) => format!(" beyond the first {beyond} of the period"),
                (BeyondPer::Incident, 0) => ", incident by incident".to_owned(),
                (BeyondPer::Incident, _) => format!(" beyond the first {beyond} of each incident"),
            };
            format!(
                "Credit: {} % of the basis per {count} {per} of downtime{beyond}.",
                percent(*p)
            )
        }
        CreditModel::FeeMultiple { multiple, .. } => format!(
            "Credit: {} × the hourly fee × the hours of each qualifying incident.",
            percent(*multiple)
        ),
        CreditModel::Fixed {
            amount,
            min_incident,
        } => format!("Credit: {amount} per incident of at least {min_incident}."),
        CreditModel::AtRisk {
            pool,
            percent: p,
            allocation,
            ..
        } => format!(
            "Credit: a breach gives {} % of the at-risk amount of {} % of the basis (pool {pool}); the pool's credits of one customer and period are capped together at {} % of the basis, in subscription id order.",
            percent(*allocation),
            percent(*p),
            percent(*p)
        ),
    });
    if let Some(cap) = credits.cap {
        out.push(format!("Period cap: {} of the period.", limit(cap)));
    }
    if let Some(cap) = credits.annual_cap {
        out.push(match credits.annual_window {
            CapWindow::CalendarYear => {
                format!("Annual cap: {} of a calendar year's periods.", limit(cap))
            }
            CapWindow::Rolling12 => format!(
                "Rolling cap: {} of a period and the periods that start in the twelve months before it.",
                limit(cap)
            ),
        });
    }
    if let Some(n) = credits.earn_back {
        out.push(format!(
            "Earn-back: a credit is forgiven when each of the next {n} period{} meets the commitment.",
            if n == 1 { "" } else { "s" }
        ));
    }
    match credits.minimum {
        Minimum::AtLeast(m) if m.is_zero() => {}
        Minimum::AtLeast(m) => out.push(format!("Credits below {m} are not issued.")),
        Minimum::Above(m) => out.push(format!("Credits of {m} or less are not issued.")),
    }
    out.push(format!(
        "Rounding: {} to the currency's minor unit.",
        credits.rounding.name()
    ));
    out
}

/// A cap's limit in words: the lower of a percent of the bases and an amount.
fn limit(cap: Cap) -> String {
    match (cap.percent, cap.amount) {
        (Some(p), Some(a)) => format!("{} % of the bases, at most {a},", percent(p)),
        (Some(p), None) => format!("{} % of the bases", percent(p)),
        (None, Some(a)) => format!("{a} for the credits"),
        (None, None) => "none".to_owned(),
    }
}

/// Weekly rules in words: `mon, tue 09:00–18:00; sun 02:00–04:00`.
fn weekly(hours: &ServiceHours) -> String {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if hours.weekly.is_empty() {
        return "every hour".to_owned();
    }
    let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    let rules: Vec<String> = hours
        .weekly
        .iter()
        .map(|w| {
            let days: Vec<&str> = (0..7)
                .filter(|d| w.days & (1 << d) != 0)
                .map(|d| DAYS[d])
                .collect();
            format!("{} {}–{}", days.join(", "), clock(w.from), clock(w.to))
        })
        .collect();
    rules.join("; ")
}

/// Dates as a list.
fn dates(days: &[chrono::NaiveDate]) -> String {
    let list: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    list.join(", ")
}
