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

/// Imports each shipped profile's example export into the store `db`.
fn import_examples(db: &str, names: &[&str]) {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    for name in names {
        let o = sightline(&["import", "--db", db, "--profile", name, &format!("{examples}/{name}.csv")]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    }
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
    assert!(shown.contains("19 cases (weighted 23)") && shown.contains("Sickness, 5 days lost"), "{shown}");
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
    // The chain's head, kept elsewhere, shows the log was not cut back.
    let checked = stdout(&sightline(&["audit", "verify", "--db", db]));
    let printed = checked.split("Its head is ").nth(1).unwrap_or_else(|| panic!("no head in: {checked}"));
    let mut parts = printed.split(':');
    let (head, hash) = (parts.next().unwrap().to_string(), parts.next().unwrap().to_string());
    assert_eq!(hash.len(), 64, "{checked}");
    let kept = format!("{head}:{hash}");
    let o = sightline(&["audit", "verify", "--db", db, "--expect", &kept]);
    assert!(o.status.success() && stdout(&o).contains(&format!("still holds entry {head}")), "{}", stdout(&o));
    let raw = remove_audit_entry(db, &head);
    assert!(raw, "the newest entry removed");
    let o = sightline(&["audit", "verify", "--db", db]);
    assert!(o.status.success(), "without the head, a log cut back still holds: {}", stdout(&o));
    let o = sightline(&["audit", "verify", "--db", db, "--expect", &kept]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("the log was cut back"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = sightline(&["audit", "verify", "--db", db, "--expect", "nonsense"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("ID:HASH"));
}

/// Removes audit entry `id` from a SQLite store behind Sightline's back; whether it did.
fn remove_audit_entry(db: &str, id: &str) -> bool {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let raw = sqlx::SqlitePool::connect(&format!("sqlite:{db}")).await.unwrap();
        let sql = format!("DELETE FROM audit_log WHERE id = {id}");
        sqlx::query(&sql).execute(&raw).await.is_ok_and(|r| r.rows_affected() == 1)
    })
}

/// The calibration harness sets each forecast beside what DfE published a
/// year and two years after its cut-off, and carries the cut-off year
/// forward as the baseline to beat: checked against the published file.
#[test]
fn calibration_compares_forecasts_with_the_published_years_after_the_cut_off() {
    let o = sightline(&[
        "plan",
        "calibrate",
        "--authorities",
        "3",
        "--at",
        "2022-09-30",
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = json(&o);
    let published = sightline_core::published::Published::shipped();
    let outcomes = out["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 3 * 3 * 2, "three authorities, three figures, two horizons");
    for x in outcomes {
        let name = x["authority"].as_str().unwrap();
        let figure = x["figure"].as_str().unwrap();
        let year = 2022 + x["horizon"].as_i64().unwrap() / 12;
        let value = |y: i64| {
            published
                .authority(name)
                .iter()
                .find(|r| i64::from(r.time_period) == y)
                .and_then(|r| r.number(figure))
                .unwrap()
        };
        assert_eq!(x["published"].as_f64().unwrap(), value(year), "{name} {figure} {year}");
        assert_eq!(x["carried"].as_f64().unwrap(), value(2022), "{name} {figure}");
        let (p10, p50, p90) = (x["p10"].as_f64().unwrap(), x["p50"].as_f64().unwrap(), x["p90"].as_f64().unwrap());
        assert!(p10 <= p50 && p50 <= p90, "{x}");
    }
    for s in out["summary"].as_array().unwrap() {
        let shares = ["inside_p10_p90", "below", "above"].map(|k| s[k].as_f64().unwrap());
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{s}");
        assert_eq!(s["forecasts"], 3);
    }
}

/// The shipped development profiles read their example exports, join them
/// to the HR example by employee number (or SWE number, for the register),
/// and `sightline development` gives the figures worked out by hand from
/// those rows (see each comment).
#[test]
fn development_exports_give_the_figures_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    import_examples(
        db,
        &["hr-assignments", "asye-tracker", "supervision-log", "cpd-learning", "swe-register", "grades-hr"],
    );
    let o = sightline(&["development", "--db", db, "--as-of", "2023-03-15", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = json(&o);
    // Amara's last session of 1.5 hours was 14 February (28 February's was an hour): due 14 March, a day
    // late. Tom's 1 March is on time; Priya, past six months, is due a month after 15 February.
    assert_eq!(f["supervision_overdue_people"], 1);
    assert_eq!(f["supervision_on_time_pct"], 66.7);
    // Priya's 6-month review fell due on 12 March and was held on 20 March.
    assert_eq!((f["asye_in_programme"].as_u64(), f["asye_reviews_late"].as_u64()), (Some(1), Some(1)));
    assert_eq!((f["asye_reviews_due"].as_u64(), f["asye_reviews_done"].as_u64()), (Some(2), Some(1)));
    assert!(f["asye_retention_12m_pct"].is_null(), "her 12 months after qualifying end on 30 June 2023");
    // Amara: two pieces since 1 December, one reflected on; Tom one piece before September; Priya none.
    assert_eq!(f["cpd_on_track_pct"], 66.7);
    assert_eq!((f["cpd_missing_people"].as_u64(), f["cpd_at_risk_people"].as_u64()), (Some(1), Some(0)));
    // 7.4 + 3.7 + 14.8 hours = 3.5 days over 3 people.
    assert_eq!(f["cpd_days_mean_12m"], 1.2);
    assert_eq!(
        (f["registrations_lapsing_90d"].as_u64(), f["registrations_with_conditions"].as_u64()),
        (Some(0), Some(1))
    );
    // 18, 13 and 6 months in level.
    assert_eq!(f["time_in_level_months_mean"], 12.3);
    assert_eq!(f["promotions_12m"], 0);
    // Only Priya's qualification date is known (from the tracker): under 2 years.
    assert_eq!((f["mix_newly_qualified_pct"].as_f64(), f["mix_5_plus_years_pct"].as_f64()), (Some(100.0), Some(0.0)));
    assert_eq!(f["mix_unknown_people"], 2);

    let o = sightline(&["development", "--db", db, "--as-of", "2023-09-15", "--format", "json"]);
    let f = json(&o);
    // Amara's and Tom's registrations end on 30 November, 76 days on; Priya's is renewed.
    assert_eq!(f["registrations_lapsing_90d"], 2);
    // Amara's promotion on 1 April; 5, 19 and 12 months in level.
    assert_eq!((f["promotions_12m"].as_u64(), f["time_in_level_months_mean"].as_f64()), (Some(1), Some(12.0)));
    assert_eq!(f["asye_retention_12m_pct"], 100.0);
    assert_eq!(f["asye_reviews_late"], 0);

    let o = sightline(&["development", "--db", db, "--as-of", "2023-03-15", "--by", "team", "--format", "json"]);
    let teams = json(&o);
    let names: Vec<&str> = teams.as_array().unwrap().iter().map(|t| t["group"].as_str().unwrap()).collect();
    assert_eq!(names, ["Assessment East", "Children in Care", "MASH"]);
    assert_eq!(teams[0]["supervision_overdue_people"], 1);
    assert_eq!(teams[1]["asye_reviews_late"], 1);
    assert!(teams[2]["mix_newly_qualified_pct"].is_null(), "Tom's qualification date is not known");
    // A person's history shows their development records.
    let shown = stdout(&sightline(&["people", "show", "--db", db, "100871"]));
    assert!(shown.contains("ASYE started") && shown.contains("outcome: pass"), "{shown}");

    // A newer full supervision log replaces the sessions, and only them: with one session on 14 March,
    // the others are due a month after the log's first day.
    let log = dir.path().join("supervision.csv");
    std::fs::write(
        &log,
        "Staff No,Supervisor,Session Date,Duration (mins),Type,Status\n100231,J. Patel,14/03/2023,90,Formal,Held\n",
    )
    .unwrap();
    assert!(sightline(&["import", "--db", db, "--profile", "supervision-log", log.to_str().unwrap()]).status.success());
    // The HR export imported again (a byte changed) replaces the posts and leaves development records be.
    let hr = dir.path().join("hr.csv");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/profiles/examples");
    std::fs::write(&hr, std::fs::read_to_string(format!("{examples}/hr-assignments.csv")).unwrap() + "\n").unwrap();
    let o = sightline(&["import", "--db", db, "--profile", "hr-assignments", hr.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = json(&sightline(&["development", "--db", db, "--as-of", "2023-03-15", "--format", "json"]));
    assert_eq!(f["supervision_overdue_people"], 0);
    assert_eq!((f["cpd_on_track_pct"].as_f64(), f["asye_reviews_late"].as_u64()), (Some(66.7), Some(1)));

    // The census return for 2023 marks Priya, in her ASYE on 30 September 2023, with CFKSSstatus 1.
    let xml = dir.path().join("csww.xml");
    let o = sightline(&["census", "--db", db, "--year", "2023", "--lea", "839", "--out", xml.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = std::fs::read_to_string(xml).unwrap();
    let workers: Vec<&str> = xml.split("<CSWWWorker>").skip(1).collect();
    let priya = workers.iter().find(|w| w.contains("SW0000318850")).expect("Priya's record");
    assert!(priya.contains("<CFKSSstatus>1</CFKSSstatus>"), "{priya}");
    assert_eq!(xml.matches("<CFKSSstatus>").count(), 1, "only Priya");

    // A target can be set on a development figure, and not on a name that is no figure.
    let o =
        sightline(&["target", "set", "--db", db, "supervision_on_time_pct", "--at-least", "90", "--by", "2024-03-31"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = sightline(&["target", "set", "--db", db, "supervision_on_time", "--at-least", "90", "--by", "2024-03-31"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("supervision_on_time_pct"));
}

/// The shipped staff-voice profiles read their examples, and `sightline
/// voice` and `sightline retention` give the figures worked by hand.
#[test]
fn staff_voice_and_retention_give_the_figures_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    import_examples(db, &["hr-assignments", "absence-episodes", "exit-interviews", "survey-pulse", "er-cases"]);
    let o = sightline(&["voice", "--db", db, "--period", "2023-10-01..2024-09-30", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = json(&o);
    // Three interviews (Tom's, Priya's and an anonymous one) against two leavers in HR's records.
    assert_eq!((f["exit_interviews"].as_u64(), f["exit_response_rate_pct"].as_f64()), (Some(3), Some(150.0)));
    let reasons: Vec<&str> =
        f["exit_reasons"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    // Each given once: the taxonomy's order. "Relocating for family" is personal; "Career progression", progression.
    assert_eq!(reasons, ["workload", "caseload", "pay", "management", "not_valued", "progression", "personal"]);
    assert_eq!(f["exit_reasons"][0]["share"], 33.3);
    assert_eq!(f["would_return_pct"], 50.0);
    // Autumn 2024 against Spring 2024 (answers 1-5 score 0-100 in steps of 25).
    let theme =
        |name: &str| f["survey_themes"].as_array().unwrap().iter().find(|t| t["theme"] == name).unwrap().clone();
    let safe = theme("Safe workloads");
    assert_eq!(
        (safe["score"].as_f64(), safe["band"].as_str(), safe["respondents"].as_u64()),
        (Some(87.5), Some("high"), Some(2))
    );
    assert_eq!(safe["change"], 50.0);
    assert_eq!(
        (theme("Wellbeing")["score"].as_f64(), theme("Wellbeing")["change"].as_f64()),
        (Some(75.0), Some(-25.0))
    );
    // Amara's attendance case is open on 30 September 2024; Tom's grievance closed in 2023.
    assert_eq!(f["er_open_by_type"], serde_json::json!({ "sickness_absence": 1 }));

    let o = sightline(&["retention", "--db", db, "--by", "team", "--as-of", "2024-09-30", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    // Tom, MASH, 1 February 2022 to 31 January 2024: 24 months, then left (in his third year of service).
    let mash: Vec<&serde_json::Value> =
        r["hazard"].as_array().unwrap().iter().filter(|h| h["group"] == "MASH").collect();
    assert_eq!(mash.len(), 3);
    assert_eq!((mash[2]["leavers"].as_u64(), mash[2]["rate_pct"].as_f64()), (Some(1), Some(100.0)));
    let survival: Vec<&serde_json::Value> =
        r["survival"].as_array().unwrap().iter().filter(|p| p["group"] == "MASH").collect();
    assert_eq!(survival.last().unwrap()["months"], 24);
    assert_eq!(survival.last().unwrap()["surviving_pct"], 100.0);
    // Amara, since 6 September 2021, still employed: censored at 36 whole months to 1 October 2024.
    let east: Vec<&serde_json::Value> =
        r["survival"].as_array().unwrap().iter().filter(|p| p["group"] == "Assessment East").collect();
    assert_eq!(east.last().unwrap()["months"], 36);
    assert_eq!(r["returners"]["count"], 0);
    let o = sightline(&["retention", "--db", db, "--by", "years_since_qualifying", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The shipped recruitment, payment, agency and price-cap profiles read
/// their examples, and `sightline recruitment`, `incentives`,
/// `agency-rules` and `agency-return` give the figures worked by hand.
#[test]
fn recruitment_incentives_and_agency_rules_give_the_figures_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    import_examples(
        db,
        &[
            "hr-assignments",
            "agency-assignments",
            "price-caps",
            "regional-leavers",
            "recruitment-ats",
            "incentive-payments",
        ],
    );
    // A plan: at least 3 international starts in the year to 30 September 2025.
    let o = sightline(&["target", "set", "--db", db, "starts_international", "--at-least", "3", "--by", "2025-09-30"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let r = json(&sightline(&["recruitment", "--db", db, "--period", "2025-04-01..2025-09-30", "--format", "json"]));
    // V-108 (advertised 1 September, nothing since) is the one open vacancy.
    assert_eq!(
        (r["open_vacancies"].as_u64(), r["advertised"].as_u64(), r["starts"].as_u64()),
        (Some(1), Some(6), Some(5))
    );
    // Advert to start: 29, 56, 126, 133 and 140 days.
    assert_eq!(r["time_to_hire_days_median"], 126.0);
    assert_eq!(
        (r["advert_to_offer_days_median"].as_f64(), r["offer_to_start_days_median"].as_f64()),
        (Some(21.0), Some(98.0))
    );
    let stages: Vec<u64> =
        r["stage_conversion"].as_array().unwrap().iter().map(|s| s["count"].as_u64().unwrap()).collect();
    assert_eq!(stages, [46, 19, 15, 5, 4, 3]);
    assert_eq!(r["stage_conversion"][3]["conversion_pct"], 33.3);
    let international =
        r["starts_by_route"].as_array().unwrap().iter().find(|s| s["route"] == "international").unwrap();
    assert_eq!((international["starts"].as_u64(), international["plan"].as_f64()), (Some(2), Some(3.0)));
    let cost = r["cost_per_hire_by_route"].as_array().unwrap().iter().find(|s| s["route"] == "international").unwrap();
    assert_eq!(cost["cost_per_hire"], 25000.0);
    assert_eq!(r["withdrawals"], 1);

    let i = json(&sightline(&["incentives", "--db", db, "--as-of", "2025-09-30", "--format", "json"]));
    // Priya left on 14 July 2024: the £3,000 incentive (24 months, 22 served) whole, and 3/12 of the tapered £8,000.
    assert_eq!((i["clawback_owed_total"].as_f64(), i["clawback_owed_people"].as_u64()), (Some(5000.0), Some(1)));
    let retention =
        i["paid_by_scheme"].as_array().unwrap().iter().find(|s| s["scheme"] == "Retention payment").unwrap();
    assert_eq!((retention["amount"].as_f64(), retention["people"].as_u64()), (Some(14000.0), Some(1)));
    // Amara and Priya were still employed a year after their first payment; Tom was not.
    assert_eq!(i["recipient_retention_12m_pct"], 66.7);
    assert!(i["comparison_retention_12m_pct"].is_null());

    let a = json(&sightline(&["agency-rules", "--db", db, "--as-of", "2025-12-31", "--format", "json"]));
    let found: Vec<(String, String)> = a["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["reference"].as_str().unwrap().to_string(), b["rule"].as_str().unwrap().to_string()))
        .collect();
    let mut found = found;
    found.sort();
    // A1001 qualified exactly 3 years before and is paid exactly the cap; A1006 began exactly 3 months after leaving.
    let expected = [
        ("A1002", "pqe_under_3y"),
        ("A1003", "over_cap"),
        ("A1004", "notice_period"),
        ("A1005", "cooling_off"),
        ("A1008", "pqe_under_3y"),
    ]
    .map(|(r, x)| (r.to_string(), x.to_string()));
    assert_eq!(found, expected);
    assert_eq!(
        (a["over_cap"].as_u64(), a["pqe_under_3y"].as_u64(), a["cooling_off"].as_u64()),
        (Some(1), Some(2), Some(1))
    );
    assert_eq!(a["over_cap_signed_off"], 1);
    assert_eq!(a["monthly_cost"].as_array().unwrap().len(), 12);
    // July 2025: A1007 23 working days at £62.50, A1009 14 days (from the 14th) at £85, 7.4 hours a day.
    let july = a["monthly_cost"].as_array().unwrap().iter().find(|m| m["month"] == "2025-07").unwrap();
    assert!((july["cost"].as_f64().unwrap() - 7.4 * (23.0 * 62.5 + 14.0 * 85.0)).abs() < 0.01, "{july}");

    let out = dir.path().join("q3.csv");
    let o = sightline(&["agency-return", "--db", db, "--quarter", "2025Q3", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let refs: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    // In place on some day of July to September 2025: not A1008 (ended 30 June), nor those from October.
    assert_eq!(refs, ["A1007", "A1009", "A1004", "A1005", "A1006"]);
    assert!(text
        .lines()
        .nth(2)
        .unwrap()
        .starts_with("A1009,SW0000600009,team_manager,60.00,2025-07-14,2025-12-31,yes,"));
    let general = std::fs::read_to_string(dir.path().join("q3-general.csv")).unwrap();
    assert!(general.contains("compliance,cooling_off,1,") && general.contains("monthly cost,2025-07,"), "{general}");
    // Its checks: the return as made passes; a row without an SWE number or in another quarter does not.
    let o = sightline(&["agency-return", "--check", out.to_str().unwrap(), "--quarter", "2025Q3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, text.replace("A1004,SW0000600004", "A1004,").replace("2025-09-30,,no", "2025-10-01,,no"))
        .unwrap();
    let o = sightline(&["agency-return", "--check", broken.to_str().unwrap(), "--quarter", "2025Q3"]);
    assert!(!o.status.success());
    let said = stdout(&o);
    assert!(
        said.contains("AGY03") && said.contains("A1004") && said.contains("AGY08") && said.contains("A1006"),
        "{said}"
    );
    // Made again, the return is not written over.
    let o = sightline(&["agency-return", "--db", db, "--quarter", "2025Q3", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
}

/// The quarterly agency return holds one row for each agency spell of the
/// data folder in place on some day of the quarter, counted here from
/// `spells.csv` directly; with caps of several regions, pay is judged only
/// for the region named.
#[test]
fn the_agency_return_has_a_row_for_every_assignment_in_place_in_the_quarter() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    synth(&data, &["--people", "150", "--years", "2024-2025", "--seed", "3"]);
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let o = sightline(&["import", "--db", db, data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let spells = std::fs::read_to_string(data.join("spells.csv")).unwrap();
    let mut lines = spells.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (kind, start, end) = (at("kind"), at("start_date"), at("end_date"));
    let expected = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[kind] == "agency" && c[start] <= "2025-06-30" && (c[end].is_empty() || c[end] >= "2025-04-01"))
        .count();
    assert!(expected > 5, "the synthetic authority uses agency workers: {expected}");
    let out = dir.path().join("q2.csv");
    let o = sightline(&["agency-return", "--db", db, "--quarter", "2025Q2", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count() - 1, expected, "{text}");

    // Caps of two regions, one with no region (every region): the named region's and the national apply.
    let caps = dir.path().join("caps.csv");
    std::fs::write(
        &caps,
        "Region,Role Type,Cap per Hour,From,To\nLondon,Social Worker,£1.00,01/10/2025,\nNorth East,Social Worker,£500.00,01/10/2025,\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", "price-caps", caps.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = sightline(&["agency-rules", "--db", db, "--as-of", "2025-12-31", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["regions_held"], serde_json::json!(["London", "North East"]));
    assert!(v["region"].is_null() && String::from_utf8_lossy(&o.stderr).contains("--region"));
    let o = sightline(&["agency-rules", "--db", db, "--as-of", "2025-12-31", "--region", "Wales", "--format", "json"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no region `Wales`"));
}

/// `sightline capacity`: in post less those away plus agency, worked by hand
/// on the shipped HR and agency examples with two absences.
#[test]
fn capacity_counts_who_is_actually_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    import_examples(db, &["hr-assignments", "agency-msp"]);
    // Amara (senior social worker, full time since April 2023) is off sick for exactly 20 working days
    // (Monday 2 to Friday 27 September 2024): long-term, as 20 or more is.
    let absences = dir.path().join("absence.csv");
    std::fs::write(
        &absences,
        "Employee Number,First Day,Last Day,Absence Type,Working Days Lost\n100231,02/09/2024,27/09/2024,Sickness - back,\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", "absence-episodes", absences.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&sightline(&["capacity", "--db", db, "--as-of", "2024-09-27", "--format", "json"]));
    // In post: Amara (1.0). Away: Amara, long-term sick. Agency: Jordan Pike, full time since March 2024.
    assert_eq!((v["inpost_fte"].as_f64(), v["away_fte"]["long_term_sickness"].as_f64()), (Some(1.0), Some(1.0)));
    assert_eq!((v["agency_fte"].as_f64(), v["available_fte"].as_f64()), (Some(1.0), Some(1.0)));
    // Case-holding: the agency social worker (Amara, whatever her role, is away).
    assert_eq!(v["available_case_holding_fte"], 1.0);
    assert_eq!(v["pressure"], false);
    // Under a threshold of 21 working days, her 20 are not long-term.
    let v = json(&sightline(&[
        "capacity",
        "--db",
        db,
        "--as-of",
        "2024-09-27",
        "--long-term-days",
        "21",
        "--format",
        "json",
    ]));
    assert_eq!((v["away_fte_total"].as_f64(), v["available_fte"].as_f64()), (Some(0.0), Some(2.0)));
    let teams =
        json(&sightline(&["capacity", "--db", db, "--as-of", "2024-09-27", "--by", "team", "--format", "json"]));
    let east = teams.as_array().unwrap().iter().find(|t| t["team"] == "Assessment East").unwrap();
    assert_eq!((east["inpost_fte"].as_f64(), east["available_fte"].as_f64()), (Some(1.0), Some(1.0)));
}

/// The wider workforce: staff groups beyond social workers come in through
/// an HR export, DfE's figures keep to social workers, and `--population`
/// and `--by directorate` give the others' figures, worked by hand.
#[test]
fn populations_beyond_social_workers_and_absence_by_directorate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let profile = dir.path().join("staff.toml");
    std::fs::write(
        &profile,
        r#"source = "hr"
description = "All children's services staff"
kind = "hr"
date_format = "dd/mm/yyyy"
[columns]
person_id = "Employee Number"
team = "Team"
org_role = "Job Title"
staff_group = "Job Title"
directorate = "Directorate"
start_date = "Start"
end_date = "End"
hours = "Hours"
[defaults]
contract = "permanent"
[codes.org_role]
5 = ["Social Worker*"]
[codes.staff_group]
social_worker = ["Social Worker*"]
family_support_worker = ["Family Support*"]
"#,
    )
    .unwrap();
    let staff = dir.path().join("staff.csv");
    std::fs::write(
        &staff,
        "Employee Number,Team,Job Title,Directorate,Start,End,Hours\n\
S1,Assessment,Social Worker,Children's Services,01/01/2023,,37\n\
S2,Assessment,Social Worker,Children's Services,01/01/2023,30/06/2024,37\n\
F1,Family Support,Family Support Worker,Early Help,01/01/2023,,37\n\
F2,Family Support,Family Support Worker,Early Help,01/01/2023,31/03/2024,37\n\
F3,Family Support,Family Support Worker,Early Help,01/05/2024,,18.5\n\
M1,Family Support,Family Support Worker,Early Help,01/01/2023,31/12/2023,37\n\
M1,Assessment,Social Worker,Children's Services,01/01/2024,,37\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", profile.to_str().unwrap(), staff.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // M1 was off sick for a week (5 working days) as a family support worker, before becoming a social worker.
    let absences = dir.path().join("absence.csv");
    std::fs::write(
        &absences,
        "Employee Number,First Day,Last Day,Absence Type,Working Days Lost\nM1,06/11/2023,10/11/2023,Sickness,\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", "absence-episodes", absences.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let at = |population: &str| {
        json(&sightline(&[
            "indicators",
            "--db",
            db,
            "--as-of",
            "2024-09-30",
            "--population",
            population,
            "--format",
            "json",
        ]))
    };
    // Social workers (the default, DfE's): S1 and M1 in post (M1 a starter), S2 left; M1's week off
    // was as a family support worker, not a social worker's.
    let sw = at("social_workers");
    assert_eq!((sw["inpost_headcount"].as_u64(), sw["leavers_headcount"].as_u64()), (Some(2), Some(1)));
    assert_eq!((sw["starters_headcount"].as_u64(), sw["working_days_lost_fte"].as_f64()), (Some(1), Some(0.0)));
    let default = json(&sightline(&["indicators", "--db", db, "--as-of", "2024-09-30", "--format", "json"]));
    assert_eq!(default, sw);
    // Family support workers: F1 and F3 (half time) in post, F2 and M1 left the group, F3 started.
    let fsw = at("family_support_worker");
    assert_eq!((fsw["inpost_headcount"].as_u64(), fsw["inpost_fte"].as_f64()), (Some(2), Some(1.5)));
    assert_eq!((fsw["leavers_headcount"].as_u64(), fsw["starters_headcount"].as_u64()), (Some(2), Some(1)));
    // Everyone: M1 moved within the authority (not a leaver), and their week off counts.
    let all = at("all");
    assert_eq!((all["inpost_headcount"].as_u64(), all["leavers_headcount"].as_u64()), (Some(4), Some(2)));
    assert_eq!(all["working_days_lost_fte"], 5.0);
    // The social workers' teams only, by default: no row for the family support team.
    let teams =
        json(&sightline(&["indicators", "--db", db, "--as-of", "2024-09-30", "--by", "team", "--format", "json"]));
    assert!(teams.as_array().unwrap().iter().all(|t| t["group"] != "Family Support"), "{teams}");
    // By staff group: each group as its own authority.
    let groups = json(&sightline(&[
        "indicators",
        "--db",
        db,
        "--as-of",
        "2024-09-30",
        "--by",
        "staff_group",
        "--format",
        "json",
    ]));
    let mut names: Vec<&str> = groups.as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["family_support_worker", "social_worker"]);
    let fsw_row = groups.as_array().unwrap().iter().find(|g| g["group"] == "family_support_worker").unwrap();
    assert_eq!(fsw_row["inpost_headcount"], 2);
    let o = sightline(&["indicators", "--db", db, "--as-of", "2024-09-30", "--population", "nurses"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("family_support_worker"));
    let by = json(&sightline(&[
        "indicators",
        "--db",
        db,
        "--as-of",
        "2024-09-30",
        "--population",
        "all",
        "--by",
        "directorate",
        "--format",
        "json",
    ]));
    // Capacity of a population: the family support workers in post on the date (F1 full time, F3 half time).
    let cap = json(&sightline(&[
        "capacity",
        "--db",
        db,
        "--as-of",
        "2024-09-30",
        "--population",
        "family_support_worker",
        "--format",
        "json",
    ]));
    assert_eq!((cap["inpost_fte"].as_f64(), cap["inpost_headcount"].as_u64()), (Some(1.5), Some(2)));
    let group = |name: &str| by.as_array().unwrap().iter().find(|g| g["group"] == name).unwrap().clone();
    assert_eq!(group("Children's Services")["inpost_headcount"], 2);
    assert_eq!(group("Early Help")["inpost_headcount"], 2);
}

/// An export of changes replaces a vacancy by its reference and adds the new ones, keeping the rest.
#[test]
fn an_export_of_vacancy_changes_replaces_by_reference() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    import_examples(db, &["recruitment-ats"]);
    let shipped = std::process::Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["profile", "show", "recruitment-ats"])
        .output()
        .unwrap();
    let profile = dir.path().join("changes.toml");
    std::fs::write(&profile, stdout(&shipped).replace("mode = \"full\"", "mode = \"changes\"")).unwrap();
    let csv = dir.path().join("changes.csv");
    std::fs::write(
        &csv,
        "Vacancy Ref,Team,Job Title,Route,Advert Date,Applications,Shortlisted,Interviewed,Offers,Accepted,Offer Date,Start Date,Withdrawn Date,Withdrawal Reason,Closed Date,Cost,Campaign\n\
V-101,Assessment East,Social Worker,Experienced,07/04/2025,100,5,4,1,1,28/04/2025,02/06/2025,,,,\"£1,200\",\n\
V-200,MASH,Social Worker,Experienced,01/08/2025,3,,,,,,,,,,,\n",
    )
    .unwrap();
    let o = sightline(&["import", "--db", db, "--profile", profile.to_str().unwrap(), csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&sightline(&["recruitment", "--db", db, "--period", "2025-04-01..2025-09-30", "--format", "json"]));
    // V-101 replaced (12 applications become 100), V-200 added, the other six kept.
    assert_eq!(r["advertised"], 7);
    assert_eq!(r["stage_conversion"][0]["count"], 46 - 12 + 100 + 3);
    assert_eq!(r["open_vacancies"], 2);
}
