//! `sightline voice` and `sightline retention`: why people leave and what
//! staff say (exit interviews, survey themes, ER casework), and how long
//! employments last (survival, the chance of leaving by year of service,
//! returners).

use crate::cli::{parse_date, print_out, runtime};
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use serde::Serialize;
use serde_json::{json, Value};
use sightline_core::retention::{employments, retention, returners, RetentionBy};
use sightline_core::voice::{voice_figures, VoiceFigures};
use sightline_core::{Calendar, Period};
use sightline_store::Store;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON (an array of objects, one per team, with --by team).
    Json,
    /// Plain text to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum VoiceBy {
    /// One set of figures per team.
    Team,
}

#[derive(clap::Args)]
pub struct VoiceArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The period: FROM..TO, e.g. 2024-10-01..2025-09-30. Exit interviews dated in it; the latest survey
    /// wave ending in it; ER cases and long-term sickness on its last day.
    #[arg(long, value_name = "FROM..TO")]
    period: String,
    #[arg(long, value_enum)]
    by: Option<VoiceBy>,
    /// Working days from which a sickness episode is long-term (that many or more).(for the casework cross-check).
    #[arg(long, default_value_t = 20.0)]
    long_term_days: f64,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Serialize)]
struct VoiceRow {
    period_start: String,
    period_end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(flatten)]
    figures: VoiceFigures,
}

fn round1(v: f64) -> f64 {
    sightline_core::indicators::round_dfe(v, 1)
}

pub fn run_voice(args: VoiceArgs) -> Result<()> {
    let (from, to) = args.period.split_once("..").context("--period is FROM..TO, e.g. 2024-10-01..2025-09-30")?;
    let period = Period { start: parse_date(from)?, end: parse_date(to)? };
    if period.end < period.start {
        bail!("the period ends before it starts");
    }
    if !(args.long_term_days > 0.0 && args.long_term_days <= 366.0) {
        bail!("--long-term-days must be more than 0 and at most 366");
    }
    let (wf, records) = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        let wf = store.load_workforce().await?;
        // The command line reads the store directly: whoever runs it may read every table.
        let records = store.load_voice(&wf, true).await?;
        anyhow::Ok((wf, records))
    })?;
    let calendar = Calendar::england_and_wales();
    let row = |team: Option<&str>| VoiceRow {
        period_start: period.start.to_string(),
        period_end: period.end.to_string(),
        group: team.map(str::to_string),
        figures: voice_figures(&wf, &records, &calendar, period, team, args.long_term_days).rounded(),
    };
    let rows: Vec<VoiceRow> = match args.by {
        None => vec![row(None)],
        Some(VoiceBy::Team) => {
            let mut teams: Vec<&str> = wf.teams().iter().map(String::as_str).collect();
            teams.sort_unstable();
            teams.into_iter().map(|t| row(Some(t))).collect()
        }
    };
    let text = match (args.format, args.by) {
        (Format::Json, None) => serde_json::to_string_pretty(&rows[0])?,
        (Format::Json, Some(_)) => serde_json::to_string_pretty(&rows)?,
        (Format::Table, _) => rows.iter().map(voice_text).collect::<Vec<_>>().join("\n\n"),
    };
    print_out(&text)
}

