//! The report from the dashboard: a form, and the report made from the
//! store's data in the chosen format. Internal reports (no suppression) are
//! for admin and HR only; every report made is audited.

use crate::error::Error;
use crate::filter::Query;
use crate::layout::respond_headed;
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use sightline_core::benchmark::latest_benchmark;
use sightline_core::coverage::{Need, Records};
use sightline_core::words::long_date;
use sightline_core::Period;
use sightline_report::{build, Format, ReportRequest};
use sightline_store::Role;

#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<Format>,
    internal: Option<String>,
}

fn may_make_internal(viewer: &Viewer) -> bool {
    matches!(viewer.user.role, Role::Admin | Role::Hr)
}

const TITLE: &str = "Report";
const HEADING: &str = "Committee report";

/// The form: a period (the 12 months to the latest data by default) and a format.
pub async fn form(State(state): State<Shared>, viewer: Viewer) -> Response {
    respond_headed(&viewer, TITLE, HEADING, form_view(&state, &viewer).await)
}

async fn form_view(state: &AppState, viewer: &Viewer) -> Result<Markup, Error> {
    let (generation, wf) = state.workforce_and_generation().await?;
    let period = Period::twelve_months_to(state.latest_date(generation, &wf));
    Ok(html! {
        h1 { "Committee report" }
        p { "A workforce stability report for a committee or scrutiny panel: staffing by team, turnover against \
             other authorities, leavers, agency use and cost, caseloads, sickness absence, newly qualified social \
             workers and progress against targets. Each table gives its definition and date." }
        form.report method="get" action="/report/make" {
            div {
                label for="from" { "From" }
                input #from type="date" name="from" value=(period.start) required;
            }
            div {
                label for="to" { "To" }
                input #to type="date" name="to" value=(period.end) required;
            }
            fieldset {
                legend { "Format" }
                @for (f, label) in [(Format::Html, "Web page (HTML), to read or print as a PDF"), (Format::Xlsx, "Spreadsheet (Excel), a sheet per table"), (Format::Docx, "Word document, a council report to edit")] {
                    div {
                        input type="radio" name="format" id=(format!("f-{}", f.name())) value=(f.name()) checked[f == Format::Html];
                        label for=(format!("f-{}", f.name())) { (label) }
                    }
                }
            }
            @if may_make_internal(viewer) {
                div {
                    input #internal type="checkbox" name="internal" value="yes";
                    label for="internal" { "Internal: do not suppress small numbers (the report says so; do not publish it)" }
                }
            } @else {
                p { "Small numbers are suppressed, so the report can be published." }
            }
            button type="submit" { "Make the report" }
        }
    })
}

fn date(text: Option<&str>, what: &str) -> Result<NaiveDate, Error> {
    let text = text.filter(|t| !t.is_empty()).ok_or_else(|| Error::bad_request(format!("give the {what} date")))?;
    crate::filter::request_date(text)
}

/// The longest period a report covers.
const MOST_YEARS: u32 = 10;

/// The report itself: HTML shown in the browser, XLSX and DOCX as downloads.
pub async fn make(State(state): State<Shared>, viewer: Viewer, Query(query): Query<ReportQuery>) -> Response {
    match made(&state, &viewer, query).await {
        Ok(response) => response,
        Err(e) => respond_headed(&viewer, TITLE, HEADING, Err(e)),
    }
}

async fn made(state: &AppState, viewer: &Viewer, query: ReportQuery) -> Result<Response, Error> {
    let (start, end) = (date(query.from.as_deref(), "first")?, date(query.to.as_deref(), "last")?);
    if end < start {
        return Err(Error::bad_request("the period ends before it starts"));
    }
    if start.checked_add_months(chrono::Months::new(12 * MOST_YEARS)).is_some_and(|limit| end >= limit) {
        return Err(Error::bad_request(format!("a report covers at most {MOST_YEARS} years")));
    }
    let period = Period { start, end };
    let internal = query.internal.as_deref().is_some_and(|v| !v.is_empty());
    if internal && !may_make_internal(viewer) {
        return Err(Error::forbidden("only admin and HR users may make an internal report"));
    }
    let format = query.format.unwrap_or(Format::Html);
    let (generation, wf) = state.workforce_and_generation().await?;
    let development = state.development(generation, &wf).await?;
    // ER casework only goes into an internal report (which only admin and HR may make).
    let voice = state.store.load_voice(&wf, internal).await?;
    // The Forecast page's baseline (made once per change of the data), when a forecast can be made.
    let options = sightline_plan::Options {
        months: crate::pages::forecast::PAGE_MONTHS,
        runs: crate::pages::forecast::PAGE_RUNS,
        seed: 1,
    };
    let forecast = state.forecast(None, options).await.ok().and_then(|f| f.pair);
    // No report of a period the employment records do not cover whole.
    let coverage = state.coverage(generation, &wf).await;
    if let Some(gap) = coverage.gap(period, &[(Records::Employment, Need::Period)]) {
        return Err(Error::unprocessable(format!(
            "No report for {} to {}: {}. Choose a period the records cover.",
            long_date(period.start),
            long_date(period.end),
            gap.words()
        )));
    }
    let targets: Vec<_> = state.store.targets().await?.into_iter().map(|t| t.target).collect();
    let services = state.store.services().await?;
    let compared = state.settings.la.as_deref().and_then(|la| {
        latest_benchmark(&state.published, &state.neighbours, la, Period::census_year_of(period.end)).ok()
    });
    let (calendar, long_term_days) = (state.calendar.clone(), state.settings.long_term_days);
    // Off the server's own threads, a few at a time.
    let bytes = state
        .heavy
        .run(move || {
            let request = ReportRequest {
                publish: !internal,
                benchmark: compared.as_ref(),
                targets: &targets,
                services: &services,
                long_term_days,
                development: Some(&development),
                voice: Some(&voice),
                forecast: forecast.as_ref().map(|pair| &pair.0),
                ..ReportRequest::new("Children's social care workforce stability", period)
            };
            let report = build(&wf, &calendar, &request);
            format.render(&report).map_err(|e| Error::internal(e.to_string()))
        })
        .await??;
    let detail = format!(
        "{} report, {} to {}, {}",
        format.name(),
        period.start,
        period.end,
        if internal { "internal" } else { "for publication" }
    );
    state.store.audit(&viewer.user.name, "make report", &detail).await.map_err(Error::audit)?;
    let name = format!("workforce-report-{}-to-{}.{}", period.start, period.end, format.name());
    let disposition = if format == Format::Html {
        format!("inline; filename=\"{name}\"")
    } else {
        format!("attachment; filename=\"{name}\"")
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
            // The HTML report carries its own style sheet, allowed by its hash alone.
            (header::CONTENT_SECURITY_POLICY, crate::csp_with_style(sightline_report::html::REPORT_STYLE)),
        ],
        bytes,
    )
        .into_response())
}
