//! Credit models, caps, minimum and rounding (SPEC 2.1, 3.4, 3.6) on hand-computed numbers.

use crate::common::*;
use slacredit::report::minutes;

fn model(credits: &str) -> slacredit::Contract {
    contract(&format!(
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n{credits}\n"
    ))
}

/// 84 minutes in November 2018 (UTC).
fn seoul() -> Vec<slacredit::Window> {
    vec![window("2018-11-21T23:19:00Z", "2018-11-22T00:43:00Z")]
}

#[test]
fn rounding_usd_half_up_and_half_even() {
    // 10 % of 100.05 = 10.005: half-up 10.01, half-even 10.00.
    for (mode, expected) in [
        ("half-up", "10.01"),
        ("half-even", "10.00"),
        ("down", "10.00"),
        ("up", "10.01"),
    ] {
        let c = model(&format!(
            "  tiers: [{{ below: 99.99, percent: 10 }}]\n  rounding: {mode}"
        ));
        assert_eq!(
            one(c, sub("100.05", "USD"), seoul(), "2018-11")
                .credit
                .to_string(),
            expected,
            "{mode}"
        );
    }
}

#[test]
fn rounding_krw_and_jpy_to_whole_units() {
    // 10 % of KRW 33,333,325 = 3,333,332.5: half-up 3,333,333, half-even 3,333,332.
    // 10 % of JPY 1,005 = 100.5: half-up 101, half-even 100.
    for (fee, cur, mode, expected) in [
        ("33333325", "KRW", "half-up", "3333333"),
        ("33333325", "KRW", "half-even", "3333332"),
        ("1005", "JPY", "half-up", "101"),
        ("1005", "JPY", "half-even", "100"),
    ] {
        let c = model(&format!(
            "  tiers: [{{ below: 99.99, percent: 10 }}]\n  rounding: {mode}"
        ));
        assert_eq!(
            one(c, sub(fee, cur), seoul(), "2018-11").credit.to_string(),
            expected,
            "{cur} {mode}"
        );
    }
}

#[test]
fn per_duration_started_and_completed_units() {
    // 84 minutes, 5 % per hour: started -> 2 units = 10 % of 1000 = 100.00, next unit after
    // 120 minutes: 37 more. Completed -> 1 unit = 5 %, next at 120: 36 more. Beyond 30m,
    // started: 54 excess minutes -> 1 unit = 5 %.
    let c = one(
        model("  per_duration: { percent: 5, per: 1h, count: started, beyond: 0m }"),
        sub("1000.00", "USD"),
        seoul(),
        "2018-11",
    );
    assert_eq!(
        (c.credit_percent, c.credit.to_string()),
        (Some(d("10")), "100.00".into())
    );
    let n = c.next_tier.unwrap();
    assert_eq!(
        (n.credit_percent, n.more_downtime_minutes),
        (d("15"), d("37"))
    );
    let c = one(
        model("  per_duration: { percent: 5, per: 1h, count: completed }"),
        sub("1000.00", "USD"),
        seoul(),
        "2018-11",
    );
    assert_eq!(
        (c.credit_percent, c.credit.to_string()),
        (Some(d("5")), "50.00".into())
    );
    assert_eq!(c.next_tier.unwrap().more_downtime_minutes, d("36"));
    let c = one(
        model("  per_duration: { percent: 5, per: 1h, beyond: 30m }"),
        sub("1000.00", "USD"),
        seoul(),
        "2018-11",
    );
    assert_eq!(c.credit_percent, Some(d("5")));
}

