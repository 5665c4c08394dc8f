//! Synthetic practice development for a synthetic workforce: early-career
//! programmes for those who join within two years of qualifying, supervision
//! mostly on time (with the gaps and cancellations real logs have), CPD,
//! Social Work England registration years and career levels with promotions;
//! and the same records written as the five development exports in the
//! shapes of Sightline's shipped profiles (`asye-tracker`, `supervision-log`,
//! `cpd-learning`, `swe-register`, `grades-hr`).
//!
//! Only made-up people: the records belong to the synthetic workforce given.

use crate::uk;
use chrono::{Datelike as _, Days, Months};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sightline_core::development::{
    Cpd, DevelopmentRecords, EarlyCareer, Grade, Level, Outcome, Programme, Registration, RegistrationStatus,
    Supervision, SupervisionKind,
};
use sightline_core::{Date, OrgRole, PersonIdx, Workforce};

/// The profile each export is read by, and its file name (`NAME.csv`).
pub const EXPORTS: [&str; 5] = ["asye-tracker", "supervision-log", "cpd-learning", "swe-register", "grades-hr"];

/// Development records for `wf`'s people over `[from, to]`.
pub fn development(wf: &Workforce, from: Date, to: Date, seed: u64) -> DevelopmentRecords {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_DE7E);
    let mut out = DevelopmentRecords::default();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        let Some(first) = spells.iter().map(|s| s.start).min() else { continue };
        let last = spells.iter().map(|s| s.end.unwrap_or(to)).max().unwrap_or(to).min(to);
        if last < from || first > to {
            continue;
        }
        let employed_from = spells.iter().filter(|s| s.kind.is_employed()).map(|s| s.start).min();
        let left = spells.iter().all(|s| s.end.is_some()).then_some(last);
        let qualified = wf.person(p).qualification_date;
        // An early-career programme for those employed within two years of qualifying.
        let programme = match (employed_from, qualified) {
            (Some(start), Some(q)) if start >= from && start <= to && (start - q).num_days() <= 730 && start >= q => {
                Some(early_career(&mut rng, p, start, left, to))
            }
            _ => None,
        };
        supervision(&mut rng, &mut out, p, first.max(from), last, programme.as_ref());
        cpd(&mut rng, &mut out, p, first.max(from), last);
        if wf.person(p).swe_no.is_some() {
            registration(&mut rng, &mut out, p, first.max(from), last, to);
        }
        if let Some(start) = employed_from {
            let manager = spells.iter().any(|s| {
                matches!(s.org_role, OrgRole::SeniorManager | OrgRole::MiddleManager | OrgRole::FirstLineManager)
            });
            grades(&mut rng, &mut out, p, start, last, qualified, programme.as_ref(), manager);
        }
        if let Some(e) = programme {
            out.early_careers.push(e);
        }
    }
    out
}

fn plus_days(d: Date, n: i64) -> Date {
    if n >= 0 {
        d + Days::new(n as u64)
    } else {
        d - Days::new(n.unsigned_abs())
    }
}

