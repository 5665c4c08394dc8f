//! The time-aware workforce model: people, spells, establishment, absences,
//! caseload snapshots and teams.
//!
//! Everything is held as dated facts; the state of the workforce at any date
//! is derived, never stored. Later capabilities (supervision, CPD, ASYE
//! reviews, recruitment, incentives, exit interviews) attach to a
//! [`PersonIdx`] or [`TeamId`] as further dated fact tables beside these.

use crate::calendar::Date;
use crate::codes::{AbsenceReason, Gender, LeaverDestination, OrgRole, QualificationRoute, ReasonLeave, SpellKind};
use chrono::Datelike;
use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::hash::BuildHasher;
use std::ops::Range;

/// Index of a person in [`Workforce::persons`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonIdx(pub u32);

/// Index of a team in [`Workforce::teams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TeamId(pub u32);

/// A social worker known to the authority, employed or agency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Stable identifier within the authority.
    pub id: String,
    /// Social Work England registration number.
    pub swe_no: Option<String>,
    pub birth_date: Option<Date>,
    pub gender: Option<Gender>,
    /// CSWW ethnicity code (see [`crate::codes::ETHNICITY_CODES`]).
    pub ethnicity: Option<String>,
    pub qualification_date: Option<Date>,
    pub qualification_route: Option<QualificationRoute>,
}

/// An unbroken period in one team, one role, at one FTE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spell {
    pub person: PersonIdx,
    pub kind: SpellKind,
    pub team: TeamId,
    pub org_role: OrgRole,
    /// First day of the spell.
    pub start: Date,
    /// Last day of the spell; `None` while open.
    pub end: Option<Date>,
    /// Full-time equivalent, 0 < fte <= 1.
    pub fte: f64,
    /// Why the person left, on a spell that ends in leaving.
    pub reason_leave: Option<ReasonLeave>,
    /// Where the person went, on a spell that ends in leaving.
    pub leaver_destination: Option<LeaverDestination>,
    /// What the agency charges the authority an hour, on an agency spell
    /// whose source records it (an extension to the canonical format).
    #[serde(default)]
    pub charge_rate: Option<f64>,
}

impl Spell {
    /// DfE: in post at `r` when it started on or before `r` and ends after `r`.
    /// A spell ending on the reference date is a leaver, not in post.
    #[inline]
    pub fn in_post_at(&self, r: Date) -> bool {
        self.start <= r && self.end.is_none_or(|e| e > r)
    }

    /// Whether the spell covers day `d` (start and end both included).
    #[inline]
    pub fn covers(&self, d: Date) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// Funded social work FTE in a team over a span of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Establishment {
    pub team: TeamId,
    pub fte: f64,
    pub start: Date,
    pub end: Option<Date>,
    pub post_id: Option<String>,
    pub org_role: Option<OrgRole>,
}

impl Establishment {
    /// Funding applies at `r` when `start <= r <= end` (or no end).
    pub fn applies_at(&self, r: Date) -> bool {
        self.start <= r && self.end.is_none_or(|e| r <= e)
    }
}

/// An episode of absence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Absence {
    pub person: PersonIdx,
    pub start: Date,
    pub end: Date,
    pub reason: AbsenceReason,
    /// Working days lost as the HR system records them, when it does.
    pub days_lost: Option<f64>,
}

/// Cases held by a person on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseloadSnapshot {
    pub person: PersonIdx,
    pub date: Date,
    pub cases: u32,
}

/// The whole workforce of one authority as dated facts, indexed for fast
/// questions about any date. Build it with [`WorkforceBuilder`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Workforce {
    teams: Vec<String>,
    persons: Vec<Person>,
    /// Sorted by person, then start date.
    spells: Vec<Spell>,
    establishment: Vec<Establishment>,
    /// Sorted by person, then start date.
    absences: Vec<Absence>,
    /// Sorted by person, then date.
    caseloads: Vec<CaseloadSnapshot>,
    spell_ranges: Vec<Range<u32>>,
    absence_ranges: Vec<Range<u32>>,
    caseload_ranges: Vec<Range<u32>>,
}

/// For items sorted by person, each person's range of them (empty for
/// people with none); `persons` is how many people there are.
pub(crate) fn ranges_by_person<T>(items: &[T], persons: usize, person: impl Fn(&T) -> PersonIdx) -> Vec<Range<u32>> {
    let mut ranges = vec![0..0; persons];
    let mut i = 0;
    while i < items.len() {
        let p = person(&items[i]);
        let mut j = i + 1;
        while j < items.len() && person(&items[j]) == p {
            j += 1;
        }
        ranges[p.0 as usize] = i as u32..j as u32;
        i = j;
    }
    ranges
}

