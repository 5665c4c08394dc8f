//! The staffing position by team.

use crate::error::Error;
use crate::filter::date_form;
use crate::filter::Filter;
use crate::layout::respond;
use crate::layout::{count, gaps_banner, one};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::{indicators_by, staffing_by_team, Grouping, Period};
use sightline_report::chart::stacked_bars;
use sightline_store::Role;

/// The staffing position by team: establishment, permanent, fixed-term,
/// agency and vacant FTE, caseloads and ASYEs.
pub async fn teams(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Teams", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
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
        (gaps_banner(viewer, &gaps, date))
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
                            td { (count(viewer, team_asyes.len() as u32)) }
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
    Ok(body)
}
