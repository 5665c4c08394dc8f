//! Workforce history from CSWW census returns, at the best fidelity the
//! format allows. docs/data-formats.md lists what a return cannot tell and
//! the rules used instead; in short:
//!
//! - Employed workers: a spell from `RoleStartDate` (or, when it is not
//!   given, from 30 September of the year before) to `RoleEndDate` (or
//!   open), at `FTE30` (leavers: `FTE`), in `OrgRole`, leaving for
//!   `ReasonLeave`. The return does not say permanent or fixed-term:
//!   all are permanent. It names no teams: all are in one team, "Census return".
//! - A starter whose `FTE` (on starting) differs from `FTE30` is taken to
//!   change FTE the day after starting.
//! - The same worker in the next year's return continues the spell; a
//!   changed FTE or role is taken to change on 2 October. A worker in post
//!   at 30 September who is missing from the next year's return is taken
//!   to leave on 1 October, reason not known, and this is noted.
//! - Agency workers are seen only at 30 September: a spell from
//!   `RoleStartDate` (or 30 September) to 1 October, continued while they
//!   appear in later returns.
//! - `Cases30` is a caseload snapshot on 30 September; `WorkingDaysLost`
//!   is one sickness absence over the year with those days lost.
//! - `LALevelVacancies` becomes the establishment on 30 September: FTE in
//!   post plus vacancies, so the vacancy figures come back exactly; agency
//!   cover is worked out from agency FTE, not taken from `NoAgencyFTE`.

use chrono::{Days, NaiveDate};
use sightline_core::source::{Mode, PersonDetails, SourceData};
use sightline_core::{
    Absence, AbsenceReason, CaseloadSnapshot, Establishment, LeaverDestination, OrgRole, PersonIdx, QualificationRoute,
    ReasonLeave, Spell, SpellKind, WorkforceBuilder,
};
use sightline_csww::{CensusReturn, Worker};
use std::collections::BTreeMap;

/// The team every census spell is in: a return names no teams.
pub const CENSUS_TEAM: &str = "Census return";

#[allow(clippy::expect_used)] // 30 September of a census year (1990 to 2100) exists
fn reference_date(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 9, 30).expect("30 September exists")
}

#[allow(clippy::expect_used)] // dates of a return are years 1 to 9999, well inside chrono's range
fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).expect("a date well inside chrono's range")
}

#[allow(clippy::expect_used)] // dates of a return are years 1 to 9999, well inside chrono's range
fn day_before(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(1)).expect("a date well inside chrono's range")
}

/// A spell being built, with the last census year that spoke of it.
struct Building {
    spell: Spell,
    seen: i32,
    /// Whether its start is a stand-in (the record gave no start date).
    start_assumed: bool,
}

