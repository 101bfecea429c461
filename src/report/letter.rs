//! The claim letter (`--format markdown`): for each breached subscription and period, a letter
//! to the provider — date, addressee, subject, the last day to claim, the customer and its
//! account, the incidents in the contract's zone (and a zone of the reader's) with UTC
//! alongside, what each source saw — then the arithmetic step by step as an appendix, and what
//! the claim must contain. Figures are the JSON's; amounts are grouped for reading.

use super::{for_reading, minutes, percent, uptime};
use crate::claim::Claims;
use crate::contract::{
    Contract, Counting, CreditModel, Deadline, ExcludedTime, Minimum, PartialImpact, UnitCount,
};
use crate::explain::Explanation;
use crate::time::Instant;
use chrono::NaiveDate;
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::fmt::Write;

/// How letters are dated and what zone their reader keeps.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The letter's date.
    pub date: NaiveDate,
    /// A zone of the reader's in which incidents are shown too (beside the contract's and UTC).
    pub display_zone: Option<Tz>,
}

/// The letters for every claim explained (see [`crate::explain::explain`]: the breached ones and
/// those owing a credit), or a note that there is none; then the inputs' fingerprints.
pub fn render(letters: &[Explanation<'_>], claims: &Claims, options: &Options) -> String {
    if letters.is_empty() {
        return "# Service credit claims\n\nNo subscription breached its commitment in the periods examined; there is nothing to claim.\n".to_owned();
    }
    let mut out = String::new();
    for (n, e) in letters.iter().enumerate() {
        if n > 0 {
            out.push_str("\n---\n\n");
        }
        letter(&mut out, e, options);
    }
    out + &prepared(claims)
}

/// One letter alone, with the inputs' fingerprints (`--output-dir`: a file per letter).
pub fn render_one(letter_of: &Explanation<'_>, claims: &Claims, options: &Options) -> String {
    let mut out = String::new();
    letter(&mut out, letter_of, options);
    out + &prepared(claims)
}

/// What the letters were prepared with and from.
fn prepared(claims: &Claims) -> String {
    let mut out = format!(
        "\n---\n\nPrepared with {} from the inputs below (SHA-256).\n\n",
        super::tool()
    );
    for f in &claims.inputs {
        let _ = writeln!(out, "- `{}` `{}`", f.path, f.sha256);
    }
    out
}

fn local(t: Instant, contract: &Contract) -> String {
    in_zone(t, contract.timezone())
}

fn in_zone(t: Instant, zone: Tz) -> String {
    t.in_zone(zone).format("%Y-%m-%d %H:%M:%S %Z").to_string()
}

fn utc(t: Instant) -> String {
    t.to_utc().format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn letter(out: &mut String, e: &Explanation<'_>, options: &Options) {
    let (c, contract, sub) = (e.claim, e.contract, e.subscription);
    let cur = c.currency;
    // Every amount as people read it: the currency, then grouped digits (`USD 12,000.00`).
    let amount = |x: Decimal| format!("{cur} {}", for_reading(x, cur));
    let _ = writeln!(
        out,
        "# Service credit claim: {} {}\n",
        c.subscription, c.period
    );
    let _ = writeln!(out, "- **Date:** {}", options.date);
    if let Some(to) = contract.send_to() {
        let _ = writeln!(out, "- **To:** {to}");
    }
    // The subject the terms require, naming what is claimed.
    let subject = contract.claim_subject().unwrap_or("Service credit claim");
    let _ = writeln!(
        out,
        "- **Subject:** {subject}: {} {}",
        c.subscription, c.period
    );
    let _ = writeln!(out, "- **Customer:** {}", c.customer);
    let _ = writeln!(out, "- **Subscription:** {}", c.subscription);
    for (name, value) in c.attributes.iter() {
        let _ = writeln!(out, "- **{name}:** {value}");
    }
    let _ = writeln!(
        out,
        "- **Contract:** {} (`{}`){}",
        contract.title().unwrap_or(contract.id()),
        contract.id(),
        contract
            .provider()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    );
    if let Some(source) = contract.source() {
        let dated = contract
            .terms_date()
            .map(|d| format!(", terms dated {d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "- **Terms:** {source}{dated}");
    }
    let in_utc = contract.timezone() == chrono_tz::UTC;
    if in_utc {
        let _ = writeln!(
            out,
            "- **Period:** {} — from {} to {}",
            c.period,
            utc(c.period_start),
            utc(c.period_end)
        );
    } else {
        let _ = writeln!(
            out,
            "- **Period:** {} — from {} to {} ({} to {})",
            c.period,
            local(c.period_start, contract),
            local(c.period_end, contract),
            utc(c.period_start),
            utc(c.period_end)
        );
    }
    let _ = writeln!(out, "- **Credit claimed:** {}", amount(c.credit));
    match c.claim_deadline {
        Some(d) => {
            let _ = writeln!(out, "- **Claim by:** {d} (see the deadline below)\n");
        }
        None => out.push('\n'),
    }

    let _ = writeln!(
        out,
        "Under the terms above, the service was available {} % of the eligible time in {}, below the committed {} %. We claim the service credit calculated in the appendix.\n",
        uptime(c.uptime_percent),
        c.period,
        percent(c.commitment_percent)
    );

    // Incidents and what each source saw of them.
    out.push_str("## Incidents\n\n");
    if c.incidents.is_empty() {
        out.push_str("No incident overlaps the eligible time of this period.\n\n");
    } else {
        let zone = contract.timezone().name();
        // The reader's zone, where it is neither the contract's nor UTC.
        let reader = options
            .display_zone
            .filter(|z| *z != contract.timezone() && *z != chrono_tz::UTC);
        let reader_head = reader
            .map(|z| format!(" start ({0}) | end ({0}) |", z.name()))
            .unwrap_or_default();
        let reader_rule = if reader.is_some() { "---|---|" } else { "" };
        if in_utc {
            let _ = writeln!(out, "| # |{reader_head} start (UTC) | end (UTC) | counted minutes | references |\n|---|{reader_rule}---|---|---|---|");
        } else {
            let _ = writeln!(out, "| # |{reader_head} start ({zone}) | end ({zone}) | start (UTC) | end (UTC) | counted minutes | references |");
            let _ = writeln!(out, "|---|{reader_rule}---|---|---|---|---|---|");
        }
        for (i, inc) in c.incidents.iter().enumerate() {
            let refs: Vec<&str> = inc.references.iter().map(|r| &**r).collect();
            let mut local_times = reader
                .map(|z| format!("{} | {} | ", in_zone(inc.start, z), in_zone(inc.end, z)))
                .unwrap_or_default();
            if !in_utc {
                local_times.push_str(&format!(
                    "{} | {} | ",
                    local(inc.start, contract),
                    local(inc.end, contract)
                ));
            }
            let _ = writeln!(
                out,
                "| {} | {local_times}{} | {} | {} | {} |",
                i + 1,
                inc.start,
                inc.end,
                minutes(inc.downtime_minutes),
                refs.join(", ")
            );
        }
        out.push_str("\nWhat each source reported:\n\n| # | source | from (UTC) | to (UTC) | cause |\n|---|---|---|---|---|\n");
        for (i, seen) in e.seen.iter().enumerate() {
            for s in seen {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    i + 1,
                    s.source.as_deref().unwrap_or(NO_SOURCE),
                    s.from,
                    s.to,
                    s.cause.as_deref().unwrap_or("unplanned")
                );
            }
        }
        out.push('\n');
    }

    out.push_str("## Deadline and what the claim must contain\n\n");
    match (c.claim_deadline, contract.deadline()) {
        (Some(d), Some(rule)) => {
            let why = match rule {
                Deadline::PeriodsAfter(n) => {
                    format!("the end of the {} period after {}", ordinal(n), c.period)
                }
                Deadline::DaysAfterIncident(n) => {
                    format!("{n} days after the first incident to end ended")
                }
                Deadline::DaysAfterPeriodEnd(n) => {
                    format!("{n} days after the end of {}", c.period)
                }
            };
            let _ = writeln!(
                out,
                "The claim must reach the provider by **{d}** ({why}, in {}).\n",
                contract.timezone().name()
            );
            // Each incident has its own day: filing after the first passes loses that incident.
            let later: Vec<String> = c
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(i, inc)| {
                    inc.deadline
                        .filter(|&x| x > d)
                        .map(|x| format!("#{} by {x}", i + 1))
                })
                .collect();
            if matches!(rule, Deadline::DaysAfterIncident(_)) && !later.is_empty() {
                let _ = writeln!(
                    out,
                    "Filed later, the claim loses the incidents whose day has passed; the later incidents' own last days: {}.\n",
                    later.join(", ")
                );
            }
        }
        _ => out.push_str("The contract sets no deadline for claims.\n\n"),
    }
    if !contract.requires().is_empty() {
        out.push_str("The contract requires the claim to include:\n\n");
        for r in contract.requires() {
            let _ = writeln!(out, "- {r}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Sincerely,\n\n{}\n", c.customer);

    // The arithmetic.
    out.push_str("## Appendix: the calculation\n\n");
    let rules = contract.downtime();
    let mut step = 0;
    let mut say = |out: &mut String, text: String| {
        step += 1;
        let _ = writeln!(out, "{step}. {text}");
    };
    let mut eligible = format!(
        "Eligible time: {} minutes — the period measured in {}",
        minutes(c.eligible_minutes),
        contract.timezone().name()
    );
    if contract.service_hours().is_some() {
        eligible.push_str(", within the contract's service hours and outside its holidays");
    }
    let (first_day, last_day) = (c.period.first_day(), c.period.last_day());
    if sub.active_from.is_some_and(|d| d > first_day) || sub.active_to.is_some_and(|d| d < last_day)
    {
        let from = sub
            .active_from
            .map(|d| d.max(first_day))
            .unwrap_or(first_day);
        let to = sub.active_to.map(|d| d.min(last_day)).unwrap_or(last_day);
        let _ = write!(
            eligible,
            ", only from {from} to {to} while the subscription was active"
        );
    }
    say(out, eligible + ".");
    let excluded_note = match contract.exclusions().excluded_time {
        ExcludedTime::CountsAsUp => "counted as available time",
        ExcludedTime::RemovedFromPeriod => "removed from the eligible time above",
    };
    // Only what is excluded is listed as excluded; maintenance announced too late (or never)
    // is downtime, and is said to be.
    let causes: Vec<String> = e
        .excluded
        .iter()
        .map(
            |w| match (w.cause.as_deref().unwrap_or(""), w.announced_at) {
                ("maintenance", Some(a)) => {
                    format!("maintenance {}–{} announced {a}", w.start, w.end)
                }
                (other, _) => format!("{other} {}–{}", w.start, w.end),
            },
        )
        .collect();
    let late: Vec<String> = e
        .late
        .iter()
        .map(|w| match w.announced_at {
            Some(a) => format!("{}–{} announced {a}, too late", w.start, w.end),
            None => format!("{}–{} never announced", w.start, w.end),
        })
        .collect();
    if c.excluded_minutes.is_zero() && causes.is_empty() {
        say(out, "Excluded time: none.".to_owned());
    } else {
        say(
            out,
            format!(
                "Excluded time: {} minutes, {excluded_note} ({}).",
                minutes(c.excluded_minutes),
                causes.join("; ")
            ),
        );
    }
    if !late.is_empty() {
        say(
            out,
            format!(
                "Maintenance counted as downtime, not announced {} ahead: {}.",
                contract.exclusions().maintenance_notice,
                late.join("; ")
            ),
        );
    }
    let counting = match rules.counting {
        Counting::Exact => "measured to the second",
        Counting::TouchedMinutes => "every clock minute with any downtime counts whole",
        Counting::WholeMinutes => "only clock minutes entirely down count",
    };
    let mut downtime = format!(
        "Downtime: {} minutes ({counting}",
        minutes(c.downtime_minutes)
    );
    if !rules.min_duration.0.eq(&0) {
        let _ = write!(
            downtime,
            "; interruptions shorter than {} do not count",
            rules.min_duration
        );
    }
    match rules.partial_impact {
        PartialImpact::Weighted => {
            downtime.push_str("; partial outages weighted by the share of failures")
        }
        PartialImpact::Full => downtime.push_str("; partial outages count in full"),
        PartialImpact::Ignore => downtime.push_str("; partial outages do not count"),
    }
    say(out, downtime + ").");
    say(
        out,
        format!(
            "Uptime: ({} − {}) ÷ {} × 100 = {} %, {} the commitment of {} %.",
            minutes(c.eligible_minutes),
            minutes(c.downtime_minutes),
            minutes(c.eligible_minutes),
            uptime(c.uptime_percent),
            if c.breached { "below" } else { "not below" },
            percent(c.commitment_percent)
        ),
    );
    let credits = contract.credits();
    let basis_from = if e.charged {
        "the period's actual charges".to_owned()
    } else if c.basis != sub.fee.amount {
        format!(
            "the fee of {} pro-rated to the active part of the period",
            amount(sub.fee.amount)
        )
    } else {
        "the period's fee for the service".to_owned()
    };
    say(out, format!("Basis: {} — {basis_from}.", amount(c.basis)));
    match &credits.model {
        CreditModel::Tiers(tiers) => {
            let table: Vec<String> = tiers
                .iter()
                .map(|t| format!("below {} % → {} %", percent(t.below), percent(t.percent)))
                .collect();
            say(
                out,
                format!(
                    "Credit tiers: {}. The uptime falls in the {} % tier.",
                    table.join("; "),
                    c.credit_percent.map(percent).unwrap_or_default()
                ),
            );
        }
        CreditModel::PerDuration {
            percent: p,
            per,
            count,
            beyond,
        } => {
            let count = match count {
                UnitCount::Started => "started",
                UnitCount::Completed => "completed",
            };
            let beyond = if beyond.0 == 0 {
                String::new()
            } else {
                format!(" beyond the first {beyond}")
            };
            say(
                out,
                format!(
                    "Credit: {} % of the basis for each {count} {per} of downtime{beyond}: {} %.",
                    percent(*p),
                    c.credit_percent.map(percent).unwrap_or_default()
                ),
            );
        }
        CreditModel::FeeMultiple {
            multiple,
            hours_basis,
            ..
        } => {
            let hours = hours_basis.map_or("the period's real hours".to_owned(), |h| {
                format!("{} hours", percent(h))
            });
            say(out, format!("Credit: {} × the hourly fee (the period's fee ÷ {hours}) × the hours of each qualifying incident.", percent(*multiple)));
        }
        CreditModel::Fixed {
            amount: fixed,
            min_incident,
        } => {
            say(
                out,
                format!(
                    "Credit: {} for each incident of at least {min_incident}, once.",
                    amount(*fixed)
                ),
            );
        }
    }
    let s = &c.steps;
    say(
        out,
        format!("Amount before caps: {}.", amount(s.model_amount)),
    );
    if let Some(cap) = credits.cap {
        let limit = cap.limit(c.basis).map(amount).unwrap_or_default();
        let reached = if s.after_period_cap < s.model_amount {
            "applies"
        } else {
            "not reached"
        };
        say(
            out,
            format!(
                "Period cap: {limit} ({reached}): {}.",
                amount(s.after_period_cap)
            ),
        );
    }
    match credits.minimum {
        Minimum::AtLeast(m) if m.is_zero() => {}
        Minimum::AtLeast(m) => say(
            out,
            format!(
                "Minimum: credits below {} are not issued: {}.",
                amount(m),
                amount(s.after_minimum)
            ),
        ),
        Minimum::Above(m) => say(
            out,
            format!(
                "Minimum: credits of {} or less are not issued: {}.",
                amount(m),
                amount(s.after_minimum)
            ),
        ),
    }
    say(
        out,
        format!(
            "Rounding ({}) to {} decimals: {}.",
            credits.rounding.name(),
            cur.minor_units(),
            amount(s.after_rounding)
        ),
    );
    if let Some(left) = s.annual_cap_remaining {
        say(
            out,
            format!(
                "Annual cap: {} left for the year before this period.",
                amount(left)
            ),
        );
    }
    let _ = writeln!(
        out,
        "\n**Credit claimed: {}**{}.\n",
        amount(c.credit),
        if c.capped { " (limited by a cap)" } else { "" }
    );

    // Each source alone.
    if !e.alone.is_empty() {
        out.push_str("## What each source alone would give\n\n| source | downtime minutes | uptime % | credit |\n|---|---|---|---|\n");
        for (source, alone) in &e.alone {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                source.as_deref().unwrap_or(NO_SOURCE),
                minutes(alone.downtime_minutes),
                uptime(alone.uptime_percent),
                amount(alone.credit)
            );
        }
        let _ = writeln!(
            out,
            "| all sources together (claimed) | {} | {} | {} |",
            minutes(c.downtime_minutes),
            uptime(c.uptime_percent),
            amount(c.credit)
        );
        if let Some(spread) = e.sources_differ_by() {
            let _ = writeln!(
                out,
                "\nThe sources differ by {} of credit.\n",
                amount(spread)
            );
        }
    }

    if let Some(next) = c.next_tier {
        let more = minutes(next.more_downtime_minutes);
        let unit = if more == "1" { "minute" } else { "minutes" };
        let _ = writeln!(
            out,
            "For reference: {more} more {unit} of downtime would have reached the {} % credit.",
            percent(next.credit_percent)
        );
    }
}

/// How windows without a source are named.
const NO_SOURCE: &str = "(no source given)";

fn ordinal(n: u32) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        // 11th, 12th and 13th; otherwise 21st, 22nd, 23rd.
        n if (11..=13).contains(&(n % 100)) => format!("{n}th"),
        n => match n % 10 {
            1 => format!("{n}st"),
            2 => format!("{n}nd"),
            3 => format!("{n}rd"),
            _ => format!("{n}th"),
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinals_are_english() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(super::ordinal)
            .collect();
        assert_eq!(
            words,
            [
                "first", "second", "third", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }
}
