//! Reading a team map file: a CSV or spreadsheet with the headings `name`
//! (an old team name or cost centre, as exports write it), `team` (the team
//! it is now) and, optionally, `from` and `to` (the days it means that
//! team; empty for open). Dates as YYYY-MM-DD or DD/MM/YYYY.

use crate::read::ReadError;
use crate::sheet::{read_sheet, Cell};
use chrono::NaiveDate;
use sightline_core::source::RowProblem;
use sightline_core::teams::{TeamMap, TeamMapEntry};
use sightline_core::words::{FIRST_YEAR, LAST_YEAR};
use std::path::Path;

fn date(cell: Option<&Cell>) -> Result<Option<NaiveDate>, String> {
    let text = match cell {
        None | Some(Cell::Empty) => return Ok(None),
        Some(Cell::Date(d)) => return Ok(Some(*d)),
        Some(c) => c.text(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&text, "%d/%m/%Y"))
        .ok()
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(d)))
        .map(Some)
        .ok_or(text)
}

/// The map in `path`, checked: every bad line is named, and a map in which
/// one name means two teams on one day is refused.
pub fn read_team_map(path: &Path) -> Result<TeamMap, ReadError> {
    let sheet = read_sheet(path, None)?.headed(&["name", "team"], None)?;
    let col = |h: &str| sheet.column(h);
    let missing = |column: &str| ReadError::Export {
        file: sheet.name.clone(),
        message: format!(
            ": a team map needs the headings name, team, from and to; there is no `{column}` (headings found: {})",
            sheet.header.join(", ")
        ),
    };
    let name = col("name").ok_or_else(|| missing("name"))?;
    let team = col("team").ok_or_else(|| missing("team"))?;
    let (from, to) = (col("from"), col("to"));
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in &sheet.rows {
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i));
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let problem = |column: &str, value: String, rule: &str| RowProblem {
            file: sheet.name.clone(),
            line: *line,
            column: column.to_string(),
            value,
            rule: rule.to_string(),
        };
        let (n, t) =
            (get(Some(name)).map(Cell::text).unwrap_or_default(), get(Some(team)).map(Cell::text).unwrap_or_default());
        if n.is_empty() || t.is_empty() {
            let (column, value) = if n.is_empty() { ("name", n) } else { ("team", t) };
            problems.push(problem(column, value, "required, but empty"));
            continue;
        }
        let dates = (date(get(from)), date(get(to)));
        match dates {
            (Ok(f), Ok(t2)) => entries.push(TeamMapEntry { name: n, team: t, from: f, to: t2 }),
            (Err(v), _) => problems.push(problem("from", v, "not a date (YYYY-MM-DD or DD/MM/YYYY)")),
            (_, Err(v)) => problems.push(problem("to", v, "not a date (YYYY-MM-DD or DD/MM/YYYY)")),
        }
    }
    if !problems.is_empty() {
        return Err(ReadError::InvalidRows(problems));
    }
    TeamMap::new(entries).map_err(|e| ReadError::Export { file: sheet.name.clone(), message: format!(": {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_file_is_read_with_its_dates_or_its_bad_lines_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("map.csv");
        std::fs::write(
            &file,
            "Name,Team,From,To\nCP North,Child Protection,,31/03/2023\nCC4410,Court Team,2019-04-01,\n",
        )
        .unwrap();
        let map = read_team_map(&file).unwrap();
        assert_eq!(map.entries().len(), 2);
        assert_eq!(map.team_for("cp north", "2023-03-31".parse().unwrap()), Some("Child Protection"));
        assert_eq!(map.team_for("CP North", "2023-04-01".parse().unwrap()), None);
        std::fs::write(&file, "name,team,from\nX,A,next week\n,B,\n").unwrap();
        let ReadError::InvalidRows(problems) = read_team_map(&file).unwrap_err() else { panic!() };
        assert_eq!(problems.len(), 2);
        assert_eq!((problems[0].line, problems[0].value.as_str()), (2, "next week"));
        std::fs::write(&file, "name,team\nX,A\nx,B\n").unwrap();
        assert!(read_team_map(&file).unwrap_err().to_string().contains("cannot mean both"));
        for (text, says) in [("Old Name,New Team\nX,A\n", "needs the headings name, team"), ("", "is empty")] {
            std::fs::write(&file, text).unwrap();
            let e = read_team_map(&file).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
    }
}
