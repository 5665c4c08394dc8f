//! Builds a workforce, census year by census year, that produces given
//! targets exactly: who is in post, who starts and leaves and when, at what
//! FTE, in which team, with which agency cover, cases and sickness.

use crate::targets::{from_units, YearTargets, MIN_FTE, UNIT};
use chrono::{Datelike, Duration};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sightline_core::calendar::{next_day, previous_day};
use sightline_core::{
    Absence, AbsenceReason, Calendar, CaseloadSnapshot, Date, Establishment, Gender, LeaverDestination, OrgRole,
    PersonIdx, QualificationRoute, ReasonLeave, Spell, SpellKind, TeamId, Workforce, WorkforceBuilder,
};

/// Children's social care teams and their share of the establishment.
pub const TEAMS: [(&str, f64); 8] = [
    ("MASH", 0.08),
    ("Assessment", 0.18),
    ("Child in Need", 0.16),
    ("Child Protection", 0.15),
    ("Children in Care", 0.16),
    ("Care Leavers", 0.08),
    ("Fostering", 0.10),
    ("Disabled Children", 0.09),
];

/// The team kept free of agency workers when uncovered vacancies must exist
/// beside agency workers who cover none.
const AGENCY_FREE_TEAM: usize = 6;

#[derive(Debug, Clone)]
struct Open {
    kind: SpellKind,
    team: usize,
    role: OrgRole,
    fte: i64,
    start: Date,
}

/// Settings that shape the volume of detail, not the calibrated figures.
#[derive(Debug, Clone, Copy)]
pub struct Detail {
    /// Caseload snapshots a year for each case holder: 12 is monthly, 1 is only at 30 September.
    pub snapshots_per_year: u32,
}

pub struct Population<'c> {
    rng: ChaCha8Rng,
    calendar: &'c Calendar,
    detail: Detail,
    persons: Vec<sightline_core::Person>,
    open: Vec<Option<Open>>,
    spells: Vec<Spell>,
    establishment: Vec<Establishment>,
    absences: Vec<Absence>,
    caseloads: Vec<CaseloadSnapshot>,
    /// Former employees who went to work through an agency, with the day they left.
    to_agency: Vec<(usize, Date)>,
    /// First day of each person's current run of employment.
    employed_since: Vec<Option<Date>>,
    swe_base: u64,
}

fn random_date(rng: &mut ChaCha8Rng, from: Date, to: Date) -> Date {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.gen_range(0..=span))
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0.0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// A contracted FTE as councils' staff hold them: mostly full time.
fn typical_fte(rng: &mut ChaCha8Rng) -> i64 {
    weighted(rng, &[(10_000, 0.72), (8_000, 0.1), (9_000, 0.04), (6_000, 0.06), (5_000, 0.05), (4_000, 0.03)])
}

/// Moves `values` (only where `movable`) until they sum to `target`,
/// keeping each within [lo, hi]; steps of 0.1 FTE while the gap allows,
/// so most values stay ordinary contracted FTEs. Returns the indices
/// changed, or the gap that could not be closed.
pub fn adjust_total(
    rng: &mut ChaCha8Rng,
    values: &mut [i64],
    movable: &[bool],
    target: i64,
    lo: i64,
    hi: i64,
) -> Result<Vec<usize>, i64> {
    let mut changed = Vec::new();
    let mut order: Vec<usize> = (0..values.len()).filter(|i| movable[*i]).collect();
    // A total too small for `lo` each (DfE shows a few) lowers the floor.
    let lo = lo.min(target / (values.len().max(1) as i64)).max(1);
    for _pass in 0..200 {
        let gap = target - values.iter().sum::<i64>();
        if gap == 0 {
            return Ok(changed);
        }
        order.shuffle(rng);
        let mut moved = false;
        let mut gap = gap;
        for &i in &order {
            if gap == 0 {
                break;
            }
            let room = if gap > 0 { hi - values[i] } else { values[i] - lo };
            if room <= 0 {
                continue;
            }
            let want = if gap.abs() >= UNIT / 10 { (gap.abs() / (UNIT / 10)).min(2) * (UNIT / 10) } else { gap.abs() };
            let step = want.min(room);
            values[i] += step * gap.signum();
            gap -= step * gap.signum();
            moved = true;
            if !changed.contains(&i) {
                changed.push(i);
            }
        }
        if !moved {
            return Err(gap);
        }
    }
    Err(target - values.iter().sum::<i64>())
}

