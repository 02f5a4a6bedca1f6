//! Reading signatures: a co-signer's request with what its operations need of
//! the case ([`RequestRecord`]), the requests that ask a person to co-sign,
//! and the applicant's view of a case's signing.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::Answers;
use shared::signing::{
    ApplicantSignatureView, ApplicantSigning, SignatureRequestView, SignatureRole, SignatureState, SigningOutcome,
};

use super::{outcome_parse, role_parse, role_str, state_of};
use crate::db::Db;
use crate::db::entity::{case, case_signature, service};

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
        answers: crate::db::cases::answers_of(&c)?,
        case_status,
        contact_email: c.contact_email,
        language: c.language,
    }))
}

/// A case's status now, by its service's list (a status removed from it since shows by its key).
fn status_now(c: &case::Model, svc: &service::Model) -> Result<shared::api::CaseStatus, DbErr> {
    Ok(crate::db::cases::status_of(&crate::db::services::statuses_of(svc)?, &c.status_key, &c.status_kind))
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
