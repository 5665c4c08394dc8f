//! Drafting a source profile from an export's headers and sample values,
//! for a person to check and confirm: nothing is imported with a draft
//! until someone has read it.

use crate::profile::{ExportKind, FIELDS};
use crate::sheet::{excel_serial_date, Cell, Sheet};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Words in a header that suggest each field, most telling first.
const HINTS: &[(&str, &[&str])] = &[
    ("swe_no", &["swe", "social work england", "registration", "hcpc", "reg no"]),
    ("xref", &["payroll no", "payroll number", "hr number", "hr id", "employee number (hr)"]),
    (
        "person_id",
        &[
            "employee no",
            "employee number",
            "emp no",
            "employee id",
            "staff id",
            "staff number",
            "worker id",
            "person id",
            "person_id",
            "assignment no",
            "candidate id",
            "user id",
        ],
    ),
    ("given_name", &["first name", "forename", "given name", "firstname"]),
    ("family_name", &["surname", "last name", "family name", "lastname"]),
    ("full_name", &["full name", "worker name", "employee name", "name"]),
    ("birth_date", &["date of birth", "dob", "birth"]),
    ("gender", &["gender", "sex"]),
    ("ethnicity", &["ethnic"]),
    ("contract", &["contract type", "employment type", "contract", "employment status", "perm/temp"]),
    ("team", &["team", "department", "service", "unit", "cost centre", "location"]),
    ("org_role", &["job title", "post title", "position", "role", "grade", "job"]),
    ("reason_leave", &["leaving reason", "reason for leaving", "termination reason", "leaver reason"]),
    ("end_date", &["end date", "leaving date", "date left", "termination date", "finish", "end"]),
    ("start_date", &["start date", "date started", "start", "first day", "from"]),
    ("hours", &["contracted hours", "weekly hours", "hours per week", "hours", "hrs"]),
    ("fte", &["fte", "full time equivalent", "wte"]),
    ("agency", &["agency", "supplier", "vendor"]),
    ("charge_rate", &["charge rate", "charge", "bill rate"]),
    ("pay_rate", &["pay rate", "worker rate"]),
    ("covering", &["covering", "vacancy", "cover reason", "reason for cover"]),
    ("post_id", &["post no", "post id", "post number", "position number", "position id"]),
    ("cases", &["cases", "caseload", "children allocated", "allocated children", "number of children"]),
    ("weight", &["weighted", "weight", "complexity"]),
    ("date", &["snapshot date", "report date", "as at", "date"]),
    ("days_lost", &["days lost", "working days", "days"]),
    ("reason", &["absence reason", "absence type", "reason", "type"]),
];

/// Keywords in a value that suggest each field's code, for the codes a draft proposes.
/// Each code, with the words that suggest it.
type Codes = &'static [(&'static str, &'static [&'static str])];

const CODE_HINTS: &[(&str, Codes)] = &[
    ("contract", &[("fixed_term", &["fixed", "ftc", "temp"]), ("permanent", &["perm", "substantive"])]),
    (
        "org_role",
        &[
            ("1", &["director", "head of", "senior manager"]),
            ("2", &["service manager", "group manager", "area manager", "middle manager"]),
            ("3", &["team manager", "team leader", "practice supervisor", "deputy team manager", "first line manager"]),
            ("4", &["senior", "advanced", "consultant", "lead practitioner"]),
            ("6", &["reviewing officer", "iro", "trainer", "quality", "without cases"]),
            ("5", &["social worker", "practitioner", "asye", "nqsw", "case holder"]),
        ],
    ),
    (
        "reason_leave",
        &[
            ("1", &["resign"]),
            ("2", &["voluntary redundancy", "voluntary severance"]),
            ("3", &["redundan"]),
            ("4", &["dismiss"]),
            ("5", &["retire"]),
            ("6", &["death", "deceased", "died"]),
            ("7", &["internal", "transfer", "moved within"]),
        ],
    ),
    (
        "reason",
        &[
            ("SIC", &["sick", "ill"]),
            ("MAT", &["maternity", "paternity", "adoption", "parental"]),
            ("TRN", &["training", "study"]),
            ("PUB", &["public", "jury"]),
            ("UNP", &["unpaid"]),
            ("UNA", &["unauthorised", "awol"]),
            ("OTH", &["compassionate", "special", "other"]),
        ],
    ),
    ("covering", &[("over_establishment", &["over", "additional", "extra"]), ("vacancy", &["vacan"])]),
    ("gender", &[("2", &["female", "woman"]), ("1", &["male", "man"]), ("9", &["not specified", "prefer not"])]),
];

