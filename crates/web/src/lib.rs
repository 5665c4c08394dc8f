//! Sightline's dashboard and JSON API: server-rendered pages with charts as
//! SVG, login with roles, and an audit log. Every figure comes from
//! `sightline-core`; this crate only chooses, arranges and protects them.
//!
//! The workforce is read from the store's snapshot and kept in memory for
//! as long as the store's generation is unchanged, so a page costs the
//! figures, not a database read.

// No panic reachable from a request or a file: every unwrap or expect outside
// tests is refused, or allowed where it is said why it cannot fail.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

//!
//! Where things are: `lib.rs` the routes; `state.rs` what every request can
//! reach; `viewer.rs` who is asking; `auth.rs` logging in and out;
//! `error.rs` the one error type; `filter.rs` the date and team filter;
//! `layout.rs` the page around every page; `pages/` one file per page;
//! `api.rs` the JSON API; `forecast.rs` the forecasts both share.

mod api;
mod auth;
mod error;
mod filter;
mod forecast;
mod layout;
mod pages;
mod state;
mod viewer;

pub use sightline_store::credentials::{hash_password, new_token, token_digest};

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use pages::{
    absence, agency, capacity, compared, data, development, forecast as forecast_page, glossary, overview, people,
    recruitment, report, teams, turnover, voice,
};
use sightline_store::{Store, StoreError};
use state::{AppState, Shared};
use std::net::SocketAddr;
use std::sync::Arc;

/// Choices the authority makes about what the pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Cases per FTE above which a team's caseload is flagged as high.
    pub caseload_high: f64,
    /// Cases per FTE above which it is flagged as very high.
    pub caseload_very_high: f64,
    /// Working days beyond which a sickness episode is long-term.
    pub long_term_days: f64,
    /// The authority (name or old LA code) for the comparisons with its peers.
    pub la: Option<String>,
    /// A folder of scenario files (TOML) for the forecast page, beside the shipped ones.
    pub scenarios: Option<std::path::PathBuf>,
    /// Behind a reverse proxy: take a login's address from the last entry of
    /// `X-Forwarded-For` (the one the proxy adds), so that failed logins are
    /// counted by the client's address rather than the proxy's.
    pub behind_proxy: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            caseload_high: 18.0,
            caseload_very_high: 22.0,
            long_term_days: sightline_core::absence::LONG_TERM_WORKING_DAYS,
            la: None,
            scenarios: None,
            behind_proxy: false,
        }
    }
}

/// The whole application.
pub async fn app(store: Store, settings: Settings) -> Result<Router, StoreError> {
    let state: Shared = Arc::new(AppState::new(store, settings).await?);
    let protected = Router::new()
        .route("/", get(overview::overview))
        .route("/teams", get(teams::teams))
        .route("/agency", get(agency::agency))
        .route("/turnover", get(turnover::turnover))
        .route("/absence", get(absence::absence))
        .route("/development", get(development::development))
        .route("/leaving", get(voice::leaving))
        .route("/voice", get(voice::voice))
        .route("/recruitment", get(recruitment::recruitment))
        .route("/capacity", get(capacity::capacity_page))
        .route("/agency-rules", get(recruitment::agency_rules))
        .route("/agency-rules/return.csv", get(recruitment::agency_return))
        .route("/benchmark", get(compared::compared))
        .route("/forecast", get(forecast_page::forecast))
        .route("/glossary", get(glossary::glossary))
        .route("/report", get(report::form))
        .route("/report/make", get(report::make))
        .route("/people", get(people::people))
        .route("/people/{key}", get(people::person))
        .route("/data", get(data::data))
        .route("/data/rejected/{batch}", get(data::rejected_csv))
        .route("/audit", get(data::audit))
        .route("/logout", post(auth::logout))
        .route("/api/v1/indicators", get(api::indicators))
        .route("/api/v1/people", get(api::people))
        .route("/api/v1/staffing", get(api::staffing))
        .route("/api/v1/agency", get(api::agency))
        .route("/api/v1/absence", get(api::absence))
        .route("/api/v1/development", get(api::development))
        .route("/api/v1/voice", get(api::voice))
        .route("/api/v1/recruitment", get(api::recruitment))
        .route("/api/v1/agency-rules", get(api::agency_rules))
        .route("/api/v1/leavers", get(api::leavers))
        .route("/api/v1/forecast", get(api::forecast))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::require_viewer));
    Ok(Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/assets/style.css", get(style))
        .merge(protected)
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn(time_limit))
        // Only forms of a few fields are ever sent: login, logout.
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
        .with_state(state))
}

/// The longest a request may take; past it the answer says so (heavy work
/// is also bounded by [`state::Heavy`]).
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

async fn time_limit(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(TIME_LIMIT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "The request took too long and was stopped. Please try again, or ask for less at once.",
        )
            .into_response(),
    }
}

/// The policy every page has.
const CSP: &str = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The policy, allowing also one inline style sheet, by its SHA-256.
pub(crate) fn csp_with_style(style: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{CSP}; style-src 'self' 'sha256-{}'", base64(&Sha256::digest(style.as_bytes())))
}

/// Standard base64 with padding (RFC 4648).
#[allow(clippy::indexing_slicing)] // chunks(3) are never empty; a 6-bit value indexes 64 letters.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Headers on every answer: only this site's own assets run and nothing
/// frames a page (CSP), types are not guessed, no address is passed on, and
/// nothing but the style sheet is kept by a browser or proxy (pages and the
/// API carry personal data).
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    let set = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], STYLE)
}

const STYLE: &str = include_str!("../assets/style.css");

/// The listener for `bind`, so that a caller can print the address before serving.
pub async fn listen(bind: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(bind).await
}

/// Serves on a listener already bound.
///
/// Each connection has [`HEADER_TIME`] to send a request's headers (and as
/// long between requests it keeps open), at most [`HEADER_BYTES`] of them,
/// and at most [`CONNECTIONS`] are served at once (more wait to be
/// accepted): a slow or endless sender holds nothing for long.
pub async fn serve_on(store: Store, listener: tokio::net::TcpListener, settings: Settings) -> std::io::Result<()> {
    let app = app(store, settings).await.map_err(std::io::Error::other)?;
    let open = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS));
    loop {
        let Ok(permit) = open.clone().acquire_owned().await else { return Ok(()) };
        let (stream, address) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait, then accept again.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = app.clone().layer(axum::Extension(axum::extract::ConnectInfo(address)));
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIME)
                .max_buf_size(HEADER_BYTES)
                .serve_connection(
                    hyper_util::rt::TokioIo::new(stream),
                    hyper_util::service::TowerToHyperService::new(service),
                )
                .await;
            drop(permit);
        });
    }
}

/// How long a connection may take to send a request's headers.
pub const HEADER_TIME: std::time::Duration = std::time::Duration::from_secs(10);
/// The most bytes of request headers read.
pub const HEADER_BYTES: usize = 64 * 1024;
/// Connections served at once.
pub const CONNECTIONS: usize = 512;

#[cfg(test)]
mod tests {
    #[test]
    fn base64_is_rfc_4648() {
        for (bytes, text) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(bytes.as_bytes()), text);
        }
    }
}
