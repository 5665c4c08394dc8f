//! `sightline serve`: the dashboard and API on a store.

use crate::cli::print_out;
use crate::cli::runtime_multi;
use anyhow::{Context, Result};
use sightline_store::Store;
use sightline_web::Settings;
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
    /// Working days from which a sickness episode counts as long-term (that many or more).
    #[arg(long, default_value_t = 20.0)]
    long_term_days: f64,
    /// The authority (name or old LA code), to compare it with its statistical neighbours.
    #[arg(long)]
    la: Option<String>,
    /// A folder of scenario files (TOML) for the forecast page, beside the shipped ones.
    #[arg(long, value_name = "DIR")]
    scenarios: Option<std::path::PathBuf>,
    /// Serving behind a reverse proxy that adds the client's address to
    /// X-Forwarded-For: failed logins are then counted by that address.
    /// Only with a proxy that sets the header: otherwise anyone could.
    #[arg(long)]
    behind_proxy: bool,
}

impl SettingsArgs {
    fn settings(&self) -> Settings {
        Settings {
            caseload_high: self.caseload_high,
            caseload_very_high: self.caseload_very_high,
            long_term_days: self.long_term_days,
            la: self.la.clone(),
            scenarios: self.scenarios.clone(),
            behind_proxy: self.behind_proxy,
        }
    }
}

pub fn run_serve(args: ServeArgs) -> Result<()> {
    runtime_multi()?.block_on(async {
        let store = Store::open(&args.db).await?;
        serve(store, args.bind, args.settings.settings(), None).await
    })
}

/// Binds, prints where to go (and how to log in), and serves until stopped.
pub async fn serve(store: Store, bind: SocketAddr, settings: Settings, login: Option<(&str, &str)>) -> Result<()> {
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
