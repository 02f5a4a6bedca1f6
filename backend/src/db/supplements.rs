//! Supplements ("komplettering"): a handler asks, the case waits in a status
//! of kind *awaiting supplement*, the applicant answers, and the case returns
//! to the handler with the change recorded as a diff. Each step is one
//! transaction with its status history entry and its mail.
//!
//! Only the latest request can be answered, and only while the case waits
//! for it: a new request, the answer, and every status change close the
//! case's other open requests (`closed_at`) in their transaction.

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use shared::handling::{AnswerChange, Supplement};
use shared::{Answers, StatusDefinition};

use super::Db;
use super::entity::{case, case_status_change, case_supplement};
use super::outbox::Mails;

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

/// A stored request as the API shows it. A field list or diff that cannot be read is an error,
/// never an empty list: an empty field list means "any field may be changed", so a broken one
/// must not widen what the applicant may change.
fn view(m: case_supplement::Model) -> Result<Supplement, DbErr> {
    let fields = super::stored(m.fields.clone(), "supplement request's field list", m.id)?;
    let changes = match m.changes.clone() {
        None => Vec::new(),
        Some(c) => super::stored(c, "supplement request's changes", m.id)?,
    };
    Ok(Supplement {
        id: m.id,
        message: m.message,
        fields,
        requested_at: m.requested_at,
        answered_at: m.answered_at,
        closed_at: m.closed_at,
        changes,
    })
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
    /// The new contact address (for an answer: from the new answers).
    contact_email: Option<Option<String>>,
}

async fn move_status(txn: &impl ConnectionTrait, m: Move<'_>) -> Result<bool, DbErr> {
    let Move { case_id, from_key, to, by, staff_id, comment, answers, contact_email } = m;
    let now = Utc::now();
    let mut q = case::Entity::update_many()
        .col_expr(case::Column::StatusKey, Expr::value(to.key.clone()))
        .col_expr(case::Column::StatusKind, Expr::value(to.kind.as_str()))
        .col_expr(case::Column::UpdatedAt, Expr::value(now));
    if let Some(a) = answers {
        q = q.col_expr(case::Column::Answers, Expr::value(a));
    }
    if let Some(email) = contact_email {
        q = q.col_expr(case::Column::ContactEmail, Expr::value(email));
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

/// Closes a case's open requests (in the transaction of the change that
/// makes them stale), except `keep`.
pub(super) async fn close_open(
    txn: &impl ConnectionTrait,
    case_id: Uuid,
    keep: Option<Uuid>,
    now: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut q = case_supplement::Entity::update_many()
        .col_expr(case_supplement::Column::ClosedAt, Expr::value(now))
        .filter(case_supplement::Column::CaseId.eq(case_id))
        .filter(case_supplement::Column::AnsweredAt.is_null())
        .filter(case_supplement::Column::ClosedAt.is_null());
    if let Some(id) = keep {
        q = q.filter(case_supplement::Column::Id.ne(id));
    }
    q.exec(txn).await?;
    Ok(())
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
        contact_email: None,
    };
    if !move_status(&txn, moved).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let now = Utc::now();
    // Only the newest request can be answered.
    close_open(&txn, r.case_id, None, now).await?;
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
        closed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    super::outbox::insert(&txn, &mails.items, mails.service_id, r.case_id, &mails.payload, now).await?;
    super::access_log::record(&txn, r.case_id, r.staff_id, shared::handling::AccessAction::RequestSupplement).await?;
    txn.commit().await?;
    view(m).map(Some)
}

/// A case's supplement requests, oldest first.
pub async fn list(db: &Db, case_id: Uuid) -> Result<Vec<Supplement>, DbErr> {
    case_supplement::Entity::find()
        .filter(case_supplement::Column::CaseId.eq(case_id))
        .order_by_asc(case_supplement::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// A request of a case by id, with the status to return to and whether it
/// is the case's latest request.
pub async fn find(db: &Db, case_id: Uuid, id: Uuid) -> Result<Option<(Supplement, String, bool)>, DbErr> {
    let Some(m) =
        case_supplement::Entity::find_by_id(id).filter(case_supplement::Column::CaseId.eq(case_id)).one(db).await?
    else {
        return Ok(None);
    };
    let latest = case_supplement::Entity::find()
        .filter(case_supplement::Column::CaseId.eq(case_id))
        .order_by_desc(case_supplement::Column::Id)
        .one(db)
        .await?
        .map(|l| l.id);
    let back = m.return_status_key.clone();
    let is_latest = latest == Some(m.id);
    Ok(Some((view(m)?, back, is_latest)))
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
    /// The contact address the new answers give (the field marked
    /// `autocomplete: email`); later mails go there.
    pub contact_email: Option<String>,
}

/// The applicant's answer: new answers and the return to `back`, the diff
/// recorded, the handlers' mail queued. `Ok(false)` when the request was
/// answered or the status moved meanwhile (nothing changes).
pub async fn answer(db: &Db, a: Answered<'_>, mails: Mails) -> Result<bool, DbErr> {
    let Answered { case_id, supplement_id, from_key, back, answers, changes, contact_email } = a;
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
        .filter(case_supplement::Column::ClosedAt.is_null())
        .exec(&txn)
        .await?;
    let answers = serde_json::to_value(answers).map_err(|e| DbErr::Custom(e.to_string()))?;
    let comment = Some("Kompletterat av sökanden".to_string());
    let moved = Move {
        case_id,
        from_key,
        to: back,
        by: "applicant",
        staff_id: None,
        comment,
        answers: Some(answers),
        contact_email: Some(contact_email),
    };
    if marked.rows_affected != 1 || !move_status(&txn, moved).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    close_open(&txn, case_id, Some(supplement_id), now).await?;
    super::outbox::insert(&txn, &mails.items, mails.service_id, case_id, &mails.payload, now).await?;
    txn.commit().await?;
    Ok(true)
}
