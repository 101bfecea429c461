//! Helpers: build inputs in code and compute one subscription's claims.

use rust_decimal::Decimal;
use slacredit::{
    compute, Claim, Contract, Currency, Inputs, Instant, Money, PeriodId, PeriodSpan, Selection,
    Subscription, Window,
};

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn t(s: &str) -> Instant {
    Instant::parse(s, None).unwrap()
}

/// A contract from YAML, panicking with the problems if invalid.
pub fn contract(yaml: &str) -> Contract {
    Contract::from_yaml("test.yaml", yaml).unwrap_or_else(|e| panic!("{e}"))
}

/// A monthly tiered contract with the given zone and extra YAML lines.
pub fn tiers_contract(zone: &str, extra: &str) -> Contract {
    contract(&format!(
        "id: c\nperiod: month\ntimezone: {zone}\ncommitment: 99.99\n{extra}\ncredits:\n  tiers:\n    - {{ below: 99.99, percent: 10 }}\n    - {{ below: 99.0, percent: 30 }}\n  rounding: half-up\nclaim:\n  deadline: {{ periods_after: 2 }}\n"
    ))
}

pub fn sub(fee: &str, currency: &str) -> Subscription {
    Subscription::new(
        "s1",
        "Customer",
        "c",
        Money::new(d(fee), Currency::from_code(currency).unwrap()),
    )
}

pub fn window(start: &str, end: &str) -> Window {
    Window::new(t(start), t(end)).unwrap()
}

/// Claims of the only subscription for `period` (a name such as 2018-11), or every touched period.
pub fn claims(
    contract: Contract,
    subscription: Subscription,
    windows: Vec<Window>,
    period: Option<&str>,
) -> Vec<Claim> {
    let inputs = Inputs {
        contracts: vec![contract],
        subscriptions: vec![subscription],
        windows,
        ..Inputs::default()
    };
    let periods = period.map(|p| {
        let p = PeriodId::parse(p).unwrap();
        PeriodSpan::new(p, p).unwrap()
    });
    compute(
        &inputs,
        &Selection {
            periods,
            ..Selection::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .claims
}

/// The single claim for `period`.
pub fn one(
    contract: Contract,
    subscription: Subscription,
    windows: Vec<Window>,
    period: &str,
) -> Claim {
    let mut c = claims(contract, subscription, windows, Some(period));
    assert_eq!(c.len(), 1, "expected one claim");
    c.remove(0)
}

/// What a run of the binary did.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Writes `files` (paths inside a new temporary folder, such as `contracts/c.yaml`; a
/// `contracts` folder is always made, and the folders of the paths) and runs `slacredit` there with `args`.
pub fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("contracts")).unwrap();
    for (name, bytes) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    run_at(root, args)
}

/// Runs `slacredit` in `dir` with `args`.
pub fn run_at(dir: &std::path::Path, args: &[&str]) -> Outcome {
    run_fed(dir, args, "")
}

/// Runs `slacredit` in `dir` with `args`, `stdin` on its standard input.
pub fn run_fed(dir: &std::path::Path, args: &[&str], stdin: &str) -> Outcome {
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary from the repository root, with nothing on standard error; (exit code,
/// stdout).
pub fn run_in_repo(args: &[&str]) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// [`run_in_repo`], exiting 0; stdout.
pub fn ok_in_repo(args: &[&str]) -> String {
    let (code, out) = run_in_repo(args);
    assert_eq!(code, 0, "{args:?}");
    out
}
