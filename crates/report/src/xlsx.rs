//! The report as a spreadsheet: a contents sheet, then one sheet per table
//! with its figures as numbers (formatted, not text), so an analyst can
//! work with them; suppressed cells are DfE's `c`.

use crate::{long_date, Report, Value};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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
    contents.set_column_width(0, 28)?;
    contents.set_column_width(1, 100)?;
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
        contents.write_string_with_format(row, 1, value, &wrap)?;
        row += 1;
    }
    row += 1;
    if !report.summary.is_empty() {
        contents.write_string_with_format(row, 0, "Summary", &bold)?;
        for s in &report.summary {
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
        contents.write_string(row, 1, format!("{} ({})", t.caption, t.when))?;
        row += 1;
    }

    for t in report.tables() {
        let sheet = book.add_worksheet();
        sheet.set_name(t.name)?;
        sheet.write_string_with_format(0, 0, &t.caption, &heading)?;
        sheet.write_string(1, 0, &t.when)?;
        let header = 3;
        for (c, name) in t.columns.iter().enumerate() {
            sheet.write_string_with_format(header, c as u16, name, &bold)?;
        }
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
        sheet.write_string(notes + 1, 0, &t.definition)?;
        sheet.write_string(notes + 2, 0, report.disclosure_statement())?;
        sheet.set_column_width(0, 34)?;
        for c in 1..t.columns.len() as u16 {
            sheet.set_column_width(c, 14)?;
        }
        sheet.set_freeze_panes(header + 1, 1)?;
    }
    book.save_to_buffer()
}
