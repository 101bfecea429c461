//! Earn-back (SPEC 2.7): a credit is forgiven when each of the next N periods meets the
//! commitment, due once one of them is breached, pending while some are outside the range.

use super::common::*;
use slacredit::{Claim, EarnBackStatus};

/// Monthly, 99.9 %, 10 % below it, earn-back over two periods.
const EARN_BACK: &str = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n  earn_back: { periods: 2 }\n";

/// An hour down on the 5th of `month` (2018-MM).
fn hour_down(month: &str) -> slacredit::Window {
    window(
        &format!("{month}-05T00:00:00Z"),
        &format!("{month}-05T01:00:00Z"),
    )
}

fn between(from: &str, to: &str, windows: Vec<slacredit::Window>) -> Vec<Claim> {
    let inputs = slacredit::Inputs {
        contracts: vec![contract(EARN_BACK)],
        subscriptions: vec![sub("1000.00", "EUR")],
        windows,
        ..slacredit::Inputs::default()
    };
    let span = slacredit::PeriodSpan::new(
        slacredit::PeriodId::parse(from).unwrap(),
        slacredit::PeriodId::parse(to).unwrap(),
    )
    .unwrap();
    let selection = slacredit::Selection {
        periods: Some(span),
        ..slacredit::Selection::default()
    };
    slacredit::compute(&inputs, &selection).unwrap().claims
}

