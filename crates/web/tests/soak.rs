//! A soak: imports, page views, API calls and backups at once, on SQLite
//! and (when `SIGHTLINE_TEST_PG` names a server) PostgreSQL, for
//! `SIGHTLINE_SOAK_SECONDS` (20 by default; docs/performance.md records a
//! longer run). Afterwards every figure the server gives equals one worked
//! out afresh from the fact tables, the store holds exactly the rows of the
//! last import of each source, and every backup is a whole store.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use sightline_core::{indicators, Calendar, Period};
use sightline_import::Import;
use sightline_ingest::{write_dir, Strictness};
use sightline_store::{Role, Store};
use sightline_synth::{synthesize, Basis, Request as SynthRequest};
use sightline_web::{app, hash_password, new_token, token_digest, Settings};
use sqlx::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

async fn get(app: &Router, uri: &str, token: &str) -> (StatusCode, String) {
    let request =
        Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[derive(Default)]
struct Tally {
    imports: AtomicU64,
    pages: AtomicU64,
    api: AtomicU64,
    backups: AtomicU64,
    busy: AtomicU64,
}

async fn soak(url: &str, dir: &std::path::Path, sqlite: bool) {
    let seconds: u64 = std::env::var("SIGHTLINE_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let calendar = Calendar::england_and_wales();
    // Two versions of one HR source's export, imported by turns, and another source once.
    let folders: Vec<std::path::PathBuf> = (0..3)
        .map(|n| {
            let people = if n == 2 { 60 } else { 300 };
            let wf = synthesize(&SynthRequest::new(Basis::Size { people }, 2021..=2024, n as u64 + 1), &calendar)
                .unwrap()
                .workforce;
            let folder = dir.join(format!("v{n}"));
            write_dir(&wf, &folder).unwrap();
            folder
        })
        .collect();
    let store = Store::open(url).await.unwrap();
    store.import_canonical(&folders[2], "bank", "soak", Strictness::Strict).await.unwrap();
    store.import_canonical(&folders[0], "hr", "soak", Strictness::Strict).await.unwrap();
    store.add_user("ada", Role::Admin, &[], &hash_password("ada-password")).await.unwrap();
    let token = new_token();
    store.create_token("ada", &token_digest(&token), "soak").await.unwrap();
    let web = app(store.clone(), Settings::default()).await.unwrap();
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(seconds);
    let last_import = Arc::new(AtomicU64::new(0));

    let importer = {
        let (store, tally, folders, last) = (store.clone(), tally.clone(), folders.clone(), last_import.clone());
        tokio::spawn(async move {
            let mut n = 1;
            while Instant::now() < until {
                store.import_canonical(&folders[n % 2], "hr", "soak", Strictness::Strict).await.unwrap();
                last.store((n % 2) as u64, Ordering::SeqCst);
                tally.imports.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
        })
    };
    let viewers: Vec<_> = (0..3)
        .map(|k| {
            let (web, tally, token) = (web.clone(), tally.clone(), token.clone());
            tokio::spawn(async move {
                let pages = ["/", "/teams", "/turnover", "/absence", "/agency", "/people", "/data", "/forecast"];
                let mut i = k;
                while Instant::now() < until {
                    let (uri, api) = if i % 3 == 0 {
                        ("/api/v1/indicators?year=2024&by=team".to_string(), true)
                    } else {
                        (format!("{}?date=2024-09-30", pages[i % pages.len()]), false)
                    };
                    let (status, body) = get(&web, &uri, &token).await;
                    match status {
                        StatusCode::OK => {
                            let counter = if api { &tally.api } else { &tally.pages };
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                        StatusCode::SERVICE_UNAVAILABLE => {
                            tally.busy.fetch_add(1, Ordering::SeqCst);
                        }
                        other => panic!("{uri}: {other}: {body}"),
                    }
                    i += 1;
                }
            })
        })
        .collect();
    let backups = if sqlite {
        let (store, tally, dir) = (store.clone(), tally.clone(), dir.to_path_buf());
        Some(tokio::spawn(async move {
            let mut made = Vec::new();
            let mut n = 0;
            while Instant::now() < until {
                let out = dir.join(format!("backup-{n}.db"));
                store.backup(&out).await.unwrap();
                tally.backups.fetch_add(1, Ordering::SeqCst);
                made.push(out);
                n += 1;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            made
        }))
    } else {
        None
    };
    importer.await.unwrap();
    for v in viewers {
        v.await.unwrap();
    }
    let made = match backups {
        Some(b) => b.await.unwrap(),
        None => Vec::new(),
    };

    // Every figure equals one worked out afresh from the fact tables.
    let (snapshot, _) = store.load_with_conflicts().await.unwrap();
    let (fresh, _) = store.load_from_facts().await.unwrap();
    let period = Period::census_year(2024);
    assert_eq!(indicators(&snapshot, &calendar, period).rounded(), indicators(&fresh, &calendar, period).rounded());
    let (status, body) = get(&web, "/api/v1/indicators?year=2024", &token).await;
    assert_eq!(status, StatusCode::OK);
    let served: serde_json::Value = serde_json::from_str(&body).unwrap();
    let expected = indicators(&fresh, &calendar, period).rounded();
    assert_eq!(served["inpost_headcount"], expected.inpost_headcount);
    assert_eq!(served["leavers_headcount"], expected.leavers_headcount);
    // No row lost or doubled: the store holds the last "hr" export and the bank's.
    let last = &folders[last_import.load(Ordering::SeqCst) as usize];
    let lines = |folder: &std::path::Path, file: &str| {
        std::fs::read_to_string(folder.join(file)).map_or(0, |t| t.lines().count().saturating_sub(1)) as i64
    };
    let counts = store.row_counts().await.unwrap();
    let count = |table: &str| counts.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(count("spell"), lines(last, "spells.csv") + lines(&folders[2], "spells.csv"));
    assert_eq!(count("absence"), lines(last, "absences.csv") + lines(&folders[2], "absences.csv"));
    for out in &made {
        let copy = Store::open(out.to_str().unwrap()).await.unwrap();
        assert!(copy.integrity().await.unwrap().is_empty(), "{}", out.display());
        assert_eq!(copy.verify_audit().await.unwrap().broken, None);
    }
    assert_eq!(store.verify_audit().await.unwrap().broken, None);
    eprintln!(
        "soak ({}), {seconds} s: {} imports, {} pages, {} API calls, {} backups, {} answered busy",
        if sqlite { "SQLite" } else { "PostgreSQL" },
        tally.imports.load(Ordering::SeqCst),
        tally.pages.load(Ordering::SeqCst),
        tally.api.load(Ordering::SeqCst),
        tally.backups.load(Ordering::SeqCst),
        tally.busy.load(Ordering::SeqCst),
    );
    assert!(tally.imports.load(Ordering::SeqCst) >= 1 && tally.pages.load(Ordering::SeqCst) >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_pages_api_and_backups_at_once_lose_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    soak(dir.path().join("soak.db").to_str().unwrap(), dir.path(), true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_pages_api_and_backups_at_once_lose_nothing_on_postgres() {
    let Ok(server) = std::env::var("SIGHTLINE_TEST_PG") else {
        eprintln!("SIGHTLINE_TEST_PG is not set: the PostgreSQL soak was not run");
        return;
    };
    let mut admin = sqlx::PgConnection::connect(&server).await.expect("SIGHTLINE_TEST_PG is set but cannot be reached");
    let name = format!("sightline_soak_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
    let dir = tempfile::tempdir().unwrap();
    soak(&format!("{base}/{name}"), dir.path(), false).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
}
