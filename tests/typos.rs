//! Typos never change money (SPEC 2.6): each rule through the binary with its exact message, and
//! a property test that a single-character edit of a label column's name or value never leaves
//! the credit changed without a word.

use crate::common::{run_in, Outcome};
use proptest::prelude::*;

/// The Seoul worked example (SPEC 7): 84 minutes, 10 % of USD 120,000.00 = 12,000.00.
const CONTRACT: &str = "id: aws\napplies_to: { service: ec2 }\nperiod: month\ntimezone: UTC\ncommitment: 99.99\nexclusions:\n  causes: [maintenance]\ncredits:\n  tiers:\n    - { below: 99.99, percent: 10 }\n    - { below: 99.0, percent: 30 }\n";
const SUBS: &str = "id,customer,contract,currency,fee,region\nshop,Example Shop Co.,aws,USD,120000.00,ap-northeast-2\n";
const OUTAGES: &str =
    "start,end,region,reference\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,dns\n";

fn claim_with(subs: &str, outages: &str, extra: &[&str]) -> Outcome {
    let mut args = vec![
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
        "subscription,downtime_minutes,credit",
    ];
    args.extend_from_slice(extra);
    run_in(
        &[
            ("contracts/aws.yaml", CONTRACT.as_bytes()),
            ("subs.csv", subs.as_bytes()),
            ("out.csv", outages.as_bytes()),
        ],
        &args,
    )
}

/// Runs `args` beside the contract, the subscriptions and windows `text` in `name`.
fn with_windows(name: &str, text: &str, args: &[&str]) -> Outcome {
    run_in(
        &[
            ("contracts/aws.yaml", CONTRACT.as_bytes()),
            ("subs.csv", SUBS.as_bytes()),
            (name, text.as_bytes()),
        ],
        args,
    )
}

fn fails_with(o: &Outcome, lines: &[&str]) {
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    let mut want: String = lines.iter().map(|l| format!("error: {l}\n")).collect();
    let n = lines.len();
    want.push_str(&format!(
        "{n} problem{} found; nothing was written\n",
        if n == 1 { "" } else { "s" }
    ));
    assert_eq!(o.stderr, want);
}

#[test]
fn the_worked_example_is_owed_12000() {
    let o = claim_with(SUBS, OUTAGES, &[]);
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    assert_eq!(
        o.stdout,
        "subscription,downtime_minutes,credit\nshop,84,12000.00\n"
    );
}

#[test]
fn a_misspelled_column_names_the_closest_known_name() {
    let o = claim_with(SUBS, &OUTAGES.replace("region", "regoin"), &[]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: out.csv:1: unknown column `regoin`; did you mean `region`?\n1 problem found; nothing was written\nhint: a column that only informs is let through unread with --ignore-column regoin\n"
    );
}

