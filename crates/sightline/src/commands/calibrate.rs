//! `sightline plan calibrate`: how well the forecast's bands and medians
//! did on every English authority's published history.
//!
//! For each authority and cut-off (30 September of a census year Y), a
//! synthetic authority is calibrated to DfE's published figures for the
//! years up to Y only (so nothing after the cut-off shapes its history), the
//! model is fitted at the cut-off and forecast with no levers, and the
//! forecast 12 and 24 months on is set beside what DfE published for Y+1
//! and Y+2. Beside it, the simple baselines a forecast has to beat: next
//! year as last year (carry forward), and last year moved on by the
//! statistical neighbours' change over the year to the cut-off (DfE's 2025
//! model; the mean over those with both years published), once a year ahead.

use crate::cli::print_out;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sightline_core::benchmark::NeighbourModel;
use sightline_core::coverage::Coverage;
use sightline_core::published::{Published, PublishedRow};
use sightline_core::Calendar;
use sightline_plan::{fit_weighted, forecast, window_for, Options, Quantiles, Scenario, WINDOW_MONTHS};
use sightline_synth::{synthesize, Basis, Request};
use std::collections::BTreeMap;

/// The figures calibrated: rates DfE publishes for every authority.
pub const FIGURES: [&str; 3] = ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"];

/// The first census year of the published series a history is built from.
const FIRST_YEAR: i32 = 2017;

#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// `all`, or how many authorities: N picked at random (by `--seed`) from
    /// those with every figure published for the years needed.
    #[arg(long, default_value = "all")]
    authorities: String,
    /// Cut-offs: 30 September dates, comma-separated.
    #[arg(long, default_value = "2021-09-30,2022-09-30,2023-09-30")]
    at: String,
    /// Runs of each forecast.
    #[arg(long, default_value_t = 500)]
    runs: u32,
    /// Months of history the model is fitted on; by default what the
    /// product fits on: the months the history covers, at most 60.
    #[arg(long)]
    window: Option<u32>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Weigh the window's months by recency, a month this many months back
    /// counting half (to measure the choice; the default is the model's).
    #[arg(long)]
    half_life: Option<f64>,
    /// `table` or `json`.
    #[arg(long, default_value = "table")]
    format: String,
}

/// `n` of the codes picked at random by `seed` (the same seed, the same
/// pick), in code order; all of them when there are no more than `n`.
fn pick(mut codes: Vec<u16>, n: usize, seed: u64) -> Vec<u16> {
    // SplitMix64 of the seed and the code: a fixed, well-mixed order.
    let key = |code: u16| {
        let mut z = seed.wrapping_add(u64::from(code).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    codes.sort_by_key(|c| (key(*c), *c));
    codes.truncate(n);
    codes.sort_unstable();
    codes
}

/// One forecast of one figure set beside what was published.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub authority: String,
    pub cut_off: i32,
    pub figure: &'static str,
    /// Months after the cut-off: 12 or 24.
    pub horizon: u32,
    pub published: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    /// The published figure of the cut-off year, carried forward.
    pub carried: f64,
    /// That figure moved on by the neighbours' change over the year to the
    /// cut-off, once for each year ahead (none without a neighbour's change).
    pub neighbours_trend: Option<f64>,
}

/// The summary of one figure at one horizon.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    pub figure: &'static str,
    pub horizon: u32,
    pub forecasts: usize,
    /// Share of published outcomes inside P10-P90 (an 80% band), and inside
    /// P25-P75 (a 50% band).
    pub inside_p10_p90: f64,
    pub inside_p25_p75: f64,
    /// Share below P10, and above P90.
    pub below: f64,
    pub above: f64,
    /// Mean absolute error of the median, percentage points.
    pub median_error: f64,
    /// Mean absolute error of carrying the cut-off year forward.
    pub carry_forward_error: f64,
    /// Mean absolute error of the neighbours' trend, over the forecasts
    /// that have one (all but authorities with no neighbour published).
    pub neighbours_trend_error: Option<f64>,
}

