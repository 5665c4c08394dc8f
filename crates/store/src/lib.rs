//! Sightline's persistent store: the workforce as dated facts in SQLite
//! (embedded, the default) or PostgreSQL, chosen by URL, with every fact
//! tied to the import batch it came from.
//!
//! One [`Store`] gives the same behaviour on both backends; each backend has
//! its own versioned migrations (`migrations/sqlite`, `migrations/postgres`),
//! applied when the store is opened.

use chrono::{NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sightline_core::{
    Absence, AbsenceReason, CaseloadSnapshot, Establishment, Gender, OrgRole, Person, PersonIdx, QualificationRoute,
    ReasonLeave, Spell, SpellKind, TeamId, Workforce, WorkforceBuilder,
};
use sightline_ingest::{read_dir, ReadError, RowProblem, Strictness};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the store at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the store's tables up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the store holds a value it cannot read back: {0}")]
    Corrupt(String),
}

/// What an import changes in the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Fact rows (spells, establishment, absences, caseloads) added.
    pub rows_added: u64,
    /// Fact rows of the same source's earlier batches that this one replaces.
    pub rows_replaced: u64,
    pub people_added: u64,
    /// People whose details (SWE number, birth date, ...) change.
    pub people_updated: u64,
    pub teams_added: u64,
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

/// An import batch and its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub source: String,
    pub path: String,
    /// SHA-256 over the files' own SHA-256 sums.
    pub fingerprint: String,
    pub imported_by: String,
    pub imported_at: String,
    pub rows_read: i64,
    pub rows_rejected: i64,
    /// File name and SHA-256 of each file read.
    pub files: Vec<(String, String)>,
}

enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The store. Open it with [`Store::open`].
pub struct Store {
    backend: Backend,
}

/// The canonical files, in the order they are hashed.
const CANONICAL_FILES: [&str; 5] = ["spells.csv", "people.csv", "establishment.csv", "absences.csv", "caseloads.csv"];

/// SHA-256 of each canonical file present in `dir`, and a fingerprint over them.
fn fingerprint(dir: &Path) -> Result<(String, Vec<(String, String)>), StoreError> {
    let mut files = Vec::new();
    let mut all = Sha256::new();
    for name in CANONICAL_FILES {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let sum = format!("{:x}", Sha256::digest(&bytes));
                all.update(format!("{name}:{sum}\n"));
                files.push((name.to_string(), sum));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::Io { path, source }),
        }
    }
    Ok((format!("{:x}", all.finalize()), files))
}

/// Rows in one multi-row INSERT: well under both backends' limits on bound values.
const CHUNK: usize = 1000;

