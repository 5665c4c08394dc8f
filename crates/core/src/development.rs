//! Practice development: early careers (ASYE, then ECDP), supervision, CPD,
//! Social Work England registration and the authority's career levels, as
//! dated facts beside the [`Workforce`], and the figures on any date, for
//! the authority or by team.
//!
//! The facts behind the defaults (the employer standards' supervision
//! frequencies, Social Work England's CPD year) are in `docs/indicators.md`
//! with their sources; every default is a field of [`Policy`].
//!
//! Who is counted:
//! - supervision, CPD and registration: every social worker **in post** on
//!   the date (permanent, fixed-term or agency: the employer supervises
//!   and checks the registration of agency workers too);
//! - early careers, retention, the experience mix and progression: the
//!   authority's **employed** social workers (permanent or fixed-term).
//!
//! A figure is `None` where it is undefined: no one to count, or no record
//! of that kind at all (a count of 0 would claim the records say so).

use crate::calendar::{a_year_before, whole_months, Date};
use crate::model::{PersonIdx, TeamId, Workforce};
use chrono::{Datelike as _, Months};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The early-career programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Programme {
    /// Assessed and Supported Year in Employment.
    Asye,
    /// DfE's Early Career Development Programme (from September 2027).
    Ecdp,
}

impl Programme {
    pub fn parse(s: &str) -> Option<Programme> {
        match s.trim().to_ascii_lowercase().as_str() {
            "asye" => Some(Programme::Asye),
            "ecdp" => Some(Programme::Ecdp),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::Asye => "asye",
            Programme::Ecdp => "ecdp",
        }
    }
}

/// How an early-career programme ended (or that it goes on, extended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// Extended: the programme goes on.
    Extended,
    Withdrawn,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pass" => Some(Outcome::Pass),
            "fail" => Some(Outcome::Fail),
            "extended" => Some(Outcome::Extended),
            "withdrawn" => Some(Outcome::Withdrawn),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Extended => "extended",
            Outcome::Withdrawn => "withdrawn",
        }
    }
    /// Whether the outcome ends the programme.
    pub fn ends(self) -> bool {
        self != Outcome::Extended
    }
}

/// One person's early-career programme: its start, the review points held,
/// the moderation panel and the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyCareer {
    pub person: PersonIdx,
    pub programme: Programme,
    pub start: Date,
    /// The days the 3-month, 6-month and (optional) 9-month reviews were held.
    pub reviews: [Option<Date>; 3],
    pub final_review: Option<Date>,
    pub panel: Option<Date>,
    pub outcome: Option<Outcome>,
    /// When the outcome took effect; the panel's date, failing that the final review's.
    pub outcome_date: Option<Date>,
    /// The caseload agreed as the protected level.
    pub protected_cases: Option<u32>,
}

impl EarlyCareer {
    /// The day a final outcome (pass, fail, withdrawn) took effect: its own
    /// date, the panel's, the final review's or, with none, the start.
    pub fn ended_on(&self) -> Option<Date> {
        self.outcome.filter(|o| o.ends())?;
        Some(self.outcome_date.or(self.panel).or(self.final_review).unwrap_or(self.start))
    }

    /// In the programme on `d`: started on or before it, and no final outcome by it.
    pub fn in_programme_on(&self, d: Date) -> bool {
        self.start <= d && self.ended_on().is_none_or(|e| e > d)
    }

    /// The review points and the day each falls due: 3 and 6 months after
    /// the start, and the final review 12 months after (the 9-month review
    /// is optional and never due).
    pub fn review_points(&self) -> [(ReviewPoint, Date, Option<Date>); 3] {
        let due = |m: u32| self.start.checked_add_months(Months::new(m)).unwrap_or(Date::MAX);
        [
            (ReviewPoint::ThreeMonth, due(3), self.reviews[0]),
            (ReviewPoint::SixMonth, due(6), self.reviews[1]),
            (ReviewPoint::Final, due(12), self.final_review),
        ]
    }
}

/// A review point of an early-career programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPoint {
    ThreeMonth,
    SixMonth,
    Final,
}

/// The kind of a supervision session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SupervisionKind {
    /// One-to-one with the line manager.
    Formal,
    Reflective,
    Group,
    /// By a registered social worker where the line manager is not one.
    Professional,
}

impl SupervisionKind {
    pub fn parse(s: &str) -> Option<SupervisionKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "formal" => Some(SupervisionKind::Formal),
            "reflective" => Some(SupervisionKind::Reflective),
            "group" => Some(SupervisionKind::Group),
            "professional" => Some(SupervisionKind::Professional),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            SupervisionKind::Formal => "formal",
            SupervisionKind::Reflective => "reflective",
            SupervisionKind::Group => "group",
            SupervisionKind::Professional => "professional",
        }
    }
}

/// A supervision session (or one cancelled or moved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supervision {
    pub person: PersonIdx,
    pub supervisor: Option<String>,
    pub date: Date,
    /// Its length in hours, where recorded.
    pub hours: Option<f64>,
    pub kind: SupervisionKind,
    /// Cancelled or rescheduled: it did not take place on this date.
    pub cancelled: bool,
}

/// A piece of CPD or training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cpd {
    pub person: PersonIdx,
    pub date: Date,
    pub title: String,
    pub kind: Option<String>,
    /// Its length in days (hours are turned into days when read).
    pub days: Option<f64>,
    /// Reflected on with a peer, as Social Work England asks of one piece a year.
    pub peer_reflection: bool,
}

/// A registration's status on the Social Work England register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationStatus {
    Registered,
    Suspended,
    Removed,
    Lapsed,
}

impl RegistrationStatus {
    pub fn parse(s: &str) -> Option<RegistrationStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "registered" => Some(RegistrationStatus::Registered),
            "suspended" => Some(RegistrationStatus::Suspended),
            "removed" => Some(RegistrationStatus::Removed),
            "lapsed" => Some(RegistrationStatus::Lapsed),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::Suspended => "suspended",
            RegistrationStatus::Removed => "removed",
            RegistrationStatus::Lapsed => "lapsed",
        }
    }
}

/// A line of the register extract: a status from a day, to a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub person: PersonIdx,
    pub status: RegistrationStatus,
    pub from: Date,
    /// The last day; `None` while open.
    pub to: Option<Date>,
    /// Conditions of practice, where any.
    pub conditions: Option<String>,
}

/// A career level, mapped from the authority's own grades in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    NewlyQualified,
    SocialWorker,
    Senior,
    Advanced,
    Manager,
}

impl Level {
    pub const ALL: [Level; 5] =
        [Level::NewlyQualified, Level::SocialWorker, Level::Senior, Level::Advanced, Level::Manager];
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s.trim().to_ascii_lowercase())
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::NewlyQualified => "newly_qualified",
            Level::SocialWorker => "social_worker",
            Level::Senior => "senior",
            Level::Advanced => "advanced",
            Level::Manager => "manager",
        }
    }
    pub fn words(self) -> &'static str {
        match self {
            Level::NewlyQualified => "newly qualified",
            Level::SocialWorker => "social worker",
            Level::Senior => "senior social worker",
            Level::Advanced => "advanced practitioner",
            Level::Manager => "manager",
        }
    }
}

/// A person's level from a day (a promotion, or the level they started at).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    pub person: PersonIdx,
    pub level: Level,
    pub from: Date,
}

/// The development records of one authority, each kind sorted by person
/// then date and indexed by person. Build it with [`Development::new`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Development {
    early_careers: Vec<EarlyCareer>,
    supervision: Vec<Supervision>,
    cpd: Vec<Cpd>,
    registrations: Vec<Registration>,
    grades: Vec<Grade>,
    supervision_ranges: Vec<Range<u32>>,
    cpd_ranges: Vec<Range<u32>>,
    registration_ranges: Vec<Range<u32>>,
    grade_ranges: Vec<Range<u32>>,
    early_career_ranges: Vec<Range<u32>>,
}

/// Every kind of development record, for one person or a batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentRecords {
    pub early_careers: Vec<EarlyCareer>,
    pub supervision: Vec<Supervision>,
    pub cpd: Vec<Cpd>,
    pub registrations: Vec<Registration>,
    pub grades: Vec<Grade>,
}

