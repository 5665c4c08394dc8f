//! The overview: the authority's (or a team's or service's) headline
//! figures for the 12 months to a date beside the year before, progress
//! against its targets, and the trend by census year.

use crate::error::Error;
use crate::filter::Filter;
use crate::filter::{scope_form, Scope};
use crate::layout::respond;
use crate::layout::{count, gaps_banner, one, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};
use sightline_core::calendar::a_year_before;
use sightline_core::coverage::{Coverage, Gap};
use sightline_core::published::field_label;
use sightline_core::words::long_date;
use sightline_core::{indicators, indicators_by, Grouping, Indicators, Period, TargetStatus, Workforce};
use sightline_report::chart::line_chart;
use sightline_store::{Role, SetTarget};
use std::collections::BTreeSet;

/// The figures for `period` in a scope, rounded, and those a member may not
/// see (by the core's disclosure rule, over the scope's whole breakdown:
/// every team, or every service, so that no total gives one back).
fn figures(
    calendar: &sightline_core::Calendar,
    wf: &Workforce,
    period: Period,
    scope: Scope<'_>,
    groups: &sightline_core::TeamGroups,
    member: bool,
) -> (Indicators, BTreeSet<&'static str>) {
    let pick = |all: Vec<sightline_core::GroupIndicators>, name: &str| {
        let rounded: Vec<Indicators> = all.iter().map(|g| g.indicators.rounded()).collect();
        let hidden = if member { hidden(&rounded) } else { vec![BTreeSet::new(); rounded.len()] };
        match all.iter().position(|g| g.group.as_deref() == Some(name)) {
            Some(i) => (rounded.get(i).cloned().unwrap_or_default(), hidden.get(i).cloned().unwrap_or_default()),
            None => (indicators(&Workforce::default(), calendar, period).rounded(), BTreeSet::new()),
        }
    };
    match scope {
        Scope::Authority => {
            let i = indicators(wf, calendar, period).rounded();
            let h = if member { hidden(std::slice::from_ref(&i)).remove(0) } else { BTreeSet::new() };
            (i, h)
        }
        Scope::Team(t) => pick(indicators_by(wf, calendar, period, Grouping::Team), t),
        Scope::Service(s) => pick(sightline_core::indicators_by_team_groups(wf, calendar, period, groups), s),
    }
}

/// The glossary's entry for an indicator field.
pub(crate) fn glossary_link(field: &str) -> &'static str {
    match field {
        f if f.starts_with("turnover") => "/glossary#turnover",
        f if f.starts_with("agency") => "/glossary#agency",
        f if f.starts_with("vacancy") => "/glossary#establishment",
        f if f.starts_with("case") => "/glossary#caseload",
        f if f.starts_with("absence") || f.starts_with("working_days") => "/glossary#absence",
        f if f.starts_with("starters") => "/glossary#starters",
        f if f.starts_with("leavers") => "/glossary#leavers",
        _ => "/glossary#in-post",
    }
}

/// What the disclosure rule hides of each of one breakdown's groups.
fn hidden(groups: &[Indicators]) -> Vec<BTreeSet<&'static str>> {
    sightline_core::disclosure::hidden_figures(groups.len(), |g, f| {
        groups.get(g).and_then(|i| i.field(f)).unwrap_or(0.0) as u32
    })
}

