//! Reading an export as a grid of cells: CSV files through the `csv` crate,
//! spreadsheets (.xlsx, .xlsm, .xls, .ods) through `calamine`. A spreadsheet
//! keeps what the cell holds (text, a number, a date); a CSV cell is text.

use crate::read::ReadError;
use crate::table::LineCounter;
use calamine::{Data, Reader};
use chrono::{Days, NaiveDate};
use std::path::Path;

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A spreadsheet cell formatted as a date.
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text, as a person would see it (dates as `YYYY-MM-DD`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// An export read whole: its header and rows, each row with its line (CSV)
/// or row number (spreadsheet), the header being 1.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The file name, with the sheet name for spreadsheets: `staff.xlsx [Staff]`.
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<Cell>)>,
}

impl Sheet {
    /// Where the column named `name` is (matched ignoring case and spaces round it).
    pub fn column(&self, name: &str) -> Option<usize> {
        let want = name.trim().to_lowercase();
        self.header.iter().position(|h| h.trim().to_lowercase() == want)
    }
}

/// Whether `path` is a spreadsheet calamine reads, by its extension.
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods"))
}

/// Reads a CSV file or one sheet of a spreadsheet (`sheet`, or the first).
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    if is_spreadsheet(path) {
        read_spreadsheet(path, &file_name, sheet)
    } else {
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
        read_csv(&file_name, &bytes)
    }
}

/// Reads CSV bytes (a byte-order mark is skipped; rows may be ragged).
pub fn read_csv(file_name: &str, bytes: &[u8]) -> Result<Sheet, ReadError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::Export {
        file: file_name.to_string(),
        message: format!(
            "is not UTF-8 text (byte {} is not); save it as \"CSV UTF-8\" and import it again",
            e.valid_up_to()
        ),
    })?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let malformed = |e: csv::Error| ReadError::Export { file: file_name.to_string(), message: e.to_string() };
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    let mut header = None;
    let mut rows = Vec::new();
    while reader.read_byte_record(&mut record).map_err(malformed)? {
        let line = lines.line_of(&record, text.as_bytes());
        // The whole file is UTF-8, so every field is.
        let fields = record.iter().map(|f| std::str::from_utf8(f).unwrap_or_default());
        if header.is_none() {
            header = Some(fields.map(|h| h.trim().to_string()).collect::<Vec<_>>());
            continue;
        }
        let cells: Vec<Cell> =
            fields.map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect();
        if !cells.iter().all(Cell::is_empty) {
            rows.push((line, cells));
        }
    }
    let header = header.ok_or_else(|| ReadError::Export { file: file_name.to_string(), message: "is empty".into() })?;
    Ok(Sheet { name: file_name.to_string(), header, rows })
}

fn read_spreadsheet(path: &Path, file_name: &str, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let fail = |message: String| ReadError::Export { file: file_name.to_string(), message };
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| fail(format!("cannot be read as a spreadsheet: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted))
            .cloned()
            .ok_or_else(|| fail(format!("has no sheet `{wanted}` (its sheets: {})", names.join(", "))))?,
        None => names.first().cloned().ok_or_else(|| fail("has no sheets".into()))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| fail(format!("sheet `{name}` cannot be read: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut grid = range.rows().enumerate();
    let header: Vec<String> = match grid.next() {
        Some((_, cells)) => cells.iter().map(|c| cell(c).text()).collect(),
        None => return Err(fail(format!("sheet `{name}` is empty"))),
    };
    let mut rows = Vec::new();
    for (i, cells) in grid {
        let cells: Vec<Cell> = cells.iter().map(cell).collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        rows.push((first_row + i as u64 + 1, cells));
    }
    Ok(Sheet { name: format!("{file_name} [{name}]"), header, rows })
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(d) if d.is_datetime() => {
            d.as_datetime().map_or(Cell::Number(d.as_f64()), |t| Cell::Date(t.date()))
        }
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// The date of an Excel serial day number (1900 system; the whole part only).
/// Serial 1 is 1900-01-01; Excel's phantom 29 February 1900 (serial 60) is
/// why later serials count from 1899-12-30.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.trunc() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_days_since_1899_12_30() {
        assert_eq!(excel_serial_date(45_566.0), NaiveDate::from_ymd_opt(2024, 10, 1));
        assert_eq!(excel_serial_date(43_739.75), NaiveDate::from_ymd_opt(2019, 10, 1));
        assert_eq!(excel_serial_date(12.0), None);
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_across_quoted_line_breaks() {
        let sheet = read_csv("x.csv", b"\xef\xbb\xbfA,B\n1,\"two\nlines\"\n\n3,4\n").unwrap();
        assert_eq!(sheet.header, ["A", "B"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].0, 2);
        assert_eq!(sheet.rows[1].0, 5);
        assert_eq!(sheet.column(" b "), Some(1));
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused_with_advice() {
        let e = read_csv("x.csv", b"A\n\xa3450\n").unwrap_err().to_string();
        assert!(e.contains("CSV UTF-8"), "{e}");
    }
}
