//! The JSON API under `/api/v1/`, behind the same roles as the pages.
//! `GET /api/v1/indicators?year=Y` gives what `sightline indicators --year Y
//! --format json` prints (with `by=team` likewise), because both serialise
//! the core's `IndicatorRow`.

use crate::error::{ApiResult, Error};
use crate::filter::Query;
use crate::filter::{Filter, FilterRejection};
use crate::forecast::Forecasted;
use crate::pages::forecast::PAGE_RUNS;
use crate::viewer::Viewer;
use crate::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sightline_core::{indicator_rows, indicators_by, Grouping, Period};
use sightline_plan::json::comparison_json;
use sightline_plan::Options;
use sightline_store::Role;

#[derive(Deserialize)]
pub struct IndicatorQuery {
    year: Option<i32>,
    as_of: Option<String>,
    by: Option<String>,
}

/// The rows of one breakdown (or the authority's one row) as a member may
/// see them: every figure the core's disclosure rule hides is `c`, DfE's
/// symbol for suppressed.
fn suppress_for_members(rows: &mut [Value]) {
    let count =
        |row: &Value, field: &str| row.get(field).and_then(Value::as_u64).unwrap_or(0).min(u64::from(u32::MAX)) as u32;
    let hidden = sightline_core::disclosure::hidden_figures(rows.len(), |g, f| rows.get(g).map_or(0, |r| count(r, f)));
    for (row, hidden) in rows.iter_mut().zip(hidden) {
        if let Some(map) = row.as_object_mut() {
            for field in hidden {
                if let Some(value) = map.get_mut(field) {
                    *value = Value::from("c");
                }
            }
        }
    }
}

/// The indicators for a census year or the 12 months to a date, for the
/// authority or by team or role.
pub async fn indicators(State(state): State<Shared>, viewer: Viewer, Query(q): Query<IndicatorQuery>) -> ApiResult {
    let (generation, wf) = state.workforce_and_generation().await?;
    let period = match (q.year, q.as_of.as_deref()) {
        (Some(y), None) if crate::filter::YEARS.contains(&y) => Period::census_year(y),
        (None, Some(d)) => Period::twelve_months_to(crate::filter::request_date(d)?),
        (None, None) => Period::twelve_months_to(state.latest_date(generation, &wf)),
        _ => return Err(Error::bad_request("give year=YYYY or as_of=YYYY-MM-DD, not both").into()),
    };
    let grouping = match q.by.as_deref() {
        None => Grouping::Authority,
        Some("team") => Grouping::Team,
        Some("org_role") => Grouping::OrgRole,
        Some(other) => return Err(Error::bad_request(format!("by={other}: use team or org_role")).into()),
    };
    // The same for everyone (members' figures are hidden below): worked out once per change of the data.
    let (all, calendar) = (wf.clone(), state.calendar.clone());
    let key = format!("indicators {} to {} {grouping:?}", period.start, period.end);
    let groups = state.kept(generation, key, move || indicators_by(&all, &calendar, period, grouping)).await?;
    let rows = indicator_rows(&[(period, groups.to_vec())], true);
    let mut value =
        if grouping == Grouping::Authority { serde_json::to_value(rows.first()) } else { serde_json::to_value(&rows) }
            .map_err(|e| Error::internal(format!("the figures could not be written as JSON: {e}")))?;
    if viewer.is_member() {
        match value.as_array_mut() {
            Some(rows) => suppress_for_members(rows),
            None => suppress_for_members(std::slice::from_mut(&mut value)),
        }
    }
    Ok(Json(value).into_response())
}