fn voice_text(r: &VoiceRow) -> String {
    let f = &r.figures;
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}%"));
    let mut out = format!(
        "{}{} to {}\nExit interviews: {} ({} of leavers); would come back: {}\n",
        r.group.as_ref().map(|g| format!("{g}: ")).unwrap_or_default(),
        r.period_start,
        r.period_end,
        f.exit_interviews,
        pct(f.exit_response_rate_pct),
        pct(f.would_return_pct)
    );
    for reason in &f.exit_reasons {
        out.push_str(&format!("  {:<24} {:>4}  {:>5.1}%\n", reason.reason.words(), reason.count, reason.share));
    }
    if !f.survey_themes.is_empty() {
        out.push_str("Survey themes (latest wave):\n");
        for t in &f.survey_themes {
            let change = t.change.map_or(String::new(), |c| format!(" ({c:+.1} since the wave before)"));
            out.push_str(&format!(
                "  {:<32} {:>5.1} {:<8} {} respondents{change}\n",
                t.theme, t.score, t.band, t.respondents
            ));
        }
    }
    if !f.er_open_by_type.is_empty() {
        let open: Vec<String> = f.er_open_by_type.iter().map(|(k, n)| format!("{} {n}", k.as_str())).collect();
        out.push_str(&format!("ER cases open: {}\n", open.join(", ")));
    }
    if let Some(n) = f.longterm_sick_without_case {
        out.push_str(&format!("Long-term sick with no open sickness-absence case: {n}\n"));
    }
    out.trim_end().to_string()
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    /// Years since qualifying when the employment began: under 2, 2 to 5, 5 or more.
    #[value(name = "years_since_qualifying", alias = "years-since-qualifying")]
    YearsSinceQualifying,
    /// The qualification route.
    Route,
    /// The team of the first post.
    Team,
    /// Whether the person had worked here through an agency in the 90 days before.
    #[value(name = "agency_converted", alias = "agency-converted")]
    AgencyConverted,
}

#[derive(clap::Args)]
pub struct RetentionArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    /// Compare employments by this (all together when not given).
    #[arg(long, value_enum)]
    by: Option<By>,
    /// The date employments are followed to (by default the last date the data speaks of).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// A leaver who starts again within this many years is a returner.
    #[arg(long, default_value_t = 3)]
    return_years: u32,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run_retention(args: RetentionArgs) -> Result<()> {
    let wf = runtime()?.block_on(async { anyhow::Ok(Store::open(&args.db).await?.load_workforce().await?) })?;
    let to = match &args.as_of {
        Some(d) => parse_date(d)?,
        None => wf.latest_date().context("the store holds no data yet")?,
    };
    if args.return_years == 0 || args.return_years > 50 {
        bail!("--return-years must be 1 to 50");
    }
    let by = match args.by {
        None => RetentionBy::All,
        Some(By::YearsSinceQualifying) => RetentionBy::YearsSinceQualifying,
        Some(By::Route) => RetentionBy::Route,
        Some(By::Team) => RetentionBy::Team,
        Some(By::AgencyConverted) => RetentionBy::AgencyConverted,
    };
    let (mut survival, mut hazard) = retention(&wf, to, by);
    for p in &mut survival {
        p.surviving_pct = round1(p.surviving_pct);
    }
    for h in &mut hazard {
        h.rate_pct = h.rate_pct.map(round1);
    }
    let back = returners(&wf, &employments(&wf, to), args.return_years);
    let body: Value = json!({
        "as_of": to.to_string(),
        "survival": survival,
        "hazard": hazard,
        "returners": back,
    });
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&body)?,
        Format::Table => {
            let mut out = format!("Employments followed to {to}.\nStill employed after (Kaplan-Meier):\n");
            for p in survival.iter().filter(|p| p.months % 12 == 0) {
                out.push_str(&format!(
                    "  {:<28} {:>3} years  {:>5.1}%  ({} still followed)\n",
                    p.group,
                    p.months / 12,
                    p.surviving_pct,
                    p.at_risk
                ));
            }
            out.push_str("Leaving by year of service:\n");
            for h in &hazard {
                out.push_str(&format!(
                    "  {:<28} year {:>2}  {:>4} of {:<5} {}\n",
                    h.group,
                    h.year_of_service + 1,
                    h.leavers,
                    h.at_risk,
                    h.rate_pct.map_or("-".into(), |r| format!("{r:.1}%"))
                ));
            }
            out.push_str(&format!(
                "Returners (back within {} years): {}, {} of them via agency work here",
                args.return_years, back.count, back.via_agency
            ));
            out
        }
    };
    print_out(&text)
}
