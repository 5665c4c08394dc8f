//! How an authority compares: its published figures beside the median of
//! its ten statistical neighbours (DfE's method), its region, England, and
//! its rank among all authorities, with the series since 2017.
//!
//! - Symbols (`x`, `z`, `c`, `u`, `low`) are never numbers: a neighbour
//!   without a value is left out of the median, and the result says so.
//! - A neighbour with no published row that year (an authority made by a
//!   reorganisation, such as North and West Northamptonshire before 2021, or
//!   Bournemouth, Christchurch and Poole before 2019) is left out likewise.
//! - A joint return (North and West Northamptonshire from 2021; Kingston
//!   and Richmond report under Kingston) stands under its first code.
//! - Rank 1 is the most favourable: the lowest turnover, agency rate,
//!   vacancy rate, caseload and absence. Counts and FTEs are not ranked.

use crate::published::{Cell, Level, Published, PublishedRow, FIELDS};
use std::collections::HashMap;

const SN_2025: &str = include_str!("../../../data/dfe/sn_model_2025_wide.csv");
const SN_2021: &str = include_str!("../../../data/dfe/statistical_neighbours_april_2021.csv");

/// A statistical neighbour model: each authority's ten neighbours.
#[derive(Debug, Clone)]
pub struct NeighbourModel {
    pub name: &'static str,
    /// old LA code -> (name, [(neighbour's old LA code, closeness)]).
    pub of: HashMap<u16, (String, Vec<(u16, String)>)>,
}

fn split(line: &str) -> Vec<String> {
    crate::published::split_csv_line(line.trim_end_matches('\r')).into_iter().map(|f| f.trim().to_string()).collect()
}

impl NeighbourModel {
    /// DfE's 2025 model (the default).
    pub fn shipped_2025() -> NeighbourModel {
        let mut of = HashMap::new();
        for line in SN_2025.trim_start_matches('\u{feff}').lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f = split(line);
            let Ok(code) = f[0].parse::<u16>() else { continue };
            let neighbours =
                (0..10).filter_map(|k| Some((f.get(4 + 2 * k)?.parse().ok()?, f.get(5 + 2 * k)?.clone()))).collect();
            of.insert(code, (f[1].clone(), neighbours));
        }
        NeighbourModel { name: "DfE statistical neighbours, 2025 model", of }
    }

    /// The April 2021 groupings.
    pub fn shipped_2021() -> NeighbourModel {
        let mut of = HashMap::new();
        for line in SN_2021.trim_start_matches('\u{feff}').lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f = split(line);
            let Ok(code) = f[0].parse::<u16>() else { continue };
            let neighbours =
                (0..10).filter_map(|k| Some((f.get(5 + 2 * k)?.parse().ok()?, f.get(6 + 2 * k)?.clone()))).collect();
            of.insert(code, (f[1].clone(), neighbours));
        }
        NeighbourModel { name: "DfE statistical neighbours, April 2021 groupings", of }
    }
}

/// Figures where a lower value is more favourable, and so are ranked.
pub const RANKED: [&str; 7] = [
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "agency_rate_fte",
    "agency_rate_headcount",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
];

/// One figure of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub field: &'static str,
    pub value: Cell,
    /// The median of the neighbours with a value.
    pub sn_median: Option<f64>,
    /// How many neighbours had a value.
    pub sn_count: usize,
    pub region: Option<f64>,
    pub england: Option<f64>,
    /// 1 = most favourable, among `of` authorities with a value; ranked figures only.
    pub rank: Option<usize>,
    pub of: usize,
    /// (year, value) from the first published year.
    pub series: Vec<(i32, Cell)>,
}

/// A neighbour and its published row for the year, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub old_la_code: u16,
    pub name: String,
    pub closeness: String,
    pub row: Option<PublishedRow>,
}

/// An authority beside its neighbours, region and England for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    pub la_name: String,
    pub old_la_code: u16,
    pub region_name: String,
    pub year: i32,
    pub model: &'static str,
    pub neighbours: Vec<Neighbour>,
    pub entries: Vec<Entry>,
    /// What was left out, and why.
    pub notes: Vec<String>,
}

/// The middle value (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// The comparison for the authority named by `la` (name or old LA code) in `year`.
/// The comparison for the latest published year no later than `up_to`
/// (the census year a report's period ends in).
pub fn latest_benchmark(
    published: &Published,
    model: &NeighbourModel,
    la: &str,
    up_to: i32,
) -> Result<Benchmark, String> {
    let year = published.authority(la).iter().map(|r| r.time_period).filter(|y| *y <= up_to).max();
    match year {
        Some(y) => benchmark(published, model, la, y),
        None => Err(format!("no published figures for `{la}` up to {up_to}")),
    }
}

