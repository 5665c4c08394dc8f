//! `sightline teams`: team names through restructures.

use crate::cli::{operator, print_out, runtime};
use anyhow::Result;
use sightline_core::teams::team_key;
use sightline_core::words::long_date;
use sightline_store::Store;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum TeamsCommand {
    /// Set the team map: old team names and cost centres, and the team each is now.
    #[command(long_about = "Set the team map from a CSV or spreadsheet with the headings name, team, \
from and to: `name` is an old team name or a finance cost centre as exports write it, `team` the team \
it is now, and from/to the days it means that team (empty for open; YYYY-MM-DD or DD/MM/YYYY). The \
file replaces any earlier map.\n\nExports imported from now on put their posts and funded posts in the \
team the map gives for the day each starts. Once a map exists, an export naming a team that is neither \
in the map nor one of today's teams (those the map leads to, and teams already in the store that it \
does not rename) is refused, and the names listed. Sources imported before keep their team names until \
they are imported again: the map is part of an import's fingerprint, so the same file imports anew.\n\n\
Example:\n  sightline teams map team-map.csv --db sightline.db")]
    Map {
        /// The map file (CSV or spreadsheet).
        file: PathBuf,
        #[arg(long, value_name = "URL")]
        db: String,
    },
    /// List the teams the store holds and the team map.
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

pub fn run_teams(command: TeamsCommand) -> Result<()> {
    let rt = runtime()?;
    match command {
        TeamsCommand::Map { file, db } => rt.block_on(async {
            let map = sightline_ingest::teams::read_team_map(&file)?;
            let store = Store::open(&db).await?;
            store.set_team_map(&map, &operator()).await?;
            store
                .audit(&operator(), "set team map", &format!("{} entries from {}", map.entries().len(), file.display()))
                .await?;
            let stored = store.team_names().await?;
            let renamed: Vec<&String> =
                stored.iter().filter(|t| map.entries().iter().any(|e| team_key(&e.name) == team_key(t))).collect();
            let mut text = format!("The team map holds {} entries.", map.entries().len());
            if !renamed.is_empty() {
                text.push_str(&format!(
                    "\nThe store holds facts under {} name(s) the map renames ({}): they stay as they are until \
their source is imported again.",
                    renamed.len(),
                    renamed.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            print_out(&text)
        }),
        TeamsCommand::List { db } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let mut text = String::from("Teams in the store:\n");
            for t in store.team_names().await? {
                text.push_str(&format!("  {t}\n"));
            }
            let map = store.team_map().await?;
            if map.is_empty() {
                text.push_str("No team map.");
            } else {
                text.push_str("Team map:\n");
                let when = |d: Option<chrono::NaiveDate>, open: &str| d.map_or(open.to_string(), long_date);
                for e in map.entries() {
                    text.push_str(&format!(
                        "  {} -> {} ({} to {})\n",
                        e.name,
                        e.team,
                        when(e.from, "any time"),
                        when(e.to, "open")
                    ));
                }
            }
            print_out(text.trim_end())
        }),
    }
}
