//! "Compared" (served at `/benchmark`): the authority against its
//! statistical neighbours, region and England: the published figures over
//! time, this year's spread across all authorities, the neighbour table,
//! and the authority's own current figures.

use crate::error::Error;
use crate::layout::{gaps_banner, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use sightline_core::benchmark::{benchmark, Benchmark};
use sightline_core::published::{field_label, Cell, Level};
use sightline_core::words::long_date;
use sightline_core::{indicators, Period};
use sightline_report::chart::{line_chart, strip};

const SHOWN: [&str; 5] =
    ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "absence_rate_fte"];

fn one(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.1}"))
}

fn cell(c: Cell) -> String {
    match c {
        Cell::Number(x) => format!("{x:.1}"),
        other => other.to_string(),
    }
}

/// The comparison page.
pub async fn compared(State(state): State<Shared>, viewer: Viewer) -> Response {
    respond(&viewer, "Compared", view(&state, &viewer).await)
}

async fn view(state: &AppState, viewer: &Viewer) -> Result<Markup, Error> {
    let Some(la) = state.settings.la.as_deref() else {
        return Ok(html! {
            h1 { "Compared with other authorities" }
            p { "Sightline has not been told which council this is, so it cannot set the council's figures beside other councils'. The administrator names the council when starting Sightline (see the user guide, \"How do we compare?\")." }
        });
    };
    let published = &state.published;
    let model = &state.neighbours;
    let latest = published.authority(la).iter().map(|r| r.time_period).max();
    let year = latest.ok_or_else(|| Error::not_found(format!("No published figures for {la}")))?;
    // The authority's own figures beside the published ones only for 12
    // months its employment records cover whole.
    let covered = state.covered_workforce_at(None).await;
    // The published figures are the server's for as long as it runs: the
    // comparison and its charts are worked out once (kept with the data's generation).
    let generation = covered.as_ref().map_or(0, |c| c.0);
    let work = async {
        let b = benchmark(published, model, la, year).map_err(Error::not_found)?;
        let charts = turnover_charts(state, la, &b);
        Ok((b, charts))
    };
    let kept = state.kept_from(generation, format!("benchmark {la} {year}"), work).await?;
    let (b, charts) = (&kept.0, &kept.1);
    let (own, gaps) = match covered {
        Ok((generation, wf, date, coverage)) if coverage.gap_for_year(Period::twelve_months_to(date)).is_none() => {
            let (all, calendar) = (wf.clone(), state.calendar.clone());
            let own = state
                .kept(generation, format!("authority {date}"), move || {
                    indicators(&all, &calendar, Period::twelve_months_to(date)).rounded()
                })
                .await?;
            (Some((date, own)), gaps_banner(viewer, &state.gaps(generation, &wf, date), date))
        }
        _ => (None, html! {}),
    };
    let entry = |f: &str| b.entries.iter().find(|e| e.field == f);
    Ok(html! {
        h1 { "Compared with other authorities" }
        (gaps)
        p { (b.la_name) ", " (b.region_name) ". Published figures for census year " (year) "; neighbours from the " (b.model) "." }
        table {
            caption { "The authority beside its neighbours, region and England" }
            thead {
                tr {
                    th scope="col" { "Figure" }
                    @if let Some((date, _)) = &own { th scope="col" { "Own data, 12 months to " (long_date(*date)) } }
                    th scope="col" { "Published " (year) }
                    th scope="col" { "Neighbours' median" }
                    th scope="col" { (b.region_name) }
                    th scope="col" { "England" }
                    th scope="col" { "Rank (1 = lowest)" }
                }
            }
            tbody {
                @for (f, e) in SHOWN.iter().filter_map(|f| entry(f).map(|e| (f, e))) {
                    tr {
                        th scope="row" { (field_label(f)) }
                        @if let Some((_, i)) = &own { td { (one(i.field(f))) } }
                        td { (cell(e.value)) }
                        td { (one(e.sn_median)) }
                        td { (one(e.region)) }
                        td { (one(e.england)) }
                        td { (e.rank.map_or("-".to_string(), |r| format!("{r} of {}", e.of))) }
                    }
                }
            }
        }
        (charts)
        @if let Some((date, figures)) = &own {
            @let targets = sightline_core::benchmark::to_reach_median(b, Some((*date, figures)));
            @if !targets.is_empty() {
                h2 { "To reach the neighbours' median" }
                table {
                    caption { "From the authority's own figures for the 12 months to " (long_date(*date)) ", everything else as it is" }
                    thead { tr { th scope="col" { "Figure" } th scope="col" { "Change" } th scope="col" { "Of" } } }
                    tbody { @for t in &targets { tr { th scope="row" { (field_label(t.field)) } td { (format!("{:+.1}", t.change)) } td { (t.measure) } } } }
                }
            }
        }
        (neighbours(b))
        @for note in &b.notes { p.note { (note) } }
    })
}

