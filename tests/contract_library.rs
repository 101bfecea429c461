//! The shipped contracts, each proven on numbers computed by hand from the real terms.

use crate::common::*;
use slacredit::report::{minutes, uptime};
use slacredit::{Contract, Subscription, Window};

fn shipped(id: &str) -> Contract {
    // Read as the command reads them: with the calendars of `contracts/calendars`.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let (contracts, _) = slacredit::load::contracts(&dir).unwrap_or_else(|e| panic!("{e}"));
    contracts.into_iter().find(|c| c.id() == id).unwrap()
}

/// A subscription to `id` in scope of its `applies_to`.
fn sub_to(id: &str, fee: &str, currency: &str) -> Subscription {
    let c = shipped(id);
    let mut s = sub(fee, currency);
    s.contract = id.into();
    s.scope = c.applies_to().clone().into();
    s
}

/// `n` minutes down from `start`.
fn down(start: &str, n: i64) -> Window {
    let s = t(start);
    Window::new(
        s,
        slacredit::Instant::from_unix_seconds(s.unix_seconds() + n * 60),
    )
    .unwrap()
}

fn credit_of(id: &str, fee: &str, cur: &str, ws: Vec<Window>, period: &str) -> slacredit::Claim {
    one(shipped(id), sub_to(id, fee, cur), ws, period)
}

#[test]
fn aws_ec2_region_2018_seoul_middle_tier() {
    // The Seoul outage, 84 minutes of 43,200: 99.805556 %, below 99.99, not below 99.0 -> 10 %.
    let c = credit_of(
        "aws-ec2-region-2018",
        "120000.00",
        "USD",
        vec![down("2018-11-21T23:19:00Z", 84)],
        "2018-11",
    );
    assert_eq!(
        (uptime(c.uptime_percent), c.credit.to_string()),
        ("99.805556".into(), "12000.00".into())
    );
    assert_eq!(c.claim_deadline.unwrap().to_string(), "2019-01-31");
}

#[test]
fn aws_ec2_region_2018_boundary_and_usd_1_minimum() {
    // 432 of 43,200 minutes = 99.0 % exactly: not below 99.0 -> 10 %; 433 -> 30 %.
    let at = credit_of(
        "aws-ec2-region-2018",
        "1000.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 432)],
        "2018-11",
    );
    assert_eq!(
        (at.credit_percent, at.credit.to_string()),
        (Some(d("10")), "100.00".into())
    );
    let over = credit_of(
        "aws-ec2-region-2018",
        "1000.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 433)],
        "2018-11",
    );
    assert_eq!(
        (over.credit_percent, over.credit.to_string()),
        (Some(d("30")), "300.00".into())
    );
    // "greater than one dollar": 10 % of USD 10.00 = 1.00 is not issued.
    let tiny = credit_of(
        "aws-ec2-region-2018",
        "10.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 84)],
        "2018-11",
    );
    assert_eq!(tiny.credit.to_string(), "0.00");
}

#[test]
fn aws_ec2_region_current_middle_tier_and_95_boundary() {
    // 1,000 minutes: (43200 - 1000) / 43200 = 97.685185 % -> below 99.0, not below 95.0 -> 30 %.
    let mid = credit_of(
        "aws-ec2-region",
        "1000.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 1000)],
        "2018-11",
    );
    assert_eq!(
        (uptime(mid.uptime_percent), mid.credit.to_string()),
        ("97.685185".into(), "300.00".into())
    );
    // 5 % of 43,200 = 2,160 minutes: exactly 95.0 -> still 30 %; 2,161 -> 100 %.
    let at = credit_of(
        "aws-ec2-region",
        "1000.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 2160)],
        "2018-11",
    );
    assert_eq!(
        (uptime(at.uptime_percent), at.credit.to_string()),
        ("95.000000".into(), "300.00".into())
    );
    let over = credit_of(
        "aws-ec2-region",
        "1000.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 2161)],
        "2018-11",
    );
    assert_eq!(over.credit.to_string(), "1000.00");
}

