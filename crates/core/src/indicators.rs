//! The indicator engine: DfE's children's social work workforce indicators,
//! computed exactly as `docs/indicators.md` (the project's copy of the
//! canonical specification) defines them, for any 12-month period, for the
//! whole authority or by team or by organisational role.
//!
//! Every figure that Sightline shows anywhere is computed here, once.

use crate::calendar::{next_day, previous_day, Calendar, Date, Period};
use crate::codes::{AbsenceReason, OrgRole};
use crate::leavers::{ends_in_leaving, starts_employment};
use crate::model::{Absence, PersonIdx, Spell, Workforce};
use serde::Serialize;

// ---------------------------------------------------------------------------
// The formulas. Each rate is undefined (None) when its denominator is 0.

fn percent(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0).then(|| 100.0 * numerator / denominator)
}

/// DfE: "FTE leavers in the year to 30 September divided by FTE in post at
/// 30 September" (the same with headcounts for the headcount rate).
pub fn turnover_rate(leavers: f64, inpost: f64) -> Option<f64> {
    percent(leavers, inpost)
}

/// DfE: "FTE agency social workers divided by the sum of FTE agency social
/// workers and FTE social workers" (the same with headcounts).
pub fn agency_rate(agency: f64, inpost: f64) -> Option<f64> {
    percent(agency, agency + inpost)
}

/// Vacancies as a share of vacancies plus FTE in post.
pub fn vacancy_rate(vacancy: f64, inpost: f64) -> Option<f64> {
    percent(vacancy, vacancy + inpost)
}

/// Share of agency FTE that covers vacancies.
pub fn agency_cover_rate(agency_cover: f64, agency: f64) -> Option<f64> {
    percent(agency_cover, agency)
}

/// Share of vacant FTE covered by agency workers.
pub fn vacancy_agency_cover_rate(agency_cover: f64, vacancy: f64) -> Option<f64> {
    percent(agency_cover, vacancy)
}

/// DfE: "total cases held by FTE social workers, including agency workers,
/// in post divided by the FTE of those in post that held one or more cases".
pub fn caseload(cases: f64, case_holders_fte: f64) -> Option<f64> {
    (case_holders_fte != 0.0).then(|| cases / case_holders_fte)
}

/// Working days lost to sickness as a share of the working days of the FTE in post.
pub fn absence_rate(working_days_lost: f64, inpost: f64, divisor: f64) -> Option<f64> {
    percent(working_days_lost, inpost * divisor)
}

/// D in the absence rate: 253 working days, or 254 when the period holds a 29 February.
pub fn absence_divisor(period: Period) -> f64 {
    if period.contains_leap_day() {
        254.0
    } else {
        253.0
    }
}

/// Working days of an absence episode that count in `period`: the working
/// days of the episode inside the period; when the HR system recorded
/// `days_lost`, that figure as given for an episode wholly inside the period,
/// or prorated by working days for one that crosses its start or end.
pub fn working_days_lost_in(absence: &Absence, period: Period, calendar: &Calendar) -> f64 {
    let from = absence.start.max(period.start);
    let to = absence.end.min(period.end);
    if to < from {
        return 0.0;
    }
    let inside = calendar.working_days(from, to) as f64;
    match absence.days_lost {
        None => inside,
        Some(given) if absence.start >= period.start && absence.end <= period.end => given,
        Some(given) => {
            let whole = calendar.working_days(absence.start, absence.end) as f64;
            if whole == 0.0 {
                0.0
            } else {
                given * inside / whole
            }
        }
    }
}

/// DfE rounding for display and export: half away from zero to `places`.
pub fn round_dfe(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    let scaled = x * scale;
    // Nudge by far less than any real difference so that 36.05 stored as
    // 36.04999... still rounds up, as it would on paper.
    (scaled + scaled.signum() * 1e-7).round() / scale
}

// ---------------------------------------------------------------------------
// The indicators.

