//! What the pages and the API are asked for in the URL. [`Filter`] (the
//! date, and the team or service) and [`Query`] (any other query string)
//! are extractors: what cannot be read is refused before any handler runs,
//! as a page in the layout or, under `/api/`, as JSON.

use crate::error::{ApiError, Error};
use crate::layout::{page, title_of};
use crate::viewer::Viewer;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use sightline_core::coverage::{Coverage, Gap, Need, Records};
use sightline_core::words::parse_date;
use sightline_core::Workforce;
use std::sync::Arc;

/// The filter as the URL gives it.
#[derive(Deserialize)]
struct RawFilter {
    date: Option<String>,
    /// The GOV.UK date input's three fields, in place of `date`.
    day: Option<String>,
    month: Option<String>,
    year: Option<String>,
    team: Option<String>,
    service: Option<String>,
}

/// The date (YYYY-MM-DD; none or empty for the latest the data speaks of),
/// and the team or service chosen ("" for the whole authority).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub date: Option<NaiveDate>,
    pub team: Option<String>,
    pub service: Option<String>,
    /// Whether the request chose a team or service at all ("All teams" included).
    pub scope_given: bool,
}

/// A query that cannot be read, answered as the route answers: a page, or JSON for the API.
pub struct FilterRejection {
    error: Error,
    viewer: Option<Viewer>,
    path: String,
}

impl IntoResponse for FilterRejection {
    fn into_response(self) -> Response {
        if self.path.starts_with("/api/") {
            return ApiError(self.error).into_response();
        }
        let title = title_of(&self.path);
        let body = html! { h1 { (title) } div.error role="alert" { p { (self.error.message) } } };
        (self.error.status, page(title, self.viewer.as_ref(), body)).into_response()
    }
}

impl FilterRejection {
    fn new(error: Error, parts: &Parts) -> FilterRejection {
        FilterRejection { error, viewer: parts.extensions.get::<Viewer>().cloned(), path: parts.uri.path().to_string() }
    }
}

/// The first and last years a request may ask about: enough for any
/// authority's history and forecasts, and bounded, so that no date makes a
/// request's work grow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A date typed in a request (YYYY-MM-DD), from 1990 to 2100; anything else
/// is a bad request that says so.
pub fn request_date(text: &str) -> Result<NaiveDate, Error> {
    let date = parse_date(text)?;
    if !YEARS.contains(&chrono::Datelike::year(&date)) {
        return Err(Error::bad_request(format!(
            "`{}` is outside the dates Sightline answers for: 1 January {} to 31 December {}",
            text.trim(),
            YEARS.start(),
            YEARS.end()
        )));
    }
    Ok(date)
}

/// A date typed as day, month and year (the GOV.UK date input), from 1990
/// to 2100; anything missing or not a real date is a bad request that says
/// what to put right, in the Design System's words.
pub fn typed_date(day: Option<String>, month: Option<String>, year: Option<String>) -> Result<NaiveDate, Error> {
    let number = |v: &Option<String>| v.as_deref().and_then(|t| t.trim().parse::<u32>().ok());
    let missing: Vec<&str> = [("a day", &day), ("a month", &month), ("a year", &year)]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(w, _)| *w)
        .collect();
    if !missing.is_empty() {
        return Err(Error::bad_request(format!("\"Figures as at\" must include {}", missing.join(" and "))));
    }
    let (d, m, y) = (number(&day), number(&month), number(&year));
    let date = match (d, m, y) {
        (Some(d), Some(m), Some(y)) if y >= 1000 => {
            i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        }
        _ => None,
    };
    let date =
        date.ok_or_else(|| Error::bad_request("\"Figures as at\" must be a real date, for example 30 9 2025"))?;
    request_date(&date.to_string())
}

