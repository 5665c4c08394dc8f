//! `sightline report`: the workforce stability report for committees.

use crate::cli::{parse_date, print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_core::benchmark::{latest_benchmark, NeighbourModel};
use sightline_core::{Calendar, Period};
use sightline_store::Store;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The period: FROM..TO, e.g. 2024-04-01..2025-03-31.
    #[arg(long, value_name = "FROM..TO")]
    period: String,
    /// The report. An existing file is not overwritten.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// html (one self-contained file; print it for a PDF), xlsx (a sheet per table) or docx (a council
    /// report to edit). By default, from the file's extension.
    #[arg(long, value_parser = parse_format)]
    format: Option<sightline_report::Format>,
    /// Working days from which a sickness episode is long-term (that many or more).
    #[arg(long, default_value_t = sightline_core::absence::LONG_TERM_WORKING_DAYS)]
    long_term_days: f64,
    /// For internal use only: do not suppress small numbers (the report says so).
    #[arg(long)]
    internal: bool,
    /// The authority (name or old LA code), to compare its turnover with its neighbours'.
    #[arg(long)]
    la: Option<String>,
    /// The report's title.
    #[arg(long, default_value = "Children's social care workforce stability")]
    title: String,
}

fn parse_format(s: &str) -> Result<sightline_report::Format, String> {
    sightline_report::Format::from_extension(&s.to_ascii_lowercase())
        .ok_or_else(|| format!("`{s}` is not a report format: use html, xlsx or docx"))
}

pub fn run_report(args: ReportArgs) -> Result<()> {
    let (from, to) = args.period.split_once("..").context("--period is FROM..TO, e.g. 2024-04-01..2025-03-31")?;
    let period = Period { start: parse_date(from)?, end: parse_date(to)? };
    if period.end < period.start {
        bail!("the period ends before it starts");
    }
    if args.out.exists() {
        bail!("{} already exists; choose another name (nothing was written)", args.out.display());
    }
    let format = match args.format {
        Some(f) => f,
        None => {
            let ext = args.out.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
            sightline_report::Format::from_extension(&ext).with_context(|| {
                format!(
                    "cannot tell the format from `{}`: name it .html, .xlsx or .docx, or give --format",
                    args.out.display()
                )
            })?
        }
    };
    let started = std::time::Instant::now();
    let (wf, development, voice, set_targets, services, published, declared, vacancies) =
        runtime()?.block_on(async {
            let store = Store::open(&args.db).await?;
            let wf = store.load_workforce().await?;
            let development = store.load_development(&wf).await?;
            let vacancies = store.load_recruitment(&wf).await?.vacancies;
            // ER casework only goes into an internal report.
            let voice = store.load_voice(&wf, args.internal).await?;
            anyhow::Ok((
                wf,
                development,
                voice,
                store.targets().await?,
                store.services().await?,
                store.published().await?,
                store.complete_from().await?,
                vacancies,
            ))
        })?;
    // No report of a period the employment records do not cover whole.
    use sightline_core::coverage::{Coverage, Need, Records};
    if let Some(gap) = Coverage::of(&wf, &declared).gap(period, &[(Records::Employment, Need::Period)]) {
        bail!(
            "no report for {} to {}: {} (see `sightline coverage show`); nothing was written",
            sightline_core::words::long_date(period.start),
            sightline_core::words::long_date(period.end),
            gap.words()
        );
    }
    let compared = match &args.la {
        Some(la) => Some(
            latest_benchmark(&published, &NeighbourModel::shipped_2025(), la, Period::census_year_of(period.end))
                .map_err(anyhow::Error::msg)?,
        ),
        None => None,
    };
    let targets: Vec<_> = set_targets.into_iter().map(|t| t.target).collect();
    let forecast = baseline_forecast(&wf, &development, &vacancies, &Coverage::of(&wf, &declared), &targets);
    let request = sightline_report::ReportRequest {
        publish: !args.internal,
        benchmark: compared.as_ref(),
        targets: &targets,
        services: &services,
        long_term_days: args.long_term_days,
        development: Some(&development),
        voice: Some(&voice),
        forecast: forecast.as_ref(),
        ..sightline_report::ReportRequest::new(&args.title, period)
    };
    let report = sightline_report::build(&wf, &Calendar::england_and_wales(), &request);
    let bytes = format.render(&report)?;
    crate::output::write_new_file(&args.out, &bytes)?;
    print_out(&format!(
        "Wrote {} ({}, {}) in {:.2} s.",
        args.out.display(),
        format.name(),
        if args.internal {
            "internal: small numbers not suppressed"
        } else {
            "for publication: disclosure control applied"
        },
        started.elapsed().as_secs_f64()
    ))
}

/// The baseline forecast from the latest data, as the dashboard's Forecast
/// page makes it (36 months, 2,000 runs, seed 1); none when the records do
/// not cover a year or no one is employed.
fn baseline_forecast(
    wf: &sightline_core::Workforce,
    levels: &sightline_core::development::Development,
    vacancies: &[sightline_core::recruitment::Vacancy],
    coverage: &sightline_core::coverage::Coverage,
    targets: &[sightline_core::Target],
) -> Option<sightline_plan::Forecast> {
    let as_of = wf.latest_date()?;
    let window = sightline_plan::window_for(coverage, as_of, None).ok()?;
    let fitted = sightline_plan::fit_with_levels(wf, &Calendar::england_and_wales(), as_of, window, levels)
        .with_pipeline(vacancies);
    if fitted.headcount() == 0 {
        return None;
    }
    let targets: Vec<_> = targets.iter().filter_map(sightline_plan::ForecastTarget::set).collect();
    let options = sightline_plan::Options { months: 36, runs: 2000, seed: 1 };
    Some(sightline_plan::with_baseline(&fitted, None, &targets, &options).0)
}
