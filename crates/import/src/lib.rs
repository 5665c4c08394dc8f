//! Importing a source: the steps every import shares, between the readers
//! (`sightline-ingest`) and the repository (`sightline-store`).
//!
//! 1. The files are fingerprinted (SHA-256 of each, and of the profile);
//!    files the source imported last time change nothing.
//! 2. They are read into the core's `SourceData`, every invalid row named
//!    (nothing is written if one is invalid, unless lenient).
//! 3. The store writes one batch in one transaction, with the people joined
//!    by the rule of `sightline_ingest::identity`, and assembles the
//!    workforce once.
//!
//! [`Import`] gives the store the three kinds of import: a canonical
//! folder, an export read through a profile, and a CSWW census return.

use chrono::Utc;
use sha2::{Digest, Sha256};
use sightline_core::source::{RowProblem, SourceData};
use sightline_core::teams::{TeamMap, UnknownTeam};
use sightline_core::words::long_date;
use sightline_ingest::profile::read_export;
use sightline_ingest::sheet::{is_spreadsheet, read_csv_with, read_sheet};
use sightline_ingest::{identity, list_problems, read_dir, Profile, ReadError, Strictness};
use sightline_store::{Batch, Changes, Progress, Store, StoreError, StoredReturn};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error(
        "{} invalid row(s); nothing was imported. Fix them, or import with --lenient to skip them (each is still listed).\n{}",
        .0.len(),
        list_problems(.0)
    )]
    InvalidRows(Vec<RowProblem>),
    #[error(
        "{} team name(s) are neither in the team map nor one of today's teams; nothing was imported. Add them to the map (sightline teams map FILE), naming the team each is now:\n{}",
        .0.len(),
        list_unknown(.0)
    )]
    UnknownTeams(Vec<UnknownTeam>),
    #[error(transparent)]
    Read(ReadError),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did, or (dry run) would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new batch, what it changed, and the rows skipped (lenient).
    Imported { batch: i64, changes: Changes, rejected: Vec<RowProblem> },
    /// A dry run: what the import would change; nothing was written.
    WouldImport { changes: Changes, rejected: Vec<RowProblem> },
    /// The same files were imported before for this source: nothing changed.
    Unchanged { batch: i64 },
}

/// Who imports what, and how.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// The system the data comes from: a newer import from the same source
    /// replaces or updates its earlier facts.
    pub source: &'a str,
    pub imported_by: &'a str,
    pub strictness: Strictness,
    /// Carry the import out and roll it back, to see what it would change.
    pub dry_run: bool,
    pub progress: Option<Progress<'a>>,
}

/// What a batch is and where it came from, before it is read.
struct Provenance {
    kind: String,
    path: String,
    fingerprint: String,
    files: Vec<(String, String)>,
}

/// The canonical files, in the order they are hashed.
const CANONICAL_FILES: [&str; 5] = ["spells.csv", "people.csv", "establishment.csv", "absences.csv", "caseloads.csv"];

impl From<ReadError> for ImportError {
    /// Invalid rows stop an import before anything is written: it says so.
    fn from(e: ReadError) -> ImportError {
        match e {
            ReadError::InvalidRows(problems) => ImportError::InvalidRows(problems),
            other => ImportError::Read(other),
        }
    }
}

