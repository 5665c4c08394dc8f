//! Who left, and who started: the DfE definitions as predicates on a spell,
//! used by the indicators' tally and by the lists of leavers the pages show.
//!
//! - A spell **ends in leaving** when it is employed and its person is not
//!   employed on the day after its last day ("a move between teams, roles or
//!   FTE with no gap is not a leaver").
//! - A spell **starts a new employment** when it is employed and its person
//!   was not employed on the day before its first day.

use crate::calendar::{next_day, previous_day, Date, Period};
use crate::codes::{LeaverDestination, OrgRole, ReasonLeave};
use crate::model::{PersonIdx, Spell, TeamId, Workforce};

/// Whether `s` ends in leaving the authority's employment.
pub fn ends_in_leaving(wf: &Workforce, s: &Spell) -> bool {
    s.kind.is_employed() && s.end.is_some_and(|e| !wf.is_employed_on(s.person, next_day(e)))
}

/// Whether `s` begins an employment (its person was not employed the day before).
pub fn starts_employment(wf: &Workforce, s: &Spell) -> bool {
    s.kind.is_employed() && !wf.is_employed_on(s.person, previous_day(s.start))
}

/// One person leaving on one day (several posts left together are one leaver).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaver {
    pub person: PersonIdx,
    /// The last day of employment.
    pub date: Date,
    /// FTE of the posts left.
    pub fte: f64,
    pub reason: Option<ReasonLeave>,
    pub destination: Option<LeaverDestination>,
    /// Team and role of the largest post left.
    pub team: TeamId,
    pub org_role: OrgRole,
    /// First day of the unbroken employment that ended.
    pub employed_since: Date,
}

impl Leaver {
    /// Whole years of unbroken employment at leaving.
    pub fn years_of_service(&self) -> i64 {
        whole_years(self.employed_since, self.date)
    }
}

/// Leavers counted by reason (its label, or "Not recorded"), the most first.
pub fn count_by_reason(leavers: &[Leaver]) -> Vec<(&'static str, u32)> {
    tally(leavers.iter().map(|l| l.reason.map_or("Not recorded", |r| r.label())))
}

/// Leavers counted by destination (its label, or "Not recorded"), the most first.
pub fn count_by_destination(leavers: &[Leaver]) -> Vec<(&'static str, u32)> {
    tally(leavers.iter().map(|l| l.destination.map_or("Not recorded", |d| d.label())))
}

fn tally(labels: impl Iterator<Item = &'static str>) -> Vec<(&'static str, u32)> {
    let mut counts: Vec<(&'static str, u32)> = Vec::new();
    for label in labels {
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    counts.sort_by_key(|(l, n)| (std::cmp::Reverse(*n), *l));
    counts
}

/// Whole years from `from` to `to`.
pub fn whole_years(from: Date, to: Date) -> i64 {
    use chrono::Datelike;
    let mut years = i64::from(to.year() - from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years.max(0)
}

/// The leavers of `period`, by date.
pub fn leavers_in(wf: &Workforce, period: Period) -> Vec<Leaver> {
    let mut out: Vec<Leaver> = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        for s in spells.iter().filter(|s| s.end.is_some_and(|e| period.contains(e)) && ends_in_leaving(wf, s)) {
            let date = s.end.expect("filtered on an end");
            if let Some(l) = out.iter_mut().rev().take_while(|l| l.person == p).find(|l| l.date == date) {
                l.fte += s.fte;
                l.reason = l.reason.or(s.reason_leave);
                l.destination = l.destination.or(s.leaver_destination);
                continue;
            }
            // Back through the unbroken employment that ends here.
            let mut since = s.start;
            while let Some(before) = spells
                .iter()
                .filter(|x| x.kind.is_employed() && x.start < since && x.covers(previous_day(since)))
                .map(|x| x.start)
                .min()
            {
                since = before;
            }
            out.push(Leaver {
                person: p,
                date,
                fte: s.fte,
                reason: s.reason_leave,
                destination: s.leaver_destination,
                team: s.team,
                org_role: s.org_role,
                employed_since: since,
            });
        }
    }
    out.sort_by_key(|l| (l.date, l.person));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::WorkforceBuilder;
    use crate::{indicators, Calendar};

    #[test]
    fn the_list_of_leavers_agrees_with_the_indicators() {
        let mut b = WorkforceBuilder::new();
        let (t, u) = (b.team("T"), b.team("U"));
        let (a, c) = (b.person("a"), b.person("c"));
        b.add_spell(spell(a, t, SpellKind::Permanent, "2019-05-01", Some("2022-03-31"), 1.0));
        let mut last = spell(a, u, SpellKind::Permanent, "2022-04-01", Some("2024-06-30"), 0.8);
        last.reason_leave = ReasonLeave::from_code(1);
        b.add_spell(last);
        b.add_spell(spell(c, t, SpellKind::Permanent, "2023-01-01", Some("2024-02-29"), 1.0));
        b.add_spell(spell(c, u, SpellKind::FixedTerm, "2023-06-01", Some("2024-02-29"), 0.2));
        let wf = b.build();
        let period = Period::census_year(2024);
        let found = leavers_in(&wf, period);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].person, found[0].fte, found[0].employed_since), (c, 1.2, d("2023-01-01")));
        assert_eq!(
            (found[1].person, found[1].reason, found[1].employed_since),
            (a, ReasonLeave::from_code(1), d("2019-05-01"))
        );
        assert_eq!(found[1].years_of_service(), 5);
        let i = indicators(&wf, &Calendar::england_and_wales(), period);
        assert_eq!(found.len() as u32, i.leavers_headcount);
        assert!((found.iter().map(|l| l.fte).sum::<f64>() - i.leavers_fte).abs() < 1e-9);
    }
}
