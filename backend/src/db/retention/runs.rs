//! The job's lease (one instance runs it at a time) and its runs with their figures.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use shared::api::RetentionRunView;

use super::*;
use crate::db::entity::retention_run;
use crate::db::{Db, stmt};

/// Takes (or renews) the job's lease until `until`, unless another holder's
/// is still valid at `now`.
pub async fn take_lease(
    db: &Db,
    job: &str,
    holder: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let n = exec(
        db,
        "UPDATE job_leases SET holder = ?, locked_until = ? \
         WHERE name = ? AND (holder IS NULL OR holder = ? OR locked_until IS NULL OR locked_until < ?)",
        vec![holder.into(), until.into(), job.into(), holder.into(), now.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Gives the lease back.
pub async fn release_lease(db: &Db, job: &str, holder: Uuid) -> Result<(), DbErr> {
    exec(
        db,
        "UPDATE job_leases SET holder = NULL, locked_until = NULL WHERE name = ? AND holder = ?",
        vec![job.into(), holder.into()],
    )
    .await?;
    Ok(())
}

/// Records the start of a run.
pub async fn start_run(db: &Db, id: Uuid, trigger: &str, as_of: DateTime<Utc>) -> Result<(), DbErr> {
    retention_run::ActiveModel {
        id: Set(id),
        trigger: Set(trigger.to_string()),
        as_of: Set(as_of),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        cases_purged: Set(0),
        drafts_deleted: Set(0),
        loose_files_deleted: Set(0),
        sessions_deleted: Set(0),
        files_deleted: Set(0),
        case_failures: Set(0),
        file_failures: Set(0),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Records a run's figures (as they stand, or at its end when `finished`).
pub async fn save_run(db: &Db, r: &RetentionRunView, finished: bool) -> Result<(), DbErr> {
    retention_run::ActiveModel {
        id: Set(r.id),
        cases_purged: Set(i(r.cases_purged)),
        drafts_deleted: Set(i(r.drafts_deleted)),
        loose_files_deleted: Set(i(r.loose_files_deleted)),
        sessions_deleted: Set(i(r.sessions_deleted)),
        files_deleted: Set(i(r.files_deleted)),
        case_failures: Set(i(r.case_failures)),
        file_failures: Set(i(r.file_failures)),
        finished_at: if finished { Set(Some(Utc::now())) } else { sea_orm::ActiveValue::NotSet },
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

fn run_view(m: retention_run::Model) -> RetentionRunView {
    RetentionRunView {
        id: m.id,
        trigger: m.trigger,
        as_of: m.as_of,
        started_at: m.started_at,
        finished_at: m.finished_at,
        cases_purged: u(m.cases_purged),
        drafts_deleted: u(m.drafts_deleted),
        loose_files_deleted: u(m.loose_files_deleted),
        sessions_deleted: u(m.sessions_deleted),
        files_deleted: u(m.files_deleted),
        case_failures: u(m.case_failures),
        file_failures: u(m.file_failures),
    }
}

/// One run.
pub async fn get_run(db: &Db, id: Uuid) -> Result<Option<RetentionRunView>, DbErr> {
    Ok(retention_run::Entity::find_by_id(id).one(db).await?.map(run_view))
}

/// The latest runs, newest first.
pub async fn latest_runs(db: &Db, limit: u64) -> Result<Vec<RetentionRunView>, DbErr> {
    Ok(retention_run::Entity::find()
        .order_by_desc(retention_run::Column::StartedAt)
        .order_by_desc(retention_run::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(run_view)
        .collect())
}

/// Totals over every run: cases purged, files removed, failures.
pub async fn totals(db: &Db) -> Result<(u64, u64, u64), DbErr> {
    let row = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            "SELECT CAST(COALESCE(SUM(cases_purged), 0) AS BIGINT) AS c, \
             CAST(COALESCE(SUM(files_deleted), 0) AS BIGINT) AS f, \
             CAST(COALESCE(SUM(case_failures + file_failures), 0) AS BIGINT) AS e FROM retention_runs",
            vec![],
        ))
        .await?;
    let Some(row) = row else { return Ok((0, 0, 0)) };
    Ok((u(row.try_get("", "c")?), u(row.try_get("", "f")?), u(row.try_get("", "e")?)))
}