/// The history that `returns` (one per census year, any order) tell, as a
/// source whose people are known by SWE number. `notes` says where a rule
/// stood in for what a return could not tell.
pub fn history(returns: &[CensusReturn]) -> (SourceData, Vec<String>) {
    let mut returns: Vec<(i32, &CensusReturn)> = returns.iter().filter_map(|r| Some((r.year()?, r))).collect();
    returns.sort_by_key(|(y, _)| *y);
    let years: Vec<i32> = returns.iter().map(|(y, _)| *y).collect();
    let mut b = WorkforceBuilder::new();
    let team = b.team(CENSUS_TEAM);
    let mut notes = Vec::new();
    let mut records: BTreeMap<&str, Vec<(i32, &Worker)>> = BTreeMap::new();
    for (y, r) in &returns {
        for w in &r.workers {
            records.entry(w.swe_no.as_str()).or_default().push((*y, w));
        }
    }
    for (swe, recs) in &records {
        let person = b.person(swe);
        let mut employed: Vec<Building> = Vec::new();
        let mut agency: Vec<Building> = Vec::new();
        for (y, w) in recs {
            let (r, p0) = (reference_date(*y), next_day(reference_date(y - 1)));
            details(&mut b, person, swe, w);
            if let Some(cases) = w.cases30 {
                b.add_caseload(CaseloadSnapshot { person, date: r, cases });
            }
            if let Some(days) = w.working_days_lost.filter(|d| *d > 0.0) {
                let reason = AbsenceReason::Sickness;
                b.add_absence(Absence { person, start: p0, end: r, reason, days_lost: Some(days) });
            }
            let fte = if w.agency || w.role_end.is_some() { w.fte.or(w.fte30) } else { w.fte30.or(w.fte) };
            let Some(fte) = fte.filter(|f| *f > 0.0) else {
                notes.push(format!("{y}: worker {swe} (line {}) has no FTE above 0, so no spell was recorded", w.line));
                continue;
            };
            if w.agency {
                let role = w.org_role.unwrap_or(OrgRole::CaseHolder);
                let start = w.role_start.unwrap_or(r);
                let end = next_day(r);
                let last_year = reference_date(y - 1);
                // The same assignment (same FTE and role) seen at the last census date goes on.
                let same = |a: &&mut Building| {
                    a.seen == y - 1
                        && a.spell.end == Some(next_day(last_year))
                        && a.spell.fte == fte
                        && a.spell.org_role == role
                };
                match agency.iter_mut().find(same) {
                    Some(a) => {
                        a.spell.end = Some(end);
                        a.seen = *y;
                    }
                    None => {
                        let spell = Spell {
                            leaver_destination: None,
                            charge_rate: None,
                            person,
                            kind: SpellKind::Agency,
                            team,
                            org_role: role,
                            start,
                            end: Some(end),
                            fte,
                            reason_leave: None,
                        };
                        agency.push(Building { spell, seen: *y, start_assumed: false });
                    }
                }
                continue;
            }
            let Some(role) = w.org_role else {
                notes.push(format!("{y}: worker {swe} (line {}) has no OrgRole, so no spell was recorded", w.line));
                continue;
            };
            let reason = w.reason_leave;
            // An open spell from an earlier return that this record continues.
            let open = employed.iter().position(|s| s.spell.end.is_none() && s.seen < *y);
            match (open, w.role_start) {
                (Some(i), start) if start.is_none_or(|st| st <= employed[i].spell.start) => {
                    let s = &mut employed[i];
                    if let Some(st) = start.filter(|_| s.start_assumed) {
                        s.spell.start = st;
                        s.start_assumed = false;
                    }
                    if s.spell.fte != fte || s.spell.org_role != role {
                        // Changed during the year: taken to change on 2 October.
                        s.spell.end = Some(p0);
                        let spell = Spell {
                            start: next_day(p0),
                            end: w.role_end,
                            fte,
                            org_role: role,
                            reason_leave: reason,
                            ..s.spell.clone()
                        };
                        employed.push(Building { spell, seen: *y, start_assumed: false });
                    } else {
                        s.spell.end = w.role_end;
                        s.spell.reason_leave = reason;
                        s.spell.leaver_destination = w.leaver_destination.and_then(LeaverDestination::from_code);
                        s.seen = *y;
                    }
                }
                (open, given) => {
                    let start = given.unwrap_or(reference_date(y - 1));
                    if let Some(i) = open {
                        // A new role from `start`: the earlier one ends the day before.
                        employed[i].spell.end = Some(day_before(start).max(employed[i].spell.start));
                        employed[i].seen = *y;
                    }
                    // A starter whose FTE changed before 30 September: their
                    // starting FTE for their first day, then FTE30.
                    let started_at =
                        w.fte.filter(|f| *f > 0.0 && w.role_end.is_none() && start >= p0 && Some(*f) != w.fte30);
                    if let Some(first) = started_at {
                        let spell = Spell {
                            leaver_destination: None,
                            charge_rate: None,
                            person,
                            kind: SpellKind::Permanent,
                            team,
                            org_role: role,
                            start,
                            end: Some(start),
                            fte: first,
                            reason_leave: None,
                        };
                        employed.push(Building { spell, seen: *y, start_assumed: false });
                    }
                    let start = if started_at.is_some() { next_day(start) } else { start };
                    let spell = Spell {
                        leaver_destination: w.leaver_destination.and_then(LeaverDestination::from_code),
                        charge_rate: None,
                        person,
                        kind: SpellKind::Permanent,
                        team,
                        org_role: role,
                        start,
                        end: w.role_end,
                        fte,
                        reason_leave: reason,
                    };
                    employed.push(Building { spell, seen: *y, start_assumed: given.is_none() });
                }
            }
        }
        for s in &mut employed {
            // In post at a census date, missing from the next year's return.
            if s.spell.end.is_none() && years.contains(&(s.seen + 1)) {
                let leaving = next_day(reference_date(s.seen));
                notes.push(format!(
                    "worker {swe} was in post on 30 September {} but is not in the {} return: taken to leave on {leaving}, reason not known",
                    s.seen,
                    s.seen + 1
                ));
                s.spell.end = Some(leaving);
                s.spell.reason_leave = ReasonLeave::from_code(9);
            }
        }
        for s in employed.into_iter().chain(agency) {
            b.add_spell(s.spell);
        }
    }
    for (y, r) in &returns {
        let at = reference_date(*y);
        let in_post: f64 = r
            .workers
            .iter()
            .filter(|w| !w.agency && w.org_role.is_some() && w.role_end.is_none_or(|e| e > at))
            .filter_map(|w| w.fte30.or(w.fte))
            .sum();
        let funded = in_post + r.vacancies.number_of_vacancies;
        if funded > 0.0 {
            b.add_establishment(Establishment {
                team,
                fte: funded,
                start: at,
                end: Some(at),
                post_id: None,
                org_role: None,
            });
        }
    }
    let workforce = b.build();
    let rows_read = returns.iter().map(|(_, r)| r.workers.len()).sum();
    let data = SourceData {
        details: vec![PersonDetails::default(); workforce.persons().len()],
        workforce,
        agency_terms: Vec::new(),
        post_refs: Vec::new(),
        staff_groups: Vec::new(),
        funded_groups: Vec::new(),
        directorates: Vec::new(),
        caseload_weights: Vec::new(),
        development: Default::default(),
        voice: Default::default(),
        recruitment: Default::default(),
        skipped: Vec::new(),
        rows_read,
        mode: Mode::Full,
    };
    (data, notes)
}

