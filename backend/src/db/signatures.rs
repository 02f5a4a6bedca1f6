//! Signatures of cases (`case_signatures`): the applicant's, stored with the
//! case by `cases::submit_with`, and the co-signers' requests — signed,
//! declined or expired each in one transaction with the case's status, its
//! history and its mails. A case's signing attempt (`cases.signing_outcome`)
//! is `awaiting` until the last co-signer signs (`complete`: the case is
//! submitted), one declines (`declined`) or the deadline passes (`expired`).
//!
//! Every change of an attempt happens under the case's row lock (`FOR UPDATE`
//! on PostgreSQL; SQLite's write transaction keeps other writers out), so two
//! co-signers signing at once cannot both miss that they were the last.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, QueryOrder, QuerySelect};
use shared::signing::{
    ApplicantSignatureView, ApplicantSigning, SignatureRequestView, SignatureRole, SignatureState, SigningOutcome,
};
use shared::{Answers, StatusDefinition};

use super::Db;
use super::entity::{case, case_signature, case_status_change, service};
use super::outbox::NewItem;

/// The stored name of a signing outcome.
pub fn outcome_str(o: SigningOutcome) -> &'static str {
    match o {
        SigningOutcome::Awaiting => "awaiting",
        SigningOutcome::Complete => "complete",
        SigningOutcome::Declined => "declined",
        SigningOutcome::Expired => "expired",
    }
}

/// A signing outcome from its stored name.
pub fn outcome_parse(s: &str) -> Option<SigningOutcome> {
    [SigningOutcome::Awaiting, SigningOutcome::Complete, SigningOutcome::Declined, SigningOutcome::Expired]
        .into_iter()
        .find(|o| outcome_str(*o) == s)
}

fn role_str(r: SignatureRole) -> &'static str {
    match r {
        SignatureRole::Applicant => "applicant",
        SignatureRole::CoSigner => "co_signer",
    }
}

/// A stored role (anything but `applicant` is a co-signer's).
pub(super) fn role_parse(s: &str) -> SignatureRole {
    if s == "applicant" { SignatureRole::Applicant } else { SignatureRole::CoSigner }
}

fn state_of(m: &case_signature::Model) -> SignatureState {
    SignatureState::parse(&m.state).unwrap_or(SignatureState::Expired)
}

/// What a made signature proves.
#[derive(Clone)]
pub struct SignedBy {
    /// The e-ID, e.g. `BankID`.
    pub provider: String,
    /// The signer's name as the e-ID gave it.
    pub name: Option<String>,
    /// The signature (BankID: base64 XML).
    pub signature: String,
    /// The OCSP response (base64).
    pub ocsp_response: String,
    /// When it was made.
    pub signed_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedBy").field("provider", &self.provider).finish_non_exhaustive()
    }
}

/// A signature row to store with a new case.
#[derive(Clone)]
pub struct NewSignature {
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// 0 for the applicant, then the co-signers in order.
    pub position: i32,
    /// Who must sign (12 digits).
    pub personnummer: String,
    /// Their name, when known (the register's, or the e-ID's once signed).
    pub name: Option<String>,
    /// A co-signer's notice address.
    pub email: Option<String>,
    /// The text shown in the e-ID app.
    pub summary: String,
    /// SHA-256 (hex) of the answers.
    pub digest: String,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// The signature, when made (the applicant's); pending otherwise.
    pub signed: Option<SignedBy>,
}

impl std::fmt::Debug for NewSignature {
    // Debug ends up in logs: no personnummer, name or address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSignature")
            .field("role", &self.role)
            .field("position", &self.position)
            .field("signed", &self.signed.is_some())
            .finish_non_exhaustive()
    }
}

/// The signing of a new case, stored in the transaction that inserts it.
#[derive(Debug, Clone)]
pub struct NewSigning {
    /// `complete` (nobody else signs: the case is submitted) or `awaiting`.
    pub outcome: SigningOutcome,
    /// The last moment for the co-signers (while awaiting).
    pub deadline: Option<DateTime<Utc>>,
    /// The applicant's signature first, then the co-signers' requests.
    pub signatures: Vec<NewSignature>,
}

