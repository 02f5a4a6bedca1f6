//! The retry list of stored files to remove: filled in the transaction that
//! drops their records, emptied as the store confirms each removal.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

use super::*;
use crate::db::Db;
use crate::db::entity::file_deletion;

/// Puts files on the retry list (inside the transaction that drops their records).
pub(super) async fn queue_files(
    txn: &impl ConnectionTrait,
    files: &BTreeSet<FileKey>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if files.is_empty() {
        return Ok(());
    }
    file_deletion::Entity::insert_many(files.iter().map(|(store, key)| file_deletion::ActiveModel {
        id: Set(Uuid::now_v7()),
        store: Set((*store).to_string()),
        file_key: Set(key.clone()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
    }))
    .exec(txn)
    .await?;
    Ok(())
}

/// A file on the retry list.
#[derive(Debug, Clone)]
pub struct PendingFile {
    /// The entry's id.
    pub id: Uuid,
    /// `uploads` or `documents`.
    pub store: String,
    /// The file's key.
    pub key: String,
    /// Attempts so far.
    pub attempts: u32,
}

/// Up to `limit` files due for removal at `now`.
pub async fn pending_files(db: &Db, now: DateTime<Utc>, limit: u64) -> Result<Vec<PendingFile>, DbErr> {
    Ok(file_deletion::Entity::find()
        .filter(file_deletion::Column::NextAttemptAt.lte(now))
        .order_by_asc(file_deletion::Column::NextAttemptAt)
        .order_by_asc(file_deletion::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| PendingFile {
            id: m.id,
            store: m.store,
            key: m.file_key,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
        })
        .collect())
}

/// The files are gone: off the list.
pub async fn files_removed(db: &Db, ids: &[Uuid]) -> Result<(), DbErr> {
    if !ids.is_empty() {
        file_deletion::Entity::delete_many()
            .filter(file_deletion::Column::Id.is_in(ids.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The removal failed: try again at `next`.
pub async fn file_failed(db: &Db, f: &PendingFile, error: &str, next: DateTime<Utc>) -> Result<(), DbErr> {
    file_deletion::Entity::update_many()
        .col_expr(file_deletion::Column::Attempts, Expr::value(i32::try_from(f.attempts + 1).unwrap_or(i32::MAX)))
        .col_expr(file_deletion::Column::LastError, Expr::value(error.chars().take(500).collect::<String>()))
        .col_expr(file_deletion::Column::NextAttemptAt, Expr::value(next))
        .filter(file_deletion::Column::Id.eq(f.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Files waiting on the retry list.
pub async fn pending_file_count(db: &Db) -> Result<u64, DbErr> {
    file_deletion::Entity::find().count(db).await
}
