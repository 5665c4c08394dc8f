//! The workforce: assembled from every source's facts with the overlaps
//! between sources settled (`sightline_core::resolve`), and kept as a
//! snapshot of the store's generation so that reading it is quick.

use crate::people::PERSON_COLUMNS;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sightline_core::resolve::{settle, settle_absences, settle_caseloads, Conflict, Rank};
use sightline_core::{
    Absence, AbsenceReason, CaseloadSnapshot, Establishment, OrgRole, PersonIdx, ReasonLeave, Spell, SpellKind, TeamId,
    Workforce, WorkforceBuilder,
};
use std::collections::HashMap;

/// Whose posts a workforce holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Population {
    /// Social workers in CSWW roles: DfE's population, and the default.
    #[default]
    SocialWorkers,
    /// Everyone, social workers and the wider workforce.
    All,
    /// One staff group of the wider workforce, by its name (`family_support_worker`).
    Group(String),
}

impl Population {
    /// `social_workers`, `all`, or a group's name.
    pub fn parse(text: &str) -> Population {
        let text = text.trim().to_lowercase().replace([' ', '-'], "_");
        match text.as_str() {
            "social_workers" | "social_worker" => Population::SocialWorkers,
            "all" => Population::All,
            _ => Population::Group(text),
        }
    }

    /// In words, for pages and output.
    pub fn words(&self) -> String {
        match self {
            Population::SocialWorkers => "social workers in CSWW roles".to_string(),
            Population::All => "all staff".to_string(),
            Population::Group(g) => g.replace('_', " "),
        }
    }
}

/// The workforce's people by their store ids. The ids are the person
/// table's integer keys, handed out in turn, so they are looked up in a list
/// by id (each fact row costs one read from memory, in order, however many
/// people there are); a store whose ids are far more spread out than its
/// people (more than twice as many ids as people) uses a hash map instead.
struct PersonIds {
    dense: Vec<Option<PersonIdx>>,
    sparse: HashMap<i64, PersonIdx>,
}

impl PersonIds {
    /// From (store id, person) in any order.
    fn new(people: Vec<(i64, PersonIdx)>) -> PersonIds {
        let most = people.iter().map(|(id, _)| *id).max().unwrap_or(0);
        let fits = usize::try_from(most).is_ok_and(|m| m <= people.len().saturating_mul(2).saturating_add(1024))
            && people.iter().all(|(id, _)| *id >= 0);
        if fits {
            let mut dense = vec![None; most as usize + 1];
            for (id, idx) in people {
                dense[id as usize] = Some(idx);
            }
            PersonIds { dense, sparse: HashMap::new() }
        } else {
            PersonIds { dense: Vec::new(), sparse: people.into_iter().collect() }
        }
    }

    fn get(&self, id: &i64) -> Option<PersonIdx> {
        match usize::try_from(*id).ok().and_then(|i| self.dense.get(i)) {
            Some(found) => *found,
            None => self.sparse.get(id).copied(),
        }
    }
}

/// The layout of the workforce snapshot: bump it whenever the model's
/// fields change, so that an old snapshot is rebuilt rather than misread.
const SNAPSHOT_FORMAT: i32 = 6;

