//! Invariants of the engine and calculator over generated inputs (beyond tests/properties.rs):
//! bounds, caps, order of windows, files and subscriptions, periods split into months, and
//! offset spellings.

use crate::common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use slacredit::{
    compute, parse_subscriptions, parse_windows, Claim, ClaimIncident, Detail, Inputs, Instant,
    Selection, Window,
};

/// 2018-09-01T00:00:00Z.
const BASE: i64 = 1_535_760_000;

const CONTRACTS: [&str; 3] = [
    "id: c\nperiod: month\ntimezone: America/Los_Angeles\ncommitment: 99.9\ndowntime: { counting: touched-minutes }\nservice_hours:\n  weekly: [{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }]\nexclusions: { causes: [force-majeure] }\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 25 }, { below: 95.0, percent: 100 }]\n  cap: { percent: 50 }\n  annual_cap: { amount: 700 }\n",
    "id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 99.5\ndowntime: { counting: whole-minutes, min_duration: 5m }\nexclusions: { causes: [force-majeure], excluded_time: removed-from-period }\ncredits:\n  per_duration: { percent: 2.5, per: 1h }\n  cap: { percent: 12, amount: 100 }\n",
    "id: c\nperiod: month\ntimezone: UTC\ncommitment: 100\ncredits:\n  fee_multiple: { multiple: 10, min_incident: 2h, hours_basis: 720 }\n  cap: { percent: 30 }\n",
];

/// (start second after BASE, length in seconds, impact in tenths, force majeure?)
type Spec = (i64, i64, u8, bool);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0i64..200 * 86_400,
        1i64..3 * 86_400,
        1u8..=10,
        prop::bool::weighted(0.15),
    )
}

fn window((start, len, impact, fm): Spec) -> Window {
    let mut w = Window::new(
        Instant::from_unix_seconds(BASE + start),
        Instant::from_unix_seconds(BASE + start + len),
    )
    .unwrap()
    .with_impact(Decimal::new(i64::from(impact), 1))
    .unwrap();
    if fm {
        w = w.with_cause("force-majeure");
    }
    w
}

fn claims_of(contract: &str, windows: Vec<Window>) -> Vec<Claim> {
    let inputs = Inputs {
        contracts: vec![contract_yaml(contract)],
        subscriptions: vec![sub("1000.00", "USD")],
        windows,
        ..Inputs::default()
    };
    compute(&inputs, &Selection::default()).unwrap().claims
}

