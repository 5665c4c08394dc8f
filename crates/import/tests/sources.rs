//! Two HR systems, one workforce. A synthetic authority is written out the
//! way a council's systems would export it after a reorganisation
//! (`sightline_synth::exports::reorganised`): a legacy HR system (CSV, UK
//! dates, contracted hours, its own codes and job titles) for posts that
//! began before the cutover, a new HR system (a spreadsheet, Excel serial
//! dates, FTE, other codes, a column naming the legacy employee number, and
//! SWE numbers missing for some), a managed service provider's agency
//! assignments, a case management system's caseload report, an absence
//! export and a finance establishment list. Imported through their
//! profiles, on SQLite and on PostgreSQL, they give exactly the indicators
//! of the canonical data they were made from, for every year; then a newer
//! export, a bank staff system and an export of changes.

mod common;

use chrono::NaiveDate;
use sightline_core::Calendar;
use sightline_import::{Import, ImportOptions, ImportOutcome};
use sightline_ingest::profile::Profile;
use sightline_ingest::Strictness;
use sightline_store::Store;
use sightline_synth::{synthesize, Basis, Request};
use std::path::Path;

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2024;

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

const BANK_PROFILE: &str = r#"
source = "bank"
kind = "hr"

[columns]
person_id = "Bank Ref"
given_name = "Forename"
family_name = "Surname"
birth_date = "DOB"
team = "Team"
org_role = "Role"
start_date = "Start"
end_date = "End"
fte = "FTE"

[defaults]
contract = "fixed_term"
"#;

const CHANGES_PROFILE: &str = r#"
source = "cms-weekly"
kind = "caseload"
mode = "changes"

[columns]
person_id = "Worker"
date = "Date"
cases = "Cases"
"#;

async fn import(store: &Store, dir: &Path, name: &str, file: &str) -> ImportOutcome {
    let text = std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap();
    let profile = Profile::parse(&text).unwrap();
    let source = profile.source.clone().unwrap();
    let options =
        ImportOptions { source: &source, imported_by: "tester", strictness: Strictness::Strict, ..Default::default() };
    store.import_export(&dir.join(file), &profile, &text, &options).await.unwrap_or_else(|e| panic!("{file}: {e}"))
}

const EXPORTS: [(&str, &str); 6] = [
    ("legacy", "legacy.csv"),
    ("new", "new.xlsx"),
    ("agency", "agency.csv"),
    ("absence", "absence.csv"),
    ("caseload", "caseload.csv"),
    ("establishment", "establishment.csv"),
];

