//! `sightline user`: the dashboard's users and their roles.

use crate::cli::operator;
use crate::cli::{print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_store::credentials::hash_password;
use sightline_store::{Role, Store};
use std::io::{IsTerminal, Read};

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input when it is not a terminal, else asked for.
    Add {
        #[arg(long, value_name = "URL")]
        db: String,
        name: String,
        /// admin, hr, manager, analyst or member.
        #[arg(long)]
        role: String,
        /// A manager's teams, separated by commas: "MASH,Assessment".
        #[arg(long, default_value = "")]
        teams: String,
    },
    /// Remove a user, their sessions and tokens (the audit log keeps their name).
    Remove {
        #[arg(long, value_name = "URL")]
        db: String,
        name: String,
    },
    /// Set a new password (read as for `add`); the user's sessions end.
    Reset {
        #[arg(long, value_name = "URL")]
        db: String,
        name: String,
    },
    /// List users, their roles and teams.
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

pub fn run_user(command: UserCommand) -> Result<()> {
    let rt = runtime()?;
    let by = operator();
    match command {
        UserCommand::Add { db, name, role, teams } => {
            let role = Role::parse(&role)
                .with_context(|| format!("`{role}` is not a role: use admin, hr, manager, analyst or member"))?;
            let teams: Vec<String> =
                teams.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
            if role == Role::Manager && teams.is_empty() {
                bail!("a manager needs --teams: the teams whose people they may see");
            }
            let password = read_password(&format!("Password for {name}: "))?;
            rt.block_on(async {
                let store = Store::open(&db).await?;
                let known: Vec<String> = store.load_workforce().await?.teams().to_vec();
                if let Some(t) = teams.iter().find(|t| !known.contains(t)) {
                    bail!("no team called `{t}` in the store (teams: {})", known.join(", "));
                }
                store.add_user(&name, role, &teams, &hash_password(&password)).await?;
                store.audit(&by, "add user", &format!("{name}: role {role}, teams {}", teams.join(", "))).await?;
                print_out(&format!("Added `{name}` ({role})."))
            })
        }
        UserCommand::Remove { db, name } => rt.block_on(async {
            let store = Store::open(&db).await?;
            store.remove_user(&name).await?;
            store.audit(&by, "remove user", &name).await?;
            print_out(&format!("Removed `{name}`."))
        }),
        UserCommand::Reset { db, name } => {
            let password = read_password(&format!("New password for {name}: "))?;
            rt.block_on(async {
                let store = Store::open(&db).await?;
                store.set_password(&name, &hash_password(&password)).await?;
                store.clear_login_failures(&[], Some(&name)).await?;
                store.audit(&by, "reset password", &name).await?;
                print_out(&format!(
                    "New password set for `{name}`; their sessions have ended, and failed logins in their name are forgotten."
                ))
            })
        }
        UserCommand::List { db } => rt.block_on(async {
            let users = Store::open(&db).await?.users().await?;
            if users.is_empty() {
                return print_out("No users yet: add one with `sightline user add`.");
            }
            let lines: Vec<String> = users
                .iter()
                .map(|u| {
                    let teams =
                        if u.teams.is_empty() { String::new() } else { format!("  teams: {}", u.teams.join(", ")) };
                    format!("{:<20} {:<8} since {}{teams}", u.name, u.role.as_str(), u.created_at)
                })
                .collect();
            print_out(&lines.join("\n"))
        }),
    }
}

/// A password from standard input (piped) or typed without echo.
fn read_password(prompt: &str) -> Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        first
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text.lines().next().unwrap_or("").to_string()
    };
    if password.chars().count() < 12 {
        bail!("a password needs at least 12 characters");
    }
    Ok(password)
}
