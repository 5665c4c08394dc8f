//! `sightline import` and `sightline batches`: sources into the store,
//! and what each import brought.

use crate::cli::login_name;
use crate::cli::{print_out, runtime};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sightline_import::{Import, ImportOptions, ImportOutcome};
use sightline_ingest::profile::{shipped, Profile};
use sightline_ingest::{RowProblem, Strictness};
use sightline_store::{Changes, Store};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The store: a SQLite file (created on first use) or postgres://user@host/database.
    #[arg(long, value_name = "URL")]
    db: String,
    /// What to import: a canonical data folder, or a file (with --profile).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// The source profile to read a system's export by: a TOML file, or the
    /// name of a shipped profile (`sightline profile list`).
    #[arg(long, value_name = "FILE or NAME")]
    profile: Option<PathBuf>,
    /// Which system the data comes from (by default the profile's `source`, else `canonical`);
    /// a newer import from the same source replaces or updates the older.
    #[arg(long)]
    source: Option<String>,
    /// Import the valid rows and keep a record of the invalid ones, instead of importing nothing.
    #[arg(long)]
    lenient: bool,
    /// Show what the import would change, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Who is importing, for the record (by default the login name).
    #[arg(long, value_name = "NAME")]
    imported_by: Option<String>,
}

#[derive(clap::Args)]
pub struct BatchesArgs {
    /// The store (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
}

/// What is at `path`, to import.
enum Input {
    Canonical,
    Census,
    Export(Box<Profile>, String),
}

/// A profile by file or shipped name, with its text.
pub(crate) fn load_profile(file: &Path) -> Result<(Profile, String)> {
    let text = match (file.exists(), file.to_str().and_then(shipped)) {
        (false, Some(text)) => text.to_string(),
        _ => std::fs::read_to_string(file).with_context(|| {
            format!(
                "cannot read the profile {} (nor is it a shipped profile: see `sightline profile list`)",
                file.display()
            )
        })?,
    };
    let profile =
        Profile::parse(&text).map_err(|e| anyhow::anyhow!("the profile {} cannot be used: {e}", file.display()))?;
    Ok((profile, text))
}

fn input(path: &Path, profile: Option<&Path>) -> Result<Input> {
    if let Some(file) = profile {
        let (profile, text) = load_profile(file)?;
        if path.is_dir() {
            bail!("{} is a folder; a profile reads one exported file", path.display());
        }
        return Ok(Input::Export(Box::new(profile), text));
    }
    if path.is_dir() {
        return Ok(Input::Canonical);
    }
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
        return Ok(Input::Census);
    }
    if !path.exists() {
        bail!("{} does not exist", path.display());
    }
    bail!(
        "{} is a file: say how to read it with --profile FILE (a source profile for the system that made it; \
`sightline profile suggest {}` drafts one)",
        path.display(),
        path.display()
    )
}

