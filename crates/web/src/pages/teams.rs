//! The staffing position by team.

use crate::error::Error;
use crate::filter::date_form;
use crate::filter::Filter;
use crate::layout::respond;
use crate::layout::{c_note, counts_shown, gaps_banner, one};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::words::long_date;
use sightline_core::{staffing_by_team, Period};
use sightline_report::chart::stacked_bars;
use sightline_store::Role;

/// The staffing position by team: establishment, permanent, fixed-term,
/// agency and vacant FTE, caseloads and ASYEs.
pub async fn teams(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Teams", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    // Funded posts not recorded on the date: no establishment or vacancies, never 0.
    let est_gap = coverage.gap_for(Period::twelve_months_to(date), "vacancy_fte");
    // Twelve months by team: heavy work, off the server's threads.
    let all = wf.clone();
    let kept = state
        .kept(generation, format!("teams {date}"), move || {
            (staffing_by_team(&all, date), sightline_core::asyes_at(&all, date))
        })
        .await?;
    let (staffing, asyes) = &*kept;
    // Every team's figures, shared with the other pages of the date.
    let by_team = &*state.by_team(generation, &wf, Period::twelve_months_to(date)).await?;
    let member = viewer.user.role == Role::Member;
    let settings = &state.settings;
    let shown: Vec<_> = staffing
        .iter()
        .zip(by_team)
        .filter(|(s, _)| s.establishment_fte > 0.0 || s.employed_fte() + s.agency_fte > 0.0)
        .collect();
    // For members, the FTE of permanent, fixed-term or agency staff in a
    // team rests on how many they are: the core's rule says which to hide
    // (with a second cell where one alone would be worked out from a total).
    let counts: Vec<Vec<u32>> = shown.iter().map(|(s, _)| s.headcount.to_vec()).collect();
    let suppressed = sightline_core::disclosure::hidden_in_columns(&counts);
    let rows: Vec<_> = shown
        .iter()
        .enumerate()
        .map(|(r, (s, g))| {
            let hide: [bool; 3] =
                std::array::from_fn(|k| member && suppressed.get(r).and_then(|c| c.get(k)).copied().unwrap_or(true));
            let people = g.indicators.inpost_headcount + g.indicators.agency_headcount;
            (*s, g.indicators.caseload_fte, member && people < 5, hide)
        })
        .collect();
    let bars: Vec<(String, Vec<f64>)> = rows
        .iter()
        .filter(|(_, _, hidden, hide)| !hidden && !hide.iter().any(|h| *h))
        .map(|(s, _, _, _)| (s.team.clone(), s.bar().to_vec()))
        .collect();
    let total = |f: fn(&sightline_core::TeamStaffing) -> f64| staffing.iter().map(f).sum::<f64>();
    let all = |k: usize| staffing.iter().map(|s| s.headcount.get(k).copied().unwrap_or(0)).sum::<u32>();
    let total_of = |k: usize, v: f64| {
        if member && sightline_core::disclosure::is_disclosive(all(k)) {
            "c".to_string()
        } else {
            one(v)
        }
    };
    let cover_hidden = member && sightline_core::disclosure::is_disclosive(all(2));
    let vacant_hidden = member && (0..2).any(|k| sightline_core::disclosure::is_disclosive(all(k)));
    let summary = format!(
        "Across all teams: {} FTE funded, {} permanent, {} fixed-term, {} agency ({} of it covering vacancies), {} vacant.",
        one(total(|s| s.establishment_fte)),
        total_of(0, total(|s| s.permanent_fte)),
        total_of(1, total(|s| s.fixed_term_fte)),
        total_of(2, total(|s| s.agency_fte)),
        if cover_hidden { "c".to_string() } else { one(total(|s| s.agency_cover_fte)) },
        if vacant_hidden { "c".to_string() } else { one(total(|s| s.vacant_fte)) },
    );
    let some_left_out = rows.iter().any(|(_, _, hidden, hide)| *hidden || hide.iter().any(|h| *h));
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
        @if let Some(gap) = &est_gap {
            p.no-data { "No data on funded posts for " (long_date(date)) ": " (gap.words()) ". Establishment and vacancies are left out." }
        }
        @if est_gap.is_some() {
        } @else if bars.is_empty() || (member && bars.len() * 2 < rows.len()) {
            p.no-data { "There is no chart of each team's staffing: drawn, most teams' bars would show numbers of people under 5. The table gives what can be shown." }
        } @else {
            (PreEscaped(stacked_bars("staffing", &format!("Staffing by team at {}", long_date(date)), "Each team's establishment as it is filled: permanent, fixed-term and agency covering vacancies, what is left vacant, and agency over the establishment. The table below gives the figures.", &sightline_core::staffing::BAR_PARTS, &bars, "FTE (full-time equivalent)")))
        }
        table {
            caption { "Staffing position by team at " (long_date(date)) " (FTE)" }
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
            // ASYEs by team, a breakdown of the authority's: a second count
            // goes where one alone could be worked out.
            @let asye_counts: Vec<u32> = rows.iter().map(|(s, _, _, _)| asyes.iter().filter(|a| wf.team_name(a.team) == s.team).count() as u32).collect();
            @let asye_shown = counts_shown(viewer, &asye_counts);
            tbody {
                @for ((s, caseload, hidden, hide), asye_text) in rows.iter().zip(&asye_shown) {
                    tr {
                        th scope="row" { (s.team) }
                        @let team_asyes: Vec<_> = asyes.iter().filter(|a| wf.team_name(a.team) == s.team).collect();
                        @let cell = |h: bool, v: f64| if h { "c".to_string() } else { one(v) };
                        @let any = hide.iter().any(|h| *h);
                        @if *hidden {
                            td colspan="9" { "c (fewer than 5 people)" }
                        } @else {
                            td { @if est_gap.is_some() { "no data" } @else { (one(s.establishment_fte)) } }
                            td { (cell(hide[0], s.permanent_fte)) }
                            td { (cell(hide[1], s.fixed_term_fte)) }
                            td { (cell(hide[2] || hide[0] || hide[1], s.agency_cover_fte)) }
                            td { (cell(hide[2] || hide[0] || hide[1], s.agency_over_establishment_fte)) }
                            td { @if est_gap.is_some() { "no data" } @else { (cell(hide[0] || hide[1], s.vacant_fte)) } }
                            td { @if any { "c" } @else { (caseload.map_or("-".to_string(), one)) (flag(*caseload)) } }
                            td { (asye_text) }
                            td {
                                @if team_asyes.is_empty() || (member && asye_text == "c") { "-" }
                                @else { (one(team_asyes.iter().map(|a| f64::from(a.cases)).sum::<f64>() / team_asyes.len() as f64)) }
                            }
                        }
                    }
                }
            }
        }
        @if some_left_out { (c_note(viewer)) }
        p.note {
            "Cases per FTE is flagged high above " (settings.caseload_high) " and very high above " (settings.caseload_very_high) ". "
            "A vacancy is funded FTE not filled by an employed social worker; agency FTE covers vacancies up to their size, and the rest is over establishment. "
            "ASYEs (newly qualified social workers in their assessed and supported year in employment) are employed social workers who qualified in the 12 months to the date; their caseloads should be protected. A \"-\" is a figure that cannot be worked out, such as cases per ASYE in a team with none. "
            a href="/glossary" { "What each figure means" }
        }
    };
    Ok(body)
}
