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
    /// What makes the figures at a date doubtful (`core::completeness`), by generation and date.
    pub(crate) gaps: Memo<Vec<sightline_core::completeness::Finding>>,
    /// The last date the data of a generation speaks of (a pass over every
    /// record: worked out once, not on every page's footer).
    pub(crate) latest: Memo<Option<NaiveDate>>,
    /// DfE's published figures: the latest release loaded into the store, else the shipped file.
    pub(crate) published: sightline_core::published::Published,
    pub(crate) neighbours: sightline_core::benchmark::NeighbourModel,
    /// Heavy work (reports, forecasts) runs here, a few at a time.
    pub(crate) heavy: Arc<Heavy>,
    /// What pages work out from the data, kept per store generation.
    pub(crate) kept: Kept,
    /// Downloads of the rows imports left out, one at a time: each holds a
    /// store connection while it goes out.
    pub(crate) downloads: Arc<tokio::sync::Semaphore>,
}

type KeptValue = Arc<dyn std::any::Any + Send + Sync>;
/// A value being worked out or worked out: those who ask for it meanwhile wait on it.
type KeptCell = Arc<tokio::sync::OnceCell<KeptValue>>;

/// What pages work out from the data of one store generation (figures by
/// team, a year of absences, the rules' checks), kept until the data changes,
/// so that a page viewed again, by anyone who may see the same, costs only
/// its rendering. Each value is worked out once, however many ask for it at
/// once: the others wait for it rather than doing it again. At most
/// [`Kept::MOST`] values are kept; beyond that the oldest generation's go.
pub(crate) struct Kept {
    cells: Mutex<HashMap<(i64, String), KeptCell>>,
}

impl Kept {
    const MOST: usize = 512;

    pub(crate) fn new() -> Kept {
        Kept { cells: Mutex::new(HashMap::new()) }
    }

    fn cell(&self, generation: i64, key: &str) -> KeptCell {
        let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cell) = cells.get(&(generation, key.to_string())) {
            return cell.clone();
        }
        if cells.len() >= Self::MOST {
            // Values of older generations are of data no longer there.
            cells.retain(|(g, _), _| *g >= generation);
            if cells.len() >= Self::MOST {
                cells.clear();
            }
        }
        cells.entry((generation, key.to_string())).or_default().clone()
    }
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
        // Counted out however this ends: a request that goes away while it
        // waits (a closed connection, the time limit) must not hold a place.
        struct Leaving<'a>(&'a std::sync::atomic::AtomicUsize);
        impl Drop for Leaving<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _leaving = Leaving(&self.waiting);
        let permit = self.permits.acquire().await;
        let out = tokio::task::spawn_blocking(work).await;
        drop(permit);
        out.map_err(|_| crate::error::Error::internal("the work was stopped"))
    }
}

/// Month-end labels and rolling 12-month turnover (FTE) at each.
pub(crate) type TurnoverSeries = (Vec<String>, Vec<Option<f64>>);

pub(crate) type Shared = Arc<AppState>;

tokio::task_local! {
    /// The store generation read with the session or token of the request
    /// being served, when it only reads (`auth::require_viewer`): while it
    /// is the generation of the workforce in memory, that workforce is the
    /// request's without asking the store again.
    pub(crate) static REQUEST_GENERATION: Option<i64>;
}

impl AppState {
    /// The state of a server of `store`, with nothing yet kept.
    pub(crate) async fn new(store: Store, settings: Settings) -> Result<AppState, StoreError> {
        let pseudonym_key = store.secret("pseudonym_key", &sightline_store::credentials::new_token()).await?;
        let published = store.published().await?;
        Ok(AppState {
            store,
            calendar: Calendar::england_and_wales(),
            settings,
            cache: RwLock::new(None),
            development: RwLock::new(None),
            pseudonym_key,
            gaps: Memo::new(),
            latest: Memo::new(),
            heavy: Arc::new(Heavy::new()),
            downloads: Arc::new(tokio::sync::Semaphore::new(1)),
            kept: Kept::new(),
            published,
            neighbours: sightline_core::benchmark::NeighbourModel::shipped_2025(),
        })
    }

