//! People as the store knows them: their details and each source's
//! identifiers, suggested matches and their decisions, and a person's
//! whole history.

use crate::{Store, StoreError};
use chrono::{NaiveDate, Utc};
use sightline_core::identity::Known;
use sightline_core::source::PersonDetails;
use sightline_core::{Gender, Person, QualificationRoute};

/// The person table's columns, in the order rows are read and written.
pub(crate) const PERSON_COLUMNS: &str = "person_key, id, swe_no, birth_date, gender, ethnicity, qualification_date, qualification_route, given_name, family_name";

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
    /// `spell`, `agency terms`, `absence`, `caseload`, or a development
    /// record: `early career`, `supervision`, `CPD`, `registration`, `level`.
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

macro_rules! people {
    ($module:ident, $db:ty, $pool:ty) => {
        pub(crate) mod $module {
            use super::*;
            use sqlx::{QueryBuilder, Row};

            /// Writes a person's details and names over the stored ones.
            pub(crate) async fn update_person(conn: &mut <$db as sqlx::Database>::Connection, id: i64, k: &Known) -> Result<(), sqlx::Error> {
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

            pub(crate) fn known_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Known, sqlx::Error> {
                Ok(Known {
                    person: person_from_row(r)?,
                    details: PersonDetails { given_name: r.try_get(8)?, family_name: r.try_get(9)?, xref: None },
                })
            }

            pub(crate) fn person_from_row(r: &<$db as sqlx::Database>::Row) -> Result<Person, sqlx::Error> {
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
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                // The store's generation is taken first: an import holds it
                // from before it reads the people until it commits, so a
                // merge waits for an import (and then moves its rows too) or
                // an import for a merge. Without this, on PostgreSQL (whose
                // fact and identifier tables have no foreign keys) a merge
                // could delete a person whose rows an import was writing.
                sqlx::query("UPDATE store_state SET generation = generation + 1").execute(&mut *tx).await?;
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
                    let merged = Known::combine(&earlier, &newer);
                    for table in ["spell", "absence", "caseload", "agency_assignment", "development_record", "voice_record", "recruitment_record", "person_identifier"] {
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
                    // Codes in words, as DfE labels them (the code kept where it is not one).
                    let kind = sightline_core::SpellKind::parse(&kind).map_or(kind.clone(), |k| k.label().to_string());
                    let role = u8::try_from(role).ok().and_then(sightline_core::OrgRole::from_code).map_or(format!("role {role}"), |r| r.label().to_string());
                    let mut detail = format!("{kind}, {team}, {role}, FTE {fte:.2}");
                    if let Some(code) = reason {
                        let words = u8::try_from(code).ok().and_then(sightline_core::ReasonLeave::from_code).map_or(format!("reason {code}"), |r| r.label().to_string());
                        detail.push_str(&format!("; left: {words}"));
                    }
                    if let Some(code) = r.try_get::<Option<i32>, _>(8)? {
                        let words = u8::try_from(code).ok().and_then(sightline_core::LeaverDestination::from_code).map_or(format!("destination {code}"), |d| d.label().to_string());
                        detail.push_str(&format!("; went to: {words}"));
                    }
                    facts.push(HistoryFact { source: r.try_get(0)?, what: "post", start: r.try_get(4)?, end: r.try_get(5)?, detail });
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
                    let reason = sightline_core::AbsenceReason::from_code(&reason).map_or(reason.clone(), |r| r.label().to_string());
                    let detail = match days {
                        Some(d) if d == 1.0 => format!("{reason}, 1 day lost"),
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
                for r in q("SELECT b.source, d.kind, d.detail FROM development_record d JOIN import_batch b ON b.id = d.batch_id WHERE d.person_id = ")
                    .push_bind(id)
                    .build()
                    .fetch_all(pool)
                    .await?
                {
                    let source: String = r.try_get(0)?;
                    let records = crate::development::records_of(&[(r.try_get(1)?, r.try_get(2)?)], sightline_core::PersonIdx(0))?;
                    for (_, what, start, end, detail) in records.timeline() {
                        facts.push(HistoryFact { source: source.clone(), what, start, end, detail });
                    }
                }
                facts.sort_by(|a, b| (a.start, a.what, &a.source).cmp(&(b.start, b.what, &b.source)));
                Ok(Some(PersonHistory { summary, facts }))
            }
        }
    };
}

people!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
people!(postgres, sqlx::Postgres, sqlx::PgPool);

impl Store {
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
}
