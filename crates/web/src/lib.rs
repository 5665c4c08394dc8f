//! Sightline's dashboard and JSON API: server-rendered pages with charts as
//! SVG, login with roles, and an audit log. Every figure comes from
//! `sightline-core`; this crate only chooses, arranges and protects them.
//!
//! The workforce is read from the store's snapshot and kept in memory for
//! as long as the store's generation is unchanged, so a page costs the
//! figures, not a database read.

mod api;
mod auth;
mod forecast;
mod pages;
mod peers;
mod people;
mod report;

pub use sightline_store::credentials::{hash_password, new_token, token_digest};

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use sightline_core::{Calendar, Workforce};
use sightline_store::{Store, StoreError};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::RwLock;

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            caseload_high: 18.0,
            caseload_very_high: 22.0,
            long_term_days: sightline_core::absence::LONG_TERM_WORKING_DAYS,
            la: None,
            scenarios: None,
        }
    }
}

/// What every request can reach.
pub struct AppState {
    store: Store,
    calendar: Calendar,
    settings: Settings,
    /// The workforce of one store generation.
    cache: RwLock<Option<(i64, Arc<Workforce>)>>,
    /// Failed logins by user name, for rate limiting.
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    /// The key that pseudonymises people for analysts.
    pseudonym_key: String,
    /// Rolling monthly turnover by (generation, date): dozens of 12-month
    /// periods a page, worth computing once per change of the data.
    turnover_series: Mutex<HashMap<(i64, NaiveDate), Arc<TurnoverSeries>>>,
    /// DfE's published figures: the latest release loaded into the store, else the shipped file.
    published: sightline_core::published::Published,
    neighbours: sightline_core::benchmark::NeighbourModel,
    /// Forecasts (baseline, scenario) by store generation and what they were
    /// asked (the scenario and targets, written out): thousands of runs,
    /// worth making once per change.
    forecasts: Mutex<HashMap<(i64, String), Arc<forecast::Pair>>>,
}

/// Month-end labels and rolling 12-month turnover (FTE) at each.
pub(crate) type TurnoverSeries = (Vec<String>, Vec<Option<f64>>);

type Shared = Arc<AppState>;

impl AppState {
    /// The workforce as the store holds it now.
    async fn workforce(&self) -> Result<Arc<Workforce>, StoreError> {
        Ok(self.workforce_and_generation().await?.1)
    }

    /// The workforce and the store generation it is of.
    async fn workforce_and_generation(&self) -> Result<(i64, Arc<Workforce>), StoreError> {
        let generation = self.store.generation().await?;
        if let Some((g, wf)) = self.cache.read().await.as_ref() {
            if *g == generation {
                return Ok((generation, wf.clone()));
            }
        }
        let wf = Arc::new(self.store.load_workforce().await?);
        *self.cache.write().await = Some((generation, wf.clone()));
        Ok((generation, wf))
    }

    /// Rolling 12-month turnover at each month end up to `date`, computed once per generation and date.
    fn turnover_series(
        &self,
        generation: i64,
        date: NaiveDate,
        compute: impl FnOnce() -> TurnoverSeries,
    ) -> Arc<TurnoverSeries> {
        let key = (generation, date);
        if let Some(found) = self.turnover_series.lock().expect("never poisoned").get(&key) {
            return found.clone();
        }
        let series = Arc::new(compute());
        let mut memo = self.turnover_series.lock().expect("never poisoned");
        if memo.len() >= 64 {
            memo.clear();
        }
        memo.insert(key, series.clone());
        series
    }
}

/// The last date the data speaks of, and no later than today: the date
/// pages show unless one is chosen.
fn latest_date(wf: &Workforce) -> NaiveDate {
    let today = chrono::Utc::now().date_naive();
    wf.latest_date().map_or(today, |d| d.min(today))
}

/// The whole application.
pub async fn app(store: Store, settings: Settings) -> Result<Router, StoreError> {
    let pseudonym_key = store.secret("pseudonym_key", &new_token()).await?;
    let published = store.published().await?;
    let state = Arc::new(AppState {
        store,
        calendar: Calendar::england_and_wales(),
        settings,
        cache: RwLock::new(None),
        failures: Mutex::new(HashMap::new()),
        pseudonym_key,
        turnover_series: Mutex::new(HashMap::new()),
        forecasts: Mutex::new(HashMap::new()),
        published,
        neighbours: sightline_core::benchmark::NeighbourModel::shipped_2025(),
    });
    let protected = Router::new()
        .route("/", get(pages::overview))
        .route("/teams", get(pages::teams))
        .route("/agency", get(pages::agency))
        .route("/turnover", get(pages::turnover))
        .route("/absence", get(pages::absence))
        .route("/benchmark", get(peers::page_handler))
        .route("/forecast", get(forecast::page_handler))
        .route("/report", get(report::form))
        .route("/report/make", get(report::make))
        .route("/people", get(people::people))
        .route("/people/{key}", get(people::person))
        .route("/data", get(people::data))
        .route("/audit", get(people::audit))
        .route("/logout", post(auth::logout))
        .route("/api/v1/indicators", get(api::indicators))
        .route("/api/v1/people", get(api::people))
        .route("/api/v1/staffing", get(api::staffing))
        .route("/api/v1/agency", get(api::agency))
        .route("/api/v1/absence", get(api::absence))
        .route("/api/v1/leavers", get(api::leavers))
        .route("/api/v1/forecast", get(forecast::api))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::require_viewer));
    Ok(Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/assets/style.css", get(style))
        .merge(protected)
        .with_state(state))
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
pub async fn serve_on(store: Store, listener: tokio::net::TcpListener, settings: Settings) -> std::io::Result<()> {
    let app = app(store, settings).await.map_err(std::io::Error::other)?;
    axum::serve(listener, app).await
}
