//! The engine against an independent, deliberately naive reading of the
//! specification (docs/indicators.md), on random datasets full of edge
//! cases: transfers, FTE changes, concurrent part-time posts, leavers on
//! 30 September, rehires, moves to agency, absences across the year
//! boundary, stale and same-day caseload snapshots, teams without
//! establishment.

use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;
use sightline_core::{
    indicators, indicators_by, Absence, AbsenceReason, Calendar, CaseloadSnapshot, Date, Establishment, Grouping,
    Indicators, OrgRole, Period, ReasonLeave, Spell, SpellKind, TeamId, Workforce, WorkforceBuilder,
};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------
// The reference: every rule read straight off the specification, day by day.

struct Reference {
    inpost_fte: f64,
    inpost_headcount: usize,
    starters_fte: f64,
    starters_headcount: usize,
    leavers_fte: f64,
    leavers_headcount: usize,
    agency_fte: f64,
    agency_headcount: usize,
    vacancy_fte: Option<f64>,
    agency_cover_fte: Option<f64>,
    case_holders_fte: f64,
    cases: u64,
    working_days_lost: f64,
    divisor: f64,
}

fn reference(wf: &Workforce, cal: &Calendar, p0: Date, r: Date) -> Reference {
    let spells = wf.spells();
    let employed = |s: &Spell| s.kind != SpellKind::Agency;
    let covers = |s: &Spell, d: Date| s.start <= d && s.end.is_none_or(|e| d <= e);
    let in_post = |s: &Spell| s.start <= r && s.end.is_none_or(|e| e > r);
    let employed_on = |person, d| spells.iter().any(|s| s.person == person && employed(s) && covers(s, d));
    let in_year = |d: Date| p0 <= d && d <= r;

    let inpost: Vec<&Spell> = spells.iter().filter(|s| employed(s) && in_post(s)).collect();
    let leavers: Vec<&Spell> = spells
        .iter()
        .filter(|s| employed(s) && s.end.is_some_and(|e| in_year(e) && !employed_on(s.person, e + Duration::days(1))))
        .collect();
    let starters: Vec<&Spell> = spells
        .iter()
        .filter(|s| employed(s) && in_year(s.start) && !employed_on(s.person, s.start - Duration::days(1)))
        .collect();
    let agency: Vec<&Spell> = spells.iter().filter(|s| !employed(s) && in_post(s)).collect();

    let mut teams: BTreeSet<TeamId> = spells.iter().map(|s| s.team).collect();
    teams.extend(wf.establishment().iter().map(|e| e.team));
    let (mut vacancy, mut cover) = (0.0, 0.0);
    for t in &teams {
        let est: f64 = wf
            .establishment()
            .iter()
            .filter(|e| e.team == *t && e.start <= r && e.end.is_none_or(|x| x >= r))
            .map(|e| e.fte)
            .sum();
        let fte: f64 = inpost.iter().filter(|s| s.team == *t).map(|s| s.fte).sum();
        let ag: f64 = agency.iter().filter(|s| s.team == *t).map(|s| s.fte).sum();
        let v = (est - fte).max(0.0);
        vacancy += v;
        cover += ag.min(v);
    }

    let mut case_holders_fte = 0.0;
    let mut cases = 0u64;
    let people_in_post: BTreeSet<_> = spells.iter().filter(|s| in_post(s)).map(|s| s.person).collect();
    for p in &people_in_post {
        let window: Vec<&CaseloadSnapshot> =
            wf.caseloads().iter().filter(|c| c.person == *p && c.date <= r && (r - c.date).num_days() <= 30).collect();
        let held: u64 = match window.iter().map(|c| c.date).max() {
            Some(latest) => window.iter().filter(|c| c.date == latest).map(|c| c.cases as u64).sum(),
            None => 0,
        };
        cases += held;
        if held >= 1 {
            case_holders_fte += spells.iter().filter(|s| s.person == *p && in_post(s)).map(|s| s.fte).sum::<f64>();
        }
    }

    let working = |a: Date, b: Date| {
        let mut n = 0;
        let mut d = a;
        while d <= b {
            if d.weekday().num_days_from_monday() < 5 && cal.is_working_day(d) {
                n += 1;
            }
            d += Duration::days(1);
        }
        n as f64
    };
    let employed_in_post: BTreeSet<_> = inpost.iter().map(|s| s.person).collect();
    let mut days = 0.0;
    for a in wf.absences() {
        if a.reason != AbsenceReason::Sickness || !employed_in_post.contains(&a.person) {
            continue;
        }
        let inside = working(a.start.max(p0), a.end.min(r));
        days += match a.days_lost {
            None => inside,
            Some(given) if a.start >= p0 && a.end <= r => given,
            Some(given) => {
                let whole = working(a.start, a.end);
                if whole == 0.0 {
                    0.0
                } else {
                    given * inside / whole
                }
            }
        };
    }
    let mut leap = false;
    let mut d = p0;
    while d <= r {
        leap |= d.month() == 2 && d.day() == 29;
        d += Duration::days(1);
    }

    Reference {
        inpost_fte: inpost.iter().map(|s| s.fte).sum(),
        inpost_headcount: inpost.iter().map(|s| s.person).collect::<BTreeSet<_>>().len(),
        starters_fte: starters.iter().map(|s| s.fte).sum(),
        starters_headcount: starters.iter().map(|s| (s.person, s.start)).collect::<BTreeSet<_>>().len(),
        leavers_fte: leavers.iter().map(|s| s.fte).sum(),
        leavers_headcount: leavers.iter().map(|s| (s.person, s.end)).collect::<BTreeSet<_>>().len(),
        agency_fte: agency.iter().map(|s| s.fte).sum(),
        agency_headcount: agency.len(),
        vacancy_fte: Some(vacancy),
        agency_cover_fte: Some(cover),
        case_holders_fte,
        cases,
        working_days_lost: days,
        divisor: if leap { 254.0 } else { 253.0 },
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => close(a, b),
        _ => false,
    }
}