/// A draft profile (TOML, with comments) for the export in `sheet`.
pub fn suggest(sheet: &Sheet) -> String {
    let mut taken: Vec<(&'static str, usize)> = Vec::new();
    for (field, words) in HINTS {
        // Fields are matched in the order above, each to the header that best contains a hint.
        let best = sheet
            .header
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken.iter().any(|(_, j)| j == i))
            .filter_map(|(i, h)| {
                let h = h.to_lowercase();
                words.iter().position(|w| h == *w || h.contains(w)).map(|rank| (rank, h != words[rank], i))
            })
            .min();
        if let Some((_, _, i)) = best {
            taken.push((field, i));
        }
    }
    let found = |taken: &[(&str, usize)], f: &str| taken.iter().any(|(t, _)| *t == f);
    let has = |f: &str| found(&taken, f);
    let kind = if !has("person_id") && !has("swe_no") && has("team") {
        ExportKind::Establishment
    } else if has("cases") {
        ExportKind::Caseload
    } else if has("charge_rate") || has("pay_rate") || (has("agency") && !has("contract")) {
        ExportKind::Agency
    } else if has("days_lost") || (has("reason") && !has("team")) {
        ExportKind::Absence
    } else {
        ExportKind::Hr
    };
    let fits = |f: &str| FIELDS.iter().any(|s| s.name == f && s.kinds.contains(&kind));
    taken.retain(|(f, _)| fits(f));
    if found(&taken, "hours") && found(&taken, "fte") {
        taken.retain(|(f, _)| *f != "hours");
    }
    let has = |f: &str| found(&taken, f);
    let samples = |i: usize| sheet.rows.iter().filter_map(move |(_, cells)| cells.get(i)).filter(|c| !c.is_empty());
    let date_format = guess_date_format(
        taken.iter().filter(|(f, _)| f.ends_with("date") || *f == "date").flat_map(|(_, i)| samples(*i)),
    );

    let mut out = String::new();
    let name = sheet.name.split(['.', ' ']).next().unwrap_or("export").to_lowercase();
    let _ = writeln!(out, "# Draft source profile for {}, made by `sightline profile suggest`.", sheet.name);
    let _ = writeln!(out, "# Check every line against the export before importing with it: the");
    let _ = writeln!(out, "# columns and codes below are guesses from the headers and first values.");
    let _ = writeln!(out, "# docs/data-formats.md explains each key.\n");
    let _ = writeln!(out, "source = \"{name}\"");
    let _ = writeln!(out, "kind = \"{}\"", kind.as_str());
    let _ = writeln!(out, "date_format = \"{date_format}\"");
    if matches!(kind, ExportKind::Hr | ExportKind::Agency) {
        let _ = writeln!(out, "standard_hours = 37");
    }
    let _ = writeln!(out, "mode = \"full\"  # or \"changes\" when each export holds only new and changed rows");
    if has("xref") {
        let _ = writeln!(out, "xref_source = \"hr\"  # the source whose identifiers the xref column holds");
    }
    let _ = writeln!(out, "\n[columns]");
    for spec in FIELDS.iter().filter(|s| s.kinds.contains(&kind)) {
        match taken.iter().find(|(f, _)| *f == spec.name) {
            Some((_, i)) => {
                let _ = writeln!(out, "{} = {:?}", spec.name, sheet.header[*i]);
            }
            None if spec.required => {
                let _ =
                    writeln!(out, "# {} = \"?\"  # REQUIRED: {}; no column looked like it", spec.name, spec.meaning);
            }
            None => {}
        }
    }
    let unused: Vec<&str> = sheet
        .header
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.iter().any(|(_, j)| j == i))
        .map(|(_, h)| h.as_str())
        .collect();
    if !unused.is_empty() {
        let _ = writeln!(out, "# Columns not used: {}", unused.join(", "));
    }
    for (field, hints) in CODE_HINTS {
        let Some((_, i)) = taken.iter().find(|(f, _)| f == field) else { continue };
        let values: BTreeSet<String> = samples(*i).map(Cell::text).take(500).collect();
        if values.is_empty() || values.len() > 40 {
            continue;
        }
        let mut proposed: Vec<(&str, Vec<&String>)> = Vec::new();
        let mut unmapped = Vec::new();
        for v in &values {
            let lower = v.to_lowercase();
            match hints.iter().find(|(_, words)| words.iter().any(|w| lower.contains(w))) {
                Some((code, _)) => match proposed.iter_mut().find(|(c, _)| c == code) {
                    Some((_, vs)) => vs.push(v),
                    None => proposed.push((code, vec![v])),
                },
                None => unmapped.push(v.as_str()),
            }
        }
        let _ = writeln!(out, "\n[codes.{field}]");
        for (code, vs) in proposed {
            let _ = writeln!(out, "{:?} = {:?}", code, vs);
        }
        if !unmapped.is_empty() {
            let _ = writeln!(out, "# Not mapped, decide: {:?}", unmapped);
        }
    }
    if matches!(kind, ExportKind::Hr) && !has("contract") {
        let _ = writeln!(out, "\n[defaults]\ncontract = \"permanent\"  # no contract column was found");
    }
    out
}

