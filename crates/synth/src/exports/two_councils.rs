//! A council formed from two legacy councils ([`two_councils`]):
//! - **A's payroll** (`payroll.csv`): Windows-1252, semicolons, UK dates, one
//!   row per post with a post reference, FTE as a percentage, teams by
//!   finance cost centre (or, for posts that began before the restructure
//!   of 1 April 2022, by their old names), a `Total` line at the foot;
//! - **B's HR system** (`staff.xlsx`): a title and a blank row above the
//!   headings, start and end as spreadsheet dates, birth dates and some
//!   hours as text, contracted hours over a per-row standard week, job
//!   titles including "Social Worker (non case holding)", a total row;
//! - the managed service provider's **agency** list (`agency.csv`), with
//!   assignment references, rates in pounds and the reason for engagement;
//! - the case management system's **caseload** report (`caseloads.csv`),
//!   which knows people by their Social Work England number only;
//! - the **absence** export (`absences.csv`) and finance's **establishment**
//!   (`establishment.csv`, by cost centre, with budget start and end);
//! - the **team map** (`team-map.csv`): old names and cost centres to
//!   today's teams.
//!
//! Some people hold two posts at once: a few full-time posts are split into
//! two part-time posts in one team starting the same day (0.7 and 0.3 FTE,
//! under two post references in the payroll), and a few into a post in each legacy
//! council's teams (one in each system). The workforce these exports stand
//! for, splits included, is [`Exports::workforce`](super::Exports::workforce).

use super::{uk, Exports};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use sightline_core::model::{Spell, Workforce, WorkforceBuilder};
use sightline_core::{Date, Person, SpellKind, TeamId};
use std::fmt::Write as _;

/// The day the merged council's teams were restructured: payroll posts
/// that began before it name their team by its old name.
pub fn restructure() -> Date {
    Date::from_ymd_opt(2022, 4, 1).expect("a date")
}

/// The payroll's profile (also used by the import benchmark).
pub const PAYROLL_PROFILE: &str = r#"# Legacy council A's payroll: one row per post held, with its post reference.
source = "payroll"
description = "Council A payroll: a row per post, FTE %, cost centres, UK dates"
kind = "hr"
date_format = "dd/mm/yyyy"

[columns]
person_id = "Employee No"
post_id = "Post Ref"
swe_no = "SWE Reg"
full_name = "Employee Name"
birth_date = "Date of Birth"
contract = "Contract"
team = "Cost Centre"
org_role = "Job Title"
start_date = "Post Start"
end_date = "Post End"
fte_percent = "FTE %"
reason_leave = "Leaving Reason"

[codes.contract]
permanent = ["Permanent"]
fixed_term = ["Fixed Term*", "Temporary"]

[codes.org_role]
1 = ["Head of Service"]
2 = ["Service Manager"]
3 = ["Team Manager"]
4 = ["Advanced Practitioner"]
5 = ["Social Worker"]
6 = ["Social Worker (non case holding)"]

[codes.reason_leave]
1 = ["Resignation"]
2 = ["Voluntary Redundancy"]
3 = ["Compulsory Redundancy"]
4 = ["Dismissal"]
5 = ["Retirement"]
6 = ["Death in Service"]
7 = ["Transfer (internal)"]
8 = ["Other"]
9 = ["Not known"]
10 = ["Not yet collected"]
"#;

const STAFF_PROFILE: &str = r#"# Legacy council B's HR system: a spreadsheet with a title above the headings.
source = "hr-b"
description = "Council B HR staff extract: spreadsheet, contracted hours over each row's standard week"
kind = "hr"
sheet = "Staff"
date_format = "dd/mm/yyyy"
standard_hours_column = "Standard Hours"

[columns]
person_id = "Employee Number"
swe_no = "SWE Number"
given_name = "Forename"
family_name = "Surname"
birth_date = "Date of Birth"
contract = "Contract Type"
team = "Team"
org_role = "Job Title"
start_date = "Start Date"
end_date = "End Date"
hours = "Contracted Hours"
reason_leave = "Reason for Leaving"

