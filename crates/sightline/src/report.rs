//! `sightline report`: the workforce stability report for committees.

use crate::{print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_core::benchmark::{benchmark, NeighbourModel};
use sightline_core::published::Published;
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
    /// The report (HTML, one self-contained file; print it for a PDF). An existing file is not overwritten.
    #[arg(long, value_name = "FILE.html")]
    out: PathBuf,
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

pub fn run_report(args: ReportArgs) -> Result<()> {
    let (from, to) = args.period.split_once("..").context("--period is FROM..TO, e.g. 2024-04-01..2025-03-31")?;
    let parse = |d: &str| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .with_context(|| format!("`{d}` is not a date YYYY-MM-DD"))
    };
    let period = Period { start: parse(from)?, end: parse(to)? };
    if period.end < period.start {
        bail!("the period ends before it starts");
    }
    if args.out.exists() {
        bail!("{} already exists; choose another name (nothing was written)", args.out.display());
    }
    let started = std::time::Instant::now();
    let (wf, targets) = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        anyhow::Ok((store.load_workforce().await?, store.targets().await?))
    })?;
    let published = Published::shipped();
    let compared = match &args.la {
        Some(la) => {
            let year = published
                .authority(la)
                .iter()
                .map(|r| r.time_period)
                .filter(|y| *y <= Period::census_year_of(period.end))
                .max();
            match year {
                Some(y) => {
                    Some(benchmark(&published, &NeighbourModel::shipped_2025(), la, y).map_err(anyhow::Error::msg)?)
                }
                None => bail!("no published figures for `{la}`"),
            }
        }
        None => None,
    };
    let request = sightline_web::report::ReportRequest {
        title: &args.title,
        period,
        publish: !args.internal,
        benchmark: compared.as_ref(),
        targets: &targets,
    };
    let html = sightline_web::report::html(&wf, &Calendar::england_and_wales(), &request);
    std::fs::write(&args.out, html).with_context(|| format!("cannot write {}", args.out.display()))?;
    print_out(&format!(
        "Wrote {} ({}) in {:.2} s.",
        args.out.display(),
        if args.internal {
            "internal: small numbers not suppressed"
        } else {
            "for publication: disclosure control applied"
        },
        started.elapsed().as_secs_f64()
    ))
}
