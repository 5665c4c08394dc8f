//! The pages: server-rendered HTML, one layout, filters in the URL so a view
//! can be shared, and a print style sheet.

use crate::auth::Viewer;
use crate::{latest_date, AppState, Shared};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;
use sightline_core::absence as sickness;
use sightline_core::calendar::a_year_before;
use sightline_core::published::field_label;
use sightline_core::{
    agency, indicators, indicators_by, leavers, staffing_by_team, Grouping, Indicators, Period, TargetStatus, Workforce,
};
use sightline_report::chart::{line_chart, stacked_bars};
use sightline_store::Role;
use std::sync::Arc;

/// The whole page around `body`.
pub fn page(title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - Sightline" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header {
                    p.brand { "Sightline" }
                    @if let Some(v) = viewer {
                        nav aria-label="Main" {
                            ul {
                                li { a href="/" aria-current=[(title == "Overview").then_some("page")] { "Overview" } }
                                li { a href="/teams" aria-current=[(title == "Teams").then_some("page")] { "Teams" } }
                                li { a href="/turnover" aria-current=[(title == "Turnover and leavers").then_some("page")] { "Turnover" } }
                                li { a href="/absence" aria-current=[(title == "Absence").then_some("page")] { "Absence" } }
                                li { a href="/agency" aria-current=[(title == "Agency").then_some("page")] { "Agency" } }
                                li { a href="/benchmark" aria-current=[(title == "Compared").then_some("page")] { "Compared" } }
                                li { a href="/forecast" aria-current=[(title == "Forecast").then_some("page")] { "Forecast" } }
                                li { a href="/report" aria-current=[(title == "Report").then_some("page")] { "Report" } }
                                @if matches!(v.user.role, Role::Admin | Role::Hr | Role::Manager) {
                                    li { a href="/people" aria-current=[(title == "People").then_some("page")] { "People" } }
                                }
                                @if matches!(v.user.role, Role::Admin | Role::Hr | Role::Analyst) {
                                    li { a href="/data" aria-current=[(title == "Data").then_some("page")] { "Data" } }
                                }
                                @if v.user.role == Role::Admin {
                                    li { a href="/audit" aria-current=[(title == "Audit log").then_some("page")] { "Audit log" } }
                                }
                            }
                        }
                        div.who {
                            (v.user.name) " (" (v.user.role) ")"
                            @if let Some(csrf) = &v.csrf {
                                form method="post" action="/logout" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "Log out" }
                                }
                            }
                        }
                    }
                }
                main #main { (body) }
            }
        }
    }
}

/// The date filter shared by the pages.
#[derive(Deserialize)]
pub struct DateFilter {
    date: Option<String>,
    team: Option<String>,
    service: Option<String>,
}

impl DateFilter {
    fn date(&self, wf: &Workforce) -> Result<NaiveDate, String> {
        match self.date.as_deref().filter(|d| !d.is_empty()) {
            None => Ok(latest_date(wf)),
            Some(d) => {
                NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| format!("`{d}` is not a date (YYYY-MM-DD)"))
            }
        }
    }
}

fn date_form(action: &str, date: NaiveDate) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label for="date" { "Figures as at" }
            input #date type="date" name="date" value=(date);
            button type="submit" { "Show" }
        }
    }
}

/// Which part of the authority the overview shows.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Authority,
    Team(&'a str),
    Service(&'a str),
}

/// The date filter with a choice of team or service ("" for the whole authority).
fn scope_form(action: &str, date: NaiveDate, teams: &[String], services: &[String], scope: Scope<'_>) -> Markup {
    let (team, service) = match scope {
        Scope::Team(t) => (Some(t), None),
        Scope::Service(s) => (None, Some(s)),
        Scope::Authority => (None, None),
    };
    html! {
        form.filters method="get" action=(action) {
            div {
                label for="date" { "Figures as at" }
                input #date type="date" name="date" value=(date);
            }
            @if !services.is_empty() {
                div {
                    label for="service" { "Service" }
                    select #service name="service" {
                        option value="" selected[service.is_none()] { "All services" }
                        @for s in services { option value=(s) selected[service == Some(s.as_str())] { (s) } }
                    }
                }
            }
            div {
                label for="team" { "Team" }
                select #team name="team" {
                    option value="" selected[team.is_none()] { "All teams" }
                    @for t in teams { option value=(t) selected[team == Some(t.as_str())] { (t) } }
                }
            }
            button type="submit" { "Show" }
        }
    }
}

