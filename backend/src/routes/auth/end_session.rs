use actix_web::{HttpResponse, post, web};

use crate::auth::extract::SignedIn;
use crate::error::AppError;
use crate::state::AppState;

/// Logs out, an applicant or a staff member: the session ends and none of
/// its tokens work any more, at once.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 204, description = "Logged out")))]
#[post("/auth/session/logout")]
pub async fn end_session(state: web::Data<AppState>, me: SignedIn) -> Result<HttpResponse, AppError> {
    match me {
        SignedIn::Applicant(me) => crate::sessions::end(&state, &me).await?,
        SignedIn::Staff(me) => {
            crate::db::sessions::end_staff(&state.db, me.sid).await?;
            tracing::info!(staff.username = %me.username, "staff logout");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
