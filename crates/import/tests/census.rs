//! Prior CSWW census returns become history: two years' returns, imported
//! out of order, give back the stocks and flows they report, and each
//! worker's records can be looked up by SWE number. Runs on SQLite, and on
//! PostgreSQL when `SIGHTLINE_TEST_PG` is set.

mod common;

use sightline_core::{indicators, Calendar, Period};
use sightline_import::{Import, ImportError, ImportOptions, ImportOutcome};
use sightline_ingest::Strictness;
use sightline_store::Store;
use std::path::Path;

/// One worker record: (agency, SWE, FTE30 or FTE, start, end, cases, days lost).
type Record<'a> = (bool, &'a str, f64, Option<&'a str>, Option<&'a str>, Option<u32>, Option<f64>);

fn census_xml(year: i32, vacancies: f64, workers: &[Record<'_>]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails><Collection>CSWW</Collection>\
<Year>{year}</Year><ReferenceDate>{year}-09-30</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>\
<LEA>839</LEA><SoftwareCode>Test</SoftwareCode><DateTime>{year}-10-15T09:00:00</DateTime></Source></Header>\n\
<LALevelVacancies><NumberOfVacancies>{vacancies:.2}</NumberOfVacancies><NoAgencyFTE>1.00</NoAgencyFTE>\
<NoAgencyHeadcount>1</NoAgencyHeadcount></LALevelVacancies>\n"
    );
    for (agency, swe, fte, start, end, cases, days) in workers {
        xml.push_str(&format!("<CSWWWorker>\n<AgencyWorker>{}</AgencyWorker><SWENo>{swe}</SWENo>", u8::from(*agency)));
        if *agency || end.is_some() {
            xml.push_str(&format!("<FTE>{fte}</FTE>"));
        }
        if !agency {
            xml.push_str("<PersonBirthDate>1988-06-01</PersonBirthDate><GenderCurrent>2</GenderCurrent><Ethnicity>WBRI</Ethnicity><QualInst>UEA</QualInst><StepUpGrad>0</StepUpGrad>");
        } else {
            xml.push_str("<QualInst>Open University</QualInst>");
        }
        xml.push_str("<OrgRole>5</OrgRole>");
        if let Some(s) = start {
            xml.push_str(&format!("<RoleStartDate>{s}</RoleStartDate><StartOrigin>2</StartOrigin>"));
        }
        if let Some(e) = end {
            xml.push_str(&format!(
                "<RoleEndDate>{e}</RoleEndDate><LeaverDestination>1</LeaverDestination><ReasonLeave>1</ReasonLeave>"
            ));
        } else if !agency {
            xml.push_str(&format!("<FTE30>{fte}</FTE30>"));
        }
        if let Some(c) = cases {
            xml.push_str(&format!("<Cases30>{c}</Cases30>"));
        }
        if let Some(d) = days {
            xml.push_str(&format!("<WorkingDaysLost>{d:.2}</WorkingDaysLost>"));
        }
        xml.push_str("\n</CSWWWorker>\n");
    }
    xml.push_str("</Message>\n");
    xml
}

async fn import(
    store: &Store,
    path: &Path,
    strictness: Strictness,
) -> Result<(ImportOutcome, Vec<String>), ImportError> {
    let options = ImportOptions { source: "csww", imported_by: "tester", strictness, ..Default::default() };
    store.import_census(path, &options).await
}

async fn story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let y2023 = dir.path().join("csww-2023.xml");
    let y2024 = dir.path().join("csww-2024.xml");
    std::fs::write(
        &y2023,
        census_xml(
            2023,
            3.0,
            &[
                (false, "SW1000000001", 1.0, Some("2017-04-03"), None, Some(18), Some(6.0)),
                (false, "SW1000000002", 0.6, Some("2020-09-01"), None, Some(12), None),
                (false, "SW1000000003", 1.0, Some("2016-01-04"), Some("2023-06-30"), None, Some(2.5)),
                (true, "SW1000000009", 1.0, None, None, Some(20), None),
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        &y2024,
        census_xml(
            2024,
            2.5,
            &[
                (false, "SW1000000001", 0.8, Some("2017-04-03"), None, Some(15), Some(11.0)),
                (false, "SW1000000004", 1.0, Some("2024-01-08"), None, Some(9), None),
                (true, "SW1000000009", 1.0, None, None, Some(21), None),
            ],
        ),
    )
    .unwrap();
    let store = Store::open(url).await.unwrap();
    // The later year first: the earlier one, arriving second, joins up with it.
    let (first, _) = import(&store, &y2024, Strictness::Strict).await.unwrap();
    assert!(matches!(first, ImportOutcome::Imported { .. }));
    let (second, notes) = import(&store, &y2023, Strictness::Strict).await.unwrap();
    assert!(matches!(second, ImportOutcome::Imported { .. }));
    assert_eq!(notes.len(), 1, "SW1000000002 is missing from 2024: {notes:?}");

    let wf = store.load_workforce().await.unwrap();
    let calendar = Calendar::england_and_wales();
    let i23 = indicators(&wf, &calendar, Period::census_year(2023)).rounded();
    assert_eq!((i23.inpost_fte, i23.inpost_headcount, i23.leavers_fte, i23.agency_fte), (1.6, 2, 1.0, 1.0));
    assert_eq!((i23.vacancy_fte, i23.cases, i23.working_days_lost_fte), (Some(3.0), 50, 6.0));
    let i24 = indicators(&wf, &calendar, Period::census_year(2024)).rounded();
    assert_eq!((i24.inpost_fte, i24.starters_fte, i24.leavers_fte), (1.8, 1.0, 0.6));
    assert_eq!((i24.vacancy_fte, i24.cases, i24.working_days_lost_fte), (Some(2.5), 45, 11.0));

    // Each worker's census records are history, found by SWE number.
    let history = store.person_history("SW1000000001").await.unwrap().expect("a census worker");
    assert_eq!(history.summary.person.birth_date, "1988-06-01".parse().ok());
    let spells: Vec<_> = history.facts.iter().filter(|f| f.what == "post").collect();
    assert_eq!(spells.len(), 2, "FTE 1.0 to September 2023, then 0.8");
    assert!(spells.iter().all(|f| f.source == "csww"));
    assert_eq!(history.facts.iter().filter(|f| f.what == "caseload").count(), 2);

    // The same return again changes nothing; a return with a bad item changes nothing and names it.
    let counts = store.row_counts().await.unwrap();
    assert!(matches!(import(&store, &y2023, Strictness::Strict).await.unwrap().0, ImportOutcome::Unchanged { .. }));
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        std::fs::read_to_string(&y2024).unwrap().replacen("<OrgRole>5</OrgRole>", "<OrgRole>8</OrgRole>", 1),
    )
    .unwrap();
    match import(&store, &bad, Strictness::Strict).await {
        Err(ImportError::InvalidRows(problems)) => {
            assert_eq!((problems[0].column.as_str(), problems[0].value.as_str()), ("CSWWWorker/OrgRole", "8"));
            assert_eq!(problems[0].line, 6);
        }
        other => panic!("a bad item must stop the import: {other:?}"),
    }
    assert_eq!(store.row_counts().await.unwrap(), counts);
}

#[tokio::test]
async fn census_returns_become_history_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(dir.path().join("sightline.db").to_str().unwrap()).await;
}

#[tokio::test]
async fn census_returns_become_history_on_postgres() {
    let Some(db) = common::postgres("census").await else { return };
    story(&db.url).await;
    db.drop().await;
}
