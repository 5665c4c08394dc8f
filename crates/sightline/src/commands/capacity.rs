//! `sightline capacity`: who is actually available on a date, by team:
//! in post less those away (maternity, long-term sickness, seconded out,
//! suspended), plus agency; and the teams under pressure.

use crate::cli::{parse_date, print_out, runtime};
use anyhow::{bail, Result};
use clap::ValueEnum;
use serde_json::json;
use sightline_core::capacity::{capacity, AwayReason, Capacity, CapacityPolicy};
use sightline_core::Calendar;
use sightline_store::{Population, Store};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON (an array of objects, one per team, with --by team).
    Json,
    /// Plain text to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    /// One set of figures per team.
    Team,
}

#[derive(clap::Args)]
pub struct CapacityArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The date (by default the latest the data speaks of).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    #[arg(long, value_enum)]
    by: Option<By>,
    /// Working days from which a sickness episode is long-term (that many or more).
    #[arg(long, default_value_t = 20.0)]
    long_term_days: f64,
    /// A team is under pressure when its available case-holding FTE is below this share (%) of its case-holding establishment.
    #[arg(long, default_value_t = 80.0)]
    threshold_pct: f64,
    /// A team is under pressure when its cases per available case-holding FTE are above this.
    #[arg(long, default_value_t = 18.0)]
    safe_caseload: f64,
    /// Whose capacity: social_workers (the default), all, or one staff group by name.
    #[arg(long, value_name = "POPULATION", default_value = "social_workers")]
    population: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run_capacity(args: CapacityArgs) -> Result<()> {
    if !(args.long_term_days > 0.0 && args.long_term_days <= 366.0) {
        bail!("--long-term-days must be more than 0 and at most 366");
    }
    if !(args.threshold_pct > 0.0 && args.threshold_pct <= 100.0) {
        bail!("--threshold-pct must be more than 0 and at most 100");
    }
    if !(args.safe_caseload > 0.0 && args.safe_caseload.is_finite()) {
        bail!("--safe-caseload must be more than 0");
    }
    let population = Population::parse(&args.population);
    let wf = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        if let Population::Group(g) = &population {
            if !store.staff_groups().await?.contains(g) {
                bail!("the store holds no staff group `{g}` (see `sightline indicators --by staff_group`)");
            }
        }
        anyhow::Ok(store.load_population(&population).await?)
    })?;
    let as_of = match &args.as_of {
        Some(d) => parse_date(d)?,
        None => match wf.latest_date() {
            Some(d) => d,
            None => bail!("the store holds no workforce data: import some first (sightline import)"),
        },
    };
    let policy = CapacityPolicy {
        long_term_days: args.long_term_days,
        threshold_share: args.threshold_pct / 100.0,
        safe_caseload: args.safe_caseload,
    };
    let (all, teams) = capacity(&wf, &Calendar::england_and_wales(), as_of, &policy);
    let with_date = |c: &Capacity| {
        let mut v = serde_json::to_value(c.rounded()).unwrap_or_default();
        if let Some(map) = v.as_object_mut() {
            map.insert("as_of".into(), json!(as_of.to_string()));
        }
        v
    };
    let text = match (args.format, args.by) {
        (Format::Json, None) => {
            let mut v = with_date(&all);
            if let Some(map) = v.as_object_mut() {
                let under: Vec<&str> = teams.iter().filter(|t| t.pressure).filter_map(|t| t.team.as_deref()).collect();
                map.insert("teams_under_pressure".into(), json!(under));
                // Each team's too, as `--by team` gives them.
                map.insert("teams".into(), json!(teams.iter().map(with_date).collect::<Vec<_>>()));
            }
            serde_json::to_string_pretty(&v)?
        }
        (Format::Json, Some(By::Team)) => {
            serde_json::to_string_pretty(&teams.iter().map(with_date).collect::<Vec<_>>())?
        }
        (Format::Table, by) => {
            let rows: Vec<&Capacity> = match by {
                None => std::iter::once(&all).chain(teams.iter().filter(|t| t.pressure)).collect(),
                Some(By::Team) => teams.iter().collect(),
            };
            let mut out = format!(
                "Available capacity on {}\n{:<28} {:>8} {:>8} {:>8} {:>10} {:>14} {:>10}  Pressure\n",
                sightline_core::words::long_date(as_of),
                "",
                "In post",
                "Away",
                "Agency",
                "Available",
                "Case-holding",
                "Cases/FTE"
            );
            for c in rows {
                let c = c.rounded();
                out.push_str(&format!(
                    "{:<28} {:>8.1} {:>8.1} {:>8.1} {:>10.1} {:>14.1} {:>10}  {}\n",
                    c.team.as_deref().unwrap_or("The authority"),
                    c.inpost_fte,
                    c.away_fte_total,
                    c.agency_fte,
                    c.available_fte,
                    c.available_case_holding_fte,
                    c.cases_per_available_fte.map_or("-".to_string(), |v| format!("{v:.1}")),
                    c.pressure_reasons.join("; ")
                ));
            }
            let away: Vec<String> = AwayReason::ALL
                .iter()
                .map(|r| {
                    format!("{} {:.1}", r.words().to_lowercase(), all.away_fte.get(r.as_str()).copied().unwrap_or(0.0))
                })
                .collect();
            out.push_str(&format!("Away (FTE): {}", away.join("; ")));
            out
        }
    };
    print_out(&text)
}
