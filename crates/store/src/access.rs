//! Who may use Sightline: users and their roles, login sessions, API tokens,
//! and the audit log. Secrets are never stored in the clear: the caller
//! hands in Argon2 password hashes and SHA-256 digests of tokens.

use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use sightline_core::words::escape_control;
use std::fmt;

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including users and the audit log.
    Admin,
    /// All personal data.
    Hr,
    /// Personal data of their own teams only.
    Manager,
    /// Aggregates and pseudonymised records.
    Analyst,
    /// Aggregates only, with small counts suppressed.
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Hr, Role::Manager, Role::Analyst, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Hr => "hr",
            Role::Manager => "manager",
            Role::Analyst => "analyst",
            Role::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The role in words, for pages.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Admin => "administrator",
            Role::Hr => "HR",
            Role::Manager => "team manager",
            Role::Analyst => "analyst",
            Role::Member => "elected member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user of the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The teams a manager manages (empty for other roles).
    pub teams: Vec<String>,
    pub created_at: String,
}

/// A logged-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The token forms must carry back (CSRF protection).
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// An API token, as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub user: String,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub detail: String,
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.teams, u.created_at";
/// The store's generation, read in the same statement as a session or token:
/// a request learns who asks and which data it sees in one round trip.
const GENERATION: &str = "(SELECT generation FROM store_state)";

/// What `sightline audit verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries written before the log was chained.
    pub before_chain: u64,
    /// Entries whose hash was checked and held.
    pub chained: u64,
    /// The first entry that breaks the chain, and why.
    pub broken: Option<(i64, String)>,
    /// The last entry checked and its hash: written down elsewhere, it lets
    /// a later check see that the log was not cut back to before it.
    pub head: Option<(i64, String)>,
}

impl AuditCheck {
    /// The head as written for `audit verify --expect`: `ID:HASH`.
    pub fn head_text(&self) -> Option<String> {
        self.head.as_ref().map(|(id, hash)| format!("{id}:{hash}"))
    }
}

