//! Each published rate recomputed from its published counts with the
//! engine's own formula functions. The counts are published rounded, so a
//! recomputed rate may differ by the rounding of its inputs; every rate must
//! be within what the rounding of its inputs allows, save a handful of
//! published figures that contradict each other (listed when the test runs
//! with --nocapture).

use sightline_core::indicators::{
    absence_divisor, absence_rate, agency_cover_rate, agency_rate, caseload, round_dfe, turnover_rate,
    vacancy_agency_cover_rate, vacancy_rate,
};
use sightline_core::published::{Level, Published, PublishedRow};
use sightline_core::Period;

type Formula = Box<dyn Fn(f64, f64) -> Option<f64>>;

/// A published rate and the published counts it is computed from, with the
/// half-width of each count's rounding (0 for whole numbers).
struct Rate {
    name: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    formula: Formula,
    numerator_half: f64,
    denominator_half: f64,
}

fn rates(divisor: f64) -> Vec<Rate> {
    let rate = |name, numerator, denominator, formula: Formula, halves: (f64, f64)| Rate {
        name,
        numerator,
        denominator,
        formula,
        numerator_half: halves.0,
        denominator_half: halves.1,
    };
    let fte = (0.05, 0.05);
    let heads = (0.0, 0.0);
    vec![
        rate("turnover_rate_fte", "leavers_fte", "inpost_fte", Box::new(turnover_rate), fte),
        rate("turnover_rate_headcount", "leavers_headcount", "inpost_headcount", Box::new(turnover_rate), heads),
        rate("agency_rate_fte", "agency_fte", "inpost_fte", Box::new(agency_rate), fte),
        rate("agency_rate_headcount", "agency_headcount", "inpost_headcount", Box::new(agency_rate), heads),
        rate("agency_cover_rate_fte", "agency_cover_fte", "agency_fte", Box::new(agency_cover_rate), fte),
        rate("vacancy_rate_fte", "vacancy_fte", "inpost_fte", Box::new(vacancy_rate), fte),
        rate(
            "vacancy_agency_cover_rate_fte",
            "agency_cover_fte",
            "vacancy_fte",
            Box::new(vacancy_agency_cover_rate),
            fte,
        ),
        rate("caseload_fte", "cases", "case_holders_fte", Box::new(caseload), (0.0, 0.05)),
        rate(
            "absence_rate_fte",
            "working_days_lost_fte",
            "inpost_fte",
            Box::new(move |w, i| absence_rate(w, i, divisor)),
            fte,
        ),
    ]
}

fn check(row: &PublishedRow, exact: &mut usize, explained: &mut usize, contradictions: &mut Vec<String>) {
    let divisor = absence_divisor(Period::census_year(row.time_period));
    for Rate {
        name,
        numerator: num,
        denominator: den,
        formula: f,
        numerator_half: num_half,
        denominator_half: den_half,
    } in rates(divisor)
    {
        let (Some(published), Some(n), Some(d)) = (row.number(name), row.number(num), row.number(den)) else {
            continue;
        };
        let Some(value) = f(n, d) else { continue };
        if round_dfe(value, 1) == published {
            *exact += 1;
            continue;
        }
        // Every formula here rises with its numerator and falls with its
        // denominator, so the corners of the rounding box bound it.
        let lowest = f((n - num_half).max(0.0), d + den_half).unwrap_or(0.0);
        let highest = f(n + num_half, (d - den_half).max(1e-9)).unwrap_or(f64::INFINITY);
        if lowest <= published + 0.05 && published - 0.05 <= highest {
            *explained += 1;
        } else {
            contradictions.push(format!(
                "{} {} {name}: published {published}, {num} {n} / {den} {d} gives {value:.2}",
                row.la_name, row.time_period
            ));
        }
    }
}

/// Authority rows only: DfE's national and regional rates are computed over
/// the authorities that returned each item, not from the totals beside them.
#[test]
fn published_rates_follow_from_published_counts() {
    let published = Published::shipped();
    let (mut exact, mut explained, mut contradictions) = (0, 0, Vec::new());
    for row in published.rows.iter().filter(|r| r.level == Level::LocalAuthority) {
        check(row, &mut exact, &mut explained, &mut contradictions);
    }
    println!("{exact} exact, {explained} within input rounding, {} contradictions:", contradictions.len());
    for c in &contradictions {
        println!("  {c}");
    }
    let total = exact + explained + contradictions.len();
    assert!(total > 10_000, "the file was read: {total} rates");
    assert!(exact as f64 / total as f64 > 0.95, "{exact} of {total} exact");
    assert!(contradictions.is_empty(), "{} published rates contradict their counts", contradictions.len());
}

/// 253 working days (254 in a year with 29 February) reproduces the
/// authorities' published absence rates from their published counts,
/// where 252 or 255 would not.
#[test]
fn the_absence_divisor_reproduces_published_absence_rates() {
    let published = Published::shipped();
    let matches = |shift: f64| {
        let mut hit = 0;
        let mut all = 0;
        for row in published.rows.iter().filter(|r| r.level == Level::LocalAuthority) {
            let divisor = absence_divisor(Period::census_year(row.time_period)) + shift;
            let (Some(w), Some(i), Some(p)) =
                (row.number("working_days_lost_fte"), row.number("inpost_fte"), row.number("absence_rate_fte"))
            else {
                continue;
            };
            all += 1;
            hit += usize::from(absence_rate(w, i, divisor).map(|r| round_dfe(r, 1)) == Some(p));
        }
        hit as f64 / all as f64
    };
    let ours = matches(0.0);
    assert!(ours > 0.99, "{ours}");
    assert!(matches(-1.0) < ours && matches(2.0) < ours);
}
