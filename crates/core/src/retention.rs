//! Retention, explained by group and never scored for a person: how long
//! employments last (Kaplan-Meier survival by whole months), the chance of
//! leaving in each year of service (where the pinch point is), and leavers
//! who come back.
//!
//! An **employment** is an unbroken run of employed (permanent or
//! fixed-term) spells of one person: moves between teams, roles or FTE with
//! no day between do not break it (as DfE's leavers). Its length in whole
//! calendar months runs from its first day to the day after its last (a
//! leaving), or to the day after the date asked about (still employed then:
//! censored). So a year's employment from 1 January to 31 December is 12 months.

use crate::calendar::{whole_months, Date};
use crate::codes::{LeaverDestination, QualificationRoute};
use crate::model::{PersonIdx, TeamId, Workforce};
use chrono::Months;
use serde::Serialize;

/// One unbroken employment.
#[derive(Debug, Clone, PartialEq)]
pub struct Employment {
    pub person: PersonIdx,
    pub start: Date,
    /// The last day, when it ended by the date asked about.
    pub left: Option<Date>,
    /// The team of its largest post on its first day.
    pub team: TeamId,
    /// Where the person went, when it ended in leaving and it is recorded.
    pub destination: Option<LeaverDestination>,
}

/// Every employment that began on or before `to`, as it stood on `to`.
pub fn employments(wf: &Workforce, to: Date) -> Vec<Employment> {
    let mut out = Vec::new();
    for p in wf.person_indices() {
        let mut spells: Vec<_> = wf.spells_of(p).iter().filter(|s| s.kind.is_employed()).collect();
        spells.sort_by_key(|s| s.start);
        let mut i = 0;
        while i < spells.len() {
            let first = spells[i];
            let mut end = first.end;
            let mut last_spell = first;
            let mut j = i + 1;
            // Spells starting by the day after the run's end carry it on (an open run takes in the rest).
            while j < spells.len() && end.is_none_or(|e| e.succ_opt().is_none_or(|after| spells[j].start <= after)) {
                end = match (end, spells[j].end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                if spells[j].end == end {
                    last_spell = spells[j];
                }
                j += 1;
            }
            let team = spells[i..j]
                .iter()
                .filter(|s| s.start == first.start)
                .max_by(|a, b| a.fte.total_cmp(&b.fte))
                .map_or(first.team, |s| s.team);
            let left = end.filter(|e| *e <= to);
            if first.start > to {
                break;
            }
            out.push(Employment {
                person: p,
                start: first.start,
                left,
                team,
                destination: left.and(last_spell.leaver_destination),
            });
            i = j;
        }
    }
    out
}

/// The longest employment followed, in months (60 years): a longer one, as
/// a mistyped year would make, is followed for this long, so the work a
/// curve takes stays bounded.
pub const LONGEST_MONTHS: u32 = 720;

impl Employment {
    /// Its length in whole months (at most [`LONGEST_MONTHS`]), and whether
    /// it ended in leaving (else censored at `to`).
    pub fn duration(&self, to: Date) -> (u32, bool) {
        let day_after = |d: Date| d.succ_opt().unwrap_or(d);
        match self.left {
            Some(last) => (whole_months(self.start, day_after(last)).min(LONGEST_MONTHS), true),
            None => (whole_months(self.start, day_after(to)).min(LONGEST_MONTHS), false),
        }
    }
}

/// What to compare employments by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionBy {
    All,
    /// Years since qualifying when the employment began: under 2, 2 to 5, 5 or more, not known.
    YearsSinceQualifying,
    /// The qualification route.
    Route,
    /// The team of the first post.
    Team,
    /// Whether the person worked for the authority through an agency in the
    /// 90 days before (converted from agency) or not.
    AgencyConverted,
}

/// The group an employment falls in.
pub fn group_of(wf: &Workforce, e: &Employment, by: RetentionBy) -> String {
    let person = wf.person(e.person);
    match by {
        RetentionBy::All => "all".to_string(),
        RetentionBy::YearsSinceQualifying => match person.qualification_date.filter(|q| *q <= e.start) {
            None => "not known".to_string(),
            Some(q) => {
                let years = |n: u32| q.checked_add_months(Months::new(12 * n)).unwrap_or(Date::MAX);
                if e.start < years(2) {
                    "under 2 years".to_string()
                } else if e.start < years(5) {
                    "2 to 5 years".to_string()
                } else {
                    "5 years or more".to_string()
                }
            }
        },
        RetentionBy::Route => person.qualification_route.map_or("not known", QualificationRoute::as_str).to_string(),
        RetentionBy::Team => wf.team_name(e.team).to_string(),
        RetentionBy::AgencyConverted => {
            let window = e.start.checked_sub_days(chrono::Days::new(90)).unwrap_or(Date::MIN);
            let converted = wf
                .spells_of(e.person)
                .iter()
                .any(|s| !s.kind.is_employed() && s.start < e.start && s.end.is_none_or(|end| end >= window));
            if converted { "converted from agency" } else { "not from agency" }.to_string()
        }
    }
}

