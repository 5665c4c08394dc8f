//! The store on its own, as a repository: a batch built by hand (no file,
//! no reader) is written with the identity plan it is given, read back as
//! the same workforce, and a dry run leaves nothing behind.

use sightline_core::identity::{IdentityPlan, Known};
use sightline_core::source::{Mode, PersonDetails, RowProblem, SourceData};
use sightline_core::{OrgRole, Spell, SpellKind, WorkforceBuilder};
use sightline_store::{Batch, Store};

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Two people of one source, one with a problem row set aside.
fn source() -> SourceData {
    let mut b = WorkforceBuilder::new();
    for (id, team, start) in [("A1", "MASH", "2023-04-01"), ("A2", "Assessment", "2024-01-15")] {
        let person = b.person(id);
        let team = b.team(team);
        b.add_spell(Spell {
            person,
            kind: SpellKind::Permanent,
            team,
            org_role: OrgRole::CaseHolder,
            start: d(start),
            end: None,
            fte: 1.0,
            reason_leave: None,
            leaver_destination: None,
            charge_rate: None,
        });
    }
    let workforce = b.build();
    SourceData {
        details: vec![PersonDetails::default(); workforce.persons().len()],
        workforce,
        agency_terms: Vec::new(),
        post_refs: Vec::new(),
        staff_groups: Vec::new(),
        funded_groups: Vec::new(),
        directorates: Vec::new(),
        caseload_weights: Vec::new(),
        development: Default::default(),
        voice: Default::default(),
        recruitment: Default::default(),
        skipped: vec![RowProblem {
            file: "hr.csv".into(),
            line: 4,
            column: "fte".into(),
            value: "x".into(),
            rule: "not a number".into(),
        }],
        rows_read: 3,
        mode: Mode::Full,
    }
}

fn batch(data: &SourceData) -> Batch {
    Batch {
        id: 0,
        source: "hr".into(),
        kind: "hr".into(),
        path: "by hand".into(),
        fingerprint: "f1".into(),
        imported_by: "tester".into(),
        imported_at: "2025-10-01T09:00:00+00:00".into(),
        rows_read: data.rows_read as i64,
        rows_rejected: data.skipped.len() as i64,
        files: vec![("hr.csv".into(), "abc".into())],
    }
}

/// Every person of the source new, numbered from 10 in order.
fn all_new(data: &SourceData) -> Vec<(i64, Known)> {
    data.workforce
        .persons()
        .iter()
        .zip(10..)
        .map(|(p, id)| (id, Known { person: p.clone(), details: PersonDetails::default() }))
        .collect()
}

/// The plan that adds every person of the source (10 and 11), each with
/// their identifier in the `hr` source.
fn all_new_plan(data: &SourceData) -> IdentityPlan {
    let new_people = all_new(data);
    IdentityPlan {
        ids: vec![10, 11],
        new_identifiers: new_people.iter().map(|(id, k)| (("hr".to_string(), k.person.id.clone()), *id)).collect(),
        new_people,
        ..IdentityPlan::default()
    }
}

#[tokio::test]
async fn a_batch_is_written_as_planned_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    let data = source();
    let batch = batch(&data);
    // Every person new, numbered 10 and 11: the store keeps the plan's numbers.
    let identify = |directory: sightline_core::identity::Directory| {
        assert!(directory.people.is_empty(), "an empty store knows no one");
        all_new_plan(&data)
    };

    let (_, would) = store.write_batch(&batch, &data, None, &identify, true, None).await.unwrap();
    assert_eq!((would.people_added, would.rows_added), (2, 2));
    assert!(store.batches().await.unwrap().is_empty(), "a dry run leaves nothing");

    let (id, changes) = store.write_batch(&batch, &data, None, &identify, false, None).await.unwrap();
    assert_eq!(changes, would, "a dry run tells what the write does");
    assert_eq!(store.latest_fingerprint("hr").await.unwrap(), Some((id, "f1".to_string())));
    assert_eq!(store.rejected_rows(id).await.unwrap(), data.skipped);
    let wf = store.load_workforce().await.unwrap();
    assert_eq!(wf.spells().len(), 2);
    let ids: Vec<&str> = wf.persons().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["A1", "A2"]);
    assert_eq!(wf.teams().len(), 2);
    let history = store.person_history("A2").await.unwrap().expect("known by key");
    assert_eq!(history.summary.identifiers, [("hr".to_string(), "A2".to_string())]);
    assert_eq!(history.facts.len(), 1);
}

