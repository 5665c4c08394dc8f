//! A council part way through moving from a legacy HR system to a new one
//! ([`reorganised`]): posts that began before the cutover (1 October 2022)
//! are in the legacy system, later ones in the new.
//! - **Legacy HR** (`legacy.csv`): CRLF line ends, UK dates, contracted
//!   hours over a 37-hour week, job titles and its own contract and
//!   leaving-reason wording, SWE numbers in lower case;
//! - **New HR** (`new.xlsx`, sheet `Staff`): Excel serial dates, FTE, short
//!   codes for contracts and roles, a column naming the legacy employee
//!   number, and SWE numbers missing for some of those it names;
//! - the managed service provider's **agency** assignments (`agency.csv`):
//!   ISO dates, hours, rates in pounds, the reason for cover;
//! - **absences** (`absence.csv`), the case management system's
//!   **caseloads** (`caseload.csv`, with a weighted caseload) and finance's
//!   **establishment** (`establishment.csv`).
//!
//! Nobody holds two posts at once; the exports stand for `wf` itself.

use super::{uk, Exports};
use rust_xlsxwriter::{Workbook, XlsxError};
use sightline_core::{Date, Person, SpellKind, Workforce};
use std::fmt::Write as _;

/// The day the new HR system took over: posts that began before it are in the legacy system.
pub fn cutover() -> Date {
    Date::from_ymd_opt(2022, 10, 1).expect("a date")
}

fn serial(d: Date) -> f64 {
    (d - Date::from_ymd_opt(1899, 12, 30).expect("a date")).num_days() as f64
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

/// `wf` as the exports of a council changing HR systems.
pub fn reorganised(wf: &Workforce) -> Result<Exports, XlsxError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let idx = |id: &str| id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<usize>().unwrap_or(0);
    let dob = |p: &Person| p.birth_date.unwrap_or(Date::from_ymd_opt(1980, 1, 1).expect("a date"));

    let mut legacy =
        String::from("Emp No,SWE Reg,Name,DOB,Contract,Cost Centre,Job Title,Start,End,Weekly Hrs,Leaving Reason\r\n");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Staff")?;
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
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut new_rows = 1u32;
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
            let _ = writeln!(
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
            );
        } else if s.start < cutover() {
            let _ = writeln!(
                legacy,
                "L{i},{},\"Family{i}, Given{i}\",{},{},{team},{},{},{},{},{reason}\r",
                p.swe_no.as_deref().unwrap_or("").to_lowercase(),
                uk(dob(p)),
                if s.kind == SpellKind::Permanent { "Perm" } else { "FTC (12 months)" },
                TITLES[role],
                uk(s.start),
                s.end.map(uk).unwrap_or_default(),
                s.fte * 37.0,
            );
        } else {
            // The new system lacks some SWE numbers; it names the legacy employee number.
            let joined_by_xref = in_legacy.contains(&s.person) && i % 3 == 0;
            let r = new_rows;
            new_rows += 1;
            sheet.write_string(r, 0, format!("N{i}"))?;
            if !joined_by_xref {
                sheet.write_string(r, 1, p.swe_no.clone().unwrap_or_default())?;
            }
            sheet.write_string(r, 2, format!("Given{i}"))?;
            sheet.write_string(r, 3, format!("Family{i}"))?;
            sheet.write_number(r, 4, serial(dob(p)))?;
            if in_legacy.contains(&s.person) {
                sheet.write_string(r, 5, format!("L{i}"))?;
            }
            sheet.write_string(r, 6, if s.kind == SpellKind::Permanent { "P" } else { "T" })?;
            sheet.write_string(r, 7, team)?;
            sheet.write_string(r, 8, ROLE_CODES[role])?;
            sheet.write_number(r, 9, serial(s.start))?;
            if let Some(e) = s.end {
                sheet.write_number(r, 10, serial(e))?;
            }
            sheet.write_number(r, 11, s.fte)?;
            if let Some(reason) = s.reason_leave {
                sheet.write_number(r, 12, f64::from(reason.code()))?;
            }
        }
    }
    files.push(("legacy.csv".into(), legacy.into_bytes()));
    files.push(("agency.csv".into(), agency.into_bytes()));
    files.push(("new.xlsx".into(), book.save_to_buffer()?));

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
        let kind = types.iter().find(|(c, _)| *c == a.reason.code()).map_or("Other paid", |t| t.1);
        let days = a.days_lost.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(
            absences,
            "{},{},{},{},{kind},{days}",
            p.id,
            p.swe_no.as_deref().unwrap_or(""),
            uk(a.start),
            uk(a.end)
        );
    }
    files.push(("absence.csv".into(), absences.into_bytes()));
    let mut caseloads = String::from("Worker,SWE Reg No,Snapshot,Children Allocated,Weighted\n");
    for c in wf.caseloads() {
        let p = wf.person(c.person);
        let _ = writeln!(
            caseloads,
            "CMS{},{},{},{},{}",
            idx(&p.id),
            p.swe_no.as_deref().unwrap_or(""),
            c.date,
            c.cases,
            f64::from(c.cases) * 1.5
        );
    }
    files.push(("caseload.csv".into(), caseloads.into_bytes()));
    let mut establishment = String::from("Cost Centre,Funded FTE,From,To\n");
    for e in wf.establishment() {
        let _ = writeln!(
            establishment,
            "{},{},{},{}",
            wf.team_name(e.team),
            e.fte,
            e.start,
            e.end.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    files.push(("establishment.csv".into(), establishment.into_bytes()));
    let profiles = [
        ("legacy", LEGACY_PROFILE, "legacy.csv"),
        ("new", NEW_PROFILE, "new.xlsx"),
        ("agency", AGENCY_PROFILE, "agency.csv"),
        ("absence", ABSENCE_PROFILE, "absence.csv"),
        ("caseload", CASELOAD_PROFILE, "caseload.csv"),
        ("establishment", ESTABLISHMENT_PROFILE, "establishment.csv"),
    ];
    let mut imports = Vec::new();
    for (name, text, file) in profiles {
        files.push((format!("{name}.toml"), text.as_bytes().to_vec()));
        imports.push((format!("{name}.toml"), file.to_string()));
    }
    Ok(Exports { workforce: wf.clone(), files, imports })
}
