//! `sightline`: the command line. It wires the crates together; the
//! figures are all computed in `sightline-core`.
//!
//! `main.rs` only reads the command line and hands each command to its
//! module in `commands/`; what they share is in `cli.rs`, and tables, CSV
//! and JSON are laid out by `output.rs`.

mod cli;
mod commands;
mod output;

/// mimalloc rather than the system allocator: reading a large folder makes
/// millions of small allocations across threads, where it is markedly faster
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Result;
use clap::{Parser, Subcommand};
use commands::{
    audit, backup, benchmark, capacity, census, coverage, data, demo, development, import, indicators, people, plan,
    profile, recruitment, report, serve, services, synth, targets, teams, tokens, users, voice,
};
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
    Indicators(indicators::IndicatorsArgs),
    /// Practice development on a date: supervision, early careers, CPD, registration, progression, experience mix.
    #[command(long_about = "Practice development on a date, from the store: supervision on time against \
the employer standards (or --policy), early-career programmes (in programme, reviews late, caseloads above \
the protected level, retention 12, 24 and 36 months after qualifying), CPD against Social Work England's \
requirement and the authority's offer, registrations lapsing in the next 90 days, promotions and time in \
level, and the experience mix (under 2, 2 to 5, 5 or more years since qualifying). Each figure's definition is \
in docs/indicators.md; a figure is null where it is undefined.\n\n\
Examples:\n  sightline development --db sightline.db --as-of 2025-09-30 --format json\n  \
sightline development --db sightline.db --as-of 2025-09-30 --by team")]
    Development(development::DevelopmentArgs),
    /// Why people leave and what staff say: exit reasons, survey themes, ER casework, for a period.
    #[command(long_about = "Why people leave and what staff say, for a period: exit interviews' reasons (ranked, \
with their share) and response rate among leavers, survey themes of the latest wave in the period (scored 0-100, \
banded low, moderate or high, with the change since the wave before), ER cases open on the period's last day by \
type, and the people on long-term sickness with no open sickness-absence case. Definitions: docs/indicators.md, \
part D.\n\nExamples:\n  sightline voice --db sightline.db --period 2024-10-01..2025-09-30 --format json\n  \
sightline voice --db sightline.db --period 2024-10-01..2025-09-30 --by team")]
    Voice(voice::VoiceArgs),
    /// How long employments last: survival by group, leaving by year of service, returners.
    #[command(long_about = "How long employments last: Kaplan-Meier survival of unbroken employments by whole \
months, by years since qualifying, qualification route, team or whether converted from agency; the share leaving \
in each year of service (the pinch point); and leavers who came back. Explained by group, never a score for a \
person. Definitions: docs/indicators.md, part D.\n\nExamples:\n  sightline retention --db sightline.db --by \
years_since_qualifying --format json\n  sightline retention --db sightline.db --by team")]
    Retention(voice::RetentionArgs),
    /// Recruitment from advert to start: open vacancies, time to hire, stage conversion, starts and cost by route.
    #[command(long_about = "Recruitment for a period, from an applicant-tracking export: vacancies open on its \
last day, time to hire (advert to start, median; and its parts, advert to offer and offer to start), the \
candidates at each stage of the vacancies advertised in it and each stage's share of the one before, \
withdrawals and why, starts by route against the plan (targets on starts_ROUTE dated in the period) and \
cost per hire by route. Definitions: docs/indicators.md, part E.\n\nExamples:\n  sightline recruitment --db \
sightline.db --period 2025-04-01..2026-03-31 --format json\n  sightline recruitment --db sightline.db --period \
2025-04-01..2026-03-31 --by team")]
    Recruitment(recruitment::RecruitmentArgs),
    /// Who is actually available on a date, by team: in post less those away, plus agency; teams under pressure.
    #[command(long_about = "Available capacity on a date: FTE in post less the FTE away (maternity, paternity, \
