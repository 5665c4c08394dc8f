//! Reading an export as a grid of cells: CSV files through the `csv` crate,
//! spreadsheets (.xlsx, .xlsm, .xls, .ods) through `calamine`. A spreadsheet
//! keeps what the cell holds (text, a number, a date); a CSV cell is text.
//!
//! Exports come as systems write them: CSV in UTF-8 (with or without a
//! byte-order mark) or Windows-1252, separated by commas, semicolons or tabs
//! (found from the file, or given); headings under a title and blank lines,
//! found by [`Sheet::headed`].

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
    /// The line (CSV) or row (spreadsheet) the header is on.
    pub header_line: u64,
    pub rows: Vec<(u64, Vec<Cell>)>,
}

/// How a heading is compared: case, spaces round it and runs of spaces aside.
fn heading_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How far down a title block the headings are looked for.
const HEADING_SEARCH_ROWS: usize = 50;

impl Sheet {
    /// Where the column named `name` is (matched ignoring case and spaces).
    pub fn column(&self, name: &str) -> Option<usize> {
        let want = heading_key(name);
        self.header.iter().position(|h| heading_key(h) == want)
    }

    /// Whether the header holds every one of `columns`.
    pub fn column_set(&self, columns: &[&str]) -> bool {
        columns.iter().all(|c| self.column(c).is_some())
    }

    /// The sheet with its headings where they are: on line `forced` when
    /// given, else the first line (within the first 50) holding every one of
    /// `columns`, everything above it (titles, run dates, blank lines) set
    /// aside. Unchanged when the first line already holds them, or when no
    /// line does (the reader then names the missing column).
    pub fn headed(self, columns: &[&str], forced: Option<u64>) -> Result<Sheet, ReadError> {
        let holds_all = |cells: &[String]| {
            let keys: Vec<String> = cells.iter().map(|c| heading_key(c)).collect();
            columns.iter().all(|c| keys.contains(&heading_key(c)))
        };
        let at = match forced {
            Some(line) if line == self.header_line => return Ok(self),
            Some(line) => match self.rows.iter().position(|(l, _)| *l == line) {
                Some(i) => i,
                None => {
                    return Err(ReadError::Export {
                        file: self.name.clone(),
                        message: format!("has no line {line} with headings (header_row = {line} in the profile)"),
                    })
                }
            },
            None if holds_all(&self.header) => return Ok(self),
            None => {
                let found = self
                    .rows
                    .iter()
                    .take(HEADING_SEARCH_ROWS)
                    .position(|(_, cells)| holds_all(&cells.iter().map(Cell::text).collect::<Vec<_>>()));
                match found {
                    Some(i) => i,
                    None => return Ok(self),
                }
            }
        };
        let mut rows = self.rows;
        let (header_line, cells) = rows.remove(at);
        rows.drain(..at);
        Ok(Sheet { name: self.name, header: cells.iter().map(Cell::text).collect(), header_line, rows })
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

/// Reads CSV bytes, finding the separator (see [`read_csv_with`]).
pub fn read_csv(file_name: &str, bytes: &[u8]) -> Result<Sheet, ReadError> {
    read_csv_with(file_name, bytes, None)
}

/// The file's text: UTF-8 (a byte-order mark skipped), or else Windows-1252,
/// the other encoding Windows programs save CSV in.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|b| windows_1252(*b)).collect()),
    }
}

