//! Reading the canonical CSV directory: what a user gets from good files,
//! from awkward but valid files, and from bad rows.

use sightline_core::{indicators, Calendar, Period};
use sightline_ingest::{read_dir, write_dir, ReadError, RowProblem, Strictness};
use std::fs;
use std::path::Path;

const HEADER: &str = "person_id,swe_no,kind,team,org_role,start_date,end_date,fte,reason_leave";

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn problems(dir: &Path) -> Vec<RowProblem> {
    match read_dir(dir, Strictness::Strict) {
        Err(ReadError::InvalidRows(p)) => p,
        other => panic!("expected invalid rows, got {other:?}"),
    }
}

#[test]
fn each_bad_row_is_named_with_file_line_column_value_and_rule() {
    let spells = format!(
        "{HEADER}\n\
         a,SW1,permanent,MASH,5,2023-01-01,,1,\n\
         b,,permanent,MASH,5,2023-02-30,,1,\n\
         c,,permanent,MASH,5,2023-05-01,2023-04-01,1,\n\
         d,,permanent,MASH,5,2023-01-01,,1.5,\n\
         e,,contractor,MASH,5,2023-01-01,,1,\n\
         f,,permanent,MASH,7,2023-01-01,,1,\n\
         a,SW1,permanent,MASH,5,2023-01-01,,1,\n\
         g,,permanent,MASH,5,2023-01-01,2023-12-31,1,\n\
         g,,permanent,MASH,5,2023-06-01,,1,\n\
         h,XX,permanent,MASH,5,2023-01-01,,1,\n\
         i,,permanent,MASH,5,2023-01-01,2023-03-01,1,11\n"
    );
    let dir = dir_with(&[
        ("spells.csv", &spells),
        ("absences.csv", "person_id,start_date,end_date,reason\na,2023-03-01,2023-03-02,FLU\n"),
        ("caseloads.csv", "person_id,date,cases\na,2023-03-01,-2\n"),
    ]);
    let found = problems(dir.path());
    let shown: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    let expect = [
        ("spells.csv", 3, "start_date", "2023-02-30", "not a date"),
        ("spells.csv", 4, "end_date", "2023-04-01", "before the start date"),
        ("spells.csv", 5, "fte", "1.5", "greater than 0 and at most 1"),
        ("spells.csv", 6, "kind", "contractor", "unknown kind"),
        ("spells.csv", 7, "org_role", "7", "OrgRole"),
        ("spells.csv", 8, "start_date", "2023-01-01", "duplicate of the row on line 2"),
        ("spells.csv", 10, "start_date", "2023-06-01", "overlaps the identical spell"),
        ("spells.csv", 11, "swe_no", "XX", "two letters followed by digits"),
        ("spells.csv", 12, "reason_leave", "11", "ReasonLeave"),
        ("absences.csv", 2, "reason", "FLU", "ReasonAbsence"),
        ("caseloads.csv", 2, "cases", "-2", "whole number"),
    ];
    assert_eq!(found.len(), expect.len(), "{shown:#?}");
    for (file, line, column, value, rule) in expect {
        assert!(
            found.iter().any(|p| p.file == file
                && p.line == line
                && p.column == column
                && p.value == value
                && p.rule.contains(rule)),
            "no problem {file}:{line} {column}={value} ({rule}) in {shown:#?}"
        );
    }
    assert_eq!(
        found[0].to_string(),
        "absences.csv line 2, column `reason`, value `FLU`: unknown CSWW ReasonAbsence code: use SIC, MAT, OTH, PUB, TRN, UNA or UNP"
    );
}

#[test]
fn a_charge_rate_belongs_on_an_agency_spell_and_is_not_negative() {
    let spells = "person_id,kind,team,org_role,start_date,fte,charge_rate\n\
                  a,agency,MASH,5,2023-01-01,1,52.5\n\
                  b,permanent,MASH,5,2023-01-01,1,40\n\
                  c,agency,MASH,5,2023-01-01,1,-3\n";
    let dir = dir_with(&[("spells.csv", spells)]);
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].line == 3 && found[0].column == "charge_rate" && found[0].rule.contains("only an agency spell"));
    assert!(found[1].line == 4 && found[1].rule.contains("cannot be negative"));
}

