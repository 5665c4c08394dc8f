//! `sightline audit`: the audit log, read only.

use crate::cli::{print_out, runtime};
use anyhow::Result;
use sightline_core::words::escape_control;
use sightline_store::Store;

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
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            // Entries stored before control characters were written out are written out here.
            let (user, action, detail) =
                (escape_control(&e.user), escape_control(&e.action), escape_control(&e.detail));
            format!("{}  {user:<20} {action:<16} {detail}", e.at)
        })
        .collect();
    let text = if lines.is_empty() { "The audit log is empty.".to_string() } else { lines.join("\n") };
    print_out(&text)
}
