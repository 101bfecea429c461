//! Composite availability (SPEC 2.7): a subscription listing several values of a scope label
//! is down when at least N of them are, at the N-th highest impact.

use super::common::*;
use slacredit::report::{minutes, uptime};
use slacredit::{Claim, Inputs, Subscription, Window};

/// Monthly in UTC, 99.99 %, 10 % below it and 30 % below 99, down when `at_least` zones are.
fn zones(at_least: usize) -> slacredit::Contract {
    contract(&format!(
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ndowntime:\n  composite: {{ label: zone, at_least: {at_least} }}\nexclusions:\n  causes: [maintenance]\ncredits:\n  tiers:\n    - {{ below: 99.99, percent: 10 }}\n    - {{ below: 99.0, percent: 30 }}\n"
    ))
}

fn zone(z: &str, start: &str, end: &str) -> Window {
    let w = window(start, end);
    if z.is_empty() {
        w
    } else {
        w.with_scope("zone", z)
    }
}

/// November 2018: zones a and b overlap for half an hour, c is down alone, the whole region
/// at half impact for 20 minutes, and a (fully) with b (at 0.4) for ten minutes.
fn november() -> Vec<Window> {
    vec![
        zone("a", "2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z"),
        zone("b", "2018-11-05T10:30:00Z", "2018-11-05T11:30:00Z"),
        zone("c", "2018-11-05T12:00:00Z", "2018-11-05T13:00:00Z"),
        zone("", "2018-11-05T14:00:00Z", "2018-11-05T14:20:00Z")
            .with_impact(d("0.5"))
            .unwrap(),
        zone("a", "2018-11-05T15:00:00Z", "2018-11-05T15:10:00Z"),
        zone("b", "2018-11-05T15:00:00Z", "2018-11-05T15:10:00Z")
            .with_impact(d("0.4"))
            .unwrap(),
    ]
}

fn claim(contract: slacredit::Contract, sub: Subscription, windows: Vec<Window>) -> Claim {
    one(contract, sub, windows, "2018-11")
}

fn in_zones(z: &str) -> Subscription {
    sub("1000.00", "USD").with_scope("zone", z)
}

#[test]
fn a_region_is_down_when_two_of_its_zones_are() {
    // November has 2,592,000 s. Two of a, b, c down at once:
    //   10:30-11:00  a and b                  30 min x 1   = 30
    //   12:00-13:00  c alone                  -
    //   14:00-14:20  all three at 0.5 (unset)  20 min x 0.5 = 10 (the 2nd highest impact)
    //   15:00-15:10  a at 1, b at 0.4          10 min x 0.4 =  4
    // 44 min = 2,640 s: (2,592,000 - 2,640) / 2,592,000 = 99.898148 % < 99.99 -> 10 %.
    let got = claim(zones(2), in_zones("a;b;c"), november());
    assert_eq!(minutes(got.downtime_minutes), "44");
    assert_eq!(uptime(got.uptime_percent), "99.898148");
    assert_eq!(got.credit.to_string(), "100.00");
    // The incidents listed are the composite ones.
    let spans: Vec<(String, String)> = got
        .incidents
        .iter()
        .map(|i| (i.start.to_string(), i.end.to_string()))
        .collect();
    assert_eq!(
        spans,
        [
            ("2018-11-05T10:30:00Z".into(), "2018-11-05T11:00:00Z".into()),
            ("2018-11-05T14:00:00Z".into(), "2018-11-05T14:20:00Z".into()),
            ("2018-11-05T15:00:00Z".into(), "2018-11-05T15:10:00Z".into()),
        ]
    );
    // The order of the values changes nothing; nor does a YAML-style list.
    let again = claim(zones(2), in_zones("c; a ;b"), november());
    assert_eq!(minutes(again.downtime_minutes), "44");
    // One part down is enough with at_least 1: the union, at the highest impact:
    // 10:00-11:30 (90) + 12:00-13:00 (60) + 20 x 0.5 (10) + 10 x 1 (10) = 170 min.
    let any = claim(zones(1), in_zones("a;b;c"), november());
    assert_eq!(minutes(any.downtime_minutes), "170");
    // All three at once only in the region-wide 20 minutes, at 0.5: 10 min.
    let all = claim(zones(3), in_zones("a;b;c"), november());
    assert_eq!(minutes(all.downtime_minutes), "10");
}

