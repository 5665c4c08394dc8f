//! `sightline demo`: the demo authority made, its figures printed, and
//! the dashboard served on a fresh store with an admin to log in as.

use crate::cli::print_out;
use crate::cli::runtime_multi;
use crate::commands::indicators::{run_indicators, By, Format, IndicatorsArgs};
use crate::commands::serve::serve;
use crate::commands::synth::{run_synth, SynthArgs};
use anyhow::{Context, Result};
use sightline_import::Import;
use sightline_store::credentials::{hash_password, new_token};
use sightline_store::{Role, Store};
use sightline_web::Settings;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Where to write the demo data folder (the demo's store is kept in it).
    #[arg(long, value_name = "DIR", default_value = "sightline-demo")]
    out: PathBuf,
    /// The address to serve the dashboard on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: std::net::SocketAddr,
}

pub fn run_demo(args: DemoArgs) -> Result<()> {
    let dir = args.out.to_string_lossy().into_owned();
    run_synth(SynthArgs {
        la: Some("839".into()),
        people: None,
        years: "2019-2025".into(),
        seed: 1,
        out: args.out.clone(),
        snapshots_per_year: 12,
        exports: None,
        development: false,
        voice: false,
        recruitment: false,
        wider: false,
    })?;
    print_out("\nThe authority, census years 2019 to 2025:\n")?;
    let indicators = |years: Option<&str>, year: Option<i32>, by: Option<By>| IndicatorsArgs {
        data: Some(args.out.clone()),
        db: None,
        year,
        years: years.map(str::to_string),
        as_of: None,
        monthly: None,
        by,
        format: Format::Table,
        lenient: false,
        calendar: None,
        unrounded: false,
        population: "social_workers".into(),
    };
    run_indicators(indicators(Some("2019-2025"), None, None))?;
    print_out(&format!(
        "\nThe data is in {dir}; try `sightline indicators --data {dir} --as-of 2025-03-31 --by team`.\n\
Building the demo store and starting the dashboard...\n"
    ))?;
    serve_demo(&args.out, &args.out.join("sightline-demo.db"), args.bind)
}

/// The serving half of `demo`: a fresh store with the demo data and an admin.
fn serve_demo(data: &std::path::Path, db: &std::path::Path, bind: SocketAddr) -> Result<()> {
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
        // Practice development and staff voice for the same people, through the shipped profiles.
        let wf = store.load_workforce().await?;
        let mut files = crate::commands::synth::write_development(&wf, &data.join("development"), 1, "demo")?;
        // And staff voice: exit interviews, the pulse survey, ER casework.
        files.extend(crate::commands::synth::write_voice(&wf, &data.join("voice"), 1, "demo")?);
        // And recruitment: vacancies, incentive payments, the region's price caps and its list of leavers.
        files.extend(crate::commands::synth::write_recruitment(&wf, &data.join("recruitment"), 1, "demo")?);
        // And the wider workforce with its directorates, and the social workers' leave (for capacity).
        files.extend(crate::commands::synth::write_wider(&wf, &data.join("wider"), 1, "demo")?);
        for (profile_path, file) in files {
            let text = std::fs::read_to_string(&profile_path)?;
            let profile = sightline_ingest::Profile::parse(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
            let source = profile.source.clone().unwrap_or_default();
            let options = sightline_import::ImportOptions { source: &source, ..options };
            store.import_export(&file, &profile, &text, &options).await?;
        }
        // The demo's records are kept from the first day of its first census year.
        let from = chrono::NaiveDate::from_ymd_opt(2018, 10, 1).context("a date")?;
        for records in sightline_core::coverage::Records::ALL {
            store.set_complete_from(records, Some(from), "demo").await?;
        }
        store.add_user("admin", Role::Admin, &[], &hash_password(&password)).await?;
        store.audit("demo", "add user", "admin: role admin").await?;
        let settings = Settings { la: Some("839".to_string()), ..Settings::default() };
        serve(store, bind, settings, Some(("admin", &password))).await
    })
}
