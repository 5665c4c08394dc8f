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

use sightline_core::{Date, PersonIdx, Spell};

/// A source's standing: higher wins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// 0 for census returns, 1 for record-level exports.
    pub fidelity: u8,
    /// The source's latest batch.
    pub latest_batch: i64,
}

/// Two sources disagreeing about the same person over the same days.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub person: PersonIdx,
    /// Whether it was employed spells (else agency ones).
    pub employed: bool,
    pub kept_source: String,
    pub set_aside_source: String,
    /// The set-aside spell as its source gave it.
    pub set_aside: (Date, Option<Date>),
    /// The days given to the kept source.
    pub overlap: (Date, Option<Date>),
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
            // Kept so far, from higher-ranked sources: (start, end, source).
            let mut kept: Vec<(Date, Date, usize)> = Vec::new();
            let mut k = 0;
            while k < group.len() {
                let source = group[k].1;
                let mut m = k;
                while m < group.len() && group[m].1 == source {
                    m += 1;
                }
                let mut added = Vec::new();
                for (spell, _) in &group[k..m] {
                    let pieces = subtract(spell, &kept, |winner, overlap| {
                        conflicts.push(Conflict {
                            person,
                            employed,
                            kept_source: sources[winner].0.clone(),
                            set_aside_source: sources[source].0.clone(),
                            set_aside: (spell.start, spell.end),
                            overlap: (overlap.0, open(overlap.1)),
                        });
                    });
                    for piece in pieces {
                        added.push((piece.start, end_of(&piece), source));
                        out.push(piece);
                    }
                }
                kept.extend(added);
                kept.sort();
                k = m;
            }
        }
        i = j;
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
            ..spell.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::{OrgRole, ReasonLeave, SpellKind, TeamId};

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
    fn agency_and_employed_spells_and_one_sources_own_overlaps_are_left_alone() {
        let a = spell("2020-01-01", None, SpellKind::Permanent);
        let b = spell("2020-01-01", None, SpellKind::Agency);
        let c = spell("2020-06-01", None, SpellKind::Permanent);
        let (out, conflicts) = settle(vec![(a, 0), (b, 1), (c, 0)], &sources());
        assert_eq!(out.len(), 3);
        assert!(conflicts.is_empty());
    }
}
