//! `claim --request`: one JSON document naming the inputs and the selection, for programs in
//! other languages; the same claims as the flags give, and problems located in the request.

use crate::common::{run_fed, Outcome};
use slacredit::load::Fingerprints;
use slacredit::request::Request;

/// Runs `slacredit` in the repository's root with `stdin`.
fn run(args: &[&str], stdin: &str) -> Outcome {
    run_fed(std::path::Path::new("."), args, stdin)
}

/// The Seoul case's one subscription and the provider's 84 minutes, as records in the request.
const SEOUL: &str = r#"{
  "contracts": "contracts",
  "subscriptions": [
    { "id": "shop-ec2-seoul", "customer": "Example Shop Co.",
      "contract": "aws-ec2-region-2018", "scope": { "region": "ap-northeast-2" },
      "fee": { "amount": "120000.00", "currency": "USD" } }
  ],
  "outages": [
    { "start": "2018-11-22T08:19:00+09:00", "end": "2018-11-22T09:43:00+09:00",
      "service": "ec2", "region": "ap-northeast-2", "reference": "aws-seoul-dns" }
  ],
  "period": "2018-11"
}"#;

#[test]
fn the_seoul_example_as_a_request_owes_12000_dollars() {
    // SPEC 7: 84 minutes of 43,200 -> 99.805556 % < 99.99 -> 10 % of 120,000.00.
    let out = run(&["claim", "--request", "-"], SEOUL);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["schema"], "slacredit/claims/v1");
    // The request is fingerprinted first: it holds the subscription and the window.
    assert_eq!(json["inputs"][0]["path"], "<stdin>");
    let claim = &json["claims"][0];
    assert_eq!(claim["uptime_percent"], "99.805556");
    assert_eq!(claim["credit"], "12000.00");
    assert_eq!(claim["next_tier"]["more_downtime_minutes"], "349");
    assert_eq!(claim["incidents"][0]["references"][0], "aws-seoul-dns");
    assert_eq!(json["totals"][0]["credit"], "12000.00");
}

#[test]
fn a_request_of_paths_gives_the_claims_the_flags_give() {
    let request = r#"{ "subscriptions": "docs/cases/aws-seoul-2018/subscriptions.yaml",
        "outages": ["docs/cases/aws-seoul-2018/outages.csv",
            { "import": "prometheus",
              "path": "docs/cases/aws-seoul-2018/sources/probes-prometheus.json" }],
        "map": "docs/cases/aws-seoul-2018/sources/map.yaml" }"#;
    let by_request = run(&["claim", "--request", "-", "--format", "csv"], request);
    let by_flags = run(
        &[
            "claim",
            "--subscriptions",
            "docs/cases/aws-seoul-2018/subscriptions.yaml",
            "--outages",
            "docs/cases/aws-seoul-2018/outages.csv",
            "--outages",
            "prometheus:docs/cases/aws-seoul-2018/sources/probes-prometheus.json",
            "--map",
            "docs/cases/aws-seoul-2018/sources/map.yaml",
            "--format",
            "csv",
        ],
        "",
    );
    assert_eq!(by_request.code, 0, "{}", by_request.stderr);
    assert_eq!(by_flags.code, 0, "{}", by_flags.stderr);
    assert_eq!(by_request.stdout, by_flags.stdout);
    assert!(by_request.stdout.contains(",12000.00,"));
}

#[test]
fn text_sources_and_imports_are_read_as_files_are() {
    // The same 84 minutes as a status page's incident (a major one: impact 1), and the
    // subscription as CSV text.
    let statuspage = r#"{"incidents": [{"id": "dns", "name": "Seoul DNS", "impact": "major",
        "created_at": "2018-11-21T23:19:00Z", "started_at": "2018-11-21T23:19:00Z",
        "resolved_at": "2018-11-22T00:43:00Z", "components": [{"id": "c1", "name": "EC2"}]}]}"#;
    let request = serde_json::json!({
        "subscriptions": {
            "format": "csv",
            "text": "id,customer,contract,currency,fee,region\n\
                     shop,Example Shop Co.,aws-ec2-region-2018,USD,120000.00,ap-northeast-2\n"
        },
        "outages": [{ "import": "statuspage", "text": statuspage }],
        "map": { "text": "names:\n  EC2: { service: ec2 }\n" },
        "labels": { "region": "ap-northeast-2" },
        "period": "2018-11"
    });
    let out = run(&["claim", "--request", "-"], &request.to_string());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["claims"][0]["downtime_minutes"], "84");
    assert_eq!(json["claims"][0]["credit"], "12000.00");
}