fn guess_date_format<'a>(cells: impl Iterator<Item = &'a Cell>) -> &'static str {
    let (mut iso, mut uk, mut serial) = (0, 0, 0);
    for cell in cells.take(200) {
        match cell {
            Cell::Text(t) => {
                let t = t.trim();
                if t.len() >= 10 && t.as_bytes()[4] == b'-' {
                    iso += 1;
                } else if t.contains('/') {
                    uk += 1;
                } else if t.parse::<f64>().ok().and_then(excel_serial_date).is_some() {
                    serial += 1;
                }
            }
            Cell::Number(n) if excel_serial_date(*n).is_some() => serial += 1,
            _ => {}
        }
    }
    if uk > iso && uk >= serial {
        "dd/mm/yyyy"
    } else if serial > iso {
        "excel"
    } else {
        "iso"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{read_export, Profile};
    use crate::sheet::read_csv;
    use crate::Strictness;

    #[test]
    fn a_draft_for_a_typical_hr_export_reads_that_export() {
        let csv = "Employee No,Surname,Forename,Date of Birth,Job Title,Team,Contract Type,Start Date,Leaving Date,Contracted Hours,Leaving Reason\n\
                   1001,Smith,Jane,03/02/1985,Senior Social Worker,North,Permanent,01/04/2019,,37,\n\
                   1002,Khan,Ali,11/12/1990,Social Worker,South,Fixed Term,01/10/2023,31/03/2024,18.5,Resignation\n";
        let sheet = read_csv("hr.csv", csv.as_bytes()).unwrap();
        let draft = suggest(&sheet);
        assert!(draft.contains("kind = \"hr\""), "{draft}");
        assert!(draft.contains("date_format = \"dd/mm/yyyy\""), "{draft}");
        assert!(draft.contains("end_date = \"Leaving Date\""), "{draft}");
        assert!(draft.contains("person_id = \"Employee No\""), "{draft}");
        let profile = Profile::parse(&draft).unwrap_or_else(|e| panic!("{e}\n{draft}"));
        let data = read_export(&sheet, &profile, Strictness::Strict).unwrap();
        assert_eq!(data.workforce.spells().len(), 2);
        assert_eq!(data.workforce.spells()[0].org_role, sightline_core::OrgRole::SeniorPractitioner);
        assert_eq!(data.workforce.spells()[1].fte, 0.5);
    }

    #[test]
    fn a_caseload_report_is_recognised() {
        let csv = "Worker ID,Worker Name,Report Date,Children Allocated\nW1,Jane Smith,2024-09-30,17\n";
        let draft = suggest(&read_csv("cms.csv", csv.as_bytes()).unwrap());
        assert!(draft.contains("kind = \"caseload\""), "{draft}");
        assert!(draft.contains("cases = \"Children Allocated\""), "{draft}");
        assert!(draft.contains("date = \"Report Date\""), "{draft}");
    }
}