#[test]
fn aws_ec2_instance_middle_tier_and_99_5_boundary() {
    // 600 minutes: 98.611111 % -> 30 %.
    let mid = credit_of(
        "aws-ec2-instance",
        "200.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 600)],
        "2018-11",
    );
    assert_eq!(
        (uptime(mid.uptime_percent), mid.credit.to_string()),
        ("98.611111".into(), "60.00".into())
    );
    // 0.5 % of 43,200 = 216 minutes: exactly 99.5 -> no breach; 217 -> 10 %.
    let at = credit_of(
        "aws-ec2-instance",
        "200.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 216)],
        "2018-11",
    );
    assert_eq!((at.breached, at.credit.to_string()), (false, "0.00".into()));
    let over = credit_of(
        "aws-ec2-instance",
        "200.00",
        "USD",
        vec![down("2018-11-10T00:00:00Z", 217)],
        "2018-11",
    );
    assert_eq!(
        (over.breached, over.credit.to_string()),
        (true, "20.00".into())
    );
}

/// `n` consecutive 5-minute error-rate intervals from `start`, each failing `rate` of requests.
fn error_intervals(start: &str, n: i64, rate: &str) -> Vec<Window> {
    let first = t(start).unix_seconds();
    (0..n)
        .map(|i| {
            let s = slacredit::Instant::from_unix_seconds(first + i * 300);
            let e = slacredit::Instant::from_unix_seconds(first + i * 300 + 300);
            Window::new(s, e).unwrap().with_impact(d(rate)).unwrap()
        })
        .collect()
}

#[test]
fn aws_s3_standard_average_error_rate() {
    // 400 intervals at a 50 % error rate: average error rate over the month's 8,640 intervals
    // = 400 x 0.5 / 8640 = 2.3148 % -> MUP 97.685185 % -> below 99.0, not below 95.0 -> 25 %.
    let mid = credit_of(
        "aws-s3-standard",
        "1000.00",
        "USD",
        error_intervals("2018-11-05T00:00:00Z", 400, "0.5"),
        "2018-11",
    );
    assert_eq!(minutes(mid.downtime_minutes), "1000");
    assert_eq!(
        (uptime(mid.uptime_percent), mid.credit.to_string()),
        ("97.685185".into(), "250.00".into())
    );
    // 216 intervals at 40 %: 216 x 0.4 / 8640 = 1 % exactly -> MUP 99.0, not below 99.0 -> 10 %.
    let at = credit_of(
        "aws-s3-standard",
        "1000.00",
        "USD",
        error_intervals("2018-11-05T00:00:00Z", 216, "0.4"),
        "2018-11",
    );
    assert_eq!(
        (uptime(at.uptime_percent), at.credit_percent),
        ("99.000000".into(), Some(d("10")))
    );
}

#[test]
fn gcp_compute_engine_whole_minutes_and_99_boundary() {
    // June 2018 in Los Angeles: 30 x 1440 = 43,200 minutes (no DST change). 1,000 minutes down:
    // 97.685185 % -> 25 %.
    let mid = credit_of(
        "gcp-compute-engine",
        "1000.00",
        "USD",
        vec![down("2018-06-10T00:00:00-07:00", 1000)],
        "2018-06",
    );
    assert_eq!(
        (uptime(mid.uptime_percent), mid.credit.to_string()),
        ("97.685185".into(), "250.00".into())
    );
    // 60 days after the end of June.
    assert_eq!(mid.claim_deadline.unwrap().to_string(), "2018-08-29");
    // 432 whole minutes = 99.0 % exactly -> 10 %, not 25 %.
    let at = credit_of(
        "gcp-compute-engine",
        "1000.00",
        "USD",
        vec![down("2018-06-10T00:00:00-07:00", 432)],
        "2018-06",
    );
    assert_eq!(
        (uptime(at.uptime_percent), at.credit.to_string()),
        ("99.000000".into(), "100.00".into())
    );
    // Partial minutes do not count: 10:00:30-10:07:45 counts 10:01 to 10:06 = 6 minutes; a
    // 50-second blip is shorter than a Downtime Period and counts nothing.
    let ws = vec![
        Window::new(t("2018-06-11T10:00:30Z"), t("2018-06-11T10:07:45Z")).unwrap(),
        Window::new(t("2018-06-12T10:00:00Z"), t("2018-06-12T10:00:50Z")).unwrap(),
    ];
    let partial = credit_of("gcp-compute-engine", "1000.00", "USD", ws, "2018-06");
    assert_eq!(minutes(partial.downtime_minutes), "6");
}

