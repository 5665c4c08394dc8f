//! The figures a synthetic year must produce, chosen so that DfE's rounding
//! of them gives back what DfE published.
//!
//! DfE publishes FTEs and rates to one decimal place. A published FTE of
//! 198.4 stands for any value in [198.35, 198.45); a published turnover of
//! 36.0 for any leavers/in-post ratio in [35.95, 36.05). The solver searches
//! those intervals for one set of unrounded counts whose rates, computed
//! with the engine's own formula functions, round to every published rate.

use sightline_core::indicators::{
    absence_rate, agency_cover_rate, agency_rate, caseload, round_dfe, turnover_rate, vacancy_agency_cover_rate,
    vacancy_rate,
};
use sightline_core::published::{Cell, PublishedRow};
use sightline_core::Period;

/// FTEs and days are handled in units of 1/10,000 so sums are exact.
pub const UNIT: i64 = 10_000;

pub fn to_units(x: f64) -> i64 {
    (x * UNIT as f64).round() as i64
}

pub fn from_units(u: i64) -> f64 {
    u as f64 / UNIT as f64
}

/// The unrounded figures one census year is built to produce.
#[derive(Debug, Clone, PartialEq)]
pub struct YearTargets {
    pub year: i32,
    pub inpost_fte: i64,
    pub inpost_headcount: u32,
    pub starters_fte: i64,
    pub starters_headcount: u32,
    pub leavers_fte: i64,
    pub leavers_headcount: u32,
    pub agency_fte: i64,
    pub agency_headcount: u32,
    pub agency_cover_fte: i64,
    pub vacancy_fte: i64,
    pub case_holders_fte: i64,
    pub cases: u64,
    pub working_days_lost: i64,
}

/// The closed range of units that DfE's rounding maps to `cell`, kept
/// clear of the boundaries. `None` when nothing was published.
fn count_range(cell: Cell) -> Option<(i64, i64)> {
    match cell {
        Cell::Number(0.0) => Some((0, 0)),
        Cell::Number(p) => {
            Some((((p - 0.05) * UNIT as f64).ceil() as i64 + 1, ((p + 0.05) * UNIT as f64).floor() as i64 - 1))
        }
        Cell::Low => Some((1, UNIT / 20 - 1)),
        _ => None,
    }
}

/// The open interval of a rate that rounds to `cell`.
fn rate_range(cell: Cell) -> Option<(f64, f64)> {
    match cell {
        Cell::Number(0.0) => Some((0.0, 0.0)),
        Cell::Number(p) => Some((p - 0.05 + 1e-7, p + 0.05 - 1e-7)),
        Cell::Low => Some((1e-7, 0.05 - 1e-7)),
        _ => None,
    }
}

fn mid(r: (i64, i64)) -> i64 {
    r.0 + (r.1 - r.0) / 2
}

/// A value for a count whose rate against `base` must lie in `implied`:
/// the middle of the intersection of the two ranges when they meet; the
/// point of the implied range nearest the count's range when they do not
/// (the published rate wins over the published count).
fn pick(count: Option<(i64, i64)>, implied: Option<(f64, f64)>, fallback: i64) -> i64 {
    let implied = implied.map(|(lo, hi)| (lo.ceil() as i64, hi.floor() as i64)).filter(|(lo, hi)| lo <= hi);
    match (count, implied) {
        (Some(c), Some(i)) => {
            let lo = c.0.max(i.0);
            let hi = c.1.min(i.1);
            if lo <= hi {
                mid((lo, hi))
            } else if c.1 < i.0 {
                i.0
            } else {
                i.1
            }
        }
        (Some(c), None) => mid(c),
        (None, Some(i)) => mid(i),
        (None, None) => fallback,
    }
}

/// Evenly spaced points of a range, at most `n`.
fn grid(r: (i64, i64), n: i64) -> Vec<i64> {
    let span = r.1 - r.0;
    if span <= 0 {
        return vec![r.0];
    }
    let step = (span / n).max(1);
    let mut v: Vec<i64> = (0..).map(|k| r.0 + k * step).take_while(|x| *x <= r.1).collect();
    if v.last() != Some(&r.1) {
        v.push(r.1);
    }
    // Try the middle first: it is the safest choice when several fit.
    v.sort_by_key(|x| (x - mid(r)).abs());
    v
}

