//! `sightline forecast` and `sightline plan fit|backtest`: workforce
//! planning from the store's history.

use crate::cli::{print_out, runtime};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sightline_core::coverage::Coverage;
use sightline_core::words::money;
use sightline_core::{Calendar, Workforce};
use sightline_plan::json::comparison_json;
use sightline_plan::{
    backtest, fit_with_levels, window_for, with_baseline, Fitted, Forecast, ForecastTarget, Options, Quantiles,
    Scenario, BANDS, QUALIFIED_BANDS, STAGES,
};
use sightline_store::Store;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct ForecastArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// Months to forecast.
    #[arg(long, default_value_t = 36, value_parser = clap::value_parser!(u32).range(1..=240))]
    months: u32,
    /// Monte Carlo runs.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    runs: u32,
    /// The random seed: the same seed gives the same forecast.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A scenario (TOML): levers, costs and targets; compared with the baseline.
    #[arg(long, value_name = "FILE.toml")]
    scenario: Option<PathBuf>,
    /// The last day of data to start from (a month end); by default the latest month end in the data.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::date_arg)]
    as_of: Option<NaiveDate>,
    /// Months of history the rates are fitted on; by default those the
    /// employment records cover, at most 60.
    #[arg(long)]
    window: Option<u32>,
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    format: PlanFormat,
}

#[derive(clap::Subcommand)]
pub enum PlanCommand {
    /// The rates fitted from the history, with the data behind each.
    Fit(FitArgs),
    /// Fit on the data to a past date, forecast the months after and compare with what happened.
    Backtest(BacktestArgs),
    /// How well forecasts did on every English authority's published history.
    #[command(long_about = "For each authority and cut-off (30 September of a census year), a synthetic \
authority is calibrated to DfE's published figures for the years up to the cut-off only, the model is fitted \
there and forecast with no levers, and the forecast 12 and 24 months on is set beside what DfE published. \
Reported by figure and horizon: the share of outcomes inside the 80% band (P10 to P90), below and above it, \
the median's mean error, and the error of carrying the cut-off year forward.\n\nExample:\n  sightline plan \
calibrate --authorities 40 --at 2022-09-30,2023-09-30")]
    Calibrate(crate::commands::calibrate::CalibrateArgs),
}

#[derive(clap::Args)]
pub struct FitArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::date_arg)]
    as_of: Option<NaiveDate>,
    /// Months of history the rates are fitted on; by default those the
    /// employment records cover, at most 60.
    #[arg(long)]
    window: Option<u32>,
}

#[derive(clap::Args)]
pub struct BacktestArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    /// The last day of data to fit on.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::date_arg)]
    at: NaiveDate,
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=240))]
    months: u32,
    /// Months of history the rates are fitted on; by default those the
    /// employment records cover, at most 60.
    #[arg(long)]
    window: Option<u32>,
    #[arg(long, default_value_t = 2000)]
    runs: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// The workforce, its targets, and what its records cover.
/// The workforce, the targets, the records' coverage, the development
/// records (whose career levels give the forecast's stages where recorded)
/// and the vacancies (whose accepted offers are the pipeline a forecast starts from).
#[allow(clippy::type_complexity)]
fn load(
    db: &str,
) -> Result<(
    Workforce,
    Vec<sightline_store::SetTarget>,
    Coverage,
    sightline_core::development::Development,
    Vec<sightline_core::recruitment::Vacancy>,
)> {
    runtime()?.block_on(async {
        let store = Store::open(db).await?;
        let wf = store.load_workforce().await?;
        let coverage = Coverage::of(&wf, &store.complete_from().await?);
        let development = store.load_development(&wf).await?;
        let vacancies = store.load_recruitment(&wf).await?.vacancies;
        anyhow::Ok((wf, store.targets().await?, coverage, development, vacancies))
    })
}

/// The months to fit on at `at` (see [`window_for`]).
fn window(coverage: &Coverage, at: NaiveDate, asked: Option<u32>) -> Result<u32> {
    window_for(coverage, at, asked).map_err(|e| anyhow::anyhow!("no fit: {e}"))
}

fn start_date(wf: &Workforce, as_of: Option<NaiveDate>) -> Result<NaiveDate> {
    match as_of.or_else(|| wf.latest_date()) {
        Some(d) => Ok(d),
        None => bail!("the store holds no workforce data: import some first (sightline import)"),
    }
}

fn pct(r: Option<f64>) -> String {
    r.map_or("-".to_string(), |v| format!("{:.2}%", v * 100.0))
}

