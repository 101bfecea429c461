//! The engine's rules (SPEC 3.1-3.3, 3.6), each on hand-computed numbers.

use crate::common::*;
use slacredit::report::{minutes, uptime};

#[test]
fn incident_across_a_month_end_in_seoul_is_split() {
    // 2018-11-30 23:30 KST to 2018-12-01 00:30 KST: 30 minutes in each Seoul month.
    // November: (43200 - 30) / 43200 = 99.930555...%; December: (44640 - 30) / 44640 = 99.932795...%
    let w = window("2018-11-30T23:30:00+09:00", "2018-12-01T00:30:00+09:00");
    let c = claims(
        tiers_contract("Asia/Seoul", ""),
        sub("1000.00", "USD"),
        vec![w],
        None,
    );
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].period.to_string(), minutes(c[0].downtime_minutes)),
        ("2018-11".into(), "30".into())
    );
    assert_eq!(uptime(c[0].uptime_percent), "99.930556");
    assert_eq!(
        (c[1].period.to_string(), minutes(c[1].downtime_minutes)),
        ("2018-12".into(), "30".into())
    );
    assert_eq!(uptime(c[1].uptime_percent), "99.932796");
    // Seoul's November starts at 2018-10-31T15:00Z.
    assert_eq!(c[0].period_start.to_string(), "2018-10-31T15:00:00Z");
    // Both list the whole incident, unclipped, in UTC.
    assert_eq!(c[1].incidents[0].start.to_string(), "2018-11-30T14:30:00Z");
    assert_eq!(c[1].incidents[0].end.to_string(), "2018-11-30T15:30:00Z");
}

#[test]
fn the_same_incident_in_utc_stays_in_november() {
    // 14:30Z-15:30Z on 2018-11-30: all 60 minutes in the UTC November: 99.861111%.
    let w = window("2018-11-30T23:30:00+09:00", "2018-12-01T00:30:00+09:00");
    let c = claims(
        tiers_contract("UTC", ""),
        sub("1000.00", "USD"),
        vec![w],
        None,
    );
    assert_eq!(c.len(), 1);
    assert_eq!(minutes(c[0].downtime_minutes), "60");
    assert_eq!(uptime(c[0].uptime_percent), "99.861111");
}

#[test]
fn min_duration_is_measured_before_clipping_to_the_period() {
    // 60 continuous minutes across the Seoul month end, min_duration 45m: both halves count.
    let w = window("2018-11-30T23:30:00+09:00", "2018-12-01T00:30:00+09:00");
    let c = claims(
        tiers_contract("Asia/Seoul", "downtime: { min_duration: 45m }"),
        sub("1000.00", "USD"),
        vec![w],
        None,
    );
    assert_eq!(minutes(c[0].downtime_minutes), "30");
    assert_eq!(minutes(c[1].downtime_minutes), "30");
}

#[test]
fn counting_modes_on_partial_minutes() {
    // 10:00:30 to 10:02:15: exact 1.75 minutes; touched 10:00, 10:01, 10:02 = 3; whole only
    // 10:01 = 1.
    for (mode, expected, up) in [
        ("exact", "1.75", "99.995949"),
        ("touched-minutes", "3", "99.993056"),
        ("whole-minutes", "1", "99.997685"),
    ] {
        let w = window("2018-11-05T10:00:30Z", "2018-11-05T10:02:15Z");
        let c = one(
            tiers_contract("UTC", &format!("downtime: {{ counting: {mode} }}")),
            sub("1000.00", "USD"),
            vec![w],
            "2018-11",
        );
        assert_eq!(minutes(c.downtime_minutes), expected, "{mode}");
        // (43200 - 1.75) / 43200, (43200 - 3) / 43200, (43200 - 1) / 43200
        assert_eq!(uptime(c.uptime_percent), up, "{mode}");
        assert!(!c.breached, "{mode}");
    }
}

