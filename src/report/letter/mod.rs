//! The claim letter (`--format markdown`): for each breached subscription and period, a letter
//! to the provider — date, addressee, subject, the last day to claim, the customer and its
//! account, the incidents in the contract's zone (and a zone of the reader's) with UTC
//! alongside, what each source saw — then the arithmetic step by step as an appendix, and what
//! the claim must contain. Figures are the JSON's; amounts are grouped for reading.

use super::{for_reading, minutes, percent, uptime};
use crate::claim::{Claims, EarnBackStatus};
use crate::contract::{
    BeyondPer, CapWindow, Contract, Counting, CreditModel, Deadline, ExcludedTime, Minimum,
    PartialImpact, UnitCount,
};
use crate::explain::Explanation;
use crate::money::Currency;
use crate::time::Instant;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

/// The languages a letter is written in; their texts are data files beside this module
/// (`en.yaml`, `ko.yaml`), not strings in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// The language of a code (`en`, `ko`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    fn texts(self) -> &'static Texts {
        static EN: OnceLock<Texts> = OnceLock::new();
        static KO: OnceLock<Texts> = OnceLock::new();
        match self {
            Lang::En => EN.get_or_init(|| Texts::parse("en.yaml", include_str!("en.yaml"))),
            Lang::Ko => KO.get_or_init(|| Texts::parse("ko.yaml", include_str!("ko.yaml"))),
        }
    }

    /// A date in prose: `2019-01-31`, `2019년 1월 31일`.
    fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::En => d.to_string(),
            Lang::Ko => format!("{}년 {}월 {}일", d.year(), d.month(), d.day()),
        }
    }

    /// The word for the `n`-th: `second`, `21st`; `두`, `21` (followed by `번째`).
    fn ordinal(self, n: u32) -> String {
        const KO: [&str; 10] = [
            "첫", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열",
        ];
        match self {
            Lang::En => ordinal(n),
            Lang::Ko => n
                .checked_sub(1)
                .and_then(|i| KO.get(i as usize))
                .map_or_else(|| n.to_string(), |w| (*w).to_owned()),
        }
    }

    /// An amount with its currency, grouped for reading: `USD 12,000.00`; in Korean won
    /// `3,333,333원`.
    fn amount(self, x: Decimal, cur: Currency) -> String {
        match (self, cur.code()) {
            (Lang::Ko, "KRW") => format!("{}원", for_reading(x, cur)),
            _ => format!("{cur} {}", for_reading(x, cur)),
        }
    }
}

/// A language's texts by key.
struct Texts(BTreeMap<String, String>);

impl Texts {
    fn parse(file: &str, text: &str) -> Texts {
        // The files are part of the build and tested; an unreadable one would show its keys.
        let map = crate::yaml::Located::<BTreeMap<String, String>>::parse(file, text)
            .map(|l| l.value)
            .unwrap_or_default();
        Texts(map)
    }

    /// The text of `key` with each `{name}` of `args` filled in.
    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let Some(text) = self.0.get(key) else {
            return format!("⟦{key}⟧");
        };
        let mut out = text.clone();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The text of `key`, with nothing to fill in.
    fn t(&self, key: &str) -> String {
        self.f(key, &[])
    }
}

/// How letters are dated, in what language, and what zone their reader keeps.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The letter's date.
    pub date: NaiveDate,
    /// A zone of the reader's in which incidents are shown too (beside the contract's and UTC).
    pub display_zone: Option<Tz>,
    /// The language.
    pub lang: Lang,
}