/// A SQLite store's files are its owner's alone, whatever the umask.
#[cfg(unix)]
#[tokio::test]
async fn a_sqlite_stores_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    store.audit("tester", "test", "").await.unwrap();
    for end in ["", "-wal", "-shm"] {
        let file = format!("{}{end}", db.display());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{file}: {mode:o}");
    }
    // An existing store opened to all is closed up when opened.
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(db.to_str().unwrap()).await.unwrap();
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o077, 0);
}

/// The audit log is a chain: an entry changed or removed breaks it.
#[tokio::test]
async fn a_changed_or_removed_audit_entry_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    for n in 0..4 {
        store.audit("ada", "view person", &format!("`P{n}`")).await.unwrap();
    }
    let check = store.verify_audit().await.unwrap();
    assert_eq!((check.chained, check.broken.clone()), (4, None));
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display())).await.unwrap();
    sqlx::query("UPDATE audit_log SET detail = '`P9`' WHERE id = 2").execute(&raw).await.unwrap();
    assert_eq!(store.verify_audit().await.unwrap().broken.map(|b| b.0), Some(2));
    sqlx::query("UPDATE audit_log SET detail = '`P1`' WHERE id = 2").execute(&raw).await.unwrap();
    assert_eq!(store.verify_audit().await.unwrap().broken, None);
    sqlx::query("DELETE FROM audit_log WHERE id = 3").execute(&raw).await.unwrap();
    assert_eq!(store.verify_audit().await.unwrap().broken.map(|b| b.0), Some(4), "the entry after a removed one");
    // Written from many tasks at once, the chain still holds.
    let store = Store::open(dir.path().join("other.db").to_str().unwrap()).await.unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.audit("mo", "view people", &n.to_string()).await.unwrap() })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let check = store.verify_audit().await.unwrap();
    assert_eq!((check.chained, check.broken), (20, None));
}

/// Many requests audited at once: each call returns only once its own entry
/// is committed, the entries arrive together in a few transactions (one
/// timestamp each) rather than one commit apiece, and an entry that cannot be
/// written fails its caller and is not in the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_entries_written_at_once_are_committed_before_each_call_returns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display())).await.unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let (store, raw) = (store.clone(), raw.clone());
            tokio::spawn(async move {
                store.audit("mo", "view people", &format!("request {n}")).await.unwrap();
                let there: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail = ?")
                    .bind(format!("request {n}"))
                    .fetch_one(&raw)
                    .await
                    .unwrap();
                assert_eq!(there, 1, "request {n} returned before its entry was committed");
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let check = store.verify_audit().await.unwrap();
    assert_eq!((check.chained, check.broken), (200, None));
    let commits: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT at) FROM audit_log").fetch_one(&raw).await.unwrap();
    assert!(commits < 100, "{commits} transactions for 200 entries");
    // A write the database refuses fails its callers, and the log goes on.
    sqlx::query("CREATE TRIGGER refuse BEFORE INSERT ON audit_log WHEN NEW.detail = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        .execute(&raw)
        .await
        .unwrap();
    let error = store.audit("mo", "view people", "refused").await.unwrap_err();
    assert!(error.to_string().starts_with("cannot write to the audit log"), "{error}");
    store.audit("mo", "view people", "after").await.unwrap();
    let check = store.verify_audit().await.unwrap();
    assert_eq!((check.chained, check.broken), (201, None));
}

/// Before a store is brought up to a newer version, a copy of it is kept.
#[tokio::test]
async fn a_store_is_copied_before_its_tables_are_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    store.audit("ada", "login", "").await.unwrap();
    store.close().await;
    // As a store of the version before the audit chain was.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display())).await.unwrap();
    sqlx::query("ALTER TABLE audit_log DROP COLUMN hash").execute(&raw).await.unwrap();
    sqlx::query("DROP TABLE records_complete_from").execute(&raw).await.unwrap();
    // Each table a later migration makes goes too.
    for table in ["development_record", "voice_record", "recruitment_record", "team_directorate"] {
        sqlx::query(&format!("DROP TABLE {table}")).execute(&raw).await.unwrap();
    }
    for column in ["reference", "role_type", "project_team", "notice_weeks", "signed_off_by", "la_experience_months"] {
        sqlx::query(&format!("ALTER TABLE agency_assignment DROP COLUMN {column}")).execute(&raw).await.unwrap();
    }
    for table in ["spell", "establishment"] {
        sqlx::query(&format!("ALTER TABLE {table} DROP COLUMN staff_group")).execute(&raw).await.unwrap();
    }
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version >= 13").execute(&raw).await.unwrap();
    raw.close().await;
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let copy = dir.path().join("s.db.before-migration-12");
    assert!(copy.exists(), "the store as it was is kept");
    let old = sqlx::SqlitePool::connect(&format!("sqlite:{}", copy.display())).await.unwrap();
    let version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&old).await.unwrap();
    assert_eq!(version, 12);
    let check = store.verify_audit().await.unwrap();
    assert_eq!((check.before_chain, check.broken), (1, None), "the entry from before the chain is counted apart");
}