impl<'c> Population<'c> {
    pub fn new(rng: ChaCha8Rng, calendar: &'c Calendar, detail: Detail) -> Self {
        let mut rng = rng;
        let swe_base = rng.gen_range(1_000_000_000u64..5_000_000_000);
        Population {
            rng,
            calendar,
            detail,
            persons: Vec::new(),
            open: Vec::new(),
            spells: Vec::new(),
            establishment: Vec::new(),
            absences: Vec::new(),
            caseloads: Vec::new(),
            to_agency: Vec::new(),
            employed_since: Vec::new(),
            swe_base,
        }
    }

    // -- people and spells --------------------------------------------------

    /// A new person. `newly_qualified` people qualified shortly before `joined`.
    fn new_person(&mut self, joined: Date, newly_qualified: bool) -> usize {
        let i = self.persons.len();
        let rng = &mut self.rng;
        let age_years = if newly_qualified { rng.gen_range(22..36) } else { rng.gen_range(26..62) };
        let birth = joined - Duration::days(age_years * 365 + rng.gen_range(0..365));
        let qualified = if newly_qualified {
            joined - Duration::days(rng.gen_range(20..200))
        } else {
            let earliest = birth + Duration::days(22 * 365);
            random_date(rng, earliest, (joined - Duration::days(400)).max(earliest))
        };
        let route = weighted(
            rng,
            &[
                (QualificationRoute::Undergraduate, 0.45),
                (QualificationRoute::Postgraduate, 0.33),
                (QualificationRoute::StepUp, 0.06),
                (QualificationRoute::Frontline, 0.09),
                (QualificationRoute::Apprenticeship, 0.04),
                (QualificationRoute::International, 0.03),
            ],
        );
        let gender = weighted(rng, &[(Gender::Female, 0.82), (Gender::Male, 0.17), (Gender::NotSpecified, 0.01)]);
        let ethnicity = weighted(
            rng,
            &[
                ("WBRI", 0.66),
                ("WIRI", 0.01),
                ("WOTH", 0.05),
                ("MWBC", 0.02),
                ("MWBA", 0.01),
                ("MWAS", 0.01),
                ("MOTH", 0.01),
                ("AIND", 0.03),
                ("APKN", 0.02),
                ("ABAN", 0.01),
                ("AOTH", 0.01),
                ("BCRB", 0.03),
                ("BAFR", 0.08),
                ("BOTH", 0.01),
                ("CHNE", 0.005),
                ("OOTH", 0.01),
                ("REFU", 0.01),
                ("NOBT", 0.015),
            ],
        );
        self.persons.push(sightline_core::Person {
            id: format!("P{:06}", i + 1),
            swe_no: Some(format!("SW{:010}", self.swe_base + i as u64 * 7 + 3)),
            birth_date: Some(birth),
            gender: Some(gender),
            ethnicity: Some(ethnicity.to_string()),
            qualification_date: Some(qualified),
            qualification_route: Some(route),
        });
        self.open.push(None);
        self.employed_since.push(None);
        i
    }

    fn open_spell(&mut self, p: usize, open: Open) {
        debug_assert!(self.open[p].is_none());
        self.employed_since[p] = open.kind.is_employed().then_some(open.start);
        self.open[p] = Some(open);
    }

    fn close_spell(&mut self, p: usize, end: Date, reason: Option<ReasonLeave>) {
        // (The destination is drawn from the person's number, not the random
        // stream, so that it changes nothing else the synthesiser makes.)
        let o = self.open[p].take().expect("an open spell to close");
        debug_assert!(end >= o.start);
        self.spells.push(Spell {
            person: PersonIdx(p as u32),
            kind: o.kind,
            team: TeamId(o.team as u32),
            org_role: o.role,
            start: o.start,
            end: Some(end),
            fte: from_units(o.fte),
            reason_leave: reason,
            leaver_destination: reason.and_then(|r| destination(p, r)),
            charge_rate: charge_rate(p, o.kind, o.start),
        });
    }