impl DevelopmentRecords {
    pub fn len(&self) -> usize {
        self.early_careers.len()
            + self.supervision.len()
            + self.cpd.len()
            + self.registrations.len()
            + self.grades.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl DevelopmentRecords {
    /// Every record as a line of a person's history: whose, its kind (in words),
    /// first day, last day where it has one, and what it says.
    pub fn timeline(&self) -> Vec<(PersonIdx, &'static str, Date, Option<Date>, String)> {
        let long = crate::words::long_date;
        let mut out = Vec::new();
        for e in &self.early_careers {
            let mut said = vec![format!("{} started", e.programme.as_str().to_uppercase())];
            for (name, _, held) in e.review_points().iter() {
                let name = match name {
                    ReviewPoint::ThreeMonth => "3-month review",
                    ReviewPoint::SixMonth => "6-month review",
                    ReviewPoint::Final => "final review",
                };
                if let Some(h) = held {
                    said.push(format!("{name} {}", long(*h)));
                }
            }
            if let Some(p) = e.panel {
                said.push(format!("panel {}", long(p)));
            }
            if let Some(o) = e.outcome {
                said.push(format!("outcome: {}", o.as_str()));
            }
            if let Some(c) = e.protected_cases {
                said.push(format!("protected caseload {c}"));
            }
            out.push((e.person, "early career", e.start, e.ended_on(), said.join("; ")));
        }
        for s in &self.supervision {
            let mut said = format!("{} supervision", s.kind.as_str());
            if let Some(h) = s.hours {
                let h = (h * 100.0).round() / 100.0;
                said.push_str(&format!(", {h} hour{}", if h == 1.0 { "" } else { "s" }));
            }
            if let Some(by) = &s.supervisor {
                said.push_str(&format!(", with {by}"));
            }
            if s.cancelled {
                said.push_str(" (cancelled or moved)");
            }
            out.push((s.person, "supervision", s.date, None, said));
        }
        for c in &self.cpd {
            let mut said = c.title.clone();
            if let Some(d) = c.days {
                let d = (d * 10.0).round() / 10.0;
                said.push_str(&format!(", {d} day{}", if d == 1.0 { "" } else { "s" }));
            }
            if c.peer_reflection {
                said.push_str(", reflected on with a peer");
            }
            out.push((c.person, "CPD", c.date, None, said));
        }
        for r in &self.registrations {
            let mut said = r.status.as_str().to_string();
            if let Some(c) = r.conditions.as_deref().filter(|c| !c.trim().is_empty()) {
                said.push_str(&format!(", conditions: {c}"));
            }
            out.push((r.person, "registration", r.from, r.to, said));
        }
        for g in &self.grades {
            out.push((g.person, "level", g.from, None, g.level.words().to_string()));
        }
        out
    }
}

impl Development {
    /// Indexes the records for a workforce of `persons` people; records of
    /// a person beyond them are dropped.
    pub fn new(mut r: DevelopmentRecords, persons: usize) -> Development {
        let n = persons as u32;
        r.early_careers.retain(|e| e.person.0 < n);
        r.supervision.retain(|e| e.person.0 < n);
        r.cpd.retain(|e| e.person.0 < n);
        r.registrations.retain(|e| e.person.0 < n);
        r.grades.retain(|e| e.person.0 < n);
        r.early_careers.sort_by_key(|e| (e.person, e.start));
        r.supervision.sort_by_key(|e| (e.person, e.date));
        r.cpd.sort_by_key(|e| (e.person, e.date));
        r.registrations.sort_by_key(|e| (e.person, e.from));
        r.grades.sort_by_key(|e| (e.person, e.from));
        Development {
            supervision_ranges: crate::model::ranges_by_person(&r.supervision, persons, |e| e.person),
            cpd_ranges: crate::model::ranges_by_person(&r.cpd, persons, |e| e.person),
            registration_ranges: crate::model::ranges_by_person(&r.registrations, persons, |e| e.person),
            grade_ranges: crate::model::ranges_by_person(&r.grades, persons, |e| e.person),
            early_career_ranges: crate::model::ranges_by_person(&r.early_careers, persons, |e| e.person),
            early_careers: r.early_careers,
            supervision: r.supervision,
            cpd: r.cpd,
            registrations: r.registrations,
            grades: r.grades,
        }
    }

    pub fn early_careers(&self) -> &[EarlyCareer] {
        &self.early_careers
    }
    pub fn supervision(&self) -> &[Supervision] {
        &self.supervision
    }
    pub fn cpd(&self) -> &[Cpd] {
        &self.cpd
    }
    pub fn registrations(&self) -> &[Registration] {
        &self.registrations
    }
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }
    pub fn is_empty(&self) -> bool {
        self.early_careers.is_empty()
            && self.supervision.is_empty()
            && self.cpd.is_empty()
            && self.registrations.is_empty()
            && self.grades.is_empty()
    }

    fn slice<'a, T>(items: &'a [T], ranges: &[Range<u32>], p: PersonIdx) -> &'a [T] {
        ranges.get(p.0 as usize).map_or(&[], |r| &items[r.start as usize..r.end as usize])
    }
    pub fn early_careers_of(&self, p: PersonIdx) -> &[EarlyCareer] {
        Self::slice(&self.early_careers, &self.early_career_ranges, p)
    }
    pub fn supervision_of(&self, p: PersonIdx) -> &[Supervision] {
        Self::slice(&self.supervision, &self.supervision_ranges, p)
    }
    pub fn cpd_of(&self, p: PersonIdx) -> &[Cpd] {
        Self::slice(&self.cpd, &self.cpd_ranges, p)
    }
    pub fn registrations_of(&self, p: PersonIdx) -> &[Registration] {
        Self::slice(&self.registrations, &self.registration_ranges, p)
    }
    pub fn grades_of(&self, p: PersonIdx) -> &[Grade] {
        Self::slice(&self.grades, &self.grade_ranges, p)
    }

    /// The person's level on `d`: their latest grade from on or before it.
    pub fn level_on(&self, p: PersonIdx, d: Date) -> Option<&Grade> {
        let grades = self.grades_of(p);
        grades[..grades.partition_point(|g| g.from <= d)].last()
    }
}

/// The authority's policy for the development figures. The defaults are
/// the employer standards' and Social Work England's (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Newly qualified: supervision at least weekly for this many weeks from the programme's start
    /// (everyone else, and the newly qualified after `fortnightly_months`, at least once a calendar month)...
    pub weekly_weeks: u32,
    /// ... then at least fortnightly to this many months from the start ...
    pub fortnightly_months: u32,
    /// The shortest session that counts, in hours (a session with no length recorded counts).
    pub min_hours: f64,
    /// CPD days a year the authority offers.
    pub cpd_offer_days: f64,
    /// Hours in a day of CPD, to turn hours into days.
    pub cpd_hours_per_day: f64,
    /// Days ahead in which a registration ending counts as lapsing.
    pub lapsing_days: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            weekly_weeks: 6,
            fortnightly_months: 6,
            min_hours: 1.5,
            cpd_offer_days: 5.0,
            cpd_hours_per_day: 7.4,
            lapsing_days: 90,
        }
    }
}

/// A person's supervision on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisionStatus {
    pub person: PersonIdx,
    /// The last session that counts, on or before the date.
    pub last: Option<Date>,
    /// The day the next was due.
    pub due: Date,
    /// Days past `due` (0 when on time).
    pub overdue_days: i64,
}

/// Where a person stands against Social Work England's CPD requirement in
/// the registration year to a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CpdStanding {
    /// Two pieces, one reflected on with a peer, recorded; or, before the
    /// renewal window opens on 1 September, at least one piece.
    OnTrack,
    /// Some recorded but not enough, with the renewal window open.
    AtRisk,
    /// Nothing recorded in the registration year.
    Missing,
}

/// The first day (1 December) of the Social Work England registration year that holds `d`.
pub fn registration_year_start(d: Date) -> Date {
    let year = if d.month() == 12 { d.year() } else { d.year() - 1 };
    Date::from_ymd_opt(year, 12, 1).unwrap_or(d)
}

