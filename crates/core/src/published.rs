//! DfE's published children's social work workforce indicators, 2017-2025,
//! for England, its regions and every local authority, as shipped with
//! Sightline (`data/dfe/`, Open Government Licence v3.0).

use serde::Serialize;
use std::fmt;

const SHIPPED: &str = include_str!("../../../data/dfe/csww_indicators_2017_to_2025.csv");

/// The published numeric fields, in DfE's column names and order.
pub const FIELDS: [&str; 22] = [
    "inpost_fte",
    "inpost_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte",
    "leavers_headcount",
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "agency_fte",
    "agency_headcount",
    "agency_rate_fte",
    "agency_rate_headcount",
    "agency_cover_fte",
    "agency_cover_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "vacancy_agency_cover_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
];

/// Plain-English label of each field, for tables and pages.
pub fn field_label(name: &str) -> &'static str {
    match name {
        "inpost_fte" => "Social workers in post (FTE)",
        "inpost_headcount" => "Social workers in post (headcount)",
        "starters_fte" => "Starters (FTE)",
        "starters_headcount" => "Starters (headcount)",
        "leavers_fte" => "Leavers (FTE)",
        "leavers_headcount" => "Leavers (headcount)",
        "turnover_rate_fte" => "Turnover rate (FTE) %",
        "turnover_rate_headcount" => "Turnover rate (headcount) %",
        "agency_fte" => "Agency workers (FTE)",
        "agency_headcount" => "Agency workers (headcount)",
        "agency_rate_fte" => "Agency rate (FTE) %",
        "agency_rate_headcount" => "Agency rate (headcount) %",
        "agency_cover_fte" => "Agency covering vacancies (FTE)",
        "agency_cover_rate_fte" => "Agency covering vacancies, % of agency",
        "vacancy_fte" => "Vacancies (FTE)",
        "vacancy_rate_fte" => "Vacancy rate (FTE) %",
        "vacancy_agency_cover_rate_fte" => "Vacancies covered by agency %",
        "case_holders_fte" => "Case holders (FTE)",
        "cases" => "Cases held",
        "caseload_fte" => "Average caseload per case holder (FTE)",
        "working_days_lost_fte" => "Working days lost to sickness",
        "absence_rate_fte" => "Sickness absence rate %",
        other => crate::development::label(other),
    }
}

/// Index of a field in [`FIELDS`].
pub fn field_index(name: &str) -> Option<usize> {
    FIELDS.iter().position(|f| *f == name)
}

/// Decimal places DfE publishes a field to.
pub fn field_places(name: &str) -> i32 {
    match name {
        "inpost_headcount" | "starters_headcount" | "leavers_headcount" | "agency_headcount" | "cases" => 0,
        _ => 1,
    }
}

/// One published cell: a number, or one of DfE's symbols.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Cell {
    Number(f64),
    /// `x`: not available.
    Unavailable,
    /// `z`: not applicable.
    NotApplicable,
    /// `c`: suppressed.
    Suppressed,
    /// `u`: low reliability.
    LowReliability,
    /// `low`: a positive value that rounds to zero.
    Low,
}

impl Cell {
    fn parse(text: &str) -> Result<Cell, String> {
        Ok(match text {
            "x" => Cell::Unavailable,
            "z" => Cell::NotApplicable,
            "c" => Cell::Suppressed,
            "u" => Cell::LowReliability,
            "low" => Cell::Low,
            "" => Cell::Unavailable,
            t => Cell::Number(t.parse::<f64>().map_err(|_| format!("`{t}` is neither a number nor a DfE symbol"))?),
        })
    }

    pub fn number(self) -> Option<f64> {
        match self {
            Cell::Number(x) => Some(x),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Number(x) => write!(f, "{x}"),
            Cell::Unavailable => f.write_str("x"),
            Cell::NotApplicable => f.write_str("z"),
            Cell::Suppressed => f.write_str("c"),
            Cell::LowReliability => f.write_str("u"),
            Cell::Low => f.write_str("low"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    National,
    Regional,
    LocalAuthority,
}

/// One row of the published file: one area, one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedRow {
    pub time_period: i32,
    pub level: Level,
    pub region_name: String,
    pub old_la_code: Option<u16>,
    pub new_la_code: String,
    pub la_name: String,
    pub cells: [Cell; 22],
}

impl PublishedRow {
    pub fn cell(&self, field: &str) -> Cell {
        self.cells[field_index(field).expect("a published field")]
    }
    pub fn number(&self, field: &str) -> Option<f64> {
        self.cell(field).number()
    }
}

/// The latest census year DfE had published by `day`. DfE publishes the
/// census year to 30 September Y at the end of February Y+1 (27 February
/// 2025 for 2024), taken here as from 1 March: at 30 September Y the latest
/// known is Y-1.
pub fn latest_published_year(day: crate::Date) -> i32 {
    use chrono::Datelike;
    if day.month() >= 3 {
        day.year() - 1
    } else {
        day.year() - 2
    }
}

/// The published indicators.
#[derive(Debug, Clone)]
pub struct Published {
    pub rows: Vec<PublishedRow>,
}

/// Splits one CSV line, honouring double quotes.
pub(crate) fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

impl Published {
    /// The figures shipped with Sightline.
    pub fn shipped() -> Published {
        Published::parse(SHIPPED).expect("the shipped DfE file is valid")
    }

    /// Parses a file with DfE's columns (a newer release loads the same way).
    pub fn parse(text: &str) -> Result<Published, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines();
        let header = split_csv_line(lines.next().ok_or("the file is empty")?);
        let col = |name: &str| {
            header.iter().position(|h| h.trim() == name).ok_or(format!("the header has no column `{name}`"))
        };
        let (tp, level, region, old, new, name) = (
            col("time_period")?,
            col("geographic_level")?,
            col("region_name")?,
            col("old_la_code")?,
            col("new_la_code")?,
            col("la_name")?,
        );
        let field_cols = FIELDS.iter().map(|f| col(f)).collect::<Result<Vec<_>, _>>()?;
        let mut rows = Vec::new();
        for (i, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = |e: String| format!("line {}: {e}", i + 2);
            let f = split_csv_line(line);
            let get = |c: usize| f.get(c).map(|s| s.trim()).unwrap_or("");
            let level = match get(level) {
                "National" => Level::National,
                "Regional" => Level::Regional,
                "Local authority" => Level::LocalAuthority,
                other => return Err(at(format!("unknown geographic level `{other}`"))),
            };
            let mut cells = [Cell::Unavailable; 22];
            for (k, c) in field_cols.iter().enumerate() {
                cells[k] = Cell::parse(get(*c)).map_err(at)?;
            }
            rows.push(PublishedRow {
                time_period: get(tp).parse().map_err(|_| at(format!("bad time_period `{}`", get(tp))))?,
                level,
                region_name: get(region).to_string(),
                // A joint return ("940 / 941") is found under its first code.
                old_la_code: get(old).split('/').next().and_then(|c| c.trim().parse().ok()),
                new_la_code: get(new).to_string(),
                la_name: get(name).to_string(),
                cells,
            });
        }
        Ok(Published { rows })
    }

    /// Other authorities whose names contain `name` or are contained in it
    /// (ignoring case): the full form of a short name, or a reorganised
    /// authority's successor (Bournemouth → Bournemouth, Christchurch and Poole).
    pub fn authorities_named_like(&self, name: &str) -> Vec<&str> {
        let wanted = name.trim().to_lowercase();
        let mut near: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.level == Level::LocalAuthority)
            .map(|r| r.la_name.as_str())
            .filter(|n| {
                let n = n.to_lowercase();
                n != wanted && (n.contains(&wanted) || wanted.contains(&n))
            })
            .collect();
        near.sort_unstable();
        near.dedup();
        near
    }