macro_rules! workforce {
    ($module:ident, $db:ty, $pool:ty) => {
        pub(crate) mod $module {
            use super::*;
            use sqlx::{QueryBuilder, Row};
            use futures_util::TryStreamExt;

            /// What lies outside `population`: the people (store ids) with posts
            /// outside it, and the teams (store ids) only other populations use.
            async fn outside(
                pool: &$pool,
                population: &Population,
            ) -> Result<(std::collections::HashSet<i64>, std::collections::HashSet<i64>), StoreError> {
                if *population == Population::All {
                    return Ok(Default::default());
                }
                let is_in = |g: &Option<String>| match population {
                    Population::SocialWorkers => g.is_none(),
                    Population::Group(name) => g.as_deref() == Some(name.as_str()),
                    Population::All => true,
                };
                let posts: Vec<(i64, i64, Option<String>)> =
                    sqlx::query_as("SELECT DISTINCT person_id, team_id, staff_group FROM spell").fetch_all(pool).await?;
                let funded: Vec<(i64, Option<String>)> =
                    sqlx::query_as("SELECT DISTINCT team_id, staff_group FROM establishment").fetch_all(pool).await?;
                let people = posts.iter().filter(|(_, _, g)| !is_in(g)).map(|(p, _, _)| *p).collect();
                let teams_in: std::collections::HashSet<i64> = posts
                    .iter()
                    .map(|(_, t, g)| (*t, g))
                    .chain(funded.iter().map(|(t, g)| (*t, g)))
                    .filter(|(_, g)| is_in(g))
                    .map(|(t, _)| t)
                    .collect();
                let teams = posts
                    .iter()
                    .map(|(_, t, g)| (*t, g))
                    .chain(funded.iter().map(|(t, g)| (*t, g)))
                    .filter(|(t, g)| !is_in(g) && !teams_in.contains(t))
                    .map(|(t, _)| t)
                    .collect();
                Ok((people, teams))
            }

            /// The whole workforce, from every source, with the overlaps
            /// between sources settled (see [`sightline_core::resolve`]).
            pub async fn load(pool: &$pool, population: &Population) -> Result<(Workforce, Vec<Conflict>), StoreError> {
                // Whose posts: a condition on the staff group, with its bind.
                let whose = |q: &mut QueryBuilder<'_, $db>| {
                    match population {
                        Population::SocialWorkers => {
                            q.push(" WHERE staff_group IS NULL");
                        }
                        Population::All => {}
                        Population::Group(g) => {
                            q.push(" WHERE staff_group = ").push_bind(g.clone());
                        }
                    }
                };
                let mut b = WorkforceBuilder::new();
                let corrupt = |what: &str, value: String| StoreError::Corrupt(format!("{what} `{value}`"));
                let rows = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person ORDER BY id")).fetch_all(pool).await?;
                let mut ids = Vec::with_capacity(rows.len());
                for r in &rows {
                    let p = crate::people::$module::person_from_row(r)?;
                    let idx = b.person(&p.id);
                    *b.person_mut(idx) = p;
                    ids.push((r.try_get(1)?, idx));
                }
                drop(rows);
                let people = PersonIds::new(ids);
                let mut teams: HashMap<i64, TeamId> = HashMap::new();
                // Teams only other populations use are not this one's.
                let (outside_people, outside_teams) = outside(pool, population).await?;
                for r in sqlx::query("SELECT id, name FROM team ORDER BY id").fetch_all(pool).await? {
                    if outside_teams.contains(&r.try_get::<i64, _>(0)?) {
                        continue;
                    }
                    let name: String = r.try_get(1)?;
                    teams.insert(r.try_get(0)?, b.team(&name));
                }
                let person = |id: i64| people.get(&id).ok_or_else(|| corrupt("person id", id.to_string()));
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
                let mut query = QueryBuilder::<$db>::new(
                    "SELECT person_id, kind, team_id, org_role, start_date, end_date, fte, reason_leave, batch_id, leaver_destination, charge_rate FROM spell",
                );
                whose(&mut query);
                let mut rows = query.build().fetch(pool);
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
                // Staff of other populations only: their absences and caseloads are not this population's.
                // Of people with posts outside the population, only the absences and caseloads of their
                // time in its posts are its own (their posts in it, kept for them alone).
                let others: std::collections::HashSet<PersonIdx> =
                    outside_people.iter().filter_map(|id| people.get(id)).collect();
                let mut own_posts: HashMap<PersonIdx, Vec<(NaiveDate, Option<NaiveDate>)>> = HashMap::new();
                for (s, _) in spells.iter().filter(|(s, _)| others.contains(&s.person)) {
                    own_posts.entry(s.person).or_default().push((s.start, s.end));
                }
                let (spells, mut conflicts) = settle(spells, &sources);
                b.reserve(spells.len(), 0, 0);
                for spell in spells {
                    b.add_spell(spell);
                }
                let mut query = QueryBuilder::<$db>::new("SELECT team_id, fte, start_date, end_date, post_id, org_role FROM establishment");
                whose(&mut query);
                for r in query.build().fetch_all(pool).await? {
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
                let in_post = |p: PersonIdx, from: NaiveDate, to: NaiveDate| {
                    !others.contains(&p)
                        || own_posts.get(&p).is_some_and(|spans| spans.iter().any(|(s, e)| *s <= to && e.is_none_or(|e| e >= from)))
                };
                absences.retain(|(a, _): &(Absence, usize)| in_post(a.person, a.start, a.end));
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
                caseloads.retain(|(c, _): &(CaseloadSnapshot, usize)| in_post(c.person, c.date, c.date));
                let (caseloads, mut more) = settle_caseloads(caseloads, &sources);
                conflicts.append(&mut more);
                b.add_caseloads(caseloads);
                Ok((b.build(), conflicts))
            }

            /// The workforce from the snapshot of the current generation, or
            /// assembled from the fact tables (and kept as the new snapshot).
            pub async fn load_cached(pool: &$pool) -> Result<(Workforce, Vec<Conflict>), StoreError> {
                let generation: i64 = sqlx::query_scalar("SELECT generation FROM store_state").fetch_one(pool).await?;
                let snapshot = QueryBuilder::<$db>::new("SELECT data FROM workforce_snapshot WHERE generation = ")
                    .push_bind(generation)
                    .push(" AND format = ")
                    .push_bind(SNAPSHOT_FORMAT)
                    .build()
                    .fetch_optional(pool)
                    .await?;
                // Read from the row's own bytes, not a copy of them: the
                // snapshot is a quarter of a gigabyte at 600,000 people.
                if let Some(row) = snapshot {
                    let bytes: &[u8] = row.try_get(0)?;
                    // A snapshot that cannot be read is only a cache: build anew.
                    if let Ok(loaded) = postcard::from_bytes(bytes) {
                        return Ok(loaded);
                    }
                }
                let loaded = load(pool, &Population::SocialWorkers).await?;
                let bytes = postcard::to_allocvec(&loaded).map_err(|e| StoreError::Corrupt(format!("cannot encode the snapshot: {e}")))?;
                // Kept in one statement, and never over a newer one; it is
                // only a cache, so a reader that cannot keep it still reads.
                let _ = QueryBuilder::<$db>::new("INSERT INTO workforce_snapshot (id, generation, format, data) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(1i32).push_bind(generation).push_bind(SNAPSHOT_FORMAT).push_bind(&bytes);
                    })
                    .push(
                        " ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, format = excluded.format, \
                         data = excluded.data WHERE workforce_snapshot.generation <= excluded.generation",
                    )
                    .build()
                    .execute(pool)
                    .await;
                Ok(loaded)
            }
        }
    };
}