    /// The workforce and the store generation it is of.
    ///
    /// A workforce is only ever filed under the generation it is of: what
    /// pages keep per generation holds people and teams by their place in it.
    /// When the data changes while it is read, it is read again (and after
    /// three tries served under a generation of its own). Within a request
    /// that only reads, the generation read with its session
    /// ([`REQUEST_GENERATION`]) is taken as the store's while the workforce
    /// in memory is of it: one statement fewer per page.
    pub(crate) async fn workforce_and_generation(&self) -> Result<(i64, Arc<Workforce>), StoreError> {
        if let Ok(Some(known)) = REQUEST_GENERATION.try_with(|g| *g) {
            if let Some((g, wf)) = self.cache.read().await.as_ref() {
                if *g == known {
                    return Ok((known, wf.clone()));
                }
            }
        }
        let mut tries = 0;
        loop {
            let generation = self.store.generation().await?;
            if let Some((g, wf)) = self.cache.read().await.as_ref() {
                if *g == generation {
                    return Ok((generation, wf.clone()));
                }
            }
            let wf = Arc::new(self.store.load_workforce().await?);
            // Every change bumps the generation in its own transaction: the
            // same generation after the read means no change came between.
            if self.store.generation().await? == generation {
                let mut cache = self.cache.write().await;
                if cache.as_ref().is_none_or(|(g, _)| *g <= generation) {
                    *cache = Some((generation, wf.clone()));
                }
                return Ok((generation, wf));
            }
            tries += 1;
            if tries == 3 {
                // Imports one after another, faster than the data is read:
                // this workforce is served under a generation of its own
                // (negative, never the store's), so nothing kept for it is
                // given with another, and it is not kept as the store's.
                static PRIVATE: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(-1);
                return Ok((PRIVATE.fetch_sub(1, std::sync::atomic::Ordering::SeqCst), wf));
            }
        }
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
        let mut kept = self.development.write().await;
        // A request begun before the latest change does not displace its records.
        if kept.as_ref().is_none_or(|(g, _)| *g <= generation) {
            *kept = Some((generation, dev.clone()));
        }
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
        self.kept(generation, format!("rolling turnover {date}"), compute).await
    }

    /// The last date the data of `generation` speaks of, if any.
    pub(crate) fn latest_known(&self, generation: i64, wf: &Workforce) -> Option<NaiveDate> {
        *self.latest.get_or((generation, NaiveDate::MIN), || wf.latest_date())
    }

    /// The last date the data of `generation` speaks of, and no later than
    /// today: the date pages show unless one is chosen.
    pub(crate) fn latest_date(&self, generation: i64, wf: &Workforce) -> NaiveDate {
        let today = chrono::Utc::now().date_naive();
        self.latest_known(generation, wf).map_or(today, |d| d.min(today))
    }

    /// `work`'s value for the data of `generation`: worked out once (as heavy
    /// work, off the server's threads) and kept until the data changes.
    /// `key` must name everything the value depends on besides the data of
    /// that generation: the page, the date, the scope, and what the viewer's
    /// role lets them see.
    pub(crate) async fn kept<T: Send + Sync + 'static>(
        &self,
        generation: i64,
        key: String,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Arc<T>, crate::error::Error> {
        let cell = self.kept.cell(generation, &key);
        let value = match cell.get() {
            Some(value) => value.clone(),
            None => {
                // Worked out by a task of its own, so that those waiting for
                // it get it even when the request that began it goes away.
                let heavy = self.heavy.clone();
                let fill = tokio::spawn(async move {
                    cell.get_or_try_init(|| async {
                        Ok::<KeptValue, crate::error::Error>(Arc::new(heavy.run(work).await?))
                    })
                    .await
                    .cloned()
                });
                fill.await.map_err(|_| crate::error::Error::internal("the work was stopped"))??
            }
        };
        value.downcast::<T>().map_err(|_| crate::error::Error::internal("a kept value of another kind"))
    }

    /// Every team's figures for `period`, kept per generation: the pages of
    /// one date share them.
    pub(crate) async fn by_team(
        &self,
        generation: i64,
        wf: &Arc<Workforce>,
        period: sightline_core::Period,
    ) -> Result<Arc<Vec<sightline_core::GroupIndicators>>, crate::error::Error> {
        let (all, calendar) = (wf.clone(), self.calendar.clone());
        self.kept(generation, format!("by team {} to {}", period.start, period.end), move || {
            sightline_core::indicators_by(&all, &calendar, period, sightline_core::Grouping::Team)
        })
        .await
    }

    /// The person whose key is `key` in the workforce of `generation`: by a
    /// binary search of everyone's places in order of key (sorted once per
    /// generation), not a pass over everyone (600,000 at ten times the
    /// benchmark, where that pass was most of a person's page).
    pub(crate) async fn find_person(
        &self,
        generation: i64,
        wf: &Arc<Workforce>,
        key: &str,
    ) -> Result<Option<sightline_core::PersonIdx>, crate::error::Error> {
        let all = wf.clone();
        let order = self
            .kept(generation, "people in order of key".into(), move || {
                let mut order: Vec<sightline_core::PersonIdx> = all.person_indices().collect();
                order.sort_unstable_by(|a, b| all.person(*a).id.cmp(&all.person(*b).id));
                order
            })
            .await?;
        Ok(order.binary_search_by(|p| wf.person(*p).id.as_str().cmp(key)).ok().and_then(|i| order.get(i).copied()))
    }

