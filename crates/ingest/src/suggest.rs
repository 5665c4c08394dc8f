//! Drafting a source profile from an export's headers and sample values,
//! for a person to check and confirm: nothing is imported with a draft
//! until someone has read it.

use crate::canonical::is_swe_number;
use crate::profile::{parse_iso, parse_uk, ExportKind, FIELDS};
use crate::sheet::{excel_serial_date, Cell, Sheet};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Words in a heading that suggest each field, most telling first. A hint
/// matches when its words stand together among the heading's words.
const HINTS: &[(&str, &[&str])] = &[
    ("swe_no", &["swe", "social work england", "registration", "hcpc", "reg no"]),
    ("xref", &["payroll no", "payroll number", "hr number", "hr id", "legacy emp no", "legacy employee number"]),
    (
        "post_id",
        &[
            "post ref",
            "post reference",
            "post no",
            "post id",
            "post number",
            "position number",
            "position id",
            "assignment ref",
            "assignment reference",
            "assignment no",
            "assignment number",
            "assignment id",
            "booking ref",
            "placement ref",
        ],
    ),
    (
        "person_id",
        &[
            "employee no",
            "employee number",
            "emp no",
            "employee id",
            "staff id",
            "staff number",
            "staff ref",
            "staff no",
            "worker id",
            "worker ref",
            "person id",
            "person_id",
            "candidate id",
            "user id",
        ],
    ),
    ("given_name", &["first name", "forename", "given name", "firstname", "forenames"]),
    ("family_name", &["surname", "last name", "family name", "lastname"]),
    ("full_name", &["full name", "worker name", "employee name", "staff name", "name"]),
    ("birth_date", &["date of birth", "dob", "birth date", "born"]),
    ("gender", &["gender", "sex"]),
    ("ethnicity", &["ethnicity", "ethnic origin", "ethnic"]),
    ("contract", &["contract type", "employment type", "contract", "employment status", "perm temp"]),
    ("team", &["team", "team name", "cost centre", "cost center", "department", "service", "unit", "location"]),
    ("org_role", &["job title", "post title", "position", "role", "grade", "job", "designation"]),
    ("reason_leave", &["leaving reason", "reason for leaving", "termination reason", "leaver reason", "reason left"]),
    (
        "covering",
        &[
            "reason for engagement",
            "engagement reason",
            "reason for requirement",
            "reason for cover",
            "cover reason",
            "covering",
            "requirement",
            "vacancy",
        ],
    ),
    (
        "end_date",
        &[
            "leaving date",
            "date left",
            "date of leaving",
            "termination date",
            "end date",
            "last day",
            "end",
            "to",
            "until",
            "finish",
            "date to",
        ],
    ),
    (
        "start_date",
        &["start date", "date started", "start", "first day", "from", "date from", "commenced", "begin", "effective"],
    ),
    (
        "standard_hours_column",
        &["standard hours", "full time hours", "standard week", "ft hours", "full time weekly hours"],
    ),
    ("hours", &["contracted hours", "weekly hours", "hours per week", "hours", "hrs"]),
    ("fte", &["fte", "full time equivalent", "wte"]),
    ("agency", &["agency", "supplier", "vendor"]),
    ("charge_rate", &["charge rate", "bill rate", "charge"]),
    ("pay_rate", &["pay rate", "worker rate"]),
    ("cases", &["cases", "caseload", "children allocated", "allocated children", "number of children"]),
    ("weight", &["weighted", "weight", "complexity"]),
    ("date", &["snapshot date", "report date", "as at", "date"]),
    ("days_lost", &["days lost", "working days lost", "days"]),
    ("reason", &["absence reason", "absence type", "reason", "type"]),
];

