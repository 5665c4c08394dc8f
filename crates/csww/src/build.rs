//! The return for a census year, made from the workforce: every figure and
//! every worker record from the same model the indicators use.
//!
//! - Employed social workers in post at 30 September, and everyone who
//!   started or left employment in the year, one record per person (and per
//!   leaving, for anyone who left twice). Someone holding several posts is
//!   one record in the most senior role (the lowest OrgRole code), with the
//!   FTE of all their posts. `RoleStartDate` is the first day of their
//!   unbroken employment; `StartOrigin` is 9 (not known) because no source
//!   records it yet. A starter whose FTE has changed since starting also
//!   has `FTE`: their FTE on the day they started.
//! - Agency workers in post at 30 September, one record per spell (DfE does
//!   not de-duplicate agency records).
//! - `Cases30` is cases held at 30 September, `WorkingDaysLost` the
//!   indicators' sickness days in the year, both for those in post then.
//! - `LALevelVacancies` is the indicators' `vacancy_fte` and
//!   `agency_cover_fte`; its headcount counts, in each team with vacancies,
//!   agency workers from the largest FTE down while the team's cover lasts.

use crate::{CensusReturn, Header, LaVacancies, Worker};
use chrono::NaiveDate;
use sightline_core::calendar::previous_day;
use sightline_core::leavers::ends_in_leaving;
use sightline_core::{
    indicators, sickness_days_lost, Calendar, Period, PersonIdx, QualificationRoute, Spell, Workforce,
};

/// `x` to `places` decimal places, as the format holds it.
fn to_places(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale + 0.0
}

/// What the return says of itself in its header.
#[derive(Debug, Clone)]
pub struct Producer {
    /// The three-digit old LA code.
    pub lea: String,
    /// The producing software, e.g. "Sightline 0.1.0".
    pub software: String,
    /// When the return was produced (ISO 8601).
    pub produced_at: String,
}

/// The first day of the unbroken employment that includes `day`.
fn employed_since(wf: &Workforce, p: PersonIdx, day: NaiveDate) -> NaiveDate {
    let spells = wf.spells_of(p);
    let mut since =
        spells.iter().filter(|s| s.kind.is_employed() && s.covers(day)).map(|s| s.start).min().unwrap_or(day);
    while let Some(before) = spells
        .iter()
        .filter(|s| s.kind.is_employed() && s.start < since && s.covers(previous_day(since)))
        .map(|s| s.start)
        .min()
    {
        since = before;
    }
    since
}

fn person_items(wf: &Workforce, p: PersonIdx, w: &mut Worker) {
    let person = wf.person(p);
    w.swe_no = person.swe_no.clone().unwrap_or_default();
    w.birth_date = person.birth_date;
    w.gender = person.gender;
    w.ethnicity = person.ethnicity.clone();
    w.qual_inst = vec!["Not recorded".to_string()];
    let route = person.qualification_route;
    w.qual_level = match route {
        Some(QualificationRoute::Undergraduate | QualificationRoute::Apprenticeship) => Some(1),
        Some(QualificationRoute::Postgraduate | QualificationRoute::StepUp | QualificationRoute::Frontline) => Some(2),
        Some(QualificationRoute::International | QualificationRoute::Other) => Some(3),
        None => None,
    };
    w.step_up = Some(route == Some(QualificationRoute::StepUp));
    w.frontline = Some(route == Some(QualificationRoute::Frontline));
}

/// The return for census `year`.
pub fn census_return(wf: &Workforce, calendar: &Calendar, year: i32, producer: &Producer) -> CensusReturn {
    census_return_with(wf, calendar, year, producer, None)
}

