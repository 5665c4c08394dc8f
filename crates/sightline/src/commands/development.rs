//! `sightline development`: the practice development figures (supervision,
//! early careers, CPD, registration, progression, experience mix) on a date.

use crate::cli::{parse_date, print_out, runtime};
use anyhow::{Context, Result};
use clap::ValueEnum;
use serde::Serialize;
use sightline_core::development::{development_by_team, development_figures, DevelopmentFigures, Policy};
use sightline_store::Store;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object (an array of them, one per team, with --by team); null where a figure is undefined.
    Json,
    /// A table to read on screen.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    /// One set of figures per team that has someone in post on the date.
    Team,
}

#[derive(clap::Args)]
pub struct DevelopmentArgs {
    /// The store the data was imported into (see `sightline import`).
    #[arg(long, value_name = "URL")]
    db: String,
    /// The date the figures are for, e.g. 2025-09-30.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: String,
    /// Split the figures by team.
    #[arg(long, value_enum)]
    by: Option<By>,
    /// The authority's own policy (a TOML file of the fields in docs/indicators.md), instead of the employer standards'.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Give figures unrounded instead of to one decimal place.
    #[arg(long)]
    unrounded: bool,
}

#[derive(Serialize)]
struct Row {
    as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(flatten)]
    figures: DevelopmentFigures,
}

pub fn run_development(args: DevelopmentArgs) -> Result<()> {
    let as_of = parse_date(&args.as_of)?;
    let policy = match &args.policy {
        None => Policy::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            toml::from_str(&text).with_context(|| format!("{}: not a development policy", path.display()))?
        }
    };
    let (wf, dev) = runtime()?.block_on(async {
        let store = Store::open(&args.db).await?;
        let wf = store.load_workforce().await?;
        let dev = store.load_development(&wf).await?;
        anyhow::Ok((wf, dev))
    })?;
    if dev.is_empty() {
        eprintln!(
            "note: the store holds no development records (early careers, supervision, CPD, registration or \
grades): only the experience mix can be worked out. Import them with a profile of kind asye, supervision, \
development, registration or grades (docs/data-formats.md)."
        );
    }
    let unknown = dev_people_without_spells(&wf, &dev);
    if unknown > 0 {
        eprintln!(
            "note: {unknown} people with development records have no employment record, so no figure counts \
them; join them to their HR record with `swe_no`, or `xref_source` naming the HR source (docs/data-formats.md)."
        );
    }
    let round = |f: DevelopmentFigures| if args.unrounded { f } else { f.rounded() };
    let day = as_of.to_string();
    let rows: Vec<Row> = match args.by {
        None => {
            vec![Row { as_of: day, group: None, figures: round(development_figures(&wf, &dev, &policy, as_of, None)) }]
        }
        Some(By::Team) => development_by_team(&wf, &dev, &policy, as_of)
            .into_iter()
            .map(|(team, f)| Row { as_of: day.clone(), group: Some(team), figures: round(f) })
            .collect(),
    };
    let text = match args.format {
        Format::Json if args.by.is_none() => serde_json::to_string_pretty(&rows[0])?,
        Format::Json => serde_json::to_string_pretty(&rows)?,
        Format::Table => table(&rows)?,
    };
    print_out(&text)
}

/// People with development records and no spell at all.
fn dev_people_without_spells(wf: &sightline_core::Workforce, dev: &sightline_core::development::Development) -> usize {
    wf.person_indices()
        .filter(|p| wf.spells_of(*p).is_empty())
        .filter(|p| {
            !(dev.supervision_of(*p).is_empty()
                && dev.cpd_of(*p).is_empty()
                && dev.early_careers_of(*p).is_empty()
                && dev.registrations_of(*p).is_empty()
                && dev.grades_of(*p).is_empty())
        })
        .count()
}

/// Figures down the side, one column per group.
fn table(rows: &[Row]) -> Result<String> {
    let values: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|r| match serde_json::to_value(&r.figures) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        })
        .collect();
    let names: Vec<&String> = values.first().map(|m| m.keys().collect()).unwrap_or_default();
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "-".to_string(),
        Some(serde_json::Value::Object(m)) if m.is_empty() => "-".to_string(),
        Some(serde_json::Value::Object(m)) => m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
        Some(v) => v.to_string(),
    };
    let heads: Vec<String> =
        rows.iter().map(|r| r.group.clone().unwrap_or_else(|| format!("as at {}", r.as_of))).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {}\n", "", heads.join("  "));
    for name in names {
        let cells: Vec<String> = values.iter().map(|m| shown(m.get(name.as_str()))).collect();
        out.push_str(&format!("{name:width$}  {}\n", cells.join("  ")));
    }
    Ok(out.trim_end().to_string())
}
