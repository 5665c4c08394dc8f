//! The dataset both benchmarks read, and the allocator the binary uses.

use sightline_core::Calendar;
use sightline_ingest::write_dir;
use sightline_synth::{synthesize, Basis, Request};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The allocator the `sightline` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About 60,000 people, 90,000 spells, 220,000 absences and 560,000
/// caseload snapshots over 2017-2025 (30 MB of CSV), written once to the
/// system temp folder.
#[allow(dead_code)] // not every benchmark reads it
pub fn fixture() -> &'static PathBuf {
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