fn contract_yaml(text: &str) -> slacredit::Contract {
    contract(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Leaving out claims without a credit or without a breach leaves the others as they were:
    /// shared and own windows, whole and partly active subscriptions, every credit model.
    #[test]
    fn credited_and_breached_only_are_filters(
        which in 0usize..4,
        specs in prop::collection::vec((spec(), prop::bool::ANY), 0..10),
        from_day in 0u32..120,
    ) {
        let windows: Vec<Window> = specs
            .into_iter()
            .map(|(spec, own)| {
                let mut w = window(spec);
                if own {
                    w.customers = vec!["s1".into()].into();
                }
                w
            })
            .collect();
        let mut late = sub("1000.00", "USD");
        late.id = "s2".into();
        late.active_from = chrono::NaiveDate::from_ymd_opt(2018, 9, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(from_day))));
        // The three contracts, and tiers without an annual cap (what a billing run meets most).
        let tiers = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 25 }]\n";
        let inputs = Inputs {
            contracts: vec![contract_yaml(CONTRACTS.get(which).copied().unwrap_or(tiers))],
            subscriptions: vec![sub("1000.00", "USD"), late],
            windows,
            ..Inputs::default()
        };
        let all = compute(&inputs, &Selection::default()).unwrap().claims;
        let credited = Selection { credited_only: true, ..Selection::default() };
        let credited = compute(&inputs, &credited).unwrap().claims;
        let expected: Vec<Claim> = all.iter().filter(|c| !c.credit.is_zero()).cloned().collect();
        prop_assert_eq!(credited, expected);
        let breached = Selection { breached_only: true, ..Selection::default() };
        let breached = compute(&inputs, &breached).unwrap().claims;
        let expected: Vec<Claim> = all.into_iter().filter(|c| c.breached).collect();
        prop_assert_eq!(breached, expected);
    }

    /// Asking for the figures only changes nothing but the references, sources and next tier
    /// left out: shared windows and windows naming the subscription alike.
    #[test]
    fn figures_only_are_the_full_claims_without_labels(
        which in 0usize..3,
        specs in prop::collection::vec((spec(), prop::bool::ANY), 0..10),
    ) {
        let windows: Vec<Window> = specs
            .into_iter()
            .enumerate()
            .map(|(i, (spec, own))| {
                let mut w = window(spec);
                w.reference = Some(format!("r{i}").into());
                w = w.with_source(if i % 2 == 0 { "probe" } else { "status page" });
                if own {
                    w.customers = vec!["s1".into()].into();
                }
                w
            })
            .collect();
        let inputs = Inputs {
            contracts: vec![contract_yaml(CONTRACTS[which])],
            subscriptions: vec![sub("1000.00", "USD")],
            windows,
            ..Inputs::default()
        };
        let full = compute(&inputs, &Selection::default()).unwrap().claims;
        let figures = Selection { detail: Detail::Figures, ..Selection::default() };
        let figures = compute(&inputs, &figures).unwrap().claims;
        let stripped: Vec<Claim> = full
            .into_iter()
            .map(|mut c| {
                c.next_tier = None;
                c.incidents = c
                    .incidents
                    .iter()
                    .map(|i| ClaimIncident {
                        references: Vec::new().into(),
                        sources: Vec::new().into(),
                        ..i.clone()
                    })
                    .collect();
                c
            })
            .collect();
        prop_assert_eq!(figures, stripped);
    }

    #[test]
    fn downtime_uptime_and_credits_stay_in_bounds(which in 0usize..3, specs in prop::collection::vec(spec(), 0..10)) {
        let text = CONTRACTS[which];
        let c = contract_yaml(text);
        for claim in claims_of(text, specs.into_iter().map(window).collect()) {
            prop_assert!(claim.downtime_minutes <= claim.eligible_minutes || claim.eligible_minutes.is_zero());
            prop_assert!(claim.uptime_percent >= Decimal::ZERO && claim.uptime_percent <= Decimal::ONE_HUNDRED);
            prop_assert!(claim.credit >= Decimal::ZERO);
            if let Some(limit) = c.credits().cap.and_then(|cap| cap.limit(claim.basis)) {
                prop_assert!(claim.credit <= limit, "credit {} over the cap {}", claim.credit, limit);
            }
            prop_assert!(claim.excluded_minutes >= Decimal::ZERO);
        }
    }

    #[test]
    fn order_of_windows_files_and_subscriptions_changes_nothing(specs in prop::collection::vec(spec(), 1..10), cut in 0usize..10) {
        let windows: Vec<Window> = specs.into_iter().map(window).collect();
        let cut = cut.min(windows.len());
        let subs = "- { id: b, customer: B, contract: c, fee: { amount: 5.00, currency: USD } }\n- { id: a, customer: A, contract: c, fee: { amount: 7.00, currency: EUR } }\n";
        let reversed = "- { id: a, customer: A, contract: c, fee: { amount: 7.00, currency: EUR } }\n- { id: b, customer: B, contract: c, fee: { amount: 5.00, currency: USD } }\n";
        let run = |subs: &str, files: Vec<Vec<Window>>| {
            let inputs = Inputs {
                contracts: vec![contract_yaml(CONTRACTS[0])],
                subscriptions: parse_subscriptions("s.yaml", subs).unwrap(),
                windows: files.into_iter().flatten().collect(),
                ..Inputs::default()
            };
            let r = compute(&inputs, &Selection::default()).unwrap();
            (r.claims, r.totals)
        };
        let first = run(subs, vec![windows[..cut].to_vec(), windows[cut..].to_vec()]);
        let second = run(reversed, vec![windows[cut..].to_vec(), windows[..cut].to_vec()]);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_quarter_is_its_months_added_up(specs in prop::collection::vec(spec(), 1..8), mode in prop_oneof![Just("exact"), Just("touched-minutes"), Just("whole-minutes")]) {
        let base = format!("id: c\ntimezone: Asia/Seoul\ncommitment: 99.9\ndowntime: {{ counting: {mode}, min_duration: 10m }}\nexclusions: {{ causes: [force-majeure] }}\ncredits:\n  tiers: [{{ below: 99.9, percent: 10 }}]\n");
        let windows: Vec<Window> = specs.into_iter().map(window).collect();
        let quarters = claims_of(&format!("period: quarter\n{base}"), windows.clone());
        let months = claims_of(&format!("period: month\n{base}"), windows);
        for q in &quarters {
            let inside: Vec<&Claim> = months.iter().filter(|m| m.period_start >= q.period_start && m.period_end <= q.period_end).collect();
            // Exact seconds add up exactly (minutes are rounded for display). Months without any
            // window are not claimed: they add nothing.
            let downtime: Decimal = inside.iter().map(|m| m.downtime_seconds).sum();
            let excluded: Decimal = inside.iter().map(|m| m.excluded_seconds).sum();
            prop_assert_eq!(q.downtime_seconds, downtime, "{}", q.period);
            prop_assert_eq!(q.excluded_seconds, excluded, "{}", q.period);
        }
    }

    #[test]
    fn utc_and_equivalent_offsets_give_the_same_claims(specs in prop::collection::vec(spec(), 1..8), offset_minutes in -720i32..=840) {
        let offset = chrono::FixedOffset::east_opt(offset_minutes / 15 * 15 * 60).unwrap();
        let csv = |spell: &dyn Fn(Instant) -> String| {
            let mut text = String::from("start,end,impact,cause\n");
            for &(start, len, impact, fm) in &specs {
                let (a, b) = (Instant::from_unix_seconds(BASE + start), Instant::from_unix_seconds(BASE + start + len));
                text.push_str(&format!("{},{},0.{},{}\n", spell(a), spell(b), impact % 10, if fm { "force-majeure" } else { "" }));
            }
            text.replace(",0.0,", ",1,")
        };
        let z = csv(&|t: Instant| t.to_string());
        let shifted = csv(&|t: Instant| t.to_utc().with_timezone(&offset).to_rfc3339());
        let a = claims_of(CONTRACTS[0], parse_windows("w.csv", &z, None).unwrap());
        let b = claims_of(CONTRACTS[0], parse_windows("w.csv", &shifted, None).unwrap());
        prop_assert_eq!(a, b);
    }
}

