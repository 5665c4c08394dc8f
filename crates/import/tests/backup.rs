//! A backup taken while an import is being written is a whole store: it
//! holds the import entirely or not at all, and passes SQLite's integrity
//! check and the audit chain's.

use sightline_core::{indicators, Calendar, Period};
use sightline_import::Import;
use sightline_ingest::{write_dir, Strictness};
use sightline_store::Store;
use sightline_synth::{synthesize, Basis, Request};

#[tokio::test]
async fn a_backup_taken_during_an_import_restores_to_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let calendar = Calendar::england_and_wales();
    let small = synthesize(&Request::new(Basis::Size { people: 40 }, 2023..=2024, 1), &calendar).unwrap().workforce;
    let large = synthesize(&Request::new(Basis::Size { people: 1500 }, 2019..=2024, 2), &calendar).unwrap().workforce;
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    write_dir(&small, &a).unwrap();
    write_dir(&large, &b).unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    store.import_canonical(&a, "first", "tester", Strictness::Strict).await.unwrap();
    store.audit("tester", "before the backup", "").await.unwrap();
    let period = Period::census_year(2024);
    let figures = |wf: &sightline_core::Workforce| indicators(wf, &calendar, period).rounded();
    let before = figures(&store.load_workforce().await.unwrap());

    // The large import and backups, side by side.
    let importing = {
        let store = store.clone();
        let b = b.clone();
        tokio::spawn(async move { store.import_canonical(&b, "second", "tester", Strictness::Strict).await.unwrap() })
    };
    let mut copies = Vec::new();
    for n in 0..4 {
        let out = dir.path().join(format!("backup-{n}.db"));
        store.backup(&out).await.unwrap();
        copies.push(out);
        tokio::task::yield_now().await;
    }
    importing.await.unwrap();
    let after = figures(&store.load_workforce().await.unwrap());
    assert_ne!(before, after);
    for out in copies {
        let copy = Store::open(out.to_str().unwrap()).await.unwrap();
        assert!(copy.integrity().await.unwrap().is_empty());
        assert_eq!(copy.verify_audit().await.unwrap().broken, None);
        let f = figures(&copy.load_workforce().await.unwrap());
        assert!(f == before || f == after, "{}: neither before nor after the import", out.display());
    }
    // A backup never overwrites.
    assert!(store.backup(&dir.path().join("backup-0.db")).await.is_err());
}