#[test]
fn adjacent_windows_merge_before_min_duration() {
    // 10:00-10:03 and 10:03-10:06 touch: one 6-minute incident, kept by min_duration 5m. A lone
    // 4-minute window at 11:00 is dropped.
    let ws = vec![
        window("2018-11-05T10:03:00Z", "2018-11-05T10:06:00Z"),
        window("2018-11-05T10:00:00Z", "2018-11-05T10:03:00Z"),
        window("2018-11-05T11:00:00Z", "2018-11-05T11:04:00Z"),
    ];
    let c = one(
        tiers_contract("UTC", "downtime: { min_duration: 5m }"),
        sub("1000.00", "USD"),
        ws,
        "2018-11",
    );
    assert_eq!(minutes(c.downtime_minutes), "6");
    assert_eq!(c.incidents.len(), 1);
}

#[test]
fn uptime_equal_to_a_threshold_is_not_below_it() {
    // 432 of 43,200 minutes is exactly 99.0 %: not below 99.0, so the 10 % tier, not 30 %.
    let w = window("2018-11-10T00:00:00Z", "2018-11-10T07:12:00Z");
    let c = one(
        tiers_contract("UTC", ""),
        sub("1000.00", "USD"),
        vec![w],
        "2018-11",
    );
    assert_eq!(uptime(c.uptime_percent), "99.000000");
    assert_eq!(c.credit_percent, Some(d("10")));
    assert_eq!(c.credit.to_string(), "100.00");
    assert_eq!(c.next_tier.unwrap().more_downtime_minutes, d("1"));
}

#[test]
fn uptime_equal_to_the_commitment_is_no_breach() {
    // Commitment 99.9: 0.1 % of 43,200 minutes = 43.2 minutes = 2,592 seconds -> exactly 99.9.
    let c99_9 = || {
        contract("id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n")
    };
    let at = one(
        c99_9(),
        sub("1000.00", "USD"),
        vec![window("2018-11-10T00:00:00Z", "2018-11-10T00:43:12Z")],
        "2018-11",
    );
    assert_eq!(minutes(at.downtime_minutes), "43.2");
    assert!(!at.breached);
    assert_eq!(at.credit.to_string(), "0.00");
    let over = one(
        c99_9(),
        sub("1000.00", "USD"),
        vec![window("2018-11-10T00:00:00Z", "2018-11-10T00:43:13Z")],
        "2018-11",
    );
    assert!(over.breached);
    assert_eq!(over.credit.to_string(), "100.00");
}

#[test]
fn maintenance_needs_enough_notice_to_be_excluded() {
    let c = || {
        tiers_contract(
            "UTC",
            "exclusions: { causes: [maintenance], maintenance_notice: 5d }",
        )
    };
    let w = window("2018-11-20T01:00:00Z", "2018-11-20T02:00:00Z").with_cause("maintenance");
    // Announced 6 days before: excluded, 60 minutes excluded and counted as up.
    let early = w.clone().with_announced_at(t("2018-11-14T01:00:00Z"));
    let e = one(c(), sub("1000.00", "USD"), vec![early], "2018-11");
    assert_eq!(
        (minutes(e.downtime_minutes), minutes(e.excluded_minutes)),
        ("0".into(), "60".into())
    );
    assert_eq!(minutes(e.eligible_minutes), "43200");
    // Exactly 5 days before is "at least" the notice: still excluded.
    let exact = w.clone().with_announced_at(t("2018-11-15T01:00:00Z"));
    assert_eq!(
        minutes(one(c(), sub("1000.00", "USD"), vec![exact], "2018-11").excluded_minutes),
        "60"
    );
    // Announced 2 days before, or never: downtime. 60 / 43200 -> 99.861111 %.
    let late = w.clone().with_announced_at(t("2018-11-18T01:00:00Z"));
    for win in [late, w] {
        let l = one(c(), sub("1000.00", "USD"), vec![win], "2018-11");
        assert_eq!(
            (minutes(l.downtime_minutes), minutes(l.excluded_minutes)),
            ("60".into(), "0".into())
        );
        assert_eq!(uptime(l.uptime_percent), "99.861111");
    }
}