/// The renewal window's first day (1 September) in the registration year that holds `d`.
pub fn renewal_window_opens(d: Date) -> Date {
    let start = registration_year_start(d);
    Date::from_ymd_opt(start.year() + 1, 9, 1).unwrap_or(d)
}

/// The development figures on a date, for the authority or a team.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DevelopmentFigures {
    /// People in post whose supervision is on time, % of those in post.
    pub supervision_on_time_pct: Option<f64>,
    /// People in post whose supervision is overdue.
    pub supervision_overdue_people: Option<u32>,
    /// Employed people in an early-career programme on the date.
    pub asye_in_programme: Option<u32>,
    /// Review points of programmes in progress due before the date and not held by it.
    pub asye_reviews_late: Option<u32>,
    /// Review points of programmes in progress due before the date, and of them those held by it.
    pub asye_reviews_due: Option<u32>,
    pub asye_reviews_done: Option<u32>,
    /// Early-career workers in programme holding more cases than their protected level.
    pub asye_above_protected_caseload: Option<u32>,
    /// Of early-career workers whose 12-month point (after qualifying) fell in the year to the date, % still employed then.
    pub asye_retention_12m_pct: Option<f64>,
    pub asye_retention_24m_pct: Option<f64>,
    pub asye_retention_36m_pct: Option<f64>,
    /// The same for the authority's other employed staff: of those employed a year before the date, % still employed on it.
    pub others_retention_12m_pct: Option<f64>,
    /// People in post on track with Social Work England's CPD requirement, %.
    pub cpd_on_track_pct: Option<f64>,
    pub cpd_at_risk_people: Option<u32>,
    pub cpd_missing_people: Option<u32>,
    /// CPD days recorded in the 12 months to the date, a mean over people in post.
    pub cpd_days_mean_12m: Option<f64>,
    /// People in post with at least the offer's days in the 12 months to the date, %.
    pub cpd_offer_met_pct: Option<f64>,
    /// People in post whose registration ends in the next 90 days (after the date).
    pub registrations_lapsing_90d: Option<u32>,
    /// People in post with no registration on the date (lapsed, suspended, removed, or none on the extract).
    pub registrations_not_current: Option<u32>,
    /// People in post whose registration on the date has conditions.
    pub registrations_with_conditions: Option<u32>,
    /// Promotions (moves to a higher level) of employed people in the 12 months to the date.
    pub promotions_12m: Option<u32>,
    /// Of them, by the level moved to.
    pub promotions_by_level: std::collections::BTreeMap<Level, u32>,
    /// Months in their current level, a mean over employed people in post with a level.
    pub time_in_level_months_mean: Option<f64>,
    /// Employed people in post by years since qualifying: under 2, 2 to under 5, 5 or more (% of those with a known date).
    pub mix_newly_qualified_pct: Option<f64>,
    pub mix_2_5_years_pct: Option<f64>,
    pub mix_5_plus_years_pct: Option<f64>,
    /// Employed people in post with no qualification date (left out of the mix).
    pub mix_unknown_people: u32,
    /// Employed people in post at each level, by the level's name.
    pub levels: std::collections::BTreeMap<Level, u32>,
    /// The counts of people each figure rests on: (figure, part, whole).
    #[serde(skip)]
    pub counts: Vec<(&'static str, u32, u32)>,
}

/// The figures a target can be set on, with their labels.
pub const FIELDS: [(&str, &str); 24] = [
    ("supervision_on_time_pct", "Supervision on time %"),
    ("supervision_overdue_people", "People whose supervision is overdue"),
    ("asye_in_programme", "In an early-career programme (ASYE)"),
    ("asye_reviews_late", "Early-career reviews late"),
    ("asye_reviews_due", "Early-career reviews due"),
    ("asye_reviews_done", "Early-career reviews held"),
    ("asye_above_protected_caseload", "Early-career workers above their protected caseload"),
    ("asye_retention_12m_pct", "Still employed 12 months after qualifying %"),
    ("asye_retention_24m_pct", "Still employed 24 months after qualifying %"),
    ("asye_retention_36m_pct", "Still employed 36 months after qualifying %"),
    ("others_retention_12m_pct", "Other staff still employed a year on %"),
    ("cpd_on_track_pct", "On track with Social Work England's CPD %"),
    ("cpd_at_risk_people", "CPD at risk"),
    ("cpd_missing_people", "No CPD recorded this registration year"),
    ("cpd_days_mean_12m", "CPD days a person in the last 12 months"),
    ("cpd_offer_met_pct", "Took up the CPD offer %"),
    ("registrations_lapsing_90d", "Registrations ending in the next 90 days"),
    ("registrations_not_current", "Not registered"),
    ("registrations_with_conditions", "Registered with conditions"),
    ("promotions_12m", "Promotions in the last 12 months"),
    ("time_in_level_months_mean", "Months in their current level"),
    ("mix_newly_qualified_pct", "Qualified under 2 years %"),
    ("mix_2_5_years_pct", "Qualified 2 to 5 years %"),
    ("mix_5_plus_years_pct", "Qualified 5 years or more %"),
];

/// A development figure's label; "" for a name that is not one.
pub fn label(name: &str) -> &'static str {
    FIELDS.iter().find(|(n, _)| *n == name).map_or("", |(_, l)| l)
}

/// Whether `name` is a development figure.
pub fn is_field(name: &str) -> bool {
    FIELDS.iter().any(|(n, _)| *n == name)
}

impl DevelopmentFigures {
    /// A figure by its name (see [`FIELDS`]); `None` when undefined or not a figure.
    pub fn field(&self, name: &str) -> Option<f64> {
        let count = |n: Option<u32>| n.map(f64::from);
        match name {
            "supervision_on_time_pct" => self.supervision_on_time_pct,
            "supervision_overdue_people" => count(self.supervision_overdue_people),
            "asye_in_programme" => count(self.asye_in_programme),
            "asye_reviews_late" => count(self.asye_reviews_late),
            "asye_reviews_due" => count(self.asye_reviews_due),
            "asye_reviews_done" => count(self.asye_reviews_done),
            "asye_above_protected_caseload" => count(self.asye_above_protected_caseload),
            "asye_retention_12m_pct" => self.asye_retention_12m_pct,
            "asye_retention_24m_pct" => self.asye_retention_24m_pct,
            "asye_retention_36m_pct" => self.asye_retention_36m_pct,
            "others_retention_12m_pct" => self.others_retention_12m_pct,
            "cpd_on_track_pct" => self.cpd_on_track_pct,
            "cpd_at_risk_people" => count(self.cpd_at_risk_people),
            "cpd_missing_people" => count(self.cpd_missing_people),
            "cpd_days_mean_12m" => self.cpd_days_mean_12m,
            "cpd_offer_met_pct" => self.cpd_offer_met_pct,
            "registrations_lapsing_90d" => count(self.registrations_lapsing_90d),
            "registrations_not_current" => count(self.registrations_not_current),
            "registrations_with_conditions" => count(self.registrations_with_conditions),
            "promotions_12m" => count(self.promotions_12m),
            "time_in_level_months_mean" => self.time_in_level_months_mean,
            "mix_newly_qualified_pct" => self.mix_newly_qualified_pct,
            "mix_2_5_years_pct" => self.mix_2_5_years_pct,
            "mix_5_plus_years_pct" => self.mix_5_plus_years_pct,
            _ => None,
        }
    }
}

/// Percentage, unrounded; `None` with no denominator.
fn pct(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| 100.0 * f64::from(part) / f64::from(whole))
}

/// Who is counted for a group: the people in post on the date (with
/// whether they are employed), each once.
struct Counted {
    people: Vec<(PersonIdx, bool)>,
}

fn counted(wf: &Workforce, d: Date, team: Option<TeamId>) -> Counted {
    let people = wf
        .person_indices()
        .filter_map(|p| {
            let spells = wf.spells_of(p).iter().filter(|s| s.in_post_at(d) && team.is_none_or(|t| s.team == t));
            let mut any = false;
            let mut employed = false;
            for s in spells {
                any = true;
                employed |= s.kind.is_employed();
            }
            any.then_some((p, employed))
        })
        .collect();
    Counted { people }
}

