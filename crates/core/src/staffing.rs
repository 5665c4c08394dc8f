//! The staffing position of each team on a date: establishment, permanent,
//! fixed-term and agency FTE, vacant FTE, and agency cover of vacancies or
//! over establishment. The definitions are those of the indicators
//! (docs/indicators.md): a vacancy is funded FTE not filled by an employed
//! social worker; agency FTE covers vacancies up to their size, and the rest
//! is over establishment.

use crate::calendar::Date;
use crate::codes::SpellKind;
use crate::model::Workforce;

/// One team's staffing position at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamStaffing {
    pub team: String,
    /// Funded FTE.
    pub establishment_fte: f64,
    pub permanent_fte: f64,
    pub fixed_term_fte: f64,
    pub agency_fte: f64,
    /// max(0, establishment - employed FTE).
    pub vacant_fte: f64,
    /// min(agency FTE, vacant FTE).
    pub agency_cover_fte: f64,
    /// Agency FTE beyond the vacancies.
    pub agency_over_establishment_fte: f64,
    /// Employed FTE beyond the establishment.
    pub employed_over_establishment_fte: f64,
    /// People in post: permanent, fixed-term and agency (a person with two
    /// posts of one kind in the team counts once).
    pub headcount: [u32; 3],
}

/// The parts of a team's staffing bar, in order: what fills the
/// establishment (permanent, fixed-term, agency covering vacancies), what is
/// left empty, and agency beyond it. A bar's length is the establishment,
/// or more where the team is over it; agency is never laid beside the
/// vacancy it covers.
pub const BAR_PARTS: [&str; 5] =
    ["Permanent", "Fixed-term", "Agency covering vacancies", "Vacant, not covered", "Agency over establishment"];

impl TeamStaffing {
    /// Employed (permanent and fixed-term) FTE.
    pub fn employed_fte(&self) -> f64 {
        self.permanent_fte + self.fixed_term_fte
    }

    /// The team's bar, part by part as [`BAR_PARTS`] names them.
    pub fn bar(&self) -> [f64; 5] {
        [
            self.permanent_fte,
            self.fixed_term_fte,
            self.agency_cover_fte,
            (self.vacant_fte - self.agency_cover_fte).max(0.0),
            self.agency_over_establishment_fte,
        ]
    }
}

/// Every team's staffing position at `r` (spells in post at `r`, as DfE counts them).
pub fn staffing_by_team(wf: &Workforce, r: Date) -> Vec<TeamStaffing> {
    let mut fte = vec![[0.0f64; 3]; wf.teams().len()];
    let mut people = std::collections::HashSet::new();
    let mut headcount = vec![[0u32; 3]; wf.teams().len()];
    for s in wf.in_post_at(r) {
        let k = match s.kind {
            SpellKind::Permanent => 0,
            SpellKind::FixedTerm => 1,
            SpellKind::Agency => 2,
        };
        fte[s.team.0 as usize][k] += s.fte;
        if people.insert((s.person, s.team, k)) {
            headcount[s.team.0 as usize][k] += 1;
        }
    }
    wf.teams()
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let [permanent, fixed_term, agency] = fte[i];
            let establishment = wf.establishment_at(crate::model::TeamId(i as u32), r);
            let employed = permanent + fixed_term;
            let vacant = (establishment - employed).max(0.0);
            let cover = agency.min(vacant);
            TeamStaffing {
                team: name.clone(),
                establishment_fte: establishment,
                permanent_fte: permanent,
                fixed_term_fte: fixed_term,
                agency_fte: agency,
                vacant_fte: vacant,
                agency_cover_fte: cover,
                agency_over_establishment_fte: agency - cover,
                employed_over_establishment_fte: (employed - establishment).max(0.0),
                headcount: headcount[i],
            }
        })
        .collect()
}

/// The spread of caseloads in one team at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamCaseloads {
    pub team: crate::model::TeamId,
    /// Social workers in post holding one or more cases, counted in the
    /// team of their largest post (as the indicators count cases).
    pub holders: u32,
    /// The fewest and the most cases one of them holds.
    pub fewest: Option<u32>,
    pub most: Option<u32>,
}

/// Each team's case holders at `r` and the range of their caseloads; the
/// average (DfE's caseload) is the team's `caseload_fte` indicator.
pub fn caseload_ranges_by_team(wf: &Workforce, r: Date) -> Vec<TeamCaseloads> {
    let mut out: Vec<TeamCaseloads> = (0..wf.teams().len())
        .map(|t| TeamCaseloads { team: crate::model::TeamId(t as u32), holders: 0, fewest: None, most: None })
        .collect();
    for p in wf.person_indices() {
        let cases = wf.cases_held_at(p, r);
        if cases == 0 {
            continue;
        }
        // The largest post in post at r; the first of equals, as the indicators choose.
        let mut main: Option<&crate::model::Spell> = None;
        for s in wf.spells_of(p).iter().filter(|s| s.in_post_at(r)) {
            if main.is_none_or(|m| s.fte > m.fte) {
                main = Some(s);
            }
        }
        if let Some(main) = main {
            let t = &mut out[main.team.0 as usize];
            t.holders += 1;
            t.fewest = Some(t.fewest.map_or(cases, |f| f.min(cases)));
            t.most = Some(t.most.map_or(cases, |m| m.max(cases)));
        }
    }
    out
}

