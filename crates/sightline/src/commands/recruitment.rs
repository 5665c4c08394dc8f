//! `sightline recruitment`, `sightline incentives`, `sightline agency-rules`
//! and `sightline agency-return`: from vacancy to start, money that must
//! come back, and DfE's rules for agency social workers with the quarterly
//! data return.

use crate::cli::{parse_date, print_out, runtime};
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use serde_json::{json, Value};
use sightline_core::agency_rules::{self as rules, AgencyAssignment, Rule, Severity};
use sightline_core::incentives::incentive_figures;
use sightline_core::recruitment::{plan_for, recruitment_by_team, recruitment_figures, RecruitmentRecords};
use sightline_core::{Calendar, Period, Workforce};
use sightline_store::Store;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    /// Plain text to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    /// One set of figures per team the vacancies name.
    Team,
}

fn round(v: f64, places: i32) -> f64 {
    sightline_core::indicators::round_dfe(v, places)
}

fn round_opt(v: Option<f64>, places: i32) -> Option<f64> {
    v.map(|v| round(v, places))
}

fn period_arg(text: &str) -> Result<Period> {
    let (from, to) = text.split_once("..").context("--period is FROM..TO, e.g. 2025-04-01..2026-03-31")?;
    let period = Period { start: parse_date(from)?, end: parse_date(to)? };
    if period.end < period.start {
        bail!("the period ends before it starts");
    }
    Ok(period)
}

/// The workforce and the records beside it, as the store holds them.
fn load(
    db: &str,
) -> Result<(Workforce, RecruitmentRecords, Vec<sightline_core::source::AgencyTerms>, Vec<sightline_core::Target>)> {
    runtime()?.block_on(async {
        let store = Store::open(db).await?;
        let wf = store.load_workforce().await?;
        let records = store.load_recruitment(&wf).await?;
        let terms = store.load_agency_terms(&wf).await?;
        let targets = store.targets().await?.into_iter().map(|t| t.target).collect();
        anyhow::Ok((wf, records, terms, targets))
    })
}

#[derive(clap::Args)]
pub struct RecruitmentArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The period: FROM..TO, e.g. 2025-04-01..2026-03-31. Open vacancies are counted on its last day.
    #[arg(long, value_name = "FROM..TO")]
    period: String,
    #[arg(long, value_enum)]
    by: Option<By>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

fn figures_json(f: &sightline_core::recruitment::RecruitmentFigures, period: Period) -> Result<Value> {
    let mut v = serde_json::to_value(f.rounded())?;
    v["period_start"] = json!(period.start.to_string());
    v["period_end"] = json!(period.end.to_string());
    Ok(v)
}

pub fn run_recruitment(args: RecruitmentArgs) -> Result<()> {
    let period = period_arg(&args.period)?;
    let (_, records, _, targets) = load(&args.db)?;
    let plan = plan_for(&targets, period);
    let f = recruitment_figures(&records.vacancies, period, &plan);
    let text = match (args.format, args.by) {
        (Format::Json, None) => serde_json::to_string_pretty(&figures_json(&f, period)?)?,
        (Format::Json, Some(By::Team)) => {
            let mut rows: Vec<Value> = Vec::new();
            for (team, f) in recruitment_by_team(&records.vacancies, period) {
                let mut v = figures_json(&f, period)?;
                v["group"] = json!(team);
                rows.push(v);
            }
            serde_json::to_string_pretty(&rows)?
        }
        (Format::Table, None) => recruitment_text(None, &f, period),
        (Format::Table, Some(By::Team)) => recruitment_by_team(&records.vacancies, period)
            .iter()
            .map(|(team, f)| recruitment_text(Some(team), f, period))
            .collect::<Vec<_>>()
            .join("\n\n"),
    };
    print_out(&text)
}

fn recruitment_text(team: Option<&str>, f: &sightline_core::recruitment::RecruitmentFigures, period: Period) -> String {
    let days = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0} days"));
    let mut out = format!(
        "{}{} to {}\nOpen vacancies on {}: {}\nAdvertised: {}; starts: {}; withdrawals: {}\n\
Time to hire (advert to start, median): {}; advert to offer: {}; offer to start: {}\nStages (vacancies advertised in the period):\n",
        team.map(|t| format!("{t}: ")).unwrap_or_default(),
        period.start,
        period.end,
        period.end,
        f.open_vacancies,
        f.advertised,
        f.starts,
        f.withdrawals,
        days(f.time_to_hire_days_median),
        days(f.advert_to_offer_days_median),
        days(f.offer_to_start_days_median)
    );
    for s in &f.stage_conversion {
        let pct = s.conversion_pct.map_or(String::new(), |p| format!("  {p:.1}% of the stage before"));
        out.push_str(&format!("  {:<14} {:>6}{pct}\n", s.stage, s.count));
    }
    for r in &f.starts_by_route {
        let plan = r.plan.map_or(String::new(), |p| format!(" (plan {p})"));
        out.push_str(&format!("  starts, {:<20} {:>4}{plan}\n", r.route, r.starts));
    }
    for c in &f.cost_per_hire_by_route {
        let each = c.cost_per_hire.map_or("-".to_string(), sightline_core::words::money);
        out.push_str(&format!("  cost per hire, {:<20} {each}\n", c.route));
    }
    out.trim_end().to_string()
}