[codes.contract]
permanent = ["Permanent"]
fixed_term = ["Fixed Term"]

[codes.org_role]
1 = ["Head of Service"]
2 = ["Service Manager"]
3 = ["Team Manager"]
4 = ["Senior Practitioner"]
5 = ["Social Worker"]
6 = ["Social Worker (non case holding)"]

[codes.reason_leave]
1 = ["Resigned"]
2 = ["Voluntary redundancy"]
3 = ["Compulsory redundancy"]
4 = ["Dismissed"]
5 = ["Retired"]
6 = ["Died in service"]
7 = ["Moved to another social work role"]
8 = ["Other"]
9 = ["Unknown"]
10 = ["Not yet collected"]
"#;

const AGENCY_PROFILE: &str = r#"# The managed service provider's assignments, one row per assignment.
source = "msp"
description = "Managed service provider: assignment references, rates, reason for engagement"
kind = "agency"
date_format = "dd/mm/yyyy"
standard_hours = 37

[columns]
person_id = "Worker ID"
post_id = "Assignment Ref"
swe_no = "SWE Registration"
full_name = "Worker Name"
agency = "Agency"
team = "Team"
org_role = "Role"
start_date = "Assignment Start"
end_date = "Assignment End"
hours = "Hours per Week"
charge_rate = "Charge Rate"
pay_rate = "Pay Rate"
covering = "Reason for Engagement"

[codes.org_role]
1 = ["Head of Service"]
2 = ["Service Manager"]
3 = ["Team Manager"]
4 = ["Senior Practitioner"]
5 = ["Social Worker"]
6 = ["Social Worker (non case holding)"]

[codes.covering]
vacancy = ["Vacancy"]
over_establishment = ["Additional capacity", "Sickness cover"]
"#;

const CASELOAD_PROFILE: &str = r#"# The case management system's allocations report: people by SWE number only.
source = "cms"
description = "Case management system: children allocated per worker at each month end"
kind = "caseload"
date_format = "dd/mm/yyyy"

[columns]
person_id = "SWE Reg No"
swe_no = "SWE Reg No"
date = "Snapshot Date"
cases = "Children Allocated"
"#;

const ABSENCE_PROFILE: &str = r#"# The absence system's episodes.
source = "absence"
description = "Absence episodes with working days lost"
kind = "absence"
date_format = "dd/mm/yyyy"

[columns]
person_id = "Staff Ref"
swe_no = "SWE"
start_date = "First Day Absent"
end_date = "Last Day Absent"
reason = "Absence Type"
days_lost = "Working Days Lost"

[codes.reason]
SIC = ["Sickness"]
MAT = ["Maternity", "Paternity", "Adoption"]
OTH = ["Other paid"]
PUB = ["Public duties"]
TRN = ["Training"]
UNA = ["Unauthorised"]
UNP = ["Unpaid"]
"#;

const ESTABLISHMENT_PROFILE: &str = r#"# Finance's budgeted posts, by cost centre.
source = "finance"
description = "Finance establishment: budgeted FTE by cost centre"
kind = "establishment"
date_format = "dd/mm/yyyy"

[columns]
team = "Cost Centre"
fte = "Budgeted FTE"
start_date = "Budget From"
end_date = "Budget To"
"#;

