//! Reports on the Seoul case and on a busy year: snapshots of every format, determinism,
//! reconciliation with one planted discrepancy of each kind, the letter agreeing with the JSON.

const SEOUL: &str = "docs/cases/aws-seoul-2018";
const BUSY: &str = "tests/fixtures/busy-year";

use crate::common::{ok_in_repo as ok, run_in_repo as run};

#[test]
fn claim_formats_on_the_seoul_case() {
    insta::assert_snapshot!("seoul_table", ok(&["claim", SEOUL]));
    insta::assert_snapshot!(
        "seoul_letter",
        ok(&[
            "claim",
            SEOUL,
            "--format",
            "markdown",
            "--date",
            "2018-12-03"
        ])
    );
    insta::assert_snapshot!("seoul_html", ok(&["claim", SEOUL, "--format", "html"]));
}

#[test]
fn audit_formats_on_a_busy_year() {
    for format in ["table", "json", "csv", "markdown", "html"] {
        insta::assert_snapshot!(
            format!("busy_audit_{format}"),
            ok(&["audit", BUSY, "--year", "2022", "--format", format])
        );
    }
    insta::assert_snapshot!(
        "busy_letters",
        ok(&[
            "claim",
            BUSY,
            "--period",
            "2022",
            "--format",
            "markdown",
            "--date",
            "2023-01-15"
        ])
    );
}

#[test]
fn audit_of_the_seoul_year() {
    insta::assert_snapshot!(
        "seoul_audit_json",
        ok(&["audit", SEOUL, "--year", "2018", "--format", "json"])
    );
}

#[test]
fn same_inputs_same_bytes_for_every_report() {
    for args in [
        &["audit", BUSY, "--year", "2022", "--format", "json"][..],
        &["audit", BUSY, "--year", "2022", "--format", "html"][..],
        &["claim", BUSY, "--period", "2022", "--format", "markdown"][..],
    ] {
        assert_eq!(ok(args), ok(args), "{args:?}");
    }
}

