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
use sightline_ingest::identity::{self, Directory, Known};
use sightline_ingest::profile::read_export;
use sightline_ingest::profile::{Mode, PersonDetails};
use sightline_ingest::resolve::{settle, settle_absences, settle_caseloads, Conflict, Rank};
use sightline_ingest::sheet::read_sheet;
use sightline_ingest::{read_dir, Profile, ReadError, RowProblem, SourceData, Strictness};
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
    #[error("{0}")]
    NotFound(String),
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
    /// People of this source found to be people the store knew from another
    /// source (by Social Work England number or cross-reference).
    pub people_joined: u64,
    /// Possible matches (same name and birth date) recorded for a person to review.
    pub suggestions: u64,
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
    /// `canonical`, `csww`, or the export kind of a profile (`hr`, `agency`, ...).
    pub kind: String,
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

/// A person as the store knows them, with each source's identifier of them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSummary {
    pub person: Person,
    pub details: PersonDetails,
    /// (source, that source's identifier).
    pub identifiers: Vec<(String, String)>,
}

/// Two records that may be one person, for a person to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: i64,
    pub reason: String,
    /// The record added later.
    pub person: PersonSummary,
    /// The earlier record it may be.
    pub candidate: PersonSummary,
}

/// One fact held of a person, for their history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryFact {
    pub source: String,
    /// `spell`, `agency terms`, `absence` or `caseload`.
    pub what: &'static str,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub detail: String,
}

/// A person and everything the store holds of them, in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonHistory {
    pub summary: PersonSummary,
    pub facts: Vec<HistoryFact>,
}

/// Told (rows written, rows to write) as an import writes.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// The layout of the workforce snapshot: bump it whenever the model's
/// fields change, so that an old snapshot is rebuilt rather than misread.
const SNAPSHOT_FORMAT: i32 = 4;

/// What a batch is and where it came from, before it is read.
struct Provenance {
    kind: &'static str,
    path: String,
    fingerprint: String,
    files: Vec<(String, String)>,
}

/// A census return as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReturn {
    pub year: i32,
    pub lea: Option<String>,
    pub xml: String,
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

#[derive(Clone)]
enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The store. Open it with [`Store::open`]; clones share one connection pool.
#[derive(Clone)]
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

/// The person table's columns, in the order rows are read and written.
const PERSON_COLUMNS: &str = "person_key, id, swe_no, birth_date, gender, ethnicity, qualification_date, qualification_route, given_name, family_name";

/// Rows in one multi-row INSERT: well under both backends' limits on bound values.
const CHUNK: usize = 1000;

