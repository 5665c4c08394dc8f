//! Source profiles: how one system's export maps onto Sightline's model.
//!
//! A profile is a small TOML file a person can read and edit. It names the
//! kind of export (`hr`, `agency`, `caseload`, `absence`), which column holds
//! each field, how dates are written, how the system's codes map to CSWW
//! codes, and the standard weekly hours that turn contracted hours into FTE.
//! docs/data-formats.md explains every key; `profiles/` holds ready ones.

use crate::read::{ReadError, Strictness};
use crate::sheet::{excel_serial_date, Cell, Sheet};
use chrono::NaiveDate;
use serde::Deserialize;
use sightline_core::agency_rules::{PriceCap, RegionalLeaver, RoleType};
use sightline_core::development as dev;
use sightline_core::incentives;
use sightline_core::recruitment::{RecruitmentRecords, Route, Vacancy};
use sightline_core::source::{
    funded_key, AgencyTerms, Covering, Mode, PersonDetails, PostRef, RowProblem, SourceData, SOCIAL_WORKER,
};
use sightline_core::voice;
use sightline_core::{
    Absence, AbsenceReason, CaseloadSnapshot, Establishment, Gender, OrgRole, PersonIdx, ReasonLeave, Spell, SpellKind,
    WorkforceBuilder,
};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// HR or payroll: employed social workers' posts (one row per post or spell).
    Hr,
    /// A managed service provider's agency assignments.
    Agency,
    /// A case management system's caseload report.
    Caseload,
    /// Absence episodes.
    Absence,
    /// Funded posts (the establishment), from finance or HR.
    Establishment,
    /// The early-career tracker: ASYE (or ECDP) programmes, reviews and outcomes.
    Asye,
    /// Supervision sessions.
    Supervision,
    /// CPD and training.
    Development,
    /// A Social Work England register extract.
    Registration,
    /// The authority's career levels, as dated grades or promotions.
    Grades,
    /// Exit interviews or leaver surveys (a person, or anonymous with a team).
    Exit,
    /// A staff survey's answers, one row per answer (a person, or anonymous).
    Survey,
    /// Employee-relations cases (HR and admin only).
    Er,
    /// An applicant-tracking export: one row per vacancy, from advert to start.
    Recruitment,
    /// Incentive and market-supplement payments, with their clawback terms.
    Payments,
    /// The region's agency price caps by DfE role type.
    PriceCaps,
    /// A regional list of social workers who left permanent posts (for the cooling-off rule).
    RegionalLeavers,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Hr => "hr",
            ExportKind::Agency => "agency",
            ExportKind::Caseload => "caseload",
            ExportKind::Absence => "absence",
            ExportKind::Establishment => "establishment",
            ExportKind::Asye => "asye",
            ExportKind::Supervision => "supervision",
            ExportKind::Development => "development",
            ExportKind::Registration => "registration",
            ExportKind::Grades => "grades",
            ExportKind::Exit => "exit",
            ExportKind::Survey => "survey",
            ExportKind::Er => "er",
            ExportKind::Recruitment => "recruitment",
            ExportKind::Payments => "payments",
            ExportKind::PriceCaps => "price_caps",
            ExportKind::RegionalLeavers => "regional_leavers",
        }
    }

    /// Whether the export holds staff-voice records (exit interviews, survey answers, ER cases).
    pub fn is_voice(self) -> bool {
        matches!(self, X | V | Q)
    }

    /// Whether the export holds records kept beside employment (early
    /// careers, supervision, CPD, registration, grades, staff voice,
    /// payments), whose people are joined to HR's by `xref_source`.
    pub fn is_development(self) -> bool {
        matches!(self, Y | S | D | R | L | X | V | Q | P)
    }

    /// Whether the export's rows are records about no one person
    /// (vacancies, price caps, a regional list of leavers).
    pub fn is_impersonal(self) -> bool {
        matches!(self, N | T | W)
    }
}

/// How dates are written in an export's text cells. Cells a spreadsheet
/// holds as dates are read as dates whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum DateFormat {
    /// `2024-09-30` (a time after the date, as in `2024-09-30 00:00:00`, is ignored).
    #[default]
    #[serde(rename = "iso", alias = "yyyy-mm-dd")]
    Iso,
    /// `30/09/2024` (day first, as in the UK; `1/9/2024` too).
    #[serde(rename = "dd/mm/yyyy", alias = "uk")]
    Uk,
    /// Excel serial day numbers, as in `45565`.
    #[serde(rename = "excel")]
    Excel,
}

/// A field a profile can map, the exports that have it, and what it is.
pub struct FieldSpec {
    pub name: &'static str,
    pub kinds: &'static [ExportKind],
    pub required: bool,
    pub meaning: &'static str,
}

use ExportKind::{
    Absence as A, Agency as G, Asye as Y, Caseload as C, Development as D, Er as Q, Establishment as E, Exit as X,
    Grades as L, Hr as H, Payments as P, PriceCaps as T, Recruitment as N, RegionalLeavers as W, Registration as R,
    Supervision as S, Survey as V,
};
/// The exports about people (all but the establishment).
const ALL: &[ExportKind] = &[H, G, C, A, Y, S, D, R, L, X, V, Q, P];
/// The exports about people that always name them (exit interviews and survey answers may be anonymous).
const NAMED: &[ExportKind] = &[H, G, C, A, Y, S, D, R, L, Q, P];