macro_rules! backend {
    ($module:ident, $db:ty, $pool:ty) => {
        mod $module {
            use super::*;
            use sqlx::{QueryBuilder, Row};

            pub async fn latest_fingerprint(pool: &$pool, source: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
                let row = QueryBuilder::<$db>::new("SELECT id, fingerprint FROM import_batch WHERE source = ")
                    .push_bind(source)
                    .push(" ORDER BY id DESC LIMIT 1")
                    .build()
                    .fetch_optional(pool)
                    .await?;
                Ok(row.map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1))))
            }

            /// Writes a whole batch in one transaction: facts of earlier
            /// batches from the same source are replaced by this one's.
            pub async fn import(
                pool: &$pool,
                batch: &Batch,
                wf: &Workforce,
                rejected: &[RowProblem],
                dry_run: bool,
            ) -> Result<(i64, Changes), sqlx::Error> {
                let mut changes = Changes::default();
                let mut tx = pool.begin().await?;
                let next_id = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
                let batch_id: i64 = sqlx::query_scalar(&next_id("import_batch")).fetch_one(&mut *tx).await?;
                QueryBuilder::<$db>::new(
                    "INSERT INTO import_batch (id, source, path, fingerprint, imported_by, imported_at, rows_read, rows_rejected) ",
                )
                .push_values([batch], |mut b, x| {
                    b.push_bind(batch_id)
                        .push_bind(&x.source)
                        .push_bind(&x.path)
                        .push_bind(&x.fingerprint)
                        .push_bind(&x.imported_by)
                        .push_bind(&x.imported_at)
                        .push_bind(x.rows_read)
                        .push_bind(x.rows_rejected);
                })
                .build()
                .execute(&mut *tx)
                .await?;
                if !batch.files.is_empty() {
                    QueryBuilder::<$db>::new("INSERT INTO import_file (batch_id, file_name, sha256) ")
                        .push_values(&batch.files, |mut b, (name, sum)| {
                            b.push_bind(batch_id).push_bind(name).push_bind(sum);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                for chunk in rejected.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO rejected_row (batch_id, file_name, line, column_name, value, rule) ")
                        .push_values(chunk, |mut b, p| {
                            b.push_bind(batch_id)
                                .push_bind(&p.file)
                                .push_bind(p.line as i64)
                                .push_bind(&p.column)
                                .push_bind(&p.value)
                                .push_bind(&p.rule);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }

                // The earlier facts of this source go; people and teams stay.
                for table in ["spell", "establishment", "absence", "caseload"] {
                    changes.rows_replaced += QueryBuilder::<$db>::new(format!(
                        "DELETE FROM {table} WHERE batch_id IN (SELECT id FROM import_batch WHERE source = "
                    ))
                    .push_bind(&batch.source)
                    .push(format!(" AND id <> {batch_id})"))
                    .build()
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }

                // Teams and people by name, added or updated.
                let mut team_ids = Vec::with_capacity(wf.teams().len());
                let known: HashMap<String, i64> = sqlx::query("SELECT name, id FROM team")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1)))
                    .collect();
                let mut next_team: i64 = sqlx::query_scalar(&next_id("team")).fetch_one(&mut *tx).await?;
                let mut new_teams = Vec::new();
                for name in wf.teams() {
                    match known.get(name) {
                        Some(id) => team_ids.push(*id),
                        None => {
                            team_ids.push(next_team);
                            new_teams.push((next_team, name.clone()));
                            next_team += 1;
                        }
                    }
                }
                changes.teams_added = new_teams.len() as u64;
                for chunk in new_teams.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO team (id, name) ")
                        .push_values(chunk, |mut b, (id, name)| {
                            b.push_bind(*id).push_bind(name);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                let known: HashMap<String, (i64, Person)> = sqlx::query(
                    "SELECT person_key, id, swe_no, birth_date, gender, ethnicity, qualification_date, qualification_route FROM person",
                )
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|r| Ok((r.try_get::<String, _>(0)?, (r.try_get::<i64, _>(1)?, person_from_row(&r)?))))
                .collect::<Result<_, sqlx::Error>>()?;
                let mut next_person: i64 = sqlx::query_scalar(&next_id("person")).fetch_one(&mut *tx).await?;
                let mut person_ids = Vec::with_capacity(wf.persons().len());
                let (mut new_people, mut changed_people) = (Vec::new(), Vec::new());
                for p in wf.persons() {
                    match known.get(&p.id) {
                        Some((id, stored)) => {
                            person_ids.push(*id);
                            // Details the import gives replace the stored ones; none are blanked.
                            let merged = Person {
                                id: stored.id.clone(),
                                swe_no: p.swe_no.clone().or_else(|| stored.swe_no.clone()),
                                birth_date: p.birth_date.or(stored.birth_date),
                                gender: p.gender.or(stored.gender),
                                ethnicity: p.ethnicity.clone().or_else(|| stored.ethnicity.clone()),
                                qualification_date: p.qualification_date.or(stored.qualification_date),
                                qualification_route: p.qualification_route.or(stored.qualification_route),
                            };
                            if &merged != stored {
                                changed_people.push((*id, merged));
                            }
                        }
                        None => {
                            person_ids.push(next_person);
                            new_people.push((next_person, p));
                            next_person += 1;
                        }
                    }
                }
                // Updated in place: other sources' rows may refer to them.
                changes.people_updated = changed_people.len() as u64;
                for (id, p) in &changed_people {
                    QueryBuilder::<$db>::new("UPDATE person SET swe_no = ")
                        .push_bind(&p.swe_no)
                        .push(", birth_date = ")
                        .push_bind(p.birth_date)
                        .push(", gender = ")
                        .push_bind(p.gender.map(|g| i32::from(g.code())))
                        .push(", ethnicity = ")
                        .push_bind(&p.ethnicity)
                        .push(", qualification_date = ")
                        .push_bind(p.qualification_date)
                        .push(", qualification_route = ")
                        .push_bind(p.qualification_route.map(|r| r.as_str()))
                        .push(" WHERE id = ")
                        .push_bind(*id)
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                changes.people_added = new_people.len() as u64;
                for chunk in new_people.chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO person (id, person_key, swe_no, birth_date, gender, ethnicity, qualification_date, qualification_route) ",
                    )
                    .push_values(chunk, |mut b, (id, p)| {
                        b.push_bind(*id)
                            .push_bind(&p.id)
                            .push_bind(&p.swe_no)
                            .push_bind(p.birth_date)
                            .push_bind(p.gender.map(|g| i32::from(g.code())))
                            .push_bind(&p.ethnicity)
                            .push_bind(p.qualification_date)
                            .push_bind(p.qualification_route.map(|r| r.as_str()));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                }

                let person = |p: PersonIdx| person_ids[p.0 as usize];
                let team = |t: TeamId| team_ids[t.0 as usize];
                for chunk in wf.spells().chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO spell (batch_id, person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave) ",
                    )
                    .push_values(chunk, |mut b, s| {
                        b.push_bind(batch_id)
                            .push_bind(person(s.person))
                            .push_bind(s.kind.as_str())
                            .push_bind(team(s.team))
                            .push_bind(i32::from(s.org_role.code()))
                            .push_bind(s.start)
                            .push_bind(s.end)
                            .push_bind(s.fte)
                            .push_bind(s.reason_leave.map(|r| i32::from(r.code())));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                }
                for chunk in wf.establishment().chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO establishment (batch_id, team_id, fte, start_date, end_date, post_id, org_role) ",
                    )
                    .push_values(chunk, |mut b, e| {
                        b.push_bind(batch_id)
                            .push_bind(team(e.team))
                            .push_bind(e.fte)
                            .push_bind(e.start)
                            .push_bind(e.end)
                            .push_bind(&e.post_id)
                            .push_bind(e.org_role.map(|r| i32::from(r.code())));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                }
                for chunk in wf.absences().chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO absence (batch_id, person_id, start_date, end_date, reason, days_lost) ")
                        .push_values(chunk, |mut b, a| {
                            b.push_bind(batch_id)
                                .push_bind(person(a.person))
                                .push_bind(a.start)
                                .push_bind(a.end)
                                .push_bind(a.reason.code())
                                .push_bind(a.days_lost);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                for chunk in wf.caseloads().chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO caseload (batch_id, person_id, date, cases) ")
                        .push_values(chunk, |mut b, c| {
                            b.push_bind(batch_id)
                                .push_bind(person(c.person))
                                .push_bind(c.date)
                                .push_bind(c.cases as i32);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                changes.rows_added =
                    (wf.spells().len() + wf.establishment().len() + wf.absences().len() + wf.caseloads().len()) as u64;
                if dry_run {
                    tx.rollback().await?;
                } else {
                    tx.commit().await?;
                }
                Ok((batch_id, changes))
            }

            fn person_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Person, sqlx::Error> {
                let gender: Option<i32> = r.try_get(4)?;
                let route: Option<String> = r.try_get(7)?;
                Ok(Person {
                    id: r.try_get(0)?,
                    swe_no: r.try_get(2)?,
                    birth_date: r.try_get(3)?,
                    gender: gender.and_then(|g| Gender::from_code(g as u8)),
                    ethnicity: r.try_get(5)?,
                    qualification_date: r.try_get(6)?,
                    qualification_route: route.as_deref().and_then(QualificationRoute::parse),
                })
            }

            /// The whole workforce, from every source.
            pub async fn load(pool: &$pool) -> Result<Workforce, StoreError> {
                let mut b = WorkforceBuilder::new();
                let corrupt = |what: &str, value: String| StoreError::Corrupt(format!("{what} `{value}`"));
                let mut people: HashMap<i64, PersonIdx> = HashMap::new();
                let rows = sqlx::query(
                    "SELECT person_key, id, swe_no, birth_date, gender, ethnicity, qualification_date, qualification_route FROM person ORDER BY id",
                )
                .fetch_all(pool)
                .await?;
                for r in &rows {
                    let p = person_from_row(r)?;
                    let idx = b.person(&p.id);
                    *b.person_mut(idx) = p;
                    people.insert(r.try_get(1)?, idx);
                }
                let mut teams: HashMap<i64, TeamId> = HashMap::new();
                for r in sqlx::query("SELECT id, name FROM team ORDER BY id").fetch_all(pool).await? {
                    let name: String = r.try_get(1)?;
                    teams.insert(r.try_get(0)?, b.team(&name));
                }
                let person = |id: i64| people.get(&id).copied().ok_or_else(|| corrupt("person id", id.to_string()));
                let team = |id: i64| teams.get(&id).copied().ok_or_else(|| corrupt("team id", id.to_string()));
                let role = |code: i32| OrgRole::from_code(code as u8).ok_or_else(|| corrupt("org role", code.to_string()));
                for r in sqlx::query(
                    "SELECT person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave FROM spell",
                )
                .fetch_all(pool)
                .await?
                {
                    let kind: String = r.try_get(1)?;
                    let reason: Option<i32> = r.try_get(7)?;
                    b.add_spell(Spell {
                        person: person(r.try_get(0)?)?,
                        kind: SpellKind::parse(&kind).ok_or_else(|| corrupt("spell kind", kind.clone()))?,
                        team: team(r.try_get(2)?)?,
                        org_role: role(r.try_get(3)?)?,
                        start: r.try_get::<NaiveDate, _>(4)?,
                        end: r.try_get(5)?,
                        fte: r.try_get(6)?,
                        reason_leave: reason.and_then(|c| ReasonLeave::from_code(c as u8)),
                    });
                }
                for r in sqlx::query("SELECT team_id, fte, start_date, end_date, post_id, org_role FROM establishment")
                    .fetch_all(pool)
                    .await?
                {
                    let role_code: Option<i32> = r.try_get(5)?;
                    b.add_establishment(Establishment {
                        team: team(r.try_get(0)?)?,
                        fte: r.try_get(1)?,
                        start: r.try_get(2)?,
                        end: r.try_get(3)?,
                        post_id: r.try_get(4)?,
                        org_role: role_code.map(role).transpose()?,
                    });
                }
                for r in sqlx::query("SELECT person_id, start_date, end_date, reason, days_lost FROM absence")
                    .fetch_all(pool)
                    .await?
                {
                    let reason: String = r.try_get(3)?;
                    b.add_absence(Absence {
                        person: person(r.try_get(0)?)?,
                        start: r.try_get(1)?,
                        end: r.try_get(2)?,
                        reason: AbsenceReason::from_code(&reason).ok_or_else(|| corrupt("absence reason", reason.clone()))?,
                        days_lost: r.try_get(4)?,
                    });
                }
                let mut caseloads = Vec::new();
                for r in sqlx::query("SELECT person_id, date, cases FROM caseload").fetch_all(pool).await? {
                    let cases: i32 = r.try_get(2)?;
                    caseloads.push(CaseloadSnapshot { person: person(r.try_get(0)?)?, date: r.try_get(1)?, cases: cases as u32 });
                }
                b.add_caseloads(caseloads);
                Ok(b.build())
            }

            pub async fn batches(pool: &$pool) -> Result<Vec<Batch>, sqlx::Error> {
                let mut files: HashMap<i64, Vec<(String, String)>> = HashMap::new();
                for r in sqlx::query("SELECT batch_id, file_name, sha256 FROM import_file ORDER BY batch_id, file_name")
                    .fetch_all(pool)
                    .await?
                {
                    files.entry(r.try_get(0)?).or_default().push((r.try_get(1)?, r.try_get(2)?));
                }
                sqlx::query(
                    "SELECT id, source, path, fingerprint, imported_by, imported_at, rows_read, rows_rejected FROM import_batch ORDER BY id",
                )
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|r| {
                    let id: i64 = r.try_get(0)?;
                    Ok(Batch {
                        id,
                        source: r.try_get(1)?,
                        path: r.try_get(2)?,
                        fingerprint: r.try_get(3)?,
                        imported_by: r.try_get(4)?,
                        imported_at: r.try_get(5)?,
                        rows_read: r.try_get(6)?,
                        rows_rejected: r.try_get(7)?,
                        files: files.remove(&id).unwrap_or_default(),
                    })
                })
                .collect()
            }
        }
    };
}

backend!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
backend!(postgres, sqlx::Postgres, sqlx::PgPool);

macro_rules! on_backend {
    ($store:expr, $pool:ident => $body:expr, $module:ident) => {
        match &$store.backend {
            Backend::Sqlite($pool) => {
                use sqlite as $module;
                $body
            }
            Backend::Postgres($pool) => {
                use postgres as $module;
                $body
            }
        }
    };
}

impl Store {
    /// Opens (and on first use creates) the store at `url`: `postgres://...`
    /// for PostgreSQL; `sqlite:PATH` or a plain file path for SQLite.
    /// Migrations are applied as needed.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open { url: url.to_string(), source };
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool =
                sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(url).await.map_err(open_error)?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Backend::Postgres(pool)
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await
                .map_err(open_error)?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Backend::Sqlite(pool)
        };
        Ok(Store { backend })
    }

    /// Imports a canonical data folder as one batch from `source`. Nothing
    /// is written if any row is invalid (unless lenient); the same files
    /// imported again for the same source change nothing; newer files
    /// replace that source's earlier facts, all in one transaction.
    pub async fn import_canonical(
        &self,
        dir: &Path,
        source: &str,
        imported_by: &str,
        strictness: Strictness,
    ) -> Result<ImportOutcome, StoreError> {
        self.import_canonical_with(dir, source, imported_by, strictness, false).await
    }

    /// [`Store::import_canonical`], or with `dry_run` the same import carried
    /// out inside its transaction and rolled back, to report what it would change.
    pub async fn import_canonical_with(
        &self,
        dir: &Path,
        source: &str,
        imported_by: &str,
        strictness: Strictness,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let (print, files) = fingerprint(dir)?;
        let latest = on_backend!(self, pool => b::latest_fingerprint(pool, source).await?, b);
        if let Some((batch, previous)) = latest {
            if previous == print {
                return Ok(ImportOutcome::Unchanged { batch });
            }
        }
        let loaded = read_dir(dir, strictness)?;
        let wf = &loaded.workforce;
        let rows_read = wf.spells().len()
            + wf.establishment().len()
            + wf.absences().len()
            + wf.caseloads().len()
            + loaded.skipped.len();
        let batch = Batch {
            id: 0,
            source: source.to_string(),
            path: dir.display().to_string(),
            fingerprint: print,
            imported_by: imported_by.to_string(),
            imported_at: Utc::now().to_rfc3339(),
            rows_read: rows_read as i64,
            rows_rejected: loaded.skipped.len() as i64,
            files,
        };
        let (id, changes) = on_backend!(self, pool => b::import(pool, &batch, wf, &loaded.skipped, dry_run).await?, b);
        Ok(if dry_run {
            ImportOutcome::WouldImport { changes, rejected: loaded.skipped }
        } else {
            ImportOutcome::Imported { batch: id, changes, rejected: loaded.skipped }
        })
    }

    /// The whole workforce the store holds.
    pub async fn load_workforce(&self) -> Result<Workforce, StoreError> {
        on_backend!(self, pool => b::load(pool).await, b)
    }

    /// Every import batch, oldest first.
    pub async fn batches(&self) -> Result<Vec<Batch>, StoreError> {
        Ok(on_backend!(self, pool => b::batches(pool).await?, b))
    }

    /// Rows in each fact table, for reports and tests.
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in ["person", "team", "spell", "establishment", "absence", "caseload", "import_batch"] {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let n: i64 = match &self.backend {
                Backend::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
                Backend::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
            };
            out.push((table, n));
        }
        Ok(out)
    }
}