fn fit_table(f: &Fitted) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Rates fitted on {} to {} (a month each; 90% intervals)", f.window.start, f.window.end);
    let _ = writeln!(out, "\nLeaving, by length of service (all stages):");
    let _ = writeln!(out, "  {:<18} {:>8} {:>10} {:>9}   90% interval", "service", "leavers", "exposure", "rate");
    for (b, (_, name)) in BANDS.iter().enumerate() {
        let r = f.leaving_by_band(b);
        let (lo, hi) = r.interval().unwrap_or((0.0, 0.0));
        let _ = writeln!(
            out,
            "  {name:<18} {:>8} {:>10} {:>9}   {:.2}%-{:.2}%",
            r.events,
            format!("{} p-m", r.exposure),
            pct(r.mean()),
            lo * 100.0,
            hi * 100.0
        );
    }
    let _ = writeln!(out, "\nLeaving, by years since qualifying (those with a qualification date):");
    for (k, (_, name)) in QUALIFIED_BANDS.iter().enumerate() {
        let r = f.leaving_by_years_qualified[k];
        let _ =
            writeln!(out, "  {name:<18} {:>8} {:>10} {:>9}", r.events, format!("{} p-m", r.exposure), pct(r.mean()));
    }
    let _ = writeln!(out, "\nLeaving, by stage:");
    for (s, stage) in STAGES.iter().enumerate() {
        let (mut e, mut x) = (0.0, 0.0);
        for b in 0..BANDS.len() {
            e += f.leaving[s][b].events;
            x += f.leaving[s][b].exposure;
        }
        let r = sightline_plan::Rate { events: e, exposure: x };
        let _ = writeln!(out, "  {:<24} {e:>5} leavers in {x:>6} person-months: {}", stage.name(), pct(r.mean()));
    }
    let pull = f.turnover_pull;
    if let Some(target) = pull.target {
        let [own, last, england] = pull.weights();
        let figure = |v: Option<f64>| v.map_or("not known".to_string(), |v| format!("{v:.1}%"));
        let _ = writeln!(
            out,
            "\nTurnover a year ahead (about the forecast's median): {target:.1}%, of\n  {own:.1} x the window's years ({}), \
             {last:.1} x the last 12 months ({}), {england:.1} x England's {}\n  (a figure not known gives its weight to the \
             window's years; England's is the latest DfE had published by the date)",
            figure(pull.own),
            figure(pull.last_year),
            pull.england.map_or("(not published for the date)".to_string(), |(y, e)| format!(
                "for the year to 30 September {y} ({e:.1}%)"
            )),
        );
    }
    for (name, r) in
        [("Experienced to senior practitioner", f.progression[0]), ("Senior practitioner to manager", f.progression[1])]
    {
        let _ = writeln!(out, "\n{name}: {} in {} person-months, {} a month", r.events, r.exposure, pct(r.mean()));
    }
    let months_to_fill = f.hiring.mean().filter(|m| *m > 0.0).map(|m| 1.0 / m);
    let _ = writeln!(
        out,
        "\nHiring: {} employed starters over {:.1} vacant FTE-months: {} of a vacant post filled a month{}",
        f.hiring.events,
        f.hiring.exposure,
        pct(f.hiring.mean()),
        months_to_fill.map_or(String::new(), |m| format!(" (about {m:.1} months to fill a vacancy)"))
    );
    let _ = writeln!(
        out,
        "  starting as: {} newly qualified, {} experienced ({} qualified abroad), {} senior practitioners, {} managers",
        f.starters_by_stage[0],
        f.starters_by_stage[1],
        f.international_starters,
        f.starters_by_stage[2],
        f.starters_by_stage[3]
    );
    if !f.starters_by_route.is_empty() {
        let routes: Vec<String> =
            f.starters_by_route.iter().map(|(r, n)| format!("{n} {}", r.as_str().replace('_', " "))).collect();
        let _ = writeln!(out, "  by qualifying route: {}", routes.join(", "));
    }
    let _ = writeln!(
        out,
        "Agency to employment: {} conversions over {} agency worker-months: {} a month",
        f.conversion.events,
        f.conversion.exposure,
        pct(f.conversion.mean())
    );
    let _ = writeln!(
        out,
        "\nAt {}: {:.1} FTE employed ({} people), establishment {:.1} FTE, {:.1} FTE vacant, {:.1} agency FTE ({:.2} for each vacant FTE){}",
        f.as_of,
        f.inpost_fte,
        f.headcount(),
        f.establishment_fte,
        f.vacancy_fte,
        f.agency_fte,
        f.agency_cover,
        f.charge_per_hour.map_or(String::new(), |c| format!(", agency charge £{c:.2} an hour"))
    );
    out
}

