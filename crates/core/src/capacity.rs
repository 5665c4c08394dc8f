//! Available capacity: who is actually there to do the work on a date.
//!
//! For a date D and each team (and the authority):
//!
//! - `inpost_fte`: FTE of employed spells in post on D (DfE's in post).
//! - `away_fte` by reason: of those spells, the FTE of people away on D:
//!   `maternity` (maternity, paternity, adoption or shared parental leave:
//!   an absence episode with reason MAT covering D), `long_term_sickness`
//!   (a sickness episode covering D of the long-term threshold in working
//!   days or more, 20 by default), `secondment_out` (SEC) and `suspension`
//!   (SUS). A person away for two reasons is counted once, under the first
//!   in that order.
//! - `agency_fte`: FTE of agency spells in post on D (agency workers cover
//!   the work; their absences are not recorded here).
//! - `available_fte` = in post − away + agency.
//! - The same for **case-holding** posts: spells whose organisational role
//!   is case holder or senior practitioner (`available_case_holding_fte`).
//! - `cases`: cases held on D (each person's latest caseload snapshot in the
//!   30 days to D, as the indicators read caseloads) by people in case-holding
//!   posts, in the team of the largest of them; `cases_per_available_fte` =
//!   cases ÷ available case-holding FTE.
//! - `pressure`: available case-holding FTE below the threshold share (80%
//!   by default) of the team's case-holding establishment (its establishment
//!   rows for those roles, or all its establishment when rows give no role),
//!   or cases per available case-holding FTE above the safe level (18 by
//!   default), or cases held with no case-holding FTE available; each
//!   reason is named.

use crate::absence::is_long_term;
use crate::calendar::{Calendar, Date};
use crate::codes::{AbsenceReason, OrgRole};
use crate::model::{Spell, TeamId, Workforce};
use serde::Serialize;

/// Why someone in post is not available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwayReason {
    Maternity,
    LongTermSickness,
    SecondmentOut,
    Suspension,
}

impl AwayReason {
    pub const ALL: [AwayReason; 4] =
        [AwayReason::Maternity, AwayReason::LongTermSickness, AwayReason::SecondmentOut, AwayReason::Suspension];

    pub fn as_str(self) -> &'static str {
        match self {
            AwayReason::Maternity => "maternity",
            AwayReason::LongTermSickness => "long_term_sickness",
            AwayReason::SecondmentOut => "secondment_out",
            AwayReason::Suspension => "suspension",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            AwayReason::Maternity => "Maternity, paternity, adoption or shared parental leave",
            AwayReason::LongTermSickness => "Long-term sickness",
            AwayReason::SecondmentOut => "Seconded out",
            AwayReason::Suspension => "Suspended",
        }
    }
}

/// What decides pressure, and long-term sickness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityPolicy {
    /// Working days from which a sickness episode is long-term.
    pub long_term_days: f64,
    /// Available case-holding FTE below this share (0 to 1) of case-holding establishment is pressure.
    pub threshold_share: f64,
    /// Cases per available case-holding FTE above this is pressure.
    pub safe_caseload: f64,
}

impl Default for CapacityPolicy {
    fn default() -> CapacityPolicy {
        CapacityPolicy {
            long_term_days: crate::absence::LONG_TERM_WORKING_DAYS,
            threshold_share: 0.8,
            safe_caseload: 18.0,
        }
    }
}

/// One team's (or the authority's) capacity on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// The team, or `None` for the authority.
    pub team: Option<String>,
    pub establishment_fte: f64,
    pub case_holding_establishment_fte: f64,
    pub inpost_fte: f64,
    pub inpost_headcount: u32,
    /// FTE away by reason (every reason, 0 when none).
    pub away_fte: std::collections::BTreeMap<&'static str, f64>,
    /// People away by reason.
    pub away_headcount: std::collections::BTreeMap<&'static str, u32>,
    pub away_fte_total: f64,
    pub agency_fte: f64,
    pub available_fte: f64,
    pub available_case_holding_fte: f64,
    pub cases: u64,
    pub cases_per_available_fte: Option<f64>,
    pub pressure: bool,
    /// Why, in words (empty without pressure).
    pub pressure_reasons: Vec<String>,
}

