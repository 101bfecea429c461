//! Net exposure (SPEC 2.8): upstream windows become ours through the dependency file; what we
//! owe our customers, what we recover from our providers, and the net.

use super::common::*;
use proptest::prelude::*;
use slacredit::exposure::{exposure, Dependencies};
use slacredit::{Inputs, Money, PeriodId, PeriodSpan, Selection, Subscription, Window};

const CASE: &str = "docs/cases/aws-seoul-2018";

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(side: &str) -> Inputs {
    let r = root();
    let sources = slacredit::load::Sources {
        contracts: vec![slacredit::load::Input::Path(r.join("contracts"))],
        ..slacredit::load::Sources::default()
    };
    sources
        .with_case(&r.join(CASE).join(side), false)
        .unwrap()
        .load()
        .unwrap()
}

fn november() -> Selection {
    let p = PeriodId::parse("2018-11").unwrap();
    Selection {
        periods: Some(PeriodSpan::new(p, p).unwrap()),
        ..Selection::default()
    }
}

fn seoul_depends() -> Dependencies {
    let path = root().join(CASE).join("depends.yaml");
    Dependencies::from_yaml("depends.yaml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_seoul_outage_cost_the_streaming_company_its_customers_credits_and_aws_owes_it_back() {
    // Upstream: Example Streaming Ltd.'s EC2 account in Seoul, USD 48,250.50 a month. AWS's
    // statement (08:19-09:43 KST) and its own monitoring (08:21-10:01) merge to 08:19-10:01 KST
    // = 23:19-01:01 UTC = 102 touched minutes of November's 43,200: 99.763889 % < 99.99 -> 10 %
    // = USD 4,825.05 recovered.
    // Downstream: both windows become windows of `service: streaming, region: kr` (impact 1).
    // Its own SLA (Asia/Seoul months, 43,200 minutes, exact): 102 minutes, 99.763889 % < 99.95
    // -> 10 % of each Korean venue's fee: KRW 200,000 + 500,000 + 80,000 = 780,000, and
    // USD 300.00 of the airline lounge's 3,000.00. The ryokan in Japan (region jp, running in
    // Tokyo) is not reached: 0.
    // Net: KRW 780,000 - 0 = 780,000; USD 300.00 - 4,825.05 = -4,525.05.
    let e = exposure(
        &load("upstream"),
        &load("downstream"),
        &seoul_depends(),
        &november(),
    )
    .unwrap();
    let rows: Vec<(String, String, String, String, String)> = e
        .rows
        .iter()
        .map(|r| {
            (
                r.period.to_string(),
                r.currency.code().to_owned(),
                r.owed.to_string(),
                r.recovered.to_string(),
                r.net.to_string(),
            )
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, d: &str, f: &str| {
        (a.into(), b.into(), c.into(), d.into(), f.into())
    };
    assert_eq!(
        rows,
        vec![
            row("2018-11", "KRW", "780000", "0", "780000"),
            row("2018-11", "USD", "300.00", "4825.05", "-4525.05"),
        ]
    );
    assert_eq!(e.incidents.len(), 1);
    assert_eq!(e.incidents[0].reference, "aws-seoul-dns");
    assert_eq!(
        e.incidents[0].customers,
        [
            "Example Airline Lounge",
            "Example Cafe Chain",
            "Example Hotel Lobby TV",
            "Example Sports Bar Group"
        ]
    );
    // The derived windows carry the upstream reference and source.
    let cafe = e
        .downstream
        .claims
        .iter()
        .find(|c| &*c.subscription == "cafe-chain-kr")
        .unwrap();
    assert_eq!(minutes(cafe.downtime_minutes), "102");
    assert_eq!(&*cafe.incidents[0].references, ["upstream:aws-seoul-dns"]);
}

fn minutes(m: slacredit::Decimal) -> String {
    slacredit::report::minutes(m)
}

/// A downstream side of one subscription (`region: kr`) under a 99.9 %, 10 % tier contract.
fn ours(windows: Vec<Window>) -> Inputs {
    Inputs {
        contracts: vec![contract(
            "id: ours\napplies_to: { service: streaming }\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers:\n    - { below: 99.9, percent: 10 }\n    - { below: 99.0, percent: 25 }\n",
        )],
        subscriptions: vec![Subscription::new(
            "v1",
            "Venue",
            "ours",
            Money::new(d("1000.00"), slacredit::Currency::from_code("EUR").unwrap()),
        )
        .with_scope("region", "kr")],
        windows,
        ..Inputs::default()
    }
}

/// An upstream side of one subscription in `a` under the same terms, with `windows`.
fn theirs(windows: Vec<Window>) -> Inputs {
    Inputs {
        contracts: vec![contract(
            "id: cloud\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n",
        )],
        subscriptions: vec![Subscription::new(
            "u1",
            "Us",
            "cloud",
            Money::new(d("500.00"), slacredit::Currency::from_code("EUR").unwrap()),
        )
        .with_scope("zone", "a")],
        windows,
        ..Inputs::default()
    }
}

fn up(zone: &str, start: &str, end: &str, impact: &str, reference: &str) -> Window {
    window(start, end)
        .with_scope("zone", zone)
        .with_impact(d(impact))
        .unwrap()
        .with_reference(reference)
}

#[test]
fn with_all_our_service_is_down_only_where_every_upstream_scope_is() {
    // Zone a down 10:00-11:00 at 1, zone b 10:30-11:30 at 0.5, and a again 10:40-10:50 at 0.8
    // (overlapping windows of one scope keep the highest: a stays at 1). Every one of a and b
    // at once: 10:30-11:00 at the lowest, 0.5; times the dependency's 0.8 -> 0.4. 30 minutes
    // x 0.4 = 12 minutes of November's 43,200: 99.972222 %, not below 99.9: no credit. With
    // `all: false` (any): each upstream window becomes one of ours: 10:00-11:30 at 0.8 for
    // 10:00-10:30 and 10:30-11:00 (a at 1 x 0.8), 0.4 for 11:00-11:30: 24 + 24 + 12 = 60
    // minutes: 99.861111 % -> 10 % of 1,000.00 = 100.00.
    let upstream = theirs(vec![
        up(
            "a",
            "2018-11-05T10:00:00Z",
            "2018-11-05T11:00:00Z",
            "1",
            "inc-a",
        ),
        up(
            "b",
            "2018-11-05T10:30:00Z",
            "2018-11-05T11:30:00Z",
            "0.5",
            "inc-b",
        ),
        up(
            "a",
            "2018-11-05T10:40:00Z",
            "2018-11-05T10:50:00Z",
            "0.8",
            "inc-a",
        ),
    ]);
    let depends = |all: bool| {
        Dependencies::from_yaml(
            "d.yaml",
            &format!("- our: {{ service: streaming, region: kr }}\n  on: [{{ zone: a }}, {{ zone: b }}]\n  all: {all}\n  impact: 0.8\n"),
        )
        .unwrap()
    };
    let every = exposure(&upstream, &ours(Vec::new()), &depends(true), &november()).unwrap();
    let claim = &every.downstream.claims[0];
    assert_eq!(minutes(claim.downtime_minutes), "12");
    assert_eq!(claim.credit.to_string(), "0.00");
    assert_eq!(&*claim.incidents[0].references, ["upstream:inc-a+inc-b"]);
    let any = exposure(&upstream, &ours(Vec::new()), &depends(false), &november()).unwrap();
    let claim = &any.downstream.claims[0];
    assert_eq!(minutes(claim.downtime_minutes), "60");
    assert_eq!(claim.credit.to_string(), "100.00");
    // Upstream, zone a's subscription: 60 minutes -> 99.861111 % -> 10 % of 500.00 = 50.00.
    // EUR row: owed 100.00, recovered 50.00, net 50.00. Both incidents reached the venue.
    let r = &any.rows[0];
    assert_eq!(
        (
            r.owed.to_string(),
            r.recovered.to_string(),
            r.net.to_string()
        ),
        ("100.00".into(), "50.00".into(), "50.00".into())
    );
    let reached: Vec<(&str, usize)> = any
        .incidents
        .iter()
        .map(|i| (i.reference.as_str(), i.customers.len()))
        .collect();
    assert_eq!(reached, [("inc-a", 1), ("inc-b", 1)]);
}

#[test]
fn the_dependency_file_is_checked() {
    let err = |text: &str| {
        Dependencies::from_yaml("d.yaml", text)
            .err()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        err("- our: { service: streaming }\n  on: []\n"),
        "d.yaml:2: [0].on: expected at least one upstream scope"
    );
    assert_eq!(
        err("- our: { service: streaming }\n  on: [{ zone: a }]\n  impact: 0\n"),
        "d.yaml:3: [0].impact: expected a number greater than 0 and at most 1, found \"0\""
    );
    assert!(
        err("- our: { service: streaming }\n  on: [{ zone: a }]\n  impakt: 1\n")
            .contains("unknown field `impakt`")
    );
    assert!(err("- on: [{ zone: a }]\n").contains("missing field `our`"));
    // Typos against the sides (SPEC 2.6): a label no one uses, a value differing only in case.
    let depends = Dependencies::from_yaml(
        "d.yaml",
        "- our: { service: streaming, regoin: kr }\n  on: [{ zone: A }]\n",
    )
    .unwrap();
    let upstream = theirs(vec![up(
        "a",
        "2018-11-05T10:00:00Z",
        "2018-11-05T11:00:00Z",
        "1",
        "x",
    )]);
    let e = exposure(&upstream, &ours(Vec::new()), &depends, &november())
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        e,
        "d.yaml:1: [0].our: unknown label `regoin` (no contract, subscription or window of the downstream case uses it); did you mean `region`?\n\
         d.yaml:1: [0].on: zone \"A\" differs from \"a\" only in case, spaces, '-' or '_'"
    );
}

#[test]
fn exposure_formats_on_the_seoul_case() {
    let base = [
        "exposure",
        "--upstream",
        "docs/cases/aws-seoul-2018/upstream",
        "--downstream",
        "docs/cases/aws-seoul-2018/downstream",
        "--depends",
        "docs/cases/aws-seoul-2018/depends.yaml",
        "--period",
        "2018-11",
    ];
    let with = |format: &str| ok_in_repo(&[&base[..], &["--format", format]].concat());
    insta::assert_snapshot!("exposure_table", ok_in_repo(&base));
    insta::assert_snapshot!("exposure_json", with("json"));
    insta::assert_snapshot!("exposure_csv", with("csv"));
    insta::assert_snapshot!("exposure_markdown", with("markdown"));
    insta::assert_snapshot!("exposure_html", with("html"));
    // Same inputs, same bytes.
    assert_eq!(with("json"), with("json"));
}

/// Upstream windows in zone a from minute offsets (start, length) on 2018-11-05.
fn upstream_windows(spans: &[(u32, u32)]) -> Vec<Window> {
    spans
        .iter()
        .map(|&(start, len)| {
            let base = t("2018-11-05T00:00:00Z").unix_seconds();
            let at = |m: u32| slacredit::Instant::from_unix_seconds(base + i64::from(m) * 60);
            Window::new(at(start), at(start + len.max(1)))
                .unwrap()
                .with_scope("zone", "a")
                .with_reference("inc")
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Without a dependency on them, upstream windows give our customers nothing: the
    /// downstream claims are those of the downstream case alone.
    #[test]
    fn no_dependency_no_downstream_credit(spans in prop::collection::vec((0u32..1200, 1u32..200), 1..5)) {
        let own = vec![window("2018-11-07T10:00:00Z", "2018-11-07T10:50:00Z").with_scope("region", "kr")];
        let none = Dependencies::from_yaml("d.yaml", "- our: { service: streaming, region: kr }\n  on: [{ zone: b }]\n").unwrap();
        let e = exposure(&theirs(upstream_windows(&spans)), &ours(own.clone()), &none, &november()).unwrap();
        let alone = slacredit::compute(&ours(own), &november()).unwrap();
        let credits = |c: &slacredit::Claims| c.claims.iter().map(|c| c.credit).collect::<Vec<_>>();
        prop_assert_eq!(credits(&e.downstream), credits(&alone));
    }

    /// More upstream downtime never lowers what we owe.
    #[test]
    fn more_upstream_downtime_never_lowers_what_we_owe(
        spans in prop::collection::vec((0u32..1200, 1u32..200), 1..5),
        more in (0u32..1200, 1u32..400),
    ) {
        let depends = Dependencies::from_yaml("d.yaml", "- our: { service: streaming, region: kr }\n  on: [{ zone: a }]\n").unwrap();
        let owed = |spans: &[(u32, u32)]| {
            let e = exposure(&theirs(upstream_windows(spans)), &ours(Vec::new()), &depends, &november()).unwrap();
            e.totals.iter().map(|t| t.owed).sum::<slacredit::Decimal>()
        };
        let mut bigger = spans.clone();
        bigger.push(more);
        prop_assert!(owed(&bigger) >= owed(&spans));
    }
}

#[test]
fn each_incident_says_what_it_cost_us_and_what_the_provider_owes() {
    // The Seoul worked example again: the one incident reached four venues, whose credits are
    // KRW 780,000 and USD 300.00; AWS's claim lists it, USD 4,825.05.
    let e = exposure(
        &load("upstream"),
        &load("downstream"),
        &seoul_depends(),
        &november(),
    )
    .unwrap();
    let words = |list: &[Money]| -> Vec<String> {
        list.iter()
            .map(|m| format!("{} {}", m.amount, m.currency))
            .collect()
    };
    assert_eq!(words(&e.incidents[0].owed), ["780000 KRW", "300.00 USD"]);
    assert_eq!(words(&e.incidents[0].recovered), ["4825.05 USD"]);
}
