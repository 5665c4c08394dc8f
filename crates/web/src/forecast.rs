//! The forecast page: the baseline and a chosen scenario side by side, as
//! fan charts (P10 to P90, median) and tables, with each target's chance
//! of being met and the cost against the baseline. Scenarios are those
//! shipped with Sightline and any in the folder given to `serve --scenarios`.

use crate::auth::Viewer;
use crate::pages::page;
use crate::{latest_date, Shared};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use serde_json::json;
use sightline_core::words::money;
use sightline_plan::json::comparison_json;
use sightline_plan::{fit, with_baseline, Forecast, ForecastTarget, Options, Quantiles, Scenario, FIGURES};
use sightline_report::chart::fan_chart;
use std::sync::Arc;

/// A baseline and a scenario, forecast with the same chances.
pub(crate) type Pair = (Forecast, Option<Forecast>);

/// The forecasts of `scenario` beside its baseline for the store's current
/// data, made once per store generation and question.
async fn forecasts(
    state: &crate::AppState,
    generation: i64,
    fitted: sightline_plan::Fitted,
    scenario: Option<Scenario>,
    targets: Vec<ForecastTarget>,
    options: Options,
) -> Option<Arc<Pair>> {
    let key = (generation, format!("{scenario:?}{targets:?}{options:?}"));
    if let Some(found) = state.forecasts.lock().expect("never poisoned").get(&key) {
        return Some(found.clone());
    }
    // Thousands of runs: off the server's own threads.
    let pair = tokio::task::spawn_blocking(move || with_baseline(&fitted, scenario.as_ref(), &targets, &options))
        .await
        .ok()?;
    let pair = Arc::new(pair);
    let mut memo = state.forecasts.lock().expect("never poisoned");
    if memo.len() >= 32 {
        memo.clear();
    }
    memo.insert(key, pair.clone());
    Some(pair)
}

/// Runs on the page: enough for stable P10 and P90, quick to serve.
const PAGE_RUNS: u32 = 2000;
const PAGE_MONTHS: u32 = 36;

#[derive(Deserialize)]
pub struct ForecastQuery {
    scenario: Option<String>,
}

/// The scenarios to choose from: (key, scenario), shipped first.
pub(crate) fn scenarios(dir: Option<&std::path::Path>) -> Vec<(String, Result<Scenario, String>)> {
    let mut out: Vec<(String, Result<Scenario, String>)> = sightline_plan::SHIPPED
        .iter()
        .map(|(file, text)| {
            (file.trim_end_matches(".toml").to_string(), Scenario::parse(text).map_err(|e| e.to_string()))
        })
        .collect();
    if let Some(dir) = dir {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for path in files {
            let key = path.file_stem().map_or(String::new(), |s| s.to_string_lossy().into_owned());
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| Scenario::parse(&t).map_err(|e| e.to_string()));
            out.push((key, parsed));
        }
    }
    out
}

const SHOWN: [(&str, &str); 4] = [
    ("inpost_fte", "Employed social workers in post (FTE)"),
    ("agency_rate_fte", "Agency rate (FTE) %"),
    ("vacancy_rate_fte", "Vacancy rate (FTE) %"),
    ("turnover_rate_fte", "Turnover (FTE) %, rolling 12 months"),
];

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
    let x: Vec<String> = f.months.iter().map(|m| m.month.to_string()).collect();
    html! {
        div.scenario {
            h2 { (f.scenario) }
            @for (k, (figure, label)) in SHOWN.iter().enumerate() {
                @let i = FIGURES.iter().position(|x| x == figure).unwrap_or(0);
                @let bands: Vec<(f64, f64, f64)> = f.months.iter().map(|m| (m.figures[i].p10, m.figures[i].p50, m.figures[i].p90)).collect();
                @let last = f.months.last().map(|m| m.figures[i]).unwrap_or_default();
                @let target = targets.iter().find(|t| t.target.figure == *figure);
                (PreEscaped(fan_chart(&format!("{prefix}-{k}"), label,
                    &format!("By {} the median is {:.1}, with a 80% range of {:.1} to {:.1}.", x.last().cloned().unwrap_or_default(), last.p50, last.p10, last.p90),
                    &x, &bands, target.map(|t| (t.target.value, t.name.as_str())), scale[k])))
            }
        }
    }
}