    /// Closes the person's spell the day before `on` and opens the next one
    /// with the changes made by `edit`: a move, a promotion or an FTE change.
    fn change(&mut self, p: usize, on: Date, edit: impl FnOnce(&mut Open)) {
        let mut next = self.open[p].clone().expect("an open spell to change");
        self.close_spell(p, previous_day(on), None);
        edit(&mut next);
        next.start = on;
        self.open[p] = Some(next);
    }

    /// The first day a change to the person's open spell can take effect in `[from, to]`.
    ///
    /// Never the first day of the year: a change on 1 October would end the
    /// spell before it on 30 September, and a spell ending on the reference
    /// date is not in post on it (DfE's rule), so last year's figures would move.
    fn change_window(&self, p: usize, from: Date, to: Date) -> Option<(Date, Date)> {
        let start = self.open[p].as_ref()?.start;
        let first = next_day(from).max(next_day(start));
        (first <= to).then_some((first, to))
    }

    fn open_people(&self, kind_employed: bool) -> Vec<usize> {
        (0..self.persons.len())
            .filter(|p| self.open[*p].as_ref().is_some_and(|o| o.kind.is_employed() == kind_employed))
            .collect()
    }

    fn fte_of(&self, p: usize) -> i64 {
        self.open[p].as_ref().map_or(0, |o| o.fte)
    }

    /// Sets the FTE of each open spell in `people` to `values`, by an FTE
    /// change on a day in `[from, to]` where it differs.
    fn apply_fte(&mut self, people: &[usize], values: &[i64], from: Date, to: Date) {
        for (&p, &v) in people.iter().zip(values) {
            if self.fte_of(p) == v {
                continue;
            }
            let (a, b) = self.change_window(p, from, to).expect("only movable people are changed");
            let on = random_date(&mut self.rng, a, b);
            self.change(p, on, |o| o.fte = v);
        }
    }

    /// Adjusts the FTEs of `people` to sum to `target`, changing only those
    /// whose spell can change in `[from, to]`.
    fn fit_fte(&mut self, people: &[usize], target: i64, from: Date, to: Date) -> Result<(), i64> {
        let mut values: Vec<i64> = people.iter().map(|p| self.fte_of(*p)).collect();
        let movable: Vec<bool> = people.iter().map(|p| self.change_window(*p, from, to).is_some()).collect();
        let result = adjust_total(&mut self.rng, &mut values, &movable, target, MIN_FTE, UNIT);
        self.apply_fte(people, &values, from, to);
        result.map(|_| ())
    }

    fn random_team(&mut self) -> usize {
        let weights: Vec<(usize, f64)> = TEAMS.iter().enumerate().map(|(i, (_, w))| (i, *w)).collect();
        weighted(&mut self.rng, &weights)
    }

    fn random_role(&mut self) -> OrgRole {
        weighted(
            &mut self.rng,
            &[
                (OrgRole::SeniorManager, 0.01),
                (OrgRole::MiddleManager, 0.04),
                (OrgRole::FirstLineManager, 0.11),
                (OrgRole::SeniorPractitioner, 0.15),
                (OrgRole::CaseHolder, 0.61),
                (OrgRole::QualifiedWithoutCases, 0.08),
            ],
        )
    }

    // -- the years ------------------------------------------------------------

    /// The workforce in post on the day before the first census year:
    /// `employed` employed staff and `agency` agency assignments.
    pub fn seed(&mut self, before: Date, employed: u32, agency: u32) {
        for _ in 0..employed {
            let service_days = (self.rng.gen::<f64>().powi(2) * 15.0 * 365.0) as i64 + 30;
            let start = before - Duration::days(service_days);
            let p = self.new_person(start, service_days < 400);
            let (team, role, fte) = (self.random_team(), self.random_role(), typical_fte(&mut self.rng));
            self.open_spell(p, Open { kind: SpellKind::Permanent, team, role, fte, start });
        }
        for _ in 0..agency {
            let start = before - Duration::days(self.rng.gen_range(7..900));
            let p = self.new_person(start, false);
            let team = self.random_team();
            self.open_spell(p, Open { kind: SpellKind::Agency, team, role: OrgRole::CaseHolder, fte: UNIT, start });
        }
    }