/// A subscription active from mid-month is measured on its own eligible time even where the
/// scope's whole month owes nothing. 40 minutes down on 2018-09-20 (UTC, 99.9 % promised):
/// the whole of September (43,200 minutes) is up 99.907407 %, no breach; from 16 September
/// (15 days, 21,600 minutes) it is up 99.814815 %, 10 % of the fee pro-rated to 15/30 of
/// 1,000.00 = 500.00, so 50.00 — in a credited-only run too.
#[test]
fn a_late_start_is_credited_where_the_whole_month_is_not() {
    let tiers = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 25 }]\n";
    let mut late = sub("1000.00", "USD");
    late.id = "s2".into();
    late.active_from = chrono::NaiveDate::from_ymd_opt(2018, 9, 16);
    let inputs = Inputs {
        contracts: vec![contract_yaml(tiers)],
        subscriptions: vec![sub("1000.00", "USD"), late],
        windows: vec![window((19 * 86_400, 40 * 60, 10, false))],
        ..Inputs::default()
    };
    let selection = Selection {
        credited_only: true,
        ..Selection::default()
    };
    let claims = compute(&inputs, &selection).unwrap().claims;
    let got: Vec<(&str, String, String)> = claims
        .iter()
        .map(|c| {
            (
                &*c.subscription,
                c.uptime_percent.round_dp(6).to_string(),
                c.credit.to_string(),
            )
        })
        .collect();
    assert_eq!(got, [("s2", "99.814815".to_owned(), "50.00".to_owned())]);
}

