//! Settling what two sources say of the same person.
//!
//! When sources are joined, one person's employment (or agency work) may
//! be recorded by two of them over the same days: two HR systems after a
//! reorganisation, or an HR system and a census return. Counting both would
//! count the person twice. The rule: for the days they overlap, the
//! higher-ranked source is kept and the other set aside; the other's days
//! outside the overlap stay. Sources rank by fidelity first (census returns
//! below every record-level export), then by how recently they were
//! imported. Every overlap settled this way is reported as a [`Conflict`].
//!
//! Overlapping records are the same employment recorded twice only when
//! they are of the same team and role, or when one comes from a census
//! return (whose team is not the authority's own). Records of different
//! posts (another team or another role) are concurrent posts, as when a
//! person holds a part-time post in each legacy council's service: both
//! count, and the overlap is reported as [`Disputed::ConcurrentPost`].
//!
//! Absences and caseloads are settled by the same ranking, whole: an absence
//! episode that overlaps one of the same person from a higher-ranked source
//! is set aside (days lost cannot be split), and caseload snapshots of one
//! person on one date from two sources are taken from the higher-ranked
//! source only (within a source they add up, as in the canonical format).

use crate::{Absence, CaseloadSnapshot, Date, OrgRole, PersonIdx, Spell, TeamId};

/// A source's standing: higher wins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// 0 for census returns, 1 for record-level exports.
    pub fidelity: u8,
    /// The source's latest batch.
    pub latest_batch: i64,
}

/// What two sources disagree about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Disputed {
    Employment,
    AgencyWork,
    Absence,
    Caseload,
    /// Two sources record different posts (another team or role) over the
    /// same days: both are counted, nothing is set aside.
    ConcurrentPost,
}

impl Disputed {
    pub fn as_str(self) -> &'static str {
        match self {
            Disputed::Employment => "employment",
            Disputed::AgencyWork => "agency work",
            Disputed::Absence => "absence",
            Disputed::Caseload => "caseload",
            Disputed::ConcurrentPost => "concurrent posts",
        }
    }
}

/// Two sources disagreeing about the same person over the same days. For a
/// [`Disputed::ConcurrentPost`] nothing is set aside: `kept_source` holds
/// the other post's source, and both posts count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub person: PersonIdx,
    pub what: Disputed,
    pub kept_source: String,
    pub set_aside_source: String,
    /// The set-aside spell as its source gave it.
    pub set_aside: (Date, Option<Date>),
    /// The days given to the kept source.
    pub overlap: (Date, Option<Date>),
}

/// A span kept from a higher-ranked source.
struct Kept {
    start: Date,
    end: Date,
    source: usize,
    team: TeamId,
    role: OrgRole,
}

fn end_of(s: &Spell) -> Date {
    s.end.unwrap_or(Date::MAX)
}

fn open(d: Date) -> Option<Date> {
    (d != Date::MAX).then_some(d)
}

