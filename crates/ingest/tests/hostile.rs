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