/// Every DfE indicator for one period and one group, unrounded. Field names
/// are DfE's column names. Rates are `None` where undefined; vacancy figures
/// are `None` by organisational role, which the establishment need not carry.
/// Without any establishment, vacancies are 0 as the definition gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicators {
    pub inpost_fte: f64,
    pub inpost_headcount: u32,
    pub starters_fte: f64,
    pub starters_headcount: u32,
    pub leavers_fte: f64,
    pub leavers_headcount: u32,
    pub turnover_rate_fte: Option<f64>,
    pub turnover_rate_headcount: Option<f64>,
    pub agency_fte: f64,
    pub agency_headcount: u32,
    pub agency_rate_fte: Option<f64>,
    pub agency_rate_headcount: Option<f64>,
    pub agency_cover_fte: Option<f64>,
    pub agency_cover_rate_fte: Option<f64>,
    pub vacancy_fte: Option<f64>,
    pub vacancy_rate_fte: Option<f64>,
    pub vacancy_agency_cover_rate_fte: Option<f64>,
    pub case_holders_fte: f64,
    pub cases: u64,
    pub caseload_fte: Option<f64>,
    pub working_days_lost_fte: f64,
    pub absence_rate_fte: Option<f64>,
}

/// Moves into and out of a group (a team or a role) by people who stay
/// employed by the authority: not starters or leavers of the authority.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Moves {
    pub moves_in_fte: f64,
    pub moves_in_headcount: u32,
    pub moves_out_fte: f64,
    pub moves_out_headcount: u32,
}

/// How to split the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// The whole authority: the figures DfE publishes.
    Authority,
    /// By team. Vacancies are measured against each team's establishment.
    Team,
    /// By CSWW organisational role. The canonical establishment has no
    /// required role, so vacancy figures are not given by role.
    OrgRole,
}

/// The indicators of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupIndicators {
    /// Team name, or the role's code as text; `None` for the whole authority.
    pub group: Option<String>,
    pub indicators: Indicators,
    pub moves: Moves,
}

/// Counts accumulated per group before the rates are derived.
#[derive(Debug, Clone, Default)]
struct Tally {
    inpost_fte: f64,
    inpost_headcount: u32,
    starters_fte: f64,
    starters_headcount: u32,
    leavers_fte: f64,
    leavers_headcount: u32,
    agency_fte: f64,
    agency_headcount: u32,
    vacancy_fte: Option<f64>,
    agency_cover_fte: Option<f64>,
    case_holders_fte: f64,
    cases: u64,
    working_days_lost_fte: f64,
    moves: Moves,
}

impl Tally {
    fn into_indicators(self, divisor: f64) -> Indicators {
        let rate_or_none =
            |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> Option<f64>| a.zip(b).and_then(|(a, b)| f(a, b));
        Indicators {
            turnover_rate_fte: turnover_rate(self.leavers_fte, self.inpost_fte),
            turnover_rate_headcount: turnover_rate(self.leavers_headcount as f64, self.inpost_headcount as f64),
            agency_rate_fte: agency_rate(self.agency_fte, self.inpost_fte),
            agency_rate_headcount: agency_rate(self.agency_headcount as f64, self.inpost_headcount as f64),
            agency_cover_rate_fte: rate_or_none(self.agency_cover_fte, Some(self.agency_fte), agency_cover_rate),
            vacancy_rate_fte: rate_or_none(self.vacancy_fte, Some(self.inpost_fte), vacancy_rate),
            vacancy_agency_cover_rate_fte: rate_or_none(
                self.agency_cover_fte,
                self.vacancy_fte,
                vacancy_agency_cover_rate,
            ),
            caseload_fte: caseload(self.cases as f64, self.case_holders_fte),
            absence_rate_fte: absence_rate(self.working_days_lost_fte, self.inpost_fte, divisor),
            inpost_fte: self.inpost_fte,
            inpost_headcount: self.inpost_headcount,
            starters_fte: self.starters_fte,
            starters_headcount: self.starters_headcount,
            leavers_fte: self.leavers_fte,
            leavers_headcount: self.leavers_headcount,
            agency_fte: self.agency_fte,
            agency_headcount: self.agency_headcount,
            agency_cover_fte: self.agency_cover_fte,
            vacancy_fte: self.vacancy_fte,
            case_holders_fte: self.case_holders_fte,
            cases: self.cases,
            working_days_lost_fte: self.working_days_lost_fte,
        }
    }
}

/// Adds `key` to `seen` and reports whether it was new (small per-person sets).
fn first_time<T: PartialEq>(seen: &mut Vec<T>, key: T) -> bool {
    if seen.contains(&key) {
        false
    } else {
        seen.push(key);
        true
    }
}