/// People and their posts at a date: everyone for admin and HR, their own
/// teams' people for managers, pseudonymised records for analysts, and
/// nothing for members. Every answer is written to the audit log.
pub async fn people(State(state): State<Shared>, viewer: Viewer, filter: Result<Filter, FilterRejection>) -> ApiResult {
    // The role first: a member learns nothing more from a bad date.
    if viewer.is_member() {
        return Err(Error::forbidden("members see aggregate figures only").into());
    }
    let filter = match filter {
        Ok(f) => f,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    // The same answer for everyone who may see the same people: written once per change of the data.
    let key = format!("people {date} {} {:?}", viewer.user.role, viewer.user.teams);
    let (who, all, pseudonym_key) = (viewer.clone(), wf.clone(), state.pseudonym_key.clone());
    let kept = state.kept(generation, key, move || people_json(&who, &all, date, &pseudonym_key)).await?;
    let (records, body) = (kept.0, kept.1.clone());
    let body = body.map_err(|e| Error::internal(format!("cannot write the people as JSON: {e}")))?;
    let detail = format!(
        "GET /api/v1/people date={date}: {records} records{}",
        if viewer.user.role == Role::Analyst { " (pseudonymised)" } else { "" }
    );
    // Personal data is not shown unless its viewing is recorded.
    state.store.audit(&viewer.user.name, "view people", &detail).await.map_err(Error::audit)?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `/api/v1/people`'s answer for `viewer` at `date`: how many records, and the JSON.
fn people_json(
    viewer: &Viewer,
    wf: &sightline_core::Workforce,
    date: chrono::NaiveDate,
    pseudonym_key: &str,
) -> (usize, Result<axum::body::Bytes, String>) {
    let analyst = viewer.user.role == Role::Analyst;
    // Written straight from typed rows (no JSON tree first), with the keys
    // in the order a JSON object sorted by key gives.
    #[derive(serde::Serialize)]
    struct Post<'a> {
        end_date: Option<String>,
        fte: f64,
        kind: &'a str,
        org_role: u8,
        start_date: String,
        team: &'a str,
    }
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Record<'a> {
        Named { birth_date: Option<String>, id: &'a str, posts: Vec<Post<'a>>, swe_no: &'a Option<String> },
        Pseudonymised { posts: Vec<Post<'a>>, pseudonym: String },
    }
    let mut out = Vec::new();
    for p in wf.person_indices() {
        let spells = wf.spells_of(p);
        let sight = if analyst { Some(crate::viewer::Sight::All) } else { viewer.sight_of(wf, p, date) };
        let Some(sight) = sight else { continue };
        let person = wf.person(p);
        let posts: Vec<Post<'_>> = spells
            .iter()
            .filter(|s| s.covers(date) && sight.shows(s.start, s.end))
            .map(|s| Post {
                kind: s.kind.as_str(),
                team: wf.team_name(s.team),
                org_role: s.org_role.code(),
                fte: s.fte,
                start_date: s.start.to_string(),
                end_date: s.end.map(|e| e.to_string()),
            })
            .collect();
        if analyst {
            let digest = Sha256::digest(format!("{}:{}", pseudonym_key, person.id).as_bytes());
            let pseudonym: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            out.push(Record::Pseudonymised { pseudonym, posts });
        } else {
            out.push(Record::Named {
                id: &person.id,
                swe_no: &person.swe_no,
                birth_date: person.birth_date.map(|d| d.to_string()),
                posts,
            });
        }
    }
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        date: String,
        people: &'a [Record<'a>],
    }
    let json = serde_json::to_vec(&Answer { date: date.to_string(), people: &out });
    (out.len(), json.map(axum::body::Bytes::from).map_err(|e| e.to_string()))
}

/// A count as the viewer may see it.
fn shown(viewer: &Viewer, n: u32) -> Value {
    viewer.count(n).map_or(Value::from("c"), Value::from)
}

