//! Sightline's persistent store: the workforce as dated facts in SQLite
//! (embedded, the default) or PostgreSQL, chosen by URL, with every fact
//! tied to the import batch it came from.
//!
//! One [`Store`] gives the same behaviour on both backends; each backend has
//! its own versioned migrations (`migrations/sqlite`, `migrations/postgres`),
//! applied when the store is opened.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the store at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the store's tables up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    NotFound(String),
    #[error("the store holds a value it cannot read back: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Backup(String),
    #[error("cannot write to the audit log: {0}")]
    Audit(String),
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The store. Open it with [`Store::open`]; clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    audit_queue: std::sync::Arc<access::AuditQueue>,
}

/// Rows in one multi-row INSERT: well under both backends' limits on bound values.
const CHUNK: usize = 1000;

macro_rules! on_backend {
    ($store:expr, $pool:ident => $body:expr, $module:ident) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => {
                use sqlite as $module;
                $body
            }
            $crate::Backend::Postgres($pool) => {
                use postgres as $module;
                $body
            }
        }
    };
}

// After `on_backend!`, which they use.
mod access;
mod authority;
mod batches;
pub mod credentials;
mod development;
mod people;
mod recruitment;
mod voice;
mod workforce;

pub use access::{AuditCheck, AuditEntry, Role, Session, TokenInfo, User};
pub use authority::SetTarget;
pub use batches::{Batch, Changes, Identify, Progress, StoredReturn};
pub use people::{HistoryFact, PersonHistory, PersonSummary, Suggestion};
pub use workforce::Population;

/// Before a SQLite store that holds data is brought up to a newer version,
/// a copy of it as it was: `PATH.before-migration-N` (N its version).
async fn backup_before_migrating(
    pool: &sqlx::SqlitePool,
    migrator: &sqlx::migrate::Migrator,
    path: &str,
) -> Result<(), StoreError> {
    let has_table: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(pool)
            .await?;
    if has_table.is_none() {
        return Ok(());
    }
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(pool).await?;
    let newest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    let Some(applied) = applied.filter(|a| *a < newest) else { return Ok(()) };
    let out = format!("{}.before-migration-{applied}", path.split('?').next().unwrap_or(path));
    if std::path::Path::new(&out).exists() {
        return Ok(());
    }
    vacuum_into(pool, std::path::Path::new(&out)).await
}

/// A consistent copy of a SQLite store, taken while it is in use, in a new
/// file readable by its owner only.
async fn vacuum_into(pool: &sqlx::SqlitePool, out: &std::path::Path) -> Result<(), StoreError> {
    if out.exists() {
        return Err(StoreError::Backup(format!("{} exists already: choose a new file", out.display())));
    }
    #[cfg(unix)]
    {
        // Created empty and owner-only first, so that the copy never is otherwise.
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(out)
            .map_err(|e| StoreError::Backup(format!("cannot create {}: {e}", out.display())))?;
    }
    let target = out.to_str().ok_or_else(|| StoreError::Backup(format!("{} is not a UTF-8 path", out.display())))?;
    sqlx::query("VACUUM INTO ?").bind(target).execute(pool).await?;
    Ok(())
}

/// A SQLite store's files readable and writable by their owner only,
/// whatever the umask: the database (created so, before SQLite opens it,
/// which then gives its WAL and shared-memory files the same mode), and,
/// once open (`opened`), those two as well.
fn owner_only(path: &str, opened: bool) -> std::io::Result<()> {
    if path.is_empty() || path.starts_with(':') || path.contains("mode=memory") {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let path = path.split('?').next().unwrap_or(path);
        if !opened {
            if !std::path::Path::new(path).exists() {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map(drop)
                    .or_else(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { Ok(()) } else { Err(e) })?;
            }
            return std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        for end in ["-wal", "-shm"] {
            let file = format!("{path}{end}");
            if std::path::Path::new(&file).exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = opened;
    Ok(())
}

impl Store {
    /// Opens (and on first use creates) the store at `url`: `postgres://...`
    /// for PostgreSQL; `sqlite:PATH` or a plain file path for SQLite.
    /// Migrations are applied as needed.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open { url: url.to_string(), source };
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No JIT compilation: Sightline's statements are short or read
            // whole tables, and on a table just written (no statistics yet)
            // the planner's estimates made PostgreSQL compile each of an
            // import's checks, 0.3 s apiece, to run them once. Set by a
            // statement rather than a startup option, which a connection
            // pooler such as PgBouncer may refuse.
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(4)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::Executor::execute(conn, "SET jit = off").await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await
                .map_err(open_error)?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Backend::Postgres(pool)
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            owner_only(path, false).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                // Rows come from each connection's own thread through a
                // channel of this many; when it is full that thread waits
                // for the request's task to take some (sqlx's default, 50,
                // made a page of the audit log switch threads several times).
                .row_buffer_size(1024);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await
                .map_err(open_error)?;
            let migrator = sqlx::migrate!("./migrations/sqlite");
            backup_before_migrating(&pool, &migrator, path).await?;
            migrator.run(&pool).await?;
            owner_only(path, true).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            Backend::Sqlite(pool)
        };
        Ok(Store { backend, audit_queue: Default::default() })
    }

    /// A consistent copy of the store in `out` (a new file), taken while it
    /// is in use: SQLite's `VACUUM INTO`, which reads one snapshot of the
    /// database however imports and sessions write meanwhile. PostgreSQL
    /// stores are backed up with `pg_dump`.
    pub async fn backup(&self, out: &std::path::Path) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => vacuum_into(pool, out).await,
            Backend::Postgres(_) => Err(StoreError::Backup(
                "a PostgreSQL store is backed up with PostgreSQL's own tools: pg_dump --format=custom --file FILE DATABASE \
(and restored with pg_restore --clean --dbname DATABASE FILE)"
                    .into(),
            )),
        }
    }

    /// Whether a SQLite store is whole (`PRAGMA integrity_check`); problems found, if any.
    pub async fn integrity(&self) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let found: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(pool).await?;
                Ok(found.into_iter().filter(|f| f != "ok").collect())
            }
            Backend::Postgres(_) => Ok(Vec::new()),
        }
    }

    /// Closes the store's connections (a SQLite file may then be moved).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    /// The store's generation: it changes whenever the facts change.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        let sql = "SELECT generation FROM store_state";
        Ok(match &self.backend {
            Backend::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
            Backend::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        })
    }

    /// Rows in each fact table, for reports and tests.
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in [
            "person",
            "team",
            "spell",
            "establishment",
            "absence",
            "caseload",
            "development_record",
            "voice_record",
            "recruitment_record",
            "import_batch",
        ] {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let n: i64 = match &self.backend {
                Backend::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
                Backend::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
            };
            out.push((table, n));
        }
        Ok(out)
    }
}
