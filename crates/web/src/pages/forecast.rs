//! The Forecast page: the baseline and a chosen scenario side by side, as
//! fan charts (where 8 in 10 runs fall, and the middle run) and tables, with each target's chance
//! of being met and the cost against the baseline. Scenarios are those
//! shipped with Sightline and any in the folder given to `serve --scenarios`.

use crate::error::Error;
use crate::filter::Query;
use crate::forecast::{scenarios, Forecasted};
use crate::layout::{gaps_banner, respond};
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use sightline_core::words::long_date;
use sightline_core::words::{cost_words, money_short};
use sightline_plan::{Forecast, ForecastTarget, Options, Quantiles, FIGURES};
use sightline_report::chart::fan_chart;

/// Runs on the page: enough for stable P10 and P90, quick to serve.
pub const PAGE_RUNS: u32 = 2000;
pub const PAGE_MONTHS: u32 = 36;

#[derive(Deserialize)]
pub struct ForecastQuery {
    scenario: Option<String>,
}

const SHOWN: [(&str, &str); 4] = [
    ("inpost_fte", "Employed social workers in post (FTE)"),
    ("agency_rate_fte", "Agency rate (FTE) %"),
    ("vacancy_rate_fte", "Vacancy rate (FTE) %"),
    ("turnover_rate_fte", "Turnover (FTE) %, rolling 12 months"),
];

/// The middle run, and where 8 in 10 runs end.
fn q(q: Quantiles) -> String {
    format!("{:.1} ({:.1} to {:.1})", q.p50, q.p10, q.p90)
}

/// The highest P90 of each shown figure in either forecast, for a shared scale.
fn scales(a: &Forecast, b: &Forecast) -> [f64; 4] {
    SHOWN.map(|(figure, _)| {
        [a, b].iter().flat_map(|f| f.months.iter()).filter_map(|m| m.figure(figure)).map(|q| q.p90).fold(0.0, f64::max)
    })
}

fn column(f: &Forecast, prefix: &str, targets: &[ForecastTarget], scale: &[f64; 4]) -> Markup {
    let x: Vec<String> = f.months.iter().map(|m| m.month.short()).collect();
    let by = f.months.last().map(|m| m.month.words()).unwrap_or_default();
    html! {
        div.scenario {
            h2 { (f.scenario) }
            @for (k, (figure, label)) in SHOWN.iter().enumerate() {
                @let i = FIGURES.iter().position(|x| x == figure).unwrap_or(0);
                @let q = |m: &sightline_plan::ForecastMonth| m.figures.get(i).copied().unwrap_or_default();
                @let bands: Vec<(f64, f64, f64)> = f.months.iter().map(|m| (q(m).p10, q(m).p50, q(m).p90)).collect();
                @let last = f.months.last().map(q).unwrap_or_default();
                @let target = targets.iter().find(|t| t.target.figure == *figure);
                (PreEscaped(fan_chart(&format!("{prefix}-{k}"), label,
                    &format!("By {by}, the middle run ends at {:.1}, and 8 in 10 runs end between {:.1} and {:.1}.", last.p50, last.p10, last.p90),
                    &x, &bands, target.map(|t| (t.target.value, t.name.as_str())), (scale.get(k).copied().unwrap_or_default(),
                    if figure.contains("rate") { "%" } else { "FTE" }))))
            }
        }
    }
}

/// A baseline's and a scenario's fan charts (on shared scales), their costs
/// and the difference in cost, run by run.
struct Drawn {
    columns: (Markup, Markup),
    costs: (Quantiles, Quantiles),
    difference: Quantiles,
}

impl Drawn {
    fn of((base, levers): &crate::forecast::Pair) -> Option<Drawn> {
        let levers = levers.as_ref()?;
        let targets: Vec<ForecastTarget> = levers.targets.iter().map(|t| t.target.clone()).collect();
        let scale = scales(base, levers);
        Some(Drawn {
            columns: (column(base, "base", &targets, &scale), column(levers, "levers", &targets, &scale)),
            costs: (base.total_cost(), levers.total_cost()),
            difference: levers.cost_against(base),
        })
    }
}