#[test]
fn whole_numbers_written_with_a_decimal_point_are_read() {
    // As pandas writes an integer column that has empty cells.
    let spells =
        format!("{HEADER}\na,,permanent,MASH,5.0,2023-01-01,2023-06-30,1.0,1.0\nb,,agency,MASH,5,2023-01-01,,1,\n");
    let dir = dir_with(&[("spells.csv", &spells), ("caseloads.csv", "person_id,date,cases\nb,2023-09-29,12.0\n")]);
    let wf = read_dir(dir.path(), Strictness::Strict).unwrap().workforce;
    assert_eq!(wf.spells()[0].reason_leave.map(|r| r.code()), Some(1));
    assert_eq!(wf.caseloads()[0].cases, 12);
    let bad = dir_with(&[("spells.csv", &format!("{HEADER}\na,,permanent,MASH,5.5,2023-01-01,,1,\n"))]);
    assert_eq!(problems(bad.path())[0].column, "org_role");
}

#[test]
fn concurrent_part_time_posts_are_not_overlaps() {
    let spells = format!(
        "{HEADER}\na,,permanent,MASH,5,2023-01-01,,0.5,\na,,permanent,MASH,5,2023-03-01,,0.3,\n\
         a,,fixed_term,MASH,5,2023-01-01,,0.2,\n"
    );
    let dir = dir_with(&[("spells.csv", &spells)]);
    let wf = read_dir(dir.path(), Strictness::Strict).unwrap().workforce;
    let i = indicators(&wf, &Calendar::england_and_wales(), Period::census_year(2023));
    assert!((i.inpost_fte - 1.0).abs() < 1e-12 && i.inpost_headcount == 1);
}

#[test]
fn lenient_reading_skips_bad_rows_and_keeps_the_rest() {
    let spells = format!("{HEADER}\na,,permanent,MASH,5,2023-01-01,,1,\nb,,permanent,MASH,5,2023-13-01,,1,\n");
    let dir = dir_with(&[("spells.csv", &spells)]);
    let loaded = read_dir(dir.path(), Strictness::Lenient).unwrap();
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].line, 3);
    assert_eq!(loaded.workforce.spells().len(), 1);
    let strict = read_dir(dir.path(), Strictness::Strict).unwrap_err().to_string();
    assert!(strict.contains("nothing was computed") && strict.contains("--lenient"), "{strict}");
}

#[test]
fn a_missing_required_column_or_file_is_a_clear_error() {
    let dir = dir_with(&[("spells.csv", "person_id,kind,team,start_date,fte\na,permanent,MASH,2023-01-01,1\n")]);
    let e = read_dir(dir.path(), Strictness::Lenient).unwrap_err().to_string();
    assert!(e.contains("spells.csv") && e.contains("org_role") && e.contains("required"), "{e}");
    let empty = tempfile::tempdir().unwrap();
    let e = read_dir(empty.path(), Strictness::Strict).unwrap_err().to_string();
    assert!(e.contains("spells.csv"), "{e}");
}

#[test]
fn bom_crlf_quotes_extra_columns_and_any_column_order_are_fine() {
    let spells = "\u{feff}fte,notes,team,kind,org_role,person_id,start_date,end_date\r\n\
                  0.5,\"part-time, job share\",\"Child in Need\",permanent,5,a,2023-01-01,\r\n\
                  1,,\"Child in Need\",agency,5,b,2023-01-01,\r\n";
    let dir = dir_with(&[("spells.csv", spells)]);
    let wf = read_dir(dir.path(), Strictness::Strict).unwrap().workforce;
    assert_eq!(wf.teams(), ["Child in Need"]);
    let i = indicators(&wf, &Calendar::england_and_wales(), Period::census_year(2023));
    assert_eq!((i.inpost_fte, i.agency_fte), (0.5, 1.0));
}