/// The staffing position by team at a date (the Teams page's figures).
pub async fn staffing(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (wf, date) = state.workforce_at(filter.date).await?;
    let by_team = indicators_by(&wf, &state.calendar, Period::twelve_months_to(date), Grouping::Team);
    let asyes = sightline_core::asyes_at(&wf, date);
    let member = viewer.is_member();
    let teams: Vec<Value> = sightline_core::staffing_by_team(&wf, date)
        .iter()
        .zip(&by_team)
        .map(|(s, g)| {
            let people = g.indicators.inpost_headcount + g.indicators.agency_headcount;
            if member && people < 5 {
                return json!({ "team": s.team, "suppressed": "c" });
            }
            let team_asyes = asyes.iter().filter(|a| wf.team_name(a.team) == s.team).count() as u32;
            json!({
                "team": s.team,
                "establishment_fte": s.establishment_fte,
                "permanent_fte": s.permanent_fte,
                "fixed_term_fte": s.fixed_term_fte,
                "agency_fte": s.agency_fte,
                "agency_cover_fte": s.agency_cover_fte,
                "agency_over_establishment_fte": s.agency_over_establishment_fte,
                "vacant_fte": s.vacant_fte,
                "caseload_fte": g.indicators.rounded().caseload_fte,
                "asyes": shown(&viewer, team_asyes),
            })
        })
        .collect();
    Ok(Json(json!({ "date": date.to_string(), "teams": teams })).into_response())
}

/// Agency assignments by length band and conversions (the Agency page's figures).
pub async fn agency(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (wf, date) = state.workforce_at(filter.date).await?;
    let assignments = sightline_core::agency::assignments_at(&wf, date);
    let bands = sightline_core::agency::count_by_band(&assignments);
    let conversions = sightline_core::agency::conversions(&wf, Period::twelve_months_to(date)).len() as u32;
    let by_band: Vec<Value> = sightline_core::agency::LENGTH_BANDS
        .iter()
        .zip(bands)
        .map(|(band, n)| json!({ "band": band, "assignments": shown(&viewer, n) }))
        .collect();
    Ok(Json(json!({
        "date": date.to_string(),
        "assignments": shown(&viewer, assignments.len() as u32),
        "by_length": by_band,
        "conversions_in_12_months": shown(&viewer, conversions),
    }))
    .into_response())
}

/// Recruitment in the 12 months to a date (the fields of `sightline recruitment --format json`);
/// a member's counts of 1 to 4, and what rests on them, are `c`.
pub async fn recruitment(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let team = match filter.scope(wf.teams(), &[])? {
        crate::filter::Scope::Team(t) => Some(t.to_string()),
        _ => None,
    };
    if viewer.is_member() && team.is_some() {
        return Err(Error::forbidden("members see these figures for the whole authority only").into());
    }
    let records = state.recruitment(generation, &wf).await?;
    let period = Period::twelve_months_to(date);
    let vacancies: Vec<_> =
        records.vacancies.iter().filter(|&v| team.is_none() || v.team.as_deref() == team.as_deref()).cloned().collect();
    let plan = if team.is_none() {
        let targets: Vec<_> = state.store.targets().await?.into_iter().map(|t| t.target).collect();
        sightline_core::recruitment::plan_for(&targets, period)
    } else {
        Default::default()
    };
    let f = sightline_core::recruitment::recruitment_figures(&vacancies, period, &plan).rounded();
    let (f, hidden) = if viewer.is_member() { f.publishable() } else { (f, Default::default()) };
    let mut v = match serde_json::to_value(&f).map_err(|e| Error::internal(e.to_string()))? {
        Value::Object(map) => map,
        _ => return Err(Error::internal("the recruitment figures are not an object").into()),
    };
    for name in ["open_vacancies", "advertised", "withdrawals", "starts", "offers_made", "starts_with_offer_date"] {
        if hidden.contains(name) {
            v.insert(name.to_string(), Value::from("c"));
        }
    }
    // Each item of a list whose name (prefix:key) is hidden has `field` as `c`.
    let hide_in = |v: &mut serde_json::Map<String, Value>, list: &str, key: &str, fields: &[&str], prefix: &str| {
        let items = v.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten();
        for item in items.filter_map(Value::as_object_mut) {
            let name = format!("{prefix}:{}", item.get(key).and_then(Value::as_str).unwrap_or_default());
            let uncosted = prefix == "cost" && item.get("cost_per_hire").is_some_and(Value::is_null);
            if hidden.contains(&name) || uncosted {
                for field in fields {
                    item.insert((*field).to_string(), Value::from("c"));
                }
            }
        }
    };
    hide_in(&mut v, "stage_conversion", "stage", &["count"], "stage");
    hide_in(&mut v, "starts_by_route", "route", &["starts"], "route");
    hide_in(&mut v, "withdrawals_by_reason", "reason", &["count"], "withdrawn");
    if viewer.is_member() {
        // The reasons are the tracking system's own words: members get the number only.
        v.insert("withdrawals_by_reason".into(), Value::Array(Vec::new()));
    }
    if viewer.is_member() {
        // Hires by route are starts by route; cost is shown only with 5 hires or more.
        let all_cost = ["hires", "costed_hires", "cost", "cost_per_hire"];
        hide_in(&mut v, "cost_per_hire_by_route", "route", &all_cost, "route");
        // The hires whose cost is recorded are a count too.
        let items = v.get_mut("cost_per_hire_by_route").and_then(Value::as_array_mut).into_iter().flatten();
        for item in items.filter_map(Value::as_object_mut) {
            let costed = item.get("costed_hires").and_then(Value::as_u64).unwrap_or(0);
            if (1..5).contains(&costed) {
                item.insert("costed_hires".into(), Value::from("c"));
            }
        }
        hide_in(&mut v, "cost_per_hire_by_route", "route", &["hires", "costed_hires", "cost", "cost_per_hire"], "cost");
    }
    v.insert("period_start".into(), json!(period.start.to_string()));
    v.insert("period_end".into(), json!(period.end.to_string()));
    Ok(Json(v).into_response())
}

