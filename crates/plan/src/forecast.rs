//! The Monte Carlo forecast: a monthly stock-flow model of employed social
//! workers by stage and length of service, run many times.
//!
//! Each month, in this order: people leave (by their stage and band's rate,
//! changed by any retention lever); experienced workers become senior
//! practitioners and senior practitioners managers; newly qualified workers
//! finish their ASYE year (one in 12 a month); people move up a
//! length-of-service band; the authority hires in proportion to its vacant
//! FTE (the fitted hires per vacant FTE-month), by the stages its starters
//! had, plus any campaign or intake; agency workers convert to employment.
//! The levels of leaving, of hiring and of the establishment wander month by
//! month, and agency FTE is its own stock that wanders from where it is; a
//! scenario's change to vacancies (against the baseline run with the same
//! chances) is covered by agency in today's proportion, at most one agency
//! FTE for each vacant FTE. How far each level wanders was measured on
//! every English authority's published history (`sightline plan
//! calibrate`). Each run draws every rate from its
//! uncertainty (a Gamma distribution over the events and exposure behind
//! it, with cells of little data drawn towards their band's rate), so the
//! spread of the runs shows what the history does not pin down as well as
//! chance. The same seed gives the same forecast; run `k` uses stream `k`
//! of the seed, so a scenario and its baseline meet the same chances.

// The model is a grid of stages by length-of-service bands, moved between
// by index: indices read as the model is described.
#![allow(clippy::needless_range_loop)]