/// Inserts a new case's signatures in the caller's transaction.
pub async fn insert(txn: &impl ConnectionTrait, case_id: Uuid, signing: &NewSigning) -> Result<(), DbErr> {
    for s in &signing.signatures {
        let state = if s.signed.is_some() { SignatureState::Signed } else { SignatureState::Pending };
        case_signature::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(case_id),
            role: Set(role_str(s.role).into()),
            position: Set(s.position),
            personnummer: Set(s.personnummer.clone()),
            name: Set(s.name.clone()),
            email: Set(s.email.clone()),
            state: Set(state.as_str().into()),
            summary: Set(s.summary.clone()),
            digest: Set(s.digest.clone()),
            requested_at: Set(s.requested_at),
            provider: Set(s.signed.as_ref().map(|e| e.provider.clone())),
            signature: Set(s.signed.as_ref().map(|e| e.signature.clone())),
            ocsp_response: Set(s.signed.as_ref().map(|e| e.ocsp_response.clone())),
            signed_at: Set(s.signed.as_ref().map(|e| e.signed_at)),
            decided_at: Set(s.signed.as_ref().map(|e| e.signed_at)),
            decline_message: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// A co-signer's request with what its operations need of the case.
#[derive(Clone)]
pub struct RequestRecord {
    /// The request's id.
    pub id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// Where the request is.
    pub state: SignatureState,
    /// The text to sign.
    pub summary: String,
    /// The digest signed.
    pub digest: String,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// The attempt's deadline.
    pub deadline: DateTime<Utc>,
    /// The attempt's outcome.
    pub outcome: Option<SigningOutcome>,
    /// The service's name.
    pub service_name: String,
    /// The service's URL name (the digest covers it).
    pub service_slug: String,
    /// The service's id.
    pub service_id: Uuid,
    /// The case's form version.
    pub form_version: u32,
    /// The case's answers now.
    pub answers: Answers,
    /// The applicant's contact address.
    pub contact_email: Option<String>,
    /// The applicant's language.
    pub language: Option<String>,
    /// The case's status now (shown to the co-signer once they have signed).
    pub case_status: shared::api::CaseStatus,
}

impl std::fmt::Debug for RequestRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestRecord").field("id", &self.id).field("state", &self.state).finish_non_exhaustive()
    }
}

impl RequestRecord {
    /// What the co-signer sees.
    pub fn view(&self) -> SignatureRequestView {
        SignatureRequestView {
            id: self.id,
            service_name: self.service_name.clone(),
            summary: self.summary.clone(),
            digest: self.digest.clone(),
            state: self.state,
            requested_at: self.requested_at,
            deadline: self.deadline,
            decided_at: self.decided_at,
            case_status: (self.state == SignatureState::Signed).then(|| self.case_status.clone()),
        }
    }

    /// True while the request can be signed or declined at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.state == SignatureState::Pending && self.outcome == Some(SigningOutcome::Awaiting) && now <= self.deadline
    }
}

fn deadline_of(c: &case::Model, s: &case_signature::Model) -> DateTime<Utc> {
    c.signing_deadline.unwrap_or(s.requested_at)
}

