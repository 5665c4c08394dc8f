//! The committee report for a 300-person synthetic authority (issue 7's
//! target: under a second; docs/performance.md).
//!
//! cargo bench -p sightline --bench report

use sightline_core::benchmark::{benchmark, NeighbourModel};
use sightline_core::published::Published;
use sightline_core::{Calendar, Period};
use sightline_synth::{synthesize, Basis, Request};
use sightline_web::report::{html, ReportRequest};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn report_for_300_people(b: divan::Bencher) {
    let calendar = Calendar::england_and_wales();
    let wf =
        synthesize(&Request::new(Basis::Size { people: 300 }, 2020..=2025, 1), &calendar).expect("synthesis").workforce;
    let published = Published::shipped();
    let compared = benchmark(&published, &NeighbourModel::shipped_2025(), "839", 2025).expect("BCP 2025");
    let period = Period { start: "2024-04-01".parse().expect("date"), end: "2025-03-31".parse().expect("date") };
    b.bench_local(|| {
        let request =
            ReportRequest { title: "Report", period, publish: true, benchmark: Some(&compared), targets: &[] };
        html(&wf, &calendar, &request).len()
    });
}