#[test]
fn per_duration_beyond_each_incident() {
    // The enterprise clause "5 % per started hour beyond the first 30 minutes of each incident"
    // (SPEC 2.7, beyond_per: incident). November 2018, three incidents:
    //   A 02:00-03:35 = 95 min: 95 - 30 = 65 min -> 2 started hours
    //   B 10:00-10:25 = 25 min: within its 30 -> 0
    //   C 20:00-21:00 = 60 min at impact 0.5 = 30 min counted: 30 - 30 = 0 -> 0
    // -> 2 units = 10 % of 1,000.00 = 100.00. The same allowance once per period would take
    // 95 + 25 + 30 = 150 min - 30 = 120 min = exactly 2 hours -> 2 units too; with
    // `completed` the incidents give 1 + 0 + 0 = 1 unit (5 %), the period 2 (10 %).
    let windows = vec![
        window("2018-11-05T02:00:00Z", "2018-11-05T03:35:00Z"),
        window("2018-11-06T10:00:00Z", "2018-11-06T10:25:00Z"),
        window("2018-11-07T20:00:00Z", "2018-11-07T21:00:00Z")
            .with_impact(d("0.5"))
            .unwrap(),
    ];
    let clause = |count: &str, per: &str| {
        model(&format!(
            "  per_duration: {{ percent: 5, per: 1h, count: {count}, beyond: 30m, beyond_per: {per} }}"
        ))
    };
    let by_incident = one(
        clause("started", "incident"),
        sub("1000.00", "USD"),
        windows.clone(),
        "2018-11",
    );
    assert_eq!(
        (by_incident.credit_percent, by_incident.credit.to_string()),
        (Some(d("10")), "100.00".into())
    );
    assert_eq!(by_incident.downtime_minutes, d("150"));
    // No next tier: which incident more downtime joins decides it.
    assert_eq!(by_incident.next_tier, None);
    let completed = one(
        clause("completed", "incident"),
        sub("1000.00", "USD"),
        windows.clone(),
        "2018-11",
    );
    assert_eq!(completed.credit_percent, Some(d("5")));
    let period = one(
        clause("completed", "period"),
        sub("1000.00", "USD"),
        windows.clone(),
        "2018-11",
    );
    assert_eq!(period.credit_percent, Some(d("10")));
    // Started, no allowance: 95 -> 2, 25 -> 1, 30 -> 1 = 4 units = 20 % (the period: 150 min
    // -> 3 started hours, 15 %).
    let zero = |per: &str| {
        model(&format!(
            "  per_duration: {{ percent: 5, per: 1h, count: started, beyond_per: {per} }}"
        ))
    };
    let each = one(
        zero("incident"),
        sub("1000.00", "USD"),
        windows.clone(),
        "2018-11",
    );
    assert_eq!(
        (each.credit_percent, each.credit.to_string()),
        (Some(d("20")), "200.00".into())
    );
    let whole = one(zero("period"), sub("1000.00", "USD"), windows, "2018-11");
    assert_eq!(whole.credit_percent, Some(d("15")));
}

#[test]
fn beyond_per_other_than_period_or_incident_is_an_error() {
    let err = slacredit::Contract::from_yaml(
        "c.yaml",
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  per_duration: { percent: 5, per: 1h, beyond_per: incidents }\n",
    )
    .err()
    .unwrap()
    .to_string();
    assert_eq!(
        err,
        "c.yaml:6: credits.per_duration.beyond_per: expected period or incident, found \"incidents\""
    );
}

#[test]
fn fee_multiple_korean_telecom_2022() {
    // 10 x hourly fee (55,000 / 720) x 3 hours = 99,000,000 / 43,200 = 2,291.67 -> KRW 2,292.
    let c = model("  fee_multiple: { multiple: 10, min_incident: 2h, hours_basis: 720 }");
    let w = vec![window("2018-11-05T10:00:00Z", "2018-11-05T13:00:00Z")];
    let claim = one(c.clone(), sub("55000", "KRW"), w, "2018-11");
    assert_eq!(claim.credit.to_string(), "2292");
    assert_eq!((claim.credit_percent, claim.next_tier), (None, None));
    // 1 h 59 min is short of the 2 continuous hours: nothing.
    let short = vec![window("2018-11-05T10:00:00Z", "2018-11-05T11:59:00Z")];
    assert_eq!(
        one(c, sub("55000", "KRW"), short, "2018-11")
            .credit
            .to_string(),
        "0"
    );
}

