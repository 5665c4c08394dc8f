//! `sightline coverage`: from when each kind of record is complete.

use crate::cli::{operator, print_out, runtime};
use anyhow::{bail, Result};
use sightline_core::coverage::{Coverage, Records};
use sightline_core::words::{long_date, parse_date};
use sightline_store::Store;

#[derive(clap::Subcommand)]
pub enum CoverageCommand {
    /// Show from when each kind of record is complete, and until when the data goes.
    #[command(long_about = "Show from when each kind of record (employment, agency, establishment, absence, \
caseload) is complete, and the last date the data speaks of. Pages give no figure for a 12-month period \
that starts before the records it rests on are complete, or ends after the data: they say \"no data\" and \
why, never 0. Unless a date is declared with `coverage set`, a kind of record is taken to be complete \
from its first sign of being kept: employment from the first recorded leaving or move (an HR export \
lists today's staff, and only the leavers it still holds), agency from the first assignment, absence \
from the first absence, caseload from the first count, establishment from the first funded post.\n\n\
Example:\n  sightline coverage show --db sightline.db")]
    Show {
        #[arg(long, value_name = "URL")]
        db: String,
    },
    /// Declare from when one kind of record is complete (or take the declaration back).
    #[command(long_about = "Declare from when one kind of record is complete: the day the HR system's \
records of leavers begin, say, or the first month of an absence system. Pages give no figure for a \
period before it. --clear takes the declaration back.\n\nExample:\n  sightline coverage set --db \
sightline.db --records employment --from 2018-10-01")]
    Set {
        #[arg(long, value_name = "URL")]
        db: String,
        /// employment, agency, establishment, absence or caseload.
        #[arg(long)]
        records: String,
        /// The first day the records are complete (YYYY-MM-DD or DD/MM/YYYY).
        #[arg(long, value_name = "DATE", required_unless_present = "clear")]
        from: Option<String>,
        #[arg(long, conflicts_with = "from")]
        clear: bool,
    },
}

pub fn run_coverage(command: CoverageCommand) -> Result<()> {
    let rt = runtime()?;
    match command {
        CoverageCommand::Show { db } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let declared = store.complete_from().await?;
            let coverage = Coverage::of(&store.load_workforce().await?, &declared);
            let mut lines = Vec::new();
            for r in Records::ALL {
                lines.push(match coverage.from.get(&r) {
                    Some(d) => format!(
                        "{:<14} complete from {}{}",
                        r.as_str(),
                        long_date(*d),
                        if declared.contains_key(&r) { " (declared)" } else { " (its first record)" }
                    ),
                    None => format!("{:<14} no records", r.as_str()),
                });
            }
            lines.push(match coverage.until {
                Some(d) => format!("The data goes up to {}.", long_date(d)),
                None => "There is no data.".to_string(),
            });
            print_out(&lines.join("\n"))
        }),
        CoverageCommand::Set { db, records, from, clear } => rt.block_on(async {
            let Some(kind) = Records::parse(&records) else {
                bail!("--records `{records}`: one of employment, agency, establishment, absence, caseload")
            };
            let from = match (from, clear) {
                (_, true) => None,
                (Some(text), false) => Some(parse_date(&text)?),
                (None, false) => bail!("give --from DATE, or --clear"),
            };
            let store = Store::open(&db).await?;
            store.set_complete_from(kind, from, &operator()).await?;
            let detail =
                format!("{} from {}", kind.as_str(), from.map_or("its first record".to_string(), |d| d.to_string()));
            store.audit(&operator(), "set coverage", &detail).await?;
            print_out(&match from {
                Some(d) => format!("{} are taken as complete from {}.", kind.words(), long_date(d)),
                None => format!("{} are taken as complete from their first record again.", kind.words()),
            })
        }),
    }
}
