//! Who sees what, through pages and API: a synthetic authority in a fresh
//! store, users of every role, and requests as a browser or script makes them.

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use sightline_core::{indicators, Calendar, Period};
use sightline_import::Import;
use sightline_ingest::{write_dir, Strictness};
use sightline_store::{Role, Store};
use sightline_synth::{synthesize, Basis, Request as SynthRequest};
use sightline_web::{app, hash_password, new_token, token_digest, Settings};
use std::collections::BTreeSet;
use tower::ServiceExt;

struct World {
    app: Router,
    store: Store,
    workforce: sightline_core::Workforce,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let request = SynthRequest::new(Basis::Size { people: 80 }, 2022..=2024, 5);
    let workforce = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&workforce, &data).unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    store.import_canonical(&data, "hr", "tester", Strictness::Strict).await.unwrap();
    let team = workforce.teams()[0].clone();
    for (name, role, teams) in [
        ("ada", Role::Admin, vec![]),
        ("mo", Role::Manager, vec![team]),
        ("meg", Role::Member, vec![]),
        ("ann", Role::Analyst, vec![]),
    ] {
        store.add_user(name, role, &teams, &hash_password(&format!("{name}-password"))).await.unwrap();
    }
    let app = app(store.clone(), Settings::default()).await.unwrap();
    World { app, store, workforce, _dir: dir }
}

/// Imports each export (file name, text) through the shipped profile of the
/// same place in `profiles` (their people join source `hr`, as `world` imports).
async fn import_shipped(store: &Store, exports: Vec<(String, String)>, profiles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for ((file, text), name) in exports.into_iter().zip(profiles) {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let profile_text = sightline_ingest::shipped(name).unwrap();
        let profile = sightline_ingest::Profile::parse(profile_text).unwrap();
        let source = profile.source.clone().unwrap();
        let options = sightline_import::ImportOptions { source: &source, imported_by: "test", ..Default::default() };
        store.import_export(&path, &profile, profile_text, &options).await.unwrap();
    }
}

async fn send(app: &Router, request: Request<Body>) -> (Response<Body>, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (Response::from_parts(parts, Body::empty()), String::from_utf8_lossy(&bytes).into_owned())
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

fn bearer(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
}

fn set_cookie(response: &Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().split_once('=').unwrap().1.to_string())
}

/// Logs in through the form as a browser would; returns the session cookie.
async fn log_in(app: &Router, name: &str, password: &str) -> Result<String, StatusCode> {
    let (page, _) = send(app, get("/login", None)).await;
    let csrf = set_cookie(&page, "sightline_login").unwrap();
    let form = format!("name={name}&password={password}&csrf={csrf}&next=%2Fteams");
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("sightline_login={csrf}"))
        .body(Body::from(form))
        .unwrap();
    let (response, _) = send(app, request).await;
    if response.status() != StatusCode::SEE_OTHER {
        return Err(response.status());
    }
    assert_eq!(response.headers()[header::LOCATION], "/teams");
    let cookie = response.headers().get_all(header::SET_COOKIE).iter().next().unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), "{cookie}");
    Ok(format!("sightline_session={}", set_cookie(&response, "sightline_session").unwrap()))
}

async fn token_for(store: &Store, user: &str) -> String {
    let token = new_token();
    store.create_token(user, &token_digest(&token), "test").await.unwrap();
    token
}

