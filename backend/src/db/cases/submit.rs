//! Submission: a new case in one transaction (one statement on PostgreSQL), idempotent by key.

use chrono::{Datelike, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, FromQueryResult, Statement};
use shared::api::ApplicantCase;
use shared::{Answers, StatusDefinition};

use super::*;
use crate::db::Db;
use crate::db::entity::{case, case_status_change};
use crate::db::services::ServiceRef;

/// What the submission handler has checked and wants stored.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// The service.
    pub service: &'a ServiceRef,
    /// The form version's row id.
    pub form_version_id: Uuid,
    /// The form version number.
    pub form_version: u32,
    /// The status a new case gets.
    pub status: &'a StatusDefinition,
    /// The applicant's personnummer (12 digits), absent when anonymous.
    pub applicant_personnummer: Option<String>,
    /// The applicant's name, when known.
    pub applicant_name: Option<String>,
    /// Validated answers.
    pub answers: Answers,
    /// Idempotency keys are unique per scope (the personnummer, or `anonymous`).
    pub idempotency_scope: String,
    /// The client's idempotency key.
    pub idempotency_key: Option<String>,
    /// SHA-256 (hex) of the request body.
    pub request_hash: String,
    /// Reference prefix, e.g. `HBG`.
    pub reference_prefix: &'a str,
    /// Mails to queue in the same transaction (see [`crate::outbox`]).
    pub mails: Vec<crate::db::outbox::NewItem>,
    /// Where the applicant wants mail about the case.
    pub contact_email: Option<String>,
    /// The applicant's language, `sv` or `en`.
    pub language: &'static str,
}

/// The outcome of a submission.
#[derive(Debug)]
pub enum SubmitOutcome {
    /// A new case.
    Created(ApplicantCase),
    /// A retry of an earlier submission: the case it made.
    Existing(ApplicantCase),
    /// The idempotency key was used before for a different request.
    KeyReused,
    /// The draft to submit is gone (submitted or deleted meanwhile); nothing was stored.
    DraftGone,
    /// An upload to attach is gone, someone else's, or taken meanwhile; nothing was stored.
    UploadUnavailable(Uuid),
}

/// What a submission does besides storing the case, in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct SubmitExtras {
    /// The draft the case is made from, with its owner: deleted with the insert.
    pub draft: Option<(Uuid, String)>,
    /// Uploads the case takes; each must be unattached and owned by `upload_owner`.
    pub uploads: Vec<Uuid>,
    /// Who must own the uploads.
    pub upload_owner: crate::db::uploads::UploadOwner,
    /// A signed application: the attempt's outcome and deadline, the applicant's signature
    /// and the co-signers' pending requests, stored with the case.
    pub signing: Option<crate::db::signatures::NewSigning>,
}

impl SubmitExtras {
    fn is_empty(&self) -> bool {
        self.draft.is_none() && self.uploads.is_empty() && self.signing.is_none()
    }
}