    /// England's `field` as it was known on `day`: the latest year of these
    /// figures that DfE had published by then ([`latest_published_year`]),
    /// with its census year; none before the first.
    pub fn england_known_on(&self, field: &str, day: crate::Date) -> Option<(i32, f64)> {
        let latest = latest_published_year(day);
        self.rows
            .iter()
            .filter(|r| r.level == Level::National && r.time_period <= latest)
            .max_by_key(|r| r.time_period)
            .and_then(|r| Some((r.time_period, r.number(field)?)))
    }

    /// Local authority rows matching a name (case-insensitive) or an old LA code.
    pub fn authority(&self, name_or_code: &str) -> Vec<&PublishedRow> {
        let wanted = name_or_code.trim();
        let code: Option<u16> = wanted.parse().ok();
        let mut rows: Vec<&PublishedRow> = self
            .rows
            .iter()
            .filter(|r| r.level == Level::LocalAuthority)
            .filter(|r| match code {
                Some(c) => r.old_la_code == Some(c),
                None => r.la_name.eq_ignore_ascii_case(wanted),
            })
            .collect();
        rows.sort_by_key(|r| r.time_period);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_reads_with_symbols_kept_apart() {
        let p = Published::shipped();
        let bcp = p.authority("bournemouth, christchurch and poole");
        assert_eq!(bcp.iter().map(|r| r.time_period).collect::<Vec<_>>(), (2019..=2025).collect::<Vec<_>>());
        let y2021 = bcp.iter().find(|r| r.time_period == 2021).unwrap();
        assert_eq!(y2021.number("turnover_rate_fte"), Some(36.0));
        assert_eq!(y2021.old_la_code, Some(839));
        let sunderland = p.authority("394").into_iter().find(|r| r.time_period == 2025).unwrap();
        assert_eq!(sunderland.cell("agency_fte"), Cell::Low);
        assert_eq!(sunderland.number("agency_fte"), None);
    }

    #[test]
    fn englands_figure_is_the_latest_year_published_by_the_date() {
        let d = |s: &str| s.parse::<crate::Date>().unwrap();
        let p = Published::shipped();
        let turnover = |day: &str| p.england_known_on("turnover_rate_fte", d(day));
        // DfE's 2024 figure came out at the end of February 2025: not yet
        // known at the end of the census year it describes.
        assert_eq!(turnover("2025-09-30"), Some((2024, 13.9)));
        assert_eq!(turnover("2026-02-28"), Some((2024, 13.9)));
        assert_eq!(turnover("2026-03-01"), Some((2025, 11.8)));
        assert_eq!(turnover("2024-03-31"), Some((2023, 15.9)));
        assert_eq!(turnover("2024-02-29"), Some((2022, 17.2)));
        assert_eq!(turnover("2018-03-01"), Some((2017, 13.4)));
        assert_eq!(turnover("2018-02-28"), None);
        // After the last shipped year, the last.
        assert_eq!(turnover("2031-06-30"), Some((2025, 11.8)));
        assert_eq!(p.england_known_on("agency_rate_fte", d("2025-09-30")), Some((2024, 16.2)));
    }

    #[test]
    fn names_like_find_successors_and_full_names() {
        let p = Published::shipped();
        assert_eq!(p.authorities_named_like("Christchurch"), ["Bournemouth, Christchurch and Poole"]);
        assert!(p.authorities_named_like("Bournemouth").contains(&"Bournemouth, Christchurch and Poole"));
        assert!(p.authorities_named_like("Atlantis").is_empty());
    }

    #[test]
    fn quoted_fields_keep_their_commas() {
        assert_eq!(split_csv_line(r#"a,"b, c",d"#), vec!["a", "b, c", "d"]);
    }
}
