//! Whatever bytes arrive, every reader answers with data or a named error,
//! never a panic: CSV exports through a profile (and drafting a profile
//! from them), canonical folders, spreadsheets, census returns and the
//! TOML of profiles. Property tests over arbitrary and near-valid input,
//! bounded in cases so that CI stays quick.

use proptest::prelude::*;
use sightline_ingest::profile::{read_export, Profile};
use sightline_ingest::sheet::{read_csv_with, read_sheet};
use sightline_ingest::{read_dir, Strictness};

const PROFILE: &str = r#"
kind = "hr"
date_format = "dd/mm/yyyy"
[columns]
person_id = "Id"
post_id = "Post"
swe_no = "SWE"
full_name = "Name"
team = "Team"
org_role = "Role"
start_date = "Start"
end_date = "End"
fte_percent = "FTE %"
reason_leave = "Reason"
[codes.org_role]
5 = ["Social Worker*"]
6 = ["*"]
[codes.reason_leave]
1 = ["Resigned"]
9 = ["*"]
[defaults]
contract = "permanent"
"#;

/// Fields that are nearly what an export holds, and the awkward rest.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("31/03/2024".to_string()),
        Just("29/02/2023".to_string()),
        Just("0".to_string()),
        Just("100".to_string()),
        Just("1e308".to_string()),
        Just("-5".to_string()),
        Just("NaN".to_string()),
        Just("SW0012345".to_string()),
        Just("Social Worker".to_string()),
        Just("Total".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just("\"line\nbreak\"".to_string()),
        Just("MA\u{0}SH".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("£".to_string()),
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(20).collect()),
    ]
}

