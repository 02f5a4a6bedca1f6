//! Status changes by staff, with the history, the access log and the mails in one transaction.

use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use shared::{StatusDefinition, StatusKind};

use super::*;
use crate::db::Db;
use crate::db::entity::{case, case_status_change};

/// A status change to carry out.
#[derive(Debug, Clone)]
pub struct StatusUpdate<'a> {
    /// The status the caller saw; the change fails if it moved meanwhile.
    pub from_key: &'a str,
    /// The new status.
    pub to: &'a StatusDefinition,
    /// Who changes it.
    pub by_staff: Uuid,
    /// Their user name, for the history.
    pub by_name: &'a str,
    /// Comment.
    pub comment: Option<String>,
    /// Mails the change sends, queued in its transaction.
    pub mails: crate::db::outbox::Mails,
}

/// Changes a case's status and records it, with the staff member's
/// access-log entry, the mails, and the closing of open supplement requests
/// (the case no longer waits for them) in one transaction; `Ok(false)` if it
/// changed meanwhile.
pub async fn change_status(db: &Db, case_id: Uuid, u: StatusUpdate<'_>) -> Result<bool, DbErr> {
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    // Closing starts the retention clock; moving between closed statuses keeps
    // the first closing time; re-opening stops the clock.
    let closed_at: Expr = if u.to.kind == StatusKind::Closed {
        Expr::case(
            sea_orm::Condition::all()
                .add(case::Column::StatusKind.eq(StatusKind::Closed.as_str()))
                .add(case::Column::ClosedAt.is_not_null()),
            Expr::col(case::Column::ClosedAt),
        )
        .finally(Expr::value(now))
        .into()
    } else {
        Expr::value(Option::<chrono::DateTime<Utc>>::None)
    };
    let res = case::Entity::update_many()
        .col_expr(case::Column::StatusKey, Expr::value(u.to.key.clone()))
        .col_expr(case::Column::StatusKind, Expr::value(u.to.kind.as_str()))
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .col_expr(case::Column::ClosedAt, closed_at)
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::StatusKey.eq(u.from_key))
        .filter(staff_visible())
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    case_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        from_key: Set(Some(u.from_key.to_string())),
        to_key: Set(u.to.key.clone()),
        changed_by: Set(u.by_name.to_string()),
        staff_user_id: Set(Some(u.by_staff)),
        changed_at: Set(now),
        comment: Set(u.comment),
    }
    .insert(&txn)
    .await?;
    crate::db::outbox::insert(&txn, &u.mails.items, u.mails.service_id, case_id, &u.mails.payload, now).await?;
    crate::db::supplements::close_open(&txn, case_id, None, now).await?;
    crate::db::access_log::record(&txn, case_id, u.by_staff, shared::handling::AccessAction::ChangeStatus).await?;
    txn.commit().await?;
    Ok(true)
}
