//! Logging in and out, sessions, API tokens, CSRF protection and the rate
//! limit on failed logins.
//!
//! - Passwords are Argon2id hashes; session and API tokens are 32 random
//!   bytes, stored only as SHA-256 digests.
//! - The session cookie is `Secure`, `HttpOnly` and `SameSite=Strict`, and a
//!   session ends after eight hours. Browsers keep `Secure` cookies on
//!   `localhost` and `127.0.0.1`; anywhere else, serve behind HTTPS.
//! - Every form carries a CSRF token: the session's, or before login a
//!   token also set as a cookie (double submit).
//! - Failed logins are counted in the store (so the count survives a
//!   restart and is shared by servers) by address, by user name from that
//!   address, and by user name; after three, the next try waits 15
//!   seconds, and each further failure doubles the wait, up to 15 minutes,
//!   or 30 seconds for a user name from anywhere, so that nobody can keep a
//!   user out for long. A user name over 100
//!   characters is refused before anything of it is kept.

use crate::layout::page;
use crate::viewer::Viewer;
use crate::{AppState, Shared};
use axum::extract::{Form, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use maud::html;
use serde::Deserialize;
use sightline_store::credentials::{hash_password, new_token, token_digest, verify_password};

const SESSION_COOKIE: &str = "sightline_session";
const LOGIN_COOKIE: &str = "sightline_login";
const SESSION_HOURS: i64 = 8;
/// Failed logins before waits begin, and the longest wait.
const FREE_FAILURES: i64 = 3;
const MAX_WAIT_SECONDS: i64 = 15 * 60;

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[allow(clippy::expect_used)] // names and values are Sightline's own: ASCII tokens.
fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"))
        .expect("cookie text is ASCII")
}

/// Who asks, and the store generation read with their session or token.
async fn viewer(state: &AppState, headers: &HeaderMap) -> Option<(Viewer, i64)> {
    if let Some(token) =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        let (user, generation) = state.store.token_user_and_generation(&token_digest(token.trim())).await.ok()??;
        return Some((Viewer { user, csrf: None, data_until: None }, generation));
    }
    let token = cookie(headers, SESSION_COOKIE)?;
    let (session, generation) = state.store.session_and_generation(&token_digest(token)).await.ok()??;
    Some((Viewer { user: session.user, csrf: Some(session.csrf), data_until: None }, generation))
}

/// Lets a request through with its [`Viewer`], or turns it away: pages to
/// the login page, the API with 401.
///
/// A request that only reads (`GET`, `HEAD`) sees the store generation read
/// with its session ([`crate::state::REQUEST_GENERATION`]): one statement
/// instead of one for the session and one more for each read of the data.
pub async fn require_viewer(State(state): State<Shared>, mut request: Request, next: Next) -> Response {
    match viewer(&state, request.headers()).await {
        Some((mut v, generation)) => {
            let reads = matches!(*request.method(), Method::GET | Method::HEAD);
            let known = reads.then_some(generation);
            // Pages say in their footer how far the data goes.
            if !request.uri().path().starts_with("/api/") {
                v.data_until = crate::state::REQUEST_GENERATION
                    .scope(known, state.workforce_and_generation())
                    .await
                    .ok()
                    .and_then(|(g, wf)| state.latest_known(g, &wf));
            }
            request.extensions_mut().insert(v);
            crate::state::REQUEST_GENERATION.scope(known, next.run(request)).await
        }
        None if request.uri().path().starts_with("/api/") => {
            (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "log in, or send a bearer token\n")
                .into_response()
        }
        None => {
            let next = request.uri().path_and_query().map_or("/".to_string(), |p| p.as_str().to_string());
            Redirect::to(&format!("/login?next={}", encode(&next))).into_response()
        }
    }
}

/// Percent-encodes a path for a query string.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a path on this site: never `//elsewhere`, a full address, a
/// backslash, or a control character or space (browsers drop a tab, so
/// `/\t/evil.example` would be `//evil.example`).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && n.len() <= 2000 =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The longest user name Sightline keeps or looks up.
pub const MAX_USER_NAME: usize = 100;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_form(csrf: &str, next: &str, error: Option<&str>) -> maud::Markup {
    html! {
        h1 { "Log in to Sightline" }
        @if let Some(e) = error {
            div.error role="alert" { p { (e) } }
        }
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="next" value=(next);
            p {
                label for="name" { "User name" }
                input #name type="text" name="name" autocomplete="username" required;
            }
            p {
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            button type="submit" { "Log in" }
        }
    }
}

fn login_response(status: StatusCode, next: &str, error: Option<&str>) -> Response {
    let csrf = new_token();
    let body = page("Log in", None, login_form(&csrf, next, error));
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, &csrf, 3600));
    response
}

pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    login_response(StatusCode::OK, &safe_next(q.next.as_deref()), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// What failed logins are counted under, and the longest wait each can
/// impose: the address they come from, the user name from that address,
/// and the user name from anywhere. The last waits at most 30 seconds, so
/// that no one can keep a user out by failing in their name.
fn throttle_keys(name: &str, address: &str) -> [(String, i64); 3] {
    [
        (format!("addr:{address}"), MAX_WAIT_SECONDS),
        (format!("name:{name}|{address}"), MAX_WAIT_SECONDS),
        (format!("name:{name}"), 30),
    ]
}

/// After the first few failures, a wait of 15 seconds before the next
/// try, doubled by each further failure.
fn wait_after(failures: i64, cap: i64) -> i64 {
    if failures < FREE_FAILURES {
        0
    } else {
        15i64.saturating_mul(2i64.saturating_pow((failures - FREE_FAILURES).min(30) as u32)).min(cap)
    }
}

/// The seconds to wait before `keys` may try again (0: now).
async fn wait(state: &AppState, keys: &[(String, i64)]) -> i64 {
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    // A count that cannot be read holds the try back: a throttle that fails open is no throttle.
    let Ok(found) = state.store.login_failures(&names).await else { return 1 };
    let now = Utc::now();
    found
        .iter()
        .filter_map(|(key, failures, at)| {
            let cap = keys.iter().find(|(k, _)| k == key).map_or(MAX_WAIT_SECONDS, |(_, c)| *c);
            let at = chrono::DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
            Some((at + Duration::seconds(wait_after(*failures, cap)) - now).num_seconds())
        })
        .max()
        .unwrap_or(0)
        .max(0)
}

pub async fn login(
    State(state): State<Shared>,
    connected: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
        .filter(|_| state.settings.behind_proxy);
    let address = match forwarded {
        Some(a) => a.to_string(),
        None => connected.map_or_else(|| "unknown".to_string(), |c| c.0 .0.ip().to_string()),
    };
    let next = safe_next(form.next.as_deref());
    if cookie(&headers, LOGIN_COOKIE) != Some(form.csrf.as_str()) {
        return login_response(StatusCode::FORBIDDEN, &next, Some("The form had expired. Please log in again."));
    }
    let name = form.name.trim().to_string();
    if name.chars().count() > MAX_USER_NAME {
        // No such user can exist: nothing of it is kept but its length.
        let _ = state
            .store
            .audit(
                "(a user name too long)",
                "login failed",
                &format!("a user name of {} characters", name.chars().count()),
            )
            .await;
        return login_response(StatusCode::UNAUTHORIZED, &next, Some("The user name or password is not right."));
    }
    let keys = throttle_keys(&name, &address);
    let seconds = wait(&state, &keys).await;
    if seconds > 0 {
        let _ = state.store.audit(&name, "login refused", &format!("too many failed attempts, from {address}")).await;
        let message = format!(
            "Too many failed attempts. Try again in {seconds} second{}, or ask an administrator to reset the password.",
            if seconds == 1 { "" } else { "s" }
        );
        let mut response = login_response(StatusCode::TOO_MANY_REQUESTS, &next, Some(&message));
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let key_names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    let found = state.store.user(&name).await.ok().flatten();
    let password = form.password;
    let ok = match found.clone() {
        Some((_, hash)) => {
            tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false)
        }
        None => {
            // As long as a real check, so that timing does not tell which names exist.
            let _ = tokio::task::spawn_blocking(move || hash_password(&password)).await;
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        let _ = state.store.record_login_failure(&key_names, &Utc::now().to_rfc3339()).await;
        let _ = state.store.audit(&name, "login failed", "wrong user name or password").await;
        return login_response(StatusCode::UNAUTHORIZED, &next, Some("The user name or password is not right."));
    };
    let _ = state.store.clear_login_failures(key_names.get(1..).unwrap_or_default(), None).await;
    let token = new_token();
    let csrf = new_token();
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    if state.store.create_session(user.id, &token_digest(&token), &csrf, expires).await.is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the session could not be saved").into_response();
    }
    let _ = state.store.audit(&user.name, "login", &format!("role {}", user.role)).await;
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, SESSION_HOURS * 3600));
    headers.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0));
    response
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<Shared>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if viewer.csrf.as_deref() != Some(form.csrf.as_str()) {
        return (StatusCode::FORBIDDEN, "the form had expired; go back and try again").into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.store.end_session(&token_digest(token)).await;
    }
    let _ = state.store.audit(&viewer.user.name, "logout", "").await;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/teams?date=2024-09-30")), "/teams?date=2024-09-30");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        for bad in ["/\t/evil.example", "/\n/x", "/ /evil.example", "/\\evil.example", "/\u{0}"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn waits_grow_with_failures_up_to_their_cap() {
        let waits: Vec<i64> = (0..8).map(|n| wait_after(n, MAX_WAIT_SECONDS)).collect();
        assert_eq!(waits, [0, 0, 0, 15, 30, 60, 120, 240]);
        assert_eq!(wait_after(40, MAX_WAIT_SECONDS), MAX_WAIT_SECONDS);
        assert_eq!(wait_after(40, 30), 30);
        assert_eq!(wait_after(i64::MAX, 30), 30);
    }
}