/// The indicators of the whole authority for `period`.
pub fn indicators(wf: &Workforce, calendar: &Calendar, period: Period) -> Indicators {
    let mut all = indicators_by(wf, calendar, period, Grouping::Authority);
    all.pop().expect("one group for the authority").indicators
}

/// The indicators for `period`, one entry per group.
///
/// People are counted in each group they are in post in; a move between
/// groups without a gap in employment is a move out of one and into the
/// other, never a leaver or starter. Cases and working days lost belong to a
/// person, so they count in the person's main group at the reference date
/// (the group of their in-post spell with the largest FTE; employed spells
/// first for working days lost).
pub fn indicators_by(wf: &Workforce, calendar: &Calendar, period: Period, grouping: Grouping) -> Vec<GroupIndicators> {
    let split = match grouping {
        Grouping::Authority => Split::Authority,
        Grouping::Team => Split::Team,
        Grouping::OrgRole => Split::OrgRole,
    };
    tally_groups(wf, calendar, period, split)
}

/// Teams gathered into larger groups, such as the services of a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamGroups {
    pub names: Vec<String>,
    /// For each team (by [`crate::model::TeamId`]), the index of its group in `names`.
    pub of_team: Vec<usize>,
}

/// Where [`TeamGroups::by_service`] puts a team that is in no service area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unassigned {
    /// Each such team is a group of its own, named after it, in the teams' order.
    OwnGroup,
    /// All of them in one last group with this name (always present, even if empty).
    Together(&'static str),
}

impl TeamGroups {
    /// Teams (the workforce's, in [`crate::model::TeamId`] order) grouped by
    /// service area from `(team, service)` pairs; a team named in no pair is
    /// placed as `unassigned` says.
    pub fn by_service(teams: &[String], services: &[(String, String)], unassigned: Unassigned) -> TeamGroups {
        let service_of = |team: &String| services.iter().find(|(t, _)| t == team).map(|(_, s)| s);
        let mut names: Vec<String> = Vec::new();
        let position = |names: &mut Vec<String>, name: &String| match names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                names.push(name.clone());
                names.len() - 1
            }
        };
        match unassigned {
            Unassigned::OwnGroup => {
                let of_team = teams.iter().map(|team| position(&mut names, service_of(team).unwrap_or(team))).collect();
                TeamGroups { names, of_team }
            }
            Unassigned::Together(other) => {
                for (_, s) in services {
                    position(&mut names, s);
                }
                let rest = names.len();
                let of_team = teams
                    .iter()
                    .map(|team| service_of(team).and_then(|s| names.iter().position(|n| n == s)).unwrap_or(rest))
                    .collect();
                names.push(other.to_string());
                TeamGroups { names, of_team }
            }
        }
    }
}

/// The indicators for `period` by groups of teams, as [`indicators_by`]
/// gives them by team: a move between teams of one group is no move, and a
/// move between groups is a move out of one and into the other.
pub fn indicators_by_team_groups(
    wf: &Workforce,
    calendar: &Calendar,
    period: Period,
    groups: &TeamGroups,
) -> Vec<GroupIndicators> {
    assert_eq!(groups.of_team.len(), wf.teams().len(), "a group for every team");
    tally_groups(wf, calendar, period, Split::TeamGroups(groups))
}

/// How [`tally_groups`] splits the figures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split<'a> {
    Authority,
    Team,
    OrgRole,
    TeamGroups(&'a TeamGroups),
}

