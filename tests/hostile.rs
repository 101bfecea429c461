//! Hostile and broken input, one test per row of the matrix: each ends in a located error
//! (exit 1, or 2 for a bad command line) or a correct result, never a panic.

use crate::common::{run_in, Outcome};

const CONTRACT: &str = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n";
const SUBS: &str = "id,customer,contract,currency,fee,region\na,A,c,USD,100.00,x\n";
const OUTAGES: &str = "start,end,region\n2018-11-22T08:00:00Z,2018-11-22T10:00:00Z,x\n";

/// Writes `files` (contract files go under `contracts/`) and runs `claim` on subs.* and out.*,
/// with the defaults above for whichever is not given.
fn claim(files: &[(&str, &[u8])], extra: &[&str]) -> Outcome {
    let named = |prefix: &str, default: &'static str| {
        files
            .iter()
            .map(|(name, _)| *name)
            .find(|name| name.starts_with(prefix))
            .unwrap_or(default)
    };
    let (subs, outages) = (named("subs.", "subs.csv"), named("out.", "out.csv"));
    let mut all: Vec<(&str, &[u8])> = files.to_vec();
    for (name, default) in [
        ("contracts/c.yaml", CONTRACT),
        (subs, SUBS),
        (outages, OUTAGES),
    ] {
        let given = if name == "contracts/c.yaml" {
            files.iter().any(|(n, _)| n.starts_with("contracts/"))
        } else {
            files.iter().any(|(n, _)| *n == name)
        };
        if !given {
            all.push((name, default.as_bytes()));
        }
    }
    let mut args = vec![
        "claim",
        "--subscriptions",
        subs,
        "--outages",
        outages,
        "--format",
        "csv",
    ];
    args.extend_from_slice(extra);
    run_in(&all, &args)
}

