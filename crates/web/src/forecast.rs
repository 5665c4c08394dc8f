//! Forecasts for the dashboard, shared by the Forecast page and
//! `/api/v1/forecast`: the scenarios to choose from, and the baseline and a
//! scenario forecast from the store's data with the authority's targets,
//! kept per store generation and question.

use crate::error::Error;
use crate::AppState;
use sightline_plan::{fit_with_levels, with_baseline, Fitted, Forecast, ForecastTarget, Options, Scenario};
use std::sync::Arc;

/// A baseline and a scenario, forecast with the same chances.
pub(crate) type Pair = (Forecast, Option<Forecast>);

/// The forecasts of `scenario` beside its baseline for the store's current
/// data, made once per store generation and question (thousands of runs,
/// off the server's own threads, a few at a time).
async fn forecasts(
    state: &AppState,
    generation: i64,
    fitted: Arc<Fitted>,
    scenario: Option<Scenario>,
    targets: Vec<ForecastTarget>,
    options: Options,
) -> Result<(String, Arc<Pair>), Error> {
    // From the fitted start and window too: the start moves with today when the data runs past it.
    let key = format!("forecast {} {:?} {scenario:?}{targets:?}{options:?}", fitted.as_of, fitted.window);
    let pair = state
        .kept(generation, key.clone(), move || with_baseline(&fitted, scenario.as_ref(), &targets, &options))
        .await?;
    Ok((key, pair))
}

/// A baseline and (when asked) a scenario, with what they were fitted on;
/// no forecast when no one is employed at the start.
pub struct Forecasted {
    pub fitted: Arc<Fitted>,
    pub pair: Option<Arc<Pair>>,
    /// The store generation the forecast is of, and the key it is kept
    /// under in it: what is worked out from the pair can be kept beside it.
    pub kept_as: (i64, String),
}

impl AppState {
    /// The scenario called `key`, shipped or from the scenarios folder.
    pub fn scenario(&self, key: &str) -> Result<Scenario, Error> {
        match scenarios(self.settings.scenarios.as_deref()).into_iter().find(|(k, _)| k == key) {
            Some((_, Ok(s))) => Ok(s),
            Some((_, Err(e))) => Err(Error::bad_request(format!("the scenario `{key}` cannot be read: {e}"))),
            None => Err(Error::not_found(format!("there is no scenario `{key}`"))),
        }
    }

    /// The baseline and `scenario` forecast from the latest data, with the
    /// authority's own targets in both.
    pub async fn forecast(&self, scenario: Option<Scenario>, options: Options) -> Result<Forecasted, Error> {
        let (generation, wf) = self.workforce_and_generation().await?;
        let targets: Vec<ForecastTarget> =
            self.store.targets().await?.iter().filter_map(|t| ForecastTarget::set(&t.target)).collect();
        // Fitted only on months the employment records cover whole: rates
        // from a time whose leavers are not all recorded would be too low.
        let as_of = self.latest_date(generation, &wf);
        let coverage = self.coverage(generation, &wf).await;
        let window = sightline_plan::window_for(&coverage, as_of, None)
            .map_err(|e| Error::unprocessable(format!("{}.", sightline_core::words::upper_first(&e))))?;
        let calendar = self.calendar.clone();
        // Stages from the career levels where the development records give them.
        let levels = self.development(generation, &wf).await?;
        // The recruitment pipeline as the starting point: offers accepted for later start dates.
        let vacancies = self.recruitment(generation, &wf).await?.vacancies.clone();
        let key = format!("fitted {as_of} {window:?}");
        let fitted = self
            .kept(generation, key, move || {
                fit_with_levels(&wf, &calendar, as_of, window, &levels).with_pipeline(&vacancies)
            })
            .await?;
        if fitted.headcount() == 0 {
            return Ok(Forecasted { fitted, pair: None, kept_as: (generation, String::new()) });
        }
        let (key, pair) = forecasts(self, generation, fitted.clone(), scenario, targets, options).await?;
        Ok(Forecasted { fitted, pair: Some(pair), kept_as: (generation, key) })
    }
}

/// The scenarios to choose from: (key, scenario), shipped first.
pub(crate) fn scenarios(dir: Option<&std::path::Path>) -> Vec<(String, Result<Scenario, String>)> {
    let mut out: Vec<(String, Result<Scenario, String>)> = sightline_plan::SHIPPED
        .iter()
        .map(|(file, text)| {
            (file.trim_end_matches(".toml").to_string(), Scenario::parse(text).map_err(|e| e.to_string()))
        })
        .collect();
    if let Some(dir) = dir {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for path in files {
            let key = path.file_stem().map_or(String::new(), |s| s.to_string_lossy().into_owned());
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| Scenario::parse(&t).map_err(|e| e.to_string()));
            out.push((key, parsed));
        }
    }
    out
}
