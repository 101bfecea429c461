//! Faults: each a way a user could lose data or trust (issue 18), one test each, each failing on
//! the code before its fix: a panic, a file overwritten or loosened, a contract skipped without a
//! word, a formula run by a spreadsheet, a signal leaving a temporary file behind.

use crate::common::{run_in, Outcome};

const CONTRACT: &str = "id: c\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n";
const SUBS: &str = "id,customer,contract,currency,fee,region\na,A,c,USD,100.00,x\n";
const OUTAGES: &str = "start,end,region\n2018-11-22T08:00:00Z,2018-11-22T10:00:00Z,x\n";

/// A folder holding the contract, subs.csv and out.csv above.
fn case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contracts")).unwrap();
    std::fs::write(dir.path().join("contracts/c.yaml"), CONTRACT).unwrap();
    std::fs::write(dir.path().join("subs.csv"), SUBS).unwrap();
    std::fs::write(dir.path().join("out.csv"), OUTAGES).unwrap();
    dir
}

/// `claim --subscriptions subs.csv --outages out.csv` with `extra` arguments, in a folder
/// holding `contract` as contracts/c.yaml and those two files.
fn claim_of(contract: &str, subs: &str, outages: &str, extra: &[&str]) -> Outcome {
    let mut args = vec![
        "claim",
        "--subscriptions",
        "subs.csv",
        "--outages",
        "out.csv",
    ];
    args.extend_from_slice(extra);
    run_in(
        &[
            ("contracts/c.yaml", contract.as_bytes()),
            ("subs.csv", subs.as_bytes()),
            ("out.csv", outages.as_bytes()),
        ],
        &args,
    )
}

/// `claim` on `subs` and the contract and outages above, CSV, with `extra` arguments.
fn claim(subs: &str, extra: &[&str]) -> Outcome {
    let mut args = vec!["--format", "csv"];
    args.extend_from_slice(extra);
    claim_of(CONTRACT, subs, OUTAGES, &args)
}

#[test]
fn a_table_cell_of_70000_characters_is_printed_not_a_panic() {
    let name = "N".repeat(70_000);
    let subs = format!("id,customer,contract,currency,fee,region\na,{name},c,USD,100.00,x\n");
    let o = claim_of(CONTRACT, &subs, OUTAGES, &["--period", "2018-11"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.lines().nth(1).unwrap().contains(&name));
}

#[test]
fn a_full_standard_output_is_an_error_with_a_name_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("slacredit"))
        .args(["check", "docs/cases/aws-seoul-2018"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: <stdout>: No space left on device (os error 28)\n"
    );
}

#[test]
fn a_reader_that_stops_reading_ends_the_run_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slacredit"))
        .args([
            "audit",
            "tests/fixtures/busy-year",
            "--year",
            "2022",
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe: the writes after it fail with a broken pipe.
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_contract_file_that_is_a_dangling_or_looping_link_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let contracts = dir.path().join("contracts");
    std::fs::create_dir(&contracts).unwrap();
    std::fs::write(contracts.join("c.yaml"), CONTRACT).unwrap();
    std::os::unix::fs::symlink(contracts.join("gone.yaml"), contracts.join("d.yaml")).unwrap();
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: contracts/d.yaml: No such file or directory (os error 2)\n1 problem found; nothing was written\n"
    );
    std::fs::remove_file(contracts.join("d.yaml")).unwrap();
    std::os::unix::fs::symlink(contracts.join("e.yaml"), contracts.join("e.yaml")).unwrap();
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: contracts/e.yaml: Too many levels of symbolic links"));
}

#[test]
fn output_naming_an_input_is_refused_before_anything_is_read() {
    let dir = case();
    let root = dir.path();
    std::fs::hard_link(root.join("out.csv"), root.join("same.csv")).unwrap();
    let run = |output: &str| {
        assert_cmd::Command::cargo_bin("slacredit")
            .unwrap()
            .current_dir(root)
            .args([
                "claim",
                "--subscriptions",
                "subs.csv",
                "--outages",
                "out.csv",
                "--output",
                output,
            ])
            .output()
            .unwrap()
    };
    for (output, input) in [
        ("subs.csv", "subs.csv"),
        ("./out.csv", "out.csv"),
        ("same.csv", "out.csv"),
        ("contracts/c.yaml", "contracts/c.yaml"),
    ] {
        let out = run(output);
        assert_eq!(out.status.code(), Some(2), "{output}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: --output {output} is the input {input}; writing the report there would replace it\n")
        );
    }
    assert_eq!(
        std::fs::read_to_string(root.join("subs.csv")).unwrap(),
        SUBS
    );
    assert_eq!(
        std::fs::read_to_string(root.join("out.csv")).unwrap(),
        OUTAGES
    );
    // A report of its own is written as before.
    assert_eq!(run("claims.txt").status.code(), Some(0));
}

