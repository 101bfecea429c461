//! Any bytes as an import file of each tool (the first byte picks the format, and whether open
//! items are closed): windows with `end > start` and a source, or located problems; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use slacredit::import::{import, Format, Map, Options};

const MAP: &str = "labels: { service: web }\nnames: { API: { region: eu-west }, \"777749809\": { region: us-east } }\ncopy: { region: region }\nunmapped: skip\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = Format::ALL[usize::from(pick) % Format::ALL.len()];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let options = Options {
        map: Map::from_yaml("map.yaml", MAP).unwrap(),
        open_until: (pick & 0x80 != 0)
            .then(|| slacredit::Instant::parse("2030-01-01T00:00:00Z", None).unwrap()),
        ..Options::default()
    };
    match import(format, "f.json", text, &options) {
        Ok(imported) => {
            assert_eq!(imported.windows.len(), imported.items.len());
            for w in &imported.windows {
                assert!(w.end() > w.start());
                assert!(w.source().is_some());
            }
        }
        Err(slacredit::Error::Invalid(problems)) => assert!(!problems.0.is_empty()),
        Err(e) => panic!("unexpected error kind: {e}"),
    }
});
