//! Bad input: exit 1 and every problem listed, each naming file, line, field and what was
//! expected. Messages are checked word for word.

use crate::common::run_in;

const GOOD_CONTRACT: &str = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.99\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }]\n";
const GOOD_SUBS: &str = "id,customer,contract,currency,fee,region\na,A,c,USD,100.00,x\n";
const GOOD_OUTAGES: &str =
    "start,end,region\n2018-11-22T08:19:00+09:00,2018-11-22T09:43:00+09:00,x\n";

/// Runs `claim` in a folder holding `contracts/<name>` files, subs.csv and out.csv; returns
/// (exit code, stderr).
fn run(
    contracts: &[(&str, &str)],
    subs: &str,
    outages: (&str, &str),
    extra: &[&str],
) -> (i32, String) {
    let paths: Vec<String> = contracts
        .iter()
        .map(|(name, _)| format!("contracts/{name}"))
        .collect();
    let mut files: Vec<(&str, &[u8])> = paths
        .iter()
        .zip(contracts)
        .map(|(path, (_, text))| (path.as_str(), text.as_bytes()))
        .collect();
    files.push(("subs.csv", subs.as_bytes()));
    files.push((outages.0, outages.1.as_bytes()));
    let mut args = vec![
        "claim",
        "--subscriptions",
        "subs.csv",
        "--outages",
        outages.0,
    ];
    args.extend_from_slice(extra);
    let out = run_in(&files, &args);
    if out.code != 0 {
        assert!(
            out.stdout.is_empty(),
            "nothing may be printed on stdout on error"
        );
    }
    (out.code, out.stderr)
}

fn contract_error(yaml: &str) -> String {
    let (code, err) = run(
        &[("c.yaml", yaml)],
        GOOD_SUBS,
        ("out.csv", GOOD_OUTAGES),
        &[],
    );
    assert_eq!(code, 1, "{err}");
    err
}

#[test]
fn offset_less_time() {
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        (
            "out.csv",
            "start,end,region\n2018-11-22T08:19:00,2018-11-22T09:43:00+09:00,x\n",
        ),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(err, "error: out.csv:2: start: time \"2018-11-22T08:19:00\" has no UTC offset; add one (Z, +09:00) or pass --input-timezone\n1 problem found; nothing was written\n");
}

#[test]
fn offset_less_time_with_input_timezone_is_read_in_that_zone() {
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        (
            "out.csv",
            "start,end,region\n2018-11-22T08:19:00,2018-11-22T09:43:00,x\n",
        ),
        &["--input-timezone", "Asia/Seoul"],
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn dst_ambiguous_local_time_is_rejected() {
    // 2018-11-04 01:30 happened twice in Los Angeles.
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        (
            "out.csv",
            "start,end,region\n2018-11-04T01:30:00,2018-11-04T03:00:00,x\n",
        ),
        &["--input-timezone", "America/Los_Angeles"],
    );
    assert_eq!(code, 1);
    assert!(err.starts_with("error: out.csv:2: start: time \"2018-11-04T01:30:00\" is ambiguous in America/Los_Angeles"), "{err}");
}

#[test]
fn end_before_start() {
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        (
            "out.csv",
            "start,end,region\n2018-11-22T10:00:00Z,2018-11-22T09:00:00Z,x\n",
        ),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(err.lines().next().unwrap(), "error: out.csv:2: end: expected end (2018-11-22T09:00:00Z) after start (2018-11-22T10:00:00Z)");
}

#[test]
fn unknown_contract_field() {
    let err = contract_error(&GOOD_CONTRACT.replace("credits:", "credit_tiers: []\ncredits:"));
    assert!(
        err.starts_with(
            "error: contracts/c.yaml:5:1: unknown field `credit_tiers`, expected one of `id`,"
        ),
        "{err}"
    );
}

#[test]
fn unknown_nested_field() {
    let err = contract_error(&GOOD_CONTRACT.replace("  tiers:", "  roundng: down\n  tiers:"));
    assert!(
        err.starts_with("error: contracts/c.yaml:6:3: credits: unknown field `roundng`"),
        "{err}"
    );
}

#[test]
fn unknown_zone() {
    let err = contract_error(&GOOD_CONTRACT.replace("UTC", "Asia/Seul"));
    assert_eq!(err.lines().next().unwrap(), "error: contracts/c.yaml:3: timezone: expected an IANA time zone such as UTC or Asia/Seoul, found \"Asia/Seul\"");
}

