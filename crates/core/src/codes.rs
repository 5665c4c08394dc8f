//! Code lists of the workforce model, with the CSWW census codes they carry.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The contract behind a spell. `Permanent` and `FixedTerm` are *employed*
/// social workers in DfE's sense; `Agency` workers are counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpellKind {
    Permanent,
    FixedTerm,
    Agency,
}

impl SpellKind {
    pub const ALL: [SpellKind; 3] = [SpellKind::Permanent, SpellKind::FixedTerm, SpellKind::Agency];

    /// Permanent and fixed-term spells are employed; agency spells are not.
    pub fn is_employed(self) -> bool {
        !matches!(self, SpellKind::Agency)
    }

    /// The word used in the canonical CSV format.
    pub fn as_str(self) -> &'static str {
        match self {
            SpellKind::Permanent => "permanent",
            SpellKind::FixedTerm => "fixed_term",
            SpellKind::Agency => "agency",
        }
    }

    pub fn parse(text: &str) -> Option<SpellKind> {
        SpellKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind in words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            SpellKind::Permanent => "Permanent",
            SpellKind::FixedTerm => "Fixed-term",
            SpellKind::Agency => "Agency",
        }
    }
}

impl fmt::Display for SpellKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CSWW `OrgRole`: the social worker's role in the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OrgRole {
    SeniorManager = 1,
    MiddleManager = 2,
    FirstLineManager = 3,
    SeniorPractitioner = 4,
    CaseHolder = 5,
    QualifiedWithoutCases = 6,
}

impl OrgRole {
    pub const ALL: [OrgRole; 6] = [
        OrgRole::SeniorManager,
        OrgRole::MiddleManager,
        OrgRole::FirstLineManager,
        OrgRole::SeniorPractitioner,
        OrgRole::CaseHolder,
        OrgRole::QualifiedWithoutCases,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<OrgRole> {
        OrgRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// DfE's label for the role.
    pub fn label(self) -> &'static str {
        match self {
            OrgRole::SeniorManager => "Senior manager",
            OrgRole::MiddleManager => "Middle manager",
            OrgRole::FirstLineManager => "First line manager",
            OrgRole::SeniorPractitioner => "Senior practitioner",
            OrgRole::CaseHolder => "Case holder",
            OrgRole::QualifiedWithoutCases => "Qualified without cases",
        }
    }
}

/// CSWW `ReasonLeave` codes 1-10, kept as the code itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReasonLeave(u8);

impl ReasonLeave {
    pub const RESIGNATION: ReasonLeave = ReasonLeave(1);
    pub const RETIRED: ReasonLeave = ReasonLeave(5);
    pub const OTHER: ReasonLeave = ReasonLeave(8);

    pub fn from_code(code: u8) -> Option<ReasonLeave> {
        (1..=10).contains(&code).then_some(ReasonLeave(code))
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Resignation",
            2 => "Voluntary redundancy",
            3 => "Compulsory redundancy",
            4 => "Dismissed",
            5 => "Retired",
            6 => "Deceased",
            7 => "Moved to a non-child-and-family social work role within the authority",
            8 => "Other",
            9 => "Not known",
            _ => "Not yet collected",
        }
    }
}

/// CSWW `LeaverDestination` codes 1-9: where a leaver went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LeaverDestination(u8);

impl LeaverDestination {
    pub fn from_code(code: u8) -> Option<LeaverDestination> {
        (1..=9).contains(&code).then_some(LeaverDestination(code))
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Social work role in another English local authority",
            2 => "Social work role outside England",
            3 => "Agency or consultancy social work in England",
            4 => "Other social work role, not a local authority, in England",
            5 => "Other social care role",
            6 => "Not social care, outside England, no employment or a career break",
            7 => "Other",
            8 => "Not known",
            _ => "Not yet collected",
        }
    }
}