async fn story(url: &str) {
    let request = Request::new(Basis::Size { people: 90 }, YEARS, 11);
    let made = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    let dir = tempfile::tempdir().unwrap();
    sightline_synth::exports::reorganised(&made).unwrap().write(dir.path()).unwrap();
    let store = Store::open(url).await.unwrap();
    for (name, file) in EXPORTS {
        let outcome = import(&store, dir.path(), name, file).await;
        assert!(
            matches!(&outcome, ImportOutcome::Imported { rejected, .. } if rejected.is_empty()),
            "{file}: {outcome:?}"
        );
    }
    let (stored, conflicts) = store.load_with_conflicts().await.unwrap();
    assert!(conflicts.is_empty(), "{conflicts:?}");
    assert_eq!(stored.persons().len(), made.persons().len(), "every record found its person");
    assert!(store.suggestions().await.unwrap().is_empty());
    common::assert_same_figures(&stored, &made, YEARS);

    // Every export again: nothing changes.
    let counts = store.row_counts().await.unwrap();
    for (name, file) in EXPORTS {
        assert!(matches!(import(&store, dir.path(), name, file).await, ImportOutcome::Unchanged { .. }));
    }
    assert_eq!(store.row_counts().await.unwrap(), counts);

    // A newer legacy export closes a spell: it is closed, not duplicated.
    let legacy = std::fs::read_to_string(dir.path().join("legacy.csv")).unwrap();
    let mut lines: Vec<String> = legacy.lines().map(str::to_string).collect();
    // Columns (the quoted name holds a comma): 0 Emp No, 8 Start, 9 End, 11 Leaving Reason.
    let open_line = lines
        .iter()
        .position(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f.len() == 12 && f[9].is_empty() && f[0].starts_with('L')
        })
        .expect("an open legacy spell");
    let mut fields: Vec<String> = lines[open_line].split(',').map(str::to_string).collect();
    let emp = fields[0].clone();
    let start = NaiveDate::parse_from_str(&fields[8], "%d/%m/%Y").unwrap();
    let end = start + chrono::Days::new(40);
    fields[9] = uk(end);
    fields[11] = "Resigned".into();
    lines[open_line] = fields.join(",");
    std::fs::write(dir.path().join("legacy.csv"), lines.join("\n")).unwrap();
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "legacy", "legacy.csv").await else {
        panic!("the newer export imports")
    };
    assert_eq!(changes.rows_added, changes.rows_replaced, "replaced, not added to");
    assert_eq!(
        store.row_counts().await.unwrap().iter().find(|(t, _)| *t == "spell"),
        counts.iter().find(|(t, _)| *t == "spell")
    );
    let history = store.person_history(&emp).await.unwrap().expect("found by the legacy employee number");
    let closed = history.facts.iter().find(|f| f.what == "post" && f.start == start).unwrap();
    assert_eq!(closed.end, Some(end));
    assert!(closed.detail.contains("left: Resignation"), "{}", closed.detail);

    // A bank staff system knows one of them by name and birth date only:
    // that is suggested for a person to decide, never joined silently.
    let someone = made.spells().iter().find(|s| s.kind.is_employed()).map(|s| made.person(s.person)).unwrap();
    let i: usize = someone.id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
    let born = someone.birth_date.unwrap_or(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap());
    std::fs::write(dir.path().join("bank.toml"), BANK_PROFILE).unwrap();
    std::fs::write(
        dir.path().join("bank.csv"),
        format!("Bank Ref,Forename,Surname,DOB,Team,Role,Start,End,FTE\nB1,given{i},FAMILY{i},{born},Bank,5,2025-01-06,2025-01-10,1\n"),
    )
    .unwrap();
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "bank", "bank.csv").await else {
        panic!("the bank export imports")
    };
    assert_eq!((changes.people_added, changes.suggestions), (1, 1));
    assert_eq!(store.load_workforce().await.unwrap().persons().len(), made.persons().len() + 1);
    let suggestions = store.suggestions().await.unwrap();
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0].candidate.person.swe_no, someone.swe_no);
    store.decide_suggestion(suggestions[0].id, true, "tester").await.unwrap();
    assert!(store.suggestions().await.unwrap().is_empty());
    let merged = store.load_workforce().await.unwrap();
    assert_eq!(merged.persons().len(), made.persons().len(), "accepted: one person");
    let history = store.person_history("B1").await.unwrap().unwrap();
    assert_eq!(history.summary.person.swe_no, someone.swe_no);
    assert!(history.summary.identifiers.contains(&("bank".to_string(), "B1".to_string())));
    assert!(store.decide_suggestion(suggestions[0].id, false, "tester").await.is_err(), "decided once");
    // An export of changes only: a row for the same person and date replaces
    // the earlier one; a new row is added; nothing else is touched.
    std::fs::write(dir.path().join("changes.toml"), CHANGES_PROFILE).unwrap();
    let rows =
        |text: &str| std::fs::write(dir.path().join("changes.csv"), format!("Worker,Date,Cases\n{text}")).unwrap();
    rows("X1,2025-01-31,5\nX2,2025-01-31,7\n");
    import(&store, dir.path(), "changes", "changes.csv").await;
    rows("X1,2025-01-31,6\nX1,2025-02-28,8\n");
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "changes", "changes.csv").await else {
        panic!("the second export imports")
    };
    assert_eq!((changes.rows_added, changes.rows_replaced), (2, 1));
    let x1 = store.person_history("X1").await.unwrap().unwrap();
    let cases: Vec<&str> = x1.facts.iter().map(|f| f.detail.as_str()).collect();
    assert_eq!(cases, ["6 cases", "8 cases"]);
    assert!(store.person_history("X2").await.unwrap().unwrap().facts[0].detail == "7 cases");

    // The snapshot read back is the workforce the fact tables give.
    let (from_facts, _) = store.load_from_facts().await.unwrap();
    common::assert_same_figures(&merged, &from_facts, YEARS);
    assert_eq!(merged.spells().len(), from_facts.spells().len());
}

#[tokio::test]
async fn two_hr_systems_and_four_other_exports_give_the_canonical_figures_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(dir.path().join("sightline.db").to_str().unwrap()).await;
}

#[tokio::test]
async fn two_hr_systems_and_four_other_exports_give_the_canonical_figures_on_postgres() {
    let Some(db) = common::postgres("sources").await else { return };
    story(&db.url).await;
    db.drop().await;
}
