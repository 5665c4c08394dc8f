//! Agency use: assignments and how long they have run, and agency workers
//! who become employed.
//!
//! - An **assignment** is a run of one person's agency spells with no day
//!   between them (a change of team or FTE within it does not end it).
//! - Its **length** at a date is the whole weeks from its first day to that
//!   date, counting both days; lengths fall into the bands committees use:
//!   up to 26 weeks, 27 to 52 weeks, over 52 weeks.
//! - A **conversion** is a starter (as the indicators define starters) who
//!   worked for the authority through an agency at some time in the 12
//!   months before their first day.
//! - The **cost** of agency work in a period is, for each agency spell with
//!   a recorded hourly charge, the charge times [`HOURS_PER_FTE_DAY`] times
//!   the spell's FTE for each working day of the spell in the period. Spells
//!   with no recorded charge are counted apart, so that a report can say
//!   how much of the agency time its cost covers.

use crate::calendar::{Calendar, Date, Period};
use crate::model::{PersonIdx, TeamId, Workforce};

/// A full-time week, in hours, as most authorities' social work contracts set it.
pub const STANDARD_WEEKLY_HOURS: f64 = 37.0;
/// The hours of one full-time working day.
pub const HOURS_PER_FTE_DAY: f64 = STANDARD_WEEKLY_HOURS / 5.0;

/// The cost of one team's agency work in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyCost {
    pub team: TeamId,
    /// What the agencies charged for the FTE-days with a recorded rate.
    pub cost: f64,
    /// Agency FTE-days worked (working days times FTE).
    pub fte_days: f64,
    /// Of those, the FTE-days whose charge is recorded.
    pub costed_fte_days: f64,
}

impl AgencyCost {
    /// The share of agency time the cost covers, 0 to 1; `None` with no agency time.
    pub fn coverage(&self) -> Option<f64> {
        (self.fte_days > 0.0).then(|| self.costed_fte_days / self.fte_days)
    }
}

/// Agency cost by team over `period`, one entry per team (in the
/// workforce's team order), with no agency time giving zeros.
pub fn cost_by_team(wf: &Workforce, calendar: &Calendar, period: Period) -> Vec<AgencyCost> {
    let mut out: Vec<AgencyCost> = (0..wf.teams().len())
        .map(|t| AgencyCost { team: TeamId(t as u32), cost: 0.0, fte_days: 0.0, costed_fte_days: 0.0 })
        .collect();
    for s in wf.spells().iter().filter(|s| !s.kind.is_employed()) {
        let from = s.start.max(period.start);
        let to = s.end.map_or(period.end, |e| e.min(period.end));
        let fte_days = f64::from(calendar.working_days(from, to)) * s.fte;
        let entry = &mut out[s.team.0 as usize];
        entry.fte_days += fte_days;
        if let Some(rate) = s.charge_rate {
            entry.costed_fte_days += fte_days;
            entry.cost += fte_days * HOURS_PER_FTE_DAY * rate;
        }
    }
    out
}

/// An agency assignment in place at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub person: PersonIdx,
    /// The team of the spell in place at the date.
    pub team: TeamId,
    pub start: Date,
    /// The last day, when known.
    pub end: Option<Date>,
    /// Whole weeks from the first day to the date, both counted.
    pub weeks: i64,
}

/// The length bands: up to 26 weeks, 27-52, over 52.
pub const LENGTH_BANDS: [&str; 3] = ["0-26 weeks", "27-52 weeks", "over 52 weeks"];

impl Assignment {
    /// The index of the assignment's length band in [`LENGTH_BANDS`].
    pub fn band(&self) -> usize {
        match self.weeks {
            ..=26 => 0,
            27..=52 => 1,
            _ => 2,
        }
    }
}

/// Agency assignments in place at `r` (a spell of them in post at `r`, as
/// the agency indicators count), longest first.
pub fn assignments_at(wf: &Workforce, r: Date) -> Vec<Assignment> {
    let mut out = Vec::new();
    for p in wf.person_indices() {
        let spells: Vec<_> = wf.spells_of(p).iter().filter(|s| !s.kind.is_employed()).collect();
        let mut i = 0;
        while i < spells.len() {
            let start = spells[i].start;
            let mut j = i;
            while j + 1 < spells.len()
                && spells[j].end.is_some_and(|e| e.succ_opt() == Some(spells[j + 1].start) || e >= spells[j + 1].start)
            {
                j += 1;
            }
            let run = &spells[i..=j];
            if let Some(now) = run.iter().find(|s| s.in_post_at(r)) {
                let open = run.iter().any(|s| s.end.is_none());
                let end = if open { None } else { run.iter().filter_map(|s| s.end).max() };
                out.push(Assignment { person: p, team: now.team, start, end, weeks: ((r - start).num_days() + 1) / 7 });
            }
            i = j + 1;
        }
    }
    out.sort_by(|a, b| b.weeks.cmp(&a.weeks).then(a.start.cmp(&b.start)));
    out
}