/// A newly qualified social worker in their assessed and supported year in
/// employment (ASYE): employed at the date, qualified within the 12 months
/// before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Asye {
    pub person: crate::model::PersonIdx,
    /// The team of their largest post at the date.
    pub team: crate::model::TeamId,
    pub qualified: Date,
    /// Cases held at the date (ASYEs' caseloads are meant to be protected).
    pub cases: u32,
}

/// The ASYEs at `r`: employed social workers in post who qualified in the 12 months to `r`.
pub fn asyes_at(wf: &Workforce, r: Date) -> Vec<Asye> {
    let year_before = crate::calendar::a_year_before(r);
    wf.person_indices()
        .filter_map(|p| {
            let qualified = wf.person(p).qualification_date.filter(|q| *q > year_before && *q <= r)?;
            let post = wf
                .spells_of(p)
                .iter()
                .filter(|s| s.kind.is_employed() && s.in_post_at(r))
                .max_by(|a, b| a.fte.total_cmp(&b.fte))?;
            Some(Asye { person: p, team: post.team, qualified, cases: wf.cases_held_at(p, r) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{d, spell};
    use crate::model::{Establishment, WorkforceBuilder};
    use crate::{indicators_by, Calendar, Grouping, Period};

    #[test]
    fn a_teams_position_adds_up_and_agrees_with_the_indicators() {
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let (p1, p2, p3, p4) = (b.person("1"), b.person("2"), b.person("3"), b.person("4"));
        b.add_spell(spell(p1, north, SpellKind::Permanent, "2020-01-01", None, 1.0));
        b.add_spell(spell(p2, north, SpellKind::FixedTerm, "2023-01-01", None, 0.5));
        b.add_spell(spell(p3, north, SpellKind::Agency, "2024-01-01", None, 1.0));
        b.add_spell(spell(p4, south, SpellKind::Agency, "2024-01-01", None, 1.0));
        let post =
            |team, fte| Establishment { team, fte, start: d("2019-01-01"), end: None, post_id: None, org_role: None };
        b.add_establishment(post(north, 2.0));
        let wf = b.build();
        let r = d("2024-09-30");
        let s = staffing_by_team(&wf, r);
        assert_eq!((s[0].establishment_fte, s[0].employed_fte(), s[0].vacant_fte), (2.0, 1.5, 0.5));
        assert_eq!((s[0].agency_cover_fte, s[0].agency_over_establishment_fte), (0.5, 0.5));
        assert_eq!((s[1].vacant_fte, s[1].agency_over_establishment_fte), (0.0, 1.0));
        let by_team = indicators_by(&wf, &Calendar::england_and_wales(), Period::census_year(2024), Grouping::Team);
        assert!(asyes_at(&wf, r).is_empty(), "no one has a qualification date");
        for (t, g) in s.iter().zip(&by_team) {
            assert_eq!(Some(t.vacant_fte), g.indicators.vacancy_fte);
            assert_eq!(t.agency_fte, g.indicators.agency_fte);
            assert_eq!(t.employed_fte(), g.indicators.inpost_fte);
        }
    }

    #[test]
    fn caseload_ranges_count_holders_in_their_largest_post() {
        use crate::model::CaseloadSnapshot;
        let mut b = WorkforceBuilder::new();
        let (north, south) = (b.team("North"), b.team("South"));
        let (a, c, e, none) = (b.person("a"), b.person("c"), b.person("e"), b.person("none"));
        b.add_spell(spell(a, north, SpellKind::Permanent, "2020-01-01", None, 1.0));
        b.add_spell(spell(c, north, SpellKind::Agency, "2024-01-01", None, 0.6));
        b.add_spell(spell(c, south, SpellKind::Permanent, "2024-01-01", None, 0.4));
        b.add_spell(spell(e, north, SpellKind::Permanent, "2020-01-01", None, 1.0));
        b.add_spell(spell(none, south, SpellKind::Permanent, "2020-01-01", None, 1.0));
        for (p, cases) in [(a, 7), (c, 26), (e, 12)] {
            b.add_caseload(CaseloadSnapshot { person: p, date: d("2024-09-27"), cases });
        }
        let wf = b.build();
        let r = d("2024-09-30");
        let ranges = caseload_ranges_by_team(&wf, r);
        assert_eq!((ranges[0].holders, ranges[0].fewest, ranges[0].most), (3, Some(7), Some(26)));
        assert_eq!((ranges[1].holders, ranges[1].fewest), (0, None), "no one in South holds cases as their main post");
        // The same people and cases the indicators count.
        let by_team = indicators_by(&wf, &Calendar::england_and_wales(), Period::census_year(2024), Grouping::Team);
        assert_eq!(by_team[0].indicators.cases, 45);
    }

    #[test]
    fn asyes_are_employed_and_qualified_within_the_year() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let (new, old, agency) = (b.person("new"), b.person("old"), b.person("agency"));
        b.person_mut(new).qualification_date = Some(d("2024-06-30"));
        b.person_mut(old).qualification_date = Some(d("2023-06-30"));
        b.person_mut(agency).qualification_date = Some(d("2024-06-30"));
        b.add_spell(spell(new, t, SpellKind::Permanent, "2024-09-02", None, 1.0));
        b.add_spell(spell(old, t, SpellKind::Permanent, "2023-09-04", None, 1.0));
        b.add_spell(spell(agency, t, SpellKind::Agency, "2024-09-02", None, 1.0));
        let wf = b.build();
        let found = asyes_at(&wf, d("2024-09-30"));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].person, found[0].team, found[0].cases), (new, t, 0));
    }
}
