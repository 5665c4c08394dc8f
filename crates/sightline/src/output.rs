//! Presentation of the engine's figures: JSON, CSV and on-screen tables.

use sightline_core::published::{field_label, field_places, FIELDS};
use sightline_core::{GroupIndicators, Moves, Period, TimePeriod};
use sightline_synth::Synthesis;
use std::fmt::Write;
use std::path::Path;

pub use sightline_core::IndicatorRow as Row;

pub fn rows(periods: &[(Period, Vec<GroupIndicators>)], rounded: bool) -> Vec<Row> {
    sightline_core::indicator_rows(periods, rounded)
}

pub fn json(rows: &[Row], array: bool) -> serde_json::Result<String> {
    if array || rows.len() != 1 {
        serde_json::to_string_pretty(rows)
    } else {
        serde_json::to_string_pretty(&rows[0])
    }
}

fn cell(value: Option<f64>, places: i32) -> String {
    match value {
        None => String::new(),
        Some(v) if places == 0 => format!("{v:.0}"),
        Some(v) => {
            // Unrounded figures keep their digits; rounded ones show one place.
            let one = format!("{v:.1}");
            if one.parse::<f64>().ok() == Some(v) {
                one
            } else {
                format!("{v}")
            }
        }
    }
}

const MOVES: [&str; 4] = ["moves_in_fte", "moves_in_headcount", "moves_out_fte", "moves_out_headcount"];

fn move_value(m: &Moves, name: &str) -> f64 {
    match name {
        "moves_in_fte" => m.moves_in_fte,
        "moves_in_headcount" => m.moves_in_headcount as f64,
        "moves_out_fte" => m.moves_out_fte,
        _ => m.moves_out_headcount as f64,
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn csv(rows: &[Row], grouped: bool) -> String {
    let mut out = String::from("time_period,period_start,period_end");
    if grouped {
        out.push_str(",group");
    }
    for f in FIELDS {
        write!(out, ",{f}").expect("string");
    }
    if grouped {
        for m in MOVES {
            write!(out, ",{m}").expect("string");
        }
    }
    for r in rows {
        let tp = r.time_period.to_string();
        write!(out, "\n{tp},{},{}", r.period_start, r.period_end).expect("string");
        if grouped {
            write!(out, ",{}", csv_field(r.group.as_deref().unwrap_or(""))).expect("string");
        }
        for f in FIELDS {
            write!(out, ",{}", cell(r.indicators.field(f), field_places(f))).expect("string");
        }
        if let Some(m) = r.moves.as_ref().filter(|_| grouped) {
            for name in MOVES {
                let places = if name.ends_with("fte") { 1 } else { 0 };
                write!(out, ",{}", cell(Some(move_value(m, name)), places)).expect("string");
            }
        }
    }
    out
}

/// Figures down the side, one column per period or group.
pub fn table(rows: &[Row]) -> String {
    let heading = |r: &Row| {
        let when = match &r.time_period {
            TimePeriod::Date(s) => format!("12 months to {s}"),
            TimePeriod::Year(y) => format!("{y}"),
        };
        match &r.group {
            Some(g) if rows.iter().all(|x| x.time_period == r.time_period) => g.clone(),
            Some(g) => format!("{when} {g}"),
            None => when,
        }
    };
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut header = vec![String::new()];
    header.extend(rows.iter().map(heading));
    lines.push(header);
    for f in FIELDS {
        let mut line = vec![field_label(f).to_string()];
        line.extend(rows.iter().map(|r| match r.indicators.field(f) {
            None => "-".to_string(),
            v => cell(v, field_places(f)),
        }));
        lines.push(line);
    }
    if rows.iter().any(|r| r.moves.is_some()) {
        for (name, label) in MOVES.iter().zip([
            "Moved in from another group (FTE)",
            "Moved in (headcount)",
            "Moved out to another group (FTE)",
            "Moved out (headcount)",
        ]) {
            let mut line = vec![label.to_string()];
            let places = if name.ends_with("fte") { 1 } else { 0 };
            line.extend(
                rows.iter().map(|r| r.moves.as_ref().map_or("-".into(), |m| cell(Some(move_value(m, name)), places))),
            );
            lines.push(line);
        }
    }
    let widths: Vec<usize> =
        (0..lines[0].len()).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for line in &lines {
        for (c, text) in line.iter().enumerate() {
            if c == 0 {
                write!(out, "{text:<w$}", w = widths[0]).expect("string");
            } else {
                write!(out, "  {text:>w$}", w = widths[c]).expect("string");
            }
        }
        out.push('\n');
    }
    out.push_str(
        "\n'-' means not defined: a rate whose denominator is 0, or vacancies by role (establishment need not carry a role).",
    );
    out
}

pub fn synth_summary(s: &Synthesis, out: &Path) -> String {
    let wf = &s.workforce;
    let mut text = String::new();
    let years = match (s.years.first(), s.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let what = s.authority.as_deref().map_or("a synthetic authority".to_string(), |a| format!("a synthetic {a}"));
    writeln!(
        text,
        "Wrote {what}, census years {years}, to {}:\n  {} people, {} spells, {} establishment rows, {} absences, {} caseload snapshots.",
        out.display(),
        wf.persons().len(),
        wf.spells().len(),
        wf.establishment().len(),
        wf.absences().len(),
        wf.caseloads().len()
    )
    .expect("string");
    for note in &s.notes {
        writeln!(text, "Note: {note}.").expect("string");
    }
    if s.authority.is_some() {
        if s.unmatched.is_empty() {
            write!(text, "Every one of the {} published figures is reproduced to DfE's rounding.", s.compared)
                .expect("string");
        } else {
            writeln!(
                text,
                "{} of {} published figures are reproduced to DfE's rounding. Not matched (DfE's figures for \
these years are not all consistent with each other):",
                s.compared - s.unmatched.len(),
                s.compared
            )
            .expect("string");
            if s.unmatched.iter().any(|u| u.field == "starters_headcount") {
                writeln!(
                    text,
                    "  (Starters are what the published headcounts imply: in post at 30 September = in post a year \
earlier + starters - leavers; DfE's own figures do not always add up that way.)"
                )
                .expect("string");
            }
            writeln!(text, "  {:<6}{:<32}{:>12}{:>12}{:>12}", "year", "figure", "published", "produced", "difference")
                .expect("string");
            for u in &s.unmatched {
                let show = |v: Option<f64>| v.map_or("-".to_string(), |v| v.to_string());
                writeln!(
                    text,
                    "  {:<6}{:<32}{:>12}{:>12}{:>12}",
                    u.year,
                    u.field,
                    u.published,
                    show(u.produced),
                    show(u.difference)
                )
                .expect("string");
            }
        }
    }
    text.trim_end().to_string()
}

/// Writes a new file whole or not at all: never over an existing file, and
/// readable only by its owner (reports and returns are about people).
pub fn write_new_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    if path.exists() {
        anyhow::bail!("{} already exists; choose another name (nothing was written)", path.display());
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let temp = path.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
