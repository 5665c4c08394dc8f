//! Recruitment: from a vacancy's advert to a start.
//!
//! A **vacancy** is one row of an applicant-tracking export: a post
//! advertised on a date, the candidates at each stage, and how it ended
//! (a start, a withdrawal, or closed unfilled). Definitions, for a period
//! `[A, B]`:
//!
//! - **Open vacancies**: advertised on or before B and, by B, neither
//!   started, withdrawn nor closed.
//! - **Time to hire**: days from the advert to the start, for vacancies
//!   whose start falls in the period (median); its two parts, advert to
//!   offer (offers made in the period) and offer to start (starts in the
//!   period with an offer date).
//! - **Stage conversion**: for vacancies advertised in the period, the
//!   candidates at each stage (applications, shortlisted, interviewed,
//!   offered, accepted) summed, and the starts by B; each stage's share of
//!   the stage before.
//! - **Withdrawals**: vacancies withdrawn in the period, by reason.
//! - **Starts by route**: starts in the period by the route of the hire,
//!   beside the plan where one is set.
//! - **Cost per hire by route**: the recorded cost of the vacancies that
//!   started in the period, over those starts (vacancies with no recorded
//!   cost count as hires but add nothing; the share costed is given).

use crate::agency_rules::{PriceCap, RegionalLeaver};
use crate::calendar::{Date, Period};
use crate::incentives::Payment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a hire came to the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Experienced,
    NewlyQualified,
    International,
    StepUp,
    Frontline,
    Apprenticeship,
    AgencyConversion,
}

impl Route {
    pub const ALL: [Route; 7] = [
        Route::Experienced,
        Route::NewlyQualified,
        Route::International,
        Route::StepUp,
        Route::Frontline,
        Route::Apprenticeship,
        Route::AgencyConversion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Experienced => "experienced",
            Route::NewlyQualified => "newly_qualified",
            Route::International => "international",
            Route::StepUp => "step_up",
            Route::Frontline => "frontline",
            Route::Apprenticeship => "apprenticeship",
            Route::AgencyConversion => "agency_conversion",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Route::Experienced => "Experienced social workers",
            Route::NewlyQualified => "Newly qualified",
            Route::International => "International",
            Route::StepUp => "Step Up to Social Work",
            Route::Frontline => "Frontline",
            Route::Apprenticeship => "Apprenticeship",
            Route::AgencyConversion => "Agency worker converting",
        }
    }

    pub fn parse(text: &str) -> Option<Route> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Route::ALL.into_iter().find(|r| r.as_str() == t)
    }
}

/// One vacancy from advert to its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vacancy {
    pub reference: String,
    pub team: Option<String>,
    pub role: Option<String>,
    pub route: Option<Route>,
    pub advertised: Date,
    pub applications: Option<u32>,
    pub shortlisted: Option<u32>,
    pub interviewed: Option<u32>,
    pub offered: Option<u32>,
    pub accepted: Option<u32>,
    pub offer_date: Option<Date>,
    pub start_date: Option<Date>,
    pub withdrawn: Option<Date>,
    pub withdrawn_reason: Option<String>,
    pub closed: Option<Date>,
    /// Pounds spent on the recruitment (adverts, agencies' fees, relocation, visas).
    pub cost: Option<f64>,
    /// A campaign or cohort, as an international recruitment is.
    pub campaign: Option<String>,
}

impl Vacancy {
    /// Whether it is open on `d`.
    pub fn is_open_on(&self, d: Date) -> bool {
        self.advertised <= d
            && self.start_date.is_none_or(|s| s > d)
            && self.withdrawn.is_none_or(|w| w > d)
            && self.closed.is_none_or(|c| c > d)
    }
}

/// The recruitment, incentive and agency-rule records a source holds,
/// kept beside the workforce.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecruitmentRecords {
    pub vacancies: Vec<Vacancy>,
    pub payments: Vec<Payment>,
    pub price_caps: Vec<PriceCap>,
    pub regional_leavers: Vec<RegionalLeaver>,
}

