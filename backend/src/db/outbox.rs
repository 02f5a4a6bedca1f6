//! The transactional outbox: items are inserted in the transaction of the
//! change that causes them, claimed by delivery workers with a lease, and
//! marked sent, retried later, or dead-lettered.
//!
//! Claiming is one `UPDATE … RETURNING` that sets a lease (`locked_until`)
//! and counts the attempt. On PostgreSQL the candidate rows are picked with
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers on several instances take
//! disjoint items without waiting for each other; on SQLite the database has
//! one writer at a time, so the statement is atomic by itself. An item whose
//! worker died is claimable again when its lease has run out.
//!
//! Each claim stamps its items with a fresh `claim_token`; marking an item
//! sent or failed takes the token and applies only while it is still the
//! item's, so a slow worker whose lease ran out cannot overwrite the outcome
//! of the worker that claimed the item after it.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, QueryOrder, QuerySelect, Statement};
use serde_json::json;

use super::Db;
use super::entity::outbox;

/// An item to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// Row id (UUIDv7).
    pub id: Uuid,
    /// `<id@domain>`.
    pub message_id: String,
    /// The event, e.g. `case_submitted`.
    pub event: &'static str,
    /// The template key.
    pub template: &'static str,
    /// The recipient's address.
    pub recipient: String,
    /// `sv` or `en`.
    pub language: &'static str,
}

/// A queued item's status.
pub const PENDING: &str = "pending";
/// Sent.
pub const SENT: &str = "sent";
/// Given up on; staff may retry it.
pub const DEAD: &str = "dead";

/// The items as a JSON array, for the PostgreSQL submission statement.
pub fn items_json(items: &[NewItem]) -> serde_json::Value {
    serde_json::Value::Array(
        items
            .iter()
            .map(|i| {
                json!({"id": i.id, "message_id": i.message_id, "event": i.event, "template": i.template,
                    "recipient": i.recipient, "language": i.language})
            })
            .collect(),
    )
}

/// The mails a step about one case sends, with what they are rendered from.
#[derive(Debug, Clone)]
pub struct Mails {
    /// The items ([`crate::outbox::queue`]).
    pub items: Vec<NewItem>,
    /// Their payload.
    pub payload: crate::outbox::Payload,
    /// The case's service.
    pub service_id: Uuid,
}

/// Inserts the mails of a step about a case in the caller's transaction.
pub async fn insert(
    txn: &impl ConnectionTrait,
    items: &[NewItem],
    service_id: Uuid,
    case_id: Uuid,
    payload: &crate::outbox::Payload,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if items.is_empty() {
        return Ok(());
    }
    let payload = serde_json::to_value(payload).map_err(|e| DbErr::Custom(format!("an outbox payload: {e}")))?;
    let rows = items.iter().map(|i| outbox::ActiveModel {
        id: Set(i.id),
        message_id: Set(i.message_id.clone()),
        channel: Set("email".into()),
        event: Set(i.event.into()),
        template: Set(i.template.into()),
        recipient: Set(i.recipient.clone()),
        language: Set(i.language.into()),
        service_id: Set(Some(service_id)),
        case_id: Set(Some(case_id)),
        payload: Set(payload.clone()),
        status: Set(PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        claim_token: Set(None),
    });
    outbox::Entity::insert_many(rows).exec_without_returning(txn).await.map(|_| ())
}

/// Claims up to `limit` due items for `lease`: they are this worker's until
/// `now + lease`, their attempt is counted, and they carry this claim's
/// `claim_token`, to give back when the outcome is recorded.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: u32,
) -> Result<Vec<outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    // SQLite numbers parameters `?N`, PostgreSQL `$N`.
    let (p, lock) = if backend == DbBackend::Postgres { ('$', "FOR UPDATE SKIP LOCKED") } else { ('?', "") };
    let sql = format!(
        "UPDATE outbox SET locked_until = {p}1, attempts = attempts + 1, claim_token = {p}4
         WHERE id IN (
             SELECT id FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= {p}2 AND (locked_until IS NULL OR locked_until <= {p}2)
             ORDER BY next_attempt_at
             LIMIT {p}3 {lock})
         RETURNING *"
    );
    let token = Uuid::new_v4();
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        vec![(now + lease).into(), now.into(), i64::from(limit).into(), token.into()],
    );
    let mut items = outbox::Entity::find().from_raw_sql(stmt).all(db).await?;
    items.sort_by_key(|i| i.next_attempt_at);
    Ok(items)
}

/// Marks an item sent, if `claim` is still its claim; `Ok(false)` when
/// another worker has claimed it since (its outcome is theirs to record).
pub async fn mark_sent(db: &Db, id: Uuid, claim: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(SENT))
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::ClaimToken, Expr::value(Option::<Uuid>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::ClaimToken.eq(claim))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records a failed attempt, if `claim` is still the item's claim: retried
/// at `retry_at`, or dead-lettered when `None`. `Ok(false)` when another
/// worker has claimed it since.
pub async fn mark_failed(
    db: &Db,
    id: Uuid,
    claim: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<bool, DbErr> {
    let mut q = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::ClaimToken, Expr::value(Option::<Uuid>::None))
        .col_expr(outbox::Column::LastError, Expr::value(error.chars().take(2000).collect::<String>()));
    q = match retry_at {
        Some(at) => q.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => q.col_expr(outbox::Column::Status, Expr::value(DEAD)),
    };
    let r = q
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::ClaimToken.eq(claim))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts a dead item back in the queue, due now, with its attempts reset.
/// `Ok(false)` when there is no dead item with this id.
pub async fn retry(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(PENDING))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::ClaimToken, Expr::value(Option::<Uuid>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(DEAD))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One item.
pub async fn find(db: &Db, id: Uuid) -> Result<Option<outbox::Model>, DbErr> {
    outbox::Entity::find_by_id(id).one(db).await
}

/// Items, newest first, optionally of one status, after a cursor (an item id).
pub async fn list(db: &Db, status: Option<&str>, after: Option<Uuid>, limit: u64) -> Result<Vec<outbox::Model>, DbErr> {
    let mut q = outbox::Entity::find();
    if let Some(s) = status {
        q = q.filter(outbox::Column::Status.eq(s));
    }
    if let Some(a) = after {
        q = q.filter(outbox::Column::Id.lt(a));
    }
    q.order_by_desc(outbox::Column::Id).limit(limit).all(db).await
}

/// How many items have each status.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, DbErr> {
    outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n")
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await
}
