//! `sightline backup` and `sightline restore`: a store's copy, and the store
//! from its copy.

use crate::cli::{operator, print_out, runtime};
use anyhow::{bail, Context, Result};
use sightline_store::Store;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The store (a SQLite file; see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The backup to write: a new file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup, as `sightline backup` wrote it.
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    /// The SQLite store to restore it as.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Replace a store that is there (kept beside it as FILE.replaced-TIME).
    #[arg(long)]
    replace: bool,
}

/// A consistent copy of a store in use (SQLite's VACUUM INTO).
pub fn run_backup(args: BackupArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        store.backup(&args.out).await?;
        store.audit(&operator(), "backup", &args.out.display().to_string()).await?;
        // The audit chain's head, for the backup's own record: a later
        // `audit verify --expect` shows the log was not cut back.
        let head = store.verify_audit().await?.head_text().map_or(String::new(), |h| format!(" Audit head: {h}."));
        print_out(&format!("Backed up {} to {} (readable by you only).{head}", args.db, args.out.display()))
    })
}

/// A store from a backup: checked whole (integrity and the audit chain) as
/// a copy beside the target before it takes the target's place.
pub fn run_restore(args: RestoreArgs) -> Result<()> {
    if !args.from.is_file() {
        bail!("{} is not a backup file", args.from.display());
    }
    if args.db.exists() && !args.replace {
        bail!(
            "{} exists: restore into a new file, or give --replace (the store there is kept beside it)",
            args.db.display()
        );
    }
    let staging = with_suffix(&args.db, ".restoring");
    if staging.exists() {
        std::fs::remove_file(&staging).with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    copy_owner_only(&args.from, &staging)?;
    let checked = runtime()?.block_on(async {
        let url = staging.to_str().context("the store's path is not UTF-8")?;
        let store = Store::open(url).await?;
        let problems = store.integrity().await?;
        let chain = store.verify_audit().await?;
        let people = store.load_workforce().await?.persons().len();
        store.close().await;
        anyhow::Ok((problems, chain, people))
    });
    let (problems, chain, people) = match checked {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(e.context(format!("{} is not a Sightline store that can be restored", args.from.display())));
        }
    };
    if !problems.is_empty() {
        let _ = std::fs::remove_file(&staging);
        bail!("{} is damaged: {}", args.from.display(), problems.join("; "));
    }
    for end in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&staging, end));
    }
    if args.db.exists() {
        let kept = with_suffix(&args.db, &format!(".replaced-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S")));
        std::fs::rename(&args.db, &kept).with_context(|| format!("cannot move {} aside", args.db.display()))?;
        for end in ["-wal", "-shm"] {
            let _ = std::fs::rename(with_suffix(&args.db, end), with_suffix(&kept, end));
        }
    }
    std::fs::rename(&staging, &args.db).with_context(|| format!("cannot put the store at {}", args.db.display()))?;
    runtime()?.block_on(async {
        let store = Store::open(args.db.to_str().context("the store's path is not UTF-8")?).await?;
        store.audit(&operator(), "restore", &format!("from {}", args.from.display())).await?;
        anyhow::Ok(())
    })?;
    let audit = match chain.broken {
        None => format!("its audit log's chain holds ({} entries)", chain.chained),
        Some((id, why)) => format!("but its audit log's chain is broken at entry {id}: {why}"),
    };
    print_out(&format!("Restored {} as {}: {people} people; {audit}.", args.from.display(), args.db.display()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn copy_owner_only(from: &Path, to: &Path) -> Result<()> {
    let mut input = std::fs::File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut output = options.open(to).with_context(|| format!("cannot create {}", to.display()))?;
    std::io::copy(&mut input, &mut output).with_context(|| format!("cannot copy to {}", to.display()))?;
    output.sync_all()?;
    Ok(())
}