fn tally_groups(wf: &Workforce, calendar: &Calendar, period: Period, split: Split<'_>) -> Vec<GroupIndicators> {
    let r = period.end;
    let group_count = match split {
        Split::Authority => 1,
        Split::Team => wf.teams().len(),
        Split::OrgRole => OrgRole::ALL.len(),
        Split::TeamGroups(g) => g.names.len(),
    };
    let group_of_team = |team: usize| -> usize {
        match split {
            Split::Authority => 0,
            Split::Team => team,
            Split::TeamGroups(g) => g.of_team[team],
            Split::OrgRole => unreachable!("roles are not teams"),
        }
    };
    let key = |s: &Spell| -> usize {
        match split {
            Split::OrgRole => s.org_role.code() as usize - 1,
            _ => group_of_team(s.team.0 as usize),
        }
    };
    let mut tallies = vec![Tally::default(); group_count];
    let mut team_inpost = vec![0.0; wf.teams().len()];
    let mut team_agency = vec![0.0; wf.teams().len()];

    let mut seen_inpost: Vec<usize> = Vec::new();
    let mut seen_events: Vec<(u8, usize, Date)> = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        if spells.is_empty() {
            continue;
        }
        seen_inpost.clear();
        seen_events.clear();
        let employed_in_group_on =
            |g: usize, d: Date| spells.iter().any(|s| s.kind.is_employed() && key(s) == g && s.covers(d));
        // (group, fte) of the person's largest in-post spell, and of the largest employed one.
        let mut main_any: Option<(usize, f64)> = None;
        let mut main_employed: Option<(usize, f64)> = None;
        for s in spells {
            let g = key(s);
            let t = &mut tallies[g];
            if s.in_post_at(r) {
                if main_any.is_none_or(|(_, f)| s.fte > f) {
                    main_any = Some((g, s.fte));
                }
                if s.kind.is_employed() {
                    if main_employed.is_none_or(|(_, f)| s.fte > f) {
                        main_employed = Some((g, s.fte));
                    }
                    t.inpost_fte += s.fte;
                    team_inpost[s.team.0 as usize] += s.fte;
                    if first_time(&mut seen_inpost, g) {
                        t.inpost_headcount += 1;
                    }
                } else {
                    t.agency_fte += s.fte;
                    t.agency_headcount += 1;
                    team_agency[s.team.0 as usize] += s.fte;
                }
            }
            if !s.kind.is_employed() {
                continue;
            }
            if let Some(e) = s.end.filter(|e| period.contains(*e)) {
                let after = next_day(e);
                if ends_in_leaving(wf, s) {
                    t.leavers_fte += s.fte;
                    if first_time(&mut seen_events, (0, g, e)) {
                        t.leavers_headcount += 1;
                    }
                } else if split != Split::Authority && !employed_in_group_on(g, after) {
                    t.moves.moves_out_fte += s.fte;
                    if first_time(&mut seen_events, (1, g, e)) {
                        t.moves.moves_out_headcount += 1;
                    }
                }
            }
            if period.contains(s.start) {
                let before = previous_day(s.start);
                if starts_employment(wf, s) {
                    t.starters_fte += s.fte;
                    if first_time(&mut seen_events, (2, g, s.start)) {
                        t.starters_headcount += 1;
                    }
                } else if split != Split::Authority && !employed_in_group_on(g, before) {
                    t.moves.moves_in_fte += s.fte;
                    if first_time(&mut seen_events, (3, g, s.start)) {
                        t.moves.moves_in_headcount += 1;
                    }
                }
            }
        }
        if let Some((main, _)) = main_any {
            let cases = wf.cases_held_at(p, r);
            if cases > 0 {
                tallies[main].cases += u64::from(cases);
                for s in spells.iter().filter(|s| s.in_post_at(r)) {
                    tallies[key(s)].case_holders_fte += s.fte;
                }
            }
        }
        if let Some((main, _)) = main_employed {
            tallies[main].working_days_lost_fte += sickness_days_lost(wf, p, period, calendar);
        }
    }

    if split != Split::OrgRole {
        let mut establishment = vec![0.0; wf.teams().len()];
        for e in wf.establishment().iter().filter(|e| e.applies_at(r)) {
            establishment[e.team.0 as usize] += e.fte;
        }
        let mut vacancy = vec![0.0; tallies.len()];
        let mut cover = vec![0.0; tallies.len()];
        for team in 0..wf.teams().len() {
            let vacant = (establishment[team] - team_inpost[team]).max(0.0);
            let g = group_of_team(team);
            vacancy[g] += vacant;
            cover[g] += team_agency[team].min(vacant);
        }
        for (t, (v, c)) in tallies.iter_mut().zip(vacancy.into_iter().zip(cover)) {
            (t.vacancy_fte, t.agency_cover_fte) = (Some(v), Some(c));
        }
    }

    let divisor = absence_divisor(period);
    tallies
        .into_iter()
        .enumerate()
        .map(|(g, t)| GroupIndicators {
            group: match split {
                Split::Authority => None,
                Split::Team => Some(wf.teams()[g].clone()),
                Split::OrgRole => Some(OrgRole::ALL[g].code().to_string()),
                Split::TeamGroups(groups) => Some(groups.names[g].clone()),
            },
            moves: t.moves.clone(),
            indicators: t.into_indicators(divisor),
        })
        .collect()
}