fn rate(n: f64, d: f64) -> Option<f64> {
    (d != 0.0).then(|| 100.0 * n / d)
}

fn assert_agrees(e: &Indicators, r: &Reference, what: &str) {
    let checks: Vec<(&str, bool)> = vec![
        ("inpost_fte", close(e.inpost_fte, r.inpost_fte)),
        ("inpost_headcount", e.inpost_headcount as usize == r.inpost_headcount),
        ("starters_fte", close(e.starters_fte, r.starters_fte)),
        ("starters_headcount", e.starters_headcount as usize == r.starters_headcount),
        ("leavers_fte", close(e.leavers_fte, r.leavers_fte)),
        ("leavers_headcount", e.leavers_headcount as usize == r.leavers_headcount),
        ("turnover_rate_fte", close_opt(e.turnover_rate_fte, rate(r.leavers_fte, r.inpost_fte))),
        (
            "turnover_rate_headcount",
            close_opt(e.turnover_rate_headcount, rate(r.leavers_headcount as f64, r.inpost_headcount as f64)),
        ),
        ("agency_fte", close(e.agency_fte, r.agency_fte)),
        ("agency_headcount", e.agency_headcount as usize == r.agency_headcount),
        ("agency_rate_fte", close_opt(e.agency_rate_fte, rate(r.agency_fte, r.agency_fte + r.inpost_fte))),
        (
            "agency_rate_headcount",
            close_opt(
                e.agency_rate_headcount,
                rate(r.agency_headcount as f64, (r.agency_headcount + r.inpost_headcount) as f64),
            ),
        ),
        ("vacancy_fte", close_opt(e.vacancy_fte, r.vacancy_fte)),
        ("agency_cover_fte", close_opt(e.agency_cover_fte, r.agency_cover_fte)),
        ("vacancy_rate_fte", close_opt(e.vacancy_rate_fte, r.vacancy_fte.and_then(|v| rate(v, v + r.inpost_fte)))),
        (
            "agency_cover_rate_fte",
            close_opt(e.agency_cover_rate_fte, r.agency_cover_fte.and_then(|c| rate(c, r.agency_fte))),
        ),
        (
            "vacancy_agency_cover_rate_fte",
            close_opt(
                e.vacancy_agency_cover_rate_fte,
                r.agency_cover_fte.zip(r.vacancy_fte).and_then(|(c, v)| rate(c, v)),
            ),
        ),
        ("case_holders_fte", close(e.case_holders_fte, r.case_holders_fte)),
        ("cases", e.cases == r.cases),
        (
            "caseload_fte",
            close_opt(e.caseload_fte, (r.case_holders_fte != 0.0).then(|| r.cases as f64 / r.case_holders_fte)),
        ),
        ("working_days_lost_fte", close(e.working_days_lost_fte, r.working_days_lost)),
        ("absence_rate_fte", close_opt(e.absence_rate_fte, rate(r.working_days_lost, r.inpost_fte * r.divisor))),
    ];
    let wrong: Vec<&str> = checks.iter().filter(|(_, ok)| !ok).map(|(f, _)| *f).collect();
    assert!(wrong.is_empty(), "{what}: engine and reference differ on {wrong:?}\nengine: {e:?}");
}