adoption or shared parental leave; long-term sickness of 20 working days or more; seconded out; suspended), plus \
agency FTE, for the authority and each team; the same for case-holding posts (case holders and senior \
practitioners), cases per available case-holding FTE, and pressure: available case-holding FTE below a share of \
establishment, or cases per available FTE above the safe level. Definitions: docs/indicators.md, part F.\n\n\
Examples:\n  sightline capacity --db sightline.db --as-of 2025-09-30 --format json\n  sightline capacity --db \
sightline.db --as-of 2025-09-30 --by team --safe-caseload 20")]
    Capacity(capacity::CapacityArgs),
    /// Incentive payments: paid by scheme, clawback owed by leavers, retention of recipients against people like them.
    #[command(long_about = "Incentive and market-supplement payments at a date: money paid by scheme, clawback \
owed by leavers inside their terms (with tapering), and the share of recipients still employed 12 months after \
a first payment beside people of the same team and stage who had none, with the cost per extra year retained. \
Definitions: docs/indicators.md, part E.\n\nExample:\n  sightline incentives --db sightline.db --as-of \
2025-09-30 --format json")]
    Incentives(recruitment::IncentivesArgs),
    /// DfE's rules for agency social workers: each assignment's breaches, and the cost by month.
    #[command(long_about = "DfE's statutory guidance on agency child and family social workers (in force from 31 \
October 2024), checked for every assignment that began from then to the date: pay above the regional price cap \
(and who signed it off), under 3 years' post-qualifying experience, within 3 months of leaving a permanent post \
(the authority's own leavers and a regional list), notice over 4 weeks; the cost of agency work by month for \
the 12 months to the date, conversions to permanent, and, with --permanent-cost, each assignment's premium \
per hour.\n\nExample:\n  sightline agency-rules --db sightline.db --as-of 2025-12-31 --format json")]
    AgencyRules(recruitment::AgencyRulesArgs),
    /// DfE's quarterly agency data return: one row per assignment, a general section, and its checks.
    #[command(long_about = "The quarterly agency data return from the store: one row per assignment in place in \
the quarter with DfE's fields (reference, SWE number, role type, hourly pay rate, start and end, project team), \
and beside it FILE-general.csv (compliance by rule with explanations, each breach and who signed it off, the \
cost by month). Its checks run as it is made; --check reads a return back and checks it.\n\nExamples:\n  \
sightline agency-return --db sightline.db --quarter 2025Q3 --out agency-2025q3.csv\n  sightline agency-return \
--check agency-2025q3.csv --quarter 2025Q3")]
    AgencyReturn(recruitment::AgencyReturnArgs),
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
    Synth(synth::SynthArgs),
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
    Import(import::ImportArgs),
    /// List what has been imported into the store: each batch, who, when, and its files' SHA-256.
    Batches(import::BatchesArgs),
    /// Check whether the store's data is whole: teams without establishment, posts without people, and more.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Source profiles: how a system's export maps onto Sightline (`profile suggest FILE` drafts one).
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// People across sources: suggested matches to review, a person's history, conflicts between sources.
    #[command(subcommand)]
    People(people::PeopleCommand),
    /// Serve the dashboard and JSON API from a store.
    #[command(long_about = "Serve the dashboard (pages for the workforce lead, managers and members) and \
the JSON API under /api/v1/ from a store. Users log in with accounts made by `sightline user add`; \
scripts use tokens from `sightline token create`. Serve on anything but this machine only behind HTTPS: \
the session cookie is marked Secure.\n\nExample:\n  sightline serve --db sightline.db --bind 127.0.0.1:8080")]
    Serve(serve::ServeArgs),
    /// Users of the dashboard and their roles: add, remove, reset, list.
    #[command(subcommand)]
    User(users::UserCommand),
    /// API tokens for scripts and BI tools: create, list, revoke.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// The audit log: every view of personal data and every change, newest first.
    Audit(audit::AuditArgs),
    /// Targets for figures (such as agency at most 20% by a date), shown on the dashboard.
    #[command(subcommand)]
    Target(targets::TargetCommand),
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
    Benchmark(benchmark::BenchmarkArgs),
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
    /// Back up a store while it is in use: a consistent copy in a new file.
    #[command(long_about = "Back up a SQLite store while it is in use: a consistent copy (SQLite's VACUUM INTO, \
