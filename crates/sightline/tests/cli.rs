//! The command line as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline")).args(args).output().expect("run sightline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn synth(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["synth", "--out", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = sightline(&all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn bcp_2021_prints_turnover_and_vacancy_as_dfe_published() {
    let dir = tempfile::tempdir().unwrap();
    let o = synth(dir.path(), &["--la", "Bournemouth, Christchurch and Poole", "--years", "2021"]);
    assert!(stdout(&o).contains("Every one of the 22 published figures is reproduced"), "{}", stdout(&o));
    let d = dir.path().to_str().unwrap();
    let v = json(&sightline(&["indicators", "--data", d, "--year", "2021", "--format", "json"]));
    assert_eq!(v["time_period"], 2021);
    assert_eq!(v["turnover_rate_fte"], 36.0);
    assert_eq!(v["vacancy_rate_fte"], 27.2);
    assert_eq!(v["inpost_headcount"], 223);
    let table = stdout(&sightline(&["indicators", "--data", d, "--year", "2021"]));
    assert!(table.contains("Turnover rate (FTE) %") && table.contains("36.0"), "{table}");
}

#[test]
fn years_give_an_array_and_by_team_gives_groups() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), &["--people", "60", "--years", "2022-2024", "--seed", "3"]);
    let d = dir.path().to_str().unwrap();
    let years = json(&sightline(&["indicators", "--data", d, "--years", "2022-2024", "--format", "json"]));
    let years = years.as_array().expect("an array");
    assert_eq!(years.iter().map(|y| y["time_period"].as_i64().unwrap()).collect::<Vec<_>>(), [2022, 2023, 2024]);
    let teams = json(&sightline(&["indicators", "--data", d, "--year", "2024", "--by", "team", "--format", "json"]));
    let teams = teams.as_array().expect("an array");
    assert_eq!(teams.len(), 8);
    assert!(teams.iter().all(|t| t["group"].is_string() && t.get("moves_in_headcount").is_some()));
    let roles =
        json(&sightline(&["indicators", "--data", d, "--year", "2024", "--by", "org_role", "--format", "json"]));
    let roles: Vec<&str> = roles.as_array().unwrap().iter().map(|r| r["group"].as_str().unwrap()).collect();
    assert_eq!(roles, ["1", "2", "3", "4", "5", "6"]);
    let as_of = json(&sightline(&["indicators", "--data", d, "--as-of", "2024-03-31", "--format", "json"]));
    assert_eq!(as_of["time_period"], "2024-03-31");
    assert_eq!(as_of["period_start"], "2023-04-01");
    let csv = stdout(&sightline(&["indicators", "--data", d, "--monthly", "2024-01..2024-03", "--format", "csv"]));
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("time_period,period_start,period_end,inpost_fte,"));
}

#[test]
fn the_same_seed_gives_the_same_files() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    synth(a.path(), &["--people", "40", "--years", "2023", "--seed", "9"]);
    synth(b.path(), &["--people", "40", "--years", "2023", "--seed", "9"]);
    for f in ["spells.csv", "people.csv", "absences.csv", "caseloads.csv", "establishment.csv"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
    }
}

#[test]
fn invalid_data_stops_with_the_problems_unless_lenient() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("spells.csv"),
        "person_id,kind,team,org_role,start_date,fte\na,permanent,MASH,5,2023-01-01,1\nb,permanent,MASH,5,01/02/2023,1\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let strict = sightline(&["indicators", "--data", d, "--year", "2023", "--format", "json"]);
    assert!(!strict.status.success());
    assert!(strict.stdout.is_empty(), "nothing is computed from invalid data");
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("spells.csv line 3, column `start_date`, value `01/02/2023`"), "{err}");
    let lenient = sightline(&["indicators", "--data", d, "--year", "2023", "--format", "json", "--lenient"]);
    assert_eq!(json(&lenient)["inpost_headcount"], 1);
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("skipped: spells.csv line 3"));
}

