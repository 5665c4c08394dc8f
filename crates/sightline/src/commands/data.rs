//! `sightline data check`: whether the store's picture of the workforce is
//! whole (the core's completeness checks), and which sources have not been
//! refreshed lately.

use crate::cli::{date_arg, print_out, runtime};
use anyhow::Result;
use chrono::{NaiveDate, Utc};
use sightline_core::completeness::{check, stale_sources, Finding, STALE_AFTER_DAYS};
use sightline_core::{Calendar, Workforce};
use sightline_store::Store;

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// Teams with people but no establishment (or the reverse), people over full time, caseloads and absences
    /// outside employment, days lost above working days, and sources not refreshed lately.
    Check {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The date to check at; by default the last date in the data.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        date: Option<NaiveDate>,
        /// Days after which a source not imported again is named.
        #[arg(long, default_value_t = STALE_AFTER_DAYS)]
        stale_days: i64,
    },
}

pub fn run_data(command: DataCommand) -> Result<()> {
    let DataCommand::Check { db, date, stale_days } = command;
    let (wf, batches) = runtime()?.block_on(async {
        let store = Store::open(&db).await?;
        anyhow::Ok((store.load_workforce().await?, store.batches().await?))
    })?;
    let Some(at) = date.or_else(|| wf.latest_date()) else {
        return print_out("The store holds no data yet.");
    };
    let mut lines = findings(&wf, at, true);
    let imports = batches.iter().filter_map(|b| Some((b.source.as_str(), b.imported_on()?)));
    lines.extend(stale_sources(imports, Utc::now().date_naive(), stale_days).iter().map(Finding::words));
    if lines.is_empty() {
        return print_out(&format!("No gaps found at {at}."));
    }
    print_out(&format!("At {at}:\n{}", lines.iter().map(|l| format!("  - {l}")).collect::<Vec<_>>().join("\n")))
}

/// The completeness findings at `at`, one line each; with `named`, who is over full time.
pub fn findings(wf: &Workforce, at: NaiveDate, named: bool) -> Vec<String> {
    check(wf, &Calendar::england_and_wales(), at)
        .iter()
        .map(|f| match f {
            Finding::OverFullTime { people } if named => {
                let who: Vec<String> =
                    people.iter().map(|(p, fte)| format!("{} ({fte:.2})", wf.person(*p).id)).collect();
                format!("{}: {}", f.words(), who.join(", "))
            }
            _ => f.words(),
        })
        .collect()
}