pub fn run_import(args: ImportArgs) -> Result<()> {
    let strictness = if args.lenient { Strictness::Lenient } else { Strictness::Strict };
    let who = login_name(args.imported_by.clone());
    let input = input(&args.path, args.profile.as_deref())?;
    let source = match (&args.source, &input) {
        (Some(s), _) => s.clone(),
        (None, Input::Export(p, _)) => p.source.clone().unwrap_or_else(|| p.kind.as_str().to_string()),
        (None, Input::Census) => "csww".to_string(),
        (None, _) => "canonical".to_string(),
    };
    // A bar on standard error while rows are written (hidden when it is not a terminal).
    // A spinner while the files are read and checked, then a bar while rows
    // are written; on standard error, and hidden when that is not a terminal.
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!("reading and checking {}", args.path.display()));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let writing = std::sync::Once::new();
    let progress = |done: u64, total: u64| {
        writing.call_once(|| {
            bar.disable_steady_tick();
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} rows ({eta} left)")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_message("writing");
        });
        bar.set_length(total);
        bar.set_position(done);
    };
    let options = ImportOptions {
        source: &source,
        imported_by: &who,
        strictness,
        dry_run: args.dry_run,
        progress: Some(&progress),
    };
    // A dry run into a SQLite store that does not exist yet leaves none
    // behind: it runs on a scratch store (as empty as the one it stands for),
    // removed afterwards.
    let scratch = (args.dry_run && is_new_sqlite_file(&args.db)).then(scratch_store);
    let url = scratch.as_ref().map_or(args.db.clone(), |p| p.display().to_string());
    let outcome = runtime()?.block_on(async {
        let store = Store::open(&url).await?;
        match &input {
            Input::Canonical => Ok((store.import_canonical_with(&args.path, &options).await?, Vec::new())),
            Input::Census => store.import_census(&args.path, &options).await,
            Input::Export(profile, text) => {
                Ok((store.import_export(&args.path, profile, text, &options).await?, Vec::new()))
            }
        }
    });
    bar.finish_and_clear();
    if let Some(path) = &scratch {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let (outcome, notes) = outcome?;
    if !matches!(outcome, ImportOutcome::Unchanged { .. }) {
        for note in &notes {
            eprintln!("note: {note}");
        }
    }
    let describe = |c: &Changes, rejected: &[RowProblem]| {
        let skipped =
            if rejected.is_empty() { String::new() } else { format!("; {} invalid rows skipped", rejected.len()) };
        let mut text = format!(
            "{} rows added, {} rows of earlier imports from this source replaced; {} people added, {} joined to \
people known from other sources, {} updated; {} teams added{skipped}",
            c.rows_added, c.rows_replaced, c.people_added, c.people_joined, c.people_updated, c.teams_added
        );
        if c.suggestions > 0 {
            text.push_str(&format!(
                ".\n{} possible matches by name and birth date to review: `sightline people review --db {}`",
                c.suggestions, args.db
            ));
        }
        text
    };
    match outcome {
        ImportOutcome::Unchanged { batch } => print_out(&format!(
            "Nothing to import: these files were imported for source `{source}` as batch {batch}; the store is unchanged."
        )),
        ImportOutcome::Imported { batch, changes, rejected } => {
            report_import(&rejected, "skipped");
            print_out(&format!(
                "Imported {} as batch {batch} (source `{source}`): {}.",
                args.path.display(),
                describe(&changes, &rejected)
            ))?;
            // The import has just assembled the workforce: this is quick.
            let detail = format!("batch {batch}, source {source}, from {}", args.path.display());
            let (wf, conflicts) = runtime()?.block_on(async {
                let store = Store::open(&args.db).await?;
                store.audit(&who, "import", &detail).await?;
                store.load_with_conflicts().await
            })?;
            if !conflicts.is_empty() {
                let concurrent = conflicts
                    .iter()
                    .filter(|c| c.what == sightline_core::resolve::Disputed::ConcurrentPost)
                    .count();
                let settled = conflicts.len() - concurrent;
                let mut said = Vec::new();
                if settled > 0 {
                    said.push(format!(
                        "{settled} overlaps between sources' records of the same employment were settled by the stated rule"
                    ));
                }
                if concurrent > 0 {
                    said.push(format!(
                        "{concurrent} times two sources record different posts of one person over the same days (concurrent posts, both counted)"
                    ));
                }
                print_out(&format!("{}; see `sightline people conflicts --db {}`.", said.join("; "), args.db))?;
            }
            // Is the picture whole? Said after every import, not only when asked.
            if let Some(at) = wf.latest_date() {
                let gaps = crate::commands::data::findings(&wf, at, false);
                if !gaps.is_empty() {
                    print_out(&format!(
                        "Check at {at} (`sightline data check --db {}` for more):\n{}",
                        args.db,
                        gaps.iter().map(|g| format!("  - {g}")).collect::<Vec<_>>().join("\n")
                    ))?;
                }
            }
            Ok(())
        }
        ImportOutcome::WouldImport { changes, rejected } => {
            report_import(&rejected, "would skip");
            print_out(&format!(
                "Dry run, nothing changed. Importing {} (source `{source}`) would give: {}.",
                args.path.display(),
                describe(&changes, &rejected)
            ))
        }
    }
}

/// Lists the rows an import leaves out, on standard error.
fn report_import(rejected: &[RowProblem], verb: &str) {
    for problem in rejected {
        eprintln!("{verb}: {problem}");
    }
}

pub fn run_batches(args: BatchesArgs) -> Result<()> {
    let batches = runtime()?.block_on(async { Store::open(&args.db).await?.batches().await })?;
    if batches.is_empty() {
        return print_out("Nothing has been imported into this store yet.");
    }
    let mut text = String::new();
    for b in batches {
        text.push_str(&format!(
            "batch {}  source `{}` ({})  {}  by {}  from {}\n  {} rows read, {} rejected\n",
            b.id, b.source, b.kind, b.imported_at, b.imported_by, b.path, b.rows_read, b.rows_rejected
        ));
        for (file, sum) in b.files {
            text.push_str(&format!("  {file}  sha256 {sum}\n"));
        }
    }
    print_out(text.trim_end())
}

/// Whether `url` names a SQLite store whose file is not there yet.
fn is_new_sqlite_file(url: &str) -> bool {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return false;
    }
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    !std::path::Path::new(path).exists()
}

/// A file name for a scratch store in the system's temporary folder.
fn scratch_store() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!("sightline-dry-run-{}-{nanos}.db", std::process::id()))
}