impl Capacity {
    fn new(team: Option<String>) -> Capacity {
        Capacity {
            team,
            establishment_fte: 0.0,
            case_holding_establishment_fte: 0.0,
            inpost_fte: 0.0,
            inpost_headcount: 0,
            away_fte: AwayReason::ALL.iter().map(|r| (r.as_str(), 0.0)).collect(),
            away_headcount: AwayReason::ALL.iter().map(|r| (r.as_str(), 0)).collect(),
            away_fte_total: 0.0,
            agency_fte: 0.0,
            available_fte: 0.0,
            available_case_holding_fte: 0.0,
            cases: 0,
            cases_per_available_fte: None,
            pressure: false,
            pressure_reasons: Vec::new(),
        }
    }

    /// FTE to 2 places, the caseload to 1, as output.
    pub fn rounded(&self) -> Capacity {
        let two = |v: f64| crate::indicators::round_dfe(v, 2);
        let mut c = self.clone();
        for v in c.away_fte.values_mut() {
            *v = two(*v);
        }
        for v in [
            &mut c.establishment_fte,
            &mut c.case_holding_establishment_fte,
            &mut c.inpost_fte,
            &mut c.away_fte_total,
            &mut c.agency_fte,
            &mut c.available_fte,
            &mut c.available_case_holding_fte,
        ] {
            *v = two(*v);
        }
        c.cases_per_available_fte = c.cases_per_available_fte.map(|v| crate::indicators::round_dfe(v, 1));
        c
    }
}

/// Whether a post holds cases: case holders and senior practitioners.
pub fn is_case_holding(role: OrgRole) -> bool {
    matches!(role, OrgRole::CaseHolder | OrgRole::SeniorPractitioner)
}

/// The largest of `spells` by FTE, the first of equals.
fn largest<'a>(spells: impl Iterator<Item = &'a Spell>) -> Option<&'a Spell> {
    spells.fold(None, |best: Option<&Spell>, s| match best {
        Some(b) if b.fte >= s.fte => Some(b),
        _ => Some(s),
    })
}

/// Why the person of `spell` is away on `date`, if they are.
pub fn away_on(
    wf: &Workforce,
    calendar: &Calendar,
    spell: &Spell,
    date: Date,
    long_term_days: f64,
) -> Option<AwayReason> {
    let mut found: Option<AwayReason> = None;
    for a in wf.absences_of(spell.person).iter().filter(|a| a.start <= date && date <= a.end) {
        let reason = match a.reason {
            AbsenceReason::Maternity => Some(AwayReason::Maternity),
            AbsenceReason::Sickness if is_long_term(a, calendar, long_term_days) => Some(AwayReason::LongTermSickness),
            AbsenceReason::SecondmentOut => Some(AwayReason::SecondmentOut),
            AbsenceReason::Suspension => Some(AwayReason::Suspension),
            _ => None,
        };
        found = match (found, reason) {
            (Some(f), Some(r)) => Some(f.min(r)),
            (f, r) => f.or(r),
        };
    }
    found
}