/// An entry's hash: SHA-256 over the previous entry's hash and its own fields.
fn chain_hash(previous: &str, at: &str, user: &str, action: &str, detail: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [previous, at, user, action, detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry for the audit log, its fields cleaned: control characters
/// written out, and none of unbounded length.
pub(crate) struct Entry {
    user: String,
    action: String,
    detail: String,
}

impl Entry {
    fn new(user: &str, action: &str, detail: &str) -> Entry {
        let clean = |text: &str, most: usize| -> String {
            let text = escape_control(text);
            match text.char_indices().nth(most) {
                Some((at, _)) => format!("{}... ({} characters)", &text[..at], text.chars().count()),
                None => text.into_owned(),
            }
        };
        Entry { user: clean(user, 100), action: clean(action, 100), detail: clean(detail, 2000) }
    }
}

type Reply = tokio::sync::oneshot::Sender<Result<(), String>>;

/// Audit entries waiting to be written, and the right to write them: a group
/// commit. Each caller queues its entry and waits for the writer; whoever
/// holds it writes everything queued so far in one transaction and tells
/// each waiting caller whether its entry is in the log. A caller returns only
/// once its own entry is committed, or with the error that kept it out.
#[derive(Default)]
pub(crate) struct AuditQueue {
    waiting: std::sync::Mutex<Vec<(Entry, Reply)>>,
    writer: tokio::sync::Mutex<()>,
}

macro_rules! access {
    ($module:ident, $db:ty, $pool:ty) => {
        mod $module {
            use super::*;
            use sqlx::{QueryBuilder, Row};

            pub fn user_from_row(r: &<$db as sqlx::Database>::Row) -> Result<User, StoreError> {
                let role: String = r.try_get(2)?;
                let teams: String = r.try_get(3)?;
                Ok(User {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?,
                    teams: teams.split('\n').filter(|t| !t.is_empty()).map(str::to_string).collect(),
                    created_at: r.try_get(4)?,
                })
            }

            pub async fn add_user(pool: &$pool, name: &str, role: Role, teams: &[String], hash: &str) -> Result<User, StoreError> {
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                let exists = QueryBuilder::<$db>::new("SELECT 1 FROM app_user WHERE name = ")
                    .push_bind(name)
                    .build()
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::NotFound(format!("there is already a user called `{name}`")));
                }
                let r = QueryBuilder::<$db>::new("INSERT INTO app_user (name, role, teams, password_hash, created_at) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(name).push_bind(role.as_str()).push_bind(teams.join("\n")).push_bind(hash).push_bind(Utc::now().to_rfc3339());
                    })
                    .push(" RETURNING id, name, role, teams, created_at")
                    .build()
                    .fetch_one(&mut *tx)
                    .await?;
                let user = user_from_row(&r)?;
                tx.commit().await?;
                Ok(user)
            }

            pub async fn user(pool: &$pool, name: &str) -> Result<Option<(User, String)>, StoreError> {
                let Some(r) = QueryBuilder::<$db>::new(format!("SELECT {USER_COLUMNS}, u.password_hash FROM app_user u WHERE u.name = "))
                    .push_bind(name)
                    .build()
                    .fetch_optional(pool)
                    .await?
                else {
                    return Ok(None);
                };
                Ok(Some((user_from_row(&r)?, r.try_get(5)?)))
            }

            pub async fn users(pool: &$pool) -> Result<Vec<User>, StoreError> {
                sqlx::query(&format!("SELECT {USER_COLUMNS} FROM app_user u ORDER BY u.name"))
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(user_from_row)
                    .collect()
            }

            pub async fn set_password(pool: &$pool, name: &str, hash: &str) -> Result<(), StoreError> {
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                let done = QueryBuilder::<$db>::new("UPDATE app_user SET password_hash = ")
                    .push_bind(hash)
                    .push(" WHERE name = ")
                    .push_bind(name)
                    .build()
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound(format!("no user called `{name}`")));
                }
                // A new password ends the sessions of the old one.
                QueryBuilder::<$db>::new("DELETE FROM app_session WHERE user_id IN (SELECT id FROM app_user WHERE name = ")
                    .push_bind(name)
                    .push(")")
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            pub async fn remove_user(pool: &$pool, name: &str) -> Result<(), StoreError> {
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                for table in ["app_session", "api_token"] {
                    QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE user_id IN (SELECT id FROM app_user WHERE name = "))
                        .push_bind(name)
                        .push(")")
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                let done = QueryBuilder::<$db>::new("DELETE FROM app_user WHERE name = ")
                    .push_bind(name)
                    .build()
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound(format!("no user called `{name}`")));
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn create_session(pool: &$pool, user: i64, token_hash: &str, csrf: &str, expires: DateTime<Utc>) -> Result<(), StoreError> {
                QueryBuilder::<$db>::new("INSERT INTO app_session (token_hash, user_id, csrf, created_at, expires_at) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(token_hash).push_bind(user).push_bind(csrf).push_bind(Utc::now().to_rfc3339()).push_bind(expires.to_rfc3339());
                    })
                    .build()
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub async fn login_failures(pool: &$pool, keys: &[String]) -> Result<Vec<(String, i64, String)>, StoreError> {
                let mut q = QueryBuilder::<$db>::new("SELECT key, failures, last_at FROM login_throttle WHERE key IN (");
                let mut list = q.separated(", ");
                for k in keys {
                    list.push_bind(k);
                }
                q.push(")");
                q.build()
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                    .collect()
            }

            pub async fn record_login_failure(pool: &$pool, keys: &[String], at: &str) -> Result<(), StoreError> {
                let mut tx = pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                for k in keys {
                    QueryBuilder::<$db>::new("INSERT INTO login_throttle (key, failures, last_at) ")
                        .push_values([()], |mut b, ()| {
                            b.push_bind(k).push_bind(1i64).push_bind(at);
                        })
                        .push(" ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, last_at = excluded.last_at")
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn clear_login_failures(pool: &$pool, keys: &[String], name: Option<&str>) -> Result<(), StoreError> {
                let mut q = QueryBuilder::<$db>::new("DELETE FROM login_throttle WHERE key IN (");
                let mut list = q.separated(", ");
                for k in keys {
                    list.push_bind(k);
                }
                list.push_bind("");
                if let Some(name) = name {
                    list.push_bind(format!("name:{name}"));
                }
                q.push(")");
                if let Some(name) = name {
                    // Every (name, address) pair of the name, by their shared beginning.
                    q.push(" OR substr(key, 1, ").push_bind(name.chars().count() as i64 + 6).push(") = ").push_bind(format!("name:{name}|"));
                }
                q.build().execute(pool).await?;
                Ok(())
            }

            pub async fn session(pool: &$pool, token_hash: &str) -> Result<Option<(Session, i64)>, StoreError> {
                let Some(r) = QueryBuilder::<$db>::new(format!(
                    "SELECT {USER_COLUMNS}, s.csrf, s.expires_at, {GENERATION} FROM app_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = "
                ))
                .push_bind(token_hash)
                .build()
                .fetch_optional(pool)
                .await?
                else {
                    return Ok(None);
                };
                let expires: String = r.try_get(6)?;
                let expires_at = DateTime::parse_from_rfc3339(&expires)
                    .map_err(|_| StoreError::Corrupt(format!("session expiry `{expires}`")))?
                    .with_timezone(&Utc);
                if expires_at <= Utc::now() {
                    end_session(pool, token_hash).await?;
                    return Ok(None);
                }
                Ok(Some((Session { user: user_from_row(&r)?, csrf: r.try_get(5)?, expires_at }, r.try_get(7)?)))
            }

            pub async fn end_session(pool: &$pool, token_hash: &str) -> Result<(), StoreError> {
                QueryBuilder::<$db>::new("DELETE FROM app_session WHERE token_hash = ").push_bind(token_hash).build().execute(pool).await?;
                Ok(())
            }

            pub async fn create_token(pool: &$pool, user: &str, token_hash: &str, label: &str) -> Result<i64, StoreError> {
                let Some((u, _)) = self::user(pool, user).await? else {
                    return Err(StoreError::NotFound(format!("no user called `{user}`")));
                };
                let r = QueryBuilder::<$db>::new("INSERT INTO api_token (user_id, token_hash, label, created_at) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(u.id).push_bind(token_hash).push_bind(label).push_bind(Utc::now().to_rfc3339());
                    })
                    .push(" RETURNING id")
                    .build()
                    .fetch_one(pool)
                    .await?;
                Ok(r.try_get(0)?)
            }

            pub async fn token_user(pool: &$pool, token_hash: &str) -> Result<Option<(User, i64)>, StoreError> {
                QueryBuilder::<$db>::new(format!(
                    "SELECT {USER_COLUMNS}, {GENERATION} FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.revoked_at IS NULL AND t.token_hash = "
                ))
                .push_bind(token_hash)
                .build()
                .fetch_optional(pool)
                .await?
                .map(|r| Ok((user_from_row(&r)?, r.try_get(5)?)))
                .transpose()
            }

            pub async fn tokens(pool: &$pool) -> Result<Vec<TokenInfo>, StoreError> {
                sqlx::query("SELECT t.id, u.name, t.label, t.created_at, t.revoked_at FROM api_token t JOIN app_user u ON u.id = t.user_id ORDER BY t.id")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(TokenInfo { id: r.try_get(0)?, user: r.try_get(1)?, label: r.try_get(2)?, created_at: r.try_get(3)?, revoked_at: r.try_get(4)? })
                    })
                    .collect()
            }

            pub async fn revoke_token(pool: &$pool, id: i64) -> Result<(), StoreError> {
                let done = QueryBuilder::<$db>::new("UPDATE api_token SET revoked_at = ")
                    .push_bind(Utc::now().to_rfc3339())
                    .push(" WHERE revoked_at IS NULL AND id = ")
                    .push_bind(id)
                    .build()
                    .execute(pool)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound(format!("no token {id} that is still valid")));
                }
                Ok(())
            }

            /// Writes entries to the audit log in one transaction, chained
            /// in the order given: all of them, or none.
            pub async fn audit_entries(pool: &$pool, entries: &[super::Entry]) -> Result<(), StoreError> {
                if entries.is_empty() {
                    return Ok(());
                }
                // One writer at a time, so that each entry chains to the one before.
                let sqlite = stringify!($module) == "sqlite";
                let mut tx = pool.begin_with(if sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                if !sqlite {
                    sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
                }
                let mut previous: String =
                    sqlx::query_scalar("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1")
                        .fetch_optional(&mut *tx)
                        .await?
                        .unwrap_or_default();
                let at = Utc::now().to_rfc3339();
                // Five bound values a row: well under both backends' limits.
                for chunk in entries.chunks(crate::CHUNK / 5) {
                    let mut insert = QueryBuilder::<$db>::new("INSERT INTO audit_log (at, user_name, action, detail, hash) ");
                    insert.push_values(chunk, |mut b, e| {
                        let hash = chain_hash(&previous, &at, &e.user, &e.action, &e.detail);
                        b.push_bind(at.clone())
                            .push_bind(e.user.clone())
                            .push_bind(e.action.clone())
                            .push_bind(e.detail.clone())
                            .push_bind(hash.clone());
                        previous = hash;
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn verify_audit(pool: &$pool) -> Result<AuditCheck, StoreError> {
                use futures_util::TryStreamExt;
                let mut rows = sqlx::query("SELECT id, at, user_name, action, detail, hash FROM audit_log ORDER BY id").fetch(pool);
                let mut check = AuditCheck::default();
                let mut previous: Option<String> = None;
                while let Some(r) = rows.try_next().await? {
                    let id: i64 = r.try_get(0)?;
                    let hash: Option<String> = r.try_get(5)?;
                    match (hash, &previous) {
                        (None, None) => check.before_chain += 1,
                        (None, Some(_)) => {
                            check.broken = Some((id, "it has no hash, though entries before it do".into()));
                            break;
                        }
                        (Some(hash), _) => {
                            let (at, user, action, detail): (String, String, String, String) =
                                (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
                            let expected = chain_hash(previous.as_deref().unwrap_or(""), &at, &user, &action, &detail);
                            if expected != hash {
                                check.broken = Some((id, "it, or an entry before it, was changed or removed".into()));
                                break;
                            }
                            check.chained += 1;
                            check.head = Some((id, hash.clone()));
                            previous = Some(hash);
                        }
                    }
                }
                Ok(check)
            }

            pub async fn audit_hash(pool: &$pool, id: i64) -> Result<Option<String>, StoreError> {
                let r = QueryBuilder::<$db>::new("SELECT hash FROM audit_log WHERE id = ")
                    .push_bind(id)
                    .build()
                    .fetch_optional(pool)
                    .await?;
                Ok(match r {
                    Some(r) => r.try_get(0)?,
                    None => None,
                })
            }

            pub async fn secret(pool: &$pool, name: &str, fresh: &str) -> Result<String, StoreError> {
                let insert = if stringify!($module) == "sqlite" {
                    "INSERT OR IGNORE INTO app_secret (name, value) VALUES (?, ?)"
                } else {
                    "INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                };
                sqlx::query(insert).bind(name).bind(fresh).execute(pool).await?;
                let r = QueryBuilder::<$db>::new("SELECT value FROM app_secret WHERE name = ").push_bind(name).build().fetch_one(pool).await?;
                Ok(r.try_get(0)?)
            }

            pub async fn audit_page(
                pool: &$pool,
                user: Option<&str>,
                action: Option<&str>,
                before: Option<i64>,
                limit: i64,
            ) -> Result<Vec<AuditEntry>, StoreError> {
                let mut q = QueryBuilder::<$db>::new("SELECT id, at, user_name, action, detail FROM audit_log WHERE 1 = 1");
                if let Some(u) = user {
                    q.push(" AND user_name = ").push_bind(u);
                }
                if let Some(a) = action {
                    q.push(" AND action = ").push_bind(a);
                }
                if let Some(b) = before {
                    q.push(" AND id < ").push_bind(b);
                }
                q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
                q.build()
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok(AuditEntry { id: r.try_get(0)?, at: r.try_get(1)?, user: r.try_get(2)?, action: r.try_get(3)?, detail: r.try_get(4)? }))
                    .collect()
            }

            pub async fn audit_log(pool: &$pool, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
                QueryBuilder::<$db>::new("SELECT id, at, user_name, action, detail FROM audit_log ORDER BY id DESC LIMIT ")
                    .push_bind(limit)
                    .build()
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok(AuditEntry { id: r.try_get(0)?, at: r.try_get(1)?, user: r.try_get(2)?, action: r.try_get(3)?, detail: r.try_get(4)? }))
                    .collect()
            }
        }
    };
}

access!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
access!(postgres, sqlx::Postgres, sqlx::PgPool);

impl Store {
    /// Adds a user; `password_hash` is an Argon2 PHC string.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        teams: &[String],
        password_hash: &str,
    ) -> Result<User, StoreError> {
        on_backend!(self, pool => a::add_user(pool, name, role, teams, password_hash).await, a)
    }

    /// A user and their password hash.
    pub async fn user(&self, name: &str) -> Result<Option<(User, String)>, StoreError> {
        on_backend!(self, pool => a::user(pool, name).await, a)
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        on_backend!(self, pool => a::users(pool).await, a)
    }

    /// Sets a new password hash; the user's sessions end.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::set_password(pool, name, password_hash).await, a)
    }

    /// Removes a user, their sessions and tokens; the audit log keeps their name.
    pub async fn remove_user(&self, name: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::remove_user(pool, name).await, a)
    }

    pub async fn create_session(
        &self,
        user: i64,
        token_hash: &str,
        csrf: &str,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => a::create_session(pool, user, token_hash, csrf, expires).await, a)
    }

    /// The failed logins recorded under each of `keys`: (key, failures, when the last was, RFC 3339).
    pub async fn login_failures(&self, keys: &[String]) -> Result<Vec<(String, i64, String)>, StoreError> {
        on_backend!(self, pool => a::login_failures(pool, keys).await, a)
    }

    /// Counts a failed login under each of `keys`, at `at` (RFC 3339).
    pub async fn record_login_failure(&self, keys: &[String], at: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::record_login_failure(pool, keys, at).await, a)
    }

    /// Forgets the failed logins under `keys`, and with `name`, every one
    /// recorded for that user name (`name:NAME` and `name:NAME|ADDRESS`).
    pub async fn clear_login_failures(&self, keys: &[String], name: Option<&str>) -> Result<(), StoreError> {
        on_backend!(self, pool => a::clear_login_failures(pool, keys, name).await, a)
    }

    /// The session whose token has this digest, unless it has expired (then it is removed).
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        Ok(self.session_and_generation(token_hash).await?.map(|(session, _)| session))
    }

    /// [`Store::session`], and the store's generation ([`Store::generation`])
    /// read in the same statement.
    pub async fn session_and_generation(&self, token_hash: &str) -> Result<Option<(Session, i64)>, StoreError> {
        on_backend!(self, pool => a::session(pool, token_hash).await, a)
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::end_session(pool, token_hash).await, a)
    }

    /// Records an API token (by its digest) for a user; returns its id.
    pub async fn create_token(&self, user: &str, token_hash: &str, label: &str) -> Result<i64, StoreError> {
        on_backend!(self, pool => a::create_token(pool, user, token_hash, label).await, a)
    }

    /// The user of a valid (not revoked) token.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        Ok(self.token_user_and_generation(token_hash).await?.map(|(user, _)| user))
    }

    /// [`Store::token_user`], and the store's generation read in the same statement.
    pub async fn token_user_and_generation(&self, token_hash: &str) -> Result<Option<(User, i64)>, StoreError> {
        on_backend!(self, pool => a::token_user(pool, token_hash).await, a)
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        on_backend!(self, pool => a::tokens(pool).await, a)
    }

    pub async fn revoke_token(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, pool => a::revoke_token(pool, id).await, a)
    }

    /// Writes an entry to the audit log, and returns once it is committed.
    /// There is no way to change or remove one. Entries that arrive while
    /// another batch is being written are written together in the next
    /// transaction ([`AuditQueue`]), so many requests at once cost a few
    /// commits, not one each.
    pub async fn audit(&self, user: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        use tokio::sync::oneshot::error::TryRecvError;
        let (reply, mut answer) = tokio::sync::oneshot::channel();
        let queue = &self.audit_queue;
        queue
            .waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((Entry::new(user, action, detail), reply));
        let writer = queue.writer.lock().await;
        // The writer before us may have written our entry with its batch.
        match answer.try_recv() {
            Ok(result) => return result.map_err(StoreError::Audit),
            Err(TryRecvError::Closed) => return Err(StoreError::Audit("the entry was dropped unwritten".into())),
            Err(TryRecvError::Empty) => {}
        }
        let batch = std::mem::take(&mut *queue.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        if !batch.is_empty() {
            // Written by a task of its own, so that a caller that goes away
            // (a closed connection) leaves the others' entries written.
            let store = self.clone();
            let write = tokio::spawn(async move {
                let (entries, replies): (Vec<Entry>, Vec<Reply>) = batch.into_iter().unzip();
                let result =
                    on_backend!(store, pool => a::audit_entries(pool, &entries).await, a).map_err(|e| e.to_string());
                for reply in replies {
                    let _ = reply.send(result.clone());
                }
            });
            // A panic drops the replies, which the waiters see below.
            let _ = write.await;
        }
        drop(writer);
        match answer.await {
            Ok(result) => result.map_err(StoreError::Audit),
            Err(_) => Err(StoreError::Audit("the entry was dropped unwritten".into())),
        }
    }

    /// The latest `limit` entries of the audit log, newest first.
    /// A page of the audit log, newest first: entries before entry `before`
    /// (all when `None`), of one user or one action when given.
    pub async fn audit_page(
        &self,
        user: Option<&str>,
        action: Option<&str>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        on_backend!(self, pool => a::audit_page(pool, user, action, before, limit).await, a)
    }

    /// Whether the audit log's chain holds: the first entry that breaks it, if any.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        on_backend!(self, pool => a::verify_audit(pool).await, a)
    }

    /// The hash of audit entry `id`, if the entry is there and chained.
    pub async fn audit_hash(&self, id: i64) -> Result<Option<String>, StoreError> {
        on_backend!(self, pool => a::audit_hash(pool, id).await, a)
    }

    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        on_backend!(self, pool => a::audit_log(pool, limit).await, a)
    }

    /// The secret called `name`, kept from its first use (`fresh` is stored then).
    pub async fn secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        on_backend!(self, pool => a::secret(pool, name, fresh).await, a)
    }
}
