//! Indicators for nine census years from a large synthetic authority,
//! including reading its CSV files: the figure in docs/performance.md.
//!
//! cargo bench -p sightline --bench indicators

use sightline_core::{indicators_for_periods, Calendar, Grouping, Period, Workforce};
use sightline_ingest::{read_dir, Strictness};

mod common;
use common::fixture;

fn main() {
    divan::main();
}

/// What `sightline indicators --years 2017-2025` works out.
fn nine_years(wf: &Workforce, calendar: &Calendar) -> usize {
    let periods: Vec<Period> = (2017..=2025).map(Period::census_year).collect();
    indicators_for_periods(wf, calendar, &periods, Grouping::Authority).len()
}

/// The timing stops with the figures worked out, as the pandas script's
/// timer does: the workforce is returned, and divan frees it after the
/// timing (as pandas frees its data frames after its timer stops).
#[divan::bench(sample_count = 20)]
fn read_and_compute_nine_years(b: divan::Bencher) {
    let dir = fixture();
    let calendar = Calendar::england_and_wales();
    b.bench(|| {
        let wf = read_dir(dir, Strictness::Strict).expect("valid").workforce;
        let figures = nine_years(&wf, &calendar);
        (wf, figures)
    });
}

/// The same, with freeing the workforce timed too (what the command also
/// spends before it exits).
#[divan::bench(sample_count = 20)]
fn read_compute_and_free(b: divan::Bencher) {
    let dir = fixture();
    let calendar = Calendar::england_and_wales();
    b.bench(|| {
        let wf = read_dir(dir, Strictness::Strict).expect("valid").workforce;
        nine_years(&wf, &calendar)
    });
}

/// Reading alone; the workforce is freed after the timing.
#[divan::bench(sample_count = 20)]
fn read_only(b: divan::Bencher) {
    let dir = fixture();
    b.bench(|| read_dir(dir, Strictness::Strict).expect("valid").workforce);
}

#[divan::bench(sample_count = 20)]
fn compute_nine_years(b: divan::Bencher) {
    let wf = read_dir(fixture(), Strictness::Strict).expect("valid").workforce;
    let calendar = Calendar::england_and_wales();
    b.bench(|| nine_years(&wf, &calendar));
}
