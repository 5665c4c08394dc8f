//! The dashboard in a real Chromium, with axe-core's WCAG 2.2 AA rules on
//! every page (tests/browser/e2e.mjs does the driving).
//!
//! Runs when `SIGHTLINE_TEST_BROWSER` is set (`.ci/run` sets it after
//! installing Debian's chromium and the script's npm packages). When it is
//! set, anything missing is a failure, never a skip.

use std::io::BufRead;
use std::process::{Command, Stdio};

#[test]
fn the_dashboard_works_and_is_accessible_in_chromium() {
    if std::env::var_os("SIGHTLINE_TEST_BROWSER").is_none() {
        eprintln!("SIGHTLINE_TEST_BROWSER is not set: the browser checks were not run");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/e2e.mjs");
    let modules = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/node_modules");
    assert!(
        std::path::Path::new(modules).exists(),
        "SIGHTLINE_TEST_BROWSER is set but {modules} is missing: run `npm ci` in tests/browser"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let mut demo = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["demo", "--out", out.to_str().unwrap(), "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut address, mut password) = (None, None);
    let mut lines = std::io::BufReader::new(demo.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Sightline is running at ") {
            address = Some(rest.trim_end_matches('/').to_string());
        }
        if let Some(rest) = line.split("with the password: ").nth(1) {
            password = Some(rest.trim().to_string());
            break;
        }
    }
    // The demo goes on writing: its output is read to the end, or its next line would fail.
    std::thread::spawn(move || lines.for_each(drop));
    let (address, password) = (address.expect("an address"), password.expect("a password"));
    let db = out.join("sightline-demo.db");
    let expected = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["indicators", "--db", db.to_str().unwrap(), "--year", "2025", "--format", "json"])
        .output()
        .unwrap();
    assert!(expected.status.success(), "{}", String::from_utf8_lossy(&expected.stderr));
    // A user of every role: HR, a manager of the first team, an analyst, a member.
    let roles_password = "a long password for every role";
    let teams = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["teams", "list", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let team = first_team(&String::from_utf8_lossy(&teams.stdout)).expect("a team in the demo");
    for (name, role) in [("hr", "hr"), ("manager", "manager"), ("analyst", "analyst"), ("member", "member")] {
        let mut args = vec!["user", "add", "--db", db.to_str().unwrap(), name, "--role", role];
        if role == "manager" {
            args.extend(["--teams", team.as_str()]);
        }
        let mut add = Command::new(env!("CARGO_BIN_EXE_sightline"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut add.stdin.take().unwrap(), format!("{roles_password}\n").as_bytes()).unwrap();
        assert!(add.wait().unwrap().success(), "user add {name}");
    }
    // Screenshots go to SIGHTLINE_SCREENSHOTS when set (.ci/run keeps them), else the test's own folder.
    let shots = std::env::var("SIGHTLINE_SCREENSHOTS").unwrap_or_else(|_| dir.path().to_str().unwrap().to_string());
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .args([script, &address, &password, &String::from_utf8_lossy(&expected.stdout), &shots, roles_password])
        .output();
    demo.kill().unwrap();
    demo.wait().unwrap();
    let run = run.expect("SIGHTLINE_TEST_BROWSER is set but node could not be run");
    assert!(
        run.status.success(),
        "browser checks failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // The report's screenshot: a real PNG, tall enough to hold the charts and tables.
    let png = std::fs::read(std::path::Path::new(&shots).join("report.png")).expect("the report's screenshot");
    assert_eq!(&png[1..4], b"PNG");
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert!(height > 3000, "the report's screenshot is {height} pixels tall");
}

/// The first team `sightline teams list` names (indented under its heading).
fn first_team(listing: &str) -> Option<String> {
    listing
        .lines()
        .skip_while(|l| !l.starts_with("Teams"))
        .nth(1)
        .filter(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
}
