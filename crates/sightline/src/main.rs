//! `sightline`: the command line. It wires the crates together; the
//! figures are all computed in `sightline-core`.

mod bench;
mod census;
mod output;
mod plan;
mod report;
mod server;
mod sources;

/// mimalloc rather than the system allocator: reading a large folder makes
/// millions of small allocations across threads, where it is markedly faster
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use sightline_core::published::Published;
use sightline_core::{indicators_by, indicators_for_periods, monthly_series, Calendar, Grouping, Period};
use sightline_ingest::{check_synthetic_dir, read_dir, write_synthetic_dir, Strictness};
use sightline_store::Store;
use sightline_synth::{synthesize, Basis, Request};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sightline",
    version,
    about = "Sightline: workforce intelligence for children's social care",
    long_about = "Sightline turns records of who worked where, when and at what FTE into the children's \
social work workforce indicators that the Department for Education (DfE) publishes: turnover, agency, \
vacancies, caseloads and sickness absence, for any census year, any date, and any team.\n\n\
Start with `sightline synth` to make a practice dataset, then `sightline indicators` to see its figures."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work out the DfE workforce indicators from a data folder.
    #[command(long_about = "Work out the DfE workforce indicators from a data folder in Sightline's \
canonical format (spells.csv, and optionally establishment.csv, absences.csv, caseloads.csv, people.csv; \
see docs/data-formats.md).\n\nChoose the period with one of --year, --years, --as-of or --monthly. \
If any row of the data is invalid, nothing is worked out: each problem is listed with its file, line, \
column and value. Use --lenient to skip invalid rows instead (each is still listed).\n\n\
Examples:\n  sightline indicators --data sightline-demo --year 2024\n  sightline indicators --data sightline-demo --years 2019-2025 --format csv\n  \
sightline indicators --data sightline-demo --as-of 2025-03-31 --by team --format table")]
    Indicators(IndicatorsArgs),
    /// Make a synthetic (practice) authority: realistic made-up people, calibrated to DfE's figures.
    #[command(long_about = "Make a synthetic authority: made-up social workers, teams, agency cover, \
sickness and caseloads, written as a data folder in the canonical format. Nobody in it is real.\n\n\
With --la, the data is calibrated to the authority's figures as DfE published them: for a single year \
every published figure comes out exactly (to DfE's rounding) wherever DfE's figures are consistent with \
each other; over several years as close as the published figures allow. Every figure that could not be \
matched is listed with the difference.\n\
With --people instead, it makes a plausible authority of about that many social workers.\n\n\
Examples:\n  sightline synth --la \"Bournemouth, Christchurch and Poole\" --years 2021 --out bcp\n  \
sightline synth --la 839 --years 2019-2025 --seed 7 --out bcp\n  sightline synth --people 300 --years 2020-2025 --out demo")]
    Synth(SynthArgs),
    /// Import data into the store (a database), as one batch with its provenance.
    #[command(long_about = "Import into the store, as one batch: a data folder in the canonical format, \
a CSWW census return (.xml), or a system's export (CSV or spreadsheet) with --profile. Who imported it, \
when, and the SHA-256 of each file are kept. Everything goes in one transaction or not at all. Importing \
the same files again for the same source changes nothing; a newer export from the same source replaces \
its earlier facts (or, with a profile in \"changes\" mode, updates the rows it gives). If any row is \
invalid nothing is imported (use --lenient to import the rest; skipped rows are kept with the batch).\n\n\
People are joined across sources by Social Work England number, then by a cross-reference column; \
records with the same name and birth date are suggested for `sightline people review`.\n\n\
The store is SQLite by default (a file, created on first use) or PostgreSQL (--db postgres://...).\n\n\
Examples:\n  sightline import --db sightline.db sightline-demo\n  \
sightline import --db sightline.db --profile profiles/hr-uk-dates.toml --source hr-north staff.xlsx\n  \
sightline indicators --db sightline.db --year 2025")]
    Import(sources::ImportArgs),
    /// List what has been imported into the store: each batch, who, when, and its files' SHA-256.
    Batches(sources::BatchesArgs),
    /// Source profiles: how a system's export maps onto Sightline (`profile suggest FILE` drafts one).
    #[command(subcommand)]
    Profile(sources::ProfileCommand),
    /// People across sources: suggested matches to review, a person's history, conflicts between sources.
    #[command(subcommand)]
    People(sources::PeopleCommand),
    /// Serve the dashboard and JSON API from a store.
    #[command(long_about = "Serve the dashboard (pages for the workforce lead, managers and members) and \