/// A query string read into `T`, refused as [`FilterRejection`] says when it cannot be.
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = FilterRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(q)) => Ok(Query(q)),
            Err(e) => Err(FilterRejection::new(Error::bad_request(e.body_text()), parts)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Filter {
    type Rejection = FilterRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let reject = |error: Error, parts: &Parts| FilterRejection::new(error, parts);
        let Query(raw) = Query::<RawFilter>::from_request_parts(parts, state).await?;
        let chosen = |s: Option<String>| s.filter(|s| !s.is_empty());
        let typed = [raw.day, raw.month, raw.year].map(chosen);
        let date = match (chosen(raw.date), typed) {
            (Some(d), _) => Some(request_date(&d).map_err(|e| reject(e, parts))?),
            (None, [None, None, None]) => None,
            (None, [day, month, year]) => Some(typed_date(day, month, year).map_err(|e| reject(e, parts))?),
        };
        let scope_given = raw.team.is_some() || raw.service.is_some();
        Ok(Filter { date, team: chosen(raw.team), service: chosen(raw.service), scope_given })
    }
}

/// Which part of the authority figures are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Authority,
    Team(&'a str),
    Service(&'a str),
}

impl Filter {
    /// The team or service chosen, if it is one of `teams` or `services`.
    pub fn scope<'a>(&'a self, teams: &[String], services: &[String]) -> Result<Scope<'a>, Error> {
        match (self.team.as_deref(), self.service.as_deref()) {
            (Some(_), Some(_)) => Err(Error::bad_request("choose a team or a service, not both")),
            (Some(t), None) if !teams.iter().any(|x| x == t) => {
                Err(Error::bad_request(format!("there is no team called `{t}`")))
            }
            (None, Some(s)) if !services.iter().any(|x| x == s) => {
                Err(Error::bad_request(format!("there is no service called `{s}`")))
            }
            (Some(t), None) => Ok(Scope::Team(t)),
            (None, Some(s)) => Ok(Scope::Service(s)),
            (None, None) => Ok(Scope::Authority),
        }
    }
}

impl AppState {
    /// The workforce, and `date` or else the latest date the data speaks of.
    pub async fn workforce_at(&self, date: Option<NaiveDate>) -> Result<(Arc<Workforce>, NaiveDate), Error> {
        let (_, wf, date) = self.generation_workforce_at(date).await?;
        Ok((wf, date))
    }

    /// For pages: [`AppState::generation_workforce_at`] with the records'
    /// coverage, and a "no data" answer (404, with the reason) for a date
    /// the employment records do not reach: before they are complete, or
    /// after the last date the data speaks of.
    pub async fn covered_workforce_at(
        &self,
        date: Option<NaiveDate>,
    ) -> Result<(i64, Arc<Workforce>, NaiveDate, Coverage), Error> {
        let (generation, wf, date) = self.generation_workforce_at(date).await?;
        let coverage = self.coverage(generation, &wf).await;
        let day = sightline_core::Period { start: date, end: date };
        if let Some(gap) = coverage.gap(day, &[(Records::Employment, Need::Day)]) {
            let when = sightline_core::words::long_date(date);
            return Err(Error::not_found(match (&gap, coverage.until) {
                (Gap::None { .. }, _) => {
                    "There is no data yet: the workforce team imports it (see the Data page).".to_string()
                }
                (_, Some(until)) => format!(
                    "No data for {when}: {}. Choose a date up to {}.",
                    gap.words(),
                    sightline_core::words::long_date(until)
                ),
                (_, None) => format!("No data for {when}: {}.", gap.words()),
            }));
        }
        Ok((generation, wf, date, coverage))
    }

    /// The records' coverage: from when each kind is complete (declared, or
    /// its first record) and the last date the data speaks of.
    /// What the records of `generation` cover (declared dates change the
    /// generation too): worked out once per generation.
    pub async fn coverage(&self, generation: i64, wf: &Workforce) -> Coverage {
        let work = async {
            // A store that cannot say what was declared still has the records' own dates.
            let declared = self.store.complete_from().await.unwrap_or_default();
            Ok(Coverage::of(wf, &declared))
        };
        match self.kept_from(generation, "coverage".into(), work).await {
            Ok(coverage) => coverage.as_ref().clone(),
            Err(_) => Coverage::of(wf, &Default::default()),
        }
    }