/// What the forecast stands on: the fitted rates with the data behind each.
fn stands_on(f: &sightline_plan::Fitted) -> Markup {
    let pct = |r: &sightline_plan::Rate| r.mean().map_or("-".to_string(), |m| format!("{:.2}%", m * 100.0));
    let yearly = |r: &sightline_plan::Rate| r.yearly().map_or("-".to_string(), |y| format!("{:.1}%", y * 100.0));
    html! {
        h2 { "What the forecast stands on" }
        table {
            caption { "Leaving by length of service, " (f.window.start) " to " (f.window.end) }
            thead { tr { th scope="col" { "Service" } th scope="col" { "Leavers" } th scope="col" { "Person-months" } th scope="col" { "A month" } th scope="col" { "A year" } } }
            tbody {
                @for (b, (_, name)) in sightline_plan::BANDS.iter().enumerate() {
                    @let r = f.leaving_by_band(b);
                    tr { th scope="row" { (name) } td { (r.events) } td { (r.exposure) } td { (pct(&r)) } td { (yearly(&r)) } }
                }
            }
        }
        p {
            "Hiring: " (f.hiring.events) " employed starters over " (format!("{:.0}", f.hiring.exposure)) " vacant FTE-months ("
            (pct(&f.hiring)) " of a vacant post filled a month). Agency to employment: " (f.conversion.events) " conversions over "
            (f.conversion.exposure) " agency worker-months. Agency covers " (format!("{:.2}", f.agency_cover)) " FTE for each vacant FTE now."
        }
    }
}

pub async fn page_handler(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ForecastQuery>,
) -> Response {
    let (generation, wf) = match state.workforce_and_generation().await {
        Ok(found) => found,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("the store could not be read: {e}")).into_response()
        }
    };
    let stored = match state.store.targets().await {
        Ok(t) => t,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("the store could not be read: {e}")).into_response()
        }
    };
    let choices = scenarios(state.settings.scenarios.as_deref());
    let key = query.scenario.unwrap_or_else(|| choices.first().map(|c| c.0.clone()).unwrap_or_default());
    let chosen = choices.iter().find(|(k, _)| *k == key);
    let scenario = match chosen {
        Some((_, Ok(s))) => s.clone(),
        Some((_, Err(e))) => {
            let body = html! { h1 { "Forecast" } div.error role="alert" { p { "The scenario " code { (key) } " cannot be read: " (e) } } };
            return (StatusCode::BAD_REQUEST, page("Forecast", Some(&viewer), body)).into_response();
        }
        None => {
            let body =
                html! { h1 { "Forecast" } div.error role="alert" { p { "There is no scenario " code { (key) } "." } } };
            return (StatusCode::NOT_FOUND, page("Forecast", Some(&viewer), body)).into_response();
        }
    };
    let as_of = latest_date(&wf);
    let fitted = fit(&wf, &state.calendar, as_of, 36);
    if fitted.headcount() == 0 {
        let body = html! { h1 { "Forecast" } p { "No one is employed at " (fitted.as_of) ": there is nothing to forecast from." } };
        return page("Forecast", Some(&viewer), body).into_response();
    }
    let stored_targets: Vec<ForecastTarget> = stored.iter().filter_map(|t| ForecastTarget::set(&t.target)).collect();
    let options = Options { months: PAGE_MONTHS, runs: PAGE_RUNS, seed: 1 };
    let fitted_as_of = fitted.as_of;
    let basis = stands_on(&fitted);
    let description = scenario.description.clone();
    let Some(pair) = forecasts(&state, generation, fitted, Some(scenario), stored_targets, options).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the forecast could not be made").into_response();
    };
    let (base, Some(levers)) = &*pair else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the forecast could not be made").into_response();
    };
    let difference = levers.cost_against(base);
    let last = |f: &Forecast, figure: &str| f.months.last().and_then(|m| m.figure(figure)).unwrap_or_default();
    let body = html! {
        h1 { "Forecast" }
        p { "The next " (PAGE_MONTHS) " months from " (fitted_as_of) ", " (PAGE_RUNS) " runs of a model fitted on the 36 months before (seed 1). \
             The shaded band holds 8 runs in 10; the line is the median. The same chances are used with and without the scenario's levers." }
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
            caption { "At the end of the forecast, " (base.months.last().map(|m| m.month.to_string()).unwrap_or_default()) ": median (P10 to P90)" }
            thead { tr { th scope="col" { "Figure" } th scope="col" { "Baseline" } th scope="col" { (levers.scenario) } } }
            tbody {
                @for (figure, label) in SHOWN {
                    tr { th scope="row" { (label) } td { (q(last(base, figure))) } td { (q(last(levers, figure))) } }
                }
                tr { th scope="row" { "Agency FTE" } td { (q(last(base, "agency_fte"))) } td { (q(last(levers, "agency_fte"))) } }
                tr { th scope="row" { "Cost over the forecast" } td { (money(base.total_cost().p50)) } td { (money(levers.total_cost().p50)) } }
                tr { th scope="row" { "Cost against the baseline" } td { "-" } td { (money(difference.p50)) " (" (money(difference.p10)) " to " (money(difference.p90)) ")" } }
                @for (a, b) in base.targets.iter().zip(&levers.targets) {
                    tr {
                        th scope="row" { "Chance of: " (a.target.name) }
                        td { (a.probability.map_or("outside the forecast".to_string(), |p| format!("{:.0}%", p * 100.0))) }
                        td { (b.probability.map_or("outside the forecast".to_string(), |p| format!("{:.0}%", p * 100.0))) }
                    }
                }
            }
        }
        @let targets: Vec<ForecastTarget> = levers.targets.iter().map(|t| t.target.clone()).collect();
        @let scale = scales(base, levers);
        div.side-by-side {
            (column(base, "base", &targets, &scale))
            (column(levers, "levers", &targets, &scale))
        }
        (basis)
        p.note { "Rates, their uncertainty and the model are described in the user guide (Workforce planning); " code { "sightline plan fit" } " shows the rates and the data behind each, and " code { "sightline plan backtest" } " how well the model did on past years." }
    };
    page("Forecast", Some(&viewer), body).into_response()
}