#[test]
fn fee_multiple_with_real_hours_and_a_monthly_total() {
    // October has 744 real hours: 10 x (74,400 / 744) x 2 h = 2,000.
    let c = model("  fee_multiple: { multiple: 10, min_incident: 2h }");
    let claim = one(
        c,
        sub("74400", "KRW"),
        vec![window("2018-10-05T10:00:00Z", "2018-10-05T12:00:00Z")],
        "2018-10",
    );
    assert_eq!(claim.credit.to_string(), "2000");
    // 2018 terms: 3 continuous hours, or 6 hours in the month. 2 h + 4.5 h = 6.5 h >= 6 h, so
    // both count: 6 x (72,000 / 720) x 6.5 = 3,900.
    let c =
        model("  fee_multiple: { multiple: 6, min_incident: 3h, min_total: 6h, hours_basis: 720 }");
    let ws = vec![
        window("2018-11-05T10:00:00Z", "2018-11-05T12:00:00Z"),
        window("2018-11-09T10:00:00Z", "2018-11-09T14:30:00Z"),
    ];
    assert_eq!(
        one(c.clone(), sub("72000", "KRW"), ws, "2018-11")
            .credit
            .to_string(),
        "3900"
    );
    // 2 h + 2 h = 4 h: neither qualifies.
    let ws = vec![
        window("2018-11-05T10:00:00Z", "2018-11-05T12:00:00Z"),
        window("2018-11-09T10:00:00Z", "2018-11-09T12:00:00Z"),
    ];
    assert_eq!(
        one(c, sub("72000", "KRW"), ws, "2018-11")
            .credit
            .to_string(),
        "0"
    );
}

#[test]
fn fixed_pays_once_per_qualifying_incident_in_its_first_period() {
    // 500 per incident of at least 30 minutes: 45 min qualifies, 20 min does not.
    let c = model("  fixed: { amount: 500, min_incident: 30m }");
    let ws = vec![
        window("2018-11-05T10:00:00Z", "2018-11-05T10:45:00Z"),
        window("2018-11-06T10:00:00Z", "2018-11-06T10:20:00Z"),
    ];
    assert_eq!(
        one(c.clone(), sub("1000.00", "USD"), ws, "2018-11")
            .credit
            .to_string(),
        "500.00"
    );
    // 23:50 Oct 31 to 00:40 Nov 1 (50 minutes): paid in October, not again in November.
    let across = vec![window("2018-10-31T23:50:00Z", "2018-11-01T00:40:00Z")];
    let both = claims(c, sub("1000.00", "USD"), across, None);
    assert_eq!(both.len(), 2);
    assert_eq!(
        (both[0].period.to_string(), both[0].credit.to_string()),
        ("2018-10".into(), "500.00".into())
    );
    assert_eq!(
        (both[1].period.to_string(), both[1].credit.to_string()),
        ("2018-11".into(), "0.00".into())
    );
}

#[test]
fn period_caps_percent_amount_and_the_lower_of_both() {
    // 2,000 minutes down (95.37 %): 100 % tier.
    let big = || vec![window("2018-11-05T00:00:00Z", "2018-11-06T09:20:00Z")];
    let tiers = "  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 30 }, { below: 97.0, percent: 100 }]";
    let c = one(
        model(&format!("{tiers}\n  cap: {{ percent: 50 }}")),
        sub("1000.00", "USD"),
        big(),
        "2018-11",
    );
    assert_eq!(minutes(c.downtime_minutes), "2000");
    assert_eq!((c.credit.to_string(), c.capped), ("500.00".into(), true));
    let c = one(
        model(&format!("{tiers}\n  cap: {{ amount: 200 }}")),
        sub("1000.00", "USD"),
        big(),
        "2018-11",
    );
    assert_eq!((c.credit.to_string(), c.capped), ("200.00".into(), true));
    // min(25 % of 1000 = 250, 300) = 250
    let c = one(
        model(&format!("{tiers}\n  cap: {{ percent: 25, amount: 300 }}")),
        sub("1000.00", "USD"),
        big(),
        "2018-11",
    );
    assert_eq!((c.credit.to_string(), c.capped), ("250.00".into(), true));
    // A cap above the credit changes nothing.
    let c = one(
        model(&format!("{tiers}\n  cap: {{ percent: 100 }}")),
        sub("1000.00", "USD"),
        big(),
        "2018-11",
    );
    assert_eq!((c.credit.to_string(), c.capped), ("1000.00".into(), false));
}