    /// [`AppState::workforce_at`] with the store generation it is of, for what is kept per generation.
    pub async fn generation_workforce_at(
        &self,
        date: Option<NaiveDate>,
    ) -> Result<(i64, Arc<Workforce>, NaiveDate), Error> {
        let (generation, wf) = self.workforce_and_generation().await?;
        let date = date.unwrap_or_else(|| self.latest_date(generation, &wf));
        Ok((generation, wf, date))
    }
}

/// The date filter as a form.
pub fn date_form(action: &str, date: NaiveDate) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            (date_input(date))
            button type="submit" { "Show" }
        }
    }
}

/// The GOV.UK date input: day, month and year in three boxes under one
/// legend, so a date is typed the way it is said, whatever the browser.
pub fn date_input(date: NaiveDate) -> Markup {
    use chrono::Datelike as _;
    html! {
        fieldset.date-input role="group" aria-describedby="date-hint" {
            legend { "Figures as at" }
            div.hint #date-hint { "For example, 30 9 2025" }
            div.date-fields {
                div { label for="date-day" { "Day" } input #date-day.w2 type="text" inputmode="numeric" name="day" value=(date.day()); }
                div { label for="date-month" { "Month" } input #date-month.w2 type="text" inputmode="numeric" name="month" value=(date.month()); }
                div { label for="date-year" { "Year" } input #date-year.w4 type="text" inputmode="numeric" name="year" value=(date.year()); }
            }
        }
    }
}

/// The date filter with a choice of team or service ("" for the whole authority).
pub fn scope_form(action: &str, date: NaiveDate, teams: &[String], services: &[String], scope: Scope<'_>) -> Markup {
    let (team, service) = match scope {
        Scope::Team(t) => (Some(t), None),
        Scope::Service(s) => (None, Some(s)),
        Scope::Authority => (None, None),
    };
    html! {
        form.filters method="get" action=(action) {
            (date_input(date))
            @if !services.is_empty() {
                div {
                    label for="service" { "Service" }
                    select #service name="service" {
                        option value="" selected[service.is_none()] { "All services" }
                        @for s in services { option value=(s) selected[service == Some(s.as_str())] { (s) } }
                    }
                }
            }
            div {
                label for="team" { "Team" }
                select #team name="team" {
                    option value="" selected[team.is_none()] { "All teams" }
                    @for t in teams { option value=(t) selected[team == Some(t.as_str())] { (t) } }
                }
            }
            button type="submit" { "Show" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_typed_in_three_boxes_is_read_or_said_what_to_put_right() {
        let t = |d: &str, m: &str, y: &str| {
            let f = |v: &str| (!v.is_empty()).then(|| v.to_string());
            typed_date(f(d), f(m), f(y))
        };
        assert_eq!(t("30", "9", "2025"), Ok("2025-09-30".parse().unwrap()));
        assert_eq!(t(" 1 ", "04", "2024"), Ok("2024-04-01".parse().unwrap()));
        assert!(t("31", "9", "2025").unwrap_err().message.contains("must be a real date"));
        assert!(t("30", "", "").unwrap_err().message.contains("must include a month and a year"));
        assert!(t("30", "9", "25").unwrap_err().message.contains("must be a real date"), "a two-digit year");
        assert!(t("30", "9", "2150").unwrap_err().message.contains("1990"));
    }

    #[test]
    fn a_team_or_a_service_is_chosen_from_those_there_are() {
        let teams = vec!["MASH".to_string(), "Assessment".to_string()];
        let services = vec!["Front Door".to_string()];
        let filter = |team: Option<&str>, service: Option<&str>| Filter {
            date: None,
            team: team.map(String::from),
            service: service.map(String::from),
            scope_given: team.is_some() || service.is_some(),
        };
        assert_eq!(filter(None, None).scope(&teams, &services), Ok(Scope::Authority));
        assert_eq!(filter(Some("MASH"), None).scope(&teams, &services), Ok(Scope::Team("MASH")));
        assert_eq!(filter(None, Some("Front Door")).scope(&teams, &services), Ok(Scope::Service("Front Door")));
        for (team, service) in [(Some("MASH"), Some("Front Door")), (Some("Nowhere"), None), (None, Some("Back Door"))]
        {
            let e = filter(team, service).scope(&teams, &services).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST, "{}", e.message);
        }
    }
}
