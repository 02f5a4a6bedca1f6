//! Cases: submission (idempotent), listing with keyset pagination, status
//! changes with history, the applicant's own cases, and the staff access log.

use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, FromQueryResult, QueryOrder, QuerySelect, Statement};
use shared::api::{ApplicantCase, ApplicantView, CaseDetail, CaseList, CaseStatus, CaseSummary, StatusChange};
use shared::{Answers, FormDefinition, StatusDefinition, StatusKind};

use super::Db;
use super::entity::{case, case_status_change, form_version};
use super::services::ServiceRef;

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
    pub mails: Vec<super::outbox::NewItem>,
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
    pub upload_owner: super::uploads::UploadOwner,
    /// A signed application: the attempt's outcome and deadline, the applicant's signature
    /// and the co-signers' pending requests, stored with the case.
    pub signing: Option<super::signatures::NewSigning>,
}

impl SubmitExtras {
    fn is_empty(&self) -> bool {
        self.draft.is_none() && self.uploads.is_empty() && self.signing.is_none()
    }
}

/// The status `key` of a service's list as shown; `kind` is the stored kind, used when the
/// key is no longer in the list.
pub fn status_of(statuses: &[StatusDefinition], key: &str, kind: &str) -> CaseStatus {
    match shared::status::find_status(statuses, key) {
        Some(s) => CaseStatus { key: s.key.clone(), name: s.name.clone(), name_en: s.name_en.clone(), kind: s.kind },
        // A status removed from the list later still shows, by its key.
        None => CaseStatus {
            key: key.to_string(),
            name: key.to_string(),
            name_en: None,
            kind: StatusKind::parse(kind).unwrap_or(StatusKind::Submitted),
        },
    }
}

/// A case's stored answers: an error when they cannot be read.
pub(super) fn answers_of(m: &case::Model) -> Result<Answers, DbErr> {
    super::stored(m.answers.clone(), "case answers", m.id)
}

/// The day (UTC) a closed case is purged: its closing day plus the service's
/// retention period; none while a legal hold keeps it.
pub fn purge_on(m: &case::Model, service: &ServiceRef) -> Option<chrono::NaiveDate> {
    if m.legal_hold_at.is_some() || m.status_kind != StatusKind::Closed.as_str() {
        return None;
    }
    m.closed_at.and_then(|c| super::retention::due_on(c, service.retention_days))
}

fn legal_hold_of(m: &case::Model) -> Option<shared::api::LegalHold> {
    Some(shared::api::LegalHold {
        reason: m.legal_hold_reason.clone()?,
        set_by: m.legal_hold_by.clone().unwrap_or_default(),
        set_at: m.legal_hold_at?,
    })
}

