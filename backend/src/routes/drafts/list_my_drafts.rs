use actix_web::{HttpResponse, get, web};
use shared::api::DraftSummary;

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in applicant's drafts, last saved first.
#[utoipa::path(tag = "drafts", security(("bearer" = [])), responses(
    (status = 200, description = "My drafts", body = [DraftSummary])
))]
#[get("/me/drafts")]
pub async fn list_my_drafts(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    let drafts = crate::db::drafts::list(&state.db, &me.personnummer.as_digits()).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(drafts))
}
