//! Synthetic recruitment, incentive payments, price caps and a regional
//! list of leavers for a synthetic workforce, consistent with it: a vacancy
//! for each of its starters (advertised some weeks before, with candidates
//! at each stage and the route the starter came by), some withdrawn and a
//! few still open at the end; a recruitment incentive for some starters and
//! a yearly retention payment in the hardest-to-fill teams, with clawback;
//! the region's price caps from 1 October 2025; and leavers from other
//! authorities in the region, some of whom then work here through an
//! agency. Written as the exports of the shipped profiles
//! (`recruitment-ats`, `incentive-payments`, `price-caps`, `regional-leavers`).
//!
//! Only made-up people: the records belong to the synthetic workforce given.

use crate::uk;
use chrono::{Datelike as _, Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sightline_core::agency_rules::{PriceCap, RegionalLeaver, RoleType};
use sightline_core::incentives::{Payment, Taper};
use sightline_core::recruitment::{RecruitmentRecords, Route, Vacancy};
use sightline_core::{Date, Workforce};

/// The profile each export is read by, and its file name (`NAME.csv`).
pub const EXPORTS: [&str; 4] = ["recruitment-ats", "incentive-payments", "price-caps", "regional-leavers"];

/// The region of the synthetic caps.
pub const REGION: &str = "South West";

fn day(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(Date::MIN)
}

/// The records for `wf`'s people over `[from, to]`.
pub fn recruitment(wf: &Workforce, from: Date, to: Date, seed: u64) -> RecruitmentRecords {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0000_0A75);
    let mut out = RecruitmentRecords::default();
    // The hardest-to-fill teams: every third team by name.
    let mut names: Vec<&String> = wf.teams().iter().collect();
    names.sort();
    let hard: Vec<&str> = names.iter().step_by(3).map(|t| t.as_str()).collect();
    let mut n = 0u32;
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        for s in spells.iter().filter(|s| sightline_core::leavers::starts_employment(wf, s)) {
            if s.start < from || s.start > to {
                continue;
            }
            n += 1;
            let person = wf.person(p);
            let through_agency = spells.iter().any(|a| {
                !a.kind.is_employed()
                    && a.start < s.start
                    && a.end.is_none_or(|e| e.checked_add_days(Days::new(365)).is_some_and(|e| e >= s.start))
            });
            let newly = person
                .qualification_date
                .is_some_and(|q| q <= s.start && s.start < q.checked_add_months(Months::new(12)).unwrap_or(Date::MAX));
            let route = if through_agency {
                Route::AgencyConversion
            } else if newly {
                match rng.gen_range(0..10) {
                    0 => Route::StepUp,
                    1 => Route::Frontline,
                    _ => Route::NewlyQualified,
                }
            } else if rng.gen_bool(0.08) {
                Route::International
            } else if rng.gen_bool(0.03) {
                Route::Apprenticeship
            } else {
                Route::Experienced
            };
            let advert = s.start - Days::new(rng.gen_range(50..150));
            let offer = advert + Days::new(rng.gen_range(14..45));
            let applications = rng.gen_range(2..25);
            let shortlisted = (applications * rng.gen_range(30..60) / 100).max(1);
            let interviewed = (shortlisted * rng.gen_range(60..100) / 100).max(1);
            let offered = rng.gen_range(1..=interviewed.min(2));
            let cost = match route {
                Route::International => rng.gen_range(4_000..6_500),
                Route::AgencyConversion => rng.gen_range(0..1_500),
                _ => rng.gen_range(300..2_000),
            };
            let filled = Vacancy {
                reference: format!("V{n:05}"),
                team: Some(wf.team_name(s.team).to_string()),
                role: Some(s.org_role.label().to_string()),
                route: Some(route),
                advertised: advert,
                applications: Some(applications),
                shortlisted: Some(shortlisted),
                interviewed: Some(interviewed),
                offered: Some(offered),
                accepted: Some(1),
                offer_date: Some(offer),
                start_date: Some(s.start),
                withdrawn: None,
                withdrawn_reason: None,
                closed: None,
                cost: Some(f64::from(cost)),
                campaign: (route == Route::International).then(|| format!("International cohort {}", s.start.year())),
            };
            // One in six falls through first: a withdrawn vacancy before the one that filled the post.
            if rng.gen_bool(1.0 / 6.0) {
                n += 1;
                let reasons = [
                    "Accepted another offer",
                    "Salary",
                    "Counter-offer from current employer",
                    "Personal reasons",
                    "Travel",
                ];
                let earlier = advert - Days::new(rng.gen_range(40..90));
                out.vacancies.push(Vacancy {
                    reference: format!("V{n:05}"),
                    advertised: earlier,
                    applications: Some(rng.gen_range(1..12)),
                    shortlisted: Some(1),
                    interviewed: Some(1),
                    offered: Some(1),
                    accepted: Some(1),
                    offer_date: Some(earlier + Days::new(21)),
                    start_date: None,
                    withdrawn: Some(earlier + Days::new(rng.gen_range(25..40))),
                    withdrawn_reason: Some(reasons[rng.gen_range(0..reasons.len())].to_string()),
                    cost: Some(f64::from(rng.gen_range(300..1_200))),
                    campaign: None,
                    route: Some(Route::Experienced),
                    ..filled.clone()
                });
            }
            out.vacancies.push(filled);
            // A recruitment incentive for half the starters from 2021, paid on the first day.
            if s.start.year() >= 2021 && rng.gen_bool(0.5) {
                out.payments.push(Payment {
                    person: p,
                    scheme: "Recruitment incentive".into(),
                    amount: 3_000.0,
                    paid: s.start,
                    clawback_months: Some(24),
                    taper: Taper::None,
                });
            }
        }
    }
    // A few vacancies still open at the end.
    for (i, team) in hard.iter().enumerate() {
        n += 1;
        out.vacancies.push(Vacancy {
            reference: format!("V{n:05}"),
            team: Some(team.to_string()),
            role: Some("Social worker".into()),
            route: None,
            advertised: to - Days::new(20 + 9 * i as u64),
            applications: Some(rng.gen_range(0..8)),
            shortlisted: None,
            interviewed: None,
            offered: None,
            accepted: None,
            offer_date: None,
            start_date: None,
            withdrawn: None,
            withdrawn_reason: None,
            closed: None,
            cost: Some(450.0),
            campaign: None,
        });
    }
    // A retention payment each 1 April in the hardest-to-fill teams, from 2022.
    for year in from.year().max(2022)..=to.year() {
        let paid = day(year, 4, 1);
        if paid < from || paid > to {
            continue;
        }
        for p in wf.person_indices() {
            let team =
                wf.spells_of(p).iter().find(|s| s.kind.is_employed() && s.covers(paid)).map(|s| wf.team_name(s.team));
            if team.is_some_and(|t| hard.contains(&t)) {
                out.payments.push(Payment {
                    person: p,
                    scheme: "Retention payment".into(),
                    amount: 3_500.0,
                    paid,
                    clawback_months: Some(12),
                    taper: Taper::Monthly,
                });
            }
        }
    }
    // The region's caps, from 1 October 2025.
    for (role_type, cap) in [
        (RoleType::SocialWorker, 40.0),
        (RoleType::SeniorSocialWorker, 42.0),
        (RoleType::AdvancedPractitioner, 45.0),
        (RoleType::TeamManager, 50.0),
        (RoleType::Iro, 48.0),
    ] {
        out.price_caps.push(PriceCap { region: REGION.into(), role_type, cap, from: day(2025, 10, 1), to: None });
    }
    // Leavers elsewhere in the region: one in four of the agency workers who began since the guidance left a
    // permanent post next door shortly before; and a few who never came here.
    let guidance = sightline_core::agency_rules::GUIDANCE_IN_FORCE;
    for p in wf.person_indices() {
        let Some(swe) = wf.person(p).swe_no.clone() else { continue };
        for s in wf.spells_of(p).iter().filter(|s| !s.kind.is_employed() && s.start >= guidance && s.start <= to) {
            if rng.gen_bool(0.25) {
                let left = s.start - Days::new(rng.gen_range(20..200));
                out.regional_leavers.push(RegionalLeaver {
                    swe_no: swe.clone(),
                    left,
                    employer: Some("Neighbouring Council".into()),
                });
            }
        }
    }
    for i in 0..5u32 {
        let left = to - Days::new(u64::from(30 * i + 10));
        out.regional_leavers.push(RegionalLeaver {
            swe_no: format!("SW99{:06}", 100 + i),
            left,
            employer: Some("Neighbouring Council".into()),
        });
    }
    out
}