#[derive(clap::Args)]
pub struct IncentivesArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    /// The date: payments made by it, clawback owed by leavers by it, recipients followed 12 months to it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run_incentives(args: IncentivesArgs) -> Result<()> {
    let as_of = parse_date(&args.as_of)?;
    let (wf, records, _, _) = load(&args.db)?;
    let f = incentive_figures(&wf, &records.payments, as_of);
    let mut v = serde_json::to_value(f.rounded())?;
    v["as_of"] = json!(as_of.to_string());
    v["paid_total"] = json!(round(f.paid_total(), 2));
    // Whoever runs the command line may read the store: each clawback with its person.
    if let Some(list) = v["clawbacks"].as_array_mut() {
        for (item, c) in list.iter_mut().zip(&f.clawbacks) {
            item["person_id"] = json!(wf.person(c.person).id);
        }
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&v)?,
        Format::Table => {
            let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}%"));
            let mut out = format!("Incentives to {as_of}\n");
            for s in &f.paid_by_scheme {
                out.push_str(&format!(
                    "  {:<32} {:>12}  {} payments to {} people\n",
                    s.scheme,
                    sightline_core::words::money(s.amount),
                    s.payments,
                    s.people
                ));
            }
            out.push_str(&format!(
                "Clawback owed: {} by {} people\nStill employed 12 months after a first payment: {} of {} recipients; {} of people like them\n",
                sightline_core::words::money(f.clawback_owed_total),
                f.clawback_owed_people,
                pct(f.recipient_retention_12m_pct),
                f.recipients_followed,
                pct(f.comparison_retention_12m_pct)
            ));
            out.trim_end().to_string()
        }
    };
    print_out(&text)
}

#[derive(clap::Args)]
pub struct AgencyRulesArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    /// The date: assignments that began from 31 October 2024 (the guidance) to it are judged.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: String,
    /// The authority's region, to pick its price caps (by default the one region the caps hold).
    #[arg(long)]
    region: Option<String>,
    /// The permanent cost of an hour of a role type, to show each assignment's premium: ROLE=POUNDS, e.g.
    /// social_worker=24.60 (pay scale with on-costs); repeat for each role type.
    #[arg(long = "permanent-cost", value_name = "ROLE=POUNDS")]
    permanent_cost: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// The region whose caps judge pay: the one named, else the one the caps
/// hold; with several and none named, pay is not judged (said on standard error).
fn region_of(caps: &[rules::PriceCap], given: Option<&str>) -> Result<rules::CapRegion> {
    let region = rules::cap_region(caps, given).map_err(anyhow::Error::msg)?;
    if let rules::CapRegion::Several(regions) = &region {
        eprintln!(
            "The price caps hold several regions ({}): pay is not judged against them. Say which is the authority's with --region.",
            regions.join(", ")
        );
    }
    Ok(region)
}

fn permanent_costs(given: &[String]) -> Result<Vec<(rules::RoleType, f64)>> {
    given
        .iter()
        .map(|g| {
            let (role, pounds) = g.split_once('=').context("--permanent-cost is ROLE=POUNDS, e.g. social_worker=24.60")?;
            let role = rules::RoleType::parse(role).with_context(|| {
                format!("`{role}` is not a role type: use social_worker, senior_social_worker, advanced_practitioner, team_manager or iro")
            })?;
            let pounds: f64 = pounds.trim().trim_start_matches('£').parse().ok().filter(|p: &f64| p.is_finite() && *p > 0.0)
                .with_context(|| format!("`{pounds}` is not an amount in pounds above 0"))?;
            Ok((role, pounds))
        })
        .collect()
}