fn list_unknown(unknown: &[UnknownTeam]) -> String {
    unknown
        .iter()
        .map(|u| {
            let when = if u.first_start == u.last_start {
                format!("starting {}", long_date(u.first_start))
            } else {
                format!("starting {} to {}", long_date(u.first_start), long_date(u.last_start))
            };
            format!("  `{}`: {} row(s), {when}", u.name, u.rows)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// SHA-256 of each canonical file present in `dir`, and a fingerprint over them.
fn fingerprint(dir: &Path) -> Result<(String, Vec<(String, String)>), ImportError> {
    let mut files = Vec::new();
    let mut all = Sha256::new();
    for name in CANONICAL_FILES {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let sum = sha256(&bytes);
                all.update(format!("{name}:{sum}\n"));
                files.push((name.to_string(), sum));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(ImportError::Io { path, source }),
        }
    }
    Ok((format!("{:x}", all.finalize()), files))
}

fn file_name(file: &Path) -> String {
    file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn read_file(file: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(file).map_err(|source| ImportError::Io { path: file.to_path_buf(), source })
}

/// The store's imports.
// The futures are awaited on the caller's runtime (the CLI blocks on them):
// no caller needs to name their Send bound.
#[allow(async_fn_in_trait)]
pub trait Import {
    /// The store imported into.
    fn store(&self) -> &Store;

    /// Imports a canonical data folder as one batch from `source`. Nothing
    /// is written if any row is invalid (unless lenient); the same files
    /// imported again for the same source change nothing; newer files
    /// replace that source's earlier facts, all in one transaction.
    async fn import_canonical(
        &self,
        dir: &Path,
        source: &str,
        imported_by: &str,
        strictness: Strictness,
    ) -> Result<ImportOutcome, ImportError> {
        let options = ImportOptions { source, imported_by, strictness, ..Default::default() };
        self.import_canonical_with(dir, &options).await
    }

    /// [`Import::import_canonical`] with every option; with `dry_run` the
    /// import is carried out inside its transaction and rolled back, to
    /// report what it would change.
    async fn import_canonical_with(
        &self,
        dir: &Path,
        options: &ImportOptions<'_>,
    ) -> Result<ImportOutcome, ImportError> {
        let (print, files) = fingerprint(dir)?;
        let what = Provenance { kind: "canonical".into(), path: dir.display().to_string(), fingerprint: print, files };
        import(self.store(), options, what, || Ok(SourceData::from(read_dir(dir, options.strictness)?)), None).await
    }

    /// Imports one export (CSV or spreadsheet) read through a source
    /// profile (`profile_text` is its TOML, kept in the fingerprint so that
    /// a corrected profile imports again).
    async fn import_export(
        &self,
        file: &Path,
        profile: &Profile,
        profile_text: &str,
        options: &ImportOptions<'_>,
    ) -> Result<ImportOutcome, ImportError> {
        let bytes = read_file(file)?;
        let name = file_name(file);
        let sum = sha256(&bytes);
        let profile_sum = sha256(profile_text.as_bytes());
        let print = sha256(format!("{name}:{sum}\nprofile:{profile_sum}\n").as_bytes());
        let files = vec![(name.clone(), sum), ("profile".to_string(), profile_sum)];
        let what = Provenance {
            kind: profile.kind.as_str().to_string(),
            path: file.display().to_string(),
            fingerprint: print,
            files,
        };
        let read = || {
            let sheet = if is_spreadsheet(file) {
                read_sheet(file, profile.sheet.as_deref())?
            } else {
                read_csv_with(&name, &bytes, profile.delimiter_byte())?
            };
            Ok(read_export(&sheet, profile, options.strictness)?)
        };
        import(self.store(), options, what, read, None).await
    }

    /// Imports a CSWW census return. The source's history is rebuilt from
    /// all its returns (this one replacing any earlier return for the same
    /// year), so consecutive years join up; the notes are where the rules of
    /// [`sightline_ingest::census`] stood in for what the returns could not tell.
    async fn import_census(
        &self,
        file: &Path,
        options: &ImportOptions<'_>,
    ) -> Result<(ImportOutcome, Vec<String>), ImportError> {
        let xml =
            std::fs::read_to_string(file).map_err(|source| ImportError::Io { path: file.to_path_buf(), source })?;
        let name = file_name(file);
        let bad = |message: String| ImportError::Read(ReadError::Export { file: name.clone(), message });
        let parsed = sightline_csww::read(&xml).map_err(|e| bad(format!(": {e}")))?;
        let year = parsed.census.year().ok_or_else(|| {
            bad("has no census year: its <Header><CollectionDetails> needs <Year> or <ReferenceDate>".into())
        })?;
        let lea = parsed.census.header.as_ref().and_then(|h| h.lea.clone());
        let skipped: Vec<RowProblem> = parsed
            .problems
            .iter()
            .map(|p| RowProblem {
                file: name.clone(),
                line: p.line,
                column: p.element.clone(),
                value: p.value.clone(),
                rule: p.rule.clone(),
            })
            .collect();
        if options.strictness == Strictness::Strict && !skipped.is_empty() {
            return Err(ImportError::InvalidRows(skipped));
        }
        let stored = self.store().stored_returns(options.source).await?;
        let mut returns = vec![parsed.census];
        for r in stored.iter().filter(|r| r.year != year) {
            if r.lea.is_some() && lea.is_some() && r.lea != lea {
                return Err(bad(format!(
                    "is for LA {}, but source `{}` holds returns for LA {}: import it under another --source",
                    lea.as_deref().unwrap_or(""),
                    options.source,
                    r.lea.as_deref().unwrap_or("")
                )));
            }
            let earlier = sightline_csww::read(&r.xml)
                .map_err(|e| StoreError::Corrupt(format!("the stored {} census return: {e}", r.year)))?;
            returns.push(earlier.census);
        }
        let (mut data, mut notes) = sightline_ingest::census::history(&returns);
        notes.extend(
            parsed
                .corrections
                .iter()
                .map(|c| format!("{name} line {}: <{}> `{}` {}", c.line, c.element, c.value, c.rule)),
        );
        data.rows_read = returns[0].workers.len() + skipped.len();
        data.skipped = skipped;
        let sum = sha256(xml.as_bytes());
        let print = sha256(format!("{name}:{sum}\n").as_bytes());
        let what = Provenance {
            kind: "csww".into(),
            path: file.display().to_string(),
            fingerprint: print,
            files: vec![(name, sum)],
        };
        let census = StoredReturn { year, lea, xml };
        let outcome = import(self.store(), options, what, || Ok(data), Some(census)).await?;
        Ok((outcome, notes))
    }
}

impl Import for Store {
    fn store(&self) -> &Store {
        self
    }
}

/// The steps every import shares: unchanged files change nothing; else
/// the source is read and written as one batch.
async fn import(
    store: &Store,
    options: &ImportOptions<'_>,
    what: Provenance,
    read: impl FnOnce() -> Result<SourceData, ImportError>,
    census: Option<StoredReturn>,
) -> Result<ImportOutcome, ImportError> {
    let Provenance { kind, path, fingerprint: print, files } = what;
    // Exports are read through the team map (census returns name no
    // teams of the authority's): a changed map reads the same files anew.
    let map = if census.is_none() { store.team_map().await? } else { TeamMap::default() };
    let print = if map.is_empty() {
        print
    } else {
        let entries: Vec<String> =
            map.entries().iter().map(|e| format!("{}\t{}\t{:?}\t{:?}", e.name, e.team, e.from, e.to)).collect();
        sha256(format!("{print}\nteam map:{}", sha256(entries.join("\n").as_bytes())).as_bytes())
    };
    if let Some((batch, previous)) = store.latest_fingerprint(options.source).await? {
        if previous == print {
            return Ok(ImportOutcome::Unchanged { batch });
        }
    }
    let data = read()?;
    let data = if map.is_empty() {
        data
    } else {
        map.apply_source(data, &store.team_names().await?).map_err(ImportError::UnknownTeams)?
    };
    let batch = Batch {
        id: 0,
        source: options.source.to_string(),
        kind,
        path,
        fingerprint: print,
        imported_by: options.imported_by.to_string(),
        imported_at: Utc::now().to_rfc3339(),
        rows_read: data.rows_read as i64,
        rows_rejected: data.skipped.len() as i64,
        files,
    };
    let identify = |directory| identity::plan(directory, options.source, data.workforce.persons(), &data.details);
    let (id, changes) =
        store.write_batch(&batch, &data, census.as_ref(), &identify, options.dry_run, options.progress).await?;
    Ok(if options.dry_run {
        ImportOutcome::WouldImport { changes, rejected: data.skipped }
    } else {
        ImportOutcome::Imported { batch: id, changes, rejected: data.skipped }
    })
}
