//! The figures as rows for output: one row per period (and group), in the
//! shape every output shares. `sightline indicators --format json` and the
//! JSON API both serialise these, so the two cannot differ.

use crate::calendar::Period;
use crate::indicators::{GroupIndicators, Indicators, Moves};
use serde::Serialize;
use std::fmt;

/// The census year, or the reference date of another 12-month period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TimePeriod {
    Year(i32),
    Date(String),
}

impl fmt::Display for TimePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimePeriod::Year(y) => write!(f, "{y}"),
            TimePeriod::Date(d) => f.write_str(d),
        }
    }
}

/// One output row: a period, perhaps a group, and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub time_period: TimePeriod,
    pub period_start: String,
    pub period_end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(flatten)]
    pub indicators: Indicators,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub moves: Option<Moves>,
}

/// Rows for each period's groups (sorted by group name), rounded as DfE
/// rounds when `rounded`.
pub fn indicator_rows(periods: &[(Period, Vec<GroupIndicators>)], rounded: bool) -> Vec<IndicatorRow> {
    periods
        .iter()
        .flat_map(|(period, groups)| {
            let mut groups: Vec<&GroupIndicators> = groups.iter().collect();
            groups.sort_by(|a, b| a.group.cmp(&b.group));
            groups.into_iter().map(move |g| IndicatorRow {
                time_period: match period.census_year_label() {
                    Some(y) => TimePeriod::Year(y),
                    None => TimePeriod::Date(period.end.to_string()),
                },
                period_start: period.start.to_string(),
                period_end: period.end.to_string(),
                group: g.group.clone(),
                indicators: if rounded { g.indicators.rounded() } else { g.indicators.clone() },
                moves: g.group.is_some().then(|| if rounded { g.moves.rounded() } else { g.moves.clone() }),
            })
        })
        .collect()
}