/// Settles overlaps between sources: `spells` holds each spell with the
/// index of its source in `sources` (name and rank). Overlaps within one
/// source are left alone (the source's own business).
pub fn settle(mut spells: Vec<(Spell, usize)>, sources: &[(String, Rank)]) -> (Vec<Spell>, Vec<Conflict>) {
    spells.sort_by(|(a, x), (b, y)| {
        (a.person, a.kind.is_employed(), std::cmp::Reverse(&sources[*x].1), a.start).cmp(&(
            b.person,
            b.kind.is_employed(),
            std::cmp::Reverse(&sources[*y].1),
            b.start,
        ))
    });
    let mut out = Vec::with_capacity(spells.len());
    let mut conflicts = Vec::new();
    let mut i = 0;
    while i < spells.len() {
        let (person, employed) = (spells[i].0.person, spells[i].0.kind.is_employed());
        let mut j = i;
        while j < spells.len() && spells[j].0.person == person && spells[j].0.kind.is_employed() == employed {
            j += 1;
        }
        let group = &spells[i..j];
        if group.iter().all(|(_, s)| *s == group[0].1) {
            out.extend(group.iter().map(|(s, _)| s.clone()));
        } else {
            // Kept so far, from higher-ranked sources.
            let mut kept: Vec<Kept> = Vec::new();
            let mut k = 0;
            while k < group.len() {
                let source = group[k].1;
                let mut m = k;
                while m < group.len() && group[m].1 == source {
                    m += 1;
                }
                let mut added = Vec::new();
                for (spell, _) in &group[k..m] {
                    let census = |s: usize| sources[s].1.fidelity == 0;
                    let (same, other): (Vec<&Kept>, Vec<&Kept>) = kept.iter().partition(|x| {
                        census(x.source) || census(source) || (x.team, x.role) == (spell.team, spell.org_role)
                    });
                    let spans: Vec<(Date, Date, usize)> = same.iter().map(|x| (x.start, x.end, x.source)).collect();
                    let pieces = subtract(spell, &spans, |winner, overlap| {
                        conflicts.push(Conflict {
                            person,
                            what: if employed { Disputed::Employment } else { Disputed::AgencyWork },
                            kept_source: sources[winner].0.clone(),
                            set_aside_source: sources[source].0.clone(),
                            set_aside: (spell.start, spell.end),
                            overlap: (overlap.0, open(overlap.1)),
                        });
                    });
                    // What is counted of this spell beside another post.
                    for piece in &pieces {
                        for x in other.iter().filter(|x| x.start <= end_of(piece) && piece.start <= x.end) {
                            conflicts.push(Conflict {
                                person,
                                what: Disputed::ConcurrentPost,
                                kept_source: sources[x.source].0.clone(),
                                set_aside_source: sources[source].0.clone(),
                                set_aside: (spell.start, spell.end),
                                overlap: (x.start.max(piece.start), open(x.end.min(end_of(piece)))),
                            });
                        }
                    }
                    for piece in pieces {
                        added.push(Kept {
                            start: piece.start,
                            end: end_of(&piece),
                            source,
                            team: piece.team,
                            role: piece.org_role,
                        });
                        out.push(piece);
                    }
                }
                kept.extend(added);
                kept.sort_by_key(|x| (x.start, x.end, x.source));
                k = m;
            }
        }
        i = j;
    }
    (out, conflicts)
}

/// Settles absences: an episode overlapping one of the same person from a
/// higher-ranked source is set aside whole.
pub fn settle_absences(
    mut absences: Vec<(Absence, usize)>,
    sources: &[(String, Rank)],
) -> (Vec<Absence>, Vec<Conflict>) {
    absences.sort_by(|(a, x), (b, y)| {
        (a.person, std::cmp::Reverse(&sources[*x].1), a.start).cmp(&(
            b.person,
            std::cmp::Reverse(&sources[*y].1),
            b.start,
        ))
    });
    let mut out = Vec::with_capacity(absences.len());
    let mut conflicts = Vec::new();
    let mut kept: Vec<(Date, Date, usize)> = Vec::new();
    let mut current = None;
    for (a, source) in absences {
        if current != Some(a.person) {
            current = Some(a.person);
            kept.clear();
        }
        let clash = kept.iter().find(|(s, e, k)| *k != source && *s <= a.end && a.start <= *e);
        if let Some(&(s, e, k)) = clash {
            conflicts.push(Conflict {
                person: a.person,
                what: Disputed::Absence,
                kept_source: sources[k].0.clone(),
                set_aside_source: sources[source].0.clone(),
                set_aside: (a.start, Some(a.end)),
                overlap: (s.max(a.start), Some(e.min(a.end))),
            });
            continue;
        }
        kept.push((a.start, a.end, source));
        out.push(a);
    }
    (out, conflicts)
}