    /// Builds census year `t.year` so that it produces `t`.
    pub fn year(&mut self, t: &YearTargets) {
        let period = sightline_core::Period::census_year(t.year);
        let (p0, r) = (period.start, period.end);

        // Leavers: chosen among those employed at the start of the year.
        let mut employed = self.open_people(true);
        employed.shuffle(&mut self.rng);
        // More leave than published when that is the only way to reach the headcount in post.
        let surplus = employed.len().saturating_sub(t.inpost_headcount as usize);
        let leaver_count = (t.leavers_headcount as usize).max(surplus).min(employed.len());
        let leavers: Vec<usize> = employed[..leaver_count].to_vec();
        let leave_dates: Vec<Date> = leavers
            .iter()
            // Not on 1 October: an FTE change before leaving must fit in the year.
            .map(|_| if self.rng.gen_bool(0.03) { r } else { random_date(&mut self.rng, next_day(p0), r) })
            .collect();
        {
            let mut values: Vec<i64> = leavers.iter().map(|p| self.fte_of(*p)).collect();
            let movable: Vec<bool> =
                leavers.iter().zip(&leave_dates).map(|(p, e)| self.change_window(*p, p0, *e).is_some()).collect();
            let _ = adjust_total(&mut self.rng, &mut values, &movable, t.leavers_fte, MIN_FTE, UNIT);
            for ((&p, &v), &e) in leavers.iter().zip(&values).zip(&leave_dates) {
                if v != self.fte_of(p) {
                    let (a, b) = self.change_window(p, p0, e).expect("movable");
                    let on = random_date(&mut self.rng, a, b);
                    self.change(p, on, |o| o.fte = v);
                }
                let reason = weighted(
                    &mut self.rng,
                    &[
                        (1u8, 0.62),
                        (2, 0.02),
                        (3, 0.01),
                        (4, 0.03),
                        (5, 0.08),
                        (6, 0.005),
                        (7, 0.03),
                        (8, 0.13),
                        (9, 0.075),
                    ],
                );
                self.close_spell(p, e, ReasonLeave::from_code(reason));
                if reason == 1 && self.rng.gen_bool(0.12) {
                    self.to_agency.push((p, e));
                }
            }
        }

        // Starters: as many as bring the headcount in post to the target.
        let continuing = self.open_people(true).len() as u32;
        let starter_count = t.inpost_headcount.saturating_sub(continuing);
        let mut starters = Vec::new();
        for _ in 0..starter_count {
            let start = random_date(&mut self.rng, p0, r);
            let newly_qualified = self.rng.gen_bool(0.45);
            let p = self.new_person(start, newly_qualified);
            let team = self.random_team();
            let role = if newly_qualified { OrgRole::CaseHolder } else { self.random_role() };
            let kind = if self.rng.gen_bool(0.08) { SpellKind::FixedTerm } else { SpellKind::Permanent };
            let fte = typical_fte(&mut self.rng);
            self.open_spell(p, Open { kind, team, role, fte, start });
            starters.push(p);
        }
        {
            let mut values: Vec<i64> = starters.iter().map(|p| self.fte_of(*p)).collect();
            let all = vec![true; starters.len()];
            let _ = adjust_total(&mut self.rng, &mut values, &all, t.starters_fte, MIN_FTE, UNIT);
            for (&p, &v) in starters.iter().zip(&values) {
                self.open[p].as_mut().expect("open").fte = v;
            }
        }

        // Moves between teams and promotions, which are neither.
        for p in self.open_people(true) {
            if let Some((a, b)) = self.change_window(p, p0, r) {
                let roll: f64 = self.rng.gen();
                if roll < 0.04 {
                    let team = self.random_team();
                    let on = random_date(&mut self.rng, a, b);
                    self.change(p, on, |o| o.team = team);
                } else if roll < 0.06 {
                    let on = random_date(&mut self.rng, a, b);
                    self.change(p, on, |o| {
                        o.role = match o.role {
                            OrgRole::CaseHolder => OrgRole::SeniorPractitioner,
                            OrgRole::SeniorPractitioner => OrgRole::FirstLineManager,
                            other => other,
                        }
                    });
                }
            }
        }

        let agency = self.agency_year(t, p0, r);
        let holders = self.fit_inpost(t, &agency, p0, r);
        self.teams_and_establishment(t, &agency, p0, r);
        self.caseloads_at(t, &holders, &agency, p0, r);
        self.sickness(t, p0, r);
    }

