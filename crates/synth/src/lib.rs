//! Synthetic children's social care workforces for the demo, tests and
//! benchmarks: realistic people, spells, teams, establishment, agency
//! cover, sickness and caseloads, calibrated to an authority's published
//! DfE figures, or of a chosen size.
//!
//! Only synthetic people are made here; nothing real is read or kept.

pub mod development;
pub mod exports;
pub mod population;
pub mod recruitment;
pub mod targets;
pub mod voice;
pub mod wider;

use population::{Detail, Population};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use sightline_core::published::{field_places, Cell, PublishedRow, FIELDS};
use sightline_core::{indicators, Calendar, Period, Workforce};
use std::ops::RangeInclusive;
use targets::{matches_published, to_units, YearTargets};
use thiserror::Error;

/// What the synthetic authority is modelled on.
#[derive(Debug, Clone)]
pub enum Basis {
    /// An authority's published rows (one per year, any years).
    Published { authority: String, rows: Vec<PublishedRow> },
    /// A plausible authority with about this many social workers in post.
    Size { people: u32 },
}

#[derive(Debug, Clone)]
pub struct Request {
    pub basis: Basis,
    pub years: RangeInclusive<i32>,
    pub seed: u64,
    pub detail: Detail,
}

impl Request {
    pub fn new(basis: Basis, years: RangeInclusive<i32>, seed: u64) -> Request {
        Request { basis, years, seed, detail: Detail { snapshots_per_year: 12 } }
    }
}

/// A published figure the synthetic data does not reproduce.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    pub year: i32,
    pub field: &'static str,
    /// What DfE published.
    pub published: String,
    /// What the engine computes from the synthetic data, rounded as DfE rounds.
    pub produced: Option<f64>,
    /// produced - published, where both are numbers.
    pub difference: Option<f64>,
}

#[derive(Debug)]
pub struct Synthesis {
    pub workforce: Workforce,
    pub authority: Option<String>,
    pub years: Vec<i32>,
    /// Every published figure of the chosen years not reproduced, and by how much.
    pub unmatched: Vec<Unmatched>,
    /// Published figures compared (numbers and `low`).
    pub compared: usize,
    /// What the synthesis had to decide for itself, in words.
    pub notes: Vec<String>,
}