#[test]
fn azure_vms_maximum_available_minutes() {
    // Deployed from 2018-11-06: 25 days = 36,000 Maximum Available Minutes; the fee 3,000.00 is
    // pro-rated to 2,500.00. 1,000 minutes down: 97.222222 % -> 25 % = 625.00.
    let mut s = sub_to("azure-virtual-machines", "3000.00", "USD");
    s.active_from = Some("2018-11-06".parse().unwrap());
    let mid = one(
        shipped("azure-virtual-machines"),
        s.clone(),
        vec![down("2018-11-10T00:00:00Z", 1000)],
        "2018-11",
    );
    assert_eq!(minutes(mid.eligible_minutes), "36000");
    assert_eq!(
        (
            uptime(mid.uptime_percent),
            mid.basis.to_string(),
            mid.credit.to_string()
        ),
        ("97.222222".into(), "2500.00".into(), "625.00".into())
    );
    // 360 minutes = 1 % of 36,000: exactly 99.0 -> 10 % = 250.00 (not 25 %).
    let at = one(
        shipped("azure-virtual-machines"),
        s,
        vec![down("2018-11-10T00:00:00Z", 360)],
        "2018-11",
    );
    assert_eq!(
        (uptime(at.uptime_percent), at.credit.to_string()),
        ("99.000000".into(), "250.00".into())
    );
    // Within two months of the end of November.
    assert_eq!(at.claim_deadline.unwrap().to_string(), "2019-01-31");
}

#[test]
fn kr_telecom_2022_hourly_fee_arithmetic() {
    // Hourly fee = 55,000 / 720 = 76.39; 10 x 76.39 x 3 h = 2,291.67 -> 2,292 won.
    let c = credit_of(
        "kr-telecom-2022",
        "55000",
        "KRW",
        vec![down("2022-09-05T10:00:00+09:00", 180)],
        "2022-09",
    );
    assert_eq!(c.credit.to_string(), "2292");
    // Exactly 2 continuous hours qualify: 10 x 55,000 x 2 / 720 = 1,527.78 -> 1,528.
    let at = credit_of(
        "kr-telecom-2022",
        "55000",
        "KRW",
        vec![down("2022-09-05T10:00:00+09:00", 120)],
        "2022-09",
    );
    assert_eq!(at.credit.to_string(), "1528");
    // One second short of 2 hours: nothing.
    let w = Window::new(
        t("2022-09-05T10:00:00+09:00"),
        t("2022-09-05T11:59:59+09:00"),
    )
    .unwrap();
    assert_eq!(
        credit_of("kr-telecom-2022", "55000", "KRW", vec![w], "2022-09")
            .credit
            .to_string(),
        "0"
    );
}