#[test]
fn ignore_column_lets_an_informative_column_through_unread() {
    let outages = "start,end,region,ticket_url\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,https://t/1\n";
    let o = claim_with(SUBS, outages, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let o = claim_with(SUBS, outages, &["--ignore-column", "ticket_url"]);
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (
            0,
            "subscription,downtime_minutes,credit\nshop,84,12000.00\n"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn a_misspelled_key_of_a_yaml_window_is_an_error() {
    let yaml =
        "- start: 2018-11-21T23:19:00Z\n  end: 2018-11-22T00:43:00Z\n  regoin: ap-northeast-2\n";
    let o = with_windows(
        "out.yaml",
        yaml,
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.yaml",
            "--period",
            "2018-11",
        ],
    );
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("error: out.yaml:3: unknown key `regoin`; did you mean `region`?\n1 problem found; nothing was written\n"), "{}", o.stderr);
}

#[test]
fn a_label_value_differing_only_in_case_or_separators_is_an_error_naming_both() {
    let o = claim_with(
        SUBS,
        &OUTAGES.replace("ap-northeast-2", "AP-NORTHEAST-2"),
        &[],
    );
    fails_with(&o, &["out.csv:2: region: `region` value `AP-NORTHEAST-2` differs from `ap-northeast-2` (subscription shop, subs.csv:2) only in letter case, spaces, `-` or `_`"]);
    let o = claim_with(
        SUBS,
        &OUTAGES.replace("ap-northeast-2", "ap_northeast 2"),
        &[],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    // Even where the value also matches another subscription exactly.
    let subs = format!("{SUBS}other,Other,aws,USD,10.00,AP-Northeast-2\n");
    let o = claim_with(&subs, OUTAGES, &[]);
    fails_with(&o, &["out.csv:2: region: `region` value `ap-northeast-2` differs from `AP-Northeast-2` (subscription other, subs.csv:3) only in letter case, spaces, `-` or `_`"]);
    // The contract's applies_to is the subscriptions' side too.
    let outages = "start,end,service\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,EC2\n";
    let o = claim_with(SUBS, outages, &[]);
    fails_with(&o, &["out.csv:2: service: `service` value `EC2` differs from `ec2` (contract aws, contracts/aws.yaml) only in letter case, spaces, `-` or `_`"]);
}

#[test]
fn a_cause_differing_from_an_excluded_one_only_in_case_is_an_error() {
    let outages = "start,end,region,cause,announced_at\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,Maintenance,2018-11-01T00:00:00Z\n";
    let o = claim_with(SUBS, outages, &[]);
    fails_with(&o, &["out.csv:2: cause: cause `Maintenance` differs from `maintenance` (excluded by contract aws) only in letter case, spaces, `-` or `_`"]);
}

#[test]
fn customers_naming_nobody_are_errors() {
    let outages = "start,end,region,customers\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,shpo;Example Shop Co.\n";
    let o = claim_with(SUBS, outages, &[]);
    fails_with(&o, &["out.csv:2: customers: `shpo` names no subscription id or customer; did you mean `shop`?"]);
    // A YAML list of names.
    let yaml =
        "- start: 2018-11-21T23:19:00Z\n  end: 2018-11-22T00:43:00Z\n  customers: [shop, nobody]\n";
    let o = with_windows(
        "out.yaml",
        yaml,
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.yaml",
            "--period",
            "2018-11",
        ],
    );
    fails_with(&o, &["out.yaml:1: customers: `nobody` names no subscription id or customer; did you mean `shop`?"]);
}

#[test]
fn many_names_naming_nobody_are_all_listed_the_first_twenty_with_a_hint() {
    // 25 strangers: every one is an error; a hint (a comparison with every name of the base)
    // only for the first 20, in window order.
    let mut outages = "start,end,region,customers\n".to_owned();
    for i in 0..25 {
        outages.push_str(&format!(
            "2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,stranger-{i:02}\n"
        ));
    }
    let o = claim_with(SUBS, &outages, &[]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr
            .matches("names no subscription id or customer")
            .count(),
        25
    );
    assert_eq!(o.stderr.matches("did you mean").count(), 20, "{}", o.stderr);
    assert!(o.stderr.contains(
        "out.csv:21: customers: `stranger-19` names no subscription id or customer; did you mean"
    ));
    assert!(o
        .stderr
        .contains("out.csv:22: customers: `stranger-20` names no subscription id or customer\n"));
}

#[test]
fn customers_as_a_yaml_list_apply_to_those_named() {
    let yaml = "- start: 2018-11-21T23:19:00Z\n  end: 2018-11-22T00:43:00Z\n  customers: [shop]\n";
    let o = with_windows(
        "out.yaml",
        yaml,
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.yaml",
            "--period",
            "2018-11",
            "--format",
            "csv",
            "--columns",
            "subscription,credit",
        ],
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "subscription,credit\nshop,12000.00\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn control_characters_are_errors_in_every_value() {
    let subs = "id,customer,contract,currency,fee,region\nshop,Example\u{7}Shop,aws,USD,120000.00,ap-northeast-2\n";
    let o = claim_with(subs, OUTAGES, &[]);
    fails_with(&o, &["subs.csv:2: customer: control character U+0007 in \"Example\\u{7}Shop\"; no value may hold one"]);
    // A line break inside a quoted cell.
    let outages = "start,end,region,reference\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,ap-northeast-2,\"dns\nfailure\"\n";
    let o = claim_with(SUBS, outages, &[]);
    fails_with(&o, &["out.csv:2: reference: control character U+000A in \"dns\\nfailure\"; no value may hold one"]);
    // Escaped in YAML, it is the same character.
    let yaml =
        "- start: 2018-11-21T23:19:00Z\n  end: 2018-11-22T00:43:00Z\n  reference: \"dns\\x00\"\n";
    let o = with_windows(
        "out.yaml",
        yaml,
        &[
            "check",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.yaml",
        ],
    );
    fails_with(
        &o,
        &["out.yaml:3: reference: control character U+0000 in \"dns\\0\"; no value may hold one"],
    );
    // A tab is allowed.
    let subs = "id,customer,contract,currency,fee,region\nshop,Example\tShop,aws,USD,120000.00,ap-northeast-2\n";
    assert_eq!(claim_with(subs, OUTAGES, &[]).code, 0);
}

#[test]
fn a_second_of_60_is_an_error_but_a_leap_second() {
    let o = claim_with(SUBS, &OUTAGES.replace("23:19:00Z", "23:19:60Z"), &[]);
    fails_with(&o, &["out.csv:2: start: time \"2018-11-21T23:19:60Z\" has a second of 60; only 23:59:60 (a leap second) may"]);
    // 23:59:60 is read as 23:59:59: 2016-12-31T23:59:60Z to 2017-01-01T00:00:59Z is one minute.
    let outages = "start,end,region\n2016-12-31T23:59:60Z,2017-01-01T00:00:59Z,ap-northeast-2\n";
    let o = with_windows(
        "out.csv",
        outages,
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--period",
            "2016-12",
            "--format",
            "csv",
            "--columns",
            "subscription,downtime_minutes",
        ],
    );
    // December's share: 23:59:59 to midnight, one second = 1/60 minute.
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "subscription,downtime_minutes\nshop,0.016667\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn filters_naming_nothing_exit_1_with_the_closest_names() {
    let o = claim_with(SUBS, OUTAGES, &["--subscription", "shpo"]);
    fails_with(
        &o,
        &["--subscription: no subscription `shpo`; the closest: `shop`"],
    );
    let o = claim_with(SUBS, OUTAGES, &["--customer", "Example Shop"]);
    fails_with(
        &o,
        &["--customer: no customer `Example Shop`; the closest: `Example Shop Co.`"],
    );
}