// ---------------------------------------------------------------------------
// Random datasets, biased towards the boundaries of census years.

fn day(offset: u16) -> Date {
    NaiveDate::from_ymd_opt(2021, 6, 1).unwrap() + Duration::days(offset as i64)
}

/// Days near 30 September / 1 October and 29 February, or any day.
fn date_offset() -> impl Strategy<Value = u16> {
    let edges: Vec<u16> = [
        "2021-09-30",
        "2021-10-01",
        "2022-09-30",
        "2022-10-01",
        "2023-09-29",
        "2023-09-30",
        "2023-10-01",
        "2024-02-29",
        "2024-09-30",
        "2024-10-01",
    ]
    .iter()
    .map(|s| (NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap() - day(0)).num_days() as u16)
    .collect();
    prop_oneof![3 => 0u16..1400, 1 => proptest::sample::select(edges)]
}

#[derive(Debug, Clone)]
struct Segment {
    length: u16,
    /// 0: the next segment follows the next day (a transfer or change); else a gap of days.
    gap: u16,
    kind: u8,
    team: u8,
    role: u8,
    fte: u8,
}

fn segment() -> impl Strategy<Value = Segment> {
    (
        0u16..500,
        prop_oneof![2 => Just(0u16), 1 => 1u16..90],
        prop_oneof![4 => Just(0u8), 1 => Just(1u8), 2 => Just(2u8)],
        0u8..5,
        1u8..=6,
        prop_oneof![3 => Just(10u8), 1 => 1u8..10],
    )
        .prop_map(|(length, gap, kind, team, role, fte)| Segment { length, gap, kind, team, role, fte })
}

#[derive(Debug, Clone)]
struct Chain {
    person: u8,
    start: u16,
    segments: Vec<Segment>,
    open: bool,
}

fn chain() -> impl Strategy<Value = Chain> {
    (0u8..10, date_offset(), prop::collection::vec(segment(), 1..4), any::<bool>())
        .prop_map(|(person, start, segments, open)| Chain { person, start, segments, open })
}

#[derive(Debug, Clone)]
struct Data {
    chains: Vec<Chain>,
    establishment: Vec<(u8, u8, u16, Option<u16>)>,
    absences: Vec<(u8, u16, u16, bool, Option<u8>)>,
    caseloads: Vec<(u8, u16, u8)>,
}

fn data() -> impl Strategy<Value = Data> {
    (
        prop::collection::vec(chain(), 0..14),
        prop::collection::vec((0u8..4, 1u8..40, date_offset(), prop::option::of(date_offset())), 0..8),
        prop::collection::vec(
            (0u8..10, date_offset(), 0u16..60, prop::bool::weighted(0.8), prop::option::of(0u8..60)),
            0..20,
        ),
        prop::collection::vec((0u8..10, date_offset(), 0u8..25), 0..40),
    )
        .prop_map(|(chains, establishment, absences, caseloads)| Data {
            chains,
            establishment,
            absences,
            caseloads,
        })
}