/// Turnover over the published years (the authority, its neighbours' median
/// and England), and this year's spread across every authority.
fn turnover_charts(state: &AppState, la: &str, b: &Benchmark) -> Markup {
    let (published, model, year) = (&state.published, &state.neighbours, b.year);
    // The trend: the authority, its neighbours' median and England for each published year.
    let years: Vec<i32> = b.entries.first().map_or_else(Vec::new, |e| e.series.iter().map(|(y, _)| *y).collect());
    let yearly: Vec<_> = years.iter().filter_map(|y| benchmark(published, model, la, *y).ok()).collect();
    let turnover = |f: &dyn Fn(&sightline_core::benchmark::Entry) -> Option<f64>| -> Vec<Option<f64>> {
        yearly.iter().map(|b| b.entries.iter().find(|e| e.field == "turnover_rate_fte").and_then(f)).collect()
    };
    let x: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let series = [
        (b.la_name.as_str(), turnover(&|e| e.value.number())),
        ("Neighbours' median", turnover(&|e| e.sn_median)),
        ("England", turnover(&|e| e.england)),
    ];
    let Some(t) = b.entries.iter().find(|e| e.field == "turnover_rate_fte") else {
        return html! {};
    };
    let summary = format!(
        "In {year}, turnover was {} for {}, {} for its neighbours' median and {} for England; rank {} of {} (1 is the lowest).",
        cell(t.value),
        b.la_name,
        one(t.sn_median),
        one(t.england),
        t.rank.map_or("-".to_string(), |r| r.to_string()),
        t.of
    );
    let all: Vec<f64> = published
        .rows
        .iter()
        .filter(|r| r.time_period == year && r.level == Level::LocalAuthority)
        .filter_map(|r| r.number("turnover_rate_fte"))
        .collect();
    html! {
    (PreEscaped(line_chart("peers", "Turnover (FTE) % by census year", &summary, &x, &series, "%")))
    @if let Some(v) = t.value.number() {
        (PreEscaped(strip("spread", &format!("Turnover (FTE) % of every authority in {year}"), &format!("{} authorities; {} at {v:.1}", all.len(), b.la_name), &all, v, &b.la_name)))
    }
    }
}

/// Each neighbour's published figures.
fn neighbours(b: &Benchmark) -> Markup {
    let year = b.year;
    html! {
    h2 { "The neighbours" }
    table {
        caption { "Each neighbour's published figures for " (year) }
        thead { tr { th scope="col" { "Authority" } th scope="col" { "Closeness" } @for f in SHOWN { th scope="col" { (field_label(f)) } } } }
        tbody {
            @for n in &b.neighbours {
                tr {
                    th scope="row" { (n.name) }
                    td { (n.closeness) }
                    @for f in SHOWN { td { (n.row.as_ref().map_or("-".to_string(), |r| cell(r.cell(f)))) } }
                }
            }
        }
    }
    }
}