/// Every field a profile can map.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "person_id", kinds: NAMED, required: true, meaning: "the system's own identifier of the person (employee number, worker id)" },
    FieldSpec { name: "person_id", kinds: &[X, V], required: false, meaning: "the person, where the export names them (empty: anonymous)" },
    FieldSpec { name: "swe_no", kinds: ALL, required: false, meaning: "Social Work England registration number" },
    FieldSpec { name: "xref", kinds: ALL, required: false, meaning: "the person's identifier in another source (named by `xref_source`), such as the HR employee number in a caseload report" },
    FieldSpec { name: "given_name", kinds: ALL, required: false, meaning: "first name (for suggesting matches by name and birth date)" },
    FieldSpec { name: "family_name", kinds: ALL, required: false, meaning: "surname" },
    FieldSpec { name: "full_name", kinds: ALL, required: false, meaning: "whole name, as `Surname, First` or `First Surname`, when there are no separate name columns" },
    FieldSpec { name: "birth_date", kinds: ALL, required: false, meaning: "date of birth" },
    FieldSpec { name: "qualification_date", kinds: &[H, G, Y], required: false, meaning: "the day the person qualified as a social worker (for the experience mix and early-career retention)" },
    FieldSpec { name: "gender", kinds: &[H, G], required: false, meaning: "CSWW GenderCurrent: 0 not known, 1 male, 2 female, 9 not specified" },
    FieldSpec { name: "ethnicity", kinds: &[H, G], required: false, meaning: "CSWW ethnicity code (WBRI, ...)" },
    FieldSpec { name: "contract", kinds: &[H], required: true, meaning: "permanent or fixed_term" },
    FieldSpec { name: "team", kinds: &[H, G, E], required: true, meaning: "team name" },
    FieldSpec { name: "team", kinds: &[X, V], required: false, meaning: "team name, for an anonymous row (a named person's team is their post's)" },
    FieldSpec { name: "org_role", kinds: &[H, G, E], required: false, meaning: "CSWW OrgRole 1-6 (map job titles with [codes.org_role]); required but for the establishment" },
    FieldSpec { name: "staff_group", kinds: &[H, G, E], required: false, meaning: "the staff group: social_worker (a CSWW social work role, the default) or the authority's own group, such as family_support_worker, early_help, personal_adviser, social_work_assistant or business_support (map job titles with [codes.staff_group]); DfE's figures and the census keep to social workers" },
    FieldSpec { name: "directorate", kinds: &[H, G, E], required: false, meaning: "the directorate the team is in (for figures by directorate)" },
    FieldSpec { name: "post_id", kinds: &[H, G, E], required: false, meaning: "the post's, assignment's or funded post's own reference: it tells posts apart, and keys them in exports of changes" },
    FieldSpec { name: "start_date", kinds: &[H, G, A, E, Y, R, L, Q], required: true, meaning: "first day of the post, assignment, absence, funding, early-career programme, registration, level or ER case" },
    FieldSpec { name: "start_date", kinds: &[T], required: false, meaning: "the first day the cap is in force (1 October 2025, when caps began, when empty or not given)" },
    FieldSpec { name: "end_date", kinds: &[H, G, A, E, R, Q, T], required: false, meaning: "last day; empty while open (required for absences)" },
    FieldSpec { name: "fte", kinds: &[H, G, E], required: false, meaning: "full-time equivalent, 0 < fte <= 1 (give `fte`, `fte_percent` or `hours`)" },
    FieldSpec { name: "fte_percent", kinds: &[H, G, E], required: false, meaning: "full-time equivalent as a percentage: 100 is full time" },
    FieldSpec { name: "hours", kinds: &[H, G, E], required: false, meaning: "contracted weekly hours; FTE = hours / standard_hours (or the row's standard_hours_column)" },
    FieldSpec { name: "reason_leave", kinds: &[H], required: false, meaning: "CSWW ReasonLeave 1-10 (map free text with [codes.reason_leave])" },
    FieldSpec { name: "leaver_destination", kinds: &[H], required: false, meaning: "CSWW LeaverDestination 1-9: where a leaver went (map with [codes.leaver_destination])" },
    FieldSpec { name: "agency", kinds: &[G], required: false, meaning: "the agency supplying the worker" },
    FieldSpec { name: "charge_rate", kinds: &[G], required: false, meaning: "charge to the authority per hour" },
    FieldSpec { name: "pay_rate", kinds: &[G], required: false, meaning: "pay to the worker per hour" },
    FieldSpec { name: "covering", kinds: &[G], required: false, meaning: "vacancy or over_establishment" },
    FieldSpec { name: "role_type", kinds: &[G], required: false, meaning: "DfE's role type: social_worker, senior_social_worker, advanced_practitioner, team_manager or iro (map the authority's titles with [codes.role_type]; by default from org_role)" },
    FieldSpec { name: "role_type", kinds: &[T], required: true, meaning: "the DfE role type the cap is for (map with [codes.role_type])" },
    FieldSpec { name: "project_team", kinds: &[G], required: false, meaning: "yes when the worker is part of a project team or packaged model" },
    FieldSpec { name: "notice_weeks", kinds: &[G], required: false, meaning: "the assignment's notice period in weeks" },
    FieldSpec { name: "signed_off_by", kinds: &[G], required: false, meaning: "who signed off pay above the price cap (the DCS or chief executive)" },
    FieldSpec { name: "la_experience_months", kinds: &[G], required: false, meaning: "months of local authority experience since qualifying, as the agency vetted them" },
    FieldSpec { name: "vacancy_ref", kinds: &[N], required: true, meaning: "the vacancy's own reference" },
    FieldSpec { name: "team", kinds: &[N], required: false, meaning: "the team the post is in" },
    FieldSpec { name: "role", kinds: &[N], required: false, meaning: "the post's title, as the authority words it" },
    FieldSpec { name: "route", kinds: &[N], required: false, meaning: "the hire's route: experienced, newly_qualified, international, step_up, frontline, apprenticeship or agency_conversion (map with [codes.route])" },
    FieldSpec { name: "advert_date", kinds: &[N], required: true, meaning: "the day the vacancy was advertised" },
    FieldSpec { name: "applications", kinds: &[N], required: false, meaning: "applications received" },
    FieldSpec { name: "shortlisted", kinds: &[N], required: false, meaning: "candidates shortlisted" },
    FieldSpec { name: "interviewed", kinds: &[N], required: false, meaning: "candidates interviewed" },
    FieldSpec { name: "offered", kinds: &[N], required: false, meaning: "offers made" },
    FieldSpec { name: "accepted", kinds: &[N], required: false, meaning: "offers accepted" },
    FieldSpec { name: "offer_date", kinds: &[N], required: false, meaning: "the day the (accepted) offer was made" },
    FieldSpec { name: "start_date", kinds: &[N], required: false, meaning: "the hire's first day" },
    FieldSpec { name: "withdrawn_date", kinds: &[N], required: false, meaning: "the day the vacancy's recruitment fell through (the candidate or the post withdrawn)" },
    FieldSpec { name: "withdrawn_reason", kinds: &[N], required: false, meaning: "why, in the system's words" },
    FieldSpec { name: "closed_date", kinds: &[N], required: false, meaning: "the day the vacancy closed unfilled" },
    FieldSpec { name: "cost", kinds: &[N], required: false, meaning: "what the recruitment cost, in pounds (adverts, fees, relocation, visas)" },
    FieldSpec { name: "campaign", kinds: &[N], required: false, meaning: "the campaign or cohort, as an international recruitment is" },
    FieldSpec { name: "scheme", kinds: &[P], required: true, meaning: "the incentive or market-supplement scheme" },
    FieldSpec { name: "amount", kinds: &[P], required: true, meaning: "the payment, in pounds" },
    FieldSpec { name: "paid_date", kinds: &[P], required: true, meaning: "the day it was paid" },
    FieldSpec { name: "clawback_months", kinds: &[P], required: false, meaning: "months after payment within which leaving means paying it back (empty or 0: no clawback)" },
    FieldSpec { name: "taper", kinds: &[P], required: false, meaning: "none (the whole payment is owed back) or monthly (the share of the months not served); map with [codes.taper]" },
    FieldSpec { name: "region", kinds: &[T], required: false, meaning: "the region the cap applies in (empty or not given: every region)" },
    FieldSpec { name: "cap", kinds: &[T], required: true, meaning: "the most an hour, in pounds (pay with employer NICs and holiday pay)" },
    FieldSpec { name: "swe_no", kinds: &[W], required: true, meaning: "Social Work England registration number" },
    FieldSpec { name: "leaving_date", kinds: &[W], required: true, meaning: "the last day in the permanent post" },
    FieldSpec { name: "employer", kinds: &[W], required: false, meaning: "the authority the person left" },
    FieldSpec { name: "date", kinds: &[C, S, D, X, V], required: true, meaning: "date of the caseload snapshot, supervision session, piece of CPD, leaving (exit interviews) or survey answer" },
    FieldSpec { name: "cases", kinds: &[C], required: true, meaning: "cases (children) held, a whole number" },
    FieldSpec { name: "weight", kinds: &[C], required: false, meaning: "complexity-weighted caseload, as the system gives it" },
    FieldSpec { name: "reason", kinds: &[A], required: true, meaning: "CSWW ReasonAbsence: SIC, MAT (maternity, paternity, adoption or shared parental), OTH, PUB, TRN, UNA, UNP; or Sightline's SEC (seconded out) and SUS (suspended), for capacity" },
    FieldSpec { name: "days_lost", kinds: &[A], required: false, meaning: "working days lost in the episode as the system records it" },
    FieldSpec { name: "programme", kinds: &[Y], required: false, meaning: "asye or ecdp (asye when the export has no column; map with [codes.programme])" },
    FieldSpec { name: "review_3m_date", kinds: &[Y], required: false, meaning: "the day the 3-month review was held" },
    FieldSpec { name: "review_6m_date", kinds: &[Y], required: false, meaning: "the day the 6-month review was held" },
    FieldSpec { name: "review_9m_date", kinds: &[Y], required: false, meaning: "the day the optional 9-month review was held" },
    FieldSpec { name: "final_review_date", kinds: &[Y], required: false, meaning: "the day the final review was held" },
    FieldSpec { name: "panel_date", kinds: &[Y], required: false, meaning: "the day the moderation panel met" },
    FieldSpec { name: "outcome_date", kinds: &[Y], required: false, meaning: "the day the outcome took effect (the panel's date, else the final review's, when empty)" },
    FieldSpec { name: "protected_cases", kinds: &[Y], required: false, meaning: "the protected caseload agreed: the most cases the worker should hold" },
    FieldSpec { name: "supervisor", kinds: &[S], required: false, meaning: "who supervised" },
    FieldSpec { name: "length_hours", kinds: &[S], required: false, meaning: "the session's length in hours (or give length_minutes)" },
    FieldSpec { name: "length_minutes", kinds: &[S], required: false, meaning: "the session's length in minutes" },
    FieldSpec { name: "supervision_type", kinds: &[S], required: false, meaning: "formal, reflective, group or professional (formal when the export has no column; map with [codes.supervision_type])" },
    FieldSpec { name: "cancelled", kinds: &[S], required: false, meaning: "yes when the session was cancelled or moved (did not take place that day); empty is no" },
    FieldSpec { name: "title", kinds: &[D], required: true, meaning: "what the CPD or training was" },
    FieldSpec { name: "cpd_type", kinds: &[D], required: false, meaning: "its kind, as the system words it (course, reading, shadowing...)" },
    FieldSpec { name: "days", kinds: &[D], required: false, meaning: "its length in days (or give cpd_hours)" },
    FieldSpec { name: "cpd_hours", kinds: &[D], required: false, meaning: "its length in hours (days = hours / 7.4)" },
    FieldSpec { name: "peer_reflection", kinds: &[D], required: false, meaning: "yes when reflected on with a peer (Social Work England asks for one piece a year); empty is no" },
    FieldSpec { name: "registration_status", kinds: &[R], required: false, meaning: "registered, suspended, removed or lapsed (registered when the export has no column; map with [codes.registration_status])" },
    FieldSpec { name: "conditions", kinds: &[R], required: false, meaning: "conditions of practice on the registration, as text; empty when none" },
    FieldSpec { name: "exit_reason", kinds: &[X], required: false, meaning: "the reasons for leaving, as the authority words them (several in one cell separated by ; or |), mapped with [codes.exit_reason]" },
    FieldSpec { name: "exit_reason_2", kinds: &[X], required: false, meaning: "a second reason's column, mapped by [codes.exit_reason] too" },
    FieldSpec { name: "exit_reason_3", kinds: &[X], required: false, meaning: "a third reason's column" },
    FieldSpec { name: "comments", kinds: &[X], required: false, meaning: "what the leaver said, in their words (never shown to members)" },
    FieldSpec { name: "would_return", kinds: &[X], required: false, meaning: "yes or no: would they come back" },
    FieldSpec { name: "respondent", kinds: &[V], required: false, meaning: "the respondent's own anonymous reference, to count respondents" },
    FieldSpec { name: "wave", kinds: &[V], required: false, meaning: "the survey round (by default the answer's month, YYYY-MM)" },
    FieldSpec { name: "question", kinds: &[V], required: true, meaning: "the question, as the survey words it (or its number)" },
    FieldSpec { name: "answer", kinds: &[V], required: true, meaning: "the answer: a number on the survey's scale, or words mapped to one with [codes.answer]" },
    FieldSpec { name: "er_type", kinds: &[Q], required: true, meaning: "capability, conduct, grievance, sickness_absence, probation or whistleblowing (map with [codes.er_type])" },
    FieldSpec { name: "stage", kinds: &[Q], required: false, meaning: "the case's stage, as the system words it" },
    FieldSpec { name: "outcome", kinds: &[Y, Q], required: false, meaning: "ASYE: pass, fail, extended or withdrawn; ER: the outcome as the system words it" },
    FieldSpec { name: "level", kinds: &[L], required: true, meaning: "the career level: newly_qualified, social_worker, senior, advanced or manager (map the authority's grades with [codes.level])" },
];

/// Fields whose values may be mapped through `[codes.FIELD]`.
pub const CODED_FIELDS: &[&str] = &[
    "contract",
    "org_role",
    "reason_leave",
    "leaver_destination",
    "gender",
    "ethnicity",
    "covering",
    "reason",
    "programme",
    "outcome",
    "supervision_type",
    "cancelled",
    "peer_reflection",
    "registration_status",
    "level",
    "exit_reason",
    "would_return",
    "answer",
    "er_type",
    "role_type",
    "project_team",
    "staff_group",
    "route",
    "taper",
];

/// A yes or no as exports write it: yes, y, true, 1 (and, for a session,
/// cancelled or rescheduled); no, n, false, 0 (held, attended).
pub fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "cancelled" | "canceled" | "rescheduled" | "moved" => Some(true),
        "no" | "n" | "false" | "0" | "held" | "attended" | "" => Some(false),
        _ => None,
    }
}

fn default_hours() -> f64 {
    37.0
}

/// A source profile, as read from its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The source an import with this profile belongs to, unless `--source` says otherwise.
    pub source: Option<String>,
    pub description: Option<String>,
    pub kind: ExportKind,
    /// The sheet to read in a spreadsheet (the first when not given).
    pub sheet: Option<String>,
    /// The line (CSV) or row (spreadsheet) the headings are on; by default
    /// the first line holding every column the profile names.
    pub header_row: Option<u64>,
    /// What separates a CSV file's fields: `,`, `;`, `tab` or `|`; by
    /// default found from the file.
    pub delimiter: Option<String>,
    /// The column holding each row's full-time weekly hours, where posts
    /// differ (FTE = hours / that column); else `standard_hours`.
    pub standard_hours_column: Option<String>,
    #[serde(default)]
    pub date_format: DateFormat,
    /// Weekly hours of a full-time post: FTE = contracted hours / this.
    #[serde(default = "default_hours")]
    pub standard_hours: f64,
    #[serde(default)]
    pub mode: Mode,
    /// The source whose identifiers the `xref` column holds.
    pub xref_source: Option<String>,
    /// Field name -> the export's column header.
    pub columns: BTreeMap<String, String>,
    /// Field name -> canonical value -> the export's values (`*` matches any text).
    #[serde(default)]
    pub codes: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Field name -> value used when the export has no such column.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// A survey export's definition: its scale and which questions make each theme.
    pub survey: Option<SurveyDefinition>,
}

/// How a survey's answers are scored: its scale (an answer at the lowest
/// scores 0, at the highest 100) and its themes, each a list of questions
/// (`*` matches any text; case and repeated spaces ignored).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// The lowest and highest answers, as in `scale = [1, 5]`.
    pub scale: [f64; 2],
    #[serde(default)]
    pub themes: BTreeMap<String, Vec<String>>,
}

impl SurveyDefinition {
    /// The theme a question belongs to: an exact match first, then the longest pattern.
    pub fn theme_of(&self, question: &str) -> Option<String> {
        let wanted = normalise(question);
        let mut best: Option<(usize, &String)> = None;
        for (theme, patterns) in &self.themes {
            for pattern in patterns {
                let p = normalise(pattern);
                if !p.contains('*') {
                    if p == wanted {
                        return Some(theme.clone());
                    }
                } else if glob(&p, &wanted) {
                    let specific = p.chars().filter(|c| *c != '*').count();
                    if best.is_none_or(|(s, _)| specific > s) {
                        best = Some((specific, theme));
                    }
                }
            }
        }
        best.map(|(_, t)| t.clone())
    }
}

/// The profiles Sightline ships for common shapes of export (name, TOML);
/// `crates/ingest/profiles/` holds them, with an example export of each.
pub const SHIPPED: &[(&str, &str)] = &[
    ("hr-assignments", include_str!("../profiles/hr-assignments.toml")),
    ("hr-staff-list", include_str!("../profiles/hr-staff-list.toml")),
    ("agency-msp", include_str!("../profiles/agency-msp.toml")),
    ("agency-assignments", include_str!("../profiles/agency-assignments.toml")),
    ("caseload-cms", include_str!("../profiles/caseload-cms.toml")),
    ("absence-episodes", include_str!("../profiles/absence-episodes.toml")),
    ("establishment-finance", include_str!("../profiles/establishment-finance.toml")),
    ("asye-tracker", include_str!("../profiles/asye-tracker.toml")),
    ("supervision-log", include_str!("../profiles/supervision-log.toml")),
    ("cpd-learning", include_str!("../profiles/cpd-learning.toml")),
    ("swe-register", include_str!("../profiles/swe-register.toml")),
    ("grades-hr", include_str!("../profiles/grades-hr.toml")),
    ("exit-interviews", include_str!("../profiles/exit-interviews.toml")),
    ("survey-pulse", include_str!("../profiles/survey-pulse.toml")),
    ("er-cases", include_str!("../profiles/er-cases.toml")),
    ("wider-workforce", include_str!("../profiles/wider-workforce.toml")),
    ("recruitment-ats", include_str!("../profiles/recruitment-ats.toml")),
    ("incentive-payments", include_str!("../profiles/incentive-payments.toml")),
    ("price-caps", include_str!("../profiles/price-caps.toml")),
    ("regional-leavers", include_str!("../profiles/regional-leavers.toml")),
];