/// The person's details from a record, later records winning.
fn details(b: &mut WorkforceBuilder, person: PersonIdx, swe: &str, w: &Worker) {
    let p = b.person_mut(person);
    p.swe_no = Some(swe.to_string());
    p.birth_date = w.birth_date.or(p.birth_date);
    p.gender = w.gender.or(p.gender);
    p.ethnicity = w.ethnicity.clone().or(p.ethnicity.take());
    let route = if w.step_up == Some(true) {
        Some(QualificationRoute::StepUp)
    } else if w.frontline == Some(true) {
        Some(QualificationRoute::Frontline)
    } else {
        match w.qual_level {
            Some(1) => Some(QualificationRoute::Undergraduate),
            Some(2) => Some(QualificationRoute::Postgraduate),
            Some(3) => Some(QualificationRoute::Other),
            _ => None,
        }
    };
    p.qualification_route = route.or(p.qualification_route);
}

/// One figure of this year's return beside last year's.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// A DfE field name.
    pub figure: &'static str,
    pub last_year: Option<f64>,
    pub this_year: Option<f64>,
    /// The change as a share of last year's figure (None when it was 0 or not defined).
    pub change: Option<f64>,
    /// Whether DfE is likely to query it: a change beyond the threshold, or from nothing.
    pub flagged: bool,
}

/// The figures DfE compares year on year.
pub const REVIEWED: [&str; 13] = [
    "inpost_headcount",
    "inpost_fte",
    "starters_headcount",
    "leavers_headcount",
    "turnover_rate_fte",
    "agency_headcount",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
];