pub fn run_calibrate(args: CalibrateArgs) -> Result<()> {
    let cut_offs: Vec<i32> = args
        .at
        .split(',')
        .map(|d| {
            let date: NaiveDate = d.trim().parse().with_context(|| format!("--at `{d}`: a date as YYYY-MM-DD"))?;
            if chrono::Datelike::month(&date) != 9 || chrono::Datelike::day(&date) != 30 {
                bail!("--at `{d}`: cut-offs are 30 September, the end of a census year");
            }
            Ok(chrono::Datelike::year(&date))
        })
        .collect::<Result<_>>()?;
    if !matches!(args.format.as_str(), "table" | "json") {
        bail!("--format is table or json");
    }
    let published = Published::shipped();
    let last_year = published.rows.iter().map(|r| r.time_period).max().unwrap_or(FIRST_YEAR);
    let mut codes: Vec<u16> = published.rows.iter().filter_map(|r| r.old_la_code).collect();
    codes.sort_unstable();
    codes.dedup();
    // Authorities with every calibrated figure published for every year needed.
    let needed = |rows: &[&PublishedRow]| {
        cut_offs.iter().all(|y| {
            (FIRST_YEAR..=(*y + 2).min(last_year))
                .all(|year| rows.iter().any(|r| r.time_period == year && FIGURES.iter().all(|f| r.number(f).is_some())))
        })
    };
    let mut chosen: Vec<u16> = codes.into_iter().filter(|c| needed(&published.authority(&c.to_string()))).collect();
    if args.authorities != "all" {
        let n: usize = args.authorities.parse().context("--authorities is `all` or a number")?;
        chosen = pick(chosen, n, args.seed);
    }
    if chosen.is_empty() {
        bail!("no authority has the published figures the cut-offs need");
    }
    let calendar = Calendar::england_and_wales();
    let neighbours = NeighbourModel::shipped_2025();
    let started = std::time::Instant::now();
    // Authorities in parallel, one thread a core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(chosen.len());
    let chunks: Vec<Vec<u16>> =
        (0..threads).map(|t| chosen.iter().skip(t).step_by(threads).copied().collect()).collect();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let (published, calendar, cut_offs, args, neighbours) =
                    (&published, &calendar, &cut_offs, &args, &neighbours);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for code in chunk {
                        for y in cut_offs {
                            out.extend(authority_outcomes(published, neighbours, calendar, *code, *y, last_year, args));
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let summaries = summarise(&outcomes);
    if args.format == "json" {
        let json = serde_json::json!({ "authorities": chosen.len(), "cut_offs": cut_offs, "runs": args.runs, "window_months": args.window, "most_window_months": WINDOW_MONTHS, "summary": summaries, "outcomes": outcomes });
        return print_out(&serde_json::to_string_pretty(&json)?);
    }
    let mut lines = vec![format!(
        "{} authorities, cut-offs {}, {} runs each, fitted on {}; {:.0} s.",
        chosen.len(),
        cut_offs.iter().map(|y| format!("30 September {y}")).collect::<Vec<_>>().join(", "),
        args.runs,
        args.window
            .map_or(format!("the months the history covers, at most {WINDOW_MONTHS}"), |w| format!("{w} months")),
        started.elapsed().as_secs_f64()
    )];
    lines.push(format!(
        "{:<18} {:>7} {:>9} {:>10} {:>6} {:>6} {:>10} {:>8} {:>8} {:>10}",
        "figure",
        "horizon",
        "forecasts",
        "in P10-P90",
        "below",
        "above",
        "in P25-P75",
        "median",
        "carried",
        "neighbours"
    ));
    for s in &summaries {
        lines.push(format!(
            "{:<18} {:>5} m {:>9} {:>9.0}% {:>5.0}% {:>5.0}% {:>9.0}% {:>8.2} {:>8.2} {:>10}",
            s.figure,
            s.horizon,
            s.forecasts,
            s.inside_p10_p90 * 100.0,
            s.below * 100.0,
            s.above * 100.0,
            s.inside_p25_p75 * 100.0,
            s.median_error,
            s.carry_forward_error,
            s.neighbours_trend_error.map_or("-".to_string(), |e| format!("{e:.2}"))
        ));
    }
    lines.push(
        "median, carried, neighbours: mean absolute error in percentage points of the forecast's median, of carrying the \
         cut-off year forward, and of that year moved on by the statistical neighbours' change over the year before."
            .to_string(),
    );
    print_out(&lines.join("\n"))
}

/// One authority at one cut-off: its outcomes at 12 and 24 months (those
/// DfE has published), or none when its history cannot be made.
fn authority_outcomes(
    published: &Published,
    neighbours: &NeighbourModel,
    calendar: &Calendar,
    code: u16,
    cut_off: i32,
    last_year: i32,
    args: &CalibrateArgs,
) -> Vec<Outcome> {
    let rows: Vec<&PublishedRow> = published.authority(&code.to_string());
    let Some(name) = rows.first().map(|r| r.la_name.clone()) else { return Vec::new() };
    let history: Vec<PublishedRow> =
        rows.iter().filter(|r| (FIRST_YEAR..=cut_off).contains(&r.time_period)).map(|r| (*r).clone()).collect();
    let request =
        Request::new(Basis::Published { authority: name.clone(), rows: history }, FIRST_YEAR..=cut_off, args.seed);
    let Ok(synthesis) = synthesize(&request, calendar) else { return Vec::new() };
    let Some(at) = NaiveDate::from_ymd_opt(cut_off, 9, 30) else { return Vec::new() };
    let coverage = Coverage::of(&synthesis.workforce, &BTreeMap::new());
    let Ok(window) = window_for(&coverage, at, args.window) else { return Vec::new() };
    let fitted = fit_weighted(&synthesis.workforce, calendar, at, window, args.half_life);
    if fitted.headcount() == 0 {
        return Vec::new();
    }
    let f = forecast(&fitted, &Scenario::baseline(), &Options { months: 24, runs: args.runs, seed: args.seed });
    let value = |year: i32, field: &str| rows.iter().find(|r| r.time_period == year).and_then(|r| r.number(field));
    // The neighbours' mean change over the year to the cut-off.
    let trend = |figure: &str| {
        let changes: Vec<f64> = neighbours
            .of
            .get(&code)
            .map(|(_, ns)| ns.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|(n, _)| {
                let rows = published.authority(&n.to_string());
                let at = |year: i32| rows.iter().find(|r| r.time_period == year).and_then(|r| r.number(figure));
                Some(at(cut_off)? - at(cut_off - 1)?)
            })
            .collect();
        (!changes.is_empty()).then(|| changes.iter().sum::<f64>() / changes.len() as f64)
    };
    let mut out = Vec::new();
    for figure in FIGURES {
        let Some(carried) = value(cut_off, figure) else { continue };
        let yearly = trend(figure);
        for horizon in [12u32, 24] {
            let year = cut_off + (horizon / 12) as i32;
            if year > last_year {
                continue;
            }
            let (Some(actual), Some(q)) =
                (value(year, figure), f.months.get(horizon as usize - 1).and_then(|m| m.figure(figure)))
            else {
                continue;
            };
            let Quantiles { p10, p25, p50, p75, p90 } = q;
            out.push(Outcome {
                authority: name.clone(),
                cut_off,
                figure,
                horizon,
                published: actual,
                p10,
                p25,
                p50,
                p75,
                p90,
                carried,
                neighbours_trend: yearly.map(|t| (carried + t * f64::from(horizon / 12)).max(0.0)),
            });
        }
    }
    out
}

/// Each figure and horizon summed up.
pub fn summarise(outcomes: &[Outcome]) -> Vec<Summary> {
    let mut groups: BTreeMap<(usize, u32), Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        let k = FIGURES.iter().position(|f| *f == o.figure).unwrap_or(0);
        groups.entry((k, o.horizon)).or_default().push(o);
    }
    groups
        .into_iter()
        .map(|((k, horizon), os)| {
            let n = os.len() as f64;
            let share = |f: &dyn Fn(&Outcome) -> bool| os.iter().filter(|o| f(o)).count() as f64 / n;
            Summary {
                figure: FIGURES[k],
                horizon,
                forecasts: os.len(),
                inside_p10_p90: share(&|o| o.p10 <= o.published && o.published <= o.p90),
                inside_p25_p75: share(&|o| o.p25 <= o.published && o.published <= o.p75),
                below: share(&|o| o.published < o.p10),
                above: share(&|o| o.published > o.p90),
                median_error: os.iter().map(|o| (o.p50 - o.published).abs()).sum::<f64>() / n,
                carry_forward_error: os.iter().map(|o| (o.carried - o.published).abs()).sum::<f64>() / n,
                neighbours_trend_error: {
                    let e: Vec<f64> =
                        os.iter().filter_map(|o| o.neighbours_trend.map(|t| (t - o.published).abs())).collect();
                    (!e.is_empty()).then(|| e.iter().sum::<f64>() / e.len() as f64)
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(published: f64, p10: f64, p50: f64, p90: f64, carried: f64) -> Outcome {
        Outcome {
            authority: "A".into(),
            cut_off: 2022,
            figure: "turnover_rate_fte",
            horizon: 12,
            published,
            p10,
            p25: (p10 + p50) / 2.0,
            p50,
            p75: (p50 + p90) / 2.0,
            p90,
            carried,
            neighbours_trend: (published > 6.0).then_some(carried - 1.0),
        }
    }

    #[test]
    fn a_number_of_authorities_is_a_random_pick_from_all_of_them_not_the_first() {
        let all: Vec<u16> = (201..=938).step_by(5).collect();
        let a = pick(all.clone(), 40, 1);
        assert_eq!(a.len(), 40);
        assert!(a.windows(2).all(|w| w[0] < w[1]), "in code order, no repeats");
        assert!(a.iter().all(|c| all.contains(c)));
        assert_eq!(a, pick(all.clone(), 40, 1), "the same seed, the same pick");
        assert_ne!(a, pick(all.clone(), 40, 2), "another seed, another pick");
        // Not the first 40 by code (London's): spread over the codes.
        assert_ne!(a, all[..40].to_vec());
        assert!(a.iter().filter(|c| **c >= 800).count() >= 2, "{a:?}");
        assert!(a.iter().filter(|c| **c < 400).count() >= 2, "{a:?}");
        assert_eq!(pick(all.clone(), 1000, 1), all, "more than there are: all");
    }

    #[test]
    fn coverage_and_errors_are_counted_as_a_user_would() {
        let s = summarise(&[
            outcome(10.0, 8.0, 11.0, 14.0, 12.0),
            outcome(20.0, 8.0, 11.0, 14.0, 12.0),
            outcome(5.0, 8.0, 11.0, 14.0, 12.0),
            outcome(8.0, 8.0, 9.0, 14.0, 8.0),
        ]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].forecasts, 4);
        assert_eq!((s[0].inside_p10_p90, s[0].below, s[0].above), (0.5, 0.25, 0.25), "a band's ends are inside it");
        assert!((s[0].median_error - (1.0 + 9.0 + 6.0 + 1.0) / 4.0).abs() < 1e-12);
        assert!((s[0].carry_forward_error - (2.0 + 8.0 + 7.0 + 0.0) / 4.0).abs() < 1e-12);
        // P25-P75 here: 9.5-12.5 (10 inside), 9.5-12.5, 9.5-12.5, 8.5-11.5 (8 outside).
        assert_eq!(s[0].inside_p25_p75, 0.25);
        // The neighbours' trend only where there is one: 11 against 10, 11 against 20, 7 against 8.
        assert!((s[0].neighbours_trend_error.unwrap() - (1.0 + 9.0 + 1.0) / 3.0).abs() < 1e-12);
    }
}