/// The letters for every claim explained (see [`crate::explain::explain`]: the breached ones and
/// those owing a credit), or a note that there is none; then the inputs' fingerprints.
pub fn render(letters: &[Explanation<'_>], claims: &Claims, options: &Options) -> String {
    if letters.is_empty() {
        return options.lang.texts().t("no_claims");
    }
    let mut out = String::new();
    for (n, e) in letters.iter().enumerate() {
        if n > 0 {
            out.push_str("\n---\n\n");
        }
        letter(&mut out, e, options);
    }
    out + &prepared(claims, options)
}

/// The letters as one printable HTML page (A4, a letter to a sheet at least): the markdown
/// letters rendered as HTML, each starting on a new page.
pub fn render_html(letters: &[Explanation<'_>], claims: &Claims, options: &Options) -> String {
    printable(&render(letters, claims, options), options.lang)
}

/// `markdown` (a letter as [`render`] writes it) as a self-contained printable page.
pub fn printable(markdown: &str, lang: Lang) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, parser);
    let code = match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{PRINT_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.texts().t("default_subject")
    )
}

/// A4 sheets with margins; each letter (after a rule) on a new sheet; tables that fit the width.
const PRINT_CSS: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'Noto Sans', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; max-width: 178mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 8pt; }
h2 { font-size: 12pt; margin: 14pt 0 6pt; }
ul { padding-left: 16pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 6pt 0; }
th, td { border: 0.5pt solid #888; padding: 2pt 4pt; text-align: left; vertical-align: top; }
code { font-size: 8.5pt; word-break: break-all; }
hr { break-after: page; border: 0; margin: 0; }
@media screen { body { margin: 24px auto; } }
";

/// One letter alone, with the inputs' fingerprints (`--output-dir`: a file per letter).
pub fn render_one(letter_of: &Explanation<'_>, claims: &Claims, options: &Options) -> String {
    let mut out = String::new();
    letter(&mut out, letter_of, options);
    out + &prepared(claims, options)
}

/// What the letters were prepared with and from.
fn prepared(claims: &Claims, options: &Options) -> String {
    let tool = super::tool();
    let mut out = format!(
        "\n---\n\n{}\n\n",
        options.lang.texts().f("prepared", &[("tool", &tool)])
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
    let (lang, x) = (options.lang, options.lang.texts());
    let cur = c.currency;
    // Every amount as people read it: the currency and grouped digits (`USD 12,000.00`).
    let amount = |v: Decimal| lang.amount(v, cur);
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    let (subscription, period) = (c.subscription.to_string(), c.period.to_string());
    line(
        x.f(
            "title",
            &[("subscription", &subscription), ("period", &period)],
        ) + "\n",
    );
    line(x.f("date", &[("date", &lang.date(options.date))]));
    if let Some(to) = contract.send_to() {
        line(x.f("to", &[("to", to)]));
    }
    // The subject the terms require, naming what is claimed.
    let subject = contract
        .claim_subject()
        .map_or_else(|| x.t("default_subject"), str::to_owned);
    line(x.f(
        "subject",
        &[
            ("subject", &subject),
            ("subscription", &subscription),
            ("period", &period),
        ],
    ));
    line(x.f("customer", &[("customer", &c.customer)]));
    line(x.f("subscription", &[("subscription", &subscription)]));
    for (name, value) in c.attributes.iter() {
        line(x.f("attribute", &[("name", name), ("value", value)]));
    }
    let provider = contract
        .provider()
        .map(|p| x.f("provider", &[("provider", p)]))
        .unwrap_or_default();
    line(x.f(
        "contract",
        &[
            ("title", contract.title().unwrap_or(contract.id())),
            ("id", contract.id()),
            ("provider", &provider),
        ],
    ));
    if let Some(source) = contract.source() {
        let dated = contract
            .terms_date()
            .map(|d| x.f("terms_dated", &[("date", &lang.date(d))]))
            .unwrap_or_default();
        line(x.f("terms", &[("source", source), ("dated", &dated)]));
    }
    let in_utc = contract.timezone() == chrono_tz::UTC;
    if in_utc {
        let (start, end) = (utc(c.period_start), utc(c.period_end));
        line(x.f(
            "period",
            &[("period", &period), ("start", &start), ("end", &end)],
        ));
    } else {
        let (start, end) = (
            local(c.period_start, contract),
            local(c.period_end, contract),
        );
        let (start_utc, end_utc) = (utc(c.period_start), utc(c.period_end));
        line(x.f(
            "period_utc",
            &[
                ("period", &period),
                ("start", &start),
                ("end", &end),
                ("start_utc", &start_utc),
                ("end_utc", &end_utc),
            ],
        ));
    }
    line(x.f("credit_claimed", &[("amount", &amount(c.credit))]));
    match c.claim_deadline {
        Some(d) => line(x.f("claim_by", &[("date", &lang.date(d))]) + "\n"),
        None => line(String::new()),
    }
    line(
        x.f(
            "body",
            &[
                ("uptime", &uptime(c.uptime_percent)),
                ("period", &period),
                ("commitment", &percent(c.commitment_percent)),
            ],
        ) + "\n",
    );

    // Incidents and what each source saw of them.
    line(x.t("incidents") + "\n");
    if c.incidents.is_empty() {
        line(x.t("no_incident") + "\n");
    } else {
        let zone = contract.timezone().name();
        // The reader's zone, where it is neither the contract's nor UTC.
        let reader = options
            .display_zone
            .filter(|z| *z != contract.timezone() && *z != chrono_tz::UTC);
        let mut head = vec!["#".to_owned()];
        for z in reader
            .iter()
            .map(|z| z.name())
            .chain((!in_utc).then_some(zone))
        {
            head.push(x.f("col_start", &[("zone", z)]));
            head.push(x.f("col_end", &[("zone", z)]));
        }
        head.push(x.f("col_start", &[("zone", "UTC")]));
        head.push(x.f("col_end", &[("zone", "UTC")]));
        head.push(x.t("col_counted"));
        head.push(x.t("col_references"));
        line(format!("| {} |", head.join(" | ")));
        line(format!("|{}", "---|".repeat(head.len())));
        for (i, inc) in c.incidents.iter().enumerate() {
            let refs: Vec<&str> = inc.references.iter().map(|r| &**r).collect();
            let mut cells = vec![(i + 1).to_string()];
            if let Some(z) = reader {
                cells.push(in_zone(inc.start, z));
                cells.push(in_zone(inc.end, z));
            }
            if !in_utc {
                cells.push(local(inc.start, contract));
                cells.push(local(inc.end, contract));
            }
            cells.push(inc.start.to_string());
            cells.push(inc.end.to_string());
            cells.push(minutes(inc.downtime_minutes));
            cells.push(refs.join(", "));
            line(format!("| {} |", cells.join(" | ")));
        }
        line(format!(
            "\n{}\n\n| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
            x.t("sources_reported"),
            x.t("col_source"),
            x.t("col_from_utc"),
            x.t("col_to_utc"),
            x.t("col_cause")
        ));
        for (i, seen) in e.seen.iter().enumerate() {
            for s in seen {
                line(format!(
                    "| {} | {} | {} | {} | {} |",
                    i + 1,
                    s.source.clone().unwrap_or_else(|| x.t("no_source")),
                    s.from,
                    s.to,
                    s.cause.clone().unwrap_or_else(|| x.t("unplanned"))
                ));
            }
        }
        line(String::new());
    }

    line(x.t("deadline_heading") + "\n");
    match (c.claim_deadline, contract.deadline()) {
        (Some(d), Some(rule)) => {
            let why = match rule {
                Deadline::PeriodsAfter(n) => x.f(
                    "why_periods_after",
                    &[
                        ("ordinal", &lang.ordinal(n)),
                        ("n", &n.to_string()),
                        ("period", &period),
                    ],
                ),
                Deadline::DaysAfterIncident(n) => {
                    x.f("why_days_after_incident", &[("n", &n.to_string())])
                }
                Deadline::DaysAfterPeriodEnd(n) => x.f(
                    "why_days_after_period_end",
                    &[("n", &n.to_string()), ("period", &period)],
                ),
            };
            line(
                x.f(
                    "deadline",
                    &[
                        ("date", &lang.date(d)),
                        ("why", &why),
                        ("zone", contract.timezone().name()),
                    ],
                ) + "\n",
            );
            // Each incident has its own day: filing after the first passes loses that incident.
            let later: Vec<String> = c
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(i, inc)| {
                    let day = inc.deadline.filter(|&day| day > d)?;
                    Some(x.f(
                        "later_incident",
                        &[("n", &(i + 1).to_string()), ("date", &lang.date(day))],
                    ))
                })
                .collect();
            if matches!(rule, Deadline::DaysAfterIncident(_)) && !later.is_empty() {
                line(x.f("later_incidents", &[("list", &later.join(", "))]) + "\n");
            }
        }
        _ => line(x.t("no_deadline") + "\n"),
    }
    if !contract.requires().is_empty() {
        line(x.t("requires") + "\n");
        for r in contract.requires() {
            line(format!("- {r}"));
        }
        line(String::new());
    }
    line(x.f("signature", &[("customer", &c.customer)]) + "\n");

    // The arithmetic.
    line(x.t("appendix") + "\n");
    let rules = contract.downtime();
    let mut step = 0;
    let mut say = |text: String| {
        step += 1;
        line(format!("{step}. {text}"));
    };
    let mut eligible = x.f(
        "eligible",
        &[
            ("minutes", &minutes(c.eligible_minutes)),
            ("zone", contract.timezone().name()),
        ],
    );
    let (first_day, last_day) = (c.period.first_day(), c.period.last_day());
    if let Some(hours) = contract.service_hours() {
        eligible.push_str(&x.t("eligible_hours"));
        // The holidays that shaped this period's eligible time, and where they come from.
        let days: Vec<String> = hours
            .holidays()
            .range(first_day..=last_day)
            .map(|&d| lang.date(d))
            .collect();
        if !days.is_empty() {
            eligible.push_str(&x.f("eligible_holidays", &[("list", &days.join(", "))]));
        }
        if let Some(calendar) = hours.calendar() {
            eligible.push_str(&x.f(
                "eligible_calendar",
                &[("name", calendar.name()), ("source", calendar.source())],
            ));
        }
    }
    if sub.active_from.is_some_and(|d| d > first_day) || sub.active_to.is_some_and(|d| d < last_day)
    {
        let from = sub
            .active_from
            .map(|d| d.max(first_day))
            .unwrap_or(first_day);
        let to = sub.active_to.map(|d| d.min(last_day)).unwrap_or(last_day);
        eligible.push_str(&x.f(
            "eligible_active",
            &[("from", &lang.date(from)), ("to", &lang.date(to))],
        ));
    }
    say(eligible + ".");
    let how = match contract.exclusions().excluded_time {
        ExcludedTime::CountsAsUp => x.t("excluded_counts_as_up"),
        ExcludedTime::RemovedFromPeriod => x.t("excluded_removed"),
    };
    // Only what is excluded is listed as excluded; maintenance announced too late (or never)
    // is downtime, and is said to be.
    let mut causes: Vec<String> = e
        .excluded
        .iter()
        .map(|w| {
            let (start, end) = (w.start.to_string(), w.end.to_string());
            match (w.cause.as_deref().unwrap_or(""), w.announced_at) {
                ("maintenance", Some(a)) => x.f(
                    "excluded_maintenance",
                    &[
                        ("start", &start),
                        ("end", &end),
                        ("announced", &a.to_string()),
                    ],
                ),
                (other, _) => x.f(
                    "excluded_cause",
                    &[("cause", other), ("start", &start), ("end", &end)],
                ),
            }
        })
        .collect();
    let late: Vec<String> = e
        .late
        .iter()
        .map(|w| {
            let (start, end) = (w.start.to_string(), w.end.to_string());
            match w.announced_at {
                Some(a) => x.f(
                    "late_announced",
                    &[
                        ("start", &start),
                        ("end", &end),
                        ("announced", &a.to_string()),
                    ],
                ),
                None => x.f("late_never", &[("start", &start), ("end", &end)]),
            }
        })
        .collect();
    let inside: Vec<String> = e
        .in_maintenance_windows
        .iter()
        .map(|w| {
            x.f(
                "inside_window",
                &[("start", &w.start.to_string()), ("end", &w.end.to_string())],
            )
        })
        .collect();
    causes.extend(
        inside
            .iter()
            .map(|w| x.f("excluded_inside", &[("window", w)])),
    );
    if c.excluded_minutes.is_zero() && causes.is_empty() {
        say(x.t("excluded_none"));
    } else {
        say(x.f(
            "excluded",
            &[
                ("minutes", &minutes(c.excluded_minutes)),
                ("how", &how),
                ("causes", &causes.join("; ")),
            ],
        ));
    }
    if !inside.is_empty() {
        say(x.f("inside_windows", &[("list", &inside.join("; "))]));
    }
    if !late.is_empty() {
        say(x.f(
            "late",
            &[
                (
                    "notice",
                    &contract.exclusions().maintenance_notice.to_string(),
                ),
                ("list", &late.join("; ")),
            ],
        ));
    }
    let mut counted = match rules.counting {
        Counting::Exact => x.t("counting_exact"),
        Counting::TouchedMinutes => x.t("counting_touched"),
        Counting::WholeMinutes => x.t("counting_whole"),
    };
    if !rules.min_duration.0.eq(&0) {
        counted.push_str(&x.f(
            "min_duration",
            &[("duration", &rules.min_duration.to_string())],
        ));
    }
    counted.push_str(&match rules.partial_impact {
        PartialImpact::Weighted => x.t("partial_weighted"),
        PartialImpact::Full => x.t("partial_full"),
        PartialImpact::Ignore => x.t("partial_ignore"),
    });
    // Composite availability, where the subscription lists several values (else the simple
    // reading holds and there is nothing to tell).
    let listed = rules.composite.as_ref().and_then(|comp| {
        let values = crate::scope::listed(sub.scope.get(&comp.label)?)?;
        Some((comp, values.join(", ")))
    });
    if let Some((comp, values)) = listed {
        counted.push_str(&x.f(
            "composite",
            &[
                ("n", &comp.at_least.to_string()),
                ("label", &comp.label),
                ("values", &values),
            ],
        ));
    }
    say(x.f(
        "downtime",
        &[
            ("minutes", &minutes(c.downtime_minutes)),
            ("rules", &counted),
        ],
    ));
    say(x.f(
        "uptime",
        &[
            ("eligible", &minutes(c.eligible_minutes)),
            ("downtime", &minutes(c.downtime_minutes)),
            ("uptime", &uptime(c.uptime_percent)),
            (
                "relation",
                &x.t(if c.breached { "below" } else { "not_below" }),
            ),
            ("commitment", &percent(c.commitment_percent)),
        ],
    ));
    let credits = contract.credits();
    let basis_from = if e.charged {
        x.t("basis_charges")
    } else if c.basis != sub.fee.amount {
        x.f("basis_prorated", &[("fee", &amount(sub.fee.amount))])
    } else {
        x.t("basis_fee")
    };
    say(x.f(
        "basis",
        &[("amount", &amount(c.basis)), ("from", &basis_from)],
    ));
    let credit_percent = c.credit_percent.map(percent).unwrap_or_default();
    match &credits.model {
        CreditModel::Tiers(tiers) => {
            let table: Vec<String> = tiers
                .iter()
                .map(|t| {
                    x.f(
                        "tier",
                        &[
                            ("below", &percent(t.below)),
                            ("percent", &percent(t.percent)),
                        ],
                    )
                })
                .collect();
            say(x.f(
                "tiers",
                &[("table", &table.join("; ")), ("percent", &credit_percent)],
            ));
        }
        CreditModel::PerDuration {
            percent: p,
            per,
            count,
            beyond,
            beyond_per,
        } => {
            let count = match count {
                UnitCount::Started => x.t("per_started"),
                UnitCount::Completed => x.t("per_completed"),
            };
            let beyond = match (beyond_per, beyond.0) {
                (BeyondPer::Period, 0) => String::new(),
                (BeyondPer::Period, _) => x.f("per_beyond", &[("beyond", &beyond.to_string())]),
                (BeyondPer::Incident, 0) => x.t("per_each_incident"),
                (BeyondPer::Incident, _) => {
                    x.f("per_beyond_incident", &[("beyond", &beyond.to_string())])
                }
            };
            say(x.f(
                "per_duration",
                &[
                    ("percent", &percent(*p)),
                    ("count", &count),
                    ("per", &per.to_string()),
                    ("beyond", &beyond),
                    ("total", &credit_percent),
                ],
            ));
            // Each incident's own units, numbered as the incidents are listed.
            if let Some(units) = crate::calculator::incident_units(contract, &c.incidents) {
                let list: Vec<String> = c
                    .incidents
                    .iter()
                    .zip(units)
                    .enumerate()
                    .map(|(n, (i, units))| {
                        x.f(
                            "per_incident",
                            &[
                                ("n", &(n + 1).to_string()),
                                ("minutes", &minutes(i.downtime_minutes)),
                                ("units", &units.to_string()),
                            ],
                        )
                    })
                    .collect();
                if !list.is_empty() {
                    say(x.f("per_incidents", &[("list", &list.join("; "))]));
                }
            }
        }
        CreditModel::FeeMultiple {
            multiple,
            hours_basis,
            ..
        } => {
            let hours = hours_basis.map_or_else(
                || x.t("fee_real_hours"),
                |h| x.f("fee_hours", &[("hours", &percent(h))]),
            );
            say(x.f(
                "fee_multiple",
                &[("multiple", &percent(*multiple)), ("hours", &hours)],
            ));
        }
        CreditModel::Fixed {
            amount: fixed,
            min_incident,
        } => {
            say(x.f(
                "fixed",
                &[
                    ("amount", &amount(*fixed)),
                    ("duration", &min_incident.to_string()),
                ],
            ));
        }
        CreditModel::AtRisk {
            pool,
            percent: p,
            allocation,
            ..
        } => {
            say(x.f(
                "at_risk",
                &[
                    ("allocation", &percent(*allocation)),
                    ("percent", &percent(*p)),
                    ("pool", pool),
                    ("total", &credit_percent),
                ],
            ));
        }
    }
    let s = &c.steps;
    say(x.f("before_caps", &[("amount", &amount(s.model_amount))]));
    if let Some(cap) = credits.cap {
        let limit = cap.limit(c.basis).map(amount).unwrap_or_default();
        let reached = if s.after_period_cap < s.model_amount {
            x.t("cap_applies")
        } else {
            x.t("cap_not_reached")
        };
        say(x.f(
            "period_cap",
            &[
                ("limit", &limit),
                ("reached", &reached),
                ("amount", &amount(s.after_period_cap)),
            ],
        ));
    }
    match credits.minimum {
        Minimum::AtLeast(m) if m.is_zero() => {}
        Minimum::AtLeast(m) => say(x.f(
            "minimum_below",
            &[
                ("minimum", &amount(m)),
                ("amount", &amount(s.after_minimum)),
            ],
        )),
        Minimum::Above(m) => say(x.f(
            "minimum_above",
            &[
                ("minimum", &amount(m)),
                ("amount", &amount(s.after_minimum)),
            ],
        )),
    }
    say(x.f(
        "rounding",
        &[
            ("mode", credits.rounding.name()),
            ("digits", &cur.minor_units().to_string()),
            ("amount", &amount(s.after_rounding)),
        ],
    ));
    if let (
        Some(left),
        CreditModel::AtRisk {
            pool, percent: p, ..
        },
    ) = (s.pool_cap_remaining, &credits.model)
    {
        let limit = crate::calculator::pool_amount(c.basis, *p, cur);
        say(x.f(
            "pool_cap",
            &[
                ("pool", pool),
                ("limit", &amount(limit)),
                ("left", &amount(left)),
                ("amount", &amount(s.after_rounding.min(left))),
            ],
        ));
    }
    if let Some(left) = s.annual_cap_remaining {
        let key = match credits.annual_window {
            CapWindow::CalendarYear => "annual_cap",
            CapWindow::Rolling12 => "annual_cap_rolling",
        };
        say(x.f(key, &[("amount", &amount(left))]));
    }
    if let (Some(e), Some(n)) = (c.earn_back, credits.earn_back) {
        let n = n.to_string();
        let period = e.decided_in.map(|p| p.to_string()).unwrap_or_default();
        let before = amount(c.credit_before_earn_back.unwrap_or(c.credit));
        say(match e.status {
            EarnBackStatus::Pending => x.f("earn_back_pending", &[("n", &n)]),
            EarnBackStatus::Due => x.f("earn_back_due", &[("period", &period)]),
            EarnBackStatus::Forgiven => x.f(
                "earn_back_forgiven",
                &[("n", &n), ("period", &period), ("amount", &before)],
            ),
        });
    }
    let capped = if c.capped {
        x.t("capped")
    } else {
        String::new()
    };
    line(
        "\n".to_owned()
            + &x.f(
                "total",
                &[("amount", &amount(c.credit)), ("capped", &capped)],
            )
            + "\n",
    );
    if let Some(why) = crate::explain::no_credit(c) {
        let reason = x.t(why.describe().0);
        line(x.f("no_credit", &[("reason", &reason)]) + "\n");
    }

    // Each source alone.
    if !e.alone.is_empty() {
        line(format!(
            "{}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
            x.t("alone_heading"),
            x.t("col_source"),
            x.t("col_downtime"),
            x.t("col_uptime"),
            x.t("col_credit")
        ));
        for (source, alone) in &e.alone {
            line(format!(
                "| {} | {} | {} | {} |",
                source.clone().unwrap_or_else(|| x.t("no_source")),
                minutes(alone.downtime_minutes),
                uptime(alone.uptime_percent),
                amount(alone.credit)
            ));
        }
        line(format!(
            "| {} | {} | {} | {} |",
            x.t("all_sources"),
            minutes(c.downtime_minutes),
            uptime(c.uptime_percent),
            amount(c.credit)
        ));
        if let Some(spread) = e.sources_differ_by() {
            line(format!(
                "\n{}\n",
                x.f("sources_differ", &[("amount", &amount(spread))])
            ));
        }
    }

    if let Some(next) = c.next_tier {
        let more = minutes(next.more_downtime_minutes);
        let unit = x.t(if more == "1" { "minute" } else { "minutes" });
        line(x.f(
            "next_tier",
            &[
                ("minutes", &more),
                ("unit", &unit),
                ("percent", &percent(next.credit_percent)),
            ],
        ));
    }
}

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

#[cfg(test)]
mod texts {
    use super::*;

    /// Every language has every key, and nothing else; a key the code asks for is in the files
    /// (a missing one prints as ⟦key⟧, which the letter tests would show).
    #[test]
    fn every_language_has_the_same_keys() {
        let en: Vec<&String> = Lang::En.texts().0.keys().collect();
        let ko: Vec<&String> = Lang::Ko.texts().0.keys().collect();
        assert!(en.len() > 80, "{} keys read", en.len());
        assert_eq!(en, ko);
    }

    #[test]
    fn korean_dates_ordinals_and_won() {
        let d = NaiveDate::from_ymd_opt(2019, 1, 31).unwrap();
        assert_eq!(Lang::Ko.date(d), "2019년 1월 31일");
        assert_eq!(Lang::En.date(d), "2019-01-31");
        assert_eq!(Lang::Ko.ordinal(2), "두");
        assert_eq!(Lang::Ko.ordinal(12), "12");
        let krw = Currency::from_code("KRW").unwrap();
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(
            Lang::Ko.amount(Decimal::from(3_333_333), krw),
            "3,333,333원"
        );
        assert_eq!(Lang::Ko.amount(Decimal::from(12_000), usd), "USD 12,000.00");
        assert_eq!(
            Lang::En.amount(Decimal::from(3_333_333), krw),
            "KRW 3,333,333"
        );
    }
}
