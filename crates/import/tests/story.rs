//! One story, told on SQLite and on PostgreSQL: import a synthetic
//! authority, get the same figures as its files, import it again (nothing
//! changes), try a file with a bad row (nothing changes, the row is named),
//! import leniently (the bad row is recorded), then a newer export (it
//! replaces, never duplicates).
//!
//! PostgreSQL runs when `SIGHTLINE_TEST_PG` names a server, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`; each run makes and drops
//! its own database. If the variable is set and the server cannot be
//! reached, the test fails: it never passes by skipping.

mod common;

use sightline_core::{Calendar, Workforce};
use sightline_import::{Import, ImportError, ImportOptions, ImportOutcome};
use sightline_ingest::{write_dir, Strictness};
use sightline_store::Store;
use sightline_synth::{synthesize, Basis, Request};
use std::path::Path;

fn authority(seed: u64, dir: &Path) -> Workforce {
    let request = Request::new(Basis::Size { people: 60 }, 2021..=2024, seed);
    let wf = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&wf, dir).unwrap();
    wf
}

/// The figures of every year agree, to 1e-9 and exactly once rounded.
async fn story(url: &str) {
    let store = Store::open(url).await.expect("open the store");
    let first = tempfile::tempdir().unwrap();
    let made = authority(1, first.path());

    // Import: the store gives the files' figures.
    let outcome = store.import_canonical(first.path(), "hr", "tester", Strictness::Strict).await.unwrap();
    let ImportOutcome::Imported { batch, rejected, .. } = outcome else { panic!("imported: {outcome:?}") };
    assert!(rejected.is_empty());
    let stored = store.load_workforce().await.unwrap();
    common::assert_same_figures(&stored, &made, 2021..=2024);
    // Agency charge rates (for agency cost) come back with their spells.
    let rates = |wf: &sightline_core::Workforce| {
        let mut r: Vec<(String, chrono::NaiveDate, u64)> = wf
            .spells()
            .iter()
            .filter_map(|s| s.charge_rate.map(|c| (wf.person(s.person).id.clone(), s.start, c.to_bits())))
            .collect();
        r.sort();
        r
    };
    assert!(!rates(&made).is_empty());
    assert_eq!(rates(&stored), rates(&made));
    let counts = store.row_counts().await.unwrap();
    assert_eq!(lookup(&counts, "spell"), made.spells().len() as i64);
    assert_eq!(lookup(&counts, "caseload"), made.caseloads().len() as i64);

    // The same files again: nothing changes.
    let again = store.import_canonical(first.path(), "hr", "tester", Strictness::Strict).await.unwrap();
    assert_eq!(again, ImportOutcome::Unchanged { batch });
    assert_eq!(store.row_counts().await.unwrap(), counts);

    // A second source sits beside the first, and names one of its people
    // by their Social Work England number: the two records are one person.
    let other = tempfile::tempdir().unwrap();
    let first_swe = made.persons().iter().find(|p| p.id == "P000001").and_then(|p| p.swe_no.clone()).unwrap();
    std::fs::write(
        other.path().join("spells.csv"),
        format!("person_id,swe_no,kind,team,org_role,start_date,fte\nagency-1,,agency,MASH,5,2022-01-01,1\nW-77,{first_swe},agency,MASH,5,2019-01-01,0.2\n"),
    )
    .unwrap();
    let outcome = store.import_canonical(other.path(), "msp", "tester", Strictness::Strict).await.unwrap();
    let ImportOutcome::Imported { changes, .. } = outcome else { panic!("imported: {outcome:?}") };
    assert_eq!((changes.people_added, changes.people_joined), (1, 1));
    let counts = store.row_counts().await.unwrap();

    // A bad row: nothing is imported, and the row is named.
    let bad = tempfile::tempdir().unwrap();
    authority(2, bad.path());
    let spells = std::fs::read_to_string(bad.path().join("spells.csv")).unwrap();
    let mut lines: Vec<&str> = spells.lines().collect();
    let broken = lines[5].replacen(",permanent,", ",contractor,", 1);
    lines[5] = &broken;
    std::fs::write(bad.path().join("spells.csv"), lines.join("\n")).unwrap();
    match store.import_canonical(bad.path(), "hr", "tester", Strictness::Strict).await {
        Err(ImportError::InvalidRows(problems)) => {
            assert_eq!((problems[0].line, problems[0].value.as_str()), (6, "contractor"));
        }
        other => panic!("a bad row must stop the import: {other:?}"),
    }
    assert_eq!(store.row_counts().await.unwrap(), counts, "nothing was written");

    // A dry run says what would change, and changes nothing.
    let options = ImportOptions {
        source: "hr",
        imported_by: "tester",
        strictness: Strictness::Lenient,
        dry_run: true,
        progress: None,
    };
    let dry = store.import_canonical_with(bad.path(), &options).await.unwrap();
    let ImportOutcome::WouldImport { changes, .. } = dry else { panic!("a dry run: {dry:?}") };
    assert_eq!(
        changes.rows_replaced,
        (made.spells().len() + made.establishment().len() + made.absences().len() + made.caseloads().len()) as u64
    );
    assert!(changes.people_updated > 0, "the newer export changes people's details");
    assert_eq!(store.row_counts().await.unwrap(), counts, "a dry run writes nothing");

    // Leniently, the rest goes in and the bad row is kept with the batch;
    // a newer export of the same source replaces the older, never adds to
    // it, and updates people the other source also names.
    let outcome = store.import_canonical(bad.path(), "hr", "tester", Strictness::Lenient).await.unwrap();
    let ImportOutcome::Imported { rejected, changes: done, .. } = outcome else { panic!("imported") };
    assert_eq!(rejected.len(), 1);
    assert_eq!(done, changes, "the dry run told the truth");
    let newer = sightline_ingest::read_dir(bad.path(), Strictness::Lenient).unwrap().workforce;
    let stored = store.load_workforce().await.unwrap();
    assert_eq!(stored.spells().len(), newer.spells().len() + 2, "this source's spells, and the other's two");
    let swe = |wf: &Workforce| wf.persons().iter().find(|p| p.id == "P000001").and_then(|p| p.swe_no.clone());
    assert_eq!(swe(&stored), swe(&newer));

    // Provenance: who, which files, how many rows.
    let batches = store.batches().await.unwrap();
    assert_eq!(batches.len(), 3);
    let last = &batches[2];
    assert_eq!((last.source.as_str(), last.imported_by.as_str(), last.rows_rejected), ("hr", "tester", 1));
    assert!(last.files.iter().any(|(name, sum)| name == "spells.csv" && sum.len() == 64));

    // An import without people's details keeps the details already known.
    let bare = tempfile::tempdir().unwrap();
    std::fs::write(
        bare.path().join("spells.csv"),
        "person_id,kind,team,org_role,start_date,fte\nagency-1,agency,MASH,5,2022-01-01,1\nW-77,agency,MASH,5,2019-01-01,0.4\n",
    )
    .unwrap();
    store.import_canonical(bare.path(), "msp", "tester", Strictness::Strict).await.unwrap();
    assert_eq!(swe(&store.load_workforce().await.unwrap()), swe(&newer));
}

fn lookup(counts: &[(&str, i64)], table: &str) -> i64 {
    counts.iter().find(|(t, _)| *t == table).map(|(_, n)| *n).unwrap()
}

#[tokio::test]
async fn the_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(dir.path().join("sightline.db").to_str().unwrap()).await;
}

#[tokio::test]
async fn the_story_on_postgres() {
    let Some(db) = common::postgres("story").await else { return };
    story(&db.url).await;
    db.drop().await;
}
