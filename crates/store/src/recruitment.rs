//! Recruitment, incentive and agency-rule records (vacancies, payments,
//! price caps, a regional list of leavers): written with their batch,
//! replaced as the batch's export kind says, and read back beside the
//! workforce; and agency assignments' terms, read back for DfE's rules.

use crate::{Store, StoreError};
use sightline_core::agency_rules::{PriceCap, RegionalLeaver, RoleType};
use sightline_core::incentives::Payment;
use sightline_core::recruitment::{RecruitmentRecords, Vacancy};
use sightline_core::source::{AgencyTerms, Covering};
use sightline_core::{PersonIdx, Workforce};

/// The record kind an import batch of export kind `batch_kind` holds, if it is one of these exports.
pub(crate) fn record_kind(batch_kind: &str) -> Option<&'static str> {
    match batch_kind {
        "recruitment" => Some("vacancy"),
        "payments" => Some("payment"),
        "price_caps" => Some("price_cap"),
        "regional_leavers" => Some("regional_leaver"),
        _ => None,
    }
}

/// One record as the store writes it.
pub(crate) struct Row {
    pub person: Option<PersonIdx>,
    pub kind: &'static str,
    pub date: chrono::NaiveDate,
    /// What an export of changes replaces the record by.
    pub key: String,
    pub detail: String,
}

/// Each record as a [`Row`].
pub(crate) fn rows(records: &RecruitmentRecords, wf: &Workforce) -> Result<Vec<Row>, serde_json::Error> {
    let mut out = Vec::with_capacity(records.len());
    for v in &records.vacancies {
        out.push(Row {
            person: None,
            kind: "vacancy",
            date: v.advertised,
            key: v.reference.clone(),
            detail: serde_json::to_string(v)?,
        });
    }
    for p in &records.payments {
        let who = wf.persons().get(p.person.0 as usize).map_or("", |x| x.id.as_str());
        out.push(Row {
            person: Some(p.person),
            kind: "payment",
            date: p.paid,
            key: format!("{who}|{}|{}|{}", p.scheme, p.paid, p.amount),
            detail: serde_json::to_string(p)?,
        });
    }
    for c in &records.price_caps {
        out.push(Row {
            person: None,
            kind: "price_cap",
            date: c.from,
            key: format!("{}|{}|{}", c.region.to_lowercase(), c.role_type.as_str(), c.from),
            detail: serde_json::to_string(c)?,
        });
    }
    for l in &records.regional_leavers {
        out.push(Row {
            person: None,
            kind: "regional_leaver",
            date: l.left,
            key: format!("{}|{}", l.swe_no, l.left),
            detail: serde_json::to_string(l)?,
        });
    }
    Ok(out)
}

macro_rules! recruitment {
    ($module:ident, $pool:ty) => {
        pub(crate) mod $module {
            use super::*;
            use futures_util::TryStreamExt;
            use sqlx::Row as _;

            pub async fn load(pool: &$pool, wf: &Workforce) -> Result<RecruitmentRecords, StoreError> {
                let people = crate::development::$module::people(pool, wf).await?;
                let bad = |kind: &str, e: serde_json::Error| StoreError::Corrupt(format!("{kind} record: {e}"));
                let mut out = RecruitmentRecords::default();
                let mut rows = sqlx::query("SELECT person_id, kind, detail FROM recruitment_record ORDER BY batch_id").fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let who: Option<i64> = r.try_get(0)?;
                    let (kind, detail): (String, String) = (r.try_get(1)?, r.try_get(2)?);
                    match kind.as_str() {
                        "vacancy" => out.vacancies.push(serde_json::from_str::<Vacancy>(&detail).map_err(|e| bad("vacancy", e))?),
                        "payment" => {
                            let mut p: Payment = serde_json::from_str(&detail).map_err(|e| bad("payment", e))?;
                            let id = who.ok_or_else(|| StoreError::Corrupt("a payment with no person".into()))?;
                            p.person = *people.get(&id).ok_or_else(|| StoreError::Corrupt(format!("person id `{id}`")))?;
                            out.payments.push(p);
                        }
                        "price_cap" => out.price_caps.push(serde_json::from_str::<PriceCap>(&detail).map_err(|e| bad("price cap", e))?),
                        "regional_leaver" => out
                            .regional_leavers
                            .push(serde_json::from_str::<RegionalLeaver>(&detail).map_err(|e| bad("regional leaver", e))?),
                        other => return Err(StoreError::Corrupt(format!("recruitment record kind `{other}`"))),
                    }
                }
                Ok(out)
            }

            pub async fn agency_terms(pool: &$pool, wf: &Workforce) -> Result<Vec<AgencyTerms>, StoreError> {
                let people = crate::development::$module::people(pool, wf).await?;
                let mut out = Vec::new();
                let mut rows = sqlx::query(
                    "SELECT person_id, start_date, agency, charge_rate, pay_rate, covering, reference, role_type, \
                     project_team, notice_weeks, signed_off_by, la_experience_months FROM agency_assignment ORDER BY batch_id",
                )
                .fetch(pool);
                while let Some(r) = rows.try_next().await? {
                    let id: i64 = r.try_get(0)?;
                    // Terms of someone the workforce does not hold (no spell left) are not needed.
                    let Some(person) = people.get(&id).copied() else { continue };
                    let covering: Option<String> = r.try_get(5)?;
                    let role_type: Option<String> = r.try_get(7)?;
                    out.push(AgencyTerms {
                        person,
                        start: r.try_get(1)?,
                        agency: r.try_get(2)?,
                        charge_rate: r.try_get(3)?,
                        pay_rate: r.try_get(4)?,
                        covering: covering.as_deref().and_then(Covering::parse),
                        reference: r.try_get(6)?,
                        role_type: role_type.as_deref().and_then(RoleType::parse),
                        project_team: r.try_get(8)?,
                        notice_weeks: r.try_get(9)?,
                        signed_off_by: r.try_get(10)?,
                        la_experience_months: r.try_get(11)?,
                    });
                }
                Ok(out)
            }
        }
    };
}

recruitment!(sqlite, sqlx::SqlitePool);
recruitment!(postgres, sqlx::PgPool);

impl Store {
    /// Vacancies, payments (their people numbered as `wf` numbers them), price caps and the regional list of leavers.
    pub async fn load_recruitment(&self, wf: &Workforce) -> Result<RecruitmentRecords, StoreError> {
        on_backend!(self, pool => b::load(pool, wf).await, b)
    }

    /// Agency assignments' terms, their people numbered as `wf` numbers them (earlier batches first).
    pub async fn load_agency_terms(&self, wf: &Workforce) -> Result<Vec<AgencyTerms>, StoreError> {
        on_backend!(self, pool => b::agency_terms(pool, wf).await, b)
    }
}