    /// The recruitment records (vacancies, payments, price caps, regional
    /// leavers) of the workforce of `generation`, read once per generation.
    pub(crate) async fn recruitment(
        &self,
        generation: i64,
        wf: &Workforce,
    ) -> Result<Arc<sightline_core::recruitment::RecruitmentRecords>, crate::error::Error> {
        self.kept_from(generation, "recruitment records".into(), async { Ok(self.store.load_recruitment(wf).await?) })
            .await
    }

    /// The agency assignments' terms of the workforce of `generation`, read once per generation.
    pub(crate) async fn agency_terms(
        &self,
        generation: i64,
        wf: &Workforce,
    ) -> Result<Arc<Vec<sightline_core::source::AgencyTerms>>, crate::error::Error> {
        self.kept_from(generation, "agency terms".into(), async { Ok(self.store.load_agency_terms(wf).await?) }).await
    }

    /// The staff-voice records of the workforce of `generation`, with ER
    /// cases or without, read once per generation.
    pub(crate) async fn voice(
        &self,
        generation: i64,
        wf: &Workforce,
        er: bool,
    ) -> Result<Arc<sightline_core::voice::VoiceRecords>, crate::error::Error> {
        self.kept_from(generation, format!("voice records ER {er}"), async { Ok(self.store.load_voice(wf, er).await?) })
            .await
    }

    /// As [`AppState::kept`], for work that reads the store as well.
    pub(crate) async fn kept_from<T: Send + Sync + 'static>(
        &self,
        generation: i64,
        key: String,
        work: impl std::future::Future<Output = Result<T, crate::error::Error>>,
    ) -> Result<Arc<T>, crate::error::Error> {
        let cell = self.kept.cell(generation, &key);
        let value = cell
            .get_or_try_init(|| async { Ok::<KeptValue, crate::error::Error>(Arc::new(work.await?)) })
            .await?
            .clone();
        value.downcast::<T>().map_err(|_| crate::error::Error::internal("a kept value of another kind"))
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

#[cfg(test)]
mod tests {
    use super::{AppState, Heavy, REQUEST_GENERATION};
    use std::sync::Arc;

    /// A request that only reads is served the workforce of the generation
    /// read with its session while that is the one in memory, and reads the
    /// store whenever it is not, or when the request may write.
    #[tokio::test]
    async fn a_request_is_served_the_data_of_the_generation_read_with_its_session() {
        let dir = tempfile::tempdir().unwrap();
        let store = sightline_store::Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
        let state = AppState::new(store, crate::Settings::default()).await.unwrap();
        let state = &state;
        let seen = |known: Option<i64>| async move {
            REQUEST_GENERATION.scope(known, state.workforce_and_generation()).await.unwrap().0
        };
        let first = seen(None).await;
        let date = chrono::NaiveDate::from_ymd_opt(2024, 4, 1);
        state.store.set_complete_from(sightline_core::coverage::Records::Absence, date, "test").await.unwrap();
        let second = state.store.generation().await.unwrap();
        assert_ne!(first, second, "the change makes a new generation");
        // Begun before the change: the workforce in memory is of its generation.
        assert_eq!(seen(Some(first)).await, first);
        // Begun after it: the store is read, and its workforce kept.
        assert_eq!(seen(Some(second)).await, second);
        assert_eq!(state.cache.read().await.as_ref().map(|(g, _)| *g), Some(second));
        // A generation not in memory, or a request that may write: the store is asked.
        assert_eq!(seen(Some(first)).await, second);
        state.store.set_complete_from(sightline_core::coverage::Records::Absence, None, "test").await.unwrap();
        let third = state.store.generation().await.unwrap();
        assert_eq!(seen(None).await, third);
    }

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

    /// Requests that go away while their work waits (closed connections)
    /// give their places back: the server does not turn into "busy" for good.
    #[tokio::test]
    async fn work_whose_request_goes_away_gives_its_place_back() {
        let heavy = Arc::new(Heavy::new());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = Arc::new(std::sync::Mutex::new(gate));
        // Both places to run taken, then requests that wait and are dropped.
        let mut running = Vec::new();
        for _ in 0..Heavy::RUNNING {
            let (heavy, gate) = (heavy.clone(), gate.clone());
            running.push(tokio::spawn(async move {
                heavy.run(move || gate.lock().expect("not poisoned").recv().is_ok()).await
            }));
        }
        for _ in 0..3 * (Heavy::RUNNING + Heavy::WAITING) {
            let heavy = heavy.clone();
            let waiting = tokio::spawn(async move { heavy.run(|| true).await });
            tokio::task::yield_now().await;
            waiting.abort();
            let _ = waiting.await;
        }
        for _ in 0..Heavy::RUNNING {
            release.send(()).unwrap();
        }
        for t in running {
            assert!(t.await.unwrap().unwrap());
        }
        assert_eq!(heavy.waiting.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert!(heavy.run(|| true).await.unwrap(), "room for new work");
    }
}