/// One point of a survival curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalPoint {
    pub group: String,
    /// Whole months since the employment began.
    pub months: u32,
    /// Kaplan-Meier estimate of the share still employed after `months`, %.
    pub surviving_pct: f64,
    /// Employments observed for at least `months` (neither left nor censored before).
    pub at_risk: u32,
}

/// Kaplan-Meier survival of `durations` ((months, ended in leaving)): for
/// each month m from 0 while any employment is at risk, S(m) = the product
/// over k < m of (1 - left in month k / at risk at k), where an employment
/// is at risk at k when its length is k or more, and leaves in month k when
/// it ended in leaving with length k.
pub fn kaplan_meier(group: &str, durations: &[(u32, bool)]) -> Vec<SurvivalPoint> {
    let longest = durations.iter().map(|(m, _)| *m).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut surviving = 1.0;
    for m in 0..=longest {
        let at_risk = durations.iter().filter(|(d, _)| *d >= m).count() as u32;
        if at_risk == 0 {
            break;
        }
        out.push(SurvivalPoint { group: group.to_string(), months: m, surviving_pct: 100.0 * surviving, at_risk });
        let left = durations.iter().filter(|(d, ended)| *d == m && *ended).count() as u32;
        surviving *= 1.0 - f64::from(left) / f64::from(at_risk);
    }
    out
}

/// The chance of leaving in each year of service (0 = the first year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hazard {
    pub group: String,
    pub year_of_service: u32,
    /// Employments that reached the year's start.
    pub at_risk: u32,
    /// Of them, those that ended in leaving within the year.
    pub leavers: u32,
    /// Leavers, % of those at risk.
    pub rate_pct: Option<f64>,
}

/// Leaving by year of service, for each year anyone reached.
pub fn hazard(group: &str, durations: &[(u32, bool)]) -> Vec<Hazard> {
    let longest = durations.iter().map(|(m, _)| *m).max().unwrap_or(0);
    (0..=longest / 12)
        .map(|y| {
            let at_risk = durations.iter().filter(|(d, _)| *d >= 12 * y).count() as u32;
            let leavers =
                durations.iter().filter(|(d, ended)| *ended && *d >= 12 * y && *d < 12 * (y + 1)).count() as u32;
            Hazard {
                group: group.to_string(),
                year_of_service: y,
                at_risk,
                leavers,
                rate_pct: (at_risk > 0).then(|| 100.0 * f64::from(leavers) / f64::from(at_risk)),
            }
        })
        .filter(|h| h.at_risk > 0)
        .collect()
}

/// Leavers who came back: an employment beginning within `years` of the
/// same person's leaving, on or before the date asked about.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Returners {
    pub count: u32,
    /// Of them, how many worked for the authority through an agency between.
    pub via_agency: u32,
    /// Where they had gone, by the leaving's recorded destination ("not recorded" when none).
    pub by_destination: Vec<(String, u32)>,
}