impl RecruitmentRecords {
    pub fn len(&self) -> usize {
        self.vacancies.len() + self.payments.len() + self.price_caps.len() + self.regional_leavers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The stages in order.
pub const STAGES: [&str; 6] = ["applications", "shortlisted", "interviewed", "offered", "accepted", "started"];

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub stage: &'static str,
    pub count: u32,
    /// This stage as a percentage of the one before (`None` for the first, or after none).
    pub conversion_pct: Option<f64>,
}

/// Starts by one route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteStarts {
    pub route: String,
    pub starts: u32,
    /// The plan's starts for the period, where one is set.
    pub plan: Option<f64>,
}

/// What hires by one route cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteCost {
    pub route: String,
    pub hires: u32,
    /// Hires with a recorded cost.
    pub costed_hires: u32,
    pub cost: f64,
    /// Cost over hires (`None` with no costed hire).
    pub cost_per_hire: Option<f64>,
}

/// Withdrawals for one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u32,
}

/// The recruitment figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecruitmentFigures {
    pub open_vacancies: u32,
    pub advertised: u32,
    pub time_to_hire_days_median: Option<f64>,
    pub advert_to_offer_days_median: Option<f64>,
    pub offer_to_start_days_median: Option<f64>,
    /// Offers made in the period (behind the advert-to-offer median).
    pub offers_made: u32,
    /// Starts in the period with an offer date (behind the offer-to-start median).
    pub starts_with_offer_date: u32,
    pub stage_conversion: Vec<Stage>,
    pub withdrawals: u32,
    pub withdrawals_by_reason: Vec<ReasonCount>,
    pub starts: u32,
    pub starts_by_route: Vec<RouteStarts>,
    pub cost_per_hire_by_route: Vec<RouteCost>,
}

impl RecruitmentFigures {
    /// As output: medians and shares to 1 decimal place, money to the penny.
    pub fn rounded(&self) -> RecruitmentFigures {
        let one = |v: f64| crate::indicators::round_dfe(v, 1);
        let pence = |v: f64| crate::indicators::round_dfe(v, 2);
        let mut f = self.clone();
        f.time_to_hire_days_median = f.time_to_hire_days_median.map(one);
        f.advert_to_offer_days_median = f.advert_to_offer_days_median.map(one);
        f.offer_to_start_days_median = f.offer_to_start_days_median.map(one);
        for s in &mut f.stage_conversion {
            s.conversion_pct = s.conversion_pct.map(one);
        }
        for c in &mut f.cost_per_hire_by_route {
            c.cost = pence(c.cost);
            c.cost_per_hire = c.cost_per_hire.map(pence);
        }
        f
    }