/// Settles caseloads: one person's snapshots on one date come from one
/// source, the highest-ranked that has any.
pub fn settle_caseloads(
    mut snapshots: Vec<(CaseloadSnapshot, usize)>,
    sources: &[(String, Rank)],
) -> (Vec<CaseloadSnapshot>, Vec<Conflict>) {
    // Nearly always one source per person and date: check before sorting.
    let mut first: std::collections::HashMap<(PersonIdx, Date), usize> = std::collections::HashMap::new();
    let mut mixed = false;
    for (c, s) in &snapshots {
        mixed |= *first.entry((c.person, c.date)).or_insert(*s) != *s;
    }
    if !mixed {
        return (snapshots.into_iter().map(|(c, _)| c).collect(), Vec::new());
    }
    snapshots.sort_by(|(a, x), (b, y)| {
        (a.person, a.date, std::cmp::Reverse(&sources[*x].1)).cmp(&(
            b.person,
            b.date,
            std::cmp::Reverse(&sources[*y].1),
        ))
    });
    let mut out = Vec::with_capacity(snapshots.len());
    let mut conflicts = Vec::new();
    let mut winner: Option<(PersonIdx, Date, usize)> = None;
    for (c, source) in snapshots {
        match winner {
            Some((p, d, k)) if p == c.person && d == c.date && k != source => {
                if conflicts.last().is_none_or(|x: &Conflict| {
                    (x.person, x.set_aside.0, &x.set_aside_source) != (p, d, &sources[source].0)
                }) {
                    conflicts.push(Conflict {
                        person: p,
                        what: Disputed::Caseload,
                        kept_source: sources[k].0.clone(),
                        set_aside_source: sources[source].0.clone(),
                        set_aside: (d, Some(d)),
                        overlap: (d, Some(d)),
                    });
                }
                continue;
            }
            Some((p, d, _)) if p == c.person && d == c.date => {}
            _ => winner = Some((c.person, c.date, source)),
        }
        out.push(c);
    }
    (out, conflicts)
}