    /// Agency assignments in post at `r`: some carried on, some ended, new
    /// ones started, to the target count and FTE.
    fn agency_year(&mut self, t: &YearTargets, p0: Date, r: Date) -> Vec<usize> {
        let keep_free = t.vacancy_fte > t.agency_cover_fte && t.agency_cover_fte < t.agency_fte;
        let mut current = self.open_people(false);
        current.shuffle(&mut self.rng);
        let target = t.agency_headcount as usize;
        let mut kept = Vec::new();
        for p in current {
            let in_free_team = self.open[p].as_ref().is_some_and(|o| o.team == AGENCY_FREE_TEAM);
            let ends = kept.len() >= target || (keep_free && in_free_team) || self.rng.gen_bool(0.35);
            if ends {
                let start = self.open[p].as_ref().expect("open").start;
                let end = random_date(&mut self.rng, p0.max(start), r);
                self.close_spell(p, end, None);
            } else {
                kept.push(p);
            }
        }
        // Carried-on assignments come first in `kept`, new ones after.
        let carried_on = kept.len();
        while kept.len() < target {
            let start = random_date(&mut self.rng, p0, r);
            let former = self.to_agency.iter().position(|(p, left)| *left < start && self.open[*p].is_none());
            let p = match former {
                Some(i) => self.to_agency.swap_remove(i).0,
                None => self.new_person(start, false),
            };
            let mut team = self.random_team();
            while keep_free && team == AGENCY_FREE_TEAM {
                team = self.random_team();
            }
            let role = if self.rng.gen_bool(0.85) { OrgRole::CaseHolder } else { OrgRole::SeniorPractitioner };
            let fte = if self.rng.gen_bool(0.9) { UNIT } else { typical_fte(&mut self.rng) };
            self.open_spell(p, Open { kind: SpellKind::Agency, team, role, fte, start });
            kept.push(p);
        }
        // New assignments take their FTE from the start; carried-on ones change it.
        let is_new: Vec<bool> = (0..kept.len()).map(|i| i >= carried_on).collect();
        let mut values: Vec<i64> = kept.iter().map(|p| self.fte_of(*p)).collect();
        let movable: Vec<bool> =
            kept.iter().zip(&is_new).map(|(p, new)| *new || self.change_window(*p, p0, r).is_some()).collect();
        let _ = adjust_total(&mut self.rng, &mut values, &movable, t.agency_fte, MIN_FTE, UNIT);
        let (mut carried, mut carried_values) = (Vec::new(), Vec::new());
        for ((&p, &v), &new) in kept.iter().zip(&values).zip(&is_new) {
            if new {
                self.open[p].as_mut().expect("open").fte = v;
            } else {
                carried.push(p);
                carried_values.push(v);
            }
        }
        self.apply_fte(&carried, &carried_values, p0, r);
        kept
    }

    /// Fits the FTE of employed staff in post at `r` to the target, split
    /// between those who will hold cases and those who will not, so that
    /// case-holder FTE comes out exactly. Returns everyone in post at `r`
    /// who will hold cases, agency and employed.
    fn fit_inpost(&mut self, t: &YearTargets, agency: &[usize], p0: Date, r: Date) -> Vec<usize> {
        // Agency workers hold cases first, as they are hired to.
        let mut holders: Vec<usize> = Vec::new();
        let mut agency_holder_fte = 0;
        for &p in agency {
            if agency_holder_fte + self.fte_of(p) <= t.case_holders_fte {
                agency_holder_fte += self.fte_of(p);
                holders.push(p);
            }
        }
        // Employed case holders make up the rest, which no contract below 0.1 FTE can.
        if (1..MIN_FTE).contains(&(t.case_holders_fte - agency_holder_fte)) {
            if let Some(p) = holders.pop() {
                agency_holder_fte -= self.fte_of(p);
            }
        }
        let employed_holder_fte = (t.case_holders_fte - agency_holder_fte).min(t.inpost_fte);
        let mut employed = self.open_people(true);
        employed.shuffle(&mut self.rng);
        // Case-holding roles first.
        employed.sort_by_key(|p| {
            !matches!(self.open[*p].as_ref().map(|o| o.role), Some(OrgRole::CaseHolder | OrgRole::SeniorPractitioner))
        });
        let n = employed.len() as i64;
        let share = if t.inpost_fte > 0 { employed_holder_fte as f64 / t.inpost_fte as f64 } else { 0.0 };
        let mut k = ((n as f64 * share).round() as i64).clamp(0, n);
        if employed_holder_fte > 0 {
            k = k.max(1);
        }
        // Each group must be able to reach its FTE with 0.1 <= FTE <= 1.
        let feasible = |k: i64, total: i64| -> bool {
            (k == 0 && total == 0) || (k > 0 && k * MIN_FTE <= total && total <= k * UNIT)
        };
        let rest = t.inpost_fte - employed_holder_fte;
        for _ in 0..n {
            if feasible(k, employed_holder_fte) && feasible(n - k, rest) {
                break;
            }
            if k * UNIT < employed_holder_fte || (n - k) * MIN_FTE > rest {
                k += 1;
            } else {
                k -= 1;
            }
            k = k.clamp(0, n);
        }
        let (employed_holders, others) = employed.split_at(k as usize);
        let (employed_holders, others) = (employed_holders.to_vec(), others.to_vec());
        let _ = self.fit_fte(&employed_holders, employed_holder_fte, p0, r);
        let _ = self.fit_fte(&others, rest, p0, r);
        holders.extend(employed_holders);
        holders
    }