/// Words that make a heading a poor fit for a field though a hint matches
/// ("Line Manager Emp No" is not the person's number, "Probation End Date"
/// not the post's end): such a column is taken only when no other fits, and
/// marked unsure.
const AVOID: &[(&str, &[&str])] = &[
    ("person_id", &["manager", "line", "supervisor", "legacy", "previous", "old"]),
    (
        "start_date",
        &["probation", "continuous", "service", "dbs", "registration", "visa", "qualified", "qualification"],
    ),
    ("end_date", &["probation", "dbs", "registration", "visa", "expiry"]),
    ("team", &["manager", "previous", "old"]),
    ("full_name", &["manager", "line", "supervisor"]),
];

/// Words a person's name heading may hold besides "name": "Team Name" or
/// "Agency Name" is not a person's name.
const NAME_WORDS: &[&str] = &[
    "name",
    "names",
    "full",
    "employee",
    "employees",
    "worker",
    "workers",
    "staff",
    "person",
    "candidate",
    "member",
    "of",
    "social",
    "first",
    "last",
    "given",
    "family",
    "surname",
    "forename",
    "forenames",
    "firstname",
    "lastname",
];

/// Each code, with the words in a value that suggest it, tried in order.
type Codes = &'static [(&'static str, &'static [&'static str])];

const CODE_HINTS: &[(&str, Codes)] = &[
    ("contract", &[("fixed_term", &["fixed", "ftc", "temp"]), ("permanent", &["perm", "substantive"])]),
    (
        "org_role",
        &[
            (
                "6",
                &[
                    "non case holding",
                    "non-case holding",
                    "non case-holding",
                    "without cases",
                    "not case holding",
                    "no caseload",
                ],
            ),
            ("1", &["director", "head of", "senior manager"]),
            ("2", &["service manager", "group manager", "area manager", "middle manager"]),
            ("3", &["team manager", "team leader", "practice supervisor", "deputy team manager", "first line manager"]),
            ("4", &["senior", "advanced", "consultant", "lead practitioner"]),
            ("6", &["reviewing officer", "iro", "trainer", "quality", "chair"]),
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
            ("7", &["internal", "transfer", "moved within", "another social work role"]),
            ("10", &["not yet collected"]),
            ("9", &["not known", "unknown"]),
            ("8", &["other"]),
        ],
    ),
    (
        "reason",
        &[
            ("SIC", &["sick", "illness"]),
            ("MAT", &["maternity", "paternity", "adoption", "parental"]),
            ("TRN", &["training", "study"]),
            ("PUB", &["public", "jury"]),
            ("UNP", &["unpaid"]),
            ("UNA", &["unauthorised", "awol"]),
            ("OTH", &["compassionate", "special", "other"]),
        ],
    ),
    (
        "covering",
        &[
            ("vacancy", &["vacan"]),
            ("over_establishment", &["over", "additional", "extra", "project", "backlog", "cover"]),
        ],
    ),
    ("gender", &[("2", &["female", "woman"]), ("1", &["male", "man"]), ("9", &["not specified", "prefer not"])]),
];

/// The lower-case words of a heading or hint.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `hint`'s words stand together among `heading`'s.
fn hint_matches(heading: &[String], hint: &str) -> bool {
    let hint = words(hint);
    !hint.is_empty() && heading.windows(hint.len()).any(|w| w == hint.as_slice())
}

/// What a column's values look like.
#[derive(Default)]
struct Stats {
    filled: usize,
    /// Values that are dates: spreadsheet dates, and text as ISO or UK dates.
    dates: usize,
    iso: usize,
    uk: usize,
    /// Numbers that are plausible Excel serial dates (1927 to 2100).
    serial: usize,
    numbers: usize,
    max: f64,
    swe: usize,
    /// Values with letters and no digits.
    wordy: usize,
    distinct: BTreeSet<String>,
}