/// A co-signer's request by id, only for the person it asks (`None` for anyone else).
pub async fn request_for(db: &Db, id: Uuid, personnummer: &str) -> Result<Option<RequestRecord>, DbErr> {
    let Some(s) = case_signature::Entity::find_by_id(id)
        .filter(case_signature::Column::Personnummer.eq(personnummer))
        .filter(case_signature::Column::Role.eq(role_str(SignatureRole::CoSigner)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(c) = case::Entity::find_by_id(s.case_id).one(db).await? else {
        return Ok(None);
    };
    let Some(svc) = service::Entity::find_by_id(c.service_id).one(db).await? else {
        return Ok(None);
    };
    let case_status = status_now(&c, &svc)?;
    Ok(Some(RequestRecord {
        id: s.id,
        case_id: c.id,
        state: state_of(&s),
        deadline: deadline_of(&c, &s),
        summary: s.summary,
        digest: s.digest,
        requested_at: s.requested_at,
        decided_at: s.decided_at,
        outcome: c.signing_outcome.as_deref().and_then(outcome_parse),
        service_name: svc.name,
        service_slug: svc.slug,
        service_id: svc.id,
        form_version: c.form_version.max(0) as u32,
        answers: super::cases::answers_of(&c)?,
        case_status,
        contact_email: c.contact_email,
        language: c.language,
    }))
}

/// A case's status now, by its service's list (a status removed from it since shows by its key).
fn status_now(c: &case::Model, svc: &service::Model) -> Result<shared::api::CaseStatus, DbErr> {
    Ok(super::cases::status_of(&super::services::statuses_of(svc)?, &c.status_key, &c.status_kind))
}

/// True when signature row `id` of `personnummer`'s is signed already with exactly `signature`
/// (an earlier try of the same co-signature whose answer was lost).
pub async fn signed_with(db: &Db, id: Uuid, personnummer: &str, signature: &str) -> Result<bool, DbErr> {
    let row = case_signature::Entity::find_by_id(id)
        .filter(case_signature::Column::Personnummer.eq(personnummer))
        .one(db)
        .await?;
    Ok(row.is_some_and(|r| r.state == SignatureState::Signed.as_str() && r.signature.as_deref() == Some(signature)))
}

/// The requests that ask `personnummer` to co-sign, pending first, then newest first.
pub async fn requests_for(db: &Db, personnummer: &str) -> Result<Vec<SignatureRequestView>, DbErr> {
    let rows = case_signature::Entity::find()
        .filter(case_signature::Column::Personnummer.eq(personnummer))
        .filter(case_signature::Column::Role.eq(role_str(SignatureRole::CoSigner)))
        .order_by_desc(case_signature::Column::RequestedAt)
        .limit(200)
        .all(db)
        .await?;
    let case_ids: Vec<Uuid> = rows.iter().map(|s| s.case_id).collect();
    let cases = case::Entity::find().filter(case::Column::Id.is_in(case_ids)).all(db).await?;
    let service_ids: Vec<Uuid> = cases.iter().map(|c| c.service_id).collect();
    let services = service::Entity::find().filter(service::Column::Id.is_in(service_ids)).all(db).await?;
    let mut out: Vec<SignatureRequestView> = Vec::with_capacity(rows.len());
    for s in &rows {
        let Some(c) = cases.iter().find(|c| c.id == s.case_id) else { continue };
        let Some(svc) = services.iter().find(|x| x.id == c.service_id) else { continue };
        let signed = state_of(s) == SignatureState::Signed;
        out.push(SignatureRequestView {
            id: s.id,
            service_name: svc.name.clone(),
            summary: s.summary.clone(),
            digest: s.digest.clone(),
            state: state_of(s),
            requested_at: s.requested_at,
            deadline: deadline_of(c, s),
            decided_at: s.decided_at,
            case_status: if signed { Some(status_now(c, svc)?) } else { None },
        });
    }
    // Stable: pending first, each group newest first as fetched.
    out.sort_by_key(|v| v.state != SignatureState::Pending);
    Ok(out)
}

/// The applicant's view of a case's signing; `None` for a case nobody signed.
pub async fn applicant_signing(db: &Db, case_id: Uuid) -> Result<Option<ApplicantSigning>, DbErr> {
    let Some(c) = case::Entity::find_by_id(case_id).one(db).await? else {
        return Ok(None);
    };
    let Some(outcome) = c.signing_outcome.as_deref().and_then(outcome_parse) else {
        return Ok(None);
    };
    let rows = case_signature::Entity::find()
        .filter(case_signature::Column::CaseId.eq(case_id))
        .order_by_asc(case_signature::Column::Position)
        .all(db)
        .await?;
    Ok(Some(ApplicantSigning {
        outcome,
        deadline: c.signing_deadline,
        signatures: rows
            .into_iter()
            .map(|s| ApplicantSignatureView {
                role: role_parse(&s.role),
                state: state_of(&s),
                name: s.name,
                decided_at: s.decided_at,
                decline_message: s.decline_message,
            })
            .collect(),
    }))
}

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
    super::outbox::insert(txn, mails, c.service_id, c.id, &payload, m.now).await
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
    let txn = super::begin_write(db).await?;
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
    if digest_of(&slug, c.form_version.max(0) as u32, &super::cases::answers_of(&c)?) != s.digest {
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
    let txn = super::begin_write(db).await?;
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
    let txn = super::begin_write(db).await?;
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