pub fn benchmark(published: &Published, model: &NeighbourModel, la: &str, year: i32) -> Result<Benchmark, String> {
    let rows = published.authority(la);
    let Some(first) = rows.first() else {
        return Err(format!("no local authority called `{la}` in DfE's published figures"));
    };
    let code = first.old_la_code.ok_or("the authority has no old LA code")?;
    let Some(row) = rows.iter().find(|r| r.time_period == year) else {
        let years: Vec<String> = rows.iter().map(|r| r.time_period.to_string()).collect();
        return Err(format!("{} has no published figures for {year} (years: {})", first.la_name, years.join(", ")));
    };
    let mut notes = Vec::new();
    if row.la_name.contains(" / ") {
        notes.push(format!(
            "{} made one joint return for {year}; it stands under the first authority's code, {code}",
            row.la_name
        ));
    }
    let in_year = |level: Level| published.rows.iter().filter(move |r| r.time_period == year && r.level == level);
    let england = in_year(Level::National).next();
    let region = in_year(Level::Regional).find(|r| r.region_name == row.region_name);
    let neighbours: Vec<Neighbour> = match model.of.get(&code) {
        Some((_, list)) => list
            .iter()
            .map(|(c, closeness)| {
                let row = published
                    .rows
                    .iter()
                    .find(|r| r.level == Level::LocalAuthority && r.old_la_code == Some(*c) && r.time_period == year)
                    .cloned();
                let name = model.of.get(c).map(|(n, _)| n.clone()).unwrap_or_else(|| c.to_string());
                if row.is_none() {
                    notes.push(format!("{name} has no published figures for {year} (a joint return or an authority made by reorganisation): left out of the medians"));
                }
                Neighbour { old_la_code: *c, name, closeness: closeness.clone(), row }
            })
            .collect(),
        None => {
            notes.push(format!("{} is not in the {}: no neighbour medians", row.la_name, model.name));
            Vec::new()
        }
    };
    let mut entries = Vec::new();
    for field in FIELDS {
        let mut values: Vec<f64> = neighbours.iter().filter_map(|n| n.row.as_ref()?.number(field)).collect();
        let with_row = neighbours.iter().filter(|n| n.row.is_some()).count();
        if values.len() < with_row {
            notes.push(format!(
                "{field}: {} of the neighbours with figures have none published (a DfE symbol): left out of the median",
                with_row - values.len()
            ));
        }
        let sn_count = values.len();
        let sn_median = median(&mut values);
        let value = row.cell(field);
        let (rank, of) = {
            let all: Vec<f64> = in_year(Level::LocalAuthority).filter_map(|r| r.number(field)).collect();
            let rank = match (RANKED.contains(&field), value.number()) {
                (true, Some(v)) => Some(1 + all.iter().filter(|x| **x < v).count()),
                _ => None,
            };
            (rank, all.len())
        };
        let series = rows.iter().map(|r| (r.time_period, r.cell(field))).collect();
        entries.push(Entry {
            field,
            value,
            sn_median,
            sn_count,
            region: region.and_then(|r| r.number(field)),
            england: england.and_then(|r| r.number(field)),
            rank,
            of,
            series,
        });
    }
    Ok(Benchmark {
        la_name: row.la_name.clone(),
        old_la_code: code,
        region_name: row.region_name.clone(),
        year,
        model: model.name,
        neighbours,
        entries,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_it_takes_to_reach_the_neighbours() {
        let i = crate::Indicators {
            inpost_fte: 100.0,
            leavers_fte: 30.0,
            turnover_rate_fte: Some(30.0),
            agency_fte: 25.0,
            agency_rate_fte: Some(20.0),
            vacancy_fte: Some(25.0),
            vacancy_rate_fte: Some(20.0),
            cases: 1800,
            case_holders_fte: 90.0,
            caseload_fte: Some(20.0),
            ..Default::default()
        };
        let t = to_reach(&i, "turnover_rate_fte", 15.0, 253.0).unwrap();
        assert_eq!((t.measure, t.change), ("FTE leavers a year", -15.0));
        assert_eq!(to_reach(&i, "agency_rate_fte", 10.0, 253.0).unwrap().change, 12.5);
        assert_eq!(to_reach(&i, "vacancy_rate_fte", 10.0, 253.0).unwrap().change, 12.5);
        assert_eq!(to_reach(&i, "caseload_fte", 18.0, 253.0).unwrap().change, 10.0);
        assert_eq!(to_reach(&i, "turnover_rate_fte", 35.0, 253.0), None, "already better");
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn bcp_2021_beside_its_neighbours_region_and_england() {
        let b = benchmark(&Published::shipped(), &NeighbourModel::shipped_2025(), "839", 2021).unwrap();
        assert_eq!(b.la_name, "Bournemouth, Christchurch and Poole");
        assert_eq!(b.neighbours.len(), 10);
        let turnover = b.entries.iter().find(|e| e.field == "turnover_rate_fte").unwrap();
        assert_eq!(turnover.value, Cell::Number(36.0));
        assert!(turnover.rank.unwrap() > turnover.of / 2, "a high turnover ranks low");
        assert_eq!(turnover.series.first().map(|(y, _)| *y), Some(2019), "BCP began in 2019");
        assert!(turnover.england.is_some() && turnover.region.is_some());
    }
}

/// What it would take to reach a rate: the change in the underlying count,
/// the rest staying as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerTarget {
    pub field: &'static str,
    /// What would change, in words.
    pub measure: &'static str,
    /// How much: positive to add, negative to take away.
    pub change: f64,
}

/// For each rate, the change that would bring `figures` to `target` (such
/// as the neighbours' median), keeping everything else as it is:
/// - turnover: FTE leavers a year (`target` % of FTE in post);
/// - agency rate: agency FTE to replace with permanent staff, the total unchanged;
/// - vacancy rate: vacant FTE filled by recruitment;
/// - caseload: case-holding FTE to carry the same cases;
/// - absence rate: working days lost a year.
///
/// Only where the authority is less favourable than the target; a rate the
/// authority already meets gives no entry.
pub fn to_reach(figures: &crate::Indicators, field: &str, target: f64, divisor: f64) -> Option<PeerTarget> {
    let i = figures;
    let (measure, change) = match field {
        "turnover_rate_fte" if i.turnover_rate_fte? > target => {
            ("FTE leavers a year", target / 100.0 * i.inpost_fte - i.leavers_fte)
        }
        "agency_rate_fte" if i.agency_rate_fte? > target => {
            let total = i.agency_fte + i.inpost_fte;
            ("agency FTE to replace with permanent social workers", i.agency_fte - target / 100.0 * total)
        }
        "vacancy_rate_fte" if i.vacancy_rate_fte? > target => {
            let vacancy = i.vacancy_fte?;
            ("vacant FTE to recruit", vacancy - target / 100.0 * (vacancy + i.inpost_fte))
        }
        "caseload_fte" if i.caseload_fte? > target => {
            ("case-holding FTE", i.cases as f64 / target - i.case_holders_fte)
        }
        "absence_rate_fte" if i.absence_rate_fte? > target => {
            ("working days lost a year", target / 100.0 * i.inpost_fte * divisor - i.working_days_lost_fte)
        }
        _ => return None,
    };
    Some(PeerTarget { field: RANKED.iter().find(|f| **f == field)?, measure, change })
}

/// What it would take for the authority to reach its neighbours' median on
/// each ranked rate ([`to_reach`]): from its own figures for the 12 months
/// to a date when given (`own`), else from its published figures for the
/// benchmark's census year.
pub fn to_reach_median(b: &Benchmark, own: Option<(chrono::NaiveDate, &crate::Indicators)>) -> Vec<PeerTarget> {
    let published;
    let (figures, divisor) = match own {
        Some((as_of, figures)) => (figures, crate::indicators::absence_divisor(crate::Period::twelve_months_to(as_of))),
        None => {
            let number = |f: &str| b.entries.iter().find(|e| e.field == f).and_then(|e| e.value.number());
            published = crate::Indicators {
                inpost_fte: number("inpost_fte").unwrap_or(0.0),
                leavers_fte: number("leavers_fte").unwrap_or(0.0),
                turnover_rate_fte: number("turnover_rate_fte"),
                agency_fte: number("agency_fte").unwrap_or(0.0),
                agency_rate_fte: number("agency_rate_fte"),
                vacancy_fte: number("vacancy_fte"),
                vacancy_rate_fte: number("vacancy_rate_fte"),
                cases: number("cases").unwrap_or(0.0) as u64,
                case_holders_fte: number("case_holders_fte").unwrap_or(0.0),
                caseload_fte: number("caseload_fte"),
                working_days_lost_fte: number("working_days_lost_fte").unwrap_or(0.0),
                absence_rate_fte: number("absence_rate_fte"),
                ..Default::default()
            };
            (&published, crate::indicators::absence_divisor(crate::Period::census_year(b.year)))
        }
    };
    b.entries.iter().filter_map(|e| to_reach(figures, e.field, e.sn_median?, divisor)).collect()
}