async fn find_idempotent(db: &impl ConnectionTrait, scope: &str, key: &str) -> Result<Option<case::Model>, DbErr> {
    case::Entity::find()
        .filter(case::Column::IdempotencyScope.eq(scope))
        .filter(case::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
}

fn replay(m: case::Model, hash: &str, service: &ServiceRef) -> Result<SubmitOutcome, DbErr> {
    Ok(if m.request_hash == hash && m.service_id == service.id {
        SubmitOutcome::Existing(applicant_case(&m, service)?)
    } else {
        SubmitOutcome::KeyReused
    })
}

/// The outcome of an earlier submission with this key, if there was one: the
/// same case when `request_hash` (and the service, when given) match, else `KeyReused`.
pub async fn replay_key(
    db: &Db,
    scope: &str,
    key: &str,
    request_hash: &str,
    service_id: Option<Uuid>,
) -> Result<Option<SubmitOutcome>, DbErr> {
    let Some(m) = find_idempotent(db, scope, key).await? else {
        return Ok(None);
    };
    let Some(service) = crate::db::services::get_ref_by_id(db, m.service_id).await? else {
        return Ok(Some(SubmitOutcome::KeyReused));
    };
    if service_id.is_some_and(|id| id != service.id) {
        return Ok(Some(SubmitOutcome::KeyReused));
    }
    Ok(Some(replay(m, request_hash, &service)?))
}

/// PostgreSQL: the idempotency look-up, the case with its reference, its
/// first history entry and its queued mails in one statement, so one round trip, atomic without an
/// explicit transaction. The insert happens only when no case has the key (then
/// `nextval` is not called either, as on the other path); that case is returned
/// with `created = false`.
const SUBMIT_POSTGRES: &str = "\
WITH existing AS (
    SELECT * FROM cases WHERE idempotency_scope = $1 AND idempotency_key = $2
), created AS (
    INSERT INTO cases (id, reference, service_id, form_version_id, form_version, status_key, status_kind,
        applicant_personnummer, applicant_name, answers, idempotency_scope, idempotency_key, request_hash,
        submitted_at, updated_at, closed_at, assignee_id, contact_email, language)
    SELECT $3, $4,
        $5, $6, $7, $8, $9, $10, $11, $12, $1, $2, $13, $14, $14, NULL, NULL, $17, $18
    WHERE NOT EXISTS (SELECT 1 FROM existing)
    RETURNING *
), history AS (
    INSERT INTO case_status_history (id, case_id, from_key, to_key, changed_by, staff_user_id, changed_at, comment)
    SELECT $15, id, NULL, $8, 'applicant', NULL, $14, NULL FROM created
), mails AS (
    INSERT INTO outbox (id, message_id, channel, event, template, recipient, language, service_id, case_id, payload,
        status, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at)
    SELECT (m->>'id')::uuid, m->>'message_id', 'email', m->>'event', m->>'template', m->>'recipient', m->>'language',
        created.service_id, created.id,
        json_build_object('reference', created.reference, 'submitted_at', created.submitted_at),
        'pending', 0, $14, NULL, NULL, $14, NULL
    FROM created, json_array_elements($16::json) AS m
)
SELECT TRUE AS created, * FROM created
UNION ALL
SELECT FALSE AS created, * FROM existing";