#[test]
fn what_is_written_reads_back_the_same() {
    let calendar = Calendar::england_and_wales();
    let request = hand_built_workforce();
    let dir = tempfile::tempdir().unwrap();
    write_dir(&request, dir.path()).unwrap();
    let back = read_dir(dir.path(), Strictness::Strict).unwrap().workforce;
    assert_eq!(back.spells().len(), request.spells().len());
    assert_eq!(back.persons(), request.persons());
    for y in 2022..=2024 {
        let p = Period::census_year(y);
        assert_eq!(indicators(&back, &calendar, p), indicators(&request, &calendar, p));
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no partial files are left behind");
}

/// A small workforce with every kind of fact, built by hand.
fn hand_built_workforce() -> sightline_core::Workforce {
    use sightline_core::*;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut b = WorkforceBuilder::new();
    let (mash, cin) = (b.team("MASH"), b.team("Child in Need, North"));
    let a = b.person("A1");
    b.person_mut(a).swe_no = Some("SW0000000001".into());
    b.person_mut(a).birth_date = Some(d("1990-05-01"));
    b.person_mut(a).gender = Some(Gender::Female);
    b.person_mut(a).ethnicity = Some("WBRI".into());
    b.person_mut(a).qualification_route = Some(QualificationRoute::Frontline);
    let c = b.person("C3");
    let spell = |person, team, kind, start: &str, end: Option<&str>, fte| Spell {
        person,
        kind,
        team,
        org_role: OrgRole::CaseHolder,
        start: d(start),
        end: end.map(d),
        fte,
        reason_leave: None,
        leaver_destination: None,
        charge_rate: None,
    };
    b.add_spell(spell(a, mash, SpellKind::Permanent, "2021-01-04", Some("2022-12-31"), 0.8108));
    b.add_spell(Spell {
        reason_leave: sightline_core::ReasonLeave::from_code(1),
        leaver_destination: sightline_core::LeaverDestination::from_code(3),
        ..spell(a, cin, SpellKind::Permanent, "2023-01-01", Some("2024-09-30"), 1.0)
    });
    b.add_spell(Spell { charge_rate: Some(48.25), ..spell(c, cin, SpellKind::Agency, "2022-03-01", None, 1.0) });
    b.add_establishment(Establishment {
        team: cin,
        fte: 3.5,
        start: d("2021-01-01"),
        end: None,
        post_id: None,
        org_role: None,
    });
    b.add_absence(Absence {
        person: a,
        start: d("2023-09-25"),
        end: d("2023-10-06"),
        reason: AbsenceReason::Sickness,
        days_lost: Some(7.5),
    });
    b.add_caseload(CaseloadSnapshot { person: a, date: d("2023-09-29"), cases: 14 });
    b.add_caseload(CaseloadSnapshot { person: a, date: d("2023-09-29"), cases: 3 });
    b.add_caseload(CaseloadSnapshot { person: c, date: d("2024-09-02"), cases: 20 });
    b.build()
}

#[test]
fn synthetic_authorities_survive_writing_and_reading() {
    use sightline_synth::{synthesize, Basis, Request};
    let calendar = Calendar::england_and_wales();
    for seed in 1..=4 {
        let request = Request::new(Basis::Size { people: 40 }, 2021..=2024, seed);
        let made = synthesize(&request, &calendar).unwrap().workforce;
        let dir = tempfile::tempdir().unwrap();
        write_dir(&made, dir.path()).unwrap();
        let back = read_dir(dir.path(), Strictness::Strict).unwrap().workforce;
        assert_eq!(back.persons(), made.persons(), "seed {seed}");
        assert_eq!(back.spells().len(), made.spells().len());
        assert_eq!(back.absences(), made.absences());
        assert_eq!(back.caseloads().len(), made.caseloads().len());
        for y in 2021..=2024 {
            let p = Period::census_year(y);
            let (a, b) = (indicators(&back, &calendar, p), indicators(&made, &calendar, p));
            // Teams are numbered in file order once read, so sums over teams
            // may add in another order: equal to 1e-9, and exactly once rounded.
            assert_eq!(a.rounded(), b.rounded(), "seed {seed}, {y}");
            for f in sightline_core::published::FIELDS {
                let (x, y) = (a.field(f), b.field(f));
                assert!(x.zip(y).map_or(x == y, |(x, y)| (x - y).abs() < 1e-9), "seed {seed}: {f} {x:?} {y:?}");
            }
        }
    }
}

#[test]
fn a_control_character_or_an_endless_field_is_a_named_problem() {
    let long = "x".repeat(50_000);
    let spells = format!(
        "person_id,kind,team,org_role,start_date,fte\nA1,permanent,MA\u{0}SH,5,2024-01-01,1\nA2,permanent,{long},5,2024-01-01,1\nA3,permanent,Court,5,2024-01-01,1\n"
    );
    let dir = dir_with(&[("spells.csv", &spells)]);
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].line, found[0].value.as_str()), (2, "MA\\u{0}SH"));
    assert!(found[0].rule.contains("control character"), "{found:?}");
    assert!(found[1].rule.contains("longer than 1,000 characters") && found[1].value.len() < 100, "{found:?}");
}
