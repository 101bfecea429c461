//! Imports (SPEC 2.5): each tool's documented shape, with the extra fields its API carries, open
//! items, duplicates, gaps, unmapped names and wrong types; through the binary and the library;
//! and `slacredit import` output read back by `claim` giving the numbers `--outages FORMAT:FILE`
//! gives.

use crate::common::{run_at, run_in, Outcome};
use slacredit::import::{import, Format, Map, Options};

const DIR: &str = "tests/fixtures/imports";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

/// Runs the binary in the repository's root.
fn run(args: &[&str]) -> Outcome {
    run_at(std::path::Path::new("."), args)
}

/// `slacredit import FORMAT fixture --map map.yaml` plus `extra`.
fn import_cli(format: &str, file: &str, extra: &[&str]) -> Outcome {
    let path = format!("{DIR}/{file}");
    let map = format!("{DIR}/map.yaml");
    let mut args = vec!["import", format, &path, "--map", &map];
    args.extend_from_slice(extra);
    run(&args)
}

const HEADER: &str = "start,end,impact,cause,reference,source,announced_at";
const UNTIL: [&str; 2] = ["--open-until", "2018-11-20T02:00:00Z"];

/// Each format's windows, worked out by hand from the fixture (the comments say how).
fn expected(format: &str) -> String {
    let rows: &[&str] = match format {
        // api-outage: started 10:00, resolved 10:30; API's worst status major_outage -> 1.
        // Dashboard only degraded_performance -> impact 0, not written. The second page's older
        // copy (updated 10:20 < 12:00) is the same incident and loses. site-slow is open (closed
        // at --open-until), no component status: the incident's `minor` -> 0.5. The maintenance:
        // started_at null -> scheduled_for 01:00, resolved_at 02:30, announced at created_at.
        "statuspage" => &[
            "region,service",
            "2018-11-05T10:00:00Z,2018-11-05T10:30:00Z,1,,api-outage,statuspage,,eu-west,web",
            "2018-11-10T01:00:00Z,2018-11-10T02:30:00Z,1,maintenance,mnt-1,statuspage,2018-11-01T09:00:00Z,eu-west,web",
            "2018-11-20T00:00:00Z,2018-11-20T02:00:00Z,0.5,,site-slow,statuspage,,us-east,web",
        ],
        // aa01 seen three times (firing, resolved 10:25, resolved 10:31): the greatest endsAt of
        // the resolved copies, 10:31. bb02 fires in every copy: open. cc03 is not ProbeFailure's
        // job (match: job blackbox).
        "alertmanager" => &[
            "region,service",
            "2018-11-05T10:01:00Z,2018-11-05T10:31:00Z,1,,aa01,alertmanager,,eu-west,web",
            "2018-11-20T00:00:00Z,2018-11-20T02:00:00Z,1,,bb02,alertmanager,,us-east,web",
        ],
        // Step 60 s (most common interval). Fails at 10:02, 10:03, 10:04, passes 10:05: 10:02 to
        // 10:05. Fails at 10:10, 10:11, then the next sample is at 10:20 (a gap of 9 steps): the
        // last failing sample plus a step, 10:12. The last sample, 10:21, is 0.5 (below 1): to
        // the series' end plus a step, 10:22. us-east never fails; the `node` series does not
        // match.
        "prometheus" => &[
            "region,service",
            "2018-11-05T10:02:00Z,2018-11-05T10:05:00Z,1,,\"probe_success{instance=\"\"https://eu.example.com\"\",job=\"\"blackbox\"\",region=\"\"eu-west\"\"}\",prometheus,,eu-west,web",
            "2018-11-05T10:10:00Z,2018-11-05T10:12:00Z,1,,\"probe_success{instance=\"\"https://eu.example.com\"\",job=\"\"blackbox\"\",region=\"\"eu-west\"\"}\",prometheus,,eu-west,web",
            "2018-11-05T10:21:00Z,2018-11-05T10:22:00Z,1,,\"probe_success{instance=\"\"https://eu.example.com\"\",job=\"\"blackbox\"\",region=\"\"eu-west\"\"}\",prometheus,,eu-west,web",
        ],
        // Event 1: an issue, 10:00 to 10:45. Event 2: scheduledChange in epoch seconds
        // (1541815200 = 2018-11-10T02:00:00Z, 1541822400.0 = 04:00): maintenance, no
        // announced_at. Event 3: accountNotification, skipped. Event 4: upcoming, skipped.
        // Event 5: open. `names` maps the service EC2 to product ec2; copy region.
        "aws-health" => &[
            "product,region,service",
            "2018-11-05T10:00:00Z,2018-11-05T10:45:00Z,1,,arn:aws:health:eu-west::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/1,aws-health,,ec2,eu-west,web",
            "2018-11-10T02:00:00Z,2018-11-10T04:00:00Z,1,maintenance,arn:aws:health:us-east::event/EC2/AWS_EC2_MAINTENANCE_SCHEDULED/2,aws-health,,ec2,us-east,web",
            "2018-11-20T00:00:00Z,2018-11-20T02:00:00Z,1,,arn:aws:health:us-east::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/5,aws-health,,ec2,us-east,web",
        ],
        // zall: SERVICE_DISRUPTION -> 0.5, one window per location (region = the location's
        // id). info: SERVICE_INFORMATION -> 0, not written. open: no end.
        "gcp-status" => &[
            "product,region,service",
            "2018-11-05T10:00:00Z,2018-11-05T11:00:00Z,0.5,,zall,gcp-status,,gce,europe-west1,web",
            "2018-11-05T10:00:00Z,2018-11-05T11:00:00Z,0.5,,zall,gcp-status,,gce,us-central1,web",
            "2018-11-20T00:00:00Z,2018-11-20T02:00:00Z,1,,open,gcp-status,,gce,us-central1,web",
        ],
        // Logs of type 1 only: 1541412000 = 2018-11-05T10:00:00Z for 1800 s; 1542672000 =
        // 2018-11-20T00:00:00Z for 90 s. The second monitor is mapped by its id.
        "uptimerobot" => &[
            "region,service",
            "2018-11-05T10:00:00Z,2018-11-05T10:30:00Z,1,,900,uptimerobot,,eu-west,web",
            "2018-11-20T00:00:00Z,2018-11-20T00:01:30Z,1,,950,uptimerobot,,us-east,web",
        ],
        // States `down` only: 10:00-10:10 and 10:15-10:20 (`unknown` between is skipped).
        "pingdom" => &[
            "region,service",
            "2018-11-05T10:00:00Z,2018-11-05T10:10:00Z,1,,,pingdom,,eu-west,web",
            "2018-11-05T10:15:00Z,2018-11-05T10:20:00Z,1,,,pingdom,,eu-west,web",
        ],
        _ => unreachable!(),
    };
    let mut out = format!("{HEADER},{}\n", rows[0]);
    for r in &rows[1..] {
        out.push_str(r);
        out.push('\n');
    }
    out
}