#[test]
fn windows_applying_to_no_subscription_are_told_not_refused() {
    let outages = format!("{OUTAGES}2018-11-05T00:00:00Z,2018-11-05T01:00:00Z,us-east-1,other\n2018-11-06T00:00:00Z,2018-11-06T01:00:00Z,eu-west-1,other\n");
    let o = claim_with(SUBS, &outages, &[]);
    assert_eq!(o.code, 0);
    assert_eq!(
        o.stdout,
        "subscription,downtime_minutes,credit\nshop,84,12000.00\n"
    );
    assert_eq!(
        o.stderr,
        "note: 2 outage windows apply to no subscription; the first: out.csv:3\n"
    );
    let o = with_windows(
        "out.csv",
        &outages,
        &[
            "check",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "ok: 1 contracts, 1 subscriptions, 3 outage windows, 3 files checked\n2 outage windows apply to no subscription:\nout.csv:3\nout.csv:4\n"
    );
}

/// One single-character edit of `text` at `at`: 0 deletes, 1 inserts `c`, 2 replaces with `c`.
fn edit(text: &str, kind: u8, at: usize, c: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at % (chars.len() + usize::from(kind == 1));
    let mut out = chars.clone();
    match kind {
        0 => {
            out.remove(at);
        }
        1 => out.insert(at, c),
        _ => out[at] = c,
    }
    out.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A single-character edit of the label column's name, or of its value, either leaves the
    /// credit as it was, or is an error (exit 1), or leaves a window that applies to no
    /// subscription, which is told on stderr: never a changed credit without a word.
    #[test]
    fn a_single_character_edit_never_silently_changes_the_credit(
        in_name in any::<bool>(),
        kind in 0u8..3,
        at in 0usize..20,
        c in prop::sample::select(vec!['a', 'R', 'o', '-', '_', ' ', 'N', '2', '3', 'x', 'E']),
    ) {
        let (name, value) = if in_name {
            (edit("region", kind, at, c), "ap-northeast-2".to_owned())
        } else {
            ("region".to_owned(), edit("ap-northeast-2", kind, at, c))
        };
        let outages = format!("start,end,{name},reference\n2018-11-21T23:19:00Z,2018-11-22T00:43:00Z,{value},dns\n");
        let o = claim_with(SUBS, &outages, &[]);
        let unchanged = o.code == 0 && o.stdout == "subscription,downtime_minutes,credit\nshop,84,12000.00\n";
        let refused = o.code == 1 && o.stdout.is_empty() && o.stderr.starts_with("error: out.csv:");
        let told = o.code == 0 && o.stderr.contains("apply to no subscription");
        prop_assert!(unchanged || refused || told, "{name}={value}: exit {} {} {}", o.code, o.stdout, o.stderr);
        // An edit of the name always fails: no other label is one edit away.
        if in_name && name.trim() != "region" {
            prop_assert!(refused, "{name}: {}", o.stderr);
        }
    }
}

#[test]
fn an_imported_label_no_one_uses_is_an_error_located_in_the_map() {
    let map = "labels: { service: ec2 }\nnames:\n  \"EC2 (Seoul)\": { regoin: ap-northeast-2 }\n";
    let page = r#"{"incidents":[{"id":"dns","impact":"major","started_at":"2018-11-21T23:19:00Z","resolved_at":"2018-11-22T00:43:00Z","components":[{"id":"c1","name":"EC2 (Seoul)"}]}]}"#;
    let o = run_in(
        &[
            ("contracts/aws.yaml", CONTRACT.as_bytes()),
            ("subs.csv", SUBS.as_bytes()),
            ("map.yaml", map.as_bytes()),
            ("page.json", page.as_bytes()),
        ],
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "statuspage:page.json",
            "--map",
            "map.yaml",
            "--period",
            "2018-11",
        ],
    );
    fails_with(&o, &["map.yaml:3: unknown label `regoin` (no contract or subscription uses it); did you mean `region`?"]);
}

