//! Is the picture whole? Signs that data is missing or wrong, found after
//! every import and shown beside the figures: a team with people but no
//! funded posts (its vacancy rate would read 0), funded posts with nobody
//! (perhaps a system not imported), a person over full time across posts,
//! caseloads or absences of people not working here then, and absences
//! losing more days than they have working days.

use crate::model::{PersonIdx, Workforce};
use crate::staffing::staffing_by_team;
use crate::{Calendar, Date};

/// Something that makes the figures at a date doubtful.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A team with social workers in post but no establishment: its vacancies read 0.
    TeamWithoutEstablishment { team: String, in_post_fte: f64 },
    /// A team with funded posts and nobody in them, employed or agency.
    EstablishmentWithoutPeople { team: String, establishment_fte: f64 },
    /// People whose posts at the date add up to more than 1.0 FTE.
    OverFullTime { people: Vec<(PersonIdx, f64)> },
    /// Caseload snapshots of people with no post on their date.
    CaseloadsOutsideEmployment { snapshots: usize },
    /// Absence episodes that start when the person has no post.
    AbsencesOutsideEmployment { episodes: usize },
    /// Absences recording more days lost than the episode has working days.
    DaysLostAboveWorkingDays { episodes: usize },
    /// A source whose latest import is older than the days allowed.
    SourceNotRefreshed { source: String, last: Date, days: i64 },
}

impl Finding {
    /// In plain words, without naming anyone.
    pub fn words(&self) -> String {
        match self {
            Finding::TeamWithoutEstablishment { team, in_post_fte } => format!(
                "{team} has {in_post_fte:.1} FTE in post but no establishment, so its vacancies read 0: import the \
                 establishment for it"
            ),
            Finding::EstablishmentWithoutPeople { team, establishment_fte } => format!(
                "{team} has {establishment_fte:.1} FTE funded and nobody in post, employed or agency: is a system's \
                 export missing?"
            ),
            Finding::OverFullTime { people } => format!(
                "{} {} more than 1.0 FTE across posts",
                people.len(),
                if people.len() == 1 { "person holds" } else { "people hold" }
            ),
            Finding::CaseloadsOutsideEmployment { snapshots: 1 } => {
                "1 caseload snapshot is of a person with no post on its date".to_string()
            }
            Finding::CaseloadsOutsideEmployment { snapshots } => {
                format!("{snapshots} caseload snapshots are of people with no post on their date")
            }
            Finding::AbsencesOutsideEmployment { episodes: 1 } => {
                "1 absence starts when the person has no post".to_string()
            }
            Finding::AbsencesOutsideEmployment { episodes } => {
                format!("{episodes} absences start when the person has no post")
            }
            Finding::DaysLostAboveWorkingDays { episodes: 1 } => {
                "1 absence records more days lost than it has working days".to_string()
            }
            Finding::DaysLostAboveWorkingDays { episodes } => {
                format!("{episodes} absences record more days lost than they have working days")
            }
            Finding::SourceNotRefreshed { source, last, days } => {
                format!("source `{source}` was last imported {days} days ago, on {}", crate::words::long_date(*last))
            }
        }
    }
}

/// Every finding at `date`, the teams' first; none when the picture is whole.
pub fn check(wf: &Workforce, calendar: &Calendar, date: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in staffing_by_team(wf, date) {
        let in_post = s.employed_fte() + s.agency_fte;
        if s.establishment_fte <= 0.0 && in_post > 0.0 {
            out.push(Finding::TeamWithoutEstablishment { team: s.team.clone(), in_post_fte: in_post });
        } else if s.establishment_fte > 0.0 && in_post <= 0.0 {
            out.push(Finding::EstablishmentWithoutPeople {
                team: s.team.clone(),
                establishment_fte: s.establishment_fte,
            });
        }
    }
    let employed_on = |p: PersonIdx, d: Date| wf.spells_of(p).iter().any(|s| s.covers(d));
    let over: Vec<(PersonIdx, f64)> = wf
        .person_indices()
        .filter_map(|p| {
            let fte: f64 = wf.spells_of(p).iter().filter(|s| s.covers(date)).map(|s| s.fte).sum();
            (fte > 1.0 + 1e-9).then_some((p, fte))
        })
        .collect();
    if !over.is_empty() {
        out.push(Finding::OverFullTime { people: over });
    }
    let snapshots = wf.caseloads().iter().filter(|c| c.date <= date && !employed_on(c.person, c.date)).count();
    if snapshots > 0 {
        out.push(Finding::CaseloadsOutsideEmployment { snapshots });
    }
    let episodes = wf.absences().iter().filter(|a| a.start <= date && !employed_on(a.person, a.start)).count();
    if episodes > 0 {
        out.push(Finding::AbsencesOutsideEmployment { episodes });
    }
    let episodes = wf
        .absences()
        .iter()
        .filter(|a| a.start <= date)
        .filter(|a| a.days_lost.is_some_and(|d| d > f64::from(calendar.working_days(a.start, a.end)) + 1e-9))
        .count();
    if episodes > 0 {
        out.push(Finding::DaysLostAboveWorkingDays { episodes });
    }
    out
}