/// Asserts exit 1 and that the first error line is `expected`.
fn fails(o: &Outcome, expected: &str) {
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.is_empty(), "nothing on stdout on error");
    assert_eq!(
        o.stderr.lines().next().unwrap_or(""),
        expected,
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

#[test]
fn empty_subscriptions_file() {
    fails(&claim(&[("subs.csv", b"")], &[]), "error: subs.csv:1: file is empty; expected a header line with id,customer,contract,currency,fee");
}

#[test]
fn empty_outages_file() {
    fails(
        &claim(&[("out.csv", b"")], &[]),
        "error: out.csv:1: file is empty; expected a header line with start,end",
    );
}

#[test]
fn empty_contract_file() {
    fails(
        &claim(&[("contracts/c.yaml", b"")], &[]),
        "error: contracts/c.yaml:1: file is empty",
    );
    fails(
        &claim(&[("out.yaml", b"\n# nothing\n")], &[]),
        "error: out.yaml:1: file is empty",
    );
}

#[test]
fn header_only_csvs_are_valid_and_empty() {
    // No outages: nothing is touched, so there is nothing to claim (a correct, empty result).
    let o = claim(&[("out.csv", b"start,end,region\n")], &[]);
    assert_eq!((o.code, o.stdout.lines().count()), (0, 1), "{}", o.stderr);
    // No subscriptions: no claims either (the column `region` is still a label in use).
    let o = claim(
        &[("subs.csv", b"id,customer,contract,currency,fee,region\n")],
        &["--period", "2018-11"],
    );
    assert_eq!((o.code, o.stdout.lines().count()), (0, 1), "{}", o.stderr);
}

#[test]
fn wrong_column_count() {
    fails(
        &claim(
            &[(
                "out.csv",
                b"start,end,region\n2018-11-22T08:00:00Z,2018-11-22T10:00:00Z\n",
            )],
            &[],
        ),
        "error: out.csv:2: expected 3 fields like the header, found 2",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let mut subs = b"\xEF\xBB\xBF".to_vec();
    subs.extend_from_slice(SUBS.as_bytes());
    let o = claim(&[("subs.csv", &subs)], &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // 120 of 43,200 minutes: 99.722222 % -> 10 % of 100.00.
    assert!(
        o.stdout
            .contains(",120,0,99.722222,99.9,true,10,100.00,10.00,USD,"),
        "{}",
        o.stdout
    );
}

#[test]
fn crlf_line_ends_are_accepted() {
    let o = claim(
        &[
            ("subs.csv", SUBS.replace('\n', "\r\n").as_bytes()),
            ("out.csv", OUTAGES.replace('\n', "\r\n").as_bytes()),
        ],
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(",120,0,99.722222,"), "{}", o.stdout);
}

#[test]
fn non_utf8_bytes() {
    fails(
        &claim(
            &[(
                "subs.csv",
                b"id,customer,contract,currency,fee,region\na,Caf\xE9,c,USD,100.00,x\n",
            )],
            &[],
        ),
        "error: subs.csv:2: file is not valid UTF-8 text",
    );
}

#[test]
fn duplicate_subscription_ids() {
    fails(
        &claim(
            &[("subs.csv", format!("{SUBS}a,B,c,USD,5.00,x\n").as_bytes())],
            &[],
        ),
        "error: subs.csv:3: id: duplicate subscription id \"a\" (first on line 2)",
    );
}

#[test]
fn subscription_naming_a_missing_contract() {
    fails(
        &claim(&[("subs.csv", b"id,customer,contract,currency,fee,region\na,A,nope,USD,1.00,x\n")], &[]),
        "error: subs.csv:2: contract: subscription \"a\" names contract \"nope\", which is not loaded (known: c)",
    );
}

#[test]
fn currency_codes_not_in_iso_4217() {
    for code in ["XYZ", "usd", "US", "DOLLAR"] {
        let subs = format!("id,customer,contract,currency,fee\na,A,c,{code},1.00\n");
        fails(&claim(&[("subs.csv", subs.as_bytes())], &[]), &format!("error: subs.csv:2: currency: expected an ISO 4217 currency code such as USD or KRW, found \"{code}\""));
    }
}

#[test]
fn negative_fee() {
    fails(
        &claim(
            &[(
                "subs.csv",
                b"id,customer,contract,currency,fee\na,A,c,USD,-5.00\n",
            )],
            &[],
        ),
        "error: subs.csv:2: fee: expected an amount of 0 or more, found -5.00",
    );
}

#[test]
fn absurd_fees() {
    fails(
        &claim(&[("subs.csv", b"id,customer,contract,currency,fee\na,A,c,USD,99999999999999999999.00\n")], &[]),
        "error: subs.csv:2: fee: expected an amount of at most 1000000000000000, found 99999999999999999999.00",
    );
    fails(
        &claim(
            &[(
                "subs.csv",
                b"id,customer,contract,currency,fee\na,A,c,USD,1e9\n",
            )],
            &[],
        ),
        "error: subs.csv:2: fee: expected a decimal number such as 99.99, found \"1e9\"",
    );
    fails(
        &claim(
            &[(
                "subs.csv",
                b"id,customer,contract,currency,fee\na,A,c,KRW,0.5\n",
            )],
            &[],
        ),
        "error: subs.csv:2: fee: 0.5 has more decimals than KRW's minor unit (0 digits)",
    );
}

#[test]
fn percent_over_100() {
    fails(
        &claim(&[("contracts/c.yaml", CONTRACT.replace("percent: 10", "percent: 100.5").as_bytes())], &[]),
        "error: contracts/c.yaml:6: credits.tiers[0].percent: expected a number from 0 to 100, found 100.5",
    );
}

#[test]
fn empty_tier_list() {
    fails(
        &claim(
            &[(
                "contracts/c.yaml",
                CONTRACT
                    .replace("[{ below: 99.9, percent: 10 }]", "[]")
                    .as_bytes(),
            )],
            &[],
        ),
        "error: contracts/c.yaml:6: credits.tiers: expected at least one tier",
    );
}

#[test]
fn period_that_does_not_exist() {
    let o = claim(&[], &["--period", "2018-13"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        "error: expected a period such as 2018-11, 2018-Q4 or 2018, found \"2018-13\"\n"
    );
}

#[test]
fn dst_ambiguous_local_time_is_rejected() {
    // 01:30 happened twice in Los Angeles on 2018-11-04: which one is meant cannot be known.
    let o = claim(
        &[(
            "out.csv",
            b"start,end,region\n2018-11-04T01:30:00,2018-11-04T03:00:00,x\n",
        )],
        &["--input-timezone", "America/Los_Angeles"],
    );
    fails(&o, "error: out.csv:2: start: time \"2018-11-04T01:30:00\" is ambiguous in America/Los_Angeles (clocks go back: it is both 01:30:00-07:00 and 01:30:00-08:00); write it with an offset");
}

#[test]
fn dst_nonexistent_local_time_is_rejected() {
    // 02:30 never happened in Los Angeles on 2018-03-11.
    let o = claim(
        &[(
            "out.csv",
            b"start,end,region\n2018-03-11T02:30:00,2018-03-11T04:00:00,x\n",
        )],
        &["--input-timezone", "America/Los_Angeles"],
    );
    fails(&o, "error: out.csv:2: start: time \"2018-03-11T02:30:00\" does not exist in America/Los_Angeles (clocks go forward); write it with an offset");
}

#[test]
fn windows_centuries_away() {
    for (year, found) in [("2518", 2518), ("1718", 1718)] {
        let o = claim(
            &[(
                "out.csv",
                format!("start,end,region\n{year}-11-22T08:00:00Z,{year}-11-22T10:00:00Z,x\n")
                    .as_bytes(),
            )],
            &[],
        );
        fails(&o, &format!("error: out.csv:2: start: time in year {found} is outside the supported years 1900 to 2199"));
    }
}

#[test]
fn yaml_alias_bomb() {
    // The "billion laughs": nine levels of nine aliases. It must fail fast on the type, never
    // expand.
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    let contract = format!("{CONTRACT}claim:\n  requires: *a9\n{bomb}");
    let started = std::time::Instant::now();
    let o = claim(
        &[
            ("contracts/c.yaml", contract.as_bytes()),
            ("out.yaml", bomb.as_bytes()),
        ],
        &[],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: contracts/c.yaml:"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("error: out.yaml:1:1: invalid type: map, expected a sequence"),
        "{}",
        o.stderr
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the bomb went off"
    );
}

#[test]
fn deeply_nested_yaml() {
    let nested = format!("- start: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let started = std::time::Instant::now();
    fails(
        &claim(&[("out.yaml", nested.as_bytes())], &[]),
        "error: out.yaml:1: brackets nested deeper than 64 levels; no input needs that",
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "deep nesting took too long"
    );
    let deep_map = format!(
        "{}x: 1\n",
        (0..2000)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect::<String>()
    );
    let o = claim(&[("contracts/c.yaml", deep_map.as_bytes())], &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.starts_with("error: contracts/c.yaml:"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_one_gigabyte_line() {
    // Refused while looking for line ends, before any parser copies it: bounded time and memory.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(b"start,end,region\n2018-11-22T08:00:00Z,2018-11-22T10:00:00Z,")
            .unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..1024 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\n").unwrap();
    }
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--contracts", env!("CARGO_MANIFEST_DIR")])
        .arg("--subscriptions")
        .arg(format!(
            "{}/docs/cases/aws-seoul-2018/subscriptions.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .args(["--outages", "huge.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: huge.csv:2: line is longer than 1024 KiB; no input line should be"),
        "{err}"
    );
}

#[test]
fn many_duplicates_each_name_the_first() {
    let mut subs = String::from("id,customer,contract,currency,fee\n");
    for _ in 0..3 {
        subs.push_str("b,B,c,USD,1.00\na,A,c,USD,1.00\n");
    }
    let o = claim(&[("subs.csv", subs.as_bytes())], &[]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: subs.csv:5: id: duplicate subscription id \"a\" (first on line 3)\n\
         error: subs.csv:7: id: duplicate subscription id \"a\" (first on line 3)\n\
         error: subs.csv:4: id: duplicate subscription id \"b\" (first on line 2)\n\
         error: subs.csv:6: id: duplicate subscription id \"b\" (first on line 2)\n\
         4 problems found; nothing was written\n"
    );
}