/// DfE's agency rules at a date (the fields of `sightline agency-rules --format json`): HR and admin only, audited.
pub async fn agency_rules(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    if !crate::pages::recruitment::sees_agency_rules(&viewer) {
        return Err(Error::forbidden("each assignment's compliance is for HR and admin").into());
    }
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let report = crate::pages::recruitment::rules_report(&state, generation, &wf, date).await?;
    state.store.audit(&viewer.user.name, "view agency rules", &format!("API, {date}")).await.map_err(Error::audit)?;
    Ok(Json(&*report).into_response())
}

/// Sickness days by month, short- and long-term (the Absence page's figures).
pub async fn absence(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (wf, date) = state.workforce_at(filter.date).await?;
    let threshold = state.settings.long_term_days;
    let period = Period::twelve_months_to(date);
    let months: Vec<Value> = sightline_core::absence::sickness_by_month(&wf, &state.calendar, period.start, date, threshold)
        .iter()
        .map(|m| json!({ "month": m.month.format("%Y-%m").to_string(), "short_term_days": m.short_term, "long_term_days": m.long_term }))
        .collect();
    let long = sightline_core::absence::long_term_on(&wf, &state.calendar, date, threshold).len() as u32;
    Ok(Json(json!({
        "date": date.to_string(),
        "long_term_threshold_working_days": threshold,
        "months": months,
        "people_off_long_term": shown(&viewer, long),
    }))
    .into_response())
}