const ROLES_A: [&str; 6] = [
    "Head of Service",
    "Service Manager",
    "Team Manager",
    "Advanced Practitioner",
    "Social Worker",
    "Social Worker (non case holding)",
];
const ROLES_B: [&str; 6] = [
    "Head of Service",
    "Service Manager",
    "Team Manager",
    "Senior Practitioner",
    "Social Worker",
    "Social Worker (non case holding)",
];
const REASONS_A: [&str; 10] = [
    "Resignation",
    "Voluntary Redundancy",
    "Compulsory Redundancy",
    "Dismissal",
    "Retirement",
    "Death in Service",
    "Transfer (internal)",
    "Other",
    "Not known",
    "Not yet collected",
];
const REASONS_B: [&str; 10] = [
    "Resigned",
    "Voluntary redundancy",
    "Compulsory redundancy",
    "Dismissed",
    "Retired",
    "Died in service",
    "Moved to another social work role",
    "Other",
    "Unknown",
    "Not yet collected",
];
const GIVEN: [&str; 12] =
    ["Morgan", "Siobhan", "Hassan", "Amara", "Tomasz", "Priya", "Gareth", "Chloe", "Kwame", "Aoife", "Darren", "Mei"];
const FAMILY: [&str; 12] =
    ["Reid", "Byrne", "Ali", "Okafor", "Nowak", "Sharma", "Evans", "O'Neill", "Mensah", "Walsh", "Hughes", "Chen"];

fn number_of(p: &Person) -> usize {
    p.id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(0)
}

/// Whether a team was legacy council A's (else B's).
fn of_a(team: TeamId) -> bool {
    team.0.is_multiple_of(2)
}

fn cost_centre(team: TeamId) -> String {
    format!("CC{}", 4100 + team.0)
}

fn old_name(name: &str) -> String {
    format!("{name} (pre-2022)")
}

/// Text as Windows-1252 bytes (the payroll's encoding): the pound sign and
/// Latin-1 letters as single bytes.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect()
}

/// `wf` with some posts split as councils hold them: every 9th open,
/// full-time employed post in a team of A into two posts there (0.7 and 0.3),
/// and every 9th (offset) into 0.6 there and 0.4 in a team of B.
fn with_concurrent_posts(wf: &Workforce) -> Workforce {
    let mut b = WorkforceBuilder::new();
    for p in wf.persons() {
        let i = b.person(&p.id);
        *b.person_mut(i) = p.clone();
    }
    for t in wf.teams() {
        b.team(t);
    }
    let b_team = (0..wf.teams().len() as u32).map(TeamId).find(|t| !of_a(*t));
    let mut n = 0;
    for s in wf.spells() {
        let splittable = s.kind.is_employed() && of_a(s.team) && s.fte == 1.0 && s.end.is_none();
        if splittable {
            n += 1;
        }
        match (splittable, n % 9, b_team) {
            (true, 1, _) => {
                b.add_spell(Spell { fte: 0.7, ..s.clone() });
                b.add_spell(Spell { fte: 0.3, ..s.clone() });
            }
            (true, 5, Some(other)) => {
                b.add_spell(Spell { fte: 0.6, ..s.clone() });
                b.add_spell(Spell { fte: 0.4, team: other, ..s.clone() });
            }
            _ => b.add_spell(s.clone()),
        }
    }
    for e in wf.establishment() {
        b.add_establishment(e.clone());
    }
    for a in wf.absences() {
        b.add_absence(a.clone());
    }
    b.add_caseloads(wf.caseloads().to_vec());
    b.build()
}