#[test]
fn non_monotonic_tiers_both_reported() {
    let err = contract_error(&GOOD_CONTRACT.replace(
        "  tiers: [{ below: 99.99, percent: 10 }]",
        "  tiers:\n    - { below: 99.0, percent: 10 }\n    - { below: 99.5, percent: 5 }",
    ));
    assert_eq!(
        err,
        "error: contracts/c.yaml:8: credits.tiers[1].below: expected `below` strictly decreasing: 99.5 is not below the previous tier's 99.0\n\
         error: contracts/c.yaml:8: credits.tiers[1].percent: expected `percent` strictly increasing: 5 is not above the previous tier's 10\n\
         2 problems found; nothing was written\n"
    );
}

#[test]
fn percent_over_100_and_commitment_out_of_range() {
    let err = contract_error(
        &GOOD_CONTRACT
            .replace("commitment: 99.99", "commitment: 0")
            .replace("percent: 10", "percent: 110"),
    );
    assert_eq!(
        err,
        "error: contracts/c.yaml:4: commitment: expected a number greater than 0 and at most 100, found 0\n\
         error: contracts/c.yaml:6: credits.tiers[0].percent: expected a number from 0 to 100, found 110\n\
         2 problems found; nothing was written\n"
    );
}

#[test]
fn duration_without_unit() {
    let err = contract_error(
        &GOOD_CONTRACT.replace("credits:", "downtime: { min_duration: 0 }\ncredits:"),
    );
    assert_eq!(err.lines().next().unwrap(), "error: contracts/c.yaml:5: downtime.min_duration: expected a duration with units such as 90s, 30m, 2h, 5d or 1h30m, found \"0\"");
}

#[test]
fn impact_out_of_range() {
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        (
            "out.csv",
            "start,end,region,impact\n2018-11-22T08:00:00Z,2018-11-22T09:00:00Z,x,1.5\n",
        ),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err.lines().next().unwrap(),
        "error: out.csv:2: impact: expected an impact greater than 0 and at most 1, found 1.5"
    );
}

#[test]
fn two_bad_lines_in_one_file_are_both_reported() {
    let outages = "start,end,region\n2018-11-22T10:00:00Z,2018-11-22T09:00:00Z,x\n2018-11-22T08:00:00Z,2018-11-22T09:00:00Z,x\nyesterday,2018-11-22T09:00:00Z,x\n";
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        GOOD_SUBS,
        ("out.csv", outages),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: out.csv:2: end: expected end (2018-11-22T09:00:00Z) after start (2018-11-22T10:00:00Z)\n\
         error: out.csv:4: start: expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found \"yesterday\"\n\
         2 problems found; nothing was written\n"
    );
}

#[test]
fn problems_in_several_files_are_listed_together() {
    let subs = "id,customer,contract,currency,fee,region\na,A,c,UDS,100.00,x\n";
    let (code, err) = run(
        &[("c.yaml", &GOOD_CONTRACT.replace("month", "week"))],
        subs,
        (
            "out.yaml",
            "- { start: 2018-11-22T10:00:00Z, end: 2018-11-22T09:00:00Z }\n",
        ),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: contracts/c.yaml:2: period: expected month, quarter or year, found \"week\"\n\
         error: subs.csv:2: currency: expected an ISO 4217 currency code such as USD or KRW, found \"UDS\"\n\
         error: out.yaml:1: end: expected end (2018-11-22T09:00:00Z) after start (2018-11-22T10:00:00Z)\n\
         3 problems found; nothing was written\n"
    );
}

#[test]
fn subscription_naming_a_missing_contract() {
    let subs = "id,customer,contract,currency,fee,region\na,A,nope,USD,100.00,x\n";
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        subs,
        ("out.csv", GOOD_OUTAGES),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(err.lines().next().unwrap(), "error: subs.csv:2: contract: subscription \"a\" names contract \"nope\", which is not loaded (known: c)");
}

#[test]
fn duplicate_ids() {
    let subs = "id,customer,contract,currency,fee,region\na,A,c,USD,100.00,x\na,B,c,USD,100.00,x\n";
    let (code, err) = run(
        &[("c.yaml", GOOD_CONTRACT), ("d.yaml", GOOD_CONTRACT)],
        subs,
        ("out.csv", GOOD_OUTAGES),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: contracts/d.yaml: id: duplicate contract id \"c\", first defined in contracts/c.yaml\n\
         error: subs.csv:3: id: duplicate subscription id \"a\" (first on line 2)\n\
         2 problems found; nothing was written\n"
    );
}