/// Practice development on a date (the Development page's figures), for
/// the authority or `team`; `c` for a member where a figure rests on a count of 1 to 4.
pub async fn development(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let dev = state.development(generation, &wf).await?;
    let team = match filter.scope(wf.teams(), &[])? {
        crate::filter::Scope::Team(t) => wf.team_id(t),
        _ => None,
    };
    if viewer.is_member() && team.is_some() {
        return Err(crate::error::Error::forbidden("members see these figures for the whole authority only").into());
    }
    let kept = crate::pages::development::kept_development(&state, generation, &wf, &dev, date, team).await?;
    let (figures, groups) = (&kept.0, &kept.1);
    let hidden = if viewer.is_member() {
        // The figure's own rule, and no lone hidden figure among the teams.
        let mut all: Vec<_> = groups.iter().map(|(_, g)| g.clone()).collect();
        all.push(figures.clone());
        let mut hidden = sightline_core::development::hidden_by_group(&all);
        let authority = hidden.pop().unwrap_or_default();
        match team {
            Some(t) => groups
                .iter()
                .position(|(name, _)| name == wf.team_name(t))
                .and_then(|i| hidden.get(i).cloned())
                .unwrap_or_else(|| figures.hidden()),
            None => authority,
        }
    } else if viewer.user.role == sightline_store::Role::Manager
        && team.is_some_and(|t| !viewer.user.teams.iter().any(|x| x == wf.team_name(t)))
    {
        // A manager looking at a team not their own: small numbers hidden.
        figures.hidden()
    } else {
        Default::default()
    };
    let mut body = serde_json::to_value(figures.rounded()).map_err(|e| crate::error::Error::internal(e.to_string()))?;
    if let Value::Object(map) = &mut body {
        for name in &hidden {
            if map.get(*name).is_some_and(|v| !v.is_null()) {
                map.insert((*name).to_string(), Value::from("c"));
            }
        }
        map.insert("as_of".into(), Value::from(date.to_string()));
        if let Some(t) = team {
            map.insert("group".into(), Value::from(wf.team_name(t)));
        }
    }
    Ok(Json(body).into_response())
}

/// Why people leave and what staff say, for the 12 months to a date (the
/// Why people leave and Staff voice pages' figures): ER casework only for
/// HR and admin; for a member, `c` for a count of 1 to 4 and what rests on it.
pub async fn voice(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (generation, wf, date) = state.generation_workforce_at(filter.date).await?;
    let team = match filter.scope(wf.teams(), &[])? {
        crate::filter::Scope::Team(t) => Some(t.to_string()),
        _ => None,
    };
    if viewer.is_member() && team.is_some() {
        return Err(crate::error::Error::forbidden("members see these figures for the whole authority only").into());
    }
    let er = crate::pages::voice::sees_er(&viewer);
    let kept = crate::pages::voice::kept_voice(&state, generation, &wf, date, team.clone(), er).await?;
    let f = &kept.1;
    if er {
        state
            .store
            .audit(&viewer.user.name, "view ER", &format!("API, {date}"))
            .await
            .map_err(crate::error::Error::audit)?;
    }
    let member = viewer.is_member();
    let rounded = f.rounded();
    let reasons: Vec<Value> = f
        .exit_reasons
        .iter()
        .zip(&rounded.exit_reasons)
        .map(|(r, shown)| {
            if member && !f.reason_publishable(r) {
                json!({ "reason": r.reason.as_str(), "count": "c", "share": "c" })
            } else {
                json!({ "reason": r.reason.as_str(), "count": r.count, "share": shown.share })
            }
        })
        .collect();
    let themes: Vec<Value> = rounded
        .survey_themes
        .iter()
        .map(|t| {
            if member && !sightline_core::voice::VoiceFigures::theme_publishable(t) {
                json!({ "theme": t.theme, "wave": t.wave, "score": "c", "band": "c", "respondents": "c", "change": "c" })
            } else {
                json!({
                    "theme": t.theme, "wave": t.wave, "score": t.score, "band": t.band,
                    "respondents": t.respondents, "change": t.change,
                })
            }
        })
        .collect();
    let rate = |v: Option<f64>| {
        if member && !f.exit_rates_publishable() && v.is_some() {
            Value::from("c")
        } else {
            v.map_or(Value::Null, Value::from)
        }
    };
    let mut body = json!({
        "date": date.to_string(),
        "exit_reasons": reasons,
        "exit_interviews": shown(&viewer, f.exit_interviews),
        "exit_response_rate_pct": rate(rounded.exit_response_rate_pct),
        "would_return_pct": rate(rounded.would_return_pct),
        "survey_themes": themes,
    });
    if let Value::Object(map) = &mut body {
        if er {
            map.insert("er_open_by_type".into(), json!(f.er_open_by_type));
            map.insert("longterm_sick_without_case".into(), json!(f.longterm_sick_without_case));
            map.insert("sickness_cases_without_absence".into(), json!(f.sickness_cases_without_absence));
        }
        if let Some(t) = team {
            map.insert("group".into(), Value::from(t));
        }
    }
    Ok(Json(body).into_response())
}