/// What the forecast stands on: the fitted rates with the data behind each.
/// For members, counts of 1 to 4 (leavers of a band, starters,
/// conversions), and the rates worked out from them, are `c`.
fn stands_on(f: &sightline_plan::Fitted, member: bool) -> Markup {
    let pct = |r: &sightline_plan::Rate| r.mean().map_or("-".to_string(), |m| format!("{:.2}%", m * 100.0));
    let yearly = |r: &sightline_plan::Rate| r.yearly().map_or("-".to_string(), |y| format!("{:.1}%", y * 100.0));
    let bands: Vec<sightline_plan::Rate> = (0..sightline_plan::BANDS.len()).map(|b| f.leaving_by_band(b)).collect();
    let counts: Vec<Vec<u32>> = bands.iter().map(|r| vec![r.events.max(0.0).ceil() as u32]).collect();
    let shown = sightline_core::disclosure::suppress(&counts);
    let hide = |b: usize| member && shown.cells.get(b).and_then(|c| c.first()).is_none_or(|c| c.is_none());
    let alone = |n: f64| member && sightline_core::disclosure::is_disclosive(n.max(0.0).ceil() as u32);
    let or_c = |hidden: bool, text: String| if hidden { "c".to_string() } else { text };
    html! {
        h2 { "What the forecast stands on" }
        table {
            caption { "Leaving by length of service, " (long_date(f.window.start)) " to " (long_date(f.window.end)) }
            thead { tr { th scope="col" { "Length of service" } th scope="col" { "Leavers" } th scope="col" { "Months worked, all staff together" } th scope="col" { "Share leaving a month" } th scope="col" { "Share leaving a year" } } }
            tbody {
                @for ((b, (_, name)), r) in sightline_plan::BANDS.iter().enumerate().zip(&bands) {
                    tr {
                        th scope="row" { (name) }
                        td { (or_c(hide(b), r.events.to_string())) }
                        td { (r.exposure) }
                        td { (or_c(hide(b), pct(r))) }
                        td { (or_c(hide(b), yearly(r))) }
                    }
                }
            }
        }
        @if let Some(target) = f.turnover_pull.target {
            p { (turnover_pull_words(&f.turnover_pull, target, member)) }
        }
        p {
            "Hiring: " (or_c(alone(f.hiring.events), f.hiring.events.to_string())) " employed social workers started while posts stood vacant (" (format!("{:.0}", f.hiring.exposure)) " months of vacant full-time posts, added up), so about "
            (or_c(alone(f.hiring.events), pct(&f.hiring))) " of a vacant post is filled each month."
        }
        p {
            "From agency to employment: " (or_c(alone(f.conversion.events), f.conversion.events.to_string())) " agency workers became employees over "
            (f.conversion.exposure) " months of agency work, added up. Today agency workers cover " (format!("{:.2}", f.agency_cover)) " full-time posts for each vacant one."
        }
    }
}

/// What the forecast's turnover a year ahead is drawn towards, in words.
/// For members, none of the service's own figures (nor the result, from
/// which they could be worked back out): England's alone.
fn turnover_pull_words(pull: &sightline_plan::TurnoverPull, target: f64, member: bool) -> String {
    let tenths = |w: f64| match (w * 10.0).round() as u32 {
        1 => "one tenth".to_string(),
        10 => "all".to_string(),
        n => {
            let words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
            format!("{} tenths", words.get(n as usize).copied().unwrap_or("some"))
        }
    };
    let shown =
        |v: Option<f64>| if member { String::new() } else { v.map_or(String::new(), |v| format!(" ({v:.1}%)")) };
    let [w_own, w_last, w_england] = pull.weights();
    let mut parts = vec![format!("{} the service's own over the months above{}", tenths(w_own), shown(pull.own))];
    if w_last > 0.0 {
        parts.push(format!("{} its last 12 months{}", tenths(w_last), shown(pull.last_year)));
    }
    if let (true, Some((year, england))) = (w_england > 0.0, pull.england) {
        let end = chrono::NaiveDate::from_ymd_opt(year, 9, 30).map(long_date).unwrap_or_default();
        parts.push(format!(
            "{} England's for the year to {end} ({england:.1}%, the latest DfE had published)",
            tenths(w_england)
        ));
    }
    let parts = match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, and {last}", rest.join(", ")),
        _ => parts.join(""),
    };
    let result = if member { String::new() } else { format!(", about {target:.1}%") };
    format!(
        "Turnover a year ahead in the middle run is set to a blend{result}: {parts}. In one service a year's turnover \
         moves by chance as much as by anything lasting; England's carries what moves every service at once."
    )
}

/// The Forecast page: a scenario (the first shipped one unless chosen) beside the baseline.
pub async fn forecast(State(state): State<Shared>, viewer: Viewer, Query(query): Query<ForecastQuery>) -> Response {
    respond(&viewer, "Forecast", view(&state, &viewer, query).await)
}

