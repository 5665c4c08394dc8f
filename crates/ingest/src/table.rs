//! Reading one CSV table fast and exactly: the header and its columns, then
//! the rows, each handed to a parser with its line number.
//!
//! A file with no double quote anywhere is split at line ends and its parts
//! parsed side by side on the machine's cores; any file with quotes goes
//! through the `csv` crate, which handles quoted commas and line breaks.
//! Both paths give the same rows and the same line numbers.

use crate::read::ReadError;
use sightline_core::source::RowProblem;

/// Where each wanted column is in the file: the required columns first,
/// then the optional ones (None when the file does not have them).
pub(crate) struct Columns {
    index: Vec<Option<usize>>,
    /// The file's header, trimmed and in lower case.
    header: Vec<String>,
}

impl Columns {
    fn new(
        file: &'static str,
        header: &[&[u8]],
        required: &[&'static str],
        optional: &[&'static str],
    ) -> Result<Columns, ReadError> {
        let names: Vec<String> =
            header.iter().map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase()).collect();
        let mut index = Vec::new();
        for column in required {
            let i = names.iter().position(|n| n == column).ok_or_else(|| ReadError::MissingColumn {
                file,
                column,
                found: names.join(", "),
            })?;
            index.push(Some(i));
        }
        for column in optional {
            index.push(names.iter().position(|n| n == column));
        }
        Ok(Columns { index, header: names })
    }
}

/// The fields of a row: text already checked as UTF-8 (the whole part at
/// once), text known to be printable ASCII (its part holds nothing else
/// but line feeds), or bytes to check field by field.
#[derive(Clone, Copy)]
enum Fields<'r> {
    Text(&'r [&'r str]),
    Printable(&'r [&'r str]),
    Bytes(&'r [&'r [u8]]),
}

/// One row as its parser sees it.
pub(crate) struct Row<'r> {
    pub file: &'static str,
    pub line: u64,
    fields: Fields<'r>,
    cols: &'r Columns,
    names: &'r [&'static str],
}

impl<'r> Row<'r> {
    pub fn problem(&self, column: &str, value: &str, rule: impl Into<String>) -> RowProblem {
        RowProblem {
            file: self.file.to_string(),
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            rule: rule.into(),
        }
    }

    /// The name of wanted column `k`.
    pub fn name(&self, k: usize) -> &'static str {
        self.names[k]
    }

    /// The bytes of wanted column `k` without surrounding spaces; empty
    /// when the column is absent from the file or the row.
    pub fn raw(&self, k: usize) -> &'r [u8] {
        let Some(i) = self.cols.index[k] else {
            return b"";
        };
        match self.fields {
            Fields::Text(f) | Fields::Printable(f) => f.get(i).map_or(&b""[..], |s| s.as_bytes()).trim_ascii(),
            Fields::Bytes(f) => f.get(i).copied().unwrap_or(b"").trim_ascii(),
        }
    }

    /// The text of wanted column `k`, "" when absent.
    pub fn text(&self, k: usize) -> Result<&'r str, RowProblem> {
        let text = if let (Fields::Printable(f), Some(i)) = (self.fields, self.cols.index[k]) {
            let text = f.get(i).copied().unwrap_or("").trim_ascii();
            if text.len() <= crate::read::MAX_FIELD_BYTES {
                return Ok(text);
            }
            text
        } else if let (Fields::Text(f), Some(i)) = (self.fields, self.cols.index[k]) {
            f.get(i).copied().unwrap_or("").trim_ascii()
        } else {
            let bytes = self.raw(k);
            std::str::from_utf8(bytes)
                .map_err(|_| self.problem(self.names[k], &String::from_utf8_lossy(bytes), "not valid UTF-8 text"))?
        };
        match crate::read::unfit_text(text) {
            None => Ok(text),
            Some(rule) => {
                let shown: String = crate::read::shown(text);
                Err(self.problem(self.names[k], &shown, rule))
            }
        }
    }
}

