//! `sightline target`: the authority's targets for its figures.

use crate::cli::operator;
use crate::cli::{print_out, runtime};
use anyhow::{bail, Result};
use sightline_store::Store;

#[derive(clap::Subcommand)]
pub enum TargetCommand {
    /// Set a target for a figure: e.g. `agency_rate_fte --at-most 20 --by 2026-03-31`.
    Set {
        #[arg(long, value_name = "URL")]
        db: String,
        /// A figure by its DfE name (turnover_rate_fte, agency_rate_fte, vacancy_rate_fte, caseload_fte, ...) or a development figure's (supervision_on_time_pct, mix_newly_qualified_pct, ...).
        figure: String,
        #[arg(long, conflicts_with = "at_least", required_unless_present = "at_least")]
        at_most: Option<f64>,
        #[arg(long)]
        at_least: Option<f64>,
        /// The date by which it should be met (YYYY-MM-DD).
        #[arg(long, value_parser = crate::cli::date_arg)]
        by: chrono::NaiveDate,
    },
    /// List targets.
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
    /// Remove a target by its number.
    Remove {
        #[arg(long, value_name = "URL")]
        db: String,
        id: i64,
    },
}

pub fn run_target(command: TargetCommand) -> Result<()> {
    let rt = runtime()?;
    let by = operator();
    match command {
        TargetCommand::Set { db, figure, at_most, at_least, by: date } => {
            if !sightline_core::published::FIELDS.contains(&figure.as_str())
                && !sightline_core::development::is_field(&figure)
                && !sightline_core::recruitment::is_plan_field(&figure)
            {
                bail!("`{figure}` is not a figure; use a DfE name such as agency_rate_fte, turnover_rate_fte or vacancy_rate_fte, or a development figure such as supervision_on_time_pct or mix_newly_qualified_pct, or a plan of starts by route such as starts_international");
            }
            let (is_at_most, value) = match (at_most, at_least) {
                (Some(v), _) => (true, v),
                (None, Some(v)) => (false, v),
                (None, None) => bail!("give --at-most or --at-least"),
            };
            let target = sightline_core::Target { figure: figure.clone(), at_most: is_at_most, value, by: date };
            rt.block_on(async {
                let store = Store::open(&db).await?;
                let id = store.add_target(&target, &by).await?;
                let what = format!("{figure} {} {value} by {date}", if is_at_most { "at most" } else { "at least" });
                store.audit(&by, "set target", &format!("target {id}: {what}")).await?;
                print_out(&format!("Target {id} set: {what}."))
            })
        }
        TargetCommand::List { db } => rt.block_on(async {
            let targets = Store::open(&db).await?.targets().await?;
            let lines: Vec<String> = targets
                .iter()
                .map(|t| {
                    format!(
                        "{:>4}  {} {} {} by {}  (set by {})",
                        t.id,
                        t.target.figure,
                        t.target.direction(),
                        t.target.value,
                        t.target.by,
                        t.set_by
                    )
                })
                .collect();
            let text = if lines.is_empty() { "No targets.".to_string() } else { lines.join("\n") };
            print_out(&text)
        }),
        TargetCommand::Remove { db, id } => rt.block_on(async {
            let store = Store::open(&db).await?;
            store.remove_target(id).await?;
            store.audit(&by, "remove target", &id.to_string()).await?;
            print_out(&format!("Target {id} removed."))
        }),
    }
}