fn plus_months(d: Date, n: u32) -> Date {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

fn early_career(rng: &mut ChaCha8Rng, p: PersonIdx, start: Date, left: Option<Date>, to: Date) -> EarlyCareer {
    let by = |d: Date| d <= to && left.is_none_or(|l| d <= l);
    let held = |rng: &mut ChaCha8Rng, due: Date| {
        // Mostly within a week or two of the due day; some a month late.
        let late = if rng.gen_bool(0.1) { rng.gen_range(20..45) } else { rng.gen_range(-5..12) };
        Some(plus_days(due, late)).filter(|d| by(*d))
    };
    let reviews = [
        held(rng, plus_months(start, 3)),
        held(rng, plus_months(start, 6)),
        if rng.gen_bool(0.3) { held(rng, plus_months(start, 9)) } else { None },
    ];
    let final_review = held(rng, plus_months(start, 12));
    let panel = final_review.map(|f| plus_days(f, rng.gen_range(14..40))).filter(|d| by(*d));
    let (outcome, outcome_date) = match (panel, left) {
        (Some(day), _) => {
            let r: f64 = rng.gen();
            (
                Some(if r < 0.92 {
                    Outcome::Pass
                } else if r < 0.97 {
                    Outcome::Extended
                } else {
                    Outcome::Fail
                }),
                Some(day),
            )
        }
        (None, Some(l)) if l <= to => (Some(Outcome::Withdrawn), Some(l.max(start))),
        _ => (None, None),
    };
    EarlyCareer {
        person: p,
        programme: if start >= Date::from_ymd_opt(2027, 9, 1).unwrap_or(Date::MAX) {
            Programme::Ecdp
        } else {
            Programme::Asye
        },
        start,
        reviews,
        final_review,
        panel,
        outcome,
        outcome_date,
        protected_cases: Some(rng.gen_range(9..=14)),
    }
}

fn supervision(
    rng: &mut ChaCha8Rng,
    out: &mut DevelopmentRecords,
    p: PersonIdx,
    from: Date,
    to: Date,
    programme: Option<&EarlyCareer>,
) {
    // Each person has a usual supervisor and a habit: most are seen about monthly.
    let supervisor = format!("Supervisor {}", rng.gen_range(1..=40));
    let gappy = rng.gen_bool(0.2);
    let mut day = plus_days(from, rng.gen_range(3..25));
    while day <= to {
        let interval = match programme {
            Some(e) if (day - e.start).num_days() < 42 && day >= e.start => rng.gen_range(5..=8),
            Some(e) if day >= e.start && day < plus_months(e.start, 6) => rng.gen_range(10..=16),
            _ if gappy && rng.gen_bool(0.3) => rng.gen_range(35..=70),
            _ => rng.gen_range(21..=33),
        };
        let cancelled = rng.gen_bool(0.06);
        let minutes = [90.0, 90.0, 90.0, 60.0, 120.0][rng.gen_range(0..5)];
        let r: f64 = rng.gen();
        let kind = if r < 0.85 {
            SupervisionKind::Formal
        } else if r < 0.95 {
            SupervisionKind::Reflective
        } else {
            SupervisionKind::Professional
        };
        out.supervision.push(Supervision {
            person: p,
            supervisor: Some(supervisor.clone()),
            date: day,
            hours: Some(minutes / 60.0),
            kind,
            cancelled,
        });
        if cancelled {
            // Moved to a week later.
            let moved = plus_days(day, 7);
            if moved <= to {
                out.supervision.push(Supervision {
                    person: p,
                    supervisor: Some(supervisor.clone()),
                    date: moved,
                    hours: Some(minutes / 60.0),
                    kind,
                    cancelled: false,
                });
            }
            day = plus_days(moved, interval);
        } else {
            day = plus_days(day, interval);
        }
        if rng.gen_bool(0.04) && day <= to {
            out.supervision.push(Supervision {
                person: p,
                supervisor: None,
                date: day,
                hours: Some(1.5),
                kind: SupervisionKind::Group,
                cancelled: false,
            });
        }
    }
}

const CPD_TITLES: [(&str, &str); 8] = [
    ("Contextual safeguarding", "Course"),
    ("Trauma-informed practice", "Reading"),
    ("Court skills", "Course"),
    ("Direct work with children", "Workshop"),
    ("Domestic abuse: the Safe and Together model", "Course"),
    ("Practice educator refresher", "Course"),
    ("Shadowing the edge of care team", "Shadowing"),
    ("Research in practice webinar", "Webinar"),
];

fn cpd(rng: &mut ChaCha8Rng, out: &mut DevelopmentRecords, p: PersonIdx, from: Date, to: Date) {
    let keen = rng.gen_range(1.0..6.0_f64);
    let mut day = from;
    while day <= to {
        // On average `keen` pieces a year.
        day = plus_days(day, (rng.gen::<f64>() * 730.0 / keen) as i64 + 1);
        if day > to {
            break;
        }
        let (title, kind) = CPD_TITLES[rng.gen_range(0..CPD_TITLES.len())];
        out.cpd.push(Cpd {
            person: p,
            date: day,
            title: title.to_string(),
            kind: Some(kind.to_string()),
            days: Some([0.5, 1.0, 1.0, 2.0][rng.gen_range(0..4)]),
            peer_reflection: rng.gen_bool(0.45),
        });
    }
}

fn registration(rng: &mut ChaCha8Rng, out: &mut DevelopmentRecords, p: PersonIdx, from: Date, last: Date, to: Date) {
    let year_of = |d: Date| if d.month() == 12 { d.year() } else { d.year() - 1 };
    let conditions = rng.gen_bool(0.02);
    let renews_early = rng.gen_bool(0.6);
    // Renewed for the next year when in post at the renewal window, if they renew early.
    let mut last_year = year_of(last);
    if last == to && to.month() >= 9 && to.month() < 12 && renews_early {
        last_year += 1;
    }
    for y in year_of(from)..=last_year {
        let (Some(start), Some(end)) = (Date::from_ymd_opt(y, 12, 1), Date::from_ymd_opt(y + 1, 11, 30)) else {
            continue;
        };
        out.registrations.push(Registration {
            person: p,
            status: RegistrationStatus::Registered,
            from: start,
            to: Some(end),
            conditions: (conditions && y == year_of(from)).then(|| "Supervised practice for 12 months".to_string()),
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn grades(
    rng: &mut ChaCha8Rng,
    out: &mut DevelopmentRecords,
    p: PersonIdx,
    start: Date,
    last: Date,
    qualified: Option<Date>,
    programme: Option<&EarlyCareer>,
    manager: bool,
) {
    if manager {
        out.grades.push(Grade { person: p, level: Level::Manager, from: start });
        return;
    }
    let years = qualified.map_or(5.0, |q| (start - q).num_days() as f64 / 365.25);
    let mut level = if programme.is_some() {
        Level::NewlyQualified
    } else if years < 4.0 || rng.gen_bool(0.5) {
        Level::SocialWorker
    } else {
        Level::Senior
    };
    out.grades.push(Grade { person: p, level, from: start });
    let mut day = start;
    loop {
        let (next, after) = match level {
            Level::NewlyQualified => {
                let passed =
                    programme.and_then(|e| (e.outcome == Some(Outcome::Pass)).then_some(e.outcome_date).flatten());
                match passed {
                    Some(d) => (Level::SocialWorker, d),
                    None => break,
                }
            }
            Level::SocialWorker if rng.gen_bool(0.45) => (Level::Senior, plus_days(day, rng.gen_range(730..1825))),
            Level::Senior if rng.gen_bool(0.2) => (Level::Advanced, plus_days(day, rng.gen_range(1095..2190))),
            _ => break,
        };
        if after > last {
            break;
        }
        out.grades.push(Grade { person: p, level: next, from: after });
        (level, day) = (next, after);
    }
}

fn opt(d: Option<Date>) -> String {
    d.map(uk).unwrap_or_default()
}

/// The records as the five exports (file name, CSV text), in the columns of
/// the shipped profiles of [`EXPORTS`]; people by `wf`'s identifiers (SWE
/// numbers in the register).
pub fn exports(wf: &Workforce, records: &DevelopmentRecords) -> Vec<(String, String)> {
    let id = |p: PersonIdx| wf.person(p).id.clone();
    let mut asye = String::from(
        "Employee Number,Programme,Date Qualified,ASYE Start,3 Month Review,6 Month Review,9 Month Review,Final Review,Moderation Panel,Outcome,Protected Caseload\n",
    );
    for e in &records.early_careers {
        let outcome = match e.outcome {
            Some(Outcome::Pass) => "Passed",
            Some(Outcome::Fail) => "Not passed",
            Some(Outcome::Extended) => "Extended",
            Some(Outcome::Withdrawn) => "Withdrawn",
            None => "",
        };
        asye.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            id(e.person),
            e.programme.as_str().to_uppercase(),
            opt(wf.person(e.person).qualification_date),
            uk(e.start),
            opt(e.reviews[0]),
            opt(e.reviews[1]),
            opt(e.reviews[2]),
            opt(e.final_review),
            opt(e.panel),
            outcome,
            e.protected_cases.map(|c| c.to_string()).unwrap_or_default()
        ));
    }
    let mut log = String::from("Staff No,Supervisor,Session Date,Duration (mins),Type,Status\n");
    for s in &records.supervision {
        let kind = match s.kind {
            SupervisionKind::Formal => "Formal 1:1",
            SupervisionKind::Reflective => "Reflective",
            SupervisionKind::Group => "Group",
            SupervisionKind::Professional => "Professional",
        };
        log.push_str(&format!(
            "{},{},{},{},{kind},{}\n",
            id(s.person),
            s.supervisor.clone().unwrap_or_default(),
            uk(s.date),
            s.hours.map(|h| format!("{:.0}", h * 60.0)).unwrap_or_default(),
            if s.cancelled { "Cancelled" } else { "Held" }
        ));
    }
    let mut learning = String::from("Employee No,Completed On,Learning Title,Learning Type,Hours,Peer Reflection\n");
    for c in &records.cpd {
        learning.push_str(&format!(
            "{},{},{},{},{},{}\n",
            id(c.person),
            uk(c.date),
            c.title,
            c.kind.clone().unwrap_or_default(),
            c.days.map(|d| format!("{:.1}", d * 7.4)).unwrap_or_default(),
            if c.peer_reflection { "Yes" } else { "No" }
        ));
    }
    let mut register =
        String::from("Registration Number,Status,Registered From,Registered To,Conditions of Practice\n");
    for r in &records.registrations {
        let Some(swe) = wf.person(r.person).swe_no.clone() else { continue };
        register.push_str(&format!(
            "{swe},Registered,{},{},{}\n",
            uk(r.from),
            opt(r.to),
            r.conditions.clone().unwrap_or_default()
        ));
    }
    let mut grades = String::from("Employee Number,Grade,Effective From\n");
    for g in &records.grades {
        let grade = match g.level {
            Level::NewlyQualified => "Level 2 ASYE",
            Level::SocialWorker => "Level 3 Social Worker",
            Level::Senior => "Level 4 Senior Practitioner",
            Level::Advanced => "Level 4a Advanced Practitioner",
            Level::Manager => "Level 5 Team Manager",
        };
        grades.push_str(&format!("{},{grade},{}\n", id(g.person), uk(g.from)));
    }
    [asye, log, learning, register, grades]
        .into_iter()
        .zip(EXPORTS)
        .map(|(text, name)| (format!("{name}.csv"), text))
        .collect()
}