    /// For a member or a publication: which counts are 1 to 4 (and which
    /// parts of a shown total go with a lone one), cleared with every figure
    /// resting on one: a stage's share when either count is hidden, medians
    /// of fewer than 5 values, cost per hire of fewer than 5 hires.
    /// The figures with those cleared, and the names of the counts hidden
    /// (`starts`, `stage:offered`, `route:international`, `withdrawn:REASON`...).
    pub fn publishable(&self) -> (RecruitmentFigures, std::collections::BTreeSet<String>) {
        use crate::disclosure::is_disclosive;
        let mut f = self.clone();
        let mut hidden = std::collections::BTreeSet::new();
        let mut hide = |name: String| {
            hidden.insert(name);
        };
        for name in ["open_vacancies", "advertised", "withdrawals", "starts"] {
            let n = match name {
                "open_vacancies" => f.open_vacancies,
                "advertised" => f.advertised,
                "withdrawals" => f.withdrawals,
                _ => f.starts,
            };
            if is_disclosive(n) {
                hide(name.to_string());
            }
        }
        // A median of fewer than 5 is one of a handful of people's own days.
        if f.starts < 5 {
            f.time_to_hire_days_median = None;
        }
        if f.starts_with_offer_date < 5 {
            f.offer_to_start_days_median = None;
        }
        if f.offers_made < 5 {
            f.advert_to_offer_days_median = None;
        }
        for (name, n) in [("offers_made", f.offers_made), ("starts_with_offer_date", f.starts_with_offer_date)] {
            if is_disclosive(n) {
                hide(name.to_string());
            }
        }
        let mut before_hidden = false;
        for s in &mut f.stage_conversion {
            let this_hidden = is_disclosive(s.count);
            if this_hidden || before_hidden {
                s.conversion_pct = None;
            }
            if this_hidden {
                hide(format!("stage:{}", s.stage));
            }
            before_hidden = this_hidden;
        }
        // Routes and reasons are parts of a total that is shown: a lone hidden one takes another with it.
        let routes = crate::disclosure::suppress(&[f.starts_by_route.iter().map(|r| r.starts).collect()]);
        for (r, cell) in f.starts_by_route.iter().zip(routes.cells.first().into_iter().flatten()) {
            if cell.is_none() {
                hide(format!("route:{}", r.route));
            }
        }
        for c in &mut f.cost_per_hire_by_route {
            if c.hires < 5 {
                c.cost_per_hire = None;
                hide(format!("cost:{}", c.route));
            }
        }
        let reasons = crate::disclosure::suppress(&[f.withdrawals_by_reason.iter().map(|r| r.count).collect()]);
        for (r, cell) in f.withdrawals_by_reason.iter().zip(reasons.cells.first().into_iter().flatten()) {
            if cell.is_none() {
                hide(format!("withdrawn:{}", r.reason));
            }
        }
        (f, hidden)
    }
}

fn route_name(r: Option<Route>) -> String {
    r.map_or("not recorded", Route::as_str).to_string()
}

fn median_days(mut days: Vec<f64>) -> Option<f64> {
    crate::benchmark::median(&mut days)
}