/// A Windows-1252 byte as a character (Latin-1 but for 0x80 to 0x9F).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The separator of a CSV text: of comma, semicolon and tab, the one found
/// most often outside quotes on its first lines that hold any.
fn separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut lines = 0;
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            '\n' if !quoted => {
                lines += 1;
                if lines >= 20 {
                    break;
                }
            }
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Reads CSV bytes separated by `delimiter`, or by the separator found in
/// the file (a byte-order mark is skipped; rows may be ragged; quoted fields
/// may hold line breaks).
pub fn read_csv_with(file_name: &str, bytes: &[u8], delimiter: Option<u8>) -> Result<Sheet, ReadError> {
    // A line longer than any table Sightline reads could hold is refused
    // before it is parsed into fields.
    if let Some(line) = overlong_line(bytes) {
        return Err(ReadError::Export {
            file: file_name.to_string(),
            message: format!(
                "line {line} is longer than {MAX_LINE_BYTES} bytes: more than {MAX_COLUMNS} columns of at most {} \
bytes each, so it is not a table Sightline reads",
                crate::read::MAX_FIELD_BYTES
            ),
        });
    }
    let text = decode(bytes);
    let text = text.as_ref();
    let delimiter = delimiter.unwrap_or_else(|| separator(text));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let malformed = |e: csv::Error| ReadError::Export { file: file_name.to_string(), message: e.to_string() };
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    let mut header = None;
    let mut header_line = 1;
    let mut rows = Vec::new();
    while reader.read_byte_record(&mut record).map_err(malformed)? {
        let line = lines.line_of(&record, text.as_bytes());
        // The whole text is UTF-8, so every field is.
        let fields = record.iter().map(|f| std::str::from_utf8(f).unwrap_or_default());
        if header.is_none() {
            header = Some(fields.map(|h| h.trim().to_string()).collect::<Vec<_>>());
            header_line = line;
            continue;
        }
        let cells: Vec<Cell> =
            fields.map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect();
        if !cells.iter().all(Cell::is_empty) {
            rows.push((line, cells));
        }
    }
    let header = header.ok_or_else(|| ReadError::Export { file: file_name.to_string(), message: "is empty".into() })?;
    Ok(Sheet { name: file_name.to_string(), header, header_line, rows })
}

/// The longest line Sightline reads from a CSV file: [`MAX_COLUMNS`]
/// fields of at most [`crate::read::MAX_FIELD_BYTES`] bytes, quoted and separated.
const MAX_LINE_BYTES: usize = MAX_COLUMNS as usize * (crate::read::MAX_FIELD_BYTES + 3);

/// The number of the first line (from 1) longer than [`MAX_LINE_BYTES`].
/// A quoted line break only makes lines shorter, so no table Sightline
/// reads has such a line.
fn overlong_line(bytes: &[u8]) -> Option<usize> {
    bytes.split(|b| *b == b'\n').position(|line| line.len() > MAX_LINE_BYTES).map(|i| i + 1)
}

/// The most an .xlsx file's parts other than its sheets (shared strings,
/// styles, the workbook and its relationships) may hold once unpacked:
/// calamine reads them whole as it opens the file, while sheets are read
/// cell by cell within bounds.
const MAX_XLSX_PARTS_BYTES: u64 = 512 * 1024 * 1024;

/// Whether an .xlsx file's parts other than its sheets unpack within
/// [`MAX_XLSX_PARTS_BYTES`], counted as they unpack (a part's declared size
/// may lie), so a small file cannot unpack into gigabytes of shared strings.
fn xlsx_fits(path: &Path, most: u64) -> Result<(), String> {
    use std::io::Read;
    let unreadable = |e: String| format!("cannot be read as a spreadsheet: {e}");
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| unreadable(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let name = part.name().to_ascii_lowercase();
        if name.starts_with("xl/worksheets/") && !name.starts_with("xl/worksheets/_rels/") {
            continue;
        }
        let room = most - total;
        let read =
            std::io::copy(&mut part.take(room + 1), &mut std::io::sink()).map_err(|e| unreadable(e.to_string()))?;
        total += read;
        if total > most {
            return Err(format!(
                "unpacks into more than {} MB of shared text and styles (in `{name}`), more than Sightline reads",
                most / 1024 / 1024
            ));
        }
    }
    Ok(())
}