pub fn run_plan(command: PlanCommand) -> Result<()> {
    let calendar = Calendar::england_and_wales();
    match command {
        PlanCommand::Fit(args) => {
            let (wf, _, coverage, development, _) = load(&args.db)?;
            let at = start_date(&wf, args.as_of)?;
            let months = window(&coverage, at, args.window)?;
            print_out(fit_table(&fit_with_levels(&wf, &calendar, at, months, &development)).trim_end())
        }
        PlanCommand::Calibrate(args) => crate::commands::calibrate::run_calibrate(args),
        PlanCommand::Backtest(args) => {
            let (wf, _, coverage, _, _) = load(&args.db)?;
            let options = Options { months: args.months, runs: args.runs, seed: args.seed };
            let months = window(&coverage, args.at, args.window)?;
            let b = backtest(&wf, &calendar, args.at, months, &options);
            let mut out = format!(
                "Fitted on {} months to {}, forecast {} months ({} runs), against what happened:\n\n",
                months, b.fitted_to, args.months, b.runs
            );
            let _ = writeln!(
                out,
                "  {:<20} {:>14} {:>10} {:>22}",
                "figure", "mean abs error", "as % of it", "months inside P10-P90"
            );
            for f in &b.figures {
                let _ = writeln!(
                    out,
                    "  {:<20} {:>14.2} {:>10} {:>15} of {}",
                    f.figure,
                    f.mean_absolute_error,
                    f.mean_absolute_percentage_error.map_or("-".to_string(), |p| format!("{:.1}%", p * 100.0)),
                    f.months.iter().filter(|(_, a, q)| *a >= q.p10 - 1e-9 && *a <= q.p90 + 1e-9).count(),
                    f.months.len()
                );
            }
            print_out(out.trim_end())
        }
    }
}

fn forecast_table(f: &Forecast) -> String {
    let mut out = format!("{}: {} runs from {}, seed {}\n\n", f.scenario, f.runs, f.start, f.seed);
    let _ = writeln!(
        out,
        "  {:<8} {:>22} {:>22} {:>20} {:>20} {:>20}",
        "month", "in post FTE", "agency FTE", "vacancy rate %", "agency rate %", "turnover %"
    );
    let cell = |q: Quantiles| format!("{:.1} ({:.1}-{:.1})", q.p50, q.p10, q.p90);
    for m in &f.months {
        let _ = writeln!(
            out,
            "  {:<8} {:>22} {:>22} {:>20} {:>20} {:>20}",
            m.month.to_string(),
            cell(m.figures[0]),
            cell(m.figures[1]),
            cell(m.figures[2]),
            cell(m.figures[3]),
            cell(m.figures[4])
        );
    }
    let c = f.total_cost();
    let _ = writeln!(
        out,
        "\n  Cost over the {} months: {} (P10 {}, P90 {})",
        f.months.len(),
        money(c.p50),
        money(c.p10),
        money(c.p90)
    );
    for t in &f.targets {
        let _ = writeln!(
            out,
            "  Target {}: {}",
            t.target.name,
            t.probability
                .map_or("its month is outside the forecast".to_string(), |p| format!("{:.0}% likely", p * 100.0))
        );
    }
    out
}

pub fn run_forecast(args: ForecastArgs) -> Result<()> {
    let scenario = match &args.scenario {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            Some(Scenario::parse(&text).with_context(|| format!("in {}", path.display()))?)
        }
        None => None,
    };
    let (wf, stored, coverage, development, vacancies) = load(&args.db)?;
    let at = start_date(&wf, args.as_of)?;
    let calendar = Calendar::england_and_wales();
    let fitted = fit_with_levels(&wf, &calendar, at, window(&coverage, at, args.window)?, &development)
        .with_pipeline(&vacancies);
    if fitted.headcount() == 0 {
        bail!("no one is employed at {}: nothing to forecast from", fitted.as_of);
    }
    let options = Options { months: args.months, runs: args.runs, seed: args.seed };
    let stored_targets: Vec<ForecastTarget> = stored.iter().filter_map(|t| ForecastTarget::set(&t.target)).collect();
    let (base, chosen) = with_baseline(&fitted, scenario.as_ref(), &stored_targets, &options);
    match args.format {
        PlanFormat::Json => {
            print_out(&serde_json::to_string_pretty(&comparison_json(&base, chosen.as_ref(), fitted.as_of))?)
        }
        PlanFormat::Table => {
            let mut out = forecast_table(&base);
            if let Some(f) = &chosen {
                out.push('\n');
                out.push_str(&forecast_table(f));
                let d = f.cost_against(&base);
                let _ = writeln!(
                    out,
                    "\n  {} against the baseline: {} over the forecast (P10 {}, P90 {}; negative is a saving)",
                    f.scenario,
                    money(d.p50),
                    money(d.p10),
                    money(d.p90)
                );
            }
            let _ = writeln!(out, "\n  {}", sightline_plan::calibration_in_words("the range from P10 to P90"));
            print_out(out.trim_end())
        }
    }
}