#[test]
fn kr_telecom_2018_continuous_or_monthly_total() {
    // 3 continuous hours: 6 x 33,000 / 720 x 3 = 825 won.
    let c = credit_of(
        "kr-telecom-2018",
        "33000",
        "KRW",
        vec![down("2018-11-24T11:12:00+09:00", 180)],
        "2018-11",
    );
    assert_eq!(c.credit.to_string(), "825");
    // 2 h + 2 h + 2 h = exactly 6 h in the month: every hour counts, 6 x 33,000 / 720 x 6 = 1,650.
    let three = |last: i64| {
        vec![
            down("2018-11-05T10:00:00+09:00", 120),
            down("2018-11-12T10:00:00+09:00", 120),
            down("2018-11-19T10:00:00+09:00", last),
        ]
    };
    assert_eq!(
        credit_of("kr-telecom-2018", "33000", "KRW", three(120), "2018-11")
            .credit
            .to_string(),
        "1650"
    );
    // 5 h 59 min: neither rule holds.
    assert_eq!(
        credit_of("kr-telecom-2018", "33000", "KRW", three(119), "2018-11")
            .credit
            .to_string(),
        "0"
    );
}

#[test]
fn enterprise_business_hours_denominator_and_penalty() {
    // December 2018 in Berlin: 21 weekdays, less Christmas (25th) and Boxing Day (26th) = 19
    // business days x 540 minutes = 10,260 eligible minutes.
    // 2.5 hours down on Monday 3rd, 10:00-12:30 CET: 3 started hours x 2 % = 6 % of 10,000.00.
    // Uptime (10260 - 150) / 10260 = 98.538012 %.
    let mid = credit_of(
        "enterprise-business-hours",
        "10000.00",
        "EUR",
        vec![down("2018-12-03T10:00:00+01:00", 150)],
        "2018-12",
    );
    assert_eq!(minutes(mid.eligible_minutes), "10260");
    assert_eq!(
        (
            uptime(mid.uptime_percent),
            mid.credit_percent,
            mid.credit.to_string()
        ),
        ("98.538012".into(), Some(d("6")), "600.00".into())
    );
    // Exactly one hour is one started hour (2 %); one minute more starts a second (4 %).
    let at = credit_of(
        "enterprise-business-hours",
        "10000.00",
        "EUR",
        vec![down("2018-12-03T10:00:00+01:00", 60)],
        "2018-12",
    );
    assert_eq!(at.credit.to_string(), "200.00");
    let over = credit_of(
        "enterprise-business-hours",
        "10000.00",
        "EUR",
        vec![down("2018-12-03T10:00:00+01:00", 61)],
        "2018-12",
    );
    assert_eq!(over.credit.to_string(), "400.00");
    // 7 hours: 14 % is capped at the 12 % at-risk amount.
    let big = credit_of(
        "enterprise-business-hours",
        "10000.00",
        "EUR",
        vec![down("2018-12-03T09:00:00+01:00", 420)],
        "2018-12",
    );
    assert_eq!(
        (big.credit.to_string(), big.capped),
        ("1200.00".into(), true)
    );
    // A Saturday outage and a Christmas outage are outside business hours.
    let off = credit_of(
        "enterprise-business-hours",
        "10000.00",
        "EUR",
        vec![
            down("2018-12-01T10:00:00+01:00", 300),
            down("2018-12-25T10:00:00+01:00", 300),
        ],
        "2018-12",
    );
    assert_eq!(
        (minutes(off.downtime_minutes), off.credit.to_string()),
        ("0".into(), "0.00".into())
    );
}

#[test]
fn every_shipped_contract_loads_and_has_its_source() {
    let dir = format!("{}/contracts", env!("CARGO_MANIFEST_DIR"));
    let (list, _) = slacredit::load::contracts(std::path::Path::new(&dir)).unwrap();
    assert_eq!(list.len(), 12);
    for c in &list {
        assert!(
            c.source().is_some_and(|s| s.starts_with("https://")),
            "{}",
            c.id()
        );
        assert!(
            c.terms_date().is_some() && c.title().is_some() && c.provider().is_some(),
            "{}",
            c.id()
        );
        assert!(
            c.file().ends_with(&format!("{}.yaml", c.id())),
            "file name matches id: {}",
            c.id()
        );
    }
}
