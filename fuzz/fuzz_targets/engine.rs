//! Arbitrary window sets through the whole engine and calculator, under contracts that use
//! every model and rule: no panic, and the invariants hold (downtime within eligible time, uptime
//! within 0-100, credits within the caps, the same claims whatever the order of the windows).
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use slacredit::{
    compute, Contract, Currency, Inputs, Instant, Money, Selection, Subscription, Window,
};

const CONTRACTS: [&str; 4] = [
    "id: c\nperiod: month\ntimezone: America/Los_Angeles\ncommitment: 99.9\ndowntime: { counting: touched-minutes }\nservice_hours:\n  weekly: [{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }]\n  holidays: [2018-11-22]\nexclusions: { causes: [maintenance, force-majeure], maintenance_notice: 2d }\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 25 }, { below: 95.0, percent: 100 }]\n  cap: { percent: 50 }\n  annual_cap: { amount: 700 }\nclaim:\n  deadline: { periods_after: 2 }\n",
    "id: c\nperiod: quarter\ntimezone: Asia/Seoul\ncommitment: 99.5\ndowntime: { counting: whole-minutes, min_duration: 5m, partial_impact: full }\nexclusions: { causes: [force-majeure], excluded_time: removed-from-period }\ncredits:\n  per_duration: { percent: 2.5, per: 1h, count: started, beyond: 30m }\n  cap: { percent: 12, amount: 1000 }\n  minimum: { above: 1 }\n  rounding: half-even\nclaim:\n  deadline: { days_after_incident: 30 }\n",
    "id: c\nperiod: month\ntimezone: Asia/Seoul\ncommitment: 100\ncredits:\n  fee_multiple: { multiple: 10, min_incident: 2h, min_total: 6h, hours_basis: 720 }\n  rounding: down\n",
    "id: c\nperiod: year\ntimezone: Europe/Berlin\ncommitment: 99\ndowntime: { partial_impact: ignore }\ncredits:\n  fixed: { amount: 500, min_incident: 30m }\n  cap: { amount: 1200 }\nclaim:\n  deadline: { days_after_period_end: 10 }\n",
];

#[derive(Arbitrary, Debug, Clone)]
struct W {
    start_minute: u32,
    length_seconds: u32,
    impact_tenths: u8,
    cause: u8,
    own: bool,
}

#[derive(Arbitrary, Debug)]
struct Case {
    contract: u8,
    windows: Vec<W>,
    active_from_day: Option<u16>,
    krw: bool,
}

/// 2018-09-01T00:00:00Z.
const BASE: i64 = 1_535_760_000;

fn window(w: &W) -> Option<Window> {
    let start =
        BASE + i64::from(w.start_minute % (500 * 1440)) * 60 + i64::from(w.start_minute % 60);
    let length = i64::from(w.length_seconds % (10 * 86_400)).max(1);
    let mut win = Window::new(
        Instant::from_unix_seconds(start),
        Instant::from_unix_seconds(start + length),
    )
    .ok()?;
    win = win
        .with_impact(Decimal::new(i64::from(w.impact_tenths % 10) + 1, 1))
        .ok()?;
    match w.cause % 4 {
        1 => {
            let notice = Instant::from_unix_seconds(start - i64::from(w.cause) * 3600);
            win = win.with_cause("maintenance").with_announced_at(notice);
        }
        2 => win = win.with_cause("force-majeure"),
        _ => {}
    }
    if w.own {
        win.customers = vec!["s1".into()].into();
    }
    Some(win)
}

fuzz_target!(|case: Case| {
    if case.windows.len() > 64 {
        return;
    }
    let contract = Contract::from_yaml(
        "c.yaml",
        CONTRACTS[usize::from(case.contract) % CONTRACTS.len()],
    )
    .unwrap();
    let currency = Currency::from_code(if case.krw { "KRW" } else { "USD" }).unwrap();
    let fee = if case.krw {
        Decimal::from(1_000_000)
    } else {
        Decimal::new(250_000, 2)
    };
    let mut sub = Subscription::new("s1", "Customer", "c", Money::new(fee, currency));
    if let Some(day) = case.active_from_day {
        sub.active_from = chrono::NaiveDate::from_ymd_opt(2018, 9, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(day % 400))));
    }
    let windows: Vec<Window> = case.windows.iter().filter_map(window).collect();
    let run = |windows: Vec<Window>| {
        let inputs = Inputs {
            contracts: vec![contract.clone()],
            subscriptions: vec![sub.clone()],
            windows,
            ..Inputs::default()
        };
        compute(&inputs, &Selection::default()).unwrap().claims
    };
    let claims = run(windows.clone());
    for c in &claims {
        assert!(
            c.downtime_minutes <= c.eligible_minutes || c.eligible_minutes.is_zero(),
            "{c:?}"
        );
        assert!(
            c.uptime_percent >= Decimal::ZERO && c.uptime_percent <= Decimal::ONE_HUNDRED,
            "{c:?}"
        );
        assert!(c.credit >= Decimal::ZERO, "{c:?}");
        if let Some(cap) = contract.credits().cap {
            if let Some(limit) = cap.limit(c.basis) {
                assert!(
                    c.credit <= limit + Decimal::new(1, 2),
                    "credit {} over cap {limit}",
                    c.credit
                );
            }
        }
        assert!(
            c.incidents.windows(2).all(|p| p[0].end <= p[1].start),
            "{c:?}"
        );
    }
    let mut reversed = windows;
    reversed.reverse();
    assert_eq!(claims, run(reversed));
});