#[test]
fn the_library_checks_inputs_built_in_code_in_any_order() {
    use slacredit::{Currency, Inputs, Money, Subscription, Window};
    let usd = Currency::from_code("USD").unwrap();
    let sub = |id: &str, customer: &str, region: &str| {
        Subscription::new(
            id,
            customer,
            "aws",
            Money::new("10.00".parse().unwrap(), usd),
        )
        .with_scope("region", region)
    };
    let t = |s| slacredit::Instant::parse(s, None).unwrap();
    let w = |region: &str, customers: &[&str]| {
        let mut w = Window::new(t("2018-11-21T23:19:00Z"), t("2018-11-22T00:43:00Z"))
            .unwrap()
            .with_scope("region", region);
        w.customers = customers.iter().map(|c| (*c).into()).collect();
        w
    };
    let contract = slacredit::Contract::from_yaml("aws.yaml", CONTRACT).unwrap();
    let inputs = Inputs {
        contracts: vec![contract],
        // Not in id order: inputs built in code need not be.
        subscriptions: vec![
            sub("z", "Zed", "eu-west-1"),
            sub("a", "Ann", "ap-northeast-2"),
        ],
        windows: vec![
            w("ap-northeast-2", &["a"]),
            w("ap-northeast-2", &["z"]),
            w("eu-west-1", &["Zed"]),
            w("us-east-1", &[]),
        ],
        ..Inputs::default()
    };
    // Window 2 names z, whose region differs; window 4 covers no one's region.
    assert_eq!(slacredit::typos::check(&inputs).unwrap(), vec![1, 3]);
    let mut bad = inputs.clone();
    bad.windows.push(w("ap-northeast-2", &["nobody"]));
    let e = slacredit::typos::check(&bad).unwrap_err().to_string();
    assert_eq!(e, "<memory>: window 5.customers: `nobody` names no subscription id or customer; did you mean `Zed`?");
}