use crate::fit::{band_of, Fitted, BANDS, BAND_MONTHS, STAGES};
use crate::sample::{binomial, gamma, poisson};
use crate::scenario::{ForecastTarget, Month, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sightline_core::agency::STANDARD_WEEKLY_HOURS;
use sightline_core::indicators::{agency_rate, turnover_rate, vacancy_rate};

/// The figures forecast for each month, in this order.
pub const FIGURES: [&str; 6] =
    ["inpost_fte", "agency_fte", "vacancy_rate_fte", "agency_rate_fte", "turnover_rate_fte", "cost"];

/// Person-months of weight given to a band's rate when drawing a cell's.
const PRIOR_MONTHS: f64 = 24.0;
/// What an agency charges an hour when neither the scenario nor the data says.
const DEFAULT_CHARGE_PER_HOUR: f64 = 48.0;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub months: u32,
    pub runs: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quantiles {
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
}

impl Quantiles {
    /// Nearest-rank quantiles of `values` (reordered).
    pub fn of(values: &mut [f64]) -> Quantiles {
        if values.is_empty() {
            return Quantiles::default();
        }
        let mut at = |q: f64| {
            let k = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
            *values.select_nth_unstable_by(k, f64::total_cmp).1
        };
        Quantiles { p10: at(0.1), p25: at(0.25), p50: at(0.5), p75: at(0.75), p90: at(0.9) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForecastMonth {
    pub month: Month,
    /// One per [`FIGURES`].
    pub figures: [Quantiles; 6],
}

impl ForecastMonth {
    pub fn figure(&self, name: &str) -> Option<Quantiles> {
        FIGURES.iter().position(|f| *f == name).map(|i| self.figures[i])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetOutcome {
    pub target: ForecastTarget,
    /// The share of runs meeting it; `None` when its month is outside the forecast.
    pub probability: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub scenario: String,
    /// The first month forecast.
    pub start: Month,
    pub runs: u32,
    pub seed: u64,
    pub months: Vec<ForecastMonth>,
    pub targets: Vec<TargetOutcome>,
    /// Each run's cost over the whole forecast, in run order.
    pub run_costs: Vec<f64>,
}

impl Forecast {
    /// The cost over the whole forecast.
    pub fn total_cost(&self) -> Quantiles {
        Quantiles::of(&mut self.run_costs.clone())
    }

    /// This forecast's cost less `baseline`'s, run by run (the same chances in each).
    pub fn cost_against(&self, baseline: &Forecast) -> Quantiles {
        let mut d: Vec<f64> = self.run_costs.iter().zip(&baseline.run_costs).map(|(a, b)| a - b).collect();
        Quantiles::of(&mut d)
    }
}

/// The levers of a scenario, resolved to month offsets from the start.
#[derive(Clone, Copy)]
struct Plan<'a> {
    scenario: &'a Scenario,
    start: Month,
    salary_month: [f64; 4],
    agency_month_per_fte: f64,
}

impl Plan<'_> {
    fn offset(&self, m: Month) -> i32 {
        self.start.until(m)
    }

    fn active(&self, from: Month, months: Option<u32>, t: i32) -> bool {
        let k = self.offset(from);
        t >= k && months.is_none_or(|n| t < k + n as i32)
    }

    fn establishment(&self, fitted: &Fitted, t: i32) -> f64 {
        let mut est = fitted.establishment_fte;
        for e in self.scenario.establishment.iter().filter(|e| self.offset(e.from) <= t) {
            est += e.change_fte;
        }
        for c in self.scenario.caseload_caps.iter().filter(|c| self.offset(c.from) <= t) {
            est += (fitted.cases as f64 / c.cases_per_fte - fitted.case_holders_fte).max(0.0);
        }
        est.max(0.0)
    }
}

/// Whether a retention lever covers stage `s` and band `b`.
fn in_group(r: &crate::scenario::Retention, s: usize, b: usize) -> bool {
    if !r.stages.iter().any(|st| st.index() == s) {
        return false;
    }
    match r.service_years {
        None => true,
        Some((from, to)) => {
            let first = BANDS[b].0;
            let next = BANDS.get(b + 1).map_or(u32::MAX, |n| n.0);
            // The band overlaps years [from, to] of service (in months: [from*12, (to+1)*12)).
            first < (to + 1) * 12 && next > from * 12
        }
    }
}

impl Scenario {
    /// Whether the scenario changes the workforce (not only costs and targets).
    fn has_levers(&self) -> bool {
        !(self.retention.is_empty()
            && self.campaigns.is_empty()
            && self.intake.is_empty()
            && self.conversion.is_empty()
            && self.establishment.is_empty()
            && self.caseload_caps.is_empty())
    }
}

/// One run's rates.
struct Rates {
    leaving: [[f64; 5]; 4],
    progression: [f64; 2],
    hiring: f64,
    conversion: f64,
}

fn draw_rates(fitted: &Fitted, rng: &mut ChaCha8Rng) -> Rates {
    let overall = fitted.leaving_overall().mean().unwrap_or(0.0);
    let draw = |rng: &mut ChaCha8Rng, events: f64, exposure: f64| -> f64 {
        if exposure <= 0.0 {
            return 0.0;
        }
        gamma(rng, events + 0.5, 1.0 / exposure)
    };
    let mut leaving = [[0.0; 5]; 4];
    for b in 0..BANDS.len() {
        let band = fitted.leaving_by_band(b);
        let band_rate = band.mean().unwrap_or(overall);
        for s in 0..STAGES.len() {
            let cell = fitted.leaving[s][b];
            leaving[s][b] = (draw(rng, cell.events + PRIOR_MONTHS * band_rate, cell.exposure + PRIOR_MONTHS)
                * fitted.turnover_pull.scale)
                .min(1.0);
        }
    }
    let progression = [
        draw(rng, fitted.progression[0].events, fitted.progression[0].exposure).min(1.0),
        draw(rng, fitted.progression[1].events, fitted.progression[1].exposure).min(1.0),
    ];
    // Hiring leans towards the rate that would replace today's leavers,
    // keeping vacancies where they are (geometrically, by the fitted weight).
    let mut hiring = draw(rng, fitted.hiring.events, fitted.hiring.exposure);
    if fitted.hiring_balance > 0.0 && fitted.vacancy_fte > 0.0 {
        let leaving_now: f64 = (0..4)
            .flat_map(|s| (0..5).map(move |b| (s, b)))
            .map(|(s, b)| f64::from(fitted.stock[s][b]) * leaving[s][b])
            .sum();
        let replacing = leaving_now / fitted.vacancy_fte;
        if hiring > 0.0 && replacing > 0.0 {
            hiring = hiring.powf(1.0 - fitted.hiring_balance) * replacing.powf(fitted.hiring_balance);
        }
    }
    // No more than every vacant post filled in a month (a handful of
    // vacancies against many leavers would otherwise ask for thousands).
    let hiring = hiring.min(1.0);
    Rates {
        leaving,
        progression,
        hiring,
        conversion: draw(rng, fitted.conversion.events, fitted.conversion.exposure).min(1.0),
    }
}

/// The stream of a run's wandering levels: apart from the stream of its
/// events, so that a scenario and its baseline share the levels exactly.
const LEVEL_STREAMS: u64 = 1 << 32;

/// Runs `run` of the model, writing each month's figures into `out`
/// (months × figures) and its vacant FTE into `vacancies` (months).
/// `baseline` is the baseline run's vacant FTE by month, for a scenario.
fn one_run(
    fitted: &Fitted,
    plan: &Plan<'_>,
    options: &Options,
    run: u32,
    baseline: Option<&[f64]>,
    out: &mut [f64],
    vacancies: &mut [f64],
) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(u64::from(run));
    let mut levels = ChaCha8Rng::seed_from_u64(options.seed);
    levels.set_stream(LEVEL_STREAMS + u64::from(run));
    let rates = draw_rates(fitted, &mut rng);
    let scenario = plan.scenario;
    let mut n = fitted.stock;
    let fte = fitted.fte_per_head;
    let starters: u32 = fitted.starters_by_stage.iter().sum();
    let agency_fte_per_head =
        if fitted.agency_headcount > 0 { fitted.agency_fte / f64::from(fitted.agency_headcount) } else { 1.0 };
    // Leavers' FTE in the last 12 months, oldest first: history, then the run's own.
    let mut recent: Vec<f64> = fitted.leavers_fte_last_12.clone();
    // Retention recipients still within their clawback, per lever: (count, months left).
    let mut pools: Vec<(u32, u32)> = vec![(0, 0); scenario.retention.len()];
    let mut campaign_done = vec![0.0f64; scenario.campaigns.len()];
    // Recruits in training: (month they join, stage, how many).
    let mut pipeline: Vec<(i32, usize, u32)> = Vec::new();
    // A change to vacancies the scenario makes is covered in today's proportion.
    let cover = fitted.agency_cover.min(1.0);
    let mut total_cost = 0.0;
    let inpost = |n: &[[u32; 5]; 4]| -> f64 { (0..4).map(|s| f64::from(n[s].iter().sum::<u32>()) * fte[s]).sum() };
    // The run's levels of leaving, hiring and establishment, wandering month
    // by month, and agency's own wander (in FTE, as a share of today's in post).
    let (mut leaving_level, mut hiring_level, mut establishment_level) = (1.0f64, 1.0f64, 1.0f64);
    let mut agency_wander = 0.0f64;
    let mut agency = fitted.agency_fte;
    for t in 0..options.months as i32 {
        let mut cost = 0.0;
        let mut normal = || -> f64 { rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut levels) };
        // Each step keeps the level's expected value (a log-normal step of mean 1):
        // rates wander, but are not expected to rise or fall.
        let mut step = |volatility: f64| -> f64 { (volatility * normal() - volatility * volatility / 2.0).exp() };
        leaving_level *= step(fitted.leaving_volatility);
        hiring_level *= step(fitted.hiring_volatility);
        establishment_level *= step(fitted.establishment_volatility);
        agency_wander += fitted.agency_volatility * normal();
        // Retention payments when a lever starts.
        for (k, r) in scenario.retention.iter().enumerate() {
            if plan.offset(r.from) == t {
                let group: u32 = (0..4)
                    .flat_map(|s| (0..5).map(move |b| (s, b)))
                    .filter(|&(s, b)| in_group(r, s, b))
                    .map(|(s, b)| n[s][b])
                    .sum();
                cost += f64::from(group) * r.payment;
                pools[k] = (group, r.clawback_months);
            }
        }
        // Leaving.
        let mut left_fte = 0.0;
        for s in 0..4 {
            for b in 0..5 {
                let mut h = rates.leaving[s][b] * leaving_level;
                let mut lever = None;
                for (k, r) in scenario.retention.iter().enumerate() {
                    if plan.active(r.from, r.months, t) && in_group(r, s, b) {
                        h *= 1.0 + r.leaving_change;
                        lever = Some(k);
                    }
                }
                let group_size = n[s][b];
                let gone = binomial(&mut rng, group_size, h.clamp(0.0, 1.0));
                n[s][b] -= gone;
                left_fte += f64::from(gone) * fte[s];
                // Recipients among them repay within the clawback period.
                if let Some(k) = lever {
                    let (pool, months_left) = pools[k];
                    if months_left > 0 && pool > 0 && gone > 0 {
                        let group_now: u32 = (0..4)
                            .flat_map(|s| (0..5).map(move |b| (s, b)))
                            .filter(|&(s2, b2)| in_group(&scenario.retention[k], s2, b2))
                            .map(|(s2, b2)| n[s2][b2])
                            .sum::<u32>()
                            + gone;
                        let share = (f64::from(pool) / f64::from(group_now.max(1))).min(1.0);
                        let repaid = binomial(&mut rng, gone, share).min(pool);
                        pools[k].0 -= repaid;
                        cost -= f64::from(repaid) * scenario.retention[k].payment;
                    }
                }
            }
        }
        for p in pools.iter_mut() {
            p.1 = p.1.saturating_sub(1);
        }
        // Progression, the end of the ASYE year, and length of service.
        for b in 0..5 {
            let up = binomial(&mut rng, n[1][b], rates.progression[0]);
            n[1][b] -= up;
            n[2][b] += up;
            let up = binomial(&mut rng, n[2][b], rates.progression[1]);
            n[2][b] -= up;
            n[3][b] += up;
            let done = binomial(&mut rng, n[0][b], 1.0 / 12.0);
            n[0][b] -= done;
            n[1][b] += done;
        }
        for s in 0..4 {
            for b in (0..4).rev() {
                let moved = binomial(&mut rng, n[s][b], 1.0 / BAND_MONTHS[b]);
                n[s][b] -= moved;
                n[s][b + 1] += moved;
            }
        }
        // Hiring against the vacancies, by the stages starters came at.
        let est = plan.establishment(fitted, t) * establishment_level;
        let vacant = (est - inpost(&n)).max(0.0) + fitted.structural_vacancy_fte;
        let drawn = poisson(&mut rng, rates.hiring * hiring_level * vacant).min(vacant.ceil() as u32);
        // Hires already known this month (accepted offers) are a floor: the
        // draw stands for the month's hires, known ones among them.
        let known: Vec<(usize, u32)> =
            fitted.known_starts.iter().filter(|(m, _, _)| *m == t as u32).map(|(_, s, n)| (*s, *n)).collect();
        let known_total: u32 = known.iter().map(|(_, n)| n).sum();
        for (stage, count) in &known {
            n[*stage][0] += count;
        }
        let hires = drawn.saturating_sub(known_total);
        for _ in 0..hires {
            let stage = if starters == 0 {
                1
            } else {
                let u = rand::Rng::gen_range(&mut rng, 0..starters);
                let mut acc = 0;
                let mut pick = 1;
                for (s, c) in fitted.starters_by_stage.iter().enumerate() {
                    acc += c;
                    if u < acc {
                        pick = s;
                        break;
                    }
                }
                pick
            };
            n[stage][0] += 1;
        }
        // Campaigns: recruits spread evenly over their months, paid for when
        // recruited, joining after any training programme.
        for (k, c) in scenario.campaigns.iter().enumerate() {
            let (first, last) = (plan.offset(c.from), plan.offset(c.to));
            if t >= first && t <= last {
                let span = f64::from((last - first + 1) as u32);
                let due = c.count * f64::from((t - first + 1) as u32) / span;
                let now = (due.floor() - campaign_done[k].floor()).max(0.0) as u32;
                campaign_done[k] = due;
                cost += f64::from(now) * c.cost_each;
                pipeline.push((t + c.joins_after_months as i32, c.stage.index(), now));
            }
        }
        pipeline.retain(|&(when, stage, count)| {
            if when <= t {
                n[stage][0] += count;
                false
            } else {
                true
            }
        });
        for intake in &scenario.intake {
            if plan.start.plus(t).month == intake.month && t >= plan.offset(intake.from) {
                n[0][0] += intake.per_year;
                cost += f64::from(intake.per_year) * intake.cost_each;
            }
        }
        // Agency workers who become employed, of those in post last month.
        let agency_heads = (agency / agency_fte_per_head).round() as u32;
        let mut conversion = rates.conversion;
        let mut conversion_cost = 0.0;
        for c in scenario.conversion.iter().filter(|c| plan.active(c.from, c.months, t)) {
            conversion *= 1.0 + c.change;
            conversion_cost = c.cost_each;
        }
        let converted = binomial(&mut rng, agency_heads, conversion.clamp(0.0, 1.0));
        n[1][band_of(0)] += converted;
        cost += f64::from(converted) * conversion_cost;
        // The month's figures.
        let inpost_fte = inpost(&n);
        let vacancy = (est - inpost_fte).max(0.0) + fitted.structural_vacancy_fte;
        vacancies[t as usize] = vacancy;
        let levers = baseline.map_or(0.0, |b| vacancy - b[t as usize]);
        agency = (fitted.agency_fte + fitted.inpost_fte * agency_wander + cover * levers).max(0.0);
        recent.push(left_fte);
        if recent.len() > 12 {
            recent.remove(0);
        }
        let leavers_12: f64 = recent.iter().sum();
        cost += (0..4).map(|s| f64::from(n[s].iter().sum::<u32>()) * fte[s] * plan.salary_month[s]).sum::<f64>();
        cost += agency * plan.agency_month_per_fte;
        total_cost += cost;
        let row = &mut out[t as usize * FIGURES.len()..(t as usize + 1) * FIGURES.len()];
        row[0] = inpost_fte;
        row[1] = agency;
        row[2] = vacancy_rate(vacancy, inpost_fte).unwrap_or(0.0);
        row[3] = agency_rate(agency, inpost_fte).unwrap_or(0.0);
        row[4] = turnover_rate(leavers_12, inpost_fte).unwrap_or(0.0);
        row[5] = cost;
    }
    total_cost
}

/// Every run of `plan`: each run's figures (runs × months × figures), its
/// cost, and its vacant FTE (runs × months), the runs shared among threads.
fn all_runs(
    fitted: &Fitted,
    plan: &Plan<'_>,
    options: &Options,
    baseline: Option<&[f64]>,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let months = options.months as usize;
    let width = months * FIGURES.len();
    let runs = options.runs.max(1) as usize;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(runs).max(1);
    let per = runs.div_ceil(threads);
    let mut values = vec![0.0f64; runs * width];
    let mut run_costs = vec![0.0f64; runs];
    let mut vacancies = vec![0.0f64; runs * months];
    std::thread::scope(|scope| {
        let chunks = values
            .chunks_mut((per * width).max(1))
            .zip(run_costs.chunks_mut(per))
            .zip(vacancies.chunks_mut((per * months).max(1)));
        for (k, ((chunk, totals), vacant)) in chunks.enumerate() {
            scope.spawn(move || {
                let each = chunk.chunks_mut(width.max(1)).zip(totals.iter_mut()).zip(vacant.chunks_mut(months.max(1)));
                for (i, ((out, total), vacant)) in each.enumerate() {
                    let run = k * per + i;
                    let base = baseline.map(|b| &b[run * months..(run + 1) * months]);
                    *total = one_run(fitted, plan, options, run as u32, base, out, vacant);
                }
            });
        }
    });
    (values, run_costs, vacancies)
}

/// Runs of the baseline that set the scale of leaving (see
/// [`crate::fit::TurnoverPull`]); 200 left the scale noisy enough to move a
/// year's calibration by a point or two.
const PILOT_RUNS: u32 = 500;
/// Steps of the pilot: with one, a forecast's median turnover a year ahead
/// could miss its target by half a point or more.
const PILOT_STEPS: u32 = 2;

/// `fitted` with its leaving scaled so that the baseline's median turnover
/// a year ahead is the pull's target (none without one). Turnover is not in
/// proportion to the leaving rate (those who leave cannot leave again, and
/// hires replace them), so the scale is found in [`PILOT_STEPS`] steps, each
/// moving it by the target over the median the last gave; the pilot's runs
/// are the forecast's own first runs (the same seed and streams).
fn pulled(fitted: &Fitted, options: &Options) -> Option<Fitted> {
    let target = fitted.turnover_pull.target?;
    let mut scaled = fitted.clone();
    scaled.turnover_pull.scale = 1.0;
    let baseline = Scenario::baseline();
    let plan = Plan {
        scenario: &baseline,
        start: Month::of(fitted.as_of).plus(1),
        salary_month: [0.0; 4],
        agency_month_per_fte: 0.0,
    };
    let pilot = Options { months: 12, runs: PILOT_RUNS, seed: options.seed };
    let width = 12 * FIGURES.len();
    for _ in 0..PILOT_STEPS {
        let (values, _, _) = all_runs(&scaled, &plan, &pilot, None);
        let mut turnover: Vec<f64> =
            (0..PILOT_RUNS as usize).map(|r| values[r * width + 11 * FIGURES.len() + 4]).collect();
        let median = Quantiles::of(&mut turnover).p50;
        if median.is_nan() || median <= 0.0 {
            return None;
        }
        scaled.turnover_pull.scale = (scaled.turnover_pull.scale * target / median).clamp(0.25, 4.0);
    }
    Some(scaled)
}

/// Forecasts `scenario` from `fitted`, month by month from the month after `fitted.as_of`.
pub fn forecast(fitted: &Fitted, scenario: &Scenario, options: &Options) -> Forecast {
    let pulled = pulled(fitted, options);
    let fitted = pulled.as_ref().unwrap_or(fitted);
    let start = Month::of(fitted.as_of).plus(1);
    let costs = &scenario.costs;
    let charge = costs.agency_charge_per_hour.or(fitted.charge_per_hour).unwrap_or(DEFAULT_CHARGE_PER_HOUR);
    let plan = Plan {
        scenario,
        start,
        salary_month: costs.salary.map(|s| s * (1.0 + costs.on_costs) / 12.0),
        agency_month_per_fte: charge * STANDARD_WEEKLY_HOURS * 52.0 / 12.0,
    };
    let months = options.months as usize;
    let width = months * FIGURES.len();
    let runs = options.runs.max(1);
    // A scenario's agency covers the vacancies it changes against the baseline's.
    let baseline = scenario.has_levers().then(|| {
        let baseline = Scenario::baseline();
        all_runs(fitted, &Plan { scenario: &baseline, ..plan }, options, None).2
    });
    let (values, run_costs, _) = all_runs(fitted, &plan, options, baseline.as_deref());
    let mut column = vec![0.0f64; runs as usize];
    let mut out_months = Vec::with_capacity(months);
    for t in 0..months {
        let mut figures = [Quantiles::default(); 6];
        for (f, q) in figures.iter_mut().enumerate() {
            for (r, v) in column.iter_mut().enumerate() {
                *v = values[r * width + t * FIGURES.len() + f];
            }
            *q = Quantiles::of(&mut column);
        }
        out_months.push(ForecastMonth { month: start.plus(t as i32), figures });
    }
    let targets = scenario
        .targets
        .iter()
        .map(|target| {
            let t = start.until(target.month());
            let f = FIGURES.iter().position(|f| *f == target.target.figure).expect("checked when read");
            let probability = (t >= 0 && (t as usize) < months).then(|| {
                let met = (0..runs as usize)
                    .filter(|r| target.target.is_met_by(values[r * width + t as usize * FIGURES.len() + f]))
                    .count();
                met as f64 / f64::from(runs)
            });
            TargetOutcome { target: target.clone(), probability }
        })
        .collect();
    Forecast {
        scenario: scenario.name.clone(),
        start,
        runs,
        seed: options.seed,
        months: out_months,
        targets,
        run_costs,
    }
}

/// The baseline and, when given, a scenario, forecast with the same
/// chances. The authority's own `targets` go into both; the scenario's
/// targets and costs apply to the baseline too, so the two compare like
/// with like.
pub fn with_baseline(
    fitted: &Fitted,
    scenario: Option<&Scenario>,
    targets: &[ForecastTarget],
    options: &Options,
) -> (Forecast, Option<Forecast>) {
    let mut baseline = Scenario::baseline();
    baseline.targets = targets.to_vec();
    if let Some(s) = scenario {
        baseline.costs = s.costs.clone();
        baseline.targets.extend(s.targets.iter().cloned());
    }
    let base = forecast(fitted, &baseline, options);
    let chosen = scenario.map(|s| {
        let mut s = s.clone();
        s.targets.extend(targets.iter().cloned());
        forecast(fitted, &s, options)
    });
    (base, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::Rate;
    use sightline_core::{Date, Period};

    /// 200 experienced workers of 5+ years, full time, establishment 250,
    /// 50 agency FTE covering the 50 vacancies, and no movement at all.
    pub(crate) fn still() -> Fitted {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let mut stock = [[0; 5]; 4];
        stock[1][4] = 200;
        Fitted {
            as_of: d("2025-03-31"),
            window: Period { start: d("2022-04-01"), end: d("2025-03-31") },
            stock,
            fte_per_head: [1.0; 4],
            leaving: [[Rate { events: 0.0, exposure: 1e9 }; 5]; 4],
            progression: [Rate { events: 0.0, exposure: 1e9 }; 2],
            hiring: Rate { events: 0.0, exposure: 1e9 },
            starters_by_stage: [0, 10, 0, 0],
            international_starters: 0,
            starters_by_route: Vec::new(),
            leaving_by_years_qualified: [Rate::default(); 6],
            conversion: Rate { events: 0.0, exposure: 1e9 },
            establishment_fte: 250.0,
            inpost_fte: 200.0,
            vacancy_fte: 50.0,
            agency_fte: 50.0,
            agency_headcount: 50,
            structural_vacancy_fte: 0.0,
            agency_cover: 1.0,
            leaving_volatility: 0.0,
            turnover_pull: crate::fit::TurnoverPull::NONE,
            hiring_volatility: 0.0,
            establishment_volatility: 0.0,
            agency_volatility: 0.0,
            hiring_balance: 0.0,
            leavers_fte_last_12: vec![0.0; 12],
            charge_per_hour: Some(50.0),
            cases: 3000,
            case_holders_fte: 200.0,
            known_starts: Vec::new(),
        }
    }

    #[test]
    fn accepted_offers_start_in_their_month_and_withdrawn_ones_do_not() {
        use sightline_core::recruitment::{Route, Vacancy};
        let d = |s: &str| s.parse::<Date>().unwrap();
        let vacancy = |start: &str, route, withdrawn: Option<&str>| Vacancy {
            reference: start.to_string(),
            team: None,
            role: None,
            route: Some(route),
            advertised: d("2025-01-06"),
            applications: None,
            shortlisted: None,
            interviewed: None,
            offered: Some(1),
            accepted: Some(1),
            offer_date: Some(d("2025-02-03")),
            start_date: Some(d(start)),
            withdrawn: withdrawn.map(d),
            withdrawn_reason: None,
            closed: None,
            cost: None,
            campaign: None,
        };
        // still() is fitted to 31 March 2025: April is the forecast's first month.
        let fitted = still().with_pipeline(&[
            vacancy("2025-04-07", Route::Experienced, None),
            vacancy("2025-04-22", Route::Experienced, None),
            vacancy("2025-06-02", Route::NewlyQualified, None),
            vacancy("2025-05-01", Route::Experienced, Some("2025-03-01")),
            // Started before the forecast: already in post.
            vacancy("2025-03-03", Route::Experienced, None),
        ]);
        assert_eq!(fitted.known_starts, [(0, 1, 2), (2, 0, 1)]);
        let f = forecast(&fitted, &Scenario::baseline(), &Options { months: 4, runs: 50, seed: 1 });
        let inpost: Vec<f64> = f.months.iter().map(|m| m.figure("inpost_fte").unwrap().p50).collect();
        assert_eq!(inpost, [202.0, 202.0, 203.0, 203.0]);
    }

    #[test]
    fn with_no_leaving_and_no_recruitment_the_forecast_is_flat() {
        let f = forecast(&still(), &Scenario::baseline(), &Options { months: 24, runs: 200, seed: 1 });
        for m in &f.months {
            let q = m.figure("inpost_fte").unwrap();
            assert_eq!((q.p10, q.p50, q.p90), (200.0, 200.0, 200.0), "{}", m.month);
            assert_eq!(m.figure("agency_fte").unwrap().p50, 50.0);
            assert_eq!(m.figure("vacancy_rate_fte").unwrap().p50, 20.0);
            assert_eq!(m.figure("turnover_rate_fte").unwrap().p50, 0.0);
        }
        // A month's cost: 200 FTE at £41,000 plus 30%, and 50 agency FTE at £50 for 37 hours 52 weeks.
        let month = 200.0 * 41_000.0 * 1.3 / 12.0 + 50.0 * 50.0 * 37.0 * 52.0 / 12.0;
        assert!((f.months[0].figure("cost").unwrap().p50 - month).abs() < 1e-6);
    }

    #[test]
    fn with_a_known_leaving_rate_and_nothing_else_the_median_follows_the_decay() {
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 0.02 * 1e7, exposure: 1e7 }; 5]; 4];
        let f = forecast(&fitted, &Scenario::baseline(), &Options { months: 36, runs: 4000, seed: 9 });
        for (t, m) in f.months.iter().enumerate() {
            let expected = 200.0 * 0.98f64.powi(t as i32 + 1);
            let q = m.figure("inpost_fte").unwrap();
            assert!((q.p50 - expected).abs() <= 1.0, "month {t}: P50 {} against {expected:.2}", q.p50);
            assert!(q.p10 <= q.p50 && q.p50 <= q.p90 && q.p10 < q.p90);
        }
        // Fewer in post, more vacancies; but agency is its own stock, and
        // with no wander and no lever it stays where it is.
        assert_eq!(f.months[35].figure("agency_fte").unwrap().p50, 50.0);
        assert!(f.months[35].figure("vacancy_rate_fte").unwrap().p50 > 40.0);
    }

    #[test]
    fn the_median_turnover_a_year_ahead_is_the_pulls_target_for_a_scenario_too() {
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 0.02 * 1e7, exposure: 1e7 }; 5]; 4];
        let options = Options { months: 24, runs: 2000, seed: 5 };
        // Unpulled: 2% a month with no hiring, 200 x (1 - 0.98^12) leavers
        // over the 200 x 0.98^12 left, 27.5%.
        let unpulled = forecast(&fitted, &Scenario::baseline(), &options);
        let q = 0.98f64.powi(12);
        let turnover = |f: &Forecast| f.months[11].figure("turnover_rate_fte").unwrap().p50;
        assert!((turnover(&unpulled) - 100.0 * (1.0 - q) / q).abs() <= 1.0, "{}", turnover(&unpulled));
        fitted.turnover_pull = crate::fit::TurnoverPull::of(Some(27.5), Some(10.0), Some((2024, 10.0)));
        let target = fitted.turnover_pull.target.unwrap();
        assert!((target - 17.0).abs() < 1e-9);
        let pulled = forecast(&fitted, &Scenario::baseline(), &options);
        // The scale is set from the pilot's median, and turnover is not in
        // proportion to the leaving rate (fewer left to leave): about the
        // target, far nearer it than unpulled.
        assert!((turnover(&pulled) - target).abs() <= 1.0, "{} against {target}", turnover(&pulled));
        // A scenario is pulled as its baseline is: with no hiring, the
        // baseline's monthly leaving rate h is what its median in post a
        // year on implies, and keeping half the leavers leaves at h / 2.
        let kept = Scenario::parse(
            "name = \"half stay\"\n[[retention]]\nfrom = \"2025-04\"\nstages = [\"experienced\"]\nleaving_change = -0.5\n",
        )
        .unwrap();
        let s = forecast(&fitted, &kept, &options);
        let in_post = |f: &Forecast| f.months[11].figure("inpost_fte").unwrap().p50;
        let h = 1.0 - (in_post(&pulled) / 200.0).powf(1.0 / 12.0);
        let expected = 200.0 * (1.0 - h / 2.0).powi(12);
        assert!((in_post(&s) - expected).abs() <= 2.0, "{} against {expected:.1}", in_post(&s));
    }

    #[test]
    fn a_scenarios_change_to_vacancies_is_covered_by_agency_and_the_levels_are_the_baselines() {
        let mut fitted = still();
        fitted.agency_volatility = crate::fit::AGENCY_VOLATILITY;
        fitted.establishment_volatility = crate::fit::ESTABLISHMENT_VOLATILITY;
        fitted.agency_cover = 0.5;
        let options = Options { months: 24, runs: 400, seed: 4 };
        let base = forecast(&fitted, &Scenario::baseline(), &options);
        let grown =
            Scenario::parse("name = \"20 more posts\"\n[[establishment]]\nfrom = \"2025-04\"\nchange_fte = 20\n")
                .unwrap();
        let f = forecast(&fitted, &grown, &options);
        // No one is hired (the hiring rate is nil), so 20 more posts are 20
        // more vacancies in every run, half of them covered by agency; the
        // agency's own wander is the baseline's, run by run.
        for m in [0, 11, 23] {
            let (a, b) = (f.months[m].figure("agency_fte").unwrap(), base.months[m].figure("agency_fte").unwrap());
            assert!((a.p50 - b.p50 - 10.0).abs() < 1.0, "month {m}: {a:?} against {b:?}");
            assert!(b.p90 - b.p10 > 5.0, "agency wanders in the baseline: {b:?}");
        }
        // Costs and targets alone are not levers: such a scenario is the baseline.
        let costs_only = Scenario::parse("name = \"dearer agency\"\n[costs]\nagency_charge_per_hour = 80\n").unwrap();
        let c = forecast(&fitted, &costs_only, &options);
        assert_eq!(c.months[23].figure("agency_fte"), base.months[23].figure("agency_fte"));
    }

    #[test]
    fn hiring_that_leans_to_balance_keeps_vacancies_where_they_are() {
        // 200 in post leaving at 2% a month (4 a month); the history filled
        // a fifth of a vacant post a month (10 a month against 50 vacancies).
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 0.02 * 1e7, exposure: 1e7 }; 5]; 4];
        fitted.hiring = Rate { events: 0.2 * 1e7, exposure: 1e7 };
        let options = Options { months: 12, runs: 2000, seed: 2 };
        let inpost = |f: &Forecast| f.months[11].figure("inpost_fte").unwrap().p50;
        let as_history = forecast(&fitted, &Scenario::baseline(), &options);
        fitted.hiring_balance = 1.0;
        let balanced = forecast(&fitted, &Scenario::baseline(), &options);
        fitted.hiring_balance = 0.5;
        let halfway = forecast(&fitted, &Scenario::baseline(), &options);
        assert!(inpost(&as_history) > 220.0, "hiring as the history did fills posts: {}", inpost(&as_history));
        assert!((inpost(&balanced) - 200.0).abs() <= 3.0, "replacing leavers keeps 200: {}", inpost(&balanced));
        assert!(inpost(&balanced) < inpost(&halfway) && inpost(&halfway) < inpost(&as_history));
    }

    #[test]
    fn a_handful_of_vacancies_against_many_leavers_does_not_hire_thousands() {
        // A hundredth of a vacant post and 4 leavers a month: replacing them
        // would be 400 hires per vacant post a month; at most every vacant post is filled.
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 0.02 * 1e7, exposure: 1e7 }; 5]; 4];
        fitted.hiring = Rate { events: 0.2 * 1e7, exposure: 1e7 };
        fitted.hiring_balance = crate::fit::HIRING_BALANCE;
        fitted.vacancy_fte = 0.01;
        fitted.establishment_fte = 200.01;
        let f = forecast(&fitted, &Scenario::baseline(), &Options { months: 24, runs: 200, seed: 1 });
        for m in &f.months {
            assert!(m.figure("inpost_fte").unwrap().p90 <= 201.0, "{}: {:?}", m.month, m.figure("inpost_fte"));
        }
    }

    #[test]
    fn a_wandering_level_of_leaving_widens_the_band_as_the_months_go() {
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 0.02 * 1e7, exposure: 1e7 }; 5]; 4];
        let options = Options { months: 24, runs: 4000, seed: 3 };
        let fixed = forecast(&fitted, &Scenario::baseline(), &options);
        fitted.leaving_volatility = crate::fit::LEAVING_VOLATILITY;
        let wandering = forecast(&fitted, &Scenario::baseline(), &options);
        let width = |f: &Forecast, m: usize| {
            let q = f.months[m].figure("inpost_fte").unwrap();
            q.p90 - q.p10
        };
        assert!(width(&wandering, 11) > 1.5 * width(&fixed, 11), "{} {}", width(&wandering, 11), width(&fixed, 11));
        assert!(width(&wandering, 23) > width(&wandering, 11), "wider two years on than one");
    }

    #[test]
    fn the_same_seed_gives_the_same_forecast_and_another_seed_another() {
        let mut fitted = still();
        fitted.leaving = [[Rate { events: 30.0, exposure: 2000.0 }; 5]; 4];
        fitted.hiring = Rate { events: 40.0, exposure: 2000.0 };
        let options = Options { months: 12, runs: 500, seed: 5 };
        let a = forecast(&fitted, &Scenario::baseline(), &options);
        assert_eq!(a, forecast(&fitted, &Scenario::baseline(), &options));
        assert_ne!(a.run_costs, forecast(&fitted, &Scenario::baseline(), &Options { seed: 6, ..options }).run_costs);
    }

    #[test]
    fn a_campaign_adds_its_hires_and_its_cost_and_a_target_gets_a_probability() {
        let scenario = Scenario::parse(
            r#"
name = "25 international recruits over two years"
[[recruitment]]
count = 25
from = "2025-04"
to = "2027-03"
cost_each = 5000
[[target]]
figure = "inpost_fte"
at_least = 225
by = "2027-03"
[[target]]
figure = "inpost_fte"
at_least = 226
by = "2027-03"
"#,
        )
        .unwrap();
        let options = Options { months: 24, runs: 100, seed: 1 };
        let base = forecast(&still(), &Scenario::baseline(), &options);
        let grown = forecast(&still(), &scenario, &options);
        assert_eq!(grown.months[23].figure("inpost_fte").unwrap().p50, 225.0);
        assert_eq!(grown.months[11].figure("inpost_fte").unwrap().p50, 212.0, "12.5 due by month 12");
        assert_eq!(grown.targets[0].probability, Some(1.0));
        assert_eq!(grown.targets[1].probability, Some(0.0));
        // The recruits cost their fee and their pay, and save agency.
        let d = grown.cost_against(&base);
        assert!(d.p50 < 25.0 * 5000.0, "agency saved outweighs salaries: {d:?}");
    }

    #[test]
    fn trainees_join_after_their_programme_and_are_paid_for_when_recruited() {
        let scenario = Scenario::parse(
            "name = \"Frontline\"\n[[recruitment]]\nroute = \"frontline\"\ncount = 6\nfrom = \"2025-04\"\nto = \"2025-04\"\ncost_each = 20000\n",
        )
        .unwrap();
        let options = Options { months: 24, runs: 50, seed: 1 };
        let base = forecast(&still(), &Scenario::baseline(), &options);
        let f = forecast(&still(), &scenario, &options);
        // Recruited in April 2025 (month 0), in post from April 2026 (month 12), as ASYEs.
        assert_eq!(f.months[11].figure("inpost_fte").unwrap().p50, 200.0);
        assert_eq!(f.months[12].figure("inpost_fte").unwrap().p50, 206.0);
        let fee = f.months[0].figure("cost").unwrap().p50 - base.months[0].figure("cost").unwrap().p50;
        assert!((fee - 6.0 * 20_000.0).abs() < 1e-6, "{fee}");
    }
}