#[tokio::test]
async fn nothing_is_served_without_logging_in() {
    let w = world().await;
    for page in ["/", "/teams?date=2024-09-30"] {
        let (r, _) = send(&w.app, get(page, None)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert!(r.headers()[header::LOCATION].to_str().unwrap().starts_with("/login?next=/"), "{page}");
    }
    for api in [
        "/api/v1/indicators?year=2024",
        "/api/v1/people",
        "/api/v1/staffing",
        "/api/v1/agency",
        "/api/v1/absence",
        "/api/v1/leavers",
        "/api/v1/openapi.json",
    ] {
        assert_eq!(send(&w.app, get(api, None)).await.0.status(), StatusCode::UNAUTHORIZED, "{api}");
        assert_eq!(send(&w.app, bearer(api, "not-a-token")).await.0.status(), StatusCode::UNAUTHORIZED, "{api}");
    }
    assert_eq!(send(&w.app, get("/", Some("sightline_session=forged"))).await.0.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logging_in_needs_the_form_token_the_right_password_and_is_rate_limited() {
    let w = world().await;
    let session = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, body) = send(&w.app, get("/", Some(&session))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body.contains("<h1>Overview</h1>"), "{body}");
    // Without the login form's token.
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=ada&password=ada-password&csrf=guess"))
        .unwrap();
    assert_eq!(send(&w.app, request).await.0.status(), StatusCode::FORBIDDEN);
    // After three wrong passwords, each makes the next try wait, even with the right one.
    for _ in 0..3 {
        assert_eq!(log_in(&w.app, "mo", "wrong").await, Err(StatusCode::UNAUTHORIZED));
    }
    assert_eq!(log_in(&w.app, "mo", "mo-password").await, Err(StatusCode::TOO_MANY_REQUESTS));
    let log = w.store.audit_log(50).await.unwrap();
    assert!(log.iter().any(|e| e.user == "ada" && e.action == "login"));
    assert_eq!(log.iter().filter(|e| e.user == "mo" && e.action == "login failed").count(), 3);
    // The count is the store's: a new server (a restart) still holds it back.
    let again = app(w.store.clone(), Settings::default()).await.unwrap();
    assert_eq!(log_in(&again, "mo", "mo-password").await, Err(StatusCode::TOO_MANY_REQUESTS));
    // Waits grow, but a user name from anywhere waits at most 30 seconds.
    let failures = w.store.login_failures(&["name:mo".to_string()]).await.unwrap();
    assert_eq!(failures[0].1, 3);
    // A reset forgets every failure in the user's name (the address's own
    // count, here the test's, is the address's).
    w.store.clear_login_failures(&["addr:unknown".to_string()], Some("mo")).await.unwrap();
    assert!(w.store.login_failures(&["name:mo".to_string(), "name:mo|unknown".to_string()]).await.unwrap().is_empty());
    assert!(log_in(&again, "mo", "mo-password").await.is_ok(), "a reset lifts the wait");
    // Logging out needs the session's form token, and ends the session.
    let (page, _) = send(&w.app, get("/teams", Some(&session))).await;
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = w.store.session(&token_digest(session.split_once('=').unwrap().1)).await.unwrap().unwrap().csrf;
    let logout = |csrf: String| {
        Request::post("/logout")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &session)
            .body(Body::from(format!("csrf={csrf}")))
            .unwrap()
    };
    assert_eq!(send(&w.app, logout("guess".into())).await.0.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(&w.app, logout(csrf)).await.0.status(), StatusCode::SEE_OTHER);
    assert_eq!(send(&w.app, get("/", Some(&session))).await.0.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_manager_sees_only_people_of_their_own_teams() {
    let w = world().await;
    let team = &w.workforce.teams()[0];
    // Need to know: in the team at the date, or left it in the 12 months before.
    let date = w.workforce.latest_date().unwrap();
    let year_before = date.checked_sub_months(chrono::Months::new(12)).unwrap();
    let in_team = |p: sightline_core::PersonIdx| -> Vec<&sightline_core::Spell> {
        w.workforce.spells_of(p).iter().filter(|s| w.workforce.team_name(s.team) == team).collect()
    };
    let theirs: BTreeSet<String> = w
        .workforce
        .person_indices()
        .filter(|p| in_team(*p).iter().any(|s| s.start <= date && s.end.is_none_or(|e| e >= year_before)))
        .map(|p| w.workforce.person(p).id.clone())
        .collect();
    let ever: usize = w.workforce.person_indices().filter(|p| !in_team(*p).is_empty()).count();
    assert!(!theirs.is_empty() && theirs.len() < ever, "some left the team long ago");
    let (r, body) = send(&w.app, bearer("/api/v1/people", &token_for(&w.store, "mo").await)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let seen: BTreeSet<String> =
        v["people"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(seen, theirs);
    // Someone who left the team long ago is not there to open; of someone
    // who is, only their time in the team is shown.
    let manager = log_in(&w.app, "mo", "mo-password").await.unwrap();
    let gone = w
        .workforce
        .person_indices()
        .find(|p| !in_team(*p).is_empty() && !theirs.contains(&w.workforce.person(*p).id))
        .unwrap();
    let (r, _) = send(&w.app, get(&format!("/people/{}", w.workforce.person(gone).id), Some(&manager))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let moved = w.workforce.person_indices().find(|p| {
        theirs.contains(&w.workforce.person(*p).id)
            && w.workforce.spells_of(*p).iter().any(|s| w.workforce.team_name(s.team) != team)
    });
    if let Some(p) = moved {
        let (r, page) = send(&w.app, get(&format!("/people/{}", w.workforce.person(p).id), Some(&manager))).await;
        assert_eq!(r.status(), StatusCode::OK);
        for s in w.workforce.spells_of(p) {
            let own_time = in_team(p)
                .iter()
                .any(|t| s.start <= t.end.unwrap_or(chrono::NaiveDate::MAX) && s.end.is_none_or(|e| e >= t.start));
            if !own_time {
                assert!(
                    !page.contains(&format!("<td>{}</td>", s.start)),
                    "a spell outside the team, from {}, is shown",
                    s.start
                );
            }
        }
    }
    // An admin sees everyone; an analyst sees pseudonyms only; a member nothing.
    let (_, body) = send(&w.app, bearer("/api/v1/people", &token_for(&w.store, "ada").await)).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["people"].as_array().unwrap().len(), w.workforce.persons().len());
    let (_, body) = send(&w.app, bearer("/api/v1/people", &token_for(&w.store, "ann").await)).await;
    assert!(!body.contains("\"id\"") && !body.contains("swe_no") && body.contains("pseudonym"), "{body}");
    let (r, _) = send(&w.app, bearer("/api/v1/people", &token_for(&w.store, "meg").await)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Each viewing of personal data is in the audit log.
    let log = w.store.audit_log(50).await.unwrap();
    for user in ["mo", "ada", "ann"] {
        assert!(log.iter().any(|e| e.user == user && e.action == "view people"), "{user}");
    }
}

#[tokio::test]
async fn the_api_gives_the_engines_figures_and_a_member_no_count_under_5() {
    let w = world().await;
    let expected = indicators(&w.workforce, &Calendar::england_and_wales(), Period::census_year(2024)).rounded();
    let (r, body) = send(&w.app, bearer("/api/v1/indicators?year=2024", &token_for(&w.store, "ada").await)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["time_period"], 2024);
    assert_eq!(v["inpost_headcount"], expected.inpost_headcount);
    assert_eq!(v["turnover_rate_fte"].as_f64(), expected.turnover_rate_fte);
    let member = token_for(&w.store, "meg").await;
    let (_, body) = send(&w.app, bearer("/api/v1/indicators?year=2024&by=team", &member)).await;
    let rows: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut suppressed = 0;
    for row in rows.as_array().unwrap() {
        for (key, value) in row.as_object().unwrap() {
            if key.ends_with("_headcount") || key == "cases" {
                match value.as_f64() {
                    Some(n) => assert!(n == 0.0 || n >= 5.0, "{key} = {n} shown to a member"),
                    None => {
                        assert_eq!(value, "c");
                        suppressed += 1;
                    }
                }
            }
        }
    }
    assert!(suppressed > 0, "some team has a count under 5");
    // Pages too: the member's overview shows no count under 5.
    let session = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, body) = send(&w.app, get("/teams?date=2024-09-30", Some(&session))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body.contains("Staffing position by team"), "{body}");
    let (_, spec) = send(&w.app, bearer("/api/v1/openapi.json", &member)).await;
    assert!(spec.contains("\"openapi\":\"3.1.0\"") && spec.contains("/api/v1/people"));
}

#[tokio::test]
async fn the_people_pages_follow_the_same_rules() {
    let w = world().await;
    let wf = &w.workforce;
    let team = &wf.teams()[0];
    let in_team = |p: sightline_core::PersonIdx| wf.spells_of(p).iter().any(|s| wf.team_name(s.team) == team);
    let mine = wf.person_indices().find(|p| in_team(*p)).map(|p| wf.person(p).id.clone()).unwrap();
    let other = wf.person_indices().find(|p| !in_team(*p)).map(|p| wf.person(p).id.clone()).unwrap();
    let manager = log_in(&w.app, "mo", "mo-password").await.unwrap();
    let (r, list) = send(&w.app, get("/people", Some(&manager))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(list.contains(&format!(">{mine}<")) && !list.contains(&format!(">{other}<")), "{list}");
    let (r, page) = send(&w.app, get(&format!("/people/{mine}"), Some(&manager))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("History"), "{page}");
    assert_eq!(send(&w.app, get(&format!("/people/{other}"), Some(&manager))).await.0.status(), StatusCode::NOT_FOUND);
    // Everyone, found by key: the first, the last, and a key nobody has.
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    for p in [wf.persons().first().unwrap(), wf.persons().last().unwrap()] {
        let (r, page) = send(&w.app, get(&format!("/people/{}", p.id), Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", p.id);
        assert!(page.contains(&format!("<dd>{}</dd>", p.id)), "{page}");
    }
    assert_eq!(send(&w.app, get("/people/NOBODY", Some(&admin))).await.0.status(), StatusCode::NOT_FOUND);
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    assert_eq!(send(&w.app, get("/people", Some(&member))).await.0.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(&w.app, get(&format!("/people/{mine}"), Some(&member))).await.0.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(&w.app, get("/data", Some(&member))).await.0.status(), StatusCode::FORBIDDEN);
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, data) = send(&w.app, get("/data", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(data.contains("Import batches"), "{data}");
    let log = w.store.audit_log(100).await.unwrap();
    assert!(log.iter().any(|e| e.user == "mo" && e.action == "view person" && e.detail.contains(&mine)));
    let (r, page) = send(&w.app, get("/audit", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("view person"), "{page}");
    assert_eq!(send(&w.app, get("/audit", Some(&manager))).await.0.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_agency_page_shows_the_cores_assignments() {
    let w = world().await;
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    let found = sightline_core::agency::assignments_at(&w.workforce, date);
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/agency?date=2024-09-30", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains(&format!("At 30 September 2024, {} agency assignments", found.len())), "{page}");
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/agency?date=2024-09-30", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK);
    if found.len() < 5 {
        assert!(page.contains("At 2024-09-30, c agency assignments"), "{page}");
    }
    let (r, _) = send(&w.app, get("/agency?date=not-a-date", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_turnover_page_counts_the_indicators_leavers() {
    let w = world().await;
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    let expected = indicators(&w.workforce, &Calendar::england_and_wales(), Period::census_year(2024));
    assert_eq!(
        sightline_core::leavers::leavers_in(&w.workforce, Period::twelve_months_to(date)).len() as u32,
        expected.leavers_headcount
    );
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/turnover?date=2024-09-30", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains(&format!("{} people left the authority", expected.leavers_headcount)), "{page}");
    assert!(page.contains("Rolling 12-month turnover"), "{page}");
}

#[tokio::test]
async fn the_absence_page_adds_up_to_the_years_days_lost_and_names_only_whom_one_may_see() {
    let w = world().await;
    let expected = indicators(&w.workforce, &Calendar::england_and_wales(), Period::census_year(2024));
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/absence?date=2024-09-30", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("Working days lost to sickness by month"), "{page}");
    // All sickness days by month, whoever took them; the indicator counts those in post at the date.
    let cal = Calendar::england_and_wales();
    let months = sightline_core::absence::sickness_by_month(
        &w.workforce,
        &cal,
        Period::census_year(2024).start,
        chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap(),
        20.0,
    );
    let total: f64 = months.iter().map(|m| m.short_term + m.long_term).sum();
    assert!(total + 1e-9 >= expected.working_days_lost_fte, "{total} {}", expected.working_days_lost_fte);
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/absence?date=2024-09-30", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!page.contains("that you may see"), "a member sees no names");
}

#[tokio::test]
async fn targets_are_shown_against_the_figures() {
    let w = world().await;
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    let agency = indicators(&w.workforce, &Calendar::england_and_wales(), Period::census_year(2024))
        .rounded()
        .agency_rate_fte
        .unwrap();
    let target = |value: f64| sightline_core::Target {
        figure: "agency_rate_fte".into(),
        at_most: true,
        value,
        by: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
    };
    w.store.add_target(&target(agency + 1.0), "test").await.unwrap();
    w.store.add_target(&target((agency - 1.0).max(0.0)), "test").await.unwrap();
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (_, page) = send(&w.app, get(&format!("/?date={date}"), Some(&admin))).await;
    assert!(page.contains("Targets, against the 12 months to 30 September 2024"), "{page}");
    assert!(page.contains("<td>met</td>") && page.contains("<td>not yet met</td>"), "{page}");
}

#[tokio::test]
async fn the_overview_can_show_one_team() {
    let w = world().await;
    let team = w.workforce.teams()[0].clone();
    let by_team = sightline_core::indicators_by(
        &w.workforce,
        &Calendar::england_and_wales(),
        Period::census_year(2024),
        sightline_core::Grouping::Team,
    );
    let expected =
        by_team.iter().find(|g| g.group.as_deref() == Some(team.as_str())).unwrap().indicators.inpost_headcount;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let uri = format!("/?date=2024-09-30&team={}", team.replace(' ', "+"));
    let (r, page) = send(&w.app, get(&uri, Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains(&format!("<h1>Overview: {team}</h1>")), "{page}");
    assert!(page.contains(&format!("Social workers in post (headcount)</a></th><td>{expected}</td>")), "{page}");
    let (r, _) = send(&w.app, get("/?team=Nowhere", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_figure_endpoint_answers_and_a_member_sees_no_count_of_1_to_4() {
    let w = world().await;
    let member = token_for(&w.store, "meg").await;
    let admin = token_for(&w.store, "ada").await;
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    for api in ["staffing", "agency", "absence", "leavers"] {
        let uri = format!("/api/v1/{api}?date={date}");
        let (r, body) = send(&w.app, bearer(&uri, &admin)).await;
        assert_eq!(r.status(), StatusCode::OK, "{api}: {body}");
        let (r, body) = send(&w.app, bearer(&uri, &member)).await;
        assert_eq!(r.status(), StatusCode::OK, "{api}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        fn check(v: &serde_json::Value, key: &str, api: &str) {
            match v {
                serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| check(x, k, api)),
                serde_json::Value::Array(a) => a.iter().for_each(|x| check(x, key, api)),
                serde_json::Value::Number(n)
                    if ["assignments", "leavers", "asyes", "conversions_in_12_months", "people_off_long_term"]
                        .contains(&key) =>
                {
                    let n = n.as_f64().unwrap();
                    assert!(n == 0.0 || n >= 5.0, "{api}: {key} = {n} shown to a member");
                }
                _ => {}
            }
        }
        check(&v, "", api);
    }
    let (_, body) = send(&w.app, bearer("/api/v1/agency?date=2024-09-30", &admin)).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["assignments"], sightline_core::agency::assignments_at(&w.workforce, date).len());
}

#[tokio::test]
async fn the_overview_can_show_one_service() {
    let w = world().await;
    let teams: Vec<String> = w.workforce.teams()[..2].to_vec();
    w.store.set_service("Front Door", &teams).await.unwrap();
    let groups = sightline_core::TeamGroups {
        names: vec!["Front Door".into(), "Other teams".into()],
        of_team: (0..w.workforce.teams().len()).map(|i| usize::from(i >= 2)).collect(),
    };
    let expected = sightline_core::indicators_by_team_groups(
        &w.workforce,
        &Calendar::england_and_wales(),
        Period::census_year(2024),
        &groups,
    )[0]
    .indicators
    .inpost_headcount;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/?date=2024-09-30&service=Front+Door", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("<h1>Overview: Front Door</h1>"), "{page}");
    assert!(page.contains(&format!("Social workers in post (headcount)</a></th><td>{expected}</td>")), "{page}");
    let (r, _) = send(&w.app, get("/?service=Back+Door", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_comparison_page_sets_the_authority_beside_its_neighbours() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/benchmark", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        page.contains("has not been told which council this is") && !page.contains("sightline serve"),
        "without an authority it says so, in words: {page}"
    );
    let settings = Settings { la: Some("839".into()), ..Settings::default() };
    let app = app(w.store.clone(), settings).await.unwrap();
    let admin = log_in(&app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&app, get("/benchmark", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("Bournemouth, Christchurch and Poole"), "{page}");
    assert!(page.contains("Neighbours' median") && page.contains("Each neighbour's published figures"), "{page}");
    assert!(page.matches("<th scope=\"row\">").count() >= 15, "five figures and ten neighbours: {page}");
}

#[tokio::test]
async fn reports_are_made_from_the_dashboard_and_only_admin_and_hr_make_internal_ones() {
    let w = world().await;
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, body) = send(&w.app, get("/report", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body.contains("name=\"internal\""), "admin may choose an internal report");
    let make = "/report/make?from=2023-10-01&to=2024-09-30";
    let (r, body) = send(&w.app, get(&format!("{make}&format=html"), Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline"));
    assert!(body.contains("Disclosure control applied") && body.contains("<svg"));
    let (r, body) = send(&w.app, get(&format!("{make}&format=html&internal=yes"), Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body.contains("Internal report"));
    for (format, media) in [("xlsx", "spreadsheetml"), ("docx", "wordprocessingml")] {
        let (r, _) = send(&w.app, get(&format!("{make}&format={format}"), Some(&ada))).await;
        assert_eq!(r.status(), StatusCode::OK, "{format}");
        assert!(r.headers()[header::CONTENT_TYPE].to_str().unwrap().contains(media));
        let disposition = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment") && disposition.ends_with(&format!(".{format}\"")));
    }
    // A member gets the report for publication, never the internal one.
    let meg = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (_, body) = send(&w.app, get("/report", Some(&meg))).await;
    assert!(!body.contains("name=\"internal\""));
    let (r, _) = send(&w.app, get(&format!("{make}&internal=yes"), Some(&meg))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (r, _) = send(&w.app, get("/report/make?from=2024-09-30&to=2023-10-01", Some(&meg))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let made: Vec<_> =
        w.store.audit_log(100).await.unwrap().into_iter().filter(|e| e.action == "make report").collect();
    assert_eq!(made.len(), 4, "every report made is audited");
    assert!(made.iter().any(|e| e.user == "ada" && e.detail.contains("internal")));
}

#[tokio::test]
async fn the_forecast_page_sets_a_scenario_beside_the_baseline() {
    let w = world().await;
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let target = sightline_core::Target {
        figure: "agency_rate_fte".to_string(),
        at_most: true,
        value: 20.0,
        by: "2027-03-31".parse().unwrap(),
    };
    w.store.add_target(&target, "ada").await.unwrap();
    let (r, body) = send(&w.app, get("/forecast?scenario=international-recruitment", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    assert!(body.contains("<h2>Baseline</h2>") && body.contains("<h2>25 international recruits over two years</h2>"));
    assert_eq!(body.matches("class=\"chart\"").count(), 8, "four fan charts a side");
    assert!(body.contains("Chance of meeting the target: Agency at most 20% by March 2028"), "the scenario's target");
    assert!(
        body.contains("Chance of meeting the target: Agency rate (FTE) % at most 20 by 31 March 2027"),
        "the authority's own target"
    );
    assert!(body.contains("Cost against doing nothing"));
    let at =
        body.find("Turnover a year ahead in the middle run is set to a blend, about ").expect("the blend, in words");
    let words = &body[at..at + body[at..].find("</p>").unwrap()];
    assert!(
        words.contains("four tenths the service's own over the months above (")
            && words.contains("the latest DfE had published"),
        "{words}"
    );
    assert!(
        body.contains("80 in 100 of the turnover rates, 79 in 100 of the agency rates and 80 in 100 of the vacancy rates a year ahead fell inside the shaded band"),
        "the measured calibration, in words"
    );
    let (r, _) = send(&w.app, get("/forecast?scenario=no-such-plan", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The same through the API, for scripts: the CLI's JSON.
    let member = token_for(&w.store, "meg").await;
    let uri = "/api/v1/forecast?scenario=international-recruitment&months=12&runs=200&seed=2";
    let (r, body) = send(&w.app, bearer(uri, &member)).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((v["runs"].as_u64(), v["months"].as_array().map(Vec::len)), (Some(200), Some(12)));
    assert_eq!(v["baseline"]["months"].as_array().map(Vec::len), Some(12));
    assert!(v["months"][11]["agency_rate_fte"]["p50"].is_number() && v["cost_against_baseline"]["p50"].is_number());
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(3), "the scenario's two and the authority's one");
    let (again, _) = send(&w.app, bearer(uri, &member)).await;
    assert_eq!(again.status(), StatusCode::OK);
    let (r, _) = send(&w.app, bearer("/api/v1/forecast?runs=0", &member)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let (r, _) = send(&w.app, bearer("/api/v1/forecast?scenario=nothing", &member)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (r, _) = send(&w.app, get("/api/v1/forecast", None)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_page_of_figures_warns_when_the_data_looks_incomplete() {
    let w = world().await;
    // Another system's people in a team that has no establishment.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("spells.csv"),
        "person_id,kind,team,org_role,start_date,end_date,fte\nX1,permanent,Newly Formed,5,2024-01-08,,1\n",
    )
    .unwrap();
    w.store.import_canonical(dir.path(), "other-hr", "tester", Strictness::Strict).await.unwrap();
    let settings = Settings { la: Some("839".into()), ..Settings::default() };
    let app = app(w.store.clone(), settings).await.unwrap();
    let admin = log_in(&app, "ada", "ada-password").await.unwrap();
    let member = log_in(&app, "meg", "meg-password").await.unwrap();
    for page in ["/", "/teams", "/turnover", "/absence", "/agency", "/benchmark", "/forecast"] {
        let (r, html) = send(&app, get(page, Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::OK, "{page}");
        assert!(
            html.contains("These figures may rest on incomplete data") && html.contains("Newly Formed"),
            "{page}: {html}"
        );
        let (_, html) = send(&app, get(page, Some(&member))).await;
        if html.contains("These figures may rest on incomplete data") {
            assert!(!html.contains("Newly Formed has"), "{page}: a member is only told that something is missing");
        }
    }
}

#[tokio::test]
async fn every_answer_carries_security_headers_and_login_keeps_to_this_site() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    for (uri, cookie) in [
        ("/login", None),
        ("/", Some(admin.as_str())),
        ("/api/v1/indicators", Some(admin.as_str())),
        ("/nowhere", None),
    ] {
        let (r, _) = send(&w.app, get(uri, cookie)).await;
        let h = r.headers();
        assert!(h[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{uri}");
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{uri}");
    }
    // A tab (or any control character) in `next` is not a path on this site.
    for next in ["/%09/evil.example", "/%0A/evil.example", "%2F%5Cevil.example"] {
        let (r, page) = send(&w.app, get(&format!("/login?next={next}"), None)).await;
        assert_eq!(r.status(), StatusCode::OK, "{next}");
        assert!(page.contains("name=\"next\" value=\"/\""), "{next}: {page}");
    }
    // A form of 200 KB is refused unread; a user name over 100 characters
    // is refused before anything of it is kept.
    let (page, _) = send(&w.app, get("/login", None)).await;
    let csrf = set_cookie(&page, "sightline_login").unwrap();
    for (name, status) in [
        (format!("{}%1B%5B2K", "x".repeat(200_000)), StatusCode::PAYLOAD_TOO_LARGE),
        (format!("{}%1B%5B2K", "x".repeat(5_000)), StatusCode::UNAUTHORIZED),
    ] {
        let request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("sightline_login={csrf}"))
            .body(Body::from(format!("name={name}&password=p&csrf={csrf}&next=%2F")))
            .unwrap();
        let (r, _) = send(&w.app, request).await;
        assert_eq!(r.status(), status);
    }
    let log = w.store.audit_log(5).await.unwrap();
    assert!(log.iter().all(|e| e.user.len() <= 200 && e.detail.len() <= 2100), "{log:?}");
    // Control characters in what is logged are written out.
    w.store.audit("ev\u{1b}[2Kil\nforged", "login", "x\u{0}y").await.unwrap();
    let e = &w.store.audit_log(1).await.unwrap()[0];
    assert_eq!((e.user.as_str(), e.detail.as_str()), ("ev\\u{1b}[2Kil\\u{a}forged", "x\\u{0}y"));
}

#[tokio::test]
async fn dates_and_periods_far_out_are_refused_not_worked_through() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    for uri in [
        "/turnover?date=9999-12-31",
        "/?date=1989-12-31",
        "/teams?date=-262143-01-01",
        "/api/v1/indicators?as_of=2101-01-01",
        "/api/v1/staffing?date=0001-01-01",
        "/report/make?from=0001-01-01&to=9999-12-31&format=html",
        "/report/make?from=2010-01-01&to=2024-12-31&format=html",
    ] {
        let (r, body) = send(&w.app, get(uri, Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{uri}: {body}");
    }
    // Ten years is allowed, where the records cover them (declared here), and not past the data's end.
    let (r, _) = send(&w.app, get("/report/make?from=2014-10-01&to=2024-09-30&format=html", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "records that begin in 2021 do not cover 2014");
    let from = "2014-10-01".parse().unwrap();
    w.store.set_complete_from(sightline_core::coverage::Records::Employment, Some(from), "test").await.unwrap();
    let (r, _) = send(&w.app, get("/report/make?from=2014-10-01&to=2024-09-30&format=html", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK, "ten years is allowed");
    let (r, body) = send(&w.app, get("/report/make?from=2024-01-01&to=2024-12-31&format=html", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("the data goes up to 30 September 2024"), "{body}");
}

#[tokio::test]
async fn a_member_gets_no_figure_resting_on_a_hidden_count_by_role_or_team() {
    let w = world().await;
    let member = token_for(&w.store, "meg").await;
    let admin = token_for(&w.store, "ada").await;
    for by in ["org_role", "team"] {
        let uri = format!("/api/v1/indicators?year=2024&by={by}");
        let rows = |body: String| -> Vec<serde_json::Value> { serde_json::from_str(&body).unwrap() };
        let seen = rows(send(&w.app, bearer(&uri, &member)).await.1);
        let all = rows(send(&w.app, bearer(&uri, &admin)).await.1);
        for row in &seen {
            for (figure, counts) in sightline_core::disclosure::RESTS_ON {
                if counts.iter().any(|c| row[*c] == "c") && row.get(*figure).is_some() {
                    assert_eq!(row[*figure], "c", "by {by}: {figure} shown beside a hidden count: {row}");
                }
            }
        }
        for f in sightline_core::disclosure::GROUP_COUNTS {
            for row in &seen {
                if let Some(n) = row[f].as_u64() {
                    assert!(n == 0 || n >= 5, "by {by}: {f} = {n}");
                }
            }
            // A count hidden alone in its column could be worked out from the total: it is not 1 to 4.
            let hidden: Vec<usize> = (0..seen.len()).filter(|g| seen[*g][f] == "c").collect();
            let total: u64 = all.iter().map(|r| r[f].as_u64().unwrap()).sum();
            if let ([g], true) = (&hidden[..], total >= 5) {
                let n = all[*g][f].as_u64().unwrap();
                assert!(n == 0 || n >= 5, "by {by}: {f} of 1 to 4 can be worked out from the total");
            }
        }
    }
}

#[tokio::test]
async fn a_members_overview_of_a_team_hides_what_rests_on_a_hidden_count() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let label = sightline_core::published::field_label;
    let mut seen_hidden = 0;
    for team in w.workforce.teams() {
        let uri = format!("/?date=2024-09-30&team={}", team.replace(' ', "+"));
        let (r, page) = send(&w.app, get(&uri, Some(&member))).await;
        assert_eq!(r.status(), StatusCode::OK);
        let cell = |f: &str| {
            let at = page.find(&format!("{}</a></th><td>", label(f))).unwrap_or_else(|| panic!("{f} on {page}"));
            let rest = &page[at + label(f).len() + "</a></th><td>".len()..];
            rest[..rest.find("</td>").unwrap()].to_string()
        };
        for (figure, counts) in sightline_core::disclosure::RESTS_ON {
            if ![
                "inpost_fte",
                "agency_fte",
                "turnover_rate_fte",
                "agency_rate_fte",
                "vacancy_rate_fte",
                "caseload_fte",
                "absence_rate_fte",
            ]
            .contains(figure)
            {
                continue;
            }
            let shown_counts: Vec<&&str> = counts
                .iter()
                .filter(|c| ["inpost_headcount", "leavers_headcount", "agency_headcount"].contains(*c))
                .collect();
            if shown_counts.iter().any(|c| cell(c) == "c") {
                seen_hidden += 1;
                assert_eq!(cell(figure), "c", "{team}: {figure} beside a hidden count");
            }
        }
    }
    assert!(seen_hidden > 0, "some team has a small count, so the rule was tried");
}

#[tokio::test]
async fn a_members_teams_page_shows_no_fte_of_fewer_than_5_people() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    let (r, page) = send(&w.app, get("/teams?date=2024-09-30", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let mut tried = 0;
    for s in sightline_core::staffing_by_team(&w.workforce, date) {
        let Some(at) = page.find(&format!("<th scope=\"row\">{}</th>", s.team)) else { continue };
        let row = &page[at..at + page[at..].find("</tr>").unwrap()];
        if row.contains("fewer than 5 people") {
            continue;
        }
        let cells: Vec<&str> = row.split("<td>").skip(1).map(|c| &c[..c.find("</td>").unwrap()]).collect();
        for (k, column) in [(0, 1), (1, 2), (2, 3)] {
            if sightline_core::disclosure::is_disclosive(s.headcount[k]) {
                tried += 1;
                assert_eq!(cells[column], "c", "{}: {} people shown as {} FTE", s.team, s.headcount[k], cells[column]);
            }
        }
    }
    assert!(tried > 0, "some team has 1 to 4 of a kind, so the rule was tried: {page}");
}

#[tokio::test]
async fn a_member_sees_no_single_assignment_and_no_agency_fte_of_fewer_than_5() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (_, page) = send(&w.app, get("/agency?date=2024-09-30", Some(&admin))).await;
    assert!(page.contains("Longest-running assignments"));
    let (_, page) = send(&w.app, get("/agency?date=2024-09-30", Some(&member))).await;
    assert!(!page.contains("Longest-running assignments"), "{page}");
    let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    let by_team = sightline_core::indicators_by(
        &w.workforce,
        &Calendar::england_and_wales(),
        Period::twelve_months_to(date),
        sightline_core::Grouping::Team,
    );
    for g in &by_team {
        let team = g.group.clone().unwrap();
        if sightline_core::disclosure::is_disclosive(g.indicators.agency_headcount) {
            let at = page.find(&format!("<th scope=\"row\">{team}</th>")).unwrap();
            let row = &page[at..at + page[at..].find("</tr>").unwrap()];
            assert!(row.contains("<td>c</td>") || row.contains("fewer than 5"), "{team}: {row}");
        }
    }
}

#[tokio::test]
async fn a_members_forecast_page_shows_no_count_of_leavers_under_5() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/forecast", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK, "{page}");
    let at = page.find("Leaving by length of service").unwrap();
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    for row in table.split("<tr>").skip(2) {
        let leavers = row.split("<td>").nth(1).map(|c| &c[..c.find("</td>").unwrap()]).unwrap();
        if let Ok(n) = leavers.parse::<u32>() {
            assert!(n == 0 || n >= 5, "{leavers} leavers shown to a member: {row}");
        } else {
            assert_eq!(leavers, "c");
        }
    }
    // The turnover blend: England's figure, none of the service's own nor
    // the blend (from which they could be worked back out).
    let at = page.find("Turnover a year ahead in the middle run is set to a blend").expect("the blend, in words");
    let words = &page[at..at + page[at..].find("</p>").unwrap()];
    assert!(words.contains("England's for the year to 30 September"), "{words}");
    assert_eq!(words.matches('%').count(), 1, "England's alone: {words}");
    assert!(!words.contains("about"), "{words}");
}

#[tokio::test]
async fn the_audit_page_is_paged_and_filtered_and_views_of_data_are_audited() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    for n in 0..150 {
        w.store.audit("mo", "view person", &format!("`P{n}`")).await.unwrap();
    }
    let (r, page) = send(&w.app, get("/audit?user=mo&action=view+person", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("100 entries, newest first") && page.contains("`P149`") && !page.contains("`P49`"), "{page}");
    let at = page.find("/audit?before=").unwrap();
    let href = page[at..page[at..].find('"').unwrap() + at].replace("&amp;", "&");
    let (_, older) = send(&w.app, get(&href, Some(&admin))).await;
    assert!(older.contains("50 entries") && older.contains("`P49`") && !older.contains("`P149`"), "{href}: {older}");
    let (r, _) = send(&w.app, get("/data", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let log = w.store.audit_log(3).await.unwrap();
    assert!(log.iter().any(|e| e.user == "ada" && e.action == "view data"), "{log:?}");
    assert_eq!(w.store.verify_audit().await.unwrap().broken, None);
}

#[tokio::test]
async fn a_members_turnover_page_gives_back_no_count_of_leavers_under_5() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/turnover?date=2024-09-30", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK);
    for caption in ["Leavers by reason", "Leavers by destination", "Leavers by length of unbroken service"] {
        let at = page.find(&format!("<caption>{caption}</caption>")).unwrap_or_else(|| panic!("{caption}"));
        let table = &page[at..at + page[at..].find("</table>").unwrap()];
        let cells: Vec<&str> = table.split("<td>").skip(1).map(|c| &c[..c.find("</td>").unwrap()]).collect();
        let mut hidden = 0;
        for c in &cells {
            match c.parse::<u32>() {
                Ok(n) => assert!(n == 0 || n >= 5, "{caption}: {n}"),
                Err(_) => {
                    assert_eq!(*c, "c");
                    hidden += 1;
                }
            }
        }
        let total_hidden = page.contains("<p>c people left");
        assert!(hidden != 1 || total_hidden, "{caption}: one count alone is hidden beside its total: {cells:?}");
    }
}

#[tokio::test]
async fn a_members_absence_page_hides_no_team_alone() {
    let w = world().await;
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/absence?date=2024-09-30", Some(&member))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let at = page.find("Working days lost and absence rate by team").unwrap();
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    let hidden = table.split("<tr>").filter(|row| row.contains("<td>c</td>") || row.contains("fewer than 5")).count();
    assert_ne!(hidden, 1, "one team's days alone would be the authority's less the others': {table}");
}

/// A synthetic authority of about `people` for census years 2023-2024
/// (seed `seed`) in a fresh store: the folder it lives in, its workforce and the store.
async fn random_store(seed: u64, people: u32) -> (tempfile::TempDir, sightline_core::Workforce, Store) {
    let dir = tempfile::tempdir().unwrap();
    let request = SynthRequest::new(Basis::Size { people }, 2023..=2024, seed);
    let workforce = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&workforce, &dir.path().join("data")).unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    store.import_canonical(&dir.path().join("data"), "hr", "tester", Strictness::Strict).await.unwrap();
    (dir, workforce, store)
}

/// Random workforces (sizes and seeds), every breakdown of the API as a
/// member sees it: no count of 1 to 4 shown, none that could be worked out
/// from a total, and no figure beside a hidden count it rests on.
#[tokio::test]
async fn for_random_workforces_no_member_answer_gives_back_a_count_under_5() {
    for (seed, people) in [(11u64, 25u32), (12, 40), (13, 60), (14, 90), (15, 18)] {
        let (_dir, _, store) = random_store(seed, people).await;
        store.add_user("meg", Role::Member, &[], &hash_password("x")).await.unwrap();
        store.add_user("ada", Role::Admin, &[], &hash_password("x")).await.unwrap();
        let app = app(store.clone(), Settings::default()).await.unwrap();
        let (member, admin) = (token_for(&store, "meg").await, token_for(&store, "ada").await);
        for uri in [
            "/api/v1/indicators?year=2024",
            "/api/v1/indicators?year=2024&by=team",
            "/api/v1/indicators?year=2024&by=org_role",
        ] {
            let rows = |body: String| -> Vec<serde_json::Value> {
                match serde_json::from_str::<serde_json::Value>(&body).unwrap() {
                    serde_json::Value::Array(a) => a,
                    one => vec![one],
                }
            };
            let seen = rows(send(&app, bearer(uri, &member)).await.1);
            let all = rows(send(&app, bearer(uri, &admin)).await.1);
            for row in &seen {
                for (figure, counts) in sightline_core::disclosure::RESTS_ON {
                    if counts.iter().any(|c| row[*c] == "c") && row.get(*figure).is_some() {
                        assert_eq!(row[*figure], "c", "seed {seed} {uri}: {figure} beside a hidden count");
                    }
                }
            }
            for f in sightline_core::disclosure::GROUP_COUNTS {
                for row in &seen {
                    if let Some(n) = row[f].as_u64() {
                        assert!(n == 0 || n >= 5, "seed {seed} {uri}: {f} = {n}");
                    }
                }
                let hidden: Vec<usize> = (0..seen.len()).filter(|g| seen[*g][f] == "c").collect();
                let total: u64 = all.iter().map(|r| r[f].as_u64().unwrap_or(0)).sum();
                if let ([g], true) = (&hidden[..], seen.len() > 1 && total >= 5) {
                    let n = all[*g][f].as_u64().unwrap_or(0);
                    assert!(n == 0 || n >= 5, "seed {seed} {uri}: {f} of {n} can be worked out from the total");
                }
            }
        }
    }
}

/// The cells of each table of a page: its column headings, and each row's
/// cells (the row's heading first) as text.
fn tables(page: &str) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let text = |html: &str| -> String {
        let mut out = String::new();
        let mut tag = false;
        for ch in html.chars() {
            match ch {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        out.trim().to_string()
    };
    let cells = |row: &str| -> Vec<String> {
        row.split("<t")
            .skip(1)
            .filter(|c| c.starts_with('d') || c.starts_with('h'))
            .map(|c| text(&format!("<t{c}")))
            .collect()
    };
    page.split("<table")
        .skip(1)
        .map(|t| {
            let t = t.split("</table>").next().unwrap_or_default();
            let head = t.split("<thead").nth(1).and_then(|h| h.split("</thead>").next()).map(cells).unwrap_or_default();
            let body = t.split("<tbody").nth(1).unwrap_or_default();
            let rows = body.split("<tr").skip(1).map(cells).collect();
            (head, rows)
        })
        .collect()
}

/// Random workforces, every page a member opens: no column counting people
/// shows 1 to 4, no column of counts leaves a lone hidden cell beside a
/// total, and no person is named.
#[tokio::test]
async fn for_random_workforces_no_members_page_shows_a_count_under_5_or_a_person() {
    // Count cells looked at, and hidden: the test must have something to judge.
    let (mut looked, mut hid) = (0, 0);
    for (seed, people) in [(21u64, 22u32), (22, 45), (23, 70), (24, 16)] {
        let (_dir, workforce, store) = random_store(seed, people).await;
        store.add_user("meg", Role::Member, &[], &hash_password("meg-password")).await.unwrap();
        let app = app(store.clone(), Settings::default()).await.unwrap();
        let cookie = log_in(&app, "meg", "meg-password").await.unwrap();
        let ids: Vec<&str> = workforce.persons().iter().map(|p| p.id.as_str()).collect();
        for uri in ["/", "/teams", "/turnover", "/absence", "/agency", "/forecast", "/benchmark"] {
            let (response, page) = send(&app, get(uri, Some(&cookie))).await;
            assert_eq!(response.status(), StatusCode::OK, "seed {seed} {uri}");
            let words: BTreeSet<&str> = page.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            if let Some(id) = ids.iter().find(|id| words.contains(**id)) {
                panic!("seed {seed} {uri}: person {id} named to a member");
            }
            for (head, rows) in tables(&page) {
                for (c, heading) in head.iter().enumerate() {
                    let h = heading.to_lowercase();
                    let counts_people = ["people", "leavers", "starters", "headcount", "asye", "workers", "number"]
                        .iter()
                        .any(|w| h.contains(w))
                        && !["fte", "rate", "%", "days", "cost", "weeks", "£"].iter().any(|w| h.contains(w));
                    if !counts_people {
                        continue;
                    }
                    for row in &rows {
                        if let Some(n) = row.get(c).and_then(|v| v.parse::<u32>().ok()) {
                            assert!(n == 0 || n >= 5, "seed {seed} {uri}: {heading} = {n} in {row:?}");
                            looked += 1;
                        }
                    }
                    let hidden = rows.iter().filter(|r| r.get(c).is_some_and(|v| v.starts_with('c'))).count();
                    hid += hidden;
                    let has_total = rows
                        .iter()
                        .any(|r| r.first().is_some_and(|l| ["Total", "All teams", "Authority"].contains(&l.as_str())));
                    assert!(
                        !(has_total && hidden == 1),
                        "seed {seed} {uri}: one hidden {heading} beside a total: {rows:?}"
                    );
                }
            }
        }
    }
    assert!(looked > 20 && hid > 5, "{looked} counts shown and {hid} hidden: the pages' tables were not read");
}

/// Logs in with a given X-Forwarded-For; the status.
async fn log_in_from(app: &Router, name: &str, password: &str, from: &str) -> StatusCode {
    let (page, _) = send(app, get("/login", None)).await;
    let csrf = set_cookie(&page, "sightline_login").unwrap();
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("sightline_login={csrf}"))
        .header("x-forwarded-for", format!("203.0.113.9, {from}"))
        .body(Body::from(format!("name={name}&password={password}&csrf={csrf}&next=%2F")))
        .unwrap();
    send(app, request).await.0.status()
}

#[tokio::test]
async fn behind_a_proxy_failed_logins_count_against_the_clients_address() {
    let w = world().await;
    let proxied = app(w.store.clone(), Settings { behind_proxy: true, ..Settings::default() }).await.unwrap();
    for name in ["x1", "x2", "x3"] {
        assert_eq!(log_in_from(&proxied, name, "wrong", "198.51.100.1").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(log_in_from(&proxied, "ada", "ada-password", "198.51.100.1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        log_in_from(&proxied, "ada", "ada-password", "198.51.100.2").await,
        StatusCode::SEE_OTHER,
        "another client"
    );
    // Not behind a proxy, the header is not believed: the address is the connection's.
    w.store.clear_login_failures(&["addr:unknown".to_string()], None).await.unwrap();
    for name in ["y1", "y2", "y3"] {
        assert_eq!(log_in_from(&w.app, name, "wrong", "198.51.100.3").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(log_in_from(&w.app, "ada", "ada-password", "198.51.100.4").await, StatusCode::TOO_MANY_REQUESTS);
}

/// No page gives a figure for a time the records do not cover: after the
/// data ends every page says "no data" and why; before the employment
/// records are complete (here declared from 1 October 2023), the year
/// before shows "no data" for what rests on them, and the trend and the
/// rolling turnover start at the first year they cover whole.
#[tokio::test]
async fn no_page_shows_a_figure_outside_the_records_coverage() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    for path in ["/", "/teams", "/turnover", "/absence", "/agency"] {
        let (r, page) = send(&w.app, get(&format!("{path}?date=2031-01-01"), Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("No data for 1 January 2031: the data goes up to 30 September 2024"), "{path}: {page}");
        assert!(!page.contains("0.0"), "{path}: a figure shown after the data ends");
    }
    let from = "2023-10-01".parse().unwrap();
    w.store.set_complete_from(sightline_core::coverage::Records::Employment, Some(from), "test").await.unwrap();
    let (r, page) = send(&w.app, get("/?date=2024-09-30", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let row = |label: &str| {
        let at = page.find(&format!("{label}</a></th>")).unwrap_or_else(|| panic!("{label}: {page}"));
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("Turnover rate (FTE) %").ends_with("</td><td>no data</td>"), "{}", row("Turnover rate (FTE) %"));
    assert!(row("Starters (headcount)").ends_with("</td><td>no data</td>"));
    let in_post = row("Social workers in post (headcount)");
    assert!(
        in_post.contains("</th><td>") && !in_post.contains("</th><td>no data"),
        "in post on a covered day is known: {in_post}"
    );
    assert!(in_post.ends_with("<td>no data</td>"), "and not on 30 September 2023, before the records: {in_post}");
    assert!(page.contains("Employment records are complete only from 1 October 2023"), "the reason is given");
    let trend = &page[page.find("The chart's figures").unwrap()..];
    assert!(trend.contains(">2024</th>") && !trend.contains(">2023</th>"), "the trend starts at 2024: {trend}");
    let (_, page) = send(&w.app, get("/turnover?date=2024-09-30", Some(&admin))).await;
    let months = &page[page.find("in the 12 months to each month end").unwrap()..];
    assert!(months.contains(">Sep 2024</th>") && !months.contains(">Aug 2024</th>"), "{months}");
    let (_, page) = send(&w.app, get("/turnover?date=2024-06-30", Some(&admin))).await;
    assert!(page.contains("No data: Employment records are complete only from 1 October 2023"), "{page}");
    // Before the records begin at all, no page has figures.
    let (r, page) = send(&w.app, get("/teams?date=2023-09-01", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "{page}");
}

/// The Turnover page for one team: the team's rolling turnover as the
/// engine gives it, its leavers only, and for a member no rate the core's
/// rule hides among the teams.
#[tokio::test]
async fn the_turnover_page_shows_one_team() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let member = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let cal = Calendar::england_and_wales();
    let date: chrono::NaiveDate = "2024-09-30".parse().unwrap();
    let groups = sightline_core::indicators_by(
        &w.workforce,
        &cal,
        Period::twelve_months_to(date),
        sightline_core::Grouping::Team,
    );
    let mut checked = 0;
    for g in &groups {
        let team = g.group.clone().unwrap();
        let uri = format!("/turnover?date=2024-09-30&team={}", team.replace(' ', "+"));
        let (r, page) = send(&w.app, get(&uri, Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::OK, "{team}");
        let last = page[page.find("<th scope=\"row\">Sep 2024</th><td>").unwrap() + 33..]
            .split("</td>")
            .next()
            .unwrap()
            .to_string();
        let want = g.indicators.rounded().turnover_rate_fte.map_or("-".to_string(), |v| format!("{v:.1}%"));
        assert_eq!(last, want, "{team}");
        let leavers = sightline_core::leavers::leavers_in(&w.workforce, Period::twelve_months_to(date))
            .iter()
            .filter(|l| w.workforce.team_name(l.team) == team)
            .count();
        let said = if leavers == 1 { "1 person".to_string() } else { format!("{leavers} people") };
        assert!(page.contains(&format!("{said} left the authority's employment from {team}")), "{team}");
        let (_, seen) = send(&w.app, get(&uri, Some(&member))).await;
        let shown = seen[seen.find("<th scope=\"row\">Sep 2024</th><td>").unwrap() + 33..]
            .split("</td>")
            .next()
            .unwrap()
            .to_string();
        if shown == "c" {
            checked += 1;
        } else {
            assert_eq!(shown, want, "{team}: a member sees the engine's rate when it may be shown");
            assert!(
                g.indicators.leavers_headcount == 0 || g.indicators.leavers_headcount >= 5,
                "{team}: a rate of 1 to 4 leavers shown"
            );
        }
    }
    assert!(checked > 0, "some team's rate was hidden from the member");
}

/// A manager opens the overview on their own team, and may choose all teams.
#[tokio::test]
async fn a_manager_starts_on_their_own_team() {
    let w = world().await;
    let mo = log_in(&w.app, "mo", "mo-password").await.unwrap();
    let team = w.workforce.teams()[0].clone();
    let (_, page) = send(&w.app, get("/", Some(&mo))).await;
    assert!(page.contains(&format!("<h1>Overview: {team}</h1>")), "{page}");
    let (_, page) = send(&w.app, get("/?team=", Some(&mo))).await;
    assert!(page.contains("<h1>Overview</h1>"), "All teams, when chosen");
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (_, page) = send(&w.app, get("/", Some(&ada))).await;
    assert!(page.contains("<h1>Overview</h1>"), "others start on the authority");
}

/// A forecast is fitted only on months the employment records cover whole,
/// and refused when they cover less than a year.
#[tokio::test]
async fn forecasts_rest_only_on_covered_months() {
    use sightline_core::coverage::Records;
    let w = world().await;
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    w.store.set_complete_from(Records::Employment, Some("2023-01-01".parse().unwrap()), "test").await.unwrap();
    let (r, page) = send(&w.app, get("/forecast", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK);
    // January 2023 to September 2024: 21 whole months.
    assert!(page.contains("at the rates of the last 21 months"), "{page}");
    w.store.set_complete_from(Records::Employment, Some("2024-03-01".parse().unwrap()), "test").await.unwrap();
    let (r, page) = send(&w.app, get("/forecast", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // March to September 2024: 7 whole months, fewer than 12.
    assert!(page.contains("the records cover 7 months to 30 September 2024"), "{page}");
}

/// The Development page and API: the figures for everyone, the people whose
/// supervision is overdue for those who may see them (audited), a
/// manager's own teams in the table, and for a member no count of 1 to 4.
#[tokio::test]
async fn development_shows_figures_to_all_and_people_only_to_those_who_may_see_them() {
    let w = world().await;
    // Synthetic development exports for the same people, through the shipped profiles (they join source `hr`).
    let from = w.workforce.spells().iter().map(|s| s.start).min().unwrap();
    let to = w.workforce.latest_date().unwrap();
    let records = sightline_synth::development::development(&w.workforce, from, to, 3);
    import_shipped(
        &w.store,
        sightline_synth::development::exports(&w.workforce, &records),
        &sightline_synth::development::EXPORTS,
    )
    .await;
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/development", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::OK, "{page}");
    assert!(
        page.contains("Supervision on time")
            && page.contains("supervision is overdue on")
            && page.contains("that you may see"),
        "{page}"
    );
    let audit = w.store.audit_log(20).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "view development" && e.user == "ada"), "viewing people is audited");

    // The API gives the core's figures, rounded.
    let (_, body) = send(&w.app, get("/api/v1/development", Some(&ada))).await;
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    let date: chrono::NaiveDate = api["as_of"].as_str().unwrap().parse().unwrap();
    let wf = w.store.load_workforce().await.unwrap();
    let dev = w.store.load_development(&wf).await.unwrap();
    let core = sightline_core::development::development_figures(&wf, &dev, &Default::default(), date, None).rounded();
    assert_eq!(api["supervision_on_time_pct"].as_f64(), core.supervision_on_time_pct);
    assert_eq!(api["cpd_on_track_pct"].as_f64(), core.cpd_on_track_pct);
    assert_eq!(api["asye_in_programme"].as_u64(), core.asye_in_programme.map(u64::from));

    // A manager's table holds their own team; no one outside it is named.
    let mo = log_in(&w.app, "mo", "mo-password").await.unwrap();
    let (_, page) = send(&w.app, get("/development", Some(&mo))).await;
    let table = &page[page.find("Development by team").expect("the table by team")..];
    let mine = &w.workforce.teams()[0];
    assert!(table.contains(&format!(">{mine}<")), "{table}");
    for other in w.workforce.teams().iter().filter(|t| *t != mine) {
        assert!(!table.contains(&format!(">{other}<")), "{other} is not the manager's team");
    }

    // A member: no people, and no count of 1 to 4 from the API.
    let meg = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (r, page) = send(&w.app, get("/development", Some(&meg))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!page.contains("that you may see") && !page.contains("/people/"), "{page}");
    let (_, body) = send(&w.app, get("/api/v1/development", Some(&meg))).await;
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    for (name, value) in api.as_object().unwrap() {
        if let Some(n) =
            value.as_u64().filter(|_| !name.ends_with("_pct") && !name.ends_with("_mean") && !name.ends_with("_12m"))
        {
            assert!(n == 0 || n >= 5, "{name} = {n}");
        }
    }
    // A member sees no team's figures: beside the others', they could give back small counts.
    let team = w.workforce.teams()[0].replace(' ', "+");
    let (r, _) = send(&w.app, get(&format!("/api/v1/development?team={team}"), Some(&meg))).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (r, page) = send(&w.app, get(&format!("/development?team={team}"), Some(&meg))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(page.contains("shown for the whole authority only") && !page.contains("Development by team"), "{page}");
}

/// ER casework is for HR and admin alone: never on a page or in an answer
/// of the API for a manager, analyst or member; an admin's view is audited.
#[tokio::test]
async fn er_casework_is_never_seen_by_managers_analysts_or_members() {
    let w = world().await;
    let from = w.workforce.spells().iter().map(|s| s.start).min().unwrap();
    let to = w.workforce.latest_date().unwrap();
    let calendar = Calendar::england_and_wales();
    let records = sightline_synth::voice::voice(&w.workforce, &calendar, from, to, 5);
    assert!(
        !records.er_cases.is_empty() && !records.exits.is_empty(),
        "the synthetic authority has casework and leavers"
    );
    import_shipped(&w.store, sightline_synth::voice::exports(&w.workforce, &records), &sightline_synth::voice::EXPORTS)
        .await;
    // The last date the data speaks of: cases are open then.
    let date = to;
    assert!(records.er_cases.iter().any(|c| c.open_on(date)));
    let q = format!(
        "?day={}&month={}&year={}",
        chrono::Datelike::day(&date),
        chrono::Datelike::month(&date),
        chrono::Datelike::year(&date)
    );
    for (name, sees) in [("ada", true), ("mo", false), ("ann", false), ("meg", false)] {
        let cookie = log_in(&w.app, name, &format!("{name}-password")).await.unwrap();
        let (r, page) = send(&w.app, get(&format!("/voice{q}"), Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}: {page}");
        assert_eq!(page.contains("Employee relations casework"), sees, "{name}");
        // Each team's themes beside its turnover and caseload, for all but members.
        assert_eq!(page.contains("Survey themes by team, beside turnover and caseload"), name != "meg", "{name}");
        let (_, body) = send(&w.app, get("/api/v1/voice", Some(&cookie))).await;
        let api: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(api.get("er_open_by_type").is_some(), sees, "{name}: {body}");
        assert_eq!(api.get("longterm_sick_without_case").is_some(), sees, "{name}");
        let (r, page) = send(&w.app, get("/leaving", Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}: {page}");
        assert!(!page.contains("Attendance") && !page.contains("sickness-absence case"), "{name}");
    }
    let audit = w.store.audit_log(50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "view ER" && e.user == "ada"));
    assert!(!audit.iter().any(|e| e.action == "view ER" && e.user != "ada"));
    // A member sees no count of 1 to 4 of the staff-voice figures.
    let meg = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (_, body) = send(&w.app, get("/api/v1/voice", Some(&meg))).await;
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    for r in api["exit_reasons"].as_array().unwrap() {
        if let Some(n) = r["count"].as_u64() {
            assert!(n == 0 || n >= 5, "{r}");
        }
    }
    for t in api["survey_themes"].as_array().unwrap() {
        if let Some(n) = t["respondents"].as_u64() {
            assert!(n >= 5, "{t}");
        }
    }
}

#[tokio::test]
async fn recruitment_is_for_all_each_assignments_compliance_only_for_hr_and_admin() {
    let w = world().await;
    let from = w.workforce.spells().iter().map(|s| s.start).min().unwrap();
    let to = w.workforce.latest_date().unwrap();
    let records = sightline_synth::recruitment::recruitment(&w.workforce, from, to, 5);
    assert!(!records.vacancies.is_empty() && !records.payments.is_empty(), "the synthetic authority recruits and pays");
    import_shipped(
        &w.store,
        sightline_synth::recruitment::exports(&w.workforce, &records),
        &sightline_synth::recruitment::EXPORTS,
    )
    .await;
    for (name, sees) in [("ada", true), ("mo", false), ("ann", false), ("meg", false)] {
        let cookie = log_in(&w.app, name, &format!("{name}-password")).await.unwrap();
        let (r, page) = send(&w.app, get("/recruitment", Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}: {page}");
        assert!(page.contains("From application to start") && page.contains("Starts by route"), "{name}");
        let (r, page) = send(&w.app, get("/agency-rules", Some(&cookie))).await;
        assert_eq!(r.status() == StatusCode::OK, sees, "{name}: {page}");
        assert_eq!(page.contains("Assignments breaking each rule"), sees, "{name}");
        if !sees {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{name}");
        }
        let (r, page) = send(&w.app, get("/turnover", Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}");
        assert!(page.contains("Incentive and retention payments"), "{name}");
        let (_, page) = send(&w.app, get("/agency", Some(&cookie))).await;
        assert!(page.contains("DfE&#39;s agency rules") || page.contains("DfE's agency rules"), "{name}");
        let (r, body) = send(&w.app, get("/api/v1/agency-rules", Some(&cookie))).await;
        assert_eq!(r.status() == StatusCode::OK, sees, "{name}: {body}");
        let (r, body) = send(&w.app, get("/api/v1/recruitment", Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}: {body}");
        let api: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(api["stage_conversion"].as_array().is_some_and(|s| s.len() == 6), "{name}: {body}");
        if name == "meg" {
            let counts = api["stage_conversion"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| &s["count"])
                .chain(api["starts_by_route"].as_array().unwrap().iter().map(|s| &s["starts"]))
                .chain(["open_vacancies", "starts", "withdrawals", "advertised"].iter().map(|f| &api[*f]));
            for n in counts.filter_map(serde_json::Value::as_u64) {
                assert!(n == 0 || n >= 5, "{body}");
            }
        }
    }
    let audit = w.store.audit_log(50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "view agency rules" && e.user == "ada"));
    assert!(!audit.iter().any(|e| e.action == "view agency rules" && e.user != "ada"));
    // A member's recruitment page: no count of 1 to 4 of candidates, starts or withdrawals, and no team's page.
    let meg = log_in(&w.app, "meg", "meg-password").await.unwrap();
    let (_, page) = send(&w.app, get("/recruitment", Some(&meg))).await;
    let mut looked = 0;
    for (head, rows) in tables(&page) {
        for (c, heading) in head.iter().enumerate() {
            if !["Candidates", "Starts", "Withdrawn"].contains(&heading.as_str()) {
                continue;
            }
            for row in &rows {
                if let Some(n) = row.get(c).and_then(|v| v.parse::<u32>().ok()) {
                    assert!(n == 0 || n >= 5, "{heading} = {n} in {row:?}");
                    looked += 1;
                }
            }
        }
    }
    assert!(looked > 0, "the member's tables were not read: {page}");
    let team = w.workforce.teams()[0].replace(' ', "+");
    let (_, page) = send(&w.app, get(&format!("/recruitment?team={team}"), Some(&meg))).await;
    assert!(page.contains("shown for the whole authority only"), "{page}");
}

#[tokio::test]
async fn capacity_names_who_is_away_only_to_those_who_may_see_them() {
    let w = world().await;
    let date = w.workforce.latest_date().unwrap();
    // Two people in post on the last date: one on maternity leave, one seconded out.
    let in_post: Vec<&str> = w
        .workforce
        .spells()
        .iter()
        .filter(|s| s.kind.is_employed() && s.in_post_at(date))
        .map(|s| w.workforce.person(s.person).id.as_str())
        .collect();
    let uk = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let from = date - chrono::Days::new(40);
    let csv = format!(
        "Employee Number,First Day,Last Day,Absence Type,Working Days Lost\n{},{},{},Maternity leave,\n{},{},{},Secondment to NHS,\n",
        in_post[0],
        uk(from),
        uk(date),
        in_post[1],
        uk(from),
        uk(date)
    );
    import_shipped(&w.store, vec![("absence.csv".into(), csv)], &["absence-episodes"]).await;
    let q = format!(
        "?day={}&month={}&year={}",
        chrono::Datelike::day(&date),
        chrono::Datelike::month(&date),
        chrono::Datelike::year(&date)
    );
    for (name, names) in [("ada", true), ("ann", false), ("meg", false)] {
        let cookie = log_in(&w.app, name, &format!("{name}-password")).await.unwrap();
        let (r, page) = send(&w.app, get(&format!("/capacity{q}"), Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}: {page}");
        assert!(page.contains("Seconded out") && page.contains("Teams under pressure"), "{name}");
        assert_eq!(page.contains("Who is away"), names, "{name}");
        assert_eq!(page.contains(in_post[0]), names, "{name}");
        // FTE by team rests on few people: members see counts only.
        assert_eq!(page.contains("Available capacity by team"), name != "meg", "{name}");
        assert_eq!(page.contains("Available FTE against establishment, month by month"), name != "meg", "{name}");
    }
    // Staff beside the social workers, with directorates: the Absence page's all-staff table, never a member's.
    let wider = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ingest/profiles/examples/wider-workforce.csv"
    ))
    .unwrap();
    import_shipped(&w.store, vec![("wider.csv".into(), wider)], &["wider-workforce"]).await;
    for (name, sees) in [("ada", true), ("meg", false)] {
        let cookie = log_in(&w.app, name, &format!("{name}-password")).await.unwrap();
        let (r, page) = send(&w.app, get(&format!("/absence{q}"), Some(&cookie))).await;
        assert_eq!(r.status(), StatusCode::OK, "{name}");
        assert_eq!(page.contains("All staff by directorate"), sees, "{name}");
        assert!(
            !page.contains("Business Support</option>"),
            "{name}: a wider-only team among the social workers' teams"
        );
    }
    let audit = w.store.audit_log(50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "view capacity" && e.user == "ada"));
    assert!(!audit.iter().any(|e| e.action == "view capacity" && e.user != "ada"));
}

/// Two servers on one PostgreSQL store behave as one: a session made on
/// one is good on the other, a lockout on one holds on the other (the login
/// form of one is taken by the other), and an import seen by one is seen by
/// the other at its next request. Runs when `SIGHTLINE_TEST_PG` names a server.
#[tokio::test]
async fn two_servers_on_one_postgresql_store_share_sessions_lockouts_and_imports() {
    use sqlx::Connection as _;
    let Ok(server) = std::env::var("SIGHTLINE_TEST_PG") else {
        eprintln!("SIGHTLINE_TEST_PG is not set: the two-server story was not run");
        return;
    };
    let mut admin = sqlx::PgConnection::connect(&server).await.expect("SIGHTLINE_TEST_PG is set but cannot be reached");
    let name = format!("sightline_two_servers_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let request = SynthRequest::new(Basis::Size { people: 60 }, 2023..=2024, 11);
    let workforce = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&workforce, &data).unwrap();
    // Each server with its own connections and its own caches.
    let (store_a, store_b) = (Store::open(&url).await.unwrap(), Store::open(&url).await.unwrap());
    store_a.import_canonical(&data, "hr", "tester", Strictness::Strict).await.unwrap();
    for (user, role) in [("ada", Role::Admin), ("mo", Role::Manager)] {
        store_a.add_user(user, role, &[], &hash_password(&format!("{user}-password"))).await.unwrap();
    }
    let a = app(store_a.clone(), Settings::default()).await.unwrap();
    let b = app(store_b.clone(), Settings::default()).await.unwrap();
    // A session made on A is good on B.
    let session = log_in(&a, "ada", "ada-password").await.unwrap();
    let (r, body) = send(&b, get("/", Some(&session))).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    // The login form from A is taken by B.
    let (page, _) = send(&a, get("/login", None)).await;
    let csrf = set_cookie(&page, "sightline_login").unwrap();
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("sightline_login={csrf}"))
        .body(Body::from(format!("name=ada&password=ada-password&csrf={csrf}&next=%2F")))
        .unwrap();
    assert_eq!(send(&b, request).await.0.status(), StatusCode::SEE_OTHER);
    // Three wrong passwords on A hold the right one back on B.
    for _ in 0..3 {
        assert_eq!(log_in(&a, "mo", "wrong").await, Err(StatusCode::UNAUTHORIZED));
    }
    assert_eq!(log_in(&b, "mo", "mo-password").await, Err(StatusCode::TOO_MANY_REQUESTS));
    // An import through A is in B's next answer.
    let token = token_for(&store_a, "ada").await;
    let date = workforce.latest_date().unwrap();
    let uri = format!("/api/v1/indicators?as_of={date}");
    let (_, before) = send(&b, bearer(&uri, &token)).await;
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    let more = dir.path().join("more");
    let bigger = SynthRequest::new(Basis::Size { people: 90 }, 2023..=2024, 12);
    let other = synthesize(&bigger, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&other, &more).unwrap();
    store_a.import_canonical(&more, "hr", "tester", Strictness::Strict).await.unwrap();
    let (_, after) = send(&b, bearer(&uri, &token)).await;
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    let expected = indicators(&other, &Calendar::england_and_wales(), Period::twelve_months_to(date)).rounded();
    assert_eq!(after["inpost_headcount"], expected.inpost_headcount, "B answers from the new import: {after}");
    assert_ne!(before["inpost_headcount"], after["inpost_headcount"]);
    drop((a, b));
    store_a.close().await;
    store_b.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
}

#[tokio::test]
async fn the_quarterly_agency_return_downloads_for_hr_and_admin_only() {
    let w = world().await;
    let date = w.workforce.latest_date().unwrap();
    let quarter = format!("{}Q{}", chrono::Datelike::year(&date), (chrono::Datelike::month(&date) - 1) / 3 + 1);
    let period = sightline_core::agency_rules::quarter(&quarter).unwrap();
    // An independent count: the agency spells in place on some day of the quarter.
    let expected = w
        .workforce
        .spells()
        .iter()
        .filter(|s| s.kind == sightline_core::SpellKind::Agency)
        .filter(|s| s.start <= period.end && s.end.is_none_or(|e| e >= period.start))
        .count();
    assert!(expected > 0, "the synthetic authority has agency workers in its last quarter");
    for (name, may) in [("ada", true), ("mo", false), ("ann", false), ("meg", false)] {
        let cookie = log_in(&w.app, name, &format!("{name}-password")).await.unwrap();
        let (r, body) = send(&w.app, get(&format!("/agency-rules/return.csv?quarter={quarter}"), Some(&cookie))).await;
        assert_eq!(r.status() == StatusCode::OK, may, "{name}: {body}");
        if may {
            assert!(body.starts_with("assignment_reference,swe_registration_number,role_type,hourly_pay_rate"));
            assert_eq!(body.lines().count() - 1, expected, "{body}");
        }
    }
    let ada = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, _) = send(&w.app, get("/agency-rules/return.csv?quarter=2025Q5", Some(&ada))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let audit = w.store.audit_log(50).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "download agency return").count(), 1);
}

/// Many views at once of pages whose figures take work (more than the heavy
/// work that may wait): every one is answered, every view of personal data
/// is in the audit log, and what pages keep is of the data as it is now, so
/// an import shows at the next view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_views_at_once_are_all_answered_and_audited_and_an_import_shows_next_time() {
    let w = world().await;
    let token = token_for(&w.store, "ada").await;
    let paths = ["/absence?date=2024-09-30", "/agency?date=2024-09-30", "/api/v1/people?date=2024-09-30", "/voice"];
    let requests: Vec<_> = (0..120)
        .map(|n| {
            let (app, request) = (w.app.clone(), bearer(paths[n % paths.len()], &token));
            tokio::spawn(async move { send(&app, request).await.0.status() })
        })
        .collect();
    for r in requests {
        assert_eq!(r.await.unwrap(), StatusCode::OK);
    }
    let audited = w.store.audit_page(Some("ada"), Some("view people"), None, 1000).await.unwrap();
    assert_eq!(audited.len(), 30, "one entry for each answer with people in it");
    let people =
        |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap()["people"].as_array().unwrap().len();
    let (_, before) = send(&w.app, bearer("/api/v1/people?date=2024-09-30", &token)).await;
    assert_eq!(people(&before), w.workforce.person_indices().count());
    // Another source's people, imported while the server runs.
    let dir = tempfile::tempdir().unwrap();
    let request = SynthRequest::new(Basis::Size { people: 30 }, 2023..=2024, 9);
    let more = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    write_dir(&more, dir.path()).unwrap();
    w.store.import_canonical(dir.path(), "payroll", "tester", Strictness::Strict).await.unwrap();
    let now = w.store.load_workforce().await.unwrap().person_indices().count();
    assert!(now > w.workforce.person_indices().count(), "the import adds people");
    let (_, after) = send(&w.app, bearer("/api/v1/people?date=2024-09-30", &token)).await;
    assert_eq!(people(&after), now);
}

/// The People page's filters give the people the records say: those in
/// post on the date, those not, and one found by their identifier.
#[tokio::test]
async fn the_people_page_filters_by_status_and_finds_a_person() {
    let w = world().await;
    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let wf = &w.workforce;
    let date = wf.latest_date().unwrap().min(chrono::Utc::now().date_naive());
    let in_post = wf.person_indices().filter(|p| wf.spells_of(*p).iter().any(|s| s.covers(date))).count();
    let everyone = wf.person_indices().count();
    let found = |page: &str| -> usize {
        let at = page.find(" people; status on").expect("the list's caption");
        page[..at].rsplit(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
    };
    for (query, expected) in [("", everyone), ("?status=in-post", in_post), ("?status=left", everyone - in_post)] {
        let (r, page) = send(&w.app, get(&format!("/people{query}"), Some(&admin))).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(found(&page), expected, "/people{query}");
    }
    assert!(in_post > 0 && in_post < everyone, "both kinds are there to find");
    let someone = &wf.person(wf.person_indices().nth(7).unwrap()).id;
    let (_, page) = send(&w.app, get(&format!("/people?q={}", someone.to_lowercase()), Some(&admin))).await;
    assert_eq!(found(&page), 1);
    assert!(page.contains(&format!("/people/{someone}")), "{page}");
}

/// A batch that left many rows out: the Data page shows the first 100 of
/// them (bounded work per view) and links to all of them as CSV, with the
/// values for admin and HR, hidden for analysts, refused to members, and
/// each download in the audit log.
#[tokio::test]
async fn the_rows_a_batch_left_out_are_shown_in_part_and_downloaded_whole() {
    let w = world().await;
    let dir = tempfile::tempdir().unwrap();
    write_dir(&w.workforce, dir.path()).unwrap();
    let person = &w.workforce.persons()[0].id;
    let mut absences = std::fs::read_to_string(dir.path().join("absences.csv")).unwrap_or_default();
    if absences.is_empty() {
        absences = "person_id,start_date,end_date,reason,days_lost\n".into();
    }
    // Enough rows (about 150 KB of CSV) for the download to go out in several parts.
    for day in 1..=1500 {
        absences.push_str(&format!("{person},2024-01-{day:04},2024-01-02,SIC,1\n"));
    }
    // A value a spreadsheet would read as a formula.
    absences.push_str(&format!("{person},=1+2,2024-01-02,SIC,1\n"));
    std::fs::write(dir.path().join("absences.csv"), absences).unwrap();
    // A spell giving a person who has a SWE number another one: its rule
    // quotes the person's identifier and both numbers.
    let mut spells = std::fs::read_to_string(dir.path().join("spells.csv")).unwrap();
    let with_swe = spells.lines().skip(1).find(|l| !l.split(',').nth(1).unwrap_or("").is_empty()).unwrap().to_string();
    let mut fields: Vec<&str> = with_swe.split(',').collect();
    fields[1] = "SW9999999999";
    spells.push_str(&(fields.join(",") + "\n"));
    std::fs::write(dir.path().join("spells.csv"), spells).unwrap();
    w.store.import_canonical(dir.path(), "hr", "tester", Strictness::Lenient).await.unwrap();
    let batch = w
        .store
        .batches()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.rows_rejected >= 1500)
        .expect("a batch with rows left out");
    let id = batch.id;

    let admin = log_in(&w.app, "ada", "ada-password").await.unwrap();
    let (r, page) = send(&w.app, get("/data", Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let total = batch.rows_rejected;
    assert_eq!(total, 1502, "the 1,500 bad dates, the formula and the SWE number");
    let shown = "1,502";
    assert!(page.contains(&format!("Rows batch {id} left out: the first 100 of {shown}")), "{page}");
    assert_eq!(page.matches("2024-01-").count(), 100, "a hundred of the bad values on the page");
    assert!(page.contains(&format!("aria-label=\"{shown} rows left out of batch {id} (CSV)\"")), "{page}");
    assert!(page.contains(&format!("Download the {shown} rows left out of batch {id} (CSV)")), "{page}");

    let (r, csv) = send(&w.app, get(&format!("/data/rejected/{id}"), Some(&admin))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(csv.lines().next(), Some("file,line,column,value,rule"));
    assert_eq!(csv.lines().count() as i64, total + 1, "every row left out, and the heading");
    assert_eq!(csv.matches("2024-01-").count(), 1500);
    assert!(csv.contains("SW9999999999"), "the rule quotes the numbers for admin and HR");
    let places: Vec<(&str, u64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap(), f.next().unwrap().parse().unwrap())
        })
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "in order of file and line, none twice");
    assert!(csv.contains(",'=1+2,") && !csv.contains(",=1+2,"), "a formula is neutralised");

    // One download at a time (each holds a store connection while it goes
    // out): one left unread keeps the next waiting, until its reader goes.
    let unread = w.app.clone().oneshot(get(&format!("/data/rejected/{id}"), Some(&admin))).await.unwrap();
    assert_eq!(unread.status(), StatusCode::OK);
    let (busy, _) = send(&w.app, get(&format!("/data/rejected/{id}"), Some(&admin))).await;
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE, "a second download at once is turned away");
    drop(unread);
    let analyst = log_in(&w.app, "ann", "ann-password").await.unwrap();
    let mut tries = 0;
    let (r, csv) = loop {
        let (r, csv) = send(&w.app, get(&format!("/data/rejected/{id}"), Some(&analyst))).await;
        tries += 1;
        if r.status() != StatusCode::SERVICE_UNAVAILABLE || tries == 100 {
            break (r, csv);
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(r.status(), StatusCode::OK, "the download left unread ends when its reader goes");
    assert_eq!(csv.lines().count() as i64, total + 1);
    assert!(!csv.contains("2024-01-") && csv.contains("(hidden)"), "{csv}");
    assert!(
        !csv.contains("SW9999999999") && csv.lines().skip(1).all(|l| l.ends_with(",(hidden),(hidden)")),
        "nor the rules, which quote values (here a person and their SWE numbers): {csv}"
    );

    for (name, password) in [("meg", "meg-password"), ("mo", "mo-password")] {
        let refused = log_in(&w.app, name, password).await.unwrap();
        assert_eq!(
            send(&w.app, get(&format!("/data/rejected/{id}"), Some(&refused))).await.0.status(),
            StatusCode::FORBIDDEN,
            "{name}"
        );
    }
    for missing in ["999", "x", "1", "-1", "99999999999999999999"] {
        assert_eq!(
            send(&w.app, get(&format!("/data/rejected/{missing}"), Some(&admin))).await.0.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let log = w.store.audit_log(100).await.unwrap();
    let downloads: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.action == "download rejected rows")
        .map(|e| (e.user.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(downloads.len(), 3, "the two by ada and ann's, not the one turned away: {downloads:?}");
    assert!(
        downloads.contains(&("ada", format!("batch {id}, with values").as_str()))
            && downloads.contains(&("ann", format!("batch {id}").as_str()))
    );
}
