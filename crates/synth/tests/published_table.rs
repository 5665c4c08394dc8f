//! The published-table test: a single-year synthesis of every authority-year
//! in DfE's file reproduces every published figure, wherever DfE's figures
//! for that year are consistent with each other.

use sightline_core::published::{Level, Published};
use sightline_core::Calendar;
use sightline_synth::targets::{self, matches_published};
use sightline_synth::{synthesize, Basis, Request};

#[test]
fn single_year_synthesis_reproduces_every_consistent_authority_year() {
    let published = Published::shipped();
    let calendar = Calendar::england_and_wales();
    let mut consistent = 0;
    let mut inconsistent = Vec::new();
    let mut failures = Vec::new();
    for row in published.rows.iter().filter(|r| r.level == Level::LocalAuthority) {
        let Ok(t) = targets::solve(row) else {
            inconsistent.push(format!("{} {}: no in-post figures", row.la_name, row.time_period));
            continue;
        };
        let period = sightline_core::Period::census_year(row.time_period);
        let divisor = sightline_core::indicators::absence_divisor(period);
        let mut unsolved: Vec<&str> = targets::computed(&t, divisor)
            .into_iter()
            .filter(|(f, v)| !matches_published(row.cell(f), *v))
            .map(|(f, _)| f)
            .collect();
        unsolved.extend(targets::impossible(&t));
        let request = Request::new(
            Basis::Published { authority: row.la_name.clone(), rows: vec![row.clone()] },
            row.time_period..=row.time_period,
            1,
        );
        let s = synthesize(&request, &calendar).expect("synthesis");
        if unsolved.is_empty() {
            consistent += 1;
            if !s.unmatched.is_empty() {
                failures.push(format!("{} {}: {:?}", row.la_name, row.time_period, s.unmatched));
            }
        } else {
            inconsistent.push(format!("{} {}: {}", row.la_name, row.time_period, unsolved.join(", ")));
        }
    }
    if std::env::var_os("SIGHTLINE_SHOW_INCONSISTENT").is_some() {
        eprintln!("{}", inconsistent.join("\n"));
    }
    eprintln!("{consistent} consistent authority-years reproduced; {} inconsistent", inconsistent.len());
    assert!(
        failures.is_empty(),
        "{} consistent authority-years not reproduced:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(consistent >= 1310, "only {consistent} authority-years found consistent");
}
