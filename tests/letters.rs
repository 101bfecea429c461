//! Letters as letters: dated, addressed, one file per claim or customer with an index, the
//! incidents in the reader's zone too.

const SEOUL: &str = "docs/cases/aws-seoul-2018";

/// Runs the binary from the repository root: (exit code, stdout, stderr).
fn slacredit(args: &[&str]) -> (i32, String, String) {
    let o = crate::common::run_at(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args);
    (o.code, o.stdout, o.stderr)
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_letter_per_claim_with_an_index_replacing_the_folder_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("letters");
    let d = dir.to_str().unwrap();
    let args = [
        "claim",
        SEOUL,
        "--format",
        "markdown",
        "--date",
        "2018-12-03",
        "--output-dir",
        d,
    ];
    let (code, stdout, stderr) = slacredit(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(
        names(&dir),
        [
            "exchange-ec2-seoul_2018-11.md",
            "index.md",
            "newcomer-ec2-seoul_2018-11.md",
            "shop-ec2-seoul_2018-11.md",
            "stream-ec2-seoul_2018-11.md"
        ]
    );
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap();
    assert!(index.contains("| [shop-ec2-seoul_2018-11.md](shop-ec2-seoul_2018-11.md) | Example Shop Co. | shop-ec2-seoul | 2018-11 | USD 12,000.00 | 2019-01-31 |"), "{index}");
    assert!(index.contains("| KRW 3,333,333 | 2019-01-31 |"), "{index}");
    let shop = std::fs::read_to_string(dir.join("shop-ec2-seoul_2018-11.md")).unwrap();
    for line in [
        "- **Date:** 2018-12-03",
        "- **To:** a case in the AWS Support Center",
        "- **Subject:** SLA Credit Request: shop-ec2-seoul 2018-11",
        "- **Claim by:** 2019-01-31",
        "Sincerely,\n\nExample Shop Co.",
        "## Appendix: the calculation",
    ] {
        assert!(shop.contains(line), "missing {line:?} in\n{shop}");
    }
    // Only the shop's claim is in its file.
    assert_eq!(shop.matches("# Service credit claim:").count(), 1);
    insta::assert_snapshot!("seoul_letters_folder_index", index);
    insta::assert_snapshot!("seoul_letters_folder_shop", shop);
    // Run again into the same folder: replaced whole, a stray letter gone.
    std::fs::write(dir.join("stale.md"), "old").unwrap();
    let (code, _, stderr) = slacredit(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(!dir.join("stale.md").exists());
    assert_eq!(
        names(tmp.path()),
        ["letters"],
        "no partial or old folder left behind"
    );
}

#[test]
fn a_letter_per_customer() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let (code, _, stderr) = slacredit(&[
        "claim",
        "tests/fixtures/busy-year",
        "--period",
        "2022",
        "--format",
        "markdown",
        "--date",
        "2023-01-15",
        "--output-dir",
        dir.to_str().unwrap(),
        "--per",
        "customer",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let files = names(&dir);
    assert!(files.contains(&"index.md".to_owned()));
    // One file per customer, each holding every letter of that customer.
    for f in files.iter().filter(|f| *f != "index.md") {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let customers: std::collections::BTreeSet<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("- **Customer:** "))
            .collect();
        assert_eq!(customers.len(), 1, "{f}: {customers:?}");
        assert_eq!(format!("{}.md", customers.iter().next().unwrap()), *f);
    }
}

#[test]
fn a_folder_holding_inputs_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("subscriptions.csv"), "id\n").unwrap();
    let (code, _, stderr) = slacredit(&[
        "claim",
        SEOUL,
        "--format",
        "markdown",
        "--output-dir",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds more than letters"), "{stderr}");
    assert_eq!(names(tmp.path()), ["subscriptions.csv"]);
    // Nor a file of that name.
    let file = tmp.path().join("subscriptions.csv");
    let (code, _, stderr) = slacredit(&[
        "claim",
        SEOUL,
        "--format",
        "markdown",
        "--output-dir",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "id\n");
}

#[test]
fn the_readers_zone_beside_the_contracts_and_utc() {
    let (code, out, stderr) = slacredit(&[
        "claim",
        SEOUL,
        "--subscription",
        "shop-ec2-seoul",
        "--format",
        "markdown",
        "--date",
        "2018-12-03",
        "--display-timezone",
        "Asia/Seoul",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The contract measures in UTC; the Seoul company reads 08:19 to 10:01 KST.
    assert!(
        out.contains("| # | start (Asia/Seoul) | end (Asia/Seoul) | start (UTC) | end (UTC) |"),
        "{out}"
    );
    assert!(
        out.contains(
            "| 1 | 2018-11-22 08:19:00 KST | 2018-11-22 10:01:00 KST | 2018-11-21T23:19:00Z |"
        ),
        "{out}"
    );
}

#[test]
fn letter_options_are_for_letters() {
    for (args, message) in [
        (
            &["claim", SEOUL, "--date", "2018-12-03"][..],
            "apply to --format markdown",
        ),
        (
            &[
                "claim",
                SEOUL,
                "--format",
                "markdown",
                "--date",
                "3/12/2018",
            ][..],
            "--date: expected a date",
        ),
        (
            &[
                "claim",
                SEOUL,
                "--format",
                "markdown",
                "--display-timezone",
                "Mars/Olympus",
            ][..],
            "unknown IANA zone",
        ),
    ] {
        let (code, _, stderr) = slacredit(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// The Seoul companies' letter in Korean: every text from `ko.yaml`, dates and won as Koreans
/// write them, none of the English template left (the contract's own words stay as written).
#[test]
fn the_korean_letter() {
    let (code, out, stderr) = slacredit(&[
        "claim",
        SEOUL,
        "--format",
        "markdown",
        "--lang",
        "ko",
        "--date",
        "2018-12-03",
        "--display-timezone",
        "Asia/Seoul",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("seoul_letter_ko", out);
    for english in [
        "Service credit claim",
        "Sincerely",
        "Appendix",
        "Eligible time",
        "Claim by",
        "⟦",
    ] {
        assert!(!out.contains(english), "{english:?} in the Korean letter");
    }
    assert!(out.contains("- **청구 크레딧:** 3,333,333원"), "{out}");
    assert!(
        out.contains("- **청구 기한:** 2019년 1월 31일까지"),
        "{out}"
    );
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let (code, _, stderr) = slacredit(&["claim", SEOUL, "--format", "markdown", "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--lang: expected en or ko, found \"fr\""),
        "{stderr}"
    );
}

/// The letter of Example Shop Co.'s one subscription (USD 1,000.00 a month) under the contract
/// `contract` (its YAML, id `c`), with the windows of `outages` (CSV), for `period` if given.
fn one_letter(contract: &str, outages: &str, period: Option<&str>) -> String {
    let files: &[(&str, &[u8])] = &[
        ("contracts/c.yaml", contract.as_bytes()),
        (
            "subs.csv",
            b"id,customer,contract,currency,fee\nshop,Example Shop Co.,c,USD,1000.00\n",
        ),
        ("out.csv", outages.as_bytes()),
    ];
    let mut args = vec![
        "claim",
        "--subscriptions",
        "subs.csv",
        "--outages",
        "out.csv",
        "--format",
        "markdown",
        "--date",
        "2019-02-03",
    ];
    if let Some(p) = period {
        args.extend(["--period", p]);
    }
    let o = crate::common::run_in(files, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout
}

#[test]
fn a_letter_shows_each_incidents_units_under_a_per_incident_allowance() {
    // 5 % per started hour beyond the first 30 minutes of each incident: 95 min -> 2 units,
    // 25 min -> 0 (tests/credit_models.rs works the same through): 10 % of 1,000.00.
    let letter = one_letter(
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  per_duration: { percent: 5, per: 1h, count: started, beyond: 30m, beyond_per: incident }\n",
        "start,end\n2018-11-05T02:00:00Z,2018-11-05T03:35:00Z\n2018-11-06T10:00:00Z,2018-11-06T10:25:00Z\n",
        None,
    );
    assert!(
        letter.contains("Credit: 5 % of the basis for each started 1h of downtime beyond the first 30m of each incident, counted incident by incident: 10 %."),
        "{letter}"
    );
    assert!(
        letter.contains("Units per incident: #1 95 min → 2; #2 25 min → 0."),
        "{letter}"
    );
}

#[test]
fn a_letter_says_a_rolling_cap_is_rolling() {
    // 50 % of 1,000.00 in November and December 2018 and January 2019 under a rolling cap of
    // 10 % of twelve months' bases (1,200.00): January has 200.00 left.
    let letter = one_letter(
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 50 }]\n  annual_cap: { percent: 10, window: rolling-12 }\n",
        "start,end\n2018-11-05T00:00:00Z,2018-11-05T01:00:00Z\n2018-12-05T00:00:00Z,2018-12-05T01:00:00Z\n2019-01-05T00:00:00Z,2019-01-05T01:00:00Z\n",
        Some("2019-01"),
    );
    assert!(
        letter.contains("Rolling twelve-month cap: USD 200.00 left for this period after the credits of the periods that start in the twelve months before it."),
        "{letter}"
    );
}

#[test]
fn a_letter_says_which_maintenance_fell_in_the_maintenance_windows() {
    // Maintenance 01:00-05:00 on Sunday 2018-11-04, announced an hour ahead, under Sunday
    // 02:00-04:00 maintenance windows and 5 days' notice: 120 minutes excluded, 120 down.
    let letter = one_letter(
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\nexclusions:\n  causes: [maintenance]\n  maintenance_notice: 5d\n  maintenance_windows: [{ days: [sun], from: \"02:00\", to: \"04:00\" }]\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n",
        "start,end,cause,announced_at\n2018-11-04T01:00:00Z,2018-11-04T05:00:00Z,maintenance,2018-11-04T00:00:00Z\n",
        None,
    );
    assert!(
        letter.contains("Maintenance inside the contract's recurring maintenance windows is excluded whatever its notice; outside them the notice rule applies: 2018-11-04T01:00:00Z–2018-11-04T05:00:00Z."),
        "{letter}"
    );
    assert!(letter.contains("Excluded time: 120 minutes"), "{letter}");
}