/// Leavers in the 12 months to a date by reason (the Turnover page's figures).
pub async fn leavers(State(state): State<Shared>, viewer: Viewer, filter: Filter) -> ApiResult {
    let (wf, date) = state.workforce_at(filter.date).await?;
    let found = sightline_core::leavers::leavers_in(&wf, Period::twelve_months_to(date));
    let counted = |counts: Vec<(&str, u32)>, key: &str| -> Vec<Value> {
        counts.into_iter().map(|(label, n)| json!({ key: label, "leavers": shown(&viewer, n) })).collect()
    };
    Ok(Json(json!({
        "date": date.to_string(),
        "leavers": shown(&viewer, found.len() as u32),
        "by_reason": counted(sightline_core::leavers::count_by_reason(&found), "reason"),
        "by_destination": counted(sightline_core::leavers::count_by_destination(&found), "destination"),
    }))
    .into_response())
}

#[derive(Deserialize)]
pub struct ApiForecastQuery {
    scenario: Option<String>,
    months: Option<u32>,
    runs: Option<u32>,
    seed: Option<u64>,
}

/// `/api/v1/forecast`: the same JSON as `sightline forecast --format json`
/// (with `baseline` and `cost_against_baseline` when a scenario is named).
pub async fn forecast(State(state): State<Shared>, Query(query): Query<ApiForecastQuery>) -> ApiResult {
    let months = query.months.unwrap_or(36);
    let runs = query.runs.unwrap_or(PAGE_RUNS);
    if !(1..=120).contains(&months) || !(1..=20_000).contains(&runs) {
        return Err(Error::bad_request("months is 1 to 120 and runs 1 to 20000").into());
    }
    let scenario = query.scenario.as_deref().map(|key| state.scenario(key)).transpose()?;
    let options = Options { months, runs, seed: query.seed.unwrap_or(1) };
    let Forecasted { fitted, pair, .. } = state.forecast(scenario, options).await?;
    let pair = pair.ok_or_else(|| Error::unprocessable(format!("no one is employed at {}", fitted.as_of)))?;
    Ok(Json(comparison_json(&pair.0, pair.1.as_ref(), fitted.as_of)).into_response())
}