/// The person's supervision status on `d`: the last session that counts
/// (not cancelled, not a group session, at least `min_hours` long or of no
/// recorded length), and the day the next was due after it, by the
/// frequency their stage on `d` asks. With no session, the next was due
/// one interval after the later of their first day in post and the first
/// supervision record the authority holds.
pub fn supervision_status(
    wf: &Workforce,
    dev: &Development,
    policy: &Policy,
    p: PersonIdx,
    d: Date,
    records_from: Date,
) -> SupervisionStatus {
    let sessions = dev.supervision_of(p);
    let upto = &sessions[..sessions.partition_point(|s| s.date <= d)];
    let last = upto
        .iter()
        .rev()
        .find(|s| {
            !s.cancelled && s.kind != SupervisionKind::Group && s.hours.is_none_or(|h| h + 1e-9 >= policy.min_hours)
        })
        .map(|s| s.date);
    // The stage on `d`: weeks and months since the early-career programme's start.
    let programme = dev.early_careers_of(p).iter().rev().find(|e| e.in_programme_on(d));
    let from = last.unwrap_or_else(|| in_post_since(wf, p, d).max(records_from));
    let due = match programme {
        Some(e) if (d - e.start).num_days() < i64::from(policy.weekly_weeks) * 7 => {
            from.checked_add_days(chrono::Days::new(7)).unwrap_or(Date::MAX)
        }
        Some(e) if e.start.checked_add_months(Months::new(policy.fortnightly_months)).is_some_and(|m| d < m) => {
            from.checked_add_days(chrono::Days::new(14)).unwrap_or(Date::MAX)
        }
        _ => from.checked_add_months(Months::new(1)).unwrap_or(Date::MAX),
    };
    SupervisionStatus { person: p, last, due, overdue_days: (d - due).num_days().max(0) }
}

/// The first day of the person's unbroken time in post (any spell, moves
/// with no day between included) that takes in `d`; `d` when not in post.
fn in_post_since(wf: &Workforce, p: PersonIdx, d: Date) -> Date {
    let spells = wf.spells_of(p);
    let Some(mut since) = spells.iter().filter(|s| s.covers(d)).map(|s| s.start).min() else { return d };
    // Each step goes back to an earlier start, so this ends.
    while let Some(earlier) =
        since.pred_opt().and_then(|before| spells.iter().filter(|s| s.covers(before)).map(|s| s.start).min())
    {
        since = earlier;
    }
    since
}

/// Where the person stands against the CPD requirement on `d`.
pub fn cpd_standing(dev: &Development, p: PersonIdx, d: Date) -> CpdStanding {
    let start = registration_year_start(d);
    let pieces: Vec<&Cpd> = dev.cpd_of(p).iter().filter(|c| c.date >= start && c.date <= d).collect();
    let met = pieces.len() >= 2 && pieces.iter().any(|c| c.peer_reflection);
    if met || (!pieces.is_empty() && d < renewal_window_opens(d)) {
        CpdStanding::OnTrack
    } else if pieces.is_empty() {
        CpdStanding::Missing
    } else {
        CpdStanding::AtRisk
    }
}

/// The registration that holds on `d`: the latest line starting on or
/// before it that has not ended before it.
pub fn registration_on(dev: &Development, p: PersonIdx, d: Date) -> Option<&Registration> {
    dev.registrations_of(p).iter().rev().find(|r| r.from <= d && r.to.is_none_or(|t| t >= d))
}

/// Employed (permanent or fixed-term) in post on `d`, in the DfE sense.
fn employed_in_post(wf: &Workforce, p: PersonIdx, d: Date) -> bool {
    wf.spells_of(p).iter().any(|s| s.kind.is_employed() && s.in_post_at(d))
}

