//! `sightline benchmark`: an authority beside its statistical neighbours,
//! its region and England, from DfE's published figures.

use crate::print_out;
use anyhow::{bail, Result};
use serde_json::{json, Map, Value};
use sightline_core::benchmark::{benchmark, Benchmark, NeighbourModel};
use sightline_core::published::{field_label, Cell, Published};

#[derive(clap::Args)]
pub struct BenchmarkArgs {
    /// The authority: its name as DfE spells it, or its three-digit old LA code.
    #[arg(long)]
    la: String,
    /// The census year.
    #[arg(long)]
    year: i32,
    /// json or table.
    #[arg(long, default_value = "table")]
    format: String,
    /// The statistical neighbour model: 2025 (DfE's latest) or 2021.
    #[arg(long, default_value_t = 2025)]
    model: u16,
}

fn cell(c: Cell) -> Value {
    match c {
        Cell::Number(x) => json!(x),
        other => json!(other.to_string()),
    }
}

/// The comparison as JSON, in the shape the API and scripts share.
pub fn to_json(b: &Benchmark) -> Value {
    let mut indicators = Map::new();
    for e in &b.entries {
        indicators.insert(
            e.field.to_string(),
            json!({
                "value": cell(e.value),
                "sn_median": e.sn_median,
                "sn_count": e.sn_count,
                "region": e.region,
                "england": e.england,
                "rank": e.rank,
                "of": e.of,
                "series": e.series.iter().map(|(y, c)| json!({ "year": y, "value": cell(*c) })).collect::<Vec<_>>(),
            }),
        );
    }
    let neighbours: Vec<Value> = b
        .neighbours
        .iter()
        .map(|n| {
            let values: Map<String, Value> = b
                .entries
                .iter()
                .map(|e| (e.field.to_string(), n.row.as_ref().map_or(Value::Null, |r| cell(r.cell(e.field)))))
                .collect();
            json!({ "old_la_code": n.old_la_code, "la_name": n.name, "closeness": n.closeness, "values": values })
        })
        .collect();
    json!({
        "la": b.la_name,
        "old_la_code": b.old_la_code,
        "region": b.region_name,
        "year": b.year,
        "model": b.model,
        "neighbours": neighbours,
        "indicators": indicators,
        "notes": b.notes,
    })
}

const SHOWN: [&str; 9] = [
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
    "inpost_fte",
    "inpost_headcount",
    "leavers_fte",
    "starters_fte",
];

fn show(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.1}"))
}

/// A published cell as DfE rounds the figure (symbols as they are).
fn shown(field: &str, c: Cell) -> String {
    match c {
        Cell::Number(x) if sightline_core::published::field_places(field) == 0 => format!("{x:.0}"),
        Cell::Number(x) => format!("{x:.1}"),
        other => other.to_string(),
    }
}

fn table(b: &Benchmark) -> String {
    let mut out = format!(
        "{} (old LA code {}), {}, census year {}\nStatistical neighbours: {}\n\n",
        b.la_name, b.old_la_code, b.region_name, b.year, b.model
    );
    out.push_str(&format!(
        "{:<40} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
        "", "Authority", "SN median", "Region", "England", "Rank"
    ));
    for e in b.entries.iter().filter(|e| SHOWN.contains(&e.field)) {
        let rank = e.rank.map_or(String::new(), |r| format!("{r} of {}", e.of));
        out.push_str(&format!(
            "{:<40} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
            field_label(e.field),
            shown(e.field, e.value),
            show(e.sn_median),
            show(e.region),
            show(e.england),
            rank
        ));
    }
    out.push_str(&format!(
        "\n{:<36} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
        "Neighbour", "Turnover", "Agency", "Vacancy", "Caseload", "Absence"
    ));
    for n in &b.neighbours {
        let v = |f: &str| n.row.as_ref().map_or("-".to_string(), |r| shown(f, r.cell(f)));
        out.push_str(&format!(
            "{:<36} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
            n.name,
            v("turnover_rate_fte"),
            v("agency_rate_fte"),
            v("vacancy_rate_fte"),
            v("caseload_fte"),
            v("absence_rate_fte")
        ));
    }
    out.push_str(
        "\nRank 1 is the most favourable (the lowest). The neighbour median leaves out neighbours without a value.",
    );
    for note in &b.notes {
        out.push_str(&format!("\nNote: {note}"));
    }
    out
}

pub fn run_benchmark(args: BenchmarkArgs) -> Result<()> {
    let model = match args.model {
        2025 => NeighbourModel::shipped_2025(),
        2021 => NeighbourModel::shipped_2021(),
        m => bail!("--model {m}: use 2025 or 2021"),
    };
    let published = Published::shipped();
    let b = benchmark(&published, &model, &args.la, args.year).map_err(|e| {
        let near = published.authorities_named_like(&args.la);
        if near.is_empty() {
            anyhow::anyhow!(e)
        } else {
            anyhow::anyhow!("{e}. Did you mean: {}?", near.join("; "))
        }
    })?;
    match args.format.as_str() {
        "json" => print_out(&serde_json::to_string_pretty(&to_json(&b))?),
        "table" => print_out(&table(&b)),
        f => bail!("--format {f}: use json or table"),
    }
}