/// The OpenAPI description of this API.
pub async fn openapi() -> Response {
    let indicator_fields: serde_json::Map<String, Value> = sightline_core::published::FIELDS
        .iter()
        .map(|f| (f.to_string(), json!({ "type": ["number", "string", "null"], "description": sightline_core::published::field_label(f) })))
        .collect();
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "Sightline API", "version": "1" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "a token from `sightline token create --user NAME`" } },
            "schemas": {
                "IndicatorRow": {
                    "type": "object",
                    "description": "DfE's indicators for one period (and group). Members see counts under 5 as \"c\".",
                    "properties": indicator_fields,
                }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/indicators": { "get": {
                "summary": "DfE's indicators for a census year, or the 12 months to a date, for the authority or by team or role",
                "parameters": [
                    { "name": "year", "in": "query", "schema": { "type": "integer" } },
                    { "name": "as_of", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "by", "in": "query", "schema": { "type": "string", "enum": ["team", "org_role"] } }
                ],
                "responses": {
                    "200": { "description": "one IndicatorRow, or an array of them with `by`", "content": { "application/json": { "schema": { "oneOf": [ { "$ref": "#/components/schemas/IndicatorRow" }, { "type": "array", "items": { "$ref": "#/components/schemas/IndicatorRow" } } ] } } } },
                    "400": { "description": "a parameter is not valid" },
                    "401": { "description": "not logged in and no valid token" }
                }
            } },
            "/api/v1/people": { "get": {
                "summary": "People and their posts at a date: all for admin and hr, own teams for managers, pseudonymised for analysts; not for members",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": {
                    "200": { "description": "the people the caller may see" },
                    "401": { "description": "not logged in and no valid token" },
                    "403": { "description": "members see aggregates only" }
                }
            } },
            "/api/v1/staffing": { "get": {
                "summary": "The staffing position by team at a date: establishment, permanent, fixed-term, agency (covering vacancies and over establishment), vacant FTE, caseload per FTE and ASYEs",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": { "200": { "description": "teams; for members, teams of fewer than 5 people are suppressed" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/agency": { "get": {
                "summary": "Agency assignments in place at a date by length band (0-26, 27-52, over 52 weeks), and conversions to employment in the 12 months to it",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": { "200": { "description": "counts; members see counts under 5 as \"c\"" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/absence": { "get": {
                "summary": "Working days lost to sickness by month in the 12 months to a date, short- and long-term, and people off long-term",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": { "200": { "description": "months" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/development": { "get": {
                "summary": "Practice development on a date: supervision on time, early careers, CPD, registration, progression and the experience mix (the fields of `sightline development`; definitions in docs/indicators.md, part C)",
                "parameters": [
                    { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "team", "in": "query", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "figures, null where undefined; members see \"c\" where a figure rests on a count of 1 to 4" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/voice": { "get": {
                "summary": "Why people leave and what staff say, 12 months to a date: exit reasons, response rate, survey themes; ER casework for HR and admin only (definitions: docs/indicators.md, part D)",
                "parameters": [
                    { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "team", "in": "query", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "figures; members see \"c\" for a count of 1 to 4 and what rests on it; ER fields only for HR and admin" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/recruitment": { "get": {
                "summary": "Recruitment in the 12 months to a date: open vacancies, time to hire, stage conversion, withdrawals, starts by route against plan and cost per hire (the fields of `sightline recruitment`; definitions in docs/indicators.md, part E)",
                "parameters": [
                    { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "team", "in": "query", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "figures, null where undefined; members see \"c\" for a count of 1 to 4 and what rests on it" }, "401": { "description": "not logged in and no valid token" }, "403": { "description": "a member asking for one team" } }
            } },
            "/api/v1/agency-rules": { "get": {
                "summary": "DfE's agency rules at a date: each breach of an assignment that began from 31 October 2024, and the count by rule (HR and admin only; each answer is audited)",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": { "200": { "description": "assignments [{reference, rule, detail, signed_off_by}] and counts" }, "401": { "description": "not logged in and no valid token" }, "403": { "description": "not HR or admin" } }
            } },
            "/api/v1/leavers": { "get": {
                "summary": "Leavers in the 12 months to a date, by reason and by destination",
                "parameters": [ { "name": "date", "in": "query", "schema": { "type": "string", "format": "date" } } ],
                "responses": { "200": { "description": "counts; members see counts under 5 as \"c\"" }, "401": { "description": "not logged in and no valid token" } }
            } },
            "/api/v1/forecast": { "get": {
                "summary": "A Monte Carlo forecast from the store's history (as `sightline forecast --format json`), with a shipped or served scenario beside the baseline when named",
                "parameters": [
                    { "name": "scenario", "in": "query", "schema": { "type": "string" }, "description": "e.g. international-recruitment" },
                    { "name": "months", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 120, "default": 36 } },
                    { "name": "runs", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 20000, "default": 2000 } },
                    { "name": "seed", "in": "query", "schema": { "type": "integer", "default": 1 } }
                ],
                "responses": {
                    "200": { "description": "start, runs, months (P10/P50/P90 of each figure), targets with their probability, total cost; baseline and cost_against_baseline with a scenario" },
                    "400": { "description": "a parameter is not valid" },
                    "401": { "description": "not logged in and no valid token" },
                    "404": { "description": "no such scenario" }
                }
            } },
            "/api/v1/openapi.json": { "get": { "summary": "this document", "responses": { "200": { "description": "OpenAPI 3.1" } } } }
        }
    }))
    .into_response()
}