#[test]
fn one_zone_keeps_the_simple_reading() {
    // zone: a alone is not a list: the windows of zone a and of the whole region, as before.
    // 60 (a) + 20 x 0.5 (region) + 10 (a) = 80 min = 4,800 s:
    // (2,592,000 - 4,800) / 2,592,000 = 99.814815 % -> 10 %.
    let got = claim(zones(2), in_zones("a"), november());
    assert_eq!(minutes(got.downtime_minutes), "80");
    assert_eq!(uptime(got.uptime_percent), "99.814815");
    // A subscription without the label sees the region-wide windows only: 10 min.
    let none = claim(zones(2), sub("1000.00", "USD"), november());
    assert_eq!(minutes(none.downtime_minutes), "10");
}

#[test]
fn excluded_time_of_any_zone_is_removed_from_the_combined_timeline() {
    // Maintenance in zone c from 10:40 to 10:50 (announced, and `maintenance` is excluded) is
    // the subscription's excluded time: it cuts the a-and-b half hour to 20 minutes, and
    // eligible time to 2,592,000 - 600 = 2,591,400 s counted as up (counts-as-up).
    let mut ws = november();
    ws.push(
        zone("c", "2018-11-05T10:40:00Z", "2018-11-05T10:50:00Z")
            .with_cause("maintenance")
            .with_announced_at(t("2018-11-01T00:00:00Z")),
    );
    let got = claim(zones(2), in_zones("a;b;c"), ws);
    // 20 + 10 + 4 = 34 minutes.
    assert_eq!(minutes(got.downtime_minutes), "34");
    assert_eq!(minutes(got.excluded_minutes), "10");
}

fn problem(contract: slacredit::Contract, sub: Subscription) -> String {
    let inputs = Inputs {
        contracts: vec![contract],
        subscriptions: vec![sub],
        ..Inputs::default()
    };
    slacredit::validate(&inputs).err().unwrap().to_string()
}

#[test]
fn a_list_of_zones_is_checked() {
    assert_eq!(
        problem(zones(3), in_zones("a;b")),
        "<subscriptions>: scope: scope label \"zone\" lists 2 values (a;b), but contract c counts downtime only when at least 3 are down (downtime.composite)"
    );
    assert_eq!(
        problem(zones(2), in_zones("a;a;b")),
        "<subscriptions>: scope: scope label \"zone\" lists \"a\" twice in \"a;a;b\""
    );
    assert_eq!(
        problem(zones(2), in_zones("a;;b")),
        "<subscriptions>: scope: scope label \"zone\" lists \"a;;b\": expected concrete values separated by ';' (none empty or *)"
    );
    // Under a contract without composite availability `a;b` is one value, as it always was;
    // only a YAML list is refused there.
    let plain = contract("id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }]\n");
    let inputs = Inputs {
        contracts: vec![plain],
        subscriptions: vec![in_zones("a;b")],
        ..Inputs::default()
    };
    assert!(slacredit::validate(&inputs).is_ok());
}

#[test]
fn yaml_subscriptions_give_a_list() {
    let yaml = "- id: s1\n  customer: ACME\n  contract: c\n  scope: { zone: [a, b] }\n  fee: { amount: \"1000.00\", currency: USD }\n";
    let subs = slacredit::parse_subscriptions("subs.yaml", yaml).unwrap();
    let one_value = "- id: s1\n  customer: ACME\n  contract: c\n  scope: { zone: [a] }\n  fee: { amount: \"1000.00\", currency: USD }\n";
    let got = claim(zones(2), subs.into_iter().next().unwrap(), november());
    // a and b: 30 + 10 + 4 = 44 minutes, as with a, b, c (c is never down with another).
    assert_eq!(minutes(got.downtime_minutes), "44");
    let subs = slacredit::parse_subscriptions("subs.yaml", one_value).unwrap();
    assert_eq!(
        problem(zones(2), subs.into_iter().next().unwrap()),
        "<subscriptions>: scope: scope label \"zone\" lists 1 value (a), but contract c counts downtime only when at least 2 are down (downtime.composite)"
    );
}

