//! Any text as a contract file: a contract or located problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(slacredit::Error::Invalid(problems)) =
            slacredit::Contract::from_yaml("f.yaml", text)
        {
            assert!(!problems.0.is_empty());
            for p in &problems.0 {
                assert_eq!(p.file, "f.yaml");
            }
        }
    }
});
