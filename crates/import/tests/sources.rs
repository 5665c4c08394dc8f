//! Two HR systems, one workforce. A synthetic authority is written out the
//! way a council's systems would export it after a reorganisation: a legacy
//! HR system (CSV, UK dates, contracted hours, its own codes and job titles)
//! for posts that began before the cutover, a new HR system (a spreadsheet,
//! Excel serial dates, FTE, other codes, a column naming the legacy employee
//! number, and SWE numbers missing for some), a managed service provider's
//! agency assignments, a case management system's caseload report, an
//! absence export and a finance establishment list. Imported through their
//! profiles, on SQLite and on PostgreSQL, they give exactly the indicators
//! of the canonical data they were made from, for every year.

mod common;

use chrono::NaiveDate;
use sightline_core::{indicators, Calendar, Period, SpellKind, Workforce};
use sightline_import::{Import, ImportOptions, ImportOutcome};
use sightline_ingest::profile::Profile;
use sightline_ingest::Strictness;
use sightline_store::Store;
use sightline_synth::{synthesize, Basis, Request};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2024;

fn cutover() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 10, 1).unwrap()
}

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn serial(d: NaiveDate) -> f64 {
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

const LEGACY_PROFILE: &str = r#"
source = "hr-legacy"
kind = "hr"
date_format = "dd/mm/yyyy"
standard_hours = 37

[columns]
person_id = "Emp No"
swe_no = "SWE Reg"
full_name = "Name"
birth_date = "DOB"
contract = "Contract"
team = "Cost Centre"
org_role = "Job Title"
start_date = "Start"
end_date = "End"
hours = "Weekly Hrs"
reason_leave = "Leaving Reason"

[codes.contract]
permanent = ["Perm"]
fixed_term = ["FTC*"]

[codes.org_role]
1 = ["Assistant Director"]
2 = ["Service Manager"]
3 = ["Team Manager"]
4 = ["Senior Social Worker", "Advanced Practitioner"]
5 = ["Social Worker*"]
6 = ["Independent Reviewing Officer"]

[codes.reason_leave]
1 = ["*resign*"]
2 = ["voluntary redundancy"]
3 = ["compulsory redundancy"]
4 = ["dismiss*"]
5 = ["*retire*"]
6 = ["death in service"]
7 = ["internal move*"]
8 = ["other"]
9 = ["*"]
10 = ["not yet collected"]
"#;

const NEW_PROFILE: &str = r#"
source = "hr-new"
kind = "hr"
sheet = "Staff"
date_format = "excel"
xref_source = "hr-legacy"

[columns]
person_id = "Employee Number"
swe_no = "Registration"
given_name = "First Name"
family_name = "Surname"
birth_date = "Date of Birth"
xref = "Legacy Emp No"
contract = "Contract Type"
team = "Team"
org_role = "Role Code"
start_date = "Assignment Start"
end_date = "Assignment End"
fte = "FTE"
reason_leave = "Leaver Code"

[codes.contract]
permanent = ["P"]
fixed_term = ["T"]

[codes.org_role]
1 = ["AD"]
2 = ["SM"]
3 = ["TM"]
4 = ["SSW"]
5 = ["SW"]
6 = ["IRO"]
"#;

const AGENCY_PROFILE: &str = r#"
source = "msp"
kind = "agency"

[columns]
person_id = "Worker ID"
swe_no = "SWE Number"
agency = "Agency"
team = "Team"
org_role = "OrgRole"
start_date = "Assignment Start"
end_date = "Assignment End"
hours = "Hours per week"
charge_rate = "Charge Rate"
pay_rate = "Pay Rate"
covering = "Reason for cover"

[codes.covering]
vacancy = ["Vacancy"]
over_establishment = ["Over establishment"]
"#;

const ABSENCE_PROFILE: &str = r#"
source = "absence"
kind = "absence"
date_format = "dd/mm/yyyy"

[columns]
person_id = "Staff Ref"
swe_no = "SWE"
start_date = "From"
end_date = "To"
reason = "Type"
days_lost = "Days Lost"

[codes.reason]
SIC = ["Sickness"]
MAT = ["Maternity*"]
OTH = ["Other paid"]
PUB = ["Public duties"]
TRN = ["Training"]
UNA = ["Unauthorised"]
UNP = ["Unpaid"]
"#;

const CASELOAD_PROFILE: &str = r#"
source = "cms"
kind = "caseload"

[columns]
person_id = "Worker"
swe_no = "SWE Reg No"
date = "Snapshot"
cases = "Children Allocated"
weight = "Weighted"
"#;

const ESTABLISHMENT_PROFILE: &str = r#"
source = "finance"
kind = "establishment"

[columns]
team = "Cost Centre"
fte = "Funded FTE"
start_date = "From"
end_date = "To"
"#;

const BANK_PROFILE: &str = r#"
source = "bank"
kind = "hr"

[columns]
person_id = "Bank Ref"
given_name = "Forename"
family_name = "Surname"
birth_date = "DOB"
team = "Team"
org_role = "Role"
start_date = "Start"
end_date = "End"
fte = "FTE"

[defaults]
contract = "fixed_term"
"#;

const CHANGES_PROFILE: &str = r#"
source = "cms-weekly"
kind = "caseload"
mode = "changes"

[columns]
person_id = "Worker"
date = "Date"
cases = "Cases"
"#;

const TITLES: [&str; 6] = [
    "Assistant Director",
    "Service Manager",
    "Team Manager",
    "Senior Social Worker",
    "Social Worker",
    "Independent Reviewing Officer",
];
const ROLE_CODES: [&str; 6] = ["AD", "SM", "TM", "SSW", "SW", "IRO"];
const REASONS: [&str; 10] = [
    "Resignation",
    "Voluntary redundancy",
    "Compulsory redundancy",
    "Dismissal",
    "Retirement",
    "Death in service",
    "Internal move - other SW role",
    "Other",
    "Unknown",
    "Not yet collected",
];

/// A minimal spreadsheet: one sheet of text and number cells.
enum X {
    S(String),
    N(f64),
    Empty,
}

fn write_xlsx(path: &Path, sheet: &str, header: &[&str], rows: &[Vec<X>]) {
    let column = |mut i: usize| {
        let mut name = String::new();
        loop {
            name.insert(0, (b'A' + (i % 26) as u8) as char);
            if i < 26 {
                break name;
            }
            i = i / 26 - 1;
        }
    };
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let header: Vec<X> = header.iter().map(|h| X::S(h.to_string())).collect();
    for (r, row) in std::iter::once(&header).chain(rows).enumerate() {
        write!(xml, r#"<row r="{}">"#, r + 1).unwrap();
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            match cell {
                X::S(t) => write!(xml, r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#, escape(t)).unwrap(),
                X::N(n) => write!(xml, r#"<c r="{at}"><v>{n}</v></c>"#).unwrap(),
                X::Empty => {}
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", xml),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Writes the exports of `wf` into `dir`, each beside its profile.
fn export(wf: &Workforce, dir: &Path) {
    let profile = |name: &str, text: &str| std::fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    profile("legacy", LEGACY_PROFILE);
    profile("new", NEW_PROFILE);
    profile("agency", AGENCY_PROFILE);
    profile("absence", ABSENCE_PROFILE);
    profile("caseload", CASELOAD_PROFILE);
    profile("establishment", ESTABLISHMENT_PROFILE);
    let idx = |id: &str| id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<usize>().unwrap();
    let dob = |p: &sightline_core::Person| p.birth_date.unwrap_or(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap());

    let mut legacy =
        String::from("Emp No,SWE Reg,Name,DOB,Contract,Cost Centre,Job Title,Start,End,Weekly Hrs,Leaving Reason\r\n");
    let mut new_rows = Vec::new();
    let mut agency = String::from("Worker ID,SWE Number,Agency,Team,OrgRole,Assignment Start,Assignment End,Hours per week,Charge Rate,Pay Rate,Reason for cover\n");
    let mut in_legacy = std::collections::HashSet::new();
    for s in wf.spells() {
        if s.kind.is_employed() && s.start < cutover() {
            in_legacy.insert(s.person);
        }
    }
    for s in wf.spells() {
        let p = wf.person(s.person);
        let i = idx(&p.id);
        let role = s.org_role.code() as usize - 1;
        let reason = s.reason_leave.map_or("", |r| REASONS[r.code() as usize - 1]);
        let team = wf.team_name(s.team);
        if s.kind == SpellKind::Agency {
            let cover = if i % 2 == 0 { "Vacancy" } else { "Over establishment" };
            writeln!(
                agency,
                "AG{i},{},Agency {},{team},{},{},{},{},£{:.2},£{:.2},{cover}",
                p.swe_no.as_deref().unwrap_or(""),
                i % 3,
                s.org_role.code(),
                s.start,
                s.end.map(|e| e.to_string()).unwrap_or_default(),
                s.fte * 37.0,
                55.0 + (i % 10) as f64,
                38.0 + (i % 7) as f64,
            )
            .unwrap();
        } else if s.start < cutover() {
            writeln!(
                legacy,
                "L{i},{},\"Family{i}, Given{i}\",{},{},{team},{},{},{},{},{reason}\r",
                p.swe_no.as_deref().unwrap_or("").to_lowercase(),
                uk(dob(p)),
                if s.kind == SpellKind::Permanent { "Perm" } else { "FTC (12 months)" },
                TITLES[role],
                uk(s.start),
                s.end.map(uk).unwrap_or_default(),
                s.fte * 37.0,
            )
            .unwrap();
        } else {
            // The new system lacks some SWE numbers; it names the legacy employee number.
            let joined_by_xref = in_legacy.contains(&s.person) && i % 3 == 0;
            new_rows.push(vec![
                X::S(format!("N{i}")),
                if joined_by_xref { X::Empty } else { X::S(p.swe_no.clone().unwrap_or_default()) },
                X::S(format!("Given{i}")),
                X::S(format!("Family{i}")),
                X::N(serial(dob(p))),
                if in_legacy.contains(&s.person) { X::S(format!("L{i}")) } else { X::Empty },
                X::S(if s.kind == SpellKind::Permanent { "P" } else { "T" }.into()),
                X::S(team.to_string()),
                X::S(ROLE_CODES[role].into()),
                X::N(serial(s.start)),
                s.end.map_or(X::Empty, |e| X::N(serial(e))),
                X::N(s.fte),
                s.reason_leave.map_or(X::Empty, |r| X::N(f64::from(r.code()))),
            ]);
        }
    }
    std::fs::write(dir.join("legacy.csv"), legacy).unwrap();
    std::fs::write(dir.join("agency.csv"), agency).unwrap();
    let header = [
        "Employee Number",
        "Registration",
        "First Name",
        "Surname",
        "Date of Birth",
        "Legacy Emp No",
        "Contract Type",
        "Team",
        "Role Code",
        "Assignment Start",
        "Assignment End",
        "FTE",
        "Leaver Code",
    ];
    write_xlsx(&dir.join("new.xlsx"), "Staff", &header, &new_rows);

    let mut absences = String::from("Staff Ref,SWE,From,To,Type,Days Lost\n");
    let types = [
        ("SIC", "Sickness"),
        ("MAT", "Maternity leave"),
        ("OTH", "Other paid"),
        ("PUB", "Public duties"),
        ("TRN", "Training"),
        ("UNA", "Unauthorised"),
        ("UNP", "Unpaid"),
    ];
    for a in wf.absences() {
        let p = wf.person(a.person);
        let kind = types.iter().find(|(c, _)| *c == a.reason.code()).unwrap().1;
        let days = a.days_lost.map(|d| d.to_string()).unwrap_or_default();
        writeln!(
            absences,
            "{},{},{},{},{kind},{days}",
            p.id,
            p.swe_no.as_deref().unwrap_or(""),
            uk(a.start),
            uk(a.end)
        )
        .unwrap();
    }
    std::fs::write(dir.join("absence.csv"), absences).unwrap();
    let mut caseloads = String::from("Worker,SWE Reg No,Snapshot,Children Allocated,Weighted\n");
    for c in wf.caseloads() {
        let p = wf.person(c.person);
        writeln!(
            caseloads,
            "CMS{},{},{},{},{}",
            idx(&p.id),
            p.swe_no.as_deref().unwrap_or(""),
            c.date,
            c.cases,
            f64::from(c.cases) * 1.5
        )
        .unwrap();
    }
    std::fs::write(dir.join("caseload.csv"), caseloads).unwrap();
    let mut establishment = String::from("Cost Centre,Funded FTE,From,To\n");
    for e in wf.establishment() {
        writeln!(
            establishment,
            "{},{},{},{}",
            wf.team_name(e.team),
            e.fte,
            e.start,
            e.end.map(|d| d.to_string()).unwrap_or_default()
        )
        .unwrap();
    }
    std::fs::write(dir.join("establishment.csv"), establishment).unwrap();
}

async fn import(store: &Store, dir: &Path, name: &str, file: &str) -> ImportOutcome {
    let text = std::fs::read_to_string(dir.join(format!("{name}.toml"))).unwrap();
    let profile = Profile::parse(&text).unwrap();
    let source = profile.source.clone().unwrap();
    let options =
        ImportOptions { source: &source, imported_by: "tester", strictness: Strictness::Strict, ..Default::default() };
    store.import_export(&dir.join(file), &profile, &text, &options).await.unwrap_or_else(|e| panic!("{file}: {e}"))
}

const EXPORTS: [(&str, &str); 6] = [
    ("legacy", "legacy.csv"),
    ("new", "new.xlsx"),
    ("agency", "agency.csv"),
    ("absence", "absence.csv"),
    ("caseload", "caseload.csv"),
    ("establishment", "establishment.csv"),
];

fn assert_same_figures(a: &Workforce, b: &Workforce) {
    let calendar = Calendar::england_and_wales();
    for y in YEARS {
        let p = Period::census_year(y);
        let (x, z) = (indicators(a, &calendar, p), indicators(b, &calendar, p));
        assert_eq!(x.rounded(), z.rounded(), "{y}");
        for f in sightline_core::published::FIELDS {
            let (u, v) = (x.field(f), z.field(f));
            assert!(u.zip(v).map_or(u == v, |(u, v)| (u - v).abs() < 1e-9), "{y} {f}: {u:?} {v:?}");
        }
    }
}

async fn story(url: &str) {
    let request = Request::new(Basis::Size { people: 90 }, YEARS, 11);
    let made = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    let dir = tempfile::tempdir().unwrap();
    export(&made, dir.path());
    let store = Store::open(url).await.unwrap();
    for (name, file) in EXPORTS {
        let outcome = import(&store, dir.path(), name, file).await;
        assert!(
            matches!(&outcome, ImportOutcome::Imported { rejected, .. } if rejected.is_empty()),
            "{file}: {outcome:?}"
        );
    }
    let (stored, conflicts) = store.load_with_conflicts().await.unwrap();
    assert!(conflicts.is_empty(), "{conflicts:?}");
    assert_eq!(stored.persons().len(), made.persons().len(), "every record found its person");
    assert!(store.suggestions().await.unwrap().is_empty());
    assert_same_figures(&stored, &made);

    // Every export again: nothing changes.
    let counts = store.row_counts().await.unwrap();
    for (name, file) in EXPORTS {
        assert!(matches!(import(&store, dir.path(), name, file).await, ImportOutcome::Unchanged { .. }));
    }
    assert_eq!(store.row_counts().await.unwrap(), counts);

    // A newer legacy export closes a spell: it is closed, not duplicated.
    let legacy = std::fs::read_to_string(dir.path().join("legacy.csv")).unwrap();
    let mut lines: Vec<String> = legacy.lines().map(str::to_string).collect();
    // Columns (the quoted name holds a comma): 0 Emp No, 8 Start, 9 End, 11 Leaving Reason.
    let open_line = lines
        .iter()
        .position(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f.len() == 12 && f[9].is_empty() && f[0].starts_with('L')
        })
        .expect("an open legacy spell");
    let mut fields: Vec<String> = lines[open_line].split(',').map(str::to_string).collect();
    let emp = fields[0].clone();
    let start = NaiveDate::parse_from_str(&fields[8], "%d/%m/%Y").unwrap();
    let end = start + chrono::Days::new(40);
    fields[9] = uk(end);
    fields[11] = "Resigned".into();
    lines[open_line] = fields.join(",");
    std::fs::write(dir.path().join("legacy.csv"), lines.join("\n")).unwrap();
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "legacy", "legacy.csv").await else {
        panic!("the newer export imports")
    };
    assert_eq!(changes.rows_added, changes.rows_replaced, "replaced, not added to");
    assert_eq!(
        store.row_counts().await.unwrap().iter().find(|(t, _)| *t == "spell"),
        counts.iter().find(|(t, _)| *t == "spell")
    );
    let history = store.person_history(&emp).await.unwrap().expect("found by the legacy employee number");
    let closed = history.facts.iter().find(|f| f.what == "spell" && f.start == start).unwrap();
    assert_eq!(closed.end, Some(end));
    assert!(closed.detail.contains("ReasonLeave 1"), "{}", closed.detail);

    // A bank staff system knows one of them by name and birth date only:
    // that is suggested for a person to decide, never joined silently.
    let someone = made.spells().iter().find(|s| s.kind.is_employed()).map(|s| made.person(s.person)).unwrap();
    let i: usize = someone.id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
    let born = someone.birth_date.unwrap_or(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap());
    std::fs::write(dir.path().join("bank.toml"), BANK_PROFILE).unwrap();
    std::fs::write(
        dir.path().join("bank.csv"),
        format!("Bank Ref,Forename,Surname,DOB,Team,Role,Start,End,FTE\nB1,given{i},FAMILY{i},{born},Bank,5,2025-01-06,2025-01-10,1\n"),
    )
    .unwrap();
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "bank", "bank.csv").await else {
        panic!("the bank export imports")
    };
    assert_eq!((changes.people_added, changes.suggestions), (1, 1));
    assert_eq!(store.load_workforce().await.unwrap().persons().len(), made.persons().len() + 1);
    let suggestions = store.suggestions().await.unwrap();
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0].candidate.person.swe_no, someone.swe_no);
    store.decide_suggestion(suggestions[0].id, true, "tester").await.unwrap();
    assert!(store.suggestions().await.unwrap().is_empty());
    let merged = store.load_workforce().await.unwrap();
    assert_eq!(merged.persons().len(), made.persons().len(), "accepted: one person");
    let history = store.person_history("B1").await.unwrap().unwrap();
    assert_eq!(history.summary.person.swe_no, someone.swe_no);
    assert!(history.summary.identifiers.contains(&("bank".to_string(), "B1".to_string())));
    assert!(store.decide_suggestion(suggestions[0].id, false, "tester").await.is_err(), "decided once");
    // An export of changes only: a row for the same person and date replaces
    // the earlier one; a new row is added; nothing else is touched.
    std::fs::write(dir.path().join("changes.toml"), CHANGES_PROFILE).unwrap();
    let rows =
        |text: &str| std::fs::write(dir.path().join("changes.csv"), format!("Worker,Date,Cases\n{text}")).unwrap();
    rows("X1,2025-01-31,5\nX2,2025-01-31,7\n");
    import(&store, dir.path(), "changes", "changes.csv").await;
    rows("X1,2025-01-31,6\nX1,2025-02-28,8\n");
    let ImportOutcome::Imported { changes, .. } = import(&store, dir.path(), "changes", "changes.csv").await else {
        panic!("the second export imports")
    };
    assert_eq!((changes.rows_added, changes.rows_replaced), (2, 1));
    let x1 = store.person_history("X1").await.unwrap().unwrap();
    let cases: Vec<&str> = x1.facts.iter().map(|f| f.detail.as_str()).collect();
    assert_eq!(cases, ["6 cases", "8 cases"]);
    assert!(store.person_history("X2").await.unwrap().unwrap().facts[0].detail == "7 cases");

    // The snapshot read back is the workforce the fact tables give.
    let (from_facts, _) = store.load_from_facts().await.unwrap();
    assert_same_figures(&merged, &from_facts);
    assert_eq!(merged.spells().len(), from_facts.spells().len());
}

#[tokio::test]
async fn two_hr_systems_and_four_other_exports_give_the_canonical_figures_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(dir.path().join("sightline.db").to_str().unwrap()).await;
}

#[tokio::test]
async fn two_hr_systems_and_four_other_exports_give_the_canonical_figures_on_postgres() {
    let Some(db) = common::postgres("sources").await else { return };
    story(&db.url).await;
    db.drop().await;
}