fn read_spreadsheet(path: &Path, file_name: &str, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let fail = |message: String| ReadError::Export { file: file_name.to_string(), message };
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm")) {
        xlsx_fits(path, MAX_XLSX_PARTS_BYTES).map_err(fail)?;
    }
    // calamine lays out every sheet of an .ods file as it opens it: its size first.
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ods")) {
        ods_fits(path).map_err(fail)?;
    }
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
    // An .xlsx sheet is read cell by cell, within bounds, so that a file
    // naming a far corner (XFD1048576) cannot make a grid of it.
    let cells: Vec<(u32, u32, Data)> = match &mut book {
        calamine::Sheets::Xlsx(xlsx) => {
            let mut reader =
                xlsx.worksheet_cells_reader(&name).map_err(|e| fail(format!("sheet `{name}` cannot be read: {e}")))?;
            let mut cells = Vec::new();
            while let Some(c) = reader.next_cell().map_err(|e| fail(format!("sheet `{name}` cannot be read: {e}")))? {
                let (row, col) = c.get_position();
                let data = Data::from(c.get_value().clone());
                if matches!(data, Data::Empty) {
                    continue;
                }
                if col >= MAX_COLUMNS {
                    return Err(fail(format!(
                        "sheet `{name}` has a value in row {}, column {}: beyond the {MAX_COLUMNS} columns Sightline reads. \
Delete what lies beyond the table, or save the table alone",
                        row + 1,
                        col + 1
                    )));
                }
                if cells.len() >= MAX_CELLS {
                    return Err(fail(format!(
                        "sheet `{name}` has more than {MAX_CELLS} filled cells, more than Sightline reads from one sheet"
                    )));
                }
                cells.push((row, col, data));
            }
            cells
        }
        _ => {
            let range = book.worksheet_range(&name).map_err(|e| fail(format!("sheet `{name}` cannot be read: {e}")))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            range.used_cells().map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, d.clone())).collect()
        }
    };
    grid(&name, file_name, cells).map_err(fail)?.ok_or_else(|| fail(format!("sheet `{name}` is empty")))
}