fn money(v: Option<f64>) -> String {
    v.map(|v| format!("\"£{v:.2}\"")).unwrap_or_default()
}

/// The records as the four exports: (file name, CSV text).
pub fn exports(wf: &Workforce, records: &RecruitmentRecords) -> Vec<(String, String)> {
    let date = |d: Option<Date>| d.map(uk).unwrap_or_default();
    let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let route = |r: Option<Route>| match r {
        None => "",
        Some(Route::Experienced) => "Experienced",
        Some(Route::NewlyQualified) => "Newly qualified (ASYE)",
        Some(Route::International) => "International",
        Some(Route::StepUp) => "Step Up",
        Some(Route::Frontline) => "Frontline",
        Some(Route::Apprenticeship) => "Apprenticeship",
        Some(Route::AgencyConversion) => "Agency conversion",
    };
    let mut vacancies = String::from(
        "Vacancy Ref,Team,Job Title,Route,Advert Date,Applications,Shortlisted,Interviewed,Offers,Accepted,Offer Date,Start Date,Withdrawn Date,Withdrawal Reason,Closed Date,Cost,Campaign\n",
    );
    for v in &records.vacancies {
        vacancies.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            v.reference,
            v.team.clone().unwrap_or_default(),
            v.role.clone().unwrap_or_default(),
            route(v.route),
            uk(v.advertised),
            count(v.applications),
            count(v.shortlisted),
            count(v.interviewed),
            count(v.offered),
            count(v.accepted),
            date(v.offer_date),
            date(v.start_date),
            date(v.withdrawn),
            v.withdrawn_reason.clone().unwrap_or_default(),
            date(v.closed),
            money(v.cost),
            v.campaign.clone().unwrap_or_default(),
        ));
    }
    let mut payments = String::from("Employee Number,Scheme,Amount,Paid Date,Clawback Months,Clawback Tapers\n");
    for p in &records.payments {
        payments.push_str(&format!(
            "{},{},{},{},{},{}\n",
            wf.person(p.person).id,
            p.scheme,
            money(Some(p.amount)),
            uk(p.paid),
            p.clawback_months.map(|m| m.to_string()).unwrap_or_default(),
            if p.taper == Taper::Monthly { "Yes" } else { "No" }
        ));
    }
    let mut caps = String::from("Region,Role Type,Cap per Hour,From,To\n");
    for c in &records.price_caps {
        let role = match c.role_type {
            RoleType::SocialWorker => "Social Worker",
            RoleType::SeniorSocialWorker => "Senior Social Worker",
            RoleType::AdvancedPractitioner => "Advanced Practitioner",
            RoleType::TeamManager => "Team Manager",
            RoleType::Iro => "IRO",
        };
        caps.push_str(&format!("{},{role},{},{},{}\n", c.region, money(Some(c.cap)), uk(c.from), date(c.to)));
    }
    let mut leavers = String::from("SWE Number,Last Day,Employer\n");
    for l in &records.regional_leavers {
        leavers.push_str(&format!("{},{},{}\n", l.swe_no, uk(l.left), l.employer.clone().unwrap_or_default()));
    }
    vec![
        ("recruitment-ats.csv".into(), vacancies),
        ("incentive-payments.csv".into(), payments),
        ("price-caps.csv".into(), caps),
        ("regional-leavers.csv".into(), leavers),
    ]
}
