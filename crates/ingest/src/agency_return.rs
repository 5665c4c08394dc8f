//! The quarterly agency data return read back from its CSV, for `sightline
//! agency-return --check`: the rows as the core's checks take them.

use sightline_core::agency_rules::{ReturnRow, RETURN_COLUMNS};

/// The rows of a return file, or what is wrong with its shape.
pub fn read(text: &str) -> Result<Vec<ReturnRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the heading line cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = RETURN_COLUMNS.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "the heading line lacks {}; a return's columns are {}",
            missing.join(", "),
            RETURN_COLUMNS.join(", ")
        ));
    }
    let at: Vec<Option<usize>> = RETURN_COLUMNS.iter().map(|c| header.iter().position(|h| h == c)).collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let cells: Vec<&str> = at.iter().map(|p| p.and_then(|p| record.get(p)).unwrap_or("")).collect();
        rows.push(ReturnRow::from_cells(line, &cells));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::agency_rules::{check_return, return_csv};

    #[test]
    fn a_return_reads_back_as_it_was_written_and_its_faults_are_named() {
        let row = ReturnRow {
            reference: "A1, \"north\"".into(),
            swe_no: Some("SW123".into()),
            role_type: Some("social_worker".into()),
            pay_rate: Some("40.00".into()),
            start: Some("2025-07-01".into()),
            project_team: Some("no".into()),
            ..ReturnRow::default()
        };
        let bad = ReturnRow {
            reference: "A2".into(),
            role_type: Some("locum".into()),
            start: Some("1/7/2025".into()),
            ..ReturnRow::default()
        };
        let text = return_csv(&[row.clone(), bad]);
        let back = read(&text).unwrap_or_default();
        assert_eq!(back.len(), 2);
        assert_eq!(ReturnRow { line: 0, ..back[0].clone() }, row);
        let findings = check_return(&back, None);
        assert!(findings.iter().all(|f| f.reference == "A2"), "{findings:?}");
        let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["AGY03", "AGY04", "AGY05", "AGY06", "AGY09"]);
        assert_eq!(findings[0].line, 3);
        assert!(read("reference,swe\n").is_err());
    }
}