/// Working days lost to sickness by a person in `period`.
/// The team of the person's largest employed post in post at `r` (the first
/// of equals): where the indicators count their working days lost.
pub fn main_employed_team(wf: &Workforce, p: PersonIdx, r: Date) -> Option<crate::model::TeamId> {
    let mut main: Option<&Spell> = None;
    for s in wf.spells_of(p).iter().filter(|s| s.kind.is_employed() && s.in_post_at(r)) {
        if main.is_none_or(|m| s.fte > m.fte) {
            main = Some(s);
        }
    }
    main.map(|s| s.team)
}

pub fn sickness_days_lost(wf: &Workforce, p: PersonIdx, period: Period, calendar: &Calendar) -> f64 {
    wf.absences_of(p)
        .iter()
        .filter(|a| a.reason == AbsenceReason::Sickness && a.start <= period.end && a.end >= period.start)
        .map(|a| working_days_lost_in(a, period, calendar))
        .sum()
}

/// The indicators for several periods, worked out side by side on the
/// machine's cores; in the order of `periods`.
pub fn indicators_for_periods(
    wf: &Workforce,
    calendar: &Calendar,
    periods: &[Period],
    grouping: Grouping,
) -> Vec<(Period, Vec<GroupIndicators>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(periods.len()).max(1);
    let chunk = periods.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = periods
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().map(|p| (*p, indicators_by(wf, calendar, *p, grouping))).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("indicator worker")).collect()
    })
}

/// The 12-month figures to the last day of each month from `first` to
/// `last` (both month ends included), one entry per month and group.
pub fn monthly_series(
    wf: &Workforce,
    calendar: &Calendar,
    first: Date,
    last: Date,
    grouping: Grouping,
) -> Vec<(Period, Vec<GroupIndicators>)> {
    let mut periods = Vec::new();
    let mut month_end = crate::calendar::month_end(first);
    while month_end <= last {
        periods.push(Period::twelve_months_to(month_end));
        month_end = crate::calendar::month_end(next_day(month_end));
    }
    indicators_for_periods(wf, calendar, &periods, grouping)
}

impl Indicators {
    /// The figures as DfE publishes them: FTEs, rates, caseload and days to
    /// one decimal place; headcounts and cases are whole already.
    pub fn rounded(&self) -> Indicators {
        let r1 = |x: f64| round_dfe(x, 1);
        let o1 = |x: Option<f64>| x.map(r1);
        Indicators {
            inpost_fte: r1(self.inpost_fte),
            inpost_headcount: self.inpost_headcount,
            starters_fte: r1(self.starters_fte),
            starters_headcount: self.starters_headcount,
            leavers_fte: r1(self.leavers_fte),
            leavers_headcount: self.leavers_headcount,
            turnover_rate_fte: o1(self.turnover_rate_fte),
            turnover_rate_headcount: o1(self.turnover_rate_headcount),
            agency_fte: r1(self.agency_fte),
            agency_headcount: self.agency_headcount,
            agency_rate_fte: o1(self.agency_rate_fte),
            agency_rate_headcount: o1(self.agency_rate_headcount),
            agency_cover_fte: o1(self.agency_cover_fte),
            agency_cover_rate_fte: o1(self.agency_cover_rate_fte),
            vacancy_fte: o1(self.vacancy_fte),
            vacancy_rate_fte: o1(self.vacancy_rate_fte),
            vacancy_agency_cover_rate_fte: o1(self.vacancy_agency_cover_rate_fte),
            case_holders_fte: r1(self.case_holders_fte),
            cases: self.cases,
            caseload_fte: o1(self.caseload_fte),
            working_days_lost_fte: r1(self.working_days_lost_fte),
            absence_rate_fte: o1(self.absence_rate_fte),
        }
    }
}