fn applicant_case(m: &case::Model, service: &ServiceRef) -> Result<ApplicantCase, DbErr> {
    Ok(ApplicantCase {
        reference: m.reference.clone(),
        service: service.slug.clone(),
        service_name: service.name.clone(),
        form_version: m.form_version.max(0) as u32,
        status: status_of(&service.statuses, &m.status_key, &m.status_kind),
        submitted_at: m.submitted_at,
        answers: answers_of(m)?,
        purge_on: purge_on(m, service),
        history: Vec::new(),
        messaging_allowed: None,
        may_supplement: None,
    })
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
    let Some(service) = super::services::get_ref_by_id(db, m.service_id).await? else {
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
        super::outbox::items_json(&n.mails).into(),
        n.contact_email.clone().into(),
        n.language.to_string().into(),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, SUBMIT_POSTGRES, values);
    let row = match db.query_one_raw(stmt).await {
        Ok(row) => row.ok_or_else(|| DbErr::Custom("the submission returned no row".into()))?,
        Err(e) if super::is_unique_violation(&e) => {
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
    let txn = super::begin_write(db).await?;
    if let Some((draft_id, owner)) = &extras.draft
        && !super::drafts::delete(&txn, *draft_id, owner).await?
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
        signing_outcome: Set(extras.signing.as_ref().map(|s| super::signatures::outcome_str(s.outcome).to_string())),
        signing_deadline: Set(extras.signing.as_ref().and_then(|s| s.deadline)),
        follow_link_revoked_at: Set(None),
    }
    .insert(&txn)
    .await;
    let m = match inserted {
        Ok(m) => m,
        Err(e) if super::is_unique_violation(&e) => {
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
        if !super::uploads::attach(&txn, *upload, id, &extras.upload_owner).await? {
            txn.rollback().await?;
            return Ok(Some(SubmitOutcome::UploadUnavailable(*upload)));
        }
    }
    if let Some(signing) = &extras.signing {
        super::signatures::insert(&txn, id, signing).await?;
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
    super::outbox::insert(&txn, &n.mails, n.service.id, id, &payload, now).await?;
    txn.commit().await?;
    Ok(Some(SubmitOutcome::Created(applicant_case(&m, n.service)?)))
}

/// Filters of the handler's case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only these services (the ones the caller is permitted on).
    pub service_ids: Vec<Uuid>,
    /// Only this status key.
    pub status: Option<String>,
    /// Only this reference.
    pub reference: Option<String>,
    /// Only this applicant (12 digits).
    pub personnummer: Option<String>,
    /// Only cases assigned to this handler (`Some(Some(id))`) or unassigned ones (`Some(None)`).
    pub assignee: Option<Option<Uuid>>,
    /// Only cases submitted at or after this instant.
    pub submitted_from: Option<chrono::DateTime<Utc>>,
    /// Only cases submitted before this instant.
    pub submitted_before: Option<chrono::DateTime<Utc>>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Cases after this case id in the chosen order (the cursor).
    pub after: Option<Uuid>,
    /// Page size.
    pub limit: u64,
}

/// The cases staff may see at all: not those of kind `awaiting_signatures`
/// (waiting for co-signers, or ended without them) and none whose signing
/// attempt is not complete. Every staff look-up, listing, count and change of a
/// case goes through this condition (or [`find_for_staff`]); the applicant's
/// own views do not.
pub fn staff_visible() -> sea_orm::Condition {
    sea_orm::Condition::all().add(case::Column::StatusKind.ne(StatusKind::AwaitingSignatures.as_str())).add(
        sea_orm::Condition::any()
            .add(case::Column::SigningOutcome.is_null())
            .add(case::Column::SigningOutcome.eq(SIGNING_COMPLETE)),
    )
}

/// `cases.signing_outcome` of a case whose every required signature is in.
const SIGNING_COMPLETE: &str = "complete";

/// A page of cases, newest first, with a cursor to the next page. Only cases
/// staff may see ([`staff_visible`]).
pub async fn list(db: &Db, f: CaseFilter) -> Result<CaseList, DbErr> {
    if f.service_ids.is_empty() {
        return Ok(CaseList { items: Vec::new(), next_cursor: None });
    }
    let mut q = case::Entity::find()
        .filter(case::Column::ServiceId.is_in(f.service_ids.iter().copied()))
        .filter(staff_visible());
    if let Some(s) = &f.status {
        q = q.filter(case::Column::StatusKey.eq(s.as_str()));
    }
    if let Some(r) = &f.reference {
        q = q.filter(case::Column::Reference.eq(r.as_str()));
    }
    if let Some(p) = &f.personnummer {
        q = q.filter(case::Column::ApplicantPersonnummer.eq(p.as_str()));
    }
    match f.assignee {
        Some(Some(id)) => q = q.filter(case::Column::AssigneeId.eq(id)),
        Some(None) => q = q.filter(case::Column::AssigneeId.is_null()),
        None => {}
    }
    if let Some(from) = f.submitted_from {
        q = q.filter(case::Column::SubmittedAt.gte(from));
    }
    if let Some(before) = f.submitted_before {
        q = q.filter(case::Column::SubmittedAt.lt(before));
    }
    // Ids are UUIDv7, ordered by creation time: keyset pagination on the id alone.
    let q = match (f.oldest_first, f.after) {
        (false, Some(after)) => q.filter(case::Column::Id.lt(after)).order_by_desc(case::Column::Id),
        (false, None) => q.order_by_desc(case::Column::Id),
        (true, Some(after)) => q.filter(case::Column::Id.gt(after)).order_by_asc(case::Column::Id),
        (true, None) => q.order_by_asc(case::Column::Id),
    };
    let rows = q.limit(f.limit + 1).all(db).await?;
    let services = service_refs(db, &rows).await?;
    let assignees = super::handling::usernames(db, rows.iter().filter_map(|m| m.assignee_id)).await?;
    let more = rows.len() as u64 > f.limit;
    let rows: Vec<_> = rows.into_iter().take(f.limit as usize).collect();
    let next_cursor = if more { rows.last().map(|m| m.id.to_string()) } else { None };
    let items = rows
        .iter()
        .filter_map(|m| {
            let s = services.get(&m.service_id)?;
            Some(CaseSummary {
                reference: m.reference.clone(),
                service: s.slug.clone(),
                status: status_of(&s.statuses, &m.status_key, &m.status_kind),
                applicant_name: m.applicant_name.clone(),
                assignee: m.assignee_id,
                assignee_name: m.assignee_id.and_then(|id| assignees.get(&id).cloned()),
                submitted_at: m.submitted_at,
                updated_at: m.updated_at,
            })
        })
        .collect();
    Ok(CaseList { items, next_cursor })
}

async fn service_refs(db: &Db, rows: &[case::Model]) -> Result<BTreeMap<Uuid, ServiceRef>, DbErr> {
    let mut out = BTreeMap::new();
    for m in rows {
        if !out.contains_key(&m.service_id)
            && let Some(s) = super::services::get_ref_by_id(db, m.service_id).await?
        {
            out.insert(m.service_id, s);
        }
    }
    Ok(out)
}

/// A stored case, for permission checks before anything is shown.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    model: case::Model,
    /// The case id.
    pub id: Uuid,
    /// The service's id.
    pub service_id: Uuid,
    /// The current status key.
    pub status_key: String,
    /// The applicant's personnummer, if any.
    pub applicant_personnummer: Option<String>,
    /// The reference.
    pub reference: String,
    /// When it was submitted.
    pub submitted_at: chrono::DateTime<Utc>,
    /// Where the applicant wants mail about the case.
    pub contact_email: Option<String>,
    /// The applicant's language, `sv` or `en`.
    pub language: Option<String>,
    /// The assigned handler.
    pub assignee_id: Option<Uuid>,
    /// When it last changed.
    pub updated_at: chrono::DateTime<Utc>,
}

impl CaseRecord {
    /// Whether the case has a live private link (see [`crate::follow_link`]): it is anonymous,
    /// its form gave an e-mail address, and no handler has revoked the link.
    pub fn follow_link_active(&self) -> bool {
        self.applicant_personnummer.is_none()
            && self.contact_email.is_some()
            && self.model.follow_link_revoked_at.is_none()
    }

    /// How the handlers reach the applicant: on Min sida (an e-ID applicant), through the
    /// private link of an anonymous case, or not at all.
    pub fn applicant_reach(&self) -> shared::api::ApplicantReach {
        use shared::api::ApplicantReach;
        if self.applicant_personnummer.is_some() {
            ApplicantReach::MinSida
        } else if self.follow_link_active() {
            ApplicantReach::PrivateLink
        } else {
            ApplicantReach::Unreachable
        }
    }

    /// When the case was closed, if it is.
    pub fn closed_at(&self) -> Option<chrono::DateTime<Utc>> {
        self.model.closed_at
    }
}

impl CaseRecord {
    /// The case's retention: status, purge day and legal hold.
    pub fn retention(&self, service: &ServiceRef) -> shared::api::CaseRetention {
        shared::api::CaseRetention {
            reference: self.reference.clone(),
            service: service.slug.clone(),
            service_name: service.name.clone(),
            status: status_of(&service.statuses, &self.model.status_key, &self.model.status_kind),
            purge_on: purge_on(&self.model, service),
            legal_hold: legal_hold_of(&self.model),
        }
    }

    /// The case's answers.
    pub fn answers(&self) -> Result<Answers, DbErr> {
        answers_of(&self.model)
    }

    /// The number of the form version it was submitted under.
    pub fn form_version(&self) -> u32 {
        self.model.form_version.max(0) as u32
    }
}

/// A case by id, whatever its status (for the mail worker).
pub async fn find_by_id(db: &Db, id: Uuid) -> Result<Option<CaseRecord>, DbErr> {
    Ok(case::Entity::find_by_id(id).one(db).await?.map(record))
}

/// Ends an anonymous case's private link; `false` when there is no such case.
pub async fn revoke_follow_link(db: &Db, case_id: Uuid, by_staff: Uuid) -> Result<bool, DbErr> {
    let txn = super::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::FollowLinkRevokedAt, Expr::value(Utc::now()))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    super::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::RevokeFollowLink).await?;
    txn.commit().await?;
    Ok(true)
}