/// Capacity on `date`: the authority's, then each team's with anyone in
/// post, agency or establishment (in the workforce's team order).
pub fn capacity(wf: &Workforce, calendar: &Calendar, date: Date, policy: &CapacityPolicy) -> (Capacity, Vec<Capacity>) {
    let teams = wf.teams().len();
    let mut by_team: Vec<Capacity> = wf.teams().iter().map(|t| Capacity::new(Some(t.clone()))).collect();
    let mut all = Capacity::new(None);
    let mut case_holding_inpost = vec![0.0; teams];
    let mut case_holding_away = vec![0.0; teams];
    let mut case_holding_agency = vec![0.0; teams];
    let mut counted = vec![false; teams];
    // Establishment: case-holding rows where rows give roles, else all.
    let mut role_given = vec![false; teams];
    for e in wf.establishment().iter().filter(|e| e.applies_at(date)) {
        let t = e.team.0 as usize;
        let Some(c) = by_team.get_mut(t) else { continue };
        c.establishment_fte += e.fte;
        if let Some(role) = e.org_role {
            if let Some(g) = role_given.get_mut(t) {
                *g = true;
            }
            if is_case_holding(role) {
                c.case_holding_establishment_fte += e.fte;
            }
        }
        if let Some(k) = counted.get_mut(t) {
            *k = true;
        }
    }
    for (c, given) in by_team.iter_mut().zip(&role_given) {
        if !given {
            c.case_holding_establishment_fte = c.establishment_fte;
        }
    }
    for p in wf.person_indices() {
        let spells: Vec<&Spell> = wf.spells_of(p).iter().filter(|s| s.in_post_at(date)).collect();
        let mut employed_here = false;
        for s in &spells {
            let t = s.team.0 as usize;
            let (Some(c), Some(k)) = (by_team.get_mut(t), counted.get_mut(t)) else { continue };
            *k = true;
            let holding = is_case_holding(s.org_role);
            if s.kind.is_employed() {
                c.inpost_fte += s.fte;
                employed_here = true;
                if holding {
                    if let Some(v) = case_holding_inpost.get_mut(t) {
                        *v += s.fte;
                    }
                }
                if let Some(reason) = away_on(wf, calendar, s, date, policy.long_term_days) {
                    *c.away_fte.entry(reason.as_str()).or_default() += s.fte;
                    c.away_fte_total += s.fte;
                    if holding {
                        if let Some(v) = case_holding_away.get_mut(t) {
                            *v += s.fte;
                        }
                    }
                }
            } else {
                c.agency_fte += s.fte;
                if holding {
                    if let Some(v) = case_holding_agency.get_mut(t) {
                        *v += s.fte;
                    }
                }
            }
        }
        // Headcounts: a person once, in the team of their largest employed post (the first of equals, as the indicators).
        if employed_here {
            if let Some(main) = largest(spells.iter().copied().filter(|s| s.kind.is_employed())) {
                if let Some(c) = by_team.get_mut(main.team.0 as usize) {
                    c.inpost_headcount += 1;
                    if let Some(reason) = away_on(wf, calendar, main, date, policy.long_term_days) {
                        *c.away_headcount.entry(reason.as_str()).or_default() += 1;
                    }
                }
            }
        }
        // Cases held by people in case-holding posts, in the team of the largest of them.
        let cases = wf.cases_held_at(p, date);
        if cases > 0 {
            if let Some(main) = largest(spells.iter().copied().filter(|s| is_case_holding(s.org_role))) {
                if let Some(c) = by_team.get_mut(main.team.0 as usize) {
                    c.cases += u64::from(cases);
                }
            }
        }
    }
    let finish = |c: &mut Capacity, holding: f64| {
        c.available_fte = c.inpost_fte - c.away_fte_total + c.agency_fte;
        c.available_case_holding_fte = holding;
        c.cases_per_available_fte = (holding > 0.0).then(|| c.cases as f64 / holding);
        c.pressure_reasons.clear();
        if c.case_holding_establishment_fte > 0.0
            && holding < policy.threshold_share * c.case_holding_establishment_fte - 1e-9
        {
            c.pressure_reasons.push(format!(
                "available case-holding FTE below {:.0}% of case-holding establishment",
                policy.threshold_share * 100.0
            ));
        }
        if c.cases_per_available_fte.is_some_and(|r| r > policy.safe_caseload + 1e-9) {
            c.pressure_reasons.push(format!("more than {} cases per available case-holding FTE", policy.safe_caseload));
        }
        if c.cases > 0 && holding <= 1e-9 {
            c.pressure_reasons.push("cases held with no case-holding FTE available".to_string());
        }
        c.pressure = !c.pressure_reasons.is_empty();
    };
    for t in 0..teams {
        let holding = case_holding_inpost.get(t).copied().unwrap_or(0.0)
            - case_holding_away.get(t).copied().unwrap_or(0.0)
            + case_holding_agency.get(t).copied().unwrap_or(0.0);
        if let Some(c) = by_team.get_mut(t) {
            finish(c, holding);
            all.establishment_fte += c.establishment_fte;
            all.case_holding_establishment_fte += c.case_holding_establishment_fte;
            all.inpost_fte += c.inpost_fte;
            all.inpost_headcount += c.inpost_headcount;
            for r in AwayReason::ALL {
                *all.away_fte.entry(r.as_str()).or_default() += c.away_fte.get(r.as_str()).copied().unwrap_or(0.0);
                *all.away_headcount.entry(r.as_str()).or_default() +=
                    c.away_headcount.get(r.as_str()).copied().unwrap_or(0);
            }
            all.away_fte_total += c.away_fte_total;
            all.agency_fte += c.agency_fte;
            all.cases += c.cases;
        }
    }
    let holding_all: f64 = (0..teams)
        .map(|t| {
            case_holding_inpost.get(t).copied().unwrap_or(0.0) - case_holding_away.get(t).copied().unwrap_or(0.0)
                + case_holding_agency.get(t).copied().unwrap_or(0.0)
        })
        .sum();
    finish(&mut all, holding_all);
    let by_team = by_team.into_iter().zip(counted).filter(|(_, k)| *k).map(|(c, _)| c).collect();
    (all, by_team)
}