impl Indicators {
    /// A figure by its DfE column name (see [`crate::published::FIELDS`]).
    pub fn field(&self, name: &str) -> Option<f64> {
        match name {
            "inpost_fte" => Some(self.inpost_fte),
            "inpost_headcount" => Some(self.inpost_headcount as f64),
            "starters_fte" => Some(self.starters_fte),
            "starters_headcount" => Some(self.starters_headcount as f64),
            "leavers_fte" => Some(self.leavers_fte),
            "leavers_headcount" => Some(self.leavers_headcount as f64),
            "turnover_rate_fte" => self.turnover_rate_fte,
            "turnover_rate_headcount" => self.turnover_rate_headcount,
            "agency_fte" => Some(self.agency_fte),
            "agency_headcount" => Some(self.agency_headcount as f64),
            "agency_rate_fte" => self.agency_rate_fte,
            "agency_rate_headcount" => self.agency_rate_headcount,
            "agency_cover_fte" => self.agency_cover_fte,
            "agency_cover_rate_fte" => self.agency_cover_rate_fte,
            "vacancy_fte" => self.vacancy_fte,
            "vacancy_rate_fte" => self.vacancy_rate_fte,
            "vacancy_agency_cover_rate_fte" => self.vacancy_agency_cover_rate_fte,
            "case_holders_fte" => Some(self.case_holders_fte),
            "cases" => Some(self.cases as f64),
            "caseload_fte" => self.caseload_fte,
            "working_days_lost_fte" => Some(self.working_days_lost_fte),
            "absence_rate_fte" => self.absence_rate_fte,
            _ => None,
        }
    }
}