the JSON API under /api/v1/ from a store. Users log in with accounts made by `sightline user add`; \
scripts use tokens from `sightline token create`. Serve on anything but this machine only behind HTTPS: \
the session cookie is marked Secure.\n\nExample:\n  sightline serve --db sightline.db --bind 127.0.0.1:8080")]
    Serve(server::ServeArgs),
    /// Users of the dashboard and their roles: add, remove, reset, list.
    #[command(subcommand)]
    User(server::UserCommand),
    /// API tokens for scripts and BI tools: create, list, revoke.
    #[command(subcommand)]
    Token(server::TokenCommand),
    /// The audit log: every view of personal data and every change, newest first.
    Audit(server::AuditArgs),
    /// Targets for figures (such as agency at most 20% by a date), shown on the dashboard.
    #[command(subcommand)]
    Target(server::TargetCommand),
    /// Make the CSWW census return (XML) for a year from the store.
    #[command(long_about = "Make the children's social work workforce census return for a census year \
from the store: one record for every employed social worker in post at 30 September and everyone who \
started or left in the year (someone holding several posts is one record, in the more senior role), one \
for every agency worker in post at 30 September, the authority's vacancies, and the header. The file is \
valid against the project's schema (crates/csww/schema/csww.xsd); docs/data-formats.md says how each \
item is made.\n\nExample:\n  sightline census --db sightline.db --year 2025 --lea 839 --out csww-2025.xml")]
    Census(census::CensusArgs),
    /// Compare an authority with its statistical neighbours, region and England (DfE's published figures).
    #[command(long_about = "Set an authority's published figures for a census year beside the median of its \
ten statistical neighbours (DfE's method; the model and each neighbour's figures are listed), its region, \
England, and its rank among all authorities (1 = the lowest turnover, agency rate, vacancy rate, caseload \
and absence), with the series since 2017. DfE's symbols are never read as numbers: a neighbour without a \
value is left out of the median, and the output says so.\n\nExample:\n  sightline benchmark --la \"Bournemouth, \
Christchurch and Poole\" --year 2021")]
    Benchmark(bench::BenchmarkArgs),
    /// The workforce stability report for committees, as one HTML file, with disclosure control.
    Report(report::ReportArgs),
    /// Forecast the workforce month by month (Monte Carlo), with a scenario's levers and targets.
    #[command(long_about = "Forecast in-post FTE, agency FTE, vacancy and agency rates, turnover and cost \
month by month, from rates fitted on the store's history (see `sightline plan fit`), with P10, P50 and P90 \
over many runs. The same --seed gives the same forecast. With --scenario FILE.toml (levers, costs and \
targets; see docs/data-formats.md) the scenario is forecast beside the baseline, with the same chances \
in each run, and their cost compared. Targets set with `sightline target set` are included.\n\nExamples:\n  \
sightline forecast --db sightline.db --months 36 --runs 10000 --seed 1\n  \
sightline forecast --db sightline.db --scenario international.toml --format json")]
    Forecast(plan::ForecastArgs),
    /// Workforce planning: the fitted rates, and backtests of the forecast.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Services: groups of teams, for figures by service on the dashboard.
    #[command(subcommand)]
    Service(server::ServiceCommand),
    /// Try Sightline on a demo authority: made-up staff, real published figures.
    #[command(long_about = "Build a demo authority, put it in a fresh store and serve the dashboard. The \
