use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use shared::api::{ApiError, OutboxItemView};
use uuid::Uuid;

use crate::auth::extract::Admin;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Puts a dead-lettered e-mail back in the queue, due now, with its attempts
/// reset; the worker sends it with the same Message-ID. Platform admins only.
#[utoipa::path(tag = "outbox", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The item's id")), responses(
    (status = 200, description = "Queued again", body = OutboxItemView),
    (status = 403, description = "Not a platform admin", body = ApiError),
    (status = 404, description = "No such item", body = ApiError),
    (status = 409, description = "`not_dead`: only a dead item can be retried (a pending one is retried anyway)", body = ApiError)
))]
#[post("/outbox/{id}/retry")]
pub async fn retry_outbox_item(
    state: web::Data<AppState>,
    user: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if !crate::db::outbox::retry(&state.db, id, Utc::now()).await? {
        return match crate::db::outbox::find(&state.db, id).await? {
            None => Err(AppError::NotFound("There is no outbox item with that id.".into())),
            Some(_) => Err(AppError::new(
                ErrorCode::NotDead,
                "Only a dead-lettered item can be retried; this one is pending or sent.",
            )),
        };
    }
    tracing::info!(outbox.id = %id, staff.username = %user.username, "dead mail queued again");
    let item = crate::db::outbox::find(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no outbox item with that id.".into()))?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Ok().json(super::view(item)))
}