/// The figures for `period` in a scope.
fn figures(
    state: &AppState,
    wf: &Workforce,
    period: Period,
    scope: Scope<'_>,
    groups: &sightline_core::TeamGroups,
) -> Indicators {
    let pick = |all: Vec<sightline_core::GroupIndicators>, name: &str| {
        all.into_iter()
            .find(|g| g.group.as_deref() == Some(name))
            .map(|g| g.indicators)
            .unwrap_or_else(|| indicators(&Workforce::default(), &state.calendar, period))
    };
    match scope {
        Scope::Authority => indicators(wf, &state.calendar, period),
        Scope::Team(t) => pick(indicators_by(wf, &state.calendar, period, Grouping::Team), t),
        Scope::Service(s) => pick(sightline_core::indicators_by_team_groups(wf, &state.calendar, period, groups), s),
    }
}

/// The workforce and the date the filter asks for, or the page's error.
async fn workforce_at(
    state: &AppState,
    viewer: &Viewer,
    filter: &DateFilter,
    title: &str,
) -> Result<(Arc<Workforce>, NaiveDate), Box<Response>> {
    let wf = workforce_or_error(state).await.map_err(Box::new)?;
    let date = filter.date(&wf).map_err(|e| Box::new(bad_request(viewer, title, &e)))?;
    Ok((wf, date))
}

async fn workforce_or_error(state: &AppState) -> Result<Arc<Workforce>, Response> {
    state
        .workforce()
        .await
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("the store could not be read: {e}")).into_response())
}

fn bad_request(viewer: &Viewer, title: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        page(title, Some(viewer), html! { h1 { (title) } div.error role="alert" { p { (message) } } }),
    )
        .into_response()
}

/// A count as a viewer may see it: members see counts under 5 as `c`.
pub fn count(viewer: &Viewer, n: u32) -> String {
    viewer.count(n).map_or("c".to_string(), |n| n.to_string())
}

fn one(v: f64) -> String {
    format!("{v:.1}")
}

fn rate(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.1}%"))
}

const HEADLINES: [&str; 7] = [
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
    "inpost_fte",
    "agency_fte",
];

const COUNTS: [&str; 4] = ["inpost_headcount", "starters_headcount", "leavers_headcount", "agency_headcount"];