/// The figures for `period` over `vacancies`, with starts planned by route.
pub fn recruitment_figures(vacancies: &[Vacancy], period: Period, plan: &BTreeMap<Route, f64>) -> RecruitmentFigures {
    let days = |a: Date, b: Date| (b - a).num_days() as f64;
    let started: Vec<&Vacancy> =
        vacancies.iter().filter(|v| v.start_date.is_some_and(|s| period.contains(s))).collect();
    let time_to_hire = started.iter().filter_map(|v| v.start_date.map(|s| days(v.advertised, s))).collect();
    let offer_to_start = started.iter().filter_map(|v| Some(days(v.offer_date?, v.start_date?))).collect::<Vec<_>>();
    let advert_to_offer: Vec<f64> = vacancies
        .iter()
        .filter_map(|v| v.offer_date.filter(|o| period.contains(*o)).map(|o| days(v.advertised, o)))
        .collect();
    let (offers_made, starts_with_offer_date) = (advert_to_offer.len() as u32, offer_to_start.len() as u32);
    let cohort: Vec<&Vacancy> = vacancies.iter().filter(|v| period.contains(v.advertised)).collect();
    let sum = |f: fn(&Vacancy) -> Option<u32>| cohort.iter().filter_map(|v| f(v)).fold(0u32, u32::saturating_add);
    let counts = [
        sum(|v| v.applications),
        sum(|v| v.shortlisted),
        sum(|v| v.interviewed),
        sum(|v| v.offered),
        sum(|v| v.accepted),
        cohort.iter().filter(|v| v.start_date.is_some_and(|s| s <= period.end)).count() as u32,
    ];
    let mut stage_conversion = Vec::new();
    let mut before: Option<u32> = None;
    for (stage, count) in STAGES.into_iter().zip(counts) {
        let conversion_pct = before.filter(|b| *b > 0).map(|b| 100.0 * f64::from(count) / f64::from(b));
        stage_conversion.push(Stage { stage, count, conversion_pct });
        before = Some(count);
    }
    let withdrawn: Vec<&Vacancy> =
        vacancies.iter().filter(|v| v.withdrawn.is_some_and(|w| period.contains(w))).collect();
    let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
    for v in &withdrawn {
        *reasons.entry(v.withdrawn_reason.clone().unwrap_or_else(|| "not recorded".into())).or_default() += 1;
    }
    let mut withdrawals_by_reason: Vec<ReasonCount> =
        reasons.into_iter().map(|(reason, count)| ReasonCount { reason, count }).collect();
    withdrawals_by_reason.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    // Routes in the taxonomy's order, then "not recorded"; a route shows when it has starts or a plan.
    let mut by_route: BTreeMap<Option<Route>, (u32, u32, f64)> = BTreeMap::new();
    for v in &started {
        let e = by_route.entry(v.route).or_default();
        e.0 += 1;
        if let Some(c) = v.cost {
            e.1 += 1;
            e.2 += c;
        }
    }
    let order = |r: &Option<Route>| r.map_or(usize::MAX, |r| Route::ALL.iter().position(|x| *x == r).unwrap_or(0));
    let mut routes: Vec<Option<Route>> = by_route.keys().copied().chain(plan.keys().map(|r| Some(*r))).collect();
    routes.sort_by_key(order);
    routes.dedup();
    let starts_by_route = routes
        .iter()
        .map(|r| RouteStarts {
            route: route_name(*r),
            starts: by_route.get(r).map_or(0, |e| e.0),
            plan: r.and_then(|r| plan.get(&r).copied()),
        })
        .collect();
    let cost_per_hire_by_route = routes
        .iter()
        .filter_map(|r| by_route.get(r).map(|e| (r, e)))
        .map(|(r, &(hires, costed_hires, cost))| RouteCost {
            route: route_name(*r),
            hires,
            costed_hires,
            cost,
            cost_per_hire: (costed_hires > 0).then(|| cost / f64::from(hires)),
        })
        .collect();
    RecruitmentFigures {
        open_vacancies: vacancies.iter().filter(|v| v.is_open_on(period.end)).count() as u32,
        advertised: cohort.len() as u32,
        time_to_hire_days_median: median_days(time_to_hire),
        advert_to_offer_days_median: median_days(advert_to_offer),
        offer_to_start_days_median: median_days(offer_to_start),
        offers_made,
        starts_with_offer_date,
        stage_conversion,
        withdrawals: withdrawn.len() as u32,
        withdrawals_by_reason,
        starts: started.len() as u32,
        starts_by_route,
        cost_per_hire_by_route,
    }
}

/// The figure a plan of starts by `route` is set as a target on: `starts_international`.
pub fn plan_field(route: Route) -> String {
    format!("starts_{}", route.as_str())
}

/// Whether `name` is a plan of starts (`starts_` and a route).
pub fn is_plan_field(name: &str) -> bool {
    name.strip_prefix("starts_").and_then(Route::parse).is_some()
}

/// The plan for `period`: for each route, the value of the latest target
/// on its starts (`starts_ROUTE --at-least N --by D`) whose date falls in
/// the period ("at least 25 international starts by 31 March 2026").
pub fn plan_for(targets: &[crate::Target], period: Period) -> BTreeMap<Route, f64> {
    let mut found: BTreeMap<Route, (Date, f64)> = BTreeMap::new();
    for t in targets.iter().filter(|t| period.contains(t.by)) {
        if let Some(route) = t.figure.strip_prefix("starts_").and_then(Route::parse) {
            if found.get(&route).is_none_or(|(by, _)| *by <= t.by) {
                found.insert(route, (t.by, t.value));
            }
        }
    }
    found.into_iter().map(|(r, (_, v))| (r, v)).collect()
}

