//! The store with a large synthetic authority: importing its canonical files
//! into a new SQLite store, and loading the workforce back for the figures
//! (issue 3's targets: under 20 s and under 1 s; docs/performance.md).
//!
//! cargo bench -p sightline --bench store

use sightline_core::{indicators_for_periods, Calendar, Grouping, Period};
use sightline_import::Import;
use sightline_ingest::Strictness;
use sightline_store::Store;

mod common;
use common::fixture;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

#[divan::bench(sample_count = 3)]
fn import_into_new_sqlite_store(b: divan::Bencher) {
    let dir = fixture();
    let rt = runtime();
    b.with_inputs(|| tempfile::tempdir().expect("temp dir")).bench_local_values(|db| {
        rt.block_on(async {
            let store = Store::open(db.path().join("bench.db").to_str().expect("path")).await.expect("open");
            store.import_canonical(dir, "bench", "bench", Strictness::Strict).await.expect("import")
        })
    });
}

/// Indicators for nine census years from a store the import has left
/// ready: the workforce comes from its snapshot.
#[divan::bench(sample_count = 5)]
fn load_from_sqlite_and_compute_nine_years(b: divan::Bencher) {
    load_and_compute(b, false);
}

/// The same, assembling the workforce from the fact tables (as happens once
/// after each import, and whenever the snapshot cannot be read).
#[divan::bench(sample_count = 3)]
fn load_from_sqlite_fact_tables_and_compute_nine_years(b: divan::Bencher) {
    load_and_compute(b, true);
}

fn load_and_compute(b: divan::Bencher, from_facts: bool) {
    let dir = fixture();
    let rt = runtime();
    let db = tempfile::tempdir().expect("temp dir");
    let url = db.path().join("bench.db").to_string_lossy().into_owned();
    rt.block_on(async {
        let store = Store::open(&url).await.expect("open");
        store.import_canonical(dir, "bench", "bench", Strictness::Strict).await.expect("import");
    });
    let calendar = Calendar::england_and_wales();
    let periods: Vec<Period> = (2017..=2025).map(Period::census_year).collect();
    b.bench_local(|| {
        let wf = rt.block_on(async {
            let store = Store::open(&url).await.expect("open");
            let loaded = if from_facts { store.load_from_facts().await } else { store.load_with_conflicts().await };
            loaded.expect("load").0
        });
        indicators_for_periods(&wf, &calendar, &periods, Grouping::Authority).len()
    });
}
