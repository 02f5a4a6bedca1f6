//! The changes of a signing attempt, each in one transaction under the case's
//! row lock: a co-signer signs ([`co_sign`]; the last signature submits the
//! case) or declines ([`decline`]), or the deadline passes ([`expire`]); the
//! case's status, its history row and its mails change with it.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, QueryOrder, QuerySelect};
use shared::signing::{SignatureRole, SignatureState, SigningOutcome};
use shared::{Answers, StatusDefinition};

use super::{SignedBy, outcome_str, role_str, state_of};
use crate::db::Db;
use crate::db::entity::{case, case_signature, case_status_change, service};
use crate::db::outbox::NewItem;

/// Locks a case's row for the rest of the transaction and reads it.
async fn lock_case(txn: &impl ConnectionTrait, case_id: Uuid) -> Result<Option<case::Model>, DbErr> {
    let q = case::Entity::find_by_id(case_id);
    if txn.get_database_backend() == DbBackend::Postgres {
        q.lock_exclusive().one(txn).await
    } else {
        // SQLite: the write transaction (`BEGIN IMMEDIATE`) already keeps every other writer out.
        q.one(txn).await
    }
}

/// A status change of a case's signing attempt.
struct Move<'a> {
    /// The new status.
    to: &'a StatusDefinition,
    /// The attempt's new outcome.
    outcome: SigningOutcome,
    /// Who changed it, for the history.
    changed_by: &'a str,
    /// When.
    now: DateTime<Utc>,
    /// The case's submission time from now on (and in the mails).
    submitted_at: DateTime<Utc>,
}

/// Moves a case's signing attempt, in the caller's transaction: the case's status and
/// outcome, its history row, and the mails (payload: reference and submission time).
async fn move_case(txn: &impl ConnectionTrait, c: &case::Model, m: Move<'_>, mails: &[NewItem]) -> Result<(), DbErr> {
    case::Entity::update_many()
        .col_expr(case::Column::StatusKey, Expr::value(m.to.key.clone()))
        .col_expr(case::Column::StatusKind, Expr::value(m.to.kind.as_str()))
        .col_expr(case::Column::SigningOutcome, Expr::value(outcome_str(m.outcome)))
        .col_expr(case::Column::SubmittedAt, Expr::value(m.submitted_at))
        .col_expr(case::Column::UpdatedAt, Expr::value(m.now))
        .filter(case::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    case_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        from_key: Set(Some(c.status_key.clone())),
        to_key: Set(m.to.key.clone()),
        changed_by: Set(m.changed_by.to_string()),
        staff_user_id: Set(None),
        changed_at: Set(m.now),
        comment: Set(None),
    }
    .insert(txn)
    .await?;
    let payload = crate::outbox::Payload { reference: c.reference.clone(), submitted_at: m.submitted_at };
    crate::db::outbox::insert(txn, mails, c.service_id, c.id, &payload, m.now).await
}

/// Ends a case's attempt (declined or expired) in the caller's transaction: the case
/// gets `shared::status::signing_ended_status()`, every request still pending expires.
async fn end_attempt(
    txn: &impl ConnectionTrait,
    c: &case::Model,
    outcome: SigningOutcome,
    changed_by: &str,
    now: DateTime<Utc>,
    mails: &[NewItem],
) -> Result<(), DbErr> {
    case_signature::Entity::update_many()
        .col_expr(case_signature::Column::State, Expr::value(SignatureState::Expired.as_str()))
        .col_expr(case_signature::Column::DecidedAt, Expr::value(now))
        .filter(case_signature::Column::CaseId.eq(c.id))
        .filter(case_signature::Column::State.eq(SignatureState::Pending.as_str()))
        .exec(txn)
        .await?;
    let ended = shared::status::signing_ended_status();
    let m = Move { to: &ended, outcome, changed_by, now, submitted_at: c.submitted_at };
    move_case(txn, c, m, mails).await
}

/// Why a co-signer's signature or decline was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Stored; `last` when it was the last signature (the case is now submitted).
    Done {
        /// The last required signature: the case was submitted.
        last: bool,
    },
    /// No such request of this person's.
    NotFound,
    /// The request is no longer pending, the attempt ended, or its deadline passed.
    NotPending,
    /// The case's answers no longer give the digest the request asks to sign.
    AnswersChanged,
}

/// What the last co-signature does to the case.
#[derive(Debug, Clone)]
pub struct CaseSubmission<'a> {
    /// The service's first status of kind *submitted*.
    pub status: &'a StatusDefinition,
    /// The `CASE_SUBMITTED` mails.
    pub mails: Vec<NewItem>,
}

async fn open_request(
    txn: &impl ConnectionTrait,
    id: Uuid,
    personnummer: &str,
    now: DateTime<Utc>,
) -> Result<Result<(case_signature::Model, case::Model), RequestOutcome>, DbErr> {
    let Some(s) = case_signature::Entity::find_by_id(id)
        .filter(case_signature::Column::Personnummer.eq(personnummer))
        .filter(case_signature::Column::Role.eq(role_str(SignatureRole::CoSigner)))
        .one(txn)
        .await?
    else {
        return Ok(Err(RequestOutcome::NotFound));
    };
    let Some(c) = lock_case(txn, s.case_id).await? else {
        return Ok(Err(RequestOutcome::NotFound));
    };
    // Read again under the lock: a concurrent decline or expiry may have changed it.
    let Some(s) = case_signature::Entity::find_by_id(id).one(txn).await? else {
        return Ok(Err(RequestOutcome::NotFound));
    };
    let awaiting = c.signing_outcome.as_deref() == Some(outcome_str(SigningOutcome::Awaiting));
    let in_time = c.signing_deadline.is_none_or(|d| now <= d);
    if state_of(&s) != SignatureState::Pending || !awaiting || !in_time {
        return Ok(Err(RequestOutcome::NotPending));
    }
    Ok(Ok((s, c)))
}