#[test]
fn recurring_maintenance_windows_exclude_maintenance_inside_them_whatever_the_notice() {
    // SPEC 2.7: maintenance windows Sunday 02:00-04:00 in the contract's zone; maintenance
    // needs 5 days' notice outside them. November 2018 (43,200 minutes; the 4th and the 11th
    // are Sundays):
    //   maintenance 01:00-05:00 on Sunday the 4th, announced an hour before: 02:00-04:00 is
    //     inside (120 min excluded), 01:00-02:00 and 04:00-05:00 are late (120 min down);
    //   an unplanned outage 02:30-03:00 on Sunday the 11th: other causes are unaffected (30 min).
    // Down 150 min: (43,200 - 150) / 43,200 = 99.652778 % < 99.99 -> 10 %. Without the
    // maintenance windows all 240 + 30 = 270 minutes count.
    let c = |zone: &str, windows: &str| {
        tiers_contract(
            zone,
            &format!("exclusions: {{ causes: [maintenance], maintenance_notice: 5d{windows} }}"),
        )
    };
    let slots = ", maintenance_windows: [{ days: [sun], from: \"02:00\", to: \"04:00\" }]";
    let ws = |offset: &str| {
        vec![
            window(
                &format!("2018-11-04T01:00:00{offset}"),
                &format!("2018-11-04T05:00:00{offset}"),
            )
            .with_cause("maintenance")
            .with_announced_at(t(&format!("2018-11-04T00:00:00{offset}"))),
            window(
                &format!("2018-11-11T02:30:00{offset}"),
                &format!("2018-11-11T03:00:00{offset}"),
            ),
        ]
    };
    let got = one(c("UTC", slots), sub("1000.00", "USD"), ws("Z"), "2018-11");
    assert_eq!(
        (minutes(got.downtime_minutes), minutes(got.excluded_minutes)),
        ("150".into(), "120".into())
    );
    assert_eq!(uptime(got.uptime_percent), "99.652778");
    assert_eq!(got.credit.to_string(), "100.00");
    let without = one(c("UTC", ""), sub("1000.00", "USD"), ws("Z"), "2018-11");
    assert_eq!(minutes(without.downtime_minutes), "270");
    // Wall-clock in the contract's zone: the same clock times in Seoul, written in KST.
    let seoul = one(
        c("Asia/Seoul", slots),
        sub("1000.00", "USD"),
        ws("+09:00"),
        "2018-11",
    );
    assert_eq!(
        (
            minutes(seoul.downtime_minutes),
            minutes(seoul.excluded_minutes)
        ),
        ("150".into(), "120".into())
    );
    // Announced 5 days ahead, the whole maintenance window is excluded as before.
    let early = vec![window("2018-11-04T01:00:00Z", "2018-11-04T05:00:00Z")
        .with_cause("maintenance")
        .with_announced_at(t("2018-10-30T01:00:00Z"))];
    let e = one(c("UTC", slots), sub("1000.00", "USD"), early, "2018-11");
    assert_eq!(
        (minutes(e.downtime_minutes), minutes(e.excluded_minutes)),
        ("0".into(), "240".into())
    );
}

#[test]
fn maintenance_windows_are_checked_like_service_hours() {
    let err = |windows: &str| {
        slacredit::Contract::from_yaml(
            "c.yaml",
            &format!("id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\nexclusions:\n  maintenance_windows: {windows}\ncredits:\n  tiers: [{{ below: 99.9, percent: 10 }}]\n"),
        )
        .err()
        .unwrap()
        .to_string()
    };
    assert_eq!(
        err("[{ days: [sunday], from: \"02:00\", to: \"04:00\" }]"),
        "c.yaml:6: exclusions.maintenance_windows[0].days[0]: expected a weekday (mon, tue, wed, thu, fri, sat, sun), found \"sunday\""
    );
    assert_eq!(
        err("[{ days: [sun], from: \"04:00\", to: \"02:00\" }]"),
        "c.yaml:6: exclusions.maintenance_windows[0].to: expected `from` (04:00) before `to` (02:00)"
    );
    assert_eq!(
        err("[]"),
        "c.yaml:6: exclusions.maintenance_windows: expected at least one weekly window (omit `maintenance_windows` for none)"
    );
}

