//! The HTML report in a real browser: headless Chromium renders the Seoul case and a busy year;
//! the screenshot must not be blank, the charts must be in the rendered page, and the console
//! must stay silent. Skipped (with a message) where Chromium is missing, except under CI, where
//! `.ci/run` installs it and a missing browser is a failure.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")?
                .to_str()?
                .split(':')
                .map(|d| Path::new(d).join(name))
                .find(|p| p.is_file())
        })
}

/// Chromium, or `None` (the test is skipped, with a message) where it is missing; under CI,
/// where `.ci/run` installs it, a missing browser fails the test.
fn chromium_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing under CI: .ci/run installs it"
        );
        eprintln!("skipped: no chromium on PATH");
    }
    found
}

/// Runs Chromium headless with `args` on `page`; returns (stdout, stderr).
fn browse(bin: &Path, profile: &Path, args: &[String], page: &Path) -> (String, String) {
    let mut child = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().expect("wait for chromium").is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The share of pixels that are not (nearly) white.
fn ink(png_path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let inked = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&v| v < 235))
        .count();
    inked as f64 / total as f64
}

#[test]
fn html_reports_render_in_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 2] = [
        (
            "seoul",
            &["claim", "docs/cases/aws-seoul-2018", "--format", "html"],
        ),
        (
            "busy",
            &[
                "audit",
                "tests/fixtures/busy-year",
                "--year",
                "2022",
                "--format",
                "html",
            ],
        ),
    ];
    for (name, args) in cases {
        let page = dir.path().join(format!("{name}.html"));
        Command::cargo_bin("slacredit")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .arg("--output")
            .arg(&page)
            .assert()
            .success();
        let shot = dir.path().join(format!("{name}.png"));
        let profile = dir.path().join(format!("profile-{name}"));
        let (_, log) = browse(
            &bin,
            &profile,
            &[
                "--window-size=1000,1400".into(),
                format!("--screenshot={}", shot.display()),
            ],
            &page,
        );
        assert!(!log.contains("CONSOLE"), "{name}: console output: {log}");
        let share = ink(&shot);
        assert!(
            share > 0.02,
            "{name}: the screenshot is blank ({share:.4} of pixels inked)"
        );
        let (dom, log) = browse(&bin, &profile, &["--dump-dom".into()], &page);
        assert!(!log.contains("CONSOLE"), "{name}: console output: {log}");
        assert!(
            dom.contains("<svg class=\"uptime-chart\""),
            "{name}: no uptime chart in the rendered page"
        );
        assert!(
            dom.contains("class=\"bar\""),
            "{name}: no bars in the chart"
        );
        assert!(
            dom.contains("<svg class=\"incident-timeline\""),
            "{name}: no incident timeline"
        );
        assert!(
            dom.contains("class=\"incident\""),
            "{name}: no incident drawn"
        );
    }
}

/// The letters printed to PDF by headless Chromium (`--print-to-pdf`), in English and Korean:
/// A4 pages, each letter on its own, and no page blank — every page's content stream draws text.
#[test]
fn letters_print_to_pdf_without_blank_pages() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "ko"] {
        let page = dir.path().join(format!("letters-{lang}.html"));
        Command::cargo_bin("slacredit")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "claim",
                "docs/cases/aws-seoul-2018",
                "--format",
                "letter-html",
            ])
            .args(["--lang", lang, "--date", "2018-12-03", "--output"])
            .arg(&page)
            .assert()
            .success();
        let pdf = dir.path().join(format!("letters-{lang}.pdf"));
        let profile = dir.path().join(format!("profile-pdf-{lang}"));
        browse(
            &bin,
            &profile,
            &[
                "--no-pdf-header-footer".into(),
                format!("--print-to-pdf={}", pdf.display()),
            ],
            &page,
        );
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{lang}: no PDF: {e}"));
        let (pages, drawn) = pdf_pages(&bytes);
        // Four letters, each starting a page.
        assert!(pages >= 4, "{lang}: {pages} pages");
        assert!(
            drawn >= pages,
            "{lang}: {pages} pages but only {drawn} content streams draw text"
        );
    }
}

/// The pages of a PDF, and how many of its compressed streams draw text (`Tj`/`TJ`).
fn pdf_pages(pdf: &[u8]) -> (usize, usize) {
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut pages = 0;
    let mut at = 0;
    while let Some(p) = find(pdf, b"/Type /Page", at) {
        if pdf.get(p + 11) != Some(&b's') {
            pages += 1;
        }
        at = p + 1;
    }
    let mut drawn = 0;
    let mut at = 0;
    while let Some(start) = find(pdf, b"stream", at) {
        // After `stream`, a line end (CR LF or LF), then the data up to `endstream`.
        let body = start
            + 6
            + match &pdf[start + 6..] {
                [b'\r', b'\n', ..] => 2,
                [b'\n', ..] => 1,
                _ => {
                    at = start + 6;
                    continue;
                }
            };
        let Some(end) = find(pdf, b"endstream", body) else {
            break;
        };
        let mut text = Vec::new();
        use std::io::Read;
        if flate2::read::ZlibDecoder::new(&pdf[body..end])
            .read_to_end(&mut text)
            .is_ok()
            && text.windows(2).any(|w| w == b"Tj" || w == b"TJ")
        {
            drawn += 1;
        }
        at = end + "endstream".len();
    }
    (pages, drawn)
}
