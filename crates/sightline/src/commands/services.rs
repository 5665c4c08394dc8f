//! `sightline service`: teams put in service areas.

use crate::cli::operator;
use crate::cli::{print_out, runtime};
use anyhow::{bail, Result};
use sightline_store::Store;

#[derive(clap::Subcommand)]
pub enum ServiceCommand {
    /// Put teams in a service, for figures by service on the dashboard.
    Set {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The service's name, e.g. "Children in Care".
        service: String,
        /// Its teams, separated by commas.
        #[arg(long)]
        teams: String,
    },
    /// List services and their teams.
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

pub fn run_service(command: ServiceCommand) -> Result<()> {
    let rt = runtime()?;
    match command {
        ServiceCommand::Set { db, service, teams } => {
            let teams: Vec<String> =
                teams.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
            if teams.is_empty() {
                bail!("give the service's teams with --teams \"A,B\"");
            }
            rt.block_on(async {
                let store = Store::open(&db).await?;
                let known: Vec<String> = store.load_workforce().await?.teams().to_vec();
                if let Some(t) = teams.iter().find(|t| !known.contains(t)) {
                    bail!("no team called `{t}` in the store (teams: {})", known.join(", "));
                }
                store.set_service(&service, &teams).await?;
                store.audit(&operator(), "set service", &format!("{service}: {}", teams.join(", "))).await?;
                print_out(&format!("`{service}` now holds: {}.", teams.join(", ")))
            })
        }
        ServiceCommand::List { db } => rt.block_on(async {
            let services = Store::open(&db).await?.services().await?;
            let lines: Vec<String> = services.iter().map(|(team, service)| format!("{service:<30} {team}")).collect();
            let text = if lines.is_empty() { "No services yet.".to_string() } else { lines.join("\n") };
            print_out(&text)
        }),
    }
}
