//! `sightline indicators`: DfE's figures from a data folder or the store.

use crate::cli::{parse_date, parse_month, parse_years};
use crate::cli::{print_out, runtime};
use crate::output;
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use sightline_core::{
    indicators_by, indicators_by_team_groups, indicators_for_periods, monthly_series, Calendar, Grouping, Period,
    TeamGroups, Unassigned,
};
use sightline_ingest::{read_dir, Strictness};
use sightline_store::{Population, Store};
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
    /// One set of figures per directorate (from the exports' `directorate`), for a year or the 12 months to a date.
    Directorate,
    /// One set of figures per staff group (social workers, then each group the store holds), for a year or the
    /// 12 months to a date.
    #[value(name = "staff_group", alias = "staff-group", alias = "group")]
    StaffGroup,
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
    /// Whose figures: social_workers (CSWW social work roles, DfE's figures: the default), all (every
    /// staff group), or one staff group by name (e.g. family_support_worker; see `sightline data groups`).
    #[arg(long, value_name = "POPULATION", default_value = "social_workers")]
    pub(crate) population: String,
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
    let population = Population::parse(&args.population);
    let mut directorates: Vec<(String, String)> = Vec::new();
    // With --by staff_group: each group's own workforce, social workers first.
    let mut by_group: Vec<(String, sightline_core::Workforce)> = Vec::new();
    let workforce = match (&args.data, &args.db) {
        (Some(_), _) if population != Population::SocialWorkers => {
            bail!("a data folder holds social workers only: --population needs --db (a store the exports were imported into)")
        }
        (Some(_), _) if matches!(args.by, Some(By::Directorate | By::StaffGroup)) => {
            bail!("directorates and staff groups come from the exports: --by directorate or staff_group needs --db")
        }
        (Some(dir), _) => {
            let loaded = read_dir(dir, strictness)?;
            for problem in &loaded.skipped {
                eprintln!("skipped: {problem}");
            }
            loaded.workforce
        }
        (None, Some(url)) => runtime()?.block_on(async {
            let store = Store::open(url).await?;
            if let Population::Group(g) = &population {
                let groups = store.staff_groups().await?;
                if !groups.contains(g) {
                    bail!(
                        "the store holds no staff group `{g}`; use social_workers, all{}",
                        groups.iter().map(|g| format!(", {g}")).collect::<String>()
                    );
                }
            }
            directorates = store.directorates().await?;
            if matches!(args.by, Some(By::StaffGroup)) {
                by_group.push(("social_worker".to_string(), store.load_workforce().await?));
                for g in store.staff_groups().await? {
                    let wf = store.load_population(&Population::Group(g.clone())).await?;
                    by_group.push((g, wf));
                }
            }
            anyhow::Ok(store.load_population(&population).await?)
        })?,
        (None, None) => bail!("say where the data is: --data DIR or --db URL"),
    };
    if workforce.establishment().is_empty() {
        eprintln!(
            "note: the data has no establishment (establishment.csv), so no posts are funded and vacancies \
count as 0; add it for true vacancy figures."
        );
    }
    let grouping = match args.by {
        None | Some(By::Directorate | By::StaffGroup) => Grouping::Authority,
        Some(By::Team) => Grouping::Team,
        Some(By::OrgRole) => Grouping::OrgRole,
    };
    let wf = &workforce;
    let (periods, many): (Vec<(Period, Vec<_>)>, bool) = if matches!(args.by, Some(By::Directorate | By::StaffGroup)) {
        let periods: Vec<Period> = if let Some(y) = args.year {
            vec![Period::census_year(y)]
        } else if let Some(ys) = &args.years {
            parse_years(ys)?.map(Period::census_year).collect()
        } else if let Some(d) = &args.as_of {
            vec![Period::twelve_months_to(parse_date(d)?)]
        } else {
            bail!("--by directorate and --by staff_group go with --year, --years or --as-of");
        };
        let many = periods.len() > 1;
        let groups = TeamGroups::by_service(wf.teams(), &directorates, Unassigned::Together("No directorate recorded"));
        let rows = periods
            .into_iter()
            .map(|p| {
                let figures = if matches!(args.by, Some(By::StaffGroup)) {
                    // Each group as its own authority: moves between groups are its starters and leavers.
                    by_group
                        .iter()
                        .filter_map(|(name, g)| {
                            let mut one = indicators_by(g, &calendar, p, Grouping::Authority).into_iter().next()?;
                            one.group = Some(name.clone());
                            Some(one)
                        })
                        .collect()
                } else {
                    indicators_by_team_groups(wf, &calendar, p, &groups)
                };
                (p, figures)
            })
            .collect();
        (rows, many)
    } else if let Some(y) = args.year {
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
        // The labels say social workers: other populations are named above the table.
        Format::Table if population != Population::SocialWorkers => {
            format!("Figures for {} (--population {}).\n{}", population.words(), args.population, output::table(&rows))
        }
        Format::Table => output::table(&rows),
    };
    print_out(&text)
}