which reads one snapshot however imports and sessions write meanwhile), in a new file readable by you only. \
A PostgreSQL store is backed up with pg_dump.\n\nExample:\n  sightline backup --db sightline.db --out backups/sightline-2025-10-01.db")]
    Backup(backup::BackupArgs),
    /// Restore a SQLite store from a backup, checked whole before it takes the store's place.
    #[command(long_about = "Restore a SQLite store from a backup made by `sightline backup`. The backup is copied \
beside the store, brought up to this version, and checked (SQLite's integrity check, the audit log's chain, the \
workforce read back) before it takes the store's place; a store already there needs --replace and is kept \
beside it.\n\nExample:\n  sightline restore --from backups/sightline-2025-10-01.db --db sightline.db --replace")]
    Restore(backup::RestoreArgs),
    /// Services: groups of teams, for figures by service on the dashboard.
    #[command(subcommand)]
    Service(services::ServiceCommand),
    /// Team names through restructures: the map from old names and cost centres to today's teams.
    #[command(subcommand)]
    Teams(teams::TeamsCommand),
    /// From when each kind of record is complete: pages give no figure before it.
    #[command(subcommand)]
    Coverage(coverage::CoverageCommand),
    /// Try Sightline on a demo authority: made-up staff, real published figures.
    #[command(long_about = "Build a demo authority, put it in a fresh store and serve the dashboard. The \
demo is a synthetic Bournemouth, Christchurch and Poole for census years 2019-2025: every person in it is \
made up, but its figures are calibrated to what DfE published for the council. The address and a freshly \
generated password for the user `admin` are printed. The data folder is kept, so you can go on with \
`sightline indicators --data DIR ...`.")]
    Demo(demo::DemoArgs),
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
        Command::Indicators(args) => indicators::run_indicators(args),
        Command::Development(args) => development::run_development(args),
        Command::Voice(args) => voice::run_voice(args),
        Command::Retention(args) => voice::run_retention(args),
        Command::Recruitment(args) => recruitment::run_recruitment(args),
        Command::Capacity(args) => capacity::run_capacity(args),
        Command::Incentives(args) => recruitment::run_incentives(args),
        Command::AgencyRules(args) => recruitment::run_agency_rules(args),
        Command::AgencyReturn(args) => recruitment::run_agency_return(args),
        Command::Synth(args) => synth::run_synth(args),
        Command::Demo(args) => demo::run_demo(args),
        Command::Import(args) => import::run_import(args),
        Command::Batches(args) => import::run_batches(args),
        Command::Data(command) => data::run_data(command),
        Command::Profile(command) => profile::run_profile(command),
        Command::Serve(args) => serve::run_serve(args),
        Command::User(command) => users::run_user(command),
        Command::Token(command) => tokens::run_token(command),
        Command::Audit(args) => audit::run_audit(args),
        Command::Backup(args) => backup::run_backup(args),
        Command::Restore(args) => backup::run_restore(args),
        Command::Target(command) => targets::run_target(command),
        Command::Service(command) => services::run_service(command),
        Command::Teams(command) => teams::run_teams(command),
        Command::Coverage(command) => coverage::run_coverage(command),
        Command::Census(args) => census::run_census(args),
        Command::Benchmark(args) => benchmark::run_benchmark(args),
        Command::Report(args) => report::run_report(args),
        Command::Forecast(args) => plan::run_forecast(args),
        Command::Plan(command) => plan::run_plan(command),
        Command::People(command) => people::run_people(command),
    }
}
