//! Micro-benchmarks of the core: merging and clipping windows, counting, and one subscription's
//! year through the engine and the calculator, and printing claims as CSV rows. `cargo bench
//! --bench core`.

use divan::{black_box, Bencher};
use rust_decimal::Decimal;
use slacredit::contract::Counting;
use slacredit::report::csv::Columns;
use slacredit::timeline::{self, Segment};
use slacredit::{
    compute, Contract, Currency, Inputs, Instant, Money, PeriodId, PeriodSpan, Selection,
    Subscription, Window,
};

fn main() {
    divan::main();
}

/// `n` pseudo-random windows over 2018 (a fixed linear congruential sequence: same every run).
fn windows(n: usize) -> Vec<(timeline::Span, Decimal)> {
    let mut x: u64 = 2018;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        x >> 33
    };
    let year = 1_514_764_800i64;
    (0..n)
        .map(|_| {
            let start = year + (next() % (365 * 86_400)) as i64;
            let len = 60 + (next() % (4 * 3600)) as i64;
            let impact = if next() % 4 == 0 {
                Decimal::new((next() % 9 + 1) as i64, 1)
            } else {
                Decimal::ONE
            };
            ((start, start + len), impact)
        })
        .collect()
}

#[divan::bench(args = [10, 100, 1000])]
fn merge_windows(bencher: Bencher, n: usize) {
    let w = windows(n);
    bencher.bench(|| timeline::merge(black_box(&w)));
}

#[divan::bench(args = [10, 100, 1000])]
fn clip_and_count_a_month(bencher: Bencher, n: usize) {
    let merged: Vec<Segment> = timeline::merge(&windows(n));
    let november = [(1_541_030_400i64, 1_543_622_400i64)];
    bencher.bench(|| {
        let clipped = timeline::clip(black_box(&merged), &november);
        (
            timeline::count(&clipped, Counting::Exact),
            timeline::count(&clipped, Counting::TouchedMinutes),
        )
    });
}

const CONTRACT: &str = "id: c\nperiod: month\ntimezone: America/Los_Angeles\ncommitment: 99.99\ndowntime: { counting: touched-minutes, min_duration: 1m }\nexclusions: { causes: [maintenance], maintenance_notice: 5d }\ncredits:\n  tiers: [{ below: 99.99, percent: 10 }, { below: 99.0, percent: 30 }, { below: 95.0, percent: 100 }]\n  cap: { percent: 100 }\n  annual_cap: { percent: 50 }\n  minimum: { above: 1 }\nclaim:\n  deadline: { periods_after: 2 }\n";

/// A year's inputs: one subscription of `CONTRACT` and `n` windows.
fn year_inputs(n: usize) -> (Inputs, Selection) {
    let contract = Contract::from_yaml("c.yaml", CONTRACT).unwrap();
    let fee = Money::new(
        Decimal::new(1_000_000, 2),
        Currency::from_code("USD").unwrap(),
    );
    let subscription = Subscription::new("s1", "Customer", "c", fee);
    let windows: Vec<Window> = windows(n)
        .into_iter()
        .map(|((a, b), impact)| {
            Window::new(Instant::from_unix_seconds(a), Instant::from_unix_seconds(b))
                .unwrap()
                .with_impact(impact)
                .unwrap()
        })
        .collect();
    let inputs = Inputs {
        contracts: vec![contract],
        subscriptions: vec![subscription],
        windows,
        ..Inputs::default()
    };
    let year = PeriodId::parse("2018").unwrap();
    let selection = Selection {
        periods: Some(PeriodSpan::new(year, year).unwrap()),
        ..Selection::default()
    };
    (inputs, selection)
}

/// One subscription's year of 12 periods, from windows to priced claims.
#[divan::bench(args = [10, 100])]
fn one_subscription_year(bencher: Bencher, n: usize) {
    let (inputs, selection) = year_inputs(n);
    bencher.bench(|| {
        compute(black_box(&inputs), &selection)
            .unwrap()
            .claims
            .len()
    });
}

/// Printing a year's claims as the billing CSV (a third of a provider's run is printing).
#[divan::bench]
fn print_billing_rows(bencher: Bencher) {
    let (inputs, selection) = year_inputs(100);
    let claims = compute(&inputs, &selection).unwrap().claims;
    let columns = Columns::parse(
        "subscription,period,downtime_minutes,uptime_percent,credit_percent,credit,currency",
    )
    .unwrap();
    bencher
        .counter(divan::counter::ItemsCount::new(claims.len()))
        .bench(|| columns.rows(black_box(&claims)).len());
}
