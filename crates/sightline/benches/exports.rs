//! Council exports (issue 14's targets; docs/performance.md): drafting a
//! profile from a 50,000-row HR spreadsheet (under 3 s), and importing a
//! 900,000-row payroll CSV through its profile into a new SQLite store
//! (under 20 s).
//!
//! cargo bench -p sightline --bench exports

use sightline_import::{Import, ImportOptions};
use sightline_ingest::profile::Profile;
use sightline_ingest::sheet::read_sheet;
use sightline_store::Store;
use sightline_synth::exports::PAYROLL_PROFILE;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

mod common;

fn main() {
    divan::main();
}

const TITLES: [&str; 6] = [
    "Head of Service",
    "Service Manager",
    "Team Manager",
    "Advanced Practitioner",
    "Social Worker",
    "Social Worker (non case holding)",
];
const REASONS: [&str; 4] = ["Resignation", "Retirement", "Transfer (internal)", "Other"];

/// A spreadsheet of 50,000 posts under a title, as an HR system exports it.
fn spreadsheet() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join("sightline-bench-staff-50k.xlsx");
        if !path.exists() {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "Children's Services staff extract").expect("cell");
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
                sheet.write_string(2, c as u16, *h).expect("cell");
            }
            let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
            for i in 0..50_000u32 {
                let r = i + 3;
                let day = |offset: u32| {
                    rust_xlsxwriter::ExcelDateTime::from_ymd(
                        2010 + (offset % 15) as u16,
                        1 + (offset % 12) as u8,
                        1 + (offset % 28) as u8,
                    )
                    .expect("a date")
                };
                sheet.write_string(r, 0, format!("B{:06}", i / 3)).expect("cell");
                sheet.write_string(r, 1, format!("SW{:010}", 400_000 + i / 3)).expect("cell");
                sheet.write_string(r, 2, ["Morgan", "Priya", "Kwame", "Aoife"][(i % 4) as usize]).expect("cell");
                sheet
                    .write_string(r, 3, ["Reid", "Sharma", "Mensah", "Walsh", "Chen"][(i % 5) as usize])
                    .expect("cell");
                sheet
                    .write_string(r, 4, format!("{:02}/{:02}/19{}", 1 + i % 28, 1 + i % 12, 60 + i % 40))
                    .expect("cell");
                sheet.write_string(r, 5, if i % 7 == 0 { "Fixed Term" } else { "Permanent" }).expect("cell");
                sheet.write_string(r, 6, format!("Team {}", i % 40)).expect("cell");
                sheet.write_string(r, 7, TITLES[(i % 6) as usize]).expect("cell");
                sheet.write_datetime_with_format(r, 8, day(i), &date).expect("cell");
                if i % 3 != 2 {
                    sheet.write_datetime_with_format(r, 9, day(i + 1), &date).expect("cell");
                    sheet.write_string(r, 12, REASONS[(i % 4) as usize]).expect("cell");
                }
                sheet.write_number(r, 10, [37.0, 30.0, 18.5][(i % 3) as usize]).expect("cell");
                sheet.write_number(r, 11, 37.0).expect("cell");
            }
            book.save(&path).expect("write the spreadsheet");
        }
        path
    })
}

/// A payroll export of 900,000 posts (225,000 people, four posts each), as
/// `sightline_synth::exports` writes the payroll: semicolons, UK dates, FTE %.
fn payroll() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join("sightline-bench-payroll-900k.csv");
        if !path.exists() {
            let mut text = String::with_capacity(150 * 900_000);
            text.push_str("Employee No;Post Ref;SWE Reg;Employee Name;Date of Birth;Contract;Cost Centre;Job Title;Post Start;Post End;FTE %;Salary £;Leaving Reason\r\n");
            for person in 0..225_000u32 {
                for post in 0..4u32 {
                    let year = 2010 + post * 3 + person % 3;
                    let (start, end) = (format!("{:02}/04/{year}", 1 + person % 28), format!("{:02}/03/{}", 1 + person % 28, year + 3));
                    let last = post == 3;
                    let _ = write!(
                        text,
                        "A{person:06};PR{person:06}{post};SW{:010};\"{}, {}\";{:02}/{:02}/{};{};Team {};{};{start};{};{};£{};{}\r\n",
                        400_000 + person,
                        ["Reid", "Sharma", "Mensah", "Walsh", "Chen", "Byrne", "Nowak"][(person % 7) as usize],
                        ["Morgan", "Priya", "Kwame", "Aoife", "Tomasz"][(person / 7 % 5) as usize],
                        1 + person % 28,
                        1 + person / 28 % 12,
                        1950 + person / 336 % 50,
                        if person % 7 == 0 { "Fixed Term (12 months)" } else { "Permanent" },
                        (person + post) % 40,
                        TITLES[((person + post) % 6) as usize],
                        if last && person % 2 == 0 { String::new() } else { end },
                        [100, 80, 60, 50][(person % 4) as usize],
                        42_000,
                        if last && person % 2 == 1 { REASONS[(person % 4) as usize] } else { "" },
                    );
                }
            }
            std::fs::write(&path, text.chars().map(|c| if c == '£' { 0xA3 } else { c as u8 }).collect::<Vec<u8>>())
                .expect("write the payroll");
        }
        path
    })
}

#[divan::bench(sample_count = 5)]
fn profile_suggest_on_50k_row_xlsx(b: divan::Bencher) {
    let file = spreadsheet();
    b.bench_local(|| {
        let sheet = read_sheet(file, None).expect("read");
        sightline_ingest::suggest::suggest(&sheet).len()
    });
}

#[divan::bench(sample_count = 3)]
fn import_900k_row_payroll_csv_into_new_sqlite_store(b: divan::Bencher) {
    let file = payroll();
    let profile = Profile::parse(PAYROLL_PROFILE).expect("profile");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    b.with_inputs(|| tempfile::tempdir().expect("temp dir")).bench_local_values(|db| {
        rt.block_on(async {
            let store = Store::open(db.path().join("bench.db").to_str().expect("path")).await.expect("open");
            let options = ImportOptions { source: "payroll", imported_by: "bench", ..Default::default() };
            store.import_export(file, &profile, PAYROLL_PROFILE, &options).await.expect("import")
        })
    });
}
