//! The forecast's speed target (issue 8): 10,000 runs of 60 months for a
//! 500-post authority in under a second on a 2-core machine.
//!
//! cargo bench -p sightline-plan --bench forecast

use sightline_core::{Calendar, Date};
use sightline_plan::{fit, forecast, Fitted, Options, Scenario};
use sightline_synth::{synthesize, Basis, Request};

fn main() {
    divan::main();
}

fn fitted() -> Fitted {
    let calendar = Calendar::england_and_wales();
    let wf =
        synthesize(&Request::new(Basis::Size { people: 500 }, 2021..=2025, 1), &calendar).expect("synthesis").workforce;
    fit(&wf, &calendar, "2025-09-30".parse::<Date>().expect("date"), 36)
}

#[divan::bench(sample_count = 10)]
fn runs_10000_of_60_months_500_posts(b: divan::Bencher) {
    let fitted = fitted();
    assert!(fitted.establishment_fte >= 450.0, "a 500-post authority: {}", fitted.establishment_fte);
    let options = Options { months: 60, runs: 10_000, seed: 1 };
    b.bench_local(|| forecast(&fitted, &Scenario::baseline(), &options).months.len());
}

#[divan::bench(sample_count = 10)]
fn fit_500_posts_36_months(b: divan::Bencher) {
    let calendar = Calendar::england_and_wales();
    let wf =
        synthesize(&Request::new(Basis::Size { people: 500 }, 2021..=2025, 1), &calendar).expect("synthesis").workforce;
    let at = "2025-09-30".parse::<Date>().expect("date");
    b.bench_local(|| fit(&wf, &calendar, at, 36).headcount());
}
