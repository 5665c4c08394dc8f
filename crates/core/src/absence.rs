//! Sickness absence over time: working days lost by month, short-term and
//! long-term episodes, and who is off long-term on a date.
//!
//! Days lost in a month follow the indicators' rule
//! ([`crate::indicators::working_days_lost_in`]): the episode's working days
//! in the month, or the recorded days lost prorated by working days. An
//! episode is **long-term** when it lasts the threshold in working days or
//! more (20 by default, a common HR policy), counting the recorded days lost
//! when given.

use crate::calendar::{month_end, next_day, Calendar, Date, Period};
use crate::codes::AbsenceReason;
use crate::indicators::working_days_lost_in;
use crate::model::{Absence, Workforce};
use chrono::Datelike as _;

/// Working days from which an episode is long-term, unless the authority sets another.
pub const LONG_TERM_WORKING_DAYS: f64 = 20.0;

/// The episode's length in working days (as recorded, else counted).
pub fn episode_working_days(a: &Absence, calendar: &Calendar) -> f64 {
    a.days_lost.unwrap_or_else(|| f64::from(calendar.working_days(a.start, a.end)))
}

/// Whether the episode is long-term: `threshold` working days or more.
pub fn is_long_term(a: &Absence, calendar: &Calendar, threshold: f64) -> bool {
    episode_working_days(a, calendar) >= threshold
}

/// Sickness days lost in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthOfAbsence {
    /// The month's first day.
    pub month: Date,
    pub short_term: f64,
    pub long_term: f64,
}

/// Working days lost to sickness in each month from the month of `first` to
/// the month of `last`, split short- and long-term.
pub fn sickness_by_month(
    wf: &Workforce,
    calendar: &Calendar,
    first: Date,
    last: Date,
    threshold: f64,
) -> Vec<MonthOfAbsence> {
    sickness_by_month_where(wf, calendar, first, last, threshold, |_| true)
}

/// [`sickness_by_month`] of one team: the episodes of people whose post on
/// the episode's first day was in the team.
pub fn team_sickness_by_month(
    wf: &Workforce,
    calendar: &Calendar,
    first: Date,
    last: Date,
    threshold: f64,
    team: crate::model::TeamId,
) -> Vec<MonthOfAbsence> {
    sickness_by_month_where(wf, calendar, first, last, threshold, |a| {
        wf.spells_of(a.person).iter().any(|s| s.team == team && s.covers(a.start))
    })
}

fn sickness_by_month_where(
    wf: &Workforce,
    calendar: &Calendar,
    first: Date,
    last: Date,
    threshold: f64,
    keep: impl Fn(&Absence) -> bool,
) -> Vec<MonthOfAbsence> {
    let mut months = Vec::new();
    let mut start = first.with_day0(0).expect("the first of a month");
    while start <= last {
        months.push(MonthOfAbsence { month: start, short_term: 0.0, long_term: 0.0 });
        start = next_day(month_end(start));
    }
    for a in wf.absences().iter().filter(|a| a.reason == AbsenceReason::Sickness && keep(a)) {
        let long = is_long_term(a, calendar, threshold);
        for m in months.iter_mut().filter(|m| a.start <= month_end(m.month) && a.end >= m.month) {
            let days = working_days_lost_in(a, Period { start: m.month, end: month_end(m.month) }, calendar);
            if long {
                m.long_term += days;
            } else {
                m.short_term += days;
            }
        }
    }
    months
}

/// One person's sickness in `period`: the episodes that fall in it, and
/// the working days lost in it (as the indicators count days).
pub fn sickness_of(wf: &Workforce, calendar: &Calendar, p: crate::model::PersonIdx, period: Period) -> (u32, f64) {
    wf.absences_of(p)
        .iter()
        .filter(|a| a.reason == AbsenceReason::Sickness && a.start <= period.end && a.end >= period.start)
        .fold((0, 0.0), |(n, days), a| (n + 1, days + working_days_lost_in(a, period, calendar)))
}

/// One team's working days lost to sickness in a period, split short- and long-term.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSickness {
    pub team: crate::model::TeamId,
    pub short_term: f64,
    pub long_term: f64,
}

/// Working days lost to sickness in `period` by team, counted as the
/// indicators count `working_days_lost_fte`: employed social workers in post
/// at the period's end, in the team of their largest post. Short plus long
/// term is that indicator for each team.
pub fn sickness_by_team(wf: &Workforce, calendar: &Calendar, period: Period, threshold: f64) -> Vec<TeamSickness> {
    let mut out: Vec<TeamSickness> = (0..wf.teams().len())
        .map(|t| TeamSickness { team: crate::model::TeamId(t as u32), short_term: 0.0, long_term: 0.0 })
        .collect();
    for p in wf.person_indices() {
        let Some(team) = crate::indicators::main_employed_team(wf, p, period.end) else { continue };
        let entry = &mut out[team.0 as usize];
        for a in wf
            .absences_of(p)
            .iter()
            .filter(|a| a.reason == AbsenceReason::Sickness && a.start <= period.end && a.end >= period.start)
        {
            let days = working_days_lost_in(a, period, calendar);
            if is_long_term(a, calendar, threshold) {
                entry.long_term += days;
            } else {
                entry.short_term += days;
            }
        }
    }
    out
}

