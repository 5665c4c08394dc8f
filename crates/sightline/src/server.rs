//! Commands for the dashboard: `serve`, `user`, `token`, and the serving
//! half of `demo`.

use crate::{print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_import::Import;
use sightline_store::credentials::{hash_password, new_token, token_digest};
use sightline_store::{Role, Store};
use sightline_web::Settings;
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The address to listen on. Serve on anything but this machine only behind HTTPS.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    settings: SettingsArgs,
}

#[derive(clap::Args, Clone)]
pub struct SettingsArgs {
    /// Cases per FTE above which a team's caseload is flagged high.
    #[arg(long, default_value_t = 18.0)]
    caseload_high: f64,
    /// Cases per FTE above which a team's caseload is flagged very high.
    #[arg(long, default_value_t = 22.0)]
    caseload_very_high: f64,
    /// Working days beyond which a sickness episode counts as long-term.
    #[arg(long, default_value_t = 20.0)]
    long_term_days: f64,
    /// The authority (name or old LA code), to compare it with its statistical neighbours.
    #[arg(long)]
    la: Option<String>,
    /// A folder of scenario files (TOML) for the forecast page, beside the shipped ones.
    #[arg(long, value_name = "DIR")]
    scenarios: Option<std::path::PathBuf>,
}

impl SettingsArgs {
    fn settings(&self) -> Settings {
        Settings {
            caseload_high: self.caseload_high,
            caseload_very_high: self.caseload_very_high,
            long_term_days: self.long_term_days,
            la: self.la.clone(),
            scenarios: self.scenarios.clone(),
        }
    }
}

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

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token alone is printed, once.
    Create {
        #[arg(long, value_name = "URL")]
        db: String,
        #[arg(long)]
        user: String,
        /// What the token is for, to recognise it in the list.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List tokens (never the tokens themselves).
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
    /// Revoke a token by its number in the list.
    Revoke {
        #[arg(long, value_name = "URL")]
        db: String,
        id: i64,
    },
}

#[derive(clap::Subcommand)]
pub enum TargetCommand {
    /// Set a target for a figure: e.g. `agency_rate_fte --at-most 20 --by 2026-03-31`.
    Set {
        #[arg(long, value_name = "URL")]
        db: String,
        /// A figure by its DfE name (turnover_rate_fte, agency_rate_fte, vacancy_rate_fte, caseload_fte, ...).
        figure: String,
        #[arg(long, conflicts_with = "at_least", required_unless_present = "at_least")]
        at_most: Option<f64>,
        #[arg(long)]
        at_least: Option<f64>,
        /// The date by which it should be met (YYYY-MM-DD).
        #[arg(long)]
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
            if !sightline_core::published::FIELDS.contains(&figure.as_str()) {
                bail!("`{figure}` is not a figure; use a DfE name such as agency_rate_fte, turnover_rate_fte or vacancy_rate_fte");
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

#[derive(clap::Args)]
pub struct AuditArgs {
    #[arg(long, value_name = "URL")]
    db: String,
    /// How many of the latest entries to show.
    #[arg(long, default_value_t = 100)]
    limit: i64,
}

/// The audit log, newest first.
pub fn run_audit(args: AuditArgs) -> Result<()> {
    let entries = runtime()?.block_on(async { Store::open(&args.db).await?.audit_log(args.limit).await })?;
    let lines: Vec<String> =
        entries.iter().map(|e| format!("{}  {:<20} {:<16} {}", e.at, e.user, e.action, e.detail)).collect();
    let text = if lines.is_empty() { "The audit log is empty.".to_string() } else { lines.join("\n") };
    print_out(&text)
}

/// Who runs a command, for the audit log.
fn operator() -> String {
    let login =
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_else(|| "unknown".into());
    format!("cli:{login}")
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

pub fn run_serve(args: ServeArgs) -> Result<()> {
    runtime_multi()?.block_on(async {
        let store = Store::open(&args.db).await?;
        serve(store, args.bind, args.settings.settings(), None).await
    })
}

/// A runtime for serving: requests on both cores.
fn runtime_multi() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Binds, prints where to go (and how to log in), and serves until stopped.
async fn serve(store: Store, bind: SocketAddr, settings: Settings, login: Option<(&str, &str)>) -> Result<()> {
    let listener = sightline_web::listen(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    let address = listener.local_addr()?;
    let mut text = format!("Sightline is running at http://{address}/");
    if let Some((name, password)) = login {
        text.push_str(&format!("\nLog in as `{name}` with the password: {password}"));
    }
    text.push_str("\nStop it with Ctrl+C.");
    print_out(&text)?;
    sightline_web::serve_on(store, listener, settings).await?;
    Ok(())
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
                store.audit(&by, "reset password", &name).await?;
                print_out(&format!("New password set for `{name}`; their sessions have ended."))
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

pub fn run_token(command: TokenCommand) -> Result<()> {
    let rt = runtime()?;
    let by = operator();
    match command {
        TokenCommand::Create { db, user, label } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let token = new_token();
            let id = store.create_token(&user, &token_digest(&token), &label).await?;
            store.audit(&by, "create token", &format!("token {id} for {user}")).await?;
            print_out(&token)
        }),
        TokenCommand::List { db } => rt.block_on(async {
            let tokens = Store::open(&db).await?.tokens().await?;
            let lines: Vec<String> = tokens
                .iter()
                .map(|t| {
                    let state = t.revoked_at.as_deref().map_or("valid".to_string(), |r| format!("revoked {r}"));
                    format!("{:>4}  {:<20} {:<24} created {}  {state}", t.id, t.user, t.label, t.created_at)
                })
                .collect();
            let text = if lines.is_empty() { "No tokens.".to_string() } else { lines.join("\n") };
            print_out(&text)
        }),
        TokenCommand::Revoke { db, id } => rt.block_on(async {
            let store = Store::open(&db).await?;
            store.revoke_token(id).await?;
            store.audit(&by, "revoke token", &id.to_string()).await?;
            print_out(&format!("Token {id} revoked."))
        }),
    }
}

/// The serving half of `demo`: a fresh store with the demo data and an admin.
pub fn serve_demo(data: &std::path::Path, db: &std::path::Path, bind: SocketAddr) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the old demo store {}", path.display()))?;
        }
    }
    let url = db.to_string_lossy().into_owned();
    let password: String = new_token().chars().take(20).collect();
    runtime_multi()?.block_on(async {
        let store = Store::open(&url).await?;
        let options = sightline_import::ImportOptions {
            source: "demo",
            imported_by: "demo",
            strictness: sightline_ingest::Strictness::Strict,
            ..Default::default()
        };
        store.import_canonical_with(data, &options).await?;
        store.add_user("admin", Role::Admin, &[], &hash_password(&password)).await?;
        store.audit("demo", "add user", "admin: role admin").await?;
        let settings = Settings { la: Some("839".to_string()), ..Settings::default() };
        serve(store, bind, settings, Some(("admin", &password))).await
    })
}
