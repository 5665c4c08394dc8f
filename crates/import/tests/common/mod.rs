//! A fresh PostgreSQL database for a test, when `SIGHTLINE_TEST_PG` names a
//! server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`). If the
//! variable is set and the server cannot be reached, the test fails: it
//! never passes by skipping.

use sightline_core::{indicators, Calendar, Period, Workforce};
use sqlx::Connection;

pub struct PgDatabase {
    admin: sqlx::PgConnection,
    name: String,
    pub url: String,
}

/// A new, empty database named after `test`, or None when no server is configured.
pub async fn postgres(test: &str) -> Option<PgDatabase> {
    let Ok(server) = std::env::var("SIGHTLINE_TEST_PG") else {
        eprintln!("SIGHTLINE_TEST_PG is not set: the PostgreSQL story was not run");
        return None;
    };
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("SIGHTLINE_TEST_PG is set but {server} cannot be reached: {e}"));
    let name = format!("sightline_{test}_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    Some(PgDatabase { admin, name, url })
}

impl PgDatabase {
    pub async fn drop(mut self) {
        sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name)).execute(&mut self.admin).await.unwrap();
    }
}

/// The two workforces give every published figure alike (unrounded, to
/// 1e-9) in each census year of `years`.
#[allow(dead_code)] // not every story compares workforces
pub fn assert_same_figures(a: &Workforce, b: &Workforce, years: std::ops::RangeInclusive<i32>) {
    let calendar = Calendar::england_and_wales();
    for y in years {
        let p = Period::census_year(y);
        let (x, z) = (indicators(a, &calendar, p), indicators(b, &calendar, p));
        assert_eq!(x.rounded(), z.rounded(), "{y}");
        for f in sightline_core::published::FIELDS {
            let (u, v) = (x.field(f), z.field(f));
            assert!(u.zip(v).map_or(u == v, |(u, v)| (u - v).abs() < 1e-9), "{y} {f}: {u:?} {v:?}");
        }
    }
}
