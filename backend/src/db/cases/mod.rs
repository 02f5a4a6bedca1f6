//! Cases: submission (idempotent), listing with keyset pagination, status
//! changes with history, the applicant's own cases, and the staff access log.

mod list;
mod status;
mod submit;

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::api::{ApplicantCase, ApplicantView, CaseDetail, CaseStatus, StatusChange};
use shared::{Answers, FormDefinition, StatusDefinition, StatusKind};

use super::Db;
use super::entity::{case, case_status_change, form_version};
use super::services::ServiceRef;

pub use list::*;
pub use status::*;
pub use submit::*;

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
    crate::db::stored(m.answers.clone(), "case answers", m.id)
}

/// The day (UTC) a closed case is purged: its closing day plus the service's
/// retention period; none while a legal hold keeps it.
pub fn purge_on(m: &case::Model, service: &ServiceRef) -> Option<chrono::NaiveDate> {
    if m.legal_hold_at.is_some() || m.status_kind != StatusKind::Closed.as_str() {
        return None;
    }
    m.closed_at.and_then(|c| crate::db::retention::due_on(c, service.retention_days))
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
    let txn = crate::db::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::FollowLinkRevokedAt, Expr::value(Utc::now()))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    crate::db::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::RevokeFollowLink).await?;
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
        Some(id) => crate::db::handling::usernames(db, [id]).await?.remove(&id),
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
    let names = crate::db::handling::usernames(db, rows.iter().filter_map(|h| h.staff_user_id)).await?;
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