/// The figures for each team the vacancies name (`not recorded` for none), in name order.
pub fn recruitment_by_team(vacancies: &[Vacancy], period: Period) -> Vec<(String, RecruitmentFigures)> {
    let mut teams: BTreeMap<String, Vec<Vacancy>> = BTreeMap::new();
    for v in vacancies {
        teams.entry(v.team.clone().unwrap_or_else(|| "not recorded".into())).or_default().push(v.clone());
    }
    teams.into_iter().map(|(t, vs)| (t, recruitment_figures(&vs, period, &BTreeMap::new()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::d;

    fn vacancy(reference: &str, advertised: &str) -> Vacancy {
        Vacancy {
            reference: reference.into(),
            team: Some("North".into()),
            role: None,
            route: Some(Route::Experienced),
            advertised: d(advertised),
            applications: None,
            shortlisted: None,
            interviewed: None,
            offered: None,
            accepted: None,
            offer_date: None,
            start_date: None,
            withdrawn: None,
            withdrawn_reason: None,
            closed: None,
            cost: None,
            campaign: None,
        }
    }

    #[test]
    fn the_funnel_time_to_hire_and_routes_by_hand() {
        let q = Period { start: d("2025-04-01"), end: d("2025-06-30") };
        let a = Vacancy {
            applications: Some(10),
            shortlisted: Some(4),
            interviewed: Some(3),
            offered: Some(1),
            accepted: Some(1),
            offer_date: Some(d("2025-04-21")),
            start_date: Some(d("2025-06-02")),
            cost: Some(1_000.0),
            ..vacancy("A", "2025-04-01")
        };
        let b = Vacancy {
            route: Some(Route::International),
            applications: Some(6),
            shortlisted: Some(2),
            interviewed: Some(2),
            offered: Some(1),
            accepted: Some(0),
            withdrawn: Some(d("2025-05-20")),
            withdrawn_reason: Some("salary".into()),
            ..vacancy("B", "2025-04-15")
        };
        // Advertised before the period, started in it; no cost recorded.
        let c = Vacancy {
            start_date: Some(d("2025-04-30")),
            offer_date: Some(d("2025-03-31")),
            ..vacancy("C", "2025-01-30")
        };
        // Still open at the end; closed unfilled before it.
        let e = vacancy("E", "2025-06-10");
        let f = Vacancy { closed: Some(d("2025-06-30")), ..vacancy("F", "2025-05-01") };
        let plan = BTreeMap::from([(Route::International, 5.0)]);
        let fig = recruitment_figures(&[a, b, c, e, f], q, &plan);
        assert_eq!(fig.open_vacancies, 1);
        assert_eq!(fig.advertised, 4);
        // A: 62 days, C: 90 days.
        assert_eq!(fig.time_to_hire_days_median, Some(76.0));
        // Offers in the period: A's only (20 days).
        assert_eq!(fig.advert_to_offer_days_median, Some(20.0));
        // A: 42 days, C: 30 days.
        assert_eq!(fig.offer_to_start_days_median, Some(36.0));
        let counts: Vec<u32> = fig.stage_conversion.iter().map(|s| s.count).collect();
        assert_eq!(counts, [16, 6, 5, 2, 1, 1]);
        assert_eq!(fig.stage_conversion[1].conversion_pct, Some(37.5));
        assert_eq!(fig.stage_conversion[0].conversion_pct, None);
        assert_eq!((fig.withdrawals, fig.withdrawals_by_reason[0].reason.as_str()), (1, "salary"));
        let routes: Vec<(&str, u32, Option<f64>)> =
            fig.starts_by_route.iter().map(|r| (r.route.as_str(), r.starts, r.plan)).collect();
        assert_eq!(routes, [("experienced", 2, None), ("international", 0, Some(5.0))]);
        let cost = &fig.cost_per_hire_by_route[0];
        assert_eq!((cost.hires, cost.costed_hires, cost.cost, cost.cost_per_hire), (2, 1, 1_000.0, Some(500.0)));
    }

    #[test]
    fn a_vacancy_is_open_from_its_advert_until_it_ends() {
        let v = Vacancy { start_date: Some(d("2025-03-01")), ..vacancy("A", "2025-01-01") };
        assert!(!v.is_open_on(d("2024-12-31")));
        assert!(v.is_open_on(d("2025-01-01")));
        assert!(v.is_open_on(d("2025-02-28")));
        assert!(!v.is_open_on(d("2025-03-01")));
    }
}