#[test]
fn an_unknown_or_reorganised_authority_gets_suggestions() {
    let o = sightline(&["synth", "--la", "Christchurch", "--years", "2021", "--out", "/nonexistent/x"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Did you mean: Bournemouth, Christchurch and Poole?"), "{err}");
    let o = sightline(&["synth", "--la", "Bournemouth", "--years", "2021", "--out", "/nonexistent/x"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("only for 2017, 2018") && err.contains("Bournemouth, Christchurch and Poole"), "{err}");
}

#[test]
fn an_own_calendar_changes_working_days() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("spells.csv"),
        "person_id,kind,team,org_role,start_date,fte\na,permanent,MASH,5,2020-01-01,1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("absences.csv"),
        "person_id,start_date,end_date,reason\na,2023-12-25,2023-12-29,SIC\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("closures.csv"), "date\n2023-12-27\n").unwrap();
    let d = dir.path().to_str().unwrap();
    let bank = json(&sightline(&["indicators", "--data", d, "--year", "2024", "--format", "json"]));
    assert_eq!(bank["working_days_lost_fte"], 3.0, "25 and 26 December are bank holidays");
    let cal = dir.path().join("closures.csv");
    let own = json(&sightline(&[
        "indicators",
        "--data",
        d,
        "--year",
        "2024",
        "--format",
        "json",
        "--calendar",
        cal.to_str().unwrap(),
    ]));
    assert_eq!(own["working_days_lost_fte"], 4.0);
}

#[test]
fn synthetic_data_never_overwrites_other_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spells.csv"), "real data\n").unwrap();
    let o = sightline(&["synth", "--people", "20", "--years", "2024", "--out", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was written"));
    assert_eq!(std::fs::read_to_string(dir.path().join("spells.csv")).unwrap(), "real data\n");
    // A folder synth made before may be made again.
    let made = tempfile::tempdir().unwrap();
    synth(made.path(), &["--people", "20", "--years", "2024"]);
    synth(made.path(), &["--people", "20", "--years", "2024", "--seed", "2"]);
}

#[test]
fn figures_from_the_store_are_the_figures_from_the_files() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), &["--people", "50", "--years", "2022-2024", "--seed", "4"]);
    let d = dir.path().to_str().unwrap();
    let db = tempfile::tempdir().unwrap();
    let url = db.path().join("sightline.db");
    let url = url.to_str().unwrap();
    let first = sightline(&["import", "--db", url, d]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("as batch 1"));
    assert!(stdout(&sightline(&["import", "--db", url, d])).contains("Nothing to import"));
    let from_files = stdout(&sightline(&["indicators", "--data", d, "--years", "2022-2024", "--format", "csv"]));
    let from_store = stdout(&sightline(&["indicators", "--db", url, "--years", "2022-2024", "--format", "csv"]));
    assert_eq!(from_files, from_store);
}

#[test]
fn shipped_profiles_import_their_example_exports_and_join_on_employee_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    for name in ["hr-assignments", "caseload-cms", "absence-episodes", "agency-msp", "establishment-finance"] {
        let file = format!("{examples}/{name}.csv");
        let o = sightline(&["import", "--db", db, "--profile", name, &file]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(stdout(&o).contains("Imported"), "{}", stdout(&o));
    }
    // The caseload and absence reports name the HR employee number: one person.
    let shown = stdout(&sightline(&["people", "show", "--db", db, "100231"]));
    assert!(shown.contains("Amara Okafor") && shown.contains("SWE SW0000104417"), "{shown}");
    assert!(shown.contains("cms: u.okafor") && shown.contains("hr: 100231"), "{shown}");
    assert!(shown.contains("19 cases (weighted 23)") && shown.contains("SIC, 5 days lost"), "{shown}");
    let batches = stdout(&sightline(&["batches", "--db", db]));
    assert_eq!(batches.matches("batch ").count(), 5, "{batches}");
    // A file without a profile is refused with the way forward.
    let o = sightline(&["import", "--db", db, &format!("{examples}/hr-staff-list.csv")]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("profile suggest"));
}

#[test]
fn profile_suggest_drafts_a_profile_that_a_person_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    let draft = dir.path().join("draft.toml");
    let file = format!("{examples}/hr-staff-list.csv");
    let o = sightline(&["profile", "suggest", &file, "--out", draft.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("kind = \"hr\"") && text.contains("date_format = \"iso\""), "{text}");
    // Never overwritten.
    assert!(!sightline(&["profile", "suggest", &file, "--out", draft.to_str().unwrap()]).status.success());
    let db = dir.path().join("s.db");
    let o =
        sightline(&["import", "--db", db.to_str().unwrap(), "--profile", draft.to_str().unwrap(), "--dry-run", &file]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("3 rows added"), "{}", stdout(&o));
    assert!(!db.exists(), "a dry run creates no store");
}

