//! Any bytes as an outage file in each format (the first byte picks CSV, YAML or JSON, and
//! whether offset-less times are read in a zone): windows or located problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = ["f.csv", "f.yaml", "f.json"][usize::from(pick % 3)];
    let zone = (pick & 4 != 0).then_some(chrono_tz_seoul());
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if slacredit::load::check_lines(name, rest).is_err() {
        return;
    }
    match slacredit::parse_windows(name, text, zone) {
        Ok(windows) => {
            for w in windows {
                assert!(w.end() > w.start());
            }
        }
        Err(slacredit::Error::Invalid(problems)) => assert!(!problems.0.is_empty()),
        Err(e) => panic!("unexpected error kind: {e}"),
    }
});

fn chrono_tz_seoul() -> slacredit::Tz {
    "Asia/Seoul".parse().unwrap()
}
