//! Commands that bring data into the store and look after the people in
//! it: `import`, `batches`, `profile suggest`, `people review|show|conflicts`.

use crate::{print_out, runtime};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sightline_import::{Import, ImportOptions, ImportOutcome};
use sightline_ingest::profile::{shipped, Profile, SHIPPED};
use sightline_ingest::sheet::read_sheet;
use sightline_ingest::{RowProblem, Strictness};
use sightline_store::{Changes, PersonSummary, Store};
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

#[derive(clap::Subcommand)]
pub enum ProfileCommand {
    /// The profiles Sightline ships for common shapes of export.
    List,
    /// Print a shipped profile, to copy and adapt to your own export.
    Show {
        /// The profile's name (see `sightline profile list`).
        name: String,
    },
    /// Draft a profile from an export's headers and first values, for a person to check.
    #[command(long_about = "Draft a source profile from an export's column headers and sample values. \
The draft names the columns it recognised, the date format the values use, and codes it could map \
(job titles to OrgRole, contract types, leaving reasons); anything it could not place is listed for you \
to decide. Read it against the export before importing with it.\n\n\
Example:\n  sightline profile suggest staff.xlsx --out profiles/our-hr.toml")]
    Suggest {
        /// The export: CSV, or a spreadsheet (.xlsx, .xls, .ods).
        file: PathBuf,
        /// The sheet to read in a spreadsheet (the first by default).
        #[arg(long)]
        sheet: Option<String>,
        /// Write the draft here instead of to standard output (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Subcommand)]
pub enum PeopleCommand {
    /// List records that may be the same person (same name and birth date), or decide one.
    #[command(long_about = "Records from different sources are joined automatically only by Social Work \
England number or a cross-reference column. Records that share a name and birth date are suggested \
instead, for a person to decide: --accept N makes them one person (every fact of the later record moves \
to the earlier), --reject N keeps them apart for good.")]
    Review {
        #[arg(long, value_name = "URL")]
        db: String,
        /// Accept suggestion N: the two records are one person.
        #[arg(long, value_name = "N", conflicts_with = "reject")]
        accept: Option<i64>,
        /// Reject suggestion N: they are different people.
        #[arg(long, value_name = "N")]
        reject: Option<i64>,
        /// Who decides, for the record (by default the login name).
        #[arg(long, value_name = "NAME")]
        decided_by: Option<String>,
    },
    /// Everything the store holds of one person: each source's identifier, spells, absences, caseloads.
    Show {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The person's key, any source's identifier of them, or their SWE number.
        who: String,
    },
    /// Where two sources disagree about a person's employment over the same days, and what was kept.
    Conflicts {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

fn login_name(given: Option<String>) -> String {
    given.unwrap_or_else(|| {
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_else(|| "unknown".into())
    })
}

/// What is at `path`, to import.
enum Input {
    Canonical,
    Census,
    Export(Box<Profile>, String),
}

fn input(path: &Path, profile: Option<&Path>) -> Result<Input> {
    if let Some(file) = profile {
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
    let outcome = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        match &input {
            Input::Canonical => Ok((store.import_canonical_with(&args.path, &options).await?, Vec::new())),
            Input::Census => store.import_census(&args.path, &options).await,
            Input::Export(profile, text) => {
                Ok((store.import_export(&args.path, profile, text, &options).await?, Vec::new()))
            }
        }
    });
    bar.finish_and_clear();
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
            let (_, conflicts) = runtime()?.block_on(async {
                let store = Store::open(&args.db).await?;
                store.audit(&who, "import", &detail).await?;
                store.load_with_conflicts().await
            })?;
            if !conflicts.is_empty() {
                print_out(&format!(
                    "{} overlaps between sources' records of the same people were settled by the stated rule; \
see `sightline people conflicts --db {}`.",
                    conflicts.len(),
                    args.db
                ))?;
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

pub fn run_profile(command: ProfileCommand) -> Result<()> {
    let (file, sheet, out) = match command {
        ProfileCommand::List => {
            let mut text =
                String::from("Shipped profiles (use the name with --profile, or `profile show NAME` to adapt one):\n");
            for (name, toml) in SHIPPED {
                let profile = Profile::parse(toml).expect("shipped profiles are tested");
                text.push_str(&format!("  {name:<22} {}\n", profile.description.unwrap_or_default()));
            }
            return print_out(text.trim_end());
        }
        ProfileCommand::Show { name } => {
            let Some(text) = shipped(&name) else {
                bail!("no shipped profile called `{name}`; `sightline profile list` names them");
            };
            return print_out(text.trim_end());
        }
        ProfileCommand::Suggest { file, sheet, out } => (file, sheet, out),
    };
    let sheet = read_sheet(&file, sheet.as_deref())?;
    let draft = sightline_ingest::suggest::suggest(&sheet);
    match out {
        None => print_out(draft.trim_end()),
        Some(path) => {
            use std::io::Write;
            let mut f =
                std::fs::OpenOptions::new().write(true).create_new(true).open(&path).with_context(|| {
                    format!("cannot create {} (an existing file is not overwritten)", path.display())
                })?;
            f.write_all(draft.as_bytes())?;
            eprintln!(
                "Draft profile written to {}: check it against the export before importing with it.",
                path.display()
            );
            Ok(())
        }
    }
}

fn describe_person(p: &PersonSummary) -> String {
    let name = [p.details.given_name.as_deref(), p.details.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = format!("`{}`", p.person.id);
    if !name.is_empty() {
        text.push_str(&format!(" {name}"));
    }
    if let Some(d) = p.person.birth_date {
        text.push_str(&format!(", born {d}"));
    }
    if let Some(swe) = &p.person.swe_no {
        text.push_str(&format!(", SWE {swe}"));
    }
    let ids: Vec<String> = p.identifiers.iter().map(|(s, k)| format!("{s}: {k}")).collect();
    if !ids.is_empty() {
        text.push_str(&format!(" [{}]", ids.join("; ")));
    }
    text
}

pub fn run_people(command: PeopleCommand) -> Result<()> {
    let rt = runtime()?;
    match command {
        PeopleCommand::Review { db, accept, reject, decided_by } => rt.block_on(async {
            let store = Store::open(&db).await?;
            if let Some((id, yes)) = accept.map(|n| (n, true)).or(reject.map(|n| (n, false))) {
                let by = login_name(decided_by);
                store.decide_suggestion(id, yes, &by).await?;
                let action = if yes { "accept match" } else { "reject match" };
                store.audit(&by, action, &format!("suggestion {id}")).await?;
                return print_out(&if yes {
                    format!("Suggestion {id} accepted: the two records are now one person.")
                } else {
                    format!("Suggestion {id} rejected: the two records stay apart and will not be suggested again.")
                });
            }
            let open = store.suggestions().await?;
            if open.is_empty() {
                return print_out("No suggested matches are waiting for a decision.");
            }
            let mut text = String::new();
            for s in &open {
                text.push_str(&format!(
                    "#{} ({}):\n  {}\n  may be {}\n",
                    s.id,
                    s.reason,
                    describe_person(&s.person),
                    describe_person(&s.candidate)
                ));
            }
            text.push_str("Decide each with --accept N (the same person) or --reject N (different people).");
            print_out(&text)
        }),
        PeopleCommand::Show { db, who } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let Some(h) = store.person_history(&who).await? else {
                bail!("no one in the store is known as `{who}` (by key, any source's identifier, or SWE number)");
            };
            store
                .audit(&login_name(None), "view person", &format!("`{}` (asked for `{who}`)", h.summary.person.id))
                .await?;
            let mut text = describe_person(&h.summary);
            for f in &h.facts {
                let end = f.end.map_or_else(
                    || if f.what == "spell" { "open".to_string() } else { String::new() },
                    |e| e.to_string(),
                );
                let span = if end.is_empty() { f.start.to_string() } else { format!("{} to {end}", f.start) };
                text.push_str(&format!("\n  {span:<26} {:<13} {:<10} {}", f.what, f.source, f.detail));
            }
            print_out(&text)
        }),
        PeopleCommand::Conflicts { db } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let (wf, conflicts) = store.load_with_conflicts().await?;
            if conflicts.is_empty() {
                return print_out(
                    "No two sources disagree about anyone's employment, absences or caseloads over the same days.",
                );
            }
            let mut text = format!(
                "{} overlaps between sources, settled by the rule: for the days two sources overlap, the \
higher-ranked source is kept (census returns rank below record-level exports; otherwise the source \
imported most recently); the other's days of employment outside the overlap stay, while an \
overlapping absence or a caseload on the same date is set aside whole.\n",
                conflicts.len()
            );
            for c in &conflicts {
                let show = |(s, e): (chrono::NaiveDate, Option<chrono::NaiveDate>)| {
                    format!("{s} to {}", e.map_or("open".to_string(), |e| e.to_string()))
                };
                text.push_str(&format!(
                    "  `{}` ({}): `{}` says {}, `{}` kept for {}\n",
                    wf.person(c.person).id,
                    c.what.as_str(),
                    c.set_aside_source,
                    show(c.set_aside),
                    c.kept_source,
                    show(c.overlap)
                ));
            }
            print_out(text.trim_end())
        }),
    }
}