impl Workforce {
    pub fn teams(&self) -> &[String] {
        &self.teams
    }
    pub fn team_name(&self, team: TeamId) -> &str {
        &self.teams[team.0 as usize]
    }
    pub fn team_id(&self, name: &str) -> Option<TeamId> {
        self.teams.iter().position(|t| t == name).map(|i| TeamId(i as u32))
    }
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }
    pub fn person(&self, p: PersonIdx) -> &Person {
        &self.persons[p.0 as usize]
    }
    pub fn spells(&self) -> &[Spell] {
        &self.spells
    }
    pub fn establishment(&self) -> &[Establishment] {
        &self.establishment
    }
    pub fn absences(&self) -> &[Absence] {
        &self.absences
    }
    pub fn caseloads(&self) -> &[CaseloadSnapshot] {
        &self.caseloads
    }

    /// A person's spells, in order of start date.
    pub fn spells_of(&self, p: PersonIdx) -> &[Spell] {
        let r = &self.spell_ranges[p.0 as usize];
        &self.spells[r.start as usize..r.end as usize]
    }
    /// A person's absence episodes, in order of start date.
    pub fn absences_of(&self, p: PersonIdx) -> &[Absence] {
        let r = &self.absence_ranges[p.0 as usize];
        &self.absences[r.start as usize..r.end as usize]
    }
    /// A person's caseload snapshots, in order of date.
    pub fn caseloads_of(&self, p: PersonIdx) -> &[CaseloadSnapshot] {
        let r = &self.caseload_ranges[p.0 as usize];
        &self.caseloads[r.start as usize..r.end as usize]
    }

    pub fn person_indices(&self) -> impl Iterator<Item = PersonIdx> {
        (0..self.persons.len() as u32).map(PersonIdx)
    }

    /// Whether the person holds an employed (permanent or fixed-term) spell on day `d`.
    pub fn is_employed_on(&self, p: PersonIdx, d: Date) -> bool {
        self.spells_of(p).iter().any(|s| s.kind.is_employed() && s.covers(d))
    }

    /// The first day of the person's unbroken employment that takes in `d`
    /// (moves between teams and posts with no day between do not break
    /// it); `None` when they are not employed on `d`.
    pub fn employed_since(&self, p: PersonIdx, d: Date) -> Option<Date> {
        let mut since =
            self.spells_of(p).iter().filter(|s| s.kind.is_employed() && s.covers(d)).map(|s| s.start).min()?;
        // Each step goes back to an earlier start, so this ends.
        while let Some(earlier) = since.pred_opt().and_then(|before| {
            self.spells_of(p).iter().filter(|s| s.kind.is_employed() && s.covers(before)).map(|s| s.start).min()
        }) {
            since = earlier;
        }
        Some(since)
    }

    /// Spells in post at `r`: the state of the workforce on that date.
    pub fn in_post_at(&self, r: Date) -> impl Iterator<Item = &Spell> {
        self.spells.iter().filter(move |s| s.in_post_at(r))
    }

    /// The last date the facts speak of: the latest start or end of a spell,
    /// caseload snapshot or absence; None for an empty workforce.
    pub fn latest_date(&self) -> Option<Date> {
        let spells = self.spells.iter().map(|s| s.end.unwrap_or(s.start).max(s.start));
        let caseloads = self.caseloads.iter().map(|c| c.date);
        let absences = self.absences.iter().map(|a| a.end);
        spells.chain(caseloads).chain(absences).max()
    }

    /// Funded FTE of a team at `r`.
    pub fn establishment_at(&self, team: TeamId, r: Date) -> f64 {
        self.establishment.iter().filter(|e| e.team == team && e.applies_at(r)).map(|e| e.fte).sum()
    }

    /// Cases held at `r`: the cases of the person's latest snapshot dated in
    /// `[r - 30 days, r]`, rows of the same date added up; 0 when none.
    pub fn cases_held_at(&self, p: PersonIdx, r: Date) -> u32 {
        let snaps = self.caseloads_of(p);
        let after = snaps.partition_point(|s| s.date <= r);
        let Some(latest) = after.checked_sub(1).map(|i| snaps[i].date) else {
            return 0;
        };
        if r.num_days_from_ce() - latest.num_days_from_ce() > 30 {
            return 0;
        }
        snaps[..after].iter().rev().take_while(|s| s.date == latest).map(|s| s.cases).sum()
    }
}

/// Collects facts in any order, interning teams and people by name, then
/// indexes them into a [`Workforce`].
#[derive(Default)]
pub struct WorkforceBuilder {
    wf: Workforce,
    team_index: HashMap<String, TeamId>,
    /// People by identifier: the table holds indices into `wf.persons`, so
    /// each identifier is stored once, in its `Person`.
    person_index: HashTable<PersonIdx>,
}

