//! Every authority, every year: the benchmark's values, neighbour medians,
//! regional and England values and ranks agree with DfE's published file,
//! read here independently of the core's own reader.

use sightline_core::benchmark::{benchmark, NeighbourModel, RANKED};
use sightline_core::published::{Published, FIELDS};
use std::collections::HashMap;

const FILE: &str = include_str!("../../../data/dfe/csww_indicators_2017_to_2025.csv");

/// A CSV line's fields, honouring quotes.
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.trim_end_matches('\r').chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[test]
fn every_authority_and_year_agrees_with_the_published_file() {
    let mut lines = FILE.trim_start_matches('\u{feff}').lines();
    let header = fields(lines.next().unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = lines.filter(|l| !l.is_empty()).map(fields).collect();
    let number = |r: &Vec<String>, f: &str| r[col(f)].parse::<f64>().ok();
    // (year, level, key) -> row
    let mut by: HashMap<(String, String, String), &Vec<String>> = HashMap::new();
    for r in &rows {
        let level = r[col("geographic_level")].clone();
        let key = match level.as_str() {
            // A joint return ("940 / 941") stands under its first code.
            "Local authority" => r[col("old_la_code")].split(" / ").next().unwrap().to_string(),
            "Regional" => r[col("region_name")].clone(),
            _ => String::new(),
        };
        by.insert((r[col("time_period")].clone(), level, key), r);
    }
    let published = Published::shipped();
    let model = NeighbourModel::shipped_2025();
    let mut checked = 0;
    for r in rows.iter().filter(|r| r[col("geographic_level")] == "Local authority") {
        let (year, code) =
            (r[col("time_period")].clone(), r[col("old_la_code")].split(" / ").next().unwrap().to_string());
        let b = benchmark(&published, &model, &code, year.parse().unwrap()).unwrap();
        let neighbours: Vec<String> = model
            .of
            .get(&code.parse().unwrap())
            .map(|(_, n)| n.iter().map(|(c, _)| c.to_string()).collect())
            .unwrap_or_default();
        for f in FIELDS {
            let e = b.entries.iter().find(|e| e.field == f).unwrap();
            assert_eq!(e.value.number(), number(r, f), "{code} {year} {f}");
            let mut values: Vec<f64> = neighbours
                .iter()
                .filter_map(|n| by.get(&(year.clone(), "Local authority".into(), n.clone())))
                .filter_map(|n| number(n, f))
                .collect();
            values.sort_by(f64::total_cmp);
            let expected = match values.len() {
                0 => None,
                n if n % 2 == 1 => Some(values[n / 2]),
                n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
            };
            assert_eq!(e.sn_median, expected, "{code} {year} {f} median");
            let region =
                by.get(&(year.clone(), "Regional".into(), r[col("region_name")].clone())).and_then(|x| number(x, f));
            assert_eq!(e.region, region, "{code} {year} {f} region");
            let england = by.get(&(year.clone(), "National".into(), String::new())).and_then(|x| number(x, f));
            assert_eq!(e.england, england, "{code} {year} {f} England");
            let all: Vec<f64> = rows
                .iter()
                .filter(|x| x[col("time_period")] == year && x[col("geographic_level")] == "Local authority")
                .filter_map(|x| number(x, f))
                .collect();
            assert_eq!(e.of, all.len(), "{code} {year} {f} of");
            if RANKED.contains(&f) {
                let rank = number(r, f).map(|v| 1 + all.iter().filter(|x| **x < v).count());
                assert_eq!(e.rank, rank, "{code} {year} {f} rank");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 1355 * FIELDS.len(), "every authority-year and figure");
}
