//! Sightline's schema check against an independent one: libxml2's
//! `xmllint` (Debian's libxml2-utils) judges the same documents with the
//! same XSD. Each document is a good return with one thing done to one
//! item of a worker record: left out, given twice, moved first, or given a
//! value that breaks (or keeps) its type. Both must agree on every one.

use sightline_csww::schema::Schema;
use std::process::Command;

const HEADER: &str = "<Header><CollectionDetails><Collection>CSWW</Collection><Year>2024</Year>\
<ReferenceDate>2024-09-30</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>839</LEA>\
<SoftwareCode>Test</SoftwareCode><DateTime>2024-10-15T09:00:00</DateTime></Source></Header>";

const VACANCIES: &str = "<LALevelVacancies><NumberOfVacancies>3.50</NumberOfVacancies><NoAgencyFTE>2.00</NoAgencyFTE>\
<NoAgencyHeadcount>2</NoAgencyHeadcount></LALevelVacancies>";

/// A worker record with every item, in the schema's order.
const ITEMS: [(&str, &str); 23] = [
    ("AgencyWorker", "0"),
    ("SWENo", "SW1234567890"),
    ("FTE", "0.8"),
    ("PersonBirthDate", "1980-02-29"),
    ("GenderCurrent", "1"),
    ("Ethnicity", "WBRI"),
    ("QualInst", "University of Leeds"),
    ("QualLevel", "2"),
    ("StepUpGrad", "0"),
    ("OrgRole", "6"),
    ("RoleStartDate", "2015-04-01"),
    ("StartOrigin", "3"),
    ("RoleEndDate", "2024-06-30"),
    ("LeaverDestination", "2"),
    ("ReasonLeave", "1"),
    ("FTE30", "0.8"),
    ("Cases30", "14"),
    ("WorkingDaysLost", "3.50"),
    ("ContractWeeks", "52.0"),
    ("FrontlineGrad", "0"),
    ("Absat30Sept", "1"),
    ("ReasonAbsence", "SIC"),
    ("CFKSSstatus", "2"),
];

fn document(items: &[(String, String)]) -> String {
    let worker: String = items.iter().map(|(n, v)| format!("\n<{n}>{v}</{n}>")).collect();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>{HEADER}{VACANCIES}\n<CSWWWorker>{worker}\n</CSWWWorker>\n</Message>\n")
}

fn variants() -> Vec<(String, String)> {
    let base: Vec<(String, String)> = ITEMS.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    let mut out = vec![("as it is".to_string(), document(&base))];
    let values =
        ["", "x", "-1", "1.5", "2", "7", "0.1234567", "1990-13-01", "2024-02-29Z", "sw1234567890", " 1 ", "01"];
    for (i, (name, _)) in base.iter().enumerate() {
        let mut gone = base.clone();
        gone.remove(i);
        out.push((format!("{name} left out"), document(&gone)));
        let mut twice = base.clone();
        twice.insert(i, base[i].clone());
        out.push((format!("{name} twice"), document(&twice)));
        let mut first = base.clone();
        let item = first.remove(i);
        first.insert(0, item);
        out.push((format!("{name} first"), document(&first)));
        for v in values {
            let mut changed = base.clone();
            changed[i].1 = v.to_string();
            out.push((format!("{name} = `{v}`"), document(&changed)));
        }
    }
    out.push(("a stranger".into(), document(&[base.clone(), vec![("Nickname".into(), "Jo".into())]].concat())));
    out.push(("empty".into(), document(&[])));
    out
}

#[test]
fn the_schema_check_agrees_with_xmllint_on_every_variant() {
    let schema = Schema::csww().unwrap();
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/csww.xsd");
    let dir = tempfile::tempdir().unwrap();
    let variants = variants();
    let mut invalid = 0;
    for (k, (what, xml)) in variants.iter().enumerate() {
        let file = dir.path().join(format!("v{k}.xml"));
        std::fs::write(&file, xml).unwrap();
        let out = Command::new("xmllint")
            .args(["--noout", "--schema", xsd, file.to_str().unwrap()])
            .output()
            .expect("xmllint (Debian's libxml2-utils) is the independent check");
        let theirs = out.status.success();
        let found = schema.validate(xml);
        assert_eq!(
            found.total == 0,
            theirs,
            "{what}: xmllint says {}, Sightline found {:?}",
            String::from_utf8_lossy(&out.stderr),
            found.violations
        );
        if !theirs {
            invalid += 1;
            // Whatever is wrong with the record, it is said of its worker
            // (unless its SWE number itself is what was changed).
            if !what.starts_with("SWENo") && what != "empty" {
                for v in &found.violations {
                    assert_eq!(v.worker.as_deref(), Some("SW1234567890"), "{what}: {v}");
                }
            }
        }
    }
    assert!(invalid > 150, "{invalid} of {} variants break the schema", variants.len());
}