#[test]
fn the_composite_label_is_checked_in_the_contract() {
    let with = |composite: &str| {
        slacredit::Contract::from_yaml(
            "c.yaml",
            &format!("id: c\napplies_to: {{ zone: a }}\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ndowntime:\n  composite: {composite}\ncredits:\n  tiers: [{{ below: 99.99, percent: 10 }}]\n"),
        )
        .err()
        .unwrap()
        .to_string()
    };
    assert_eq!(
        with("{ label: zone, at_least: 2 }"),
        "c.yaml:7: downtime.composite.label: label \"zone\" is set by applies_to; a composite label takes its values from each subscription"
    );
    assert_eq!(
        with("{ label: az, at_least: 0 }"),
        "c.yaml:7: downtime.composite.at_least: expected a whole number of parts from 1 to 64, found \"0\""
    );
}

#[test]
fn the_command_reads_lists_from_csv_and_windows_naming_the_subscription() {
    // As `a_region_is_down_when_two_of_its_zones_are`, from CSV files, with one more window of
    // zone c that names the subscription itself (its own window): c with b's hour from 11:00
    // to 11:30 adds 30 minutes: 44 + 30 = 74 min = 4,440 s; (2,592,000 - 4,440) / 2,592,000 =
    // 99.828704 %. Another customer with one zone keeps the simple reading: 80 minutes.
    let contract = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ndowntime:\n  composite: { label: zone, at_least: 2 }\ncredits:\n  tiers:\n    - { below: 99.99, percent: 10 }\n    - { below: 99.0, percent: 30 }\n";
    let subs = b"id,customer,contract,fee,currency,zone\ns1,ACME,c,1000.00,USD,a;b;c\ns2,Beta,c,1000.00,USD,a\n";
    let outages = b"start,end,zone,impact,customers\n\
2018-11-05T10:00:00Z,2018-11-05T11:00:00Z,a,,\n\
2018-11-05T10:30:00Z,2018-11-05T11:30:00Z,b,,\n\
2018-11-05T12:00:00Z,2018-11-05T13:00:00Z,c,,\n\
2018-11-05T14:00:00Z,2018-11-05T14:20:00Z,*,0.5,\n\
2018-11-05T15:00:00Z,2018-11-05T15:10:00Z,a,,\n\
2018-11-05T15:00:00Z,2018-11-05T15:10:00Z,b,0.4,\n\
2018-11-05T11:00:00Z,2018-11-05T11:30:00Z,c,,s1\n";
    let out = run_in(
        &[
            ("contracts/c.yaml", contract.as_bytes()),
            ("subs.csv", subs),
            ("out.csv", outages),
        ],
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--period",
            "2018-11",
            "--format",
            "csv",
            "--columns",
            "subscription,downtime_minutes,uptime_percent,credit",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "subscription,downtime_minutes,uptime_percent,credit\ns1,74,99.828704,100.00\ns2,80,99.814815,100.00\n"
    );
}

/// The shipped aws-ec2-region-2018, read from `contracts/`.
fn aws_2018() -> slacredit::Contract {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let (all, _) = slacredit::load::contracts(&dir).unwrap();
    all.into_iter()
        .find(|c| c.id() == "aws-ec2-region-2018")
        .unwrap()
}

