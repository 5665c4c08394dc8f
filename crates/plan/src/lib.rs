//! Workforce planning: will the authority meet its targets, and what would
//! the levers cost?
//!
//! - [`fit`] reads the authority's own history into monthly rates: leaving
//!   by career stage and length of service, progression, recruitment per
//!   vacant post and by route, agency cover of vacancies and conversion to
//!   employment, each with the events and exposure behind it.
//! - [`forecast`] runs a monthly stock-flow model of employed social workers
//!   by stage and length of service, with agency filling gaps against the
//!   establishment, many times (Monte Carlo, seeded so that a run can be
//!   repeated), drawing the fitted rates from their uncertainty in each run.
//!   It gives P10, P50 and P90 of each figure month by month, the
//!   probability of meeting each target, and the cost.
//! - [`Scenario`]s, read from TOML, change the levers: retention payments,
//!   recruitment campaigns, newly qualified intake, conversion drives,
//!   establishment changes and caseload caps, with their costs.
//! - [`backtest`] fits on the data up to a past date and compares the
//!   forecast with what happened.
//!
//! Every figure is the core's: the rates use its DfE formulas
//! (`sightline_core::indicators::{agency_rate, vacancy_rate, turnover_rate}`),
//! and the starting point is the engine's figures at the start date.

mod backtest;
mod fit;
mod forecast;
pub mod json;
mod sample;
mod scenario;

pub use backtest::{backtest, Backtest, BacktestFigure};
pub use fit::{
    calibration_in_words, england_turnover_at, fit, fit_weighted, fit_with_levels, window_for, Fitted, Rate, Stage,
    TurnoverPull, AGENCY_VOLATILITY, BANDS, ESTABLISHMENT_VOLATILITY, HIRING_BALANCE, HIRING_VOLATILITY,
    LEAVING_VOLATILITY, MEASURED_IN_BAND_A_YEAR_AHEAD, MIN_WINDOW_MONTHS, QUALIFIED_BANDS, STAGES, TURNOVER_WEIGHTS,
    WINDOW_MONTHS,
};
pub use forecast::{forecast, with_baseline, Forecast, ForecastMonth, Options, Quantiles, TargetOutcome, FIGURES};
pub use scenario::{Costs, ForecastTarget, Month, Route, Scenario, ScenarioError, SHIPPED};