    /// Per-team establishment for the year, set so that vacancies and agency
    /// cover come out at the targets given where people are at `r`.
    fn teams_and_establishment(&mut self, t: &YearTargets, agency: &[usize], p0: Date, r: Date) {
        let mut inpost = [0i64; TEAMS.len()];
        for p in self.open_people(true) {
            let o = self.open[p].as_ref().expect("open");
            inpost[o.team] += o.fte;
        }
        let mut agency_by_team = [0i64; TEAMS.len()];
        for &p in agency {
            let o = self.open[p].as_ref().expect("open");
            agency_by_team[o.team] += o.fte;
        }
        // Cover: whole teams' agency covers vacancies until the target is
        // reached; one team's agency covers in part (its vacancies fully
        // covered); the rest is over establishment.
        let mut order: Vec<usize> = (0..TEAMS.len()).collect();
        order.shuffle(&mut self.rng);
        let mut vacancy = [0i64; TEAMS.len()];
        let mut fully_agency_cover = [false; TEAMS.len()];
        let mut cover_left = t.agency_cover_fte.min(t.vacancy_fte);
        for &team in &order {
            let a = agency_by_team[team];
            if a == 0 || cover_left == 0 {
                continue;
            }
            let c = a.min(cover_left);
            vacancy[team] = c;
            fully_agency_cover[team] = c == a;
            cover_left -= c;
        }
        // Vacancies nobody covers go where all agency is cover, or where there is no agency.
        let uncovered = t.vacancy_fte - vacancy.iter().sum::<i64>();
        let open_to_uncovered: Vec<usize> =
            (0..TEAMS.len()).filter(|tm| agency_by_team[*tm] == 0 || fully_agency_cover[*tm]).collect();
        if uncovered > 0 && !open_to_uncovered.is_empty() {
            let weights: Vec<f64> =
                open_to_uncovered.iter().map(|tm| TEAMS[*tm].1 * self.rng.gen_range(0.5..1.5)).collect();
            let total: f64 = weights.iter().sum();
            let mut given = 0;
            for (k, tm) in open_to_uncovered.iter().enumerate() {
                let share = if k + 1 == open_to_uncovered.len() {
                    uncovered - given
                } else {
                    (uncovered as f64 * weights[k] / total) as i64
                };
                vacancy[*tm] += share;
                given += share;
            }
        }
        for team in 0..TEAMS.len() {
            let funded = if vacancy[team] > 0 {
                inpost[team] + vacancy[team]
            } else {
                // Fully staffed, or staffed above establishment.
                let slack = if self.rng.gen_bool(0.4) { self.rng.gen_range(0..=UNIT) } else { 0 };
                (inpost[team] - slack).max(0)
            };
            if funded > 0 {
                self.establishment.push(Establishment {
                    team: TeamId(team as u32),
                    fte: from_units(funded),
                    start: p0,
                    end: Some(r),
                    post_id: None,
                    org_role: None,
                });
            }
        }
    }