#[test]
fn the_audit_json_totals_match_its_rows() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["audit", BUSY, "--year", "2022", "--format", "json"])).unwrap();
    assert_eq!(json["schema"], "slacredit/audit/v1");
    assert_eq!(json["year"], 2022);
    let rows = json["rows"].as_array().unwrap();
    // 4 subscriptions x 12 months, less January and February for the broadband line (active
    // from March).
    assert_eq!(rows.len(), 46);
    let eur: rust_decimal::Decimal = rows
        .iter()
        .filter(|r| r["currency"] == "EUR")
        .map(|r| {
            r["credit"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    // Eleven months at the 1,200.00 at-risk cap would be 13,200.00; the annual cap (10 % of
    // 12 x 10,000.00) stops at 12,000.00, leaving December at zero.
    assert_eq!(eur.to_string(), "12000.00");
    let dec = rows
        .iter()
        .find(|r| r["subscription"] == "acme-berlin-support" && r["period"] == "2022-12")
        .unwrap();
    assert_eq!(
        (
            dec["credit"].as_str(),
            dec["capped"].as_bool(),
            dec["annual_cap_remaining"].as_str()
        ),
        (Some("0.00"), Some(true), Some("0.00"))
    );
    let totals = json["totals"].as_array().unwrap();
    assert_eq!(
        totals.iter().find(|t| t["currency"] == "EUR").unwrap()["credit"],
        "12000.00"
    );
}

#[test]
fn reconciliation_finds_one_discrepancy_of_each_kind() {
    let (code, out) = run(&[
        "reconcile",
        BUSY,
        "--year",
        "2022",
        "--issued",
        "tests/fixtures/busy-year/issued.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "kind,subscription,period,currency,computed,issued,difference,issued_line\n\
         short,acme-berlin-support,2022-01,EUR,1200.00,800.00,-400.00,2\n\
         issued-without-breach,acme-berlin-support,2022-02,EUR,0.00,50.00,50.00,3\n\
         excess,acme-ec2-tokyo,2022-03,USD,250.00,300.00,50.00,13\n\
         missing,acme-ec2-tokyo,2022-09,USD,250.00,,-250.00,\n\
         unknown-subscription-or-period,ghost-subscription,2022-05,USD,,10.00,10.00,17\n\
         currency-mismatch,hanbit-broadband,2022-09,KRW/USD,2483,2483.00,,15\n"
    );
    insta::assert_snapshot!(
        "busy_reconcile_table",
        run(&[
            "reconcile",
            BUSY,
            "--year",
            "2022",
            "--issued",
            "tests/fixtures/busy-year/issued.csv"
        ])
        .1
    );
    insta::assert_snapshot!(
        "busy_reconcile_json",
        run(&[
            "reconcile",
            BUSY,
            "--year",
            "2022",
            "--issued",
            "tests/fixtures/busy-year/issued.csv",
            "--format",
            "json"
        ])
        .1
    );
}

#[test]
fn reconciliation_of_what_was_computed_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let issued = dir.path().join("issued.csv");
    // Issue exactly what the audit computes, from its own CSV.
    let audit = ok(&[
        "claim",
        BUSY,
        "--period",
        "2022",
        "--format",
        "csv",
        "--credited-only",
        "--columns",
        "subscription,period,credit,currency",
    ]);
    std::fs::write(&issued, audit.replacen("credit", "amount", 1)).unwrap();
    let (code, out) = run(&[
        "reconcile",
        BUSY,
        "--year",
        "2022",
        "--issued",
        issued.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("reconciled: 46 computed claims and 15 issued credits agree"),
        "{out}"
    );
}

#[test]
fn the_letter_says_what_the_json_says() {
    for case in [SEOUL, BUSY] {
        let json: serde_json::Value = serde_json::from_str(&ok(&[
            "claim",
            case,
            "--format",
            "json",
            "--period",
            if case == SEOUL { "2018" } else { "2022" },
        ]))
        .unwrap();
        let letters = ok(&[
            "claim",
            case,
            "--format",
            "markdown",
            "--period",
            if case == SEOUL { "2018" } else { "2022" },
        ]);
        let sections: Vec<&str> = letters.split("\n---\n").collect();
        for c in json["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["breached"] == true)
        {
            let title = format!(
                "# Service credit claim: {} {}",
                c["subscription"].as_str().unwrap(),
                c["period"].as_str().unwrap()
            );
            let letter = sections
                .iter()
                .find(|s| s.contains(&title))
                .unwrap_or_else(|| panic!("no letter for {title}"));
            // The same amount, as people read it: `USD 12,000.00`.
            let currency = slacredit::Currency::from_code(c["currency"].as_str().unwrap()).unwrap();
            let amount: slacredit::Decimal = c["credit"].as_str().unwrap().parse().unwrap();
            let credit = format!(
                "**Credit claimed: {currency} {}**",
                slacredit::report::for_reading(amount, currency)
            );
            let uptime = format!("= {} %", c["uptime_percent"].as_str().unwrap());
            let downtime = format!(
                "Downtime: {} minutes",
                c["downtime_minutes"].as_str().unwrap()
            );
            let eligible = format!(
                "Eligible time: {} minutes",
                c["eligible_minutes"].as_str().unwrap()
            );
            for needle in [credit, uptime, downtime, eligible] {
                assert!(letter.contains(&needle), "{title}: missing {needle:?}");
            }
            if let Some(deadline) = c["claim_deadline"].as_str() {
                assert!(
                    letter.contains(&format!("by **{deadline}**")),
                    "{title}: deadline"
                );
            }
        }
    }
}

/// A billing system calling the library gets the claims the CLI prints: each `Claim` serialises
/// as its element of the JSON report's `claims` (the v1 wire format), on the Seoul case and the
/// busy year (notes, next tiers, capped credits, incidents with references).
#[test]
fn claims_serialise_as_the_json_reports_claims() {
    for case in [SEOUL, BUSY] {
        let printed: serde_json::Value =
            serde_json::from_str(&ok(&["claim", case, "--format", "json"])).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        // As the CLI: ./contracts, unless the case folder has its own.
        let sources = slacredit::load::Sources {
            contracts: vec![root.join("contracts").into()],
            ..Default::default()
        };
        let sources = sources.with_case(&root.join(case), false).unwrap();
        let inputs = sources.load().unwrap();
        let claims = slacredit::compute(&inputs, &slacredit::Selection::default()).unwrap();
        assert!(!claims.claims.is_empty());
        let serialised = serde_json::to_value(&claims.claims).unwrap();
        assert_eq!(serialised, printed["claims"], "{case}");
    }
}

#[test]
fn the_audit_states_the_clauses_its_rows_were_computed_under() {
    // SPEC 2.7's clauses in words: a per-incident allowance, recurring maintenance windows and
    // a rolling cap.
    let files: &[(&str, &[u8])] = &[
        (
            "contracts/c.yaml",
            b"id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.9\nexclusions:\n  causes: [maintenance]\n  maintenance_notice: 5d\n  maintenance_windows: [{ days: [sat, sun], from: \"02:00\", to: \"04:00\" }]\ncredits:\n  per_duration: { percent: 5, per: 1h, beyond: 30m, beyond_per: incident }\n  annual_cap: { percent: 10, window: rolling-12 }\n",
        ),
        (
            "subs.csv",
            b"id,customer,contract,currency,fee\nshop,Example Shop Co.,c,USD,1000.00\n",
        ),
        ("out.csv", b"start,end\n2018-11-05T02:00:00Z,2018-11-05T03:35:00Z\n"),
    ];
    let o = crate::common::run_in(
        files,
        &[
            "audit",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--year",
            "2018",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let expected = "### c\n\n\
        - Monthly periods in Asia/Seoul; commitment 99.9 %.\n\
        - Excluded causes: maintenance; maintenance when announced at least 5d ahead.\n\
        - Maintenance windows: sat, sun 02:00–04:00 (wall clock); maintenance inside them is excluded whatever its notice.\n\
        - Credit: 5 % of the basis per started 1h of downtime beyond the first 30m of each incident.\n\
        - Rolling cap: 10 % of the bases of a period and the periods that start in the twelve months before it.\n\
        - Rounding: half-up to the currency's minor unit.\n";
    assert!(o.stdout.contains(expected), "{}", o.stdout);
}
