//! Invariants of the engine and calculator, over generated windows.

use crate::common::*;
use proptest::prelude::*;
use slacredit::{Claim, Window};

/// November 2018 UTC starts here (Unix seconds).
const NOV: i64 = 1_541_030_400;

fn arb_window() -> impl Strategy<Value = (i64, i64, u8)> {
    // Start anywhere from a day before November to its end; up to ~2 days long; impact 1 or a
    // fraction.
    (
        -86_400i64..30 * 86_400,
        1i64..180_000,
        prop_oneof![Just(10u8), 1u8..10],
    )
}

fn to_window((start, len, impact): (i64, i64, u8)) -> Window {
    let s = slacredit::Instant::from_unix_seconds(NOV + start);
    let e = slacredit::Instant::from_unix_seconds(NOV + start + len);
    Window::new(s, e)
        .unwrap()
        .with_impact(rust_decimal::Decimal::new(i64::from(impact), 1))
        .unwrap()
}

fn counting() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("exact"),
        Just("touched-minutes"),
        Just("whole-minutes")
    ]
}

fn run(mode: &str, windows: Vec<Window>) -> Vec<Claim> {
    let c = tiers_contract("UTC", &format!("downtime: {{ counting: {mode} }}"));
    claims(c, sub("1000.00", "USD"), windows, Some("2018-11"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn window_order_and_duplicates_do_not_change_claims(
        ws in prop::collection::vec(arb_window(), 1..8),
        mode in counting(),
        seed in any::<u64>(),
    ) {
        let base = run(mode, ws.iter().copied().map(to_window).collect());
        let mut shuffled: Vec<_> = ws.clone();
        // A deterministic shuffle from the seed, plus every window repeated.
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
            shuffled.swap(i, j);
        }
        shuffled.extend(ws.iter().copied());
        prop_assert_eq!(base, run(mode, shuffled.into_iter().map(to_window).collect()));
    }

    #[test]
    fn splitting_a_window_changes_nothing(
        ws in prop::collection::vec(arb_window(), 1..6),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        mode in counting(),
    ) {
        let base = run(mode, ws.iter().copied().map(to_window).collect());
        let i = which.index(ws.len());
        let (start, len, impact) = ws[i];
        if len >= 2 {
            let cut = 1 + at.index((len - 1) as usize) as i64;
            let mut split: Vec<_> = ws.clone();
            split[i] = (start, cut, impact);
            split.push((start + cut, len - cut, impact));
            prop_assert_eq!(base, run(mode, split.into_iter().map(to_window).collect()));
        }
    }

    #[test]
    fn more_downtime_never_lowers_the_credit(
        ws in prop::collection::vec(arb_window(), 0..6),
        extra in arb_window(),
        mode in counting(),
    ) {
        let before = run(mode, ws.iter().copied().map(to_window).collect());
        let mut more = ws.clone();
        more.push(extra);
        let after = run(mode, more.into_iter().map(to_window).collect());
        prop_assert!(after[0].credit >= before[0].credit);
        prop_assert!(after[0].downtime_minutes >= before[0].downtime_minutes);
        prop_assert!(after[0].downtime_minutes <= after[0].eligible_minutes);
    }
}