/// The figures on `d` for the authority (`team` None) or one team.
pub fn development_figures(
    wf: &Workforce,
    dev: &Development,
    policy: &Policy,
    d: Date,
    team: Option<TeamId>,
) -> DevelopmentFigures {
    let who = counted(wf, d, team);
    let mut f = DevelopmentFigures::default();
    let in_post = who.people.len() as u32;

    // Supervision.
    if dev.supervision.iter().any(|s| s.date <= d) {
        let (on_time_pct, on_time, _) = development_figures_supervision(wf, dev, policy, d, team);
        let overdue = in_post - on_time;
        f.supervision_overdue_people = Some(overdue);
        f.supervision_on_time_pct = on_time_pct;
        f.counts.push(("supervision_on_time_pct", in_post - overdue, in_post));
        f.counts.push(("supervision_overdue_people", overdue, in_post));
    }

    // Early careers.
    if !dev.early_careers.is_empty() {
        let mut in_programme = 0;
        let (mut late, mut due_count) = (0u32, 0u32);
        let mut above = 0;
        for (p, employed) in &who.people {
            let Some(e) = dev.early_careers_of(*p).iter().rev().find(|e| e.in_programme_on(d)) else { continue };
            if !employed {
                continue;
            }
            in_programme += 1;
            for (_, due, held) in e.review_points() {
                if due < d {
                    due_count += 1;
                    late += u32::from(held.is_none_or(|h| h > d));
                }
            }
            if e.protected_cases.is_some_and(|level| wf.cases_held_at(*p, d) > level) {
                above += 1;
            }
        }
        f.asye_in_programme = Some(in_programme);
        f.asye_reviews_late = Some(late);
        f.asye_reviews_due = Some(due_count);
        f.asye_reviews_done = Some(due_count - late);
        f.asye_above_protected_caseload = Some(above);
        f.counts.push(("asye_in_programme", in_programme, in_programme));
        f.counts.push(("asye_reviews_late", late, due_count));
        f.counts.push(("asye_reviews_due", due_count, due_count));
        f.counts.push(("asye_reviews_done", due_count - late, due_count));
        f.counts.push(("asye_above_protected_caseload", above, in_programme));
        let mut cohorts = Vec::new();
        let mut retention = |months: u32| {
            let (mut cohort, mut kept) = (0, 0);
            let year_before = a_year_before(d);
            for e in &dev.early_careers {
                // The cohort member's team: where they were when they started.
                let started_here = wf
                    .spells_of(e.person)
                    .iter()
                    .any(|s| s.kind.is_employed() && s.covers(e.start) && team.is_none_or(|t| s.team == t));
                if !started_here {
                    continue;
                }
                let qualified = wf.person(e.person).qualification_date.unwrap_or(e.start);
                let Some(point) = qualified.checked_add_months(Months::new(months)) else { continue };
                if point > year_before && point <= d {
                    cohort += 1;
                    kept += u32::from(employed_in_post(wf, e.person, point));
                }
            }
            cohorts.push((months, kept, cohort));
            pct(kept, cohort)
        };
        f.asye_retention_12m_pct = retention(12);
        f.asye_retention_24m_pct = retention(24);
        f.asye_retention_36m_pct = retention(36);
        for (months, kept, cohort) in cohorts {
            let name = match months {
                12 => "asye_retention_12m_pct",
                24 => "asye_retention_24m_pct",
                _ => "asye_retention_36m_pct",
            };
            f.counts.push((name, kept, cohort));
        }
        let year_before = a_year_before(d);
        let (mut others, mut kept) = (0, 0);
        for p in wf.person_indices() {
            if !dev.early_careers_of(p).is_empty() {
                continue;
            }
            let there = wf
                .spells_of(p)
                .iter()
                .any(|s| s.kind.is_employed() && s.in_post_at(year_before) && team.is_none_or(|t| s.team == t));
            if there {
                others += 1;
                kept += u32::from(employed_in_post(wf, p, d));
            }
        }
        f.others_retention_12m_pct = pct(kept, others);
        f.counts.push(("others_retention_12m_pct", kept, others));
    }

    // CPD.
    if dev.cpd.iter().any(|c| c.date <= d) {
        let (mut on_track, mut at_risk, mut missing, mut offer_met) = (0, 0, 0, 0);
        let mut days = 0.0;
        let year_before = a_year_before(d);
        for (p, _) in &who.people {
            match cpd_standing(dev, *p, d) {
                CpdStanding::OnTrack => on_track += 1,
                CpdStanding::AtRisk => at_risk += 1,
                CpdStanding::Missing => missing += 1,
            }
            let mine: f64 =
                dev.cpd_of(*p).iter().filter(|c| c.date > year_before && c.date <= d).filter_map(|c| c.days).sum();
            days += mine;
            if mine + 1e-9 >= policy.cpd_offer_days {
                offer_met += 1;
            }
        }
        f.cpd_on_track_pct = pct(on_track, in_post);
        f.cpd_at_risk_people = Some(at_risk);
        f.cpd_missing_people = Some(missing);
        f.cpd_days_mean_12m = (in_post > 0).then(|| days / f64::from(in_post));
        f.cpd_offer_met_pct = pct(offer_met, in_post);
        f.counts.extend([
            ("cpd_on_track_pct", on_track, in_post),
            ("cpd_at_risk_people", at_risk, in_post),
            ("cpd_missing_people", missing, in_post),
            ("cpd_days_mean_12m", in_post, in_post),
            ("cpd_offer_met_pct", offer_met, in_post),
        ]);
    }

    // Registration.
    if !dev.registrations.is_empty() {
        let horizon = d.checked_add_days(chrono::Days::new(policy.lapsing_days.max(0) as u64)).unwrap_or(Date::MAX);
        let (mut lapsing, mut not_current, mut conditions) = (0, 0, 0);
        for (p, _) in &who.people {
            match registration_on(dev, *p, d).filter(|r| r.status == RegistrationStatus::Registered) {
                None => not_current += 1,
                Some(r) => {
                    // Lapsing: the registered run ends in the window, with no later line taking it on.
                    let end = registered_until(dev, *p, r);
                    if end.is_some_and(|e| e > d && e <= horizon) {
                        lapsing += 1;
                    }
                    if r.conditions.as_deref().is_some_and(|c| !c.trim().is_empty()) {
                        conditions += 1;
                    }
                }
            }
        }
        f.registrations_lapsing_90d = Some(lapsing);
        f.registrations_not_current = Some(not_current);
        f.registrations_with_conditions = Some(conditions);
        f.counts.extend([
            ("registrations_lapsing_90d", lapsing, in_post),
            ("registrations_not_current", not_current, in_post),
            ("registrations_with_conditions", conditions, in_post),
        ]);
    }

    // Progression and levels.
    let employed: Vec<PersonIdx> = who.people.iter().filter(|(_, e)| *e).map(|(p, _)| *p).collect();
    if !dev.grades.is_empty() {
        let year_before = a_year_before(d);
        let mut promotions = 0;
        let mut months = Vec::new();
        let mut levels = std::collections::BTreeMap::new();
        for p in &employed {
            let grades = dev.grades_of(*p);
            for w in grades.windows(2) {
                if w[1].level > w[0].level && w[1].from > year_before && w[1].from <= d {
                    promotions += 1;
                    *f.promotions_by_level.entry(w[1].level).or_insert(0) += 1;
                }
            }
            if let Some(g) = dev.level_on(*p, d) {
                // Time in the level: from the first day of the unbroken run at it.
                let upto = &grades[..grades.partition_point(|x| x.from <= d)];
                let since = upto.iter().rev().take_while(|x| x.level == g.level).last().map_or(g.from, |x| x.from);
                months.push(whole_months(since, d));
                *levels.entry(g.level).or_insert(0u32) += 1;
            }
        }
        f.promotions_12m = Some(promotions);
        f.time_in_level_months_mean =
            (!months.is_empty()).then(|| months.iter().map(|m| f64::from(*m)).sum::<f64>() / months.len() as f64);
        f.counts.push(("promotions_12m", promotions, promotions));
        f.counts.push(("time_in_level_months_mean", months.len() as u32, months.len() as u32));
        f.levels = levels;
    }

    // The experience mix.
    let (mut nq, mut mid, mut long, mut known) = (0, 0, 0, 0);
    for p in &employed {
        match wf.person(*p).qualification_date.filter(|q| *q <= d) {
            None => f.mix_unknown_people += 1,
            Some(q) => {
                known += 1;
                let after = |years: u32| q.checked_add_months(Months::new(12 * years)).unwrap_or(Date::MAX);
                if d < after(2) {
                    nq += 1;
                } else if d < after(5) {
                    mid += 1;
                } else {
                    long += 1;
                }
            }
        }
    }
    f.mix_newly_qualified_pct = pct(nq, known);
    f.mix_2_5_years_pct = pct(mid, known);
    f.mix_5_plus_years_pct = pct(long, known);
    f.counts.extend([
        ("mix_newly_qualified_pct", nq, known),
        ("mix_2_5_years_pct", mid, known),
        ("mix_5_plus_years_pct", long, known),
        ("mix_unknown_people", f.mix_unknown_people, f.mix_unknown_people),
    ]);
    f
}

/// An early-career cohort: the programmes started in one month, and where
/// each stands on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    /// The first day of the month the programmes started in.
    pub month: Date,
    pub started: u32,
    /// Still in the programme (extended ones among them).
    pub in_programme: u32,
    pub passed: u32,
    pub failed: u32,
    pub withdrawn: u32,
    /// Of those started, employed in post on the date.
    pub employed: u32,
}

/// The early-career cohorts by the month they started, up to `d`, for the
/// authority or the team each person started in; the latest first.
pub fn cohorts(wf: &Workforce, dev: &Development, d: Date, team: Option<TeamId>) -> Vec<Cohort> {
    let mut by_month: std::collections::BTreeMap<Date, Cohort> = std::collections::BTreeMap::new();
    for e in dev.early_careers.iter().filter(|e| e.start <= d) {
        if team.is_some_and(|t| {
            !wf.spells_of(e.person).iter().any(|s| s.kind.is_employed() && s.team == t && s.covers(e.start))
        }) {
            continue;
        }
        let month = e.start.with_day(1).unwrap_or(e.start);
        let c = by_month.entry(month).or_insert(Cohort {
            month,
            started: 0,
            in_programme: 0,
            passed: 0,
            failed: 0,
            withdrawn: 0,
            employed: 0,
        });
        c.started += 1;
        match e.outcome.filter(|_| !e.in_programme_on(d)) {
            Some(Outcome::Pass) => c.passed += 1,
            Some(Outcome::Fail) => c.failed += 1,
            Some(Outcome::Withdrawn) => c.withdrawn += 1,
            _ => c.in_programme += 1,
        }
        c.employed += u32::from(employed_in_post(wf, e.person, d));
    }
    by_month.into_values().rev().collect()
}

/// Supervision on time (%) at each of the 12 month ends to `d` (the last
/// being `d`'s month end, or `d` itself when earlier), with the counts it
/// rests on (on time, in post); `None` before the supervision records begin.
pub fn supervision_trend(
    wf: &Workforce,
    dev: &Development,
    policy: &Policy,
    d: Date,
    team: Option<TeamId>,
) -> Vec<(Date, Option<f64>, u32, u32)> {
    (0..12u32)
        .rev()
        .filter_map(|back| {
            let month = d.with_day(1)?.checked_sub_months(Months::new(back))?;
            let end = crate::calendar::month_end(month).min(d);
            let f = development_figures_supervision(wf, dev, policy, end, team);
            Some((end, f.0, f.1, f.2))
        })
        .collect()
}

/// Supervision on time on `d` alone: (%, on time, in post).
fn development_figures_supervision(
    wf: &Workforce,
    dev: &Development,
    policy: &Policy,
    d: Date,
    team: Option<TeamId>,
) -> (Option<f64>, u32, u32) {
    let Some(from) = dev.supervision.iter().map(|s| s.date).min().filter(|m| *m <= d) else {
        return (None, 0, 0);
    };
    let who = counted(wf, d, team);
    let in_post = who.people.len() as u32;
    let overdue =
        who.people.iter().filter(|(p, _)| supervision_status(wf, dev, policy, *p, d, from).overdue_days > 0).count()
            as u32;
    (pct(in_post - overdue, in_post), in_post - overdue, in_post)
}

