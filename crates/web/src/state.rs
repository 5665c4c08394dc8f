//! What every request can reach: the store, the calendar, the settings, and
//! what is kept in memory per store generation (the workforce, rolling
//! turnover, forecasts).

use crate::Settings;
use chrono::NaiveDate;
use sightline_core::{Calendar, Workforce};
use sightline_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;

/// What every request can reach.
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) calendar: Calendar,
    pub(crate) settings: Settings,
    /// The workforce of one store generation.
    pub(crate) cache: RwLock<Option<(i64, Arc<Workforce>)>>,
    /// Failed logins by user name, for rate limiting.
    /// The key that pseudonymises people for analysts.
    pub(crate) pseudonym_key: String,
    /// Rolling monthly turnover by (generation, date): dozens of 12-month
    /// periods a page, worth computing once per change of the data.
    pub(crate) turnover_series: Memo<TurnoverSeries>,
    /// What makes the figures at a date doubtful (`core::completeness`), by generation and date.
    pub(crate) gaps: Memo<Vec<sightline_core::completeness::Finding>>,
    /// DfE's published figures: the latest release loaded into the store, else the shipped file.
    pub(crate) published: sightline_core::published::Published,
    pub(crate) neighbours: sightline_core::benchmark::NeighbourModel,
    /// Forecasts (baseline, scenario) by store generation and what they were
    /// asked (the scenario and targets, written out): thousands of runs,
    /// worth making once per change.
    pub(crate) forecasts: Mutex<HashMap<(i64, String), Arc<crate::forecast::Pair>>>,
}

/// Month-end labels and rolling 12-month turnover (FTE) at each.
pub(crate) type TurnoverSeries = (Vec<String>, Vec<Option<f64>>);

pub(crate) type Shared = Arc<AppState>;

impl AppState {
    /// The workforce as the store holds it now.
    pub(crate) async fn workforce(&self) -> Result<Arc<Workforce>, StoreError> {
        Ok(self.workforce_and_generation().await?.1)
    }

    /// The workforce and the store generation it is of.
    pub(crate) async fn workforce_and_generation(&self) -> Result<(i64, Arc<Workforce>), StoreError> {
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
    pub(crate) fn turnover_series(
        &self,
        generation: i64,
        date: NaiveDate,
        compute: impl FnOnce() -> TurnoverSeries,
    ) -> Arc<TurnoverSeries> {
        self.turnover_series.get_or((generation, date), compute)
    }

    /// The completeness findings at `date`, computed once per generation and date.
    pub(crate) fn gaps(
        &self,
        generation: i64,
        wf: &Workforce,
        date: NaiveDate,
    ) -> Arc<Vec<sightline_core::completeness::Finding>> {
        self.gaps.get_or((generation, date), || sightline_core::completeness::check(wf, &self.calendar, date))
    }
}

/// Values worth computing once per store generation and date (at most 64 kept).
pub(crate) struct Memo<V>(Mutex<HashMap<(i64, NaiveDate), Arc<V>>>);

impl<V> Memo<V> {
    pub(crate) fn new() -> Memo<V> {
        Memo(Mutex::new(HashMap::new()))
    }

    fn get_or(&self, key: (i64, NaiveDate), compute: impl FnOnce() -> V) -> Arc<V> {
        if let Some(found) = self.0.lock().expect("never poisoned").get(&key) {
            return found.clone();
        }
        let value = Arc::new(compute());
        let mut memo = self.0.lock().expect("never poisoned");
        if memo.len() >= 64 {
            memo.clear();
        }
        memo.insert(key, value.clone());
        value
    }
}

/// The last date the data speaks of, and no later than today: the date
/// pages show unless one is chosen.
pub(crate) fn latest_date(wf: &Workforce) -> NaiveDate {
    let today = chrono::Utc::now().date_naive();
    wf.latest_date().map_or(today, |d| d.min(today))
}
