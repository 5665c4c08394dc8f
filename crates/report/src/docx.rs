//! The report as a Word document in the shape of a council committee
//! report: summary, recommendations (left for the author to write),
//! background, details (every table, with its definition) and
//! implications, so an officer can edit it into their authority's template.

use crate::{long_date, Block, ChartKind, Report, Table, Value};
use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Style, StyleType, TableCell, TableRow, WidthType};

fn text(s: impl Into<String>) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn heading(level: usize, s: impl Into<String>) -> Paragraph {
    text(s).style(&format!("Heading{level}")).keep_next(true)
}

/// Words for the author to replace, marked so they cannot be missed.
fn for_the_author(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(format!("[For the author: {s}]")).italic().highlight("yellow"))
}

fn bullet(s: &str) -> Paragraph {
    text(format!("\u{2022} {s}")).indent(Some(360), Some(docx_rs::SpecialIndentType::Hanging(360)), None, None)
}

fn cell(s: String, bold: bool, right: bool, small: bool) -> TableCell {
    let run = if bold { Run::new().add_text(s).bold() } else { Run::new().add_text(s) };
    // Tables of more than five columns in 9 point, so they fit a portrait page.
    let run = if small { run.size(18) } else { run };
    let p = Paragraph::new().add_run(run);
    TableCell::new().add_paragraph(if right { p.align(AlignmentType::Right) } else { p })
}

fn table(doc: Docx, t: &Table) -> Docx {
    let small = t.columns.len() > 5;
    // A long word in a narrow printed column breaks where a printer would break it (a soft hyphen).
    let heading = |c: &str| c.replace("stablishment", "stablish\u{ad}ment");
    let header =
        TableRow::new(t.columns.iter().enumerate().map(|(i, c)| cell(heading(c), true, i > 0, small)).collect())
            .cant_split();
    let mut rows = vec![header];
    for r in &t.rows {
        let mut cells = vec![cell(r.label.clone(), r.total, false, small)];
        cells.extend(r.cells.iter().map(|v| cell(v.display(), r.total, !matches!(v, Value::Text(_)), small)));
        rows.push(TableRow::new(cells).cant_split());
    }
    doc.add_paragraph(
        Paragraph::new().add_run(Run::new().add_text(format!("{} ({})", t.caption, t.when)).bold()).keep_next(true),
    )
    .add_table(docx_rs::Table::new(rows).width(5000, WidthType::Pct))
    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(t.definition.clone()).size(18).italic()))
}

/// The report as a .docx file's bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, docx_rs::DocxError> {
    let mut doc = Docx::new()
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22)
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(40).bold())
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1").size(30).bold().outline_lvl(0))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2").size(26).bold().outline_lvl(1));
    doc = doc
        .add_paragraph(text(report.title.clone()).style("Title"))
        .add_paragraph(text(format!("Children's social work workforce, {}", report.period_text())))
        .add_paragraph(for_the_author(
            "the committee, the date of the meeting, the report's author and its classification",
        ));

    doc = doc.add_paragraph(heading(1, "1. Summary"));
    for s in &report.summary {
        doc = doc.add_paragraph(bullet(s));
    }
    doc = doc.add_paragraph(text(report.disclosure_statement()));

    doc = doc
        .add_paragraph(heading(1, "2. Recommendations"))
        .add_paragraph(for_the_author("what the committee is asked to do, for example to note the workforce position and the progress against the targets"));

    doc = doc.add_paragraph(heading(1, "3. Background")).add_paragraph(text(format!(
        "This report sets out the stability of the children's social work workforce for {}: the staffing position, \
         turnover, leavers, agency use and its cost, caseloads, sickness absence and newly qualified social workers. \
         It was made by Sightline on {} from the authority's workforce data{}. The figures follow the Department for \
         Education's definitions for the children's social work workforce census; each table gives its definition.",
        report.period_text(),
        long_date(report.made),
        report.data_to.map_or(String::new(), |d| format!(", which runs to {}", long_date(d))),
    )));

    doc = doc.add_paragraph(heading(1, "4. Details"));
    for (i, section) in report.sections.iter().enumerate() {
        doc = doc.add_paragraph(heading(2, format!("4.{} {}", i + 1, section.heading)));
        for block in &section.blocks {
            doc = match block {
                Block::Table(t) => table(doc, t),
                Block::Chart(c) => {
                    let what = match &c.kind {
                        ChartKind::Lines { .. } => "a line chart",
                        ChartKind::StackedBars { .. } => "a bar chart",
                    };
                    doc.add_paragraph(text(format!(
                        "{}: {} The HTML edition of this report shows it as {what}; its figures are in the table.",
                        c.title, c.description
                    )))
                }
            };
        }
    }

    doc = doc.add_paragraph(heading(1, "5. Implications"));
    let cost = report.summary.iter().find(|s| s.starts_with("Agency social workers cost"));
    for (area, prompt) in [
        ("Financial", "the budget position, including agency spend"),
        ("Legal", "the authority's duties and any legal advice"),
        ("Equalities", "the effect on people with protected characteristics"),
        ("Workforce", "recruitment, retention and the workforce strategy"),
        ("Risk", "the risks to children's services and how they are managed"),
    ] {
        doc = doc.add_paragraph(heading(2, area));
        if area == "Financial" {
            if let Some(cost) = cost {
                doc = doc.add_paragraph(text(cost.clone()));
            }
        }
        doc = doc.add_paragraph(for_the_author(prompt));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes)?;
    Ok(bytes.into_inner())
}
