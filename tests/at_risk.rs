//! At-risk pools (SPEC 2.7): a breached service level gives its allocation of the at-risk
//! amount, and one customer's service levels in a pool are capped together at that amount, in
//! subscription id order.

use super::common::*;
use slacredit::{Claim, Inputs, Money, PeriodId, PeriodSpan, Selection, Subscription};

/// The shipped outsourcing contracts: datacentre (99.9 %, 50 %), network (99.95 %, 30 %),
/// applications (99.5 % of Berlin business hours, 40 %), all in pool example-outsourcing, 12 %.
fn shipped() -> Vec<slacredit::Contract> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let (all, _) = slacredit::load::contracts(&dir).unwrap();
    all.into_iter()
        .filter(|c| c.id().starts_with("outsourcing-"))
        .collect()
}

fn tower(id: &str, tower: &str, fee: &str) -> Subscription {
    Subscription::new(
        id,
        "ACME",
        &format!("outsourcing-{tower}"),
        Money::new(d(fee), slacredit::Currency::from_code("EUR").unwrap()),
    )
}

fn down(tower: &str, start: &str, end: &str) -> slacredit::Window {
    window(start, end).with_scope("tower", tower)
}

/// November 2018 (Berlin): every tower misses its service level.
fn november() -> Vec<slacredit::Window> {
    vec![
        // 2 h of 720 h: (2,592,000 - 7,200) / 2,592,000 = 99.722222 % < 99.9.
        down(
            "datacentre",
            "2018-11-06T01:00:00+01:00",
            "2018-11-06T03:00:00+01:00",
        ),
        // 1 h: 99.861111 % < 99.95.
        down(
            "network",
            "2018-11-07T01:00:00+01:00",
            "2018-11-07T02:00:00+01:00",
        ),
        // November 2018 has 22 weekdays, no national holiday: 22 x 600 = 13,200 business
        // minutes; 2 h on a Thursday: (13,200 - 120) / 13,200 = 99.090909 % < 99.5.
        down(
            "applications",
            "2018-11-08T10:00:00+01:00",
            "2018-11-08T12:00:00+01:00",
        ),
    ]
}

fn run(subs: Vec<Subscription>, windows: Vec<slacredit::Window>, only: Option<&str>) -> Vec<Claim> {
    let inputs = Inputs {
        contracts: shipped(),
        subscriptions: subs,
        windows,
        ..Inputs::default()
    };
    let p = PeriodId::parse("2018-11").unwrap();
    let selection = Selection {
        periods: Some(PeriodSpan::new(p, p).unwrap()),
        subscription: only.map(str::to_owned),
        ..Selection::default()
    };
    slacredit::compute(&inputs, &selection)
        .unwrap_or_else(|e| panic!("{e}"))
        .claims
}

fn acme() -> Vec<Subscription> {
    vec![
        tower("acme-1-dc", "datacentre", "10000.00"),
        tower("acme-2-apps", "applications", "10000.00"),
        tower("acme-3-net", "network", "10000.00"),
    ]
}

#[test]
fn a_pool_caps_the_service_levels_of_a_customer_together_in_id_order() {
    // At-risk amount: 12 % of 10,000.00 = 1,200.00 for the month.
    //   acme-1-dc   (50 %): 12 x 50 / 100 = 6 %   -> 600.00, nothing taken before: 600.00
    //   acme-2-apps (40 %): 12 x 40 / 100 = 4.8 % -> 480.00, 600.00 taken: 480.00
    //   acme-3-net  (30 %): 12 x 30 / 100 = 3.6 % -> 360.00, 1,080.00 taken, 120.00 left:
    //                                                 120.00, capped
    // The allocations add up to 120 %: the pool is what holds the month to 1,200.00.
    let claims = run(acme(), november(), None);
    let got: Vec<(String, String, String, bool)> = claims
        .iter()
        .map(|c| {
            (
                c.subscription.to_string(),
                c.credit_percent.unwrap().to_string(),
                c.credit.to_string(),
                c.capped,
            )
        })
        .collect();
    let row = |s: &str, p: &str, c: &str, capped| (s.into(), p.into(), c.into(), capped);
    assert_eq!(
        got,
        vec![
            row("acme-1-dc", "6", "600.00", false),
            row("acme-2-apps", "4.8", "480.00", false),
            row("acme-3-net", "3.6", "120.00", true),
        ]
    );
    assert_eq!(
        slacredit::report::uptime(claims[1].uptime_percent),
        "99.090909"
    );
    assert_eq!(claims[2].steps.pool_cap_remaining, Some(d("120.00")));
    // Asked for alone, the network still gets only what the two before it left.
    let alone = run(acme(), november(), Some("acme-3-net"));
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].credit.to_string(), "120.00");
    // Without the datacentre's outage, 1,200.00 - 480.00 = 720.00 is left for the network:
    // its 360.00 whole, and the datacentre, not breached, takes nothing.
    let fewer: Vec<_> = november().into_iter().skip(1).collect();
    let credits: Vec<String> = run(acme(), fewer, None)
        .iter()
        .map(|c| c.credit.to_string())
        .collect();
    assert_eq!(credits, ["0.00", "480.00", "360.00"]);
    // Another customer's service levels are a pool of their own.
    let mut two = acme();
    two.push(Subscription::new(
        "beta-1-net",
        "Beta",
        "outsourcing-network",
        Money::new(
            d("10000.00"),
            slacredit::Currency::from_code("EUR").unwrap(),
        ),
    ));
    let beta = run(two, november(), Some("beta-1-net"));
    assert_eq!(beta[0].credit.to_string(), "360.00");
}

