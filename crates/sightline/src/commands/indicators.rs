//! `sightline indicators`: DfE's figures from a data folder or the store.

use crate::cli::{parse_date, parse_month, parse_years};
use crate::cli::{print_out, runtime};
use crate::output;
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use sightline_core::{indicators_by, indicators_for_periods, monthly_series, Calendar, Grouping, Period};
use sightline_ingest::{read_dir, Strictness};
use sightline_store::Store;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object (or an array for several periods or groups), DfE's field names.
    Json,
    /// Comma-separated values, one row per period and group.
    Csv,
    /// A table to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    /// One set of figures per team; moves between teams are shown apart from leavers.
    Team,
    /// One set of figures per CSWW organisational role (1 senior manager ... 6 qualified without cases).
    #[value(name = "org_role", alias = "org-role")]
    OrgRole,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["year", "years", "as_of", "monthly"])))]
pub struct IndicatorsArgs {
    /// The data folder (canonical CSV files).
    #[arg(long, value_name = "DIR", required_unless_present = "db", conflicts_with = "db")]
    pub(crate) data: Option<PathBuf>,
    /// Or the store the data was imported into (see `sightline import`).
    #[arg(long, value_name = "URL")]
    pub(crate) db: Option<String>,
    /// A census year: 1 October of the year before to 30 September.
    #[arg(long, value_name = "YYYY", group = "when")]
    pub(crate) year: Option<i32>,
    /// A range of census years, e.g. 2017-2025.
    #[arg(long, value_name = "FROM-TO", group = "when")]
    pub(crate) years: Option<String>,
    /// The 12 months to this date, e.g. 2025-03-31.
    #[arg(long, value_name = "YYYY-MM-DD", group = "when")]
    pub(crate) as_of: Option<String>,
    /// The 12 months to the end of each month in a range, e.g. 2023-01..2025-03.
    #[arg(long, value_name = "YYYY-MM..YYYY-MM", group = "when")]
    pub(crate) monthly: Option<String>,
    /// Split the figures by team or by organisational role.
    #[arg(long, value_enum)]
    pub(crate) by: Option<By>,
    /// How to show the figures.
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: Format,
    /// Skip invalid rows (each is listed) instead of stopping.
    #[arg(long)]
    pub(crate) lenient: bool,
    /// Your own non-working days (a CSV file with a `date` column), instead of England and Wales bank holidays.
    #[arg(long, value_name = "FILE")]
    pub(crate) calendar: Option<PathBuf>,
    /// Give figures unrounded instead of to DfE's rounding.
    #[arg(long)]
    pub(crate) unrounded: bool,
}

pub fn run_indicators(args: IndicatorsArgs) -> Result<()> {
    let calendar = match &args.calendar {
        None => Calendar::england_and_wales(),
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            Calendar::from_csv(&text).with_context(|| format!("{}", path.display()))?
        }
    };
    let strictness = if args.lenient { Strictness::Lenient } else { Strictness::Strict };
    let workforce = match (&args.data, &args.db) {
        (Some(dir), _) => {
            let loaded = read_dir(dir, strictness)?;
            for problem in &loaded.skipped {
                eprintln!("skipped: {problem}");
            }
            loaded.workforce
        }
        (None, Some(url)) => runtime()?.block_on(async { Store::open(url).await?.load_workforce().await })?,
        (None, None) => bail!("say where the data is: --data DIR or --db URL"),
    };
    if workforce.establishment().is_empty() {
        eprintln!(
            "note: the data has no establishment (establishment.csv), so no posts are funded and vacancies \
count as 0; add it for true vacancy figures."
        );
    }
    let grouping = match args.by {
        None => Grouping::Authority,
        Some(By::Team) => Grouping::Team,
        Some(By::OrgRole) => Grouping::OrgRole,
    };
    let wf = &workforce;
    let (periods, many): (Vec<(Period, Vec<_>)>, bool) = if let Some(y) = args.year {
        let p = Period::census_year(y);
        (vec![(p, indicators_by(wf, &calendar, p, grouping))], false)
    } else if let Some(ys) = &args.years {
        let periods: Vec<Period> = parse_years(ys)?.map(Period::census_year).collect();
        (indicators_for_periods(wf, &calendar, &periods, grouping), true)
    } else if let Some(d) = &args.as_of {
        let p = Period::twelve_months_to(parse_date(d)?);
        (vec![(p, indicators_by(wf, &calendar, p, grouping))], false)
    } else if let Some(range) = &args.monthly {
        let (a, b) = range.split_once("..").context("--monthly takes a range such as 2023-01..2025-03")?;
        let (first, last) = (parse_month(a)?, sightline_core::calendar::month_end(parse_month(b)?));
        if last < first {
            bail!("--monthly: the range {range} ends before it starts");
        }
        (monthly_series(wf, &calendar, first, last, grouping), true)
    } else {
        unreachable!("the command line requires one of --year, --years, --as-of and --monthly")
    };
    let rows = output::rows(&periods, !args.unrounded);
    let text = match args.format {
        Format::Json => output::json(&rows, many || args.by.is_some())?,
        Format::Csv => output::csv(&rows, args.by.is_some()),
        Format::Table => output::table(&rows),
    };
    print_out(&text)
}