#[test]
fn annual_cap_limits_the_running_total_in_period_order() {
    // 30 % a month of 1,000.00 = 300.00; annual cap 500: January 300, February 200 (capped),
    // March 0 (capped).
    let tiers = "  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 30 }]\n  annual_cap: { amount: 500 }";
    let down = |m: &str| {
        window(
            &format!("2018-{m}-05T00:00:00Z"),
            &format!("2018-{m}-06T00:00:00Z"),
        )
    };
    let ws = vec![down("03"), down("01"), down("02")];
    let c = claims(model(tiers), sub("1000.00", "USD"), ws.clone(), None);
    let got: Vec<(String, String, bool)> = c
        .iter()
        .map(|c| (c.period.to_string(), c.credit.to_string(), c.capped))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2018-01".into(), "300.00".into(), false),
            ("2018-02".into(), "200.00".into(), true),
            ("2018-03".into(), "0.00".into(), true)
        ]
    );
    // Asking for March alone still counts January and February against the cap.
    let march = one(model(tiers), sub("1000.00", "USD"), ws, "2018-03");
    assert_eq!(
        (march.credit.to_string(), march.capped),
        ("0.00".into(), true)
    );
    // A percent annual cap: 5 % of the year's 12 x 1,000 = 600: January 300, February 300.
    let pct = "  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 30 }]\n  annual_cap: { percent: 5 }";
    let c = claims(
        model(pct),
        sub("1000.00", "USD"),
        vec![down("01"), down("02"), down("03")],
        None,
    );
    let credits: Vec<String> = c.iter().map(|c| c.credit.to_string()).collect();
    assert_eq!(credits, vec!["300.00", "300.00", "0.00"]);
}

#[test]
fn a_rolling_cap_holds_a_period_and_the_eleven_before_it() {
    // SPEC 2.7, annual_cap: { percent: 10, window: rolling-12 }. 50 % a month of 1,000.00 =
    // 500.00 for each month with an hour down (uptime < 99.9 %); the cap is 10 % of the bases
    // of the month and the eleven before it: 12 x 1,000.00 = 12,000.00 -> 1,200.00.
    //   2018-11: nothing issued before -> 500.00
    //   2018-12: 500.00 issued in the window -> 700.00 left -> 500.00
    //   2019-01: 1,000.00 issued (Nov, Dec) -> 200.00 left -> 200.00, capped
    //   2019-02: 1,200.00 issued -> 0.00, capped
    // Under the calendar year the same cap gives 500.00 each (2019 starts over).
    let terms = |window: &str| {
        model(&format!(
            "  tiers: [{{ below: 99.9, percent: 50 }}]\n  annual_cap: {{ percent: 10, window: {window} }}"
        ))
    };
    let down = |month: &str| {
        window(
            &format!("{month}-05T00:00:00Z"),
            &format!("{month}-05T01:00:00Z"),
        )
    };
    let ws = vec![
        down("2018-11"),
        down("2018-12"),
        down("2019-01"),
        down("2019-02"),
    ];
    let credits = |c: Vec<slacredit::Claim>| -> Vec<(String, String, bool)> {
        c.iter()
            .map(|c| (c.period.to_string(), c.credit.to_string(), c.capped))
            .collect()
    };
    assert_eq!(
        credits(claims(
            terms("rolling-12"),
            sub("1000.00", "USD"),
            ws.clone(),
            None
        )),
        vec![
            ("2018-11".into(), "500.00".into(), false),
            ("2018-12".into(), "500.00".into(), false),
            ("2019-01".into(), "200.00".into(), true),
            ("2019-02".into(), "0.00".into(), true),
        ]
    );
    let calendar: Vec<String> = claims(
        terms("calendar-year"),
        sub("1000.00", "USD"),
        ws.clone(),
        None,
    )
    .iter()
    .map(|c| c.credit.to_string())
    .collect();
    assert_eq!(calendar, vec!["500.00", "500.00", "500.00", "500.00"]);
    // Asking for January 2019 alone still counts November and December.
    let january = one(
        terms("rolling-12"),
        sub("1000.00", "USD"),
        ws.clone(),
        "2019-01",
    );
    assert_eq!(
        (january.credit.to_string(), january.capped),
        ("200.00".into(), true)
    );
    assert_eq!(january.steps.annual_cap_remaining, Some(d("200.00")));
    // Only months the subscription is active in count, for bases and credits. Active from
    // 2018-09-01: November's window holds Sep, Oct, Nov = 3,000.00 -> 300.00 (capped);
    // December 4,000.00 -> 400.00 less 300.00 = 100.00; January 5,000.00 -> 500.00 less 400.00
    // = 100.00; February 6,000.00 -> 600.00 less 500.00 = 100.00.
    let mut late = sub("1000.00", "USD");
    late.active_from = Some(chrono::NaiveDate::from_ymd_opt(2018, 9, 1).unwrap());
    let got: Vec<String> = claims(terms("rolling-12"), late.clone(), ws.clone(), None)
        .iter()
        .filter(|c| c.period.to_string().as_str() >= "2018-11")
        .map(|c| c.credit.to_string())
        .collect();
    assert_eq!(got, vec!["300.00", "100.00", "100.00", "100.00"]);
    // A billing run books credits only; September and October owe nothing and are skipped,
    // but their bases still count: November is 300.00, not 10 % of its own 1,000.00.
    let inputs = slacredit::Inputs {
        contracts: vec![terms("rolling-12")],
        subscriptions: vec![late],
        windows: ws,
        ..slacredit::Inputs::default()
    };
    let selection = slacredit::Selection {
        credited_only: true,
        ..slacredit::Selection::default()
    };
    let booked: Vec<String> = slacredit::compute(&inputs, &selection)
        .unwrap()
        .claims
        .iter()
        .map(|c| c.credit.to_string())
        .collect();
    assert_eq!(booked, vec!["300.00", "100.00", "100.00", "100.00"]);
}