impl std::fmt::Debug for WorkforceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkforceBuilder").field("wf", &self.wf).finish_non_exhaustive()
    }
}

fn hash_id(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl WorkforceBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The team called `name`, added on first use.
    pub fn team(&mut self, name: &str) -> TeamId {
        if let Some(t) = self.team_index.get(name) {
            return *t;
        }
        let t = TeamId(self.wf.teams.len() as u32);
        self.wf.teams.push(name.to_string());
        self.team_index.insert(name.to_string(), t);
        t
    }

    /// The person with identifier `id`, added on first use.
    pub fn person(&mut self, id: &str) -> PersonIdx {
        let hash = hash_id(id);
        self.find_hashed(hash, id).unwrap_or_else(|| self.add_person(hash, id.to_string()))
    }

    /// [`WorkforceBuilder::person`] for an identifier the caller owns: a
    /// new person keeps it rather than a copy.
    pub fn person_from(&mut self, id: String) -> PersonIdx {
        let hash = hash_id(&id);
        self.find_hashed(hash, &id).unwrap_or_else(|| self.add_person(hash, id))
    }

    fn find_hashed(&self, hash: u64, id: &str) -> Option<PersonIdx> {
        let persons = &self.wf.persons;
        self.person_index.find(hash, |p| persons[p.0 as usize].id == id).copied()
    }

    fn add_person(&mut self, hash: u64, id: String) -> PersonIdx {
        let p = PersonIdx(self.wf.persons.len() as u32);
        self.wf.persons.push(Person { id, ..Person::default() });
        let persons = &self.wf.persons;
        self.person_index.insert_unique(hash, p, |q| hash_id(&persons[q.0 as usize].id));
        p
    }

    /// How many people have been added.
    pub fn people(&self) -> usize {
        self.wf.persons.len()
    }

    /// The person with identifier `id`, if one has been added.
    pub fn find_person(&self, id: &str) -> Option<PersonIdx> {
        self.find_hashed(hash_id(id), id)
    }

    /// The details of a person, for filling in attributes. The identifier
    /// is the person's key: replace the details, keep the `id`.
    pub fn person_mut(&mut self, p: PersonIdx) -> &mut Person {
        &mut self.wf.persons[p.0 as usize]
    }

    /// Room for this many more spells, absences and caseload snapshots, so
    /// that a large read does not grow the tables step by step.
    pub fn reserve(&mut self, spells: usize, absences: usize, caseloads: usize) {
        self.wf.spells.reserve(spells);
        self.wf.absences.reserve(absences);
        self.wf.caseloads.reserve(caseloads);
    }

    /// Room for this many more people.
    pub fn reserve_people(&mut self, people: usize) {
        self.wf.persons.reserve(people);
        let persons = &self.wf.persons;
        self.person_index.reserve(people, |q| hash_id(&persons[q.0 as usize].id));
    }

    pub fn add_spell(&mut self, spell: Spell) {
        self.wf.spells.push(spell);
    }
    pub fn add_establishment(&mut self, e: Establishment) {
        self.wf.establishment.push(e);
    }
    pub fn add_absence(&mut self, a: Absence) {
        self.wf.absences.push(a);
    }
    pub fn add_caseload(&mut self, c: CaseloadSnapshot) {
        self.wf.caseloads.push(c);
    }

    /// Many spells at once (moved in, not copied, when they are the first).
    pub fn add_spells(&mut self, mut spells: Vec<Spell>) {
        if self.wf.spells.is_empty() {
            self.wf.spells = spells;
        } else {
            self.wf.spells.append(&mut spells);
        }
    }

    /// Many absences at once (moved in, not copied, when they are the first).
    pub fn add_absences(&mut self, mut absences: Vec<Absence>) {
        if self.wf.absences.is_empty() {
            self.wf.absences = absences;
        } else {
            self.wf.absences.append(&mut absences);
        }
    }

    /// Many caseload snapshots at once (moved in, not copied, when they are the first).
    pub fn add_caseloads(&mut self, mut snapshots: Vec<CaseloadSnapshot>) {
        if self.wf.caseloads.is_empty() {
            self.wf.caseloads = snapshots;
        } else {
            self.wf.caseloads.append(&mut snapshots);
        }
    }

    pub fn build(self) -> Workforce {
        let mut wf = self.wf;
        let n = wf.persons.len();
        wf.spells.sort_by_key(|s| (s.person, s.start, s.end));
        wf.absences.sort_by_key(|a| (a.person, a.start));
        wf.caseloads.sort_unstable_by_key(|c| (c.person, c.date));
        wf.spell_ranges = ranges_by_person(&wf.spells, n, |s| s.person);
        wf.absence_ranges = ranges_by_person(&wf.absences, n, |a| a.person);
        wf.caseload_ranges = ranges_by_person(&wf.caseloads, n, |c| c.person);
        wf
    }
}

