//! Supplements ("komplettering"): a handler asks, the case waits in a status
//! of kind *awaiting supplement*, the applicant answers, and the case returns
//! to the handler with the change recorded as a diff. Each step is one
//! transaction with its status history entry and its mail.

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use shared::handling::{AnswerChange, Supplement};
use shared::{Answers, StatusDefinition};

use super::Db;
use super::entity::{case, case_access, case_status_change, case_supplement};
use super::outbox::NewItem;

/// Mails a step sends, with their payload.
pub struct Mails {
    /// The items.
    pub items: Vec<NewItem>,
    /// Their payload.
    pub payload: serde_json::Value,
    /// The service.
    pub service_id: Uuid,
}

/// A supplement request to store.
pub struct NewRequest<'a> {
    /// The case.
    pub case_id: Uuid,
    /// The handler asking.
    pub staff_id: Uuid,
    /// Their user name, for the status history.
    pub staff_name: &'a str,
    /// What the applicant should do.
    pub message: &'a str,
    /// Fields to change; empty: any.
    pub fields: &'a [String],
    /// The status the case has now (the change fails if it moved meanwhile).
    pub from_key: &'a str,
    /// The awaiting-supplement status.
    pub to: &'a StatusDefinition,
}

fn view(m: case_supplement::Model) -> Supplement {
    Supplement {
        id: m.id,
        message: m.message,
        fields: serde_json::from_value(m.fields).unwrap_or_default(),
        requested_at: m.requested_at,
        answered_at: m.answered_at,
        changes: m.changes.and_then(|c| serde_json::from_value(c).ok()).unwrap_or_default(),
    }
}

/// A status move with its history entry (and, for an answer, the new answers).
struct Move<'a> {
    case_id: Uuid,
    from_key: &'a str,
    to: &'a StatusDefinition,
    by: &'a str,
    staff_id: Option<Uuid>,
    comment: Option<String>,
    answers: Option<serde_json::Value>,
}

async fn move_status(txn: &impl ConnectionTrait, m: Move<'_>) -> Result<bool, DbErr> {
    let Move { case_id, from_key, to, by, staff_id, comment, answers } = m;
    let now = Utc::now();
    let mut q = case::Entity::update_many()
        .col_expr(case::Column::StatusKey, Expr::value(to.key.clone()))
        .col_expr(case::Column::StatusKind, Expr::value(to.kind.as_str()))
        .col_expr(case::Column::UpdatedAt, Expr::value(now));
    if let Some(a) = answers {
        q = q.col_expr(case::Column::Answers, Expr::value(a));
    }
    let res = q.filter(case::Column::Id.eq(case_id)).filter(case::Column::StatusKey.eq(from_key)).exec(txn).await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    case_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        from_key: Set(Some(from_key.to_string())),
        to_key: Set(to.key.clone()),
        changed_by: Set(by.to_string()),
        staff_user_id: Set(staff_id),
        changed_at: Set(now),
        comment: Set(comment),
    }
    .insert(txn)
    .await?;
    Ok(true)
}

/// Asks for a supplement: the case moves to `to`, the request is stored and
/// the applicant's mail queued. `Ok(None)` when the status moved meanwhile.
pub async fn request(db: &Db, r: NewRequest<'_>, mails: Mails) -> Result<Option<Supplement>, DbErr> {
    let txn = super::begin_write(db).await?;
    let moved = Move {
        case_id: r.case_id,
        from_key: r.from_key,
        to: r.to,
        by: r.staff_name,
        staff_id: Some(r.staff_id),
        comment: None,
        answers: None,
    };
    if !move_status(&txn, moved).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let now = Utc::now();
    let m = case_supplement::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(r.case_id),
        requested_by: Set(r.staff_id),
        message: Set(r.message.to_string()),
        fields: Set(serde_json::to_value(r.fields).map_err(|e| DbErr::Custom(e.to_string()))?),
        return_status_key: Set(r.from_key.to_string()),
        requested_at: Set(now),
        answered_at: Set(None),
        changes: Set(None),
    }
    .insert(&txn)
    .await?;
    super::outbox::insert(&txn, &mails.items, Some(mails.service_id), Some(r.case_id), &mails.payload, now).await?;
    case_access::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(r.case_id),
        staff_user_id: Set(r.staff_id),
        action: Set("supplement_request".into()),
        at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(view(m)))
}

/// A case's supplement requests, oldest first.
pub async fn list(db: &Db, case_id: Uuid) -> Result<Vec<Supplement>, DbErr> {
    Ok(case_supplement::Entity::find()
        .filter(case_supplement::Column::CaseId.eq(case_id))
        .order_by_asc(case_supplement::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// An open request of a case by id, with the status to return to.
pub async fn open(db: &Db, case_id: Uuid, id: Uuid) -> Result<Option<(Supplement, String)>, DbErr> {
    Ok(case_supplement::Entity::find_by_id(id)
        .filter(case_supplement::Column::CaseId.eq(case_id))
        .filter(case_supplement::Column::AnsweredAt.is_null())
        .one(db)
        .await?
        .map(|m| {
            let back = m.return_status_key.clone();
            (view(m), back)
        }))
}

/// An applicant's answer to store.
pub struct Answered<'a> {
    /// The case.
    pub case_id: Uuid,
    /// The request answered.
    pub supplement_id: Uuid,
    /// The status the case has now (awaiting supplement).
    pub from_key: &'a str,
    /// The status it returns to.
    pub back: &'a StatusDefinition,
    /// The new, validated answers (all of them).
    pub answers: &'a Answers,
    /// What changed.
    pub changes: &'a [AnswerChange],
}

/// The applicant's answer: new answers and the return to `back`, the diff
/// recorded, the handlers' mail queued. `Ok(false)` when the request was
/// answered or the status moved meanwhile (nothing changes).
pub async fn answer(db: &Db, a: Answered<'_>, mails: Mails) -> Result<bool, DbErr> {
    let Answered { case_id, supplement_id, from_key, back, answers, changes } = a;
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let marked = case_supplement::Entity::update_many()
        .col_expr(case_supplement::Column::AnsweredAt, Expr::value(now))
        .col_expr(
            case_supplement::Column::Changes,
            Expr::value(serde_json::to_value(changes).map_err(|e| DbErr::Custom(e.to_string()))?),
        )
        .filter(case_supplement::Column::Id.eq(supplement_id))
        .filter(case_supplement::Column::AnsweredAt.is_null())
        .exec(&txn)
        .await?;
    let answers = serde_json::to_value(answers).map_err(|e| DbErr::Custom(e.to_string()))?;
    let comment = Some("Kompletterat av sökanden".to_string());
    let moved = Move { case_id, from_key, to: back, by: "applicant", staff_id: None, comment, answers: Some(answers) };
    if marked.rows_affected != 1 || !move_status(&txn, moved).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    super::outbox::insert(&txn, &mails.items, Some(mails.service_id), Some(case_id), &mails.payload, now).await?;
    txn.commit().await?;
    Ok(true)
}