/// Stores a co-signer's signature, in one transaction: the case must still
/// await signatures, the request be pending and its deadline not passed, and
/// the case's answers must still give the request's digest (`digest_of`
/// recomputes it from the service's URL name, the form version and the answers);
/// else nothing changes. When it was the last pending request the case is
/// submitted: `submission.status` (with its history row), `submitted_at` = now
/// (handlers see the real submission time), outcome `complete`, and its mails.
pub async fn co_sign(
    db: &Db,
    id: Uuid,
    personnummer: &str,
    signed: &SignedBy,
    now: DateTime<Utc>,
    digest_of: impl Fn(&str, u32, &Answers) -> String,
    submission: CaseSubmission<'_>,
) -> Result<RequestOutcome, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let (s, c) = match open_request(&txn, id, personnummer, now).await? {
        Ok(found) => found,
        Err(outcome) => {
            txn.rollback().await?;
            return Ok(outcome);
        }
    };
    let slug: Option<String> = service::Entity::find_by_id(c.service_id)
        .select_only()
        .column(service::Column::Slug)
        .into_tuple()
        .one(&txn)
        .await?;
    let slug = slug.ok_or_else(|| DbErr::RecordNotFound("the case's service".into()))?;
    if digest_of(&slug, c.form_version.max(0) as u32, &crate::db::cases::answers_of(&c)?) != s.digest {
        txn.rollback().await?;
        return Ok(RequestOutcome::AnswersChanged);
    }
    let name = signed.name.clone().or(s.name.clone());
    let mut am: case_signature::ActiveModel = s.into();
    am.state = Set(SignatureState::Signed.as_str().into());
    am.name = Set(name);
    am.provider = Set(Some(signed.provider.clone()));
    am.signature = Set(Some(signed.signature.clone()));
    am.ocsp_response = Set(Some(signed.ocsp_response.clone()));
    am.signed_at = Set(Some(signed.signed_at));
    am.decided_at = Set(Some(now));
    am.update(&txn).await?;
    let pending = case_signature::Entity::find()
        .filter(case_signature::Column::CaseId.eq(c.id))
        .filter(case_signature::Column::State.eq(SignatureState::Pending.as_str()))
        .count(&txn)
        .await?;
    let last = pending == 0;
    if last {
        let m = Move {
            to: submission.status,
            outcome: SigningOutcome::Complete,
            changed_by: "co_signer",
            now,
            submitted_at: now,
        };
        move_case(&txn, &c, m, &submission.mails).await?;
    } else {
        case::Entity::update_many()
            .col_expr(case::Column::UpdatedAt, Expr::value(now))
            .filter(case::Column::Id.eq(c.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(RequestOutcome::Done { last })
}

/// A co-signer declines, in one transaction: the request is declined with the
/// message, the attempt ends (every other pending request expires, the case
/// gets the signing-ended status, outcome `declined`) and `mails` (the
/// applicant's notice) are queued.
pub async fn decline(
    db: &Db,
    id: Uuid,
    personnummer: &str,
    message: Option<String>,
    now: DateTime<Utc>,
    mails: &[NewItem],
) -> Result<RequestOutcome, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let (s, c) = match open_request(&txn, id, personnummer, now).await? {
        Ok(found) => found,
        Err(outcome) => {
            txn.rollback().await?;
            return Ok(outcome);
        }
    };
    let mut am: case_signature::ActiveModel = s.into();
    am.state = Set(SignatureState::Declined.as_str().into());
    am.decided_at = Set(Some(now));
    am.decline_message = Set(message);
    am.update(&txn).await?;
    end_attempt(&txn, &c, SigningOutcome::Declined, "co_signer", now, mails).await?;
    txn.commit().await?;
    Ok(RequestOutcome::Done { last: false })
}

/// An attempt whose deadline has passed.
#[derive(Debug, Clone)]
pub struct DueAttempt {
    /// The case.
    pub case_id: Uuid,
    /// The applicant's contact address.
    pub contact_email: Option<String>,
    /// The applicant's language.
    pub language: Option<String>,
}

/// Up to `limit` attempts still awaiting signatures whose deadline is before `as_of`, oldest deadline first.
pub async fn due_attempts(db: &Db, as_of: DateTime<Utc>, limit: u64) -> Result<Vec<DueAttempt>, DbErr> {
    Ok(case::Entity::find()
        .filter(case::Column::SigningOutcome.eq(outcome_str(SigningOutcome::Awaiting)))
        .filter(case::Column::SigningDeadline.lt(as_of))
        .order_by_asc(case::Column::SigningDeadline)
        .order_by_asc(case::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|c| DueAttempt { case_id: c.id, contact_email: c.contact_email, language: c.language })
        .collect())
}

/// Ends one attempt whose deadline passed before `as_of` (checked again under
/// the case's lock), with its mails; `false` when it was no longer due. The
/// changes are stamped with the current time, whatever `as_of` is.
pub async fn expire(db: &Db, case_id: Uuid, as_of: DateTime<Utc>, mails: &[NewItem]) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(c) = lock_case(&txn, case_id).await? else {
        txn.rollback().await?;
        return Ok(false);
    };
    let awaiting = c.signing_outcome.as_deref() == Some(outcome_str(SigningOutcome::Awaiting));
    if !awaiting || c.signing_deadline.is_none_or(|d| d >= as_of) {
        txn.rollback().await?;
        return Ok(false);
    }
    end_attempt(&txn, &c, SigningOutcome::Expired, "system", Utc::now(), mails).await?;
    txn.commit().await?;
    Ok(true)
}