async fn submit_postgres(db: &Db, n: NewCase<'_>, reference: &str) -> Result<Option<SubmitOutcome>, DbErr> {
    let now = Utc::now();
    let answers = serde_json::to_value(&n.answers).map_err(|e| DbErr::Custom(e.to_string()))?;
    let values: Vec<Value> = vec![
        n.idempotency_scope.clone().into(),
        n.idempotency_key.clone().into(),
        Uuid::now_v7().into(),
        reference.into(),
        n.service.id.into(),
        n.form_version_id.into(),
        (n.form_version as i32).into(),
        n.status.key.clone().into(),
        n.status.kind.as_str().to_string().into(),
        n.applicant_personnummer.into(),
        n.applicant_name.into(),
        answers.into(),
        n.request_hash.clone().into(),
        now.into(),
        Uuid::now_v7().into(),
        crate::db::outbox::items_json(&n.mails).into(),
        n.contact_email.clone().into(),
        n.language.to_string().into(),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, SUBMIT_POSTGRES, values);
    let row = match db.query_one_raw(stmt).await {
        Ok(row) => row.ok_or_else(|| DbErr::Custom("the submission returned no row".into()))?,
        Err(e) if crate::db::is_unique_violation(&e) => {
            // A concurrent retry with the same key won the race: answer with its case.
            if let Some(key) = &n.idempotency_key
                && let Some(m) = find_idempotent(db, &n.idempotency_scope, key).await?
            {
                return Ok(Some(replay(m, &n.request_hash, n.service)?));
            }
            // Otherwise the reference was taken.
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let created: bool = row.try_get("", "created")?;
    let m = case::Model::from_query_result(&row, "")?;
    Ok(Some(if created {
        SubmitOutcome::Created(applicant_case(&m, n.service)?)
    } else {
        replay(m, &n.request_hash, n.service)?
    }))
}

/// Stores a new case with its first history entry, in one transaction, or
/// returns the case an earlier identical request made.
pub async fn submit(db: &Db, n: NewCase<'_>) -> Result<SubmitOutcome, DbErr> {
    submit_with(db, n, SubmitExtras::default()).await
}

/// [`submit`], also deleting the draft the case is made from, attaching its
/// uploads and storing its signatures (a signed application), all in the
/// transaction that inserts the case: all of it happens, or none. (The
/// one-statement PostgreSQL path serves only submissions without extras.)
pub async fn submit_with(db: &Db, n: NewCase<'_>, extras: SubmitExtras) -> Result<SubmitOutcome, DbErr> {
    // A reference is random: when it is taken already (about once in 34 billion), draw again.
    for _ in 0..3 {
        let reference = new_reference(n.reference_prefix);
        let outcome = if db.get_database_backend() == DbBackend::Postgres && extras.is_empty() {
            submit_postgres(db, n.clone(), &reference).await?
        } else {
            submit_once(db, n.clone(), extras.clone(), &reference).await?
        };
        if let Some(outcome) = outcome {
            return Ok(outcome);
        }
    }
    Err(DbErr::Custom("three random case references in a row were taken".into()))
}

/// A new, unguessable reference (see [`shared::reference`]).
fn new_reference(prefix: &str) -> String {
    shared::reference::from_random(prefix, Utc::now().year(), rand::random())
}

/// One try of [`submit_with`] with `reference`; `None` when the reference is taken.
async fn submit_once(
    db: &Db,
    n: NewCase<'_>,
    extras: SubmitExtras,
    reference: &str,
) -> Result<Option<SubmitOutcome>, DbErr> {
    if let Some(key) = &n.idempotency_key
        && let Some(m) = find_idempotent(db, &n.idempotency_scope, key).await?
    {
        return Ok(Some(replay(m, &n.request_hash, n.service)?));
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    if let Some((draft_id, owner)) = &extras.draft
        && !crate::db::drafts::delete(&txn, *draft_id, owner).await?
    {
        // Submitted meanwhile (by a retry that won the race) or deleted.
        txn.rollback().await?;
        if let Some(key) = &n.idempotency_key
            && let Some(m) = find_idempotent(db, &n.idempotency_scope, key).await?
        {
            return Ok(Some(replay(m, &n.request_hash, n.service)?));
        }
        return Ok(Some(SubmitOutcome::DraftGone));
    }
    let id = Uuid::now_v7();
    let inserted = case::ActiveModel {
        id: Set(id),
        reference: Set(reference.to_string()),
        service_id: Set(n.service.id),
        form_version_id: Set(n.form_version_id),
        form_version: Set(n.form_version as i32),
        status_key: Set(n.status.key.clone()),
        status_kind: Set(n.status.kind.as_str().to_string()),
        applicant_personnummer: Set(n.applicant_personnummer),
        applicant_name: Set(n.applicant_name),
        answers: Set(serde_json::to_value(&n.answers).map_err(|e| DbErr::Custom(e.to_string()))?),
        idempotency_scope: Set(n.idempotency_scope.clone()),
        idempotency_key: Set(n.idempotency_key.clone()),
        request_hash: Set(n.request_hash.clone()),
        submitted_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        assignee_id: Set(None),
        contact_email: Set(n.contact_email.clone()),
        language: Set(Some(n.language.to_string())),
        legal_hold_reason: Set(None),
        legal_hold_by: Set(None),
        legal_hold_at: Set(None),
        signing_outcome: Set(extras
            .signing
            .as_ref()
            .map(|s| crate::db::signatures::outcome_str(s.outcome).to_string())),
        signing_deadline: Set(extras.signing.as_ref().and_then(|s| s.deadline)),
        follow_link_revoked_at: Set(None),
    }
    .insert(&txn)
    .await;
    let m = match inserted {
        Ok(m) => m,
        Err(e) if crate::db::is_unique_violation(&e) => {
            // A concurrent retry with the same key won the race: answer with its case.
            txn.rollback().await?;
            if let Some(key) = &n.idempotency_key
                && let Some(m) = find_idempotent(db, &n.idempotency_scope, key).await?
            {
                return Ok(Some(replay(m, &n.request_hash, n.service)?));
            }
            // Otherwise the reference was taken.
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    for upload in &extras.uploads {
        if !crate::db::uploads::attach(&txn, *upload, id, &extras.upload_owner).await? {
            txn.rollback().await?;
            return Ok(Some(SubmitOutcome::UploadUnavailable(*upload)));
        }
    }
    if let Some(signing) = &extras.signing {
        crate::db::signatures::insert(&txn, id, signing).await?;
    }
    case_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        from_key: Set(None),
        to_key: Set(n.status.key.clone()),
        changed_by: Set("applicant".into()),
        staff_user_id: Set(None),
        changed_at: Set(now),
        comment: Set(None),
    }
    .insert(&txn)
    .await?;
    let payload = crate::outbox::Payload { reference: m.reference.clone(), submitted_at: now };
    crate::db::outbox::insert(&txn, &n.mails, n.service.id, id, &payload, now).await?;
    txn.commit().await?;
    Ok(Some(SubmitOutcome::Created(applicant_case(&m, n.service)?)))
}