/// How many published figures the chosen values miss, plus the structural
/// rules they break (each of which the built data would then miss).
#[cfg(test)]
fn misses(row: &PublishedRow, t: &YearTargets, divisor: f64) -> usize {
    let values = computed(t, divisor);
    let missed = values.iter().zip(&row.cells).filter(|((_, value), cell)| !matches_published(**cell, *value)).count();
    missed + impossible(t).len()
}

/// The caseload figures, which [`with_case_holders`] fills in after the search.
const CASELOAD_FIELDS: [&str; 3] = ["case_holders_fte", "cases", "caseload_fte"];

/// [`misses`] during the search, before the caseload figures are filled in.
fn misses_before_caseload(row: &PublishedRow, t: &YearTargets, divisor: f64) -> usize {
    let values = computed(t, divisor);
    let missed = values
        .iter()
        .zip(&row.cells)
        .filter(|((field, value), cell)| !CASELOAD_FIELDS.contains(field) && !matches_published(**cell, *value))
        .count();
    missed + impossible(t).iter().filter(|f| !CASELOAD_FIELDS.contains(f)).count()
}

/// Smallest FTE of one contract that the synthetic data uses.
pub const MIN_FTE: i64 = UNIT / 10;

/// The structural rules a set of targets breaks: an FTE total that its
/// headcount cannot make (each person above 0 and at most 1 FTE; none
/// without people),
/// more cover than agency or vacancy.
pub fn impossible(t: &YearTargets) -> Vec<&'static str> {
    let mut broken = Vec::new();
    for (name, fte, heads) in [
        ("inpost_fte", t.inpost_fte, t.inpost_headcount),
        ("starters_fte", t.starters_fte, t.starters_headcount),
        ("leavers_fte", t.leavers_fte, t.leavers_headcount),
        ("agency_fte", t.agency_fte, t.agency_headcount),
    ] {
        let heads = i64::from(heads);
        if fte > heads * UNIT || fte < heads || (heads == 0) != (fte == 0) {
            broken.push(name);
        }
    }
    if t.agency_cover_fte > t.agency_fte.min(t.vacancy_fte) {
        broken.push("agency_cover_fte");
    }
    if !case_holders_fit(t, t.case_holders_fte) {
        broken.push("case_holders_fte");
    }
    broken
}

/// Whether employed staff can make up the case-holder FTE that agency
/// workers (who hold cases first) leave, and the rest of the in-post FTE,
/// as whole people of 0.1 to 1 FTE each.
fn case_holders_fit(t: &YearTargets, holders: i64) -> bool {
    let employed_holders = holders - t.agency_fte.min(holders);
    let rest = t.inpost_fte - employed_holders;
    if employed_holders < 0 || rest < 0 {
        return false;
    }
    let fewest = |fte: i64| (fte + UNIT - 1) / UNIT;
    let most = |fte: i64| fte / MIN_FTE;
    let heads = i64::from(t.inpost_headcount);
    fewest(employed_holders) + fewest(rest) <= heads && most(employed_holders) + most(rest) >= heads
}

/// Narrows the range of an FTE to what its headcount can make.
fn within_headcount(range: Option<(i64, i64)>, heads: Option<u32>) -> Option<(i64, i64)> {
    match (range, heads) {
        (Some((lo, hi)), Some(h)) => {
            let (a, b) = (lo.max(i64::from(h)), hi.min(i64::from(h) * UNIT));
            Some(if a <= b { (a, b) } else { (lo, hi) })
        }
        (r, _) => r,
    }
}

/// Whether a value, rounded as DfE rounds, is what DfE published.
/// Symbols other than `low` match anything: nothing was published.
pub fn matches_published(cell: Cell, value: Option<f64>) -> bool {
    match (cell, value) {
        (Cell::Number(p), Some(v)) => (round_dfe(v, 1) - p).abs() < 1e-9,
        (Cell::Number(_), None) => false,
        (Cell::Low, Some(v)) => v > 0.0 && round_dfe(v, 1) == 0.0,
        (Cell::Low, None) => false,
        _ => true,
    }
}