impl Stats {
    fn of<'a>(cells: impl Iterator<Item = &'a Cell>) -> Stats {
        let mut s = Stats { max: f64::MIN, ..Stats::default() };
        for cell in cells.filter(|c| !c.is_empty()) {
            s.filled += 1;
            let text = cell.text();
            if s.distinct.len() <= 40 {
                s.distinct.insert(text.clone());
            }
            let number = match cell {
                Cell::Number(n) => Some(*n),
                Cell::Text(t) => {
                    t.chars().filter(|c| !matches!(c, '£' | ',' | ' ' | '%')).collect::<String>().parse::<f64>().ok()
                }
                _ => None,
            };
            match cell {
                Cell::Date(_) => s.dates += 1,
                Cell::Text(t) if parse_iso(t).is_some() => (s.dates, s.iso) = (s.dates + 1, s.iso + 1),
                Cell::Text(t) if parse_uk(t).is_some() => (s.dates, s.uk) = (s.dates + 1, s.uk + 1),
                _ => {}
            }
            if let Some(n) = number.filter(|n| n.is_finite()) {
                s.numbers += 1;
                s.max = s.max.max(n);
                if (10_000.0..73_000.0).contains(&n) && n.fract() == 0.0 && excel_serial_date(n).is_some() {
                    s.serial += 1;
                }
            }
            // SWE numbers: two letters and at least four digits (not a grade like `SW3`).
            if is_swe_number(&text.to_ascii_uppercase()) && text.len() >= 6 {
                s.swe += 1;
            }
            if text.chars().any(char::is_alphabetic) && !text.chars().any(|c| c.is_ascii_digit()) {
                s.wordy += 1;
            }
        }
        s
    }

    fn most(&self, n: usize) -> bool {
        self.filled > 0 && n * 10 >= self.filled * 8
    }

    /// Whether the values fit `field`, or why not.
    fn fit(&self, field: &str, heading: &[String]) -> Result<(), String> {
        let empty = self.filled == 0;
        match field {
            "birth_date" | "start_date" | "end_date" | "date" => {
                if empty || self.most(self.dates + self.serial) {
                    Ok(())
                } else {
                    Err("its values are not dates".into())
                }
            }
            "given_name" | "family_name" | "full_name" => {
                if !heading.iter().all(|w| NAME_WORDS.contains(&w.as_str())) {
                    Err("the heading names something other than a person".into())
                } else if !empty && !self.most(self.wordy) {
                    Err("its values are not names".into())
                } else {
                    Ok(())
                }
            }
            "fte"
            | "hours"
            | "cases"
            | "weight"
            | "days_lost"
            | "charge_rate"
            | "pay_rate"
            | "standard_hours_column" => {
                if empty || self.most(self.numbers) {
                    Ok(())
                } else {
                    Err("its values are not numbers".into())
                }
            }
            "swe_no" if !empty && !self.most(self.swe) => Err("its values are not SWE numbers".into()),
            "team" | "org_role" | "contract" | "reason_leave" | "reason" | "covering" | "agency" | "person_id"
                if !empty && self.most(self.dates + self.serial) =>
            {
                Err("its values are dates".into())
            }
            "team" | "contract" | "reason" | "covering" | "agency" if !empty && self.most(self.numbers) => {
                Err("its values are numbers".into())
            }
            _ => Ok(()),
        }
    }
}

/// The sheet with its headings where a person would see them: the row,
/// among the first 50, with the most text cells that are neither numbers nor
/// dates (the first such when tied), titles and blank rows above it set aside.
fn find_headings(sheet: &Sheet) -> Sheet {
    let score = |cells: &[Cell]| {
        cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if !t.trim().is_empty() && t.trim().parse::<f64>().is_err() && parse_iso(t).is_none() && parse_uk(t).is_none()))
            .count()
    };
    let header: Vec<Cell> = sheet.header.iter().map(|h| Cell::Text(h.clone())).collect();
    let mut best = (score(&header), sheet.header_line);
    for (line, cells) in sheet.rows.iter().take(50) {
        let s = score(cells);
        if s > best.0 {
            best = (s, *line);
        }
    }
    sheet.clone().headed(&[], Some(best.1)).unwrap_or_else(|_| sheet.clone())
}