#[test]
fn removed_from_period_takes_excluded_time_out_of_eligible_minutes() {
    // 60 excluded (force majeure) + 30 down: eligible 43200 - 60 = 43140; (43140 - 30) / 43140.
    let c = tiers_contract(
        "UTC",
        "exclusions: { causes: [force-majeure], excluded_time: removed-from-period }",
    );
    let fm = window("2018-11-20T01:00:00Z", "2018-11-20T02:00:00Z").with_cause("force-majeure");
    let down = window("2018-11-20T01:30:00Z", "2018-11-20T02:30:00Z");
    let claim = one(c, sub("1000.00", "USD"), vec![fm, down], "2018-11");
    assert_eq!(minutes(claim.eligible_minutes), "43140");
    assert_eq!(minutes(claim.excluded_minutes), "60");
    assert_eq!(minutes(claim.downtime_minutes), "30");
    assert_eq!(uptime(claim.uptime_percent), "99.930459");
    // The incident is what is left after the exclusion: 02:00-02:30.
    assert_eq!(claim.incidents[0].start.to_string(), "2018-11-20T02:00:00Z");
}

#[test]
fn service_hours_with_a_holiday() {
    // Mon-Fri 09:00-18:00 in Seoul, 2018-12-25 a holiday. December 2018 has 21 weekdays, less the
    // holiday = 20 x 540 = 10,800 eligible minutes. A window from Mon 24th 17:00 to Wed 26th
    // 10:00 KST counts 17:00-18:00 on the 24th and 09:00-10:00 on the 26th = 120 minutes:
    // (10800 - 120) / 10800 = 98.888...% -> below 99.0 -> 30 %.
    let hours = "service_hours:\n  weekly: [{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }]\n  holidays: [2018-12-25]";
    let w = window("2018-12-24T17:00:00+09:00", "2018-12-26T10:00:00+09:00");
    let c = one(
        tiers_contract("Asia/Seoul", hours),
        sub("1000.00", "USD"),
        vec![w],
        "2018-12",
    );
    assert_eq!(minutes(c.eligible_minutes), "10800");
    assert_eq!(minutes(c.downtime_minutes), "120");
    assert_eq!(uptime(c.uptime_percent), "98.888889");
    assert_eq!(c.credit.to_string(), "300.00");
    // The incident is listed whole.
    assert_eq!(c.incidents[0].start.to_string(), "2018-12-24T08:00:00Z");
    assert_eq!(c.incidents[0].end.to_string(), "2018-12-26T01:00:00Z");
}

#[test]
fn a_subscription_active_for_part_of_the_period() {
    // Active from 2018-11-16 (UTC contract): 15 of 30 days = 21,600 eligible minutes; the fee
    // 900.00 pro-rated to 450.00. 84 minutes: (21600 - 84) / 21600 = 99.611111 % -> 10 % = 45.00.
    let mut s = sub("900.00", "USD");
    s.active_from = Some("2018-11-16".parse().unwrap());
    let c = one(
        tiers_contract("UTC", ""),
        s,
        vec![window("2018-11-21T23:19:00Z", "2018-11-22T00:43:00Z")],
        "2018-11",
    );
    assert_eq!(minutes(c.eligible_minutes), "21600");
    assert_eq!(c.basis.to_string(), "450.00");
    assert_eq!(uptime(c.uptime_percent), "99.611111");
    assert_eq!(c.credit.to_string(), "45.00");
}

#[test]
fn a_subscription_not_active_in_a_period_has_no_claim() {
    let mut s = sub("900.00", "USD");
    s.active_to = Some("2018-10-31".parse().unwrap());
    assert!(claims(
        tiers_contract("UTC", ""),
        s,
        vec![window("2018-11-21T23:19:00Z", "2018-11-22T00:43:00Z")],
        Some("2018-11")
    )
    .is_empty());
}