/// A figure to one decimal place, "no data" for a period its records do
/// not cover, `c` when hidden, `-` when not defined.
fn shown(i: &Indicators, hidden: &BTreeSet<&'static str>, f: &str, gap: Option<&Gap>) -> String {
    if gap.is_some() {
        return "no data".to_string();
    }
    if hidden.contains(f) {
        return "c".to_string();
    }
    i.field(f).map_or("-".to_string(), one)
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

/// The overview: headline figures for the authority, a team or a service,
/// against the year before, the targets, and the trend by census year.
pub async fn overview(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Overview", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let services = state.store.services().await.unwrap_or_default();
    let groups = sightline_core::TeamGroups::by_service(
        wf.teams(),
        &services,
        sightline_core::Unassigned::Together("Other teams"),
    );
    // Every group but the last, "Other teams".
    let service_names: Vec<String> =
        groups.names.get(..groups.names.len().saturating_sub(1)).unwrap_or_default().to_vec();
    // A manager starts on their own team (the first of them), and may choose "All teams".
    let mine = viewer.user.teams.iter().find(|t| wf.teams().contains(t)).filter(|_| viewer.user.role == Role::Manager);
    let scope = match (filter.scope_given, mine) {
        (false, Some(team)) => Scope::Team(team.as_str()),
        _ => filter.scope(wf.teams(), &service_names)?,
    };
    let before = a_year_before(date);
    let member = viewer.is_member();
    // The trend: every census year from the first with anyone in post to the one the date falls in.
    // From the first census year the employment records cover whole: no
    // trend drawn from years before the records were kept.
    let first_year = coverage.first_census_year().unwrap_or(i32::MAX);
    let last_year = Period::census_year_of(date);
    let years: Vec<i32> = (first_year..=last_year).collect();
    // A dozen periods, by team or service: heavy work, off the server's threads.
    let owned = match scope {
        Scope::Authority => (0, String::new()),
        Scope::Team(t) => (1, t.to_string()),
        Scope::Service(s) => (2, s.to_string()),
    };
    let key = format!(
        "overview {date} {owned:?} member {member} years {years:?} services {:?} {:?}",
        groups.names, groups.of_team
    );
    let (all, calendar, by, for_years) = (wf.clone(), state.calendar.clone(), groups.clone(), years.clone());
    let kept = state
        .kept(generation, key, move || {
            let scope = match owned.0 {
                1 => Scope::Team(&owned.1),
                2 => Scope::Service(&owned.1),
                _ => Scope::Authority,
            };
            let at = |p: Period| figures(&calendar, &all, p, scope, &by, member);
            let yearly: Vec<(Indicators, BTreeSet<&'static str>)> =
                for_years.iter().map(|y| at(Period::census_year(*y))).collect();
            (at(Period::twelve_months_to(date)), at(Period::twelve_months_to(before)), yearly)
        })
        .await?;
    let ((now, now_hidden), (then, then_hidden), yearly) = &*kept;
    // Targets on development figures are shown on the Development page, plans of starts on the Recruitment page.
    let mut targets = state.store.targets().await.unwrap_or_default();
    targets.retain(|t| {
        !sightline_core::development::is_field(&t.target.figure)
            && !sightline_core::recruitment::is_plan_field(&t.target.figure)
    });
    let (period_now, period_then) = (Period::twelve_months_to(date), Period::twelve_months_to(before));
    let gap_now = |f: &str| coverage.gap_for(period_now, f);
    let gap_then = |f: &str| coverage.gap_for(period_then, f);
    let no_data: BTreeSet<String> = HEADLINES
        .iter()
        .chain(COUNTS.iter())
        .flat_map(|f| [gap_now(f), gap_then(f)])
        .flatten()
        .map(|g| g.words())
        .collect();
    Ok(html! {
        h1 {
            "Overview"
            @match scope { Scope::Team(t) | Scope::Service(t) => { ": " (t) } Scope::Authority => {} }
        }
        (scope_form("/", date, wf.teams(), &service_names, scope))
        (gaps_banner(viewer, &gaps, date))
        (targets_table(&targets, now, now_hidden, date))
        h2 { "The 12 months to " (long_date(date)) ", and a year before" }
        table {
            caption { "Headline figures, as DfE defines them (FTE unless stated)" }
            thead { tr { th scope="col" { "Figure" } th scope="col" { "12 months to " (long_date(date)) } th scope="col" { "12 months to " (long_date(before)) } } }
            tbody {
                @for f in HEADLINES {
                    tr {
                        th scope="row" { a href=(glossary_link(f)) { (field_label(f)) } }
                        td { (shown(now, now_hidden, f, gap_now(f).as_ref())) }
                        td { (shown(then, then_hidden, f, gap_then(f).as_ref())) }
                    }
                }
                @for f in COUNTS {
                    @let n = |i: &Indicators, h: &BTreeSet<&'static str>, gap: Option<Gap>| if gap.is_some() { "no data".to_string() } else if h.contains(f) { "c".to_string() } else { count(viewer, i.field(f).unwrap_or(0.0) as u32) };
                    tr { th scope="row" { a href=(glossary_link(f)) { (field_label(f)) } } td { (n(now, now_hidden, gap_now(f))) } td { (n(then, then_hidden, gap_then(f))) } }
                }
            }
        }
        @if !no_data.is_empty() {
            div.no-data {
                p { strong { "No data" } " is shown where the records do not cover the whole 12 months:" }
                ul { @for reason in &no_data { li { (reason) "." } } }
            }
        }
        @if viewer.user.role == Role::Member {
            p.note { "c: fewer than 5 people, or a figure from which such a number could be worked out. Counts under 5 are not shown, as DfE does, so that no one can be identified. " a href="/glossary#suppressed" { "More about c" } }
        }
        @if years.is_empty() {
            h2 { "Trend by census year" }
            p.no-data { "No census year (1 October to 30 September) is covered whole by the employment records yet, so there is no trend to draw." }
        } @else {
            (trend(&years, yearly, &coverage))
        }
    })
}

/// Each of the authority's targets against the figure for the 12 months to `date`.
fn targets_table(targets: &[SetTarget], now: &Indicators, hidden: &BTreeSet<&'static str>, date: NaiveDate) -> Markup {
    html! {
        @if !targets.is_empty() {
            table {
                caption { "Targets, against the 12 months to " (long_date(date)) }
                thead { tr { th scope="col" { "Target" } th scope="col" { "By" } th scope="col" { "Now" } th scope="col" { "Status" } } }
                tbody {
                    @for t in targets.iter().map(|t| &t.target) {
                        @let figure = if hidden.contains(t.figure.as_str()) { None } else { now.field(&t.figure) };
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
    }
}

/// Turnover, agency and vacancy rates by census year, as a chart and a
/// table; a rate a member may not see is a gap in the chart and `c` in the table.
fn trend(years: &[i32], yearly: &[(Indicators, BTreeSet<&'static str>)], coverage: &Coverage) -> Markup {
    const RATES: [&str; 3] = ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"];
    let gap = |k: usize, f: &str| years.get(k).and_then(|y| coverage.gap_for(Period::census_year(*y), f));
    let value = |k: usize, f: &str| {
        let (i, hidden) = yearly.get(k)?;
        if hidden.contains(f) || gap(k, f).is_some() {
            None
        } else {
            i.field(f)
        }
    };
    let text = |k: usize, f: &str| match yearly.get(k) {
        _ if gap(k, f).is_some() => "no data".to_string(),
        Some((_, hidden)) if hidden.contains(f) => "c".to_string(),
        Some((i, _)) => rate(i.field(f)),
        None => "-".to_string(),
    };
    let x: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let series = [
        ("Turnover (FTE) %", (0..years.len()).map(|k| value(k, RATES[0])).collect()),
        ("Agency rate (FTE) %", (0..years.len()).map(|k| value(k, RATES[1])).collect()),
        ("Vacancy rate (FTE) %", (0..years.len()).map(|k| value(k, RATES[2])).collect()),
    ];
    let last = years.len().saturating_sub(1);
    let summary = match (years.first(), years.last()) {
        (Some(ya), Some(yb)) if ya != yb => format!(
            "From the census year {ya} to {yb}, turnover went from {} to {}, the agency rate from {} to {}, and the vacancy rate from {} to {}.",
            text(0, RATES[0]), text(last, RATES[0]), text(0, RATES[1]), text(last, RATES[1]), text(0, RATES[2]), text(last, RATES[2])
        ),
        _ => "One census year of data.".to_string(),
    };
    html! {
        h2 { "Trend by census year" }
        (PreEscaped(line_chart("trend", "Turnover, agency and vacancy rates by census year", &summary, &x, &series, "%")))
        table {
            caption { "The chart's figures" }
            thead { tr { th scope="col" { "Census year" } th scope="col" { "Turnover (FTE) %" } th scope="col" { "Agency rate (FTE) %" } th scope="col" { "Vacancy rate (FTE) %" } } }
            tbody {
                @for (k, y) in years.iter().enumerate() {
                    tr { th scope="row" { (y) } td { (text(k, RATES[0])) } td { (text(k, RATES[1])) } td { (text(k, RATES[2])) } }
                }
            }
        }
    }
}