fn export() -> impl Strategy<Value = String> {
    let header = "Id,Post,SWE,Name,Team,Role,Start,End,FTE %,Reason";
    proptest::collection::vec(proptest::collection::vec(field(), 0..12), 0..12).prop_map(move |rows| {
        let mut text = format!("{header}\n");
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_an_export_are_read_or_named(bytes in proptest::collection::vec(any::<u8>(), 0..2048), semicolons in any::<bool>()) {
        let profile = Profile::parse(PROFILE).unwrap();
        if let Ok(sheet) = read_csv_with("x.csv", &bytes, semicolons.then_some(b';')) {
            let _ = sightline_ingest::suggest::suggest(&sheet);
            let _ = read_export(&sheet, &profile, Strictness::Lenient);
            let _ = read_export(&sheet, &profile, Strictness::Strict);
        }
    }

    #[test]
    fn near_valid_exports_are_read_or_named(text in export()) {
        let profile = Profile::parse(PROFILE).unwrap();
        if let Ok(sheet) = read_csv_with("x.csv", text.as_bytes(), None) {
            let _ = sightline_ingest::suggest::suggest(&sheet);
            if let Ok(data) = read_export(&sheet, &profile, Strictness::Lenient) {
                for s in data.workforce.spells() {
                    prop_assert!(s.fte > 0.0 && s.fte <= 1.0);
                }
            }
        }
    }

    #[test]
    fn any_text_as_a_profile_or_census_return_is_read_or_named(text in any::<String>()) {
        let _ = Profile::parse(&text);
        let _ = sightline_csww::read(&text);
        let worker = format!("<Message><Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header><CSWWWorker>{text}</CSWWWorker></Message>");
        let _ = sightline_csww::read(&worker);
        // The schema check reads anything, and finds what is wrong with it.
        let schema = sightline_csww::schema::Schema::csww().unwrap();
        prop_assert!(schema.validate(&text).total > 0 || text.contains("<Message"));
        let _ = sightline_csww::check_document(&worker);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_a_spreadsheet_or_canonical_folder_are_read_or_named(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.xlsx");
        std::fs::write(&file, &bytes).unwrap();
        let _ = read_sheet(&file, None);
        std::fs::write(dir.path().join("spells.csv"), &bytes).unwrap();
        let _ = read_dir(dir.path(), Strictness::Lenient);
        let _ = read_dir(dir.path(), Strictness::Strict);
    }
}

/// A field that is mostly one of `valid` and sometimes one of `awkward`.
fn mostly(valid: &'static [&'static str], awkward: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        6 => proptest::sample::select(valid).prop_map(str::to_string),
        1 => proptest::sample::select(awkward).prop_map(str::to_string),
    ]
    .boxed()
}

/// Rows of the four largest canonical files, nearly as Sightline writes
/// them: known and unknown people, awkward dates, codes and numbers, SWE
/// numbers that agree or not. Each row is its fields in the canonical column
/// order, and whether it ends in CR LF.
fn near_canonical_rows(file: &'static str) -> impl Strategy<Value = Vec<(Vec<String>, bool)>> {
    let id = mostly(
        &["P1", "P2", "P1", "P2", "Q9", "P0000123", "PERSON-000000000000000000000000000000001"],
        &[" P1", "P2 ", "", "P\u{1}1", "P\u{85}1", "PERSON-000000000000000000000000000000002", "P0000124"],
    );
    let date = || {
        mostly(
            &["2024-01-31", "2024-03-01", "2023-06-30", "1970-01-01"],
            &["2024-02-30", "2024-1-31", " 2024-01-31", "", "31/01/2024", "\0\0\0\0\0\0\0\0\0\0"],
        )
    };
    let fields = match file {
        "absences.csv" => {
            let reason = mostly(&["SIC", "MAT", "OTH"], &["sic", "XXX", "SI", "SICK", "", " SIC"]);
            let days = mostly(
                &["", "3", "2.5", "0012"],
                &["1.2.3", ".", "1.", ".5", "1e3", "-1", " 4", "99999999999999999999999999999999999999"],
            );
            (id, date(), date(), reason, days).prop_map(|(a, b, c, d, e)| vec![a, b, c, d, e]).boxed()
        }
        "people.csv" => {
            let swe = mostly(&["", "SW123", "SW124"], &["S1", " SW123", "sw9"]);
            let gender = mostly(&["", "1", "2", "9"], &["3", "x", "1.0", " 1"]);
            let ethnicity = mostly(&["", "WBRI", "OOTH"], &["wbri", "XXXX", " WBRI"]);
            let route = mostly(&["", "postgraduate", "frontline"], &["Frontline", "x"]);
            (id, swe, date(), gender, ethnicity, date(), route)
                .prop_map(|(a, b, c, d, e, f, g)| vec![a, b, c, d, e, f, g])
                .boxed()
        }
        "caseloads.csv" => {
            let cases = mostly(&["0", "12", "007", "999999999"], &["3.0", "1234567890", "-1", "", " 5", "x"]);
            (id, date(), cases).prop_map(|(a, b, c)| vec![a, b, c]).boxed()
        }
        _ => {
            let swe = mostly(&["", "SW123", "SW124"], &["S1", "sw9", " SW123", "SW", "SW12a"]);
            let kind = mostly(&["permanent", "agency", "fixed_term"], &["Agency", "", " agency"]);
            let team = mostly(&["MASH", "Team A"], &[" MASH", "", "T\u{7f}", "Équipe"]);
            let role = mostly(&["5", "6", "5.0"], &["7", "", "x", "05"]);
            let fte = mostly(&["1", "0.5", "0.75"], &["0", "1.5", "NaN", "", " 1", "1e0", "-0.5"]);
            let reason = mostly(&["", "", "1", "10"], &["11", "3.0", "x", "0"]);
            let destination = mostly(&["", "", "9", "2"], &["0", "10", "x"]);
            let rate = mostly(&["", "", "650.5", "0"], &["-1", "-0", "inf", "x"]);
            let first = (id, swe, kind, team, role, date());
            let rest = (date(), fte, reason, destination, rate);
            (first, rest)
                .prop_map(|((a, b, c, d, e, f), (g, h, i, j, k))| vec![a, b, c, d, e, f, g, h, i, j, k])
                .boxed()
        }
    };
    proptest::collection::vec((fields, any::<bool>()), 0..40)
}

/// A folder with known people P1, P2 and two with longer identifiers, and `rows` in `file`, with its
/// columns in the canonical order or, `shuffled`, in another order.
fn folder_with(file: &str, header: &[&str], rows: &[(Vec<String>, bool)], shuffled: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spells = "person_id,kind,team,org_role,start_date,fte\nP1,permanent,MASH,5,2020-01-01,1\nP2,agency,MASH,5,2020-01-01,1\n\
        P0000123,permanent,MASH,5,2020-01-01,1\nPERSON-000000000000000000000000000000001,agency,MASH,5,2020-01-01,1\n";
    std::fs::write(dir.path().join("spells.csv"), spells).unwrap();
    let order: Vec<usize> = if shuffled { (0..header.len()).rev().collect() } else { (0..header.len()).collect() };
    let line = |fields: Vec<&str>| order.iter().map(|i| fields[*i]).collect::<Vec<_>>().join(",");
    let mut text = line(header.to_vec()) + "\n";
    for (k, (fields, crlf)) in rows.iter().enumerate() {
        text.push_str(&line(fields.iter().map(String::as_str).collect()));
        text.push_str(if *crlf { "\r\n" } else { "\n" });
        if k % 7 == 3 {
            text.push('\n');
        }
    }
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The lean readers of spells, people, absences and caseloads (used when a
    /// file's columns are exactly as Sightline writes them) give the same
    /// people, rows and named problems as the full reader (used for any
    /// other order).
    #[test]
    fn the_lean_readers_read_as_the_full_reader_does(
        spells in near_canonical_rows("spells.csv"),
        people in near_canonical_rows("people.csv"),
        absences in near_canonical_rows("absences.csv"),
        caseloads in near_canonical_rows("caseloads.csv"),
    ) {
        let spell_columns = [
            "person_id", "swe_no", "kind", "team", "org_role", "start_date", "end_date", "fte", "reason_leave",
            "leaver_destination", "charge_rate",
        ];
        for (file, header, rows) in [
            ("spells.csv", &spell_columns[..], &spells),
            (
                "people.csv",
                &["person_id", "swe_no", "birth_date", "gender", "ethnicity", "qualification_date", "qualification_route"][..],
                &people,
            ),
            ("absences.csv", &["person_id", "start_date", "end_date", "reason", "days_lost"][..], &absences),
            ("caseloads.csv", &["person_id", "date", "cases"][..], &caseloads),
        ] {
            let read = |shuffled| {
                let dir = folder_with(file, header, rows, shuffled);
                let loaded = read_dir(dir.path(), Strictness::Lenient).unwrap();
                (format!("{:?}", loaded.workforce), loaded.skipped)
            };
            let (lean, full) = (read(false), read(true));
            prop_assert_eq!(&lean.0, &full.0);
            prop_assert_eq!(lean.1, full.1);
        }
    }
}