#[derive(Debug, Error, PartialEq)]
pub enum SynthError {
    #[error("DfE publishes no figures for {authority} in {years}; it has figures for {available}")]
    NoYears { authority: String, years: String, available: String },
    #[error(transparent)]
    NoInPost(#[from] targets::NoInPostFigures),
    #[error("--people must be at least 10")]
    TooSmall,
}

/// Builds the synthetic workforce the request describes.
pub fn synthesize(request: &Request, calendar: &Calendar) -> Result<Synthesis, SynthError> {
    let mut rng = ChaCha8Rng::seed_from_u64(request.seed);
    let mut notes = Vec::new();
    let (targets, published): (Vec<YearTargets>, Vec<PublishedRow>) = match &request.basis {
        Basis::Published { authority, rows } => {
            let chosen: Vec<PublishedRow> =
                rows.iter().filter(|r| request.years.contains(&r.time_period)).cloned().collect();
            if chosen.is_empty() {
                return Err(SynthError::NoYears {
                    authority: authority.clone(),
                    years: format!("{}-{}", request.years.start(), request.years.end()),
                    available: rows.iter().map(|r| r.time_period.to_string()).collect::<Vec<_>>().join(", "),
                });
            }
            let mut targets: Vec<YearTargets> = Vec::new();
            for row in &chosen {
                match targets::solve(row) {
                    Ok(t) => targets.push(t),
                    // A year DfE has no in-post figures for is built like the year before.
                    Err(e) => match targets.last().cloned() {
                        Some(before) => {
                            notes.push(format!("{e}; it is built like {}", before.year));
                            targets.push(YearTargets { year: row.time_period, ..before });
                        }
                        None => return Err(e.into()),
                    },
                }
            }
            (targets, chosen)
        }
        Basis::Size { people } => {
            if *people < 10 {
                return Err(SynthError::TooSmall);
            }
            (plausible_targets(*people, request.years.clone(), &mut rng), Vec::new())
        }
    };

    let first = &targets[0];
    let before_first = sightline_core::calendar::previous_day(Period::census_year(first.year).start);
    let mut population = Population::new(ChaCha8Rng::seed_from_u64(rng.gen()), calendar, request.detail);
    let continuing = (first.inpost_headcount + first.leavers_headcount).saturating_sub(first.starters_headcount);
    population.seed(before_first, continuing.max(first.leavers_headcount), first.agency_headcount * 3 / 5);
    for t in &targets {
        population.year(t);
    }
    let workforce = population.finish();

    let mut unmatched = Vec::new();
    let mut compared = 0;
    for row in &published {
        let produced = indicators(&workforce, calendar, Period::census_year(row.time_period));
        for (k, field) in FIELDS.iter().enumerate() {
            let cell = row.cells[k];
            if !matches!(cell, Cell::Number(_) | Cell::Low) {
                continue;
            }
            compared += 1;
            let value = produced.field(field);
            if !matches_published(cell, value) {
                let rounded = value.map(|v| sightline_core::indicators::round_dfe(v, field_places(field)));
                unmatched.push(Unmatched {
                    year: row.time_period,
                    field,
                    published: cell.to_string(),
                    produced: rounded,
                    difference: cell
                        .number()
                        .zip(rounded)
                        .map(|(p, v)| sightline_core::indicators::round_dfe(v - p, 1)),
                });
            }
        }
    }
    Ok(Synthesis {
        workforce,
        authority: match &request.basis {
            Basis::Published { authority, .. } => Some(authority.clone()),
            Basis::Size { .. } => None,
        },
        years: targets.iter().map(|t| t.year).collect(),
        unmatched,
        compared,
        notes,
    })
}

/// Targets for a plausible authority of about `people` social workers,
/// near England's recent figures, drifting a little year to year.
fn plausible_targets(people: u32, years: RangeInclusive<i32>, rng: &mut ChaCha8Rng) -> Vec<YearTargets> {
    let mut headcount = people as f64;
    years
        .map(|year| {
            headcount *= rng.gen_range(0.97..1.04);
            let ih = headcount.round() as u32;
            let inpost = ih as f64 * rng.gen_range(0.92..0.95);
            let turnover = rng.gen_range(0.11..0.19);
            let leavers_h = (ih as f64 * turnover).round() as u32;
            let starters_h = (ih as f64 * rng.gen_range(0.12..0.2)).round() as u32;
            let agency_h = (ih as f64 * rng.gen_range(0.1..0.22)).round() as u32;
            let agency = agency_h as f64 * 0.97;
            let vacancy = inpost * rng.gen_range(0.12..0.22);
            let cover = agency.min(vacancy) * rng.gen_range(0.6..0.9);
            let holders = (inpost + agency) * rng.gen_range(0.6..0.7);
            let divisor = sightline_core::indicators::absence_divisor(Period::census_year(year));
            YearTargets {
                year,
                inpost_fte: to_units(inpost),
                inpost_headcount: ih,
                starters_fte: to_units(starters_h as f64 * 0.94),
                starters_headcount: starters_h,
                leavers_fte: to_units(leavers_h as f64 * 0.93),
                leavers_headcount: leavers_h,
                agency_fte: to_units(agency),
                agency_headcount: agency_h,
                agency_cover_fte: to_units(cover),
                vacancy_fte: to_units(vacancy),
                case_holders_fte: to_units(holders),
                cases: (holders * rng.gen_range(14.0..18.0)).round() as u64,
                working_days_lost: to_units(inpost * divisor * rng.gen_range(0.025..0.045)),
            }
        })
        .collect()
}

/// A date as UK exports write it: `30/09/2025`.
pub(crate) fn uk(d: sightline_core::Date) -> String {
    d.format("%d/%m/%Y").to_string()
}