/// The parts of `spell` outside the `kept` spans (sorted by start); each
/// overlap is handed to `overlapped` with the source that keeps it. A reason
/// for leaving stays only on the part that ends where the spell ended.
fn subtract(
    spell: &Spell,
    kept: &[(Date, Date, usize)],
    mut overlapped: impl FnMut(usize, (Date, Date)),
) -> Vec<Spell> {
    let end = end_of(spell);
    let mut pieces = Vec::new();
    let mut from = Some(spell.start);
    for &(s, e, source) in kept {
        let Some(cur) = from else { break };
        if e < cur || s > end {
            continue;
        }
        overlapped(source, (s.max(cur), e.min(end)));
        if s > cur {
            pieces.push((cur, s.pred_opt().expect("after the spell's start")));
        }
        from = if e >= end { None } else { e.succ_opt() };
    }
    if let Some(cur) = from {
        pieces.push((cur, end));
    }
    pieces
        .into_iter()
        .map(|(s, e)| Spell {
            start: s,
            end: open(e),
            reason_leave: if e == end { spell.reason_leave } else { None },
            leaver_destination: if e == end { spell.leaver_destination } else { None },
            ..spell.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ReasonLeave, SpellKind};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn spell(start: &str, end: Option<&str>, kind: SpellKind) -> Spell {
        Spell {
            person: PersonIdx(0),
            kind,
            team: TeamId(0),
            org_role: OrgRole::CaseHolder,
            start: d(start),
            end: end.map(d),
            fte: 1.0,
            reason_leave: end.map(|_| ReasonLeave::from_code(1).unwrap()),
            leaver_destination: None,
            charge_rate: None,
        }
    }

    fn sources() -> Vec<(String, Rank)> {
        vec![
            ("hr-old".into(), Rank { fidelity: 1, latest_batch: 1 }),
            ("hr-new".into(), Rank { fidelity: 1, latest_batch: 2 }),
            ("csww".into(), Rank { fidelity: 0, latest_batch: 3 }),
        ]
    }

    #[test]
    fn two_systems_that_disagree_on_a_start_date_give_one_unbroken_employment() {
        let old = spell("2019-04-01", None, SpellKind::Permanent);
        let new = spell("2019-04-15", None, SpellKind::Permanent);
        let (out, conflicts) = settle(vec![(old, 0), (new.clone(), 1)], &sources());
        assert_eq!(out.len(), 2);
        assert!(out.contains(&new));
        let trimmed = out.iter().find(|s| s.start == d("2019-04-01")).unwrap();
        assert_eq!(trimmed.end, Some(d("2019-04-14")));
        assert_eq!(trimmed.reason_leave, None, "continuing into the kept spell is not leaving");
        assert_eq!(conflicts.len(), 1);
        assert_eq!((conflicts[0].kept_source.as_str(), conflicts[0].set_aside_source.as_str()), ("hr-new", "hr-old"));
        assert_eq!(conflicts[0].overlap, (d("2019-04-15"), None));
    }

    #[test]
    fn a_census_return_gives_way_to_records_and_fills_only_the_days_they_lack() {
        let hr = spell("2020-01-01", Some("2021-06-30"), SpellKind::Permanent);
        let census = spell("2019-09-30", None, SpellKind::Permanent);
        let (out, conflicts) = settle(vec![(census, 2), (hr.clone(), 0)], &sources());
        let mut spans: Vec<(Date, Option<Date>)> = out.iter().map(|s| (s.start, s.end)).collect();
        spans.sort();
        assert_eq!(spans, [(d("2019-09-30"), Some(d("2019-12-31"))), (hr.start, hr.end), (d("2021-07-01"), None)]);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].kept_source, "hr-old");
    }

    #[test]
    fn absences_and_caseloads_from_two_sources_are_counted_once() {
        use crate::AbsenceReason;
        let absence = |start: &str, end: &str| Absence {
            person: PersonIdx(0),
            start: d(start),
            end: d(end),
            reason: AbsenceReason::Sickness,
            days_lost: None,
        };
        let census = absence("2022-10-01", "2023-09-30");
        let hr = absence("2023-01-09", "2023-01-13");
        let own = absence("2023-02-01", "2023-02-03");
        let (out, conflicts) = settle_absences(vec![(census, 2), (hr.clone(), 0), (own.clone(), 0)], &sources());
        assert_eq!(out, [hr, own]);
        assert_eq!((conflicts.len(), conflicts[0].what), (1, Disputed::Absence));
        let snap = |cases| CaseloadSnapshot { person: PersonIdx(0), date: d("2023-09-30"), cases };
        let (out, conflicts) = settle_caseloads(vec![(snap(20), 2), (snap(12), 1), (snap(3), 1)], &sources());
        assert_eq!(out, [snap(12), snap(3)], "one source's rows add up; the census's are set aside");
        assert_eq!(conflicts.len(), 1);
        let (out, conflicts) = settle_caseloads(vec![(snap(12), 1), (snap(3), 1)], &sources());
        assert_eq!((out.len(), conflicts.len()), (2, 0));
    }

    #[test]
    fn agency_and_employed_spells_and_one_sources_own_overlaps_are_left_alone() {
        let a = spell("2020-01-01", None, SpellKind::Permanent);
        let b = spell("2020-01-01", None, SpellKind::Agency);
        let c = spell("2020-06-01", None, SpellKind::Permanent);
        let (out, conflicts) = settle(vec![(a, 0), (b, 1), (c, 0)], &sources());
        assert_eq!(out.len(), 3);
        assert!(conflicts.is_empty());
    }

    #[test]
    fn posts_in_another_team_or_role_are_concurrent_and_both_count() {
        let old = Spell { fte: 0.5, ..spell("2021-01-01", None, SpellKind::Permanent) };
        let other_team = Spell { team: TeamId(1), fte: 0.5, ..spell("2022-01-01", None, SpellKind::Permanent) };
        let (out, conflicts) = settle(vec![(old.clone(), 0), (other_team.clone(), 1)], &sources());
        assert_eq!(out.len(), 2);
        assert!(out.contains(&old) && out.contains(&other_team), "neither post is trimmed");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].what, Disputed::ConcurrentPost);
        assert_eq!(conflicts[0].overlap, (d("2022-01-01"), None));

        let other_role =
            Spell { org_role: OrgRole::FirstLineManager, ..spell("2022-01-01", None, SpellKind::Permanent) };
        let (out, conflicts) = settle(vec![(old.clone(), 0), (other_role, 1)], &sources());
        assert_eq!((out.len(), conflicts[0].what), (2, Disputed::ConcurrentPost));
        assert!(out.contains(&old));

        // A census return's team is never the authority's own: its overlap
        // with any record is the same employment.
        let census = Spell { team: TeamId(7), ..spell("2020-09-30", None, SpellKind::Permanent) };
        let (out, conflicts) = settle(vec![(census, 2), (other_team.clone(), 0)], &sources());
        assert_eq!(out.len(), 2);
        assert!(out.iter().any(|s| s.start == d("2020-09-30") && s.end == Some(d("2021-12-31"))));
        assert_eq!(conflicts[0].what, Disputed::Employment);
    }
}