demo is a synthetic Bournemouth, Christchurch and Poole for census years 2019-2025: every person in it is \
made up, but its figures are calibrated to what DfE published for the council. The address and a freshly \
generated password for the user `admin` are printed. The data folder is kept, so you can go on with \
`sightline indicators --data DIR ...`.")]
    Demo(DemoArgs),
}

#[derive(clap::Args)]
struct DemoArgs {
    /// Where to write the demo data folder (the demo's store is kept in it).
    #[arg(long, value_name = "DIR", default_value = "sightline-demo")]
    out: PathBuf,
    /// The address to serve the dashboard on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: std::net::SocketAddr,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object (or an array for several periods or groups), DfE's field names.
    Json,
    /// Comma-separated values, one row per period and group.
    Csv,
    /// A table to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
enum By {
    /// One set of figures per team; moves between teams are shown apart from leavers.
    Team,
    /// One set of figures per CSWW organisational role (1 senior manager ... 6 qualified without cases).
    #[value(name = "org_role", alias = "org-role")]
    OrgRole,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["year", "years", "as_of", "monthly"])))]
struct IndicatorsArgs {
    /// The data folder (canonical CSV files).
    #[arg(long, value_name = "DIR", required_unless_present = "db", conflicts_with = "db")]
    data: Option<PathBuf>,
    /// Or the store the data was imported into (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// A census year: 1 October of the year before to 30 September.
    #[arg(long, value_name = "YYYY", group = "when")]
    year: Option<i32>,
    /// A range of census years, e.g. 2017-2025.
    #[arg(long, value_name = "FROM-TO", group = "when")]
    years: Option<String>,
    /// The 12 months to this date, e.g. 2025-03-31.
    #[arg(long, value_name = "YYYY-MM-DD", group = "when")]
    as_of: Option<String>,
    /// The 12 months to the end of each month in a range, e.g. 2023-01..2025-03.
    #[arg(long, value_name = "YYYY-MM..YYYY-MM", group = "when")]
    monthly: Option<String>,
    /// Split the figures by team or by organisational role.
    #[arg(long, value_enum)]
    by: Option<By>,
    /// How to show the figures.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Skip invalid rows (each is listed) instead of stopping.
    #[arg(long)]
    lenient: bool,
    /// Your own non-working days (a CSV file with a `date` column), instead of England and Wales bank holidays.
    #[arg(long, value_name = "FILE")]
    calendar: Option<PathBuf>,
    /// Give figures unrounded instead of to DfE's rounding.
    #[arg(long)]
    unrounded: bool,
}

#[derive(clap::Args)]
struct SynthArgs {
    /// The authority to model, by name (as DfE spells it) or old LA code, e.g. 839.
    #[arg(long, value_name = "NAME_OR_CODE", conflicts_with = "people", required_unless_present = "people")]
    la: Option<String>,
    /// Instead of --la: about how many social workers the made-up authority has.
    #[arg(long, value_name = "N")]
    people: Option<u32>,
    /// Census years to build, e.g. 2021 or 2019-2025.
    #[arg(long, value_name = "YYYY or FROM-TO")]
    years: String,
    /// The same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the data folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Caseload snapshots a year for each case holder (12 = monthly).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    snapshots_per_year: u32,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Indicators(args) => run_indicators(args),
        Command::Synth(args) => run_synth(args),
        Command::Demo(args) => run_demo(args),
        Command::Import(args) => sources::run_import(args),
        Command::Batches(args) => sources::run_batches(args),
        Command::Profile(command) => sources::run_profile(command),
        Command::Serve(args) => server::run_serve(args),
        Command::User(command) => server::run_user(command),
        Command::Token(command) => server::run_token(command),
        Command::Audit(args) => server::run_audit(args),
        Command::Target(command) => server::run_target(command),
        Command::Service(command) => server::run_service(command),
        Command::Census(args) => census::run_census(args),
        Command::Benchmark(args) => bench::run_benchmark(args),
        Command::Report(args) => report::run_report(args),
        Command::Forecast(args) => plan::run_forecast(args),
        Command::Plan(command) => plan::run_plan(command),
        Command::People(command) => sources::run_people(command),
    }
}

