//! Import batches: a source's data written as one batch in one
//! transaction, with its provenance, the rows it left out, a census return
//! kept whole, the people as the identity plan says, and the facts.

use crate::people::PERSON_COLUMNS;
use crate::{Store, StoreError, CHUNK};
use chrono::NaiveDate;
use sightline_core::identity::{Directory, IdentityPlan};
use sightline_core::source::{post_key, Mode, PostKey, RowProblem, SourceData};
use sightline_core::{PersonIdx, TeamId};
use std::collections::HashMap;

/// Rows of a batch's left-out rows read at a time for a download.
const REJECTED_PAGE: u32 = 1000;

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

impl Batch {
    /// The day the batch was imported (UTC).
    pub fn imported_on(&self) -> Option<NaiveDate> {
        chrono::DateTime::parse_from_rfc3339(&self.imported_at).ok().map(|t| t.to_utc().date_naive())
    }
}

/// Told (rows written, rows to write) as a batch is written.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// The rule that plans who is who, given what the store knows
/// (`sightline_ingest::identity::plan` for the batch's source and people).
pub type Identify<'a> = &'a (dyn Fn(Directory) -> IdentityPlan + Sync);

/// A census return as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReturn {
    pub year: i32,
    pub lea: Option<String>,
    pub xml: String,
}

/// What an export of changes replaces a kept record by: its day (staff
/// voice) or its own key (recruitment records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RecordKey<'a> {
    Date(NaiveDate),
    Text(&'a str),
}

/// One value of a row written in bulk.
pub(crate) enum Cell<'a> {
    Int(i64),
    Float(f64),
    Text(&'a str),
    Date(NaiveDate),
    Null,
}

impl From<Option<f64>> for Cell<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Null, Cell::Float)
    }
}

impl From<Option<NaiveDate>> for Cell<'_> {
    fn from(v: Option<NaiveDate>) -> Self {
        v.map_or(Cell::Null, Cell::Date)
    }
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Cell::Null, Cell::Text)
    }
}

impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Cell::Null, Cell::Int)
    }
}

/// Writing the large tables (people and their identifiers, posts,
/// absences, caseloads) in bulk,
/// inside the batch's transaction: SQLite by multi-row INSERTs of
/// [`CHUNK`] rows, PostgreSQL through `COPY ... FROM STDIN`.
pub(crate) mod bulk {
    use super::{Cell, CHUNK};

    pub(crate) mod sqlite {
        use super::*;
        use sqlx::QueryBuilder;

