//! `sightline benchmark`: an authority beside its statistical neighbours,
//! its region and England, from DfE's published figures.

use crate::cli::print_out;
use anyhow::{bail, Result};
use serde_json::{json, Map, Value};
use sightline_core::benchmark::{benchmark, Benchmark, NeighbourModel};
use sightline_core::published::{field_label, Cell, Published};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchmarkArgs {
    #[command(subcommand)]
    action: Option<BenchmarkAction>,
    #[command(flatten)]
    compare: CompareArgs,
}

#[derive(clap::Subcommand)]
enum BenchmarkAction {
    /// Load a newer release of DfE's published indicators (the same columns) into the store.
    Update {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The release's indicators file (CSV with DfE's column names).
        file: std::path::PathBuf,
    },
}

#[derive(clap::Args)]
struct CompareArgs {
    /// The authority: its name as DfE spells it, or its three-digit old LA code.
    #[arg(long)]
    la: Option<String>,
    /// The census year (with --db, the latest the authority has published when not given).
    #[arg(long)]
    year: Option<i32>,
    /// Set the authority's own current figures, from this store, beside the published ones.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// With --db: the 12 months to this date (by default to the last date in the data, and no later than today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::cli::date_arg)]
    as_of: Option<chrono::NaiveDate>,
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
pub fn to_json(b: &Benchmark, live: Option<&Live>) -> Value {
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
        "live": live.map(|l| json!({ "as_of": l.as_of.to_string(), "indicators": l.figures })),
        "to_reach_neighbours_median": peer_targets(b, live).iter().map(|t| json!({ "field": t.field, "change": t.change, "measure": t.measure })).collect::<Vec<_>>(),
    })
}

/// The authority's own figures from its data.
pub struct Live {
    pub as_of: chrono::NaiveDate,
    pub figures: sightline_core::Indicators,
}

/// What it would take to reach the neighbours' median: from the live
/// figures when there are any, else from the published ones.
fn peer_targets(b: &Benchmark, live: Option<&Live>) -> Vec<sightline_core::benchmark::PeerTarget> {
    sightline_core::benchmark::to_reach_median(b, live.map(|l| (l.as_of, &l.figures)))
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

fn table(b: &Benchmark, live: Option<&Live>) -> String {
    let mut out = format!(
        "{} (old LA code {}), {}, census year {}\nStatistical neighbours: {}\n\n",
        b.la_name, b.old_la_code, b.region_name, b.year, b.model
    );
    let now = live.map_or(String::new(), |l| format!("{:>14}", format!("to {}", l.as_of)));
    out.push_str(&format!(
        "{:<40}{now} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
        "", "Authority", "SN median", "Region", "England", "Rank"
    ));
    for e in b.entries.iter().filter(|e| SHOWN.contains(&e.field)) {
        let rank = e.rank.map_or(String::new(), |r| format!("{r} of {}", e.of));
        let now = live.map_or(String::new(), |l| {
            let v = l.figures.rounded().field(e.field);
            format!("{:>14}", v.map_or("-".to_string(), |v| shown(e.field, Cell::Number(v))))
        });
        out.push_str(&format!(
            "{:<40}{now} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
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
    let targets = peer_targets(b, live);
    if !targets.is_empty() {
        let basis =
            if live.is_some() { "from the authority's own current figures" } else { "from its published figures" };
        out.push_str(&format!("\nTo reach the neighbours' median ({basis}):\n"));
        for t in &targets {
            out.push_str(&format!("  {:<40} {:+.1} {}\n", field_label(t.field), t.change, t.measure));
        }
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
    if let Some(BenchmarkAction::Update { db, file }) = args.action {
        return update(&db, &file);
    }
    compare(args.compare)
}

fn update(db: &str, file: &std::path::Path) -> Result<()> {
    use sha2::Digest;
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let release = Published::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let years: std::collections::BTreeSet<i32> = release.rows.iter().map(|r| r.time_period).collect();
    let sha = format!("{:x}", sha2::Sha256::digest(text.as_bytes()));
    let who =
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_else(|| "unknown".into());
    crate::cli::runtime()?.block_on(async {
        let store = sightline_store::Store::open(db).await?;
        store.save_published_release(&text, &format!("cli:{who}"), &sha).await?;
        store
            .audit(
                &format!("cli:{who}"),
                "load published release",
                &format!("{} ({} rows, sha256 {sha})", file.display(), release.rows.len()),
            )
            .await?;
        anyhow::Ok(())
    })?;
    print_out(&format!(
        "Loaded {}: {} rows for {} to {}. Comparisons with --db {db}, and the dashboard, now use it.",
        file.display(),
        release.rows.len(),
        years.first().copied().unwrap_or(0),
        years.last().copied().unwrap_or(0)
    ))
}

/// DfE's published figures: the latest release loaded into the store, else the shipped file.
fn published_from(db: Option<&str>) -> Result<Published> {
    match db {
        Some(db) => {
            Ok(crate::cli::runtime()?.block_on(async { sightline_store::Store::open(db).await?.published().await })?)
        }
        None => Ok(Published::shipped()),
    }
}

fn compare(args: CompareArgs) -> Result<()> {
    let Some(la) = args.la.clone() else {
        bail!("give --la NAME_OR_CODE (or `sightline benchmark update --db URL FILE.csv` to load a newer release)");
    };
    let model = match args.model {
        2025 => NeighbourModel::shipped_2025(),
        2021 => NeighbourModel::shipped_2021(),
        m => bail!("--model {m}: use 2025 or 2021"),
    };
    let published = published_from(args.db.as_deref())?;
    let live = match &args.db {
        None => None,
        Some(db) => {
            let wf = crate::cli::runtime()?
                .block_on(async { sightline_store::Store::open(db).await?.load_workforce().await })?;
            let today = chrono::Utc::now().date_naive();
            let as_of = args.as_of.unwrap_or_else(|| wf.latest_date().map_or(today, |d| d.min(today)));
            let figures = sightline_core::indicators(
                &wf,
                &sightline_core::Calendar::england_and_wales(),
                sightline_core::Period::twelve_months_to(as_of),
            );
            // An empty store has no figures of its own to show.
            (!wf.spells().is_empty()).then_some(Live { as_of, figures })
        }
    };
    let year = match (args.year, &live) {
        (Some(y), _) => y,
        (None, Some(_)) => published.authority(&la).iter().map(|r| r.time_period).max().unwrap_or(0),
        (None, None) => {
            bail!("give --year (or --db for the authority's own current figures beside the latest published)")
        }
    };
    let b = benchmark(&published, &model, &la, year).map_err(|e| {
        let near = published.authorities_named_like(&la);
        if near.is_empty() {
            anyhow::anyhow!(e)
        } else {
            anyhow::anyhow!("{e}. Did you mean: {}?", near.join("; "))
        }
    })?;
    match args.format.as_str() {
        "json" => print_out(&serde_json::to_string_pretty(&to_json(&b, live.as_ref()))?),
        "table" => print_out(&table(&b, live.as_ref())),
        f => bail!("--format {f}: use json or table"),
    }
}