pub async fn overview(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<DateFilter>,
) -> Response {
    let (wf, date) = match workforce_at(&state, &viewer, &filter, "Overview").await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let services = state.store.services().await.unwrap_or_default();
    let groups = sightline_core::TeamGroups::by_service(
        wf.teams(),
        &services,
        sightline_core::Unassigned::Together("Other teams"),
    );
    let service_names: Vec<String> = groups.names[..groups.names.len() - 1].to_vec();
    let team = filter.team.as_deref().filter(|t| !t.is_empty());
    let service = filter.service.as_deref().filter(|s| !s.is_empty());
    let scope = match (team, service) {
        (Some(_), Some(_)) => return bad_request(&viewer, "Overview", "choose a team or a service, not both"),
        (Some(t), None) if !wf.teams().iter().any(|x| x == t) => {
            return bad_request(&viewer, "Overview", &format!("there is no team called `{t}`"))
        }
        (None, Some(s)) if !service_names.iter().any(|x| x == s) => {
            return bad_request(&viewer, "Overview", &format!("there is no service called `{s}`"))
        }
        (Some(t), None) => Scope::Team(t),
        (None, Some(s)) => Scope::Service(s),
        (None, None) => Scope::Authority,
    };
    let before = a_year_before(date);
    let now = figures(&state, &wf, Period::twelve_months_to(date), scope, &groups).rounded();
    let then = figures(&state, &wf, Period::twelve_months_to(before), scope, &groups).rounded();
    // The trend: every census year from the first with anyone in post to the one the date falls in.
    let first = wf.spells().iter().map(|s| s.start).min().unwrap_or(date);
    let first_year = Period::census_year_of(first);
    let last_year = Period::census_year_of(date);
    let years: Vec<i32> = (first_year..=last_year).collect();
    let yearly: Vec<Indicators> =
        years.iter().map(|y| figures(&state, &wf, Period::census_year(*y), scope, &groups).rounded()).collect();
    let x: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let series = [
        ("Turnover (FTE) %", yearly.iter().map(|i| i.turnover_rate_fte).collect()),
        ("Agency rate (FTE) %", yearly.iter().map(|i| i.agency_rate_fte).collect()),
        ("Vacancy rate (FTE) %", yearly.iter().map(|i| i.vacancy_rate_fte).collect()),
    ];
    let summary = match (yearly.first(), yearly.last(), years.first(), years.last()) {
        (Some(a), Some(b), Some(ya), Some(yb)) if ya != yb => format!(
            "From the census year {ya} to {yb}, turnover went from {} to {}, the agency rate from {} to {}, and the vacancy rate from {} to {}.",
            rate(a.turnover_rate_fte), rate(b.turnover_rate_fte), rate(a.agency_rate_fte), rate(b.agency_rate_fte),
            rate(a.vacancy_rate_fte), rate(b.vacancy_rate_fte)
        ),
        _ => "One census year of data.".to_string(),
    };
    let targets = state.store.targets().await.unwrap_or_default();
    let body = html! {
        h1 { "Overview" @if let Some(t) = team.or(service) { ": " (t) } }
        (scope_form("/", date, wf.teams(), &service_names, scope))
        @if !targets.is_empty() {
            table {
                caption { "Targets, against the 12 months to " (date) }
                thead { tr { th scope="col" { "Target" } th scope="col" { "By" } th scope="col" { "Now" } th scope="col" { "Status" } } }
                tbody {
                    @for t in targets.iter().map(|t| &t.target) {
                        @let figure = now.field(&t.figure);
                        tr {
                            th scope="row" { (field_label(&t.figure)) " " (t.direction()) " " (t.value) }
                            td { (t.by) }
                            td { (figure.map_or("-".to_string(), one)) }
                            td {
                                @match t.status(figure, date) {
                                    TargetStatus::NotDefined => "not defined at this date",
                                    status => (status.words()),
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "The 12 months to " (date) ", and a year before" }
        table {
            caption { "Headline figures, as DfE defines them (FTE unless stated)" }
            thead { tr { th scope="col" { "Figure" } th scope="col" { "12 months to " (date) } th scope="col" { "12 months to " (before) } } }
            tbody {
                @for f in HEADLINES {
                    tr {
                        th scope="row" { (field_label(f)) }
                        @let show = |i: &Indicators| i.field(f).map_or("-".to_string(), one);
                        td { (show(&now)) }
                        td { (show(&then)) }
                    }
                }
                @for f in COUNTS {
                    @let n = |i: &Indicators| i.field(f).unwrap_or(0.0) as u32;
                    tr { th scope="row" { (field_label(f)) } td { (count(&viewer, n(&now))) } td { (count(&viewer, n(&then))) } }
                }
            }
        }
        @if viewer.user.role == Role::Member {
            p.note { "Counts under 5 are shown as c, as DfE does, so that no one can be identified." }
        }
        h2 { "Trend by census year" }
        (PreEscaped(line_chart("trend", "Turnover, agency and vacancy rates by census year", &summary, &x, &series)))
        table {
            caption { "The chart's figures" }
            thead { tr { th scope="col" { "Census year" } th scope="col" { "Turnover (FTE) %" } th scope="col" { "Agency rate (FTE) %" } th scope="col" { "Vacancy rate (FTE) %" } } }
            tbody {
                @for (y, i) in years.iter().zip(&yearly) {
                    tr { th scope="row" { (y) } td { (rate(i.turnover_rate_fte)) } td { (rate(i.agency_rate_fte)) } td { (rate(i.vacancy_rate_fte)) } }
                }
            }
        }
    };
    page("Overview", Some(&viewer), body).into_response()
}

pub async fn teams(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<DateFilter>,
) -> Response {
    let (wf, date) = match workforce_at(&state, &viewer, &filter, "Teams").await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let staffing = staffing_by_team(&wf, date);
    let asyes = sightline_core::asyes_at(&wf, date);
    let by_team = indicators_by(&wf, &state.calendar, Period::twelve_months_to(date), Grouping::Team);
    let member = viewer.user.role == Role::Member;
    let settings = &state.settings;
    let rows: Vec<_> = staffing
        .iter()
        .zip(&by_team)
        .filter(|(s, _)| s.establishment_fte > 0.0 || s.employed_fte() + s.agency_fte > 0.0)
        .map(|(s, g)| {
            let people = g.indicators.inpost_headcount + g.indicators.agency_headcount;
            (s, g.indicators.caseload_fte, member && people < 5)
        })
        .collect();
    let bars: Vec<(String, Vec<f64>)> = rows
        .iter()
        .filter(|(_, _, hidden)| !hidden)
        .map(|(s, _, _)| (s.team.clone(), vec![s.permanent_fte, s.fixed_term_fte, s.agency_fte, s.vacant_fte]))
        .collect();
    let total = |f: fn(&sightline_core::TeamStaffing) -> f64| staffing.iter().map(f).sum::<f64>();
    let summary = format!(
        "Across all teams: {} FTE funded, {} permanent, {} fixed-term, {} agency ({} of it covering vacancies), {} vacant.",
        one(total(|s| s.establishment_fte)),
        one(total(|s| s.permanent_fte)),
        one(total(|s| s.fixed_term_fte)),
        one(total(|s| s.agency_fte)),
        one(total(|s| s.agency_cover_fte)),
        one(total(|s| s.vacant_fte)),
    );
    let flag = |c: Option<f64>| match c {
        Some(c) if c > settings.caseload_very_high => " (very high)",
        Some(c) if c > settings.caseload_high => " (high)",
        _ => "",
    };
    let body = html! {
        h1 { "Teams" }
        (date_form("/teams", date))
        p { (summary) }
        (PreEscaped(stacked_bars("staffing", &format!("Staffing by team at {date}"), &summary, &["Permanent", "Fixed-term", "Agency", "Vacant"], &bars)))
        table {
            caption { "Staffing position by team at " (date) " (FTE)" }
            thead {
                tr {
                    th scope="col" { "Team" }
                    th scope="col" { "Establishment" }
                    th scope="col" { "Permanent" }
                    th scope="col" { "Fixed-term" }
                    th scope="col" { "Agency covering vacancies" }
                    th scope="col" { "Agency over establishment" }
                    th scope="col" { "Vacant" }
                    th scope="col" { "Cases per FTE" }
                    th scope="col" { "ASYEs" }
                    th scope="col" { "Cases per ASYE" }
                }
            }
            tbody {
                @for (s, caseload, hidden) in &rows {
                    tr {
                        th scope="row" { (s.team) }
                        @let team_asyes: Vec<_> = asyes.iter().filter(|a| wf.team_name(a.team) == s.team).collect();
                        @if *hidden {
                            td colspan="9" { "c (fewer than 5 people)" }
                        } @else {
                            td { (one(s.establishment_fte)) }
                            td { (one(s.permanent_fte)) }
                            td { (one(s.fixed_term_fte)) }
                            td { (one(s.agency_cover_fte)) }
                            td { (one(s.agency_over_establishment_fte)) }
                            td { (one(s.vacant_fte)) }
                            td { (caseload.map_or("-".to_string(), one)) (flag(*caseload)) }
                            td { (count(&viewer, team_asyes.len() as u32)) }
                            td {
                                @if team_asyes.is_empty() || (member && team_asyes.len() < 5) { "-" }
                                @else { (one(team_asyes.iter().map(|a| f64::from(a.cases)).sum::<f64>() / team_asyes.len() as f64)) }
                            }
                        }
                    }
                }
            }
        }
        p.note {
            "Cases per FTE is flagged high above " (settings.caseload_high) " and very high above " (settings.caseload_very_high) ". "
            "A vacancy is funded FTE not filled by an employed social worker; agency FTE covers vacancies up to their size, and the rest is over establishment. "
            "ASYEs are employed social workers who qualified in the 12 months to the date; their caseloads should be protected."
        }
    };
    page("Teams", Some(&viewer), body).into_response()
}

pub async fn agency(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<DateFilter>,
) -> Response {
    let (wf, date) = match workforce_at(&state, &viewer, &filter, "Agency").await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let period = Period::twelve_months_to(date);
    let by_team = indicators_by(&wf, &state.calendar, period, Grouping::Team);
    let assignments = agency::assignments_at(&wf, date);
    let bands = agency::count_by_band(&assignments);
    let conversions = agency::conversions(&wf, period).len() as u32;
    let member = viewer.user.role == Role::Member;
    let teams: Vec<_> = by_team
        .iter()
        .filter(|g| g.indicators.agency_headcount + g.indicators.inpost_headcount > 0)
        .map(|g| {
            (
                g.group.clone().unwrap_or_default(),
                g.indicators.agency_rate_fte,
                g.indicators.agency_fte,
                member && g.indicators.agency_headcount + g.indicators.inpost_headcount < 5,
            )
        })
        .collect();
    let x: Vec<String> = agency::LENGTH_BANDS.iter().map(|b| b.to_string()).collect();
    let summary = format!(
        "At {date}, {} agency assignments: {} up to 26 weeks, {} of 27 to 52 weeks, {} over 52 weeks.",
        count(&viewer, assignments.len() as u32),
        count(&viewer, bands[0]),
        count(&viewer, bands[1]),
        count(&viewer, bands[2])
    );
    let bars: Vec<(String, Vec<f64>)> = if member && bands.iter().any(|b| *b < 5) {
        Vec::new()
    } else {
        x.iter().zip(bands).map(|(label, n)| (label.clone(), vec![f64::from(n)])).collect()
    };
    let body = html! {
        h1 { "Agency" }
        (date_form("/agency", date))
        h2 { "Agency rate by team" }
        table {
            caption { "Agency FTE as a share of agency and employed FTE, at " (date) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Agency rate (FTE) %" } th scope="col" { "Agency FTE" } } }
            tbody {
                @for (team, rate_fte, fte, hidden) in &teams {
                    tr {
                        th scope="row" { (team) }
                        @if *hidden { td colspan="2" { "c (fewer than 5 people)" } } @else { td { (rate(*rate_fte)) } td { (one(*fte)) } }
                    }
                }
            }
        }
        h2 { "Assignments by length" }
        @if !bars.is_empty() {
            (PreEscaped(stacked_bars("lengths", &format!("Agency assignments by length at {date}"), &summary, &["Assignments"], &bars)))
        }
        table {
            caption { (summary) }
            thead { tr { th scope="col" { "Length" } th scope="col" { "Assignments" } } }
            tbody { @for (label, n) in x.iter().zip(bands) { tr { th scope="row" { (label) } td { (count(&viewer, n)) } } } }
        }
        h2 { "Longest-running assignments" }
        table {
            caption { "The ten longest assignments in place at " (date) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Started" } th scope="col" { "Weeks" } th scope="col" { "Ends" } } }
            tbody {
                @for a in assignments.iter().take(10) {
                    tr { th scope="row" { (wf.team_name(a.team)) } td { (a.start) } td { (a.weeks) } td { (a.end.map_or("not set".to_string(), |e| e.to_string())) } }
                }
            }
        }
        h2 { "Agency to permanent" }
        p { "In the 12 months to " (date) ", " (count(&viewer, conversions)) " people who had worked here through an agency in the year before joined as employees." }
        p.note { "An assignment is a run of one person's agency spells with no day between them. A conversion is a starter who worked here through an agency in the 12 months before starting." }
    };
    page("Agency", Some(&viewer), body).into_response()
}

/// Bands of whole years, for length of service and time since qualifying.
const YEAR_BANDS: [(&str, i64, i64); 6] = [
    ("under 1 year", 0, 0),
    ("1 to 2 years", 1, 1),
    ("2 to 3 years", 2, 2),
    ("3 to 5 years", 3, 4),
    ("5 to 10 years", 5, 9),
    ("10 years or more", 10, i64::MAX),
];

fn year_band(years: i64) -> usize {
    YEAR_BANDS.iter().position(|(_, lo, hi)| (*lo..=*hi).contains(&years)).unwrap_or(0)
}

pub async fn turnover(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<DateFilter>,
) -> Response {
    let (generation, wf) = match state.workforce_and_generation().await {
        Ok(found) => found,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("the store could not be read: {e}")).into_response()
        }
    };
    let date = match filter.date(&wf) {
        Ok(d) => d,
        Err(e) => return bad_request(&viewer, "Turnover and leavers", &e),
    };
    let period = Period::twelve_months_to(date);
    // Rolling turnover at each month end from a year after the first data to the date.
    let series = state.turnover_series(generation, date, || {
        let first = wf.spells().iter().map(|s| s.start).min().unwrap_or(date);
        let from =
            sightline_core::calendar::month_end(first.checked_add_months(chrono::Months::new(12)).unwrap_or(first));
        let months = sightline_core::monthly_series(&wf, &state.calendar, from.min(date), date, Grouping::Authority);
        (
            months.iter().map(|(p, _)| p.end.format("%b %Y").to_string()).collect(),
            months.iter().map(|(_, g)| g[0].indicators.rounded().turnover_rate_fte).collect(),
        )
    });
    let (x, values) = (&series.0, &series.1);
    let leavers = leavers::leavers_in(&wf, period);
    let reasons = leavers::count_by_reason(&leavers);
    let destinations = leavers::count_by_destination(&leavers);
    let mut service = [0u32; YEAR_BANDS.len()];
    let mut qualified = [0u32; YEAR_BANDS.len()];
    let mut qualified_known = 0;
    for l in &leavers {
        service[year_band(l.years_of_service())] += 1;
        if let Some(q) = wf.person(l.person).qualification_date {
            qualified[year_band(leavers::whole_years(q, l.date))] += 1;
            qualified_known += 1;
        }
    }
    let by_team = indicators_by(&wf, &state.calendar, period, Grouping::Team);
    let moves: u32 = by_team.iter().map(|g| g.moves.moves_out_headcount).sum();
    let summary = match (values.first().copied().flatten(), values.last().copied().flatten()) {
        (Some(a), Some(b)) => {
            format!("Rolling 12-month turnover went from {a:.1}% in {} to {b:.1}% in {}.", x[0], x[x.len() - 1])
        }
        _ => "Not enough data for a trend.".to_string(),
    };
    let body = html! {
        h1 { "Turnover and leavers" }
        (date_form("/turnover", date))
        (PreEscaped(line_chart("rolling", "Rolling 12-month turnover (FTE) by month", &summary, x, &[("Turnover (FTE) %", values.clone())])))
        details {
            summary { "The chart's figures" }
            table {
                caption { "Turnover (FTE) % in the 12 months to each month end" }
                thead { tr { th scope="col" { "Month" } th scope="col" { "Turnover (FTE) %" } } }
                tbody { @for (m, v) in x.iter().zip(values) { tr { th scope="row" { (m) } td { (rate(*v)) } } } }
            }
        }
        h2 { "Leavers in the 12 months to " (date) }
        p { (count(&viewer, leavers.len() as u32)) " people left the authority's employment. " (count(&viewer, moves)) " moves between teams are not leavers and are counted apart." }
        table {
            caption { "Leavers by reason" }
            thead { tr { th scope="col" { "Reason" } th scope="col" { "Leavers" } } }
            tbody { @for (r, n) in &reasons { tr { th scope="row" { (r) } td { (count(&viewer, *n)) } } } }
        }
        table {
            caption { "Leavers by destination" }
            thead { tr { th scope="col" { "Went to" } th scope="col" { "Leavers" } } }
            tbody { @for (d, n) in &destinations { tr { th scope="row" { (d) } td { (count(&viewer, *n)) } } } }
        }
        table {
            caption { "Leavers by length of unbroken service" }
            thead { tr { th scope="col" { "Service at leaving" } th scope="col" { "Leavers" } } }
            tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(service) { tr { th scope="row" { (label) } td { (count(&viewer, n)) } } } }
        }
        @if qualified_known > 0 {
            table {
                caption { "Leavers by time since qualifying (" (qualified_known) " whose qualification date is known)" }
                thead { tr { th scope="col" { "Qualified" } th scope="col" { "Leavers" } } }
                tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(qualified) { tr { th scope="row" { (label) } td { (count(&viewer, n)) } } } }
            }
        }
        table {
            caption { "Moves between teams in the 12 months to " (date) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Moved in" } th scope="col" { "Moved out" } } }
            tbody {
                @for g in &by_team {
                    @if g.moves.moves_in_headcount + g.moves.moves_out_headcount > 0 {
                        tr { th scope="row" { (g.group.clone().unwrap_or_default()) } td { (count(&viewer, g.moves.moves_in_headcount)) } td { (count(&viewer, g.moves.moves_out_headcount)) } }
                    }
                }
            }
        }
        p.note { "A leaver is an employed social worker whose employment ended and who was not employed the next day, as DfE counts them." }
    };
    page("Turnover and leavers", Some(&viewer), body).into_response()
}

pub async fn absence(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(filter): Query<DateFilter>,
) -> Response {
    let (wf, date) = match workforce_at(&state, &viewer, &filter, "Absence").await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let cal = &state.calendar;
    let threshold = state.settings.long_term_days;
    let period = Period::twelve_months_to(date);
    let months = sickness::sickness_by_month(&wf, cal, period.start, date, threshold);
    let by_team = indicators_by(&wf, cal, period, Grouping::Team);
    let long = sickness::long_term_on(&wf, cal, date, threshold);
    // Who is off sick is health data: names only for those who may see the person.
    let named: Vec<_> = long
        .iter()
        .filter(|a| {
            let teams: Vec<&str> = wf.spells_of(a.person).iter().map(|s| wf.team_name(s.team)).collect();
            viewer.may_see_person_in(&teams)
        })
        .collect();
    if !named.is_empty() {
        let detail = format!("long-term sickness on {date}: {} people", named.len());
        if let Err(e) = state.store.audit(&viewer.user.name, "view absence", &detail).await {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the audit log could not be written, so nothing is shown: {e}"),
            )
                .into_response();
        }
    }
    let bars: Vec<(String, Vec<f64>)> =
        months.iter().map(|m| (m.month.format("%b %Y").to_string(), vec![m.short_term, m.long_term])).collect();
    let (short, long_days): (f64, f64) =
        months.iter().fold((0.0, 0.0), |(s, l), m| (s + m.short_term, l + m.long_term));
    let summary = format!(
        "In the 12 months to {date}, {} working days were lost to sickness: {} in short-term episodes and {} in long-term ones (over {} working days).",
        one(short + long_days), one(short), one(long_days), threshold
    );
    let member = viewer.user.role == Role::Member;
    let body = html! {
        h1 { "Absence" }
        (date_form("/absence", date))
        (PreEscaped(stacked_bars("months", "Working days lost to sickness by month", &summary, &["Short-term", "Long-term"], &bars)))
        table {
            caption { "Working days lost to sickness by month" }
            thead { tr { th scope="col" { "Month" } th scope="col" { "Short-term" } th scope="col" { "Long-term" } } }
            tbody { @for m in &months { tr { th scope="row" { (m.month.format("%B %Y")) } td { (one(m.short_term)) } td { (one(m.long_term)) } } } }
        }
        h2 { "By team, 12 months to " (date) }
        table {
            caption { "Working days lost and absence rate by team (social workers in post at the date)" }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Days lost" } th scope="col" { "Absence rate (FTE) %" } } }
            tbody {
                @for g in by_team.iter().filter(|g| g.indicators.inpost_headcount > 0) {
                    tr {
                        th scope="row" { (g.group.clone().unwrap_or_default()) }
                        @if member && g.indicators.inpost_headcount < 5 { td colspan="2" { "c (fewer than 5 people)" } }
                        @else { td { (one(g.indicators.working_days_lost_fte)) } td { (rate(g.indicators.absence_rate_fte)) } }
                    }
                }
            }
        }
        h2 { "Long-term sickness on " (date) }
        p { (count(&viewer, long.len() as u32)) " people are off sick long-term." }
        @if !named.is_empty() {
            table {
                caption { "Long-term sickness episodes covering " (date) " that you may see" }
                thead { tr { th scope="col" { "Person" } th scope="col" { "Team" } th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "Working days" } } }
                tbody {
                    @for a in &named {
                        @let team = wf.spells_of(a.person).iter().rev().find(|s| s.covers(date)).or(wf.spells_of(a.person).last()).map(|s| wf.team_name(s.team)).unwrap_or("");
                        tr { td { (wf.person(a.person).id) } td { (team) } td { (a.start) } td { (a.end) } td { (one(sickness::episode_working_days(a, cal))) } }
                    }
                }
            }
        }
        p.note { "Days lost follow DfE's rule: working days (Monday to Friday, not bank holidays) of sickness episodes, or the days the HR system recorded, prorated across months." }
    };
    page("Absence", Some(&viewer), body).into_response()
}
