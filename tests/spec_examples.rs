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
        contracts: root.join("contracts"),
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
