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
    /// The development records of one store generation.
    pub(crate) development: RwLock<Option<(i64, Arc<sightline_core::development::Development>)>>,
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
    /// Heavy work (reports, forecasts) runs here, a few at a time.
    pub(crate) heavy: Heavy,
}

/// Heavy work off the server's own threads, at most [`Heavy::RUNNING`] at
/// once and [`Heavy::WAITING`] waiting; beyond that a request is told the
/// server is busy (503), so no number of requests can stall the others.
pub(crate) struct Heavy {
    permits: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
}

impl Heavy {
    pub(crate) const RUNNING: usize = 2;
    pub(crate) const WAITING: usize = 30;

    pub(crate) fn new() -> Heavy {
        Heavy { permits: tokio::sync::Semaphore::new(Self::RUNNING), waiting: std::sync::atomic::AtomicUsize::new(0) }
    }

    /// `work`'s result, once there is room to do it; [`Error::busy`] when
    /// too much is waiting already.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::Error> {
        use std::sync::atomic::Ordering;
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= Self::WAITING + Self::RUNNING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(crate::error::Error::busy());
        }
        let permit = self.permits.acquire().await;
        let out = tokio::task::spawn_blocking(work).await;
        drop(permit);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        out.map_err(|_| crate::error::Error::internal("the work was stopped"))
    }
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

    /// The development records of the workforce of `generation` (read once per generation).
    pub(crate) async fn development(
        &self,
        generation: i64,
        wf: &Workforce,
    ) -> Result<Arc<sightline_core::development::Development>, StoreError> {
        if let Some((g, dev)) = self.development.read().await.as_ref() {
            if *g == generation {
                return Ok(dev.clone());
            }
        }
        let dev = Arc::new(self.store.load_development(wf).await?);
        *self.development.write().await = Some((generation, dev.clone()));
        Ok(dev)
    }

    /// Rolling 12-month turnover at each month end up to `date`, computed once per generation and date.
    /// Dozens of 12-month periods: computed off the server's threads (as
    /// heavy work, a few at a time), once per generation and date.
    pub(crate) async fn turnover_series(
        &self,
        generation: i64,
        date: NaiveDate,
        compute: impl FnOnce() -> TurnoverSeries + Send + 'static,
    ) -> Result<Arc<TurnoverSeries>, crate::error::Error> {
        if let Some(found) = self.turnover_series.get((generation, date)) {
            return Ok(found);
        }
        let value = self.heavy.run(compute).await?;
        Ok(self.turnover_series.get_or((generation, date), || value))
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

    fn get(&self, key: (i64, NaiveDate)) -> Option<Arc<V>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned()
    }

    fn get_or(&self, key: (i64, NaiveDate), compute: impl FnOnce() -> V) -> Arc<V> {
        if let Some(found) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return found.clone();
        }
        let value = Arc::new(compute());
        let mut memo = self.0.lock().unwrap_or_else(|e| e.into_inner());
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

#[cfg(test)]
mod tests {
    use super::Heavy;
    use std::sync::Arc;

    #[tokio::test]
    async fn heavy_work_beyond_what_may_wait_is_told_the_server_is_busy() {
        let heavy = Arc::new(Heavy::new());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = Arc::new(std::sync::Mutex::new(gate));
        let mut running = Vec::new();
        for _ in 0..Heavy::RUNNING + Heavy::WAITING {
            let (heavy, gate) = (heavy.clone(), gate.clone());
            running.push(tokio::spawn(async move {
                heavy.run(move || gate.lock().expect("not poisoned").recv().is_ok()).await
            }));
        }
        // Let every task take its place.
        while heavy.waiting.load(std::sync::atomic::Ordering::SeqCst) < Heavy::RUNNING + Heavy::WAITING {
            tokio::task::yield_now().await;
        }
        let refused = heavy.run(|| true).await.unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        for _ in 0..Heavy::RUNNING + Heavy::WAITING {
            release.send(()).unwrap();
        }
        for t in running {
            assert!(t.await.unwrap().unwrap());
        }
        assert!(heavy.run(|| true).await.unwrap(), "room again once the work is done");
    }
}
