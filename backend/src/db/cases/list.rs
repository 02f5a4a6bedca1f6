//! The handlers' case list: filters, keyset pagination, and which cases staff may see at all.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::StatusKind;
use shared::api::{CaseList, CaseSummary};

use super::*;
use crate::db::Db;
use crate::db::entity::case;
use crate::db::services::ServiceRef;

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
        return Ok(CaseList::empty());
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
    let assignees = crate::db::handling::usernames(db, rows.iter().filter_map(|m| m.assignee_id)).await?;
    let page = shared::api::Page::of(rows, f.limit, |m| m.id.to_string());
    let items = page
        .items
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
    Ok(CaseList { items, next_cursor: page.next_cursor })
}

pub(super) async fn service_refs(db: &Db, rows: &[case::Model]) -> Result<BTreeMap<Uuid, ServiceRef>, DbErr> {
    let mut out = BTreeMap::new();
    for m in rows {
        if !out.contains_key(&m.service_id)
            && let Some(s) = crate::db::services::get_ref_by_id(db, m.service_id).await?
        {
            out.insert(m.service_id, s);
        }
    }
    Ok(out)
}
