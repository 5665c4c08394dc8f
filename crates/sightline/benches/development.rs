//! Every development figure, for the authority and by team, on one date,
//! for the large synthetic authority (about 60,000 people over 2017-2025,
//! 19,500 in post) with five years of synthetic supervision, CPD, early
//! careers, registration and grades: the figure in docs/performance.md.
//!
//! cargo bench -p sightline --bench development

use sightline_core::development::{development_by_team, development_figures, Development, Policy};
use sightline_core::{Date, Workforce};
use sightline_ingest::{read_dir, Strictness};
use std::sync::OnceLock;

mod common;
use common::fixture;

fn main() {
    divan::main();
}

fn day(s: &str) -> Date {
    s.parse().expect("a date")
}

/// The workforce and five years of development records (made once).
fn data() -> &'static (Workforce, Development) {
    static DATA: OnceLock<(Workforce, Development)> = OnceLock::new();
    DATA.get_or_init(|| {
        let wf = read_dir(fixture(), Strictness::Strict).expect("valid").workforce;
        let records = sightline_synth::development::development(&wf, day("2020-10-01"), day("2025-09-30"), 1);
        eprintln!(
            "development records: {} sessions, {} pieces of CPD, {} programmes, {} register lines, {} grades",
            records.supervision.len(),
            records.cpd.len(),
            records.early_careers.len(),
            records.registrations.len(),
            records.grades.len()
        );
        let dev = Development::new(records, wf.persons().len());
        (wf, dev)
    })
}

#[divan::bench(sample_count = 10)]
fn authority(b: divan::Bencher) {
    let (wf, dev) = data();
    b.bench(|| development_figures(wf, dev, &Policy::default(), day("2025-09-30"), None));
}

#[divan::bench(sample_count = 10)]
fn by_team(b: divan::Bencher) {
    let (wf, dev) = data();
    b.bench(|| development_by_team(wf, dev, &Policy::default(), day("2025-09-30")).len());
}