/// Whether an .ods file's sheets fit the bounds, read from its XML before
/// calamine lays them out: a cell or row repeated (`number-columns-repeated`,
/// `number-rows-repeated`) counts as often as it repeats, except empty ones
/// that end a row or a sheet, which take no room.
fn ods_fits(path: &Path) -> Result<(), String> {
    use quick_xml::events::Event;
    let unreadable = |e: String| format!("cannot be read as a spreadsheet: {e}");
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| unreadable(e.to_string()))?;
    let content = zip.by_name("content.xml").map_err(|e| unreadable(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let repeats = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.parse().ok()))
            .unwrap_or(1)
    };
    let (mut row_repeat, mut row_cells, mut pending, mut row_has_value, mut total) = (1u64, 0u64, 0u64, false, 0u64);
    // Rows holding values, repeats counted: no more than a spreadsheet program keeps.
    let mut rows = 0u64;
    let too_big = || {
        format!(
            "has a sheet larger than Sightline reads ({MAX_COLUMNS} columns, {MAX_ROWS} rows, {MAX_CELLS} cells, \
counting repeated cells): save the table alone, as .xlsx or CSV"
        )
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| unreadable(e.to_string()))?;
        match &event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table-row" => {
                row_repeat = repeats(e, b"table:number-rows-repeated");
                (row_cells, pending, row_has_value) = (0, 0, false);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell") =>
            {
                let n = repeats(e, b"table:number-columns-repeated");
                let holds_value = matches!(event, Event::Start(_))
                    || e.try_get_attribute(b"office:value-type").ok().flatten().is_some();
                if holds_value {
                    row_cells = row_cells.saturating_add(pending).saturating_add(n);
                    pending = 0;
                    row_has_value = true;
                    if row_cells > u64::from(MAX_COLUMNS) {
                        return Err(too_big());
                    }
                } else {
                    pending = pending.saturating_add(n);
                }
            }
            Event::End(e) if e.name().as_ref() == b"table:table-row" && row_has_value => {
                total = total.saturating_add(row_cells.saturating_mul(row_repeat));
                rows = rows.saturating_add(row_repeat);
                if total > MAX_CELLS as u64 || rows > MAX_ROWS {
                    return Err(too_big());
                }
            }
            Event::End(e) if e.name().as_ref() == b"table:table" => (total, rows) = (0, 0),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The most rows of a sheet holding values (Excel's own limit).
const MAX_ROWS: u64 = 1_048_576;

/// The most columns read from a sheet, and the most cells of the table
/// (rows holding values, times the columns from the first to the last).
const MAX_COLUMNS: u32 = 1000;
const MAX_CELLS: usize = 16_000_000;

/// The rows of a sheet from its filled cells (row, column, value): the
/// first row holding a value is the header, columns start at the first
/// that holds one, and empty rows are passed over.
fn grid(name: &str, file_name: &str, mut cells: Vec<(u32, u32, Data)>) -> Result<Option<Sheet>, String> {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let (Some(first_col), Some(last_col)) =
        (cells.iter().map(|(_, c, _)| *c).min(), cells.iter().map(|(_, c, _)| *c).max())
    else {
        return Ok(None);
    };
    let width = (last_col - first_col + 1) as usize;
    let mut lines: Vec<u32> = cells.iter().map(|(r, _, _)| *r).collect();
    lines.dedup();
    if lines.len().saturating_mul(width) > MAX_CELLS {
        return Err(format!(
            "sheet `{name}` is a table of {} rows by {width} columns: more than the {MAX_CELLS} cells Sightline reads from one sheet",
            lines.len()
        ));
    }
    let mut rows: Vec<(u64, Vec<Cell>)> = Vec::new();
    for (r, c, data) in cells {
        let line = u64::from(r) + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            rows.push((line, vec![Cell::Empty; width]));
        }
        if let Some((_, row)) = rows.last_mut() {
            row[(c - first_col) as usize] = cell(&data);
        }
    }
    rows.retain(|(_, cells)| !cells.iter().all(Cell::is_empty));
    let mut rows = rows.into_iter();
    let Some((header_line, header)) = rows.next() else { return Ok(None) };
    Ok(Some(Sheet {
        name: format!("{file_name} [{name}]"),
        header: header.iter().map(Cell::text).collect(),
        header_line,
        rows: rows.collect(),
    }))
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
    fn windows_1252_text_is_read_as_it_was_written() {
        let sheet = read_csv("x.csv", b"Rate,Name\n\xa3450,O\x92Neil \x80\n").unwrap();
        assert_eq!(sheet.rows[0].1, [Cell::Text("£450".into()), Cell::Text("O’Neil €".into())]);
    }

    #[test]
    fn the_separator_is_found_outside_quotes() {
        for (text, want) in [
            ("a;b;c\n1;\"2,5\";3\n", ["a", "b", "c"]),
            ("a\tb\tc\n1\t2\t3\n", ["a", "b", "c"]),
            ("a,b,c\n\"x;y\",2,3\n", ["a", "b", "c"]),
        ] {
            let sheet = read_csv("x.csv", text.as_bytes()).unwrap();
            assert_eq!(sheet.header, want, "{text:?}");
            assert_eq!(sheet.rows[0].1.len(), 3, "{text:?}");
        }
        let forced = read_csv_with("x.csv", b"a;b,c\n1;2,3\n", Some(b',')).unwrap();
        assert_eq!(forced.header, ["a;b", "c"]);
    }

    #[test]
    fn headings_under_a_title_are_found_or_taken_from_the_line_given() {
        let text = "Children's Services staff extract,,Run 03 Oct 2025\n\nEmployee No, Date of  Birth ,Team\nA1,1980-01-01,MASH\n";
        let sheet = read_csv("x.csv", text.as_bytes()).unwrap();
        assert_eq!(sheet.header_line, 1);
        let headed = sheet.clone().headed(&["Employee No", "date of birth"], None).unwrap();
        assert_eq!((headed.header_line, headed.header[0].as_str()), (3, "Employee No"));
        assert_eq!(
            headed.rows,
            [(4, vec![Cell::Text("A1".into()), Cell::Text("1980-01-01".into()), Cell::Text("MASH".into())])]
        );
        assert_eq!(headed.column("date of birth"), Some(1));
        let forced = sheet.clone().headed(&["Nowhere"], Some(3)).unwrap();
        assert_eq!(forced.header_line, 3);
        assert!(sheet.clone().headed(&["Nowhere"], Some(9)).is_err(), "a line that is not there is named");
        let unchanged = sheet.headed(&["Nowhere"], None).unwrap();
        assert_eq!(unchanged.header_line, 1, "no line holds them: the reader names the missing column");
    }

    #[test]
    fn a_csv_line_longer_than_any_table_is_refused_before_it_is_parsed() {
        let mut bytes = b"Staff ID,Team\nS1,MASH\nS2,".to_vec();
        bytes.extend(std::iter::repeat_n(b'A', super::MAX_LINE_BYTES));
        bytes.extend(b"\nS3,CIN\n");
        let e = read_csv("long.csv", &bytes).unwrap_err().to_string();
        assert!(e.contains("line 3 is longer than 1003000 bytes"), "{e}");
        // A line of the longest fields there may be is read (and its fields judged later).
        let line = vec!["x".repeat(1000); 1000].join(",");
        assert!(read_csv("wide.csv", format!("{line}\n{line}\n").as_bytes()).is_ok());
    }

    #[test]
    fn an_xlsx_file_whose_shared_strings_unpack_too_far_is_refused_before_calamine_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("strings.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Staff ID").unwrap();
        for r in 1..3000u32 {
            sheet.write_string(r, 0, format!("{r:0>1000}")).unwrap();
        }
        book.save(&path).unwrap();
        // Three megabytes of shared strings, packed small.
        assert!(std::fs::metadata(&path).unwrap().len() < 1024 * 1024);
        let e = super::xlsx_fits(&path, 1024 * 1024).unwrap_err();
        assert!(e.contains("more than 1 MB of shared text and styles (in `xl/sharedstrings.xml`)"), "{e}");
        assert_eq!(read_sheet(&path, None).unwrap().rows.len(), 2999, "within the real bound it reads");
    }

    #[test]
    fn a_spreadsheet_naming_its_far_corner_is_refused_not_laid_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corner.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Staff ID").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save(&path).unwrap();
        let e = read_sheet(&path, None).unwrap_err().to_string();
        assert!(e.contains("row 1048576, column 16384: beyond the 1000 columns"), "{e}");
        // A table with a title above it and a gap in its columns reads as before.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(1, 1, "Staff extract").unwrap();
        for (c, h) in ["Id", "", "Team"].iter().enumerate() {
            sheet.write_string(3, 1 + c as u16, *h).unwrap();
        }
        sheet.write_string(4, 1, "S1").unwrap();
        sheet.write_string(4, 3, "MASH").unwrap();
        book.save(&path).unwrap();
        let read = read_sheet(&path, None).unwrap();
        assert_eq!(
            (read.header_line, read.header.clone()),
            (2, vec!["Staff extract".to_string(), String::new(), String::new()])
        );
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[1].0, 5);
        assert_eq!(read.rows[1].1[2].text(), "MASH");
    }

    /// An .ods file with the given rows of the first sheet's XML.
    fn ods(path: &Path, rows: &str) {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.start_file("content.xml", stored).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Staff">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .unwrap();
        zip.finish().unwrap();
    }

    #[test]
    fn an_ods_file_that_repeats_a_cell_without_end_is_refused_not_laid_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ods");
        let cell = |t: &str| {
            format!(r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#)
        };
        // As LibreOffice writes a small table: empty cells and rows repeated to the sheet's edge.
        let trailing = r#"<table:table-cell table:number-columns-repeated="1022"/>"#;
        let rows = format!(
            "<table:table-row>{}{}{trailing}</table:table-row><table:table-row>{}{}{trailing}</table:table-row><table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
            cell("Id"), cell("Team"), cell("S1"), cell("MASH")
        );
        ods(&path, &rows);
        let sheet = read_sheet(&path, None).unwrap();
        assert_eq!((sheet.header.clone(), sheet.rows.len()), (vec!["Id".to_string(), "Team".to_string()], 1));
        // One cell repeated a hundred million times.
        let bomb = r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="100000000"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        ods(&path, bomb);
        let e = read_sheet(&path, None).unwrap_err().to_string();
        assert!(e.contains("larger than Sightline reads"), "{e}");
        // A row of values repeated four million times.
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="4000000">{}{}</table:table-row>"#,
            cell("a"),
            cell("b")
        );
        ods(&path, &format!("{}{rows}", "<table:table-row></table:table-row>"));
        assert!(read_sheet(&path, None).unwrap_err().to_string().contains("larger than"));
    }
}
