//! The census return made from a synthetic authority: valid against the
//! project's XML Schema (checked with `xmllint`), read back without a
//! problem, free of errors by its own checks, and giving back the engine's
//! figures, each year on its own and all years joined.

use sightline_core::{indicators, Calendar, Indicators, Period};
use sightline_csww::{census_return, read, to_xml, Producer};
use sightline_ingest::census::history;
use sightline_synth::{synthesize, Basis, Request};
use std::process::Command;

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2024;

/// The same figures, but for days lost (and the absence rate from them):
/// the format holds each worker's days to 2 decimal places, so the total can
/// differ from the engine's by up to half a hundredth of a day a worker.
fn assert_same(got: &Indicators, expected: &Indicators, workers: usize, what: &str) {
    let (g, e) = (carried(got), carried(expected));
    for ((name, a), (_, b)) in g.iter().zip(&e) {
        match *name {
            "working_days_lost_fte" => {
                let (a, b) = (got.working_days_lost_fte, expected.working_days_lost_fte);
                assert!((a - b).abs() <= 0.005 * workers as f64 + 1e-9, "{what} {name}: {a} {b}");
            }
            "absence_rate_fte" => assert!((a.unwrap() - b.unwrap()).abs() <= 0.1 + 1e-9, "{what} {name}: {a:?} {b:?}"),
            _ => assert_eq!(a, b, "{what} {name}"),
        }
    }
}

/// The figures a return carries; agency cover is set apart (see docs/data-formats.md).
fn carried(i: &Indicators) -> Vec<(&'static str, Option<f64>)> {
    let i = i.rounded();
    [
        "inpost_fte",
        "inpost_headcount",
        "starters_fte",
        "starters_headcount",
        "leavers_fte",
        "leavers_headcount",
        "turnover_rate_fte",
        "agency_fte",
        "agency_headcount",
        "agency_rate_fte",
        "vacancy_fte",
        "vacancy_rate_fte",
        "cases",
        "case_holders_fte",
        "caseload_fte",
        "working_days_lost_fte",
        "absence_rate_fte",
    ]
    .into_iter()
    .map(|f| (f, i.field(f)))
    .collect()
}

fn schema_check(xml: &str, dir: &std::path::Path, year: i32) {
    let file = dir.join(format!("csww-{year}.xml"));
    std::fs::write(&file, xml).unwrap();
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../csww/schema/csww.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", schema, file.to_str().unwrap()])
        .output()
        .expect("xmllint (Debian's libxml2-utils) checks the returns against the schema");
    assert!(out.status.success(), "{year}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn returns_are_schema_valid_and_give_back_the_engines_figures() {
    let calendar = Calendar::england_and_wales();
    let request = Request::new(Basis::Size { people: 150 }, YEARS, 3);
    let wf = synthesize(&request, &calendar).unwrap().workforce;
    let producer =
        Producer { lea: "839".into(), software: "Sightline test".into(), produced_at: "2024-10-15T09:00:00".into() };
    let dir = tempfile::tempdir().unwrap();
    let mut returns = Vec::new();
    for year in YEARS {
        let made = census_return(&wf, &calendar, year, &producer);
        let xml = to_xml(&made);
        schema_check(&xml, dir.path(), year);
        let parsed = read(&xml).unwrap();
        assert!(parsed.problems.is_empty(), "{year}: {:?}", parsed.problems);
        let errors: Vec<String> = sightline_csww::check(&parsed.census, &parsed.problems)
            .into_iter()
            .filter(|f| f.severity == sightline_csww::Severity::Error)
            .map(|f| f.to_string())
            .collect();
        assert!(errors.is_empty(), "{year}: the return fails its own checks:\n{}", errors.join("\n"));
        let mut back = parsed.census.clone();
        back.workers.iter_mut().for_each(|w| w.line = 0);
        assert!(back == made, "{year}: the XML reads back as written");
        let (alone, _) = history(std::slice::from_ref(&parsed.census));
        let expected = indicators(&wf, &calendar, Period::census_year(year));
        let got = indicators(&alone.workforce, &calendar, Period::census_year(year));
        assert_same(&got, &expected, made.workers.len(), &format!("{year} alone"));
        // Imported and made again, the return has the same worker records.
        let again = census_return(&alone.workforce, &calendar, year, &producer);
        let sorted = |r: &sightline_csww::CensusReturn| {
            let mut w: Vec<String> =
                r.workers.iter().map(|w| format!("{:?}", sightline_csww::Worker { line: 0, ..w.clone() })).collect();
            w.sort();
            w
        };
        assert_eq!(sorted(&again), sorted(&made), "{year}: the same worker records after a round trip");
        assert_eq!(again.vacancies.number_of_vacancies, made.vacancies.number_of_vacancies);
        returns.push(parsed.census);
    }
    let (joined, notes) = history(&returns);
    for (year, r) in YEARS.zip(&returns) {
        let expected = indicators(&wf, &calendar, Period::census_year(year));
        let got = indicators(&joined.workforce, &calendar, Period::census_year(year));
        assert_same(&got, &expected, r.workers.len(), &format!("{year} joined ({} notes: {notes:?})", notes.len()));
    }
}