/// The team of `id`'s capacity in `list`.
pub fn of_team<'a>(list: &'a [Capacity], wf: &Workforce, id: TeamId) -> Option<&'a Capacity> {
    list.iter().find(|c| c.team.as_deref() == Some(wf.team_name(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::{Absence, Establishment, WorkforceBuilder};

    #[test]
    fn capacity_by_hand() {
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let people: Vec<_> = (0..6).map(|i| b.person(&format!("p{i}"))).collect();
        for p in &people[..4] {
            b.add_spell(spell(*p, north, SpellKind::Permanent, "2024-01-01", None, 1.0));
        }
        b.add_spell(spell(people[4], north, SpellKind::Agency, "2025-01-06", None, 0.5));
        b.add_spell(spell(people[5], south, SpellKind::Permanent, "2024-01-01", None, 0.6));
        let absence = |person, start: &str, end: &str, reason| Absence {
            person,
            start: d(start),
            end: d(end),
            reason,
            days_lost: None,
        };
        // p0 on maternity leave; p1 sick for exactly 20 working days (long-term); p2 sick for 19 (not); p5 seconded out.
        b.add_absence(absence(people[0], "2025-01-06", "2025-09-30", AbsenceReason::Maternity));
        b.add_absence(absence(people[1], "2025-03-03", "2025-03-28", AbsenceReason::Sickness));
        b.add_absence(absence(people[2], "2025-03-03", "2025-03-27", AbsenceReason::Sickness));
        b.add_absence(absence(people[5], "2025-02-01", "2025-12-31", AbsenceReason::SecondmentOut));
        b.add_establishment(Establishment {
            team: north,
            fte: 5.0,
            start: d("2024-01-01"),
            end: None,
            post_id: None,
            org_role: None,
        });
        for (p, cases) in [(people[1], 10), (people[2], 20), (people[3], 21), (people[4], 9)] {
            b.add_caseload(crate::model::CaseloadSnapshot { person: p, date: d("2025-03-10"), cases });
        }
        let wf = b.build();
        let cal = Calendar::from_holidays(vec![]);
        let (all, teams) = capacity(&wf, &cal, d("2025-03-14"), &CapacityPolicy::default());
        let n = &teams[0];
        assert_eq!((n.inpost_fte, n.agency_fte, n.inpost_headcount), (4.0, 0.5, 4));
        assert_eq!((n.away_fte["maternity"], n.away_fte["long_term_sickness"]), (1.0, 1.0));
        assert_eq!((n.available_fte, n.available_case_holding_fte), (2.5, 2.5));
        // 60 cases over 2.5 available FTE: 24, above 18; and 2.5 is below 80% of 5.
        assert_eq!((n.cases, n.cases_per_available_fte), (60, Some(24.0)));
        assert!(n.pressure && n.pressure_reasons.len() == 2, "{:?}", n.pressure_reasons);
        let s = &teams[1];
        assert_eq!((s.away_fte["secondment_out"], s.available_fte, s.establishment_fte), (0.6, 0.0, 0.0));
        assert!(!s.pressure, "no establishment and no cases: no pressure");
        let all = all.rounded();
        assert_eq!((all.inpost_fte, all.away_fte_total, all.available_fte), (4.6, 2.6, 2.5));
        assert_eq!(all.away_headcount["secondment_out"], 1);
    }
}