/// Every published figure as these targets would produce it, in the order of
/// [`sightline_core::published::FIELDS`].
pub fn computed(t: &YearTargets, divisor: f64) -> [(&'static str, Option<f64>); 22] {
    let f = from_units;
    let (i, ih) = (f(t.inpost_fte), t.inpost_headcount as f64);
    let (a, ah) = (f(t.agency_fte), t.agency_headcount as f64);
    let (v, ac) = (f(t.vacancy_fte), f(t.agency_cover_fte));
    [
        ("inpost_fte", Some(i)),
        ("inpost_headcount", Some(ih)),
        ("starters_fte", Some(f(t.starters_fte))),
        ("starters_headcount", Some(t.starters_headcount as f64)),
        ("leavers_fte", Some(f(t.leavers_fte))),
        ("leavers_headcount", Some(t.leavers_headcount as f64)),
        ("turnover_rate_fte", turnover_rate(f(t.leavers_fte), i)),
        ("turnover_rate_headcount", turnover_rate(t.leavers_headcount as f64, ih)),
        ("agency_fte", Some(a)),
        ("agency_headcount", Some(ah)),
        ("agency_rate_fte", agency_rate(a, i)),
        ("agency_rate_headcount", agency_rate(ah, ih)),
        ("agency_cover_fte", Some(ac)),
        ("agency_cover_rate_fte", agency_cover_rate(ac, a)),
        ("vacancy_fte", Some(v)),
        ("vacancy_rate_fte", vacancy_rate(v, i)),
        ("vacancy_agency_cover_rate_fte", vacancy_agency_cover_rate(ac, v)),
        ("case_holders_fte", Some(f(t.case_holders_fte))),
        ("cases", Some(t.cases as f64)),
        ("caseload_fte", caseload(t.cases as f64, f(t.case_holders_fte))),
        ("working_days_lost_fte", Some(f(t.working_days_lost))),
        ("absence_rate_fte", absence_rate(f(t.working_days_lost), i, divisor)),
    ]
}

/// Why a year cannot be built at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{year}: DfE published no in-post FTE or headcount for this authority, so there is nothing to build the year from"
)]
pub struct NoInPostFigures {
    pub year: i32,
}

