//! `slacredit deadlines`: what must be claimed soon, by customer and date (SPEC 3.5's
//! per-incident days), on a hand-made case.

use crate::common::run_in;

/// A 30-day rule counted from each incident's end in Seoul: the first incident ends 00:30 KST
/// on 4 November (2018-12-04), the second on 20 November (2018-12-20). Fee 1,000.00 USD,
/// commitment 99.99 %: 90 minutes down of 43,200 is 99.791667 %, a 10 % credit of 100.00.
/// A second customer, on a period rule, owes 10.00 by 2019-01-31.
const CONTRACTS: [(&str, &[u8]); 2] = [
    (
        "contracts/incident.yaml",
        b"id: incident\napplies_to: { service: web }\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.99\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }]\nclaim:\n  deadline: { days_after_incident: 30 }\n",
    ),
    (
        "contracts/period.yaml",
        b"id: period\napplies_to: { service: db }\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }]\nclaim:\n  deadline: { periods_after: 2 }\n",
    ),
];

const SUBS: &[u8] = b"id,customer,contract,fee,currency\nweb-1,Beta Shop,incident,1000.00,USD\ndb-1,Alpha Bank,period,100.00,USD\n";
const OUTAGES: &[u8] = b"start,end,service\n2018-11-03T14:30:00Z,2018-11-03T15:30:00Z,web\n2018-11-20T01:30:00Z,2018-11-20T02:00:00Z,web\n2018-11-10T00:00:00Z,2018-11-10T01:00:00Z,db\n";

fn run(args: &[&str]) -> crate::common::Outcome {
    let mut files = CONTRACTS.to_vec();
    files.push(("subs.csv", SUBS));
    files.push(("outages.csv", OUTAGES));
    let mut all = vec![
        "deadlines",
        "--subscriptions",
        "subs.csv",
        "--outages",
        "outages.csv",
    ];
    all.extend_from_slice(args);
    run_in(&files, &all)
}

#[test]
fn each_incident_day_is_listed_by_customer_and_date() {
    let out = run(&["--as-of", "2018-12-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "Claims due from 2018-12-01\n\
         \n\
         Alpha Bank\n\
         \x20 DEADLINE    DAYS LEFT  SUBSCRIPTION  PERIOD   CREDIT  CUR  INCIDENTS\n\
         \x20 2019-01-31  61         db-1          2018-11  10.00   USD  #1\n\
         \n\
         Beta Shop\n\
         \x20 DEADLINE    DAYS LEFT  SUBSCRIPTION  PERIOD   CREDIT  CUR  INCIDENTS\n\
         \x20 2018-12-04  3          web-1         2018-11  100.00  USD  #1\n\
         \x20 2018-12-20  19         web-1         2018-11  100.00  USD  #2\n"
    );
}

#[test]
fn past_days_and_days_beyond_the_horizon_are_left_out() {
    // On 5 December the first incident's day has passed; within 15 days the second's remains.
    let out = run(&[
        "--as-of",
        "2018-12-05",
        "--within",
        "15d",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "slacredit/deadlines/v1");
    assert_eq!(doc["within_days"], 15);
    assert_eq!(
        doc["due"],
        serde_json::json!([{
            "customer": "Beta Shop", "subscription": "web-1", "period": "2018-11",
            "deadline": "2018-12-20", "days_left": 15, "credit": "100.00", "currency": "USD",
            "incidents": [2]
        }])
    );
    // The last day itself is still in time: 0 days left.
    let out = run(&["--as-of", "2019-01-31"]);
    assert!(out.stdout.contains("2019-01-31  0 "), "{}", out.stdout);
    let out = run(&["--as-of", "2019-02-01"]);
    assert!(out.stdout.contains("Nothing is due"), "{}", out.stdout);
}

#[test]
fn bad_dates_and_formats_are_usage_errors() {
    for (args, message) in [
        (
            &["--as-of", "2018-13-01"][..],
            "--as-of: expected a date such as 2018-12-01",
        ),
        (
            &["--as-of", "2018-12-01", "--within", "14"][..],
            "--within: expected days such as 14d",
        ),
        (
            &["--as-of", "2018-12-01", "--format", "csv"][..],
            "deadlines writes table or json",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
}