#[test]
fn members_of_a_pool_with_different_bases_are_an_error() {
    let mut subs = acme();
    subs[2] = tower("acme-3-net", "network", "8000.00");
    let inputs = Inputs {
        contracts: shipped(),
        subscriptions: subs,
        windows: november(),
        ..Inputs::default()
    };
    let err = slacredit::compute(&inputs, &Selection::default())
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        err,
        "<subscriptions>: fee: subscriptions \"acme-1-dc\" and \"acme-3-net\" of customer \"ACME\" share at-risk pool \"example-outsourcing\", but their bases for 2018-11 differ (10,000.00 EUR and 8,000.00 EUR): a pool is capped at one basis"
    );
}

const LEVEL: &str = "id: ID\nperiod: month\ntimezone: TZ\ncommitment: 99.9\ncredits:\n  at_risk: { pool: ops, percent: PCT, allocation: 40 }\n";

fn level(id: &str, zone: &str, percent: &str) -> String {
    LEVEL
        .replace("ID", id)
        .replace("TZ", zone)
        .replace("PCT", percent)
}

#[test]
fn the_contracts_of_a_pool_agree_on_percent_period_and_zone() {
    let a = slacredit::Contract::from_yaml("a.yaml", &level("a", "UTC", "12")).unwrap();
    let b = slacredit::Contract::from_yaml("b.yaml", &level("b", "Europe/Berlin", "10")).unwrap();
    let inputs = Inputs {
        contracts: vec![a, b],
        ..Inputs::default()
    };
    let err = slacredit::validate(&inputs).err().unwrap().to_string();
    assert_eq!(
        err,
        "b.yaml:6: credits.at_risk: at-risk pool \"ops\" is one amount of one period, but contract \"b\" has percent 10 (not 12), timezone Europe/Berlin (not UTC) where contract \"a\" (a.yaml) set it"
    );
}

#[test]
fn at_risk_terms_are_checked() {
    let cases = [
        (
            "{ pool: ops, percent: 0, allocation: 40 }",
            "c.yaml:6: credits.at_risk.percent: expected a number greater than 0 and at most 100, found 0",
        ),
        (
            "{ pool: ops, percent: 12, allocation: 140 }",
            "c.yaml:6: credits.at_risk.allocation: expected a number greater than 0 and at most 100, found 140",
        ),
        (
            "{ pool: \"ops pool\", percent: 12, allocation: 40 }",
            "c.yaml:6: credits.at_risk.pool: expected a pool id (letters, digits, '-', '_', '.'), found \"ops pool\"",
        ),
    ];
    for (terms, message) in cases {
        let yaml = format!(
            "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  at_risk: {terms}\n"
        );
        let err = slacredit::Contract::from_yaml("c.yaml", &yaml)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, message);
    }
    let two = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  at_risk: { pool: ops, percent: 12, allocation: 40 }\n  tiers: [{ below: 99.9, percent: 10 }]\n";
    let err = slacredit::Contract::from_yaml("c.yaml", two)
        .err()
        .unwrap()
        .to_string();
    assert_eq!(err, "c.yaml:5: credits: expected exactly one credit model (tiers, per_duration, fee_multiple, fixed or at_risk), found 2");
}

#[test]
fn the_letter_and_the_audit_explain_the_pool() {
    let contracts = format!("{}/contracts", env!("CARGO_MANIFEST_DIR"));
    let subs = b"id,customer,contract,fee,currency\nacme-1-dc,ACME,outsourcing-datacentre,10000.00,EUR\nacme-2-apps,ACME,outsourcing-applications,10000.00,EUR\nacme-3-net,ACME,outsourcing-network,10000.00,EUR\n";
    let outages = b"start,end,tower\n2018-11-06T01:00:00+01:00,2018-11-06T03:00:00+01:00,datacentre\n2018-11-07T01:00:00+01:00,2018-11-07T02:00:00+01:00,network\n2018-11-08T10:00:00+01:00,2018-11-08T12:00:00+01:00,applications\n";
    let files: [(&str, &[u8]); 2] = [("subs.csv", subs), ("out.csv", outages)];
    let inputs = [
        "--contracts",
        &contracts,
        "--subscriptions",
        "subs.csv",
        "--outages",
        "out.csv",
    ];
    let letter = run_in(
        &files,
        &[
            &["claim"][..],
            &inputs,
            &["--period", "2018-11", "--subscription", "acme-3-net"],
            &["--format", "markdown", "--date", "2018-12-01"],
        ]
        .concat(),
    );
    assert_eq!(letter.code, 0, "{}", letter.stderr);
    assert!(letter.stdout.contains(
        "6. Credit: a breach gives 30 % of the at-risk amount of 12 % of the basis (pool example-outsourcing): 3.6 % of the basis.\n\
         7. Amount before caps: EUR 360.00.\n\
         8. Rounding (half-up) to 2 decimals: EUR 360.00.\n\
         9. At-risk pool example-outsourcing: EUR 1,200.00 for the period across the customer's service levels; EUR 120.00 left after those before this one: EUR 120.00.\n\n\
         **Credit claimed: EUR 120.00** (limited by a cap)."
    ), "{}", letter.stdout);
    let audit = run_in(
        &files,
        &[
            &["audit"][..],
            &inputs,
            &["--year", "2018", "--format", "markdown"],
        ]
        .concat(),
    );
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    assert!(audit.stdout.contains("- Credit: a breach gives 30 % of the at-risk amount of 12 % of the basis (pool example-outsourcing); the pool's credits of one customer and period are capped together at 12 % of the basis, in subscription id order.\n"), "{}", audit.stdout);
    assert!(
        audit.stdout.contains("| EUR | 1,200.00 |"),
        "{}",
        audit.stdout
    );
}