/// Small builders for the core's own tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::codes::{OrgRole, SpellKind};

    pub fn d(s: &str) -> Date {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A case holder's spell from `start` to `end` (None: still open).
    pub fn spell(person: PersonIdx, team: TeamId, kind: SpellKind, start: &str, end: Option<&str>, fte: f64) -> Spell {
        Spell {
            person,
            kind,
            team,
            org_role: OrgRole::CaseHolder,
            start: d(start),
            end: end.map(d),
            fte,
            reason_leave: None,
            leaver_destination: None,
            charge_rate: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{d, spell};
    use super::*;
    use crate::codes::SpellKind;

    /// A worker who moves team on 1 April, and an agency worker.
    fn example() -> (Workforce, PersonIdx, PersonIdx) {
        let mut b = WorkforceBuilder::new();
        let (mash, cin) = (b.team("MASH"), b.team("Child in Need"));
        let (a, g) = (b.person("a"), b.person("g"));
        b.add_spell(spell(a, cin, SpellKind::Permanent, "2024-04-01", None, 0.8));
        b.add_spell(spell(a, mash, SpellKind::Permanent, "2022-01-10", Some("2024-03-31"), 1.0));
        b.add_spell(spell(g, mash, SpellKind::Agency, "2024-01-01", Some("2024-09-30"), 1.0));
        b.add_establishment(Establishment {
            team: cin,
            fte: 2.0,
            start: d("2024-01-01"),
            end: None,
            post_id: None,
            org_role: None,
        });
        b.add_caseload(CaseloadSnapshot { person: a, date: d("2024-08-01"), cases: 9 });
        b.add_caseload(CaseloadSnapshot { person: a, date: d("2024-09-02"), cases: 4 });
        b.add_caseload(CaseloadSnapshot { person: a, date: d("2024-09-02"), cases: 7 });
        (b.build(), a, g)
    }

    #[test]
    fn the_workforce_on_any_date() {
        let (wf, a, g) = example();
        assert_eq!(wf.spells_of(a)[0].start, d("2022-01-10"), "spells are in date order");
        let team_at = |r: &str| wf.in_post_at(d(r)).map(|s| wf.team_name(s.team).to_string()).collect::<Vec<_>>();
        assert_eq!(team_at("2024-03-30"), ["MASH", "MASH"]);
        assert_eq!(team_at("2024-04-01"), ["Child in Need", "MASH"]);
        assert_eq!(team_at("2024-09-30"), ["Child in Need"], "a spell ending on the day is not in post");
        assert!(wf.is_employed_on(a, d("2024-03-31")) && wf.is_employed_on(a, d("2024-04-01")));
        assert!(!wf.is_employed_on(g, d("2024-06-01")), "agency work is not employment");
        assert_eq!(wf.establishment_at(wf.team_id("Child in Need").unwrap(), d("2023-12-31")), 0.0);
        assert_eq!(wf.establishment_at(wf.team_id("Child in Need").unwrap(), d("2024-01-01")), 2.0);
    }

    #[test]
    fn service_runs_back_through_moves_to_the_first_unbroken_day() {
        let (wf, a, g) = example();
        assert_eq!(wf.employed_since(a, d("2024-06-01")), Some(d("2022-01-10")), "the move on 1 April breaks nothing");
        assert_eq!(wf.employed_since(a, d("2022-01-09")), None);
        assert_eq!(wf.employed_since(g, d("2024-06-01")), None, "agency work is not employment");
        let mut b = WorkforceBuilder::new();
        let t = b.team("T");
        let p = b.person("p");
        b.add_spell(spell(p, t, SpellKind::Permanent, "2015-01-05", Some("2019-12-31"), 1.0));
        b.add_spell(spell(p, t, SpellKind::Permanent, "2020-01-02", None, 1.0));
        let wf = b.build();
        assert_eq!(wf.employed_since(p, d("2024-01-01")), Some(d("2020-01-02")), "a day between is a new start");
    }

    #[test]
    fn cases_held_are_the_latest_snapshot_within_30_days() {
        let (wf, a, g) = example();
        assert_eq!(wf.cases_held_at(a, d("2024-09-30")), 11, "same-day rows add up");
        assert_eq!(wf.cases_held_at(a, d("2024-08-31")), 9);
        assert_eq!(wf.cases_held_at(a, d("2024-10-02")), 11, "30 days after is still held");
        assert_eq!(wf.cases_held_at(a, d("2024-10-03")), 0, "a stale snapshot counts for nothing");
        assert_eq!(wf.cases_held_at(a, d("2024-07-31")), 0);
        assert_eq!(wf.cases_held_at(g, d("2024-09-01")), 0);
    }
}