fn extra(format: &str) -> Vec<&'static str> {
    let mut e = UNTIL.to_vec();
    if format == "pingdom" {
        e.extend(["--label", "region=eu-west"]);
    }
    e
}

#[test]
fn each_format_imports_as_worked_out_by_hand() {
    for f in Format::ALL {
        let name = f.name();
        let o = import_cli(name, &format!("{name}.json"), &extra(name));
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert_eq!(o.stdout, expected(name), "{name}");
    }
}

#[test]
fn open_items_are_errors_without_open_until() {
    let cases = [
        ("statuspage", "[0].incidents[1]: incident \"site-slow\" is still open"),
        ("alertmanager", "[0].alerts[1]: alert \"bb02\" is still open"),
        ("aws-health", "events[4]: event \"arn:aws:health:us-east::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/5\" is still open"),
        ("gcp-status", "[2]: incident \"open\" is still open"),
    ];
    for (name, what) in cases {
        let o = import_cli(name, &format!("{name}.json"), &[]);
        assert_eq!(o.code, 1, "{name}");
        assert_eq!(
            o.stderr,
            format!("error: {DIR}/{name}.json: {what} (it has no end); close open items with --open-until TIME\n1 problem found; nothing was written\n"),
            "{name}"
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn every_problem_of_a_file_is_located_and_listed_at_once() {
    let cases: [(&str, &[&str]); 7] = [
        ("statuspage", &[
            "incidents[0].components: incident \"wrong-type\": invalid type: string \"API\", expected a sequence",
            "incidents[1].started_at: incident \"bad-time\": expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found \"yesterday\"",
            "incidents[3].incident_updates[0].affected_components[0].new_status: incident \"unknown-status\": unknown component status \"major_outgae\"; expected one of major_outage, partial_outage, degraded_performance, operational, under_maintenance",
            "components not in the map's `names`: \"Billing\" (first in incident \"backwards\" (incidents[2])); map each to its scope labels, or set `unmapped: skip`",
        ]),
        ("alertmanager", &[
            "[1].startsAt: alert \"ee05\": expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found \"5 minutes ago\"",
            "[2].labels: alert \"ff06\": invalid type: sequence, expected a map",
            "[0].region: alert \"dd04\": the map copies `region` into label `region`, but the item has no `region`",
        ]),
        ("prometheus", &[
            "data.result[0].region: series \"probe_success{job=\\\"blackbox\\\"}\": the map copies `region` into label `region`, but the item has no `region`",
            "data.result[1].values[0][1]: series \"probe_success{job=\\\"blackbox\\\",region=\\\"eu-west\\\"}\": expected a sample value such as \"1\" or \"0\", found \"zero\"",
            "data.result[2].values: series \"probe_success{job=\\\"blackbox\\\",region=\\\"eu-west\\\"}\": a failing sample in a series of one sample: its step is unknown",
        ]),
        ("aws-health", &[
            "events[0].startTime: event \"arn:1\": time \"2018-11-05T10:00:00\" has no UTC offset; add one (Z, +09:00) or pass --input-timezone",
            "events[1].endTime: event \"arn:2\": expected a time; the field is missing",
            "events[2].startTime: event \"arn:3\": expected a time (RFC 3339 text or epoch seconds), found a boolean",
        ]),
        ("gcp-status", &[
            "[1].status_impact: incident \"typo\": unknown impact \"SERVICE_OUTAGEE\"; expected SERVICE_OUTAGE, SERVICE_DISRUPTION or SERVICE_INFORMATION",
            "products not in the map's `names`: \"Cloud SQL\" (first in incident \"unmapped\" ([0])), \"Cloud Spanner\" (first in incident \"unmapped\" ([0])); map each to its scope labels, or set `unmapped: skip`",
        ]),
        ("uptimerobot", &[
            "monitors[1].logs[0].datetime: log \"2\": expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found \"soon\"",
            "monitors[1].logs[1].duration: log \"3\": expected whole seconds, found \"-5\"",
            "monitors not in the map's `names`: \"nobody mapped me\" (first in monitor \"1\" (monitors[0])); map each to its scope labels, or set `unmapped: skip`",
        ]),
        ("pingdom", &[
            "summary.states[0].timeto: state: expected end (2018-11-05T10:00:00Z) after start (2018-11-05T10:10:00Z)",
            "summary.states[1].status: state: expected up, down or unknown, found \"sideways\"",
            "summary.states[2].timefrom: state: expected an RFC 3339 time such as 2018-11-22T08:19:00+09:00, found \"1541412000x\"",
        ]),
    ];
    for (name, problems) in cases {
        let o = import_cli(
            name,
            &format!("{name}-bad.json"),
            &["--label", "region=eu-west"][..if name == "pingdom" { 2 } else { 0 }],
        );
        let mut want: String = problems
            .iter()
            .map(|p| format!("error: {DIR}/{name}-bad.json: {p}\n"))
            .collect();
        want.push_str(&format!(
            "{} problems found; nothing was written\n",
            problems.len()
        ));
        assert_eq!((o.code, o.stderr.as_str()), (1, want.as_str()), "{name}");
    }
}

#[test]
fn unmapped_names_can_be_left_out_and_counted() {
    let map = "labels: { service: web }\nnames: { API: { region: eu-west } }\nunmapped: skip\n";
    let page = fixture("statuspage.json");
    let o = run_in(
        &[("map.yaml", map.as_bytes()), ("page.json", page.as_bytes())],
        &[
            "import",
            "statuspage",
            "page.json",
            "--map",
            "map.yaml",
            "--open-until",
            "2018-11-20T02:00:00Z",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Website's window (site-slow) is left out; API's two are written.
    assert_eq!(o.stdout.lines().count(), 3, "{}", o.stdout);
    assert_eq!(
        o.stderr,
        "note: page.json: left out 1 window of names the map lacks (unmapped: skip): \"Website\"\n"
    );
}

#[test]
fn the_library_imports_the_same_windows() {
    let map = Map::from_yaml("map.yaml", &fixture("map.yaml")).unwrap();
    let until = slacredit::Instant::parse("2018-11-20T02:00:00Z", None).unwrap();
    for f in Format::ALL {
        let mut options = Options {
            map: map.clone(),
            open_until: Some(until),
            ..Options::default()
        };
        if f == Format::Pingdom {
            options.labels.push(("region".into(), "eu-west".into()));
        }
        let name = format!("{}.json", f.name());
        let imported =
            import(f, &name, &fixture(&name), &options).unwrap_or_else(|e| panic!("{e}"));
        let text =
            slacredit::import::render(&imported.windows, slacredit::import::OutputFormat::Csv);
        assert_eq!(text, expected(f.name()), "{f}");
        // Errors are typed and every one is listed.
        let bad = format!("{}-bad.json", f.name());
        match import(f, &bad, &fixture(&bad), &options) {
            Err(slacredit::Error::Invalid(p)) => assert!(p.0.len() >= 2, "{f}: {p}"),
            other => panic!("{f}: expected problems, got {other:?}"),
        }
    }
}

#[test]
fn a_json_null_is_an_absent_field() {
    // `started_at: null` falls back to created_at; `incident_updates: null` is no updates.
    let page = r#"{"incidents":[{"id":"n","impact":"critical","created_at":"2018-11-05T10:00:00Z","started_at":null,
        "resolved_at":"2018-11-05T10:06:00Z","components":[{"id":"c1","name":"API"}],"incident_updates":null}]}"#;
    let map = Map::from_yaml("map.yaml", "names: { API: { region: eu-west } }\n").unwrap();
    let options = Options {
        map,
        ..Options::default()
    };
    let imported = import(Format::Statuspage, "page.json", page, &options).unwrap();
    assert_eq!(imported.windows.len(), 1);
    assert_eq!(
        imported.windows[0].start().to_string(),
        "2018-11-05T10:00:00Z"
    );
}

#[test]
fn map_files_are_checked_like_every_input() {
    let o = run_in(
        &[
            ("map.yaml", b"labels: { service: web }\nimpact: { partial_outage: 1.5, partial_outgae: 0.3 }\nunmaped: skip\n"),
            ("p.json", b"{\"incidents\": []}"),
        ],
        &["import", "statuspage", "p.json", "--map", "map.yaml"],
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .starts_with("error: map.yaml:3:1: unknown field `unmaped`, expected one of"),
        "{}",
        o.stderr
    );
    let o = run_in(
        &[
            (
                "map.yaml",
                b"labels: { service: web }\nimpact: { partial_outage: 1.5, partial_outgae: 0.3 }\n",
            ),
            ("p.json", b"{\"incidents\": []}"),
        ],
        &["import", "statuspage", "p.json", "--map", "map.yaml"],
    );
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr.lines().next().unwrap(),
        "error: map.yaml:2: impact: `partial_outage`: expected an impact from 0 to 1, found 1.5"
    );
}

/// Writes `files` into a new folder, runs `first` there (which must succeed), then `then`.
fn run_in_then(files: &[(&str, &[u8])], first: &[&str], then: &[&str]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("contracts")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let o = run_at(dir.path(), first);
    assert_eq!(o.code, 0, "{first:?}: {}", o.stderr);
    run_at(dir.path(), then)
}

/// A contract and subscriptions every fixture's windows can reach.
const CONTRACT: &str = "id: c\napplies_to: { service: web }\nperiod: month\ntimezone: UTC\ncommitment: 99.9\ncredits:\n  tiers:\n    - { below: 99.9, percent: 10 }\n    - { below: 99.0, percent: 25 }\n";
const SUBS: &str = "id,customer,contract,currency,fee,region,product\n\
a,A,c,USD,1000.00,eu-west,\n\
b,B,c,USD,2000.00,us-east,\n\
g1,G,c,USD,3000.00,europe-west1,gce\n\
g2,G,c,USD,4000.00,us-central1,gce\n\
e1,E,c,USD,5000.00,eu-west,ec2\n\
e2,E,c,USD,6000.00,us-east,ec2\n";

#[test]
fn imported_output_read_back_gives_the_same_claims_as_importing_directly() {
    for f in Format::ALL {
        let name = f.name();
        let input = fixture(&format!("{name}.json"));
        let map = fixture("map.yaml");
        let files: Vec<(&str, &[u8])> = vec![
            ("contracts/c.yaml", CONTRACT.as_bytes()),
            ("subs.csv", SUBS.as_bytes()),
            ("map.yaml", map.as_bytes()),
            ("in.json", input.as_bytes()),
        ];
        // `slacredit import`'s own output, written where `claim` then reads it back.
        let mut convert = vec![
            "import", name, "in.json", "--map", "map.yaml", "--output", "out.csv",
        ];
        convert.extend(extra(name));
        let mut direct = vec![
            "claim",
            "--subscriptions",
            "subs.csv",
            "--map",
            "map.yaml",
            "--period",
            "2018-11",
            "--format",
            "csv",
        ];
        let spec = format!("{name}:in.json");
        direct.extend(["--outages", &spec]);
        direct.extend(extra(name));
        let a = run_in(&files, &direct);
        assert_eq!(a.code, 0, "{name}: {}", a.stderr);
        let b = run_in_then(
            &files,
            &convert,
            &[
                "claim",
                "--subscriptions",
                "subs.csv",
                "--outages",
                "out.csv",
                "--period",
                "2018-11",
                "--format",
                "csv",
            ],
        );
        assert_eq!(b.code, 0, "{name}: {}", b.stderr);
        assert_eq!(a.stdout, b.stdout, "{name}");
        assert!(a.stdout.lines().count() == 7, "{name}: {}", a.stdout);
    }
}

#[test]
fn statuspage_downtime_of_subscription_a_is_worked_out_by_hand() {
    // a (eu-west): api-outage 10:00-10:30 = 30 min; the maintenance is downtime here (the
    // contract excludes no cause). 30 + 90 = 120 minutes of 43,200: uptime 99.722222 %,
    // below 99.9: 10 % of 1000.00 = 100.00.
    let files: Vec<(&str, &[u8])> = vec![
        ("contracts/c.yaml", CONTRACT.as_bytes()),
        ("subs.csv", SUBS.as_bytes()),
        ("map.yaml", b"labels: { service: web }\nnames: { API: { region: eu-west }, Website: { region: us-east }, Dashboard: { region: eu-west } }\n"),
        ("p.json", b""),
    ];
    let page = fixture("statuspage.json");
    let mut files = files;
    files[3] = ("p.json", page.as_bytes());
    let o = run_in(
        &files,
        &[
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "statuspage:p.json",
            "--map",
            "map.yaml",
            "--open-until",
            "2018-11-20T02:00:00Z",
            "--subscription",
            "a",
            "--format",
            "csv",
            "--columns",
            "subscription,downtime_minutes,uptime_percent,credit",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "subscription,downtime_minutes,uptime_percent,credit\na,120,99.722222,100.00\n"
    );
}

#[test]
fn the_seoul_case_from_the_status_page_and_the_probes_gives_ten_percent() {
    let case = "docs/cases/aws-seoul-2018";
    let direct = run(&[
        "claim",
        "--subscriptions",
        &format!("{case}/subscriptions.yaml"),
        "--outages",
        &format!("statuspage:{case}/sources/provider-statuspage.json"),
        "--outages",
        &format!("prometheus:{case}/sources/probes-prometheus.json"),
        "--map",
        &format!("{case}/sources/map.yaml"),
        "--period",
        "2018-11",
        "--format",
        "csv",
    ]);
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    let folder = run(&["claim", case, "--period", "2018-11", "--format", "csv"]);
    // The provider's 08:19-09:43 and the probes' 08:21-10:01 KST: 102 minutes, as the case's
    // own outages.csv; shop-ec2-seoul 10 % of 120,000.00.
    assert_eq!(direct.stdout, folder.stdout);
    assert!(
        direct
            .stdout
            .contains("shop-ec2-seoul,Example Shop Co.,aws-ec2-region-2018,2018-11,"),
        "{}",
        direct.stdout
    );
    let shop = direct
        .stdout
        .lines()
        .find(|l| l.starts_with("shop-ec2-seoul,"))
        .unwrap();
    assert!(
        shop.contains(",102,0,99.763889,99.99,true,10,120000.00,12000.00,USD,"),
        "{shop}"
    );
}