/// Days after which a source not imported again is named, unless a person chooses otherwise.
pub const STALE_AFTER_DAYS: i64 = 45;

/// Sources not imported for more than `days` days before `today`, from
/// every import's (source, day imported); the latest import of each counts.
pub fn stale_sources<'a>(imports: impl IntoIterator<Item = (&'a str, Date)>, today: Date, days: i64) -> Vec<Finding> {
    let mut latest: Vec<(&str, Date)> = Vec::new();
    for (source, at) in imports {
        match latest.iter_mut().find(|(s, _)| *s == source) {
            Some((_, last)) => *last = (*last).max(at),
            None => latest.push((source, at)),
        }
    }
    latest
        .into_iter()
        .map(|(source, last)| (source, last, (today - last).num_days()))
        .filter(|(_, _, age)| *age > days)
        .map(|(source, last, age)| Finding::SourceNotRefreshed { source: source.to_string(), last, days: age })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{d, spell};
    use crate::model::{Absence, CaseloadSnapshot, Establishment, WorkforceBuilder};
    use crate::{AbsenceReason, SpellKind};

    #[test]
    fn what_makes_the_picture_doubtful_is_found() {
        let cal = Calendar::england_and_wales();
        let mut b = WorkforceBuilder::new();
        let (a, z) = (b.person("A"), b.person("Z"));
        let (mash, empty) = (b.team("MASH"), b.team("Fostering"));
        b.add_spell(spell(a, mash, SpellKind::Permanent, "2024-01-01", None, 0.8));
        b.add_spell(spell(a, mash, SpellKind::FixedTerm, "2024-02-01", None, 0.4));
        b.add_establishment(Establishment {
            team: empty,
            fte: 2.0,
            start: d("2024-01-01"),
            end: None,
            post_id: None,
            org_role: None,
        });
        b.add_caseload(CaseloadSnapshot { person: z, date: d("2024-03-01"), cases: 9 });
        b.add_absence(Absence {
            person: a,
            start: d("2024-03-04"),
            end: d("2024-03-05"),
            reason: AbsenceReason::Sickness,
            days_lost: Some(5.0),
        });
        let wf = b.build();
        let found = check(&wf, &cal, d("2024-03-31"));
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(matches!(&found[0], Finding::TeamWithoutEstablishment { team, .. } if team == "MASH"));
        assert!(matches!(&found[1], Finding::EstablishmentWithoutPeople { team, .. } if team == "Fostering"));
        assert!(
            matches!(&found[2], Finding::OverFullTime { people } if people.len() == 1 && (people[0].1 - 1.2).abs() < 1e-9)
        );
        assert_eq!(found[3], Finding::CaseloadsOutsideEmployment { snapshots: 1 });
        assert_eq!(found[4], Finding::DaysLostAboveWorkingDays { episodes: 1 });
        assert_eq!(found[2].words(), "1 person holds more than 1.0 FTE across posts");
    }

    #[test]
    fn a_source_not_imported_lately_is_named_by_its_latest_import() {
        let imports = [("hr", d("2025-01-01")), ("hr", d("2025-09-01")), ("agency", d("2025-06-01"))];
        let found = stale_sources(imports, d("2025-10-01"), 45);
        assert_eq!(found, [Finding::SourceNotRefreshed { source: "agency".into(), last: d("2025-06-01"), days: 122 }]);
        assert_eq!(found[0].words(), "source `agency` was last imported 122 days ago, on 1 June 2025");
    }
}