macro_rules! backend {
    ($module:ident, $db:ty, $pool:ty) => {
        mod $module {
            use super::*;
            use futures_util::TryStreamExt;
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
                data: &SourceData,
                dry_run: bool,
                progress: Option<Progress<'_>>,
                census: Option<&StoredReturn>,
            ) -> Result<(i64, Changes), sqlx::Error> {
                let wf = &data.workforce;
                let total = (wf.spells().len() + wf.establishment().len() + wf.absences().len() + wf.caseloads().len()) as u64;
                let mut done = 0u64;
                let mut tick = |n: usize| {
                    done += n as u64;
                    if let Some(report) = progress {
                        report(done, total);
                    }
                };
                let rejected = &data.skipped;
                let mut changes = Changes::default();
                let mut tx = pool.begin().await?;
                let next_id = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
                let batch_id: i64 = sqlx::query_scalar(&next_id("import_batch")).fetch_one(&mut *tx).await?;
                QueryBuilder::<$db>::new(
                    "INSERT INTO import_batch (id, source, kind, path, fingerprint, imported_by, imported_at, rows_read, rows_rejected) ",
                )
                .push_values([batch], |mut b, x| {
                    b.push_bind(batch_id)
                        .push_bind(&x.source)
                        .push_bind(&x.kind)
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

                sqlx::query("UPDATE store_state SET generation = generation + 1").execute(&mut *tx).await?;
                if let Some(r) = census {
                    QueryBuilder::<$db>::new("DELETE FROM census_return WHERE source = ")
                        .push_bind(&batch.source)
                        .push(" AND year = ")
                        .push_bind(r.year)
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    QueryBuilder::<$db>::new("INSERT INTO census_return (batch_id, source, year, lea, xml) ")
                        .push_values([r], |mut b, r| {
                            b.push_bind(batch_id).push_bind(&batch.source).push_bind(r.year).push_bind(&r.lea).push_bind(&r.xml);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }

                // Teams by name, added as needed.
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

                let person_ids = people(&mut tx, batch, batch_id, data, &mut changes).await?;
                let person = |p: PersonIdx| person_ids[p.0 as usize];
                let team = |t: TeamId| team_ids[t.0 as usize];

                // What this batch replaces of its source's earlier facts: all
                // of them (a full export), or the rows it gives anew (changes).
                let earlier = format!("batch_id IN (SELECT id FROM import_batch WHERE source = $1 AND id <> {batch_id})");
                let earlier = if stringify!($module) == "sqlite" { earlier.replace("$1", "?") } else { earlier };
                match data.mode {
                    Mode::Full => {
                        for table in ["spell", "establishment", "absence", "caseload", "agency_assignment"] {
                            let deleted = sqlx::query(&format!("DELETE FROM {table} WHERE {earlier}"))
                                .bind(&batch.source)
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                            if table != "agency_assignment" {
                                changes.rows_replaced += deleted;
                            }
                        }
                    }
                    Mode::Changes => {
                        let keyed = |items: Vec<(i64, NaiveDate)>| {
                            let mut items = items;
                            items.sort();
                            items.dedup();
                            items
                        };
                        let spells = keyed(wf.spells().iter().map(|s| (person(s.person), s.start)).collect());
                        let absences = keyed(wf.absences().iter().map(|a| (person(a.person), a.start)).collect());
                        let caseloads = keyed(wf.caseloads().iter().map(|c| (person(c.person), c.date)).collect());
                        for (table, column, keys) in [
                            ("spell", "start_date", &spells),
                            ("agency_assignment", "start_date", &spells),
                            ("absence", "start_date", &absences),
                            ("caseload", "date", &caseloads),
                        ] {
                            for chunk in keys.chunks(CHUNK / 2) {
                                let mut q = QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE batch_id IN (SELECT id FROM import_batch WHERE source = "));
                                q.push_bind(&batch.source).push(format!(" AND id <> {batch_id}) AND (person_id, {column}) IN ("));
                                let mut list = q.separated(", ");
                                for (p, d) in chunk {
                                    list.push("(");
                                    list.push_bind_unseparated(*p);
                                    list.push_unseparated(", ");
                                    list.push_bind_unseparated(*d);
                                    list.push_unseparated(")");
                                }
                                q.push(")");
                                let deleted = q.build().execute(&mut *tx).await?.rows_affected();
                                if table != "agency_assignment" {
                                    changes.rows_replaced += deleted;
                                }
                            }
                        }
                    }
                }

                for chunk in wf.spells().chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO spell (batch_id, person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave, leaver_destination, charge_rate) ",
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
                            .push_bind(s.reason_leave.map(|r| i32::from(r.code())))
                            .push_bind(s.leaver_destination.map(|d| i32::from(d.code())))
                            .push_bind(s.charge_rate);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                    tick(chunk.len());
                }
                for chunk in data.agency_terms.chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO agency_assignment (batch_id, person_id, start_date, agency, charge_rate, pay_rate, covering) ",
                    )
                    .push_values(chunk, |mut b, t| {
                        b.push_bind(batch_id)
                            .push_bind(person(t.person))
                            .push_bind(t.start)
                            .push_bind(&t.agency)
                            .push_bind(t.charge_rate)
                            .push_bind(t.pay_rate)
                            .push_bind(t.covering.map(|c| c.as_str()));
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
                    tick(chunk.len());
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
                    tick(chunk.len());
                }
                let weights: HashMap<(PersonIdx, NaiveDate), f64> =
                    data.caseload_weights.iter().map(|(p, d, w)| ((*p, *d), *w)).collect();
                for chunk in wf.caseloads().chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO caseload (batch_id, person_id, date, cases, weight) ")
                        .push_values(chunk, |mut b, c| {
                            b.push_bind(batch_id)
                                .push_bind(person(c.person))
                                .push_bind(c.date)
                                .push_bind(c.cases as i32)
                                .push_bind(weights.get(&(c.person, c.date)).copied());
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    tick(chunk.len());
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

            /// Finds or adds the person behind each of the source's people,
            /// by the rule of [`sightline_ingest::identity`]: what the store
            /// knows is read, the plan made without the database, then written.
            async fn people(
                tx: &mut sqlx::Transaction<'_, $db>,
                batch: &Batch,
                batch_id: i64,
                data: &SourceData,
                changes: &mut Changes,
            ) -> Result<Vec<i64>, sqlx::Error> {
                let mut directory = Directory::default();
                for r in sqlx::query("SELECT source, source_key, person_id FROM person_identifier").fetch_all(&mut **tx).await? {
                    directory.identifiers.insert((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?);
                }
                for r in sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person")).fetch_all(&mut **tx).await? {
                    directory.people.insert(r.try_get(1)?, known_from_row(&r)?);
                }
                for r in sqlx::query("SELECT person_id, candidate_id FROM match_suggestion").fetch_all(&mut **tx).await? {
                    directory.suggested.insert((r.try_get(0)?, r.try_get(1)?));
                }
                let plan = identity::plan(directory, &batch.source, data.workforce.persons(), &data.details);
                changes.people_joined = plan.joined;
                changes.people_added = plan.new_people.len() as u64;
                changes.people_updated = plan.changed.len() as u64;
                changes.suggestions = plan.suggestions.len() as u64;
                // Updated in place: other sources' rows refer to them.
                for (id, k) in &plan.changed {
                    update_person(&mut **tx, *id, k).await?;
                }
                for chunk in plan.new_people.chunks(CHUNK) {
                    QueryBuilder::<$db>::new(format!("INSERT INTO person ({PERSON_COLUMNS}) "))
                        .push_values(chunk, |mut b, (id, k)| {
                            let p = &k.person;
                            b.push_bind(&p.id)
                                .push_bind(*id)
                                .push_bind(&p.swe_no)
                                .push_bind(p.birth_date)
                                .push_bind(p.gender.map(|g| i32::from(g.code())))
                                .push_bind(&p.ethnicity)
                                .push_bind(p.qualification_date)
                                .push_bind(p.qualification_route.map(|r| r.as_str()))
                                .push_bind(&k.details.given_name)
                                .push_bind(&k.details.family_name);
                        })
                        .build()
                        .execute(&mut **tx)
                        .await?;
                }
                for chunk in plan.new_identifiers.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO person_identifier (source, source_key, person_id) ")
                        .push_values(chunk, |mut b, ((source, key), id)| {
                            b.push_bind(source).push_bind(key).push_bind(*id);
                        })
                        .build()
                        .execute(&mut **tx)
                        .await?;
                }
                let mut next_suggestion: i64 =
                    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM match_suggestion").fetch_one(&mut **tx).await?;
                for s in &plan.suggestions {
                    QueryBuilder::<$db>::new("INSERT INTO match_suggestion (id, person_id, candidate_id, reason, status, batch_id) ")
                        .push_values([()], |mut b, ()| {
                            b.push_bind(next_suggestion)
                                .push_bind(s.person)
                                .push_bind(s.candidate)
                                .push_bind(s.reason)
                                .push_bind("open")
                                .push_bind(batch_id);
                        })
                        .build()
                        .execute(&mut **tx)
                        .await?;
                    next_suggestion += 1;
                }
                Ok(plan.ids)
            }

            /// Writes a person's details and names over the stored ones.
            async fn update_person(conn: &mut <$db as sqlx::Database>::Connection, id: i64, k: &Known) -> Result<(), sqlx::Error> {
                let p = &k.person;
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
                    .push(", given_name = ")
                    .push_bind(&k.details.given_name)
                    .push(", family_name = ")
                    .push_bind(&k.details.family_name)
                    .push(" WHERE id = ")
                    .push_bind(id)
                    .build()
                    .execute(conn)
                    .await?;
                Ok(())
            }

            fn known_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Known, sqlx::Error> {
                Ok(Known {
                    person: person_from_row(r)?,
                    details: PersonDetails { given_name: r.try_get(8)?, family_name: r.try_get(9)?, xref: None },
                })
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

            /// The whole workforce, from every source, with the overlaps
            /// between sources settled (see [`sightline_ingest::resolve`]).
            pub async fn load(pool: &$pool) -> Result<(Workforce, Vec<Conflict>), StoreError> {
                let mut b = WorkforceBuilder::new();
                let corrupt = |what: &str, value: String| StoreError::Corrupt(format!("{what} `{value}`"));
                let mut people: HashMap<i64, PersonIdx> = HashMap::new();
                let rows = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person ORDER BY id")).fetch_all(pool).await?;
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
                // Each source's standing, for settling what two sources say of one person.
                let mut sources: Vec<(String, Rank)> = Vec::new();
                let mut source_of: HashMap<i64, usize> = HashMap::new();
                for r in sqlx::query("SELECT id, source, kind FROM import_batch ORDER BY id").fetch_all(pool).await? {
                    let (id, source, kind): (i64, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                    let fidelity = u8::from(kind != "csww");
                    let i = match sources.iter().position(|(s, _)| *s == source) {
                        Some(i) => i,
                        None => {
                            sources.push((source, Rank { fidelity, latest_batch: id }));
                            sources.len() - 1
                        }
                    };
                    sources[i].1 = Rank { fidelity: sources[i].1.fidelity.min(fidelity), latest_batch: id };
                    source_of.insert(id, i);
                }
                // The large tables are read as streams: rows are turned into
                // facts as they come, never all held at once.
                let mut spells = Vec::new();
                let mut rows = sqlx::query(
                    "SELECT person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave, batch_id, leaver_destination, charge_rate FROM spell",
                )
                .fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let kind: String = r.try_get(1)?;
                    let reason: Option<i32> = r.try_get(7)?;
                    let batch: i64 = r.try_get(8)?;
                    let spell = Spell {
                        person: person(r.try_get(0)?)?,
                        kind: SpellKind::parse(&kind).ok_or_else(|| corrupt("spell kind", kind.clone()))?,
                        team: team(r.try_get(2)?)?,
                        org_role: role(r.try_get(3)?)?,
                        start: r.try_get::<NaiveDate, _>(4)?,
                        end: r.try_get(5)?,
                        fte: r.try_get(6)?,
                        reason_leave: reason.and_then(|c| ReasonLeave::from_code(c as u8)),
                        leaver_destination: r
                            .try_get::<Option<i32>, _>(9)?
                            .and_then(|c| sightline_core::LeaverDestination::from_code(c as u8)),
                        charge_rate: r.try_get(10)?,
                    };
                    let source = *source_of.get(&batch).ok_or_else(|| corrupt("batch id", batch.to_string()))?;
                    spells.push((spell, source));
                }
                drop(rows);
                let (spells, mut conflicts) = settle(spells, &sources);
                b.reserve(spells.len(), 0, 0);
                for spell in spells {
                    b.add_spell(spell);
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
                let source = |batch: i64| source_of.get(&batch).copied().ok_or_else(|| corrupt("batch id", batch.to_string()));
                let mut absences = Vec::new();
                let mut rows =
                    sqlx::query("SELECT person_id, start_date, end_date, reason, days_lost, batch_id FROM absence").fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let reason: String = r.try_get(3)?;
                    let absence = Absence {
                        person: person(r.try_get(0)?)?,
                        start: r.try_get(1)?,
                        end: r.try_get(2)?,
                        reason: AbsenceReason::from_code(&reason).ok_or_else(|| corrupt("absence reason", reason.clone()))?,
                        days_lost: r.try_get(4)?,
                    };
                    absences.push((absence, source(r.try_get(5)?)?));
                }
                drop(rows);
                let (absences, mut more) = settle_absences(absences, &sources);
                conflicts.append(&mut more);
                b.reserve(0, absences.len(), 0);
                for a in absences {
                    b.add_absence(a);
                }
                let mut caseloads = Vec::new();
                let mut rows = sqlx::query("SELECT person_id, date, cases, batch_id FROM caseload").fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let cases: i32 = r.try_get(2)?;
                    let snapshot = CaseloadSnapshot { person: person(r.try_get(0)?)?, date: r.try_get(1)?, cases: cases as u32 };
                    caseloads.push((snapshot, source(r.try_get(3)?)?));
                }
                drop(rows);
                let (caseloads, mut more) = settle_caseloads(caseloads, &sources);
                conflicts.append(&mut more);
                b.add_caseloads(caseloads);
                Ok((b.build(), conflicts))
            }

            /// The workforce from the snapshot of the current generation, or
            /// assembled from the fact tables (and kept as the new snapshot).
            pub async fn load_cached(pool: &$pool) -> Result<(Workforce, Vec<Conflict>), StoreError> {
                let generation: i64 = sqlx::query_scalar("SELECT generation FROM store_state").fetch_one(pool).await?;
                let snapshot: Option<Vec<u8>> = QueryBuilder::<$db>::new("SELECT data FROM workforce_snapshot WHERE generation = ")
                    .push_bind(generation)
                    .push(" AND format = ")
                    .push_bind(SNAPSHOT_FORMAT)
                    .build()
                    .fetch_optional(pool)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
                // A snapshot that cannot be read is only a cache: build anew.
                if let Some(loaded) = snapshot.and_then(|bytes| postcard::from_bytes(&bytes).ok()) {
                    return Ok(loaded);
                }
                let loaded = load(pool).await?;
                let bytes = postcard::to_allocvec(&loaded).map_err(|e| StoreError::Corrupt(format!("cannot encode the snapshot: {e}")))?;
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM workforce_snapshot").execute(&mut *tx).await?;
                QueryBuilder::<$db>::new("INSERT INTO workforce_snapshot (id, generation, format, data) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(1i32).push_bind(generation).push_bind(SNAPSHOT_FORMAT).push_bind(&bytes);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(loaded)
            }

            pub async fn rejected_rows(pool: &$pool, batch: i64) -> Result<Vec<RowProblem>, sqlx::Error> {
                QueryBuilder::<$db>::new("SELECT file_name, line, column_name, value, rule FROM rejected_row WHERE batch_id = ")
                    .push_bind(batch)
                    .push(" ORDER BY file_name, line")
                    .build()
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(|r| {
                        let line: i64 = r.try_get(1)?;
                        Ok(RowProblem { file: r.try_get(0)?, line: line as u64, column: r.try_get(2)?, value: r.try_get(3)?, rule: r.try_get(4)? })
                    })
                    .collect()
            }

            pub async fn census_returns(pool: &$pool, source: &str) -> Result<Vec<StoredReturn>, sqlx::Error> {
                QueryBuilder::<$db>::new("SELECT year, lea, xml FROM census_return WHERE source = ")
                    .push_bind(source)
                    .push(" ORDER BY year")
                    .build()
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(|r| Ok(StoredReturn { year: r.try_get(0)?, lea: r.try_get(1)?, xml: r.try_get(2)? }))
                    .collect()
            }

            pub async fn suggestions(pool: &$pool) -> Result<Vec<Suggestion>, sqlx::Error> {
                let open: Vec<(i64, i64, i64, String)> = sqlx::query(
                    "SELECT id, person_id, candidate_id, reason FROM match_suggestion WHERE status = 'open' ORDER BY id",
                )
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
                .collect::<Result<_, sqlx::Error>>()?;
                let mut out = Vec::new();
                for (id, person, candidate, reason) in open {
                    out.push(Suggestion {
                        id,
                        reason,
                        person: summary(pool, person).await?,
                        candidate: summary(pool, candidate).await?,
                    });
                }
                Ok(out)
            }

            async fn summary(pool: &$pool, id: i64) -> Result<PersonSummary, sqlx::Error> {
                let r = QueryBuilder::<$db>::new(format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = "))
                    .push_bind(id)
                    .build()
                    .fetch_one(pool)
                    .await?;
                let known = known_from_row(&r)?;
                let identifiers = QueryBuilder::<$db>::new(
                    "SELECT source, source_key FROM person_identifier WHERE person_id = ",
                )
                .push_bind(id)
                .push(" ORDER BY source, source_key")
                .build()
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_, sqlx::Error>>()?;
                Ok(PersonSummary { person: known.person, details: known.details, identifiers })
            }

            /// Accepts (merging the newer record into the earlier) or rejects a suggestion.
            pub async fn decide(pool: &$pool, id: i64, accept: bool, by: &str) -> Result<(), StoreError> {
                let mut tx = pool.begin().await?;
                let row = QueryBuilder::<$db>::new("SELECT person_id, candidate_id, status FROM match_suggestion WHERE id = ")
                    .push_bind(id)
                    .build()
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("no suggestion #{id}; `sightline people review` lists them")))?;
                let (person, candidate, status): (i64, i64, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
                if status != "open" {
                    return Err(StoreError::NotFound(format!("suggestion #{id} was already {status}")));
                }
                if accept {
                    let select = format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = ");
                    let newer = QueryBuilder::<$db>::new(&select).push_bind(person).build().fetch_one(&mut *tx).await?;
                    let newer = known_from_row(&newer)?;
                    let earlier = QueryBuilder::<$db>::new(&select).push_bind(candidate).build().fetch_one(&mut *tx).await?;
                    let earlier = known_from_row(&earlier)?;
                    let merged = identity::combine(&earlier, &newer);
                    for table in ["spell", "absence", "caseload", "agency_assignment", "person_identifier"] {
                        QueryBuilder::<$db>::new(format!("UPDATE {table} SET person_id = "))
                            .push_bind(candidate)
                            .push(" WHERE person_id = ")
                            .push_bind(person)
                            .build()
                            .execute(&mut *tx)
                            .await?;
                    }
                    for column in ["person_id", "candidate_id"] {
                        QueryBuilder::<$db>::new(format!("UPDATE match_suggestion SET {column} = "))
                            .push_bind(candidate)
                            .push(format!(" WHERE {column} = "))
                            .push_bind(person)
                            .build()
                            .execute(&mut *tx)
                            .await?;
                    }
                    sqlx::query("UPDATE match_suggestion SET status = 'merged' WHERE person_id = candidate_id AND status = 'open'")
                        .execute(&mut *tx)
                        .await?;
                    update_person(&mut *tx, candidate, &merged).await?;
                    QueryBuilder::<$db>::new("DELETE FROM person WHERE id = ").push_bind(person).build().execute(&mut *tx).await?;
                }
                sqlx::query("UPDATE store_state SET generation = generation + 1").execute(&mut *tx).await?;
                QueryBuilder::<$db>::new("UPDATE match_suggestion SET status = ")
                    .push_bind(if accept { "accepted" } else { "rejected" })
                    .push(", decided_by = ")
                    .push_bind(by)
                    .push(", decided_at = ")
                    .push_bind(Utc::now().to_rfc3339())
                    .push(" WHERE id = ")
                    .push_bind(id)
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            /// The person named by `query` (their key, any source's identifier
            /// of them, or their SWE number) and every fact held of them.
            pub async fn history(pool: &$pool, query: &str) -> Result<Option<PersonHistory>, StoreError> {
                // A person's own key names them; else their SWE number or any source's identifier.
                let by_key: Option<i64> = QueryBuilder::<$db>::new("SELECT id FROM person WHERE person_key = ")
                    .push_bind(query)
                    .build()
                    .fetch_optional(pool)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
                let mut found: Vec<i64> = QueryBuilder::<$db>::new("SELECT id FROM person WHERE swe_no = ")
                    .push_bind(query)
                    .push(" UNION SELECT person_id FROM person_identifier WHERE source_key = ")
                    .push_bind(query)
                    .build()
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<Result<_, sqlx::Error>>()?;
                found.sort_unstable();
                found.dedup();
                if let Some(id) = by_key {
                    found = vec![id];
                }
                let id = match found[..] {
                    [] => return Ok(None),
                    [id] => id,
                    _ => {
                        let mut keys = Vec::new();
                        for id in &found {
                            keys.push(format!("`{}`", summary(pool, *id).await?.person.id));
                        }
                        return Err(StoreError::NotFound(format!(
                            "`{query}` names {} people (sources give the same identifier to different people): {}; ask for one by its key",
                            found.len(),
                            keys.join(", ")
                        )));
                    }
                };
                let summary = summary(pool, id).await?;
                let mut facts = Vec::new();
                let q = |sql: &str| QueryBuilder::<$db>::new(sql.to_string());
                for r in q("SELECT b.source, s.kind, t.name, s.org_role, s.start_date, s.end_date, s.fte, s.reason_leave, s.leaver_destination FROM spell s JOIN import_batch b ON b.id = s.batch_id JOIN team t ON t.id = s.team_id WHERE s.person_id = ")
                    .push_bind(id)
                    .build()
                    .fetch_all(pool)
                    .await?
                {
                    let (kind, team, role, fte, reason): (String, String, i32, f64, Option<i32>) =
                        (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(6)?, r.try_get(7)?);
                    let mut detail = format!("{kind}, {team}, OrgRole {role}, FTE {fte}");
                    if let Some(code) = reason {
                        detail.push_str(&format!(", left: ReasonLeave {code}"));
                    }
                    if let Some(code) = r.try_get::<Option<i32>, _>(8)? {
                        detail.push_str(&format!(", to: LeaverDestination {code}"));
                    }
                    facts.push(HistoryFact { source: r.try_get(0)?, what: "spell", start: r.try_get(4)?, end: r.try_get(5)?, detail });
                }
                for r in q("SELECT b.source, a.start_date, a.agency, a.charge_rate, a.pay_rate, a.covering FROM agency_assignment a JOIN import_batch b ON b.id = a.batch_id WHERE a.person_id = ")
                    .push_bind(id)
                    .build()
                    .fetch_all(pool)
                    .await?
                {
                    let (agency, charge, pay, covering): (Option<String>, Option<f64>, Option<f64>, Option<String>) =
                        (r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?);
                    let money = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.2}"));
                    let detail = format!(
                        "agency {}, charge {} / pay {} an hour, covering {}",
                        agency.as_deref().unwrap_or("-"),
                        money(charge),
                        money(pay),
                        covering.as_deref().unwrap_or("-")
                    );
                    facts.push(HistoryFact { source: r.try_get(0)?, what: "agency terms", start: r.try_get(1)?, end: None, detail });
                }
                for r in q("SELECT b.source, a.start_date, a.end_date, a.reason, a.days_lost FROM absence a JOIN import_batch b ON b.id = a.batch_id WHERE a.person_id = ")
                    .push_bind(id)
                    .build()
                    .fetch_all(pool)
                    .await?
                {
                    let (reason, days): (String, Option<f64>) = (r.try_get(3)?, r.try_get(4)?);
                    let detail = match days {
                        Some(d) => format!("{reason}, {d} days lost"),
                        None => reason,
                    };
                    facts.push(HistoryFact { source: r.try_get(0)?, what: "absence", start: r.try_get(1)?, end: Some(r.try_get(2)?), detail });
                }
                for r in q("SELECT b.source, c.date, c.cases, c.weight FROM caseload c JOIN import_batch b ON b.id = c.batch_id WHERE c.person_id = ")
                    .push_bind(id)
                    .build()
                    .fetch_all(pool)
                    .await?
                {
                    let (cases, weight): (i32, Option<f64>) = (r.try_get(2)?, r.try_get(3)?);
                    let detail = match weight {
                        Some(w) => format!("{cases} cases (weighted {w})"),
                        None => format!("{cases} cases"),
                    };
                    facts.push(HistoryFact { source: r.try_get(0)?, what: "caseload", start: r.try_get(1)?, end: None, detail });
                }
                facts.sort_by(|a, b| (a.start, a.what, &a.source).cmp(&(b.start, b.what, &b.source)));
                Ok(Some(PersonHistory { summary, facts }))
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
                    "SELECT id, source, path, fingerprint, imported_by, imported_at, rows_read, rows_rejected, kind FROM import_batch ORDER BY id",
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
                        kind: r.try_get(8)?,
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

// After `on_backend!`, which it uses.
mod access;
pub mod credentials;
pub use access::{AuditEntry, Role, Session, SetTarget, TokenInfo, User};

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
        let options = ImportOptions { source, imported_by, strictness, ..Default::default() };
        self.import_canonical_with(dir, &options).await
    }

    /// [`Store::import_canonical`] with every option; with `dry_run` the
    /// import is carried out inside its transaction and rolled back, to
    /// report what it would change.
    pub async fn import_canonical_with(
        &self,
        dir: &Path,
        options: &ImportOptions<'_>,
    ) -> Result<ImportOutcome, StoreError> {
        let (print, files) = fingerprint(dir)?;
        let path = dir.display().to_string();
        self.import_with(
            options,
            Provenance { kind: "canonical", path, fingerprint: print, files },
            || Ok(SourceData::from_canonical(read_dir(dir, options.strictness)?)),
            None,
        )
        .await
    }

    /// Imports one export (CSV or spreadsheet) read through a source
    /// profile (`profile_text` is its TOML, kept in the fingerprint so that
    /// a corrected profile imports again).
    pub async fn import_export(
        &self,
        file: &Path,
        profile: &Profile,
        profile_text: &str,
        options: &ImportOptions<'_>,
    ) -> Result<ImportOutcome, StoreError> {
        let bytes = std::fs::read(file).map_err(|source| StoreError::Io { path: file.to_path_buf(), source })?;
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let sum = format!("{:x}", Sha256::digest(&bytes));
        let profile_sum = format!("{:x}", Sha256::digest(profile_text.as_bytes()));
        let print = format!("{:x}", Sha256::digest(format!("{name}:{sum}\nprofile:{profile_sum}\n")));
        let files = vec![(name.clone(), sum), ("profile".to_string(), profile_sum)];
        let path = file.display().to_string();
        self.import_with(
            options,
            Provenance { kind: profile.kind.as_str(), path, fingerprint: print, files },
            || {
                let sheet = if sightline_ingest::sheet::is_spreadsheet(file) {
                    read_sheet(file, profile.sheet.as_deref())?
                } else {
                    sightline_ingest::sheet::read_csv(&name, &bytes)?
                };
                Ok(read_export(&sheet, profile, options.strictness)?)
            },
            None,
        )
        .await
    }

    /// Imports a CSWW census return. The source's history is rebuilt from
    /// all its returns (this one replacing any earlier return for the same
    /// year), so consecutive years join up; `notes` are where the rules of
    /// [`sightline_ingest::census`] stood in for what the returns could not tell.
    pub async fn import_census(
        &self,
        file: &Path,
        options: &ImportOptions<'_>,
    ) -> Result<(ImportOutcome, Vec<String>), StoreError> {
        let xml =
            std::fs::read_to_string(file).map_err(|source| StoreError::Io { path: file.to_path_buf(), source })?;
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let bad = |message: String| StoreError::Read(ReadError::Export { file: name.clone(), message });
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
            return Err(StoreError::Read(ReadError::InvalidRows(skipped)));
        }
        let stored = on_backend!(self, pool => b::census_returns(pool, options.source).await?, b);
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
        let (mut data, notes) = sightline_ingest::census::history(&returns);
        data.rows_read = returns[0].workers.len() + skipped.len();
        data.skipped = skipped;
        let sum = format!("{:x}", Sha256::digest(xml.as_bytes()));
        let print = format!("{:x}", Sha256::digest(format!("{name}:{sum}\n")));
        let files = vec![(name, sum)];
        let path = file.display().to_string();
        let census = StoredReturn { year, lea, xml: xml.clone() };
        let what = Provenance { kind: "csww", path, fingerprint: print, files };
        let outcome = self.import_with(options, what, || Ok(data), Some(census)).await?;
        Ok((outcome, notes))
    }

    /// The steps every import shares: unchanged files change nothing; else
    /// the source is read and written as one batch.
    async fn import_with(
        &self,
        options: &ImportOptions<'_>,
        what: Provenance,
        read: impl FnOnce() -> Result<SourceData, StoreError>,
        census: Option<StoredReturn>,
    ) -> Result<ImportOutcome, StoreError> {
        let Provenance { kind, path, fingerprint: print, files } = what;
        let latest = on_backend!(self, pool => b::latest_fingerprint(pool, options.source).await?, b);
        if let Some((batch, previous)) = latest {
            if previous == print {
                return Ok(ImportOutcome::Unchanged { batch });
            }
        }
        let data = read()?;
        let batch = Batch {
            id: 0,
            source: options.source.to_string(),
            kind: kind.to_string(),
            path,
            fingerprint: print,
            imported_by: options.imported_by.to_string(),
            imported_at: Utc::now().to_rfc3339(),
            rows_read: data.rows_read as i64,
            rows_rejected: data.skipped.len() as i64,
            files,
        };
        let dry_run = options.dry_run;
        let (id, changes) = on_backend!(self, pool => b::import(pool, &batch, &data, dry_run, options.progress, census.as_ref()).await?, b);
        if dry_run {
            return Ok(ImportOutcome::WouldImport { changes, rejected: data.skipped });
        }
        // The workforce is assembled now, once, so that reading it is quick.
        self.load_with_conflicts().await?;
        Ok(ImportOutcome::Imported { batch: id, changes, rejected: data.skipped })
    }

    /// The whole workforce the store holds, every source joined.
    pub async fn load_workforce(&self) -> Result<Workforce, StoreError> {
        Ok(self.load_with_conflicts().await?.0)
    }

    /// The whole workforce, and every overlap between two sources' records
    /// of one person that was settled by the rule in [`sightline_ingest::resolve`].
    pub async fn load_with_conflicts(&self) -> Result<(Workforce, Vec<Conflict>), StoreError> {
        on_backend!(self, pool => b::load_cached(pool).await, b)
    }

    /// [`Store::load_with_conflicts`] straight from the fact tables, passing
    /// the snapshot by (for checking the snapshot, and for benchmarks).
    pub async fn load_from_facts(&self) -> Result<(Workforce, Vec<Conflict>), StoreError> {
        on_backend!(self, pool => b::load(pool).await, b)
    }

    /// Suggested matches awaiting a decision, oldest first.
    pub async fn suggestions(&self) -> Result<Vec<Suggestion>, StoreError> {
        Ok(on_backend!(self, pool => b::suggestions(pool).await?, b))
    }

    /// Accepts suggestion `id` (the two records become one person: every
    /// fact and identifier of the newer moves to the earlier) or rejects it
    /// (they stay apart, and are not suggested again).
    pub async fn decide_suggestion(&self, id: i64, accept: bool, decided_by: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => b::decide(pool, id, accept, decided_by).await, b)
    }

    /// A person's history: found by their key, any source's identifier of
    /// them, or their Social Work England number.
    pub async fn person_history(&self, query: &str) -> Result<Option<PersonHistory>, StoreError> {
        on_backend!(self, pool => b::history(pool, query).await, b)
    }

    /// The census returns imported for `source`, by year.
    pub async fn stored_returns(&self, source: &str) -> Result<Vec<StoredReturn>, StoreError> {
        Ok(on_backend!(self, pool => b::census_returns(pool, source).await?, b))
    }

    /// The rows an import batch left out, with why.
    pub async fn rejected_rows(&self, batch: i64) -> Result<Vec<RowProblem>, StoreError> {
        Ok(on_backend!(self, pool => b::rejected_rows(pool, batch).await?, b))
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