/// This year's return beside last year's, each read as its year's history,
/// with the swings beyond `threshold` (a share: 0.1 is 10%) flagged.
pub fn review(
    last: &CensusReturn,
    this: &CensusReturn,
    calendar: &sightline_core::Calendar,
    threshold: f64,
) -> Vec<ReviewRow> {
    let figures = |r: &CensusReturn| {
        let (data, _) = history(std::slice::from_ref(r));
        let year = r.year().unwrap_or(0);
        sightline_core::indicators(&data.workforce, calendar, sightline_core::Period::census_year(year)).rounded()
    };
    let (a, b) = (figures(last), figures(this));
    REVIEWED
        .iter()
        .map(|f| {
            let (last_year, this_year) = (a.field(f), b.field(f));
            let change = match (last_year, this_year) {
                (Some(l), Some(t)) if l != 0.0 => Some((t - l) / l),
                _ => None,
            };
            let flagged = match (last_year, this_year, change) {
                (_, _, Some(c)) => c.abs() > threshold,
                (Some(l), Some(t), None) => l == 0.0 && t != 0.0,
                _ => false,
            };
            ReviewRow { figure: f, last_year, this_year, change, flagged }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::{indicators, Calendar, Period};
    use sightline_csww::LaVacancies;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn worker(swe: &str, fte30: f64, start: Option<&str>, end: Option<&str>) -> Worker {
        Worker {
            swe_no: swe.into(),
            fte30: end.is_none().then_some(fte30),
            fte: end.map(|_| fte30),
            org_role: Some(OrgRole::CaseHolder),
            role_start: start.map(d),
            start_origin: start.map(|_| 1),
            role_end: end.map(d),
            reason_leave: end.map(|_| ReasonLeave::from_code(1).unwrap()),
            leaver_destination: end.map(|_| 1),
            ..Worker::default()
        }
    }

    fn census(year: i32, vacancies: f64, workers: Vec<Worker>) -> CensusReturn {
        CensusReturn {
            header: Some(sightline_csww::Header { year: Some(year), ..Default::default() }),
            vacancies: LaVacancies { number_of_vacancies: vacancies, agency_fte: 0.0, agency_headcount: 0 },
            workers,
        }
    }

    #[test]
    fn two_returns_make_one_history_whose_stocks_and_flows_come_back() {
        let mut agency = worker("SW9", 1.0, None, None);
        agency.agency = true;
        agency.fte = Some(1.0);
        let y23 = census(
            2023,
            2.0,
            vec![
                worker("SW1", 1.0, Some("2018-05-01"), None),
                worker("SW2", 0.5, Some("2019-01-01"), None),
                worker("SW3", 1.0, Some("2015-01-01"), Some("2023-03-31")),
                agency.clone(),
            ],
        );
        let y24 = census(
            2024,
            1.5,
            vec![worker("SW1", 0.8, Some("2018-05-01"), None), worker("SW4", 1.0, Some("2024-02-01"), None), agency],
        );
        let (data, notes) = history(&[y24, y23]);
        let wf = &data.workforce;
        let cal = Calendar::england_and_wales();
        let i23 = indicators(wf, &cal, Period::census_year(2023));
        assert_eq!((i23.inpost_fte, i23.inpost_headcount, i23.leavers_fte), (1.5, 2, 1.0));
        assert_eq!((i23.agency_fte, i23.vacancy_fte), (1.0, Some(2.0)));
        let i24 = indicators(wf, &cal, Period::census_year(2024));
        // SW1 goes on at a new FTE; SW2 is missing from 2024, so leaves on 1 October 2023.
        assert_eq!((i24.inpost_fte, i24.starters_fte, i24.leavers_fte), (1.8, 1.0, 0.5));
        assert_eq!((i24.agency_fte, i24.agency_headcount), (1.0, 1));
        assert!((i24.vacancy_fte.unwrap() - 1.5).abs() < 1e-9, "vacancies come back: {:?}", i24.vacancy_fte);
        assert_eq!(notes.len(), 1, "{notes:?}");
        let cal2 = Calendar::england_and_wales();
        let rows = review(
            &census(2023, 2.0, vec![worker("SW1", 1.0, Some("2018-05-01"), None)]),
            &census(
                2024,
                2.0,
                vec![worker("SW1", 1.0, Some("2018-05-01"), None), worker("SW4", 1.0, Some("2024-02-01"), None)],
            ),
            &cal2,
            0.10,
        );
        let inpost = rows.iter().find(|r| r.figure == "inpost_fte").unwrap();
        assert_eq!(
            (inpost.last_year, inpost.this_year, inpost.change, inpost.flagged),
            (Some(1.0), Some(2.0), Some(1.0), true)
        );
        let vacancies = rows.iter().find(|r| r.figure == "vacancy_fte").unwrap();
        assert!(!vacancies.flagged, "no change");
        assert!(notes[0].contains("SW2"));
        let sw1 = wf.persons().iter().position(|p| p.id == "SW1").unwrap();
        let spells = wf.spells_of(PersonIdx(sw1 as u32));
        assert_eq!(spells.len(), 2);
        assert_eq!((spells[0].end, spells[1].start), (Some(d("2023-10-01")), d("2023-10-02")));
    }
}