impl Moves {
    pub fn rounded(&self) -> Moves {
        Moves {
            moves_in_fte: round_dfe(self.moves_in_fte, 1),
            moves_out_fte: round_dfe(self.moves_out_fte, 1),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{ReasonLeave, SpellKind};
    use crate::model::test_support::{d, spell};
    use crate::model::{CaseloadSnapshot, Establishment, WorkforceBuilder};

    /// Census year 2024. `a` moves from MASH to Child in Need on 1 April;
    /// `b` leaves MASH on 30 September (a leaver, not in post); `c` works
    /// 0.5 in each team and holds 12 cases; one agency worker in MASH.
    fn example() -> Workforce {
        let mut b = WorkforceBuilder::new();
        let (mash, cin) = (b.team("MASH"), b.team("Child in Need"));
        let mut add = |id: &str, team, kind, start: &str, end: Option<&str>, fte: f64, reason: Option<ReasonLeave>| {
            let person = b.person(id);
            b.add_spell(Spell { reason_leave: reason, ..spell(person, team, kind, start, end, fte) });
        };
        add("a", mash, SpellKind::Permanent, "2020-01-01", Some("2024-03-31"), 1.0, None);
        add("a", cin, SpellKind::Permanent, "2024-04-01", None, 1.0, None);
        add("b", mash, SpellKind::Permanent, "2019-05-01", Some("2024-09-30"), 0.6, Some(ReasonLeave::RESIGNATION));
        add("c", mash, SpellKind::FixedTerm, "2024-01-08", None, 0.5, None);
        add("c", cin, SpellKind::FixedTerm, "2024-01-08", None, 0.5, None);
        add("g", mash, SpellKind::Agency, "2024-06-01", None, 1.0, None);
        let c = b.person("c");
        b.add_caseload(CaseloadSnapshot { person: c, date: d("2024-09-27"), cases: 12 });
        b.add_establishment(Establishment {
            team: mash,
            fte: 2.0,
            start: d("2023-01-01"),
            end: None,
            post_id: None,
            org_role: None,
        });
        b.add_establishment(Establishment {
            team: cin,
            fte: 1.0,
            start: d("2023-01-01"),
            end: None,
            post_id: None,
            org_role: None,
        });
        b.build()
    }

    #[test]
    fn groups_of_teams_agree_with_the_authority_and_with_teams() {
        let wf = example();
        let cal = Calendar::england_and_wales();
        let y = Period::census_year(2024);
        let one = TeamGroups { names: vec!["Front door".into()], of_team: vec![0, 0] };
        let service = &indicators_by_team_groups(&wf, &cal, y, &one)[0];
        assert_eq!(service.indicators, indicators(&wf, &cal, y));
        assert_eq!(service.moves, Moves::default(), "a move inside the service is no move");
        let each = TeamGroups { names: wf.teams().to_vec(), of_team: vec![0, 1] };
        let by_groups = indicators_by_team_groups(&wf, &cal, y, &each);
        assert_eq!(by_groups, indicators_by(&wf, &cal, y, Grouping::Team));
    }

    #[test]
    fn the_authority_and_its_teams() {
        let wf = example();
        let cal = Calendar::england_and_wales();
        let y = Period::census_year(2024);
        let all = indicators(&wf, &cal, y);
        assert_eq!((all.inpost_fte, all.inpost_headcount), (2.0, 2));
        assert_eq!((all.leavers_fte, all.leavers_headcount), (0.6, 1));
        assert_eq!((all.starters_fte, all.starters_headcount), (1.0, 1), "c's two posts start together: one starter");
        assert_eq!(all.turnover_rate_fte, Some(30.0));
        // MASH: 2.0 funded, 0.5 in post -> 1.5 vacant, covered by the 1.0 agency worker.
        // Child in Need: 1.0 funded, 1.5 in post -> over establishment, no vacancy.
        assert_eq!((all.vacancy_fte, all.agency_cover_fte), (Some(1.5), Some(1.0)));
        assert_eq!(all.agency_cover_rate_fte, Some(100.0));
        assert_eq!(all.case_holders_fte, 1.0);
        assert_eq!(all.caseload_fte, Some(12.0));

        let teams = indicators_by(&wf, &cal, y, Grouping::Team);
        let team = |name: &str| teams.iter().find(|g| g.group.as_deref() == Some(name)).unwrap();
        let (mash, cin) = (team("MASH"), team("Child in Need"));
        assert_eq!((mash.moves.moves_out_headcount, mash.moves.moves_out_fte), (1, 1.0), "a's move is out of MASH");
        assert_eq!((cin.moves.moves_in_headcount, cin.moves.moves_in_fte), (1, 1.0), "and into Child in Need");
        assert_eq!(mash.indicators.leavers_headcount, 1, "only b left MASH");
        assert_eq!(cin.indicators.leavers_headcount, 0);
        assert_eq!(mash.indicators.inpost_headcount + cin.indicators.inpost_headcount, 3, "c counts in both teams");
        assert_eq!((mash.indicators.vacancy_fte, cin.indicators.vacancy_fte), (Some(1.5), Some(0.0)));
        assert_eq!((mash.indicators.case_holders_fte, cin.indicators.case_holders_fte), (0.5, 0.5));
        assert_eq!(mash.indicators.cases + cin.indicators.cases, 12, "cases count once, in c's main team");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_dfe(36.05, 1), 36.1);
        assert_eq!(round_dfe(36.04999, 1), 36.0);
        assert_eq!(round_dfe(0.15, 1), 0.2);
        assert_eq!(round_dfe(2.5, 0), 3.0);
    }

    #[test]
    fn days_lost_follow_the_hr_record_or_the_calendar() {
        let cal = Calendar::england_and_wales();
        let y = Period::census_year(2024);
        let absence = |start: &str, end: &str, days_lost: Option<f64>| crate::model::Absence {
            person: crate::model::PersonIdx(0),
            start: d(start),
            end: d(end),
            reason: AbsenceReason::Sickness,
            days_lost,
        };
        // Mon 23 to Fri 27 September 2024: five working days.
        assert_eq!(working_days_lost_in(&absence("2024-09-23", "2024-09-27", None), y, &cal), 5.0);
        assert_eq!(working_days_lost_in(&absence("2024-09-23", "2024-09-27", Some(2.5)), y, &cal), 2.5);
        // Mon 30 September to Fri 4 October: one of five working days falls in the year.
        assert_eq!(working_days_lost_in(&absence("2024-09-30", "2024-10-04", Some(4.0)), y, &cal), 0.8);
        assert_eq!(working_days_lost_in(&absence("2024-10-01", "2024-10-04", None), y, &cal), 0.0);
    }

    #[test]
    fn teams_are_grouped_by_service_with_the_rest_on_their_own_or_together() {
        let teams: Vec<String> = ["A", "B", "C", "D"].map(String::from).to_vec();
        let services: Vec<(String, String)> = [("C", "Early help"), ("A", "Safeguarding"), ("Z", "Fostering")]
            .map(|(t, s)| (t.into(), s.into()))
            .to_vec();
        let own = TeamGroups::by_service(&teams, &services, Unassigned::OwnGroup);
        assert_eq!(own.names, ["Safeguarding", "B", "Early help", "D"]);
        assert_eq!(own.of_team, [0, 1, 2, 3]);
        let together = TeamGroups::by_service(&teams, &services, Unassigned::Together("Other teams"));
        assert_eq!(together.names, ["Early help", "Safeguarding", "Fostering", "Other teams"]);
        assert_eq!(together.of_team, [1, 3, 0, 3]);
    }
}