        pub async fn write<'a>(
            tx: &mut sqlx::SqliteConnection,
            table: &str,
            columns: &str,
            n: usize,
            row: &(dyn Fn(usize) -> Vec<Cell<'a>> + Sync),
            tick: &mut (dyn FnMut(usize) + Send),
        ) -> Result<(), sqlx::Error> {
            for first in (0..n).step_by(CHUNK) {
                let chunk: Vec<Vec<Cell<'a>>> = (first..(first + CHUNK).min(n)).map(row).collect();
                QueryBuilder::<sqlx::Sqlite>::new(format!("INSERT INTO {table} ({columns}) "))
                    .push_values(&chunk, |mut b, row| {
                        for cell in row {
                            match cell {
                                Cell::Int(v) => b.push_bind(*v),
                                Cell::Float(v) => b.push_bind(*v),
                                Cell::Text(v) => b.push_bind(v.to_string()),
                                Cell::Date(v) => b.push_bind(*v),
                                Cell::Null => b.push_bind(None::<i64>),
                            };
                        }
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tick(chunk.len());
            }
            Ok(())
        }

        /// SQLite's foreign keys check each row as it is written: nothing
        /// is left to check at the end of a batch.
        pub async fn check_named(_: &mut sqlx::SqliteConnection, _: &[i64], _: &[i64]) -> Result<(), sqlx::Error> {
            Ok(())
        }
    }

    pub(crate) mod postgres {
        use super::*;
        use std::fmt::Write as _;

        /// A value in COPY's text format: `\N` for null; backslash, tab, newline and carriage return escaped.
        fn put(out: &mut String, cell: &Cell<'_>) {
            match cell {
                Cell::Int(v) => {
                    let _ = write!(out, "{v}");
                }
                Cell::Float(v) => {
                    let _ = write!(out, "{v:?}");
                }
                Cell::Date(v) => {
                    let _ = write!(out, "{v}");
                }
                Cell::Null => out.push_str("\\N"),
                Cell::Text(t) => {
                    for c in t.chars() {
                        match c {
                            '\\' => out.push_str("\\\\"),
                            '\t' => out.push_str("\\t"),
                            '\n' => out.push_str("\\n"),
                            '\r' => out.push_str("\\r"),
                            c => out.push(c),
                        }
                    }
                }
            }
        }

        pub async fn write<'a>(
            tx: &mut sqlx::PgConnection,
            table: &str,
            columns: &str,
            n: usize,
            row: &(dyn Fn(usize) -> Vec<Cell<'a>> + Sync),
            tick: &mut (dyn FnMut(usize) + Send),
        ) -> Result<(), sqlx::Error> {
            if n == 0 {
                return Ok(());
            }
            let mut copy = tx.copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN")).await?;
            let mut buffer = String::with_capacity(1 << 20);
            for first in (0..n).step_by(CHUNK) {
                let last = (first + CHUNK).min(n);
                for k in first..last {
                    for (i, cell) in row(k).iter().enumerate() {
                        if i > 0 {
                            buffer.push('\t');
                        }
                        put(&mut buffer, cell);
                    }
                    buffer.push('\n');
                }
                if buffer.len() >= 1 << 20 {
                    copy.send(std::mem::take(&mut buffer).into_bytes()).await?;
                }
                tick(last - first);
            }
            if !buffer.is_empty() {
                copy.send(buffer.into_bytes()).await?;
            }
            copy.finish().await?;
            Ok(())
        }

        /// Every person and team that the batch's rows name exists: the
        /// checks that the foreign keys of the tables written by `COPY` made
        /// row by row (migrations 0020 and 0022), made once for the batch.
        /// Every row the batch wrote names its person and team through
        /// these lists, so checking them checks the rows. Else an error, and
        /// the transaction is rolled back.
        pub async fn check_named(
            tx: &mut sqlx::PgConnection,
            persons: &[i64],
            teams: &[i64],
        ) -> Result<(), sqlx::Error> {
            let missing = |table: &str| {
                format!("SELECT COUNT(*) FROM unnest($1::bigint[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = u.id)")
            };
            for (table, ids) in [("person", persons), ("team", teams)] {
                let broken: i64 = sqlx::query_scalar(&missing(table)).bind(ids).fetch_one(&mut *tx).await?;
                if broken > 0 {
                    return Err(sqlx::Error::Protocol(format!(
                        "the batch names {broken} {table} identifiers that the store does not hold"
                    )));
                }
            }
            Ok(())
        }
    }
}

macro_rules! batches {
    ($module:ident, $db:ty, $pool:ty) => {
        pub(crate) mod $module {
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

            /// Deletes earlier batches' records of `kind` from a table of
            /// records kept beside the workforce: all of them (a full export),
            /// or those whose `column` holds one of `keys` (an export of changes).
            async fn replace_records(
                tx: &mut sqlx::Transaction<'_, $db>,
                table: &str,
                earlier_ref: &str,
                kind: &str,
                mode: Mode,
                column: &str,
                mut keys: Vec<RecordKey<'_>>,
            ) -> Result<u64, sqlx::Error> {
                let delete = || {
                    let mut q = QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE {earlier_ref} AND kind = "));
                    q.push_bind(kind.to_string());
                    q
                };
                if mode == Mode::Full {
                    return Ok(delete().build().execute(&mut **tx).await?.rows_affected());
                }
                keys.sort();
                keys.dedup();
                let mut replaced = 0;
                for chunk in keys.chunks(CHUNK) {
                    let mut q = delete();
                    q.push(format!(" AND {column} IN ("));
                    let mut list = q.separated(", ");
                    for k in chunk {
                        match k {
                            RecordKey::Date(d) => list.push_bind(*d),
                            RecordKey::Text(t) => list.push_bind(t.to_string()),
                        };
                    }
                    q.push(")");
                    replaced += q.build().execute(&mut **tx).await?.rows_affected();
                }
                Ok(replaced)
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
                identify: Identify<'_>,
            ) -> Result<(i64, Changes), sqlx::Error> {
                let wf = &data.workforce;
                let development = crate::development::rows(&data.development)
                    .map_err(|e| sqlx::Error::Protocol(format!("a development record cannot be written: {e}")))?;
                let voice = crate::voice::rows(&data.voice)
                    .map_err(|e| sqlx::Error::Protocol(format!("a staff-voice record cannot be written: {e}")))?;
                let recruitment = crate::recruitment::rows(&data.recruitment, wf)
                    .map_err(|e| sqlx::Error::Protocol(format!("a recruitment record cannot be written: {e}")))?;
                let total = (wf.spells().len() + wf.establishment().len() + wf.absences().len() + wf.caseloads().len()
                    + development.len() + voice.len() + recruitment.len()) as u64;
                let mut done = 0u64;
                let mut tick = |n: usize| {
                    done += n as u64;
                    if let Some(report) = progress {
                        report(done, total);
                    }
                };
                let rejected = &data.skipped;
                let mut changes = Changes::default();
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
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

                let (person_ids, named) = people(&mut tx, batch_id, identify, &mut changes).await?;
                if person_ids.len() != wf.persons().len() {
                    // Dropping the transaction rolls everything back.
                    return Err(sqlx::Error::Protocol(format!(
                        "the identity plan numbers {} people of a batch of {}",
                        person_ids.len(),
                        wf.persons().len()
                    )));
                }
                let person = |p: PersonIdx| person_ids[p.0 as usize];
                let team = |t: TeamId| team_ids[t.0 as usize];

                // What this batch replaces of its source's earlier facts: all
                // of them (a full export), or the rows it gives anew (changes).
                let earlier = format!("batch_id IN (SELECT id FROM import_batch WHERE source = $1 AND id <> {batch_id})");
                let earlier = if stringify!($module) == "sqlite" { earlier.replace("$1", "?") } else { earlier };
                // Posts' own references, lined up with the spells they
                // belong to (spells alike in every way take theirs in turn).
                let mut by_key: HashMap<PostKey, Vec<&str>> = HashMap::new();
                for r in data.post_refs.iter().rev() {
                    by_key.entry(r.key()).or_default().push(r.reference.as_str());
                }
                let spell_refs: Vec<Option<&str>> =
                    wf.spells().iter().map(|s| by_key.get_mut(&post_key(s)).and_then(Vec::pop)).collect();
                // Staff groups likewise (a post with none is a social worker's), and funded posts'.
                let mut group_of: HashMap<PostKey, Vec<&str>> = HashMap::new();
                for (k, g) in data.staff_groups.iter().rev() {
                    group_of.entry(*k).or_default().push(g.as_str());
                }
                let spell_groups: Vec<Option<&str>> =
                    wf.spells().iter().map(|s| group_of.get_mut(&post_key(s)).and_then(Vec::pop)).collect();
                let mut funded_of: HashMap<sightline_core::source::FundedKey, Vec<&str>> = HashMap::new();
                for (k, g) in data.funded_groups.iter().rev() {
                    funded_of.entry(k.clone()).or_default().push(g.as_str());
                }
                let funded_groups: Vec<Option<&str>> = wf
                    .establishment()
                    .iter()
                    .map(|e| funded_of.get_mut(&sightline_core::source::funded_key(e)).and_then(Vec::pop))
                    .collect();
                // The same, as numbers (for statements with binds of their own).
                let earlier_ids: Vec<i64> = QueryBuilder::<$db>::new("SELECT id FROM import_batch WHERE source = ")
                    .push_bind(&batch.source)
                    .push(format!(" AND id <> {batch_id}"))
                    .build_query_scalar()
                    .fetch_all(&mut *tx)
                    .await?;
                let earlier_ref = format!(
                    "batch_id IN ({})",
                    earlier_ids.iter().map(|i| i.to_string()).chain(["-1".to_string()]).collect::<Vec<_>>().join(", ")
                );
                // A development export replaces only its own kind of record
                // (and touches no employment facts); other exports leave
                // development records alone.
                // Staff-voice exports likewise, in their own table: a full
                // export replaces its kind; an export of changes the same
                // kind's records of the days it gives.
                // Recruitment, payments, price caps and regional lists of
                // leavers likewise, by the keys they give.
                if let Some(kind) = crate::voice::record_kind(&batch.kind) {
                    let days = voice.iter().map(|(_, _, d, _)| RecordKey::Date(*d)).collect();
                    changes.rows_replaced +=
                        replace_records(&mut tx, "voice_record", &earlier_ref, kind, data.mode, "date", days).await?;
                }
                if let Some(kind) = crate::recruitment::record_kind(&batch.kind) {
                    let keys = recruitment.iter().map(|r| RecordKey::Text(r.key.as_str())).collect();
                    changes.rows_replaced +=
                        replace_records(&mut tx, "recruitment_record", &earlier_ref, kind, data.mode, "record_key", keys)
                            .await?;
                }
                let record_kind = crate::development::record_kind(&batch.kind);
                let voice_batch = crate::voice::record_kind(&batch.kind).is_some()
                    || crate::recruitment::record_kind(&batch.kind).is_some();
                match (data.mode, record_kind) {
                    // A staff-voice or recruitment export touches no other table (above).
                    _ if voice_batch => {}
                    (Mode::Full, Some(kind)) => {
                        changes.rows_replaced += QueryBuilder::<$db>::new(format!("DELETE FROM development_record WHERE {earlier_ref} AND kind = "))
                            .push_bind(kind)
                            .build()
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                    (Mode::Changes, Some(kind)) => {
                        let mut keys: Vec<(i64, NaiveDate)> = development.iter().map(|(p, _, d, _)| (person(*p), *d)).collect();
                        keys.sort();
                        keys.dedup();
                        for chunk in keys.chunks(CHUNK / 2) {
                            let mut q = QueryBuilder::<$db>::new(format!("DELETE FROM development_record WHERE {earlier_ref} AND kind = "));
                            q.push_bind(kind).push(" AND (person_id, date) IN (");
                            let mut list = q.separated(", ");
                            for (p, d) in chunk {
                                list.push("(");
                                list.push_bind_unseparated(*p);
                                list.push_unseparated(", ");
                                list.push_bind_unseparated(*d);
                                list.push_unseparated(")");
                            }
                            q.push(")");
                            changes.rows_replaced += q.build().execute(&mut *tx).await?.rows_affected();
                        }
                    }
                    (Mode::Full, None) => {
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
                    (Mode::Changes, None) => {
                        let keyed = |items: Vec<(i64, NaiveDate)>| {
                            let mut items = items;
                            items.sort();
                            items.dedup();
                            items
                        };
                        // A post with its own reference is keyed by it: the
                        // reference's earlier rows from its start on give way,
                        // and one running into it ends the day before (its
                        // history stays). Other rows by person and start.
                        let spells = keyed(
                            wf.spells()
                                .iter()
                                .zip(&spell_refs)
                                .filter(|(_, r)| r.is_none())
                                .map(|(s, _)| (person(s.person), s.start))
                                .collect(),
                        );
                        let referenced: Vec<(i64, &str, NaiveDate)> = wf
                            .spells()
                            .iter()
                            .zip(&spell_refs)
                            .filter_map(|(s, r)| r.map(|r| (person(s.person), r, s.start)))
                            .collect();
                        if !referenced.is_empty() {
                            changes.rows_replaced += replace_referenced(&mut tx, &earlier_ref, &referenced).await?;
                        }
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

                // Each team's directorate, as the export gives it (the latest import's stands).
                for (name, directorate) in &data.directorates {
                    let Some(t) = wf.team_id(name) else { continue };
                    QueryBuilder::<$db>::new("INSERT INTO team_directorate (team_id, directorate) ")
                        .push_values([(team(t), directorate)], |mut b, (id, d)| {
                            b.push_bind(id).push_bind(d);
                        })
                        .push(" ON CONFLICT (team_id) DO UPDATE SET directorate = excluded.directorate")
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                let spells = wf.spells();
                let spell_row = |i: usize| -> Vec<Cell<'_>> {
                    let Some(s) = spells.get(i) else { return Vec::new() };
                        vec![
                            Cell::Int(batch_id),
                            Cell::Int(person(s.person)),
                            Cell::Text(s.kind.as_str()),
                            Cell::Int(team(s.team)),
                            Cell::Int(i64::from(s.org_role.code())),
                            Cell::Date(s.start),
                            s.end.into(),
                            Cell::Float(s.fte),
                            s.reason_leave.map(|r| i64::from(r.code())).into(),
                            s.leaver_destination.map(|d| i64::from(d.code())).into(),
                            s.charge_rate.into(),
                            spell_refs.get(i).copied().flatten().into(),
                            spell_groups.get(i).copied().flatten().into(),
                        ]
                };
                super::bulk::$module::write(
                    &mut tx,
                    "spell",
                    "batch_id, person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave, leaver_destination, charge_rate, post_ref, staff_group",
                    spells.len(),
                    &spell_row,
                    &mut tick,
                )
                .await?;
                for chunk in data.agency_terms.chunks(CHUNK) {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO agency_assignment (batch_id, person_id, start_date, agency, charge_rate, pay_rate, covering, \
                         reference, role_type, project_team, notice_weeks, signed_off_by, la_experience_months) ",
                    )
                    .push_values(chunk, |mut b, t| {
                        b.push_bind(batch_id)
                            .push_bind(person(t.person))
                            .push_bind(t.start)
                            .push_bind(&t.agency)
                            .push_bind(t.charge_rate)
                            .push_bind(t.pay_rate)
                            .push_bind(t.covering.map(|c| c.as_str()))
                            .push_bind(&t.reference)
                            .push_bind(t.role_type.map(|r| r.as_str()))
                            .push_bind(t.project_team)
                            .push_bind(t.notice_weeks)
                            .push_bind(&t.signed_off_by)
                            .push_bind(t.la_experience_months);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                }
                for (n, chunk) in wf.establishment().chunks(CHUNK).enumerate() {
                    let offset = n * CHUNK;
                    QueryBuilder::<$db>::new(
                        "INSERT INTO establishment (batch_id, team_id, fte, start_date, end_date, post_id, org_role, staff_group) ",
                    )
                    .push_values(chunk.iter().enumerate(), |mut b, (i, e)| {
                        b.push_bind(batch_id)
                            .push_bind(team(e.team))
                            .push_bind(e.fte)
                            .push_bind(e.start)
                            .push_bind(e.end)
                            .push_bind(&e.post_id)
                            .push_bind(e.org_role.map(|r| i32::from(r.code())))
                            .push_bind(funded_groups[offset + i]);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                    tick(chunk.len());
                }
                let absences = wf.absences();
                let absence_row = |i: usize| -> Vec<Cell<'_>> {
                    let Some(a) = absences.get(i) else { return Vec::new() };
                        vec![
                            Cell::Int(batch_id),
                            Cell::Int(person(a.person)),
                            Cell::Date(a.start),
                            Cell::Date(a.end),
                            Cell::Text(a.reason.code()),
                            a.days_lost.into(),
                        ]
                };
                super::bulk::$module::write(&mut tx, "absence", "batch_id, person_id, start_date, end_date, reason, days_lost", absences.len(), &absence_row, &mut tick)
                    .await?;
                let weights: HashMap<(PersonIdx, NaiveDate), f64> =
                    data.caseload_weights.iter().map(|(p, d, w)| ((*p, *d), *w)).collect();
                let caseloads = wf.caseloads();
                let caseload_row = |i: usize| -> Vec<Cell<'_>> {
                    let Some(c) = caseloads.get(i) else { return Vec::new() };
                        vec![
                            Cell::Int(batch_id),
                            Cell::Int(person(c.person)),
                            Cell::Date(c.date),
                            Cell::Int(i64::from(c.cases)),
                            weights.get(&(c.person, c.date)).copied().into(),
                        ]
                };
                super::bulk::$module::write(&mut tx, "caseload", "batch_id, person_id, date, cases, weight", caseloads.len(), &caseload_row, &mut tick)
                    .await?;
                for chunk in development.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO development_record (batch_id, person_id, kind, date, detail) ")
                        .push_values(chunk, |mut b, (p, kind, date, detail)| {
                            b.push_bind(batch_id).push_bind(person(*p)).push_bind(*kind).push_bind(*date).push_bind(detail);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    tick(chunk.len());
                }
                for chunk in voice.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO voice_record (batch_id, person_id, kind, date, detail) ")
                        .push_values(chunk, |mut b, (p, kind, date, detail)| {
                            b.push_bind(batch_id).push_bind(p.map(person)).push_bind(*kind).push_bind(*date).push_bind(detail);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    tick(chunk.len());
                }
                for chunk in recruitment.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO recruitment_record (batch_id, person_id, kind, date, record_key, detail) ")
                        .push_values(chunk, |mut b, r| {
                            b.push_bind(batch_id)
                                .push_bind(r.person.map(person))
                                .push_bind(r.kind)
                                .push_bind(r.date)
                                .push_bind(&r.key)
                                .push_bind(&r.detail);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    tick(chunk.len());
                }
                super::bulk::$module::check_named(&mut tx, &named, &team_ids).await?;
                changes.rows_added = (wf.spells().len() + wf.establishment().len() + wf.absences().len() + wf.caseloads().len()
                    + development.len() + voice.len() + recruitment.len()) as u64;
                if dry_run {
                    tx.rollback().await?;
                } else {
                    tx.commit().await?;
                }
                Ok((batch_id, changes))
            }

            /// In an export of changes, the rows of earlier batches
            /// (`earlier`) that `referenced` posts (person, reference, start)
            /// replace: a reference's rows from its first new start on go,
            /// a row of it running into that start ends the day before, and
            /// a row of the same person and start with no reference (stored
            /// before the export gave references) goes. Reads the earlier
            /// rows once and writes in chunks; the number replaced.
            async fn replace_referenced(
                tx: &mut sqlx::Transaction<'_, $db>,
                earlier: &str,
                referenced: &[(i64, &str, NaiveDate)],
            ) -> Result<u64, sqlx::Error> {
                // The first new start of each (person, reference).
                let mut first: HashMap<(i64, &str), NaiveDate> = HashMap::new();
                for &(p, r, d) in referenced {
                    let e = first.entry((p, r)).or_insert(d);
                    *e = (*e).min(d);
                }
                let mut people: Vec<i64> = first.keys().map(|(p, _)| *p).collect();
                people.sort_unstable();
                people.dedup();
                let mut gone: Vec<(i64, String, NaiveDate)> = Vec::new();
                let mut ended: Vec<(i64, String, NaiveDate, NaiveDate)> = Vec::new();
                for chunk in people.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(format!(
                        "SELECT person_id, post_ref, start_date, end_date FROM spell WHERE {earlier} AND post_ref IS NOT NULL AND person_id IN ("
                    ));
                    let mut list = q.separated(", ");
                    for p in chunk {
                        list.push_bind(*p);
                    }
                    q.push(")");
                    for row in q.build().fetch_all(&mut **tx).await? {
                        let (p, r, start, end): (i64, String, NaiveDate, Option<NaiveDate>) =
                            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
                        let Some(&from) = first.get(&(p, r.as_str())) else { continue };
                        if start >= from {
                            gone.push((p, r, start));
                        } else if end.is_none_or(|e| e >= from) {
                            ended.push((p, r, start, from.pred_opt().unwrap_or(from)));
                        }
                    }
                }
                let mut replaced = 0;
                for chunk in gone.chunks(CHUNK / 3) {
                    for table in ["agency_assignment", "spell"] {
                        let mut q = QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE {earlier} AND "));
                        if table == "spell" {
                            q.push("(person_id, post_ref, start_date) IN (");
                        } else {
                            q.push("(person_id, start_date) IN (");
                        }
                        let mut list = q.separated(", ");
                        for (p, r, d) in chunk {
                            list.push("(");
                            list.push_bind_unseparated(*p);
                            if table == "spell" {
                                list.push_unseparated(", ");
                                list.push_bind_unseparated(r.as_str());
                            }
                            list.push_unseparated(", ");
                            list.push_bind_unseparated(*d);
                            list.push_unseparated(")");
                        }
                        q.push(")");
                        let n = q.build().execute(&mut **tx).await?.rows_affected();
                        if table == "spell" {
                            replaced += n;
                        }
                    }
                }
                for (p, r, start, end) in &ended {
                    let mut q = QueryBuilder::<$db>::new("UPDATE spell SET end_date = ");
                    q.push_bind(*end).push(format!(", reason_leave = NULL, leaver_destination = NULL WHERE {earlier} AND person_id = "));
                    q.push_bind(*p).push(" AND post_ref = ").push_bind(r.as_str()).push(" AND start_date = ").push_bind(*start);
                    replaced += q.build().execute(&mut **tx).await?.rows_affected();
                }
                // Rows stored before the export gave references.
                let mut keys: Vec<(i64, NaiveDate)> = referenced.iter().map(|&(p, _, d)| (p, d)).collect();
                keys.sort_unstable();
                keys.dedup();
                for chunk in keys.chunks(CHUNK / 2) {
                    let mut q = QueryBuilder::<$db>::new(format!(
                        "DELETE FROM spell WHERE {earlier} AND post_ref IS NULL AND (person_id, start_date) IN ("
                    ));
                    let mut list = q.separated(", ");
                    for (p, d) in chunk {
                        list.push("(");
                        list.push_bind_unseparated(*p);
                        list.push_unseparated(", ");
                        list.push_bind_unseparated(*d);
                        list.push_unseparated(")");
                    }
                    q.push(")");
                    replaced += q.build().execute(&mut **tx).await?.rows_affected();
                }
                Ok(replaced)
            }

            /// Finds or adds the person behind each of the source's people:
            /// what the store knows is read, `identify` makes the plan
            /// without the database, and the plan is written.
            async fn people(
                tx: &mut sqlx::Transaction<'_, $db>,
                batch_id: i64,
                identify: Identify<'_>,
                changes: &mut Changes,
            ) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
                let mut directory = Directory::default();
                for r in sqlx::query("SELECT source, source_key, person_id FROM person_identifier").fetch_all(&mut **tx).await? {
                    directory.identifiers.insert((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?);
                }
                for r in sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person")).fetch_all(&mut **tx).await? {
                    directory.people.insert(r.try_get(1)?, crate::people::$module::known_from_row(&r)?);
                }
                for r in sqlx::query("SELECT person_id, candidate_id FROM match_suggestion").fetch_all(&mut **tx).await? {
                    directory.suggested.insert((r.try_get(0)?, r.try_get(1)?));
                }
                let plan = identify(directory);
                changes.people_joined = plan.joined;
                changes.people_added = plan.new_people.len() as u64;
                changes.people_updated = plan.changed.len() as u64;
                changes.suggestions = plan.suggestions.len() as u64;
                // Updated in place: other sources' rows refer to them.
                for (id, k) in &plan.changed {
                    crate::people::$module::update_person(&mut **tx, *id, k).await?;
                }
                let person_row = |i: usize| -> Vec<Cell<'_>> {
                    let Some((id, k)) = plan.new_people.get(i) else { return Vec::new() };
                    let p = &k.person;
                    vec![
                        Cell::Text(&p.id),
                        Cell::Int(*id),
                        p.swe_no.as_deref().into(),
                        p.birth_date.into(),
                        p.gender.map(|g| i64::from(g.code())).into(),
                        p.ethnicity.as_deref().into(),
                        p.qualification_date.into(),
                        p.qualification_route.map(|r| r.as_str()).into(),
                        k.details.given_name.as_deref().into(),
                        k.details.family_name.as_deref().into(),
                    ]
                };
                super::bulk::$module::write(&mut **tx, "person", PERSON_COLUMNS, plan.new_people.len(), &person_row, &mut |_| {})
                    .await?;
                let identifier_row = |i: usize| -> Vec<Cell<'_>> {
                    let Some(((source, key), id)) = plan.new_identifiers.get(i) else { return Vec::new() };
                    vec![Cell::Text(source), Cell::Text(key), Cell::Int(*id)]
                };
                super::bulk::$module::write(
                    &mut **tx,
                    "person_identifier",
                    "source, source_key, person_id",
                    plan.new_identifiers.len(),
                    &identifier_row,
                    &mut |_| {},
                )
                .await?;
                let mut next_suggestion: i64 =
                    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM match_suggestion").fetch_one(&mut **tx).await?;
                for chunk in plan.suggestions.chunks(CHUNK) {
                    QueryBuilder::<$db>::new("INSERT INTO match_suggestion (id, person_id, candidate_id, reason, status, batch_id) ")
                        .push_values(chunk, |mut b, s| {
                            b.push_bind(next_suggestion)
                                .push_bind(s.person)
                                .push_bind(s.candidate)
                                .push_bind(s.reason)
                                .push_bind("open")
                                .push_bind(batch_id);
                            next_suggestion += 1;
                        })
                        .build()
                        .execute(&mut **tx)
                        .await?;
                }
                // Every person a row of the batch names: the batch's people
                // and those its new identifiers name.
                let mut named: Vec<i64> = plan.ids.iter().chain(plan.new_identifiers.iter().map(|(_, id)| id)).copied().collect();
                named.sort_unstable();
                named.dedup();
                Ok((plan.ids, named))
            }

            /// A batch's left-out rows in order of file, line, column and
            /// row number (rowid on SQLite, `id` on PostgreSQL: it tells
            /// apart rows that tie), from just after `after` (file, line,
            /// column, row number) when given, at most `most` of them.
            fn rejected_rows_query(
                batch: i64,
                after: Option<(String, i64, String, i64)>,
                most: Option<u32>,
            ) -> QueryBuilder<'static, $db> {
                let key = if stringify!($module) == "sqlite" { "rowid" } else { "id" };
                let mut q = QueryBuilder::<$db>::new(format!(
                    "SELECT file_name, line, column_name, value, rule, {key} FROM rejected_row WHERE batch_id = "
                ));
                q.push_bind(batch);
                if let Some((file, line, column, id)) = after {
                    q.push(format!(" AND (file_name, line, column_name, {key}) > ("))
                        .push_bind(file)
                        .push(", ")
                        .push_bind(line)
                        .push(", ")
                        .push_bind(column)
                        .push(", ")
                        .push_bind(id)
                        .push(")");
                }
                q.push(format!(" ORDER BY file_name, line, column_name, {key}"));
                if let Some(most) = most {
                    q.push(" LIMIT ").push_bind(i64::from(most));
                }
                q
            }

            fn rejected_row(r: &<$db as sqlx::Database>::Row) -> Result<RowProblem, sqlx::Error> {
                let line: i64 = r.try_get(1)?;
                Ok(RowProblem { file: r.try_get(0)?, line: line as u64, column: r.try_get(2)?, value: r.try_get(3)?, rule: r.try_get(4)? })
            }

            pub async fn rejected_rows(pool: &$pool, batch: i64, most: Option<u32>) -> Result<Vec<RowProblem>, sqlx::Error> {
                rejected_rows_query(batch, None, most).build().fetch_all(pool).await?.iter().map(rejected_row).collect()
            }

            pub async fn rows_rejected(pool: &$pool, batch: i64) -> Result<Option<i64>, sqlx::Error> {
                QueryBuilder::<$db>::new("SELECT rows_rejected FROM import_batch WHERE id = ")
                    .push_bind(batch)
                    .build_query_scalar()
                    .fetch_optional(pool)
                    .await
            }

            pub async fn send_rejected_rows(
                pool: &$pool,
                batch: i64,
                to: &tokio::sync::mpsc::Sender<RowProblem>,
                stall: std::time::Duration,
            ) -> Result<bool, sqlx::Error> {
                // Read a page at a time, each page after the last row sent,
                // so that no connection is held while the reader reads (nor
                // a query left open for the pool to drain when the reader
                // goes).
                let mut after: Option<(String, i64, String, i64)> = None;
                loop {
                    let mut q = rejected_rows_query(batch, after.take(), Some(REJECTED_PAGE));
                    let rows = q.build().fetch_all(pool).await?;
                    for r in &rows {
                        let problem = rejected_row(r)?;
                        after = Some((problem.file.clone(), problem.line as i64, problem.column.clone(), r.try_get(5)?));
                        if to.send_timeout(problem, stall).await.is_err() {
                            // The reader has gone, or took no row for `stall`.
                            return Ok(false);
                        }
                    }
                    if rows.len() < REJECTED_PAGE as usize {
                        return Ok(true);
                    }
                }
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

batches!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
batches!(postgres, sqlx::Postgres, sqlx::PgPool);

impl Store {
    /// The latest batch from `source` and its fingerprint, to tell files
    /// imported before.
    pub async fn latest_fingerprint(&self, source: &str) -> Result<Option<(i64, String)>, StoreError> {
        Ok(on_backend!(self, pool => b::latest_fingerprint(pool, source).await?, b))
    }

    /// Writes `data` as one batch in one transaction: the batch and its
    /// provenance, the rows it left out, `census` (a return kept whole),
    /// the people as `identify` plans them from what the store knows
    /// ([`Directory`]), and the facts, replacing the source's earlier facts
    /// as its mode says. With `dry_run` everything is written and rolled
    /// back, to tell what would change. After a real write the workforce is
    /// assembled once and kept as the snapshot.
    pub async fn write_batch(
        &self,
        batch: &Batch,
        data: &SourceData,
        census: Option<&StoredReturn>,
        identify: Identify<'_>,
        dry_run: bool,
        progress: Option<Progress<'_>>,
    ) -> Result<(i64, Changes), StoreError> {
        let written =
            on_backend!(self, pool => b::import(pool, batch, data, dry_run, progress, census, identify).await?, b);
        if !dry_run {
            self.load_with_conflicts().await?;
        }
        Ok(written)
    }

    /// The census returns imported for `source`, by year.
    pub async fn stored_returns(&self, source: &str) -> Result<Vec<StoredReturn>, StoreError> {
        Ok(on_backend!(self, pool => b::census_returns(pool, source).await?, b))
    }

    /// The rows an import batch left out, with why.
    pub async fn rejected_rows(&self, batch: i64) -> Result<Vec<RowProblem>, StoreError> {
        Ok(on_backend!(self, pool => b::rejected_rows(pool, batch, None).await?, b))
    }

    /// Every row import batch `batch` left out, in the order of
    /// [`Store::rejected_rows`], sent to `to` as they are read a page of
    /// 1,000 at a time: a batch of any size is never held in memory whole,
    /// and a connection is held only while a page is read, never while the
    /// reader reads. Whether every row was sent: not when `to` is closed or
    /// takes no row for `stall`.
    pub async fn send_rejected_rows(
        &self,
        batch: i64,
        to: &tokio::sync::mpsc::Sender<RowProblem>,
        stall: std::time::Duration,
    ) -> Result<bool, StoreError> {
        Ok(on_backend!(self, pool => b::send_rejected_rows(pool, batch, to, stall).await?, b))
    }

    /// The first `most` rows an import batch left out (by file and line).
    pub async fn first_rejected_rows(&self, batch: i64, most: u32) -> Result<Vec<RowProblem>, StoreError> {
        Ok(on_backend!(self, pool => b::rejected_rows(pool, batch, Some(most)).await?, b))
    }

    /// How many rows import batch `batch` left out, if there is such a batch.
    pub async fn rows_rejected(&self, batch: i64) -> Result<Option<i64>, StoreError> {
        Ok(on_backend!(self, pool => b::rows_rejected(pool, batch).await?, b))
    }

    /// Every import batch, oldest first.
    pub async fn batches(&self) -> Result<Vec<Batch>, StoreError> {
        Ok(on_backend!(self, pool => b::batches(pool).await?, b))
    }
}