/// A column placed in a field, and how sure the draft is.
struct Placed {
    field: &'static str,
    column: usize,
    unsure: Option<String>,
}

/// A draft profile (TOML, with comments) for the export in `sheet`. It
/// reads the values as well as the headings: what it is unsure of is
/// marked `UNSURE` in a comment, to be checked before importing with it.
pub fn suggest(sheet: &Sheet) -> String {
    let sheet = &find_headings(sheet);
    let data_rows: Vec<&Vec<Cell>> = sheet
        .rows
        .iter()
        .map(|(_, cells)| cells)
        .filter(|cells| {
            let first = cells.iter().find(|c| !c.is_empty()).map(|c| c.text().to_lowercase()).unwrap_or_default();
            !first.is_empty()
                && !first.starts_with("total")
                && !first.starts_with("grand total")
                && !first.starts_with("end of report")
        })
        .take(2000)
        .collect();
    let stats: Vec<Stats> =
        (0..sheet.header.len()).map(|i| Stats::of(data_rows.iter().filter_map(|r| r.get(i)))).collect();
    let headings: Vec<Vec<String>> = sheet.header.iter().map(|h| words(h)).collect();

    let mut placed: Vec<Placed> = Vec::new();
    let mut set_aside: Vec<(usize, String)> = Vec::new();
    for (field, hints) in HINTS {
        let avoid = AVOID.iter().find(|(f, _)| f == field).map_or(&[][..], |(_, w)| *w);
        let mut candidates: Vec<(Option<&str>, usize, bool, usize)> = headings
            .iter()
            .enumerate()
            .filter(|(i, h)| !h.is_empty() && !placed.iter().any(|p| p.column == *i))
            .filter_map(|(i, h)| {
                let avoided = avoid.iter().find(|w| h.iter().any(|x| x == *w)).copied();
                hints.iter().position(|w| hint_matches(h, w)).map(|rank| (avoided, rank, words(hints[rank]) != *h, i))
            })
            .collect();
        candidates.sort();
        for (avoided, _, _, i) in candidates {
            match stats[i].fit(field, &headings[i]) {
                Ok(()) => {
                    let unsure = match avoided {
                        Some(w) => Some(format!("the heading also says \"{w}\": is this the {field} meant?")),
                        None => (stats[i].filled == 0).then(|| "no values in the sample to check it by".to_string()),
                    };
                    placed.push(Placed { field, column: i, unsure });
                    break;
                }
                Err(why) => {
                    set_aside.push((i, format!("`{}` looks like {field} by its heading, but {why}", sheet.header[i])))
                }
            }
        }
    }
    // SWE numbers found by their values, under any heading.
    if !placed.iter().any(|p| p.field == "swe_no") {
        if let Some(i) =
            (0..stats.len()).find(|i| !placed.iter().any(|p| p.column == *i) && stats[*i].most(stats[*i].swe))
        {
            placed.push(Placed {
                field: "swe_no",
                column: i,
                unsure: Some("found by its values (SWE numbers), not its heading".into()),
            });
        }
    }
    let has = |placed: &[Placed], f: &str| placed.iter().any(|p| p.field == f);
    // No employee number: a payroll number, else an assignment number,
    // serves (an SWE number is taken below, once the kind is known).
    if !has(&placed, "person_id") && !has(&placed, "swe_no") {
        let stand_in = [
            ("xref", "a payroll number serves as the person's identifier"),
            (
                "post_id",
                "an assignment number serves as the person's identifier: a person with two posts would be two people",
            ),
        ]
        .into_iter()
        .find_map(|(f, why)| placed.iter().position(|p| p.field == f).map(|i| (i, why)));
        if let Some((i, why)) = stand_in {
            placed[i].field = "person_id";
            placed[i].unsure = Some(why.to_string());
        }
    }
    let about_people = [
        "person_id",
        "swe_no",
        "given_name",
        "family_name",
        "full_name",
        "birth_date",
        "contract",
        "reason_leave",
        "gender",
        "ethnicity",
    ];
    let kind = if !about_people.iter().any(|f| has(&placed, f)) && has(&placed, "team") {
        ExportKind::Establishment
    } else if has(&placed, "cases") {
        ExportKind::Caseload
    } else if has(&placed, "charge_rate")
        || has(&placed, "pay_rate")
        || (has(&placed, "agency") && !has(&placed, "contract"))
    {
        ExportKind::Agency
    } else if has(&placed, "days_lost") || (has(&placed, "reason") && !has(&placed, "team")) {
        ExportKind::Absence
    } else {
        ExportKind::Hr
    };
    let fits = |f: &str| f == "standard_hours_column" || FIELDS.iter().any(|s| s.name == f && s.kinds.contains(&kind));
    placed.retain(|p| fits(p.field));
    if has(&placed, "hours") && has(&placed, "fte") {
        placed.retain(|p| p.field != "hours" && p.field != "standard_hours_column");
    }
    if !has(&placed, "hours") {
        placed.retain(|p| p.field != "standard_hours_column");
    }
    // An FTE column whose values run above 1 is a percentage.
    for p in placed.iter_mut().filter(|p| p.field == "fte") {
        let s = &stats[p.column];
        let percent_heading = sheet.header[p.column].contains('%')
            || headings[p.column].iter().any(|w| w == "percent" || w == "percentage");
        let by_values = kind != ExportKind::Establishment && s.numbers > 0 && s.max > 1.0 && s.max <= 100.0;
        if percent_heading || by_values {
            p.field = "fte_percent";
            if !percent_heading {
                p.unsure = Some(format!("its values run to {}: read as a percentage (100 is full time)", s.max));
            }
        }
    }
    // No employee number: the SWE number serves as the person's identifier.
    let mut swe_as_id = false;
    if kind != ExportKind::Establishment && !has(&placed, "person_id") {
        if let Some(p) = placed.iter().find(|p| p.field == "swe_no") {
            swe_as_id = true;
            let column = p.column;
            placed.push(Placed { field: "person_id", column, unsure: None });
        }
    }
    // Codes are read from every row, so that no value is missed.
    let all_rows: Vec<&Vec<Cell>> = sheet.rows.iter().map(|(_, cells)| cells).collect();
    let samples = |i: usize| all_rows.iter().filter_map(move |r| r.get(i)).filter(|c| !c.is_empty());
    let dated: Vec<&Placed> = placed.iter().filter(|p| p.field.ends_with("date") || p.field == "date").collect();
    let (iso, uk, serial, typed) = dated.iter().fold((0, 0, 0, 0), |(a, b, c, d), p| {
        let s = &stats[p.column];
        (a + s.iso, b + s.uk, c + s.serial, d + s.dates - s.iso - s.uk)
    });
    let (date_format, date_note) = if uk > iso && uk >= serial {
        ("dd/mm/yyyy", None)
    } else if serial > iso && serial > uk {
        ("excel", None)
    } else if iso > 0 {
        ("iso", None)
    } else if typed > 0 {
        ("iso", Some("the dates are the spreadsheet's own; any format reads them"))
    } else {
        ("iso", Some("UNSURE: no dates in the sample to tell the format by"))
    };

    let mut out = String::new();
    let name = sheet.name.split(['.', ' ']).next().unwrap_or("export").to_lowercase();
    let _ = writeln!(out, "# Draft source profile for {}, made by `sightline profile suggest`.", sheet.name);
    let _ = writeln!(out, "# Check it against the export before importing with it (`sightline profile check`");
    let _ = writeln!(out, "# shows the first rows as they would be read). Lines marked UNSURE most of all.");
    let _ = writeln!(out, "# docs/data-formats.md explains each key.");
    if sheet.header_line > 1 {
        let _ = writeln!(
            out,
            "# The headings are on line {} (what is above them is set aside); they are found by the columns below.",
            sheet.header_line
        );
    }
    let _ = writeln!(out, "\nsource = \"{name}\"");
    let _ = writeln!(out, "kind = \"{}\"", kind.as_str());
    match date_note {
        Some(note) => {
            let _ = writeln!(out, "date_format = \"{date_format}\"  # {note}");
        }
        None => {
            let _ = writeln!(out, "date_format = \"{date_format}\"");
        }
    }
    if let Some(p) = placed.iter().find(|p| p.field == "standard_hours_column") {
        let _ = writeln!(out, "standard_hours_column = {:?}", sheet.header[p.column]);
    } else if has(&placed, "hours") {
        let _ = writeln!(out, "standard_hours = 37  # UNSURE: the full-time week is not in the export; say yours");
    }
    let _ = writeln!(out, "mode = \"full\"  # or \"changes\" when each export holds only new and changed rows");
    if has(&placed, "xref") {
        let _ = writeln!(out, "xref_source = \"hr\"  # UNSURE: the source whose identifiers the xref column holds");
    }
    let _ = writeln!(out, "\n[columns]");
    for spec in FIELDS.iter().filter(|s| s.kinds.contains(&kind)) {
        match placed.iter().find(|p| p.field == spec.name) {
            Some(p) => {
                let note = match (&p.unsure, spec.name == "person_id" && swe_as_id) {
                    (_, true) => "  # no employee number: the SWE number serves as the person's identifier".to_string(),
                    (Some(why), _) => format!("  # UNSURE: {why}"),
                    (None, _) => String::new(),
                };
                let _ = writeln!(out, "{} = {:?}{note}", spec.name, sheet.header[p.column]);
            }
            None if spec.required
                && !(spec.name == "org_role" && kind == ExportKind::Establishment)
                && !(spec.name == "contract" && kind == ExportKind::Hr) =>
            {
                let _ =
                    writeln!(out, "# {} = \"?\"  # REQUIRED: {}; no column looked like it", spec.name, spec.meaning);
            }
            None => {}
        }
    }
    for (i, why) in &set_aside {
        if !placed.iter().any(|p| p.column == *i) {
            let _ = writeln!(out, "# Set aside: {why}");
        }
    }
    let unused: Vec<&str> = sheet
        .header
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !placed.iter().any(|p| p.column == *i))
        .map(|(_, h)| h.as_str())
        .collect();
    if !unused.is_empty() {
        let _ = writeln!(out, "# Columns not used: {}", unused.join(", "));
    }
    for (field, hints) in CODE_HINTS {
        let Some(p) = placed.iter().find(|p| p.field == *field) else { continue };
        let mut values: BTreeSet<String> = BTreeSet::new();
        for v in samples(p.column) {
            values.insert(v.text());
            if values.len() > 500 {
                break;
            }
        }
        if values.is_empty() {
            continue;
        }
        if values.len() > 500 {
            let _ = writeln!(
                out,
                "\n# UNSURE: `{}` holds more than 500 different values; map them under [codes.{field}] yourself",
                sheet.header[p.column]
            );
            continue;
        }
        // code -> (values, words that placed them)
        let mut proposed: Vec<(&str, Vec<&String>, BTreeSet<&str>)> = Vec::new();
        let mut unmapped = Vec::new();
        for v in &values {
            let lower = v.to_lowercase();
            let found = hints.iter().find_map(|(code, ws)| ws.iter().find(|w| lower.contains(*w)).map(|w| (*code, *w)));
            match found {
                Some((code, word)) => match proposed.iter_mut().find(|(c, _, _)| *c == code) {
                    Some((_, vs, rules)) => {
                        vs.push(v);
                        rules.insert(word);
                    }
                    None => proposed.push((code, vec![v], BTreeSet::from([word]))),
                },
                None => unmapped.push(v.as_str()),
            }
        }
        let _ = writeln!(out, "\n[codes.{field}]");
        proposed.sort_by_key(|(c, _, _)| (c.parse::<u32>().unwrap_or(u32::MAX), c.to_string()));
        for (code, vs, rules) in proposed {
            let rules: Vec<String> = rules.iter().map(|r| format!("\"{r}\"")).collect();
            let _ = writeln!(out, "{:?} = {:?}  # the value holds {}", code, vs, rules.join(" or "));
        }
        if !unmapped.is_empty() {
            let shown: Vec<&str> = unmapped.iter().take(40).copied().collect();
            let more = if unmapped.len() > 40 { format!(" and {} more", unmapped.len() - 40) } else { String::new() };
            let _ = writeln!(out, "# UNSURE, not mapped: give each its code: {shown:?}{more}");
        }
    }
    if matches!(kind, ExportKind::Hr) && !has(&placed, "contract") {
        let _ = writeln!(out, "\n[defaults]\ncontract = \"permanent\"  # UNSURE: no contract column was found");
    }
    out
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

    #[test]
    fn a_draft_never_takes_another_name_for_a_persons_and_says_what_it_is_unsure_of() {
        let csv = "Run 03 Oct 2025,,,,,\n\nWorker Ref,Team Name,Job Title,Start,Finish,FTE,Agency Name,Reason for Engagement\n\
                   W1,MASH,Social Worker (non case holding),01/04/2024,,80,Pinnacle,Vacancy\n\
                   W2,Court,Chief Wizard,01/05/2024,31/08/2024,100,Locums Ltd,Additional capacity\n";
        let draft = suggest(&read_csv("msp.csv", csv.as_bytes()).unwrap());
        assert!(!draft.contains("full_name"), "{draft}");
        assert!(draft.contains("team = \"Team Name\""), "{draft}");
        assert!(draft.contains("# The headings are on line 3"), "{draft}");
        assert!(draft.contains("end_date = \"Finish\""), "{draft}");
        assert!(draft.contains("covering = \"Reason for Engagement\""), "{draft}");
        assert!(draft.contains("fte_percent = \"FTE\"  # UNSURE: its values run to 100"), "{draft}");
        assert!(draft.contains("\"6\" = [\"Social Worker (non case holding)\"]"), "{draft}");
        assert!(draft.contains("# UNSURE, not mapped: give each its code: [\"Chief Wizard\"]"), "{draft}");
        let csv = "SWE Reg No,Worker,Snapshot Date,Children Allocated\nSW0000412278,Jo Bloggs,30/09/2024,14\n";
        let draft = suggest(&read_csv("cms.csv", csv.as_bytes()).unwrap());
        assert!(draft.contains("person_id = \"SWE Reg No\"  # no employee number"), "{draft}");
    }

    #[test]
    fn a_common_council_hr_extract_is_drafted_with_the_right_columns() {
        let csv = "Payroll Number,Forename,Surname,Team/Service,Position Title,Continuous Service Start Date,Start Date of Post,\
                   Probation End Date,Date Left,Line Manager,FTE,Grade\n\
                   100234,Jane,Smith,MASH,Social Worker,01/02/2010,01/04/2019,30/09/2019,,Ann Lee,1,SW2\n\
                   100235,Ali,Khan,Court,Senior Practitioner,03/03/2015,03/03/2015,03/09/2015,31/03/2024,Bo Chan,0.8,SW3\n";
        let draft = suggest(&read_csv("hr.csv", csv.as_bytes()).unwrap());
        for line in [
            "kind = \"hr\"",
            "person_id = \"Payroll Number\"  # UNSURE: a payroll number serves",
            "start_date = \"Start Date of Post\"\n",
            "end_date = \"Date Left\"\n",
            "team = \"Team/Service\"",
            "org_role = \"Position Title\"",
            "fte = \"FTE\"",
        ] {
            assert!(draft.contains(line), "{line}\n{draft}");
        }
        assert!(!draft.contains("full_name = \"Line Manager\""), "{draft}");
    }
}