fn parse_years(text: &str) -> Result<std::ops::RangeInclusive<i32>> {
    let bad = || format!("`{text}` is not a year or a range of years such as 2019-2025");
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let a: i32 = a.trim().parse().with_context(bad)?;
    let b: i32 = b.trim().parse().with_context(bad)?;
    if a > b || !(1990..=2100).contains(&a) || !(1990..=2100).contains(&b) {
        bail!(bad());
    }
    Ok(a..=b)
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("`{text}` is not a date in the form YYYY-MM-DD"))
}

fn parse_month(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .with_context(|| format!("`{text}` is not a month in the form YYYY-MM"))
}

fn run_demo(args: DemoArgs) -> Result<()> {
    let dir = args.out.to_string_lossy().into_owned();
    run_synth(SynthArgs {
        la: Some("839".into()),
        people: None,
        years: "2019-2025".into(),
        seed: 1,
        out: args.out.clone(),
        snapshots_per_year: 12,
    })?;
    print_out("\nThe authority, census years 2019 to 2025:\n")?;
    let indicators = |years: Option<&str>, year: Option<i32>, by: Option<By>| IndicatorsArgs {
        data: Some(args.out.clone()),
        db: None,
        year,
        years: years.map(str::to_string),
        as_of: None,
        monthly: None,
        by,
        format: Format::Table,
        lenient: false,
        calendar: None,
        unrounded: false,
    };
    run_indicators(indicators(Some("2019-2025"), None, None))?;
    print_out(&format!(
        "\nThe data is in {dir}; try `sightline indicators --data {dir} --as-of 2025-03-31 --by team`.\n\
Building the demo store and starting the dashboard...\n"
    ))?;
    server::serve_demo(&args.out, &args.out.join("sightline-demo.db"), args.bind)
}

fn run_indicators(args: IndicatorsArgs) -> Result<()> {
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

/// Prints to standard output; a reader that stops reading (`| head`) ends
/// the program quietly rather than with an error.
fn print_out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// Other authorities whose names contain the one asked for (or the reverse):
/// a reorganised authority's successor, or the full form of a short name.
fn authority_hint(published: &Published, la: &str) -> String {
    let near = published.authorities_named_like(la);
    if near.is_empty() {
        "Use the name as DfE spells it, or the three-digit old LA code.".to_string()
    } else {
        format!("Did you mean: {}?", near.join("; "))
    }
}

/// The async runtime the store needs, for one command.
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

fn run_synth(args: SynthArgs) -> Result<()> {
    let years = parse_years(&args.years)?;
    check_synthetic_dir(&args.out)?;
    let basis = match (&args.la, args.people) {
        (Some(la), _) => {
            let published = Published::shipped();
            let rows: Vec<_> = published.authority(la).into_iter().cloned().collect();
            let Some(first) = rows.first() else {
                bail!(
                    "no local authority called `{la}` in DfE's published figures. {}",
                    authority_hint(&published, la)
                );
            };
            let authority = first.la_name.clone();
            if !rows.iter().any(|r| years.contains(&r.time_period)) {
                let available: Vec<String> = rows.iter().map(|r| r.time_period.to_string()).collect();
                bail!(
                    "DfE publishes figures for {authority} only for {}. {}",
                    available.join(", "),
                    authority_hint(&published, &authority)
                );
            }
            Basis::Published { authority, rows }
        }
        (None, Some(people)) => Basis::Size { people },
        (None, None) => bail!("say which authority to model (--la) or how large (--people)"),
    };
    let mut request = Request::new(basis, years, args.seed);
    request.detail.snapshots_per_year = args.snapshots_per_year;
    let calendar = Calendar::england_and_wales();
    let synthesis = synthesize(&request, &calendar)?;
    write_synthetic_dir(&synthesis.workforce, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    print_out(&output::synth_summary(&synthesis, &args.out))
}