/// A new SQLite store, and a new PostgreSQL database on the server that
/// `SIGHTLINE_TEST_PG` names when it is set.
struct Backends {
    urls: Vec<String>,
    pg: Option<(sqlx::PgConnection, String)>,
    _dir: tempfile::TempDir,
}

impl Backends {
    async fn new(test: &str) -> Backends {
        let dir = tempfile::tempdir().unwrap();
        let mut urls = vec![dir.path().join("s.db").display().to_string()];
        let pg = match std::env::var("SIGHTLINE_TEST_PG") {
            Ok(server) => {
                use sqlx::Connection;
                let mut admin = sqlx::PgConnection::connect(&server)
                    .await
                    .unwrap_or_else(|e| panic!("SIGHTLINE_TEST_PG is set but {server} cannot be reached: {e}"));
                let name = format!("sightline_{test}_{}", std::process::id());
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
                let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
                urls.push(format!("{base}/{name}"));
                Some((admin, name))
            }
            Err(_) => {
                eprintln!("SIGHTLINE_TEST_PG is not set: the PostgreSQL half was not run");
                None
            }
        };
        Backends { urls, pg, _dir: dir }
    }

    /// Drops the PostgreSQL database.
    async fn drop(self) {
        if let Some((mut admin, name)) = self.pg {
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
        }
    }
}