    /// Cases at 30 September (and earlier snapshots through the year).
    fn caseloads_at(&mut self, t: &YearTargets, holders: &[usize], agency: &[usize], p0: Date, r: Date) {
        let weights: Vec<f64> =
            holders.iter().map(|p| from_units(self.fte_of(*p)) * self.rng.gen_range(0.6..1.4)).collect();
        let cases = share_out(t.cases, &weights);
        let mut in_post: Vec<usize> = self.open_people(true);
        in_post.extend_from_slice(agency);
        let mut at_r = vec![0u32; self.persons.len()];
        for (p, c) in holders.iter().zip(&cases) {
            at_r[*p] = *c;
        }
        for p in in_post {
            self.caseloads.push(CaseloadSnapshot { person: PersonIdx(p as u32), date: r, cases: at_r[p] });
            // Earlier snapshots, at month ends before the 30-day window.
            let step = (12 / self.detail.snapshots_per_year.clamp(1, 12)) as i32;
            let open_start = self.open[p].as_ref().expect("open").start;
            let r_month = r.year() * 12 + r.month0() as i32;
            for k in 1..self.detail.snapshots_per_year.clamp(1, 12) as i32 {
                let m = r_month - k * step;
                let Some(first) = Date::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1) else {
                    continue;
                };
                let day = sightline_core::calendar::month_end(first);
                if at_r[p] == 0 || day < p0.max(open_start) || (r - day).num_days() <= 30 {
                    continue;
                }
                let c = (at_r[p] as f64 * self.rng.gen_range(0.75..1.25)).round() as u32;
                self.caseloads.push(CaseloadSnapshot { person: PersonIdx(p as u32), date: day, cases: c });
            }
        }
    }

    /// Sickness episodes of staff in post at `r`, inside the year, adding up
    /// to the target days lost; other absences beside them.
    fn sickness(&mut self, t: &YearTargets, p0: Date, r: Date) {
        let people = self.open_people(true);
        if people.is_empty() {
            return;
        }
        let mut remaining = t.working_days_lost;
        let mut taken: Vec<Vec<(Date, Date)>> = vec![Vec::new(); self.persons.len()];
        let mut attempts = 0;
        while remaining > 0 && attempts < 1_000_000 {
            attempts += 1;
            let p = people[self.rng.gen_range(0..people.len())];
            let first_day = self.first_employed_day_in(p, p0);
            let long = self.rng.gen_bool(0.12);
            let days = if long { self.rng.gen_range(20..70) } else { self.rng.gen_range(1..6) };
            let whole_days = days.min((remaining + UNIT - 1) / UNIT);
            let Some((start, end)) = self.place_working_days(first_day, r, whole_days as u32) else {
                continue;
            };
            if taken[p].iter().any(|(a, b)| *a <= end && start <= *b) {
                continue;
            }
            taken[p].push((start, end));
            let lost = (whole_days * UNIT).min(remaining);
            remaining -= lost;
            // Whole days are left for the engine to count; a part day is recorded.
            let days_lost = (lost % UNIT != 0 || self.rng.gen_bool(0.5)).then(|| from_units(lost));
            self.absences.push(Absence {
                person: PersonIdx(p as u32),
                start,
                end,
                reason: AbsenceReason::Sickness,
                days_lost,
            });
        }
        // Other absences, which do not count as working days lost.
        for _ in 0..people.len() / 10 {
            let p = people[self.rng.gen_range(0..people.len())];
            let first_day = self.first_employed_day_in(p, p0);
            let reason = if self.rng.gen_bool(0.7) { AbsenceReason::Training } else { AbsenceReason::OtherPaid };
            let days = self.rng.gen_range(1..4);
            if let Some((start, end)) = self.place_working_days(first_day, r, days) {
                if !taken[p].iter().any(|(a, b)| *a <= end && start <= *b) {
                    taken[p].push((start, end));
                    self.absences.push(Absence { person: PersonIdx(p as u32), start, end, reason, days_lost: None });
                }
            }
        }
    }

    /// The first day of the year on which the person was already employed
    /// in their current run of spells.
    fn first_employed_day_in(&self, p: usize, p0: Date) -> Date {
        self.employed_since[p].expect("employed").max(p0)
    }

    /// A span of exactly `n` working days within `[from, to]`, starting and
    /// ending on working days, at a random place.
    fn place_working_days(&mut self, from: Date, to: Date, n: u32) -> Option<(Date, Date)> {
        if n == 0 || self.calendar.working_days(from, to) < n {
            return None;
        }
        for _ in 0..20 {
            let start = random_date(&mut self.rng, from, to);
            if !self.calendar.is_working_day(start) {
                continue;
            }
            let mut end = start;
            let mut count = 1;
            while count < n {
                end = next_day(end);
                if end > to {
                    break;
                }
                count += u32::from(self.calendar.is_working_day(end));
            }
            if count == n && end <= to {
                return Some((start, end));
            }
        }
        None
    }

    /// The finished workforce: open spells stay open.
    pub fn finish(mut self) -> Workforce {
        for p in 0..self.persons.len() {
            if let Some(o) = self.open[p].take() {
                self.spells.push(Spell {
                    person: PersonIdx(p as u32),
                    kind: o.kind,
                    team: TeamId(o.team as u32),
                    org_role: o.role,
                    start: o.start,
                    end: None,
                    fte: from_units(o.fte),
                    reason_leave: None,
                    leaver_destination: None,
                    charge_rate: charge_rate(p, o.kind, o.start),
                });
            }
        }
        let mut b = WorkforceBuilder::new();
        for (name, _) in TEAMS {
            b.team(name);
        }
        for person in self.persons {
            let p = b.person(&person.id);
            *b.person_mut(p) = person;
        }
        self.spells.into_iter().for_each(|s| b.add_spell(s));
        self.establishment.into_iter().for_each(|e| b.add_establishment(e));
        self.absences.into_iter().for_each(|a| b.add_absence(a));
        self.caseloads.into_iter().for_each(|c| b.add_caseload(c));
        b.build()
    }
}

