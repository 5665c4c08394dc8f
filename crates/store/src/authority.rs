//! What the authority sets: its targets, its teams' service areas, the map
//! of old team names to today's teams, and the release of DfE's published
//! figures it compares itself with.

use crate::{Store, StoreError};
use chrono::Utc;
use sightline_core::teams::{TeamMap, TeamMapEntry};
use sightline_core::Target;

/// A target as the store keeps it: the target (core's one type for it),
/// its number and who set it.
#[derive(Debug, Clone, PartialEq)]
pub struct SetTarget {
    pub id: i64,
    pub target: Target,
    pub set_by: String,
}

macro_rules! authority {
    ($module:ident, $db:ty, $pool:ty) => {
        mod $module {
            use super::*;
            use sqlx::{QueryBuilder, Row};

            pub async fn add_target(pool: &$pool, t: &Target, set_by: &str) -> Result<i64, StoreError> {
                let r =
                    QueryBuilder::<$db>::new("INSERT INTO target (figure, at_most, value, by_date, set_by, set_at) ")
                        .push_values([t], |mut b, t| {
                            b.push_bind(&t.figure)
                                .push_bind(i32::from(t.at_most))
                                .push_bind(t.value)
                                .push_bind(t.by.to_string())
                                .push_bind(set_by)
                                .push_bind(Utc::now().to_rfc3339());
                        })
                        .push(" RETURNING id")
                        .build()
                        .fetch_one(pool)
                        .await?;
                Ok(r.try_get(0)?)
            }

            pub async fn targets(pool: &$pool) -> Result<Vec<SetTarget>, StoreError> {
                sqlx::query("SELECT id, figure, at_most, value, by_date, set_by FROM target ORDER BY by_date, id")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| {
                        let by: String = r.try_get(4)?;
                        let at_most: i32 = r.try_get(2)?;
                        Ok(SetTarget {
                            id: r.try_get(0)?,
                            target: Target {
                                figure: r.try_get(1)?,
                                at_most: at_most != 0,
                                value: r.try_get(3)?,
                                by: by.parse().map_err(|_| StoreError::Corrupt(format!("target date `{by}`")))?,
                            },
                            set_by: r.try_get(5)?,
                        })
                    })
                    .collect()
            }

            pub async fn remove_target(pool: &$pool, id: i64) -> Result<(), StoreError> {
                let done = QueryBuilder::<$db>::new("DELETE FROM target WHERE id = ")
                    .push_bind(id)
                    .build()
                    .execute(pool)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Err(StoreError::NotFound(format!("no target {id}")));
                }
                Ok(())
            }

            pub async fn set_service(pool: &$pool, service: &str, teams: &[String]) -> Result<(), StoreError> {
                let mut tx =
                    pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                for team in teams {
                    QueryBuilder::<$db>::new("DELETE FROM team_service WHERE team = ")
                        .push_bind(team)
                        .build()
                        .execute(&mut *tx)
                        .await?;
                    QueryBuilder::<$db>::new("INSERT INTO team_service (team, service) ")
                        .push_values([()], |mut b, ()| {
                            b.push_bind(team).push_bind(service);
                        })
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn services(pool: &$pool) -> Result<Vec<(String, String)>, StoreError> {
                sqlx::query("SELECT team, service FROM team_service ORDER BY service, team")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect()
            }

            pub async fn set_team_map(pool: &$pool, map: &TeamMap, set_by: &str) -> Result<(), StoreError> {
                let mut tx =
                    pool.begin_with(if stringify!($module) == "sqlite" { "BEGIN IMMEDIATE" } else { "BEGIN" }).await?;
                sqlx::query("DELETE FROM team_map").execute(&mut *tx).await?;
                let at = Utc::now().to_rfc3339();
                for (chunk_no, chunk) in map.entries().chunks(500).enumerate() {
                    QueryBuilder::<$db>::new(
                        "INSERT INTO team_map (position, name, team, from_date, to_date, set_by, set_at) ",
                    )
                    .push_values(chunk.iter().enumerate(), |mut b, (i, e)| {
                        b.push_bind((chunk_no * 500 + i) as i32)
                            .push_bind(&e.name)
                            .push_bind(&e.team)
                            .push_bind(e.from)
                            .push_bind(e.to)
                            .push_bind(set_by)
                            .push_bind(&at);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn team_map(pool: &$pool) -> Result<TeamMap, StoreError> {
                let entries = sqlx::query("SELECT name, team, from_date, to_date FROM team_map ORDER BY position")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(TeamMapEntry {
                            name: r.try_get(0)?,
                            team: r.try_get(1)?,
                            from: r.try_get(2)?,
                            to: r.try_get(3)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                TeamMap::new(entries).map_err(|e| StoreError::Corrupt(format!("the team map: {e}")))
            }

            pub async fn team_names(pool: &$pool) -> Result<Vec<String>, StoreError> {
                sqlx::query("SELECT name FROM team ORDER BY name")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok(r.try_get(0)?))
                    .collect()
            }

            pub async fn save_release(pool: &$pool, content: &str, by: &str, sha: &str) -> Result<(), StoreError> {
                QueryBuilder::<$db>::new("INSERT INTO published_release (loaded_at, loaded_by, sha256, content) ")
                    .push_values([()], |mut b, ()| {
                        b.push_bind(Utc::now().to_rfc3339()).push_bind(by).push_bind(sha).push_bind(content);
                    })
                    .build()
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub async fn set_complete_from(pool: &$pool, records: &str, from: Option<chrono::NaiveDate>, by: &str) -> Result<(), StoreError> {
                // What pages keep per generation (rolling series) rests on it: a new generation.
                let mut tx = pool.begin().await?;
                match from {
                    None => {
                        QueryBuilder::<$db>::new("DELETE FROM records_complete_from WHERE records = ")
                            .push_bind(records)
                            .build()
                            .execute(&mut *tx)
                            .await?;
                    }
                    Some(from) => {
                        QueryBuilder::<$db>::new("INSERT INTO records_complete_from (records, from_date, set_by, set_at) ")
                            .push_values([()], |mut b, ()| {
                                b.push_bind(records).push_bind(from.to_string()).push_bind(by).push_bind(Utc::now().to_rfc3339());
                            })
                            .push(" ON CONFLICT (records) DO UPDATE SET from_date = excluded.from_date, set_by = excluded.set_by, set_at = excluded.set_at")
                            .build()
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                sqlx::query("UPDATE store_state SET generation = generation + 1").execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            pub async fn complete_from(pool: &$pool) -> Result<Vec<(String, String)>, StoreError> {
                sqlx::query("SELECT records, from_date FROM records_complete_from ORDER BY records")
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect()
            }

            pub async fn latest_release(pool: &$pool) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query("SELECT content FROM published_release ORDER BY id DESC LIMIT 1")
                    .fetch_optional(pool)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?)
            }
        }
    };
}

authority!(sqlite, sqlx::Sqlite, sqlx::SqlitePool);
authority!(postgres, sqlx::Postgres, sqlx::PgPool);

impl Store {
    /// Records a target set by `set_by`; returns its number.
    pub async fn add_target(&self, target: &Target, set_by: &str) -> Result<i64, StoreError> {
        on_backend!(self, pool => a::add_target(pool, target, set_by).await, a)
    }

    /// Declares from when one kind of record is complete (`None` takes the
    /// declaration back, so the records' own first date counts again).
    pub async fn set_complete_from(
        &self,
        records: sightline_core::coverage::Records,
        from: Option<chrono::NaiveDate>,
        by: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => a::set_complete_from(pool, records.as_str(), from, by).await, a)
    }

    /// The dates declared for each kind of record.
    pub async fn complete_from(
        &self,
    ) -> Result<std::collections::BTreeMap<sightline_core::coverage::Records, chrono::NaiveDate>, StoreError> {
        let rows = on_backend!(self, pool => a::complete_from(pool).await, a)?;
        Ok(rows
            .into_iter()
            .filter_map(|(r, d)| Some((sightline_core::coverage::Records::parse(&r)?, d.parse().ok()?)))
            .collect())
    }

    /// Every target, the soonest first.
    pub async fn targets(&self) -> Result<Vec<SetTarget>, StoreError> {
        on_backend!(self, pool => a::targets(pool).await, a)
    }

    pub async fn remove_target(&self, id: i64) -> Result<(), StoreError> {
        on_backend!(self, pool => a::remove_target(pool, id).await, a)
    }

    /// Puts `teams` in `service` (moving them from any other).
    pub async fn set_service(&self, service: &str, teams: &[String]) -> Result<(), StoreError> {
        on_backend!(self, pool => a::set_service(pool, service, teams).await, a)
    }

    /// (team, service) for every team given a service.
    pub async fn services(&self) -> Result<Vec<(String, String)>, StoreError> {
        on_backend!(self, pool => a::services(pool).await, a)
    }

    /// Replaces the team map with `map`, set by `set_by`.
    pub async fn set_team_map(&self, map: &TeamMap, set_by: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::set_team_map(pool, map, set_by).await, a)
    }

    /// The team map (empty when none was set).
    pub async fn team_map(&self) -> Result<TeamMap, StoreError> {
        on_backend!(self, pool => a::team_map(pool).await, a)
    }

    /// Every team name the store holds facts of, as first written.
    pub async fn team_names(&self) -> Result<Vec<String>, StoreError> {
        on_backend!(self, pool => a::team_names(pool).await, a)
    }

    /// Keeps a newer release of DfE's published indicators (already checked by the caller).
    pub async fn save_published_release(&self, content: &str, loaded_by: &str, sha256: &str) -> Result<(), StoreError> {
        on_backend!(self, pool => a::save_release(pool, content, loaded_by, sha256).await, a)
    }

    /// The latest release loaded, if any (else the shipped file stands).
    pub async fn published_release(&self) -> Result<Option<String>, StoreError> {
        on_backend!(self, pool => a::latest_release(pool).await, a)
    }

    /// DfE's published figures: the latest release loaded into the store, else the shipped file.
    pub async fn published(&self) -> Result<sightline_core::published::Published, StoreError> {
        match self.published_release().await? {
            Some(text) => sightline_core::published::Published::parse(&text)
                .map_err(|e| StoreError::Corrupt(format!("the published release in the store: {e}"))),
            None => Ok(sightline_core::published::Published::shipped()),
        }
    }
}
