use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::api::{ApiError, PurgeRule, RetentionPreview};
use utoipa::IntoParams;

use crate::error::AppError;
use crate::state::AppState;

/// The instant to preview.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// Preview a run at this instant (RFC 3339) instead of the next scheduled one.
    pub at: Option<DateTime<Utc>>,
}

/// A dry run: what the next purge run (or one at `at`) would delete of this
/// service — the cases due, abandoned drafts — and the closed cases a legal
/// hold keeps. Nothing is deleted. Platform admins and the service's owners.
#[utoipa::path(tag = "retention", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name"), PreviewQuery), responses(
    (status = 200, description = "What would be purged", body = RetentionPreview),
    (status = 403, description = "Neither platform admin nor service owner", body = ApiError),
    (status = 404, description = "No such service that you own", body = ApiError)
))]
#[get("/services/{slug}/retention-preview")]
pub async fn get_retention_preview(
    state: web::Data<AppState>,
    user: super::Keeper,
    slug: web::Path<String>,
    q: web::Query<PreviewQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = super::owned_service(&state, &user, &slug).await?;
    let now = Utc::now();
    let run_at = q.at.or_else(|| state.settings.retention.next_run(now)).unwrap_or(now);
    let service = crate::db::services::get_ref_by_id(&state.db, rules.id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))?;
    let mut cases = Vec::new();
    for rule in [PurgeRule::Closed, PurgeRule::AwaitingSignatures] {
        for c in crate::db::retention::due_cases(&state.db, &rules, rule, run_at, None, 1000).await? {
            cases.push(shared::api::PurgePreviewCase {
                status: crate::db::cases::status_of(&service.statuses, &c.status_key, rule_kind(rule)),
                reference: c.reference,
                rule,
                closed_at: c.closed_at,
                purge_on: c.due_on,
            });
        }
    }
    cases.sort_by(|a, b| a.purge_on.cmp(&b.purge_on).then_with(|| a.reference.cmp(&b.reference)));
    cases.truncate(1000);
    let (case_count, held_count) = crate::db::retention::due_counts(&state.db, &rules, run_at).await?;
    let draft_count = crate::db::retention::due_draft_count(&state.db, &rules, run_at).await?;
    Ok(HttpResponse::Ok().json(RetentionPreview {
        run_at,
        rules: rules.view(),
        cases,
        case_count,
        draft_count,
        held_count,
    }))
}

fn rule_kind(rule: PurgeRule) -> &'static str {
    match rule {
        PurgeRule::Closed => shared::StatusKind::Closed.as_str(),
        PurgeRule::AwaitingSignatures => shared::StatusKind::AwaitingSignatures.as_str(),
    }
}
