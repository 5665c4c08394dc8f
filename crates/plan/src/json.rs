//! Forecasts as JSON, one shape for `sightline forecast --format json` and
//! the dashboard's `/api/v1/forecast`.

use crate::{Forecast, Quantiles, FIGURES};
use serde_json::{json, Value};

/// A forecast as JSON, with its baseline and the cost against it when it is a scenario's.
pub fn comparison_json(base: &Forecast, chosen: Option<&Forecast>, fitted_to: chrono::NaiveDate) -> Value {
    let mut v = match chosen {
        Some(f) => {
            let mut v = forecast_json(f);
            v["baseline"] = forecast_json(base);
            v["cost_against_baseline"] = quantiles_json(f.cost_against(base), 0);
            v
        }
        None => forecast_json(base),
    };
    v["fitted_to"] = json!(fitted_to.to_string());
    v
}

/// P10, P50 and P90 as JSON, to `places` decimal places.
pub fn quantiles_json(q: Quantiles, places: i32) -> Value {
    let r = |v: f64| {
        let k = 10f64.powi(places);
        (v * k).round() / k
    };
    json!({"p10": r(q.p10), "p50": r(q.p50), "p90": r(q.p90)})
}

/// The forecast as JSON: start, runs, months (each figure's P10/P50/P90) and targets.
pub fn forecast_json(f: &Forecast) -> Value {
    let months: Vec<Value> = f
        .months
        .iter()
        .map(|m| {
            let mut o = serde_json::Map::new();
            o.insert("month".into(), json!(m.month.to_string()));
            for (i, name) in FIGURES.iter().enumerate() {
                o.insert((*name).into(), quantiles_json(m.figures[i], if *name == "cost" { 0 } else { 2 }));
            }
            Value::Object(o)
        })
        .collect();
    let targets: Vec<Value> = f
        .targets
        .iter()
        .map(|t| json!({"name": t.target.name, "figure": t.target.target.figure, "by": t.target.month().to_string(), "probability": t.probability}))
        .collect();
    json!({
        "scenario": f.scenario,
        "start": f.start.to_string(),
        "runs": f.runs,
        "seed": f.seed,
        "months": months,
        "targets": targets,
        "total_cost": quantiles_json(f.total_cost(), 0),
    })
}
