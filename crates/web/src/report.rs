//! The report from the dashboard: a form, and the report made from the
//! store's data in the chosen format. Internal reports (no suppression) are
//! for admin and HR only; every report made is audited.

use crate::auth::Viewer;
use crate::pages::page;
use crate::{latest_date, Shared};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use maud::html;
use serde::Deserialize;
use sightline_core::benchmark::latest_benchmark;
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

fn error(viewer: &Viewer, status: StatusCode, message: &str) -> Response {
    (
        status,
        page("Report", Some(viewer), html! { h1 { "Committee report" } div.error role="alert" { p { (message) } } }),
    )
        .into_response()
}

/// The form: a period (the 12 months to the latest data by default) and a format.
pub async fn form(State(state): State<Shared>, Extension(viewer): Extension<Viewer>) -> Response {
    let wf = match state.workforce().await {
        Ok(wf) => wf,
        Err(e) => {
            return error(&viewer, StatusCode::INTERNAL_SERVER_ERROR, &format!("the store could not be read: {e}"))
        }
    };
    let period = Period::twelve_months_to(latest_date(&wf));
    let body = html! {
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
            @if may_make_internal(&viewer) {
                div {
                    input #internal type="checkbox" name="internal" value="yes";
                    label for="internal" { "Internal: do not suppress small numbers (the report says so; do not publish it)" }
                }
            } @else {
                p { "Small numbers are suppressed, so the report can be published." }
            }
            button type="submit" { "Make the report" }
        }
    };
    page("Report", Some(&viewer), body).into_response()
}

fn date(text: Option<&str>, what: &str) -> Result<NaiveDate, String> {
    let text = text.filter(|t| !t.is_empty()).ok_or_else(|| format!("give the {what} date"))?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

/// The report itself: HTML shown in the browser, XLSX and DOCX as downloads.
pub async fn make(
    State(state): State<Shared>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let period = match (date(query.from.as_deref(), "first"), date(query.to.as_deref(), "last")) {
        (Ok(start), Ok(end)) if start <= end => Period { start, end },
        (Ok(_), Ok(_)) => return error(&viewer, StatusCode::BAD_REQUEST, "the period ends before it starts"),
        (Err(e), _) | (_, Err(e)) => return error(&viewer, StatusCode::BAD_REQUEST, &e),
    };
    let internal = query.internal.as_deref().is_some_and(|v| !v.is_empty());
    if internal && !may_make_internal(&viewer) {
        return error(&viewer, StatusCode::FORBIDDEN, "only admin and HR users may make an internal report");
    }
    let format = query.format.unwrap_or(Format::Html);
    let loaded = async {
        Ok::<_, sightline_store::StoreError>((
            state.workforce().await?,
            state.store.targets().await?,
            state.store.services().await?,
        ))
    };
    let (wf, set_targets, services) = match loaded.await {
        Ok(found) => found,
        Err(e) => {
            return error(&viewer, StatusCode::INTERNAL_SERVER_ERROR, &format!("the store could not be read: {e}"))
        }
    };
    let compared = state.settings.la.as_deref().and_then(|la| {
        latest_benchmark(&state.published, &state.neighbours, la, Period::census_year_of(period.end)).ok()
    });
    let targets: Vec<_> = set_targets.into_iter().map(|t| t.target).collect();
    let request = ReportRequest {
        publish: !internal,
        benchmark: compared.as_ref(),
        targets: &targets,
        services: &services,
        long_term_days: state.settings.long_term_days,
        ..ReportRequest::new("Children's social care workforce stability", period)
    };
    let report = build(&wf, &state.calendar, &request);
    let bytes = match format.render(&report) {
        Ok(b) => b,
        Err(e) => return error(&viewer, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let detail = format!(
        "{} report, {} to {}, {}",
        format.name(),
        period.start,
        period.end,
        if internal { "internal" } else { "for publication" }
    );
    if let Err(e) = state.store.audit(&viewer.user.name, "make report", &detail).await {
        return error(&viewer, StatusCode::INTERNAL_SERVER_ERROR, &format!("the audit log could not be written: {e}"));
    }
    let name = format!("workforce-report-{}-to-{}.{}", period.start, period.end, format.name());
    let disposition = if format == Format::Html {
        format!("inline; filename=\"{name}\"")
    } else {
        format!("attachment; filename=\"{name}\"")
    };
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
