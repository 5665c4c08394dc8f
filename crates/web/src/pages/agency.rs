//! Agency use.

use crate::error::Error;
use crate::filter::date_form;
use crate::filter::Filter;
use crate::layout::respond;
use crate::layout::{count, gaps_banner, one, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::{agency, indicators_by, Grouping, Period};
use sightline_report::chart::stacked_bars;
use sightline_store::Role;

/// Agency use: the rate by team, assignments by length, and conversions to permanent.
pub async fn agency(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Agency", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let period = Period::twelve_months_to(date);
    let by_team = indicators_by(&wf, &state.calendar, period, Grouping::Team);
    let assignments = agency::assignments_at(&wf, date);
    let bands = agency::count_by_band(&assignments);
    let conversions = agency::conversions(&wf, period).len() as u32;
    let member = viewer.user.role == Role::Member;
    let listed: Vec<_> =
        by_team.iter().filter(|g| g.indicators.agency_headcount + g.indicators.inpost_headcount > 0).collect();
    // For members, the core's rule over every team: agency FTE and rates
    // rest on how many agency workers (and employees) there are.
    let hidden = sightline_core::disclosure::hidden_figures(listed.len(), |g, f| {
        listed.get(g).and_then(|x| x.indicators.field(f)).unwrap_or(0.0) as u32
    });
    let teams: Vec<_> = listed
        .iter()
        .zip(&hidden)
        .map(|(g, h)| {
            (
                g.group.clone().unwrap_or_default(),
                g.indicators.agency_rate_fte,
                g.indicators.agency_fte,
                member && g.indicators.agency_headcount + g.indicators.inpost_headcount < 5,
                member && (h.contains("agency_rate_fte") || h.contains("agency_fte")),
            )
        })
        .collect();
    // Bands of a total that is shown: a lone hidden band takes another with it.
    let banded = sightline_core::disclosure::suppress(&[bands.to_vec()]);
    let band_text = |k: usize| match banded.cells.first().and_then(|r| r.get(k)).copied().flatten() {
        Some(n) => n.to_string(),
        None if member => "c".to_string(),
        None => bands.get(k).copied().unwrap_or(0).to_string(),
    };
    let x: Vec<String> = agency::LENGTH_BANDS.iter().map(|b| b.to_string()).collect();
    let summary = format!(
        "At {date}, {} agency assignments: {} up to 26 weeks, {} of 27 to 52 weeks, {} over 52 weeks.",
        count(viewer, assignments.len() as u32),
        band_text(0),
        band_text(1),
        band_text(2)
    );
    let bars: Vec<(String, Vec<f64>)> = if member && bands.iter().any(|b| *b < 5) {
        Vec::new()
    } else {
        x.iter().zip(bands).map(|(label, n)| (label.clone(), vec![f64::from(n)])).collect()
    };
    let body = html! {
        h1 { "Agency" }
        (date_form("/agency", date))
        (gaps_banner(viewer, &gaps, date))
        h2 { "Agency rate by team" }
        table {
            caption { "Agency FTE as a share of agency and employed FTE, at " (date) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Agency rate (FTE) %" } th scope="col" { "Agency FTE" } } }
            tbody {
                @for (team, rate_fte, fte, hidden, agency_hidden) in &teams {
                    tr {
                        th scope="row" { (team) }
                        @if *hidden { td colspan="2" { "c (fewer than 5 people)" } }
                        @else if *agency_hidden { td { "c" } td { "c" } }
                        @else { td { (rate(*rate_fte)) } td { (one(*fte)) } }
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
            tbody { @for (k, label) in x.iter().enumerate() { tr { th scope="row" { (label) } td { (band_text(k)) } } } }
        }
        // Single assignments are records about people: not for members.
        @if !member {
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
        }
        h2 { "Agency to permanent" }
        p { "In the 12 months to " (date) ", " (count(viewer, conversions)) " people who had worked here through an agency in the year before joined as employees." }
        p.note { "An assignment is a run of one person's agency spells with no day between them. A conversion is a starter who worked here through an agency in the 12 months before starting." }
    };
    Ok(body)
}