/// Shares `total` whole cases out by `weights`, at least one each where the
/// total allows, the remainders going to the largest fractions.
fn share_out(total: u64, weights: &[f64]) -> Vec<u32> {
    let n = weights.len() as u64;
    if n == 0 {
        return Vec::new();
    }
    let base = if total >= n { 1 } else { 0 };
    let spare = total - base * n;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| spare as f64 * w / sum).collect();
    let mut out: Vec<u64> = exact.iter().map(|x| base + x.floor() as u64).collect();
    let mut left = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| (exact[*b].fract()).total_cmp(&exact[*a].fract()));
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out.into_iter().map(|x| x as u32).collect()
}

/// A plausible destination for a leaver, spread by the person's number: most
/// who resign go to another authority, an agency or another social work role.
fn destination(p: usize, reason: ReasonLeave) -> Option<LeaverDestination> {
    const RESIGNED: [u8; 8] = [1, 1, 1, 3, 3, 4, 5, 8];
    let code = match reason.code() {
        1 => RESIGNED[p % RESIGNED.len()],
        5 | 6 => 6,
        7 => 5,
        _ => 8,
    };
    LeaverDestination::from_code(code)
}

/// An agency spell's hourly charge: £42 to £56 in 2020 by the person's
/// number, rising 3% a year; drawn from the number, not the random stream,
/// so that it changes nothing else the synthesiser makes.
fn charge_rate(p: usize, kind: SpellKind, start: Date) -> Option<f64> {
    (kind == SpellKind::Agency).then(|| {
        let base = 42.0 + ((p * 7919) % 1400) as f64 / 100.0;
        let rate = base * 1.03f64.powi(start.year() - 2020);
        (rate * 100.0).round() / 100.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn adjust_total_reaches_the_target_within_bounds() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut v = vec![10_000; 119];
        let movable = vec![true; 119];
        let changed = adjust_total(&mut rng, &mut v, &movable, 1_184_000, MIN_FTE, UNIT).unwrap();
        assert_eq!(v.iter().sum::<i64>(), 1_184_000);
        assert!(v.iter().all(|x| (MIN_FTE..=UNIT).contains(x)));
        assert!(changed.len() < 10, "only a few contracts change: {}", changed.len());
        assert_eq!(adjust_total(&mut rng, &mut [10_000], &[true], 20_000, MIN_FTE, UNIT), Err(10_000));
    }

    #[test]
    fn cases_are_shared_out_exactly() {
        let c = share_out(2362, &[1.0, 0.5, 0.8, 1.2]);
        assert_eq!(c.iter().map(|x| *x as u64).sum::<u64>(), 2362);
        assert_eq!(share_out(2, &[1.0, 1.0, 1.0]).iter().sum::<u32>(), 2);
    }
}