impl DevelopmentFigures {
    /// The figures that may not leave the server for a member or a
    /// publication (see [`crate::disclosure::share_publishable`]), and levels counted 1 to 4.
    pub fn hidden(&self) -> std::collections::BTreeSet<&'static str> {
        let mut out: std::collections::BTreeSet<&'static str> = self
            .counts
            .iter()
            .filter(|(_, part, whole)| !crate::disclosure::share_publishable(*part, *whole))
            .map(|(f, _, _)| *f)
            .collect();
        if self.levels.values().any(|n| crate::disclosure::is_disclosive(*n)) {
            out.insert("levels");
        }
        if self.promotions_by_level.values().any(|n| crate::disclosure::is_disclosive(*n)) {
            out.insert("promotions_by_level");
        }
        // Figures that add up to the same people: one hidden would be the others' difference.
        for linked in LINKED {
            if linked.iter().any(|f| out.contains(f)) {
                out.extend(linked.iter().copied());
            }
        }
        out
    }
}

/// Figures that share their people (shares of one whole, or a whole and its
/// parts): where one is hidden, all are.
const LINKED: [&[&str]; 4] = [
    &["supervision_on_time_pct", "supervision_overdue_people"],
    &["cpd_on_track_pct", "cpd_at_risk_people", "cpd_missing_people"],
    &["mix_newly_qualified_pct", "mix_2_5_years_pct", "mix_5_plus_years_pct", "mix_unknown_people"],
    &["asye_reviews_due", "asye_reviews_done", "asye_reviews_late"],
];

/// The figures of each of `groups` (teams, with the authority's shown too)
/// that may not leave the server for a member: each group's own
/// [`DevelopmentFigures::hidden`], and then, so that no hidden count is
/// the authority's less the others', where one group alone hides a figure
/// the group with the smallest count of it hides it too.
pub fn hidden_by_group(groups: &[DevelopmentFigures]) -> Vec<std::collections::BTreeSet<&'static str>> {
    let mut hidden: Vec<_> = groups.iter().map(DevelopmentFigures::hidden).collect();
    let names: std::collections::BTreeSet<&'static str> =
        groups.iter().flat_map(|g| g.counts.iter().map(|(f, _, _)| *f)).collect();
    for name in names {
        let count = |g: &DevelopmentFigures| g.counts.iter().find(|(f, _, _)| *f == name).map_or(0, |(_, p, _)| *p);
        if hidden.iter().filter(|h| h.contains(name)).count() == 1 {
            let other = (0..groups.len())
                .filter(|i| !hidden[*i].contains(name) && groups[*i].counts.iter().any(|(f, _, _)| *f == name))
                .min_by_key(|i| count(&groups[*i]));
            if let Some(i) = other {
                hidden[i].insert(name);
            }
        }
    }
    hidden
}

/// The last day of a registered run that `r` is part of: later registered
/// lines that start by the day after it ends carry it on.
fn registered_until(dev: &Development, p: PersonIdx, r: &Registration) -> Option<Date> {
    let mut end = r.to?;
    for next in dev.registrations_of(p) {
        if next.status == RegistrationStatus::Registered
            && next.from > r.from
            && next.from <= end.checked_add_days(chrono::Days::new(1)).unwrap_or(Date::MAX)
        {
            match next.to {
                None => return None,
                Some(t) => end = end.max(t),
            }
        }
    }
    Some(end)
}

impl DevelopmentFigures {
    /// Percentages and means to one decimal place, half away from zero (as DfE rounds).
    pub fn rounded(&self) -> DevelopmentFigures {
        let r = |x: Option<f64>| x.map(|v| crate::indicators::round_dfe(v, 1));
        DevelopmentFigures {
            supervision_on_time_pct: r(self.supervision_on_time_pct),
            asye_retention_12m_pct: r(self.asye_retention_12m_pct),
            asye_retention_24m_pct: r(self.asye_retention_24m_pct),
            asye_retention_36m_pct: r(self.asye_retention_36m_pct),
            others_retention_12m_pct: r(self.others_retention_12m_pct),
            cpd_on_track_pct: r(self.cpd_on_track_pct),
            cpd_days_mean_12m: r(self.cpd_days_mean_12m),
            cpd_offer_met_pct: r(self.cpd_offer_met_pct),
            time_in_level_months_mean: r(self.time_in_level_months_mean),
            mix_newly_qualified_pct: r(self.mix_newly_qualified_pct),
            mix_2_5_years_pct: r(self.mix_2_5_years_pct),
            mix_5_plus_years_pct: r(self.mix_5_plus_years_pct),
            ..self.clone()
        }
    }
}