workforce!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
workforce!(postgres, sqlx::Postgres, sqlx::PgPool);

impl Store {
    /// The whole workforce the store holds, every source joined.
    pub async fn load_workforce(&self) -> Result<Workforce, StoreError> {
        Ok(self.load_with_conflicts().await?.0)
    }

    /// The whole workforce, and every overlap between two sources' records
    /// of one person that was settled by the rule in [`sightline_core::resolve`].
    pub async fn load_with_conflicts(&self) -> Result<(Workforce, Vec<Conflict>), StoreError> {
        on_backend!(self, pool => b::load_cached(pool).await, b)
    }

    /// [`Store::load_with_conflicts`] straight from the fact tables, passing
    /// the snapshot by (for checking the snapshot, and for benchmarks).
    pub async fn load_from_facts(&self) -> Result<(Workforce, Vec<Conflict>), StoreError> {
        on_backend!(self, pool => b::load(pool, &Population::SocialWorkers).await, b)
    }

    /// The workforce of `population`: social workers (as [`Store::load_workforce`]),
    /// all staff, or one staff group (assembled from the fact tables, not kept).
    pub async fn load_population(&self, population: &Population) -> Result<Workforce, StoreError> {
        if *population == Population::SocialWorkers {
            return self.load_workforce().await;
        }
        Ok(on_backend!(self, pool => b::load(pool, population).await, b)?.0)
    }

    /// The staff groups the store holds beyond social workers, in name order.
    pub async fn staff_groups(&self) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT staff_group FROM spell WHERE staff_group IS NOT NULL \
                   UNION SELECT DISTINCT staff_group FROM establishment WHERE staff_group IS NOT NULL ORDER BY 1";
        Ok(match &self.backend {
            crate::Backend::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
            crate::Backend::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
        })
    }

    /// Each team's directorate, where an export gave it: (team, directorate).
    pub async fn directorates(&self) -> Result<Vec<(String, String)>, StoreError> {
        let sql =
            "SELECT t.name, d.directorate FROM team_directorate d JOIN team t ON t.id = d.team_id ORDER BY t.name";
        let rows: Vec<(String, String)> = match &self.backend {
            crate::Backend::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await?,
            crate::Backend::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await?,
        };
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::PersonIds;
    use sightline_core::PersonIdx;

    #[test]
    fn people_are_found_by_store_id_whether_the_ids_are_close_or_spread_out() {
        // Ids handed out in turn, with a gap where two people were merged.
        let close = PersonIds::new(vec![(3, PersonIdx(0)), (1, PersonIdx(1)), (4, PersonIdx(2))]);
        assert!(!close.dense.is_empty());
        assert_eq!(close.get(&1), Some(PersonIdx(1)));
        assert_eq!(close.get(&3), Some(PersonIdx(0)));
        assert_eq!(close.get(&4), Some(PersonIdx(2)));
        for missing in [0, 2, 5, 1_000_000, -1, i64::MIN, i64::MAX] {
            assert_eq!(close.get(&missing), None, "id {missing}");
        }
        // A store whose ids are far apart (or below zero) is not laid out
        // as a list as long as its largest id.
        let spread = PersonIds::new(vec![(7, PersonIdx(0)), (i64::MAX, PersonIdx(1)), (-5, PersonIdx(2))]);
        assert!(spread.dense.is_empty());
        assert_eq!(spread.get(&7), Some(PersonIdx(0)));
        assert_eq!(spread.get(&i64::MAX), Some(PersonIdx(1)));
        assert_eq!(spread.get(&-5), Some(PersonIdx(2)));
        assert_eq!(spread.get(&8), None);
        let negative = PersonIds::new(vec![(-1, PersonIdx(0)), (2, PersonIdx(1))]);
        assert!(negative.dense.is_empty());
        assert_eq!(negative.get(&-1), Some(PersonIdx(0)));
        assert_eq!(PersonIds::new(Vec::new()).get(&0), None);
    }
}