#[test]
fn a_replaced_report_keeps_the_mode_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = case();
    let root = dir.path();
    for mode in [0o600, 0o444] {
        let report = root.join("report.txt");
        std::fs::write(&report, "old\n").unwrap();
        std::fs::set_permissions(&report, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = assert_cmd::Command::cargo_bin("slacredit")
            .unwrap()
            .current_dir(root)
            .args([
                "claim",
                "--subscriptions",
                "subs.csv",
                "--outages",
                "out.csv",
                "--output",
                "report.txt",
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta = std::fs::metadata(&report).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode);
        assert!(std::fs::read_to_string(&report)
            .unwrap()
            .starts_with("SUBSCRIPTION"));
        std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::remove_file(&report).unwrap();
    }
}

#[test]
fn a_customer_named_as_a_formula_is_not_one_in_the_csv() {
    let subs = "id,customer,contract,currency,fee,region\na,=1+2,c,USD,100.00,x\n@b,\"-SUM(A1,A2)\",c,USD,100.00,x\n";
    let o = claim(subs, &["--columns", "subscription,customer"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "subscription,customer\n'@b,\"'-SUM(A1,A2)\"\na,'=1+2\n"
    );
}

#[test]
fn a_contract_path_that_is_a_folder_is_a_located_error() {
    let o = run_in(
        &[
            ("contracts/c.yaml", CONTRACT.as_bytes()),
            ("subs.csv", SUBS.as_bytes()),
            ("out.csv", OUTAGES.as_bytes()),
        ],
        &["check"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("contracts/old.yaml")).unwrap();
    std::fs::write(dir.path().join("contracts/c.yaml"), CONTRACT).unwrap();
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: contracts/old.yaml: expected a contract file, found a folder\n1 problem found; nothing was written\n"
    );
}

#[test]
fn a_signal_while_a_report_is_written_leaves_no_temporary_file() {
    for (signal, code) in [("-TERM", 143), ("-INT", 130)] {
        let dir = case();
        // The outages come on standard input, which stays open: the run waits there, with its
        // report's temporary file made.
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slacredit"))
            .current_dir(dir.path())
            .args([
                "claim",
                "--subscriptions",
                "subs.csv",
                "--outages",
                "-",
                "--input-format",
                "csv",
                "--output",
                "report.csv",
            ])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let temporary = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .count()
        };
        let started = std::time::Instant::now();
        while temporary() == 0 && started.elapsed() < std::time::Duration::from_secs(20) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(temporary(), 1, "the report's temporary file is made");
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        // Held open until the child is gone: `wait` would close it, and the run would go on.
        let stdin = child.stdin.take();
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), Some(code), "{signal}");
        assert_eq!(temporary(), 0, "{signal}: the temporary file is removed");
        assert!(!dir.path().join("report.csv").exists());
    }
}

#[test]
fn a_full_standard_error_is_no_panic() {
    // Invalid input, so the run has problems to tell, and nowhere to tell them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contracts")).unwrap();
    std::fs::write(dir.path().join("contracts/c.yaml"), CONTRACT).unwrap();
    std::fs::write(dir.path().join("subs.csv"), "id,customer\n").unwrap();
    std::fs::write(dir.path().join("out.csv"), OUTAGES).unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("slacredit"))
        .current_dir(dir.path())
        .args([
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
        ])
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn the_contract_list_and_the_reconciliation_print_cells_of_70000_characters() {
    let title = "T".repeat(70_000);
    let contract = format!("{CONTRACT}title: {title}\n");
    let o = run_in(&[("contracts/c.yaml", contract.as_bytes())], &["contracts"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(&title));
    // An issued credit for a subscription of a 70,000-character id: reported unknown, printed.
    let id = "s".repeat(70_000);
    let issued = format!("subscription,period,amount,currency\n{id},2018-11,1.00,USD\n");
    let o = run_in(
        &[
            ("contracts/c.yaml", CONTRACT.as_bytes()),
            ("subs.csv", SUBS.as_bytes()),
            ("out.csv", OUTAGES.as_bytes()),
            ("issued.csv", issued.as_bytes()),
        ],
        &[
            "reconcile",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
            "--issued",
            "issued.csv",
            "--year",
            "2018",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains(&id),
        "{}",
        &o.stdout[..200.min(o.stdout.len())]
    );
}

#[test]
fn the_letter_lists_late_maintenance_as_downtime_not_as_excluded_time() {
    // Maintenance announced one day ahead where two are needed: downtime (240 minutes), and the
    // letter says so instead of listing it under excluded time.
    let contract = "id: c\napplies_to: { service: web }\nperiod: month\ntimezone: UTC\ncommitment: 99.9\nexclusions:\n  causes: [maintenance]\n  maintenance_notice: 2d\ncredits:\n  tiers: [{ below: 99.9, percent: 10 }]\n";
    let subs = "id,customer,contract,currency,fee,region\na,A,c,USD,100.00,x\n";
    let outages = "start,end,region,cause,announced_at\n2018-11-10T00:00:00Z,2018-11-10T04:00:00Z,x,maintenance,2018-11-09T00:00:00Z\n";
    let o = claim_of(contract, subs, outages, &["--format", "markdown"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Excluded time: none."), "{}", o.stdout);
    assert!(o.stdout.contains("Maintenance counted as downtime, not announced 2d ahead: 2018-11-10T00:00:00Z–2018-11-10T04:00:00Z announced 2018-11-09T00:00:00Z, too late."), "{}", o.stdout);
    assert!(o.stdout.contains("240"), "{}", o.stdout);
}

#[test]
fn an_html_page_shows_a_formula_named_customer_as_text() {
    let subs = "id,customer,contract,currency,fee,region\na,=HYPERLINK(1),c,USD,100.00,x\n";
    let o = claim_of(CONTRACT, subs, OUTAGES, &["--format", "html"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("'=HYPERLINK(1)"), "the name after a '");
}

#[test]
fn the_letter_writes_ordinals_in_english() {
    let contract = format!("{CONTRACT}claim:\n  deadline: {{ periods_after: 21 }}\n");
    let o = claim_of(&contract, SUBS, OUTAGES, &["--format", "markdown"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("the end of the 21st period after 2018-11"),
        "{}",
        o.stdout
    );
}
