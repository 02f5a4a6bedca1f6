use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use shared::api::{ApiError, RetentionRules, RetentionStatus};

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::retention::AccessLogSetting;
use crate::state::AppState;

/// The purge job: its schedule and next run, the platform's default periods,
/// its totals (cases purged, files removed, failures), the files waiting on
/// the retry list, and the latest runs. Platform admins only.
#[utoipa::path(tag = "retention", security(("bearer" = [])), responses(
    (status = 200, description = "The job's state and figures", body = RetentionStatus),
    (status = 403, description = "Not a platform admin", body = ApiError)
))]
#[get("/retention")]
pub async fn get_retention_status(state: web::Data<AppState>, _admin: Admin) -> Result<HttpResponse, AppError> {
    let cfg = &state.settings.retention;
    let (cases_purged_total, files_deleted_total, failures_total) = crate::db::retention::totals(&state.db).await?;
    Ok(HttpResponse::Ok().json(RetentionStatus {
        enabled: cfg.enabled,
        schedule: cfg.schedule.clone(),
        next_run_at: if cfg.enabled { cfg.next_run(Utc::now()) } else { None },
        access_log: match cfg.access_log {
            AccessLogSetting::Pseudonymise => "pseudonymise",
            AccessLogSetting::Delete => "delete",
        }
        .into(),
        defaults: RetentionRules {
            days_after_closing: 0,
            days_for_drafts: cfg.draft_days,
            days_awaiting_signatures: cfg.awaiting_signatures_days,
        },
        cases_purged_total,
        files_deleted_total,
        failures_total,
        files_pending: crate::db::retention::pending_file_count(&state.db).await?,
        runs: crate::db::retention::latest_runs(&state.db, 20).await?,
    }))
}