/// A case by reference, whatever its status: for the applicant's own views
/// and internal use. Staff paths use [`find_for_staff`].
pub async fn find(db: &Db, reference: &str) -> Result<Option<CaseRecord>, DbErr> {
    Ok(case::Entity::find().filter(case::Column::Reference.eq(reference)).one(db).await?.map(record))
}

/// A case by reference as staff may see it: `None` for a case awaiting
/// signatures or ended without them ([`staff_visible`]), as for no case at all.
pub async fn find_for_staff(db: &Db, reference: &str) -> Result<Option<CaseRecord>, DbErr> {
    Ok(case::Entity::find()
        .filter(case::Column::Reference.eq(reference))
        .filter(staff_visible())
        .one(db)
        .await?
        .map(record))
}

fn record(m: case::Model) -> CaseRecord {
    CaseRecord {
        id: m.id,
        service_id: m.service_id,
        status_key: m.status_key.clone(),
        applicant_personnummer: m.applicant_personnummer.clone(),
        reference: m.reference.clone(),
        submitted_at: m.submitted_at,
        contact_email: m.contact_email.clone(),
        language: m.language.clone(),
        assignee_id: m.assignee_id,
        updated_at: m.updated_at,
        model: m,
    }
}

/// The form version a case was submitted under: an error when it is missing
/// or cannot be read, never a guess.
pub async fn form_of(db: &Db, rec: &CaseRecord) -> Result<FormDefinition, DbErr> {
    let form = form_version::Entity::find_by_id(rec.model.form_version_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("a case's form version is missing".into()))?;
    serde_json::from_value(form.definition).map_err(|e| DbErr::Custom(format!("stored form: {e}")))
}

