//! Backtest: fit on the data up to a past date, forecast the following
//! months with no levers, and compare with what the engine gives for
//! those months from the data that followed.

use crate::fit::fit;
use crate::forecast::{forecast, Options, Quantiles, FIGURES};
use crate::scenario::{Month, Scenario};
use sightline_core::calendar::{month_end, next_day};
use sightline_core::{indicators, Calendar, Date, Period, Workforce};

/// How one figure's forecast compared with what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestFigure {
    pub figure: &'static str,
    /// Each month: (month, what happened, the forecast).
    pub months: Vec<(Month, f64, Quantiles)>,
    /// Mean absolute error of the median (FTE, or percentage points for rates).
    pub mean_absolute_error: f64,
    /// Mean absolute error as a share of what happened, for FTE figures.
    pub mean_absolute_percentage_error: Option<f64>,
    /// The share of months in which what happened fell inside P10-P90.
    pub inside_band: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// The last day of data the model was fitted on.
    pub fitted_to: Date,
    pub runs: u32,
    pub figures: Vec<BacktestFigure>,
}

/// Fits on `window_months` months to `at`, forecasts `options.months`
/// months and compares them with the engine's figures for those months.
pub fn backtest(wf: &Workforce, calendar: &Calendar, at: Date, window_months: u32, options: &Options) -> Backtest {
    let fitted = fit(wf, calendar, at, window_months);
    let f = forecast(&fitted, &Scenario::baseline(), options);
    let mut ends = Vec::new();
    let mut end = month_end(next_day(fitted.as_of));
    for _ in 0..options.months {
        ends.push(end);
        end = month_end(next_day(end));
    }
    let actual: Vec<[f64; 5]> = ends
        .iter()
        .map(|e| {
            let i = indicators(wf, calendar, Period::twelve_months_to(*e));
            [
                i.inpost_fte,
                i.agency_fte,
                i.vacancy_rate_fte.unwrap_or(0.0),
                i.agency_rate_fte.unwrap_or(0.0),
                i.turnover_rate_fte.unwrap_or(0.0),
            ]
        })
        .collect();
    let figures = (0..5)
        .map(|k| {
            let months: Vec<(Month, f64, Quantiles)> =
                f.months.iter().zip(&actual).map(|(m, a)| (m.month, a[k], m.figures[k])).collect();
            let n = months.len().max(1) as f64;
            let mae = months.iter().map(|(_, a, q)| (q.p50 - a).abs()).sum::<f64>() / n;
            let mape = (k < 2).then(|| {
                months.iter().filter(|(_, a, _)| *a > 0.0).map(|(_, a, q)| (q.p50 - a).abs() / a).sum::<f64>() / n
            });
            let inside = months.iter().filter(|(_, a, q)| *a >= q.p10 - 1e-9 && *a <= q.p90 + 1e-9).count() as f64 / n;
            BacktestFigure {
                figure: FIGURES[k],
                months,
                mean_absolute_error: mae,
                mean_absolute_percentage_error: mape,
                inside_band: inside,
            }
        })
        .collect();
    Backtest { fitted_to: fitted.as_of, runs: options.runs, figures }
}