/// (period, credit, credit before earn-back, status, decided in) of each claim.
fn rows(claims: &[Claim]) -> Vec<(String, String, String, String, String)> {
    claims
        .iter()
        .map(|c| {
            let e = c.earn_back;
            (
                c.period.to_string(),
                c.credit.to_string(),
                c.credit_before_earn_back
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                e.map(|e| e.status.name().to_owned()).unwrap_or_default(),
                e.and_then(|e| e.decided_in)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_credit_is_due_forgiven_or_pending_by_the_periods_after_it() {
    // A 31-day month is 2,678,400 s; an hour down leaves (2,678,400 - 3,600) / 2,678,400 =
    // 99.865591 % < 99.9: 10 % of 1,000.00 = 100.00, in January, March and July 2018.
    //   2018-01: February met, March breached -> due, decided in 2018-03.
    //   2018-03: April and May met -> forgiven in 2018-05: credit 0.00, 100.00 before.
    //   2018-07: August met, September outside the range -> pending.
    // Months without a credit carry no earn-back. Totals: credits 100.00 (January) + 100.00
    // (July) = 200.00, of which due 100.00 and pending 100.00.
    let ws = vec![
        hour_down("2018-01"),
        hour_down("2018-03"),
        hour_down("2018-07"),
    ];
    let claims = between("2018-01", "2018-08", ws.clone());
    let r = rows(&claims);
    let s = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (a.into(), b.into(), c.into(), d.into(), e.into())
    };
    assert_eq!(
        r,
        vec![
            s("2018-01", "100.00", "100.00", "due", "2018-03"),
            s("2018-02", "0.00", "0.00", "", ""),
            s("2018-03", "0.00", "100.00", "forgiven", "2018-05"),
            s("2018-04", "0.00", "0.00", "", ""),
            s("2018-05", "0.00", "0.00", "", ""),
            s("2018-06", "0.00", "0.00", "", ""),
            s("2018-07", "100.00", "100.00", "pending", ""),
            s("2018-08", "0.00", "0.00", "", ""),
        ]
    );
    // The same March asked for alone: April and May are outside the range, so it is pending
    // (judged against the requested range, SPEC 2.7); with April only, still pending.
    let march = between("2018-03", "2018-03", ws.clone());
    assert_eq!(march[0].earn_back.unwrap().status, EarnBackStatus::Pending);
    assert_eq!(march[0].credit.to_string(), "100.00");
    let to_april = between("2018-03", "2018-04", ws.clone());
    assert_eq!(
        to_april[0].earn_back.unwrap().status,
        EarnBackStatus::Pending
    );
    // A breach in the first period after decides at once, whatever lies beyond the range.
    let january = between("2018-01", "2018-03", ws);
    assert_eq!(
        rows(&january[..1]),
        vec![s("2018-01", "100.00", "100.00", "due", "2018-03")]
    );
}

#[test]
fn earn_back_in_the_json_totals_and_the_cli() {
    let subs = b"id,customer,contract,fee,currency\ns1,ACME,c,1000.00,EUR\n";
    let outages = b"start,end\n2018-01-05T00:00:00Z,2018-01-05T01:00:00Z\n2018-03-05T00:00:00Z,2018-03-05T01:00:00Z\n2018-07-05T00:00:00Z,2018-07-05T01:00:00Z\n";
    let files: [(&str, &[u8]); 3] = [
        ("contracts/c.yaml", EARN_BACK.as_bytes()),
        ("subs.csv", subs),
        ("out.csv", outages),
    ];
    let base = [
        "claim",
        "--subscriptions",
        "subs.csv",
        "--outages",
        "out.csv",
        "--from",
        "2018-01",
        "--to",
        "2018-08",
    ];
    let json = run_in(&files, &[&base[..], &["--format", "json"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let march = &v["claims"][2];
    assert_eq!(march["credit"], "0.00");
    assert_eq!(march["credit_before_earn_back"], "100.00");
    assert_eq!(march["earn_back"]["status"], "forgiven");
    assert_eq!(march["earn_back"]["decided_in"], "2018-05");
    // No credit, no earn-back: null, not absent.
    assert!(v["claims"][1]["earn_back"].is_null());
    assert!(v["claims"][1].get("earn_back").is_some());
    assert_eq!(v["claims"][6]["earn_back"]["status"], "pending");
    assert!(v["claims"][6]["earn_back"]["decided_in"].is_null());
    assert_eq!(
        v["totals"],
        serde_json::json!([{ "currency": "EUR", "credit": "200.00", "due": "100.00", "pending": "100.00" }])
    );
    // The CSV's default columns gain the earn-back ones under an earn-back contract.
    let csv = run_in(&files, &[&base[..], &["--format", "csv"]].concat());
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert!(lines[0]
        .ends_with(",incidents,earn_back_status,earn_back_decided_in,credit_before_earn_back"));
    assert!(
        lines[3].ends_with(",1,forgiven,2018-05,100.00"),
        "{}",
        lines[3]
    );
    assert!(lines[2].ends_with(",0,,,0.00"), "{}", lines[2]);
    // A billing run books what is owed: the forgiven March is not among the credited.
    let booked = run_in(
        &files,
        &[&base[..], &["--format", "csv", "--credited-only"]].concat(),
    );
    let periods: Vec<&str> = booked
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(periods, ["2018-01", "2018-07"]);
    // The table says where each credit stands, and the totals what is due and pending.
    let table = run_in(&files, &base);
    assert!(table
        .stdout
        .contains("earn-back s1 2018-03: forgiven (2018-05 met; 100.00 earned back)\n"));
    assert!(table
        .stdout
        .contains("earn-back s1 2018-01: due (2018-03 breached)\n"));
    assert!(table
        .stdout
        .contains("total EUR 200.00 (due 100.00, pending 100.00)\n"));
}

#[test]
fn the_letter_and_the_audit_explain_earn_back() {
    let subs = b"id,customer,contract,fee,currency\ns1,ACME,c,1000.00,EUR\n";
    let outages = b"start,end\n2018-01-05T00:00:00Z,2018-01-05T01:00:00Z\n2018-03-05T00:00:00Z,2018-03-05T01:00:00Z\n2018-07-05T00:00:00Z,2018-07-05T01:00:00Z\n";
    let files: [(&str, &[u8]); 3] = [
        ("contracts/c.yaml", EARN_BACK.as_bytes()),
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
                "--from",
                "2018-03",
                "--to",
                "2018-05",
                "--format",
                "markdown",
                "--date",
                "2018-06-10",
            ],
        ]
        .concat(),
    );
    assert_eq!(letter.code, 0, "{}", letter.stderr);
    assert!(letter.stdout.contains("9. Earn-back: each of the next 2 periods met the commitment (the last 2018-05), so the credit of EUR 100.00 is forgiven.\n\n**Credit claimed: EUR 0.00**."), "{}", letter.stdout);
    // The year 2018: July is forgiven too (August and September met), January stays due.
    let audit = run_in(
        &files,
        &[
            &["audit"][..],
            &inputs,
            &["--year", "2018", "--format", "markdown"],
        ]
        .concat(),
    );
    assert!(audit
        .stdout
        .contains("| currency | credits | of which due | of which pending |\n|---|---|---|---|\n| EUR | 100.00 | 100.00 | 0.00 |\n"));
    assert!(audit.stdout.contains(
        "- Earn-back: a credit is forgiven when each of the next 2 periods meets the commitment.\n"
    ));
    assert!(audit
        .stdout
        .contains("| s1 | 2018-07 | 100.00 EUR | forgiven (2018-09 met; 100.00 earned back) |\n"));
}

#[test]
fn earn_back_periods_must_be_a_whole_number_from_1_to_36() {
    for (value, found) in [("0", "\"0\""), ("1.5", "\"1.5\""), ("37", "\"37\"")] {
        let yaml = EARN_BACK.replace("periods: 2", &format!("periods: {value}"));
        let err = slacredit::Contract::from_yaml("c.yaml", &yaml)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            err,
            format!("c.yaml:7: credits.earn_back.periods: expected a whole number of periods from 1 to 36, found {found}")
        );
    }
    let unknown = EARN_BACK.replace("periods: 2", "periods: 2, after: 1");
    let err = slacredit::Contract::from_yaml("c.yaml", &unknown)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("c.yaml:7:28: credits.earn_back"), "{err}");
    assert!(err.contains("unknown field `after`"), "{err}");
}

#[test]
fn reconciliation_expects_nothing_of_forgiven_or_pending_credits() {
    // January and July 2018 are forgiven (the two months after each met the commitment), so
    // credits issued for them are findings; December's credit is pending (January and
    // February 2019 lie outside the year reconciled): not issued is not missing.
    let subs = b"id,customer,contract,fee,currency\ns1,ACME,c,1000.00,EUR\n";
    let outages = b"start,end\n2018-01-05T00:00:00Z,2018-01-05T01:00:00Z\n2018-07-05T00:00:00Z,2018-07-05T01:00:00Z\n2018-12-05T00:00:00Z,2018-12-05T01:00:00Z\n";
    let issued =
        b"subscription,period,amount,currency\ns1,2018-01,100.00,EUR\ns1,2018-07,100.00,EUR\n";
    let files: [(&str, &[u8]); 4] = [
        ("contracts/c.yaml", EARN_BACK.as_bytes()),
        ("subs.csv", subs),
        ("out.csv", outages),
        ("issued.csv", issued),
    ];
    let out = run_in(
        &files,
        &[
            "reconcile",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--issued",
            "issued.csv",
            "--year",
            "2018",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "NOT reconciled: 2 discrepancies between 12 computed claims and 2 issued credits\n\
         KIND                    SUBSCRIPTION  PERIOD   CURRENCY  COMPUTED  ISSUED  ISSUED - COMPUTED\n\
         issued-though-forgiven  s1            2018-01  EUR       0.00      100.00  100.00\n\
         issued-though-forgiven  s1            2018-07  EUR       0.00      100.00  100.00\n"
    );
    // Issuing the pending December credit early is no finding either.
    let early = b"subscription,period,amount,currency\ns1,2018-12,100.00,EUR\n";
    let files: [(&str, &[u8]); 4] = [files[0], files[1], files[2], ("issued.csv", early)];
    let out = run_in(
        &files,
        &[
            "reconcile",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--issued",
            "issued.csv",
            "--year",
            "2018",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn without_a_range_the_months_between_outages_met_the_commitment() {
    // No periods asked for: the run computes the months with windows (January and April).
    // February and March had none, so no downtime: they met the commitment and January's
    // 100.00 is forgiven in 2018-03. April's months after it are beyond the last computed:
    // pending.
    let inputs = slacredit::Inputs {
        contracts: vec![contract(EARN_BACK)],
        subscriptions: vec![sub("1000.00", "EUR")],
        windows: vec![hour_down("2018-01"), hour_down("2018-04")],
        ..slacredit::Inputs::default()
    };
    let claims = slacredit::compute(&inputs, &slacredit::Selection::default())
        .unwrap()
        .claims;
    let s = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (a.into(), b.into(), c.into(), d.into(), e.into())
    };
    assert_eq!(
        rows(&claims),
        vec![
            s("2018-01", "0.00", "100.00", "forgiven", "2018-03"),
            s("2018-04", "100.00", "100.00", "pending", ""),
        ]
    );
}
