//! The committee report for a 300-person synthetic authority, built from
//! the workforce and written in each format (issue 7's target: under a
//! second; docs/performance.md).
//!
//! cargo bench -p sightline-report --bench report

use sightline_core::benchmark::{benchmark, Benchmark, NeighbourModel};
use sightline_core::published::Published;
use sightline_core::{Calendar, Period, Workforce};
use sightline_report::{build, Format, ReportRequest};
use sightline_synth::{synthesize, Basis, Request};

fn main() {
    divan::main();
}

fn setup() -> (Calendar, Workforce, Benchmark) {
    let calendar = Calendar::england_and_wales();
    let wf =
        synthesize(&Request::new(Basis::Size { people: 300 }, 2020..=2025, 1), &calendar).expect("synthesis").workforce;
    let compared = benchmark(&Published::shipped(), &NeighbourModel::shipped_2025(), "839", 2025).expect("BCP 2025");
    (calendar, wf, compared)
}

#[divan::bench(sample_count = 20, args = ["html", "xlsx", "docx"])]
fn report_for_300_people(b: divan::Bencher, format: &str) {
    let (calendar, wf, compared) = setup();
    let format = Format::from_extension(format).expect("a format");
    let period = Period { start: "2024-04-01".parse().expect("date"), end: "2025-03-31".parse().expect("date") };
    b.bench_local(|| {
        let request = ReportRequest { benchmark: Some(&compared), ..ReportRequest::new("Report", period) };
        let report = build(&wf, &calendar, &request);
        format.render(&report).expect("rendered").len()
    });
}