/// Large runs prepare on several threads and find windows by merging sorted lists; they must
/// give each subscription exactly what a run of that subscription alone gives.
#[test]
fn a_large_run_agrees_with_runs_of_one() {
    use std::fmt::Write;
    let mut subs = String::from("id,customer,contract,currency,fee,region\n");
    let mut outages = String::from("start,end,region,customers\n");
    for i in 0..30_000 {
        let _ = writeln!(
            subs,
            "s{i:05},cust-{},c,USD,{}.00,r{}",
            i % 7_000,
            100 + i % 50,
            i % 5
        );
    }
    for i in 0..22_000i64 {
        let start = BASE + (i * 7_919) % (90 * 86_400);
        let named = match i % 4 {
            0 => format!("s{:05}", (i * 13) % 30_000),
            1 => format!("cust-{}", (i * 17) % 7_000),
            2 => format!("s{:05};cust-{}", (i * 7) % 30_000, (i * 3) % 7_000),
            _ => String::new(),
        };
        let start_at = Instant::from_unix_seconds(start);
        let end_at = Instant::from_unix_seconds(start + 600 + (i % 50) * 60);
        let _ = writeln!(outages, "{start_at},{end_at},r{},{named}", i % 5);
    }
    // The first subscription of the second half of the jobs, named by a window of its own.
    let _ = writeln!(
        outages,
        "{},{},r0,s15000",
        Instant::from_unix_seconds(BASE + 86_400),
        Instant::from_unix_seconds(BASE + 86_400 + 3 * 3_600)
    );
    let c = contract_yaml(CONTRACTS[1]);
    let subscriptions = parse_subscriptions("s.csv", &subs).unwrap();
    let windows = parse_windows("w.csv", &outages, None).unwrap();
    let all = Inputs {
        contracts: vec![c.clone()],
        subscriptions: subscriptions.clone(),
        windows: windows.clone(),
        ..Inputs::default()
    };
    let big = compute(&all, &Selection::default()).unwrap().claims;
    // 15,000 starts the second half of the jobs, whose windows are found on another core.
    for pick in [0usize, 1, 4_999, 15_000, 17_321, 29_999] {
        let one = Inputs {
            contracts: vec![c.clone()],
            subscriptions: vec![subscriptions[pick].clone()],
            windows: windows.clone(),
            ..Inputs::default()
        };
        let alone = compute(&one, &Selection::default()).unwrap().claims;
        let id = &subscriptions[pick].id;
        let in_big: Vec<&Claim> = big.iter().filter(|c| &c.subscription == id).collect();
        assert_eq!(in_big.len(), alone.len(), "{id}");
        for (a, b) in in_big.iter().zip(&alone) {
            assert_eq!(*a, b, "{id}");
        }
        assert!(
            alone.iter().any(|c| c.downtime_seconds > Decimal::ZERO),
            "{id}: the case should see downtime"
        );
    }
}

/// A billing system computing from inside its own rayon pool (here of one thread) gets the same
/// claims, streamed in order, and does not wait forever on tasks queued behind its own.
#[test]
fn computing_inside_a_pool_of_one_thread() {
    let contract = slacredit::Contract::from_yaml(
        "c.yaml",
        "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n",
    )
    .unwrap();
    let usd = slacredit::Currency::from_code("USD").unwrap();
    // Enough subscriptions for several chunks of 512.
    let subscriptions: Vec<slacredit::Subscription> = (0..2_000)
        .map(|i| {
            let fee = slacredit::Money::new(Decimal::new(10_000, 2), usd);
            slacredit::Subscription::new(&format!("s{i:05}"), "C", "c", fee)
        })
        .collect();
    let at = |s: &str| Instant::parse(s, None).unwrap();
    let windows =
        vec![Window::new(at("2018-11-22T08:19:00Z"), at("2018-11-22T09:43:00Z")).unwrap()];
    let inputs = Inputs {
        contracts: vec![contract],
        subscriptions,
        windows,
        ..Inputs::default()
    };
    let outside = compute(&inputs, &Selection::default()).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let inside = pool.install(|| compute(&inputs, &Selection::default()).unwrap());
    assert_eq!(inside.claims.len(), 2_000);
    assert_eq!(inside.claims, outside.claims);
    assert_eq!(inside.totals, outside.totals);
}
