//! Staff-voice records (exit interviews, survey answers, ER cases): written
//! with their batch, replaced as the batch's export kind says, and read
//! back beside the workforce; ER cases only when asked for (HR and admin).

use crate::{Store, StoreError};
use sightline_core::voice::{ErCase, ExitInterview, SurveyAnswer, VoiceRecords};
use sightline_core::{PersonIdx, Workforce};

/// The record kind an import batch of export kind `batch_kind` holds, if it is a staff-voice export.
pub(crate) fn record_kind(batch_kind: &str) -> Option<&'static str> {
    match batch_kind {
        "exit" => Some("exit"),
        "survey" => Some("answer"),
        "er" => Some("er"),
        _ => None,
    }
}

/// Each record as (person of the batch, kind, key date, JSON).
#[allow(clippy::type_complexity)]
pub(crate) fn rows(
    records: &VoiceRecords,
) -> Result<Vec<(Option<PersonIdx>, &'static str, chrono::NaiveDate, String)>, serde_json::Error> {
    let mut out = Vec::with_capacity(records.len());
    for r in &records.exits {
        out.push((r.person, "exit", r.date, serde_json::to_string(r)?));
    }
    for r in &records.answers {
        out.push((r.person, "answer", r.date, serde_json::to_string(r)?));
    }
    for r in &records.er_cases {
        out.push((Some(r.person), "er", r.opened, serde_json::to_string(r)?));
    }
    Ok(out)
}

macro_rules! voice {
    ($module:ident, $pool:ty) => {
        pub(crate) mod $module {
            use super::*;
            use futures_util::TryStreamExt;
            use sqlx::Row;

            pub async fn load(pool: &$pool, wf: &Workforce, er: bool) -> Result<VoiceRecords, StoreError> {
                let people = crate::development::$module::people(pool, wf).await?;
                let person = |id: Option<i64>| -> Result<Option<PersonIdx>, StoreError> {
                    id.map(|id| {
                        people.get(&id).copied().ok_or_else(|| StoreError::Corrupt(format!("person id `{id}`")))
                    })
                    .transpose()
                };
                let bad = |kind: &str, e: serde_json::Error| StoreError::Corrupt(format!("{kind} record: {e}"));
                let sql = if er {
                    "SELECT person_id, kind, detail FROM voice_record"
                } else {
                    "SELECT person_id, kind, detail FROM voice_record WHERE kind <> 'er'"
                };
                let mut out = VoiceRecords::default();
                let mut rows = sqlx::query(sql).fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let who = person(r.try_get(0)?)?;
                    let (kind, detail): (String, String) = (r.try_get(1)?, r.try_get(2)?);
                    match kind.as_str() {
                        "exit" => {
                            let mut e: ExitInterview = serde_json::from_str(&detail).map_err(|e| bad("exit", e))?;
                            e.person = who;
                            out.exits.push(e);
                        }
                        "answer" => {
                            let mut a: SurveyAnswer = serde_json::from_str(&detail).map_err(|e| bad("answer", e))?;
                            a.person = who;
                            out.answers.push(a);
                        }
                        "er" => {
                            let mut c: ErCase = serde_json::from_str(&detail).map_err(|e| bad("er", e))?;
                            c.person = who.ok_or_else(|| StoreError::Corrupt("an ER case with no person".into()))?;
                            out.er_cases.push(c);
                        }
                        other => return Err(StoreError::Corrupt(format!("voice record kind `{other}`"))),
                    }
                }
                Ok(out)
            }
        }
    };
}

voice!(sqlite, sqlx::SqlitePool);
voice!(postgres, sqlx::PgPool);

impl Store {
    /// The staff-voice records, their people numbered as `wf` numbers them;
    /// ER cases only with `er` (for HR and admin alone).
    pub async fn load_voice(&self, wf: &Workforce, er: bool) -> Result<VoiceRecords, StoreError> {
        on_backend!(self, pool => b::load(pool, wf, er).await, b)
    }
}