/// The returners among `employments` (see [`Returners`]).
pub fn returners(wf: &Workforce, employments: &[Employment], years: u32) -> Returners {
    let mut out = Returners::default();
    let mut by: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let mut of_person: std::collections::HashMap<PersonIdx, Vec<&Employment>> = std::collections::HashMap::new();
    for e in employments {
        of_person.entry(e.person).or_default().push(e);
    }
    for e in employments {
        let earlier = of_person
            .get(&e.person)
            .into_iter()
            .flatten()
            .filter(|x| x.left.is_some_and(|l| l < e.start))
            .max_by_key(|x| x.left);
        let Some(before) = earlier else { continue };
        let Some(left) = before.left else { continue };
        if left.checked_add_months(Months::new(12 * years)).is_none_or(|limit| e.start > limit) {
            continue;
        }
        out.count += 1;
        let between =
            wf.spells_of(e.person).iter().any(|s| !s.kind.is_employed() && s.start > left && s.start < e.start);
        out.via_agency += u32::from(between);
        *by.entry(before.destination.map_or("not recorded".to_string(), |d| d.label().to_string())).or_insert(0) += 1;
    }
    out.by_destination = by.into_iter().collect();
    out.by_destination.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Survival and hazard for each group of the employments begun by `to`.
pub fn retention(wf: &Workforce, to: Date, by: RetentionBy) -> (Vec<SurvivalPoint>, Vec<Hazard>) {
    let mut groups: std::collections::BTreeMap<String, Vec<(u32, bool)>> = std::collections::BTreeMap::new();
    for e in employments(wf, to) {
        groups.entry(group_of(wf, &e, by)).or_default().push(e.duration(to));
    }
    let mut survival = Vec::new();
    let mut hazards = Vec::new();
    for (group, durations) in &groups {
        survival.extend(kaplan_meier(group, durations));
        hazards.extend(hazard(group, durations));
    }
    (survival, hazards)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::SpellKind;
    use crate::model::test_support::{d, spell};
    use crate::model::WorkforceBuilder;

    #[test]
    fn kaplan_meier_by_hand_with_censoring() {
        // Six employments: left after 2, 3, 3 and 7 months; still employed (censored) at 3 and 5.
        let durations = [(2, true), (3, true), (3, true), (3, false), (5, false), (7, true)];
        let km = kaplan_meier("g", &durations);
        let at = |m: u32| km.iter().find(|p| p.months == m).map(|p| (p.surviving_pct, p.at_risk)).unwrap();
        // Months 0 to 2: all 6 at risk; S = 1.
        assert_eq!(at(2), (100.0, 6));
        // After month 2: 1 of 6 left. S(3) = 5/6.
        assert!((at(3).0 - 100.0 * 5.0 / 6.0).abs() < 1e-9 && at(3).1 == 5);
        // Month 3: 2 of 5 left (the censored one stays at risk). S(4) = 5/6 * 3/5 = 1/2; 2 at risk.
        assert!((at(4).0 - 50.0).abs() < 1e-9 && at(4).1 == 2);
        // Month 5 censored: S unchanged; 1 at risk at 6 and 7; leaves in month 7.
        assert!((at(7).0 - 50.0).abs() < 1e-9 && at(7).1 == 1);
        assert_eq!(km.last().map(|p| p.months), Some(7));
        let h = hazard("g", &durations);
        assert_eq!((h[0].at_risk, h[0].leavers), (6, 4));
    }

    #[test]
    fn an_employment_runs_through_moves_and_is_censored_at_the_date() {
        let mut b = WorkforceBuilder::new();
        let (t, u) = (b.team("T"), b.team("U"));
        let (a, r) = (b.person("a"), b.person("r"));
        b.add_spell(spell(a, t, SpellKind::Permanent, "2020-01-01", Some("2020-06-30"), 1.0));
        b.add_spell(spell(a, u, SpellKind::Permanent, "2020-07-01", Some("2020-12-31"), 1.0));
        // Leaves, works through an agency, and comes back within three years.
        b.add_spell(spell(r, t, SpellKind::Permanent, "2019-01-01", Some("2019-12-31"), 1.0));
        b.add_spell(spell(r, t, SpellKind::Agency, "2020-02-01", Some("2020-12-31"), 1.0));
        b.add_spell(spell(r, t, SpellKind::Permanent, "2021-03-01", None, 1.0));
        let wf = b.build();
        let es = employments(&wf, d("2021-12-31"));
        assert_eq!(es.len(), 3);
        let mine = es.iter().find(|e| e.person == a).unwrap();
        assert_eq!(
            (mine.start, mine.left, mine.duration(d("2021-12-31"))),
            (d("2020-01-01"), Some(d("2020-12-31")), (12, true))
        );
        let back = es.iter().find(|e| e.person == r && e.left.is_none()).unwrap();
        assert_eq!(back.duration(d("2021-12-31")), (10, false));
        let ret = returners(&wf, &es, 3);
        assert_eq!((ret.count, ret.via_agency), (1, 1));
        // On 30 June 2020, a's employment is still going: censored at 6 months.
        let early = employments(&wf, d("2020-06-30"));
        let mine = early.iter().find(|e| e.person == a).unwrap();
        assert_eq!(mine.duration(d("2020-06-30")), (6, false));
    }

    #[test]
    fn a_mistyped_year_follows_an_employment_no_more_than_sixty_years() {
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let p = b.person("p");
        b.add_spell(spell(p, t, SpellKind::Permanent, "0024-01-01", None, 1.0));
        let wf = b.build();
        let (survival, hazard) = retention(&wf, d("2024-12-31"), RetentionBy::All);
        assert_eq!(survival.last().map(|s| s.months), Some(LONGEST_MONTHS));
        assert_eq!(hazard.len(), 61);
    }
}
