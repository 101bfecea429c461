//! SPEC section 7, exactly, and the AWS Seoul case through the library.

use crate::common::*;
use slacredit::report::{minutes, uptime};

const AWS_2018: &str = "id: aws-ec2-region-2018\napplies_to: { service: ec2 }\nperiod: month\ntimezone: ZONE\ncommitment: 99.99\ncredits:\n  tiers:\n    - { below: 99.99, percent: 10 }\n    - { below: 99.0,  percent: 30 }\nclaim:\n  deadline: { periods_after: 2 }\n";

fn seoul_outage() -> slacredit::Window {
    window("2018-11-21T23:19:00Z", "2018-11-22T00:43:00Z").with_scope("region", "ap-northeast-2")
}

fn shop() -> slacredit::Subscription {
    let mut s = sub("120000.00", "USD").with_scope("region", "ap-northeast-2");
    s.contract = "aws-ec2-region-2018".into();
    s.id = "shop-ec2-seoul".into();
    s
}

#[test]
fn spec_7_utc() {
    // 84 minutes of 43,200: (43200 - 84) / 43200 x 100 = 99.80555...%, below 99.99 -> 10 %
    // of 120,000.00 = 12,000.00. Next tier: 432 minutes give exactly 99.0 (not below), so 433
    // are needed: 433 - 84 = 349.
    let c = one(
        contract(&AWS_2018.replace("ZONE", "UTC")),
        shop(),
        vec![seoul_outage()],
        "2018-11",
    );
    assert_eq!(minutes(c.eligible_minutes), "43200");
    assert_eq!(minutes(c.downtime_minutes), "84");
    assert_eq!(uptime(c.uptime_percent), "99.805556");
    assert!(c.breached);
    assert_eq!(c.credit_percent, Some(d("10")));
    assert_eq!(c.credit.to_string(), "12000.00");
    assert_eq!(c.claim_deadline.unwrap().to_string(), "2019-01-31");
    let next = c.next_tier.unwrap();
    assert_eq!(
        (next.credit_percent, next.more_downtime_minutes),
        (d("30"), d("349"))
    );
    assert_eq!(c.incidents.len(), 1);
    assert_eq!(c.incidents[0].start.to_string(), "2018-11-21T23:19:00Z");
    assert_eq!(c.incidents[0].end.to_string(), "2018-11-22T00:43:00Z");
}

#[test]
fn spec_7_los_angeles() {
    // November 2018 in Los Angeles has 43,260 minutes (clocks went back on the 4th):
    // (43260 - 84) / 43260 x 100 = 99.805825...%.
    let c = one(
        contract(&AWS_2018.replace("ZONE", "America/Los_Angeles")),
        shop(),
        vec![seoul_outage()],
        "2018-11",
    );
    assert_eq!(minutes(c.eligible_minutes), "43260");
    assert_eq!(uptime(c.uptime_percent), "99.805825");
    assert_eq!(c.period_start.to_string(), "2018-11-01T07:00:00Z");
    assert_eq!(c.period_end.to_string(), "2018-12-01T08:00:00Z");
    assert_eq!(c.credit.to_string(), "12000.00");
    // 1 % of 43,260 = 432.6 minutes: 433 total reach below 99.0, so 349 more.
    assert_eq!(c.next_tier.unwrap().more_downtime_minutes, d("349"));
}

#[test]
fn both_sources_merge_into_one_incident() {
    // Provider 08:19-09:43 KST, our monitoring 08:21-10:01 KST: the union is 08:19-10:01,
    // 102 minutes, one incident carrying the shared reference once.
    let provider = seoul_outage().with_reference("aws-seoul-dns");
    let ours = window("2018-11-22T08:21:00+09:00", "2018-11-22T10:01:00+09:00")
        .with_scope("region", "ap-northeast-2")
        .with_reference("aws-seoul-dns");
    let c = one(
        contract(&AWS_2018.replace("ZONE", "UTC")),
        shop(),
        vec![ours, provider],
        "2018-11",
    );
    assert_eq!(minutes(c.downtime_minutes), "102");
    // (43200 - 102) / 43200 = 99.763888...%
    assert_eq!(uptime(c.uptime_percent), "99.763889");
    assert_eq!(&*c.incidents[0].references[0], "aws-seoul-dns");
    assert_eq!(c.incidents[0].end.to_string(), "2018-11-22T01:01:00Z");
}

#[test]
fn the_shipped_seoul_case_credits_what_aws_credited() {
    // AWS credited every affected customer 10 % of its November 2018 Seoul EC2 charges
    // (announced 2018-12-11). The shipped case must give exactly that, and nothing to Tokyo.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = slacredit::load::Sources {
        contracts: vec![root.join("contracts").into()],
        ..Default::default()
    }
    .with_case(&root.join("docs/cases/aws-seoul-2018"), true)
    .unwrap();
    let claims = slacredit::compute(&sources.load().unwrap(), &slacredit::Selection::default())
        .unwrap()
        .claims;
    assert_eq!(claims.len(), 5);
    for c in &claims {
        assert_eq!(c.period.to_string(), "2018-11");
        let seoul = c.subscription.ends_with("-seoul");
        let expected = if seoul {
            c.currency
                .round(c.basis / d("10"), slacredit::Rounding::HalfUp)
        } else {
            c.currency.zero()
        };
        assert_eq!(c.credit, expected, "{}", c.subscription);
        assert_eq!(
            c.credit_percent,
            Some(if seoul { d("10") } else { d("0") }),
            "{}",
            c.subscription
        );
    }
    let shop = claims
        .iter()
        .find(|c| &*c.subscription == "shop-ec2-seoul")
        .unwrap();
    assert_eq!(shop.credit.to_string(), "12000.00");
}

#[test]
fn service_hours_are_wall_clock_hours_when_the_clocks_go_back() {
    // SPEC 3.6, Europe/London, Sundays 01:30-02:00. October 2020's Sundays are the 4th, 11th
    // and 18th (30 minutes each) and the 25th, when the clocks go back at 02:00 BST and
    // 01:30-02:00 happens twice (60 minutes): 150 eligible minutes. A window over the whole
    // local 25th (2020-10-24T23:00Z to 2020-10-26T00:00Z) takes its 60: uptime 90 / 150 = 60 %.
    let c = tiers_contract(
        "Europe/London",
        "service_hours:\n  weekly: [{ days: [sun], from: \"01:30\", to: \"02:00\" }]",
    );
    let outage = window("2020-10-24T23:00:00Z", "2020-10-26T00:00:00Z");
    let claim = one(c, sub("100.00", "USD"), vec![outage], "2020-10");
    assert_eq!(
        (claim.eligible_minutes, claim.downtime_minutes),
        (d("150"), d("60"))
    );
    assert_eq!(uptime(claim.uptime_percent), "60.000000");
    assert_eq!(claim.credit, d("30.00"));
}

#[test]
fn skipped_clock_times_are_no_service_hours() {
    // SPEC 3.6: clocks go forward in London at 01:00 GMT on 2020-03-29; Sundays 01:00-02:00
    // of March 2020 are the 1st, 8th, 15th and 22nd (60 each) and none on the 29th: 240.
    let c = tiers_contract(
        "Europe/London",
        "service_hours:\n  weekly: [{ days: [sun], from: \"01:00\", to: \"02:00\" }]",
    );
    let outage = window("2020-03-29T00:00:00Z", "2020-03-29T02:00:00Z");
    let claim = one(c, sub("100.00", "USD"), vec![outage], "2020-03");
    assert_eq!(
        (claim.eligible_minutes, claim.downtime_minutes),
        (d("240"), d("0"))
    );
}
