//! Development records (early careers, supervision, CPD, registration,
//! career levels): written with their batch, replaced as the batch's
//! export kind says, and read back beside the workforce.

use crate::{Store, StoreError};
use sightline_core::development::{Development, DevelopmentRecords};
use sightline_core::{PersonIdx, Workforce};
use std::collections::HashMap;

/// The record kind an import batch of export kind `batch_kind` holds, if
/// it is a development export: its full exports replace only that kind.
pub(crate) fn record_kind(batch_kind: &str) -> Option<&'static str> {
    match batch_kind {
        "asye" => Some("early_career"),
        "supervision" => Some("supervision"),
        "development" => Some("cpd"),
        "registration" => Some("registration"),
        "grades" => Some("grade"),
        _ => None,
    }
}

/// Each record as (person of the batch, kind, key date, JSON).
pub(crate) fn rows(
    records: &DevelopmentRecords,
) -> Result<Vec<(PersonIdx, &'static str, chrono::NaiveDate, String)>, serde_json::Error> {
    let mut out = Vec::with_capacity(records.len());
    for r in &records.early_careers {
        out.push((r.person, "early_career", r.start, serde_json::to_string(r)?));
    }
    for r in &records.supervision {
        out.push((r.person, "supervision", r.date, serde_json::to_string(r)?));
    }
    for r in &records.cpd {
        out.push((r.person, "cpd", r.date, serde_json::to_string(r)?));
    }
    for r in &records.registrations {
        out.push((r.person, "registration", r.from, serde_json::to_string(r)?));
    }
    for r in &records.grades {
        out.push((r.person, "grade", r.from, serde_json::to_string(r)?));
    }
    Ok(out)
}

/// A person's development records, read back from stored rows of (kind, JSON).
pub(crate) fn records_of(rows: &[(String, String)], person: PersonIdx) -> Result<DevelopmentRecords, StoreError> {
    let mut records = DevelopmentRecords::default();
    for (kind, detail) in rows {
        add(&mut records, kind, person, detail).map_err(StoreError::Corrupt)?;
    }
    Ok(records)
}

/// Adds a stored record (its person already the workforce's) to `records`.
fn add(records: &mut DevelopmentRecords, kind: &str, person: PersonIdx, detail: &str) -> Result<(), String> {
    let bad = |e: serde_json::Error| format!("{kind} record: {e}");
    match kind {
        "early_career" => {
            let mut r: sightline_core::development::EarlyCareer = serde_json::from_str(detail).map_err(bad)?;
            r.person = person;
            records.early_careers.push(r);
        }
        "supervision" => {
            let mut r: sightline_core::development::Supervision = serde_json::from_str(detail).map_err(bad)?;
            r.person = person;
            records.supervision.push(r);
        }
        "cpd" => {
            let mut r: sightline_core::development::Cpd = serde_json::from_str(detail).map_err(bad)?;
            r.person = person;
            records.cpd.push(r);
        }
        "registration" => {
            let mut r: sightline_core::development::Registration = serde_json::from_str(detail).map_err(bad)?;
            r.person = person;
            records.registrations.push(r);
        }
        "grade" => {
            let mut r: sightline_core::development::Grade = serde_json::from_str(detail).map_err(bad)?;
            r.person = person;
            records.grades.push(r);
        }
        other => return Err(format!("development record kind `{other}`")),
    }
    Ok(())
}

macro_rules! development {
    ($module:ident, $pool:ty) => {
        pub(crate) mod $module {
            use super::*;
            use futures_util::TryStreamExt;
            use sqlx::Row;

            /// The store's people (by their ids) as `wf` numbers them (by key):
            /// how the records kept beside the workforce find their person.
            pub async fn people(pool: &$pool, wf: &Workforce) -> Result<HashMap<i64, PersonIdx>, StoreError> {
                let by_key: HashMap<&str, PersonIdx> =
                    wf.persons().iter().enumerate().map(|(i, p)| (p.id.as_str(), PersonIdx(i as u32))).collect();
                let mut people = HashMap::new();
                for r in sqlx::query("SELECT id, person_key FROM person").fetch_all(pool).await? {
                    let key: String = r.try_get(1)?;
                    if let Some(p) = by_key.get(key.as_str()) {
                        people.insert(r.try_get(0)?, *p);
                    }
                }
                Ok(people)
            }

            pub async fn load(pool: &$pool, wf: &Workforce) -> Result<Development, StoreError> {
                let people = people(pool, wf).await?;
                let mut records = DevelopmentRecords::default();
                let mut rows = sqlx::query("SELECT person_id, kind, detail FROM development_record").fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let id: i64 = r.try_get(0)?;
                    let person = *people.get(&id).ok_or_else(|| StoreError::Corrupt(format!("person id `{id}`")))?;
                    let (kind, detail): (String, String) = (r.try_get(1)?, r.try_get(2)?);
                    add(&mut records, &kind, person, &detail).map_err(StoreError::Corrupt)?;
                }
                Ok(Development::new(records, wf.persons().len()))
            }
        }
    };
}

development!(sqlite, sqlx::SqlitePool);
development!(postgres, sqlx::PgPool);

impl Store {
    /// The development records of the workforce's people, numbered as
    /// `wf` numbers them (load `wf` from this store first).
    pub async fn load_development(&self, wf: &Workforce) -> Result<Development, StoreError> {
        on_backend!(self, pool => b::load(pool, wf).await, b)
    }
}