fn build(data: &Data) -> Workforce {
    let mut b = WorkforceBuilder::new();
    for t in 0..5 {
        b.team(&format!("Team {t}"));
    }
    for c in &data.chains {
        let person = b.person(&format!("p{}", c.person));
        let mut start = day(c.start);
        for (k, s) in c.segments.iter().enumerate() {
            let last = k + 1 == c.segments.len();
            let end = start + Duration::days(s.length as i64);
            let kind = [SpellKind::Permanent, SpellKind::FixedTerm, SpellKind::Agency][s.kind as usize];
            b.add_spell(Spell {
                person,
                kind,
                team: TeamId(s.team as u32),
                org_role: OrgRole::from_code(s.role).unwrap(),
                start,
                end: (!(last && c.open)).then_some(end),
                fte: s.fte as f64 / 10.0,
                reason_leave: (last && !c.open).then_some(ReasonLeave::RESIGNATION),
                leaver_destination: None,
                charge_rate: None,
            });
            start = end + Duration::days(1 + s.gap as i64);
        }
    }
    for &(team, fte, start, end) in &data.establishment {
        let (start, end) = (day(start), end.map(day));
        b.add_establishment(Establishment {
            team: TeamId(team as u32),
            fte: fte as f64 / 2.0,
            start: start.min(end.unwrap_or(start)),
            end: end.map(|e| e.max(start)),
            post_id: None,
            org_role: None,
        });
    }
    for &(p, start, len, sick, days_lost) in &data.absences {
        let person = b.person(&format!("p{p}"));
        b.add_absence(Absence {
            person,
            start: day(start),
            end: day(start) + Duration::days(len as i64),
            reason: if sick { AbsenceReason::Sickness } else { AbsenceReason::Training },
            days_lost: days_lost.map(|d| d as f64 / 2.0),
        });
    }
    for &(p, date, cases) in &data.caseloads {
        let person = b.person(&format!("p{p}"));
        b.add_caseload(CaseloadSnapshot { person, date: day(date), cases: cases as u32 });
    }
    b.build()
}