/// Long-term sickness episodes that cover `date`, the earliest begun first.
pub fn long_term_on<'w>(wf: &'w Workforce, calendar: &Calendar, date: Date, threshold: f64) -> Vec<&'w Absence> {
    let mut found: Vec<&Absence> = wf
        .absences()
        .iter()
        .filter(|a| {
            a.reason == AbsenceReason::Sickness
                && a.start <= date
                && date <= a.end
                && is_long_term(a, calendar, threshold)
        })
        .collect();
    found.sort_by_key(|a| a.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::d;
    use crate::model::WorkforceBuilder;
    use crate::{indicators, Calendar};

    #[test]
    fn months_add_up_to_the_years_days_lost_and_long_episodes_are_apart() {
        let cal = Calendar::england_and_wales();
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let p = b.person("p");
        b.add_spell(crate::model::test_support::spell(
            p,
            t,
            crate::codes::SpellKind::Permanent,
            "2020-01-01",
            None,
            1.0,
        ));
        let sick = |start: &str, end: &str, days_lost| Absence {
            person: p,
            start: d(start),
            end: d(end),
            reason: AbsenceReason::Sickness,
            days_lost,
        };
        b.add_absence(sick("2023-11-06", "2023-11-10", None));
        b.add_absence(sick("2024-01-15", "2024-03-08", None));
        b.add_absence(sick("2024-09-23", "2024-10-04", Some(8.0)));
        let wf = b.build();
        let months = sickness_by_month(&wf, &cal, d("2023-10-01"), d("2024-09-30"), LONG_TERM_WORKING_DAYS);
        assert_eq!(months.len(), 12);
        let total: f64 = months.iter().map(|m| m.short_term + m.long_term).sum();
        let year = indicators(&wf, &cal, Period::census_year(2024)).working_days_lost_fte;
        assert!((total - year).abs() < 1e-9, "{total} {year}");
        assert_eq!(months[1].short_term, 5.0);
        assert!(months[3].long_term > 0.0 && months[3].short_term == 0.0);
        assert_eq!(long_term_on(&wf, &cal, d("2024-02-01"), LONG_TERM_WORKING_DAYS).len(), 1);
        assert!(long_term_on(&wf, &cal, d("2024-09-25"), LONG_TERM_WORKING_DAYS).is_empty());
    }

    #[test]
    fn days_lost_by_team_split_short_and_long_add_up_to_each_teams_indicator() {
        use crate::codes::SpellKind;
        use crate::model::test_support::spell;
        let cal = Calendar::england_and_wales();
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let (a, c, e) = (b.person("a"), b.person("c"), b.person("e"));
        b.add_spell(spell(a, north, SpellKind::Permanent, "2020-01-01", None, 1.0));
        // Mostly in South: their days count there.
        b.add_spell(spell(c, north, SpellKind::Permanent, "2020-01-01", None, 0.4));
        b.add_spell(spell(c, south, SpellKind::Permanent, "2020-01-01", None, 0.6));
        // Agency: not counted, as DfE counts days lost of employed workers only.
        b.add_spell(spell(e, south, SpellKind::Agency, "2020-01-01", None, 1.0));
        let sick = |person, start: &str, end: &str| Absence {
            person,
            start: d(start),
            end: d(end),
            reason: AbsenceReason::Sickness,
            days_lost: None,
        };
        b.add_absence(sick(a, "2023-11-06", "2023-11-10"));
        b.add_absence(sick(c, "2024-01-15", "2024-03-08"));
        b.add_absence(sick(c, "2024-05-13", "2024-05-14"));
        b.add_absence(sick(e, "2024-05-13", "2024-05-17"));
        let wf = b.build();
        let period = Period::census_year(2024);
        let split = sickness_by_team(&wf, &cal, period, LONG_TERM_WORKING_DAYS);
        assert_eq!((split[0].short_term, split[0].long_term), (5.0, 0.0));
        assert_eq!(split[1].short_term, 2.0);
        assert!(split[1].long_term > 20.0);
        let by_team = crate::indicators_by(&wf, &cal, period, crate::Grouping::Team);
        for (s, g) in split.iter().zip(&by_team) {
            assert!((s.short_term + s.long_term - g.indicators.working_days_lost_fte).abs() < 1e-9);
        }
    }
}