/// The rows of one part of a file, with the problems found and whatever
/// the parser gathered along the way (such as the identifiers it met).
pub(crate) struct Part<T, S> {
    pub rows: Vec<T>,
    pub problems: Vec<RowProblem>,
    pub state: S,
}

/// Parts smaller than this are not worth a thread of their own (files are
/// also read side by side, and each part interns its identifiers anew).
const MIN_PART: usize = 1 << 20;

/// Reads a table, handing each row to `parse_row` with a per-part state.
/// The parts come back in file order.
pub(crate) fn read_table<T: Send, S: Send>(
    file: &'static str,
    bytes: &[u8],
    required: &[&'static str],
    optional: &[&'static str],
    new_state: impl Fn() -> S + Sync,
    parse_row: impl Fn(&mut S, &Row<'_>) -> Result<T, RowProblem> + Sync,
) -> Result<Vec<Part<T, S>>, ReadError> {
    read_table_lean(file, bytes, required, optional, new_state, None, parse_row)
}

/// A lean reader of one row of a file whose header is exactly the one it
/// is written for: given the bytes from the row's start to the end of its
/// part and the row's line number, it gives the row and the bytes it took
/// (through its line end), or None when the row is anything but plain,
/// which `parse_row` then reads. Where it gives a row, that row must be
/// the one `parse_row` would give.
pub(crate) type Lean<T, S> = dyn Fn(&mut S, &[u8], u64) -> Option<(T, usize)> + Sync;

/// [`read_table`], with a lean reader for the rows of a file laid out as
/// Sightline writes it.
#[allow(clippy::expect_used)] // the bounds start with 0 and the line numbers with 2; a part reader's panic is passed on (readers do not panic: tests/hostile.rs)
pub(crate) fn read_table_lean<T: Send, S: Send>(
    file: &'static str,
    bytes: &[u8],
    required: &[&'static str],
    optional: &[&'static str],
    new_state: impl Fn() -> S + Sync,
    lean: Option<(&[&str], &Lean<T, S>)>,
    parse_row: impl Fn(&mut S, &Row<'_>) -> Result<T, RowProblem> + Sync,
) -> Result<Vec<Part<T, S>>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let names: Vec<&'static str> = required.iter().chain(optional).copied().collect();
    if memchr::memchr(b'"', bytes).is_some()
        || (memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some())
    {
        return read_quoted(file, bytes, required, optional, &names, new_state(), &parse_row).map(|p| vec![p]);
    }
    let header_end = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
    let header: Vec<&[u8]> = strip_cr(&bytes[..header_end]).split(|b| *b == b',').collect();
    let cols = Columns::new(file, &header, required, optional)?;
    let lean = lean.filter(|(layout, _)| cols.header.iter().eq(layout.iter())).map(|(_, lean)| lean);
    let body = &bytes[header_end..];

    // Split the body at line ends into about equal parts, one per core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = (body.len() / MIN_PART).clamp(1, cores);
    let mut bounds = vec![0];
    for k in 1..parts {
        let at = body.len() * k / parts;
        let end = memchr::memchr(b'\n', &body[at..]).map_or(body.len(), |i| at + i + 1);
        if end > *bounds.last().expect("a bound") && end < body.len() {
            bounds.push(end);
        }
    }
    bounds.push(body.len());
    // The line number at which each part starts (the header is line 1).
    let mut first_lines = vec![2u64];
    for w in bounds.windows(2).take(bounds.len() - 2) {
        let lines = memchr::memchr_iter(b'\n', &body[w[0]..w[1]]).count() as u64;
        first_lines.push(first_lines.last().expect("a line") + lines);
    }
    let work = |k: usize| {
        let plain = Plain { file, cols: &cols, names: &names };
        plain.read(&body[bounds[k]..bounds[k + 1]], first_lines[k], new_state(), lean, &parse_row)
    };
    if bounds.len() == 2 {
        return Ok(vec![work(0)]);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..bounds.len() - 1).map(|k| scope.spawn(move || work(k))).collect();
        let mut out = vec![work(0)];
        out.extend(handles.into_iter().map(|h| h.join().expect("table reader")));
        Ok(out)
    })
}

fn strip_cr(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// What every part of a file with no quotes shares.
struct Plain<'c> {
    file: &'static str,
    cols: &'c Columns,
    names: &'c [&'static str],
}

impl Plain<'_> {
    /// Rows of a part: each by the lean reader if there is one and it takes
    /// the row, otherwise cut at commas and handed to `parse_row`.
    fn read<T, S>(
        &self,
        part: &[u8],
        first_line: u64,
        state: S,
        lean: Option<&Lean<T, S>>,
        parse_row: &(impl Fn(&mut S, &Row<'_>) -> Result<T, RowProblem> + Sync),
    ) -> Part<T, S> {
        // Room for every line, but no more than a row for every 16 bytes
        // (a file of empty lines has no rows).
        let lines = (memchr::memchr_iter(b'\n', part).count() + 1).min(part.len() / 16 + 1);
        let mut out = Part { rows: Vec::with_capacity(lines), problems: Vec::new(), state };
        // Checked once, when the first row is not taken by the lean reader:
        // as UTF-8 (cut at ASCII commas and line ends, every field is then
        // text; a part that is not UTF-8 is checked field by field), and
        // whether it holds only printable ASCII and line feeds.
        let mut checked: Option<(Option<&str>, bool)> = None;
        let mut fields = Cut { text_fields: Vec::with_capacity(16), byte_fields: Vec::with_capacity(16) };
        let (mut at, mut k) = (0, 0u64);
        while at < part.len() {
            if let Some((row, used)) = lean.and_then(|lean| lean(&mut out.state, &part[at..], first_line + k)) {
                out.rows.push(row);
                (at, k) = (at + used, k + 1);
                continue;
            }
            let end = memchr::memchr(b'\n', &part[at..]).map_or(part.len(), |i| at + i);
            let text = *checked.get_or_insert_with(|| {
                let printable = part.iter().fold(true, |ok, b| ok & (crate::read::printable_ascii(*b) | (*b == b'\n')));
                (std::str::from_utf8(part).ok(), printable)
            });
            self.line(part, text, at, end, first_line + k, &mut fields, &mut out, parse_row);
            (at, k) = (end + 1, k + 1);
        }
        out
    }

    /// The row on `part[start..end]` (its line end excluded), through `parse_row`.
    #[allow(clippy::too_many_arguments)] // the one line's place in its part and what it goes into
    fn line<'p, T, S>(
        &self,
        part: &'p [u8],
        (text, printable): (Option<&'p str>, bool),
        start: usize,
        end: usize,
        line: u64,
        fields: &mut Cut<'p>,
        out: &mut Part<T, S>,
        parse_row: &(impl Fn(&mut S, &Row<'_>) -> Result<T, RowProblem> + Sync),
    ) {
        // A line may end in CR LF: the CR is not part of its last field.
        let end = if end > start && part[end - 1] == b'\r' { end - 1 } else { end };
        let bytes = &part[start..end];
        if is_blank(bytes) {
            return;
        }
        fields.text_fields.clear();
        fields.byte_fields.clear();
        let mut field_start = start;
        let commas = bytes.iter().enumerate().filter(|(_, b)| **b == b',').map(|(i, _)| start + i);
        for cut in commas.chain(std::iter::once(end)) {
            match text {
                Some(t) => fields.text_fields.push(&t[field_start..cut]),
                None => fields.byte_fields.push(&part[field_start..cut]),
            }
            field_start = cut + 1;
        }
        let cut = match (text, printable) {
            (Some(_), true) => Fields::Printable(&fields.text_fields),
            (Some(_), false) => Fields::Text(&fields.text_fields),
            (None, _) => Fields::Bytes(&fields.byte_fields),
        };
        let row = Row { file: self.file, line, fields: cut, cols: self.cols, names: self.names };
        match parse_row(&mut out.state, &row) {
            Ok(t) => out.rows.push(t),
            Err(p) => out.problems.push(p),
        }
    }
}

/// The fields of the line being read (buffers kept from line to line).
struct Cut<'a> {
    text_fields: Vec<&'a str>,
    byte_fields: Vec<&'a [u8]>,
}

/// Rows of a file with quotes, through the `csv` crate.
/// Line numbers of the `csv` crate's records, from counting line ends
/// before each record's first byte (the crate's own count is off with CRLF
/// endings and quoted line breaks).
pub(crate) struct LineCounter {
    counted_to: usize,
    line: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { counted_to: 0, line: 1 }
    }
}

impl LineCounter {
    /// The line `record` starts on; records must come in file order.
    pub fn line_of(&mut self, record: &csv::ByteRecord, bytes: &[u8]) -> u64 {
        // The reader's position before a record can sit on the line end
        // that closed the one before; the record starts after it.
        let mut start = record.position().map_or(self.counted_to, |p| p.byte() as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let from = self.counted_to;
        self.line += bytes[from..start.max(from)].iter().filter(|b| **b == b'\n').count() as u64;
        self.counted_to = start.max(from);
        self.line
    }
}

fn read_quoted<T, S>(
    file: &'static str,
    bytes: &[u8],
    required: &[&'static str],
    optional: &[&'static str],
    names: &[&'static str],
    state: S,
    parse_row: &(impl Fn(&mut S, &Row<'_>) -> Result<T, RowProblem> + Sync),
) -> Result<Part<T, S>, ReadError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(bytes);
    let header =
        reader.byte_headers().map_err(|e| ReadError::Malformed { file, line: 1, message: e.to_string() })?.clone();
    let header: Vec<&[u8]> = header.iter().collect();
    let cols = Columns::new(file, &header, required, optional)?;
    let mut out = Part { rows: Vec::new(), problems: Vec::new(), state };
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(ReadError::Malformed { file, line, message: e.to_string() });
            }
        }
        if record.len() == 1 && record.get(0).is_some_and(is_blank) {
            continue;
        }
        let line = lines.line_of(&record, bytes);
        let byte_fields: Vec<&[u8]> = record.iter().collect();
        let fields = Fields::Bytes(&byte_fields);
        let row = Row { file, line, fields, cols: &cols, names };
        match parse_row(&mut out.state, &row) {
            Ok(t) => out.rows.push(t),
            Err(p) => out.problems.push(p),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, String)> {
        let parts = read_table(
            "t.csv",
            text.as_bytes(),
            &["a"],
            &["b"],
            || (),
            |_: &mut (), row| Ok((row.line, format!("{}|{}", row.text(0)?, row.text(1)?))),
        )
        .unwrap();
        parts.into_iter().flat_map(|p| p.rows).collect()
    }

    #[test]
    fn plain_and_quoted_files_give_the_same_rows_and_lines() {
        let plain = "a,b\r\n1,x\r\n\r\n2,y\r\n";
        let quoted = "a,b\r\n1,\"x\"\r\n\r\n\"2\",y\r\n";
        assert_eq!(lines(plain), vec![(2, "1|x".into()), (4, "2|y".into())]);
        assert_eq!(lines(plain), lines(quoted));
        assert_eq!(lines("\u{feff}b,a\n\"x, with comma\",1\n"), vec![(2, "1|x, with comma".into())]);
    }

    #[test]
    fn text_that_is_not_utf8_is_reported_at_its_field() {
        let parts = read_table(
            "t.csv",
            b"a,b\n1,ok\n2,bad\xff\n",
            &["a"],
            &["b"],
            || (),
            |_: &mut (), row| Ok(row.text(1)?.to_string()),
        )
        .unwrap();
        let part = &parts[0];
        assert_eq!(part.rows, ["ok"]);
        assert_eq!((part.problems[0].line, part.problems[0].column.as_str()), (3, "b"));
        assert!(part.problems[0].rule.contains("UTF-8"));
    }

    #[test]
    fn a_large_file_is_read_in_parts_with_the_right_line_numbers() {
        let mut text = String::from("a,b\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},v\n"));
        }
        let got = lines(&text);
        assert_eq!(got.len(), 200_000);
        assert!(got.iter().enumerate().all(|(i, (line, t))| *line == i as u64 + 2 && *t == format!("{i}|v")));
    }
}