/// [`census_return`] with the early-career records: an employed worker in
/// an early-career programme (ASYE or ECDP) on the reference date (a
/// leaver: on their last day) gets `CFKSSstatus` 1 (ASYE).
pub fn census_return_with(
    wf: &Workforce,
    calendar: &Calendar,
    year: i32,
    producer: &Producer,
    development: Option<&sightline_core::development::Development>,
) -> CensusReturn {
    let period = Period::census_year(year);
    let r = period.end;
    let mut workers = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        let employed: Vec<&Spell> = spells.iter().filter(|s| s.kind.is_employed()).collect();
        let in_post: Vec<&&Spell> = employed.iter().filter(|s| s.in_post_at(r)).collect();
        // Each leaving in the year (posts left on one day together), and the
        // employment in post at the reference date.
        let mut leavings: Vec<NaiveDate> = employed
            .iter()
            .filter(|s| s.end.is_some_and(|e| period.contains(e)) && ends_in_leaving(wf, s))
            .filter_map(|s| s.end)
            .collect();
        leavings.sort();
        leavings.dedup();
        let mut records: Vec<(Vec<&Spell>, Option<NaiveDate>)> = leavings
            .iter()
            .map(|e| (employed.iter().filter(|s| s.end == Some(*e)).copied().collect(), Some(*e)))
            .collect();
        if !in_post.is_empty() {
            records.push((in_post.iter().map(|s| **s).collect(), None));
        }
        for (posts, left) in records {
            let Some(senior) = posts.iter().min_by_key(|s| s.org_role.code()) else { continue };
            let last_day = left.unwrap_or(r);
            let start = employed_since(wf, p, last_day.min(senior.end.unwrap_or(last_day)));
            let mut w = Worker { agency: false, ..Worker::default() };
            person_items(wf, p, &mut w);
            w.org_role = Some(senior.org_role);
            if development.is_some_and(|d| d.early_careers_of(p).iter().any(|e| e.in_programme_on(last_day))) {
                w.cfkss_status = vec![1];
            }
            let fte = to_places(posts.iter().map(|s| s.fte).sum::<f64>().min(1.0), 6);
            w.role_start = Some(start);
            w.start_origin = Some(9);
            match left {
                Some(e) => {
                    w.fte = Some(fte);
                    w.role_end = Some(e);
                    w.reason_leave =
                        posts.iter().find_map(|s| s.reason_leave).or(sightline_core::ReasonLeave::from_code(9));
                    w.leaver_destination =
                        Some(posts.iter().find_map(|s| s.leaver_destination).map_or(8, |d| d.code()));
                }
                None => {
                    // A starter's FTE when they started, if it has changed since.
                    if period.contains(start) {
                        let at_start: f64 = employed.iter().filter(|s| s.covers(start)).map(|s| s.fte).sum();
                        let at_start = to_places(at_start.min(1.0), 6);
                        if at_start != fte {
                            w.fte = Some(at_start);
                        }
                    }
                    w.fte30 = Some(fte);
                    w.cases30 = Some(wf.cases_held_at(p, r));
                    w.working_days_lost = Some(to_places(sickness_days_lost(wf, p, period, calendar), 2));
                }
            }
            workers.push(w);
        }
        for s in spells.iter().filter(|s| !s.kind.is_employed() && s.in_post_at(r)) {
            let person = wf.person(p);
            workers.push(Worker {
                agency: true,
                swe_no: person.swe_no.clone().unwrap_or_default(),
                fte: Some(to_places(s.fte, 6)),
                qual_inst: vec!["Not recorded".to_string()],
                org_role: Some(s.org_role),
                cases30: in_post.is_empty().then(|| wf.cases_held_at(p, r)),
                ..Worker::default()
            });
        }
    }
    let figures = indicators(wf, calendar, period);
    CensusReturn {
        header: Some(Header {
            collection: Some("CSWW".into()),
            year: Some(year),
            reference_date: Some(r),
            source_level: Some("L".into()),
            lea: Some(producer.lea.clone()),
            software_code: Some(producer.software.clone()),
            date_time: Some(producer.produced_at.clone()),
        }),
        vacancies: LaVacancies {
            number_of_vacancies: to_places(figures.vacancy_fte.unwrap_or(0.0), 2),
            agency_fte: to_places(figures.agency_cover_fte.unwrap_or(0.0), 2),
            agency_headcount: agency_headcount_covering(wf, r),
        },
        workers,
    }
}

/// Agency workers covering vacancies at `r`: in each team, from the largest
/// FTE down, while the team's cover (min of agency FTE and vacancy) lasts.
fn agency_headcount_covering(wf: &Workforce, r: NaiveDate) -> u32 {
    let staffing = sightline_core::staffing_by_team(wf, r);
    let mut count = 0;
    for (t, team) in staffing.iter().enumerate() {
        let mut left = team.agency_cover_fte;
        let mut ftes: Vec<f64> =
            wf.in_post_at(r).filter(|s| !s.kind.is_employed() && s.team.0 as usize == t).map(|s| s.fte).collect();
        ftes.sort_by(|a, b| b.total_cmp(a));
        for f in ftes {
            if left <= 1e-9 {
                break;
            }
            count += 1;
            left -= f;
        }
    }
    count
}
