//! Holiday calendars by name (SPEC 2.7): `service_hours.holidays: { calendar, extra, except }`.

use crate::common::*;
use slacredit::contract::{Calendar, Calendars};
use slacredit::report::{minutes, uptime};
use slacredit::Contract;

/// The shipped calendars, read as the loader reads them.
fn shipped() -> Calendars {
    let mut calendars = Calendars::new();
    for name in ["de", "kr"] {
        let path = format!(
            "{}/contracts/calendars/{name}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let calendar = Calendar::from_yaml(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        calendars.add(calendar).unwrap();
    }
    calendars
}

/// Business hours in Berlin, Monday to Friday 09:00-18:00, with `holidays`.
fn berlin(holidays: &str, calendars: &Calendars) -> Result<Contract, String> {
    Contract::from_yaml_with(
        "c.yaml",
        &format!(
            "id: c\nperiod: month\ntimezone: Europe/Berlin\ncommitment: 99.5\nservice_hours:\n  weekly:\n    - {{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }}\n  holidays: {holidays}\ncredits:\n  tiers: [{{ below: 99.5, percent: 10 }}]\n  rounding: half-up\n"
        ),
        calendars,
    )
    .map_err(|e| e.to_string())
}

/// Good Friday, Easter Monday and the Tuesday after, each down in business hours (CEST).
fn easter_2022() -> Vec<slacredit::Window> {
    vec![
        window("2022-04-15T10:00:00+02:00", "2022-04-15T12:00:00+02:00"),
        window("2022-04-18T10:00:00+02:00", "2022-04-18T11:00:00+02:00"),
        window("2022-04-19T10:00:00+02:00", "2022-04-19T10:30:00+02:00"),
    ]
}

#[test]
fn a_named_calendar_gives_the_holidays_and_a_contract_adjusts_it() {
    // April 2022 in Berlin has 21 weekdays (Fri 1, then four full weeks from Mon 4 to Fri 29).
    // Calendar de holds Good Friday (15th) and Easter Monday (18th): 19 business days × 540
    // minutes = 10,260 eligible minutes. Of the outages only the 30 minutes on Tuesday the 19th
    // fall in service hours: (10,260 − 30) ÷ 10,260 = 99.707602 %, not below 99.5: no credit.
    let calendars = shipped();
    let plain = berlin("{ calendar: de }", &calendars).unwrap();
    let got = one(plain, sub("1000.00", "EUR"), easter_2022(), "2022-04");
    assert_eq!(minutes(got.eligible_minutes), "10260");
    assert_eq!(minutes(got.downtime_minutes), "30");
    assert_eq!(uptime(got.uptime_percent), "99.707602");
    assert_eq!(got.credit.to_string(), "0.00");
    // A contract that works on Easter Monday and rests on the Tuesday instead: still 19 days,
    // but the hour on the 18th counts and the half hour on the 19th does not. 60 minutes:
    // (10,260 − 60) ÷ 10,260 = 99.415205 % < 99.5 → 10 % of 1,000.00 = 100.00.
    let moved = berlin(
        "{ calendar: de, extra: [2022-04-19], except: [2022-04-18] }",
        &calendars,
    )
    .unwrap();
    let got = one(moved, sub("1000.00", "EUR"), easter_2022(), "2022-04");
    assert_eq!(minutes(got.eligible_minutes), "10260");
    assert_eq!(minutes(got.downtime_minutes), "60");
    assert_eq!(uptime(got.uptime_percent), "99.415205");
    assert_eq!(got.credit.to_string(), "100.00");
    // The calendar's dates are the dates a contract would list: the same numbers either way.
    let listed = berlin("[2022-04-15, 2022-04-18]", &calendars).unwrap();
    let got = one(listed, sub("1000.00", "EUR"), easter_2022(), "2022-04");
    assert_eq!(uptime(got.uptime_percent), "99.707602");
}

#[test]
fn the_korean_calendar_holds_chuseok_and_its_substitute_day() {
    // Chuseok 2018: 23-25 September, the 23rd a Sunday, so the 26th is a substitute holiday.
    let calendars = shipped();
    let kr = calendars.get("kr").unwrap();
    let days: Vec<String> = kr
        .dates()
        .range(d8("2018-09-01")..=d8("2018-09-30"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        days,
        ["2018-09-23", "2018-09-24", "2018-09-25", "2018-09-26"]
    );
    assert_eq!(kr.years(), (2018, 2030));
    assert_eq!(calendars.get("de").unwrap().dates().len(), 117); // 9 a year × 13 years
}

fn d8(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_contract_naming_a_calendar_is_checked_against_it() {
    let calendars = shipped();
    let err = |holidays: &str, calendars: &Calendars| berlin(holidays, calendars).unwrap_err();
    assert_eq!(
        err("{ calendar: dk }", &calendars),
        "c.yaml:8: service_hours.holidays.calendar: unknown calendar \"dk\"; known: de, kr"
    );
    assert_eq!(
        err("{ calendar: de }", &Calendars::new()),
        "c.yaml:8: service_hours.holidays.calendar: unknown calendar \"de\": no calendars were found (they are read from the `calendars` folder beside the contracts, as calendars/de.yaml)"
    );
    // Adding a date the calendar has, or removing one it has not, is most likely a typo.
    assert_eq!(
        err(
            "{ calendar: de, extra: [2022-04-15, 2022-13-01], except: [2022-04-20] }",
            &calendars
        ),
        "c.yaml:8: service_hours.holidays.extra[0]: 2022-04-15 is already a holiday of calendar \"de\"\n\
         c.yaml:8: service_hours.holidays.extra[1]: expected a date YYYY-MM-DD between 1900 and 2199, found \"2022-13-01\"\n\
         c.yaml:8: service_hours.holidays.except[0]: 2022-04-20 is not a holiday of calendar \"de\""
    );
    assert_eq!(
        err("{ calendar: de, exclude: [2022-04-15] }", &calendars),
        "c.yaml:8:29: service_hours.holidays: unknown field `exclude`, expected one of `calendar`, `extra`, `except`"
    );
}

#[test]
fn a_calendar_file_is_checked_like_a_contract() {
    let err = |file: &str, text: &str| Calendar::from_yaml(file, text).unwrap_err().to_string();
    assert_eq!(
        err(
            "calendars/xx.yaml",
            "name: de\nsource: \"\"\nyears: [2021, 2020]\ndates: [2020-01-01, 2020-01-01, x]\n"
        ),
        "calendars/xx.yaml:1: name: expected the file's name \"xx\" (a contract names a calendar by its file), found \"de\"\n\
         calendars/xx.yaml:2: source: expected where the dates come from\n\
         calendars/xx.yaml:3: years: expected the first year no later than the last, found [2021, 2020]\n\
         calendars/xx.yaml:4: dates[1]: 2020-01-01 is listed twice\n\
         calendars/xx.yaml:4: dates[2]: expected a date YYYY-MM-DD between 1900 and 2199, found \"x\""
    );
    assert_eq!(
        err(
            "kr.yaml",
            "name: kr\nsource: s\nyears: [2019]\ndates:\n  - 2019-01-01\n"
        ),
        "kr.yaml:3: years: expected [first, last] (two years), found 1 values"
    );
    assert_eq!(
        err(
            "kr.yaml",
            "name: kr\nsource: s\nyears: [2019, 2019]\ndates:\n  - 2019-01-01\n  - 2020-01-01\n"
        ),
        "kr.yaml:6: dates[1]: 2020-01-01 lies outside the calendar's years 2019 to 2019"
    );
    assert_eq!(
        err(
            "kr.yaml",
            "name: kr\nsource: s\nyears: [2019, 2019]\ndates: []\nyear: 1\n"
        ),
        "kr.yaml:5:1: unknown field `year`, expected one of `name`, `source`, `years`, `dates`"
    );
}

const BERLIN: &str = "id: c\nperiod: month\ntimezone: Europe/Berlin\ncommitment: 99.5\nservice_hours:\n  weekly:\n    - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }\n  holidays: { calendar: de }\ncredits:\n  tiers: [{ below: 99.5, percent: 10 }]\n  annual_cap: { percent: 10, window: rolling-12 }\n";

#[test]
fn a_period_outside_the_calendar_years_is_an_error_naming_the_calendar() {
    let de = std::fs::read(format!(
        "{}/contracts/calendars/de.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let files = |outages: &'static str| -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("contracts/c.yaml", BERLIN.as_bytes().to_vec()),
            ("contracts/calendars/de.yaml", de.clone()),
            (
                "subs.csv",
                b"id,customer,contract,fee,currency\ns1,ACME,c,1000.00,EUR\n".to_vec(),
            ),
            ("out.csv", outages.as_bytes().to_vec()),
        ]
    };
    let run = |outages: &'static str, args: &[&str]| {
        let owned = files(outages);
        let borrowed: Vec<(&str, &[u8])> = owned.iter().map(|(n, b)| (*n, &b[..])).collect();
        let mut all = vec![
            "claim",
            "--subscriptions",
            "subs.csv",
            "--outages",
            "out.csv",
        ];
        all.extend_from_slice(args);
        run_in(&borrowed, &all)
    };
    let late = "start,end\n2031-01-07T10:00:00+01:00,2031-01-07T10:30:00+01:00\n";
    let out = run(late, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: contracts/c.yaml:8: service_hours.holidays.calendar: period 2031-01 lies outside the years of calendar \"de\" (2018 to 2030, contracts/calendars/de.yaml)\n1 problem found; nothing was written\n"
    );
    // A rolling cap looks back on the periods before the one asked for: a 2017 outage would be
    // measured without holidays.
    let early = "start,end\n2017-12-05T10:00:00+01:00,2017-12-05T10:30:00+01:00\n2018-03-06T10:00:00+01:00,2018-03-06T10:30:00+01:00\n";
    let out = run(early, &["--period", "2018-03"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("error: contracts/c.yaml:8: service_hours.holidays.calendar: period 2017-12 lies outside the years of calendar \"de\" (2018 to 2030, "), "{}", out.stderr);
    // Within the years, the run goes through and the calendar is among the fingerprinted inputs.
    let ok = "start,end\n2018-03-06T10:00:00+01:00,2018-03-06T10:30:00+01:00\n";
    let out = run(ok, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("\"path\": \"contracts/calendars/de.yaml\""),
        "{}",
        out.stdout
    );
}