/// The figures for every team that has someone in post on `d`, by team name.
pub fn development_by_team(
    wf: &Workforce,
    dev: &Development,
    policy: &Policy,
    d: Date,
) -> Vec<(String, DevelopmentFigures)> {
    let mut teams: Vec<TeamId> = wf.in_post_at(d).map(|s| s.team).collect();
    teams.sort();
    teams.dedup();
    let mut out: Vec<(String, DevelopmentFigures)> = teams
        .into_iter()
        .map(|t| (wf.team_name(t).to_string(), development_figures(wf, dev, policy, d, Some(t))))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::WorkforceBuilder;

    fn session(person: PersonIdx, date: &str, hours: Option<f64>, kind: SupervisionKind) -> Supervision {
        Supervision { person, supervisor: None, date: d(date), hours, kind, cancelled: false }
    }

    fn programme(person: PersonIdx, start: &str) -> EarlyCareer {
        EarlyCareer {
            person,
            programme: Programme::Asye,
            start: d(start),
            reviews: [None; 3],
            final_review: None,
            panel: None,
            outcome: None,
            outcome_date: None,
            protected_cases: None,
        }
    }

    fn cpd(person: PersonIdx, date: &str, days: f64, peer: bool) -> Cpd {
        Cpd { person, date: d(date), title: "Course".into(), kind: None, days: Some(days), peer_reflection: peer }
    }

    /// Three people in one team: an experienced worker supervised monthly,
    /// a newly qualified worker who started an ASYE on 1 September 2025,
    /// and an agency worker never supervised.
    fn three() -> (Workforce, [PersonIdx; 3], TeamId) {
        let mut b = WorkforceBuilder::new();
        let t = b.team("North");
        let (old, new, agency) = (b.person("old"), b.person("new"), b.person("agency"));
        b.person_mut(old).qualification_date = Some(d("2015-06-30"));
        b.person_mut(new).qualification_date = Some(d("2025-07-15"));
        b.add_spell(spell(old, t, SpellKind::Permanent, "2018-01-01", None, 1.0));
        b.add_spell(spell(new, t, SpellKind::Permanent, "2025-09-01", None, 1.0));
        b.add_spell(spell(agency, t, SpellKind::Agency, "2025-06-01", None, 1.0));
        (b.build(), [old, new, agency], t)
    }

    #[test]
    fn supervision_is_due_by_the_stage_the_person_is_at() {
        let (wf, [old, new, agency], _) = three();
        let records = DevelopmentRecords {
            supervision: vec![
                session(old, "2025-09-10", Some(1.5), SupervisionKind::Formal),
                // Too short and a group session: neither counts.
                session(old, "2025-10-01", Some(1.0), SupervisionKind::Formal),
                session(old, "2025-10-05", Some(2.0), SupervisionKind::Group),
                session(new, "2025-09-01", None, SupervisionKind::Formal),
                session(new, "2025-09-08", Some(1.5), SupervisionKind::Formal),
            ],
            early_careers: vec![programme(new, "2025-09-01")],
            ..Default::default()
        };
        let dev = Development::new(records, wf.persons().len());
        let policy = Policy::default();
        let from = d("2025-09-01");
        // Old: last counted 10 September; due 10 October; 20 days over on 30 October.
        let s = supervision_status(&wf, &dev, &policy, old, d("2025-10-30"), from);
        assert_eq!((s.last, s.due, s.overdue_days), (Some(d("2025-09-10")), d("2025-10-10"), 20));
        // New, in the first six weeks: weekly, so due 15 September; 3 days over on the 18th.
        let s = supervision_status(&wf, &dev, &policy, new, d("2025-09-18"), from);
        assert_eq!((s.due, s.overdue_days), (d("2025-09-15"), 3));
        // After six weeks (13 October on), fortnightly: due 22 September, so 30 days over on 22 October.
        let s = supervision_status(&wf, &dev, &policy, new, d("2025-10-22"), from);
        assert_eq!((s.due, s.overdue_days), (d("2025-09-22"), 30));
        // The agency worker has no session: due a month after the records begin.
        let s = supervision_status(&wf, &dev, &policy, agency, d("2025-10-01"), from);
        assert_eq!((s.last, s.due, s.overdue_days), (None, d("2025-10-01"), 0));
        let f = development_figures(&wf, &dev, &policy, d("2025-10-02"), None);
        // On 2 October: old on time (due 10 October); new, still weekly, overdue (due 15 September);
        // the agency worker 1 day over.
        assert_eq!(f.supervision_overdue_people, Some(2));
        assert_eq!(f.rounded().supervision_on_time_pct, Some(33.3));
        // The trend: nothing before the records begin; on 30 September only `new` was overdue.
        let trend = supervision_trend(&wf, &dev, &policy, d("2025-10-02"), None);
        assert_eq!(trend.len(), 12);
        assert_eq!(trend[0].0, d("2024-11-30"));
        assert!(trend[..10].iter().all(|m| m.1.is_none()));
        assert_eq!((trend[10].0, trend[10].2, trend[10].3), (d("2025-09-30"), 2, 3));
        assert_eq!((trend[11].0, trend[11].2), (d("2025-10-02"), 1));
    }

    #[test]
    fn with_no_supervision_records_the_figures_are_undefined_not_zero() {
        let (wf, _, _) = three();
        let dev = Development::new(DevelopmentRecords::default(), wf.persons().len());
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-10-02"), None);
        assert_eq!((f.supervision_on_time_pct, f.supervision_overdue_people), (None, None));
        assert_eq!((f.asye_in_programme, f.cpd_on_track_pct, f.registrations_lapsing_90d), (None, None, None));
        // The mix needs only qualification dates: old 5+ years, new under 2 (the agency worker is not counted).
        assert_eq!(
            (f.mix_newly_qualified_pct, f.mix_2_5_years_pct, f.mix_5_plus_years_pct),
            (Some(50.0), Some(0.0), Some(50.0))
        );
    }

    #[test]
    fn early_careers_count_reviews_due_and_not_held_and_caseloads_above_the_protected_level() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("North");
        let (old, new) = (b.person("old"), b.person("new"));
        b.add_spell(spell(old, t, SpellKind::Permanent, "2018-01-01", None, 1.0));
        b.add_spell(spell(new, t, SpellKind::Permanent, "2025-03-01", None, 1.0));
        b.add_caseload(crate::model::CaseloadSnapshot { person: new, date: d("2025-09-25"), cases: 12 });
        let wf = b.build();
        let mut e = programme(new, "2025-03-01");
        e.reviews[0] = Some(d("2025-06-02"));
        e.protected_cases = Some(10);
        let mut finished = programme(old, "2024-01-01");
        finished.outcome = Some(Outcome::Pass);
        finished.panel = Some(d("2025-01-20"));
        let dev = Development::new(DevelopmentRecords { early_careers: vec![e, finished], ..Default::default() }, 2);
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-09-30"), None);
        // In programme: only `new` (old passed). Due before 30 September: 3-month (held), 6-month
        // (1 September, not held); final due 1 March 2026.
        assert_eq!(f.asye_in_programme, Some(1));
        assert_eq!(f.asye_reviews_late, Some(1));
        assert_eq!((f.asye_reviews_due, f.asye_reviews_done), (Some(2), Some(1)));
        assert_eq!(f.asye_above_protected_caseload, Some(1));
        // Cohorts by the month they started, the latest first.
        let c = cohorts(&wf, &dev, d("2025-09-30"), None);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].month, c[0].started, c[0].in_programme, c[0].employed), (d("2025-03-01"), 1, 1, 1));
        assert_eq!((c[1].month, c[1].passed, c[1].in_programme), (d("2024-01-01"), 1, 0));
    }

    #[test]
    fn retention_follows_each_cohort_from_qualifying() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (stay, go, other) = (b.person("stay"), b.person("go"), b.person("other"));
        b.person_mut(stay).qualification_date = Some(d("2023-07-01"));
        b.person_mut(go).qualification_date = Some(d("2023-07-01"));
        b.add_spell(spell(stay, t, SpellKind::Permanent, "2023-09-01", None, 1.0));
        b.add_spell(spell(go, t, SpellKind::Permanent, "2023-09-01", Some("2025-01-31"), 1.0));
        b.add_spell(spell(other, t, SpellKind::Permanent, "2020-01-01", None, 1.0));
        let wf = b.build();
        let dev = Development::new(
            DevelopmentRecords {
                early_careers: vec![programme(stay, "2023-09-01"), programme(go, "2023-09-01")],
                ..Default::default()
            },
            3,
        );
        let p = Policy::default();
        // 12-month point 1 July 2024, in the year to 30 September 2024: both still employed.
        let f = development_figures(&wf, &dev, &p, d("2024-09-30"), None);
        assert_eq!((f.asye_retention_12m_pct, f.asye_retention_24m_pct), (Some(100.0), None));
        // 24-month point 1 July 2025: one of two.
        let f = development_figures(&wf, &dev, &p, d("2025-09-30"), None);
        assert_eq!((f.asye_retention_12m_pct, f.asye_retention_24m_pct), (None, Some(50.0)));
        assert_eq!(f.others_retention_12m_pct, Some(100.0));
    }

    #[test]
    fn cpd_is_judged_in_the_registration_year_and_against_the_offer() {
        let (wf, [old, new, agency], _) = three();
        let records = DevelopmentRecords {
            cpd: vec![
                cpd(old, "2024-12-01", 2.0, false),
                cpd(old, "2025-03-01", 3.0, true),
                cpd(new, "2025-10-01", 1.0, false),
                // Before the registration year: counts towards the 12 months' days, not the year's pieces.
                cpd(agency, "2024-11-30", 1.0, true),
            ],
            ..Default::default()
        };
        let dev = Development::new(records, 3);
        assert_eq!(registration_year_start(d("2025-11-30")), d("2024-12-01"));
        assert_eq!(registration_year_start(d("2025-12-01")), d("2025-12-01"));
        let on = d("2025-10-15");
        assert_eq!(cpd_standing(&dev, old, on), CpdStanding::OnTrack);
        assert_eq!(cpd_standing(&dev, new, on), CpdStanding::AtRisk, "one piece, the window is open");
        assert_eq!(cpd_standing(&dev, new, d("2025-08-31")), CpdStanding::Missing);
        assert_eq!(cpd_standing(&dev, agency, on), CpdStanding::Missing);
        let f = development_figures(&wf, &dev, &Policy::default(), on, None);
        assert_eq!((f.cpd_at_risk_people, f.cpd_missing_people), (Some(1), Some(1)));
        assert_eq!(f.rounded().cpd_on_track_pct, Some(33.3));
        // Days in the 12 months to 15 October 2025: 5 + 1 + 1 (30 November 2024 is inside), a mean of 7/3.
        assert_eq!(f.rounded().cpd_days_mean_12m, Some(2.3));
        assert_eq!(f.rounded().cpd_offer_met_pct, Some(33.3));
    }

    #[test]
    fn registrations_lapse_unless_a_later_line_carries_them_on() {
        let (wf, [old, new, agency], _) = three();
        let reg = |person, status, from: &str, to: Option<&str>, conditions: Option<&str>| Registration {
            person,
            status,
            from: d(from),
            to: to.map(d),
            conditions: conditions.map(String::from),
        };
        let records = DevelopmentRecords {
            registrations: vec![
                reg(old, RegistrationStatus::Registered, "2024-12-01", Some("2025-11-30"), None),
                reg(new, RegistrationStatus::Registered, "2024-12-01", Some("2025-11-30"), Some("Supervised practice")),
                reg(new, RegistrationStatus::Registered, "2025-12-01", Some("2026-11-30"), None),
                reg(agency, RegistrationStatus::Suspended, "2025-06-01", None, None),
            ],
            ..Default::default()
        };
        let dev = Development::new(records, 3);
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-10-01"), None);
        assert_eq!(f.registrations_lapsing_90d, Some(1), "old's ends 30 November; new's is renewed");
        assert_eq!(f.registrations_not_current, Some(1), "the agency worker is suspended");
        assert_eq!(f.registrations_with_conditions, Some(1));
        // 30 November is 90 days after 1 September (inside) and 91 after 31 August (outside).
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-09-01"), None);
        assert_eq!(f.registrations_lapsing_90d, Some(1));
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-08-31"), None);
        assert_eq!(f.registrations_lapsing_90d, Some(0));
    }

    #[test]
    fn promotions_and_time_in_level() {
        let (wf, [old, new, _], _) = three();
        let g = |person, level, from: &str| Grade { person, level, from: d(from) };
        let records = DevelopmentRecords {
            grades: vec![
                g(old, Level::SocialWorker, "2018-01-01"),
                g(old, Level::Senior, "2025-02-15"),
                g(new, Level::NewlyQualified, "2025-09-01"),
            ],
            ..Default::default()
        };
        let dev = Development::new(records, 3);
        let f = development_figures(&wf, &dev, &Policy::default(), d("2025-10-01"), None);
        assert_eq!(f.promotions_12m, Some(1));
        assert_eq!(f.promotions_by_level.get(&Level::Senior), Some(&1));
        // Old: 15 February to 1 October is 7 whole months; new: 1 month. Mean 4.
        assert_eq!(f.time_in_level_months_mean, Some(4.0));
        assert_eq!(f.levels.get(&Level::Senior), Some(&1));
        let json = serde_json::to_value(&f).unwrap_or_default();
        assert_eq!(json["levels"]["senior"], 1);
    }

    #[test]
    fn a_team_counts_only_its_own_people() {
        let (wf, [old, ..], t) = three();
        let dev = Development::new(
            DevelopmentRecords {
                supervision: vec![session(old, "2025-09-20", None, SupervisionKind::Formal)],
                ..Default::default()
            },
            3,
        );
        let by_team = development_by_team(&wf, &dev, &Policy::default(), d("2025-10-15"));
        assert_eq!(by_team.len(), 1);
        assert_eq!(by_team[0].0, wf.team_name(t));
        assert_eq!(by_team[0].1, development_figures(&wf, &dev, &Policy::default(), d("2025-10-15"), None));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A day from 2018 to 2026.
        fn day(n: u16) -> Date {
            d("2018-01-01") + chrono::Days::new(u64::from(n % 3300))
        }

        prop_compose! {
            /// Up to 12 people, each with one spell in one of 3 teams, and development records.
            fn world()(
                people in proptest::collection::vec((0u8..3, 0u16..3300, proptest::option::of(0u16..900), any::<bool>(), proptest::option::of(0u16..3300)), 1..12),
                sessions in proptest::collection::vec((0usize..12, 0u16..3300, proptest::option::of(0.5f64..3.0), 0u8..4, any::<bool>()), 0..60),
                pieces in proptest::collection::vec((0usize..12, 0u16..3300, proptest::option::of(0.5f64..3.0), any::<bool>()), 0..40),
                programmes in proptest::collection::vec((0usize..12, 0u16..3300, proptest::option::of(0u16..500)), 0..6),
                on in 0u16..3300,
            ) -> (Workforce, Development, Date) {
                let mut b = WorkforceBuilder::new();
                let teams = [b.team("A"), b.team("B"), b.team("C")];
                let n = people.len();
                for (i, (t, start, length, agency, qualified)) in people.iter().enumerate() {
                    let p = b.person(&i.to_string());
                    b.person_mut(p).qualification_date = qualified.map(day);
                    let start = day(*start);
                    let end = length.map(|l| (start + chrono::Days::new(u64::from(l))).format("%Y-%m-%d").to_string());
                    let kind = if *agency { SpellKind::Agency } else { SpellKind::Permanent };
                    b.add_spell(spell(p, teams[*t as usize], kind, &start.format("%Y-%m-%d").to_string(), end.as_deref(), 1.0));
                }
                let kinds = [SupervisionKind::Formal, SupervisionKind::Reflective, SupervisionKind::Group, SupervisionKind::Professional];
                let records = DevelopmentRecords {
                    supervision: sessions.iter().map(|(p, date, hours, k, cancelled)| Supervision {
                        person: PersonIdx((*p % n) as u32), supervisor: None, date: day(*date), hours: *hours,
                        kind: kinds[*k as usize], cancelled: *cancelled,
                    }).collect(),
                    cpd: pieces.iter().map(|(p, date, days, peer)| Cpd {
                        person: PersonIdx((*p % n) as u32), date: day(*date), title: "x".into(), kind: None, days: *days, peer_reflection: *peer,
                    }).collect(),
                    early_careers: programmes.iter().map(|(p, start, ended)| {
                        let mut e = programme(PersonIdx((*p % n) as u32), &day(*start).format("%Y-%m-%d").to_string());
                        if let Some(after) = ended {
                            e.outcome = Some(Outcome::Pass);
                            e.panel = Some(e.start + chrono::Days::new(u64::from(*after)));
                        }
                        e
                    }).collect(),
                    ..Default::default()
                };
                (b.build(), Development::new(records, n), day(on))
            }
        }

        proptest! {
            #[test]
            fn the_figures_add_up(w in world()) {
                let (wf, dev, on) = w;
                let p = Policy::default();
                let f = development_figures(&wf, &dev, &p, on, None);
                let in_post = wf.person_indices().filter(|x| wf.spells_of(*x).iter().any(|s| s.in_post_at(on))).count() as u32;
                if let (Some(pct), Some(overdue)) = (f.supervision_on_time_pct, f.supervision_overdue_people) {
                    prop_assert!((pct * f64::from(in_post) / 100.0 + f64::from(overdue) - f64::from(in_post)).abs() < 1e-6);
                }
                if let (Some(pct), Some(risk), Some(missing)) = (f.cpd_on_track_pct, f.cpd_at_risk_people, f.cpd_missing_people) {
                    prop_assert!((pct * f64::from(in_post) / 100.0 + f64::from(risk + missing) - f64::from(in_post)).abs() < 1e-6);
                }
                if let (Some(a), Some(b), Some(c)) = (f.mix_newly_qualified_pct, f.mix_2_5_years_pct, f.mix_5_plus_years_pct) {
                    prop_assert!((a + b + c - 100.0).abs() < 1e-6);
                }
                // Each person is in one team: the teams add up to the authority.
                let teams = development_by_team(&wf, &dev, &p, on);
                let sum = |get: fn(&DevelopmentFigures) -> Option<u32>| teams.iter().filter_map(|(_, g)| get(g)).sum::<u32>();
                if let Some(all) = f.supervision_overdue_people {
                    prop_assert_eq!(sum(|g| g.supervision_overdue_people), all);
                }
                if let Some(all) = f.asye_in_programme {
                    prop_assert_eq!(sum(|g| g.asye_in_programme), all);
                }
                // What a member may see holds no count of 1 to 4.
                let mut groups: Vec<DevelopmentFigures> = teams.iter().map(|(_, g)| g.clone()).collect();
                groups.push(f);
                for (g, hidden) in groups.iter().zip(hidden_by_group(&groups)) {
                    for (name, part, whole) in &g.counts {
                        if !hidden.contains(name) {
                            prop_assert!(!crate::disclosure::is_disclosive(*part) && !crate::disclosure::is_disclosive(*whole));
                            prop_assert!(!crate::disclosure::is_disclosive(whole - part));
                        }
                    }
                }
            }
        }
    }
}