#[test]
fn partial_impact_weighted_full_and_ignored() {
    // 100 minutes at impact 0.3: weighted 30 minutes, full 100, ignore 0.
    for (mode, expected) in [("weighted", "30"), ("full", "100"), ("ignore", "0")] {
        let w = window("2018-11-05T10:00:00Z", "2018-11-05T11:40:00Z")
            .with_impact(d("0.3"))
            .unwrap();
        let c = one(
            tiers_contract("UTC", &format!("downtime: {{ partial_impact: {mode} }}")),
            sub("1000.00", "USD"),
            vec![w],
            "2018-11",
        );
        assert_eq!(minutes(c.downtime_minutes), expected, "{mode}");
    }
}

#[test]
fn overlapping_partial_impacts_take_the_higher() {
    // 10:00-11:00 at 0.5 and 10:30-12:00 at 0.2: 60 min at 0.5 + 60 min at 0.2 = 42 minutes.
    let a = window("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z")
        .with_impact(d("0.5"))
        .unwrap();
    let b = window("2018-11-05T10:30:00Z", "2018-11-05T12:00:00Z")
        .with_impact(d("0.2"))
        .unwrap();
    let c = one(
        tiers_contract("UTC", ""),
        sub("1000.00", "USD"),
        vec![a, b],
        "2018-11",
    );
    assert_eq!(minutes(c.downtime_minutes), "42");
}

#[test]
fn a_leap_february_has_29_days() {
    // February 2020: 29 x 1440 = 41,760 minutes.
    let c = one(
        tiers_contract("UTC", ""),
        sub("1000.00", "USD"),
        vec![window("2020-02-29T10:00:00Z", "2020-02-29T11:00:00Z")],
        "2020-02",
    );
    assert_eq!(minutes(c.eligible_minutes), "41760");
}

#[test]
fn zero_eligible_minutes_give_uptime_100_and_a_note() {
    // Business hours only, and the period selected is a month where the subscription is active
    // only on a Sunday: no eligible time.
    let hours = "service_hours:\n  weekly: [{ days: [mon], from: \"09:00\", to: \"18:00\" }]";
    let mut s = sub("1000.00", "USD");
    s.active_from = Some("2018-11-04".parse().unwrap());
    s.active_to = Some("2018-11-04".parse().unwrap());
    let c = one(
        tiers_contract("UTC", hours),
        s,
        vec![window("2018-11-04T10:00:00Z", "2018-11-04T11:00:00Z")],
        "2018-11",
    );
    assert_eq!(minutes(c.eligible_minutes), "0");
    assert_eq!(uptime(c.uptime_percent), "100.000000");
    assert!(!c.breached);
    assert_eq!(c.credit.to_string(), "0.00");
    assert!(c.note.as_deref().unwrap().contains("no eligible time"));
}

#[test]
fn scope_labels_and_customers_select_windows() {
    let c = tiers_contract("UTC", "applies_to: { service: ec2 }");
    let s = sub("1000.00", "USD").with_scope("region", "ap-northeast-2");
    let base = || window("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z");
    let other_region = base().with_scope("region", "us-east-1");
    let other_service = base().with_scope("service", "s3");
    let any_region = base()
        .with_scope("region", "*")
        .with_scope("service", "ec2");
    let mut for_someone_else = base();
    for_someone_else.customers = vec!["s2".into()].into();
    let mut for_us_by_name = window("2018-11-06T10:00:00Z", "2018-11-06T10:30:00Z");
    for_us_by_name.customers = vec!["other".into(), "Customer".into()].into();
    let claim = one(
        c,
        s,
        vec![
            other_region,
            other_service,
            any_region,
            for_someone_else,
            for_us_by_name,
        ],
        "2018-11",
    );
    // Only `any_region` (60) and the window naming our customer (30) apply.
    assert_eq!(minutes(claim.downtime_minutes), "90");
}