#[test]
fn an_import_with_invalid_rows_says_nothing_was_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    let text = std::fs::read_to_string(format!("{examples}/hr-staff-list.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1] = lines[1].replacen("2019", "20x9", 1);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let o = sightline(&["import", "--db", db.to_str().unwrap(), "--profile", "hr-staff-list", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nothing was imported") && err.contains("20x9"), "{err}");
}

#[test]
fn an_incomplete_picture_is_said_after_the_import_and_by_data_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    let o = sightline(&["import", "--db", db, "--profile", "hr-staff-list", &format!("{examples}/hr-staff-list.csv")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("Child Protection has 1.0 FTE in post but no establishment"), "{}", stdout(&o));
    let o = sightline(&["data", "check", "--db", db]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("no establishment, so its vacancies read 0"), "{}", stdout(&o));
    let o = sightline(&["data", "check", "--db", db, "--date", "not-a-date"]);
    assert!(!o.status.success());
}

#[test]
fn two_systems_that_disagree_on_a_start_date_are_reported_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    let a = format!("{examples}/hr-staff-list.csv");
    // The second system has the same people under other ids, one starting later.
    let b = dir.path().join("other.csv");
    let text = std::fs::read_to_string(&a).unwrap().replace("S-0", "T-0").replace("2019-06-03", "2019-07-01");
    std::fs::write(&b, text).unwrap();
    for (file, source) in [(a.as_str(), "hr-a"), (b.to_str().unwrap(), "hr-b")] {
        let o = sightline(&["import", "--db", db, "--profile", "hr-staff-list", "--source", source, file]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let listed = stdout(&sightline(&["people", "conflicts", "--db", db]));
    assert!(listed.starts_with("3 overlaps"), "{listed}");
    assert!(listed.contains("`hr-a` says 3 June 2019 to open, `hr-b` kept for 1 July 2019 to open"), "{listed}");
    let v = json(&sightline(&["indicators", "--db", db, "--year", "2024", "--format", "json"]));
    assert_eq!(v["inpost_headcount"], 2, "each person counted once");
    assert_eq!(v["inpost_fte"], 1.6);

    // A third system holds a part-time post of Reid's in another team: a
    // concurrent post, counted as well as the first, and listed.
    let c = dir.path().join("third.csv");
    std::fs::write(
        &c,
        "Staff ID,SWE Number,Name,DOB,Employment Type,Team,Role,Start Date,Leaving Date,FTE,Reason for Leaving\n\
U-1,SW0000411123,\"Reid, Morgan\",1984-05-19,Permanent,Court Team,Case holder,2023-01-02,,0.2,\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", "hr-staff-list", "--source", "hr-c", c.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = stdout(&sightline(&["people", "conflicts", "--db", db]));
    assert!(
        listed.contains(
            "(concurrent posts): `hr-c` and `hr-b` record different posts, both counted for 2 January 2023 to open"
        ),
        "{listed}"
    );
    let v = json(&sightline(&["indicators", "--db", db, "--year", "2024", "--format", "json"]));
    assert_eq!((v["inpost_headcount"].as_u64(), v["inpost_fte"].as_f64()), (Some(2), Some(1.8)));
}

/// One HTTP/1.1 request over a plain socket; the response as text.
fn http(address: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn header_value<'r>(response: &'r str, name: &str) -> Vec<&'r str> {
    response
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn the_run_command_serves_a_populated_dashboard_with_a_fresh_admin_password() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["demo", "--out", out.to_str().unwrap(), "--bind", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut address, mut password) = (None, None);
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Sightline is running at http://") {
            address = Some(rest.trim_end_matches('/').to_string());
        }
        if let Some(rest) = line.split("with the password: ").nth(1) {
            password = Some(rest.trim().to_string());
            break;
        }
    }
    let (address, password) = (address.expect("an address"), password.expect("a password"));
    let login = http(&address, "GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let csrf = header_value(&login, "set-cookie")[0].split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let form = format!("name=admin&password={password}&csrf={csrf}&next=%2F");
    let posted = http(
        &address,
        &format!(
            "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: sightline_login={csrf}\r\n\
Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    );
    assert!(posted.starts_with("HTTP/1.1 303"), "{posted}");
    let session = header_value(&posted, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("sightline_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let overview =
        http(&address, &format!("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {session}\r\n\r\n"));
    let teams =
        http(&address, &format!("GET /teams HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {session}\r\n\r\n"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(overview.starts_with("HTTP/1.1 200"), "{overview}");
    assert!(overview.contains("Turnover rate (FTE) %") && overview.contains("<svg"), "{overview}");
    assert!(teams.contains("Assessment"), "the demo's teams are listed: {teams}");
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line_and_audited() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    synth(&dir.path().join("data"), &["--people", "40", "--years", "2024"]);
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    assert!(sightline(&["import", "--db", db, dir.path().join("data").to_str().unwrap()]).status.success());
    let add = |args: &[&str], password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sightline"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let o =
        add(&["user", "add", "--db", db, "lee", "--role", "manager", "--teams", "No Such Team"], "a long password\n");
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no team called"));
    let o = add(&["user", "add", "--db", db, "lee", "--role", "hr"], "short\n");
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("12 characters"));
    let o = add(&["user", "add", "--db", db, "lee", "--role", "hr"], "a long password\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = stdout(&sightline(&["user", "list", "--db", db]));
    assert!(listed.contains("lee") && listed.contains("hr"), "{listed}");
    let o = sightline(&["token", "create", "--db", db, "--user", "lee", "--label", "BI"]);
    let token = stdout(&o);
    assert_eq!(token.trim().len(), 64, "the token alone: {token}");
    assert!(stdout(&sightline(&["token", "list", "--db", db])).contains("BI"));
    assert!(sightline(&["token", "revoke", "--db", db, "1"]).status.success());
    assert!(stdout(&sightline(&["token", "list", "--db", db])).contains("revoked"));
    assert!(sightline(&["user", "remove", "--db", db, "lee"]).status.success());
    assert!(!stdout(&sightline(&["user", "list", "--db", db])).contains("lee"));
    let log = stdout(&sightline(&["audit", "--db", db]));
    for action in ["add user", "create token", "revoke token", "remove user"] {
        assert!(log.contains(action), "{action}: {log}");
    }
}

#[test]
fn the_census_return_is_valid_and_imports_back_to_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--people", "120", "--years", "2023-2024"]);
    let db = dir.path().join("s.db");
    assert!(sightline(&["import", "--db", db.to_str().unwrap(), data.to_str().unwrap()]).status.success());
    let xml = dir.path().join("csww-2024.xml");
    let args =
        ["census", "--db", db.to_str().unwrap(), "--year", "2024", "--lea", "839", "--out", xml.to_str().unwrap()];
    let o = sightline(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("worker records"), "{}", stdout(&o));
    assert!(!sightline(&args).status.success(), "an existing return is never overwritten");
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../csww/schema/csww.xsd");
    let lint =
        Command::new("xmllint").args(["--noout", "--schema", schema, xml.to_str().unwrap()]).output().expect("xmllint");
    assert!(lint.status.success(), "{}", String::from_utf8_lossy(&lint.stderr));
    // Imported into an empty store, the return gives back the figures it came from.
    let back = dir.path().join("back.db");
    let o = sightline(&["import", "--db", back.to_str().unwrap(), xml.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let figures = |db: &std::path::Path| {
        json(&sightline(&["indicators", "--db", db.to_str().unwrap(), "--year", "2024", "--format", "json"]))
    };
    let (a, b) = (figures(&db), figures(&back));
    for f in [
        "inpost_fte",
        "inpost_headcount",
        "starters_fte",
        "leavers_fte",
        "leavers_headcount",
        "turnover_rate_fte",
        "agency_fte",
        "cases",
        "caseload_fte",
    ] {
        assert_eq!(a[f], b[f], "{f}");
    }
    // The return holds vacancies to 2 decimal places: once rounded to 1, they may differ by 0.1.
    let (va, vb) = (a["vacancy_fte"].as_f64().unwrap(), b["vacancy_fte"].as_f64().unwrap());
    assert!((va - vb).abs() <= 0.1 + 1e-9, "vacancy_fte {va} {vb}");
    let log = stdout(&sightline(&["audit", "--db", db.to_str().unwrap()]));
    assert!(log.contains("census return"), "{log}");
    // Its own checks pass (warnings only); planted errors are each named with the worker.
    let o = sightline(&["census", "check", xml.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(" 0 errors"), "{}", stdout(&o));
    let text = std::fs::read_to_string(&xml).unwrap();
    let first = text.lines().find(|l| l.contains("<AgencyWorker>0</AgencyWorker>") && l.contains("<FTE30>")).unwrap();
    let swe = first.split("<SWENo>").nth(1).unwrap().split('<').next().unwrap();
    let birth = &first[first.find("<PersonBirthDate>").unwrap()..first.find("</PersonBirthDate>").unwrap() + 18];
    let other = text.lines().filter(|l| *l != first && l.contains("<OrgRole>5</OrgRole>")).nth(1).unwrap();
    let planted = text.replacen(first, &first.replacen(birth, "", 1), 1).replacen(
        other,
        &other.replacen("<OrgRole>5</OrgRole>", "<OrgRole>9</OrgRole>", 1),
        1,
    );
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, planted).unwrap();
    let o = sightline(&["census", "check", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let report = stdout(&o);
    assert!(
        report.contains(&format!("CSWW03 error worker {swe}")) && report.contains("missing PersonBirthDate"),
        "{report}"
    );
    assert!(report.contains("CSWW01 error") && report.contains("<CSWWWorker/OrgRole> `9`"), "{report}");
    // A pseudonymised extract: no SWE number or full birth date of the return is in it.
    let key = dir.path().join("partnership.key");
    assert!(sightline(&["census", "new-key", key.to_str().unwrap()]).status.success());
    let extract = dir.path().join("extract.xml");
    let o = sightline(&[
        "census",
        "extract",
        xml.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
        "--out",
        extract.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copy = std::fs::read_to_string(&extract).unwrap();
    assert!(!copy.contains(swe) && copy.contains("<SWENo>PS"));
    let birth_date = birth.trim_start_matches("<PersonBirthDate>").trim_end_matches("</PersonBirthDate>");
    if !birth_date.ends_with("-01") {
        assert!(!copy.contains(birth), "birth dates are cut to the month");
    }
    let lint =
        Command::new("xmllint").args(["--noout", "--schema", schema, extract.to_str().unwrap()]).output().unwrap();
    assert!(lint.status.success(), "{}", String::from_utf8_lossy(&lint.stderr));
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(!copy.contains(key_text.trim()), "the key is never in the file");
    // The year-on-year review sets the return beside last year's and flags swings.
    let last = dir.path().join("csww-2023.xml");
    let args =
        ["census", "--db", db.to_str().unwrap(), "--year", "2023", "--lea", "839", "--out", last.to_str().unwrap()];
    assert!(sightline(&args).status.success());
    let report = dir.path().join("review.html");
    let o = sightline(&[
        "census",
        "review",
        xml.to_str().unwrap(),
        "--previous",
        last.to_str().unwrap(),
        "--threshold",
        "0",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("<th scope=\"col\">2023</th><th scope=\"col\">2024</th>"), "{html}");
    assert!(html.contains("Likely to be queried"), "{html}");
    assert!(html.contains("Turnover rate (FTE) %"), "{html}");
}

#[test]
fn the_bcp_2021_comparison_is_one_command() {
    let table = stdout(&sightline(&["benchmark", "--la", "Bournemouth, Christchurch and Poole", "--year", "2021"]));
    let turnover = table.lines().find(|l| l.starts_with("Turnover rate (FTE) %")).unwrap_or_else(|| panic!("{table}"));
    // BCP 36.0 against England's 15.4, as the seed report set them side by side.
    assert!(turnover.contains("36.0") && turnover.contains("15.4") && turnover.contains("of 148"), "{turnover}");
    assert_eq!(
        table.lines().skip_while(|l| !l.starts_with("Neighbour")).skip(1).take_while(|l| !l.is_empty()).count(),
        10
    );
    let v = json(&sightline(&["benchmark", "--la", "839", "--year", "2021", "--format", "json"]));
    assert_eq!(v["la"], "Bournemouth, Christchurch and Poole");
    assert_eq!(v["old_la_code"], 839);
    assert_eq!(v["indicators"]["turnover_rate_fte"]["value"], 36.0);
    assert_eq!(v["indicators"]["turnover_rate_fte"]["england"], 15.4);
    assert_eq!(v["neighbours"].as_array().unwrap().len(), 10);
    assert_eq!(v["indicators"]["turnover_rate_fte"]["series"][0]["year"], 2019);
    let o = sightline(&["benchmark", "--la", "Bournemouth", "--year", "2021"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("Did you mean"));
}

#[test]
fn the_authoritys_own_figures_stand_beside_its_neighbours_published_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--la", "839", "--years", "2025"]);
    let db = dir.path().join("s.db");
    assert!(sightline(&["import", "--db", db.to_str().unwrap(), data.to_str().unwrap()]).status.success());
    let v = json(&sightline(&[
        "benchmark",
        "--la",
        "839",
        "--db",
        db.to_str().unwrap(),
        "--as-of",
        "2025-09-30",
        "--format",
        "json",
    ]));
    assert_eq!(v["year"], 2025, "the latest published year");
    assert_eq!(v["live"]["as_of"], "2025-09-30");
    // The synthetic authority is calibrated to BCP's 2025 figures: its own figures are the published ones.
    let own = v["live"]["indicators"]["agency_rate_fte"].as_f64().unwrap();
    let published = v["indicators"]["agency_rate_fte"]["value"].as_f64().unwrap();
    assert!((own - published).abs() < 0.05, "{own} {published}");
    let targets = v["to_reach_neighbours_median"].as_array().unwrap();
    assert!(
        targets.iter().any(|t| t["field"] == "agency_rate_fte" && t["change"].as_f64().unwrap() > 0.0),
        "{targets:?}"
    );
}

#[test]
fn a_newer_published_release_loads_without_a_code_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/dfe/csww_indicators_2017_to_2025.csv"
    ))
    .unwrap();
    // A "revised" release: BCP's 2021 turnover restated.
    let line = shipped.lines().find(|l| l.starts_with("2021,") && l.contains(",839,")).unwrap();
    let revised = shipped.replacen(line, &line.replacen(",36,", ",35.5,", 1), 1);
    assert_ne!(revised, shipped);
    let file = dir.path().join("release.csv");
    std::fs::write(&file, &revised).unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "time_period,la_name\n2021,Somewhere\n").unwrap();
    assert!(!sightline(&["benchmark", "update", "--db", db, bad.to_str().unwrap()]).status.success());
    let o = sightline(&["benchmark", "update", "--db", db, file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&sightline(&["benchmark", "--la", "839", "--year", "2021", "--db", db, "--format", "json"]));
    assert_eq!(v["indicators"]["turnover_rate_fte"]["value"], 35.5);
}

#[test]
fn the_committee_report_suppresses_small_numbers_unless_internal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--people", "40", "--years", "2024-2025"]);
    let db = dir.path().join("s.db");
    assert!(sightline(&["import", "--db", db.to_str().unwrap(), data.to_str().unwrap()]).status.success());
    let public = dir.path().join("report.html");
    let args = [
        "report",
        "--db",
        db.to_str().unwrap(),
        "--period",
        "2024-04-01..2025-03-31",
        "--la",
        "839",
        "--out",
        public.to_str().unwrap(),
    ];
    let o = sightline(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&public).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("Disclosure control applied")
    );
    assert!(html.contains(">c<"), "small counts suppressed");
    assert!(html.contains("Statistical neighbours (median of 10)"));
    assert!(!sightline(&args).status.success(), "an existing report is not overwritten");
    // The same report as a spreadsheet and a Word document, by extension or --format.
    for (name, format) in [("report.xlsx", None), ("report.docx", None), ("report-as-word", Some("docx"))] {
        let out = dir.path().join(name);
        let mut args: Vec<&str> = args.to_vec();
        *args.last_mut().unwrap() = out.to_str().unwrap();
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        let o = sightline(&args);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(stdout(&o).contains("disclosure control applied"));
        assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK", "{name} is an Office file");
    }
    let mut unknown = args.to_vec();
    let odd = dir.path().join("report.pdf");
    *unknown.last_mut().unwrap() = odd.to_str().unwrap();
    let o = sightline(&unknown);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("name it .html, .xlsx or .docx"));
    assert!(!odd.exists());
    let internal = dir.path().join("internal.html");
    let o = sightline(&[
        "report",
        "--db",
        db.to_str().unwrap(),
        "--period",
        "2024-04-01..2025-03-31",
        "--internal",
        "--out",
        internal.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let html = std::fs::read_to_string(&internal).unwrap();
    assert!(html.contains("Internal report") && !html.contains(">c<"));
}

#[test]
fn forecasts_are_reproducible_and_a_scenario_reports_its_cost_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--people", "120", "--years", "2022-2025"]);
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    assert!(sightline(&["import", "--db", db, data.to_str().unwrap()]).status.success());
    let args = ["forecast", "--db", db, "--months", "30", "--runs", "500", "--seed", "3", "--format", "json"];
    let first = sightline(&args);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(stdout(&first), stdout(&sightline(&args)), "the same seed gives the same forecast");
    let v: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!((v["runs"].as_u64(), v["start"].as_str()), (Some(500), Some("2025-10")));
    let months = v["months"].as_array().unwrap();
    assert_eq!(months.len(), 30);
    assert_eq!(months[0]["month"], "2025-10");
    for figure in ["inpost_fte", "agency_fte", "vacancy_rate_fte", "agency_rate_fte", "cost"] {
        let q = &months[29][figure];
        let (p10, p50, p90) = (q["p10"].as_f64().unwrap(), q["p50"].as_f64().unwrap(), q["p90"].as_f64().unwrap());
        assert!(p10 <= p50 && p50 <= p90, "{figure}: {q}");
    }
    let other =
        sightline(&["forecast", "--db", db, "--months", "30", "--runs", "500", "--seed", "4", "--format", "json"]);
    assert_ne!(stdout(&first), stdout(&other), "another seed, other chances");

    // One seed document's plan: 25 international recruits over two years for £125,000.
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../plan/scenarios/international-recruitment.toml");
    let o = sightline(&[
        "forecast",
        "--db",
        db,
        "--months",
        "30",
        "--runs",
        "500",
        "--scenario",
        scenario,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["scenario"], "25 international recruits over two years");
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    for t in targets {
        let p = t["probability"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{t}");
    }
    let grown = v["months"][29]["inpost_fte"]["p50"].as_f64().unwrap();
    let base = v["baseline"]["months"][29]["inpost_fte"]["p50"].as_f64().unwrap();
    assert!(grown > base + 10.0, "the recruits are in post: {grown} against {base}");
    assert!(v["cost_against_baseline"]["p50"].is_number() && v["total_cost"]["p50"].as_f64().unwrap() > 0.0);
    let table = sightline(&["forecast", "--db", db, "--months", "30", "--runs", "300", "--scenario", scenario]);
    let text = stdout(&table);
    assert!(
        text.contains("Target Agency at most 20% by March 2028:") && text.contains("against the baseline"),
        "{text}"
    );

    // A scenario with a mistake says where.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n[[recruitment]]\ncount = 5\nfrom = \"2026-13\"\nto = \"2027-01\"\n").unwrap();
    let o = sightline(&["forecast", "--db", db, "--scenario", bad.to_str().unwrap()]);
    assert!(
        !o.status.success()
            && String::from_utf8_lossy(&o.stderr).contains("[[recruitment]] 1: `2026-13` is not a month")
    );

    // The rates and the data behind them; and a backtest on the last year.
    let fit = stdout(&sightline(&["plan", "fit", "--db", db]));
    assert!(fit.contains("Leaving, by length of service") && fit.contains("person-months"), "{fit}");
    let o = sightline(&["plan", "backtest", "--db", db, "--at", "2024-09-30", "--runs", "300"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("inpost_fte") && stdout(&o).contains("inside P10-P90"), "{}", stdout(&o));
}

#[test]
fn a_two_council_authoritys_exports_go_in_as_they_are_through_the_team_map() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = synth(&data, &["--people", "60", "--years", "2023-2024", "--exports"]);
    assert!(stdout(&o).contains("sightline teams map"), "{}", stdout(&o));
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let exports = data.join("exports");
    let at = |f: &str| exports.join(f).to_str().unwrap().to_string();
    let o = sightline(&["teams", "map", &at("team-map.csv"), "--db", db]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).starts_with("The team map holds"), "{}", stdout(&o));
    for (profile, file) in [
        ("payroll.toml", "payroll.csv"),
        ("staff.toml", "staff.xlsx"),
        ("agency.toml", "agency.csv"),
        ("caseloads.toml", "caseloads.csv"),
        ("absences.toml", "absences.csv"),
        ("establishment.toml", "establishment.csv"),
    ] {
        let o = sightline(&["import", "--db", db, "--profile", &at(profile), &at(file)]);
        assert!(o.status.success(), "{file}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let listed = stdout(&sightline(&["teams", "list", "--db", db]));
    assert!(listed.contains("CC4100 -> "), "{listed}");
    let stored = listed.split("Team map:").next().unwrap();
    assert!(
        !stored.contains("CC4") && !stored.contains("pre-2022"),
        "no cost centre or old name became a team: {listed}"
    );
    let from_store = json(&sightline(&["indicators", "--db", db, "--year", "2024", "--format", "json"]));
    let from_data =
        json(&sightline(&["indicators", "--data", data.to_str().unwrap(), "--year", "2024", "--format", "json"]));
    assert_eq!(from_store, from_data);
    // A map with a name meaning two teams on one day is refused.
    std::fs::write(dir.path().join("bad.csv"), "name,team\nX,A\nx,B\n").unwrap();
    let o = sightline(&["teams", "map", dir.path().join("bad.csv").to_str().unwrap(), "--db", db]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot mean both"));
    let o = sightline(&[
        "synth",
        "--people",
        "20",
        "--years",
        "2024",
        "--exports",
        "tidy",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("styles: two-councils, reorganised"));
}

#[test]
fn profile_check_shows_rows_as_they_will_be_read_and_names_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("staff.csv");
    std::fs::write(
        &file,
        "Staff extract,,,\n\nStaff ID,Team,Role,Start,FTE %\nS1,MASH,Case holder,2024-04-01,50\nS2,Court,Case holder,someday,100\n",
    )
    .unwrap();
    let profile = dir.path().join("p.toml");
    std::fs::write(
        &profile,
        "kind = \"hr\"\n[columns]\nperson_id = \"Staff ID\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nfte_percent = \"FTE %\"\n[codes.org_role]\n5 = [\"Case holder\"]\n[defaults]\ncontract = \"permanent\"\n",
    )
    .unwrap();
    let o = sightline(&["profile", "check", file.to_str().unwrap(), "--profile", profile.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("2 data rows, 1 read, 1 with problems"), "{text}");
    assert!(text.contains("The headings are on line 3"), "{text}");
    assert!(text.contains("line 5, column `Start`, value `someday`"), "{text}");
    assert!(text.contains("S1      MASH  5 Case holder  permanent  0.50  1 April 2024"), "{text}");
}

#[test]
fn a_store_is_backed_up_while_open_and_restored_only_whole_and_never_over_one_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--people", "40", "--years", "2024"]);
    let db = dir.path().join("s.db");
    let db_text = db.to_str().unwrap();
    assert!(sightline(&["import", "--db", db_text, data.to_str().unwrap()]).status.success());
    let out = dir.path().join("copy.db");
    let o = sightline(&["backup", "--db", db_text, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !sightline(&["backup", "--db", db_text, "--out", out.to_str().unwrap()]).status.success(),
        "never overwrites"
    );
    let figures = |db: &str| json(&sightline(&["indicators", "--db", db, "--year", "2024", "--format", "json"]));
    let restored = dir.path().join("restored.db");
    let o = sightline(&["restore", "--from", out.to_str().unwrap(), "--db", restored.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("its audit log's chain holds"), "{}", stdout(&o));
    assert_eq!(figures(restored.to_str().unwrap()), figures(db_text));
    // Over a store that is there: only when asked, and the old one is kept.
    let o = sightline(&["restore", "--from", out.to_str().unwrap(), "--db", db_text]);
    assert!(!o.status.success());
    let o = sightline(&["restore", "--from", out.to_str().unwrap(), "--db", db_text, "--replace"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_dir(dir.path()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with("s.db.replaced-")));
    // Something that is not a store is refused, and nothing is left behind.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all, just text").unwrap();
    let target = dir.path().join("new.db");
    let o = sightline(&["restore", "--from", junk.to_str().unwrap(), "--db", target.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!target.exists() && !dir.path().join("new.db.restoring").exists());
}

#[test]
fn a_census_return_of_a_far_year_is_refused_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("far.xml");
    std::fs::write(
        &file,
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>300000</Year></CollectionDetails></Header>\
<LALevelVacancies><NumberOfVacancies>1</NumberOfVacancies><NoAgencyFTE>0</NoAgencyFTE><NoAgencyHeadcount>0</NoAgencyHeadcount></LALevelVacancies>\
<CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1000000001</SWENo><QualInst>UEA</QualInst><OrgRole>5</OrgRole></CSWWWorker></Message>",
    )
    .unwrap();
    let db = dir.path().join("s.db");
    let o = sightline(&["import", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("has no census year") && !e.contains("panicked"), "{e}");
}