/// `wf` as the exports of a council formed from two legacy councils.
pub fn two_councils(wf: &Workforce) -> Result<Exports, XlsxError> {
    let wf = with_concurrent_posts(wf);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let name_of = |p: &Person| {
        let i = number_of(p);
        (GIVEN[i % GIVEN.len()], FAMILY[(i * 7 + i / GIVEN.len()) % FAMILY.len()])
    };
    let born = |p: &Person| p.birth_date.unwrap_or(Date::from_ymd_opt(1980, 1, 1).expect("a date"));

    // A's payroll.
    let mut payroll = String::from(
        "Employee No;Post Ref;SWE Reg;Employee Name;Date of Birth;Contract;Cost Centre;Job Title;Post Start;Post End;FTE %;Salary £;Leaving Reason\r\n",
    );
    let mut total_fte = 0.0;
    let mut posts = 0;
    for s in wf.spells().iter().filter(|s| s.kind.is_employed() && of_a(s.team)) {
        let p = wf.person(s.person);
        let (given, family) = name_of(p);
        posts += 1;
        total_fte += s.fte;
        let team = if s.start < restructure() { old_name(wf.team_name(s.team)) } else { cost_centre(s.team) };
        let _ = write!(
            payroll,
            "A{:05};PR{posts:06};{};\"{family}, {given}\";{};{};{team};{};{};{};{};£{:.0};{}\r\n",
            number_of(p),
            p.swe_no.as_deref().unwrap_or(""),
            uk(born(p)),
            if s.kind == SpellKind::Permanent { "Permanent" } else { "Fixed Term (12 months)" },
            ROLES_A[s.org_role.code() as usize - 1],
            uk(s.start),
            s.end.map(uk).unwrap_or_default(),
            s.fte * 100.0,
            s.fte * 42_000.0,
            s.reason_leave.map_or("", |r| REASONS_A[r.code() as usize - 1]),
        );
    }
    let _ = write!(payroll, "Total;;;;;;;;;;{:.2};;\r\n", total_fte * 100.0);
    files.push(("payroll.csv".into(), windows_1252(&payroll)));

    // B's HR spreadsheet.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Staff")?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bold = Format::new().set_bold();
    sheet.merge_range(0, 0, 0, 3, "Children's Services staff extract", &bold)?;
    sheet.write_string(0, 5, "Run 03 Oct 2025")?;
    let headings = [
        "Employee Number",
        "SWE Number",
        "Forename",
        "Surname",
        "Date of Birth",
        "Contract Type",
        "Team",
        "Job Title",
        "Start Date",
        "End Date",
        "Contracted Hours",
        "Standard Hours",
        "Reason for Leaving",
    ];
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let mut row = 3u32;
    let excel = |d: Date| {
        use chrono::Datelike;
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
    };
    for s in wf.spells().iter().filter(|s| s.kind.is_employed() && !of_a(s.team)) {
        let p = wf.person(s.person);
        let (given, family) = name_of(p);
        let i = number_of(p);
        let standard = if i.is_multiple_of(4) { 36.0 } else { 37.0 };
        sheet.write_string(row, 0, format!("B{i:05}"))?;
        sheet.write_string(row, 1, p.swe_no.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 2, given)?;
        sheet.write_string(row, 3, family)?;
        sheet.write_string(row, 4, uk(born(p)))?;
        sheet.write_string(row, 5, if s.kind == SpellKind::Permanent { "Permanent" } else { "Fixed Term" })?;
        sheet.write_string(row, 6, wf.team_name(s.team))?;
        sheet.write_string(row, 7, ROLES_B[s.org_role.code() as usize - 1])?;
        sheet.write_datetime_with_format(row, 8, &excel(s.start)?, &date)?;
        if let Some(e) = s.end {
            sheet.write_datetime_with_format(row, 9, &excel(e)?, &date)?;
        }
        let hours = s.fte * standard;
        if i.is_multiple_of(3) {
            sheet.write_string(row, 10, hours.to_string())?;
        } else {
            sheet.write_number(row, 10, hours)?;
        }
        sheet.write_number(row, 11, standard)?;
        if let Some(r) = s.reason_leave {
            sheet.write_string(row, 12, REASONS_B[r.code() as usize - 1])?;
        }
        row += 1;
    }
    sheet.write_string(row, 0, "Total")?;
    sheet.write_number(row, 10, (row - 3) as f64)?;
    files.push(("staff.xlsx".into(), book.save_to_buffer()?));

    // The managed service provider.
    let mut agency = String::from(
        "Worker ID,Assignment Ref,SWE Registration,Worker Name,Agency,Team,Role,Assignment Start,Assignment End,Hours per Week,Charge Rate,Pay Rate,Reason for Engagement\n",
    );
    for (n, s) in wf.spells().iter().filter(|s| s.kind == SpellKind::Agency).enumerate() {
        let p = wf.person(s.person);
        let (given, family) = name_of(p);
        let i = number_of(p);
        let _ = writeln!(
            agency,
            "W{i:05},AR{:05},{},{given} {family},{},{},{},{},{},{},£{:.2},£{:.2},{}",
            n + 1,
            p.swe_no.as_deref().unwrap_or(""),
            ["Social Care Locums Ltd", "Pinnacle Recruitment", "Northern Social Work"][i % 3],
            wf.team_name(s.team),
            ROLES_B[s.org_role.code() as usize - 1],
            uk(s.start),
            s.end.map(uk).unwrap_or_default(),
            s.fte * 37.0,
            s.charge_rate.unwrap_or(60.0 + (i % 9) as f64),
            38.0 + (i % 7) as f64,
            ["Vacancy", "Additional capacity", "Sickness cover"][i % 3],
        );
    }
    files.push(("agency.csv".into(), agency.into_bytes()));

    // Caseloads, by SWE number.
    let mut caseloads = String::from("SWE Reg No,Worker,Snapshot Date,Children Allocated\n");
    for c in wf.caseloads() {
        let p = wf.person(c.person);
        let (given, family) = name_of(p);
        let _ =
            writeln!(caseloads, "{},{given} {family},{},{}", p.swe_no.as_deref().unwrap_or(""), uk(c.date), c.cases);
    }
    files.push(("caseloads.csv".into(), caseloads.into_bytes()));

    // Absences.
    let kinds = [
        ("SIC", "Sickness"),
        ("MAT", "Maternity"),
        ("OTH", "Other paid"),
        ("PUB", "Public duties"),
        ("TRN", "Training"),
        ("UNA", "Unauthorised"),
        ("UNP", "Unpaid"),
    ];
    let mut absences = String::from("Staff Ref,SWE,First Day Absent,Last Day Absent,Absence Type,Working Days Lost\n");
    for a in wf.absences() {
        let p = wf.person(a.person);
        let kind = kinds.iter().find(|(c, _)| *c == a.reason.code()).map_or("Other paid", |k| k.1);
        let _ = writeln!(
            absences,
            "ABS{:05},{},{},{},{kind},{}",
            number_of(p),
            p.swe_no.as_deref().unwrap_or(""),
            uk(a.start),
            uk(a.end),
            a.days_lost.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    files.push(("absences.csv".into(), absences.into_bytes()));

    // Finance, by cost centre.
    let mut establishment = String::from("Cost Centre,Budgeted FTE,Budget From,Budget To\n");
    for e in wf.establishment() {
        let _ = writeln!(
            establishment,
            "{},{},{},{}",
            cost_centre(e.team),
            e.fte,
            uk(e.start),
            e.end.map(uk).unwrap_or_default()
        );
    }
    files.push(("establishment.csv".into(), establishment.into_bytes()));

    // The team map.
    let mut map = String::from("name,team,from,to\n");
    for (t, name) in wf.teams().iter().enumerate() {
        let t = TeamId(t as u32);
        let _ = writeln!(map, "{},{name},,", cost_centre(t));
        if of_a(t) {
            let before = restructure().pred_opt().expect("a date");
            let _ = writeln!(map, "{},{name},,{}", old_name(name), before);
        }
    }
    files.push(("team-map.csv".into(), map.into_bytes()));

    let profiles = [
        ("payroll", PAYROLL_PROFILE, "payroll.csv"),
        ("staff", STAFF_PROFILE, "staff.xlsx"),
        ("agency", AGENCY_PROFILE, "agency.csv"),
        ("caseloads", CASELOAD_PROFILE, "caseloads.csv"),
        ("absences", ABSENCE_PROFILE, "absences.csv"),
        ("establishment", ESTABLISHMENT_PROFILE, "establishment.csv"),
    ];
    let mut imports = Vec::new();
    for (name, text, file) in profiles {
        files.push((format!("{name}.toml"), text.as_bytes().to_vec()));
        imports.push((format!("{name}.toml"), file.to_string()));
    }
    Ok(Exports { workforce: wf, files, imports })
}