#[test]
fn problems_name_the_request_line_and_the_record() {
    let request = SEOUL
        .replace("\"120000.00\"", "\"120000.005\"")
        .replace("09:43:00+09:00", "07:43:00+09:00");
    let out = run(&["claim", "--request", "-"], &request);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "<stdin>:6: subscriptions[0].fee: 120000.005 has more decimals than USD's minor unit"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("<stdin>:9: outages[0].end: expected end (2018-11-21T22:43:00Z) after start"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2 problems found"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn a_bad_request_lists_every_problem_of_its_own_fields() {
    let out = run(
        &["claim", "--request", "-"],
        r#"{"outages": [{"text": "x"}], "period": "2018-13", "input_timezone": "Mars/Base",
            "subscriptions": {"path": "a", "text": "b"}}"#,
    );
    assert_eq!(out.code, 1);
    for expected in [
        "<stdin>: input_timezone: expected an IANA zone such as Asia/Seoul, found \"Mars/Base\"",
        "<stdin>: outages[0]: text needs its format",
        "<stdin>: subscriptions: expected exactly one of \"path\" and \"text\"",
        "<stdin>: period: ",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
    // An unknown field and broken JSON are located.
    let out = run(
        &["claim", "--request", "-"],
        "{\n \"subscription\": 1,\n \"perod\": 2 }",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("<stdin>:2:"), "{}", out.stderr);
    let out = run(&["claim", "--request", "-"], "{\n \"perod\": \"2018-11\" }");
    assert!(
        out.stderr.contains("<stdin>:2:") && out.stderr.contains("unknown field `perod`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_request_excludes_the_input_flags() {
    let out = run(&["claim", "--request", "-", "--period", "2018-11"], SEOUL);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn the_library_reads_a_request_as_the_command_does() {
    let request = Request::parse("request.json", SEOUL, Fingerprints::Skipped).unwrap();
    let mut loaded = request.load().unwrap();
    let claims = loaded.run(request.selection()).unwrap().collect().claims;
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].credit, "12000.00".parse().unwrap());
    // A subscription named in the selection that does not exist is an error, as with the flags.
    let request = Request::parse(
        "request.json",
        &SEOUL.replace(
            "\"period\"",
            "\"subscription\": \"shop-ec2-seol\", \"period\"",
        ),
        Fingerprints::Skipped,
    )
    .unwrap();
    let err = request.load().err().unwrap().to_string();
    assert!(err.contains("shop-ec2-seoul"), "{err}");
}

#[test]
fn a_part_of_the_base_may_name_customers_of_other_parts() {
    // The window names a subscription that is in another part: an error for the whole base,
    // nothing in a part (where the window applies to nobody, so the claim is unchanged).
    let request = SEOUL.replace(
        "\"reference\": \"aws-seoul-dns\" }",
        "\"reference\": \"aws-seoul-dns\" },\n    { \"start\": \"2018-11-23T00:00:00Z\", \"end\": \"2018-11-23T10:00:00Z\", \"customers\": \"stream-ec2-seoul\" }",
    );
    let whole = run(&["claim", "--request", "-"], &request);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    assert!(
        whole
            .stderr
            .contains("`stream-ec2-seoul` names no subscription id or customer"),
        "{}",
        whole.stderr
    );
    let part = run(
        &["claim", "--request", "-"],
        &request.replace("\"period\"", "\"part\": true, \"period\""),
    );
    assert_eq!(part.code, 0, "{}", part.stderr);
    assert!(
        part.stdout.contains("\"credit\": \"12000.00\""),
        "{}",
        part.stdout
    );
}
