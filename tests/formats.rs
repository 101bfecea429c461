//! The same inputs written as CSV, YAML and JSON give the same claims.

use crate::common::*;
use slacredit::report::{minutes, uptime};
use slacredit::{compute, parse_subscriptions, parse_windows, Inputs, Selection};

const CONTRACT: &str = "id: c\napplies_to: { service: ec2 }\nperiod: quarter\ntimezone: Asia/Seoul\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n";

fn run(subs: (&str, &str), windows: (&str, &str)) -> Vec<slacredit::Claim> {
    let inputs = Inputs {
        contracts: vec![contract(CONTRACT)],
        subscriptions: parse_subscriptions(subs.0, subs.1).unwrap_or_else(|e| panic!("{e}")),
        windows: parse_windows(windows.0, windows.1, None).unwrap_or_else(|e| panic!("{e}")),
        ..Inputs::default()
    };
    compute(&inputs, &Selection::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .claims
}

#[test]
fn csv_yaml_and_json_agree() {
    let subs_csv = ("s.csv", "id,customer,contract,currency,fee,active_from,active_to,region\na,A,c,USD,300.00,2018-10-01,,kr\n");
    let subs_yaml = ("s.yaml", "- id: a\n  customer: A\n  contract: c\n  scope: { region: kr }\n  fee: { amount: \"300.00\", currency: USD }\n  active: { from: 2018-10-01 }\n");
    let win_csv = ("w.csv", "start,end,service,region,impact,reference\n2018-11-22T08:19:00+09:00,2018-11-22T09:43:00+09:00,ec2,kr,0.5,r1\n");
    let win_yaml = ("w.yaml", "- start: 2018-11-22T08:19:00+09:00\n  end: 2018-11-22T09:43:00+09:00\n  service: ec2\n  region: kr\n  impact: 0.5\n  reference: r1\n");
    let win_json = ("w.json", "[{\"start\": \"2018-11-22T08:19:00+09:00\", \"end\": \"2018-11-22T09:43:00+09:00\",\n  \"service\": \"ec2\", \"region\": \"kr\", \"impact\": 0.5, \"reference\": \"r1\", \"cause\": null}]\n");
    let first = run(subs_csv, win_csv);
    for (s, w) in [
        (subs_csv, win_yaml),
        (subs_csv, win_json),
        (subs_yaml, win_csv),
        (subs_yaml, win_json),
    ] {
        assert_eq!(first, run(s, w), "{} + {}", s.0, w.0);
    }
    // Q4 2018 in Seoul: 92 days = 132,480 minutes; 84 minutes at half impact = 42.
    // (132480 - 42) / 132480 = 99.968297...%: no breach of 99.9.
    let c = &first[0];
    assert_eq!(c.period.to_string(), "2018-Q4");
    assert_eq!(minutes(c.eligible_minutes), "132480");
    assert_eq!(minutes(c.downtime_minutes), "42");
    assert_eq!(uptime(c.uptime_percent), "99.968297");
}

#[test]
fn yearly_periods_and_active_to() {
    // A yearly contract, active until 2018-06-30 (inclusive): eligible = Jan 1 to Jul 1 2018 in
    // UTC = 181 days = 260,640 minutes; the fee 1200.00 pro-rated by 181/365 = 595.068... -> 595.07.
    let c = contract("id: y\nperiod: year\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n");
    let mut s = sub("1200.00", "USD");
    s.contract = "y".into();
    s.active_to = Some("2018-06-30".parse().unwrap());
    let claim = one(
        c,
        s,
        vec![window("2018-03-01T00:00:00Z", "2018-03-01T06:00:00Z")],
        "2018",
    );
    assert_eq!(minutes(claim.eligible_minutes), "260640");
    assert_eq!(claim.basis.to_string(), "595.07");
    // 360 / 260640 = 0.138122% down -> 99.861878%: below 99.9 -> 10 % of 595.07 = 59.507 -> 59.51.
    assert_eq!(uptime(claim.uptime_percent), "99.861878");
    assert_eq!(claim.credit.to_string(), "59.51");
}

/// Attributes (free text that changes no number) read from YAML `attributes:` and CSV `attr.NAME`
/// columns agree, ride along into the claims and their JSON, and change no figure; without
/// them the JSON claim has no `attributes` key (SPEC 5's object).
#[test]
fn attributes_ride_along_without_changing_a_number() {
    let csv = ("s.csv", "id,customer,contract,currency,fee,attr.account_id,region,attr.contact\na,A,c,USD,300.00,123456789012,kr,ops@example.com\nb,B,c,USD,300.00,,kr,\n");
    let yaml = ("s.yaml", "- id: a\n  customer: A\n  contract: c\n  scope: { region: kr }\n  fee: { amount: \"300.00\", currency: USD }\n  attributes: { account_id: \"123456789012\", contact: ops@example.com }\n- id: b\n  customer: B\n  contract: c\n  scope: { region: kr }\n  fee: { amount: \"300.00\", currency: USD }\n");
    let windows = (
        "w.csv",
        "start,end,service,region\n2018-11-22T08:19:00+09:00,2018-11-22T09:43:00+09:00,ec2,kr\n",
    );
    let from_csv = run(csv, windows);
    assert_eq!(from_csv, run(yaml, windows));
    let (a, b) = (&from_csv[0], &from_csv[1]);
    assert_eq!(a.attributes.get("account_id"), Some("123456789012"));
    assert_eq!(a.attributes.get("contact"), Some("ops@example.com"));
    assert!(b.attributes.is_empty());
    // `region` stayed a scope label: both subscriptions had the window.
    assert_eq!((a.downtime_minutes, b.downtime_minutes), (d("84"), d("84")));
    let wire = serde_json::to_value(&from_csv).unwrap();
    assert_eq!(
        wire[0]["attributes"],
        serde_json::json!({ "account_id": "123456789012", "contact": "ops@example.com" })
    );
    assert!(wire[1].get("attributes").is_none());
}

#[test]
fn attribute_columns_need_a_name_and_clean_text() {
    let err = parse_subscriptions(
        "s.csv",
        "id,customer,contract,currency,fee,attr.\na,A,c,USD,1.00,x\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("s.csv:1: attr.: a column `attr.` needs a name after the point"),
        "{err}"
    );
    let err = parse_subscriptions("s.yaml", "- id: a\n  customer: A\n  contract: c\n  fee: { amount: \"1.00\", currency: USD }\n  attributes: { contact: \"bell\\u0007\" }\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("control character U+0007"), "{err}");
    assert!(err.contains("attributes"), "{err}");
}
