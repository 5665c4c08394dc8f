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
    ///
    /// It prints the chain's head (`ID:HASH`): kept elsewhere (a ticket, the
    /// backup log), it lets a later `--expect ID:HASH` show that the log was
    /// not cut back to before it, which the chain alone cannot.
    Verify {
        #[arg(long, value_name = "URL")]
        db: String,
        /// A head printed by an earlier check: that entry must still be
        /// there, with that hash.
        #[arg(long, value_name = "ID:HASH")]
        expect: Option<String>,
    },
}

/// The audit log, newest first; or `verify`.
pub fn run_audit(args: AuditArgs) -> Result<()> {
    if let Some(AuditCommand::Verify { db, expect }) = args.command {
        let expected = match expect.as_deref().map(|e| e.split_once(':').map(|(id, h)| (id.parse::<i64>(), h))) {
            None => None,
            Some(Some((Ok(id), hash))) if !hash.is_empty() => Some((id, hash.to_string())),
            Some(_) => bail!("--expect takes the head an earlier check printed, as ID:HASH"),
        };
        let (check, found) = runtime()?.block_on(async {
            let store = Store::open(&db).await?;
            let check = store.verify_audit().await?;
            let found = match &expected {
                Some((id, _)) => store.audit_hash(*id).await?,
                None => None,
            };
            anyhow::Ok((check, found))
        })?;
        let before = if check.before_chain > 0 {
            format!(" ({} earlier entries were written before the chain began)", check.before_chain)
        } else {
            String::new()
        };
        if let Some((id, why)) = check.broken {
            bail!(
                "the audit log's chain is broken at entry {id}: {why}. {} entries before it hold{before}.",
                check.chained
            );
        }
        if let Some((id, hash)) = &expected {
            match found {
                None => bail!(
                    "entry {id} of the head you kept is not in the audit log: the log was cut back, its newest \
entries removed"
                ),
                Some(h) if h != *hash => {
                    bail!("entry {id} no longer has the hash you kept: the log was rewritten from it")
                }
                Some(_) => {}
            }
        }
        let kept = expected.map_or(String::new(), |(id, _)| format!(" It still holds entry {id} as you kept it."));
        let head = check.head_text().map_or(String::new(), |h| {
            format!("\nIts head is {h}: keep it elsewhere, and check later with `sightline audit verify --expect {h}`.")
        });
        return print_out(&format!(
            "The audit log's chain holds: {} entries checked{before}.{kept}{head}",
            check.chained
        ));
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