#[test]
fn aws_counts_a_region_down_when_more_than_one_zone_is() {
    // AWS: the Region is Unavailable when more than one AZ the customer runs in is. November
    // 2018 has 43,200 minutes; touched minutes count whole.
    let ec2 = |zone: Option<&str>| {
        let s = Subscription::new(
            "s1",
            "Shop",
            "aws-ec2-region-2018",
            slacredit::Money::new(d("1000.00"), slacredit::Currency::from_code("USD").unwrap()),
        )
        .with_scope("service", "ec2");
        match zone {
            Some(z) => s.with_scope("zone", z),
            None => s,
        }
    };
    // The Seoul outage of 2018-11-22 was region-wide (no zone): 102 minutes for everyone,
    // (43,200 - 102) / 43,200 = 99.763889 % -> 10 %, with two zones, one, or none given.
    let seoul = vec![window("2018-11-21T23:19:00Z", "2018-11-22T01:01:00Z")];
    for zone in [Some("apne2-az1;apne2-az3"), Some("apne2-az1"), None] {
        let got = claim(aws_2018(), ec2(zone), seoul.clone());
        assert_eq!(minutes(got.downtime_minutes), "102", "{zone:?}");
        assert_eq!(got.credit.to_string(), "100.00");
    }
    // A zonal outage: az1 down 90 minutes, az3 for 3 of them. One zone given (the simple
    // reading): 90 min, (43,200 - 90) / 43,200 = 99.791667 % -> 100.00. Both zones given: only
    // the 3 minutes both are down, 99.993056 %, not below 99.99: no credit.
    let zonal = vec![
        zone("apne2-az1", "2018-11-05T10:00:00Z", "2018-11-05T11:30:00Z"),
        zone("apne2-az3", "2018-11-05T11:00:00Z", "2018-11-05T11:03:00Z"),
    ];
    let one_zone = claim(aws_2018(), ec2(Some("apne2-az1")), zonal.clone());
    assert_eq!(
        (
            minutes(one_zone.downtime_minutes),
            one_zone.credit.to_string()
        ),
        ("90".into(), "100.00".into())
    );
    let two = claim(aws_2018(), ec2(Some("apne2-az1;apne2-az3")), zonal);
    assert_eq!(uptime(two.uptime_percent), "99.993056");
    assert_eq!(
        (minutes(two.downtime_minutes), two.credit.to_string()),
        ("3".into(), "0.00".into())
    );
}

#[test]
fn the_letter_and_the_audit_explain_composite_availability() {
    let contract = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ndowntime:\n  composite: { label: zone, at_least: 2 }\ncredits:\n  tiers:\n    - { below: 99.99, percent: 10 }\n";
    let subs = b"id,customer,contract,fee,currency,zone\ns1,ACME,c,1000.00,USD,a;b;c\n";
    let outages = b"start,end,zone\n2018-11-05T10:00:00Z,2018-11-05T11:00:00Z,a\n2018-11-05T10:30:00Z,2018-11-05T11:30:00Z,b\n";
    let files: [(&str, &[u8]); 3] = [
        ("contracts/c.yaml", contract.as_bytes()),
        ("subs.csv", subs),
        ("out.csv", outages),
    ];
    let inputs = ["--subscriptions", "subs.csv", "--outages", "out.csv"];
    let letter = run_in(
        &files,
        &[
            &["claim"][..],
            &inputs,
            &[
                "--period",
                "2018-11",
                "--format",
                "markdown",
                "--date",
                "2018-12-01",
            ],
        ]
        .concat(),
    );
    assert_eq!(letter.code, 0, "{}", letter.stderr);
    assert!(letter.stdout.contains("3. Downtime: 30 minutes (measured to the second; partial outages weighted by the share of failures; counted only where at least 2 of the zone values a, b, c were down at once, at the impact of the least affected of the 2 most affected)."), "{}", letter.stdout);
    let audit = run_in(
        &files,
        &[
            &["audit"][..],
            &inputs,
            &["--year", "2018", "--format", "markdown"],
        ]
        .concat(),
    );
    assert!(audit.stdout.contains("- Composite availability: a subscription listing several values of scope label `zone` is down only where at least 2 of them are at once, at the impact of the least affected of the 2 most affected; one value reads as without.\n"), "{}", audit.stdout);
}
