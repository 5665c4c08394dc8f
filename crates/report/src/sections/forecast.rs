//! Where the rates are heading: the baseline forecast's range a year and two
//! years on, the chance of meeting each target, and how far to trust the
//! range, as measured on every English authority's published history.

use super::Context;
use crate::document::{Block, Row, Section, Table, Value};
use sightline_core::published::field_label;

/// The forecast section, when the caller made a forecast.
pub(super) fn forecast(cx: &Context) -> Option<Section> {
    let f = cx.request.forecast?;
    let one = |v: f64| sightline_core::indicators::round_dfe(v, 1);
    let horizons: Vec<usize> = [12usize, 24].into_iter().filter(|m| *m <= f.months.len()).collect();
    let mut rows = Vec::new();
    for figure in ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"] {
        for &h in &horizons {
            let Some(q) = f.months.get(h - 1).and_then(|m| m.figure(figure)) else { continue };
            rows.push(Row {
                label: format!("{}, {}", field_label(figure), f.months[h - 1].month),
                cells: vec![Value::Percent(one(q.p10)), Value::Percent(one(q.p50)), Value::Percent(one(q.p90))],
                total: false,
            });
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut blocks = vec![Block::Table(Table {
        name: "Forecast",
        caption: format!("Where the rates are heading, forecast from {} with nothing changed", f.start),
        columns: ["Rate", "Low (P10)", "Middle (P50)", "High (P90)"].map(String::from).to_vec(),
        rows,
        definition: format!(
            "{} runs of the workforce month by month at the rates of the recent past: 8 in 10 runs fall between the \
             low and the high figure. {}",
            f.runs,
            sightline_plan::calibration_in_words("the range from low to high")
        ),
        when: format!("From {}", f.start),
    })];
    if !f.targets.is_empty() {
        blocks.push(Block::Table(Table {
            name: "Forecast targets",
            caption: "The chance of meeting each target with nothing changed".to_string(),
            columns: ["Target", "Chance"].map(String::from).to_vec(),
            rows: f
                .targets
                .iter()
                .map(|t| Row {
                    label: t.target.name.clone(),
                    cells: vec![t.probability.map_or(Value::Missing, |p| Value::Percent(one(100.0 * p)))],
                    total: false,
                })
                .collect(),
            definition: "The share of the forecast's runs in which the target is met at its date.".to_string(),
            when: format!("From {}", f.start),
        }));
    }
    Some(Section { heading: "Where the figures are heading".to_string(), blocks })
}
