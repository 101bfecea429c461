//! `docs/inputs.md` runs as written: its `file=PATH` blocks are written into a folder, each
//! command of its `sh` blocks runs there, and the `text` block after a command is what it
//! prints. The README's tour commands run too.

/// The blocks of a Markdown text: (info string, body).
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((info.trim().to_owned(), body));
        }
    }
    out
}

/// Splits a command line as a shell would for these examples (no quotes are used in them).
fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

#[test]
fn docs_inputs_examples_run_as_written() {
    let doc = std::fs::read_to_string("docs/inputs.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("contracts")).unwrap();
    let all = blocks(&doc);
    let mut commands = 0;
    for (k, (info, body)) in all.iter().enumerate() {
        if let Some(path) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            std::fs::write(root.join(path), body).unwrap();
            continue;
        }
        if info != "sh" {
            continue;
        }
        let expected = all
            .get(k + 1)
            .filter(|(i, _)| i == "text")
            .map(|(_, b)| b.clone());
        for line in body.lines().filter(|l| l.starts_with("slacredit ")) {
            let args = words(line);
            let out = assert_cmd::Command::cargo_bin("slacredit")
                .unwrap()
                .current_dir(root)
                .args(&args[1..])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{line}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if let Some(expected) = &expected {
                assert_eq!(&*stdout, expected.as_str(), "{line}");
            }
            commands += 1;
        }
    }
    assert!(commands >= 7, "only {commands} commands found");
}

#[test]
fn the_readme_tour_runs() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for (info, body) in blocks(&readme) {
        if info != "sh" {
            continue;
        }
        for line in body.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            let Some(rest) = line.strip_prefix("cargo run -- ") else {
                continue;
            };
            // `--output FILE` goes to a scratch folder, not into the repository.
            let mut args: Vec<String> = words(rest).iter().map(|w| (*w).to_owned()).collect();
            if let Some(i) = args.iter().position(|a| a == "--output") {
                args[i + 1] = dir.path().join(&args[i + 1]).display().to_string();
            }
            let out = assert_cmd::Command::cargo_bin("slacredit")
                .unwrap()
                .args(&args)
                .output()
                .unwrap();
            // reconcile exits 1 when credits do not reconcile: a result, not a failure.
            let code = out.status.code().unwrap_or(-1);
            let reconciles = args[0] == "reconcile" && code == 1 && out.stderr.is_empty();
            assert!(
                code == 0 || reconciles,
                "{line}: exit {code}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} tour commands found");
}

/// A folder holding the `file=PATH` blocks of docs/inputs.md.
fn doc_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("contracts")).unwrap();
    let doc = std::fs::read_to_string("docs/inputs.md").unwrap();
    for (info, body) in blocks(&doc) {
        if let Some(path) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            std::fs::write(dir.path().join(path), body).unwrap();
        }
    }
    dir
}

#[test]
fn outages_and_subscriptions_read_from_standard_input() {
    let dir = doc_files();
    let root = dir.path();
    let run = |args: &[&str], stdin: &str| {
        let out = assert_cmd::Command::cargo_bin("slacredit")
            .unwrap()
            .current_dir(root)
            .args(args)
            .write_stdin(stdin.to_owned())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let columns = [
        "--period",
        "2018-11",
        "--format",
        "csv",
        "--columns",
        "subscription,credit",
    ];
    let want = "subscription,credit\nshop-eu,120.00\nshop-us,0.00\n";
    let outages = std::fs::read_to_string(root.join("outages.yaml")).unwrap();
    let mut args = vec![
        "claim",
        "--subscriptions",
        "subscriptions.csv",
        "--outages",
        "-",
        "--input-format",
        "yaml",
    ];
    args.extend(columns);
    assert_eq!(run(&args, &outages), (0, want.to_owned(), String::new()));
    let subs = std::fs::read_to_string(root.join("subscriptions.csv")).unwrap();
    let mut args = vec![
        "claim",
        "--subscriptions",
        "-",
        "--input-format",
        "csv",
        "--outages",
        "outages.csv",
    ];
    args.extend(columns);
    assert_eq!(run(&args, &subs), (0, want.to_owned(), String::new()));
    // Without --input-format, standard input has no name to tell its format by.
    let (code, _, err) = run(
        &[
            "check",
            "--subscriptions",
            "subscriptions.csv",
            "--outages",
            "-",
        ],
        &outages,
    );
    assert_eq!(code, 1);
    assert_eq!(err, "error: <stdin>: reading standard input needs --input-format csv, yaml or json\n1 problem found; nothing was written\n");
}

#[test]
fn every_outages_file_of_a_case_folder_is_a_source() {
    let dir = doc_files();
    let root = dir.path();
    let case = root.join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(
        root.join("subscriptions.yaml"),
        case.join("subscriptions.yaml"),
    )
    .unwrap();
    // inc-1 (30 minutes) from the probes, inc-2 (60 weighted) from the provider: 90 together.
    std::fs::write(
        case.join("outages-probes.csv"),
        "start,end,region,reference\n2018-11-05T10:00:00Z,2018-11-05T10:30:00Z,eu-west,inc-1\n",
    )
    .unwrap();
    std::fs::write(case.join("outages-provider.yaml"), "- start: 2018-11-12T00:00:00Z\n  end: 2018-11-12T02:00:00Z\n  region: eu-west\n  impact: 0.5\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("slacredit")
        .unwrap()
        .current_dir(root)
        .args([
            "claim",
            "case",
            "--contracts",
            "contracts",
            "--period",
            "2018-11",
            "--format",
            "csv",
            "--columns",
            "subscription,downtime_minutes,credit",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "subscription,downtime_minutes,credit\nshop-eu,90,120.00\nshop-us,0,0.00\n"
    );
}