/// How many assignments fall in each of [`LENGTH_BANDS`].
pub fn count_by_band(assignments: &[Assignment]) -> [u32; 3] {
    let mut bands = [0u32; 3];
    for a in assignments {
        bands[a.band()] += 1;
    }
    bands
}

/// Starters in `period` who worked through an agency in the 12 months before
/// they started: (person, first day as an employee).
pub fn conversions(wf: &Workforce, period: Period) -> Vec<(PersonIdx, Date)> {
    let mut out = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        for s in spells.iter().filter(|s| s.kind.is_employed() && period.contains(s.start)) {
            let day_before = s.start.pred_opt().expect("a date after the minimum");
            if wf.is_employed_on(p, day_before) {
                continue;
            }
            let window = Period::twelve_months_to(day_before);
            let through_agency = spells
                .iter()
                .any(|a| !a.kind.is_employed() && a.start <= window.end && a.end.is_none_or(|e| e >= window.start));
            if through_agency {
                out.push((p, s.start));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::{Spell, WorkforceBuilder};

    #[test]
    fn assignments_run_across_team_changes_and_fall_into_bands() {
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let (a, c, e) = (b.person("a"), b.person("c"), b.person("e"));
        b.add_spell(spell(a, north, SpellKind::Agency, "2023-01-02", Some("2023-06-30"), 1.0));
        b.add_spell(spell(a, south, SpellKind::Agency, "2023-07-01", None, 1.0));
        b.add_spell(spell(c, north, SpellKind::Agency, "2024-08-01", Some("2024-12-31"), 0.5));
        // Left the agency, then came back after a gap: a new assignment.
        b.add_spell(spell(e, north, SpellKind::Agency, "2022-01-03", Some("2022-12-31"), 1.0));
        b.add_spell(spell(e, north, SpellKind::Agency, "2024-04-01", None, 1.0));
        let wf = b.build();
        let r = d("2024-09-30");
        let found = assignments_at(&wf, r);
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].person, found[0].team, found[0].start), (a, south, d("2023-01-02")));
        assert_eq!((found[0].weeks, found[0].band()), (91, 2));
        assert_eq!((found[1].person, found[1].weeks, found[1].band()), (e, 26, 0));
        assert_eq!((found[2].person, found[2].end, found[2].band()), (c, Some(d("2024-12-31")), 0));
    }

    #[test]
    fn agency_cost_is_the_charge_for_each_working_day_worked() {
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let (a, c, e) = (b.person("a"), b.person("c"), b.person("e"));
        // Mon 6 to Fri 17 January 2025: 10 working days, full time, at £50 an hour.
        b.add_spell(Spell {
            charge_rate: Some(50.0),
            ..spell(a, north, SpellKind::Agency, "2025-01-06", Some("2025-01-17"), 1.0)
        });
        // Half time across the period's end: only the days inside count.
        b.add_spell(Spell { charge_rate: Some(40.0), ..spell(c, north, SpellKind::Agency, "2025-03-24", None, 0.5) });
        // No charge recorded: time counted, not costed.
        b.add_spell(spell(e, south, SpellKind::Agency, "2025-01-06", Some("2025-01-10"), 1.0));
        // Employed work costs nothing here.
        b.add_spell(Spell { charge_rate: None, ..spell(e, south, SpellKind::Permanent, "2025-02-03", None, 1.0) });
        let wf = b.build();
        let period = Period { start: d("2025-01-01"), end: d("2025-03-31") };
        let costs = cost_by_team(&wf, &Calendar::from_holidays(vec![]), period);
        // North: 10 days x 7.4 h x £50, plus 6 days (24-31 March) x 0.5 x 7.4 h x £40.
        assert!((costs[0].cost - (10.0 * 7.4 * 50.0 + 6.0 * 0.5 * 7.4 * 40.0)).abs() < 1e-9, "{costs:?}");
        assert_eq!((costs[0].fte_days, costs[0].coverage()), (13.0, Some(1.0)));
        assert_eq!((costs[1].cost, costs[1].fte_days, costs[1].coverage()), (0.0, 5.0, Some(0.0)));
    }

    #[test]
    fn an_agency_worker_who_becomes_employed_is_a_conversion() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (a, n) = (b.person("a"), b.person("n"));
        b.add_spell(spell(a, t, SpellKind::Agency, "2023-05-01", Some("2024-01-31"), 1.0));
        b.add_spell(spell(a, t, SpellKind::Permanent, "2024-03-01", None, 1.0));
        b.add_spell(spell(n, t, SpellKind::Permanent, "2024-03-01", None, 1.0));
        let wf = b.build();
        assert_eq!(conversions(&wf, Period::census_year(2024)), [(a, d("2024-03-01"))]);
        assert!(conversions(&wf, Period::census_year(2023)).is_empty());
    }
}
