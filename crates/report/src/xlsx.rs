//! The report as a spreadsheet: a contents sheet, then one sheet per table
//! with its figures as numbers (formatted, not text), so an analyst can
//! work with them; suppressed cells are DfE's `c`.

use crate::{long_date, Report, Value};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The height of a row whose wrapped text of `chars` characters runs in a
/// cell `width` characters wide: spreadsheet programs do not fit rows to
/// wrapped text written by another program, so it is set.
fn wrapped_height(chars: usize, width: f64) -> f64 {
    15.0 * (chars as f64 / width).ceil().max(1.0)
}

/// The report as an .xlsx file's bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    let one = Format::new().set_num_format("0.0");
    let whole = Format::new().set_num_format("0");
    let percent = Format::new().set_num_format("0.0%");
    let money = Format::new().set_num_format("£#,##0");
    let right = Format::new().set_align(rust_xlsxwriter::FormatAlign::Right);

    let contents = book.add_worksheet();
    contents.set_name("Contents")?;
    contents.set_column_width(0, 24)?;
    contents.set_column_width(1, 80)?;
    // Printed, the contents fit a page's width, with their long lines wrapped.
    contents.set_print_fit_to_pages(1, 0);
    contents.write_string_with_format(0, 0, &report.title, &heading)?;
    let facts = [
        ("Period", report.period_text()),
        ("Made", long_date(report.made)),
        ("Data runs to", report.data_to.map_or("-".to_string(), long_date)),
        ("Disclosure control", report.disclosure_statement().to_string()),
    ];
    let mut row = 2;
    for (label, value) in facts {
        contents.write_string_with_format(row, 0, label, &bold)?;
        contents.set_row_height(row, wrapped_height(value.chars().count(), 80.0))?;
        contents.write_string_with_format(row, 1, value, &wrap)?;
        row += 1;
    }
    row += 1;
    if !report.summary.is_empty() {
        contents.write_string_with_format(row, 0, "Summary", &bold)?;
        for s in &report.summary {
            contents.set_row_height(row, wrapped_height(s.chars().count(), 80.0))?;
            contents.write_string_with_format(row, 1, s, &wrap)?;
            row += 1;
        }
        row += 1;
    }
    contents.write_string_with_format(row, 0, "Sheet", &bold)?;
    contents.write_string_with_format(row, 1, "Table", &bold)?;
    row += 1;
    for t in report.tables() {
        contents.write_string(row, 0, t.name)?;
        let line = format!("{} ({})", t.caption, t.when);
        contents.set_row_height(row, wrapped_height(line.chars().count(), 80.0))?;
        contents.write_string_with_format(row, 1, line, &wrap)?;
        row += 1;
    }
    contents.set_print_area(0, 0, row, 1)?;

    for t in report.tables() {
        let sheet = book.add_worksheet();
        sheet.set_name(t.name)?;
        sheet.write_string_with_format(0, 0, &t.caption, &heading)?;
        sheet.write_string(1, 0, &t.when)?;
        let header = 3;
        // Headings over figures sit right, over them, as the figures do.
        let bold_wrap = Format::new().set_bold().set_text_wrap();
        let bold_wrap_right = bold_wrap.clone().set_align(rust_xlsxwriter::FormatAlign::Right);
        for (c, name) in t.columns.iter().enumerate() {
            sheet.write_string_with_format(
                header,
                c as u16,
                name,
                if c == 0 { &bold_wrap } else { &bold_wrap_right },
            )?;
        }
        let longest = t.columns.iter().skip(1).map(|c| c.chars().count()).max().unwrap_or(0);
        sheet.set_row_height(
            header,
            wrapped_height(longest, 13.0).max(wrapped_height(t.columns.first().map_or(0, |c| c.chars().count()), 32.0)),
        )?;
        for (i, r) in t.rows.iter().enumerate() {
            let y = header + 1 + i as u32;
            if r.total {
                sheet.write_string_with_format(y, 0, &r.label, &bold)?;
            } else {
                sheet.write_string(y, 0, &r.label)?;
            }
            for (k, v) in r.cells.iter().enumerate() {
                let x = 1 + k as u16;
                match v {
                    Value::Count(n) => sheet.write_number_with_format(y, x, f64::from(*n), &whole)?,
                    Value::Number(v) => sheet.write_number_with_format(y, x, *v, &one)?,
                    Value::Percent(v) => sheet.write_number_with_format(y, x, *v / 100.0, &percent)?,
                    Value::Money(v) => sheet.write_number_with_format(y, x, v.round(), &money)?,
                    Value::Suppressed | Value::Missing => sheet.write_string_with_format(y, x, v.display(), &right)?,
                    Value::Text(s) => sheet.write_string(y, x, s)?,
                };
            }
        }
        let notes = header + t.rows.len() as u32 + 2;
        sheet.write_string_with_format(notes, 0, "Definition", &bold)?;
        // The notes span the table's width, wrapped, so they print whole.
        let last = (t.columns.len().max(2) - 1) as u16;
        let width_chars = 34.0 + 14.0 * f64::from(last);
        for (r, text) in [(notes + 1, t.definition.as_str()), (notes + 2, report.disclosure_statement())] {
            sheet.merge_range(r, 0, r, last, text, &wrap)?;
            let lines = (text.chars().count() as f64 / width_chars).ceil().max(1.0);
            sheet.set_row_height(r, 15.0 * lines)?;
        }
        sheet.set_column_width(0, 34)?;
        for c in 1..t.columns.len() as u16 {
            sheet.set_column_width(c, 14)?;
        }
        sheet.set_freeze_panes(header + 1, 1)?;
        // Printed: a page wide (landscape when the table is wide), the
        // headings on every page, and the table with its notes as the print area.
        if t.columns.len() > 6 {
            sheet.set_landscape();
        }
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(header, header)?;
        sheet.set_print_area(0, 0, notes + 2, (t.columns.len().max(1) - 1) as u16)?;
    }
    book.save_to_buffer()
}
