//! The binary on the shipped case: the README's first command, formats, files.

use assert_cmd::Command;

fn slacredit() -> Command {
    let mut c = Command::cargo_bin("slacredit").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

#[test]
fn readme_command_prints_the_seoul_claims() {
    let out = slacredit()
        .args(["claim", "docs/cases/aws-seoul-2018"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Both sources merged: 08:19-10:01 KST = 102 touched minutes -> 10 %.
    assert!(text.contains("shop-ec2-seoul"), "{text}");
    // Amounts for people are grouped (SPEC 5's forms are for JSON and CSV).
    assert!(text.contains("12,000.00"), "{text}");
    assert!(text.contains("total USD"), "{text}");
}

#[test]
fn seoul_json_snapshot() {
    let out = slacredit()
        .args(["claim", "docs/cases/aws-seoul-2018", "--format", "json"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("seoul_json", text);
}

#[test]
fn seoul_csv_snapshot() {
    let out = slacredit()
        .args(["claim", "docs/cases/aws-seoul-2018", "--format", "csv"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("seoul_csv", text);
}

#[test]
fn same_inputs_same_bytes() {
    let run = || {
        slacredit()
            .args(["claim", "docs/cases/aws-seoul-2018", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn output_file_is_written_and_kept_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("claims.csv");
    slacredit()
        .args([
            "claim",
            "docs/cases/aws-seoul-2018",
            "--format",
            "csv",
            "--output",
        ])
        .arg(&out)
        .assert()
        .success();
    let first = std::fs::read(&out).unwrap();
    assert!(first.starts_with(b"subscription,customer,contract,period,"));
    // A failing run (bad outages file) leaves the previous file as it was.
    let bad = dir.path().join("outages.csv");
    std::fs::write(
        &bad,
        "start,end\n2018-11-22T10:00:00Z,2018-11-22T09:00:00Z\n",
    )
    .unwrap();
    slacredit()
        .args([
            "claim",
            "--subscriptions",
            "docs/cases/aws-seoul-2018/subscriptions.yaml",
            "--outages",
        ])
        .arg(&bad)
        .arg("--output")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&out).unwrap(), first);
}

#[test]
fn contracts_lists_the_shipped_contracts() {
    let out = slacredit().arg("contracts").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "aws-ec2-instance",
            "aws-ec2-region",
            "aws-ec2-region-2018",
            "aws-s3-standard",
            "azure-virtual-machines",
            "enterprise-business-hours",
            "gcp-compute-engine",
            "kr-telecom-2018",
            "kr-telecom-2022",
            "outsourcing-applications",
            "outsourcing-datacentre",
            "outsourcing-network",
        ]
    );
    let seoul = text
        .lines()
        .find(|l| l.starts_with("aws-ec2-region-2018 "))
        .unwrap();
    let cols: Vec<&str> = seoul.split_whitespace().take(5).collect();
    assert_eq!(
        cols,
        ["aws-ec2-region-2018", "month", "UTC", "99.99", "tiers"]
    );
}

#[test]
fn check_accepts_the_shipped_case() {
    slacredit()
        .args(["check", "docs/cases/aws-seoul-2018"])
        .assert()
        .success();
}

#[test]
fn usage_errors_exit_2() {
    slacredit().args(["claim", "--bogus"]).assert().code(2);
    slacredit()
        .args(["claim", "docs/cases/aws-seoul-2018", "--period", "2018-13"])
        .assert()
        .code(2);
}

#[test]
fn check_of_the_contract_library_is_clean() {
    let out = slacredit()
        .args(["check", "--contracts", "contracts"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        "ok: 12 contracts, 0 subscriptions, 0 outage windows, 12 files checked\n"
    );
    // The Seoul case: the nine contract files, subscriptions.yaml and outages.csv.
    let out = slacredit()
        .args(["check", "docs/cases/aws-seoul-2018"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        "ok: 12 contracts, 5 subscriptions, 2 outage windows, 14 files checked\n"
    );
}