/// The full handler view of a case.
pub async fn detail(db: &Db, rec: &CaseRecord, service: &ServiceRef) -> Result<CaseDetail, DbErr> {
    let m = &rec.model;
    let form = form_of(db, rec).await?;
    let history = history_of(db, m.id).await?;
    let assignee_name = match m.assignee_id {
        Some(id) => super::handling::usernames(db, [id]).await?.remove(&id),
        None => None,
    };
    Ok(CaseDetail {
        reference: m.reference.clone(),
        service: service.slug.clone(),
        service_name: service.name.clone(),
        statuses: service.statuses.clone(),
        assignee: m.assignee_id,
        assignee_name,
        form_version: m.form_version.max(0) as u32,
        form,
        status: status_of(&service.statuses, &m.status_key, &m.status_kind),
        applicant: ApplicantView { personnummer: m.applicant_personnummer.clone(), name: m.applicant_name.clone() },
        answers: answers_of(m)?,
        submitted_at: m.submitted_at,
        history,
        purge_on: purge_on(m, service),
        legal_hold: legal_hold_of(m),
        applicant_reach: rec.applicant_reach(),
    })
}

/// The applicant's view of one case.
pub fn applicant_view(rec: &CaseRecord, service: &ServiceRef) -> Result<ApplicantCase, DbErr> {
    applicant_case(&rec.model, service)
}

/// A case's status history, oldest first, with the display names of the staff members who made
/// changes (`by` stays the user name, or `applicant` / `co_signer` / `system`).
pub async fn history_of(db: &Db, case_id: Uuid) -> Result<Vec<StatusChange>, DbErr> {
    let rows = case_status_change::Entity::find()
        .filter(case_status_change::Column::CaseId.eq(case_id))
        .order_by_asc(case_status_change::Column::Id)
        .all(db)
        .await?;
    let names = super::handling::usernames(db, rows.iter().filter_map(|h| h.staff_user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|h| StatusChange {
            by_name: h.staff_user_id.and_then(|id| names.get(&id).cloned()),
            from: h.from_key,
            to: h.to_key,
            by: h.changed_by,
            at: h.changed_at,
            comment: h.comment,
        })
        .collect())
}

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
    pub mails: super::outbox::Mails,
}

/// Changes a case's status and records it, with the staff member's
/// access-log entry, the mails, and the closing of open supplement requests
/// (the case no longer waits for them) in one transaction; `Ok(false)` if it
/// changed meanwhile.
pub async fn change_status(db: &Db, case_id: Uuid, u: StatusUpdate<'_>) -> Result<bool, DbErr> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
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
    super::outbox::insert(&txn, &u.mails.items, u.mails.service_id, case_id, &u.mails.payload, now).await?;
    super::supplements::close_open(&txn, case_id, None, now).await?;
    super::access_log::record(&txn, case_id, u.by_staff, shared::handling::AccessAction::ChangeStatus).await?;
    txn.commit().await?;
    Ok(true)
}

/// An applicant's own cases, newest first.
pub async fn list_for_applicant(db: &Db, personnummer: &str) -> Result<Vec<ApplicantCase>, DbErr> {
    let rows = case::Entity::find()
        .filter(case::Column::ApplicantPersonnummer.eq(personnummer))
        .order_by_desc(case::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let services = service_refs(db, &rows).await?;
    rows.iter().filter_map(|m| services.get(&m.service_id).map(|s| applicant_case(m, s))).collect()
}

/// Number of cases of a service (used to refuse deleting statuses in use, and in tests).
pub async fn count_for_service(db: &Db, service_id: Uuid) -> Result<u64, DbErr> {
    case::Entity::find().filter(case::Column::ServiceId.eq(service_id)).count(db).await
}