/// Chooses unrounded targets for one published year.
pub fn solve(row: &PublishedRow) -> Result<YearTargets, NoInPostFigures> {
    let year = row.time_period;
    let period = Period::census_year(year);
    let divisor = sightline_core::indicators::absence_divisor(period);
    let c = |f: &str| row.cell(f);
    let n = |f: &str| row.number(f);
    let headcount = |f: &str| n(f).map(|x| x.round() as u32);

    let inpost_range = within_headcount(count_range(c("inpost_fte")), headcount("inpost_headcount"))
        .or_else(|| headcount("inpost_headcount").map(|h| (to_units(h as f64 * 0.92), to_units(h as f64 * 0.92))))
        .ok_or(NoInPostFigures { year })?;
    let approx_inpost = from_units(mid(inpost_range));
    let inpost_headcount = headcount("inpost_headcount").unwrap_or((approx_inpost / 0.92).ceil() as u32);

    // Rates that imply a count from in-post FTE, as unit ranges.
    let scale = |r: Option<(f64, f64)>, g: &dyn Fn(f64) -> f64| r.map(|(lo, hi)| (g(lo), g(hi)));
    let share = |q: f64| q / (100.0 - q); // x / (x + I) = q%  =>  x = I q / (100 - q)

    let agency_headcount_default =
        n("agency_rate_headcount").map_or(0, |q| (inpost_headcount as f64 * share(q)).round() as u32);
    let agency_headcount = headcount("agency_headcount").unwrap_or(agency_headcount_default);
    let agency_count = within_headcount(count_range(c("agency_fte")), Some(agency_headcount));
    let leavers_count = within_headcount(count_range(c("leavers_fte")), headcount("leavers_headcount"));
    let starters_count = within_headcount(count_range(c("starters_fte")), headcount("starters_headcount"));
    // Unpublished FTEs follow their headcounts where those were published.
    let leavers_default =
        |i: i64| headcount("leavers_headcount").map_or(to_units(from_units(i) * 0.14), |h| to_units(h as f64 * 0.93));
    let starters_default = |i: i64| headcount("starters_headcount").map_or(i * 13 / 100, |h| to_units(h as f64 * 0.94));

    let mut best: Option<(usize, YearTargets)> = None;
    // The first candidate that misses nothing, in case none also fits case holders.
    let mut perfect: Option<YearTargets> = None;
    for i in grid(inpost_range, 40) {
        let i_f = i as f64;
        let agency_implied = scale(rate_range(c("agency_rate_fte")), &|q| i_f * share(q));
        let vacancy_implied = scale(rate_range(c("vacancy_rate_fte")), &|q| i_f * share(q));
        let agency_choice =
            pick(count_range(c("agency_fte")), agency_implied, to_units(agency_headcount as f64 * 0.97));
        let vacancy_choice = pick(count_range(c("vacancy_fte")), vacancy_implied, i / 8);
        let around = |choice: i64, count: Option<(i64, i64)>, implied: Option<(f64, f64)>| -> Vec<i64> {
            let range = match (count, implied) {
                (Some(c), Some((lo, hi))) => (c.0.max(lo.ceil() as i64), c.1.min(hi.floor() as i64)),
                (Some(c), None) => c,
                _ => (choice, choice),
            };
            if range.0 <= range.1 {
                grid(range, 12)
            } else {
                vec![choice]
            }
        };
        for a in around(agency_choice, agency_count, agency_implied) {
            let mut vacancies = around(vacancy_choice, count_range(c("vacancy_fte")), vacancy_implied);
            if let Some(v) = vacancy_meeting_every_rate(row, i, a) {
                vacancies.insert(0, v);
            }
            for v in vacancies {
                let leavers = pick(
                    leavers_count,
                    scale(rate_range(c("turnover_rate_fte")), &|q| i_f * q / 100.0),
                    leavers_default(i),
                );
                let cover_by_agency = scale(rate_range(c("agency_cover_rate_fte")), &|q| a as f64 * q / 100.0);
                let cover_by_vacancy = scale(rate_range(c("vacancy_agency_cover_rate_fte")), &|q| v as f64 * q / 100.0);
                let implied_cover = match (cover_by_agency, cover_by_vacancy) {
                    (Some(x), Some(y)) => Some((x.0.max(y.0), x.1.min(y.1))),
                    (x, y) => x.or(y),
                };
                let cover =
                    pick(count_range(c("agency_cover_fte")), implied_cover, a.min(v) * 4 / 5).clamp(0, a.min(v));
                let days = pick(
                    count_range(c("working_days_lost_fte")),
                    scale(rate_range(c("absence_rate_fte")), &|q| i_f * divisor * q / 100.0),
                    (i_f * divisor * 0.035) as i64,
                );
                let t = YearTargets {
                    year,
                    inpost_fte: i,
                    inpost_headcount,
                    starters_fte: pick(starters_count, None, starters_default(i)),
                    starters_headcount: headcount("starters_headcount").unwrap_or(0),
                    leavers_fte: leavers,
                    leavers_headcount: headcount("leavers_headcount").unwrap_or(0),
                    agency_fte: a,
                    agency_headcount,
                    agency_cover_fte: cover,
                    vacancy_fte: v,
                    case_holders_fte: 0,
                    cases: 0,
                    working_days_lost: days,
                };
                let score = misses_before_caseload(row, &t, divisor);
                if score == 0 {
                    let (fitted, fits) = with_case_holders(row, t.clone());
                    if fits {
                        return Ok(fitted);
                    }
                    perfect.get_or_insert(fitted);
                }
                if best.as_ref().is_none_or(|(s, _)| score < *s) {
                    best = Some((score, t));
                }
            }
        }
    }
    Ok(perfect.unwrap_or_else(|| with_case_holders(row, best.expect("at least one candidate").1).0))
}