#[test]
fn charges_in_another_currency_or_for_an_unknown_subscription() {
    let charges = "subscription,period,amount,currency\na,2018-11,120.00,EUR\nb,2018-11,1.00,USD\na,2018-Q4,1.00,USD\n";
    let out = run_in(
        &[
            ("contracts/c.yaml", GOOD_CONTRACT.as_bytes()),
            ("subs.csv", GOOD_SUBS.as_bytes()),
            ("out.csv", GOOD_OUTAGES.as_bytes()),
            ("charges.csv", charges.as_bytes()),
        ],
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--charges",
            "charges.csv",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: charges.csv:2: currency: charges are in EUR, but subscription a is billed in USD\n\
         error: charges.csv:3: subscription: no subscription \"b\" is loaded\n\
         error: charges.csv:4: period: period 2018-Q4 is not a month of contract c\n\
         3 problems found; nothing was written\n"
    );
}

#[test]
fn a_last_line_without_a_line_end_and_a_long_record_are_read_whole() {
    // Both make the CSV reader read a record in more than one step: the last line ends with
    // the file; a reference of 3,000 characters overflows the first buffer. The claim is the
    // one of the files written the usual way: 84 minutes of 43,200, 10 % of USD 100.00.
    let subs = GOOD_SUBS.trim_end();
    let long = "r".repeat(3000);
    let outages = format!(
        "start,end,region,reference\n2018-11-22T08:19:00+09:00,2018-11-22T09:43:00+09:00,x,{long}"
    );
    let out = run_in(
        &[
            ("contracts/c.yaml", GOOD_CONTRACT.as_bytes()),
            ("subs.csv", subs.as_bytes()),
            ("out.csv", outages.as_bytes()),
        ],
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--format",
            "csv",
            "--columns",
            "subscription,period,downtime_minutes,credit",
        ],
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "subscription,period,downtime_minutes,credit\na,2018-11,84,10.00\n"
    );
}

#[test]
fn errors_in_a_crlf_file_name_their_own_lines() {
    // A spreadsheet's export: CRLF line ends, a blank line. The bad fees are on lines 3 and 5.
    let subs = "id,customer,contract,currency,fee,region\r\na,A,c,USD,100.00,x\r\n\
                b,B,c,USD,abc,x\r\n\r\nd,D,c,USD,xyz,x\r\n";
    let (code, stderr) = run(
        &[("c.yaml", GOOD_CONTRACT)],
        subs,
        ("out.csv", GOOD_OUTAGES),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: subs.csv:3: fee: expected a decimal number such as 99.99, found \"abc\"\n\
         error: subs.csv:5: fee: expected a decimal number such as 99.99, found \"xyz\"\n\
         2 problems found; nothing was written\n"
    );
}

#[test]
fn subscriptions_built_in_code_are_checked_as_a_file_is() {
    use slacredit::{compute, Currency, Inputs, Money, Selection, Subscription};
    let usd = Currency::from_code("USD").unwrap();
    let sub = |id: &str, amount: &str| {
        Subscription::new(id, "C", "c", Money::new(amount.parse().unwrap(), usd))
    };
    let contract = slacredit::Contract::from_yaml(
        "c.yaml",
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n",
    )
    .unwrap();
    let inputs = Inputs {
        contracts: vec![contract],
        // A negative fee, a fee finer than a cent, an id twice (three times).
        subscriptions: vec![
            sub("a", "-5"),
            sub("b", "120000.005"),
            sub("c", "1.00"),
            sub("c", "2.00"),
            sub("c", "3.00"),
        ],
        ..Inputs::default()
    };
    let e = compute(&inputs, &Selection::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "<memory>: subscriptions[0].fee: expected an amount of 0 or more, found -5\n\
         <memory>: subscriptions[1].fee: 120000.005 has more decimals than USD's minor unit (2 digits)\n\
         <memory>: subscriptions[3].id: duplicate subscription id \"c\" (first as subscriptions[2])\n\
         <memory>: subscriptions[4].id: duplicate subscription id \"c\" (first as subscriptions[2])"
    );
}
