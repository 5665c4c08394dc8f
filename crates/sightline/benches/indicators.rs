//! Indicators for nine census years from a large synthetic authority,
//! including reading its CSV files: the figure in docs/performance.md.
//!
//! cargo bench -p sightline --bench indicators

use sightline_core::{indicators_for_periods, Calendar, Grouping, Period, Workforce};
use sightline_ingest::{read_dir, write_dir, Strictness};
use sightline_synth::{synthesize, Basis, Request};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The allocator the `sightline` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// About 60,000 people, 90,000 spells, 220,000 absences and 560,000
/// caseload snapshots over 2017-2025 (29 MB of CSV), written once.
fn fixture() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join("sightline-bench-60k");
        if !dir.join("caseloads.csv").exists() {
            let mut request = Request::new(Basis::Size { people: 19_500 }, 2017..=2025, 1);
            request.detail.snapshots_per_year = 4;
            let s = synthesize(&request, &Calendar::england_and_wales()).expect("synthesis");
            write_dir(&s.workforce, &dir).expect("write fixture");
        }
        dir
    })
}

/// What `sightline indicators --years 2017-2025` works out.
fn nine_years(wf: &Workforce, calendar: &Calendar) -> usize {
    let periods: Vec<Period> = (2017..=2025).map(Period::census_year).collect();
    indicators_for_periods(wf, calendar, &periods, Grouping::Authority).len()
}

#[divan::bench(sample_count = 20)]
fn read_and_compute_nine_years(b: divan::Bencher) {
    let dir = fixture();
    let calendar = Calendar::england_and_wales();
    b.bench(|| {
        let wf = read_dir(dir, Strictness::Strict).expect("valid").workforce;
        nine_years(&wf, &calendar)
    });
}

#[divan::bench(sample_count = 20)]
fn read_only(b: divan::Bencher) {
    let dir = fixture();
    b.bench(|| read_dir(dir, Strictness::Strict).expect("valid").workforce.spells().len());
}

#[divan::bench(sample_count = 20)]
fn compute_nine_years(b: divan::Bencher) {
    let wf = read_dir(fixture(), Strictness::Strict).expect("valid").workforce;
    let calendar = Calendar::england_and_wales();
    b.bench(|| nine_years(&wf, &calendar));
}