/// A plan that numbers a person the store does not hold (here: no new
/// people at all) is refused whole, on both backends: SQLite's foreign keys
/// refuse the rows, and PostgreSQL, whose large tables are written by `COPY`
/// without row-by-row foreign keys, checks the batch's people at the end.
#[tokio::test]
async fn a_batch_naming_a_person_the_store_does_not_hold_is_refused_whole() {
    let stores = Backends::new("refused").await;
    let data = source();
    let batch = batch(&data);
    // Both people numbered 7, whom nobody added; or both added (10 and 11)
    // but an identifier naming 12, whom nobody added either.
    let unknown_person = |_| IdentityPlan { ids: vec![7, 7], ..IdentityPlan::default() };
    let unknown_identifier = |_| {
        let new_people = all_new(&data);
        IdentityPlan {
            ids: vec![10, 11],
            new_identifiers: vec![
                (("hr".to_string(), "A1".to_string()), 10),
                (("other".to_string(), "X9".to_string()), 12),
            ],
            new_people,
            ..IdentityPlan::default()
        }
    };
    let plans: [(&str, sightline_store::Identify<'_>); 2] =
        [("an unknown person", &unknown_person), ("an identifier of an unknown person", &unknown_identifier)];
    let mut outcome = Ok(());
    for url in &stores.urls {
        let store = Store::open(url).await.unwrap();
        for (what, identify) in plans {
            let refused = store.write_batch(&batch, &data, None, identify, false, None).await;
            let left = !store.batches().await.unwrap().is_empty()
                || !store.load_workforce().await.unwrap().spells().is_empty();
            if refused.is_ok() || left {
                outcome = Err(format!("{url}: a batch naming {what} was written, or left rows behind"));
            }
        }
    }
    // The database goes whatever the outcome.
    stores.drop().await;
    outcome.unwrap();
}

/// A request learns who asks and which data it sees from one statement:
/// the store's generation comes with the session or token, and it is the
/// generation after the latest import, not before.
#[tokio::test]
async fn a_session_or_token_is_read_with_the_generation_of_the_data() {
    on_each_backend("generation", |url| async move { session_and_generation(&url).await }).await;
}

type Checked = Result<(), Box<dyn std::error::Error>>;

/// Runs `check` on a store of each backend; the PostgreSQL database goes
/// whatever the outcome.
async fn on_each_backend<F, Fut>(test: &str, check: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Checked>,
{
    let stores = Backends::new(test).await;
    let mut outcome = Ok(());
    for url in &stores.urls {
        if let Err(e) = check(url.clone()).await {
            outcome = Err(format!("{url}: {e}"));
        }
    }
    stores.drop().await;
    outcome.unwrap();
}

async fn session_and_generation(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    use chrono::{Duration, Utc};
    use sightline_store::Role;
    let store = Store::open(url).await?;
    let user = store.add_user("lead", Role::Admin, &[], "not a real hash").await?;
    store.create_session(user.id, "live", "csrf1", Utc::now() + Duration::hours(1)).await?;
    store.create_session(user.id, "ended", "csrf2", Utc::now() - Duration::seconds(1)).await?;
    let token = store.create_token("lead", "tok", "test").await?;
    let before = store.generation().await?;
    let data = source();
    let plan = |_| all_new_plan(&data);
    store.write_batch(&batch(&data), &data, None, &plan, false, None).await?;
    let after = store.generation().await?;
    let session = store.session_and_generation("live").await?.map(|(s, g)| (s.user.name, s.csrf, g));
    let by_token = store.token_user_and_generation("tok").await?.map(|(u, g)| (u.name, g));
    let ended = store.session_and_generation("ended").await?.is_some();
    store.revoke_token(token).await?;
    let revoked = store.token_user_and_generation("tok").await?.is_some();
    let seen = (session, by_token, ended, revoked);
    let expected =
        (Some(("lead".to_string(), "csrf1".to_string(), after)), Some(("lead".to_string(), after)), false, false);
    if after == before || seen != expected {
        return Err(format!("generation {before} then {after}; read {seen:?}").into());
    }
    Ok(())
}

/// The rows a batch left out are sent one at a time as they are read, in
/// order of file and line, every one once, on both backends; sending stops,
/// without an error, when the reader goes or takes nothing for a while.
#[tokio::test]
async fn the_rows_a_batch_left_out_are_sent_as_they_are_read() {
    on_each_backend("sent", |url| async move { rows_sent(&url).await }).await;
}

async fn rows_sent(url: &str) -> Checked {
    let store = Store::open(url).await?;
    let mut data = source();
    let problem = |file: &str, line: u64, value: &str| RowProblem {
        file: file.into(),
        line,
        column: "fte".into(),
        value: value.into(),
        rule: "not a number".into(),
    };
    // Out of order, two on one line and column, and more than one file.
    data.skipped = vec![
        problem("hr.csv", 9, "y"),
        problem("agency.csv", 3, "a"),
        problem("hr.csv", 4, "x"),
        problem("hr.csv", 4, "z"),
        problem("hr.csv", 12, "w"),
    ];
    // Columns that sort apart on one line, in mixed case.
    for column in ["team", "FTE", "End date"] {
        data.skipped.push(RowProblem { column: column.into(), ..problem("hr.csv", 9, "v") });
    }
    // More rows than a page (1,000), most of them tying on file, line and
    // column across the pages' edges.
    data.skipped.extend((0..2_005).map(|i| problem("big.csv", if i < 1_990 { 7 } else { i }, &i.to_string())));
    let (id, _) = store.write_batch(&batch(&data), &data, None, &|_| all_new_plan(&data), false, None).await?;
    let listed = store.rejected_rows(id).await?;
    let (to, mut from) = tokio::sync::mpsc::channel(1);
    let reading = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(r) = from.recv().await {
            got.push(r);
        }
        got
    });
    let wait = std::time::Duration::from_secs(10);
    let whole = store.send_rejected_rows(id, &to, wait).await?;
    drop(to);
    let sent = reading.await?;
    if !whole {
        return Err("every row was read, but the sender says not".into());
    }
    // The listing's order exactly (file, line, column as the store sorts
    // text, then the order rows were written), every row once.
    let in_order = sent.windows(2).all(|w| (&w[0].file, w[0].line) <= (&w[1].file, w[1].line));
    if sent != listed || sent.len() != 2_013 || !in_order {
        return Err(format!("sent {} rows, listed {}, in order {in_order}", sent.len(), listed.len()).into());
    }
    // Each of the big file's rows sent once.
    let mut big: Vec<u64> = sent.iter().filter(|r| r.file == "big.csv").filter_map(|r| r.value.parse().ok()).collect();
    big.sort_unstable();
    if big != (0..2_005).collect::<Vec<u64>>() {
        return Err(format!("{} of the big file's 2,005 rows sent once", big.len()).into());
    }
    // A reader who stops after one row: the rest is not sent, no error,
    // and the sender says the rows were not all sent.
    let (to, mut from) = tokio::sync::mpsc::channel(1);
    let first = tokio::spawn(async move { from.recv().await });
    let whole = store.send_rejected_rows(id, &to, wait).await?;
    if whole || first.await?.map(|r| r.file) != Some("agency.csv".to_string()) {
        return Err("the first row was not sent first, or the sender says all were".into());
    }
    // A reader who is there but takes nothing: the sender gives up after
    // the wait, rather than holding its connection.
    let (to, _idle) = tokio::sync::mpsc::channel(1);
    let began = std::time::Instant::now();
    let whole = store.send_rejected_rows(id, &to, std::time::Duration::from_millis(50)).await?;
    if whole || began.elapsed() > std::time::Duration::from_secs(5) {
        return Err("a reader who takes nothing held the sender".into());
    }
    Ok(())
}
