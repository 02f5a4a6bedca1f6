use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::{ApiError, PurgeLog};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::extract::StaffUser;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Paging of the purge log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurgeLogQuery {
    /// The `next_cursor` of the previous page.
    pub before: Option<Uuid>,
    /// Page size, 1 to 200 (default 50), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// The service's purge log, newest first: one record per purged case, with
/// its reference, dates, the rule that applied and counts of what was removed
/// — never personal data. Platform admins and the service's owners.
#[utoipa::path(tag = "retention", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name"), PurgeLogQuery), responses(
    (status = 200, description = "A page of purge records", body = PurgeLog),
    (status = 400, description = "A limit out of range", body = ApiError),
    (status = 403, description = "Neither platform admin nor service owner", body = ApiError),
    (status = 404, description = "No such service that you own", body = ApiError)
))]
#[get("/services/{slug}/purge-log")]
pub async fn list_purge_log(
    state: web::Data<AppState>,
    user: StaffUser,
    slug: web::Path<String>,
    q: web::Query<PurgeLogQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = super::owned_service(&state, &user, &slug).await?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::new(ErrorCode::InvalidLimit, "limit must be between 1 and 200."));
    }
    let mut items = crate::db::retention::purge_log(&state.db, &rules, q.before, limit + 1).await?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|r| r.id)
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(PurgeLog { items, next_cursor }))
}
