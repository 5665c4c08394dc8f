//! `sightline audit`: the audit log, read only, and whether its chain holds.

use crate::cli::{print_out, runtime};
use anyhow::{bail, Result};
use sightline_core::words::escape_control;
use sightline_store::Store;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: Option<AuditCommand>,
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// How many of the latest entries to show.
    #[arg(long, default_value_t = 100)]
    limit: i64,
}

#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Check the audit log's chain: each entry holds a SHA-256 over the one
    /// before and its own fields, so an entry changed or removed breaks it.
    /// Names the first entry that does, and fails; entries written before the
    /// chain began are counted apart.
    Verify {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

/// The audit log, newest first; or `verify`.
pub fn run_audit(args: AuditArgs) -> Result<()> {
    if let Some(AuditCommand::Verify { db }) = args.command {
        let check = runtime()?.block_on(async { Store::open(&db).await?.verify_audit().await })?;
        let before = if check.before_chain > 0 {
            format!(" ({} earlier entries were written before the chain began)", check.before_chain)
        } else {
            String::new()
        };
        return match check.broken {
            None => print_out(&format!("The audit log's chain holds: {} entries checked{before}.", check.chained)),
            Some((id, why)) => bail!(
                "the audit log's chain is broken at entry {id}: {why}. {} entries before it hold{before}.",
                check.chained
            ),
        };
    }
    let Some(db) = args.db else { bail!("give the store with --db URL") };
    let entries = runtime()?.block_on(async { Store::open(&db).await?.audit_log(args.limit).await })?;
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