#[test]
fn cap_windows_are_checked() {
    let with = |caps: &str| {
        slacredit::Contract::from_yaml(
            "c.yaml",
            &format!("id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{{ below: 99.9, percent: 10 }}]\n{caps}\n"),
        )
        .err()
        .unwrap()
        .to_string()
    };
    assert_eq!(
        with("  annual_cap: { percent: 10, window: rolling-13 }"),
        "c.yaml:7: credits.annual_cap.window: expected calendar-year or rolling-12, found \"rolling-13\""
    );
    assert_eq!(
        with("  cap: { percent: 10, window: rolling-12 }"),
        "c.yaml:7: credits.cap.window: a period cap has no window; `window` belongs to annual_cap"
    );
}

#[test]
fn minimum_at_least_and_above() {
    // AWS: credits only above USD 1. 10 % of 10.00 = 1.00 is not above 1; of 10.10 = 1.01 is.
    let aws = "  tiers: [{ below: 99.99, percent: 10 }]\n  minimum: { above: 1 }";
    assert_eq!(
        one(model(aws), sub("10.00", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "0.00"
    );
    assert_eq!(
        one(model(aws), sub("10.10", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "1.01"
    );
    // minimum: 1 keeps 1.00 (not below 1) and drops 0.99.
    let at_least = "  tiers: [{ below: 99.99, percent: 10 }]\n  minimum: 1";
    assert_eq!(
        one(model(at_least), sub("10.00", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "1.00"
    );
    assert_eq!(
        one(model(at_least), sub("9.90", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "0.00"
    );
    // A plain YAML float is read exactly as written: 0.994 is below 0.995, 0.995 is not.
    let float = "  tiers: [{ below: 99.99, percent: 10 }]\n  minimum: 0.995";
    assert_eq!(
        one(model(float), sub("9.94", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "0.00"
    );
    assert_eq!(
        one(model(float), sub("9.95", "USD"), seoul(), "2018-11")
            .credit
            .to_string(),
        "1.00"
    );
}

#[test]
fn charges_override_the_fee() {
    let mut inputs = slacredit::Inputs {
        contracts: vec![model("  tiers: [{ below: 99.99, percent: 10 }]")],
        subscriptions: vec![sub("1000.00", "USD")],
        windows: seoul(),
        ..Default::default()
    };
    let usd = slacredit::Currency::from_code("USD").unwrap();
    inputs.charges.insert(
        "s1",
        slacredit::PeriodId::parse("2018-11").unwrap(),
        slacredit::Money::new(d("1234.56"), usd),
    );
    let c = slacredit::compute(&inputs, &Default::default()).unwrap();
    // 10 % of 1,234.56 = 123.456 -> 123.46
    assert_eq!(
        (
            c.claims[0].basis.to_string(),
            c.claims[0].credit.to_string()
        ),
        ("1234.56".into(), "123.46".into())
    );
}

#[test]
fn deadlines_days_after_incident_and_period_end() {
    let c = |deadline: &str| {
        contract(&format!("id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.9\ncredits:\n  tiers: [{{ below: 99.9, percent: 10 }}]\nclaim:\n  deadline: {deadline}\n"))
    };
    // The incident ends 2018-11-22 00:43Z = 09:43 KST on the 22nd; 30 days later: 2018-12-22.
    let claim = one(
        c("{ days_after_incident: 30 }"),
        sub("1.00", "USD"),
        seoul(),
        "2018-11",
    );
    assert_eq!(claim.claim_deadline.unwrap().to_string(), "2018-12-22");
    // November ends on the 30th; 60 days later: 2019-01-29.
    let claim = one(
        c("{ days_after_period_end: 60 }"),
        sub("1.00", "USD"),
        seoul(),
        "2018-11",
    );
    assert_eq!(claim.claim_deadline.unwrap().to_string(), "2019-01-29");
    // No incident: no days_after_incident deadline.
    let claim = one(
        c("{ days_after_incident: 30 }"),
        sub("1.00", "USD"),
        seoul(),
        "2018-12",
    );
    assert_eq!(claim.claim_deadline, None);
}

/// SPEC 3.5: under `days_after_incident` each incident has its own last day, and the claim's is
/// the earliest of them (filing on the latest would lose the earlier incidents). The other rules
/// give every incident the claim's day. Through the library and the JSON the CLI prints.
#[test]
fn the_earliest_incident_binds_the_claims_deadline() {
    let c = |deadline: &str| {
        contract(&format!("id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.99\ncredits:\n  tiers: [{{ below: 99.99, percent: 10 }}]\nclaim:\n  deadline: {deadline}\n"))
    };
    // The first incident ends 2018-11-03T15:30Z = 00:30 KST on the 4th: 30 days after the
    // 4th is 2018-12-04 (in UTC it would be the 3rd, and the deadline the 3rd of December).
    // The second ends 2018-11-20T02:00Z = 11:00 KST on the 20th: 2018-12-20.
    let windows = || {
        vec![
            window("2018-11-20T01:00:00Z", "2018-11-20T02:00:00Z"),
            window("2018-11-03T15:00:00Z", "2018-11-03T15:30:00Z"),
        ]
    };
    let claim = one(
        c("{ days_after_incident: 30 }"),
        sub("1.00", "USD"),
        windows(),
        "2018-11",
    );
    let days: Vec<String> = claim
        .incidents
        .iter()
        .map(|i| i.deadline.unwrap().to_string())
        .collect();
    assert_eq!(days, ["2018-12-04", "2018-12-20"]);
    assert_eq!(claim.claim_deadline.unwrap().to_string(), "2018-12-04");
    let wire = serde_json::to_value(&claim).unwrap();
    assert_eq!(wire["claim_deadline"], "2018-12-04");
    assert_eq!(wire["incidents"][0]["deadline"], "2018-12-04");
    assert_eq!(wire["incidents"][1]["deadline"], "2018-12-20");
    // Two periods after November: the end of January 2019, for the claim and each incident.
    let claim = one(
        c("{ periods_after: 2 }"),
        sub("1.00", "USD"),
        windows(),
        "2018-11",
    );
    let days: Vec<Option<String>> = claim
        .incidents
        .iter()
        .map(|i| i.deadline.map(|d| d.to_string()))
        .collect();
    assert_eq!(
        days,
        [Some("2019-01-31".to_owned()), Some("2019-01-31".to_owned())]
    );
    // No deadline in the contract: none anywhere.
    let no_rule = contract("id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.99\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }]\n");
    let claim = one(no_rule, sub("1.00", "USD"), windows(), "2018-11");
    assert!(claim.claim_deadline.is_none() && claim.incidents.iter().all(|i| i.deadline.is_none()));
}

/// A breached claim without credit says why (the JSON's `note` stays null, as SPEC 3.6 says):
/// 10 % of a 5.00 USD fee is 0.50, which a minimum of 1.00 drops.
#[test]
fn a_breached_claim_without_credit_says_why() {
    use slacredit::explain::{no_credit, NoCredit};
    let c = model("  tiers: [{ below: 99.9, percent: 10 }]\n  minimum: 1.00");
    let claim = one(c, sub("5.00", "USD"), seoul(), "2018-11");
    assert!(claim.breached);
    assert_eq!(claim.credit, d("0"));
    assert_eq!(claim.steps.model_amount, d("0.5"));
    assert_eq!(no_credit(&claim), Some(NoCredit::BelowMinimum));
    assert_eq!(
        serde_json::to_value(&claim).unwrap()["note"],
        serde_json::Value::Null
    );
    // One that owes a credit has nothing to explain.
    let c = model("  tiers: [{ below: 99.9, percent: 10 }]");
    assert_eq!(
        no_credit(&one(c, sub("100.00", "USD"), seoul(), "2018-11")),
        None
    );
}
