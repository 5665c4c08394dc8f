//! What a source says: every source (a canonical folder, an HR or agency
//! export read through a profile, census returns) becomes a [`SourceData`]:
//! a [`Workforce`] whose people are known by the source's own identifiers,
//! with names, cross-references, agency terms and caseload weights beside
//! it, and the rows it could not take ([`RowProblem`]). Readers make it
//! (`sightline-ingest`); the store keeps it.

use crate::model::{PersonIdx, TeamId, Workforce};
use crate::OrgRole;
use chrono::NaiveDate;
use serde::Deserialize;
use std::fmt;

/// Whether an export holds the source's whole record or only changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every export is the source's whole record: a newer one replaces the
    /// facts of the earlier ones, so spells it closes or corrects are closed
    /// or corrected, and rows it no longer holds go.
    #[default]
    Full,
    /// Every export holds new and changed rows only: a row replaces the row
    /// of the same person and start date (or snapshot date) from earlier
    /// exports; everything else is kept.
    Changes,
}

/// Whether an agency worker covers a vacancy or is over establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covering {
    Vacancy,
    OverEstablishment,
}

impl Covering {
    pub fn as_str(self) -> &'static str {
        match self {
            Covering::Vacancy => "vacancy",
            Covering::OverEstablishment => "over_establishment",
        }
    }

    pub fn parse(text: &str) -> Option<Covering> {
        match text {
            "vacancy" => Some(Covering::Vacancy),
            "over_establishment" => Some(Covering::OverEstablishment),
            _ => None,
        }
    }
}

/// What a source says of a person beyond the model's [`crate::Person`]:
/// names and a cross-reference, used to join sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDetails {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// (source, identifier) of the same person in another source.
    pub xref: Option<(String, String)>,
}

/// The commercial terms of an agency assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyTerms {
    pub person: PersonIdx,
    pub start: NaiveDate,
    pub agency: Option<String>,
    pub charge_rate: Option<f64>,
    pub pay_rate: Option<f64>,
    pub covering: Option<Covering>,
    /// The assignment's own reference.
    pub reference: Option<String>,
    /// DfE's role type, from the export's title or its organisational role.
    pub role_type: Option<crate::agency_rules::RoleType>,
    /// Part of a project team or packaged model.
    pub project_team: Option<bool>,
    pub notice_weeks: Option<f64>,
    /// Who signed off pay above the price cap.
    pub signed_off_by: Option<String>,
    /// Months of local authority experience since qualifying, as the agency vetted them.
    pub la_experience_months: Option<f64>,
}

/// A post's or agency assignment's own reference, where the export gives
/// one: it tells posts apart and keys them in exports of changes. The spell
/// it belongs to is the person's with that start, team, role, FTE and end
/// (spells alike in all of these are interchangeable).
#[derive(Debug, Clone, PartialEq)]
pub struct PostRef {
    pub person: PersonIdx,
    pub start: NaiveDate,
    pub team: TeamId,
    pub org_role: OrgRole,
    pub fte: f64,
    pub end: Option<NaiveDate>,
    pub reference: String,
}

impl PostRef {
    /// What ties the reference to its spell.
    pub fn key(&self) -> PostKey {
        (self.person, self.start, self.team, self.org_role, self.fte.to_bits(), self.end)
    }
}

/// A spell as a [`PostRef`] names it.
pub type PostKey = (PersonIdx, NaiveDate, TeamId, OrgRole, u64, Option<NaiveDate>);

/// The key of `spell`, to find its reference.
pub fn post_key(spell: &crate::Spell) -> PostKey {
    (spell.person, spell.start, spell.team, spell.org_role, spell.fte.to_bits(), spell.end)
}

/// A funded post as a staff group names it: team, first day, last day, FTE, reference and role.
pub type FundedKey = (TeamId, NaiveDate, Option<NaiveDate>, u64, Option<String>, Option<OrgRole>);

/// The key of a funded post.
pub fn funded_key(e: &crate::Establishment) -> FundedKey {
    (e.team, e.start, e.end, e.fte.to_bits(), e.post_id.clone(), e.org_role)
}

/// The staff group of a social worker in a CSWW role.
pub const SOCIAL_WORKER: &str = "social_worker";

/// One export (or canonical folder) read: the facts as a workforce whose
/// person ids are the source's own, with what else the source said.
#[derive(Debug)]
pub struct SourceData {
    pub workforce: Workforce,
    /// Indexed by [`PersonIdx`] of `workforce`.
    pub details: Vec<PersonDetails>,
    pub agency_terms: Vec<AgencyTerms>,
    /// Posts' own references, where the export gives them.
    pub post_refs: Vec<PostRef>,
    /// The staff group of each post outside social work (a post not here is
    /// a social worker's), by its key; one entry for each such post.
    pub staff_groups: Vec<(PostKey, String)>,
    /// The staff group of each funded post outside social work, likewise.
    pub funded_groups: Vec<(FundedKey, String)>,
    /// The directorate of teams (by the team's name in `workforce`), where the export gives it.
    pub directorates: Vec<(String, String)>,
    /// Complexity-weighted caseloads by person and date.
    pub caseload_weights: Vec<(PersonIdx, NaiveDate, f64)>,
    /// Development records (early careers, supervision, CPD, registration,
    /// grades) of `workforce`'s people.
    pub development: crate::development::DevelopmentRecords,
    /// Staff-voice records (exit interviews, survey answers, ER cases).
    pub voice: crate::voice::VoiceRecords,
    /// Recruitment, incentive and agency-rule records (vacancies, payments,
    /// price caps, a regional list of leavers).
    pub recruitment: crate::recruitment::RecruitmentRecords,
    pub skipped: Vec<RowProblem>,
    /// Data rows read, valid or not.
    pub rows_read: usize,
    pub mode: Mode,
}

/// One invalid row: where it is, what it holds and which rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub file: String,
    /// Line number in the file, the header being line 1.
    pub line: u64,
    pub column: String,
    pub value: String,
    pub rule: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}, column `{}`", self.file, self.line, self.column)?;
        if !self.value.is_empty() {
            write!(f, ", value `{}`", self.value)?;
        }
        write!(f, ": {}", self.rule)
    }
}