/// The TOML of the shipped profile called `name`.
pub fn shipped(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// A profile that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError(pub String);

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Profile {
    /// Reads and checks a profile from TOML text.
    pub fn parse(text: &str) -> Result<Profile, ProfileError> {
        let profile: Profile = toml::from_str(text).map_err(|e| ProfileError(e.to_string()))?;
        profile.check()?;
        Ok(profile)
    }

    fn field_names(&self) -> Vec<&'static str> {
        FIELDS.iter().filter(|f| f.kinds.contains(&self.kind)).map(|f| f.name).collect()
    }

    /// The CSV separator the profile gives, if any.
    pub fn delimiter_byte(&self) -> Option<u8> {
        match self.delimiter.as_deref()? {
            "," => Some(b','),
            ";" => Some(b';'),
            "tab" | "\t" => Some(b'\t'),
            "|" => Some(b'|'),
            _ => None,
        }
    }

    /// The export's headings the profile names, to find the heading line by.
    pub fn headings(&self) -> Vec<&str> {
        self.columns.values().map(String::as_str).chain(self.standard_hours_column.as_deref()).collect()
    }

    fn has(&self, field: &str) -> bool {
        self.columns.contains_key(field) || self.defaults.contains_key(field)
    }

    fn check(&self) -> Result<(), ProfileError> {
        let kind = self.kind.as_str();
        let allowed = self.field_names();
        for field in self.columns.keys().chain(self.defaults.keys()) {
            if !allowed.contains(&field.as_str()) {
                return Err(ProfileError(format!(
                    "`{field}` is not a field of a `{kind}` export; the fields are: {}",
                    allowed.join(", ")
                )));
            }
        }
        for spec in FIELDS.iter().filter(|f| f.required && f.kinds.contains(&self.kind)) {
            if !self.has(spec.name) {
                return Err(ProfileError(format!(
                    "a `{kind}` profile needs `{}` ({}) under [columns], or under [defaults]",
                    spec.name, spec.meaning
                )));
            }
        }
        if matches!(self.kind, H | G) && !self.has("org_role") {
            return Err(ProfileError(format!("a `{kind}` profile needs `org_role` under [columns] or [defaults]")));
        }
        if matches!(self.kind, H | G | E) && !self.has("fte") && !self.has("fte_percent") && !self.has("hours") {
            return Err(ProfileError(format!(
                "a `{kind}` profile needs `fte`, `fte_percent` or `hours` under [columns] or [defaults]"
            )));
        }
        if self.standard_hours_column.is_some() && !self.has("hours") {
            return Err(ProfileError("`standard_hours_column` goes with `hours` under [columns]".into()));
        }
        if let Some(d) = &self.delimiter {
            if self.delimiter_byte().is_none() {
                return Err(ProfileError(format!("delimiter `{d}`: use `,`, `;`, `tab` or `|`")));
            }
        }
        if self.kind == V {
            match &self.survey {
                None => {
                    return Err(ProfileError(
                        "a `survey` profile needs a [survey] table with its scale, as in `scale = [1, 5]`".into(),
                    ))
                }
                Some(def) if !(def.scale[0].is_finite() && def.scale[1].is_finite() && def.scale[0] < def.scale[1]) => {
                    return Err(ProfileError("[survey] scale: the lowest answer must be below the highest".into()))
                }
                _ => {}
            }
        } else if self.survey.is_some() {
            return Err(ProfileError("[survey] belongs only in a `survey` profile".into()));
        }
        if self.kind == A && !self.has("end_date") {
            return Err(ProfileError("an `absence` profile needs `end_date` under [columns]".into()));
        }
        if self.columns.contains_key("xref") && self.xref_source.is_none() {
            return Err(ProfileError("`xref` is mapped, so `xref_source` must name the source it refers to".into()));
        }
        if !(self.standard_hours > 0.0 && self.standard_hours <= 80.0) {
            return Err(ProfileError(format!("standard_hours `{}` must be between 0 and 80", self.standard_hours)));
        }
        for (field, map) in &self.codes {
            if !CODED_FIELDS.contains(&field.as_str()) {
                return Err(ProfileError(format!(
                    "[codes.{field}]: `{field}` has no code list; codes can be mapped for {}",
                    CODED_FIELDS.join(", ")
                )));
            }
            for target in map.keys() {
                canonical_value(field, target)
                    .map_err(|rule| ProfileError(format!("[codes.{field}] `{target}`: {rule}")))?;
            }
        }
        for (field, value) in &self.defaults {
            if CODED_FIELDS.contains(&field.as_str()) {
                canonical_value(field, value).map_err(|rule| ProfileError(format!("[defaults] {field}: {rule}")))?;
            }
        }
        Ok(())
    }

    /// The canonical value for an export's `value` of `field`: through
    /// `[codes.field]` when the profile has one (exact matches first, then
    /// patterns with `*`, the most specific first), else the value itself.
    pub fn map_code(&self, field: &str, value: &str) -> Result<String, String> {
        let Some(map) = self.codes.get(field) else {
            return Ok(value.to_string());
        };
        let wanted = normalise(value);
        let mut best: Option<(usize, &String)> = None;
        for (target, patterns) in map {
            for pattern in patterns {
                let p = normalise(pattern);
                if !p.contains('*') {
                    if p == wanted {
                        return Ok(target.clone());
                    }
                } else if glob(&p, &wanted) {
                    let specific = p.chars().filter(|c| *c != '*').count();
                    if best.is_none_or(|(s, _)| specific > s) {
                        best = Some((specific, target));
                    }
                }
            }
        }
        best.map(|(_, t)| t.clone())
            .ok_or_else(|| format!("`{value}` is not mapped in the profile's [codes.{field}]; add it there"))
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// Checks a canonical value of a coded field, as the canonical format has it.
fn canonical_value(field: &str, value: &str) -> Result<(), String> {
    let ok = match field {
        "contract" => matches!(SpellKind::parse(value), Some(k) if k.is_employed()),
        "org_role" => value.parse::<u8>().ok().and_then(OrgRole::from_code).is_some(),
        "reason_leave" => value.parse::<u8>().ok().and_then(ReasonLeave::from_code).is_some(),
        "leaver_destination" => {
            value.parse::<u8>().ok().and_then(sightline_core::LeaverDestination::from_code).is_some()
        }
        "gender" => value.parse::<u8>().ok().and_then(Gender::from_code).is_some(),
        "ethnicity" => sightline_core::codes::ETHNICITY_CODES.contains(&value),
        "covering" => Covering::parse(value).is_some(),
        "reason" => AbsenceReason::from_code(value).is_some(),
        "programme" => dev::Programme::parse(value).is_some(),
        "outcome" => value == "none" || dev::Outcome::parse(value).is_some(),
        "supervision_type" => dev::SupervisionKind::parse(value).is_some(),
        "cancelled" | "peer_reflection" => yes_no(value).is_some(),
        "registration_status" => dev::RegistrationStatus::parse(value).is_some(),
        "level" => dev::Level::parse(value).is_some(),
        "exit_reason" => sightline_core::voice::ExitReason::parse(value).is_some(),
        "would_return" => value == "none" || yes_no(value).is_some(),
        "answer" => value == "none" || value.trim().parse::<f64>().is_ok_and(f64::is_finite),
        "er_type" => sightline_core::voice::ErKind::parse(value).is_some(),
        "role_type" => sightline_core::agency_rules::RoleType::parse(value).is_some(),
        "project_team" => yes_no(value).is_some(),
        "route" => sightline_core::recruitment::Route::parse(value).is_some(),
        "taper" => matches!(value, "none" | "monthly"),
        "staff_group" => {
            !value.is_empty() && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }
        _ => true,
    };
    if ok {
        return Ok(());
    }
    Err(match field {
        "contract" => "use permanent or fixed_term".into(),
        "org_role" => "use a CSWW OrgRole code, 1 to 6".into(),
        "reason_leave" => "use a CSWW ReasonLeave code, 1 to 10".into(),
        "leaver_destination" => "use a CSWW LeaverDestination code, 1 to 9".into(),
        "gender" => "use a CSWW GenderCurrent code: 0, 1, 2 or 9".into(),
        "ethnicity" => "use a CSWW ethnicity code such as WBRI".into(),
        "covering" => "use vacancy or over_establishment".into(),
        "programme" => "use asye or ecdp".into(),
        "outcome" => "use pass, fail, extended or withdrawn (or none: still in the programme)".into(),
        "supervision_type" => "use formal, reflective, group or professional".into(),
        "cancelled" | "peer_reflection" => "use yes or no".into(),
        "registration_status" => "use registered, suspended, removed or lapsed".into(),
        "level" => "use newly_qualified, social_worker, senior, advanced or manager".into(),
        "exit_reason" => "use workload, caseload, pay, management, culture, not_valued, progression, travel, personal, retirement, move_to_agency or other".into(),
        "would_return" => "use yes or no (or none: not said)".into(),
        "answer" => "use a number on the survey's scale (or none: not answered)".into(),
        "er_type" => "use capability, conduct, grievance, sickness_absence, probation or whistleblowing".into(),
        "role_type" => "use social_worker, senior_social_worker, advanced_practitioner, team_manager or iro".into(),
        "project_team" => "use yes or no".into(),
        "route" => "use experienced, newly_qualified, international, step_up, frontline, apprenticeship or agency_conversion".into(),
        "taper" => "use none or monthly".into(),
        "staff_group" => "use social_worker or a group's name in lower case with underscores, such as family_support_worker".into(),
        _ => "use a CSWW ReasonAbsence code (SIC, MAT, OTH, PUB, TRN, UNA or UNP), or SEC (seconded out) or SUS (suspended)".into(),
    })
}

/// One row of an export, with the profile to read it by.
struct ExportRow<'a> {
    sheet: &'a Sheet,
    profile: &'a Profile,
    columns: &'a HashMap<&'a str, usize>,
    line: u64,
    cells: &'a [Cell],
}

impl ExportRow<'_> {
    /// A totals or footer line, not a record: its first filled cell says
    /// "Total" (or "Grand total", "End of report", "Report run..."), or it
    /// has no identifier and fills fewer than half the profile's columns.
    fn is_footer(&self) -> bool {
        let first = self.cells.iter().find(|c| !c.is_empty()).map(|c| c.text().to_lowercase()).unwrap_or_default();
        if ["total", "grand total", "totals", "end of report", "report run", "subtotal", "sub-total"]
            .iter()
            .any(|w| first == *w || first.starts_with(&format!("{w} ")) || first.starts_with(&format!("{w}:")))
        {
            return true;
        }
        // What names a record: its team (establishment); its person; or, for a
        // row that may be anonymous (exit interviews, survey answers), its date
        // too; a vacancy's reference, a cap's region, a listed leaver's SWE number.
        let keys: &[&str] = match self.profile.kind {
            E => &["team"],
            X | V => &["person_id", "date"],
            N => &["vacancy_ref"],
            T => &["role_type", "cap"],
            W => &["swe_no"],
            _ => &["person_id"],
        };
        let filled = self.columns.values().filter(|i| self.cells.get(**i).is_some_and(|c| !c.is_empty())).count();
        keys.iter().all(|k| self.cell(k).is_none()) && filled * 2 < self.columns.len()
    }

    fn problem(&self, field: &str, value: &str, rule: impl Into<String>) -> RowProblem {
        let column = self.profile.columns.get(field).cloned().unwrap_or_else(|| field.to_string());
        RowProblem {
            file: self.sheet.name.clone(),
            line: self.line,
            column,
            value: value.to_string(),
            rule: rule.into(),
        }
    }

    fn cell(&self, field: &str) -> Option<&Cell> {
        self.columns.get(field).and_then(|i| self.cells.get(*i)).filter(|c| !c.is_empty())
    }

    /// The field's text: the cell, else the profile's default; None when neither.
    /// Every column the profile reads holds text Sightline can take: no
    /// control character, none longer than 1,000 characters.
    fn fit_text(&self) -> Result<(), RowProblem> {
        for (field, i) in self.columns {
            if let Some(Cell::Text(t)) = self.cells.get(*i) {
                if let Some(rule) = crate::read::unfit_text(t.trim()) {
                    return Err(self.problem(field, &crate::read::shown(t.trim()), rule));
                }
            }
        }
        Ok(())
    }

    fn text(&self, field: &str) -> Option<String> {
        match self.cell(field) {
            Some(c) => Some(c.text()),
            None => self.profile.defaults.get(field).cloned(),
        }
    }

    fn required(&self, field: &str) -> Result<String, RowProblem> {
        self.text(field).ok_or_else(|| self.problem(field, "", "required, but empty"))
    }

    fn coded(&self, field: &str) -> Result<Option<String>, RowProblem> {
        let Some(value) = self.text(field) else {
            return Ok(None);
        };
        let mapped = self.profile.map_code(field, &value).map_err(|rule| self.problem(field, &value, rule))?;
        canonical_value(field, &mapped).map_err(|rule| self.problem(field, &value, rule))?;
        Ok(Some(mapped))
    }

    /// The field's value as the file writes it, for a problem to quote.
    fn written(&self, field: &str) -> String {
        self.text(field).unwrap_or_default()
    }

    fn date(&self, field: &str) -> Result<Option<NaiveDate>, RowProblem> {
        let cell = match self.cell(field) {
            Some(c) => c.clone(),
            None => match self.profile.defaults.get(field) {
                Some(d) => Cell::Text(d.clone()),
                None => return Ok(None),
            },
        };
        let parsed = match (&cell, self.profile.date_format) {
            (Cell::Date(d), _) => Some(*d),
            (Cell::Number(n), _) => excel_serial_date(*n),
            (Cell::Text(t), DateFormat::Excel) => t.trim().parse::<f64>().ok().and_then(excel_serial_date),
            (Cell::Text(t), DateFormat::Iso) => parse_iso(t),
            (Cell::Text(t), DateFormat::Uk) => parse_uk(t),
            (Cell::Empty, _) => None,
        };
        let expected = match self.profile.date_format {
            DateFormat::Iso => "a date written YYYY-MM-DD",
            DateFormat::Uk => "a date written DD/MM/YYYY",
            DateFormat::Excel => "an Excel serial date number",
        };
        parsed.map(Some).ok_or_else(|| {
            self.problem(field, &cell.text(), format!("not {expected} (the profile's date_format), or no such day"))
        })
    }

    fn number(&self, field: &str) -> Result<Option<f64>, RowProblem> {
        let Some(text) = self.text(field) else {
            return Ok(None);
        };
        let cleaned: String = text.chars().filter(|c| !matches!(c, '£' | ',' | ' ')).collect();
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(self.problem(field, &text, "not a number")),
        }
    }

    /// The FTE as the export gives it: `fte`, `fte_percent` (100 is full
    /// time), or `hours` over the row's full-time hours (its
    /// `standard_hours_column`, else the profile's `standard_hours`); with
    /// the field it came from. Hours above 60 a week are named, not read.
    fn given_fte(&self) -> Result<Option<(&'static str, f64)>, RowProblem> {
        if let Some(f) = self.number("fte")? {
            return Ok(Some(("fte", f)));
        }
        if let Some(p) = self.number("fte_percent")? {
            return Ok(Some(("fte_percent", p / 100.0)));
        }
        let Some(hours) = self.number("hours")? else {
            return Ok(None);
        };
        if hours > MAX_WEEKLY_HOURS {
            let raw = self.text("hours").unwrap_or_default();
            return Err(self.problem("hours", &raw, format!("more than {MAX_WEEKLY_HOURS} hours a week")));
        }
        let standard = match &self.profile.standard_hours_column {
            None => self.profile.standard_hours,
            Some(column) => {
                let cell = self.sheet.column(column).and_then(|i| self.cells.get(i)).filter(|c| !c.is_empty());
                let text = cell.map(Cell::text).unwrap_or_default();
                let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                match cleaned.parse::<f64>() {
                    Ok(h) if h > 0.0 && h <= MAX_WEEKLY_HOURS => h,
                    _ => {
                        let problem = RowProblem {
                            file: self.sheet.name.clone(),
                            line: self.line,
                            column: column.clone(),
                            value: text,
                            rule: format!("full-time weekly hours must be more than 0 and at most {MAX_WEEKLY_HOURS}"),
                        };
                        return Err(problem);
                    }
                }
            }
        };
        Ok(Some(("hours", hours / standard)))
    }

    /// The field an FTE is looked for in, for a problem with none.
    fn fte_field(&self) -> &'static str {
        ["fte", "fte_percent", "hours"].into_iter().find(|f| self.profile.has(f)).unwrap_or("fte")
    }

    /// Funded FTE of an establishment row: more than 0, any size.
    fn funded_fte(&self) -> Result<f64, RowProblem> {
        let (field, fte) = self.given_fte()?.unwrap_or((self.fte_field(), 0.0));
        if fte > 0.0 {
            return Ok(fte);
        }
        Err(self.problem(field, &self.text(field).unwrap_or_default(), "funded FTE must be greater than 0"))
    }

    /// A post's FTE: more than 0 and at most 1, as the export gives it.
    fn fte(&self) -> Result<f64, RowProblem> {
        let Some((field, fte)) = self.given_fte()? else {
            return Err(self.problem(self.fte_field(), "", "required, but empty"));
        };
        if !(fte > 0.0 && fte <= 1.0 + 1e-9) {
            let raw = self.text(field).unwrap_or_default();
            let rule = match field {
                "hours" => "contracted hours must be more than 0 and at most the full-time hours".to_string(),
                "fte_percent" => "FTE % must be greater than 0 and at most 100".to_string(),
                _ => "FTE must be greater than 0 and at most 1".to_string(),
            };
            return Err(self.problem(field, &raw, rule));
        }
        Ok(fte.min(1.0))
    }
}

