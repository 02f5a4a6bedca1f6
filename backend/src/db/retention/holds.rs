//! Legal holds: a held case is not purged until the hold is lifted.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;

use crate::db::Db;
use crate::db::entity::case;

/// Sets a legal hold on a case and logs it; false when the case is gone.
pub async fn set_legal_hold(
    db: &Db,
    case_id: Uuid,
    reason: &str,
    by_name: &str,
    by_staff: Uuid,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::LegalHoldReason, Expr::value(reason))
        .col_expr(case::Column::LegalHoldBy, Expr::value(by_name))
        .col_expr(case::Column::LegalHoldAt, Expr::value(now))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    crate::db::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::SetLegalHold).await?;
    txn.commit().await?;
    Ok(Some(now))
}

/// Lifts a case's legal hold and logs it; false when the case is gone.
pub async fn lift_legal_hold(db: &Db, case_id: Uuid, by_staff: Uuid) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::LegalHoldReason, Expr::value(Option::<String>::None))
        .col_expr(case::Column::LegalHoldBy, Expr::value(Option::<String>::None))
        .col_expr(case::Column::LegalHoldAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    crate::db::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::LiftLegalHold).await?;
    txn.commit().await?;
    Ok(true)
}
