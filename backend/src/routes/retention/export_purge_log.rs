use actix_web::{HttpResponse, get, web};
use shared::api::ApiError;

use crate::error::AppError;
use crate::state::AppState;

/// The service's whole purge log as CSV (UTF-8, a header row, newest first),
/// for the archive. Platform admins and the service's owners.
#[utoipa::path(tag = "retention", security(("bearer" = [])), params(("slug" = String, Path, description = "The service's URL name")), responses(
    (status = 200, description = "The purge log", content_type = "text/csv", body = String),
    (status = 403, description = "Neither platform admin nor service owner", body = ApiError),
    (status = 404, description = "No such service that you own", body = ApiError)
))]
#[get("/services/{slug}/purge-log.csv")]
pub async fn export_purge_log(
    state: web::Data<AppState>,
    user: super::Keeper,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rules = super::owned_service(&state, &user, &slug).await?;
    let mut items = Vec::new();
    let mut before = None;
    loop {
        let page = crate::db::retention::purge_log(&state.db, &rules, before, 1000).await?;
        let done = page.len() < 1000;
        before = page.last().map(|r| r.id);
        items.extend(page);
        if done {
            break;
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"gallringslogg-{}.csv\"", rules.slug),
        ))
        .body(crate::retention::purge_log_csv(&items)))
}
