use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::{ApiError, Page, PurgeLog, PurgeRecordView};
use utoipa::IntoParams;

use crate::error::AppError;
use crate::state::AppState;

/// Paging of the purge log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurgeLogQuery {
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 25), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// The service's purge log, newest first: one record per purged case, with
/// its reference, dates, the rule that applied and counts of what was removed
/// — never personal data. Platform admins and the service's owners.
#[utoipa::path(tag = "retention", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name"), PurgeLogQuery), responses(
    (status = 200, description = "A page of purge records", body = Page<PurgeRecordView>),
    (status = 400, description = "A limit out of range", body = ApiError),
    (status = 403, description = "Neither platform admin nor service owner", body = ApiError),
    (status = 404, description = "No such service that you own", body = ApiError)
))]
#[get("/services/{slug}/purge-log")]
pub async fn list_purge_log(
    state: web::Data<AppState>,
    user: super::Keeper,
    slug: web::Path<String>,
    q: web::Query<PurgeLogQuery>,
) -> Result<HttpResponse, AppError> {
    let rules = super::owned_service(&state, &user, &slug).await?;
    let (limit, after) = crate::routes::page_request(q.limit, q.after.as_deref())?;
    let rows = crate::db::retention::purge_log(&state.db, &rules, after, limit + 1).await?;
    let page: PurgeLog = Page::of(rows, limit, |r| r.id.to_string());
    Ok(HttpResponse::Ok().json(page))
}