fn periods() -> Vec<Period> {
    let mut p: Vec<Period> = (2022..=2024).map(Period::census_year).collect();
    for d in ["2023-03-31", "2024-02-29", "2024-12-31"] {
        p.push(Period::twelve_months_to(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()));
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_reference(d in data()) {
        let wf = build(&d);
        let cal = Calendar::england_and_wales();
        for p in periods() {
            let e = indicators(&wf, &cal, p);
            let r = reference(&wf, &cal, p.start, p.end);
            assert_agrees(&e, &r, &format!("{p:?}"));
        }
    }

    /// Team figures add up to the authority's; a move between teams is never a leaver.
    #[test]
    fn teams_add_up_to_the_authority(d in data()) {
        let wf = build(&d);
        let cal = Calendar::england_and_wales();
        for p in periods() {
            let total = indicators(&wf, &cal, p);
            let teams = indicators_by(&wf, &cal, p, Grouping::Team);
            let sum = |f: &dyn Fn(&Indicators) -> f64| teams.iter().map(|g| f(&g.indicators)).sum::<f64>();
            prop_assert!(close(sum(&|i| i.inpost_fte), total.inpost_fte));
            prop_assert!(close(sum(&|i| i.leavers_fte), total.leavers_fte));
            prop_assert!(close(sum(&|i| i.starters_fte), total.starters_fte));
            prop_assert!(close(sum(&|i| i.agency_fte), total.agency_fte));
            prop_assert!(close(sum(&|i| i.case_holders_fte), total.case_holders_fte));
            prop_assert!(close(sum(&|i| i.cases as f64), total.cases as f64));
            prop_assert!(close(sum(&|i| i.working_days_lost_fte), total.working_days_lost_fte));
            prop_assert!(close_opt(total.vacancy_fte.map(|_| sum(&|i| i.vacancy_fte.unwrap_or(0.0))), total.vacancy_fte));
            prop_assert!(close_opt(total.agency_cover_fte.map(|_| sum(&|i| i.agency_cover_fte.unwrap_or(0.0))), total.agency_cover_fte));
            let roles = indicators_by(&wf, &cal, p, Grouping::OrgRole);
            prop_assert!(close(roles.iter().map(|g| g.indicators.leavers_fte).sum(), total.leavers_fte));
            prop_assert!(roles.iter().all(|g| g.indicators.vacancy_fte.is_none()));
        }
    }

    /// Rates stay within their bounds and are undefined, not 0, without a denominator.
    #[test]
    fn rates_are_within_bounds(d in data()) {
        let wf = build(&d);
        let cal = Calendar::england_and_wales();
        for p in periods() {
            let i = indicators(&wf, &cal, p);
            for share in [i.agency_rate_fte, i.agency_rate_headcount, i.vacancy_rate_fte, i.agency_cover_rate_fte, i.vacancy_agency_cover_rate_fte].into_iter().flatten() {
                prop_assert!((0.0..=100.0 + 1e-9).contains(&share), "{share}");
            }
            for nonneg in [i.turnover_rate_fte, i.turnover_rate_headcount, i.caseload_fte, i.absence_rate_fte].into_iter().flatten() {
                prop_assert!(nonneg >= 0.0);
            }
            prop_assert_eq!(i.turnover_rate_fte.is_none(), i.inpost_fte == 0.0);
            prop_assert_eq!(i.caseload_fte.is_none(), i.case_holders_fte == 0.0);
        }
    }

    /// Adding an agency worker never changes turnover.
    #[test]
    fn an_agency_worker_never_changes_turnover(d in data(), start in date_offset(), team in 0u8..5) {
        let cal = Calendar::england_and_wales();
        let before = build(&d);
        let mut more = d.clone();
        more.chains.push(Chain {
            person: 99,
            start,
            segments: vec![Segment { length: 200, gap: 0, kind: 2, team, role: 5, fte: 10 }],
            open: true,
        });
        let after = build(&more);
        for p in periods() {
            let (a, b) = (indicators(&before, &cal, p), indicators(&after, &cal, p));
            prop_assert_eq!(a.turnover_rate_fte, b.turnover_rate_fte);
            prop_assert_eq!(a.turnover_rate_headcount, b.turnover_rate_headcount);
            prop_assert_eq!(a.leavers_headcount, b.leavers_headcount);
        }
    }

    /// Splitting a spell in two with no gap (a transfer to another team) is
    /// never a leaver or starter, and keeps the authority's figures, unless
    /// the first part ends on the reference date (then it is not in post).
    #[test]
    fn a_transfer_is_never_a_leaver(
        d in data(),
        person in 0u8..10,
        start in date_offset(),
        length in 2u16..700,
        at in 1u16..700,
        kind in 0u8..2,
        (team, new_team) in (0u8..5, 0u8..5),
        fte in 1u8..=10,
        open in any::<bool>(),
    ) {
        let cal = Calendar::england_and_wales();
        let at = 1 + at % (length - 1);
        let spell = Segment { length, gap: 0, kind, team, role: 5, fte };
        let whole = Chain { person, start, segments: vec![spell.clone()], open };
        let moved = Chain {
            person,
            start,
            segments: vec![Segment { length: at - 1, ..spell.clone() }, Segment { length: length - at, team: new_team, ..spell }],
            open,
        };
        let split_day = day(start) + Duration::days(at as i64);
        let (mut before, mut after) = (d.clone(), d);
        before.chains.push(whole);
        after.chains.push(moved);
        let (before, after) = (build(&before), build(&after));
        for p in periods().into_iter().filter(|p| split_day != p.end + Duration::days(1)) {
            let (a, b) = (indicators(&before, &cal, p), indicators(&after, &cal, p));
            prop_assert!(close(a.leavers_fte, b.leavers_fte));
            prop_assert_eq!(a.leavers_headcount, b.leavers_headcount);
            prop_assert_eq!(a.starters_headcount, b.starters_headcount);
            prop_assert!(close(a.inpost_fte, b.inpost_fte));
        }
    }
}

#[test]
fn an_empty_workforce_has_no_rates() {
    let wf = WorkforceBuilder::new().build();
    let i = indicators(&wf, &Calendar::england_and_wales(), Period::census_year(2024));
    assert_eq!(i.inpost_fte, 0.0);
    assert_eq!(i.turnover_rate_fte, None);
    assert_eq!(i.agency_rate_fte, None);
    assert_eq!(i.vacancy_fte, Some(0.0), "no funded posts, none vacant (the definition, to the letter)");
    assert_eq!(i.vacancy_rate_fte, None);
    assert_eq!(i.caseload_fte, None);
    assert_eq!(i.absence_rate_fte, None);
}