async fn view(state: &AppState, viewer: &Viewer, query: ForecastQuery) -> Result<Markup, Error> {
    let (generation, wf, date) = state.generation_workforce_at(None).await?;
    let gaps = gaps_banner(viewer, &state.gaps(generation, &wf, date), date);
    let choices = scenarios(state.settings.scenarios.as_deref());
    let key = query.scenario.unwrap_or_else(|| choices.first().map(|c| c.0.clone()).unwrap_or_default());
    let scenario = state.scenario(&key)?;
    let description = scenario.description.clone();
    let options = Options { months: PAGE_MONTHS, runs: PAGE_RUNS, seed: 1 };
    let Forecasted { fitted, pair, kept_as: (generation, key_of_pair) } =
        state.forecast(Some(scenario), options).await?;
    let Some(pair) = pair else {
        return Ok(
            html! { h1 { "Forecast" } p { "No one is employed on " (long_date(fitted.as_of)) ": there is nothing to forecast from." } },
        );
    };
    let fitted_as_of = fitted.as_of;
    let window_months = ((fitted.window.end - fitted.window.start).num_days() as f64 / 30.44).round() as i64;
    let basis = stands_on(&fitted, viewer.is_member());
    let (base, Some(levers)) = &*pair else {
        return Err(Error::internal("the forecast could not be made"));
    };
    // The charts and the costs (sorted runs) are the same for every view of
    // the pair: drawn once and kept beside it.
    let drawn = {
        let pair = pair.clone();
        state.kept(generation, format!("drawn {key_of_pair}"), move || Drawn::of(&pair)).await?
    };
    let Some(drawn) = drawn.as_ref() else {
        return Err(Error::internal("the forecast could not be made"));
    };
    let difference = drawn.difference;
    let last = |f: &Forecast, figure: &str| f.months.last().and_then(|m| m.figure(figure)).unwrap_or_default();
    Ok(html! {
        h1 { "Forecast" }
        (gaps)
        p.lead { "What the next " (PAGE_MONTHS / 12) " years may hold from " (long_date(fitted_as_of)) ", with and without the scenario's changes." }
        p { "Sightline runs the service's next " (PAGE_MONTHS) " months " (sightline_core::words::thousands(u64::from(PAGE_RUNS))) " times, each with its own chances of who leaves and who starts, at the rates of the last " (window_months) " months. \
             The shaded band is where 8 in 10 runs fall; the line is the middle run. The scenario's changes are run with the same chances as doing nothing (the baseline), so the difference is the changes' own. "
             a href="/glossary#forecast" { "What the range means" } }
        p { (sightline_plan::calibration_in_words("the shaded band")) }
        form.filters method="get" action="/forecast" {
            label for="scenario" { "Scenario" }
            select #scenario name="scenario" {
                @for (k, s) in &choices {
                    option value=(k) selected[*k == key] { (s.as_ref().map_or_else(|_| format!("{k} (cannot be read)"), |s| s.name.clone())) }
                }
            }
            button type="submit" { "Show" }
        }
        @if !description.is_empty() { p { (description) } }
        table {
            caption { "By " (base.months.last().map(|m| m.month.words()).unwrap_or_default()) ": the middle run, and in brackets where 8 in 10 runs end" }
            thead { tr { th scope="col" { "Figure" } th scope="col" { "Baseline" } th scope="col" { (levers.scenario) } } }
            tbody {
                @for (figure, label) in SHOWN {
                    tr { th scope="row" { (label) } td { (q(last(base, figure))) } td { (q(last(levers, figure))) } }
                }
                tr { th scope="row" { "Agency FTE" } td { (q(last(base, "agency_fte"))) } td { (q(last(levers, "agency_fte"))) } }
                tr { th scope="row" { "Cost over the forecast" } td { (money_short(drawn.costs.0.p50)) } td { (money_short(drawn.costs.1.p50)) } }
                tr { th scope="row" { "Cost against doing nothing" } td { "-" } td { (cost_words(difference.p50)) " (8 in 10 runs: from " (cost_words(difference.p10)) " to " (cost_words(difference.p90)) ")" } }
                @for (a, b) in base.targets.iter().zip(&levers.targets) {
                    tr {
                        th scope="row" { "Chance of meeting the target: " (a.target.name) }
                        td { (a.probability.map_or("outside the forecast".to_string(), |p| format!("{:.0}%", p * 100.0))) }
                        td { (b.probability.map_or("outside the forecast".to_string(), |p| format!("{:.0}%", p * 100.0))) }
                    }
                }
            }
        }
        div.side-by-side {
            (drawn.columns.0)
            (drawn.columns.1)
        }
        (basis)
        (crate::layout::c_note(viewer))
        p.note { "How the forecast is made, and how well it did when run from past years, is described in the user guide's Workforce planning section; the workforce team can show the rates behind it." }
    })
}