#[derive(Deserialize)]
pub struct ApiForecastQuery {
    scenario: Option<String>,
    months: Option<u32>,
    runs: Option<u32>,
    seed: Option<u64>,
}

fn api_error(status: StatusCode, message: String) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// `/api/v1/forecast`: the same JSON as `sightline forecast --format json`
/// (with `baseline` and `cost_against_baseline` when a scenario is named).
pub async fn api(State(state): State<Shared>, Query(query): Query<ApiForecastQuery>) -> Response {
    let months = query.months.unwrap_or(36);
    let runs = query.runs.unwrap_or(PAGE_RUNS);
    if !(1..=120).contains(&months) || !(1..=20_000).contains(&runs) {
        return api_error(StatusCode::BAD_REQUEST, "months is 1 to 120 and runs 1 to 20000".to_string());
    }
    let scenario = match &query.scenario {
        None => None,
        Some(key) => match scenarios(state.settings.scenarios.as_deref()).into_iter().find(|(k, _)| k == key) {
            Some((_, Ok(s))) => Some(s),
            Some((_, Err(e))) => {
                return api_error(StatusCode::BAD_REQUEST, format!("the scenario `{key}` cannot be read: {e}"))
            }
            None => return api_error(StatusCode::NOT_FOUND, format!("there is no scenario `{key}`")),
        },
    };
    let ((generation, wf), stored) = match (state.workforce_and_generation().await, state.store.targets().await) {
        (Ok(wf), Ok(t)) => (wf, t),
        (Err(e), _) | (_, Err(e)) => {
            return api_error(StatusCode::INTERNAL_SERVER_ERROR, format!("the store could not be read: {e}"))
        }
    };
    let fitted = fit(&wf, &state.calendar, latest_date(&wf), 36);
    if fitted.headcount() == 0 {
        return api_error(StatusCode::UNPROCESSABLE_ENTITY, format!("no one is employed at {}", fitted.as_of));
    }
    let stored: Vec<ForecastTarget> = stored.iter().filter_map(|t| ForecastTarget::set(&t.target)).collect();
    let options = Options { months, runs, seed: query.seed.unwrap_or(1) };
    let fitted_to = fitted.as_of;
    match forecasts(&state, generation, fitted, scenario, stored, options).await {
        Some(pair) => axum::Json(comparison_json(&pair.0, pair.1.as_ref(), fitted_to)).into_response(),
        None => api_error(StatusCode::INTERNAL_SERVER_ERROR, "the forecast could not be made".to_string()),
    }
}