/// Contracted hours a week beyond which a row is not believed.
const MAX_WEEKLY_HOURS: f64 = 60.0;

pub(crate) fn parse_iso(text: &str) -> Option<NaiveDate> {
    let date = text.trim().split([' ', 'T']).next()?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

pub(crate) fn parse_uk(text: &str) -> Option<NaiveDate> {
    let date = text.trim().split(' ').next()?;
    let mut parts = date.split(['/', '-', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Splits a whole name into (given, family): `Smith, Jane` or `Jane Smith`.
fn split_name(full: &str) -> (Option<String>, Option<String>) {
    if let Some((family, given)) = full.split_once(',') {
        return (Some(given.trim().to_string()), Some(family.trim().to_string()));
    }
    match full.trim().rsplit_once(' ') {
        Some((given, family)) => (Some(given.trim().to_string()), Some(family.trim().to_string())),
        None => (None, Some(full.trim().to_string())),
    }
}

/// The facts of an export read with its profile. Every row that breaks a
/// rule is reported with its line, column, value and rule; strictly, any
/// such row stops the read.
pub fn read_export(sheet: &Sheet, profile: &Profile, strictness: Strictness) -> Result<SourceData, ReadError> {
    let headed;
    let sheet = if sheet.column_set(&profile.headings()) && profile.header_row.is_none() {
        sheet
    } else {
        headed = sheet.clone().headed(&profile.headings(), profile.header_row)?;
        &headed
    };
    let mut columns: HashMap<&str, usize> = HashMap::new();
    for (field, header) in &profile.columns {
        let i = sheet.column(header).ok_or_else(|| ReadError::ExportColumn {
            file: sheet.name.clone(),
            column: header.clone(),
            field: field.clone(),
            found: sheet.header.join(", "),
        })?;
        columns.insert(field.as_str(), i);
    }
    let mut reader = ExportReader::default();
    let mut footers = 0;
    for (line, cells) in &sheet.rows {
        let row = ExportRow { sheet, profile, columns: &columns, line: *line, cells };
        if row.is_footer() {
            footers += 1;
            continue;
        }
        if let Err(problem) = row.fit_text().and_then(|()| reader.read_row(&row)) {
            reader.problems.push(problem);
        }
    }
    if strictness == Strictness::Strict && !reader.problems.is_empty() {
        return Err(ReadError::InvalidRows(reader.problems));
    }
    let mut details = reader.details;
    let workforce = reader.builder.build();
    details.resize(workforce.persons().len(), PersonDetails::default());
    Ok(SourceData {
        workforce,
        details,
        agency_terms: reader.agency_terms,
        post_refs: reader.post_refs,
        staff_groups: reader.staff_groups,
        funded_groups: reader.funded_groups,
        directorates: reader.directorates.into_iter().collect(),
        caseload_weights: reader.weights,
        development: reader.development,
        voice: reader.voice,
        recruitment: reader.recruitment,
        skipped: reader.problems,
        rows_read: sheet.rows.len() - footers,
        mode: profile.mode,
    })
}

#[derive(Default)]
struct ExportReader {
    builder: WorkforceBuilder,
    details: Vec<PersonDetails>,
    ids: HashMap<String, PersonIdx>,
    /// The line each person was first seen on.
    first_seen: HashMap<PersonIdx, u64>,
    /// Posts (or absences) by person, start and what makes a post one: a
    /// second row of one person starting on one day is another post when it
    /// differs in team, role, contract or FTE, and a repeat when it does not.
    starts: HashMap<(PersonIdx, NaiveDate, String), u64>,
    agency_terms: Vec<AgencyTerms>,
    post_refs: Vec<PostRef>,
    weights: Vec<(PersonIdx, NaiveDate, f64)>,
    development: dev::DevelopmentRecords,
    recruitment: RecruitmentRecords,
    staff_groups: Vec<(sightline_core::source::PostKey, String)>,
    funded_groups: Vec<(sightline_core::source::FundedKey, String)>,
    /// Team name -> directorate (the last row's).
    directorates: BTreeMap<String, String>,
    voice: voice::VoiceRecords,
    problems: Vec<RowProblem>,
}

impl ExportReader {
    fn add_voice(&mut self, person: Option<PersonIdx>, record: VoiceRecord) {
        match record {
            VoiceRecord::Unanswered => {}
            VoiceRecord::Exit(e) => self.voice.exits.push(voice::ExitInterview { person, ..e }),
            VoiceRecord::Answer(a) => self.voice.answers.push(voice::SurveyAnswer { person, ..a }),
            VoiceRecord::Er(c) => {
                if let Some(person) = person {
                    self.voice.er_cases.push(voice::ErCase { person, ..c });
                }
            }
        }
    }

    fn read_row(&mut self, row: &ExportRow<'_>) -> Result<(), RowProblem> {
        if row.profile.kind == E {
            return self.read_post(row);
        }
        if row.profile.kind.is_impersonal() {
            return self.read_record(row);
        }
        if matches!(row.profile.kind, X | V) && row.text("person_id").is_none() {
            // Anonymous: the record alone, with its team.
            let Fact::Voice(record) = self.read_fact(row)? else { return Ok(()) };
            self.add_voice(None, record);
            return Ok(());
        }
        let id = row.required("person_id")?;
        let swe_no = row.text("swe_no").map(|s| s.to_ascii_uppercase());
        if let Some(swe) = &swe_no {
            if !crate::canonical::is_swe_number(swe) {
                return Err(row.problem("swe_no", swe, "not a Social Work England number (2 letters, then digits)"));
            }
        }
        let birth_date = row.date("birth_date")?;
        let qualification_date = row.date("qualification_date")?;
        let gender = row.coded("gender")?.and_then(|g| g.parse::<u8>().ok()).and_then(Gender::from_code);
        let ethnicity = row.coded("ethnicity")?;
        let (mut given, mut family) = (row.text("given_name"), row.text("family_name"));
        if given.is_none() && family.is_none() {
            if let Some(full) = row.text("full_name") {
                (given, family) = split_name(&full);
            }
        }
        // A development export may name people by another source's
        // identifiers (the HR employee number): `xref_source` with no
        // `xref` column reads `person_id` as that source's identifier.
        let xref_id = row
            .text("xref")
            .or_else(|| (row.profile.kind.is_development() && !row.profile.has("xref")).then(|| id.clone()));
        let xref = xref_id.zip(row.profile.xref_source.clone()).map(|(id, source)| (source, id));
        // The facts first, so that a bad row leaves no trace.
        let fact = self.read_fact(row)?;
        if let Some(&person) = self.ids.get(&id) {
            let line = self.first_seen[&person];
            let known = self.builder.person_mut(person);
            if let (Some(a), Some(b)) = (&known.swe_no, &swe_no) {
                if a != b {
                    return Err(row.problem("swe_no", b, format!("person `{id}` has SWE number `{a}` on line {line}")));
                }
            }
            if let (Some(a), Some(b)) = (known.birth_date, birth_date) {
                if a != b {
                    let rule = format!("person `{id}` was born on {a} on line {line}");
                    return Err(row.problem("birth_date", &row.written("birth_date"), rule));
                }
            }
            if let Some((start, post)) = fact.post() {
                if let Some(earlier) = self.starts.get(&(person, start, post)) {
                    let rule = match &fact {
                        Fact::Spell { reference: Some(r), .. } => {
                            format!("person `{id}` already has post `{r}` starting on this date, on line {earlier}")
                        }
                        Fact::Spell { .. } => format!(
                            "person `{id}` already has a post starting on this date in the same team and role at \
                             the same FTE, on line {earlier}"
                        ),
                        _ => format!("person `{id}` already has a row starting on this date, on line {earlier}"),
                    };
                    return Err(row.problem("start_date", &row.written("start_date"), rule));
                }
            }
        }
        let person = self.builder.person(&id);
        self.ids.insert(id, person);
        self.first_seen.entry(person).or_insert(row.line);
        if let Some((start, post)) = fact.post() {
            self.starts.insert((person, start, post), row.line);
        }
        if self.details.len() <= person.0 as usize {
            self.details.resize(person.0 as usize + 1, PersonDetails::default());
        }
        let known = self.builder.person_mut(person);
        known.swe_no = known.swe_no.take().or(swe_no);
        known.birth_date = known.birth_date.or(birth_date);
        known.qualification_date = known.qualification_date.or(qualification_date);
        known.gender = known.gender.or(gender);
        known.ethnicity = known.ethnicity.take().or(ethnicity);
        let details = &mut self.details[person.0 as usize];
        details.given_name = details.given_name.take().or(given);
        details.family_name = details.family_name.take().or(family);
        details.xref = details.xref.take().or(xref);
        self.add_fact(person, fact);
        Ok(())
    }

    /// A row about no one person: a vacancy, a price cap, a regional leaver.
    #[allow(clippy::expect_used)] // coded() has checked each coded value parses
    fn read_record(&mut self, row: &ExportRow<'_>) -> Result<(), RowProblem> {
        let r = &mut self.recruitment;
        match row.profile.kind {
            N => {
                let reference = row.required("vacancy_ref")?;
                let advertised = required_date(row, "advert_date")?;
                let count = |field: &str| -> Result<Option<u32>, RowProblem> {
                    match row.number(field)? {
                        None => Ok(None),
                        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 1e9 => Ok(Some(n as u32)),
                        Some(_) => {
                            Err(row.problem(field, &row.written(field), "a count must be a whole number, 0 or more"))
                        }
                    }
                };
                let after_advert = |field: &str| -> Result<Option<NaiveDate>, RowProblem> {
                    match row.date(field)? {
                        Some(d) if d < advertised => {
                            Err(row.problem(field, &row.written(field), "before the vacancy was advertised"))
                        }
                        d => Ok(d),
                    }
                };
                let offer_date = after_advert("offer_date")?;
                let start_date = after_advert("start_date")?;
                if let (Some(o), Some(st)) = (offer_date, start_date) {
                    if st < o {
                        return Err(row.problem("start_date", &row.written("start_date"), "before the offer was made"));
                    }
                }
                let cost = row.number("cost")?;
                if let Some(c) = cost.filter(|c| *c < 0.0) {
                    return Err(row.problem("cost", &c.to_string(), "a cost cannot be negative"));
                }
                let route = row.coded("route")?.map(|v| Route::parse(&v).expect("checked by coded()"));
                r.vacancies.push(Vacancy {
                    reference,
                    team: row.text("team"),
                    role: row.text("role"),
                    route,
                    advertised,
                    applications: count("applications")?,
                    shortlisted: count("shortlisted")?,
                    interviewed: count("interviewed")?,
                    offered: count("offered")?,
                    accepted: count("accepted")?,
                    offer_date,
                    start_date,
                    withdrawn: after_advert("withdrawn_date")?,
                    withdrawn_reason: row.text("withdrawn_reason"),
                    closed: after_advert("closed_date")?,
                    cost,
                    campaign: row.text("campaign"),
                });
            }
            T => {
                let region = row.text("region").unwrap_or_default();
                let role =
                    row.coded("role_type")?.ok_or_else(|| row.problem("role_type", "", "required, but empty"))?;
                let role_type = RoleType::parse(&role).expect("checked by coded()");
                let cap = row.number("cap")?.ok_or_else(|| row.problem("cap", "", "required, but empty"))?;
                if cap <= 0.0 {
                    return Err(row.problem("cap", &row.written("cap"), "a cap must be more than 0"));
                }
                let from = row.date("start_date")?.unwrap_or(sightline_core::agency_rules::CAPS_FROM);
                let to = row.date("end_date")?;
                if to.is_some_and(|t| t < from) {
                    return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
                }
                r.price_caps.push(PriceCap { region, role_type, cap, from, to });
            }
            W => {
                let swe_no = row.required("swe_no")?.to_ascii_uppercase();
                if !crate::canonical::is_swe_number(&swe_no) {
                    return Err(row.problem(
                        "swe_no",
                        &swe_no,
                        "not a Social Work England number (2 letters, then digits)",
                    ));
                }
                let left = required_date(row, "leaving_date")?;
                r.regional_leavers.push(RegionalLeaver { swe_no, left, employer: row.text("employer") });
            }
            _ => unreachable!("only impersonal kinds come here"),
        }
        Ok(())
    }

    fn read_post(&mut self, row: &ExportRow<'_>) -> Result<(), RowProblem> {
        let team = row.required("team")?;
        let fte = row.funded_fte()?;
        let start = row.date("start_date")?.ok_or_else(|| row.problem("start_date", "", "required, but empty"))?;
        let end = row.date("end_date")?;
        if end.is_some_and(|e| e < start) {
            return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
        }
        let org_role = row.coded("org_role")?.and_then(|r| r.parse::<u8>().ok()).and_then(OrgRole::from_code);
        let post_id = row.text("post_id");
        let group = row.coded("staff_group")?.filter(|g| g != SOCIAL_WORKER);
        if let Some(d) = row.text("directorate") {
            self.directorates.insert(team.clone(), d);
        }
        let team = self.builder.team(&team);
        let e = Establishment { team, fte, start, end, post_id, org_role };
        if let Some(g) = group {
            self.funded_groups.push((funded_key(&e), g));
        }
        self.builder.add_establishment(e);
        Ok(())
    }

    #[allow(clippy::expect_used)] // coded() has checked the value is an OrgRole code
    fn read_fact(&self, row: &ExportRow<'_>) -> Result<Fact, RowProblem> {
        let profile = row.profile;
        Ok(match profile.kind {
            H | G => {
                let kind = match profile.kind {
                    H => SpellKind::parse(&row.coded("contract")?.unwrap_or_default()).unwrap_or(SpellKind::Permanent),
                    _ => SpellKind::Agency,
                };
                let team = row.required("team")?;
                let group = row.coded("staff_group")?.filter(|g| g != SOCIAL_WORKER);
                let coded_role =
                    if group.is_some() { row.coded("org_role").ok().flatten() } else { row.coded("org_role")? };
                let org_role = match coded_role {
                    Some(role) => role.parse::<u8>().ok().and_then(OrgRole::from_code).expect("checked by coded()"),
                    // Staff outside social work hold no CSWW role: their titles need no mapping.
                    None if group.is_some() => OrgRole::QualifiedWithoutCases,
                    None => return Err(row.problem("org_role", "", "required, but empty")),
                };
                let start =
                    row.date("start_date")?.ok_or_else(|| row.problem("start_date", "", "required, but empty"))?;
                let end = row.date("end_date")?;
                if end.is_some_and(|e| e < start) {
                    return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
                }
                let fte = row.fte()?;
                let reason_leave = if kind.is_employed() {
                    row.coded("reason_leave")?.and_then(|r| r.parse::<u8>().ok()).and_then(ReasonLeave::from_code)
                } else {
                    None
                };
                let leaver_destination = if kind.is_employed() {
                    row.coded("leaver_destination")?
                        .and_then(|r| r.parse::<u8>().ok())
                        .and_then(sightline_core::LeaverDestination::from_code)
                } else {
                    None
                };
                if reason_leave.is_some() && end.is_none() {
                    let value = row.text("reason_leave").unwrap_or_default();
                    return Err(row.problem("reason_leave", &value, "a reason for leaving needs an end date"));
                }
                let terms = if kind == SpellKind::Agency {
                    let rate = |field: &str| -> Result<Option<f64>, RowProblem> {
                        match row.number(field)? {
                            Some(r) if r < 0.0 => Err(row.problem(field, &r.to_string(), "a rate cannot be negative")),
                            r => Ok(r),
                        }
                    };
                    let notice_weeks = row.number("notice_weeks")?;
                    if let Some(w) = notice_weeks.filter(|w| *w < 0.0) {
                        return Err(row.problem("notice_weeks", &w.to_string(), "a notice period cannot be negative"));
                    }
                    let la_experience_months = row.number("la_experience_months")?;
                    if let Some(m) = la_experience_months.filter(|m| *m < 0.0) {
                        return Err(row.problem(
                            "la_experience_months",
                            &m.to_string(),
                            "experience cannot be negative",
                        ));
                    }
                    Some(Terms {
                        agency: row.text("agency"),
                        charge_rate: rate("charge_rate")?,
                        pay_rate: rate("pay_rate")?,
                        covering: row.coded("covering")?.and_then(|c| Covering::parse(&c)),
                        role_type: row.coded("role_type")?.and_then(|r| RoleType::parse(&r)),
                        project_team: row.coded("project_team")?.and_then(|v| yes_no(&v)),
                        notice_weeks,
                        signed_off_by: row.text("signed_off_by"),
                        la_experience_months,
                    })
                } else {
                    None
                };
                let reference = row.text("post_id");
                Fact::Spell {
                    kind,
                    team,
                    org_role,
                    start,
                    end,
                    fte,
                    reason_leave,
                    leaver_destination,
                    terms,
                    reference,
                    group,
                    directorate: row.text("directorate"),
                }
            }
            C => {
                let date = row.date("date")?.ok_or_else(|| row.problem("date", "", "required, but empty"))?;
                let text = row.required("cases")?;
                let cases = text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 1e9)
                    .ok_or_else(|| row.problem("cases", &text, "cases must be a whole number, 0 or more"))?;
                let weight = row.number("weight")?;
                Fact::Caseload { date, cases: cases as u32, weight }
            }
            E => unreachable!("establishment rows are read by read_post"),
            Y | S | D | R | L => Fact::Development(read_development(row)?),
            X | V | Q => Fact::Voice(read_voice(row)?),
            P => Fact::Payment(read_payment(row)?),
            N | T | W => unreachable!("impersonal rows are read by read_record"),
            A => {
                let start =
                    row.date("start_date")?.ok_or_else(|| row.problem("start_date", "", "required, but empty"))?;
                let end = row.date("end_date")?.ok_or_else(|| row.problem("end_date", "", "required, but empty"))?;
                if end < start {
                    return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
                }
                let reason = row.coded("reason")?.and_then(|r| AbsenceReason::from_code(&r));
                let reason = reason.ok_or_else(|| row.problem("reason", "", "required, but empty"))?;
                let days_lost = row.number("days_lost")?;
                if days_lost.is_some_and(|d| d < 0.0) {
                    return Err(row.problem(
                        "days_lost",
                        &row.text("days_lost").unwrap_or_default(),
                        "days lost cannot be negative",
                    ));
                }
                Fact::Absence { start, end, reason, days_lost }
            }
        })
    }

    fn add_fact(&mut self, person: PersonIdx, fact: Fact) {
        match fact {
            Fact::Spell {
                kind,
                team,
                org_role,
                start,
                end,
                fte,
                reason_leave,
                leaver_destination,
                terms,
                reference,
                group,
                directorate,
            } => {
                if let Some(d) = directorate {
                    self.directorates.insert(team.clone(), d);
                }
                let team = self.builder.team(&team);
                if let Some(reference) = reference {
                    self.post_refs.push(PostRef { person, start, team, org_role, fte, end, reference });
                }
                let charge_rate = terms.as_ref().and_then(|t| t.charge_rate);
                if let Some(g) = group {
                    self.staff_groups.push(((person, start, team, org_role, fte.to_bits(), end), g));
                }
                let spell = Spell {
                    person,
                    kind,
                    team,
                    org_role,
                    start,
                    end,
                    fte,
                    reason_leave,
                    leaver_destination,
                    charge_rate,
                };
                self.builder.add_spell(spell);
                if let Some(t) = terms {
                    self.agency_terms.push(AgencyTerms {
                        person,
                        start,
                        agency: t.agency,
                        charge_rate: t.charge_rate,
                        pay_rate: t.pay_rate,
                        covering: t.covering,
                        reference: self
                            .post_refs
                            .last()
                            .filter(|r| r.person == person && r.start == start)
                            .map(|r| r.reference.clone()),
                        role_type: t.role_type,
                        project_team: t.project_team,
                        notice_weeks: t.notice_weeks,
                        signed_off_by: t.signed_off_by,
                        la_experience_months: t.la_experience_months,
                    });
                }
            }
            Fact::Caseload { date, cases, weight } => {
                self.builder.add_caseload(CaseloadSnapshot { person, date, cases });
                if let Some(w) = weight {
                    self.weights.push((person, date, w));
                }
            }
            Fact::Absence { start, end, reason, days_lost } => {
                self.builder.add_absence(Absence { person, start, end, reason, days_lost });
            }
            Fact::Voice(record) => self.add_voice(Some(person), record),
            Fact::Payment(p) => self.recruitment.payments.push(incentives::Payment { person, ..p }),
            Fact::Development(record) => {
                let r = &mut self.development;
                match record {
                    DevRecord::EarlyCareer(e) => r.early_careers.push(dev::EarlyCareer { person, ..e }),
                    DevRecord::Supervision(e) => r.supervision.push(dev::Supervision { person, ..e }),
                    DevRecord::Cpd(e) => r.cpd.push(dev::Cpd { person, ..e }),
                    DevRecord::Registration(e) => r.registrations.push(dev::Registration { person, ..e }),
                    DevRecord::Grade(e) => r.grades.push(dev::Grade { person, ..e }),
                }
            }
        }
    }
}

/// What an agency row says of the assignment's terms.
struct Terms {
    agency: Option<String>,
    charge_rate: Option<f64>,
    pay_rate: Option<f64>,
    covering: Option<Covering>,
    role_type: Option<RoleType>,
    project_team: Option<bool>,
    notice_weeks: Option<f64>,
    signed_off_by: Option<String>,
    la_experience_months: Option<f64>,
}

impl Fact {
    /// A spell's or absence's start, and what tells one post from another
    /// starting that day (team, role, contract and FTE; nothing for absences).
    fn post(&self) -> Option<(NaiveDate, String)> {
        match self {
            Fact::Spell { reference: Some(reference), start, .. } => Some((*start, format!("ref|{reference}"))),
            Fact::Spell { kind, team, org_role, start, fte, .. } => {
                Some((*start, format!("{}|{}|{}|{fte}", kind.as_str(), team, org_role.code())))
            }
            Fact::Absence { start, .. } => Some((*start, String::new())),
            Fact::Caseload { .. } => None,
            // One programme, registration line or level a person starts on one day.
            Fact::Development(DevRecord::EarlyCareer(e)) => {
                Some((e.start, format!("programme|{}", e.programme.as_str())))
            }
            Fact::Development(DevRecord::Registration(e)) => Some((e.from, "registration".to_string())),
            Fact::Development(DevRecord::Grade(e)) => Some((e.from, "level".to_string())),
            Fact::Development(_) | Fact::Voice(_) | Fact::Payment(_) => None,
        }
    }
}

enum Fact {
    Spell {
        kind: SpellKind,
        team: String,
        org_role: OrgRole,
        start: NaiveDate,
        end: Option<NaiveDate>,
        fte: f64,
        reason_leave: Option<ReasonLeave>,
        leaver_destination: Option<sightline_core::LeaverDestination>,
        terms: Option<Terms>,
        /// The post's own reference, where the export gives one.
        reference: Option<String>,
        /// The staff group, when not a social worker's.
        group: Option<String>,
        directorate: Option<String>,
    },
    Caseload {
        date: NaiveDate,
        cases: u32,
        weight: Option<f64>,
    },
    Absence {
        start: NaiveDate,
        end: NaiveDate,
        reason: AbsenceReason,
        days_lost: Option<f64>,
    },
    /// A development record, its person filled in when it is added.
    Development(DevRecord),
    /// A staff-voice record, likewise.
    Voice(VoiceRecord),
    /// An incentive payment, likewise.
    Payment(incentives::Payment),
}

enum VoiceRecord {
    /// A survey question not answered: read, and kept as nothing.
    Unanswered,
    Exit(voice::ExitInterview),
    Answer(voice::SurveyAnswer),
    Er(voice::ErCase),
}

/// A staff-voice export's row (exit interview, survey answer, ER case).
#[allow(clippy::expect_used)] // coded() has checked each coded value parses
fn read_voice(row: &ExportRow<'_>) -> Result<VoiceRecord, RowProblem> {
    Ok(match row.profile.kind {
        X => {
            let date = required_date(row, "date")?;
            let mut reasons = Vec::new();
            for field in ["exit_reason", "exit_reason_2", "exit_reason_3"] {
                let Some(cell) = row.text(field) else { continue };
                for part in cell.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
                    let mapped =
                        row.profile.map_code("exit_reason", part).map_err(|rule| row.problem(field, part, rule))?;
                    let reason = voice::ExitReason::parse(&mapped).ok_or_else(|| {
                        row.problem(field, part, canonical_value("exit_reason", &mapped).err().unwrap_or_default())
                    })?;
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
            let would_return = row.coded("would_return")?.filter(|v| v != "none").and_then(|v| yes_no(&v));
            VoiceRecord::Exit(voice::ExitInterview {
                person: None,
                team: row.text("team"),
                date,
                reasons,
                text: row.text("comments"),
                would_return,
            })
        }
        V => {
            let date = required_date(row, "date")?;
            let question = row.required("question")?;
            // A question left blank, or an answer mapped to none ("Don't know"), is no answer.
            let Some(answer_text) = row.text("answer") else { return Ok(VoiceRecord::Unanswered) };
            // A number is read as it is; words go through [codes.answer].
            let number = answer_text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
            let Some(answer) = number.or_else(|| {
                row.coded("answer").ok().flatten().filter(|a| a != "none").and_then(|a| a.trim().parse::<f64>().ok())
            }) else {
                // Unmapped words are a problem to name; words mapped to none are no answer.
                row.coded("answer")?;
                return Ok(VoiceRecord::Unanswered);
            };
            let def = row.profile.survey.as_ref().expect("checked: a survey profile has [survey]");
            let [low, high] = def.scale;
            if !(low..=high).contains(&answer) {
                return Err(row.problem(
                    "answer",
                    &answer_text,
                    format!("outside the survey's scale, {low} to {high}"),
                ));
            }
            VoiceRecord::Answer(voice::SurveyAnswer {
                person: None,
                respondent: row.text("respondent"),
                team: row.text("team"),
                date,
                wave: row.text("wave").unwrap_or_else(|| date.format("%Y-%m").to_string()),
                theme: def.theme_of(&question),
                question,
                answer,
                score: 100.0 * (answer - low) / (high - low),
            })
        }
        _ => {
            let opened = required_date(row, "start_date")?;
            let closed = row.date("end_date")?;
            if closed.is_some_and(|c| c < opened) {
                return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
            }
            let kind = row.coded("er_type")?.ok_or_else(|| row.problem("er_type", "", "required, but empty"))?;
            VoiceRecord::Er(voice::ErCase {
                person: SOMEONE,
                kind: voice::ErKind::parse(&kind).expect("checked by coded()"),
                opened,
                stage: row.text("stage"),
                closed,
                outcome: row.text("outcome"),
            })
        }
    })
}

enum DevRecord {
    EarlyCareer(dev::EarlyCareer),
    Supervision(dev::Supervision),
    Cpd(dev::Cpd),
    Registration(dev::Registration),
    Grade(dev::Grade),
}

/// The person a development record is read for before the reader knows them.
const SOMEONE: PersonIdx = PersonIdx(u32::MAX);

/// A whole number, 0 or more.
fn whole(row: &ExportRow<'_>, field: &str) -> Result<Option<u32>, RowProblem> {
    match row.number(field)? {
        None => Ok(None),
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 1e6 => Ok(Some(n as u32)),
        Some(_) => Err(row.problem(field, &row.written(field), "must be a whole number, 0 or more")),
    }
}

/// A length, more than 0 and at most `most`.
/// A length, 0 or more and at most `most` (in the field's unit); `h:mm`
/// is read as hours and minutes (in the field's unit: hours, or minutes).
fn length(row: &ExportRow<'_>, field: &str, most: f64, unit: &str) -> Result<Option<f64>, RowProblem> {
    let clock = row.text(field).and_then(|t| {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m) = (h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok().filter(|m| *m < 60)?);
        let hours = f64::from(h) + f64::from(m) / 60.0;
        Some(if unit == "minutes" { hours * 60.0 } else { hours })
    });
    let value = match clock {
        Some(v) => Some(v),
        None => row.number(field)?,
    };
    match value {
        None => Ok(None),
        Some(n) if (0.0..=most).contains(&n) => Ok(Some(n)),
        Some(_) => Err(row.problem(field, &row.written(field), format!("must be 0 to {most} {unit}"))),
    }
}

fn required_date(row: &ExportRow<'_>, field: &str) -> Result<NaiveDate, RowProblem> {
    row.date(field)?.ok_or_else(|| row.problem(field, "", "required, but empty"))
}

/// A payments export's row.
#[allow(clippy::expect_used)] // coded() has checked each coded value parses
fn read_payment(row: &ExportRow<'_>) -> Result<incentives::Payment, RowProblem> {
    let scheme = row.required("scheme")?;
    let amount = row.number("amount")?.ok_or_else(|| row.problem("amount", "", "required, but empty"))?;
    if amount < 0.0 {
        return Err(row.problem("amount", &row.written("amount"), "a payment cannot be negative"));
    }
    let paid = required_date(row, "paid_date")?;
    let clawback_months = match row.number("clawback_months")? {
        None => None,
        Some(m) if m >= 0.0 && m.fract() == 0.0 && m <= 1200.0 => Some(m as u32).filter(|m| *m > 0),
        Some(_) => {
            return Err(row.problem(
                "clawback_months",
                &row.written("clawback_months"),
                "use a whole number of months, 0 to 1200",
            ))
        }
    };
    let taper = match row.coded("taper")?.as_deref() {
        Some("monthly") => incentives::Taper::Monthly,
        _ => incentives::Taper::None,
    };
    Ok(incentives::Payment { person: PersonIdx(0), scheme, amount, paid, clawback_months, taper })
}

/// A development export's row (early careers, supervision, CPD, registration, grades).
#[allow(clippy::expect_used)] // coded() has checked each coded value parses
fn read_development(row: &ExportRow<'_>) -> Result<DevRecord, RowProblem> {
    let yes = |field: &str| -> Result<bool, RowProblem> {
        Ok(row.coded(field)?.is_some_and(|v| yes_no(&v).expect("checked by coded()")))
    };
    Ok(match row.profile.kind {
        Y => {
            let start = required_date(row, "start_date")?;
            let programme = row
                .coded("programme")?
                .map_or(dev::Programme::Asye, |p| dev::Programme::parse(&p).expect("checked by coded()"));
            let reviews = [row.date("review_3m_date")?, row.date("review_6m_date")?, row.date("review_9m_date")?];
            let final_review = row.date("final_review_date")?;
            let panel = row.date("panel_date")?;
            let outcome_date = row.date("outcome_date")?;
            for (field, held) in [
                ("review_3m_date", reviews[0]),
                ("review_6m_date", reviews[1]),
                ("review_9m_date", reviews[2]),
                ("final_review_date", final_review),
                ("panel_date", panel),
                ("outcome_date", outcome_date),
            ] {
                if held.is_some_and(|h| h < start) {
                    return Err(row.problem(field, &row.written(field), "before the programme's start"));
                }
            }
            let outcome = row
                .coded("outcome")?
                .filter(|o| o != "none")
                .map(|o| dev::Outcome::parse(&o).expect("checked by coded()"));
            if outcome.is_none() && outcome_date.is_some() {
                return Err(row.problem(
                    "outcome_date",
                    &row.written("outcome_date"),
                    "an outcome date needs an outcome",
                ));
            }
            DevRecord::EarlyCareer(dev::EarlyCareer {
                person: SOMEONE,
                programme,
                start,
                reviews,
                final_review,
                panel,
                outcome,
                outcome_date,
                protected_cases: whole(row, "protected_cases")?,
            })
        }
        S => {
            let date = required_date(row, "date")?;
            let hours = match (
                length(row, "length_hours", 24.0, "hours")?,
                length(row, "length_minutes", 1440.0, "minutes")?,
            ) {
                (Some(h), _) => Some(h),
                (None, m) => m.map(|m| m / 60.0),
            };
            let kind = row
                .coded("supervision_type")?
                .map_or(dev::SupervisionKind::Formal, |k| dev::SupervisionKind::parse(&k).expect("checked by coded()"));
            DevRecord::Supervision(dev::Supervision {
                person: SOMEONE,
                supervisor: row.text("supervisor"),
                date,
                hours,
                kind,
                cancelled: yes("cancelled")?,
            })
        }
        D => {
            let date = required_date(row, "date")?;
            let days = match (length(row, "days", 366.0, "days")?, length(row, "cpd_hours", 8784.0, "hours")?) {
                (Some(d), _) => Some(d),
                (None, h) => h.map(|h| h / dev::Policy::default().cpd_hours_per_day),
            };
            DevRecord::Cpd(dev::Cpd {
                person: SOMEONE,
                date,
                title: row.required("title")?,
                kind: row.text("cpd_type"),
                days,
                peer_reflection: yes("peer_reflection")?,
            })
        }
        R => {
            let from = required_date(row, "start_date")?;
            let to = row.date("end_date")?;
            if to.is_some_and(|t| t < from) {
                return Err(row.problem("end_date", &row.written("end_date"), "ends before it starts"));
            }
            let status = row.coded("registration_status")?.map_or(dev::RegistrationStatus::Registered, |s| {
                dev::RegistrationStatus::parse(&s).expect("checked by coded()")
            });
            DevRecord::Registration(dev::Registration {
                person: SOMEONE,
                status,
                from,
                to,
                conditions: row.text("conditions"),
            })
        }
        _ => {
            let from = required_date(row, "start_date")?;
            let level = row.coded("level")?.ok_or_else(|| row.problem("level", "", "required, but empty"))?;
            DevRecord::Grade(dev::Grade {
                person: SOMEONE,
                level: dev::Level::parse(&level).expect("checked by coded()"),
                from,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::read_csv;

    const HR: &str = r#"
source = "hr-north"
kind = "hr"
date_format = "dd/mm/yyyy"
standard_hours = 37

[columns]
person_id = "Emp No"
swe_no = "SWE Reg"
full_name = "Name"
birth_date = "DOB"
contract = "Contract Type"
team = "Team"
org_role = "Job Title"
start_date = "Start"
end_date = "End"
hours = "Weekly Hrs"
reason_leave = "Leaving Reason"

[codes.contract]
permanent = ["Perm", "P", "Permanent"]
fixed_term = ["FTC", "Fixed Term*"]

[codes.org_role]
5 = ["Social Worker*"]
4 = ["Senior Social Worker", "Senior Practitioner"]
3 = ["Team Manager"]

[codes.reason_leave]
1 = ["*resign*"]
5 = ["*retire*"]
9 = ["*"]
"#;

    fn read(csv: &str, strictness: Strictness) -> Result<SourceData, ReadError> {
        let profile = Profile::parse(HR).unwrap();
        read_export(&read_csv("hr.csv", csv.as_bytes()).unwrap(), &profile, strictness)
    }

    const HEADER: &str = "Emp No,SWE Reg,Name,DOB,Contract Type,Team,Job Title,Start,End,Weekly Hrs,Leaving Reason\n";

    #[test]
    fn an_hr_export_maps_columns_codes_dates_and_hours() {
        let data = read(
            &format!(
                "{HEADER}E1,sw1234567890,\"Smith, Jane\",03/02/1985,Perm,North,Senior social worker,01/04/2019,31/03/2022,37,Resigned - relocation\n\
                 E1,SW1234567890,\"Smith, Jane\",03/02/1985,P,South,Team Manager,1/4/2022,,18.5,\n\
                 E2,,Ali Khan,,fixed term (12m),North,Social Worker (ASYE),01/10/2023,,37,\n"
            ),
            Strictness::Strict,
        )
        .unwrap();
        let wf = &data.workforce;
        assert_eq!(wf.persons().len(), 2);
        assert_eq!(wf.persons()[0].swe_no.as_deref(), Some("SW1234567890"));
        assert_eq!(wf.persons()[0].birth_date, NaiveDate::from_ymd_opt(1985, 2, 3));
        assert_eq!(data.details[0].family_name.as_deref(), Some("Smith"));
        assert_eq!(data.details[1].given_name.as_deref(), Some("Ali"));
        let s = wf.spells();
        assert_eq!(s[0].reason_leave, Some(ReasonLeave::from_code(1).unwrap()));
        assert_eq!(s[0].org_role, OrgRole::SeniorPractitioner);
        assert_eq!(s[1].fte, 0.5);
        assert_eq!(s[1].org_role, OrgRole::FirstLineManager);
        assert_eq!(s[2].kind, SpellKind::FixedTerm);
        assert_eq!(s[2].org_role, OrgRole::CaseHolder);
    }

    #[test]
    fn bad_rows_are_named_and_strictness_decides() {
        let csv = format!(
            "{HEADER}E1,,,,Perm,North,Social Worker,31/09/2019,,37,\n\
             E2,,,,Casual,North,Social Worker,01/09/2019,,37,\n\
             E3,,,,Perm,North,Social Worker,01/09/2019,,40,\n\
             E4,,,,Perm,North,Social Worker,01/09/2019,,37,\n"
        );
        let Err(ReadError::InvalidRows(problems)) = read(&csv, Strictness::Strict) else {
            panic!("strict read must fail")
        };
        let found: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.column.as_str())).collect();
        assert_eq!(found, [(2, "Start"), (3, "Contract Type"), (4, "Weekly Hrs")]);
        assert!(problems[1].rule.contains("[codes.contract]"), "{}", problems[1].rule);
        let data = read(&csv, Strictness::Lenient).unwrap();
        assert_eq!(data.workforce.spells().len(), 1);
        assert_eq!(data.skipped.len(), 3);
        assert_eq!(data.rows_read, 4);
    }

    #[test]
    fn exact_values_win_over_patterns_and_longer_patterns_over_shorter() {
        let p = Profile::parse(HR).unwrap();
        assert_eq!(p.map_code("reason_leave", "Retirement (ill health)").unwrap(), "5");
        assert_eq!(p.map_code("reason_leave", "End of contract").unwrap(), "9");
        assert_eq!(p.map_code("org_role", "senior  social worker").unwrap(), "4");
        assert_eq!(p.map_code("org_role", "Social Worker - Level 2").unwrap(), "5");
    }

    #[test]
    fn every_shipped_profile_reads_its_example_export() {
        for (name, text) in SHIPPED {
            let profile = Profile::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(profile.description.is_some(), "{name} says what it is for");
            let path = format!("{}/profiles/examples/{name}.csv", env!("CARGO_MANIFEST_DIR"));
            let sheet = crate::sheet::read_sheet(std::path::Path::new(&path), None).unwrap();
            let data = read_export(&sheet, &profile, Strictness::Strict).unwrap_or_else(|e| panic!("{name}: {e}"));
            let wf = &data.workforce;
            let facts = wf.spells().len()
                + wf.absences().len()
                + wf.caseloads().len()
                + wf.establishment().len()
                + data.development.len()
                + data.voice.len()
                + data.recruitment.len();
            assert_eq!(facts, sheet.rows.len(), "{name}: one fact a row");
        }
    }

    #[test]
    fn a_profile_with_mistakes_is_refused_with_the_reason() {
        let broken = HR.replace("team = \"Team\"\n", "");
        assert!(Profile::parse(&broken).unwrap_err().0.contains("`team`"));
        let broken = HR.replace("3 = [\"Team Manager\"]", "7 = [\"Team Manager\"]");
        assert!(Profile::parse(&broken).unwrap_err().0.contains("OrgRole"));
        let broken = HR.replace("hours = \"Weekly Hrs\"", "hours = \"Weekly Hrs\"\ncases = \"Cases\"");
        assert!(Profile::parse(&broken).unwrap_err().0.contains("not a field of a `hr` export"));
        let broken = HR.replace("person_id = \"Emp No\"", "person_id = \"Employee\"");
        let profile = Profile::parse(&broken).unwrap();
        let sheet = read_csv("hr.csv", HEADER.as_bytes()).unwrap();
        let e = read_export(&sheet, &profile, Strictness::Strict).unwrap_err().to_string();
        assert!(e.contains("`Employee`") && e.contains("Emp No"), "{e}");
    }

    /// An hr export of social workers on permanent contracts, read through `columns` (and `extra` keys).
    fn permanent_staff(extra: &str, columns: &str) -> Profile {
        let text = format!("kind = \"hr\"\n{extra}\n[columns]\n{columns}\n[defaults]\ncontract = \"permanent\"\n");
        Profile::parse(&text).unwrap()
    }

    fn ftes(data: &SourceData) -> Vec<f64> {
        data.workforce.spells().iter().map(|s| s.fte).collect()
    }

    #[test]
    fn an_export_is_read_as_a_council_system_writes_it() {
        // A title and a run date above the headings, semicolons, a pound sign
        // in Windows-1252, FTE as a percentage, and a totals line.
        let profile = permanent_staff(
            "date_format = \"dd/mm/yyyy\"",
            "person_id = \"Employee No\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nfte_percent = \"FTE %\"",
        );
        let bytes = b"Children\x92s Services staff extract;;Run 03 Oct 2025\n;;\nEmployee No;Team;Role;Start;FTE %;Salary\nA1;MASH;5;01/04/2024;100;\xa338,000\nA2;MASH;5;01/05/2024;60;\xa322,800\nTotal;;;;160;\xa360,800\n";
        let sheet = read_csv("hr.csv", bytes).unwrap();
        let data = read_export(&sheet, &profile, Strictness::Strict).unwrap();
        assert_eq!(ftes(&data), [1.0, 0.6]);
        assert_eq!(data.rows_read, 2, "the totals line is not a record");
        // Given the heading line, the same; a percentage over 100 is named.
        let forced = Profile { header_row: Some(3), ..profile.clone() };
        assert_eq!(read_export(&sheet, &forced, Strictness::Strict).unwrap().workforce.spells().len(), 2);
        let over = b"Employee No;Team;Role;Start;FTE %\nA1;MASH;5;01/04/2024;120\n";
        let e = read_export(&read_csv("hr.csv", over).unwrap(), &profile, Strictness::Strict).unwrap_err().to_string();
        assert!(e.contains("FTE % must be greater than 0 and at most 100") && e.contains("120"), "{e}");
    }

    #[test]
    fn hours_are_read_against_each_rows_full_time_week() {
        let profile = permanent_staff(
            "standard_hours_column = \"Full-time Hours\"",
            "person_id = \"Id\"\nteam = \"Team\"\nstart_date = \"Start\"\nhours = \"Hours\"\norg_role = \"Role\"",
        );
        let csv =
            "Id,Team,Role,Start,Hours,Full-time Hours\nA1,MASH,5,2024-04-01,18.5,37\nA2,MASH,5,2024-04-01,18,36\n";
        let data = read_export(&read_csv("hr.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Strict).unwrap();
        assert_eq!(ftes(&data), [0.5, 0.5]);
        let csv = "Id,Team,Role,Start,Hours,Full-time Hours\nA1,MASH,5,2024-04-01,70,37\nA2,MASH,5,2024-04-01,18,0\n";
        let e = read_export(&read_csv("hr.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Strict).unwrap_err();
        let e = e.to_string();
        assert!(e.contains("more than 60 hours a week") && e.contains("full-time weekly hours"), "{e}");
    }

    #[test]
    fn a_control_character_or_an_endless_value_in_an_export_is_a_named_problem() {
        let profile = permanent_staff(
            "",
            "person_id = \"Id\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nfte = \"FTE\"",
        );
        let long = "y".repeat(5000);
        let csv = format!("Id,Team,Role,Start,FTE,Notes\nA1,MA\u{0}SH,5,2024-04-01,1,\nA2,{long},5,2024-04-01,1,\nA3,MASH,5,2024-04-01,1,\u{1b}ignored\n");
        let e = read_export(&read_csv("pay.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Lenient).unwrap();
        let found: Vec<(u64, &str)> = e.skipped.iter().map(|p| (p.line, p.rule.as_str())).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].1.contains("control character") && found[1].1.contains("longer than"), "{found:?}");
        assert_eq!(e.workforce.spells().len(), 1, "a column the profile does not read is not checked");
    }

    #[test]
    fn two_posts_of_one_person_starting_on_one_day_are_both_kept() {
        let profile = permanent_staff(
            "",
            "person_id = \"Id\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nfte = \"FTE\"",
        );
        let csv = "Id,Team,Role,Start,FTE\nA1,MASH,5,2024-04-01,0.5\nA1,Assessment,5,2024-04-01,0.4\n";
        let data = read_export(&read_csv("pay.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Strict).unwrap();
        assert_eq!(ftes(&data), [0.5, 0.4]);
        let repeated = "Id,Team,Role,Start,FTE\nA1,MASH,5,2024-04-01,0.5\nA1,MASH,5,2024-04-01,0.5\n";
        let e = read_export(&read_csv("pay.csv", repeated.as_bytes()).unwrap(), &profile, Strictness::Strict)
            .unwrap_err()
            .to_string();
        assert!(e.contains("same team and role at the same FTE, on line 2"), "{e}");
        // With post references, identical rows are two posts; a reference
        // given twice is one post twice.
        let profile = permanent_staff(
            "",
            "person_id = \"Id\"\npost_id = \"Post\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nfte = \"FTE\"",
        );
        let two = "Id,Post,Team,Role,Start,FTE\nA1,P1,MASH,5,2024-04-01,0.5\nA1,P2,MASH,5,2024-04-01,0.5\n";
        let data = read_export(&read_csv("pay.csv", two.as_bytes()).unwrap(), &profile, Strictness::Strict).unwrap();
        assert_eq!(ftes(&data), [0.5, 0.5]);
        let refs: Vec<&str> = data.post_refs.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(refs, ["P1", "P2"]);
        let again = "Id,Post,Team,Role,Start,FTE\nA1,P1,MASH,5,2024-04-01,0.5\nA1,P1,Court,5,2024-04-01,0.5\n";
        let e = read_export(&read_csv("pay.csv", again.as_bytes()).unwrap(), &profile, Strictness::Strict)
            .unwrap_err()
            .to_string();
        assert!(e.contains("already has post `P1` starting on this date, on line 2"), "{e}");
    }

    #[test]
    fn a_problem_quotes_the_value_as_the_file_writes_it() {
        let profile = permanent_staff(
            "date_format = \"dd/mm/yyyy\"",
            "person_id = \"Id\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nend_date = \"End\"\nfte = \"FTE\"",
        );
        let csv = "Id,Team,Role,Start,End,FTE\nA1,MASH,5,01/04/2024,31/03/2024,1\n";
        let e = read_export(&read_csv("hr.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Strict)
            .unwrap_err()
            .to_string();
        assert!(e.contains("31/03/2024") && !e.contains("2024-03-31"), "{e}");
    }

    fn read_shipped(name: &str, csv: &str) -> Result<SourceData, ReadError> {
        let profile = Profile::parse(shipped(name).unwrap()).unwrap();
        read_export(&read_csv("x.csv", csv.as_bytes()).unwrap(), &profile, Strictness::Strict)
    }

    fn problems(r: Result<SourceData, ReadError>) -> Vec<RowProblem> {
        match r {
            Err(ReadError::InvalidRows(p)) => p,
            other => panic!("expected invalid rows, got {:?}", other.map(|d| d.rows_read)),
        }
    }

    #[test]
    fn development_exports_are_read_with_their_codes_and_refused_when_they_cannot_be() {
        let head = "Staff No,Supervisor,Session Date,Duration (mins),Type,Status\n";
        let data =
            read_shipped("supervision-log", &format!("{head}7,A,01/02/2024,45,Reflective session,Rescheduled\n"))
                .unwrap();
        let s = &data.development.supervision[0];
        assert_eq!((s.kind, s.cancelled, s.hours), (dev::SupervisionKind::Reflective, true, Some(0.75)));
        assert_eq!(data.workforce.person(s.person).id, "7");
        // A type the profile does not map is named, with where to map it.
        let p = problems(read_shipped("supervision-log", &format!("{head}7,A,01/02/2024,45,Huddle,Held\n")));
        assert!(p[0].rule.contains("[codes.supervision_type]"), "{}", p[0].rule);
        let p = problems(read_shipped("supervision-log", &format!("{head}7,A,01/02/2024,-5,Formal,Held\n")));
        assert_eq!(p[0].column, "Duration (mins)");
        // A clock time is hours and minutes; a cancelled session may have no length.
        let data = read_shipped(
            "supervision-log",
            &format!("{head}7,A,01/02/2024,1:30,Formal,Held\n8,A,01/02/2024,0,Formal,Cancelled\n"),
        )
        .unwrap();
        assert_eq!(data.development.supervision.iter().map(|s| s.hours).collect::<Vec<_>>(), [Some(1.5), Some(0.0)]);

        let head = "Employee Number,Programme,Date Qualified,ASYE Start,3 Month Review,6 Month Review,9 Month Review,\
Final Review,Moderation Panel,Outcome,Protected Caseload\n";
        let p = problems(read_shipped("asye-tracker", &format!("{head}1,ASYE,,01/09/2024,01/08/2024,,,,,,\n")));
        assert_eq!((p[0].column.as_str(), p[0].rule.as_str()), ("3 Month Review", "before the programme's start"));
        let data = read_shipped("asye-tracker", &format!("{head}1,ECDP,01/07/2027,01/09/2027,,,,,,,10\n")).unwrap();
        let e = &data.development.early_careers[0];
        assert_eq!((e.programme, e.protected_cases, e.outcome), (dev::Programme::Ecdp, Some(10), None));
        assert_eq!(data.workforce.person(e.person).qualification_date, NaiveDate::from_ymd_opt(2027, 7, 1));
        // One programme a person starts on one day.
        let twice = format!("{head}1,ASYE,,01/09/2024,,,,,,,\n1,ASYE,,01/09/2024,,,,,,,\n");
        assert!(problems(read_shipped("asye-tracker", &twice))[0].rule.contains("already has a row"));

        let head = "Registration Number,Status,Registered From,Registered To,Conditions of Practice\n";
        let p = problems(read_shipped("swe-register", &format!("{head}SW123,Registered,01/12/2024,30/11/2024,\n")));
        assert_eq!(p[0].rule, "ends before it starts");
        let data =
            read_shipped("swe-register", &format!("{head}SW123,Interim suspension order,01/12/2024,,\n")).unwrap();
        assert_eq!(data.development.registrations[0].status, dev::RegistrationStatus::Suspended);
        assert_eq!(data.workforce.persons()[0].swe_no.as_deref(), Some("SW123"));

        let head = "Employee Number,Grade,Effective From\n";
        let data = read_shipped("grades-hr", &format!("{head}1,Level 4a Advanced Practitioner,01/04/2024\n")).unwrap();
        assert_eq!(data.development.grades[0].level, dev::Level::Advanced, "the longer pattern wins");
        let p = problems(read_shipped("grades-hr", &format!("{head}1,,01/04/2024\n")));
        assert_eq!(p[0].rule, "required, but empty");

        let head = "Employee No,Completed On,Learning Title,Learning Type,Hours,Peer Reflection\n";
        let data = read_shipped("cpd-learning", &format!("{head}1,01/04/2024,Course,Course,3.7,Y\n")).unwrap();
        let c = &data.development.cpd[0];
        assert_eq!((c.days, c.peer_reflection), (Some(0.5), true));
        let p = problems(read_shipped("cpd-learning", &format!("{head}1,01/04/2024,Course,Course,3.7,Perhaps\n")));
        assert_eq!(p[0].rule, "use yes or no");
    }

    #[test]
    fn staff_voice_exports_keep_anonymous_rows_and_pass_over_unanswered_questions() {
        let head = "Employee Number,Team,Leaving Date,Main Reason,Second Reason,Third Reason,Comments,Would Return\n";
        // Anonymous, with only a team, a date and a reason: a record, not a footer.
        let data = read_shipped("exit-interviews", &format!("{head},MASH,30/06/2024,Pay;Team culture,,,,\n")).unwrap();
        let e = &data.voice.exits[0];
        assert_eq!((e.person, e.team.as_deref()), (None, Some("MASH")));
        assert_eq!(e.reasons, [voice::ExitReason::Pay, voice::ExitReason::Culture]);
        let head = "Response ID,Team,Submitted,Survey,Question,Answer\n";
        let rows = format!(
            "{head}R1,MASH,12/03/2024,S,My caseload is manageable,\nR1,MASH,12/03/2024,S,I feel supported by my manager,Agree\n"
        );
        let data = read_shipped("survey-pulse", &rows).unwrap();
        assert_eq!(data.voice.answers.len(), 1, "the blank answer is no answer");
        let a = &data.voice.answers[0];
        assert_eq!((a.score, a.theme.as_deref()), (75.0, Some("Wellbeing")));
        let p = problems(read_shipped("survey-pulse", &format!("{head}R1,MASH,12/03/2024,S,Q,7\n")));
        assert_eq!(p[0].rule, "outside the survey's scale, 1 to 5");
        let with_none =
            shipped("survey-pulse").unwrap().replace("\n[survey]\n", "\nnone = [\"Don't know\"]\n\n[survey]\n");
        let profile = Profile::parse(&with_none).unwrap();
        let sheet = read_csv("x.csv", format!("{head}R1,MASH,12/03/2024,S,Q,Don't know\n").as_bytes()).unwrap();
        assert!(read_export(&sheet, &profile, Strictness::Strict).unwrap().voice.answers.is_empty());
    }
}
