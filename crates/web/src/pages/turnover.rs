//! Turnover and leavers.

use crate::error::Error;
use crate::filter::date_form;
use crate::filter::Filter;
use crate::layout::respond;
use crate::layout::{count, counts_shown, gaps_banner, rate};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::words::long_date;
use sightline_core::{indicators_by, leavers, Grouping, Period};
use sightline_report::chart::line_chart;

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

/// Rolling turnover, and leavers by reason, destination, service and time since qualifying.
pub async fn turnover(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> Response {
    respond(&viewer, "Turnover and leavers", view(&state, &viewer, &filter).await)
}

async fn view(state: &AppState, viewer: &Viewer, filter: &Filter) -> Result<Markup, Error> {
    let (generation, wf, date, coverage) = state.covered_workforce_at(filter.date).await?;
    let gaps = state.gaps(generation, &wf, date);
    let period = Period::twelve_months_to(date);
    let year_gap = coverage.gap_for_year(period);
    // Rolling turnover at each month end to the date, from the first month
    // whose 12 months the employment records cover whole: none drawn before.
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let covered_from = coverage.from.get(&sightline_core::coverage::Records::Employment).copied().unwrap_or(date);
    let series = state
        .turnover_series(generation, date, move || {
            let mut from = sightline_core::calendar::month_end(covered_from);
            while Period::twelve_months_to(from).start < covered_from && from < date {
                from = sightline_core::calendar::month_end(sightline_core::calendar::next_day(from));
            }
            if Period::twelve_months_to(from.min(date)).start < covered_from {
                return (Vec::new(), Vec::new());
            }
            let months = sightline_core::monthly_series(&all, &calendar, from.min(date), date, Grouping::Authority);
            (
                months.iter().map(|(p, _)| p.end.format("%b %Y").to_string()).collect(),
                months.iter().map(|(_, g)| g.first().and_then(|g| g.indicators.rounded().turnover_rate_fte)).collect(),
            )
        })
        .await?;
    let (x, values) = (&series.0, &series.1);
    let leavers = leavers::leavers_in(&wf, period);
    let reasons = leavers::count_by_reason(&leavers);
    let destinations = leavers::count_by_destination(&leavers);
    let mut service = [0u32; YEAR_BANDS.len()];
    let mut qualified = [0u32; YEAR_BANDS.len()];
    let mut qualified_known = 0;
    for l in &leavers {
        if let Some(n) = service.get_mut(year_band(l.years_of_service())) {
            *n += 1;
        }
        if let Some(q) = wf.person(l.person).qualification_date {
            if let Some(n) = qualified.get_mut(year_band(leavers::whole_years(q, l.date))) {
                *n += 1;
            }
            qualified_known += 1;
        }
    }
    let by_team = indicators_by(&wf, &state.calendar, period, Grouping::Team);
    let moves: u32 = by_team.iter().map(|g| g.moves.moves_out_headcount).sum();
    let summary = match (values.first().copied().flatten(), values.last().copied().flatten()) {
        (Some(a), Some(b)) => {
            let (first, last) = (x.first().cloned().unwrap_or_default(), x.last().cloned().unwrap_or_default());
            format!("Rolling 12-month turnover went from {a:.1}% in {first} to {b:.1}% in {last}.")
        }
        _ => "Not enough data for a trend.".to_string(),
    };
    let body = html! {
        h1 { "Turnover and leavers" }
        (date_form("/turnover", date))
        (gaps_banner(viewer, &gaps, date))
        (PreEscaped(line_chart("rolling", "Rolling 12-month turnover (FTE) by month", &summary, x, &[("Turnover (FTE) %", values.clone())])))
        details {
            summary { "The chart's figures" }
            table {
                caption { "Turnover (FTE) % in the 12 months to each month end" }
                thead { tr { th scope="col" { "Month" } th scope="col" { "Turnover (FTE) %" } } }
                tbody { @for (m, v) in x.iter().zip(values) { tr { th scope="row" { (m) } td { (rate(*v)) } } } }
            }
        }
        h2 { "Leavers in the 12 months to " (long_date(date)) }
        @if let Some(gap) = &year_gap {
            p.no-data { "No data: " (gap.words()) ", so the leavers of the 12 months to " (long_date(date)) " are not all known. Choose a later date." }
        } @else {
        p { (count(viewer, leavers.len() as u32)) " people left the authority's employment. " (count(viewer, moves)) " moves between teams are not leavers and are counted apart." }
        table {
            caption { "Leavers by reason" }
            thead { tr { th scope="col" { "Reason" } th scope="col" { "Leavers" } } }
            @let shown = counts_shown(viewer, &reasons.iter().map(|(_, n)| *n).collect::<Vec<_>>());
            tbody { @for ((r, _), n) in reasons.iter().zip(&shown) { tr { th scope="row" { (r) } td { (n) } } } }
        }
        table {
            caption { "Leavers by destination" }
            thead { tr { th scope="col" { "Went to" } th scope="col" { "Leavers" } } }
            @let shown = counts_shown(viewer, &destinations.iter().map(|(_, n)| *n).collect::<Vec<_>>());
            tbody { @for ((d, _), n) in destinations.iter().zip(&shown) { tr { th scope="row" { (d) } td { (n) } } } }
        }
        table {
            caption { "Leavers by length of unbroken service" }
            thead { tr { th scope="col" { "Service at leaving" } th scope="col" { "Leavers" } } }
            tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(counts_shown(viewer, &service)) { tr { th scope="row" { (label) } td { (n) } } } }
        }
        @if qualified_known > 0 {
            table {
                caption { "Leavers by time since qualifying (" (count(viewer, qualified_known)) " whose qualification date is known)" }
                thead { tr { th scope="col" { "Qualified" } th scope="col" { "Leavers" } } }
                tbody { @for ((label, _, _), n) in YEAR_BANDS.iter().zip(counts_shown(viewer, &qualified)) { tr { th scope="row" { (label) } td { (n) } } } }
            }
        }
        table {
            caption { "Moves between teams in the 12 months to " (long_date(date)) }
            thead { tr { th scope="col" { "Team" } th scope="col" { "Moved in" } th scope="col" { "Moved out" } } }
            @let moved: Vec<_> = by_team.iter().filter(|g| g.moves.moves_in_headcount + g.moves.moves_out_headcount > 0).collect();
            @let ins = counts_shown(viewer, &moved.iter().map(|g| g.moves.moves_in_headcount).collect::<Vec<_>>());
            @let outs = counts_shown(viewer, &moved.iter().map(|g| g.moves.moves_out_headcount).collect::<Vec<_>>());
            tbody {
                @for ((g, i), o) in moved.iter().zip(&ins).zip(&outs) {
                    tr { th scope="row" { (g.group.clone().unwrap_or_default()) } td { (i) } td { (o) } }
                }
            }
        }
        }
        p.note { "A leaver is an employed social worker whose employment ended and who was not employed the next day, as DfE counts them. " a href="/glossary#leavers" { "More about leavers" } }
    };
    Ok(body)
}