/// CSWW `ReasonAbsence` codes, and two of Sightline's own for capacity
/// (never written to or read from a census return).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AbsenceReason {
    /// SIC: sickness. The only reason that counts towards working days lost.
    Sickness,
    /// MAT: maternity or paternity.
    Maternity,
    /// OTH: other paid authorised.
    OtherPaid,
    /// PUB: public duties.
    PublicDuties,
    /// TRN: training.
    Training,
    /// UNA: unauthorised.
    Unauthorised,
    /// UNP: unpaid authorised.
    UnpaidAuthorised,
    /// SEC: seconded out to another organisation (Sightline's code, not CSWW's).
    SecondmentOut,
    /// SUS: suspended (Sightline's code, not CSWW's).
    Suspension,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 9] = [
        AbsenceReason::Sickness,
        AbsenceReason::Maternity,
        AbsenceReason::OtherPaid,
        AbsenceReason::PublicDuties,
        AbsenceReason::Training,
        AbsenceReason::Unauthorised,
        AbsenceReason::UnpaidAuthorised,
        AbsenceReason::SecondmentOut,
        AbsenceReason::Suspension,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "SIC",
            AbsenceReason::Maternity => "MAT",
            AbsenceReason::OtherPaid => "OTH",
            AbsenceReason::PublicDuties => "PUB",
            AbsenceReason::Training => "TRN",
            AbsenceReason::Unauthorised => "UNA",
            AbsenceReason::UnpaidAuthorised => "UNP",
            AbsenceReason::SecondmentOut => "SEC",
            AbsenceReason::Suspension => "SUS",
        }
    }

    /// Whether the code is one of the census's own (SEC and SUS are Sightline's).
    pub fn is_csww(self) -> bool {
        !matches!(self, AbsenceReason::SecondmentOut | AbsenceReason::Suspension)
    }

    pub fn from_code(code: &str) -> Option<AbsenceReason> {
        AbsenceReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The reason in words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "Sickness",
            AbsenceReason::Maternity => "Maternity, paternity, adoption or shared parental leave",
            AbsenceReason::OtherPaid => "Other paid leave",
            AbsenceReason::PublicDuties => "Public duties",
            AbsenceReason::Training => "Training",
            AbsenceReason::Unauthorised => "Unauthorised absence",
            AbsenceReason::UnpaidAuthorised => "Unpaid authorised leave",
            AbsenceReason::SecondmentOut => "Seconded out",
            AbsenceReason::Suspension => "Suspended",
        }
    }
}

/// CSWW `GenderCurrent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    NotKnown = 0,
    Male = 1,
    Female = 2,
    NotSpecified = 9,
}

impl Gender {
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Gender> {
        match code {
            0 => Some(Gender::NotKnown),
            1 => Some(Gender::Male),
            2 => Some(Gender::Female),
            9 => Some(Gender::NotSpecified),
            _ => None,
        }
    }
}

/// CSWW `Ethnicity` codes (the 2022 format's list).
pub const ETHNICITY_CODES: [&str; 18] = [
    "WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH",
    "CHNE", "OOTH", "REFU", "NOBT",
];

/// How a social worker qualified. Step Up and Frontline are the routes the
/// census asks about (`StepUpGrad`, `FrontlineGrad`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualificationRoute {
    Undergraduate,
    Postgraduate,
    StepUp,
    Frontline,
    Apprenticeship,
    International,
    Other,
}

impl QualificationRoute {
    pub const ALL: [QualificationRoute; 7] = [
        QualificationRoute::Undergraduate,
        QualificationRoute::Postgraduate,
        QualificationRoute::StepUp,
        QualificationRoute::Frontline,
        QualificationRoute::Apprenticeship,
        QualificationRoute::International,
        QualificationRoute::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QualificationRoute::Undergraduate => "undergraduate",
            QualificationRoute::Postgraduate => "postgraduate",
            QualificationRoute::StepUp => "step_up",
            QualificationRoute::Frontline => "frontline",
            QualificationRoute::Apprenticeship => "apprenticeship",
            QualificationRoute::International => "international",
            QualificationRoute::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<QualificationRoute> {
        QualificationRoute::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Whether `text` is a Social Work England registration number: 2 letters, then digits.
pub fn is_swe_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 2 && b.iter().take(2).all(u8::is_ascii_alphabetic) && b.iter().skip(2).all(u8::is_ascii_digit)
}