/// The middle of the vacancy FTE range that meets, with in-post FTE `i` and
/// agency FTE `a`, the published vacancy FTE, vacancy rate and (through the
/// cover the agency figures allow) vacancy cover rate at once; the search
/// grid alone can step over a narrow range.
fn vacancy_meeting_every_rate(row: &PublishedRow, i: i64, a: i64) -> Option<i64> {
    let c = |f: &str| row.cell(f);
    let as_units = |(lo, hi): (f64, f64)| (lo.ceil() as i64, hi.floor() as i64);
    let meet = |x: (i64, i64), y: (i64, i64)| (x.0.max(y.0), x.1.min(y.1));
    let (i_f, a_f) = (i as f64, a as f64);
    let mut range = count_range(c("vacancy_fte")).unwrap_or((0, i64::MAX));
    if let Some((lo, hi)) = rate_range(c("vacancy_rate_fte")) {
        range = meet(range, as_units((i_f * lo / (100.0 - lo), i_f * hi / (100.0 - hi))));
    }
    let mut cover = meet(count_range(c("agency_cover_fte")).unwrap_or((0, a)), (0, a));
    if let Some((lo, hi)) = rate_range(c("agency_cover_rate_fte")) {
        cover = meet(cover, as_units((a_f * lo / 100.0, a_f * hi / 100.0)));
    }
    if let Some((lo, hi)) = rate_range(c("vacancy_agency_cover_rate_fte")).filter(|(lo, _)| *lo > 0.0) {
        range = meet(range, as_units((100.0 * cover.0 as f64 / hi, 100.0 * cover.1 as f64 / lo)));
    }
    (cover.0 <= cover.1 && range.0 <= range.1 && range.1 != i64::MAX).then(|| mid(range))
}

/// Fills in cases and case-holder FTE, which are tied only to each other
/// and to how the in-post and agency FTE can be split; says whether a
/// case-holder FTE was found that the split allows.
fn with_case_holders(row: &PublishedRow, mut t: YearTargets) -> (YearTargets, bool) {
    let c = |f: &str| row.cell(f);
    let n = |f: &str| row.number(f);
    fill_headcount_defaults(&mut t);
    // Caseload: cases and case holders are tied only to each other.
    let cases = n("cases").map(|x| x.round() as u64);
    let holders_implied = |cases: u64| {
        rate_range(c("caseload_fte")).map(|(lo, hi)| (cases as f64 * UNIT as f64 / hi, cases as f64 * UNIT as f64 / lo))
    };
    let default_holders = (t.inpost_fte + t.agency_fte) * 2 / 3;
    t.cases = cases.unwrap_or_else(|| {
        let per = n("caseload_fte").unwrap_or(16.0);
        let holders = count_range(c("case_holders_fte")).map_or(default_holders, mid);
        (from_units(holders) * per).round() as u64
    });
    let first_choice = pick(count_range(c("case_holders_fte")), holders_implied(t.cases), default_holders);
    let holders_range = match (count_range(c("case_holders_fte")), holders_implied(t.cases)) {
        (Some(cr), Some((lo, hi))) => Some((cr.0.max(lo.ceil() as i64), cr.1.min(hi.floor() as i64))),
        (cr, _) => cr,
    };
    let fitting = holders_range
        .filter(|(lo, hi)| lo <= hi)
        .and_then(|r| grid(r, 200).into_iter().find(|h| case_holders_fit(&t, *h)));
    t.case_holders_fte = fitting.unwrap_or(first_choice);
    (t, fitting.is_some())
}

/// Headcounts DfE did not publish, from the FTE beside them.
fn fill_headcount_defaults(t: &mut YearTargets) {
    let heads = |fte: i64| (from_units(fte) / 0.95).ceil() as u32;
    if t.starters_headcount == 0 && t.starters_fte > 0 {
        t.starters_headcount = heads(t.starters_fte);
    }
    if t.leavers_headcount == 0 && t.leavers_fte > 0 {
        t.leavers_headcount = heads(t.leavers_fte);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::published::Published;

    #[test]
    fn bcp_2021_is_solved_exactly() {
        let p = Published::shipped();
        let row = p.authority("839").into_iter().find(|r| r.time_period == 2021).unwrap().clone();
        let t = solve(&row).unwrap();
        let divisor = sightline_core::indicators::absence_divisor(Period::census_year(2021));
        assert_eq!(misses(&row, &t, divisor), 0, "{t:?}");
        assert_eq!(t.inpost_headcount, 223);
        assert_eq!(round_dfe(turnover_rate(from_units(t.leavers_fte), from_units(t.inpost_fte)).unwrap(), 1), 36.0);
    }

    #[test]
    fn published_symbols_constrain_nothing_but_low() {
        assert!(matches_published(Cell::Suppressed, Some(3.0)));
        assert!(matches_published(Cell::Low, Some(0.02)));
        assert!(!matches_published(Cell::Low, Some(0.0)));
        assert!(!matches_published(Cell::Number(36.0), Some(36.06)));
        assert!(matches_published(Cell::Number(36.1), Some(36.05)));
    }
}