pub fn run_agency_rules(args: AgencyRulesArgs) -> Result<()> {
    let as_of = parse_date(&args.as_of)?;
    let costs = permanent_costs(&args.permanent_cost)?;
    let (wf, records, terms, _) = load(&args.db)?;
    let region = region_of(&records.price_caps, args.region.as_deref())?;
    let all = rules::assignments(&wf, &terms);
    let report = rules::rules_report(&wf, &Calendar::england_and_wales(), &records, &all, &region, as_of);
    let mut v = serde_json::to_value(&report)?;
    if !costs.is_empty() {
        let premium: Vec<Value> = all
            .iter()
            .filter(|a| a.start <= as_of && a.end.is_none_or(|e| e >= as_of))
            .map(|a| {
                let perm = a.role_type.and_then(|r| costs.iter().find(|(x, _)| *x == r).map(|(_, p)| *p));
                json!({
                    "reference": a.reference,
                    "role_type": a.role_type.map(|r| r.as_str()),
                    "charge_rate": a.charge_rate,
                    "permanent_hourly_cost": perm,
                    "premium_per_hour": round_opt(rules::premium_per_hour(a, perm), 2),
                })
            })
            .collect();
        v["premium"] = json!(premium);
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&v)?,
        Format::Table => {
            let mut out = format!(
                "DfE's agency rules, assignments that began from 31 October 2024 to {as_of}: {} judged{}\n",
                report.judged,
                report.region.as_deref().map(|r| format!(" (caps of {r})")).unwrap_or_default()
            );
            let counts = [report.over_cap, report.pqe_under_3y, report.cooling_off, report.notice_period];
            for (rule, n) in Rule::ALL.iter().zip(counts) {
                out.push_str(&format!("  {:<48} {:>4}\n", rule.words(), n));
            }
            for b in &report.assignments {
                out.push_str(&format!("  {} ({}): {}\n", b.reference, b.rule, b.detail));
            }
            out.push_str("Cost of agency work by month:\n");
            for m in &report.monthly_cost {
                out.push_str(&format!("  {}  {:>14}\n", m.month, sightline_core::words::money(m.cost)));
            }
            out.trim_end().to_string()
        }
    };
    print_out(&text)
}

#[derive(clap::Args)]
pub struct AgencyReturnArgs {
    #[arg(long, value_name = "URL", required_unless_present = "check")]
    db: Option<String>,
    /// The quarter, e.g. 2025Q3 (July to September 2025).
    #[arg(long, required_unless_present = "check")]
    quarter: Option<String>,
    /// The assignment rows' CSV to write; the general section goes beside it (FILE-general.csv).
    #[arg(long, value_name = "FILE.csv", required_unless_present = "check")]
    out: Option<PathBuf>,
    /// The authority's region, to pick its price caps (by default the one region the caps hold).
    #[arg(long)]
    region: Option<String>,
    /// Check a return file instead of making one (with --quarter, also that every row is in it).
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["db", "out"])]
    check: Option<PathBuf>,
}

fn quarter_arg(text: &str) -> Result<Period> {
    rules::quarter(text).with_context(|| format!("`{text}` is not a quarter: use YEARQn, e.g. 2025Q3"))
}

fn findings_text(findings: &[rules::Finding], rows: usize, what: &str) -> (String, usize) {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let mut lines: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    lines.push(format!("{what}: {rows} assignments; {errors} errors, {} warnings.", findings.len() - errors));
    (lines.join("\n"), errors)
}

pub fn run_agency_return(args: AgencyReturnArgs) -> Result<()> {
    let quarter = args.quarter.as_deref().map(quarter_arg).transpose()?;
    if let Some(file) = &args.check {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let rows =
            sightline_ingest::agency_return::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let (text, errors) =
            findings_text(&rules::check_return(&rows, quarter), rows.len(), &file.display().to_string());
        print_out(&text)?;
        if errors > 0 {
            bail!("the return has {errors} errors: fix them before sending it");
        }
        return Ok(());
    }
    let (Some(db), Some(quarter), Some(out)) = (args.db, quarter, args.out) else {
        bail!("to make a return give --db, --quarter and --out; to check one, --check FILE.csv");
    };
    let general_path = {
        let stem = out.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        out.with_file_name(format!("{stem}-general.csv"))
    };
    if general_path.exists() {
        bail!("{} already exists; choose another name (nothing was written)", general_path.display());
    }
    let (wf, records, terms, _) = load(&db)?;
    let region = region_of(&records.price_caps, args.region.as_deref())?;
    let book = records.rule_book(&region);
    let all = rules::assignments(&wf, &terms);
    let rows = rules::return_rows(&wf, &book, &all, quarter);
    let findings = rules::check_return(&rows, Some(quarter));
    // The general section: compliance of the quarter's assignments by rule, each breach, the cost by month.
    let in_quarter: Vec<&AgencyAssignment> = all.iter().filter(|a| a.overlaps(quarter)).collect();
    let c = rules::compliance_of(&wf, &book, &in_quarter);
    let monthly = rules::monthly_cost(&wf, &Calendar::england_and_wales(), quarter.start, quarter.end, None);
    let general = rules::return_general_csv(&c, &monthly);
    crate::output::write_new_file(&out, rules::return_csv(&rows).as_bytes())?;
    crate::output::write_new_file(&general_path, general.as_bytes())?;
    let (text, _) = findings_text(&findings, rows.len(), &out.display().to_string());
    print_out(&format!(
        "{text}\nWrote {} ({} assignments in place from {} to {}) and {}.",
        out.display(),
        rows.len(),
        quarter.start,
        quarter.end,
        general_path.display()
    ))
}
